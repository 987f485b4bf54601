"""Notebook 05's macro-signal studies on made-up series: states known at t, the signal table with Holm's
adjustment, the predictive table and where we stand -- by hand or against the computations they replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.multiple import adjust_pvalues
from rotation.stats.regressions import oos_r2, predictive_regression
from rotation.studies import economy as ec
from rotation.studies import macro_signals as ms


def months(n, start="1970-01-31"):
    return pd.date_range(start, periods=n, freq="ME", name="date")


def _known(n=480, seed=3):
    rng = np.random.default_rng(seed)
    idx = months(n)
    walk = lambda s, lvl: pd.Series(lvl * np.exp(np.cumsum(rng.normal(0.002, s, n))), index=idx)  # noqa: E731
    return {"UNRATE": pd.Series(5 + np.cumsum(rng.normal(0, 0.15, n)), index=idx).clip(2, 12),
            "ICSA": walk(0.05, 300_000), "PAYEMS": walk(0.004, 100_000), "INDPRO": walk(0.01, 80),
            "GDPC1": walk(0.008, 10_000), "UMCSENT": pd.Series(85 + np.cumsum(rng.normal(0, 2, n)), index=idx),
            "T10Y2Y": pd.Series(1 + np.cumsum(rng.normal(0, 0.2, n)), index=idx), "CPIAUCSL": walk(0.003, 50)}


def test_signal_states_by_hand_and_unknown_months_stay_unknown():
    known = _known()
    sahm = ec.sahm_rule(known["UNRATE"])
    states = ms.signal_states(known, sahm)
    claims = known["ICSA"]
    assert states["claims up >10% over 26 weeks"].iloc[6] == float(claims.iloc[6] / claims.iloc[0] - 1 > 0.10)
    assert states["claims up >10% over 26 weeks"].iloc[:6].isna().all()
    assert states["curve inverted"].iloc[0] == float(known["T10Y2Y"].iloc[0] <= 0)
    assert states["inflation above 4%"].iloc[:12].isna().all()
    sahm_state, gap = states["Sahm rule triggered"], sahm["gap"]
    assert sahm_state.isna().equals(gap.isna()) and gap.isna().sum() == 14  # undefined gap: unknown, not "off"
    assert (sahm_state[gap.notna()] == (gap[gap.notna()] >= 0.5 - 1e-12).astype(float)).all()
    levels = ms.signal_levels(known, sahm)
    assert levels["claims 26-week log change"].iloc[6] == pytest.approx(np.log(claims.iloc[6] / claims.iloc[0]))
    with pytest.raises(ParameterError, match="missing \\['CPIAUCSL'\\]"):
        ms.signal_states({k: v for k, v in known.items() if k != "CPIAUCSL"}, sahm)


def test_resilient_state_by_hand():
    states = pd.DataFrame({"Sahm rule triggered": [0, 0, 1, 0, np.nan],
                           "claims up >10% over 26 weeks": [0, 1, 0, 0, 0],
                           "sentiment rising (12m)": [1, 1, 1, 0, 1]}, index=months(5), dtype=float)
    got = ms.resilient_state(states)
    assert got.iloc[:4].tolist() == [1.0, 0.0, 0.0, 0.0] and np.isnan(got.iloc[4])
    with pytest.raises(ParameterError, match="sentiment rising"):
        ms.resilient_state(states.drop(columns="sentiment rising (12m)"))


def _study_inputs():
    known = _known()
    sahm = ec.sahm_rule(known["UNRATE"])
    rel = pd.Series(np.random.default_rng(9).normal(0, 0.03, 480), index=months(480))
    return known, sahm, ms.signal_states(known, sahm), rel


def test_signal_study_rows_are_state_differences_with_holm():
    _, _, states, rel = _study_inputs()
    res = ms.signal_study(rel, states, horizons=[3, 12], horizon=6)
    assert sorted(set(res.table.index.get_level_values("horizon"))) == [3, 6, 12]
    name = "payrolls growing (12m)"
    ref = ec.state_difference(rel, states[name].dropna(), horizon=6).table.iloc[0]
    got = res.table.loc[(name, 6)]
    for col in ref.index:
        assert got[col] == ref[col], col
    np.testing.assert_array_equal(res.table["p_value_holm"].to_numpy(),
                                  adjust_pvalues(res.table["p_value"], "holm"))
    assert (res.table["maxlags"] == 12).all() and res.method.lags == 12
    assert res.describe().startswith(f"{len(res.table)} tests (signals x horizons)")


def test_predictive_study_rows_are_the_regressions():
    known, sahm, _, rel = _study_inputs()
    levels = ms.signal_levels(known, sahm)
    res = ms.predictive_study(rel, levels, horizon=12, min_train=120)
    x = levels["10y-2y spread"].dropna().rename("x")
    fit = predictive_regression(rel, x, horizon=12).table.loc["x"]
    oos = oos_r2(rel, x, horizon=12, min_train=120)
    row = res.table.loc["10y-2y spread"]
    assert (row["estimate"], row["t"], row["nobs"], row["maxlags"]) == (fit["estimate"], fit["t"], fit["nobs"],
                                                                        fit["maxlags"])
    assert (row["oos_r2"], row["oos_n"]) == (oos.estimate, oos.nobs)
    assert list(res.table.index) == list(levels)


def test_where_we_stand_turns_the_sign_when_the_state_is_off():
    _, sahm, states, rel = _study_inputs()
    signals = ms.signal_study(rel, states, horizons=[6], horizon=6)
    flag = pd.Series([False, True], index=rel.index[-2:])
    now = ms.where_we_stand(states, signals, flag, sahm, horizon=6)
    on, off = "payrolls growing (12m)", "sentiment rising (12m)"  # on and off in the last month of the made-up data
    assert now.table.loc[on, "state"] and not now.table.loc[off, "state"]
    assert now.table.loc[on, "estimate"] == signals.table.loc[(on, 6), "estimate"]
    assert now.table.loc[off, "estimate"] == -signals.table.loc[(off, 6), "estimate"]
    assert now.table.loc[off, "ci_lower"] == -signals.table.loc[(off, 6), "ci_upper"]
    assert now.table.loc[off, "as_of"] == rel.index[-1]
    # a signal never in both states has no row in the signal study: no estimate
    assert ("curve inverted", 6) not in signals.table.index and np.isnan(now.table.loc["curve inverted", "estimate"])
    assert now.extra["late_cycle_realtime"] is True and now.extra["late_cycle_as_of"] == rel.index[-1]
    assert now.extra["sahm_gap"] == float(sahm["gap"].dropna().iloc[-1])
    assert "payrolls growing (12m) yes" in now.describe()
