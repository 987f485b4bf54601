"""Evidence for the relative-strength claims (notebook 01), assembled from the studies' results.

:func:`verdicts` takes what notebook 01 computed on its proxy, runs the same studies on the
second proxy the claims declare (:func:`second_proxy`), builds each claim's :class:`Evidence`
with the checks its :class:`~rotation.evidence.claims.Decision` declares, and decides it.
Numbers are not recomputed or rounded here: every effect is a row of a study's result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from rotation.evidence import claims
from rotation.evidence.claims import second_proxy
from rotation.evidence.dated import AS_OF, then_cut, then_or_undecided
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Then, Verdict, decide
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies import nulls
from rotation.studies import relative_strength as rs

__all__ = ["second_proxy", "verdicts", "CLAIM_IDS"]

#: The claims this module decides, in the commentary's order.
CLAIM_IDS = ("underwhelming", "breakout_follow_through", "false_breakout", "blowoff", "resistance_2000")

_PCT = Units.share("percentile (0-1) of the latest annualised relative return in its own history")
_RATE = Units.share("share of breakouts (rate)")


def _ordinal(share: float) -> str:
    """``1/3 -> "33rd"``, ``2/3 -> "67th"``: a share as an ordinal percentile."""
    n = round(100 * share)
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _percentile(label: str, standing: Estimates, window: str) -> Effect:
    row = standing.table.loc[window]
    return Effect(label=label, estimate=float(row["percentile"]), units=_PCT,
                  thresholds=claims.get("underwhelming").decision.thresholds, nobs=int(row["nobs"]))


def _underwhelming(proxy: str, alt: str, standing: Estimates, alt_standing: Estimates,
                   then: Evidence | Then | None = None, *, caveat: str = "") -> Evidence | Verdict:
    """The evidence now, decided with ``then`` (the same evidence on the months published by the
    commentary's date); with ``then=None`` the evidence itself (that is how ``then`` is built)."""
    d = claims.get("underwhelming").decision
    ev = Evidence(
        claim_id="underwhelming",
        headline=_percentile(f"latest 1-year relative return, percentile in its history ({proxy})", standing, "1 year"),
        sample=Sample.of(proxy, standing.data["1 year"].dropna().index),
        method=f"the latest rolling relative return against its own history; weak below the "
               f"{_ordinal(d.thresholds[0])} percentile, strong above the {_ordinal(d.thresholds[1])}",
        checks=(*(Check("horizon", _percentile(f"{k} percentile", standing, k)) for k in ("3 years", "5 years")),
                Check("proxy", _percentile(f"1-year percentile ({alt})", alt_standing, "1 year"))),
        caveats=(caveat or f"The commentary was written in late 2023 ({AS_OF}): the verdict then is the state on "
                          "the months published by that date, the verdict now the state in the data's last month.",),
    )
    return ev if then is None else decide(ev, then=then)


def _underwhelming_then(proxy: str, alt: str, rets: pd.DataFrame, alt_rets: pd.DataFrame) -> Evidence:
    """The underwhelming evidence on the months published by the commentary's date."""
    cut, alt_cut = then_cut(rets, proxy), then_cut(alt_rets, alt)
    return _underwhelming(proxy, alt, rs.relative_standing(cut), rs.relative_standing(alt_cut),
                          caveat=f"The state as of {AS_OF}: months published by then (to {cut.index[-1]:%Y-%m}).")


def _diff(label: str, table: pd.DataFrame, at: Any, units: Units) -> Effect:
    row = table.loc[at, ["diff", "diff_lower", "diff_upper", "nobs"]]
    return Effect.from_row(label, row.rename({"diff": "estimate", "diff_lower": "ci_lower", "diff_upper": "ci_upper"}),
                           units)


def _test_sample(proxy: str, bo: Results, lookback: int, after: int, unit: str, n: int) -> Sample:
    """The months a breakout test covers: from the first month a breakout can be called (``lookback`` months
    in) to the last with ``after`` months of data after it."""
    idx = bo.data.index
    return Sample(proxy=proxy, start=f"{idx[min(lookback, len(idx) - 1)]:%Y-%m-%d}",
                  end=f"{idx[max(len(idx) - 1 - after, 0)]:%Y-%m-%d}", n=n, unit=unit)


def _breakouts(proxy: str, alt: str, bo: Results, alt_forward: Estimates, lookback: int) -> Verdict:
    h = claims.get("breakout_follow_through").decision.horizon
    units = Units.returns(f"decimal relative return over the next {h} months, after breakouts minus all months")
    fwd = bo["forward"]
    halves = bo["halves"].table
    n = int(fwd.table.loc[h, "nobs"])
    return decide(Evidence(
        claim_id="breakout_follow_through",
        headline=_diff(f"{h} months after breakouts minus all months ({proxy})", fwd.table, h, units),
        sample=_test_sample(proxy, bo, lookback, h, "breakout episodes", n),
        method=f"{fwd.method.describe()}; the {h}-month horizon was set in advance, the others are checks",
        checks=(Check("proxy", _diff(f"{h} months ({alt})", alt_forward.table, h, units)),
                *(Check("subperiod", _diff(f"{h} months, {name}", halves, (name, h), units))
                  for name in halves.index.unique(level=0)),
                *(Check("horizon", _diff(f"{k} months", fwd.table, k,
                                         Units.returns(f"decimal relative return over the next {k} months, minus all "
                                                       "months")))
                  for k in fwd.table.index if k != h)),
        caveats=("Breakout episodes are few, so intervals are wide.",),
    ))


def _null_effect(label: str, null: Estimates, nobs: int | None = None) -> Effect:
    row = null.table.iloc[0]
    return Effect(label=label, estimate=null.estimate, null=float(row["null_median"]), p_value=null.p_value,
                  nobs=nobs, units=_RATE)


def _false_breakout(proxy: str, alt: str, bo: Results, null: Estimates, alt_null: Estimates, lookback: int,
                    k: int) -> Verdict:
    n = int(bo["false_rate"].nobs)
    return decide(Evidence(
        claim_id="false_breakout",
        headline=_null_effect(f"false-breakout rate against paths with no predictability ({proxy})", null, n),
        sample=_test_sample(proxy, bo, lookback, k, "breakouts", n),
        method=nulls.null_summary(null),
        checks=(Check("proxy", _null_effect(f"false-breakout rate ({alt})", alt_null)),),
    ))


def _blowoff(proxy: str, blow: Estimates) -> Verdict:
    row = blow.table.loc["blow-off"]
    horizon, near = blow.extra["horizon"], blow.extra["near_high"]
    return decide(Evidence(
        claim_id="blowoff",
        headline=Effect(label=f"next {horizon} trading days after a blow-off near the high ({proxy} small caps)",
                        estimate=float(row["estimate"]), ci_lower=float(row["ci_lower"]),
                        ci_upper=float(row["ci_upper"]), nobs=int(row["nobs"]), median=float(row["median"]),
                        units=Units.returns("decimal return over the horizon")),
        sample=Sample(proxy=proxy, start=f"{blow.extra['test_start']:%Y-%m-%d}",
                      end=f"{blow.extra['test_end']:%Y-%m-%d}", n=int(row["nobs"]), unit="blow-off episodes"),
        method=f"iid bootstrap over episodes ({blow.method.reps} reps, seed {blow.method.seed}); extreme-rally "
               f"days merged into episodes within {horizon} days, all together, each episode classed by the rally "
               "that began it",
        checks=(Check("other", Effect(label="relative to large caps", estimate=float(row["relative"]),
                                      ci_lower=float(row["relative_lower"]), ci_upper=float(row["relative_upper"]),
                                      units=Units.returns("decimal relative return over the horizon"))),
                Check("other", Effect(label="lowest leave-one-out mean", estimate=blow.extra["leave_one_out_min"],
                                      units=Units.returns("decimal return over the horizon")))),
        caveats=(f"Crash rebounds (extreme-rally episodes whose first rally started more than {near:.0%} below the "
                 "prior 252-day high, measured at the close the rally starts from) are reported apart; each "
                 "episode is in one group.",
                 "The sample runs from the first day a blow-off can be called to the last with a full horizon after "
                 "it."),
    ))


def _resistance(placebo: Estimates) -> Evidence:
    row = placebo.table.iloc[0]
    n = int(row["n_clusters"])
    x = placebo.extra
    return Evidence(
        claim_id="resistance_2000",
        headline=Effect(label="failure rate at round thousands minus placebo levels (^RUT)", estimate=placebo.estimate,
                        ci_lower=placebo.ci_lower, ci_upper=placebo.ci_upper, nobs=n,
                        units=Units.share("share of approaches that failed (difference)")),
        sample=Sample(proxy="^RUT", start=x["start"], end=x["end"], n=n, unit="clusters of approaches"),
        method=f"bootstrap over clusters of approaches (within {x['cluster_days']} days), {placebo.method.reps} reps, "
               f"seed {placebo.method.seed}",
        caveats=("^RUT is a price index; the 2,000 level itself has few independent approaches.",),
    )


def verdicts(*, proxy: str, alt: str, alt_rets: pd.DataFrame, standing: Estimates, breakouts: Results,
             null: Estimates, blowoffs: Estimates, placebo: Estimates, breakout_rules: Mapping[str, Any],
             null_rules: Mapping[str, Any], rets: pd.DataFrame, rut: pd.Series,
             level_rules: Mapping[str, Any]) -> list[Verdict]:
    """The verdicts of the relative-strength claims.

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    alt_rets : pd.DataFrame
        Monthly ``small``/``large`` returns of the second proxy, over the notebook's sample.
    standing, breakouts, null, blowoffs, placebo
        The notebook's results: :func:`rotation.studies.relative_strength.relative_standing`,
        :func:`~rotation.studies.relative_strength.breakout_study`,
        :func:`rotation.studies.nulls.false_breakout_null`, :func:`rotation.studies.levels.blowoff_study`,
        :func:`rotation.studies.nulls.round_level_placebo` (its summary).
    breakout_rules, null_rules : mapping
        The keyword arguments the notebook passed to ``breakout_study`` and ``false_breakout_null``: the
        second proxy is studied with the same rules.
    rets, rut, level_rules
        The notebook's monthly returns, its ^RUT closes and the ``within``, ``hold`` and ``cluster_days`` it
        passed to ``round_level_placebo``: the state claims (``underwhelming``, ``resistance_2000``) are
        decided again on the data published by the commentary's date (their verdict *then*).
    """
    alt_standing = rs.relative_standing(alt_rets)
    alt_forward = rs.breakout_forward(alt_rets, **breakout_rules)
    alt_null = nulls.false_breakout_null(alt_rets, **null_rules)
    rut_then = then_cut(rut)
    return [
        _underwhelming(proxy, alt, standing, alt_standing, then_or_undecided(
            "underwhelming", lambda: _underwhelming_then(proxy, alt, rets, alt_rets), min_rows=61,
            data=then_cut(rets, proxy))),
        _breakouts(proxy, alt, breakouts, alt_forward, breakout_rules["lookback"]),
        _false_breakout(proxy, alt, breakouts, null, alt_null, breakout_rules["lookback"], breakout_rules["k"]),
        _blowoff(proxy, blowoffs),
        decide(_resistance(placebo), then=then_or_undecided("resistance_2000", lambda: _resistance(
            nulls.round_level_placebo(rut_then, step=1000, reps=placebo.method.reps, seed=placebo.method.seed,
                                      **level_rules)[0]), min_rows=2, data=rut_then)),
    ]
