"""The signal board: every signal the commentary names, as a monthly state known at each month end.

Each signal is a 0/1 series: 1 when the signal is *favourable to small caps in the commentary's
reading* (the direction is fixed here from the commentary, never fitted to returns), 0 when
unfavourable, NaN before the signal's data exist. Every state at month end ``t`` uses data
published by ``t``: market data to the close of ``t``, macro data through
:func:`rotation.data.load_known` (publication lags), nothing after ``as_of``.

:func:`states` builds the board as of any date; the synthesis notebook compares what followed each
state (:func:`rotation.studies.economy.state_difference`) and evaluates a composite out of sample
(:func:`composite_oos`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.compound import compound

__all__ = ["Signal", "SIGNALS", "states", "favourable_share", "composite_oos", "carried", "margins",
           "outcome_classes", "REALTIME_BOARD", "realtime_states"]


@dataclass(frozen=True)
class Signal:
    """One board row: what it is, when it is favourable, and how its monthly state is built."""

    key: str
    label: str
    favourable: str
    claim: str
    build: Callable[[pd.Timestamp | None], pd.Series]
    #: months a reading may trail the board's last month before it is stale: 1 for market and macro data (a month
    #: end's state uses what was published by then), 2 for the Ken French monthly files (published about a month
    #: after the month they cover)
    fresh: int = 1


def _me(s: pd.Series) -> pd.Series:
    """Month-end sampling of a daily or weekly series (last value in each month)."""
    out = s.dropna().resample("ME").last()
    out.index.name = "date"
    return out


def _flag(cond: pd.Series, valid: pd.Series) -> pd.Series:
    return cond.astype(float).where(valid.notna())


def _load_close(key: str, as_of: pd.Timestamp | None) -> pd.Series:
    from rotation.data import load

    return load(key, end=as_of)["adj_close"]


def _known(key: str, as_of: pd.Timestamp | None) -> pd.Series:
    from rotation.data import load_known

    s = load_known(key, "ME")
    return s.loc[:as_of] if as_of is not None else s


def _market(key: str, as_of: pd.Timestamp | None) -> pd.Series:
    from rotation.data import load

    return _me(load(key, end=as_of))


def _rut_near_high(as_of):
    rut = _me(_load_close("^RUT", as_of))
    return _flag(rut >= 0.95 * rut.cummax(), rut)


def _rs_momentum(proxy: str) -> Callable[[pd.Timestamp | None], pd.Series]:
    def build(as_of):
        from rotation.data import small_large

        m = small_large(proxy, "M", end=as_of)
        rel = (1 + m["small"]) / (1 + m["large"]) - 1
        six = compound(rel, 6)
        return _flag(six > 0, six)
    return build


def _dollar_weakening(as_of):
    from rotation.data import load
    from rotation.studies.series import chain_indexes

    lvl = chain_indexes([load("TWEXMMTH", end=as_of).rename("TWEXMMTH"), load("TWEXBMTH", end=as_of).rename("TWEXBMTH"),
                         load("DTWEXBGS", end=as_of).rename("DTWEXBGS")], freq="ME", how="last")
    ch = lvl.pct_change(6, fill_method=None)
    return _flag(ch < 0, ch)


def _change_below(key: str, months: int, limit: float, known: bool = False):
    def build(as_of):
        s = _known(key, as_of) if known else _market(key, as_of)
        ch = s.diff(months)
        return _flag(ch < limit, ch)
    return build


def _sahm_clear(as_of):
    from rotation.studies.economy import sahm_rule

    s = sahm_rule(_known("UNRATE", as_of))
    return _flag(~s["trigger"].fillna(False).astype(bool), s["gap"])


def _sentiment_up(as_of):
    s = _known("UMCSENT", as_of)
    ch = s.diff(12)
    return _flag(ch > 0, ch)


def _season(as_of):
    from rotation.data import load

    idx = _me(load("ff3_monthly", end=as_of)["Mkt-RF"]).index
    if as_of is not None and len(idx) and idx[-1] < pd.Timestamp(as_of) + pd.offsets.MonthEnd(0):
        idx = idx.append(pd.date_range(idx[-1] + pd.offsets.MonthEnd(1), pd.Timestamp(as_of) + pd.offsets.MonthEnd(0),
                                       freq="ME"))
    months = pd.Series(idx.month, index=idx)
    return _flag(months.isin([10, 11, 12]), months)


def _valuation_cheap(as_of):
    from rotation.data import load
    from rotation.studies.valuation import expanding_quantile_state, valuation_spread

    sp = valuation_spread(load("sbm_beme_monthly", end=as_of), load("sbm_mktcap_monthly", end=as_of),
                          load("sbm_nfirms_monthly", end=as_of))["overall"]
    return expanding_quantile_state(sp.dropna(), 0.8)


_SECTORS = ("XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY")


def _breadth_broad(as_of):
    from rotation.studies.sectors import breadth, friday_closes

    px = friday_closes(pd.DataFrame({t: _load_close(t, as_of) for t in (*_SECTORS, "SPY")}))
    br = breadth(px[list(_SECTORS)].pct_change(13, fill_method=None), px["SPY"].pct_change(13, fill_method=None))
    share = _me(br["share_beating"])
    return _flag(share >= 0.5, share)


def _tech_weak(as_of):
    px = pd.DataFrame({"XLK": _load_close("XLK", as_of), "SPY": _load_close("SPY", as_of)}).dropna()
    ratio = _me(px["XLK"] / px["SPY"])
    ch = ratio.pct_change(6, fill_method=None)
    return _flag(ch < 0, ch)


def _signals(proxy: str) -> tuple[Signal, ...]:
    return (
        Signal("rut_near_high", "Russell 2000 within 5% of its prior high", "at or near the high (a breakout set-up)",
               "resistance_2000", _rut_near_high),
        Signal("rs_momentum", "small-minus-large return over 6 months", "positive", "breakout_follow_through",
               _rs_momentum(proxy), fresh=2),
        Signal("dollar_weakening", "broad dollar over 6 months", "falling", "weaker_dollar", _dollar_weakening),
        Signal("rates_falling", "10-year yield over 6 months", "falling", "rates_borrowing_costs",
               _change_below("DGS10", 6, 0.0)),
        Signal("fed_dovish", "2-year yield over 6 months (the market's read of the Fed)", "down 25 bp or more",
               "fed_dovish", _change_below("DGS2", 6, -0.25)),
        Signal("credit_easing", "Baa minus 10-year spread over 6 months", "narrowing", "liquidity",
               _change_below("BAA10Y", 6, 0.0)),
        Signal("conditions_easing", "Chicago Fed NFCI over 3 months (release-timed, latest vintage)", "easing",
               "liquidity", _change_below("NFCI", 3, 0.0, known=True)),
        Signal("labour_robust", "Sahm rule (unemployment; real-time vintages where they exist)", "not triggered",
               "economic_resilience", _sahm_clear),
        Signal("sentiment_improving", "consumer sentiment over 12 months (real-time vintages where they exist)",
               "rising",
               "economic_resilience", _sentiment_up),
        Signal("seasonal", "the calendar", "the next months are November-January", "santa_claus", _season),
        Signal("valuation_cheap", "small-vs-big valuation spread", "in the top quintile of its history to date",
               "valuation_discount", _valuation_cheap, fresh=2),
        Signal("breadth_broad", "share of sectors beating SPY over 13 weeks", "half or more", "sector_rotation",
               _breadth_broad),
        Signal("tech_weak", "XLK relative to SPY over 6 months", "falling (rotation out of tech)", "sector_rotation",
               _tech_weak),
    )


SIGNALS: tuple[str, ...] = tuple(s.key for s in _signals("ff30_vw"))


def states(proxy: str = "ff30_vw", as_of: str | pd.Timestamp | None = None, basis: str = "real-time"
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The board: monthly 0/1 states of every signal, and a description table, as of ``as_of``.

    ``basis="real-time"`` (the default, what the answer is decided on): the macro signals with vintages
    (:data:`REALTIME_BOARD`) are computed within the FRED-MD vintage known at each month end where one covers
    it (:func:`realtime_states`), release-timed latest values elsewhere; ``"latest"``: release-timed latest values
    throughout (the revised comparison).

    Returns
    -------
    (states, info)
        ``states``: month ends x signals (1 favourable, 0 not, NaN unknown), ending at ``as_of``
        (or the latest month). ``info``: per signal ``label``, ``favourable``, ``claim``, ``first``
        (first month with a state), ``last`` (last month with a state: the reading's date), ``state`` (the
        latest), ``basis`` (the basis of that latest state), ``age_months`` (months from ``last`` to the board's
        last month, ``as_of``'s when given) and ``stale`` (older than the signal's frequency allows: ``age_months``
        above its ``fresh``).
    """
    if basis not in ("real-time", "latest"):
        raise ParameterError(f"basis must be 'real-time' or 'latest'; got {basis!r}")
    t = None if as_of in (None, "") else pd.Timestamp(as_of)
    sigs = _signals(proxy)
    cols = {}
    for s in sigs:
        ser = s.build(t)
        ser.index = pd.DatetimeIndex(ser.index) + pd.offsets.MonthEnd(0)
        ser = ser[~ser.index.duplicated(keep="last")]
        cols[s.key] = ser if t is None else ser.loc[: t + pd.offsets.MonthEnd(0)]
    board = pd.DataFrame(cols).sort_index()
    if t is not None:
        board = board.loc[: t + pd.offsets.MonthEnd(0)]
    if board["seasonal"].notna().any():  # the calendar is known in every month of the board, not only the proxy's
        on_cal = board.index[board.index >= board["seasonal"].first_valid_index()]
        board.loc[on_cal, "seasonal"] = on_cal.month.isin([10, 11, 12]).astype(float)
    on = pd.DataFrame(index=board.index)
    if basis == "real-time":
        board, on, _ = realtime_states(board, as_of=t)

    def latest_basis(key: str) -> str:
        """The basis of the signal's latest state."""
        if key == "conditions_easing":
            return "latest vintage (no vintages here)"
        if key not in REALTIME_BOARD:
            return "market data (not revised)"
        last = board[key].last_valid_index()
        if key not in on.columns or last is None:
            return "latest vintage"
        return "real-time vintage" if on[key].loc[last] == "real-time" else "latest vintage (no vintage covers it)"

    end = (t + pd.offsets.MonthEnd(0)) if t is not None else (board.index[-1] if len(board) else None)

    def age(key: str) -> float:
        """Months from the signal's last reading to the board's last month."""
        last = board[key].last_valid_index()
        return np.nan if last is None or end is None else float((end.year - last.year) * 12 + end.month - last.month)

    info = pd.DataFrame({
        s.key: {"label": s.label, "favourable": s.favourable, "claim": s.claim,
                "first": board[s.key].first_valid_index(), "last": board[s.key].last_valid_index(),
                "state": board[s.key].dropna().iloc[-1] if board[s.key].notna().any() else np.nan,
                "basis": latest_basis(s.key), "age_months": age(s.key),
                "stale": bool(not age(s.key) <= s.fresh)}
        for s in sigs}).T
    return board, info


#: The board's macro signals with real-time vintages: (the series, the signal in :mod:`rotation.studies.realtime`).
REALTIME_BOARD: dict[str, tuple[str, str]] = {"labour_robust": ("UNRATE", "Sahm rule triggered"),
                                               "sentiment_improving": ("UMCSENT", "sentiment rising (12m)")}


def realtime_states(board: pd.DataFrame, as_of: str | pd.Timestamp | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, dict[str, object]]]:
    """The board with its macro signals (:data:`REALTIME_BOARD`) on the real-time basis where vintages exist.

    Each signal's state at ``t`` is computed within the vintage known at ``t`` from its series' source
    (:data:`rotation.studies.realtime.VINTAGE_SOURCES`; its own history, read at
    its newest observation: :func:`rotation.studies.realtime.within_vintage`); before the first vintage and after
    the last, the release-timed (latest vintage) state of ``board`` stays, labelled ``"latest"``. Only vintages
    known by ``as_of`` are read. The NFCI signal has no vintages here and keeps its basis.

    Returns
    -------
    (states, basis, comparison)
        The real-time board (same shape as ``board``), each macro signal's basis by month, and per macro signal
        its basis, coverage and the months whose state differs (:func:`rotation.studies.realtime.compare_states`).
    """
    from rotation.data.vintages import vintage_table
    from rotation.studies import realtime

    t = None if as_of in (None, "") else pd.Timestamp(as_of)
    out, basis, rows = board.copy(), pd.DataFrame(index=board.index), {}
    for key, (series, signal) in REALTIME_BOARD.items():
        source = realtime.VINTAGE_SOURCES[series]
        rt, frame = realtime.signal_value(signal, vintage_table(series, source, end=t), board.index, 0.5)
        rt = 1.0 - rt if key == "labour_robust" else rt  # favourable: the Sahm rule not triggered
        ok = frame["covered"] & rt.notna()
        out[key] = rt.where(ok, board[key])
        basis[key] = np.where(ok, "real-time", "latest")
        rows[key] = {"basis": "real-time where vintages cover", "series": series,
                     "source": realtime.SOURCE_NAMES[source],
                     **realtime.compare_states(out[key], board[key], basis[key])}
    rows["conditions_easing"] = {"basis": "latest (no vintages of NFCI here)", "series": "NFCI"}
    return out, basis, rows


def favourable_share(board: pd.DataFrame, min_known: int = 3) -> pd.Series:
    """The share of favourable signals among those known at each month end (the composite).

    Parameters
    ----------
    board : pd.DataFrame
        Month ends x signals, 1 favourable, 0 not, NaN unknown (:func:`states`, :func:`carried`).
    min_known : int
        Months with fewer known signals than this are NaN.

    Returns
    -------
    pd.Series
        Known at each month end (it uses that month's states only), named ``"composite"``.
    """
    if not isinstance(board, pd.DataFrame) or board.empty:
        raise ParameterError("board must be the non-empty DataFrame of states from rotation.studies.board.states; "
                             f"got {type(board).__name__}{' (empty)' if isinstance(board, pd.DataFrame) else ''}")
    return board.mean(axis=1, skipna=True).where(board.notna().sum(axis=1) >= min_known).rename("composite")


def composite_oos(returns: pd.Series, board: pd.DataFrame, horizon: int = 3, min_train: int = 120) -> pd.DataFrame:
    """Out-of-sample evaluation of the share of favourable signals and of each single signal.

    For each predictor (``composite`` = the share of favourable signals among those known at ``t``,
    then each signal alone), an expanding-window regression of the next ``horizon`` months'
    summed relative return on the predictor (:func:`rotation.stats.regressions.oos_r2`). Reported: the
    out-of-sample R² against the historical mean, the R² against a zero forecast (always equal
    weight in small and large), the hit rate of the forecast's sign, and the number of forecasts.
    """
    from rotation.stats.regressions import oos_r2

    if not isinstance(board, pd.DataFrame) or board.empty:
        raise ParameterError("board must be the non-empty DataFrame of states from rotation.studies.board.states")
    comp = favourable_share(board)
    preds = {"composite": comp, **{c: board[c] for c in board}}
    rows = {}
    for name, x in preds.items():
        x = x.dropna()
        if x.nunique() < 2:
            continue
        try:
            res = oos_r2(returns, x.rename("x"), horizon=horizon, min_train=min_train)
        except ParameterError:
            continue
        fc = res.data
        sse_zero = float((fc["actual"] ** 2).sum())
        rows[name] = {"oos_r2": res.estimate,
                      "oos_r2_vs_zero": 1 - float(((fc["actual"] - fc["model"]) ** 2).sum()) / sse_zero,
                      "hit_rate": float((np.sign(fc["model"]) == np.sign(fc["actual"])).mean()),
                      "n_forecasts": int(len(fc)), "first_forecast": fc.index[0]}
    return pd.DataFrame(rows).T


def carried(board: pd.DataFrame, max_age: int = 6) -> pd.DataFrame:
    """Each signal's last known state carried forward for at most ``max_age`` months.

    Series end at different dates (valuation data are published once a year, a proxy may end months
    before the macro data); a reading stays "today's" until it is older than ``max_age`` months. Uses
    only states dated at or before each month end.
    """
    if isinstance(max_age, bool) or not isinstance(max_age, (int, np.integer)) or not 0 <= max_age <= 36:
        raise ParameterError(f"max_age must be a whole number of months from 0 to 36; got {max_age!r}")
    return board.ffill(limit=int(max_age)) if max_age else board.copy()


def margins(proxy: str = "ff30_vw", as_of: str | pd.Timestamp | None = None, basis: str = "real-time"
            ) -> pd.DataFrame:
    """How far each signal stands from flipping, in standard deviations of its own history.

    For every signal with a continuous reading, ``margin`` = the reading minus its threshold,
    signed so that positive means favourable; ``z`` = the latest margin divided by the standard
    deviation of the margin's history (known at ``as_of``). Small ``|z|``: the signal is close to
    flipping. The calendar signal has no margin (NaN). ``basis`` as in :func:`states`: on ``"real-time"``
    the macro readings with vintages (:data:`REALTIME_BOARD`) are read within the FRED-MD vintage known at each
    month end where one covers it, so a margin has the sign of the state :func:`states` gives.

    Returns
    -------
    pd.DataFrame
        Indexed by signal key: ``date`` (latest reading), ``margin``, ``z``, ``favourable``.
    """
    from rotation.data import load, small_large
    from rotation.studies.economy import sahm_rule
    from rotation.studies.sectors import breadth, friday_closes
    from rotation.studies.series import chain_indexes
    from rotation.studies.valuation import valuation_spread

    t = None if as_of in (None, "") else pd.Timestamp(as_of)
    m: dict[str, pd.Series] = {}
    rut = _me(_load_close("^RUT", t))
    m["rut_near_high"] = rut / (0.95 * rut.cummax()) - 1
    sl = small_large(proxy, "M", end=t)
    rel = (1 + sl["small"]) / (1 + sl["large"]) - 1
    m["rs_momentum"] = np.expm1(np.log1p(rel).rolling(6, min_periods=6).sum())
    lvl = chain_indexes([load("TWEXMMTH", end=t).rename("TWEXMMTH"), load("TWEXBMTH", end=t).rename("TWEXBMTH"),
                         load("DTWEXBGS", end=t).rename("DTWEXBGS")], freq="ME", how="last")
    m["dollar_weakening"] = -lvl.pct_change(6, fill_method=None)
    m["rates_falling"] = -_market("DGS10", t).diff(6)
    m["fed_dovish"] = -(_market("DGS2", t).diff(6) + 0.25)
    m["credit_easing"] = -_market("BAA10Y", t).diff(6)
    m["conditions_easing"] = -_known("NFCI", t).diff(3)
    m["labour_robust"] = 0.5 - sahm_rule(_known("UNRATE", t))["gap"]
    m["sentiment_improving"] = _known("UMCSENT", t).diff(12)
    if basis == "real-time":
        m.update(_realtime_margins(m, t))
    elif basis != "latest":
        raise ParameterError(f"basis must be 'real-time' or 'latest'; got {basis!r}")
    sp = valuation_spread(load("sbm_beme_monthly", end=t), load("sbm_mktcap_monthly", end=t),
                          load("sbm_nfirms_monthly", end=t))["overall"].dropna()
    m["valuation_cheap"] = sp - sp.expanding(min_periods=120).quantile(0.8)
    px = friday_closes(pd.DataFrame({k: _load_close(k, t) for k in (*_SECTORS, "SPY")}))
    br = breadth(px[list(_SECTORS)].pct_change(13, fill_method=None), px["SPY"].pct_change(13, fill_method=None))
    m["breadth_broad"] = _me(br["share_beating"]) - 0.5
    xlk = pd.DataFrame({"XLK": _load_close("XLK", t), "SPY": _load_close("SPY", t)}).dropna()
    m["tech_weak"] = -_me(xlk["XLK"] / xlk["SPY"]).pct_change(6, fill_method=None)
    rows = {}
    for key in SIGNALS:
        s = m.get(key)
        if s is None or s.dropna().empty:
            rows[key] = {"date": pd.NaT, "margin": np.nan, "z": np.nan, "favourable": np.nan}
            continue
        s = s.dropna()
        sd = float(s.std())
        rows[key] = {"date": s.index[-1], "margin": float(s.iloc[-1]),
                     "z": float(s.iloc[-1] / sd) if sd > 0 else np.nan, "favourable": float(s.iloc[-1] > 0)}
    out = pd.DataFrame.from_dict(rows, orient="index")
    return out.astype({"margin": float, "z": float, "favourable": float})


#: The continuous readings behind :data:`REALTIME_BOARD`'s signals: (series, the margin within a vintage).
_REALTIME_MARGINS: dict[str, tuple[str, Callable[[pd.Series], pd.Series]]] = {
    "labour_robust": ("UNRATE", lambda u: 0.5 - _sahm_gap(u)),
    "sentiment_improving": ("UMCSENT", lambda x: x.diff(12)),
}


def _sahm_gap(u: pd.Series) -> pd.Series:
    from rotation.studies.economy import sahm_rule

    return sahm_rule(u)["gap"]


def _realtime_margins(m: dict[str, pd.Series], t: pd.Timestamp | None) -> dict[str, pd.Series]:
    """The margins of the macro signals within the vintage known at each month end, release-timed elsewhere."""
    from rotation.data.vintages import vintage_table
    from rotation.studies import realtime

    out = {}
    for key, (series, margin) in _REALTIME_MARGINS.items():
        latest = m[key].dropna()
        table = vintage_table(series, realtime.VINTAGE_SOURCES[series], end=t)
        frame = realtime.within_vintage(table, latest.index, margin)
        out[key] = frame["value"].where(frame["covered"] & frame["value"].notna(), latest)
    return out


def outcome_classes(log_ratio: pd.Series, dates: pd.DatetimeIndex | Sequence, *, lookback: int = 12, k: int = 3,
                    horizon: int = 6, blowoff_quantile: float = 0.9) -> pd.Series:
    """What followed each date on the small/large ratio: a sustained breakout, a blow-off, a false breakout, or none.

    Uses notebook 01's definitions on the monthly log relative strength: a **breakout** is the first
    month ``b`` in ``t+1..t+horizon`` whose ratio exceeds its prior ``lookback``-month high ``L``; it is
    **false** if the ratio closes below ``L`` within ``k`` months after ``b``; otherwise it is a
    **blow-off** when the rise from ``t`` to the peak up to ``t+horizon`` is above the ``blowoff_quantile``
    of all earlier ``horizon``-month rises (expanding, known at ``t``) and half of it is given back by
    ``t+horizon``; otherwise a **sustained breakout**. Dates without a breakout are ``"no breakout"``;
    dates whose window runs past the data are left out. These outcomes look ahead by design.
    """
    lr = log_ratio.dropna().astype(float)
    vals, idx = lr.to_numpy(), lr.index
    prior_high = lr.shift(1).rolling(lookback, min_periods=lookback).max().to_numpy()
    rises = (lr.rolling(horizon + 1, min_periods=horizon + 1).max() - lr.shift(horizon)).to_numpy()
    out = {}
    for d in pd.DatetimeIndex(dates):
        i = idx.searchsorted(d)
        if i >= len(idx) or idx[i] != d or i + horizon + k >= len(idx):
            continue
        window = range(i + 1, i + horizon + 1)
        b = next((j for j in window if np.isfinite(prior_high[j]) and vals[j] > prior_high[j]), None)
        if b is None:
            out[d] = "no breakout"
            continue
        level = prior_high[b]
        if (vals[b + 1 : b + k + 1] < level).any():
            out[d] = "false breakout"
            continue
        peak = vals[i + 1 : i + horizon + 1].max()
        rise = peak - vals[i]
        hist = rises[: i + 1]
        hist = hist[np.isfinite(hist)]
        cut = np.quantile(hist, blowoff_quantile) if len(hist) >= 24 else np.inf
        gave_back = vals[i + horizon] <= vals[i] + rise / 2
        out[d] = "blow-off" if rise > cut and gave_back else "sustained breakout"
    return pd.Series(out, name="outcome", dtype=object)
