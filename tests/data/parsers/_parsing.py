"""Helpers shared by the parser tests (not a test module): snapshot files as parameters, message patterns."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

RAW_ENV = os.environ.get("ROTATION_RAW_DIR")


def raw_params(sub: str, exts: tuple[str, ...]) -> list:
    """Parameters (relative paths under ``<raw>/<sub>``) for every data file, found at collection time."""
    if not RAW_ENV or not (Path(RAW_ENV) / sub).is_dir():
        return [pytest.param(None, id=f"{sub}-unavailable")]
    base = Path(RAW_ENV) / sub
    files = sorted(p for p in base.rglob("*") if p.is_file() and p.name.lower().endswith(exts))
    return [pytest.param(p.relative_to(base).as_posix(), id=p.relative_to(base).as_posix()) for p in files]


def raw_file(raw_dir: Path, sub: str, rel: str | None) -> Path:
    """The snapshot file ``<raw_dir>/<sub>/<rel>``; skips the test when the folder was not there at collection."""
    if rel is None:
        pytest.skip(f"no {sub}/ folder under ROTATION_RAW_DIR")
    return raw_dir / sub / rel


def loc(source: str, line: int) -> str:
    """Regex for the start of a message naming the file and line."""
    return re.escape(f"{source} (line {line}")


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


def eol_variants(data: bytes) -> dict[str, bytes]:
    """The same text with LF, CR and CRLF line endings."""
    text = data.decode("utf-8").replace("\r\n", "\n")
    return {"lf": text.encode(), "cr": text.replace("\n", "\r").encode(), "crlf": text.replace("\n", "\r\n").encode()}
