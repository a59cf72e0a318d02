import subprocess
import sys


def test_package_root_exposes_the_public_api_lazily():
    # Importing one module must not drag in every stage and exporter.
    code = (
        "import sys, pyropattern.load\n"
        "assert 'pyropattern.export.pdf' not in sys.modules\n"
        "import pyropattern\n"
        "assert callable(pyropattern.make_stencil) and callable(pyropattern.stencil_pdf)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
