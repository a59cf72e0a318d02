"""The bundled sample photos, listed once for the app, the CLI and the benchmarks.

The photos live in the repository's ``samples/`` folder; ``samples/SOURCES.md`` records the
origin, author and licence of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .i18n import DEFAULT_LANG, tr

SAMPLES_DIR = Path(__file__).parents[2] / "samples"

DEFAULT_SAMPLE_ID = "cat"  # what the app opens on: fur and eyes show off every stage


@dataclass(frozen=True)
class Sample:
    """One bundled photo."""

    id: str  # stable identifier, used in URLs, benchmarks and the CLI ("cat")
    path: Path  # the photo file
    name_key: str  # translation key of its display name ("sample.cat")
    hint_key: str  # translation key of one line on what it teaches ("sample_hint.cat")
    preset: str  # the preset that suits it, applied when it is picked ("animal")

    def name(self, lang: str = DEFAULT_LANG) -> str:
        """Display name in ``lang``, e.g. "Cat (fur)" / "Kucing (bulu)"."""
        return tr(self.name_key, lang)

    def hint(self, lang: str = DEFAULT_LANG) -> str:
        """One line on what the photo is good for in class, in ``lang``."""
        return tr(self.hint_key, lang)


# (id, file name, preset), in the order a class meets them: easiest first.
_BUNDLED = (
    ("horse", "silhouette-horse.png", "silhouette"),
    ("cat", "cat-chelsea.jpg", "animal"),
    ("portrait", "portrait-astronaut.jpg", "portrait"),
    ("coffee", "object-coffee.jpg", "standard"),
    ("camera", "grayscale-camera.png", "standard"),
    ("rocket", "landscape-rocket.jpg", "standard"),
    ("coins", "lowcontrast-coins.jpg", "standard"),
)


def list_samples() -> list[Sample]:
    """Return the bundled sample photos, easiest subject first.

    Returns
    -------
    list of Sample
        Each with a stable ``id``, the file ``path`` and translation keys for its name and
        hint.
    """
    return [
        Sample(
            id=sample_id,
            path=SAMPLES_DIR / file_name,
            name_key=f"sample.{sample_id}",
            hint_key=f"sample_hint.{sample_id}",
            preset=preset,
        )
        for sample_id, file_name, preset in _BUNDLED
    ]


def get_sample(sample_id: str) -> Sample:
    """Return the sample with ``sample_id``.

    Raises
    ------
    KeyError
        If there is no such sample; the message lists the ids there are.
    """
    for sample in list_samples():
        if sample.id == sample_id:
            return sample
    known = ", ".join(sample.id for sample in list_samples())
    raise KeyError(f"no sample {sample_id!r}; the samples are {known}")
