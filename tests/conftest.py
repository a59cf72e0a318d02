"""Shared fixtures: awkward uploads live in ``awkward_files.py``; costly files are built once."""

from __future__ import annotations

from pathlib import Path

import pytest
from awkward_files import large_jpeg


@pytest.fixture(scope="session")
def large_jpeg_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40 MP (7744 × 5164) gradient JPEG on disk, built once per test session (≈0.8 s)."""
    name, data, _ = large_jpeg()
    path = tmp_path_factory.mktemp("large") / name
    path.write_bytes(data)
    return path
