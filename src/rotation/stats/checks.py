"""Input checks shared by the ``rotation`` analysis modules (internal).

Each check raises :class:`rotation.errors.ParameterError` with a message naming the
argument, the rule, the value received and (where there is one) the fix. They are
private to the package: analysis modules import them from here, notebooks never
need them.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import pandas as pd

from rotation.errors import ParameterError

__all__: list[str] = []


def check_pandas(x: object, name: str, *, allow_frame: bool = True) -> None:
    """Raise unless ``x`` is a Series (or DataFrame) with a sorted, unique index."""
    allowed: tuple[type, ...] = (pd.Series, pd.DataFrame) if allow_frame else (pd.Series,)
    if not isinstance(x, allowed):
        kinds = "a pandas Series or DataFrame" if allow_frame else "a pandas Series"
        raise ParameterError(f"{name} must be {kinds}; got {type(x).__name__}")
    idx = x.index
    if not idx.is_unique:
        dup = idx[idx.duplicated()][0]
        raise ParameterError(f"{name} must have a unique index; got duplicate label {dup!r}")
    if not idx.is_monotonic_increasing:
        raise ParameterError(f"{name} must have an increasing (sorted) index; sort it with .sort_index()")
    try:
        values = x.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must hold numeric values; got dtype(s) "
                             f"{x.dtypes if isinstance(x, pd.DataFrame) else x.dtype}") from exc
    if np.isinf(values).any():
        raise ParameterError(f"{name} must not contain infinite values; got inf")


def check_returns(x: object, name: str, *, allow_frame: bool = True) -> None:
    """Raise unless ``x`` holds decimal simple returns (> -1, NaN allowed)."""
    check_pandas(x, name, allow_frame=allow_frame)
    assert isinstance(x, (pd.Series, pd.DataFrame))
    values = x.to_numpy(dtype=float, na_value=np.nan)
    bad = values <= -1.0
    if bad.any():
        raise ParameterError(
            f"{name} must be decimal simple returns greater than -1 (-100%); got {float(values[bad].ravel()[0])!r}"
        )


def check_positive_levels(x: object, name: str, *, allow_frame: bool = True) -> None:
    """Raise unless ``x`` holds positive levels (NaN allowed)."""
    check_pandas(x, name, allow_frame=allow_frame)
    assert isinstance(x, (pd.Series, pd.DataFrame))
    values = x.to_numpy(dtype=float, na_value=np.nan)
    bad = values <= 0.0
    if bad.any():
        raise ParameterError(f"{name} must be positive price/wealth levels; got {float(values[bad].ravel()[0])!r}")


def _shown(value: object) -> object:
    """Numpy scalars shown as plain Python values in error messages."""
    return value.item() if isinstance(value, np.generic) else value


def check_int(value: object, name: str, *, minimum: int, maximum: int | None = None) -> int:
    """Return ``value`` as int; raise unless it is an integer >= ``minimum`` (and <= ``maximum`` if given)."""
    value = _shown(value)
    rule = f"an integer >= {minimum}" if maximum is None else f"a whole number from {minimum} to {maximum}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ParameterError(f"{name} must be {rule}; got {value!r}")
    if int(value) < minimum or (maximum is not None and int(value) > maximum):
        raise ParameterError(f"{name} must be {rule}; got {value!r}")
    return int(value)


def check_real(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as float; raise unless it is a finite real number in the stated interval."""
    value = _shown(value)
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ParameterError(f"{name} must be a finite number; got {value!r}")
    v = float(value)
    lo_txt = "" if low is None else ("> " if low_open else ">= ") + f"{low:g}"
    hi_txt = "" if high is None else ("< " if high_open else "<= ") + f"{high:g}"
    rule = " and ".join(t for t in (lo_txt, hi_txt) if t)
    if low is not None and (v <= low if low_open else v < low):
        raise ParameterError(f"{name} must be {rule}; got {value!r}")
    if high is not None and (v >= high if high_open else v > high):
        raise ParameterError(f"{name} must be {rule}; got {value!r}")
    return v


def check_choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` as str; raise unless it is one of ``choices``."""
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")
    return str(value)


def check_events(events: object, index: pd.Index, name: str = "events") -> np.ndarray:
    """Integer positions (in ``index``) of the True entries of a boolean Series."""
    if not isinstance(events, pd.Series):
        raise ParameterError(f"{name} must be a boolean pandas Series; got {type(events).__name__}")
    if not pd.api.types.is_bool_dtype(events.dtype) or events.isna().any():
        raise ParameterError(f"{name} must be a boolean Series without NA; got dtype {events.dtype}")
    dates = events.index[events.to_numpy(dtype=bool)]
    missing = dates.difference(index)
    if len(missing):
        raise ParameterError(f"{name} has True dates not in the data's index; first is {missing[0]!r}")
    return np.sort(index.get_indexer(dates))
