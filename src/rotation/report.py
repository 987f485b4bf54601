"""Record the key numbers of a notebook, once, by name.

A notebook states each headline number with :func:`record`::

    from rotation.report import record

    n_episodes = record("breakouts.n_episodes", len(episodes))
    record("breakouts.first", episodes.index[0])          # -> "1932-06-30"
    record("spread.by_decade", spread_by_decade)          # Series -> {"1930": 0.012, ...}

:func:`record` returns its value unchanged, so it can wrap an expression.  Values
are converted to plain JSON (numpy scalars -> Python numbers, dates -> ISO
strings, NaN/inf -> ``null``, Series -> ``{str(index): value}``).

When the notebook is executed by ``rotation run`` (environment variable
``ROTATION_RUN=1``), every call rewrites ``results.json`` in the current working
directory -- the notebook's run folder -- atomically and deterministically
(sorted keys, 2-space indent, trailing newline).  Run interactively, the values
are kept in memory only (see :func:`results`).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any, TypeVar

from rotation.errors import ParameterError

__all__ = ["record", "results", "reset", "RESULTS_FILE", "to_jsonable", "describe_ci", "pct"]

RESULTS_FILE = "results.json"
"""Name of the file written in the working directory when ``ROTATION_RUN=1``."""

_NAME_RE = re.compile(r"[A-Za-z0-9_.\-]+")
_TRUE = {"1"}

_values: dict[str, Any] = {}
_lock = threading.Lock()

T = TypeVar("T")


def _writing_enabled() -> bool:
    return os.environ.get("ROTATION_RUN", "").strip() in _TRUE


def _date_string(value: Any) -> str | None:
    """ISO string for date-like values ("YYYY-MM-DD" when there is no time of day), else None."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None  # type: ignore[assignment]
    if pd is not None and isinstance(value, pd.Timestamp):
        if value.tz is None and value == value.normalize():
            return value.strftime("%Y-%m-%d")
        return value.isoformat()
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None and value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return None


def _is_nat(value: Any) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return False
    return value is pd.NaT


def _key(name: str, key: Any) -> str:
    """A JSON object key: strings as they are, dates as ISO strings, numbers via str()."""
    if isinstance(key, str):
        return key
    if _is_nat(key):
        return "NaT"
    as_date = _date_string(key)
    if as_date is not None:
        return as_date
    try:
        import numpy as np

        if isinstance(key, np.generic):
            key = key.item()
            as_date = _date_string(key)
            if as_date is not None:
                return as_date
    except ImportError:  # pragma: no cover
        pass
    if isinstance(key, (bool, int, float)) or key is None:
        return str(key)
    if isinstance(key, tuple):
        return str(tuple(_key(name, k) for k in key))
    return str(key)


def to_jsonable(value: Any, name: str = "value") -> Any:
    """Convert ``value`` to plain JSON types (see :func:`record`); ``name`` is used in errors."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if _is_nat(value):
        return None
    as_date = _date_string(value)
    if as_date is not None:
        return as_date

    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None  # type: ignore[assignment]
    if np is not None:
        if isinstance(value, np.datetime64):
            if np.isnat(value):
                return None
            import pandas as pd

            return _date_string(pd.Timestamp(value))
        if isinstance(value, np.generic):
            item = value.item()
            if isinstance(item, (bytes, complex)) or not isinstance(item, (bool, int, float, str)):
                raise ParameterError(
                    f"record({name!r}): cannot store a value of type {type(value).__name__}; "
                    "pass a number, string, bool, date, list, dict or pandas Series"
                )
            return to_jsonable(item, name)
        if isinstance(value, np.ndarray):
            return [to_jsonable(v, name) for v in value.tolist()]

    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        pd = None  # type: ignore[assignment]
    if pd is not None and isinstance(value, pd.Series):
        return {_key(name, k): to_jsonable(v, name) for k, v in value.items()}

    if isinstance(value, dict):
        return {_key(name, k): to_jsonable(v, name) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, name) for v in value]

    raise ParameterError(
        f"record({name!r}): cannot store a value of type {type(value).__name__}; "
        "pass a number, string, bool, date, list, dict or pandas Series "
        "(convert DataFrames with .to_dict() or record single numbers)"
    )


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise ParameterError(f"record(): the name must be a non-empty string, got {name!r} ({type(name).__name__})")
    if not _NAME_RE.fullmatch(name):
        raise ParameterError(
            f"record(): invalid name {name!r}; use letters, digits, '_', '.' and '-' only "
            "(e.g. 'breakouts.n_episodes')"
        )
    return name


def _dump(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def record(name: str, value: T) -> T:
    """Store ``value`` under ``name`` and return ``value`` unchanged.

    Parameters
    ----------
    name : str
        Flat key; letters, digits, ``_``, ``.`` and ``-`` (dots group related numbers,
        e.g. ``"breakouts.n_episodes"``).  Recording a name again replaces the value.
    value
        None, bool, int, float, str, numpy scalar or array, date/datetime/pandas
        Timestamp, pandas Series, or a dict/list/tuple of those.  NaN and inf are
        stored as ``null``; dates as ``"YYYY-MM-DD"`` (full ISO when they carry a time).

    Raises
    ------
    ParameterError
        The name is invalid or the value has an unsupported type.
    """
    key = _check_name(name)
    converted = to_jsonable(value, key)
    with _lock:
        updated = {**_values, key: converted}
        if _writing_enabled():
            _write_atomic(Path.cwd() / RESULTS_FILE, _dump(updated))
        _values[key] = converted  # only once the file (if any) has been written
    return value


def note_read(dataset: str, *, sha256: str, first: Any, last: Any, rows: int) -> None:
    """Note that ``dataset`` was read from the store (provenance at read time).

    Called by :func:`rotation.data.load` for every dataset it returns. The run manifest lists
    exactly these reads (not the store as it is after the run).

    Parameters
    ----------
    dataset : str
        Catalog key (``"DGS10"``).
    sha256 : str
        Checksum of the processed file that was read (as verified on read).
    first, last : date-like
        First and last date of the data as stored (before any ``start``/``end`` slice).
    rows : int
        Rows stored.
    """
    # Placeholder: the runner work (evidence-spine issue) implements the in-notebook record.
    return None


def results() -> dict[str, Any]:
    """A (deep) copy of everything recorded in this process."""
    with _lock:
        return json.loads(json.dumps(_values))


def reset() -> None:
    """Forget everything recorded in this process (does not touch ``results.json``)."""
    with _lock:
        _values.clear()


def pct(value: float, digits: int = 1, sign: bool = True) -> str:
    """Format a decimal as a percentage (``0.0123 -> "+1.2%"``); NaN -> ``"n/a"``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:+.{digits}%}" if sign else f"{value:.{digits}%}"


def describe_ci(estimate: float, lower: float, upper: float, *, level: float = 0.95, digits: int = 1) -> str:
    """One phrase for an estimate with its interval, saying whether it excludes zero.

    ``describe_ci(0.012, -0.004, 0.03)`` -> ``"+1.2% (95% CI -0.4% to +3.0%; not significant)"``.
    Values are decimals; a missing interval says so instead of guessing.
    """
    if any(v is None or not math.isfinite(float(v)) for v in (lower, upper)):
        return f"{pct(estimate, digits)} (too few observations for an interval)"
    verdict = "significant" if (lower > 0 or upper < 0) else "not significant"
    return f"{pct(estimate, digits)} ({level:.0%} CI {pct(lower, digits)} to {pct(upper, digits)}; {verdict})"
