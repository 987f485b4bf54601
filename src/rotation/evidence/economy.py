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
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies import cycle_phases, economy, macro_signals
from rotation.studies.returns import relative_returns

__all__ = ["second_proxy", "deciding_horizon", "verdicts", "CLAIM_IDS"]

#: The claims this module decides, in the commentary's order.
CLAIM_IDS = ("late_cycle", "economic_resilience", "recession_risk")

_SAME_MONTH = Units.returns("decimal relative return per month, late third minus early and mid thirds")
_PER_MONTH = Units.returns("decimal relative return per month")


def deciding_horizon() -> int:
    """The forward horizon (months) the economy claims are decided at: the one declared with ``economic_resilience``.

    The late-cycle claim declares no horizon of its own; its real-time check uses the same one.
    """
    h = claims.get("economic_resilience").decision.horizon
    if h is None:
        raise ParameterError("the economic_resilience claim declares no horizon (rotation.evidence.claims)")
    return int(h)


def _forward(h: int) -> Units:
    return Units.returns(f"decimal relative return over the next {h} months, in the state minus other months")


def _late_cycle(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, usrec: pd.Series, late: Results,
                h: int) -> Verdict:
    nber = late["nber_same_month"]
    phase = economy.expansion_phases(usrec)
    nber_alt = economy.state_difference(rel_alt, (phase == "late").where(phase.isin(["early", "mid", "late"])),
                                        horizon=0)
    return decide(Evidence(
        claim_id="late_cycle",
        headline=Effect.from_row(f"late third of expansions minus early and mid ({proxy})", nber, _SAME_MONTH),
        sample=Sample.of(proxy, rel.index),
        method=f"OLS on a late-phase dummy, HAC ({nber.method.lags} lags); NBER phases (hindsight)",
        checks=(Check("proxy", Effect.from_row(f"late third ({alt})", nber_alt, _SAME_MONTH)),
                Check("other", Effect.from_row(f"real-time late cycle, next {h} months", late[f"realtime_fwd{h}m"],
                                               _forward(h)))),
        caveats=("Expansion thirds need the expansion's end date (hindsight); the real-time flag is the tradable "
                 "version.",
                 f"{int(nber.table['n_spells'].iloc[0])} late phases: few independent episodes."),
    ))


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
                                    caveat=f"The state as of {AS_OF} (macro data as known then): {now}.")

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
        sample=Sample.of(proxy, rel.index),
        method=f"forward {h}-month returns on a state dummy, HAC ({main.method.lags} lags); macro data lagged to "
               "publication",
        checks=(Check("proxy", Effect.from_row(f"resilient economy ({alt})", on_alt, units)),
                *(Check("subperiod", Effect.from_row(f"resilient economy, {name} half", r, units))
                  for name, r in zip(("first", "second"), halves, strict=True))),
        caveats=("FRED's current vintage includes revisions (payrolls, sentiment); real-time values would differ.",
                 *((caveat,) if caveat else ())),
    )


def _recession(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, usrec: pd.Series, market: pd.Series,
               recession: Estimates) -> Verdict:
    on_alt = cycle_phases.recession_beyond_beta(rel_alt, market, usrec, maxlags=recession.method.lags)
    return decide(Evidence(
        claim_id="recession_risk",
        headline=Effect.from_row(f"recession months beyond the market beta ({proxy})", recession.row("indicator"),
                                 _PER_MONTH),
        sample=Sample.of(proxy, rel.index),
        method=f"OLS of relative returns on the market excess return, a recession dummy and their product; HAC "
               f"({recession.method.lags} lags)",
        checks=(Check("proxy", Effect.from_row(f"recession months beyond the market beta ({alt})",
                                               on_alt.row("indicator"), _PER_MONTH)),),
        caveats=("NBER recession months are known only with hindsight.",
                 "Leverage and diversification are not measured here: the test is an association with recessions."),
    ))


def verdicts(*, proxy: str, alt: str, rel: pd.Series, alt_rets: pd.DataFrame, usrec: pd.Series,
             market: pd.Series, states: pd.DataFrame, late: Results, recession: Estimates) -> list[Verdict]:
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
    late, recession
        The notebook's results: :func:`rotation.studies.cycle_phases.late_cycle_study` (with the deciding
        :func:`deciding_horizon` among its parts) and :func:`rotation.studies.cycle_phases.recession_beyond_beta`.

    Returns
    -------
    list of Verdict
        ``late_cycle``, ``economic_resilience`` and ``recession_risk``.
    """
    h = deciding_horizon()
    rel_alt = relative_returns(alt_rets["small"], alt_rets["large"])
    return [_late_cycle(proxy, alt, rel, rel_alt, usrec, late, h),
            _resilience(proxy, alt, rel, rel_alt, states, h),
            _recession(proxy, alt, rel, rel_alt, usrec, market, recession)]
