"""Null benchmarks by block bootstrap: deterministic, centred where theory says, checked against arch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from arch.bootstrap import StationaryBootstrap

from rotation.errors import ParameterError
from rotation.studies.nulls import null_distribution, null_summary

from _helpers import row


def _returns(n=600, seed=1):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1970-01-31", periods=n, freq="ME", name="date")
    return pd.DataFrame({"small": rng.normal(0.01, 0.05, n), "large": rng.normal(0.008, 0.04, n)}, index=idx)


def share_up_after_up(df: pd.DataFrame) -> float:
    """P(next relative return > 0 | this one > 0): 'follow-through' of a rule with no edge on iid data."""
    rel = (df["small"] - df["large"]).to_numpy()
    up = rel[:-1] > 0
    return float((rel[1:][up] > 0).mean()) if up.any() else float("nan")


def test_deterministic_and_matches_a_direct_arch_loop():
    df = _returns()
    a = null_distribution(df, share_up_after_up, block_size=6, reps=99, seed=3)
    b = null_distribution(df, share_up_after_up, block_size=6, reps=99, seed=3)
    assert a == b
    bs = StationaryBootstrap(6, df.to_numpy(), seed=3)
    ref = np.array([share_up_after_up(pd.DataFrame(p[0], index=df.index, columns=df.columns))
                    for p, _ in bs.bootstrap(99)])
    r = row(a)
    assert r["null_median"] == pytest.approx(float(np.median(ref)))
    assert r["percentile"] == pytest.approx(float((ref <= a.estimate).mean()))
    assert r["n_valid"] == 99
    np.testing.assert_array_equal(a.data["null"].to_numpy(), ref)


def test_no_edge_on_iid_data_and_an_edge_is_found():
    df = _returns(1200)
    res = null_distribution(df, share_up_after_up, block_size=1, reps=199, seed=0)
    assert 0.025 < row(res)["percentile"] < 0.975  # iid data: the observed rate is ordinary
    # momentum data: relative returns follow their sign -> observed rate far above the iid null
    rng = np.random.default_rng(5)
    e = rng.normal(0, 0.02, 1200)
    x = np.zeros(1200)
    for t in range(1, 1200):
        x[t] = 0.5 * x[t - 1] + e[t]
    mom = pd.DataFrame({"small": x, "large": 0.0}, index=df.index)
    res = null_distribution(mom, share_up_after_up, block_size=1, reps=199, seed=0)
    assert row(res)["percentile"] == 1.0 and res.p_value < 0.01
    rec = res.to_record()
    assert rec["method"]["reps"] == 199 and rec["method"]["bootstrap"] == "stationary"
    text = null_summary(res)
    assert "p(greater) = 0.005" in text and "stationary block bootstrap" in text and "199 of 199 paths" in text


@pytest.mark.parametrize("kw,match", [
    ({"block_size": 0}, "block_size"),
    ({"block_size": 2, "reps": 5}, "reps"),
    ({"block_size": 2, "method": "iid"}, "method"),
    ({"block_size": 400}, "2 \\* block_size"),
])
def test_bad_arguments(kw, match):
    with pytest.raises(ParameterError, match=match):
        null_distribution(_returns(100), share_up_after_up, **kw)


def test_round_level_placebo_on_a_made_up_path():
    from rotation.studies.nulls import round_level_placebo

    # a path that rises through 1,000-2,600 twice; it turns back just below every round thousand once
    up = np.linspace(900, 2600, 400)
    dips = []
    for lv in (1000, 2000):
        dips += [lv * 0.995, lv * 0.95]  # reaches the band below the round level, then falls back
    path = np.concatenate([up[:50], dips[:2], up[50:300], dips[2:], up[300:], up[::-1], up])
    close = pd.Series(path, index=pd.bdate_range("2000-01-03", periods=len(path)))
    summary, app = round_level_placebo(close, within=0.02, hold=3, cluster_days=10, reps=199, seed=0)
    s = row(summary)
    assert s["group_a"] == "round" and s["group_b"] == "placebo"
    assert s["estimate"] == pytest.approx(s["mean_a"] - s["mean_b"]) and summary.units.scale == "share"
    assert set(app["kind"]) == {"round", "placebo"} and (app["outcome"] != "pending").all()


def test_false_breakout_null_runs_on_simulated_returns():
    from rotation.studies.nulls import false_breakout_null

    df = _returns(480)
    res = false_breakout_null(df, lookback=12, gap=12, k=3, block_size=12, reps=49, seed=1)
    assert 0 <= res.estimate <= 1 and row(res)["n_valid"] > 0
    assert res == false_breakout_null(df, lookback=12, gap=12, k=3, block_size=12, reps=49, seed=1)


def _pipeline_rate(df: pd.DataFrame, lookback: int, rule: str, gap: int, k: int) -> float:
    """The false-breakout rate through the public pandas functions (what the null used to call per path)."""
    from rotation.studies import outcomes, signals
    from rotation.studies.returns import log_relative_strength

    lrs = log_relative_strength(df["small"], df["large"])
    ep = signals.merge_episodes(signals.breakout_signals(lrs, lookback, rule=rule), gap)
    if not ep.any():
        return float("nan")
    out = outcomes.false_breakout_rate(lrs, ep, k, lookback=lookback, rule=rule)
    return float(out.estimate) if out.nobs else float("nan")


@pytest.mark.parametrize("rule", ["high", "ma"])
@pytest.mark.parametrize("lookback,gap,k", [(12, 12, 3), (3, 0, 1), (24, 6, 6), (1, 2, 12)], ids=str)
def test_false_breakout_share_equals_the_pandas_pipeline(rule, lookback, gap, k):
    from rotation.studies.nulls import false_breakout_share

    for seed in range(4):
        df = _returns(240, seed=seed)
        bs = StationaryBootstrap(12, df.to_numpy(), seed=seed)
        paths = [df] + [pd.DataFrame(p[0], index=df.index, columns=df.columns) for p, _ in bs.bootstrap(5)]
        for path in paths:
            fast = false_breakout_share(path.to_numpy(), lookback, rule, gap, k)
            slow = _pipeline_rate(path, lookback, rule, gap, k)
            assert fast == slow or (np.isnan(fast) and np.isnan(slow))


def test_false_breakout_share_without_episodes_or_follow_up():
    from rotation.studies.nulls import false_breakout_share

    falling = np.column_stack([np.full(40, -0.01), np.zeros(40)])  # never a new high
    assert np.isnan(false_breakout_share(falling, 12, "high", 12, 3))
    rising = np.column_stack([np.full(15, 0.01), np.zeros(15)])  # breakouts, but the last one has no 3 months after it
    assert np.isnan(false_breakout_share(rising[:13], 12, "high", 12, 3))
    assert false_breakout_share(rising, 12, "high", 12, 2) == 0.0
    assert false_breakout_share(rising, 12, "high", 12, 2) == _pipeline_rate(
        pd.DataFrame(rising, columns=["small", "large"], index=pd.date_range("2000-01-31", periods=15, freq="ME")),
        12, "high", 12, 2)


def test_false_breakout_null_checks_its_arguments():
    from rotation.studies.nulls import false_breakout_null

    with pytest.raises(ParameterError, match="rule must be one of"):
        false_breakout_null(_returns(120), lookback=12, rule="low", gap=12, k=3, reps=19)
    with pytest.raises(ParameterError, match="k must be an integer >= 1"):
        false_breakout_null(_returns(120), lookback=12, gap=12, k=0, reps=19)
