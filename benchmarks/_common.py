"""Shared set-up for the benchmark scripts (not a test module)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CUTS = ROOT / "tests" / "snapshot-cuts.txt"


def raw_dir() -> Path:
    env = os.environ.get("ROTATION_RAW_DIR")
    if not env or not Path(env).is_dir():
        sys.exit("set ROTATION_RAW_DIR to a folder of original downloads (e.g. the offline snapshot)")
    return Path(env)


def snapshot_ends() -> dict[str, str]:
    from rotation.data.ingest import read_end_file

    return read_end_file(CUTS)


def fresh_store_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="rotation-bench-"))
