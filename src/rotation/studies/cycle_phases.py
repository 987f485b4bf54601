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
from rotation.stats.units import Units, format_p
from rotation.studies.economy import (
    PHASES,
    expansion_phases,
    interaction_regression,
    state_difference,
    state_table,
    turning_dates,
)
from rotation.studies.windows import event_window_paths, mean_path_with_bands

__all__ = ["phase_returns", "late_cycle_study", "first_triggers", "trigger_episodes", "turning_points",
           "recession_beyond_beta", "recession_shortfall"]

_RETURN = Units.returns("decimal relative return")


def _p(p: float) -> str:
    return format_p(p)


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
    """The late cycle two ways: a flag known at each month end, and the late third of NBER expansions (hindsight).

    ``realtime_fwd<h>m``: the relative return compounded over the next ``h`` months after a month in
    which the late-cycle flag (from release-timed values, FRED's latest vintage) was on, minus the other
    months, for each of ``horizons`` and the deciding ``horizon`` (always included). ``nber_same_month``,
    a description that needs the expansion's end date (hindsight): the same month's relative return in
    the late third of expansions minus the early and mid thirds (recessions left out),
    ``relative = a + b * late``, HAC (:func:`rotation.studies.economy.state_difference`).

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
    labels = {"nber_same_month": "late third vs early and mid (NBER, hindsight, same month)",
              **{f"realtime_fwd{h}m": f"release-timed late cycle (latest vintage), next {h} months" for h in hs}}
    side = pd.concat({labels[k]: p.table for k, p in parts.items()}, names=["comparison"]).droplevel(1)
    n = nber.table.iloc[0]
    fwd = "; ".join(f"next {h} months {_RETURN.format(parts[f'realtime_fwd{h}m'].estimate)} "
                    f"({_p(parts[f'realtime_fwd{h}m'].p_value)})" for h in hs)
    first = parts[f"realtime_fwd{hs[0]}m"].table.iloc[0]
    sentence = (f"After months flagged late-cycle from release-timed values (latest vintage; "
                f"{int(first['n_state'])} months in {int(first['n_spells'])} spells), small minus large caps "
                f"returned, relative to other months: {fwd}. Described with hindsight, not a signal: in the late "
                f"third of NBER expansions they returned {_RETURN.format(n['estimate'])} per month relative to the "
                f"early and mid thirds ({_ci(n)}; {_p(n['p_value'])}; {int(n['n_spells'])} late phases).")
    title = (f"Late cycle, in the state minus other months. HAC intervals ({nber.method.describe()}; forward "
             "horizons use at least h-1 lags).")
    return Results(parts, title=title, sentence=sentence, data=side)


def first_triggers(sahm: pd.DataFrame) -> pd.DatetimeIndex:
    """The month each run of Sahm-rule triggers starts: a trigger the month before did not have.

    A run whose month before is unknown (the rule's gap undefined, before enough history) has no
    known start and is left out: it may have started earlier.

    Parameters
    ----------
    sahm : pd.DataFrame
        :func:`rotation.studies.economy.sahm_rule` (its ``trigger`` column, known at ``t``; missing
        where the gap is undefined).

    Returns
    -------
    pd.DatetimeIndex
        The first triggered month of each run of triggered months.
    """
    if not isinstance(sahm, pd.DataFrame) or "trigger" not in sahm.columns:
        raise ParameterError("sahm must be the DataFrame of rotation.studies.economy.sahm_rule (a trigger column)")
    trig = sahm["trigger"].astype("boolean")
    before = trig.shift(1)
    start = trig.fillna(False) & before.notna() & ~before.fillna(True)
    return trig.index[start.to_numpy(dtype=bool)]


def trigger_episodes(sahm: pd.DataFrame, usrec: pd.Series, *, lead: int = 12) -> pd.DataFrame:
    """Sahm-rule episodes: runs of triggers that belong to one NBER recession count once.

    Each run's first month (:func:`first_triggers`) belongs to the NBER recession whose months, or the
    ``lead`` months before its first month, contain it; runs in no such window are episodes of their
    own (false alarms). Each episode is dated by its first run, the month a real-time reader saw the
    rule trigger: 1959-12 and 1960-11 are one episode (the 1960-61 recession), so a bootstrap over
    episodes draws it once. The grouping uses NBER dates (hindsight); the dates stay real-time.

    Parameters
    ----------
    sahm : pd.DataFrame
        :func:`rotation.studies.economy.sahm_rule`.
    usrec : pd.Series
        The NBER recession indicator (0/1, month ends).
    lead : int, default 12
        Months before a recession's first month in which a trigger already counts for it.

    Returns
    -------
    pd.DataFrame
        One row per episode: ``date`` (its first trigger), ``recession_start`` (first recession month, NaT
        for a false alarm) and ``runs`` (runs of triggers merged into it).
    """
    k = check_int(lead, "lead", minimum=0, maximum=120)
    r = usrec.dropna().astype(int)
    first = r.index[((r == 1) & (r.shift(1, fill_value=0) == 0)).to_numpy()]
    last = r.index[((r == 1) & (r.shift(-1, fill_value=0) == 0)).to_numpy()]
    rows = []
    for date in first_triggers(sahm):
        hit = [a for a, b in zip(first, last, strict=True) if a - pd.DateOffset(months=k) <= date <= b]
        rows.append({"date": date, "recession_start": hit[0] if hit else pd.NaT})
    runs = pd.DataFrame(rows, columns=["date", "recession_start"])
    key = runs["recession_start"].where(runs["recession_start"].notna(), runs["date"])
    out = runs.groupby(key, sort=True).agg(date=("date", "min"), recession_start=("recession_start", "first"),
                                           runs=("date", "size"))
    return out.sort_values("date").reset_index(drop=True)


def turning_points(returns: pd.Series, usrec: pd.Series, sahm: pd.DataFrame, *, before: int = 12,
                   after: int = 24, reps: int = 2000, seed: int = 0, episode_lead: int = 12) -> Results:
    """The mean cumulative relative return around NBER peaks and troughs and the first Sahm trigger of each episode.

    Paths of the relative return from ``before`` months before each event to ``after`` months after
    (:func:`rotation.studies.windows.event_window_paths`, 0 at the end of the event month) and their
    mean with an iid bootstrap band over events (:func:`rotation.studies.windows.mean_path_with_bands`).
    NBER dates are known only with hindsight; the first Sahm trigger of each episode
    (:func:`trigger_episodes`: the runs of triggers of one recession are one event) is the month a
    reader could have known, from the release-timed unemployment rate, that a recession had likely begun.

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
    episode_lead : int, default 12
        Months before a recession in which a Sahm trigger already belongs to it (:func:`trigger_episodes`).

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
              "Sahm trigger": trigger_episodes(sahm, usrec, lead=episode_lead)["date"]}
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


def recession_shortfall(returns: pd.Series, market: pd.Series, usrec: pd.Series, *, maxlags: int = 12) -> Results:
    """Small caps in recessions, two ways: the shortfall itself, and what is left of it beyond the market beta.

    ``unconditional``: the same month's relative return in NBER recession months minus the other months,
    ``relative = a + b * recession``, HAC (:func:`rotation.studies.economy.state_difference`, ``maxlags``
    lags): what a holder of small caps against large caps lived through. ``beyond_beta``:
    :func:`recession_beyond_beta`, the part a higher market beta does not explain.

    Parameters
    ----------
    returns, market, usrec, maxlags
        As in :func:`recession_beyond_beta`.

    Returns
    -------
    Results
        Parts ``unconditional`` (one row, ``"in state minus other"``) and ``beyond_beta`` (rows ``const,
        market, indicator, market_x_indicator``); the sentence gives both.
    """
    beyond = recession_beyond_beta(returns, market, usrec, maxlags=maxlags)
    plain = dataclasses.replace(state_difference(returns, usrec.reindex(returns.index), horizon=0, maxlags=maxlags),
                                title="Recession months minus other months, same month (no market control)")
    u, c, m = plain.table.iloc[0], beyond.table.loc["indicator"], beyond.table.loc["market"]
    sentence = (f"In NBER recession months small minus large caps returned {_RETURN.format(u['estimate'])} per "
                f"month relative to other months ({_ci(u)}; t {u['t']:+.2f}; {int(u['n_state'])} months in "
                f"{int(u['n_spells'])} recessions). With the market's return in the regression (relative beta "
                f"{m['estimate']:+.3f}), recession months add {_RETURN.format(c['estimate'])} ({_ci(c)}; "
                f"{_p(c['p_value'])}).")
    return Results({"unconditional": plain, "beyond_beta": beyond},
                   title="Small minus large caps in recessions: the shortfall, and beyond the market beta",
                   sentence=sentence)
