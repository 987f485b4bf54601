"""Record the key numbers of a notebook, once, by name -- inside the notebook itself.

A notebook states each headline result with :func:`record`::

    from rotation.notebook import record

    record("breakouts.study", study)          # any object with .to_record(): result objects, verdicts
    record("sample", {"start": rets.index[0], "months": len(rets)})

The value is converted to plain JSON (:func:`rotation.outputs.to_jsonable`) and kept as an
output of the cell (:func:`rotation.outputs.keep`): ``rotation run`` writes ``results.json``
from the executed notebook and ``rotation results out.ipynb`` prints it.
"""

from __future__ import annotations

import re
from typing import Any

from rotation.errors import ParameterError
from rotation.outputs import keep, to_jsonable

__all__ = ["record"]

_NAME_RE = re.compile(r"[A-Za-z0-9_.\-]+")


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise ParameterError(f"record(): the name must be a non-empty string, got {name!r} ({type(name).__name__})")
    if not _NAME_RE.fullmatch(name):
        raise ParameterError(
            f"record(): invalid name {name!r}; use letters, digits, '_', '.' and '-' only "
            "(e.g. 'breakouts.n_episodes')"
        )
    return name


def record(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` in the notebook's outputs (and in memory).

    Parameters
    ----------
    name : str
        Flat key; letters, digits, ``_``, ``.`` and ``-`` (dots group related numbers,
        e.g. ``"breakouts.n_episodes"``).  Recording a name again replaces the value.
    value
        None, bool, int, float, str, numpy scalar or array, date/datetime/pandas
        Timestamp, pandas Series, a dict/list/tuple of those, or any object with a
        ``.to_record()`` method (result objects, verdicts).  NaN and inf are stored as
        ``null``; dates as ``"YYYY-MM-DD"`` (full ISO when they carry a time).

    Returns
    -------
    None
        Nothing, so a cell ending in ``record(...)`` shows no ``Out[]``.

    Raises
    ------
    ParameterError
        The name is invalid or the value has an unsupported type.
    """
    key = _check_name(name)
    converted = to_jsonable(value, key)
    keep(key, converted)
