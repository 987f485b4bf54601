"""Betas of relative returns on a factor: sub-period slopes stacked into one table, rolling betas summed up.

Shared by the dollar (:mod:`rotation.studies.dollar`) and rates (:mod:`rotation.studies.rates`) studies:

* :func:`split_periods`, :func:`decade_periods` -- sub-periods around a split date and by decade;
* :func:`slopes` -- the factor rows of several :func:`rotation.stats.regressions.sensitivity_table`
  results (one regression per series, per factor or per measure), stacked into one result;
* :func:`rolling_summary` -- trailing-window HAC betas (:func:`rotation.stats.regressions.rolling_hac_betas`)
  summed up by their latest value, its place in their own history and how often the band excluded zero;
* :func:`interval_phrase` -- an estimate and its interval in words, as the study sentences write them.

Conventions as in :mod:`rotation.stats.regressions`: a value stamped ``t`` is known at the close of ``t``,
every standard error is HAC (Newey-West, Bartlett kernel) with its lags reported.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.regressions import rolling_hac_betas
from rotation.stats.results import VOCABULARY, Estimates, Method
from rotation.stats.units import Units
from rotation.studies.returns import percentile_of_last

__all__ = ["split_periods", "decade_periods", "slopes", "rolling_summary", "interval_phrase", "ROLLING_COLUMNS"]

#: The descriptive columns :func:`rolling_summary` adds to the vocabulary, in order.
ROLLING_COLUMNS: tuple[str, ...] = ("date", "window", "maxlags", "percentile", "share_negative",
                                    "share_significant_negative", "share_significant_positive", "min", "max")


def split_periods(split_date: str) -> dict[str, tuple[str | None, str | None]]:
    """The full sample, and before and from a split date, as sub-periods of a regression.

    Parameters
    ----------
    split_date : str
        A date (``"2008-01-01"``); the second period starts on it.

    Returns
    -------
    dict
        ``{"full sample": (None, None), "before YYYY-MM": (None, day before), "YYYY-MM on": (split_date, None)}``
        (inclusive bounds, as :func:`rotation.stats.regressions.sensitivity_table` takes them).
    """
    try:
        split = pd.Timestamp(split_date)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"split_date must be a date like '2008-01-01'; got {split_date!r}") from exc
    if pd.isna(split):
        raise ParameterError(f"split_date must be a date like '2008-01-01'; got {split_date!r}")
    return {"full sample": (None, None),
            f"before {split:%Y-%m}": (None, (split - pd.Timedelta(days=1)).strftime("%Y-%m-%d")),
            f"{split:%Y-%m} on": (split_date, None)}


def decade_periods(index: pd.DatetimeIndex, split_date: str) -> dict[str, tuple[str | None, str | None]]:
    """Sub-periods by decade and around a split date.

    Parameters
    ----------
    index : pd.DatetimeIndex
        The sample's dates (non-empty): the decades from its first to its last year.
    split_date : str
        As in :func:`split_periods`.

    Returns
    -------
    dict
        ``{"full sample", "1970s", ..., "before YYYY-MM", "YYYY-MM on"}`` as ``(start, end)`` bounds, in that order.
    """
    if not isinstance(index, pd.DatetimeIndex) or len(index) == 0:
        raise ParameterError(f"index must be a non-empty DatetimeIndex; got {index!r:.80}")
    years = range(index[0].year // 10 * 10, index[-1].year + 1, 10)
    full, before, after = split_periods(split_date).items()
    return {full[0]: full[1], **{f"{d}s": (f"{d}-01-01", f"{d + 9}-12-31") for d in years}, before[0]: before[1],
            after[0]: after[1]}


def slopes(fits: Mapping[Hashable, Estimates], names: Sequence[str], *, units: Units, title: str) -> Estimates:
    """The non-constant rows of several sub-period regressions, stacked into one result.

    Parameters
    ----------
    fits : mapping
        ``{key: result}`` of :func:`rotation.stats.regressions.sensitivity_table` results (rows
        ``(period, term)``), each with one regressor besides the constant; a key may be a tuple.
    names : sequence of str
        Names of the key's levels (``["factor"]``, ``["frequency", "dollar measure"]``).
    units : Units
    title : str
        Stored on the result.

    Returns
    -------
    Estimates
        Rows ``(*key, period)``: the slope of each regression in each period, with the columns of
        ``sensitivity_table`` (vocabulary, ``rsquared``, ``maxlags``, ``start``, ``end``); the method of
        the first fit (the same HAC rule for all).
    """
    if not fits:
        raise ParameterError("fits must hold at least one sensitivity_table result; got none")
    bad = [k for k, f in fits.items() if not isinstance(f, Estimates) or f.table.index.names[-1] != "term"]
    if bad:
        raise ParameterError(f"fits must be sensitivity_table results (rows period, term); {bad} are not")
    table = pd.concat({k: f.table for k, f in fits.items()}, names=list(names))
    table = table[table.index.get_level_values("term") != "const"].droplevel("term")
    return Estimates(table, next(iter(fits.values())).method, units, title)


def _latest_row(rolling: Estimates, window: int, series: pd.DataFrame) -> dict[str, object]:
    """The last window with an estimate, and where it stands in the history of ``series`` (valid windows)."""
    last = series.iloc[-1]
    est = series["estimate"]
    return {**{c: last[c] for c in VOCABULARY}, "date": series.index[-1], "window": window,
            "maxlags": rolling.method.lags, "percentile": percentile_of_last(est),
            "share_negative": float((est < 0).mean()),
            "share_significant_negative": float((series["ci_upper"] < 0).mean()),
            "share_significant_positive": float((series["ci_lower"] > 0).mean()),
            "min": float(est.min()), "max": float(est.max())}


def rolling_summary(specs: Mapping[str, tuple[pd.Series, pd.Series, int]], *, units: Units, title: str) -> Estimates:
    """Trailing-window betas of ``y`` on one regressor ``x``, summed up by their latest value.

    Parameters
    ----------
    specs : mapping
        ``{label: (y, x, window)}``: a dependent series (decimal returns), one regressor stamped like it
        (its name is the term) and the window in rows of ``y``'s index (>= 3). Each is passed to
        :func:`rotation.stats.regressions.rolling_hac_betas` (HAC lags by the Newey-West rule on the window).
    units : Units
    title : str
        Stored on the result.

    Returns
    -------
    Estimates
        One row per label: the vocabulary of the **latest window with an estimate** (known at its
        ``date``: the window ends there), then ``date``, ``window``, ``maxlags``, ``percentile`` (share of
        all windows' estimates at or below the latest, :func:`rotation.studies.returns.percentile_of_last`),
        ``share_negative`` (windows with a negative estimate), ``share_significant_negative`` /
        ``share_significant_positive`` (windows whose band lies wholly below / above zero), ``min`` and
        ``max``. ``.data``: the windows with an estimate, columns ``(label, estimate | ci_lower | ci_upper)``
        on the union of the dates.
    """
    if not specs:
        raise ParameterError("specs must hold at least one (y, x, window); got none")
    rows, bands, lags = {}, {}, set()
    for label, spec in specs.items():
        if not isinstance(spec, tuple) or len(spec) != 3:
            raise ParameterError(f"specs[{label!r}] must be a (y, x, window) tuple; got {spec!r:.80}")
        y, x, window = spec
        w = check_int(window, f"specs[{label!r}] window", minimum=3)
        fit = rolling_hac_betas(y, x, w)
        valid = fit.table.loc[str(x.name)].dropna(subset=["estimate"])
        if valid.empty:
            raise ParameterError(f"specs[{label!r}]: no window of {w} rows has an estimate ({len(y)} rows of y)")
        rows[label] = _latest_row(fit, w, valid)
        bands[label] = valid[["estimate", "ci_lower", "ci_upper"]]
        lags.add(fit.method.lags)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table = table.astype({c: float for c in VOCABULARY if c != "nobs"}).astype({"nobs": int, "window": int,
                                                                                  "maxlags": int})
    table.index.name = "beta"
    method = Method(kind="HAC", cov_type="HAC", lags=lags.pop() if len(lags) == 1 else None,
                    lag_rule="Newey-West rule on the window length (column maxlags)",
                    note="trailing windows; the row is the latest window with an estimate")
    return Estimates(table, method, units, title, data=pd.concat(bands, axis=1, sort=True))


def interval_phrase(units: Units, estimate: float, lower: float, upper: float, *, digits: int = 1,
                    level: float = 0.95) -> str:
    """An estimate and its interval in words, for a study's sentence.

    Parameters
    ----------
    units : Units
        How the numbers read (:meth:`rotation.stats.units.Units.format`).
    estimate, lower, upper : float
        The estimate and its interval; a missing (NaN) bound means no interval.
    digits : int
        Decimals of returns and shares (significant digits of other numbers).
    level : float
        The interval's level, as written.

    Returns
    -------
    str
        ``"+1.2% (95% CI -0.4% to +3.0%; not significant)"`` (significant when the interval excludes 0), or
        ``"+1.2% (too few observations for an interval)"``.
    """
    text = units.format(estimate, digits=digits)
    if any(v is None or not math.isfinite(float(v)) for v in (lower, upper)):
        return f"{text} (too few observations for an interval)"
    verdict = "significant" if (lower > 0 or upper < 0) else "not significant"
    return (f"{text} ({level:.0%} CI {units.format(lower, digits=digits)} to {units.format(upper, digits=digits)}; "
            f"{verdict})")
