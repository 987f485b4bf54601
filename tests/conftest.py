"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

RAW_DIR_SKIP_REASON = "set ROTATION_RAW_DIR to the raw-data snapshot folder"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw-data snapshot folder from ``ROTATION_RAW_DIR``; skips the test when unset or missing."""
    env = os.environ.get("ROTATION_RAW_DIR")
    if not env:
        pytest.skip(RAW_DIR_SKIP_REASON)
    path = Path(env).expanduser()
    if not path.is_dir():
        pytest.skip(f"{RAW_DIR_SKIP_REASON} (ROTATION_RAW_DIR={env!r} is not a folder)")
    return path
