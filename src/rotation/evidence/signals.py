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
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide
from rotation.stats.checks import check_pandas
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies import economy, returns

__all__ = ["CLAIM_IDS", "second_proxy", "verdicts", "claims_table"]

#: The claims this module decides.
CLAIM_IDS = ("breakout_new_year",)

_CAVEATS = ("Signals start at different dates; the share counts the signals known at each month end.",
            "Macro series are today's vintage (revised after publication).",
            "Earnings, short interest and fund flows are not in the board: no free data.")


def _breakout_new_year(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, answer: Results,
                       composite: Estimates) -> Verdict:
    h = claims.get("breakout_new_year").decision.horizon
    if answer.extra.get("horizon") != h or composite.extra.get("horizon") != h:
        raise ParameterError(f"answer and composite must be computed at the claim's deciding horizon ({h} months); "
                             f"got {answer.extra.get('horizon')!r} and {composite.extra.get('horizon')!r}")
    units = Units.returns(f"decimal relative return over the next {h} months, months like today minus the others")
    difference, halves = answer["difference"], answer["halves"].table
    alt_difference = economy.state_difference(rel_alt, answer.data["like_today"], horizon=h)
    oos, best = composite.table, composite.extra["best_single"]
    return decide(Evidence(
        claim_id="breakout_new_year",
        headline=Effect.from_row(f"months with at least today's share of favourable signals ({proxy})", difference,
                                 units),
        sample=Sample.of(proxy, difference.data.index),  # the test's own months, not the return sample
        method=f"forward {h}-month relative return on a state dummy, HAC ({difference.method.lags} lags); "
               f"composite OOS R2 {oos.loc['composite', 'estimate']:+.3f} (best single signal: {best}, "
               f"{oos.loc[best, 'estimate']:+.3f})",
        checks=(Check("proxy", Effect.from_row(f"months like today ({alt})", alt_difference, units)),
                *(Check("subperiod", Effect.from_row(name, halves.loc[name], units)) for name in halves.index)),
        caveats=_CAVEATS,
    ))


def verdicts(*, proxy: str, alt: str, rel: pd.Series, alt_rets: pd.DataFrame, answer: Results,
             composite: Estimates) -> list[Verdict]:
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
    return [_breakout_new_year(proxy, alt, rel, rel_alt, answer, composite)]


def claims_table() -> pd.DataFrame:
    """Every claim of the commentary: its words, the notebook that decides it (or that free data cannot),
    and the test (or why it cannot be tested), indexed by claim id in the commentary's order."""
    return pd.DataFrame({c.id: {"claim": c.quote, "decided in": c.notebook or "not testable with free data",
                                "test": c.test or c.why_not} for c in claims.CLAIMS.values()}).T
