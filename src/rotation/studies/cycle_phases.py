"""The business cycle's phases and turning points, and small caps in recessions beyond their beta.

The studies of notebook 05's cycle questions, each one call returning a result object that records
itself and says what it found in a sentence (:meth:`~rotation.stats.results.Estimates.describe`):

* :func:`phase_returns` -- the same month's relative return by NBER phase (early, mid and late
  third of expansions, recession);
* :func:`late_cycle_study` -- the late third against the early and mid thirds, and the real-time
  late-cycle flag against other months at each forward horizon;
* :func:`turning_points` -- the mean cumulative relative return around NBER peaks, troughs and the
  first Sahm-rule trigger of each episode;
* :func:`recession_beyond_beta` -- recession months once the market's return is in the regression.

Conventions as in :mod:`rotation.studies.economy`: macro values known at each month end; NBER dates
(USREC) are known only with hindsight, so the phase studies describe history; the forward return at
``t`` compounds ``t+1..t+h``; HAC errors with at least ``h-1`` lags.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies.economy import (
    PHASES,
    expansion_phases,
    interaction_regression,
    state_difference,
    state_table,
    turning_dates,
)
from rotation.studies.windows import event_window_paths, mean_path_with_bands

__all__ = ["phase_returns", "late_cycle_study", "first_triggers", "turning_points", "recession_beyond_beta"]

_RETURN = Units.returns("decimal relative return")


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _ci(row: pd.Series, units: Units = _RETURN) -> str:
    return f"95% CI {units.interval(row['ci_lower'], row['ci_upper'])}"


def phase_returns(returns: pd.Series, usrec: pd.Series) -> Estimates:
    """The same month's relative return by phase of the NBER cycle, with HAC errors.

    Each month is labelled recession, or the early, mid or late third of its expansion
    (:func:`rotation.studies.economy.expansion_phases`; **hindsight**: the thirds need the expansion's
    end date); months before the first trough and of the expansion still open are left out.

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal relative returns (small minus large), month-end dates.
    usrec : pd.Series
        The NBER recession indicator (0/1, month ends).

    Returns
    -------
    Estimates
        :func:`rotation.studies.economy.state_table` at horizon 0, its rows in the cycle's order (early,
        mid, late, recession; ``n_spells``: the separate runs of each phase), with ``.data`` = the phase of
        each month and a sentence giving each phase's mean.
    """
    phase = expansion_phases(usrec)
    est = state_table(returns, phase[phase != "open"], horizon=0)
    order = [p for p in (*PHASES, "recession") if p in est.table.index]
    t = est.table.loc[order]
    words = "; ".join(f"{p} {_RETURN.format(t.loc[p, 'estimate'])} ({_ci(t.loc[p])}; {int(t.loc[p, 'n_spells'])} "
                      "spells)" for p in order)
    sentence = (f"Small minus large caps in the same month, by phase of the NBER cycle (dated with hindsight), per "
                f"month: {words}.")
    return dataclasses.replace(est, table=t, data=phase.to_frame(), sentence=sentence)


def late_cycle_study(returns: pd.Series, usrec: pd.Series, late_flag: pd.Series, *, horizons: Sequence[int],
                     horizon: int) -> Results:
    """The late cycle two ways: the late third of NBER expansions (hindsight) and a real-time flag.

    ``nber_same_month``: the same month's relative return in the late third of expansions minus the
    early and mid thirds (recessions left out), ``relative = a + b * late``, HAC
    (:func:`rotation.studies.economy.state_difference`). ``realtime_fwd<h>m``: the relative return
    compounded over the next ``h`` months after a month in which the real-time flag was on, minus the
    other months, for each of ``horizons`` and the deciding ``horizon`` (always included).

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal relative returns (small minus large).
    usrec : pd.Series
        The NBER recession indicator (0/1, month ends).
    late_flag : pd.Series
        The late-cycle flag known at each month end (:func:`rotation.studies.economy.late_cycle_realtime`).
    horizons : sequence of int
        Forward months.
    horizon : int
        The horizon that decides the claims (computed even when ``horizons`` lacks it).

    Returns
    -------
    Results
        Parts ``nber_same_month`` and ``realtime_fwd<h>m`` (one row each, ``"in state minus other"``).
        ``.data``: the comparisons side by side (one labelled row each, for a table); ``title``: what
        they are and how the errors were computed.
    """
    hs = sorted({*(check_int(h, "horizons", minimum=1, maximum=600) for h in horizons),
                 check_int(horizon, "horizon", minimum=1, maximum=600)})
    phase = expansion_phases(usrec)
    nber = state_difference(returns, (phase == "late").where(phase.isin(["early", "mid", "late"])), horizon=0)
    parts = {"nber_same_month": nber, **{f"realtime_fwd{h}m": state_difference(returns, late_flag, horizon=h)
                                         for h in hs}}
    labels = {"nber_same_month": "late third vs early and mid (NBER, same month)",
              **{f"realtime_fwd{h}m": f"real-time late cycle, next {h} months" for h in hs}}
    side = pd.concat({labels[k]: p.table for k, p in parts.items()}, names=["comparison"]).droplevel(1)
    n = nber.table.iloc[0]
    fwd = "; ".join(f"next {h} months {_RETURN.format(parts[f'realtime_fwd{h}m'].estimate)} "
                    f"({_p(parts[f'realtime_fwd{h}m'].p_value)})" for h in hs)
    sentence = (f"In the late third of NBER expansions small minus large caps returned "
                f"{_RETURN.format(n['estimate'])} per month relative to the early and mid thirds ({_ci(n)}; "
                f"{_p(n['p_value'])}; {int(n['n_spells'])} late phases). After months flagged late-cycle in real "
                f"time ({int(parts[f'realtime_fwd{hs[0]}m'].table['n_state'].iloc[0])} months in "
                f"{int(parts[f'realtime_fwd{hs[0]}m'].table['n_spells'].iloc[0])} spells), relative to other "
                f"months: {fwd}.")
    title = (f"Late cycle, in the state minus other months. HAC intervals ({nber.method.describe()}; forward "
             "horizons use at least h-1 lags).")
    return Results(parts, title=title, sentence=sentence, data=side)


def first_triggers(sahm: pd.DataFrame) -> pd.DatetimeIndex:
    """The month each Sahm-rule episode starts: a trigger the month before did not have.

    Parameters
    ----------
    sahm : pd.DataFrame
        :func:`rotation.studies.economy.sahm_rule` (its ``trigger`` column, known at ``t``).

    Returns
    -------
    pd.DatetimeIndex
        The first triggered month of each run of triggered months.
    """
    if not isinstance(sahm, pd.DataFrame) or "trigger" not in sahm.columns:
        raise ParameterError("sahm must be the DataFrame of rotation.studies.economy.sahm_rule (a trigger column)")
    trig = sahm["trigger"].astype(bool)
    return trig[trig & ~trig.shift(1, fill_value=False)].index


def turning_points(returns: pd.Series, usrec: pd.Series, sahm: pd.DataFrame, *, before: int = 12,
                   after: int = 24, reps: int = 2000, seed: int = 0) -> Results:
    """The mean cumulative relative return around NBER peaks and troughs and the first Sahm trigger of each episode.

    Paths of the relative return from ``before`` months before each event to ``after`` months after
    (:func:`rotation.studies.windows.event_window_paths`, 0 at the end of the event month) and their
    mean with an iid bootstrap band over events (:func:`rotation.studies.windows.mean_path_with_bands`).
    NBER dates are known only with hindsight; the first Sahm trigger (:func:`first_triggers`) is the
    month a real-time reader could have known a recession had likely begun.

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal relative returns (small minus large).
    usrec : pd.Series
        The NBER recession indicator (0/1, month ends) (:func:`rotation.studies.economy.turning_dates`).
    sahm : pd.DataFrame
        :func:`rotation.studies.economy.sahm_rule` on the unemployment rate known at each month end.
    before, after : int
        Months shown before and after each event.
    reps, seed : int
        Bootstrap replications and seed (the same for each kind of event).

    Returns
    -------
    Results
        Parts ``"NBER peak"``, ``"NBER trough"`` and ``"Sahm trigger"``: one row per month from the
        event (``estimate`` = mean cumulative relative return, the band, ``nobs`` = events). The
        sentence gives each 12 months after the event (or ``after`` months when fewer).
    """
    b = check_int(before, "before", minimum=0, maximum=120)
    a = check_int(after, "after", minimum=0, maximum=120)
    turns = turning_dates(usrec)
    events = {"NBER peak": turns.loc[turns["kind"] == "peak", "date"],
              "NBER trough": turns.loc[turns["kind"] == "trough", "date"],
              "Sahm trigger": pd.Series(first_triggers(sahm))}
    parts = {}
    for name, dates in events.items():
        paths = event_window_paths(returns, list(dates), b, a)
        parts[name] = mean_path_with_bands(paths, reps=reps, seed=seed,
                                           title=f"Cumulative relative return around each {name}")
    k = 12 if a >= 12 else a
    words = "; ".join(f"{name} {_RETURN.format(p.table.loc[k, 'estimate'])} ({_ci(p.table.loc[k])}; "
                      f"{int(p.table.loc[k, 'nobs'])} events)" for name, p in parts.items())
    sentence = f"{k} months after the event, small minus large caps had returned, on average: {words}."
    return Results(parts, title="Small-minus-large around business-cycle turning points", sentence=sentence)


def recession_beyond_beta(returns: pd.Series, market: pd.Series, usrec: pd.Series, *, maxlags: int = 12) -> Estimates:
    """Recession months beyond the market beta: ``relative = a + b market + c recession + d market x recession``.

    If small caps fell more in recessions only because of a higher market beta, ``c`` would be 0 once
    the market's return is in the regression; ``c`` is the part of the shortfall the beta does not
    explain, ``d`` the change of the relative beta in recessions
    (:func:`rotation.studies.economy.interaction_regression`, HAC errors).

    Parameters
    ----------
    returns : pd.Series
        Monthly decimal relative returns (small minus large).
    market : pd.Series
        The market's monthly excess return (e.g. Fama-French ``Mkt-RF``, decimal); aligned to ``returns``.
    usrec : pd.Series
        The NBER recession indicator (0/1, month ends), aligned to ``returns``.
    maxlags : int, default 12
        Newey-West lags.

    Returns
    -------
    Estimates
        Rows ``const, market, indicator, market_x_indicator`` (``indicator``: recession months), ``extra``
        ``rsquared``; the sentence gives the recession term and the change of the beta.
    """
    if not isinstance(returns, pd.Series):
        raise ParameterError(f"returns must be a pandas Series of monthly relative returns; "
                             f"got {type(returns).__name__}")
    est = interaction_regression(returns, market.reindex(returns.index), usrec.reindex(returns.index), maxlags=maxlags)
    t = est.table
    c, d, m = t.loc["indicator"], t.loc["market_x_indicator"], t.loc["market"]
    sentence = (f"With the market's excess return in the regression (relative market beta {m['estimate']:+.3f}, "
                f"{_p(m['p_value'])}), recession months add {_RETURN.format(c['estimate'])} per month to small minus "
                f"large caps ({_ci(c)}; {_p(c['p_value'])}), and the relative beta changes by {d['estimate']:+.3f} in "
                f"recessions (95% CI {d['ci_lower']:+.3f} to {d['ci_upper']:+.3f}). \"Less diversified and more "
                "leveraged\" predicts a negative recession term or a higher beta in recessions.")
    return dataclasses.replace(est, sentence=sentence)
