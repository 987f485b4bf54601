"""Paths and switches, defined once.

Environment variables
---------------------
ROTATION_DATA_DIR
    Folder of the local store (``raw/``, ``processed/``, ``manifest.json``).
    Default: ``data/`` in the project checkout.
ROTATION_RAW_DIR
    A folder of original downloads (``famafrench/``, ``fred/``, ``prices/`` or flat)
    used by ``make run RAW_DIR=...``, CI and the snapshot tests.
ROTATION_OFFLINE
    ``1``/``true``: never touch the network; a missing dataset raises
    :class:`rotation.errors.OfflineError`.
ROTATION_RUNS_DIR
    Where ``rotation run`` writes run folders. Default: ``runs/`` in the project checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "data_dir", "raw_snapshot_dir", "runs_dir", "notebooks_dir", "offline"]

_TRUE = {"1", "true", "yes", "on"}


def project_root() -> Path:
    """The checkout that holds ``pyproject.toml`` (the package is installed editable), else the cwd."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "notebooks").is_dir():
            return parent
    return Path.cwd()


def data_dir() -> Path:
    """Folder of the local data store (``ROTATION_DATA_DIR`` or ``<project>/data``)."""
    env = os.environ.get("ROTATION_DATA_DIR")
    return Path(env).expanduser().resolve() if env else project_root() / "data"


def raw_snapshot_dir() -> Path | None:
    """Folder of original downloads named by ``ROTATION_RAW_DIR``, or None when unset."""
    env = os.environ.get("ROTATION_RAW_DIR")
    return Path(env).expanduser().resolve() if env else None


def runs_dir() -> Path:
    """Where run folders go (``ROTATION_RUNS_DIR`` or ``<project>/runs``)."""
    env = os.environ.get("ROTATION_RUNS_DIR")
    return Path(env).expanduser().resolve() if env else project_root() / "runs"


def notebooks_dir() -> Path:
    """The committed notebooks (``<project>/notebooks``)."""
    return project_root() / "notebooks"


def offline() -> bool:
    """True when ``ROTATION_OFFLINE`` is set to 1/true/yes/on."""
    return os.environ.get("ROTATION_OFFLINE", "").strip().lower() in _TRUE
