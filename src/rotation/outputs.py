"""What a notebook leaves in its outputs, and reading it back from an executed notebook.

The protocol between the notebooks, the data layer and the runner: three MIME types,
kept as outputs of the cell that produced them, so the results live in the executed
``.ipynb`` however it was run (``rotation run``, plain ``papermill`` or JupyterLab).

* :data:`RECORD_MIME` -- a named result, ``{"name", "value"}``: :func:`keep`, called by
  :func:`rotation.notebook.record` (which checks the name and converts the value with
  :func:`to_jsonable`);
* :data:`READ_MIME` -- a verified store read, ``{"dataset", "sha256", "first", "last",
  "rows"}``: :func:`note_read`, called by :func:`rotation.data.load`;
* :data:`KERNEL_MIME` -- the kernel's interpreter: :func:`note_kernel`, called by the
  parameter check.

Each output also carries an empty ``text/plain`` (so JupyterLab shows an empty line instead
of "no renderer" text). :func:`notebook_results`, :func:`notebook_reads` and
:func:`notebook_kernel` read an executed notebook back (the last value of a name wins);
``rotation run`` writes ``results.json`` from them and the reader's report drops these
outputs (:mod:`rotation.present.report`). Outside a kernel the values are kept in memory
only (:func:`results`, :func:`reads`).

Values are converted to plain JSON (numpy scalars -> Python numbers, dates -> ISO strings,
NaN/inf -> ``null``, Series -> ``{str(index): value}``, objects with ``.to_record()`` ->
that dict).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import sys
import threading
from pathlib import Path
from typing import Any

from rotation.errors import ParameterError

__all__ = [
    "keep", "results", "reads", "reset", "note_read", "note_kernel", "to_jsonable",
    "notebook_results", "notebook_reads", "notebook_kernel",
    "dump_results", "current_shell", "RESULTS_FILE", "RECORD_MIME", "READ_MIME", "KERNEL_MIME",
]

RESULTS_FILE = "results.json"
"""Name of the file ``rotation run`` writes (from the executed notebook) next to it."""
RECORD_MIME = "application/vnd.rotation.record+json"
"""Output MIME type of a named result: ``{"name": str, "value": JSON}``."""
READ_MIME = "application/vnd.rotation.read+json"
"""Output MIME type of a store read: ``{"dataset", "sha256", "first", "last", "rows"}``."""
KERNEL_MIME = "application/vnd.rotation.kernel+json"
"""Output MIME type naming the kernel's interpreter: ``{"executable", "python"}``."""
_MIMES = (RECORD_MIME, READ_MIME, KERNEL_MIME)

_values: dict[str, Any] = {}
_reads: list[dict[str, Any]] = []
_emitted_reads: list[tuple[Any, dict[str, Any]]] = []
_lock = threading.Lock()


def current_shell(*, kernel: bool = True) -> Any:
    """The IPython shell running this code (with ``kernel``: only a Jupyter kernel's), or None."""
    ipython = sys.modules.get("IPython")  # not imported: certainly not in IPython
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or (kernel and getattr(shell, "kernel", None) is None):
        return None
    return shell


def _shell() -> Any:
    return current_shell()


def _emit(mime: str, payload: dict[str, Any]) -> None:
    """Add ``payload`` to the current cell's outputs (in a kernel; nothing otherwise)."""
    if _shell() is None:
        return
    from IPython.display import display

    display({mime: payload, "text/plain": ""}, raw=True)


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
    to_record = getattr(value, "to_record", None)
    if callable(to_record) and not isinstance(value, type):
        return to_jsonable(to_record(), name)
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


def dump_results(values: dict[str, Any]) -> str:
    """results.json text: sorted keys, 2-space indent, trailing newline (deterministic)."""
    return json.dumps(values, sort_keys=True, indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def keep(key: str, value: Any) -> None:
    """Keep an already converted JSON ``value`` under ``key``: in memory and as a :data:`RECORD_MIME` output."""
    json.dumps(value, allow_nan=False)  # fail here, not in the runner
    with _lock:
        _values[key] = value
    _emit(RECORD_MIME, {"name": key, "value": value})


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
    entry = {"dataset": str(dataset), "sha256": str(sha256), "first": to_jsonable(first, "first"),
             "last": to_jsonable(last, "last"), "rows": int(rows)}
    shell = _shell()
    cell = getattr(shell, "execution_count", None)
    with _lock:
        if entry not in _reads:
            _reads.append(entry)
        if (cell, entry) in _emitted_reads:  # once per cell execution: a loop of loads adds one output
            return
        _emitted_reads.append((cell, entry))
    _emit(READ_MIME, entry)


def note_kernel() -> None:
    """Record which interpreter runs this kernel (``sys.executable``) in the notebook's outputs."""
    import platform

    _emit(KERNEL_MIME, {"executable": sys.executable, "python": platform.python_version()})


def reads() -> list[dict[str, Any]]:
    """The distinct store reads noted in this process, in order (see :func:`note_read`)."""
    with _lock:
        return [dict(r) for r in _reads]


def results() -> dict[str, Any]:
    """A (deep) copy of everything recorded in this process."""
    with _lock:
        return json.loads(json.dumps(_values))


def reset() -> None:
    """Forget everything recorded and read in this process (notebook outputs stay as they are)."""
    with _lock:
        _values.clear()
        _reads.clear()
        _emitted_reads.clear()


# --------------------------------------------------------------------------- reading executed notebooks


def _outputs(nb: Any, mime: str) -> list[Any]:
    """Payloads of ``mime`` in the outputs of ``nb`` (a path, or a notebook dict/NotebookNode), in order."""
    if isinstance(nb, (str, Path)):
        path = Path(nb)
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ParameterError(f"notebook {path} does not exist; give an executed .ipynb") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParameterError(f"{path} is not a notebook (JSON): {exc}; give an executed .ipynb") from None
    out = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if mime in data:
                out.append(data[mime])
    return out


def notebook_results(nb: Any) -> dict[str, Any]:
    """Everything :func:`record` left in an executed notebook: ``{name: value}``, the last value winning."""
    values: dict[str, Any] = {}
    for payload in _outputs(nb, RECORD_MIME):
        values[payload["name"]] = payload["value"]
    return values


def notebook_reads(nb: Any) -> list[dict[str, Any]]:
    """The distinct store reads (:func:`note_read`) an executed notebook made, in order."""
    seen: list[dict[str, Any]] = []
    for payload in _outputs(nb, READ_MIME):
        if payload not in seen:
            seen.append(dict(payload))
    return seen


def notebook_kernel(nb: Any) -> dict[str, Any] | None:
    """``{"executable", "python"}`` of the kernel that ran the notebook (:func:`note_kernel`), or None."""
    found = _outputs(nb, KERNEL_MIME)
    return dict(found[-1]) if found else None
