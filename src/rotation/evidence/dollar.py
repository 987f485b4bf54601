"""Evidence for the dollar claim (notebook 02), assembled from the studies' results.

:func:`verdicts` takes what notebook 02 computed on its proxy, re-estimates the headline beta on the
second proxy the claim declares (with the notebook's rules: :func:`rotation.studies.dollar.monthly_sensitivity`
on the same dollar index), builds the claim's :class:`Evidence` with the checks its
:class:`~rotation.evidence.claims.Decision` declares, and decides it. Numbers are not recomputed or rounded
here: every effect is a row of a study's result.
"""

from __future__ import annotations

import pandas as pd

from rotation.evidence import claims
from rotation.evidence.claims import second_proxy
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies import betas, dollar

__all__ = ["verdicts", "second_proxy", "CLAIM_IDS", "BETA_UNITS"]

#: The claims this module decides.
CLAIM_IDS = ("weaker_dollar",)

#: The sign of a beta for the claim (a weaker dollar, small caps ahead), as the claim declares it.
EXPECTED_SIGN = claims.get("weaker_dollar").expected_sign

#: Units of every effect of the dollar verdict.
BETA_UNITS = Units.number("beta: relative return per unit (decimal) change of the dollar index")

_CAVEATS = ("A beta is an association: a falling dollar coincides with risk-on markets, in which high-beta small caps "
            "outperform, so it does not test the exporter channel the commentary names.",
            "Before 2006 the dollar changes are of monthly averages; the weekly broad-index rows before the split date "
            "cover only 2006-2007 (their start and end are in the robustness table).")


_SAYS = {"for": "significant in the claim's direction", "against": "significant against the claim",
         "neutral": "not significant"}


def _brief(e: Effect) -> str:
    """``"-0.358 (95% CI -0.642 to -0.073), significant in the claim's direction"``."""
    u = e.units
    return (f"{u.format(e.estimate)} (95% CI {u.format(e.ci_lower)} to {u.format(e.ci_upper)}), "
            f"{_SAYS[e.direction(EXPECTED_SIGN)]}")


def _answer(full: Effect, since: tuple[str, Effect, Effect], alt: tuple[str, Effect],
            weekly: tuple[str, Effect, Effect], controlled: Effect) -> str:
    """What the Answer says beside the headline: the full-sample beta, where the beta is significant, and
    what is left of it with market and yield controls (every number a row of the results)."""
    (when, post, post_c), (alt_name, alt_e), (wk_from, wk, wk_c) = since, alt, weekly
    gone = post.direction(EXPECTED_SIGN) != "neutral" and post_c.direction(EXPECTED_SIGN) == "neutral"
    return (f"Over the full sample the monthly beta is {_brief(full)}. Since {when} it is {_brief(post)}; on "
            f"{alt_name} {_brief(alt_e)}; weekly (broad index, from {wk_from}) {_brief(wk)}. With the market "
            f"excess return and the 10-year yield change as controls, the beta since {when} is {_brief(post_c)}"
            f"{' (the association vanishes)' if gone else ''}, over the full "
            f"sample {_brief(controlled)}, and weekly {_brief(wk_c)}.")


def verdicts(*, proxy: str, alt: str, alt_rets: pd.DataFrame, index: Estimates, sensitivity: Results,
             measures: Estimates, controls: Results, predictive: Estimates) -> list[Verdict]:
    """The verdict of the weaker-dollar claim.

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    alt_rets : pd.DataFrame
        Monthly ``small``/``large`` returns of the second proxy, over the notebook's sample.
    index, sensitivity, measures, controls, predictive
        The notebook's results: :func:`rotation.studies.dollar.dollar_index`,
        :func:`~rotation.studies.dollar.monthly_sensitivity`, :func:`~rotation.studies.dollar.dollar_measures`,
        :func:`~rotation.studies.dollar.dollar_controls`, :func:`~rotation.studies.dollar.dollar_predictive`.

    Returns
    -------
    list of Verdict
        One verdict, ``weaker_dollar``: the full-sample monthly beta, checked on the second proxy, before and
        after the split date, with market and 10-year yield controls, and weekly on the broad index.
    """
    split_date = sensitivity.extra["split_date"]
    before, after = list(betas.split_periods(split_date))[1:]
    sens = sensitivity["sensitivity"].table
    full = sens.loc[("full sample", "dollar")]
    alt_sens = dollar.monthly_sensitivity(alt_rets, index.data, split_date=split_date)
    span = alt_sens.data.index
    wk = measures.table.loc[("weekly", "broad index (DTWEXBGS)", "full sample")]
    c_full = controls["monthly"].table.loc[("with controls", "full sample", "dollar")]
    pred = predictive.table
    c_post = controls["monthly"].table.loc[("with controls", after, "dollar")]
    c_week = controls["weekly"].table.loc[("full sample", "dollar")]
    alt_full = alt_sens["sensitivity"].row(("full sample", "dollar"))
    answer = _answer(Effect.from_row("full", full, BETA_UNITS),
                     (after.removesuffix(" on"), Effect.from_row("post", sens.loc[(after, "dollar")], BETA_UNITS),
                      Effect.from_row("post, controls", c_post, BETA_UNITS)),
                     (f"{alt} ({span[0]:%Y}-{span[-1]:%Y})", Effect.from_row("alt", alt_full, BETA_UNITS)),
                     (f"{wk['start']:%Y}", Effect.from_row("weekly", wk, BETA_UNITS),
                      Effect.from_row("weekly, controls", c_week, BETA_UNITS)),
                     Effect.from_row("controls", c_full, BETA_UNITS))
    return [decide(Evidence(
        claim_id="weaker_dollar",
        headline=Effect.from_row(f"monthly beta of small-minus-large on the dollar's change, full sample ({proxy})",
                                 full, BETA_UNITS),
        sample=Sample.of(proxy, sensitivity.data.index),
        method=f"OLS with HAC (Newey-West) errors, {int(full['maxlags'])} lags; chained trade-weighted dollar index",
        checks=(Check("proxy", Effect.from_row(f"monthly beta ({alt}, {span[0]:%Y}-{span[-1]:%Y})", alt_full,
                                               BETA_UNITS)),
                Check("subperiod", Effect.from_row(f"monthly beta, {before}", sens.loc[(before, "dollar")],
                                                   BETA_UNITS)),
                Check("subperiod", Effect.from_row(f"monthly beta, {after}", sens.loc[(after, "dollar")], BETA_UNITS)),
                Check("control", Effect.from_row("monthly beta with market and 10-year yield controls", c_full,
                                                 BETA_UNITS)),
                Check("other", Effect.from_row(f"weekly beta, broad index from {wk['start']:%Y}", wk, BETA_UNITS))),
        caveats=(*_CAVEATS, f"The predictive tests (section 5) tried {len(pred)} combinations; the best out-of-sample "
                            f"R2 is {pred['oos_r2'].max():+.4f}."),
        answer=answer,
    ))]
