"""The signal board: states known at each month end, as-of invariance, the composite out of sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import board as bd


@pytest.mark.snapshot
def test_board_as_of_is_unchanged_by_later_data(snapshot_env, monkeypatch):
    import rotation.data as rdata
    import rotation.data.api as api

    as_of = "2015-12-31"
    before, info_before = bd.states("ff30_vw", as_of=as_of)
    original = api.load

    def perturbed(key, start=None, end=None, **kw):
        obj = original(key, start=start, end=None, **kw)
        later = obj.index > pd.Timestamp(as_of)
        obj = obj.copy()
        if isinstance(obj, pd.DataFrame):
            num = obj.select_dtypes("number").columns
            obj.loc[later, num] = obj.loc[later, num] * 1.7 + 0.3
        else:
            obj[later] = obj[later] * 1.7 + 0.3
        return obj.loc[start:end]

    monkeypatch.setattr(api, "load", perturbed)
    monkeypatch.setattr(rdata, "load", perturbed)
    after, info_after = bd.states("ff30_vw", as_of=as_of)
    pd.testing.assert_frame_equal(before, after)
    assert before.index[-1] == pd.Timestamp(as_of)
    assert set(bd.SIGNALS) == set(before.columns)


def _sim(signal_strength: float, n: int = 600, seed: int = 0):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1960-01-31", periods=n, freq="ME", name="date")
    states = pd.DataFrame({f"s{i}": rng.integers(0, 2, n).astype(float) for i in range(4)}, index=idx)
    share = states.mean(axis=1)
    # the next month's return depends on this month's share of favourable signals
    rel = pd.Series(rng.normal(0, 0.02, n), index=idx) + signal_strength * (share.shift(1) - 0.5).fillna(0)
    return rel, states


def test_composite_oos_finds_a_signal_and_not_noise():
    rel, states = _sim(0.04)
    out = bd.composite_oos(rel, states, horizon=1, min_train=120)
    assert out.loc["composite", "oos_r2"] > 0.05
    assert out.loc["composite", "oos_r2"] > out.drop(index="composite")["oos_r2"].max()
    rel0, states0 = _sim(0.0, seed=3)
    out0 = bd.composite_oos(rel0, states0, horizon=1, min_train=120)
    assert out0.loc["composite", "oos_r2"] < 0.01


def test_carried_states_age_out():
    idx = pd.date_range("2020-01-31", periods=6, freq="ME")
    b = pd.DataFrame({"a": [1.0, np.nan, np.nan, np.nan, np.nan, np.nan]}, index=idx)
    c = bd.carried(b, 2)
    assert c["a"].tolist()[:3] == [1.0, 1.0, 1.0] and np.isnan(c["a"].iloc[3])
    with pytest.raises(ParameterError, match="max_age"):
        bd.carried(b, -1)


def test_outcome_classes_on_made_up_ratio_paths():
    idx = pd.date_range("2000-01-31", periods=60, freq="ME")
    flat = np.zeros(60)
    # false breakout: a new high in month 30, back below the prior high in month 31
    false_path = flat.copy()
    false_path[20] = 0.05
    false_path[30] = 0.08
    false_path[31] = 0.0
    out = bd.outcome_classes(pd.Series(false_path, index=idx), [idx[28]], lookback=12, k=3, horizon=6)
    assert out.iloc[0] == "false breakout"
    # sustained: the ratio steps up and stays up
    sustained = np.where(np.arange(60) >= 30, 0.08, 0.0)
    sustained[20] = 0.05
    assert bd.outcome_classes(pd.Series(sustained, index=idx), [idx[28]]).iloc[0] == "sustained breakout"
    # no breakout within the horizon, and windows past the data are left out
    assert bd.outcome_classes(pd.Series(flat + 0.0, index=idx), [idx[40]]).iloc[0] == "no breakout"
    assert bd.outcome_classes(pd.Series(flat, index=idx), [idx[-2]]).empty


def test_outcome_classes_blow_off_needs_an_extreme_rise_given_back():
    rng = np.random.default_rng(0)
    idx = pd.date_range("1990-01-31", periods=200, freq="ME")
    path = np.cumsum(rng.normal(0, 0.01, 200))
    path[150:] = path[149]
    path[151] = path[149] + 0.5  # an extreme jump ...
    path[152:158] = path[149] + 0.1  # ... mostly given back
    out = bd.outcome_classes(pd.Series(path, index=idx), [idx[149]], horizon=6, k=3)
    assert out.iloc[0] == "blow-off"


@pytest.mark.snapshot
def test_margins_are_signed_like_the_states(snapshot_env):
    states, _ = bd.states("ff30_vw", as_of="2019-12-31")
    m = bd.margins("ff30_vw", as_of="2019-12-31")
    latest = bd.carried(states, 12).iloc[-1]
    for key in m.dropna(subset=["margin"]).index:
        assert m.loc[key, "favourable"] == latest[key], key
    assert np.isnan(m.loc["seasonal", "z"])


def test_favourable_share_counts_the_signals_known_at_each_month():
    idx = pd.date_range("2020-01-31", periods=3, freq="ME")
    b = pd.DataFrame({"a": [1.0, 1.0, np.nan], "b": [0.0, 1.0, 1.0], "c": [np.nan, 0.0, 1.0],
                      "d": [1.0, np.nan, np.nan]}, index=idx)
    share = bd.favourable_share(b)
    assert share.iloc[0] == pytest.approx(2 / 3) and share.iloc[1] == pytest.approx(2 / 3)
    assert np.isnan(share.iloc[2])  # two signals known: fewer than three
    assert bd.favourable_share(b, min_known=2).iloc[2] == 1.0
    with pytest.raises(ParameterError, match="board must be the non-empty DataFrame"):
        bd.favourable_share(b.iloc[:0])


@pytest.mark.snapshot
def test_each_reading_is_dated_and_flagged_stale_when_older_than_its_frequency_allows(snapshot_env):
    states, info = bd.states("ff30_vw", as_of="2019-12-31")
    assert (info["age_months"] >= 0).all()
    for _, row in info.iterrows():
        end = pd.Timestamp("2019-12-31")
        assert row["age_months"] == (end.year - row["last"].year) * 12 + end.month - row["last"].month
    fresh = {s.key: s.fresh for s in bd._signals("ff30_vw")}
    assert info["stale"].tolist() == [info.loc[k, "age_months"] > fresh[k] for k in info.index]
    latest, now = bd.states("ff30_vw")
    # the snapshot's Russell 2000 ends in 2026-02 while the macro data run months later: stale, and said so
    assert now.loc["rut_near_high", "stale"] and now.loc["rut_near_high", "last"] < latest.index[-1]
    assert not now.loc["seasonal", "stale"]
