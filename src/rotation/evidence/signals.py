"""Evidence for the synthesis claim (notebook 08): will small caps break out into the new year?

:func:`verdicts` takes what notebook 08 computed on its proxy (months like today and the composite
out of sample, :mod:`rotation.studies.answer`), runs the same comparison on the second proxy, builds
the claim's :class:`Evidence` with the checks its :class:`~rotation.evidence.claims.Decision`
declares (the second proxy and each half of the sample), and decides it. Numbers are not recomputed
or rounded here: every effect is a row of a study's result. :func:`claims_table` lists every claim
of the commentary with the notebook that decides it.
"""

from __future__ import annotations

import pandas as pd

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence.claims import second_proxy
from rotation.evidence.dated import AS_OF, then_cut, then_or_undecided
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide, revision_check
from rotation.stats.checks import check_pandas
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies import answer as answer_study
from rotation.studies import board, economy, returns

__all__ = ["CLAIM_IDS", "second_proxy", "verdicts", "claims_table"]

#: The claims this module decides.
CLAIM_IDS = ("breakout_new_year",)

_CAVEATS = ("Signals start at different dates; the share counts the signals known at each month end.",
            "Macro signals (the Sahm rule, sentiment) on the real-time basis where FRED-MD vintages cover the month "
            "(1999-08 to the last vintage); release-timed latest values elsewhere, and the NFCI is today's vintage.",
            "Earnings, short interest and fund flows are not in the board: no free data.")


def _breakout_then(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, *, as_of: str | None, max_age: int,
                   min_train: int) -> Evidence:
    """The synthesis evidence as of the commentary's date: the board as of then (or as of the run's own earlier
    ``as_of``), the months published by then, the same comparison and composite."""
    h = claims.get("breakout_new_year").decision.horizon
    cut_date = min(pd.Timestamp(AS_OF), pd.Timestamp(as_of)) if as_of else pd.Timestamp(AS_OF)
    raw, _ = board.states(proxy, as_of=cut_date)
    states = board.carried(raw, max_age)
    rel_then = then_cut(rel.loc[:cut_date], proxy)
    like = answer_study.months_like_today(rel_then, states, horizon=h)
    oos = answer_study.composite(rel_then, states, horizon=h, min_train=min_train)
    return _breakout_new_year(proxy, alt, rel_then, then_cut(rel_alt.loc[:cut_date], alt), like, oos,
                              caveat=f"As of {cut_date:%Y-%m-%d}: the board and returns published by then (returns "
                                     f"to {rel_then.index[-1]:%Y-%m}; {like.extra['share_favourable']:.0%} of the "
                                     "signals favourable).")


def _breakout_new_year(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, answer: Results,
                       composite: Estimates, caveat: str = "") -> Evidence:
    h = claims.get("breakout_new_year").decision.horizon
    if answer.extra.get("horizon") != h or composite.extra.get("horizon") != h:
        raise ParameterError(f"answer and composite must be computed at the claim's deciding horizon ({h} months); "
                             f"got {answer.extra.get('horizon')!r} and {composite.extra.get('horizon')!r}")
    units = Units.returns(f"decimal relative return over the next {h} months, months like today minus the others")
    difference, halves = answer["difference"], answer["halves"].table
    alt_difference = economy.state_difference(rel_alt, answer.data["like_today"], horizon=h)
    oos, best = composite.table, composite.extra["best_single"]
    return Evidence(
        claim_id="breakout_new_year",
        headline=Effect.from_row(f"months within one signal of today's share of favourable signals ({proxy})",
                                 difference, units),
        sample=Sample.of(proxy, difference.data.index),  # the test's own months, not the return sample
        method=f"forward {h}-month relative return on a state dummy, HAC ({difference.method.lags} lags); "
               f"composite OOS R2 {oos.loc['composite', 'estimate']:+.3f} (best single signal: {best}, "
               f"{oos.loc[best, 'estimate']:+.3f})",
        checks=(Check("proxy", Effect.from_row(f"months like today ({alt})", alt_difference, units)),
                *(Check("subperiod", Effect.from_row(name, halves.loc[name], units)) for name in halves.index)),
        caveats=(*_CAVEATS, *((caveat,) if caveat else ())),
    )


def verdicts(*, proxy: str, alt: str, rel: pd.Series, alt_rets: pd.DataFrame, answer: Results,
             composite: Estimates, as_of: str | None, max_age: int, min_train: int,
             realtime=None) -> list[Verdict]:
    """The verdict of the synthesis claim (``breakout_new_year``).

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    rel : pd.Series
        Monthly relative returns of the notebook's proxy (the sample of the headline).
    alt_rets : pd.DataFrame
        Monthly ``small``/``large`` returns of the second proxy, over the notebook's sample: the months
        like today (the same board) are compared on them with the same rule.
    answer, composite
        The notebook's results: :func:`rotation.studies.answer.months_like_today` and
        :func:`rotation.studies.answer.composite`, both at the claim's deciding horizon
        (``claims.get("breakout_new_year").decision.horizon``).
    as_of, max_age, min_train
        The run's ``as_of`` (None: all the data), the ``max_age`` it carried the board's states with and the
        composite's ``min_train``: the claim, about the state in late 2023, is decided again as of the
        commentary's date (its verdict *then*; never with data after the run's own ``as_of``).
    realtime : RealTimeAnswer, optional
        :func:`rotation.studies.answer.realtime_answer`: ``answer`` and ``composite`` are on the real-time board;
        the verdict carries the same test on the release-timed (revised) board over the whole sample (whether
        the verdict is revision-robust) and both boards on the vintage-covered months
        (:func:`rotation.evidence.rubric.revision_check`).

    Returns
    -------
    list of Verdict
        One verdict; its method names the HAC lags and the composite's out-of-sample R² against the
        best single signal's.
    """
    check_pandas(rel, "rel", allow_frame=False)
    if not isinstance(alt_rets, pd.DataFrame) or not {"small", "large"} <= set(alt_rets.columns):
        raise ParameterError(f"alt_rets must be a DataFrame with columns 'small' and 'large' "
                             f"(rotation.data.small_large); got {type(alt_rets).__name__}")
    rel_alt = returns.relative_returns(alt_rets["small"], alt_rets["large"])
    now = _breakout_new_year(proxy, alt, rel, rel_alt, answer, composite)
    then = then_or_undecided("breakout_new_year", lambda: _breakout_then(
        proxy, alt, rel, rel_alt, as_of=as_of, max_age=max_age, min_train=min_train), min_rows=min_train + 2,
        data=then_cut(rel, proxy))
    verdict = decide(now, then=then)
    if realtime is not None and realtime.like is not None and realtime.full_revised_like is not None:
        first = realtime.like.data.index[0]
        ev = [_breakout_new_year(proxy, alt, rel.loc[first:], rel_alt.loc[first:], like, oos)
              for like, oos in ((realtime.like, realtime.composite),
                                (realtime.revised_like, realtime.revised_composite))]
        full = _breakout_new_year(proxy, alt, rel, rel_alt, realtime.full_revised_like,
                                  realtime.full_revised_composite)
        verdict = revision_check(verdict, *ev, f"months from {first:%Y-%m} (the first a vintage covers)",
                                 verdict_revised=full, point_in_time_share=realtime.point_in_time_share)
    return [verdict]


def claims_table() -> pd.DataFrame:
    """Every claim of the commentary: its words, the notebook that decides it (or that free data cannot),
    the test (or why it cannot be tested) and ``when`` it is judged: a claim about the state of things in late
    2023 then (at :data:`~rotation.evidence.claims.COMMENTARY_DATE`, on the data published by then) and now, a
    pattern claim undated; indexed by claim id in the commentary's order."""
    def when(c: claims.Claim) -> str:
        if not c.testable:
            return ""
        return (f"state: then ({claims.COMMENTARY_DATE}) and now; then = {c.dated}" if c.is_state
                else "pattern: undated")

    return pd.DataFrame({c.id: {"claim": c.quote, "decided in": c.notebook or "not testable with free data",
                                "test": c.test or c.why_not, "when": when(c)} for c in claims.CLAIMS.values()}).T
