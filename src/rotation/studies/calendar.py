"""The month of the year: the calendar of relative returns and the January effect.

The studies of notebook 04's monthly questions, each one call returning a result object that
records itself and says what it found in a sentence (:meth:`~rotation.stats.results.Estimates.describe`):

* :func:`month_of_year_study` -- the mean small-minus-large return in each calendar month (HAC), a
  joint test that all twelve are equal, and the year-by-month grid behind it;
* :func:`era_bounds` -- eras from their boundary dates (before and after the effect was published), each
  month in one era (:mod:`rotation.studies.eras`, the one place eras are cut);
* :func:`january_study` -- January minus the other months, by era, for several small/large pairs;
* :func:`rolling_january` -- the January effect over a rolling window of years, against a cost;
* :func:`window_split` -- the wider year-end window cut into its last month (January) and the months
  before it (November-December), each against other windows of the same length: is the window January?

Conventions as in :mod:`rotation.studies.seasonality`: monthly decimal returns stamped at the month
end; small-minus-large returns are ``(1+small)/(1+large)-1``
(:func:`rotation.studies.returns.relative_returns`). A calendar month is known in advance, so none
of these uses future data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_real
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units, format_p
from rotation.studies.eras import era_bounds
from rotation.studies.returns import relative_returns
from rotation.studies.seasonality import (
    MONTHS,
    by_era,
    calendar_windows,
    month_of_year_means,
    rolling_month_effect,
)
from rotation.studies.year_end import window_study, windows_by_era

__all__ = ["month_of_year_study", "era_bounds", "january_study", "rolling_january", "window_split"]

_NAN = float("nan")


def _p(p: float) -> str:
    return format_p(p)


def month_of_year_study(returns: pd.Series, maxlags: int = 12, alpha: float = 0.05) -> Estimates:
    """Mean relative return by calendar month with HAC errors, a joint test, and the grid behind them.

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal returns (small minus large caps), month-end dates.
    maxlags : int, default 12
        Newey-West lags (:func:`rotation.studies.seasonality.month_of_year_means`).
    alpha : float, default 0.05

    Returns
    -------
    Estimates
        :func:`~rotation.studies.seasonality.month_of_year_means` (rows ``Jan..Dec``;
        ``extra["joint_test"]``: the Wald test that all twelve means are equal), with ``.data`` = the
        returns as a grid (rows ``Jan..Dec``, one column per year; NaN where a month is missing) and a
        sentence naming the strongest and weakest months and the joint test.
    """
    if not isinstance(returns, pd.Series) or not isinstance(returns.index, pd.DatetimeIndex):
        raise ParameterError(f"returns must be a pandas Series with a DatetimeIndex (month ends); "
                             f"got {type(returns).__name__}")
    est = month_of_year_means(returns, maxlags=maxlags, alpha=alpha)
    grid = (returns.to_frame("r").assign(year=returns.index.year, month=returns.index.month)
            .pivot(index="month", columns="year", values="r").reindex(range(1, 13)))
    grid.index = list(MONTHS)
    t, u = est.table, est.units
    best, worst = t["estimate"].idxmax(), t["estimate"].idxmin()
    joint = est.extra["joint_test"]
    y = returns.dropna()
    sentence = (f"Small minus large caps, {y.index[0]:%Y-%m} to {y.index[-1]:%Y-%m}: the strongest calendar month is "
                f"{best} ({u.format(t.loc[best, 'estimate'])} per month on average, 95% CI "
                f"{u.interval(t.loc[best, 'ci_lower'], t.loc[best, 'ci_upper'])}; small caps ahead in "
                f"{t.loc[best, 'share_positive']:.0%} of years), the weakest {worst} "
                f"({u.format(t.loc[worst, 'estimate'])}, 95% CI "
                f"{u.interval(t.loc[worst, 'ci_lower'], t.loc[worst, 'ci_upper'])}). A joint test that all twelve "
                f"monthly means are equal gives {format_p(joint['p_value'])} (Wald, HAC covariance, "
                f"{int(maxlags)} lags).")
    return dataclasses.replace(est, data=grid, sentence=sentence)


def january_study(monthly: Mapping[str, pd.DataFrame], eras: Mapping[str, tuple[str | None, str | None]],
                  maxlags: int = 12, alpha: float = 0.05) -> Estimates:
    """January minus the other months, on the full sample and by era, for each small/large pair.

    For each pair: ``relative = a + b * January + e`` on monthly small-minus-large returns with HAC
    errors (:func:`rotation.studies.seasonality.by_era`); ``b`` is January's mean minus the other
    months' mean. The same in each era (eras with fewer than 24 months are left out).

    Parameters
    ----------
    monthly : mapping of str to pd.DataFrame
        ``{pair name: monthly returns with columns small and large}`` (:func:`rotation.data.small_large`),
        in the order the table shows them (e.g. the notebook's proxy, the second proxy, the
        equal-weighted and the smallest-decile portfolios).
    eras : mapping
        ``{label: (first, last)}`` (:func:`era_bounds`).
    maxlags : int, default 12
        Newey-West lags.
    alpha : float, default 0.05

    Returns
    -------
    Estimates
        Rows (``proxy``, ``sample``): ``"full sample"`` then the eras; the vocabulary plus ``n_dummy``
        (Januaries) and ``mean_other`` (the other months' mean). The sentence gives the full sample
        and the latest era of each pair.
    """
    if not isinstance(monthly, Mapping) or not monthly:
        raise ParameterError(f"monthly must be a non-empty mapping of pair name -> monthly returns; got {monthly!r}")
    parts = {}
    for name, m in monthly.items():
        if not isinstance(m, pd.DataFrame) or not {"small", "large"} <= set(m.columns):
            raise ParameterError(f"monthly[{name!r}] must be a DataFrame with columns small and large")
        r = relative_returns(m["small"], m["large"])
        parts[name] = by_era(r, pd.Series((r.index.month == 1).astype(float), index=r.index), dict(eras),
                             maxlags=maxlags, alpha=alpha)
    first = next(iter(parts.values()))
    table = pd.concat({name: p.table for name, p in parts.items()}, names=["proxy"])
    u = first.units

    def words(name: str) -> str:
        rows = parts[name].table
        last = rows.index[-1]
        full = rows.loc["full sample"]
        text = f"{name} {u.format(full['estimate'])} over the full sample ({_p(full['p_value'])})"
        if last != "full sample":
            text += f" and {u.format(rows.loc[last, 'estimate'])} in {last} ({_p(rows.loc[last, 'p_value'])})"
        return text

    sentence = (f"January minus the other months, small minus large caps, per month: {'; '.join(map(words, parts))} "
                f"(HAC, {int(maxlags)} lags).")
    return Estimates(table, first.method, u, first.title, sentence=sentence)


def rolling_january(monthly: pd.Series, years: int = 20, cost: float = 0.005) -> Estimates:
    """The January effect over a rolling window of years, against an assumed round-trip cost.

    Each year contributes its January return minus the mean of its other months; the rolling mean
    over ``years`` years (:func:`rotation.studies.seasonality.rolling_month_effect`) is what a
    switch into small caps for January earned, on average, over the window ending that year.

    Parameters
    ----------
    monthly : pd.Series
        Monthly decimal relative returns (small minus large), month-end dates.
    years : int, default 20
        Years in the rolling window (2 to 200).
    cost : float, default 0.005
        Assumed round-trip cost of switching into and out of small caps (decimal, >= 0).

    Returns
    -------
    Estimates
        One row ``"latest"``: ``estimate`` = the mean over the latest ``years`` years, ``nobs`` =
        ``years``. ``extra``: ``share_above_cost`` (share of all rolling windows whose mean exceeded
        ``cost``), ``cost``, ``first_year`` and ``last_year`` (the last years of the first and latest
        windows). ``.data``: the rolling mean, dated at the end of each window's last year.
    """
    n = check_int(years, "years", minimum=2, maximum=200)
    c = check_real(cost, "cost", low=0.0)
    roll = rolling_month_effect(monthly, n, month=1)
    if roll.empty:
        raise ParameterError(f"monthly covers fewer than years={n} complete years; shorten years or widen the sample")
    dated = roll.copy()
    dated.index = pd.to_datetime(roll.index.astype(str) + "-12-31")
    latest = float(roll.iloc[-1])
    share = float((dated > c).mean())
    table = pd.DataFrame([{"estimate": latest, "std_err": _NAN, "t": _NAN, "p_value": _NAN, "ci_lower": _NAN,
                           "ci_upper": _NAN, "nobs": n}], index=pd.Index(["latest"], name="window"))
    units = Units.returns(f"decimal relative return per month, January minus other months, mean over {n} years")
    first_year, last_year = int(roll.index[0]), int(roll.index[-1])
    sentence = (f"January minus the other months, averaged over the latest {n} years "
                f"({last_year - n + 1}-{last_year}): "
                f"{units.format(latest)} per month, against an assumed round-trip cost of {c:.1%}. The {n}-year "
                f"average was above that cost in {share:.0%} of the {len(roll)} windows ending {first_year} to "
                f"{last_year}.")
    return Estimates(table, Method(kind="descriptive", note=f"rolling mean over {n} years of January minus the "
                                                            "mean of the other months"),
                     units, "Rolling January effect (latest window)",
                     extra={"share_above_cost": share, "cost": c, "first_year": first_year, "last_year": last_year},
                     data=dated.rename("January minus other months").to_frame(), sentence=sentence)


def _span(first: int, last: int) -> str:
    return MONTHS[first - 1] if first == last else f"{MONTHS[first - 1]}-{MONTHS[last - 1]}"


def window_split(daily: pd.DataFrame, *, start_month: int = 11, end_month: int = 1,
                 eras: Mapping[str, tuple[str | None, str | None]] | None = None, reps: int = 2000,
                 seed: int = 0) -> Estimates:
    """The wider year-end window cut in two: the months before its last one, and its last month alone.

    The November-January window (:func:`rotation.studies.year_end.seasonal_windows`) holds January, the
    month of :func:`january_study`. Each part (November-December; January) is compared with every
    other window of its own length (:func:`rotation.studies.year_end.window_study`, the relative
    column alone, iid bootstrap over years), in the whole sample and in each era (windows by their
    January, :func:`rotation.studies.eras.era_of_years`): if the window's edge is January's, the
    first part shows none.

    Parameters
    ----------
    daily : pd.DataFrame
        Daily returns with a ``relative`` column (:func:`rotation.studies.year_end.with_relative`).
    start_month, end_month : int
        The wider window (11 and 1); they must differ (a one-month window has no part before its last).
    eras : mapping, optional
        ``{label: (first, last)}`` (:func:`era_bounds`); None: the whole sample only.
    reps, seed : int
        The bootstrap (each part seeded with ``seed``, as the relative column alone).

    Returns
    -------
    Estimates
        Rows (``window``, ``sample``): ``"Nov-Dec"`` and ``"Jan"`` (for the default months), each with
        ``"full sample"`` then the eras; the columns of :func:`~rotation.studies.year_end.window_study`
        (``share_positive``: years in which small caps were ahead over the part). The sentence gives
        both parts over the whole sample.
    """
    if not isinstance(daily, pd.DataFrame) or "relative" not in daily.columns:
        raise ParameterError("daily must be a DataFrame with a relative column (year_end.with_relative(daily))")
    first, last = (check_int(m, name, minimum=1, maximum=12) for m, name in ((start_month, "start_month"),
                                                                              (end_month, "end_month")))
    if first == last:
        raise ParameterError(f"start_month and end_month must differ to split the window; got {first} and {last}")
    before = (last - 2) % 12 + 1  # the month before the last
    frame = daily[["relative"]]
    parts = {_span(first, before): calendar_windows(frame.index, first, before),
             _span(last, last): calendar_windows(frame.index, last, last)}
    studied = {label: window_study(frame, wins, reps=reps, seed=seed) for label, wins in parts.items()}
    rows = {(label, "full sample"): res.row("relative") for label, res in studied.items()}
    like = next(iter(studied.values()))
    if eras:
        rows.update(dict(windows_by_era(daily, parts, eras, reps, seed, like).table.iterrows()))
    order = [(w, s) for w in parts for s in ["full sample", *(eras or {})] if (w, s) in rows]
    table = pd.DataFrame([rows[k] for k in order], index=pd.MultiIndex.from_tuples(order, names=["window", "sample"]))
    table = table.astype(float).astype({"nobs": int})
    units = Units.returns("decimal relative return over the window minus other windows of the same length")
    head, tail = (table.loc[(w, "full sample")] for w in parts)

    def said(label: str, r: pd.Series) -> str:
        return (f"{label} alone {units.format(r['estimate'])} (95% CI {units.interval(r['ci_lower'], r['ci_upper'])}; "
                f"small caps ahead in {r['share_positive']:.0%} of {int(r['nobs'])} years, mean window return "
                f"{units.format(r['mean_window'])})")

    a, b = parts
    sentence = (f"The {_span(first, last)} window in two parts, each against all other windows of its length: "
                f"{said(a, head)}; {said(b, tail)}.")
    return Estimates(table, like.method, units, f"{_span(first, last)} window: {a} and {b} apart", sentence=sentence)
