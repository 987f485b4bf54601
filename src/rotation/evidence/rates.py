"""Evidence for the rates, Fed and credit claims (notebook 03), assembled from the studies' results.

:func:`verdicts` takes what notebook 03 computed on its proxy, re-runs the tests the claims decide on the
second proxy with the notebook's rules, builds each claim's :class:`Evidence` with the checks its
:class:`~rotation.evidence.claims.Decision` declares (the deciding horizon of the Fed claim is read from it),
and decides it. :func:`tests_note` says how many intervals the notebook shows and how they are read.
"""

from __future__ import annotations

import pandas as pd

from rotation.evidence import claims
from rotation.evidence.claims import second_proxy
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide
from rotation.stats.multiple import adjust_pvalues
from rotation.stats.regressions import sensitivity_table
from rotation.stats.results import Estimates, Results, Sentence
from rotation.stats.units import Units
from rotation.studies import fed_events, rates, returns, windows

__all__ = ["verdicts", "tests_note", "second_proxy", "CLAIM_IDS", "RATE_UNITS", "SPREAD_UNITS"]

#: The claims this module decides, in the commentary's order.
CLAIM_IDS = ("rates_borrowing_costs", "fed_dovish", "liquidity")

#: Units of the rate and spread betas of the verdicts.
RATE_UNITS = Units.number("beta: monthly relative return per 1 pp rise")
SPREAD_UNITS = Units.number("beta: monthly relative return per 1 pp wider Baa-10y spread")

_TEN = "10y yield change (pp)"
_FULL = "full sample"


def _rates(proxy: str, alt: str, rel: pd.Series, alt_rel: pd.Series, chg: pd.DataFrame, factors: pd.DataFrame,
           beta: Results, rolling: Estimates) -> Verdict:
    X10 = rates.yield_and_factors(chg["dgs10"], factors)
    ten = rates.controlled_yield_beta(rel, X10, units=Units.returns(
        "decimal monthly relative return per 1 pp (yield) or per unit (factors)")).row((_FULL, _TEN))
    alt_ten = rates.controlled_yield_beta(alt_rel, X10).row((_FULL, _TEN))
    one = beta["slopes"].table
    rate_p = adjust_pvalues([ten["p_value"], *(one.loc[(k, _FULL), "p_value"] for k in ("dgs2", "dfii10", "fedfunds"))],
                            "holm")
    last = rolling.table.loc["dgs10"]
    return decide(Evidence(
        claim_id="rates_borrowing_costs",
        headline=Effect.from_row(f"10-year yield beta with market and value controls ({proxy})", ten, RATE_UNITS,
                                 p_value=rate_p[0]),
        sample=Sample.of(proxy, rel.index[rel.index >= chg["dgs10"].first_valid_index()]),
        method=f"OLS with HAC errors ({int(ten['maxlags'])} lags); p-value Holm-adjusted over the 10-year, 2-year, "
               "real-yield and fed funds betas that together bear on the claim",
        checks=(Check("proxy", Effect.from_row(f"10-year beta with controls ({alt})", alt_ten, RATE_UNITS)),
                Check("other", Effect.from_row("2-year yield beta (no controls)", one.loc[("dgs2", _FULL)],
                                               RATE_UNITS)),
                Check("other", Effect(label=f"latest {int(last['window'])}-month rolling 10-year beta",
                                      estimate=float(last["estimate"]), ci_lower=float(last["ci_lower"]),
                                      ci_upper=float(last["ci_upper"]), units=RATE_UNITS))),
        caveats=("A return beta on yield changes mixes growth and inflation news: it is an association, not a test of "
                 "the borrowing-cost channel (that needs firms' debt costs, not free here).",),
    ))


def _fed(proxy: str, alt: str, rel: pd.Series, alt_rel: pd.Series, cycle: Estimates, event_windows: Results
         ) -> Verdict:
    h = claims.get("fed_dovish").decision.horizon
    x = event_windows.extra
    after, events, method = (event_windows["forward"].table, event_windows["events"].table,
                             event_windows["forward"].method)
    units = Units.returns(f"decimal relative return over the {h} months after a first cut, minus all "
                                f"{h}-month windows")

    def excess(g: str, **kw: object) -> Effect:
        r = after.loc[(g, h)]
        return Effect(estimate=float(r["estimate"]) - float(r["mean_all"]), units=units,
                      nobs=int(events.loc[g, "nobs"]), **kw)

    fc = after.loc[("first_cut", h)]
    alt_paths = windows.event_window_paths(alt_rel, fed_events.event_groups(cycle.data)["first_cut"], x["before"],
                                           x["after"])
    alt_band = windows.mean_path_with_bands(alt_paths, reps=method.reps, seed=method.seed,
                                            min_events=x["min_events"]).table
    alt_all = float(returns.forward_returns(alt_rel, h).mean())
    n = int(events.loc["first_cut", "nobs"])
    return decide(Evidence(
        claim_id="fed_dovish",
        headline=excess("first_cut", label=f"{h} months after the first cut of an easing ({proxy})",
                        ci_lower=float(fc["ci_lower"]) - float(fc["mean_all"]),
                        ci_upper=float(fc["ci_upper"]) - float(fc["mean_all"])),
        sample=Sample.of(proxy, rel.index, unit="easing cycles", n=n),
        method=f"official target turning points; iid bootstrap over easing cycles ({method.reps} reps, seed "
               f"{method.seed}); the all-months mean held fixed",
        checks=(Check("proxy", Effect(label=f"{h} months after a first cut ({alt})",
                                      estimate=float(alt_band.loc[h, "estimate"]) - alt_all,
                                      ci_lower=float(alt_band.loc[h, "ci_lower"]) - alt_all,
                                      ci_upper=float(alt_band.loc[h, "ci_upper"]) - alt_all,
                                      nobs=int(alt_paths.shape[1]), units=units)),
                *(Check("other", excess(g, label=f"first cuts {'with' if g.endswith('.recession') else 'without'} "
                                                 "a recession"))
                  for g in ("first_cut.recession", "first_cut.no_recession"))),
        caveats=("A first cut is the Fed's action, not its 'dovish signals' (statements are not free data); the 2-year "
                 "yield's fall is the market's read of them (notebook 08).",),
    ))


def _liquidity(proxy: str, alt: str, rel: pd.Series, alt_rel: pd.Series, chg: pd.DataFrame, credit: Results,
               conditions: Results) -> Verdict:
    slopes = credit["slopes"].table
    bc = slopes.loc[("baa10y", _FULL)]
    alt_bc = sensitivity_table(alt_rel, chg["baa10y"].reindex(alt_rel.index), {_FULL: (None, None)})
    live = conditions["realtime_next_month"]
    return decide(Evidence(
        claim_id="liquidity",
        headline=Effect.from_row(f"Baa-10y spread beta ({proxy})", bc, SPREAD_UNITS),
        sample=Sample.of(proxy, rel.index[rel.index >= chg["baa10y"].first_valid_index()]),
        method=f"OLS with HAC errors ({int(bc['maxlags'])} lags)",
        checks=(Check("proxy", Effect.from_row(f"Baa-10y spread beta ({alt})", alt_bc.row((_FULL, "baa10y")),
                                               SPREAD_UNITS)),
                Check("other", Effect.from_row("high-yield OAS beta", slopes.loc[("hy_oas", _FULL)], SPREAD_UNITS)),
                Check("other", Effect(label="release-timed NFCI (latest vintage) tightening minus easing, next month",
                                      estimate=-live.estimate, ci_lower=-live.ci_upper, ci_upper=-live.ci_lower,
                                      units=Units.returns("decimal relative return next month, easing minus "
                                                                "tightening (sign flipped)")))),
        caveats=("Spread betas are contemporaneous associations; small caps lag while spreads widen, which a reader "
                 "cannot use without forecasting the spread.",),
    ))


def verdicts(*, proxy: str, alt: str, alt_rets: pd.DataFrame, rel: pd.Series, chg: pd.DataFrame,
             factors: pd.DataFrame, beta: Results, rolling: Estimates, cycle: Estimates, event_windows: Results,
             credit: Results, conditions: Results) -> list[Verdict]:
    """The verdicts of the rates, Fed and credit claims.

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    alt_rets : pd.DataFrame
        Monthly ``small``/``large`` returns of the second proxy, over the notebook's sample.
    rel : pd.Series
        The notebook's monthly relative returns.
    chg : pd.DataFrame
        Monthly rate changes on ``rel``'s dates (:func:`rotation.studies.rates.changes`); the second proxy's
        regressions use them reindexed to its own dates.
    factors : pd.DataFrame
        Ken French monthly factors (``Mkt-RF``, ``HML``): the controls of the 10-year beta.
    beta, rolling, cycle, event_windows, credit, conditions
        The notebook's results: :func:`rotation.studies.rates.rate_betas`,
        :func:`~rotation.studies.rates.rolling_rate_betas`, :func:`rotation.studies.fed_events.turning_point_study`,
        :func:`~rotation.studies.fed_events.event_window_study`, :func:`~rotation.studies.rates.credit_betas`,
        :func:`~rotation.studies.rates.conditions_study`.

    Returns
    -------
    list of Verdict
        ``rates_borrowing_costs`` (the 10-year beta with market and value controls, Holm-adjusted with the
        2-year, real-yield and fed funds betas), ``fed_dovish`` (the relative return after first cuts at the
        claim's deciding horizon, minus all months) and ``liquidity`` (the Baa-10y spread beta).
    """
    alt_rel = returns.relative_returns(alt_rets["small"], alt_rets["large"])
    return [_rates(proxy, alt, rel, alt_rel, chg, factors, beta, rolling),
            _fed(proxy, alt, rel, alt_rel, cycle, event_windows),
            _liquidity(proxy, alt, rel, alt_rel, chg, credit, conditions)]


def tests_note(*, beta: Results, credit: Results, regime: Results, conditions: Results, event_windows: Results
               ) -> Sentence:
    """How many interval estimates notebook 03 shows, and how to read the ones that decide nothing."""
    n = (len(beta["slopes"].table) + len(credit["slopes"].table) + len(regime["table"].table)
         + len(regime["diff"].table) + len(conditions["same_month"].table) + len(conditions["next_month"].table)
         + len(conditions["diff"].table) + 1 + len(event_windows["forward"].table))
    return Sentence(f"**Tests in this notebook.** About {n} interval estimates are shown (rate and credit betas by "
                    "period, regimes, event windows). Each verdict is decided by one test set in advance; where "
                    "several tests bear on one claim the p-value is Holm-adjusted (rates). Other intervals are "
                    "descriptive and unadjusted: read single significant ones among them with care.")
