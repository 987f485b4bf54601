"""Beyond the United States: the tests of the claims about small caps in general, on each region's size spread.

The Kenneth R. French Data Library's international files give each region's SMB (small minus big), monthly from
1990-07 (Emerging from 1992-07), in US dollars (:mod:`rotation.data.regions` says what the regional SMB is: the
average of the small portfolios minus the average of the big ones, big = the top 90% of the region's market value;
not the US bottom-30/top-30 pair). SMB is already a long-short return, so it is the relative return here.

Each table has ``includes_us``: the region holds the United States (Developed, North America), so it is not
independent of the US evidence. Each function takes ``{region label: the region's monthly factor table}``
(decimal returns, month-end dates, the columns as published: ``Mkt-RF``, ``SMB``, ``HML`` [, ``RMW``, ``CMA``],
``RF``) and runs one US test on each region, on the region's own sample:

* :func:`january_abroad` -- January minus the other months, HAC, on the full sample and by era;
* :func:`window_abroad` -- the November-January window minus all other windows of the same length, bootstrap over
  years (:func:`rotation.studies.year_end.window_study`, as notebook 04 runs it on US data);
* :func:`alpha_abroad` -- SMB's intercept after the region's market and value factors (and profitability and
  investment where the file has them), HAC;
* :func:`international_study` -- the three, as one :class:`~rotation.stats.results.Results`.

A calendar month is known in advance and every regression is contemporaneous, so none of these uses future data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from rotation.data.regions import REGIONS
from rotation.errors import ParameterError
from rotation.stats.results import Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies.eras import era_bounds
from rotation.studies.seasonality import by_era, calendar_windows, year_end_windows
from rotation.studies.valuation import factor_alphas
from rotation.studies.year_end import window_study

__all__ = ["smb", "january_abroad", "window_abroad", "daily_windows_abroad", "alpha_abroad", "international_study",
           "overview", "CONTROLS"]

#: The controls of :func:`alpha_abroad`, in the order they enter when a region's file has them.
CONTROLS: tuple[str, ...] = ("Mkt-RF", "HML", "RMW", "CMA")


def _checked(factors: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    if not isinstance(factors, Mapping) or not factors:
        raise ParameterError("factors must be a non-empty mapping of region label -> monthly factor table "
                             f"(rotation.data.regions.regional_factors); got {type(factors).__name__}")
    out = {}
    for name, f in factors.items():
        if not isinstance(f, pd.DataFrame) or "SMB" not in f or not isinstance(f.index, pd.DatetimeIndex):
            raise ParameterError(f"factors[{name!r}] must be a DataFrame with a date index and an 'SMB' column "
                                 f"(rotation.data.regions.regional_factors); got {type(f).__name__}")
        out[str(name)] = f.dropna(subset=["SMB"])
    return out


def _with_us_flag(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``includes_us``: the row's region holds the United States (:attr:`Region.includes_us`)."""
    holds_us = {r.label: r.includes_us for r in REGIONS.values()}
    regions = table.index.get_level_values("region")
    return table.assign(includes_us=[bool(holds_us.get(str(r), False)) for r in regions])


def smb(factors: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Each region's SMB as one column (the union of the dates; NaN where a region has no data)."""
    return pd.DataFrame({name: f["SMB"] for name, f in _checked(factors).items()})


def january_abroad(factors: Mapping[str, pd.DataFrame], *, era_break: str = "2007-12-31", maxlags: int = 12,
                   alpha: float = 0.05) -> Estimates:
    """January minus the other months of each region's SMB: ``SMB = a + b * January + e``, HAC errors.

    Rows (``region``, ``sample``): ``"full sample"`` then two eras split after ``era_break`` (the second begins
    with the global financial crisis); ``b`` is the estimate. Columns: the project's vocabulary plus
    ``n_dummy`` (Januaries) and ``mean_other``.
    """
    parts = {}
    for name, f in _checked(factors).items():
        r = f["SMB"]
        parts[name] = by_era(r, pd.Series((r.index.month == 1).astype(float), index=r.index),
                             era_bounds([era_break], r.index), maxlags=maxlags, alpha=alpha)
    table = _with_us_flag(pd.concat({name: p.table for name, p in parts.items()}, names=["region"]))
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=int(maxlags), alpha=alpha),
                     units=Units.returns("decimal SMB return per month, January minus other months"),
                     title="January minus other months, each region's SMB")


def window_abroad(factors: Mapping[str, pd.DataFrame], *, start_month: int = 11, end_month: int = 1,
                  reps: int = 2000, seed: int = 0, alpha: float = 0.05) -> Estimates:
    """Each region's SMB over the ``start_month``-``end_month`` window (compounded) minus the other windows of the
    same length ending in the 12 months up to it, averaged over years with an iid bootstrap over years (seeded; each
    region with ``seed`` + its position). Rows: regions; columns as :func:`rotation.studies.year_end.window_study`.
    """
    rows = []
    for i, (name, f) in enumerate(_checked(factors).items()):
        r = f[["SMB"]].rename(columns={"SMB": name})
        est = window_study(r, calendar_windows(r.index, start_month, end_month), reps=reps, seed=seed + i,
                           alpha=alpha)
        rows.append(est.table)
        method = est.method
    table = _with_us_flag(pd.concat(rows).rename_axis("region"))
    return Estimates(table, method, units=Units.returns(
        f"decimal SMB return over the {_months(start_month, end_month)} window minus other windows of its length"),
        title="the year-end window minus other windows, each region's SMB")


def daily_windows_abroad(daily: Mapping[str, pd.DataFrame], *, days_before: int = 5, days_after: int = 2,
                         start_month: int = 11, end_month: int = 1, reps: int = 2000, seed: int = 0,
                         alpha: float = 0.05) -> Estimates:
    """The year-end windows on the daily files (``{region label: daily factor table}``): Hirsch's Santa Claus window
    (the last ``days_before`` trading days of December and the first ``days_after`` of January) and the
    ``start_month``-``end_month`` window, each year minus the other windows of its length, bootstrap over years.
    Rows (``region``, ``window``)."""
    rows = {}
    for i, (name, f) in enumerate(_checked(daily).items()):
        r = f[["SMB"]].rename(columns={"SMB": name})
        for j, (window, frame) in enumerate((
                ("Santa Claus", year_end_windows(r.index, days_before, days_after)),
                (_months(start_month, end_month), calendar_windows(r.index, start_month, end_month)))):
            est = window_study(r, frame, reps=reps, seed=seed + 2 * i + j, alpha=alpha)
            rows[(name, window)] = est.table.iloc[0]
            method = est.method
    table = _with_us_flag(pd.DataFrame(rows).T.rename_axis(["region", "window"]).astype(
        {"nobs": int}).infer_objects())
    return Estimates(table, method, units=Units.returns("decimal SMB return over the window minus other windows of "
                                                        "its length (trading days)"),
                     title="the year-end windows on the daily files, each region's SMB")


def _months(start_month: int, end_month: int) -> str:
    names = pd.date_range("2001-01-01", periods=12, freq="MS").strftime("%B")
    return f"{names[start_month - 1]}-{names[end_month - 1]}"


def alpha_abroad(factors: Mapping[str, pd.DataFrame], *, maxlags: int = 12, alpha: float = 0.05) -> Estimates:
    """SMB's monthly intercept after each region's own controls (:data:`CONTROLS` that its file has), HAC.

    Rows: regions; the vocabulary for the intercept, ``controls`` (the factors used), and one ``<factor> loading``
    column per control.
    """
    rows = []
    for name, f in _checked(factors).items():
        cols = [c for c in CONTROLS if c in f]
        est = factor_alphas({name: f["SMB"]}, f, {" + ".join(cols): cols}, maxlags=maxlags, alpha=alpha)
        t = est.table.reset_index(level="controls")
        rows.append(t[[c for c in t.columns if c != "controls"] + ["controls"]])
    table = _with_us_flag(pd.concat(rows).rename_axis("region"))
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=int(maxlags), alpha=alpha),
                     units=Units.returns("decimal SMB alpha per month after the region's factors"),
                     title="SMB's alpha after market and value (and quality) controls, each region")


def _tally(table: pd.DataFrame) -> str:
    """``"positive in 3 of 4 (interval above zero in 2: Europe, Japan)"`` over the rows that do not hold the US."""
    t = table[~table["includes_us"].astype(bool)]
    up = t.index[t["ci_lower"] > 0].tolist()
    down = t.index[t["ci_upper"] < 0].tolist()
    text = f"positive in {int((t['estimate'] > 0).sum())} of {len(t)}"
    if up:
        text += f" (interval above zero in {len(up)}: {', '.join(map(str, up))})"
    if down:
        text += f" (below zero in {len(down)}: {', '.join(map(str, down))})"
    return text


def overview(study: Results, parts: tuple[str, ...] = ("january", "window", "alpha")) -> pd.DataFrame:
    """One row per region: each part's full-sample ``estimate`` and its ``95% CI`` in words (two-level columns: the
    test, then the quantity), and whether the region holds the US (a table for the notebooks)."""
    names = {"january": "January minus other months", "window": "window minus other windows",
             "alpha": "SMB alpha per month", "daily_windows": "window minus other windows"}
    cols: dict[tuple[str, str], pd.Series] = {}
    flags = []
    for part in parts:
        est = study[part]
        t = est.table.xs("full sample", level="sample") if "sample" in est.table.index.names else est.table
        pieces = ([(f"{w} {names[part]}", sub.droplevel("window")) for w, sub in t.groupby(level="window", sort=False)]
                  if isinstance(t.index, pd.MultiIndex) else [(names[part], t)])
        for name, sub in pieces:
            cols[(name, "estimate")] = sub["estimate"]
            cols[(name, "95% CI")] = pd.Series([est.units.interval(a, b) for a, b in
                                                zip(sub["ci_lower"], sub["ci_upper"], strict=True)], index=sub.index)
            flags.append(sub["includes_us"].astype(bool))
    out = pd.DataFrame(cols)
    out[("holds the US", "")] = pd.concat(flags).groupby(level=0).first().reindex(out.index)
    return out.rename_axis("region")


def international_study(factors: Mapping[str, pd.DataFrame], *, daily: Mapping[str, pd.DataFrame] | None = None,
                        start_month: int = 11, end_month: int = 1, days_before: int = 5, days_after: int = 2,
                        era_break: str = "2007-12-31", reps: int = 2000, seed: int = 0,
                        maxlags: int = 12) -> Results:
    """:func:`january_abroad`, :func:`window_abroad` and :func:`alpha_abroad` on the same regions (and, with
    ``daily``, :func:`daily_windows_abroad` on the daily files), with a sentence giving each test's estimates by
    region."""
    january = january_abroad(factors, era_break=era_break, maxlags=maxlags)
    window = window_abroad(factors, start_month=start_month, end_month=end_month, reps=reps, seed=seed)
    alphas = alpha_abroad(factors, maxlags=maxlags)
    parts = {"january": january, "window": window, "alpha": alphas}
    if daily:
        parts["daily_windows"] = daily_windows_abroad(daily, days_before=days_before, days_after=days_after,
                                                      start_month=start_month, end_month=end_month, reps=reps,
                                                      seed=seed)
    rows = {"January minus other months": january.table.xs("full sample", level="sample"),
            f"the {_months(start_month, end_month)} window minus other windows": window.table,
            "SMB's alpha after the region's factors": alphas.table}
    if "daily_windows" in parts:
        for w, t in parts["daily_windows"].table.groupby(level="window", sort=False):
            rows[f"on the daily files, the {w} window minus other windows"] = t.droplevel("window")
    sentence = "Each region's SMB, in US dollars, counting the regions outside the US: " + "; ".join(
        f"{label}: {_tally(t)}" for label, t in rows.items()) + "."
    for part, label in (("january", "January minus other months"),
                        ("window", f"The {_months(start_month, end_month)} window minus other windows"),
                        ("alpha", "SMB's alpha after the region's factors")):  # each part says its own count
        t = parts[part].table
        t = t.xs("full sample", level="sample") if "sample" in t.index.names else t
        parts[part] = dataclasses.replace(parts[part], sentence=(
            f"{label}, each region's SMB in US dollars, counting the regions outside the US: {_tally(t)}."))
    return Results(parts, title="The claims about small caps in general, region by region", sentence=sentence)
