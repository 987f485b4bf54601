"""Evidence for the valuation, earnings and quality claims (notebook 06), assembled from the studies' results.

:func:`verdicts` takes what notebook 06 computed on its proxy, re-fits the deciding regressions on
the second proxy (:func:`second_proxy`) with the same predictors, builds each claim's
:class:`Evidence` with the checks its :class:`~rotation.evidence.claims.Decision` declares, and
decides it. Numbers are not rounded here: every effect is a row of a study's result or a fit of the
same regression on the second proxy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence.claims import second_proxy
from rotation.evidence.dated import AS_OF, then_cut, then_or_undecided
from rotation.evidence.international import abroad
from rotation.evidence.rubric import (
    Check,
    Effect,
    Evidence,
    Sample,
    Verdict,
    decide,
    not_testable,
)
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units, format_p
from rotation.studies import quality as qu
from rotation.studies import returns
from rotation.studies import valuation as va

__all__ = ["second_proxy", "verdicts", "CLAIM_IDS"]

#: The claims this module decides, in the commentary's order.
CLAIM_IDS = ("valuation_discount", "earnings_outlook", "quality", "earnings_reports")


def _sample(proxy: str, slope: pd.Series, h: int) -> Sample:
    """The deciding regression's own sample: its first and last window (the month the predictor is read) and n."""
    return Sample.of(proxy, [slope["start"], slope["end"]], n=int(slope["nobs"]),
                     unit=f"overlapping {h}-month windows, dated by the month the predictor is read")


def _conservative(hac: Any, hodrick: Any, decision: claims.Decision) -> tuple[Any, str]:
    """The row whose errors the claim's decision uses: of the errors it declares as ``conservative``, the one
    with the larger standard error (HAC alone when it declares none)."""
    rows = {"HAC": hac, "Hodrick 1B": hodrick}
    if not decision.conservative:
        return hac, "HAC"
    name = max(decision.conservative, key=lambda k: float(rows[k]["std_err"]))
    return rows[name], name


def _slope_effect(label: str, hac: Any, hodrick: Any, decision: claims.Decision, units: Units) -> Effect:
    row, name = _conservative(hac, hodrick, decision)
    return Effect.from_row(f"{label}, {name} errors", row, units)


def _valuation_then(proxy: str, alt: str, rel: pd.Series, rel_alt: pd.Series, spread: pd.DataFrame,
                    predictive_rules: Mapping[str, Any]) -> Evidence:
    """The valuation evidence on the data published by the commentary's date: the spread's and the returns'
    months published by then (Ken French's publication lag), the same standing and regressions."""
    h = claims.get("valuation_discount").decision.horizon
    spread_then = then_cut(spread, source="famafrench")
    rel_then = then_cut(rel, proxy)
    standing = va.discount_standing(spread_then, as_of=AS_OF)
    predictive = va.spread_predictability(rel_then, spread_then["overall"], horizon=h, **predictive_rules)
    return _valuation(proxy, alt, then_cut(rel_alt, alt), standing, predictive,
                      caveat=f"As of {AS_OF}: the spread as published then (to {spread_then.index[-1]:%Y-%m}), "
                             f"forward windows complete by then.")


def _valuation(proxy: str, alt: str, rel_alt: pd.Series, standing: Estimates, predictive: Results,
               caveat: str = "") -> Evidence:
    d = claims.get("valuation_discount").decision
    h = d.horizon
    unit_slope = Units.number(f"next-{h}-month relative return per log point of spread")
    spread = predictive.data["spread"]
    alt_fit = va.predictive_forecast(rel_alt, spread, h, float(spread.iloc[-1]))
    slope, hod = predictive["slope"].table.loc[h], predictive["slope_hodrick"].table.loc[h]
    halves, halves_hod = predictive["halves"].table, predictive["halves_hodrick"].table
    oos = predictive["out_of_sample"].table.loc[h]
    recent = predictive["out_of_sample_since"].table.loc[h]
    bias = float(predictive["stambaugh"].table.iloc[0]["bias"])
    now, x = standing.table.loc["overall"], standing.extra
    since = ", ".join(f"{r['estimate']:+.3f} since {y}" for y, r in recent.iterrows())
    return Evidence(
        claim_id="valuation_discount",
        headline=_slope_effect(f"slope of the next {h} months' relative return on the spread ({proxy})", slope,
                               hod, d, unit_slope),
        sample=_sample(proxy, slope, h),
        method=f"OLS of summed {h}-month forward relative returns on the spread; t {slope['t']:+.2f} with HAC "
               f"({int(slope['maxlags'])} lags), {hod['t']:+.2f} with Hodrick 1B: the verdict uses the larger "
               f"standard error (declared with the claim); Stambaugh bias {bias:+.4f} per month; walk-forward OOS "
               f"R2 {oos['estimate']:+.3f} (Clark-West {format_p(oos['p_value'])}; {since})",
        checks=(Check("proxy", _slope_effect(f"slope ({alt})", alt_fit["slope_row"], alt_fit["hodrick_row"], d,
                                             unit_slope)),
                *(Check("subperiod", _slope_effect(f"slope, {name}", halves.loc[name], halves_hod.loc[name], d,
                                                   unit_slope))
                  for name in halves.index),
                Check("other", Effect(label=f"percentile of the latest spread ({x['date']:%Y-%m}, market values of "
                                            f"{x['prices_of']:%Y-%m}, {x['age_months']} months before "
                                            f"{x['as_of']:%Y-%m}; above the middle: cheaper than usual)",
                                      estimate=float(now["percentile"]), units=Units.share("percentile (0-1)"),
                                      thresholds=d.thresholds, nobs=int(now["nobs"])))),
        caveats=("The Ken French library restates history when it updates; the spread uses the latest vintage.",
                 (f"Overlapping {h}-month windows: about {int(slope['nobs']) // h} independent observations."),
                 (f"The latest reading ({x['date']:%Y-%m}) values firms at their market equity of "
                  f"{x['prices_of']:%Y-%m}, {x['age_months']} months before {x['as_of']:%Y-%m}."),
                 *((caveat,) if caveat else ())),
    )


def _earnings(proxy: str, alt: str, rel_alt: pd.Series, earnings: Results) -> Verdict:
    d = claims.get("earnings_outlook").decision
    h = d.horizon
    unit = Units.number(f"next-{h}-month relative return per unit change of the profitability gap")
    change = earnings.data["op_change"]
    alt_fit = va.predictive_forecast(rel_alt, change, h, float(change.dropna().iloc[-1]))
    slope, hod = earnings["slope"].table.loc[h], earnings["slope_hodrick"].table.loc[h]
    return decide(Evidence(
        claim_id="earnings_outlook",
        headline=_slope_effect(f"slope on the {earnings.extra['change_months']}-month change of the small-minus-big "
                               f"profitability gap ({proxy})", slope, hod, d, unit),
        sample=_sample(proxy, slope, h),
        method=f"OLS of the next {h} months' summed relative return on the change; t {slope['t']:+.2f} with HAC "
               f"({int(slope['maxlags'])} lags), {hod['t']:+.2f} with Hodrick 1B: the verdict uses the larger "
               "standard error (declared with the claim)",
        checks=(Check("proxy", _slope_effect(f"slope ({alt})", alt_fit["slope_row"], alt_fit["hodrick_row"], d,
                                             unit)),),
        caveats=(("Operating profitability is a proxy for earnings; an earnings outlook (estimates, revisions) is "
                  "not free data."),),
    ))


def _quality(quality: Results, international: Results) -> Verdict:
    diff = quality["ijr_minus_iwm"]
    return decide(Evidence(
        claim_id="quality",
        headline=Effect.from_row("IJR (S&P 600, profitability screen) minus IWM (Russell 2000)", diff,
                                 Units.returns("decimal return difference per month")),
        sample=Sample.of("ijr_iwm", diff.data.index),
        method=f"mean monthly difference, HAC ({diff.method.lags} lags)",
        checks=(Check("other", Effect.from_row("RMW loading of SMB is the quality tilt; SMB alpha with RMW and CMA",
                                               quality["alphas"].row(("SMB", qu.FULL_CONTROLS)),
                                               Units.returns("decimal return per month"))),),
        caveats=(("IJR and IWM also differ in index construction (S&P committee vs Russell rules), not only in "
                  "the earnings screen."),),
        international=abroad("quality", international),
    ))


def verdicts(*, proxy: str, alt: str, alt_rets: pd.DataFrame, standing: Estimates, predictive: Results,
             quality: Results, earnings: Results, rel: pd.Series, spread: pd.DataFrame,
             predictive_rules: Mapping[str, Any], international: Results) -> list[Verdict]:
    """The verdicts of the valuation, earnings and quality claims (and the untestable earnings-reports claim).

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    alt_rets : pd.DataFrame
        Monthly ``small``/``large`` returns of the second proxy over the notebook's sample: the
        deciding regressions are re-fitted on its relative returns with the same predictors.
    standing, predictive, quality, earnings
        The notebook's results: :func:`rotation.studies.valuation.discount_standing`,
        :func:`~rotation.studies.valuation.spread_predictability` (its ``horizon`` must be the valuation
        claim's), :func:`rotation.studies.quality.quality_study`,
        :func:`~rotation.studies.quality.earnings_proxy_study` (at the earnings claim's horizon).
    rel, spread, predictive_rules
        The notebook's relative returns, its valuation spreads (:func:`rotation.studies.valuation.valuation_spread`)
        and the other arguments it gave ``spread_predictability`` (``horizons``, ``min_train``, ``q``): the
        valuation claim, a claim about the state in late 2023, is decided again on the data published by the
        commentary's date (its verdict *then*).
    international : Results
        :func:`rotation.studies.international.international_study` on the regions' factors: the quality claim's
        declared international check (SMB's alpha after each region's factors).

    Returns
    -------
    list of Verdict
        In :data:`CLAIM_IDS` order.
    """
    for name, study, claim in (("predictive", predictive, "valuation_discount"),
                               ("earnings", earnings, "earnings_outlook")):
        h = claims.get(claim).decision.horizon
        if h not in study["slope"].table.index:
            raise ParameterError(f"{name} has no row for the {h}-month horizon that decides {claim!r}; "
                                 f"rows: {list(study['slope'].table.index)}")
    rel_alt = returns.relative_returns(alt_rets["small"], alt_rets["large"])
    return [
        decide(_valuation(proxy, alt, rel_alt, standing, predictive), then=then_or_undecided(
            "valuation_discount", lambda: _valuation_then(proxy, alt, rel, rel_alt, spread, predictive_rules),
            min_rows=2 * claims.get("valuation_discount").decision.horizon + 2,
            data=then_cut(rel, proxy))),
        _earnings(proxy, alt, rel_alt, earnings),
        _quality(quality, international),
        not_testable("earnings_reports"),
    ]
