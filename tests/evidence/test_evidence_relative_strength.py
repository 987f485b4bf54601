"""evidence.relative_strength: notebook 01's verdicts from its studies' results, decided as the claims declare."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.evidence import claims
from rotation.evidence import relative_strength as evidence
from rotation.studies import levels, nulls
from rotation.studies import relative_strength as rs


def _rets(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 480
    idx = pd.date_range("1980-01-31", periods=n, freq="ME")
    large = rng.normal(0.007, 0.04, n)
    return pd.DataFrame({"small": large + 0.01 * np.sin(np.arange(n) / 18) + rng.normal(0, 0.03, n),
                         "large": large}, index=idx)


@pytest.fixture(scope="module")
def made_up():
    rets, alt = _rets(1), _rets(2)
    rules = dict(lookback=12, rule="high", gap=12, k=3)
    breakout_rules = dict(rules, horizons=[1, 3, 12], horizon=6, reps=200, seed=0)
    null_rules = dict(rules, block_size=12, reps=49, seed=0)
    rng = np.random.default_rng(5)
    daily = pd.DataFrame({"small": rng.normal(0.0004, 0.012, 3000), "large": rng.normal(0.0003, 0.01, 3000)},
                         index=pd.bdate_range("2005-01-03", periods=3000))
    close = pd.Series(np.r_[np.linspace(900, 2600, 2000), np.linspace(2600, 1500, 1000)],
                      index=pd.bdate_range("2005-01-03", periods=3000))
    placebo, _ = nulls.round_level_placebo(close, within=0.02, hold=3, cluster_days=20, reps=99, seed=0)
    results = dict(standing=rs.relative_standing(rets), breakouts=rs.breakout_study(rets, **breakout_rules),
                   null=nulls.false_breakout_null(rets, **null_rules),
                   blowoffs=levels.blowoff_study(daily, window=20, threshold=0.99, min_history=500, horizon=63,
                                                 near_high=0.1, reps=100, seed=0), placebo=placebo)
    verdicts = evidence.verdicts(proxy="made_up", alt="alt_made_up", alt_rets=alt, breakout_rules=breakout_rules,
                                 null_rules=null_rules, rets=rets, rut=close,
                                 level_rules=dict(within=0.02, hold=3, cluster_days=20), **results)
    return verdicts, results, alt, breakout_rules


def test_one_verdict_per_claim_in_order(made_up):
    verdicts, *_ = made_up
    assert [v.claim_id for v in verdicts] == list(evidence.CLAIM_IDS)
    for v in verdicts:
        assert v.decision == claims.get(v.claim_id).decision  # decided as declared
        assert {c.kind for c in v.checks} == set(v.decision.checks)


def test_effects_are_rows_of_the_results(made_up):
    verdicts, results, alt, rules = made_up
    by_id = {v.claim_id: v for v in verdicts}
    standing = results["standing"].table
    under = by_id["underwhelming"]
    assert under.headline.estimate == standing.loc["1 year", "percentile"]
    assert under.headline.thresholds == claims.get("underwhelming").decision.thresholds
    assert under.method.endswith("weak below the 33rd percentile, strong above the 67th")
    fwd = results["breakouts"]["forward"].table
    bo = by_id["breakout_follow_through"]
    assert (bo.headline.estimate, bo.headline.ci_lower) == (fwd.loc[6, "diff"], fwd.loc[6, "diff_lower"])
    proxy = next(c for c in bo.checks if c.kind == "proxy")
    alt_fwd = rs.breakout_forward(alt, **rules).table
    assert proxy.effect.estimate == alt_fwd.loc[6, "diff"] and proxy.effect.label == "6 months (alt_made_up)"
    assert sorted(c.effect.label for c in bo.checks if c.kind == "horizon") == ["1 months", "12 months", "3 months"]
    fb = by_id["false_breakout"]
    assert fb.headline.estimate == results["null"].estimate and fb.method == nulls.null_summary(results["null"])
    res = by_id["resistance_2000"]
    assert res.headline.nobs == results["placebo"].table.iloc[0]["n_clusters"] and res.sample.proxy == "^RUT"


def test_second_proxy_falls_back_when_it_is_the_main_one():
    assert evidence.second_proxy("ff30_vw", "iwm_spy") == "iwm_spy"
    assert evidence.second_proxy("iwm_spy", "iwm_spy") == "ff30_vw"


def test_each_sample_line_is_the_tests_own_sample(made_up):
    """A verdict's sample names the months (or days) its test covers and its n, not the whole return sample."""
    verdicts, results, _, rules = made_up
    by_id = {v.claim_id: v for v in verdicts}
    idx = results["breakouts"].data.index
    bo, fb = by_id["breakout_follow_through"], by_id["false_breakout"]
    # a breakout can be called after `lookback` months; the 6-month test needs 6 months after it, the false
    # breakout test k = 3
    assert (bo.sample.start, bo.sample.end) == (f"{idx[12]:%Y-%m-%d}", f"{idx[-7]:%Y-%m-%d}")
    assert (fb.sample.start, fb.sample.end) == (f"{idx[12]:%Y-%m-%d}", f"{idx[-4]:%Y-%m-%d}")
    assert bo.sample.n == bo.headline.nobs
    one_year = results["standing"].data["1 year"].dropna()
    under = by_id["underwhelming"]
    assert (under.sample.start, under.sample.n) == (f"{one_year.index[0]:%Y-%m-%d}", len(one_year))
    assert under.sample.n == under.headline.nobs
    blow = by_id["blowoff"]
    x = results["blowoffs"].extra
    assert blow.sample.start == f"{x['test_start']:%Y-%m-%d}" and blow.sample.end == f"{x['test_end']:%Y-%m-%d}"
    assert blow.sample.start > f"{results['blowoffs'].data.index[0]:%Y-%m-%d}"  # not before min_history days
