"""End cuts: drop observations after a date, per file or per dataset (``rotation data import --end``).

A file downloaded while the market is open ends with a bar for a session that has not closed;
an import cannot tell, so the user says where each file ends: ``--end DATE`` (every file),
``--end KEY=DATE`` (one dataset or remote file, repeatable) or ``--end-file FILE`` (one
``KEY=DATE`` a line, e.g. ``tests/snapshot-cuts.txt``). The cut is kept with the raw file, so
a rebuild or a repair reproduces the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from rotation.data import catalog
from rotation.errors import ParameterError

__all__ = ["parse_end_option", "read_end_file", "normalise_end", "end_for"]


def parse_end_option(values: Iterable[str]) -> dict[str, str]:
    """Parse CLI ``--end`` values: ``DATE`` (all files) or ``KEY=DATE``."""
    out: dict[str, str] = {}
    for v in values:
        if "=" in v:
            k, date = v.split("=", 1)
            out[k.strip()] = date.strip()
        else:
            out["*"] = v.strip()
    return out


def read_end_file(path: Path | str) -> dict[str, str]:
    """Read a file of end dates: one ``KEY=DATE`` (or a bare ``DATE`` for every file) per line; ``#`` comments."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ParameterError(f"cannot read the end-date file {str(p)!r}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"the end-date file {str(p)!r} is not UTF-8 text (byte {exc.start}: {exc.reason}); it should hold one "
            "KEY=DATE per line, e.g. IWM=2026-07-10. Fix: save it as plain UTF-8 text."
        ) from exc
    words = []
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if " " in line:
            raise ParameterError(f"{p}:{n}: expected KEY=DATE or DATE, got {line!r}")
        words.append(line)
    return parse_end_option(words)


def normalise_end(end: Mapping[str, str] | str | None) -> dict[str, pd.Timestamp]:
    """``{key or "*": Timestamp}`` from one date (every file) or a mapping of dataset key / remote id -> date."""
    if end is None:
        return {}
    if isinstance(end, str):
        end = {"*": end}
    out = {}
    for k, v in end.items():
        try:
            out[k] = pd.Timestamp(v)
        except (ValueError, TypeError) as exc:
            raise ParameterError(f"end date {v!r} for {k!r} is not a date; use YYYY-MM-DD") from exc
    return out


def end_for(ends: Mapping[str, pd.Timestamp], source: str, remote_id: str) -> pd.Timestamp | None:
    """The cut of one remote file: the date given for its remote id or one of its datasets, else the ``"*"`` one."""
    if not ends:
        return None
    names = {remote_id.lower(), *(k.lower() for k in catalog.remote_file(source, remote_id).datasets)}
    for k, v in ends.items():
        if k.lower() in names:
            return v
    return ends.get("*")
