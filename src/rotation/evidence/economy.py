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
from rotation.stats.units import Units, format_p
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


#: How a verdict's macro inputs are timed: on the real-time basis where vintages exist (what the verdicts are decided
#: on when the notebook passes the real-time signals) or release-timed latest values throughout (the revised check).
_LABEL = {"real-time": "real-time where vintages cover", "revised": "release-timed, latest vintage"}
_BASIS_CAVEAT = {
    "real-time": "Macro data on the real-time basis (the FRED-MD vintage known at each month end, changes within it) "
                 "where vintages cover the month; release-timed latest values before the first vintage (1999-08) "
                 "and after the last: revisions nobody had at the time remain on those months.",
    "revised": "FRED's latest vintage: revisions nobody had at the time remain (release-timed values)."}


def _late_cycle(proxy: str, alt: str, rel_alt: pd.Series, late_flag: pd.Series, late: Results,
                basis: str = "revised") -> Verdict:
    return decide(_late_evidence(proxy, alt, rel_alt, late_flag, late, basis))


def _late_evidence(proxy: str, alt: str, rel_alt: pd.Series, late_flag: pd.Series, late: Results,
                   basis: str = "revised") -> Evidence:
    h = deciding_horizon("late_cycle")
    head, nber = late[f"realtime_fwd{h}m"], late["nber_same_month"].table.iloc[0]
    on_alt = economy.state_difference(rel_alt, late_flag, horizon=h)
    others = sorted(int(k[len("realtime_fwd"):-1]) for k in late.parts if k.startswith("realtime_fwd"))
    flag = f"late cycle ({_LABEL[basis]})"
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
                 _BASIS_CAVEAT[basis],
                 f"Described, not deciding (needs the next NBER peak, hindsight): in the late third of NBER "
                 f"expansions small minus large returned {_SAME_MONTH.format(nber['estimate'])} per month relative "
                 f"to the early and mid thirds ({_SAME_MONTH.interval(nber['ci_lower'], nber['ci_upper'])}, "
                 f"{format_p(nber['p_value'])}, {int(nber['n_spells'])} late phases)."),
    )


def _resilience(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, states: pd.DataFrame, h: int,
                basis: str = "revised") -> Verdict:
    """Decided now, and then: the same test on the months, forward windows and macro states published by the
    commentary's date (with the state at that date as a caveat)."""
    cut = then_cut(rel, proxy)

    def then() -> Evidence:
        # the macro states known then, and never past the run's own sample (an ``end`` before the date)
        known = states.loc[states.index <= min(pd.Timestamp(AS_OF), rel.index[-1])]
        state = macro_signals.resilient_state(known).dropna()
        now = ("unknown" if state.empty else
               f"{'resilient' if state.iloc[-1] == 1 else 'not resilient'} at {state.index[-1]:%Y-%m-%d}")
        timing = ("the vintages published by then" if basis == "real-time"
                  else "macro data release-timed to then, latest vintage")
        return _resilience_evidence(proxy, alt, cut, then_cut(rel_alt, alt), known, h, basis,
                                    caveat=f"The state as of {AS_OF} ({timing}): {now}.")

    return decide(_resilience_evidence(proxy, alt, rel, rel_alt, states, h, basis),
                  then=then_or_undecided("economic_resilience", then, min_rows=2 * h + 2, data=cut))


def _resilience_evidence(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, states: pd.DataFrame, h: int,
                         basis: str = "revised", caveat: str = "") -> Evidence:
    resilient = macro_signals.resilient_state(states)
    main = economy.state_difference(rel, resilient, horizon=h)
    on_alt = economy.state_difference(rel_alt, resilient, horizon=h)
    mid = rel.index[len(rel) // 2]
    halves = [economy.state_difference(rel.loc[a:b], resilient, horizon=h) for a, b in ((None, mid), (mid, None))]
    units = _forward(h)
    return Evidence(
        claim_id="economic_resilience",
        headline=Effect.from_row(f"resilient economy (no Sahm trigger, claims not surging, sentiment rising; "
                                 f"{_LABEL[basis]}) ({proxy})", main, units),
        sample=_own_sample(proxy, main),
        method=f"forward {h}-month returns on a state dummy, HAC ({main.method.lags} lags); macro data "
               + ("as published at each month end (real-time vintages where they exist)" if basis == "real-time"
                  else "lagged to publication"),
        checks=(Check("proxy", Effect.from_row(f"resilient economy ({alt})", on_alt, units)),
                *(Check("subperiod", Effect.from_row(f"resilient economy, {name} half", r, units))
                  for name, r in zip(("first", "second"), halves, strict=True))),
        caveats=(_BASIS_CAVEAT[basis], *((caveat,) if caveat else ())),
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
                                 f"check: {_PER_MONTH.format(c['estimate'])}, {format_p(c['p_value'])})",
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
                 f"({_PER_MONTH.interval(c['ci_lower'], c['ci_upper'])}, {format_p(c['p_value'])}); the control "
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
        The signal states the verdicts are decided on (the resilient economy is built from them): with
        ``realtime``, its ``states`` (real-time where vintages cover the month); without,
        :func:`rotation.studies.macro_signals.signal_states` on release-timed values.
    late_flag : pd.Series
        The late-cycle flag known at each month end: ``realtime.late_flag`` with ``realtime``, else
        :func:`rotation.studies.economy.late_cycle_realtime` on release-timed values.
    late, recession
        The notebook's results: :func:`rotation.studies.cycle_phases.late_cycle_study` (with the horizon
        ``late_cycle`` declares among its parts) and :func:`rotation.studies.cycle_phases.recession_shortfall`.
    realtime : RealTimeSignals, optional
        :func:`rotation.studies.realtime.realtime_signals`: ``states`` and ``late_flag`` are its real-time ones
        and the claims that declare a real-time check (``Decision.revision``: late_cycle, economic_resilience)
        carry it: the same test on its release-timed (revised) signals over the same sample decides whether the
        verdict is revision-robust, and both bases are compared on the vintage-covered months
        (:func:`rotation.evidence.rubric.revision_check`).

    Returns
    -------
    list of Verdict
        ``late_cycle``, ``economic_resilience`` and ``recession_risk``; each verdict's sample is its own
        test's months (dates and n), not the return sample.
    """
    h = deciding_horizon()
    rel_alt = relative_returns(alt_rets["small"], alt_rets["large"])
    basis = "revised" if realtime is None else "real-time"
    out = [_late_cycle(proxy, alt, rel_alt, late_flag, late, basis),
           _resilience(proxy, alt, rel, rel_alt, states, h, basis),
           _recession(proxy, alt, rel_alt, usrec, market, recession)]
    if realtime is None:
        return out
    return [_late_revision(out[0], proxy, alt, rel, rel_alt, usrec, realtime, late),
            _resilience_revision(out[1], proxy, alt, rel, rel_alt, realtime, h), out[2]]


_RT_BASIS = ("vintage-covered months {a} to {b} (the FRED-MD vintage known at each month end, changes within it)")


def _late_revision(v: Verdict, proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, usrec: pd.Series,
                   realtime, late: Results) -> Verdict:
    row = realtime.comparison.loc["late-cycle flag"]
    if row["first_real_time"] is None:
        return v
    a, b = row["first_real_time"], row["last_real_time"]
    others = tuple(sorted(int(k[len("realtime_fwd"):-1]) for k in late.parts if k.startswith("realtime_fwd")))
    h = deciding_horizon("late_cycle")
    ev = []
    for flag, basis in ((realtime.late_flag.loc[a:b], "real-time"), (realtime.late_flag_revised.loc[a:b], "revised"),
                        (realtime.late_flag_revised, "revised")):
        study = cycle_phases.late_cycle_study(rel, usrec, flag, horizons=others, horizon=h)
        ev.append(_late_evidence(proxy, alt, rel_alt, flag, study, basis))
    months = late[f"realtime_fwd{h}m"].data.index
    lb = realtime.late_basis.reindex(months) if realtime.late_basis is not None else pd.Series(dtype=object)
    share = float((lb == "real-time").mean()) if len(lb) else float("nan")
    return _attach(v, ev[0], ev[1], row, ev[2], share)


def _resilience_revision(v: Verdict, proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, realtime,
                         h: int) -> Verdict:
    months = realtime.covered(list(macro_signals.RESILIENT))
    if len(months) < 2 * h + 2:
        return v
    ev = [_resilience_evidence(proxy, alt, rel.loc[months[0]:], rel_alt, s.loc[months], h, basis)
          for s, basis in ((realtime.states, "real-time"), (realtime.revised, "revised"))]
    full = _resilience_evidence(proxy, alt, rel, rel_alt, realtime.revised, h)
    used = economy.state_difference(rel, macro_signals.resilient_state(realtime.states), horizon=h).data.index
    share = realtime.share_point_in_time(list(macro_signals.RESILIENT), months=used)
    return _attach(v, *ev, {"first_real_time": f"{months[0]:%Y-%m-%d}", "last_real_time": f"{months[-1]:%Y-%m-%d}"},
                   full, share)


def _attach(v: Verdict, real_time: Evidence, revised: Evidence, row, full: Evidence, share: float) -> Verdict:
    return revision_check(v, real_time, revised, _RT_BASIS.format(a=row["first_real_time"], b=row["last_real_time"]),
                          verdict_revised=full, point_in_time_share=share)
