"""Release-timed macro signals (latest vintage): their states at each month end, and the relative returns that followed.

The studies of notebook 05's signal questions, each one call returning a result object that records
itself and says what it found in a sentence (:meth:`~rotation.stats.results.Estimates.describe`):

* :func:`signal_states` and :func:`signal_levels` -- the eight signals the commentary names (labour
  market, claims, payrolls, industrial production, GDP, sentiment, the yield curve, inflation) as
  0/1 states and as continuous predictors, from values **known at each month end**;
* :func:`signal_study` -- the forward relative return in each state minus the other months, with
  Holm's adjustment over all the tests;
* :func:`predictive_study` -- the continuous signals as predictors: HAC predictive regressions and
  the expanding-window out-of-sample R²;
* :func:`resilient_state` -- the commentary's "robust labour market and improving confidence";
* :func:`where_we_stand` -- each signal's latest state and what followed that state.

Conventions as in :mod:`rotation.studies.economy`: a state at month end ``t`` uses macro values
published by ``t`` (:func:`rotation.data.load_known`); the forward return at ``t`` compounds
``t+1..t+h``; HAC errors with at least ``h-1`` lags. FRED's latest vintage includes revisions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.multiple import adjust_pvalues
from rotation.stats.regressions import oos_r2, predictive_regression
from rotation.stats.results import VOCABULARY, Estimates, Method
from rotation.stats.units import Units
from rotation.studies.economy import state_difference

__all__ = ["MACRO_SERIES", "signal_states", "signal_levels", "resilient_state", "signal_study", "predictive_study",
           "where_we_stand"]

#: The FRED series behind the signals, as loaded with ``load_known(name, "ME")``.
MACRO_SERIES: tuple[str, ...] = ("UNRATE", "ICSA", "PAYEMS", "INDPRO", "GDPC1", "UMCSENT", "T10Y2Y", "CPIAUCSL")

#: The three signals whose joint state is the commentary's resilient economy, and the state each must be in.
RESILIENT: dict[str, float] = {"Sahm rule triggered": 0.0, "claims up >10% over 26 weeks": 0.0,
                               "sentiment rising (12m)": 1.0}

_RETURN = Units.returns("decimal relative return")


def _series(known: Mapping[str, pd.Series]) -> tuple[pd.Series, ...]:
    missing = [k for k in MACRO_SERIES if k not in known]
    if missing:
        raise ParameterError(f"known must hold the series {', '.join(MACRO_SERIES)} (values known at each month end); "
                             f"missing {missing}")
    return tuple(known[k] for k in MACRO_SERIES)


def _flag(condition: pd.Series, known: pd.Series) -> pd.Series:
    """``condition`` as 0/1, NaN where its input is not known."""
    return condition.astype(float).where(known.notna())


def signal_states(known: Mapping[str, pd.Series], sahm: pd.DataFrame) -> pd.DataFrame:
    """The eight signals as states (1 in the state, 0 not, NaN unknown) at each month end, known then.

    Parameters
    ----------
    known : mapping of str to pd.Series
        :data:`MACRO_SERIES` as known at each month end (``load_known(name, "ME")``).
    sahm : pd.DataFrame
        :func:`rotation.studies.economy.sahm_rule` on the known unemployment rate.

    Returns
    -------
    pd.DataFrame
        Columns ``Sahm rule triggered``, ``claims up >10% over 26 weeks`` (6 month ends of the weekly
        series), ``payrolls growing (12m)``, ``industrial production growing (12m)``, ``real GDP growing
        (4 quarters)``, ``sentiment rising (12m)``, ``curve inverted`` (10y-2y <= 0) and ``inflation above
        4%`` (CPI over 12 months). Known at ``t``.
    """
    _, claims, pay, ip, gdp, sent, curve, cpi = _series(known)
    return pd.DataFrame({
        "Sahm rule triggered": sahm["trigger"].astype(float),
        "claims up >10% over 26 weeks": _flag(claims.pct_change(6) > 0.10, claims.pct_change(6)),
        "payrolls growing (12m)": _flag(pay.pct_change(12) > 0, pay.pct_change(12)),
        "industrial production growing (12m)": _flag(ip.pct_change(12) > 0, ip.pct_change(12)),
        "real GDP growing (4 quarters)": _flag(gdp.pct_change(12) > 0, gdp.pct_change(12)),
        "sentiment rising (12m)": _flag(sent.diff(12) > 0, sent.diff(12)),
        "curve inverted": _flag(curve <= 0, curve),
        "inflation above 4%": _flag(cpi.pct_change(12) > 0.04, cpi.pct_change(12)),
    })


def signal_levels(known: Mapping[str, pd.Series], sahm: pd.DataFrame) -> dict[str, pd.Series]:
    """The same signals as continuous predictors known at each month end.

    Parameters
    ----------
    known, sahm
        As in :func:`signal_states`.

    Returns
    -------
    dict of str to pd.Series
        ``unemployment gap (Sahm)`` (percentage points), ``claims 26-week log change``, ``payroll growth
        (12m)``, ``IP growth (12m)``, ``GDP growth (4q)``, ``sentiment change (12m)`` (index points),
        ``10y-2y spread`` (percentage points) and ``CPI inflation (12m)`` (decimal changes otherwise).
    """
    _, claims, pay, ip, gdp, sent, curve, cpi = _series(known)
    return {"unemployment gap (Sahm)": sahm["gap"], "claims 26-week log change": np.log(claims).diff(6),
            "payroll growth (12m)": pay.pct_change(12), "IP growth (12m)": ip.pct_change(12),
            "GDP growth (4q)": gdp.pct_change(12), "sentiment change (12m)": sent.diff(12), "10y-2y spread": curve,
            "CPI inflation (12m)": cpi.pct_change(12)}


def resilient_state(states: pd.DataFrame) -> pd.Series:
    """The commentary's resilient economy at each month end: no Sahm trigger, claims not surging, sentiment rising.

    Parameters
    ----------
    states : pd.DataFrame
        :func:`signal_states`.

    Returns
    -------
    pd.Series
        1 when all three :data:`RESILIENT` signals are in their state, 0 when one is not, NaN when one is
        unknown. Known at ``t``.
    """
    missing = [k for k in RESILIENT if k not in states.columns]
    if missing:
        raise ParameterError(f"states must have the columns {list(RESILIENT)} (signal_states); missing {missing}")
    (sahm_name, sahm_state), (claims_name, claims_state), (sent_name, sent_state) = RESILIENT.items()
    both = ((states[sahm_name] == sahm_state) & (states[claims_name] == claims_state)
            & (states[sent_name] == sent_state))
    return both.astype(float).where(states[list(RESILIENT)].notna().all(axis=1))


def signal_study(returns: pd.Series, states: pd.DataFrame, *, horizons: Sequence[int], horizon: int) -> Estimates:
    """The forward relative return in each signal's state minus the other months, with Holm's adjustment.

    For each signal with both states in the data and each of ``horizons`` and the deciding ``horizon``
    (always included): ``fwd_h = a + b * state`` with HAC errors, ``max(h - 1, 12)`` lags
    (:func:`rotation.studies.economy.state_difference`). ``p_value_holm`` adjusts all these p-values
    together (Holm; the tests are not independent, the adjustment is conservative).

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal relative returns (small minus large).
    states : pd.DataFrame
        :func:`signal_states` (1/0/NaN, known at each month end).
    horizons : sequence of int
        Forward months.
    horizon : int
        The deciding horizon (the sentence reports it).

    Returns
    -------
    Estimates
        Rows (``signal``, ``horizon``): the vocabulary, ``n_state``, ``n_spells`` (separate runs of the
        state), ``median_state``, ``share_positive_state``, ``p_value_holm`` and ``maxlags``.
    """
    hs = sorted({*(check_int(h, "horizons", minimum=1, maximum=600) for h in horizons),
                 check_int(horizon, "horizon", minimum=1, maximum=600)})
    rows = {}
    for name in states:
        for h in hs:
            s = states[name].dropna()
            if s.nunique() == 2:
                rows[(name, h)] = state_difference(returns, s, horizon=h).table.iloc[0]
    if not rows:
        raise ParameterError("no signal has both states in the data: nothing to compare")
    table = pd.DataFrame(rows).T.rename_axis(["signal", "horizon"])
    table = table.astype({"nobs": int, "n_state": int, "n_spells": int})
    table["p_value_holm"] = adjust_pvalues(table["p_value"], "holm")
    table["maxlags"] = [max(h - 1, 12) for _, h in table.index]
    lags = sorted(set(table["maxlags"]))
    method = Method(kind="HAC", cov_type="HAC", lags=lags[0] if len(lags) == 1 else None,
                    lag_rule="max(h - 1, 12) per horizon",
                    note=f"p_value_holm: Holm's adjustment over the {len(table)} tests (signals x horizons)")
    at = table.xs(horizon, level="horizon")
    sig = at[at["p_value_holm"] < 0.05]

    def listed(frame: pd.DataFrame) -> str:
        return ", ".join(f"{n} {_RETURN.format(r['estimate'])}" for n, r in frame.iterrows()) or "none"

    sentence = (f"{len(table)} tests (signals x horizons); p_value_holm adjusts their p-values for multiple testing "
                f"(Holm). Over the next {horizon} months, in the state minus the other months, significant after the "
                f"adjustment: {listed(sig)}; not significant: {listed(at.drop(sig.index))}.")
    return Estimates(table, method, Units.returns("decimal relative return compounded over the next h months, in "
                                                  "the state minus other months"),
                     "Forward relative return in each signal's state minus other months (rows: signal, h months)",
                     sentence=sentence)


def predictive_study(returns: pd.Series, predictors: Mapping[str, pd.Series], *, horizon: int = 12,
                     min_train: int = 120) -> Estimates:
    """Continuous signals as predictors of the next ``horizon`` months' relative return.

    For each predictor (known at ``t``): the HAC predictive regression of the relative return summed
    over ``t+1..t+h`` on it (:func:`rotation.stats.regressions.predictive_regression`, at least ``h-1``
    lags), and the expanding-window out-of-sample R² against the historical mean
    (:func:`rotation.stats.regressions.oos_r2`, first forecast after ``min_train`` months).

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal relative returns (small minus large).
    predictors : mapping of str to pd.Series
        :func:`signal_levels`.
    horizon : int, default 12
    min_train : int, default 120

    Returns
    -------
    Estimates
        One row per predictor: the slope in the vocabulary (its units are the predictor's), ``rsquared``,
        ``maxlags``, ``oos_r2`` and ``oos_n`` (out-of-sample forecasts).
    """
    h = check_int(horizon, "horizon", minimum=1, maximum=600)
    rows = {}
    for name, x in predictors.items():
        x = x.dropna().rename("x")
        fit = predictive_regression(returns, x, horizon=h)
        oos = oos_r2(returns, x, horizon=h, min_train=min_train)
        rows[name] = {**fit.table.loc["x"].to_dict(), "oos_r2": oos.estimate, "oos_n": oos.nobs}
    table = pd.DataFrame.from_dict(rows, orient="index").astype({"nobs": int, "maxlags": int, "oos_n": int})
    table.index.name = "predictor"
    best = table["oos_r2"].idxmax()
    sig = table.index[table["p_value"] < 0.05]
    sentence = (f"Predicting the next {h} months' relative return: the slope is significant (HAC) for "
                f"{', '.join(sig) or 'none'}; out of sample, the best predictor is {best} with R² "
                f"{table.loc[best, 'oos_r2']:+.4f} against the historical mean "
                f"({int((table['oos_r2'] > 0).sum())} of {len(table)} predictors beat it).")
    return Estimates(table, Method(kind="HAC", cov_type="HAC", lags=None, lag_rule="max(h - 1, Newey-West rule)",
                                   note="oos_r2: expanding-window out-of-sample R² against the historical mean"),
                     Units.number(f"slope: next-{h}-month relative return (summed) per unit of the predictor"),
                     f"Predictive regressions of the next {h} months' relative return", sentence=sentence)


def where_we_stand(states: pd.DataFrame, signals: Estimates, late_flag: pd.Series, sahm: pd.DataFrame, *,
                   horizon: int, basis: pd.DataFrame | None = None, late_basis: pd.Series | None = None) -> Estimates:
    """Each signal's latest state (as known at the data's last month end) and what followed that state.

    Parameters
    ----------
    states : pd.DataFrame
        :func:`signal_states`.
    signals : Estimates
        :func:`signal_study` (rows at ``horizon``).
    late_flag : pd.Series
        The late-cycle flag, release-timed (:func:`rotation.studies.economy.late_cycle_realtime`).
    sahm : pd.DataFrame
        :func:`rotation.studies.economy.sahm_rule` (its latest ``gap``).
    horizon : int
        The forward months reported.
    basis, late_basis : optional
        Each signal's basis by month and the flag's (:class:`rotation.studies.realtime.RealTimeSignals`): the
        table's ``basis`` column says what the latest reading is on (``"real-time"``, ``"latest"``, ...);
        without them every reading is release-timed (latest vintage).

    Returns
    -------
    Estimates
        One row per signal: ``estimate`` = the relative return over the next ``horizon`` months in the
        current state minus the other state (the signal study's estimate, its sign turned when the state
        is off; interval and t turned with it), ``as_of`` (the latest month known) and ``state``. NaN
        where the signal study has no row. ``extra``: ``late_cycle_realtime``, ``late_cycle_as_of`` and
        ``sahm_gap`` (the latest values).
    """
    h = check_int(horizon, "horizon", minimum=1, maximum=600)
    rows = {}
    for name in states:
        s = states[name].dropna()
        state = bool(s.iloc[-1])
        row = dict.fromkeys(VOCABULARY, np.nan)
        if (name, h) in signals.table.index:
            r = signals.table.loc[(name, h)]
            sign = 1 if state else -1
            lo, hi = (r["ci_lower"], r["ci_upper"]) if state else (-r["ci_upper"], -r["ci_lower"])
            row.update(estimate=r["estimate"] * sign, std_err=r["std_err"], t=r["t"] * sign, p_value=r["p_value"],
                       ci_lower=lo, ci_upper=hi, nobs=r["nobs"])
        on = "latest" if basis is None or name not in basis.columns else str(basis[name].get(s.index[-1], "latest"))
        rows[name] = {**row, "as_of": s.index[-1], "state": state, "basis": on}
    table = pd.DataFrame.from_dict(rows, orient="index")
    if table["nobs"].notna().all():
        table = table.astype({"nobs": int})
    late_on = "latest" if late_basis is None else str(late_basis.get(late_flag.index[-1], "latest"))
    extra = {"late_cycle_realtime": bool(late_flag.iloc[-1]), "late_cycle_as_of": late_flag.index[-1],
             "late_cycle_basis": late_on, "sahm_gap": float(sahm["gap"].dropna().iloc[-1])}
    def on(b: str) -> str:
        return "real-time vintage" if b == "real-time" else ("latest vintage" if b == "latest" else b)

    words = "; ".join(f"{n} {'yes' if r['state'] else 'no'} ({r['as_of']:%Y-%m}, {on(r['basis'])}: "
                      f"{_RETURN.format(r['estimate'])})" for n, r in table.iterrows())
    sentence = (f"Latest state of each signal, with the relative return over the next {h} months that followed the "
                f"same state in the past, minus the other state: {words}. The late-cycle flag is "
                f"{'on' if extra['late_cycle_realtime'] else 'off'} ({extra['late_cycle_as_of']:%Y-%m}, "
                f"{on(late_on)}); the Sahm gap "
                f"is {extra['sahm_gap']:.2f} percentage points.")
    method = dataclasses.replace(signals.method, note=f"the signal study's row at {h} months; estimate, t and "
                                                      "interval turned when the state is off")
    return Estimates(table, method, Units.returns(f"decimal relative return over the next {h} months, in the "
                                                          "current state minus the other state"),
                     "Where we stand: each signal's latest state and what followed it", extra=extra,
                     sentence=sentence)
