"""Sector and style rotation: the studies of notebook 07, each one call returning a result object.

* :func:`rotation_map` -- each sector's relative strength against the benchmark over 13, 26 and
  52 weeks, its rotation quadrant, and how often each quadrant held;
* :func:`tech_leadership_study` -- the correlation of small-cap and tech relative returns, and what
  small caps did after the end of tech leadership runs (against all weeks);
* :func:`breadth_study` -- does a broad market (most sectors beating the benchmark) precede
  small-cap outperformance;
* :func:`style_study` -- which small-cap styles lead when small caps lead;
* :func:`single_name_study` -- one small-cap stock against the small-cap index;
* :func:`where_we_stand` -- today's quadrants, tech's distance from its peak and breadth.

Conventions as in :mod:`rotation.studies.sectors`: weekly Friday closes of adjusted prices, nothing
back-filled (each sector enters once it has the history a statistic needs), a quantity dated ``t``
uses closes up to ``t``, forward returns start the week after.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_real
from rotation.stats.regressions import oos_r2, predictive_regression
from rotation.stats.results import Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies import returns as rt
from rotation.studies.economy import forward_compounded, state_difference
from rotation.studies.sectors import (
    QUADRANTS,
    breadth,
    drawdown_episodes,
    event_forward_table,
    friday_closes,
    rotation_coordinates,
    single_name_profile,
)

__all__ = ["WINDOWS", "TECH_SPLIT", "rotation_map", "tech_leadership_study", "breadth_study", "style_study",
           "single_name_study", "where_we_stand"]

#: Weeks over which the leadership map compares each sector with the benchmark.
WINDOWS: tuple[int, ...] = (13, 26, 52)

#: XLC was carved out of XLK and XLY in September 2018: correlations are shown before and after.
TECH_SPLIT = pd.Timestamp("2018-09-30")

_NAN = float("nan")
_VOCABULARY = ("estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs")


def _descriptive(rows: dict, index_name: str) -> pd.DataFrame:
    """Rows of descriptive columns behind an all-NaN vocabulary (``nobs`` given per row)."""
    table = pd.DataFrame({k: {**dict.fromkeys(_VOCABULARY[:-1], _NAN), **v} for k, v in rows.items()}).T
    table = table[[*_VOCABULARY, *[c for c in table.columns if c not in _VOCABULARY]]].infer_objects()
    table["nobs"] = table["nobs"].astype(int)
    table.index.name = index_name
    return table


def _frame(x: object, name: str) -> pd.DataFrame:
    if not isinstance(x, pd.DataFrame) or not isinstance(x.index, pd.DatetimeIndex):
        raise ParameterError(f"{name} must be a DataFrame with a DatetimeIndex (one column per ticker); "
                             f"got {type(x).__name__}")
    return x


def _columns(frame: pd.DataFrame, name: str, tickers: Sequence[str]) -> None:
    missing = [t for t in tickers if t not in frame.columns]
    if missing:
        raise ParameterError(f"{name} lacks the tickers {missing}; columns: {list(frame.columns)}")


def _last(coords: pd.DataFrame) -> pd.Series | None:
    """The latest complete rotation point of one ticker, None when it has none yet."""
    c = coords.dropna()
    return c.iloc[-1] if c.size else None


def _leadership(ratio: pd.DataFrame, sectors: Sequence[str], coords: dict[str, pd.DataFrame],
                windows: Sequence[int]) -> tuple[pd.DataFrame, dict]:
    rows = {}
    for t in sectors:
        r = ratio[t].dropna()
        if r.empty:  # an ETF first listed after the sample's end (XLC 2018, XLRE 2015): no reading yet
            rows[t] = {"since": pd.NaT, **{f"{w}w {k}": np.nan for w in windows for k in ("relative", "percentile")},
                       "quadrant": "not listed yet"}
            continue
        row = {"since": r.index[0]}
        for w in windows:
            rr = (r / r.shift(w) - 1).dropna()
            row[f"{w}w relative"] = float(rr.iloc[-1]) if len(rr) else np.nan
            row[f"{w}w percentile"] = rt.percentile_of_last(rr) if len(rr) > 10 else np.nan
        last = _last(coords[t])
        row["quadrant"] = last["quadrant"] if last is not None else "too short"
        rows[t] = row
    lead = pd.DataFrame(rows).T
    return lead, {t: {"nobs": int(ratio[t].notna().sum()), **row} for t, row in rows.items()}


def rotation_map(ratio: pd.DataFrame, sectors: Sequence[str], others: Sequence[str], *, benchmark: str,
                 level_window: int, momentum_window: int, z_window: int, windows: Sequence[int] = WINDOWS
                 ) -> Results:
    """Which sectors lead the benchmark today, and where each stands in the rotation.

    Parameters
    ----------
    ratio : pd.DataFrame
        Weekly price ratios against the benchmark (Friday closes of each ticker over the benchmark's).
    sectors : sequence of str
        The sectors of the leadership table and the quadrant history.
    others : sequence of str
        More tickers (small-cap ETFs) whose rotation coordinates are computed too (duplicates dropped).
    benchmark : str
        The benchmark's name, for the sentence.
    level_window, momentum_window, z_window : int
        :func:`rotation.studies.sectors.rotation_coordinates`.
    windows : sequence of int
        Weeks of the relative returns in the leadership table.

    Returns
    -------
    Results
        ``leadership`` (rows: sectors; ``since``, for each window ``<w>w relative`` -- the ratio's
        return over the last ``w`` weeks -- and ``<w>w percentile`` -- its percentile in the sector's
        own history, NaN with 10 values or fewer -- and ``quadrant``, the latest, or ``"too short"``;
        ``nobs``: weeks of history; ``.data``: the table as shown) and ``quadrant_share`` (rows:
        sectors; the share of month ends in each quadrant, ``nobs``: month ends with a quadrant;
        ``.data``: the quadrant at each month end). ``extra``: ``date`` (the last week). ``.data``:
        every ticker's coordinates (columns ``(ticker, level|momentum|quadrant)``). Known at ``t``.
    """
    ratio = _frame(ratio, "ratio")
    tickers = list(dict.fromkeys([*sectors, *others]))
    _columns(ratio, "ratio", tickers)
    coords = {t: rotation_coordinates(ratio[t].dropna(), level_window, momentum_window, z_window) for t in tickers}
    lead, rows = _leadership(ratio, sectors, coords, windows)
    hist = pd.DataFrame({t: c["quadrant"] for t, c in coords.items() if t in sectors}).resample("ME").last()
    shares = {t: {"nobs": int(hist[t].notna().sum()),
                  **{q: 0.0 for q in QUADRANTS}, **hist[t].value_counts(normalize=True).to_dict()} for t in hist}
    leadership = Estimates(_descriptive(rows, "sector"), Method(kind="descriptive", note="percentile: share of the "
                                                                "sector's own history at or below the latest"),
                           Units.returns(f"decimal return of the ratio to {benchmark} over the window"),
                           f"Sector leadership against {benchmark}", data=lead)
    quadrant_share = Estimates(_descriptive(shares, "sector"), Method(kind="descriptive"),
                               Units.share("share of month ends in each rotation quadrant"),
                               "How often each sector was in each quadrant", data=hist)
    w0 = windows[0]
    beat = lead[f"{w0}w relative"].dropna()
    by_q = "; ".join(f"{q}: {', '.join(lead.index[lead['quadrant'] == q]) or 'none'}" for q in QUADRANTS)
    sentence = (f"As of {ratio.index[-1]:%Y-%m-%d}, {int((beat > 0).sum())} of {len(beat)} sectors beat {benchmark} "
                f"over {w0} weeks; the strongest was {beat.idxmax()} ({beat.max():+.1%}), the weakest "
                f"{beat.idxmin()} ({beat.min():+.1%}). Rotation quadrants: {by_q}.")
    return Results({"leadership": leadership, "quadrant_share": quadrant_share}, extra={"date": ratio.index[-1]},
                   title="The sector leadership map", sentence=sentence, data=pd.concat(coords, axis=1))


def _correlations(small: pd.Series, tech: pd.Series, long_pair: pd.DataFrame) -> Estimates:
    pair = pd.concat({"small": small, "tech": tech}, axis=1, sort=True).dropna()
    parts = {"all weeks": pair, f"before {TECH_SPLIT:%Y-%m}": pair.loc[:TECH_SPLIT],
             f"from {TECH_SPLIT:%Y-%m}": pair.loc[TECH_SPLIT:],
             f"^RUT vs NASDAQ, {long_pair.index[0]:%Y}-{long_pair.index[-1]:%Y} (price only)": long_pair}
    rows = {k: {"estimate": p.corr().iloc[0, 1], "nobs": len(p)} for k, p in parts.items()}
    return Estimates(_descriptive(rows, "weeks"), Method(kind="descriptive", note="Pearson correlation"),
                     Units.number("correlation of weekly relative returns (small caps vs tech, each against the "
                                  "benchmark)"), "Small-cap and tech relative returns")


def _with(horizons: Sequence[int], horizon: int) -> list[int]:
    """``horizons`` in their order (checked), with the deciding ``horizon`` appended when missing."""
    hs = [check_int(h, "horizons item", minimum=1, maximum=520) for h in horizons]
    h = check_int(horizon, "horizon", minimum=1, maximum=520)
    return hs if h in hs else [*hs, h]


def tech_leadership_study(small: pd.Series, alt: pd.Series, tech: pd.Series, tech_ratio: pd.Series,
                          indexes: pd.DataFrame, *, threshold: float, window: int, horizons: Sequence[int],
                          horizon: int, reps: int, seed: int, names: Sequence[str] = ("small caps", "the second ETF",
                                                                                      "the benchmark")) -> Results:
    """Is small-cap strength the mirror image of tech's, and what followed the end of tech leadership runs?

    Parameters
    ----------
    small, alt : pd.Series
        Weekly relative returns of the small-cap ETF and of the second small-cap ETF against the
        benchmark (decimal; NaN rows dropped).
    tech : pd.Series
        Weekly relative return of the tech sector (XLK) against the benchmark.
    tech_ratio : pd.Series
        Weekly XLK / benchmark price ratio: a run of tech leadership ends when it falls ``threshold``
        below its ``window``-week peak (:func:`rotation.studies.sectors.drawdown_episodes`, known at ``t``).
    indexes : pd.DataFrame
        Daily price indexes ``nasdaq``, ``sp500``, ``rut`` (rows where all three exist): the longer,
        price-only history (Friday closes), with NASDAQ / S&P 500 peaks and ^RUT / ^GSPC returns.
    threshold, window : float, int
        The drawdown (decimal) and the peak's window in weeks.
    horizons : sequence of int
        Weeks after an end of tech leadership; the deciding ``horizon`` is added when missing.
    reps, seed : int
        :func:`rotation.studies.sectors.event_forward_table` (iid bootstrap over events; seed + i for
        the i-th horizon).
    names : (str, str, str)
        The small-cap ETF, the second one and the benchmark, for the sentence.

    Returns
    -------
    Results
        ``correlation`` (all weeks, before and from the September 2018 reshuffle, and the long
        history), ``after_peaks``, ``after_peaks_alt`` (the same episodes, the second ETF) and
        ``after_peaks_long`` (^RUT / ^GSPC after NASDAQ / S&P 500 peaks): forward relative returns
        after the episodes minus all weeks, by horizon. ``extra``: ``episodes`` (dates), the
        ``threshold`` and ``window``. ``.data``: the small-cap relative returns (column ``relative``).
    """
    th = check_real(threshold, "threshold", low=0, high=1, low_open=True, high_open=True)
    w = check_int(window, "window", minimum=2, maximum=100_000)
    hs = _with(horizons, horizon)
    if not {"nasdaq", "sp500", "rut"} <= set(indexes.columns):
        raise ParameterError(f"indexes must have the columns nasdaq, sp500, rut; got {list(indexes.columns)}")
    ndq = friday_closes(indexes)
    ret = ndq.pct_change(fill_method=None)
    long_pair = pd.concat({"small": rt.relative_returns(ret["rut"], ret["sp500"]),
                           "tech": rt.relative_returns(ret["nasdaq"], ret["sp500"])}, axis=1).dropna()
    peaks = drawdown_episodes(tech_ratio.dropna(), th, window=w)
    long_peaks = drawdown_episodes((ndq["nasdaq"] / ndq["sp500"]).dropna(), th, window=w)

    def after(rel: pd.Series, events: pd.Series) -> Estimates:
        return event_forward_table({h: forward_compounded(rel, h) for h in hs}, events, reps=reps, seed=seed)

    parts = {"correlation": _correlations(small, tech, long_pair), "after_peaks": after(small, peaks["date"]),
             "after_peaks_alt": after(alt, peaks["date"]), "after_peaks_long": after(long_pair["small"],
                                                                                     long_peaks["date"])}
    u = parts["after_peaks"].units
    words = {k: parts[k].table.loc[horizon] for k in ("after_peaks", "after_peaks_alt", "after_peaks_long")}
    said = {k: f"{u.format(r['estimate'])} (95% CI {u.interval(r['ci_lower'], r['ci_upper'])}, n = {int(r['nobs'])})"
            for k, r in words.items()}
    corr = parts["correlation"].table["estimate"]
    small_name, alt_name, bench = names
    gone = "".join(_dropped_text(f"{n}/{bench}", parts[k]) for n, k in ((small_name, "after_peaks"),
                                                                       (alt_name, "after_peaks_alt")))
    sentence = (f"{len(peaks)} ends of tech leadership (XLK/{bench} {th:.0%} below its {w}-week peak) since "
                f"{tech_ratio.first_valid_index():%Y} ({', '.join(f'{d:%Y-%m}' for d in peaks['date'])}), and "
                f"{len(long_peaks)} on NASDAQ / S&P 500 since {long_pair.index[0]:%Y}.{gone} Over the next {horizon} "
                "weeks, "
                f"after them minus all weeks, {small_name}/{bench} moved {said['after_peaks']}, {alt_name}/{bench} "
                f"{said['after_peaks_alt']}, and ^RUT/^GSPC after NASDAQ peaks {said['after_peaks_long']}.\n\n"
                f"Weekly small-cap and tech relative returns "
                f"correlate {corr.iloc[0]:+.2f} over all weeks, {corr.iloc[1]:+.2f} before {TECH_SPLIT:%Y-%m} and "
                f"{corr.iloc[2]:+.2f} from then; {corr.iloc[3]:+.2f} for ^RUT and NASDAQ (price only).")
    return Results(parts, extra={"episodes": list(peaks["date"]), "threshold": th, "window": w},
                   title="Tech leadership and small caps", sentence=sentence, data=small.to_frame("relative"))


def _dropped_text(pair: str, part: Estimates) -> str:
    """The events a pair cannot measure (:func:`rotation.studies.sectors.event_forward_table`), in words."""
    gone = part.extra.get("dropped") or []
    if not gone:
        return ""
    return (f" {pair} leaves out {', '.join(f'{d:%Y-%m-%d}' for d in gone)}: its returns start "
            f"{part.extra['first_date']:%Y-%m-%d}, after the window that follows the event began, so it cannot "
            "measure it.")


def breadth_study(closes: pd.DataFrame, sectors: Sequence[str], benchmark: str, small: pd.Series, *, window: int,
                  horizons: Sequence[int], horizon: int, min_train: int, min_sectors: int = 5,
                  small_name: str = "small caps") -> Results:
    """Does a broad market (most sectors beating the benchmark) precede small-cap outperformance?

    Parameters
    ----------
    closes : pd.DataFrame
        Weekly closes of the sectors and the benchmark.
    sectors : sequence of str
    benchmark : str
    small : pd.Series
        Weekly small-cap relative returns against the benchmark.
    window : int
        Weeks over which each sector's return is compared with the benchmark's
        (:func:`rotation.studies.sectors.breadth`; fewer than ``min_sectors`` with data leave a week out).
    horizons : sequence of int
        Weeks after a broad week (the deciding ``horizon`` is added when missing).
    horizon : int
        Also the horizon of the predictive regression on the equal-weight gap.
    min_train : int
        Weeks of training pairs before the first out-of-sample forecast.
    min_sectors : int
        Weeks with fewer sectors with data have no breadth.
    small_name : str
        The small-cap ETF, for the sentence.

    Returns
    -------
    Results
        ``state`` (rows: horizons; :func:`rotation.studies.economy.state_difference` of weeks when at
        least half the sectors beat the benchmark against the others, HAC with ``max(h - 1, 12)``
        lags, see ``maxlags``), ``predictive`` and ``out_of_sample`` (the equal-weight gap ``ew_gap``
        as a predictor of the next ``horizon`` weeks: :func:`rotation.stats.regressions.predictive_regression`
        and :func:`~rotation.stats.regressions.oos_r2`), ``now`` (the latest complete week: share of
        sectors beating, ``nobs`` = sectors, ``ew_minus_bench``, ``date``). ``.data``: the breadth
        series.
    """
    closes = _frame(closes, "closes")
    _columns(closes, "closes", [*sectors, benchmark])
    k = check_int(window, "window", minimum=1, maximum=520)
    hs = _with(horizons, horizon)
    br = breadth(closes[list(sectors)].pct_change(k, fill_method=None),
                 closes[benchmark].pct_change(k, fill_method=None), min_sectors)
    broad = (br["share_beating"] >= 0.5).astype(float).where(br["share_beating"].notna())
    rows = {h: state_difference(small, broad, horizon=h, maxlags=max(h - 1, 12)).table.iloc[0] for h in hs}
    state = pd.DataFrame(rows).T
    state["maxlags"] = [max(h - 1, 12) for h in hs]
    state = state.astype(float).astype({"nobs": int, "n_state": int, "n_spells": int, "maxlags": int})
    state.index.name = "horizon"
    gap = br["ew_minus_bench"].dropna().rename("ew_gap")
    pred = predictive_regression(small, gap, horizon=horizon)
    oos = oos_r2(small, gap, horizon=horizon, min_train=min_train)
    latest = br.dropna().iloc[-1]
    now = _descriptive({"latest": {"estimate": latest["share_beating"], "nobs": int(latest["n_sectors"]),
                                   "ew_minus_bench": latest["ew_minus_bench"], "date": br.dropna().index[-1]}}, "week")
    units = Units.returns("decimal relative return compounded over the next h weeks, broad weeks minus the others")
    lag_rule = "max(h - 1, 12) per row, see maxlags"
    parts = {"state": Estimates(state, Method(kind="HAC", cov_type="HAC", lag_rule=lag_rule), units,
                                f"Broad breadth (half the sectors beat {benchmark} over {k} weeks)"),
             "predictive": pred, "out_of_sample": oos,
             "now": Estimates(now, Method(kind="descriptive"),
                              Units.share(f"share of sectors beating {benchmark} over the last {k} weeks"),
                              "Breadth now")}
    r, p = state.loc[horizon], pred.table.loc["ew_gap"]
    ew = latest["ew_minus_bench"]
    sentence = (
        f"In weeks when at least half the sectors beat {benchmark} over {k} weeks ({int(r['n_state'])} of "
        f"{int(r['nobs'])} weeks, {int(r['n_spells'])} spells), {small_name}/{benchmark} over the next {horizon} "
        f"weeks minus after the other weeks: {units.format(r['estimate'])} (95% CI "
        f"{units.interval(r['ci_lower'], r['ci_upper'])}). Equal-weight gap as a predictor of the next {horizon} "
        f"weeks: slope {p['estimate']:+.3f} (t = {p['t']:+.2f}, {pred.method.lags} HAC lags), out-of-sample R² "
        f"{oos.estimate:+.3f}. In the latest week {latest['share_beating']:.0%} of sectors beat {benchmark}; the "
        f"equal-weighted sectors {'led' if ew > 0 else 'trailed'} it by {abs(ew):.1%}.")
    return Results(parts, title="Breadth of the rotation", sentence=sentence, data=br)


def style_study(closes: pd.DataFrame, weekly_returns: pd.DataFrame, small: str, benchmark: str, *,
                lead_weeks: int = 13, horizon: int = 13, maxlags: int = 12) -> Estimates:
    """Which small-cap styles lead when small caps lead the benchmark?

    Parameters
    ----------
    closes, weekly_returns : pd.DataFrame
        Weekly closes and returns with columns ``small``, ``benchmark``, ``IWN``, ``IWO``, ``IJH``, ``IJR``.
    small, benchmark : str
        The small-cap ETF and the benchmark.
    lead_weeks : int
        Small caps lead in week ``t`` when ``small`` rose more than ``benchmark`` over the ``lead_weeks``
        weeks to ``t`` (known at ``t``; NaN before ``small`` has that history).
    horizon, maxlags : int
        Weeks of each style pair's compounded relative return after ``t``; HAC lags.

    Returns
    -------
    Estimates
        Rows: small value vs small growth (IWN/IWO), mid vs small (IJH/``small``), S&P 600 vs Russell
        2000 (IJR/``small``); :func:`rotation.studies.economy.state_difference` (weeks when small caps
        lead minus the others) with ``n_state``, ``n_spells``, ``median_state``,
        ``share_positive_state``. ``.data``: the lead state.
    """
    closes, weekly_returns = _frame(closes, "closes"), _frame(weekly_returns, "weekly_returns")
    pairs = {"small value vs small growth (IWN/IWO)": ("IWN", "IWO"), f"mid vs small (IJH/{small})": ("IJH", small),
             f"S&P 600 vs Russell 2000 (IJR/{small})": ("IJR", small)}
    _columns(closes, "closes", [small, benchmark])
    _columns(weekly_returns, "weekly_returns", sorted({t for p in pairs.values() for t in p}))
    n = check_int(lead_weeks, "lead_weeks", minimum=1, maximum=520)
    h = check_int(horizon, "horizon", minimum=1, maximum=520)
    lags = check_int(maxlags, "maxlags", minimum=0, maximum=520)
    lead = ((closes[small] / closes[small].shift(n)) > (closes[benchmark] / closes[benchmark].shift(n))).astype(float)
    lead = lead.where(closes[small].shift(n).notna())
    rows = {name: state_difference(rt.relative_returns(weekly_returns[a], weekly_returns[b]).dropna(), lead,
                                   horizon=h, maxlags=lags).table.iloc[0] for name, (a, b) in pairs.items()}
    table = pd.DataFrame(rows).T.astype(float).astype({"nobs": int, "n_state": int, "n_spells": int})
    table.index.name = "pair"
    units = Units.returns(f"decimal relative return compounded over the next {h} weeks, weeks when small caps led "
                          f"over {n} weeks minus the others")
    first = table.iloc[0]
    words = "; ".join(f"{k} {units.format(r['estimate'])} (95% CI {units.interval(r['ci_lower'], r['ci_upper'])})"
                      for k, r in table.iterrows())
    sentence = (f"When {small} had beaten {benchmark} over the last {n} weeks ({int(first['n_state'])} of "
                f"{int(first['nobs'])} weeks, {int(first['n_spells'])} spells), the next {h} weeks against the other "
                f"weeks: {words}.")
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=lags), units,
                     f"Small-cap styles when {small} led {benchmark}", data=lead.to_frame("small_caps_lead"),
                     sentence=sentence)


def single_name_study(stock: pd.Series, index: pd.Series, *, name: str, index_name: str) -> Estimates:
    """One small-cap stock against the small-cap index: why one name says little about the index.

    Parameters
    ----------
    stock, index : pd.Series
        Weekly closes (adjusted), NaN rows dropped; the common weeks are used.
    name, index_name : str
        Their tickers, for the title and the sentence.

    Returns
    -------
    Estimates
        One row ``beta`` (:func:`rotation.studies.sectors.single_name_profile`): ``estimate`` = the
        OLS beta of weekly returns, ``nobs`` = weeks, ``r_squared``, ``idiosyncratic_share``,
        ``max_drawdown``, the annualised volatilities ``vol_stock``, ``vol_index`` (52 weeks), ``start``,
        ``end``. ``.data``: the two price series on their common weeks.
    """
    prof = single_name_profile(stock, index)
    row = {"estimate": prof["beta"], "nobs": prof["weeks"],
           **{k: prof[k] for k in ("r_squared", "idiosyncratic_share", "max_drawdown", "vol_stock", "vol_index",
                                   "start", "end")}}
    sentence = (f"{name} against {index_name}, {prof['start']:%Y-%m-%d} to {prof['end']:%Y-%m-%d} ({prof['weeks']} "
                f"weeks): beta {prof['beta']:.2f}, R² {prof['r_squared']:.2f}, so {prof['idiosyncratic_share']:.0%} "
                f"of its weekly variance is its own; annualised volatility {prof['vol_stock']:.0%} against "
                f"{prof['vol_index']:.0%}; worst drawdown {prof['max_drawdown']:.0%}.")
    data = pd.concat({name: stock, index_name: index}, axis=1, join="inner").dropna()
    return Estimates(_descriptive({"beta": row}, "statistic"),
                     Method(kind="descriptive", note="OLS beta and R² of weekly returns; volatilities x sqrt(52)"),
                     Units.number(f"beta of {name}'s weekly returns on {index_name}'s"), f"{name} against {index_name}",
                     data=data, sentence=sentence)


def where_we_stand(rotation: Results, breadth_result: Results, tech_ratio: pd.Series, *, peak_window: int,
                   peak_threshold: float, benchmark: str, window: int) -> Estimates:
    """Today's rotation quadrants, tech's distance from its running peak, and breadth.

    Parameters
    ----------
    rotation : Results
        :func:`rotation_map` (its coordinates).
    breadth_result : Results
        :func:`breadth_study` (its breadth series).
    tech_ratio : pd.Series
        Weekly XLK / benchmark ratio; its last date is the date of the summary.
    peak_window : int
        Weeks of the running peak (the tech-leadership rule of :func:`tech_leadership_study`).
    peak_threshold : float
        The drawdown that signals an end of tech leadership.
    benchmark : str
    window : int
        Weeks of the breadth comparison.

    Returns
    -------
    Estimates
        Rows: every ticker of the rotation map; ``estimate`` = the latest rotation level (100 =
        average), ``momentum``, ``quadrant`` (``"too short"`` without a point yet), ``date`` (of that
        point). ``extra``: ``tech_drawdown`` (the ratio's last value against its peak over the last
        ``peak_window`` weeks), ``breadth`` (the latest share of sectors beating the benchmark), ``date``.
    """
    w = check_int(peak_window, "peak_window", minimum=1, maximum=100_000)
    coords = rotation.data
    rows = {}
    for t in coords.columns.get_level_values(0).unique():
        last = _last(coords[t])
        rows[t] = ({"estimate": last["level"], "nobs": int(coords[t].dropna().shape[0]), "momentum": last["momentum"],
                    "quadrant": last["quadrant"], "date": last.name} if last is not None else
                   {"estimate": _NAN, "nobs": 0, "momentum": _NAN, "quadrant": "too short", "date": pd.NaT})
    r = tech_ratio.dropna()
    tech_dd = float(r.iloc[-1] / r.iloc[-w:].max() - 1)
    share = float(breadth_result.data["share_beating"].dropna().iloc[-1])
    date = tech_ratio.index[-1]
    sentence = (f"As of {date:%Y-%m-%d}: XLK/{benchmark} is {tech_dd:+.1%} from its running peak ({w}-week peak; a "
                f"tech-leadership end is signalled at {-peak_threshold:+.0%}); {share:.0%} of sectors beat "
                f"{benchmark} over {window} weeks.")
    return Estimates(_descriptive(rows, "ticker"), Method(kind="descriptive", note="nobs: weeks with a rotation point"),
                     Units.number("relative-strength level (100 = average), the latest rotation point"),
                     "Where each ticker stands in the rotation",
                     extra={"tech_drawdown": tech_dd, "breadth": share, "date": date}, sentence=sentence)
