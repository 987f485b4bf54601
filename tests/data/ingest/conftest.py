"""Shared fixtures of the live-fetch tests (mocked HTTP serving the snapshot's files)."""

from __future__ import annotations

import pytest


@pytest.fixture
def online(tmp_path, monkeypatch):
    """A fetch may go to the network (mocked): ROTATION_OFFLINE unset, the default store in a temporary folder."""
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "default_store"))
    monkeypatch.delenv("ROTATION_OFFLINE", raising=False)
