"""Eras: every month, every day and every year-end window in exactly one era.

The one place where a sample is cut into eras (notebook 04: before the January effect was published,
the 1980s-90s, since 2000). Each era is an inclusive date range ``(first, last)``; consecutive eras
share no day: an era ends on its boundary date and the next starts the day after. Monthly returns
are stamped at the month end, so boundaries are month ends and no month is split.

* :func:`era_bounds` -- the eras from their boundary dates, labelled by their years;
* :func:`era_of_dates` -- the era of each date (a day, or a month stamped at its end);
* :func:`era_of_years` -- the era of each year-end window, by its January (the window indexed 2000,
  November 1999 to January 2000, belongs to the era that holds January 2000);
* :func:`split_by_era` -- a series cut into its eras.

A date in two eras raises (overlapping bounds); a date in none gets no label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from rotation.errors import ParameterError

__all__ = ["Eras", "era_bounds", "era_of_dates", "era_of_years", "split_by_era"]

#: ``{label: (first, last)}``: inclusive date bounds (``YYYY-MM-DD``), None for an open end.
Eras = Mapping[str, tuple[str | None, str | None]]


def era_bounds(breaks: Sequence[str], index: pd.DatetimeIndex) -> dict[str, tuple[str | None, str | None]]:
    """Eras between boundary dates, labelled by their years: ``{"1926-1981": (None, "1981-12-31"), ...}``.

    Parameters
    ----------
    breaks : sequence of str
        Era boundaries (``YYYY-MM-DD``, increasing month ends); each is the last day of an era.
    index : pd.DatetimeIndex
        The sample's dates: the first era starts at ``index[0]`` (its year labels it), the last
        runs to the end (labelled ``now``).

    Returns
    -------
    dict
        ``{label: (first, last)}`` with inclusive bounds (None: open). An era after a boundary
        starts the day after it (``"1981-12-31"`` -> ``("1982-01-01", ...)``, labelled ``"1982-..."``),
        so no date is in two eras.
    """
    if isinstance(breaks, str):
        raise ParameterError(f"breaks must be a list of dates (YYYY-MM-DD); got the string {breaks!r}")
    try:
        stamps = [pd.Timestamp(b) for b in breaks]
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"breaks must be dates (YYYY-MM-DD); got {list(breaks)!r}") from exc
    if any(b <= a for a, b in zip(stamps, stamps[1:], strict=False)):
        raise ParameterError(f"breaks must be increasing dates; got {list(breaks)!r}")
    not_month_end = [f"{b:%Y-%m-%d}" for b in stamps if not b.is_month_end]
    if not_month_end:
        raise ParameterError(f"breaks must be month ends (the last day of an era, so no month is split between "
                             f"two eras); got {not_month_end}, e.g. use {stamps[0] + pd.offsets.MonthEnd(0):%Y-%m-%d}")
    if not isinstance(index, pd.DatetimeIndex) or len(index) == 0:
        raise ParameterError("index must be a non-empty DatetimeIndex (the sample's dates)")
    firsts = [None, *(f"{b + pd.Timedelta(days=1):%Y-%m-%d}" for b in stamps)]
    lasts = [*(f"{b:%Y-%m-%d}" for b in stamps), None]
    return {f"{index[0].year if a is None else pd.Timestamp(a).year}-{'now' if b is None else pd.Timestamp(b).year}":
            (a, b) for a, b in zip(firsts, lasts, strict=True)}


def _masks(index: pd.DatetimeIndex, eras: Eras) -> dict[str, np.ndarray]:
    if not isinstance(eras, Mapping):
        raise ParameterError(f"eras must be a mapping {{label: (first, last)}} (era_bounds); got {eras!r:.80}")
    out = {}
    for label, bounds in eras.items():
        if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
            raise ParameterError(f"eras[{label!r}] must be (first, last) dates (None: open); got {bounds!r}")
        a, b = bounds
        mask = np.ones(len(index), dtype=bool)
        if a is not None:
            mask &= np.asarray(index >= pd.Timestamp(a))
        if b is not None:
            mask &= np.asarray(index <= pd.Timestamp(b))
        out[str(label)] = mask
    return out


def era_of_dates(index: Iterable[object], eras: Eras) -> pd.Series:
    """The era of each date: ``label``, or None for a date no era holds.

    Parameters
    ----------
    index : dates
        Days, or months stamped at their end.
    eras : mapping
        ``{label: (first, last)}`` inclusive bounds (:func:`era_bounds`).

    Returns
    -------
    pd.Series
        Indexed by the dates, named ``"era"`` (object dtype).

    Raises
    ------
    ParameterError
        When a date falls in two eras (bounds that overlap, e.g. a boundary used as the end of one era
        and the start of the next).
    """
    idx = pd.DatetimeIndex(pd.to_datetime(list(index)) if not isinstance(index, pd.DatetimeIndex) else index)
    masks = _masks(idx, eras)
    counts = np.sum(list(masks.values()), axis=0) if masks else np.zeros(len(idx), dtype=int)
    if (counts > 1).any():
        twice = idx[counts > 1]
        raise ParameterError(f"eras overlap: {len(twice)} date(s) fall in two eras (first {twice[0]:%Y-%m-%d}); an "
                             f"era must start the day after the previous one ends (era_bounds); got {dict(eras)!r}")
    out = np.full(len(idx), None, dtype=object)
    for label, mask in masks.items():
        out[mask] = label
    return pd.Series(out, index=idx, name="era", dtype=object)


def era_of_years(years: Iterable[int], eras: Eras) -> pd.Series:
    """The era of each year-end window, by its January (the end of January of the window's year).

    Parameters
    ----------
    years : iterable of int
        Window years (the index of :func:`rotation.studies.seasonality.year_end_windows` and
        :func:`~rotation.studies.seasonality.calendar_windows`: the year of the window's January).
    eras : mapping
        As :func:`era_of_dates`.

    Returns
    -------
    pd.Series
        Indexed by the years (name ``"year"``), named ``"era"``.
    """
    ys = [int(y) for y in years]
    januaries = pd.DatetimeIndex([pd.Timestamp(y, 1, 31) for y in ys])
    labels = era_of_dates(januaries, eras)
    return pd.Series(labels.to_numpy(), index=pd.Index(ys, name="year"), name="era", dtype=object)


def split_by_era(series: pd.Series, eras: Eras) -> dict[str, pd.Series]:
    """``{label: the part of series in that era}``, in the eras' order (an era with no date is empty)."""
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise ParameterError(f"series must be a pandas Series with a DatetimeIndex; got {type(series).__name__}")
    labels = era_of_dates(series.index, eras).to_numpy()
    return {label: series[labels == label] for label in eras}
