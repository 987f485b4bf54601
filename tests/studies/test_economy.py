"""Business-cycle helpers on made-up paths: the Sahm trigger date, phase labels, no look-ahead, HAC tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from rotation.errors import ParameterError
from rotation.studies import economy as ec


def months(n, start="2000-01-31"):
    return pd.date_range(start, periods=n, freq="ME", name="date")


def test_sahm_rule_triggers_on_the_exact_month():
    u = pd.Series(4.0, index=months(30))
    u.iloc[20:] = [4.2, 4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6, 5.8, 6.0]
    s = ec.sahm_rule(u)
    # 3-month averages: 2000-09 (t=20): 4.067, t=21: 4.2, t=22: 4.4, t=23: 4.6 -> gap 0.6 >= 0.5 first at t=23
    assert s["trigger"].idxmax() == u.index[23]
    assert not s["trigger"].iloc[:23].any()
    assert s.loc[u.index[22], "gap"] == pytest.approx(0.4)
    assert np.isnan(s["low"].iloc[11])  # the first low needs 12 prior 3-month averages


def test_sahm_rule_is_missing_where_the_gap_is_undefined():
    """The first 14 months have no 12-month low of 3-month averages: not "not triggered" but unknown."""
    u = pd.Series(4.0, index=months(30))
    s = ec.sahm_rule(u)
    undefined = s["gap"].isna()
    assert undefined.sum() == 14 and s["trigger"].isna().equals(undefined)
    assert s["trigger"].dtype == "boolean" and not s.loc[~undefined, "trigger"].any()
    assert s["trigger"].astype(float).isna().sum() == 14  # the state is NaN, so tests drop these months


def test_sahm_rule_uses_no_data_after_t():
    u = pd.Series(np.linspace(4, 6, 40), index=months(40))
    a = ec.sahm_rule(u)
    v = u.copy()
    v.iloc[30:] = 10.0
    b = ec.sahm_rule(v)
    pd.testing.assert_frame_equal(a.iloc[:30], b.iloc[:30])


def test_phases_on_a_made_up_recession_calendar():
    rec = pd.Series(0, index=months(40))
    rec.iloc[3:5] = 1     # recession
    rec.iloc[17:19] = 1   # next recession: the expansion in between has 12 months (5..16)
    ph = ec.expansion_phases(rec)
    assert (ph.iloc[5:9] == "early").all() and (ph.iloc[9:13] == "mid").all() and (ph.iloc[13:17] == "late").all()
    assert (ph.iloc[:3] == "open").all() and (ph.iloc[19:] == "open").all()
    assert (ph.iloc[[3, 4, 17, 18]] == "recession").all()
    td = ec.turning_dates(rec)
    assert list(td["kind"]) == ["peak", "trough", "peak", "trough"]
    assert td["date"].iloc[0] == rec.index[2] and td["date"].iloc[1] == rec.index[4]


def test_late_cycle_realtime():
    u = pd.Series([5, 4.8, 4.6, 4.4, 4.2, 4.0, 4.1, 4.3, 4.9], index=months(9), dtype=float)
    c = pd.Series([1, 1, 0.5, 0.2, 0.1, -0.1, 0.0, 0.3, -0.2], index=months(9), dtype=float)
    late = ec.late_cycle_realtime(u, c, band=0.5, curve_max=0.25, lookback=3)
    # from t=2 on (3-month minimum exists): tight where u <= min3 + 0.5; flat where c <= 0.25
    assert late.index[0] == u.index[2]
    assert list(late.astype(int)) == [0, 1, 1, 1, 1, 0, 0]


def test_state_table_matches_statsmodels_and_counts_spells():
    rng = np.random.default_rng(0)
    r = pd.Series(rng.normal(0, 0.03, 240), index=months(240))
    states = pd.Series(np.where((np.arange(240) // 24) % 2 == 0, "a", "b"), index=r.index)
    res = ec.state_table(r, states, horizon=3, maxlags=4)
    tab = res.table
    assert res.method.lags == 4 and "3" in res.units.text
    fwd = ec.forward_compounded(r, 3)
    data = pd.concat({"y": fwd, "s": states}, axis=1).dropna()
    ref = sm.OLS(data["y"], pd.get_dummies(data["s"], dtype=float)).fit(cov_type="HAC", cov_kwds={"maxlags": 4})
    np.testing.assert_allclose(tab["estimate"], ref.params)
    np.testing.assert_allclose(tab["std_err"], ref.bse)
    assert tab.loc["a", "n_spells"] == 5 and tab.loc["b", "n_spells"] == 5
    assert fwd.iloc[0] == pytest.approx(np.prod(1 + r.iloc[1:4]) - 1)
    d = ec.state_difference(r, states == "b", horizon=3, maxlags=4)
    assert d.estimate == pytest.approx(tab.loc["b", "estimate"] - tab.loc["a", "estimate"])
    assert d.table.loc["in state minus other", "n_spells"] == 5


def test_interaction_regression_recovers_a_planted_recession_effect():
    rng = np.random.default_rng(1)
    idx = months(600)
    mkt = pd.Series(rng.normal(0.005, 0.045, 600), index=idx)
    rec = pd.Series((np.arange(600) % 60) < 8, index=idx).astype(float)
    rel = 0.2 * mkt - 0.01 * rec + rng.normal(0, 0.01, 600)
    tab = ec.interaction_regression(rel, mkt, rec, maxlags=6).table
    assert tab.loc["indicator", "ci_upper"] < 0
    assert tab.loc["market", "estimate"] == pytest.approx(0.2, abs=0.05)


def test_bad_inputs():
    with pytest.raises(ParameterError, match="lookback"):
        ec.sahm_rule(pd.Series([4.0], index=months(1)), lookback=0)
    with pytest.raises(ParameterError, match="DatetimeIndex"):
        ec.sahm_rule([4.0, 5.0])
