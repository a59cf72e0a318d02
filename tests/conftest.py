"""Shared fixtures: awkward uploads live in ``awkward_files.py``; costly files are built once."""

from __future__ import annotations

from pathlib import Path

import pytest
from awkward_files import large_jpeg
from hypothesis import settings

# No per-example deadline: examples are small, but a machine shared with a browser test or a
# load run can take a few hundred milliseconds on any of them, which says nothing about the code.
settings.register_profile("pyropattern", deadline=None)
settings.load_profile("pyropattern")


@pytest.fixture(scope="session")
def large_jpeg_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40 MP (7744 × 5164) gradient JPEG on disk, built once per test session (≈0.8 s)."""
    name, data, _ = large_jpeg()
    path = tmp_path_factory.mktemp("large") / name
    path.write_bytes(data)
    return path
