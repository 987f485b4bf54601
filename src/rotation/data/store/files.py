"""Bytes on disk: sha256 checksums and writes that never leave a half-written file under a real name.

A file is written to a fresh temporary name next to its target (``.<name>.<random>.tmp``), synced,
then renamed over the target (``os.replace``, atomic on one filesystem). Files are created with
mode ``0666 & ~umask``, as ``open`` creates them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path

__all__ = ["sha256_bytes", "sha256_file", "atomic_write_bytes", "TMP_SUFFIX"]

#: Suffix of a temporary file (a leftover when its writer was killed).
TMP_SUFFIX = ".tmp"


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes (streamed)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _tmp_path(target: Path) -> Path:
    """A fresh temporary name next to ``target`` (``.<name>.<random>.tmp``)."""
    return target.parent / f".{target.name}.{secrets.token_hex(6)}{TMP_SUFFIX}"


def _write_new(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Create ``path`` (must not exist) with ``data``; mode 0666 & ~umask, as ``open`` creates files."""
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        if sync:
            os.fsync(fh.fileno())


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename (mode 0666 & ~umask)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_path(target)
    try:
        _write_new(tmp, data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
