"""Paths and switches come from the environment, with project defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation import config


def test_defaults_point_into_the_project(monkeypatch):
    monkeypatch.delenv("ROTATION_DATA_DIR", raising=False)
    monkeypatch.delenv("ROTATION_RUNS_DIR", raising=False)
    root = config.project_root()
    assert (root / "pyproject.toml").is_file()
    assert config.data_dir() == root / "data"
    assert config.runs_dir() == root / "runs"
    assert config.notebooks_dir() == root / "notebooks"


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ROTATION_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("ROTATION_RUNS_DIR", str(tmp_path / "runs"))
    assert config.data_dir() == (tmp_path / "store").resolve()
    assert config.raw_snapshot_dir() == (tmp_path / "raw").resolve()
    assert config.runs_dir() == (tmp_path / "runs").resolve()


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("On", True), ("0", False), ("", False)])
def test_offline_switch(monkeypatch, value, expected):
    monkeypatch.setenv("ROTATION_OFFLINE", value)
    assert config.offline() is expected


def test_raw_dir_unset(monkeypatch):
    monkeypatch.delenv("ROTATION_RAW_DIR", raising=False)
    assert config.raw_snapshot_dir() is None
    assert isinstance(config.project_root(), Path)
