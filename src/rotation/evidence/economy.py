"""Evidence for the economy claims (notebook 05), assembled from the studies' results.

:func:`verdicts` takes what notebook 05 computed on its proxy, runs the same comparisons on the
second proxy the claims declare, computes the resilient-economy state difference the
``economic_resilience`` claim is decided on (at the horizon declared with it, in the whole sample
and in each half), builds each claim's :class:`Evidence` with the checks its
:class:`~rotation.evidence.claims.Decision` declares, and decides it. Every effect is a row of a
study's result; nothing is rounded here.
"""

from __future__ import annotations

import pandas as pd

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence.claims import second_proxy
from rotation.evidence.dated import AS_OF, then_cut, then_or_undecided
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide, revision_check
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies import cycle_phases, economy, macro_signals
from rotation.studies.returns import relative_returns

__all__ = ["second_proxy", "deciding_horizon", "verdicts", "CLAIM_IDS"]

#: The claims this module decides, in the commentary's order.
CLAIM_IDS = ("late_cycle", "economic_resilience", "recession_risk")

_SAME_MONTH = Units.returns("decimal relative return per month, late third minus early and mid thirds")
_PER_MONTH = Units.returns("decimal relative return per month")


def deciding_horizon(claim_id: str = "economic_resilience") -> int:
    """The forward horizon (months) a claim of notebook 05 is decided at, as declared with it.

    ``economic_resilience`` (the default) and ``late_cycle`` each declare theirs
    (:mod:`rotation.evidence.claims`).
    """
    h = claims.get(claim_id).decision.horizon
    if h is None:
        raise ParameterError(f"the {claim_id} claim declares no horizon (rotation.evidence.claims)")
    return int(h)


def _forward(h: int) -> Units:
    return Units.returns(f"decimal relative return over the next {h} months, in the state minus other months")


def _own_sample(proxy: str, result: Estimates) -> Sample:
    """The test's own sample: the months its regression used (``result.data``), not the return sample."""
    return Sample.of(proxy, result.data.index)


def _late_cycle(proxy: str, alt: str, rel_alt: pd.Series, late_flag: pd.Series, late: Results) -> Verdict:
    return decide(_late_evidence(proxy, alt, rel_alt, late_flag, late))


def _late_evidence(proxy: str, alt: str, rel_alt: pd.Series, late_flag: pd.Series, late: Results) -> Evidence:
    h = deciding_horizon("late_cycle")
    head, nber = late[f"realtime_fwd{h}m"], late["nber_same_month"].table.iloc[0]
    on_alt = economy.state_difference(rel_alt, late_flag, horizon=h)
    others = sorted(int(k[len("realtime_fwd"):-1]) for k in late.parts if k.startswith("realtime_fwd"))
    flag = "late cycle from release-timed values (latest vintage)"
    return Evidence(
        claim_id="late_cycle",
        headline=Effect.from_row(f"{flag}, next {h} months minus other months ({proxy})", head, _forward(h)),
        sample=_own_sample(proxy, head),
        method=f"forward {h}-month returns on the late-cycle flag (unemployment within a band of its 36-month "
               f"low and a flat or inverted 10y-2y curve, known at each month end), HAC ({head.method.lags} lags)",
        checks=(Check("proxy", Effect.from_row(f"{flag}, next {h} months ({alt})", on_alt, _forward(h))),
                *(Check("horizon", Effect.from_row(f"{flag}, next {k} months", late[f"realtime_fwd{k}m"],
                                                   _forward(k))) for k in others if k != h)),
        caveats=(f"{int(head.table['n_spells'].iloc[0])} late-cycle spells: few independent episodes.",
                 "FRED's latest vintage: unemployment revisions nobody had at the time remain.",
                 f"Described, not deciding (needs the next NBER peak, hindsight): in the late third of NBER "
                 f"expansions small minus large returned {_SAME_MONTH.format(nber['estimate'])} per month relative "
                 f"to the early and mid thirds ({_SAME_MONTH.interval(nber['ci_lower'], nber['ci_upper'])}, "
                 f"p = {nber['p_value']:.3f}, {int(nber['n_spells'])} late phases)."),
    )


def _resilience(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, states: pd.DataFrame, h: int) -> Verdict:
    """Decided now, and then: the same test on the months, forward windows and macro states published by the
    commentary's date (with the state at that date as a caveat)."""
    cut = then_cut(rel, proxy)

    def then() -> Evidence:
        # the macro states known then, and never past the run's own sample (an ``end`` before the date)
        known = states.loc[states.index <= min(pd.Timestamp(AS_OF), rel.index[-1])]
        state = macro_signals.resilient_state(known).dropna()
        now = ("unknown" if state.empty else
               f"{'resilient' if state.iloc[-1] == 1 else 'not resilient'} at {state.index[-1]:%Y-%m-%d}")
        return _resilience_evidence(proxy, alt, cut, then_cut(rel_alt, alt), known, h,
                                    caveat=f"The state as of {AS_OF} (macro data release-timed to then, latest "
                                           f"vintage): {now}.")

    return decide(_resilience_evidence(proxy, alt, rel, rel_alt, states, h),
                  then=then_or_undecided("economic_resilience", then, min_rows=2 * h + 2, data=cut))


def _resilience_evidence(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, states: pd.DataFrame, h: int,
                         caveat: str = "") -> Evidence:
    resilient = macro_signals.resilient_state(states)
    main = economy.state_difference(rel, resilient, horizon=h)
    on_alt = economy.state_difference(rel_alt, resilient, horizon=h)
    mid = rel.index[len(rel) // 2]
    halves = [economy.state_difference(rel.loc[a:b], resilient, horizon=h) for a, b in ((None, mid), (mid, None))]
    units = _forward(h)
    return Evidence(
        claim_id="economic_resilience",
        headline=Effect.from_row(f"resilient economy (no Sahm trigger, claims not surging, sentiment rising) ({proxy})",
                                 main, units),
        sample=_own_sample(proxy, main),
        method=f"forward {h}-month returns on a state dummy, HAC ({main.method.lags} lags); macro data lagged to "
               "publication",
        checks=(Check("proxy", Effect.from_row(f"resilient economy ({alt})", on_alt, units)),
                *(Check("subperiod", Effect.from_row(f"resilient economy, {name} half", r, units))
                  for name, r in zip(("first", "second"), halves, strict=True))),
        caveats=("FRED's latest vintage includes revisions (payrolls, sentiment): the values are release-timed (latest "
                 "vintage), not the first releases.", *((caveat,) if caveat else ())),
    )


def _recession(proxy: str, alt: str, rel_alt: pd.Series, usrec: pd.Series, market: pd.Series,
               recession: Results) -> Verdict:
    plain, beyond = recession["unconditional"], recession["beyond_beta"]
    on_alt = economy.state_difference(rel_alt, usrec.reindex(rel_alt.index), horizon=0,
                                      maxlags=plain.method.lags)
    c = beyond.row("indicator")
    return decide(Evidence(
        claim_id="recession_risk",
        headline=Effect.from_row(f"recession months minus other months ({proxy}), which decides: the claim names the "
                                 "outcome, and a higher market beta is part of it (beyond the market beta, the control "
                                 f"check: {_PER_MONTH.format(c['estimate'])}, p = {c['p_value']:.3f})",
                                 plain, _PER_MONTH),
        sample=_own_sample(proxy, plain),
        method=f"OLS of relative returns on a recession dummy, HAC ({plain.method.lags} lags); the unconditional "
               "shortfall decides (declared with the claim: the claim names an outcome, and a higher market beta "
               "is one way leverage shows)",
        checks=(Check("proxy", Effect.from_row(f"recession months minus other months ({alt})", on_alt,
                                               _PER_MONTH)),
                Check("control", Effect.from_row(f"recession months beyond the market beta ({proxy})", c,
                                                 _PER_MONTH))),
        caveats=("NBER recession months are known only with hindsight.",
                 "Leverage and diversification are not measured here: the test is an association with recessions.",
                 f"Beyond the market beta (relative beta {beyond.row('market')['estimate']:+.3f}) the recession "
                 f"months add {_PER_MONTH.format(c['estimate'])} "
                 f"({_PER_MONTH.interval(c['ci_lower'], c['ci_upper'])}, p = {c['p_value']:.3f}); the control "
                 "check, not the decider: a higher beta is part of what the claim describes."),
    ))


def verdicts(*, proxy: str, alt: str, rel: pd.Series, alt_rets: pd.DataFrame, usrec: pd.Series,
             market: pd.Series, states: pd.DataFrame, late_flag: pd.Series, late: Results,
             recession: Results, realtime=None) -> list[Verdict]:
    """The verdicts of the economy claims.

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    rel : pd.Series
        The notebook's monthly relative returns (small minus large).
    alt_rets : pd.DataFrame
        Monthly ``small``/``large`` returns of the second proxy over the notebook's sample.
    usrec, market : pd.Series
        The NBER recession indicator and the market's excess return the notebook used.
    states : pd.DataFrame
        :func:`rotation.studies.macro_signals.signal_states` (the resilient economy is built from it).
    late_flag : pd.Series
        The late-cycle flag known at each month end (:func:`rotation.studies.economy.late_cycle_realtime`).
    late, recession
        The notebook's results: :func:`rotation.studies.cycle_phases.late_cycle_study` (with the horizon
        ``late_cycle`` declares among its parts) and :func:`rotation.studies.cycle_phases.recession_shortfall`.
    realtime : RealTimeSignals, optional
        :func:`rotation.studies.realtime.realtime_signals`: the claims that declare a real-time check
        (``Decision.revision``: late_cycle, economic_resilience) carry it, computed on the months where every
        signal they rest on is truly point-in-time (:func:`rotation.evidence.rubric.revision_check`).

    Returns
    -------
    list of Verdict
        ``late_cycle``, ``economic_resilience`` and ``recession_risk``; each verdict's sample is its own
        test's months (dates and n), not the return sample.
    """
    h = deciding_horizon()
    rel_alt = relative_returns(alt_rets["small"], alt_rets["large"])
    out = [_late_cycle(proxy, alt, rel_alt, late_flag, late),
           _resilience(proxy, alt, rel, rel_alt, states, h),
           _recession(proxy, alt, rel_alt, usrec, market, recession)]
    if realtime is None:
        return out
    return [_late_revision(out[0], proxy, alt, rel, rel_alt, usrec, realtime, late),
            _resilience_revision(out[1], proxy, alt, rel, rel_alt, realtime, h), out[2]]


_RT_BASIS = ("real-time basis (the FRED-MD vintage known at each month end, changes within it), vintage-covered "
             "months {a} to {b}")


def _late_revision(v: Verdict, proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, usrec: pd.Series,
                   realtime, late: Results) -> Verdict:
    row = realtime.comparison.loc["late-cycle flag"]
    if row["first_real_time"] is None:
        return v
    a, b = row["first_real_time"], row["last_real_time"]
    others = tuple(sorted(int(k[len("realtime_fwd"):-1]) for k in late.parts if k.startswith("realtime_fwd")))
    h = deciding_horizon("late_cycle")
    ev = []
    for flag in (realtime.late_flag.loc[a:b], realtime.late_flag_revised.loc[a:b]):
        study = cycle_phases.late_cycle_study(rel, usrec, flag, horizons=others, horizon=h)
        ev.append(_late_evidence(proxy, alt, rel_alt, flag, study))
    return _attach(v, *ev, row)


def _resilience_revision(v: Verdict, proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, realtime,
                         h: int) -> Verdict:
    months = realtime.covered(list(macro_signals.RESILIENT))
    if len(months) < 2 * h + 2:
        return v
    ev = [_resilience_evidence(proxy, alt, rel.loc[months[0]:], rel_alt, s.loc[months], h)
          for s in (realtime.states, realtime.revised)]
    return _attach(v, *ev, {"first_real_time": f"{months[0]:%Y-%m-%d}", "last_real_time": f"{months[-1]:%Y-%m-%d}"})


def _attach(v: Verdict, real_time: Evidence, revised: Evidence, row) -> Verdict:
    return revision_check(v, real_time, revised, _RT_BASIS.format(a=row["first_real_time"], b=row["last_real_time"]))
