"""Valuation helpers: the spread on a made-up 2x3 table, Stambaugh's bias, Clark-West, forecasts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.regressions import oos_r2, predictive_regression
from rotation.studies import valuation as va
from rotation.studies.economy import state_difference

COLS = ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]


def table(rows, n=3):
    idx = pd.date_range("2000-01-31", periods=n, freq="ME", name="date")
    return pd.DataFrame([rows] * n, index=idx, columns=COLS, dtype=float)


def test_spread_on_a_made_up_2x3_table():
    beme = table([0.5, 1.0, 2.0, 0.25, 0.5, 1.0])
    size = table([10, 10, 10, 100, 100, 100])
    nf = table([1, 2, 1, 1, 1, 2])  # weights small: 10, 20, 10; big: 100, 100, 200
    sp = va.valuation_spread(beme, size, nf)
    small = (0.5 * 10 + 1.0 * 20 + 2.0 * 10) / 40
    big = (0.25 * 100 + 0.5 * 100 + 1.0 * 200) / 400
    assert sp["small_beme"].iloc[0] == pytest.approx(small) and sp["big_beme"].iloc[0] == pytest.approx(big)
    assert sp["overall"].iloc[0] == pytest.approx(np.log(small / big))
    assert sp["value"].iloc[0] == pytest.approx(np.log(2.0)) and sp["growth"].iloc[0] == pytest.approx(np.log(2.0))
    with pytest.raises(ParameterError, match="lacks the 2x3 portfolio columns"):
        va.valuation_spread(beme.drop(columns="ME1 BM2"), size, nf)


def _predictable(n=600, b=0.05, seed=0):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1950-01-31", periods=n, freq="ME")
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = 0.95 * x[t - 1] + rng.normal(0, 0.1)
    y = np.r_[0, b * x[:-1]] + rng.normal(0, 0.02, n)
    return pd.Series(y, idx), pd.Series(x, idx, name="x")


def test_forecast_matches_the_predictive_regression():
    y, x = _predictable()
    f = va.predictive_forecast(y, x, 12, 0.3, maxlags=11)
    ref = predictive_regression(y, x, horizon=12, maxlags=11).table
    assert f["slope"] == pytest.approx(float(ref.loc["x", "estimate"]))
    assert f["slope_t"] == pytest.approx(float(ref.loc["x", "t"]))
    assert f["estimate"] == pytest.approx(float(ref.loc["const", "estimate"] + ref.loc["x", "estimate"] * 0.3))
    assert f["ci_lower"] < f["estimate"] < f["ci_upper"]


def test_clark_west_on_predictable_and_unpredictable_series():
    y, x = _predictable(b=0.05)
    cw = va.clark_west(oos_r2(y, x, horizon=1, min_train=120).data, lags=0)
    assert cw["p_value"] < 0.01
    rng = np.random.default_rng(3)
    noise = pd.Series(rng.normal(0, 0.02, len(y)), index=y.index)
    cw0 = va.clark_west(oos_r2(noise, x, horizon=1, min_train=120).data, lags=0)
    assert cw0["p_value"] > 0.05


def test_stambaugh_bias_sign_and_persistence():
    y, x = _predictable(b=0.0, seed=5)
    # make return shocks negatively correlated with predictor shocks (as with dividend yields)
    out = va.stambaugh_bias(y, x)
    assert 0.85 < out["rho"] < 1.0 and out["nobs"] == len(y) - 1
    u = pd.Series(np.r_[0, -np.diff(x.to_numpy())], index=x.index) * 0.2
    out2 = va.stambaugh_bias(y + u, x)
    assert out2["corr_uv"] < 0 and out2["bias"] > 0  # negative cov(u, v) biases the slope upward


def test_expanding_quantile_state_has_no_look_ahead():
    x = pd.Series(np.arange(200.0), index=pd.date_range("2000-01-31", periods=200, freq="ME"))
    s = va.expanding_quantile_state(x, 0.8, min_periods=10)
    assert s.iloc[:9].isna().all() and (s.iloc[9:] == 1.0).all()  # a rising series is always at its high
    y = x.copy()
    y.iloc[100:] = -1
    pd.testing.assert_series_equal(s.iloc[:100], va.expanding_quantile_state(y, 0.8, 10).iloc[:100])


# --------------------------------------------------------------------------- the studies of notebook 06's steps

def _spread_frame():
    idx = pd.date_range("2000-01-31", periods=5, freq="ME", name="date")
    return pd.DataFrame({"overall": [0.1, 0.4, 0.2, 0.3, 0.35], "value": [0.5, np.nan, 0.1, 0.2, 0.3],
                         "growth": [0.0, 0.1, 0.2, 0.3, np.nan]}, index=idx)


def test_discount_standing_latest_values_and_percentiles_by_hand():
    sp = _spread_frame()
    st = va.discount_standing(sp)
    t = st.table
    assert t.loc["overall", "estimate"] == 0.35 and t.loc["overall", "percentile"] == pytest.approx(4 / 5)
    assert t.loc["value", "nobs"] == 4 and t.loc["value", "percentile"] == pytest.approx(3 / 4)
    # growth has no value in the last month: the estimate is NaN, the percentile ranks its last value (0.3)
    assert np.isnan(t.loc["growth", "estimate"]) and t.loc["growth", "percentile"] == 1.0
    # the reading of 2000-05 (before July) divides by market equity of December 1998: 17 months old in 2000-05
    assert st.extra == {"date": sp.index[-1], "start": sp.index[0], "end": sp.index[-1], "months": 5,
                        "prices_of": pd.Timestamp("1998-12-31"), "as_of": sp.index[-1], "age_months": 17}
    later = va.discount_standing(sp, as_of="2001-02-28")
    assert later.extra["age_months"] == 26 and "market equity of 1998-12 (26 months before 2001-02)" in later.sentence
    assert "1998-12" in later.title
    assert "80th percentile" in st.describe() and "cheaper than usual" in st.describe()
    assert st.to_record()["rows"]["overall"]["estimate"] == 0.35
    with pytest.raises(ParameterError, match="lacks the columns"):
        va.discount_standing(sp.drop(columns="value"))
    with pytest.raises(ParameterError, match="spread must be a non-empty DataFrame"):
        va.discount_standing(sp["overall"])


def test_ordinal_percentiles():
    assert [va.ordinal(x) for x in (0.8443, 1.0, 0.02, 0.111, 0.21, 0.0)] == ["84th", "100th", "2nd", "11th", "21st",
                                                                              "0th"]


def test_forecast_parts_are_the_fits_rows():
    y, x = _predictable()
    fits = {h: va.predictive_forecast(y, x, h, 0.2) for h in (1, 12)}
    parts = va.forecast_parts(fits, slope_units=va.Units.number("slope"), forecast_units=va.Units.returns("r"),
                              predictor="x")
    for h, f in fits.items():
        row = parts["slope"].table.loc[h]
        assert {k: row[k] for k in f["slope_row"]} == pytest.approx(f["slope_row"])
        assert row["maxlags"] == f["lags"] == 12
        fc = parts["forecast"].table.loc[h]
        assert (fc["estimate"], fc["std_err"], fc["ci_lower"], fc["ci_upper"], fc["x"]) == (
            f["estimate"], f["std_err"], f["ci_lower"], f["ci_upper"], 0.2)
    with pytest.raises(ParameterError, match="at least one horizon"):
        va.forecast_parts({}, slope_units=va.Units.number("s"), forecast_units=va.Units.returns("r"), predictor="x")


def test_spread_predictability_repeats_the_notebook_computation():
    """Equal, number for number, to the loop notebook 06 ran before (forecast, OOS R2, Clark-West, Stambaugh,
    halves, top quintile); the deciding horizon is added when the list lacks it."""
    y, x = _predictable(n=480)
    res = va.spread_predictability(y, x, [12, 24], horizon=6, min_train=120, q=0.8)
    assert list(res["slope"].table.index) == [12, 24, 6]
    for h in (12, 24, 6):
        f = va.predictive_forecast(y, x, h, float(x.iloc[-1]))
        oos = oos_r2(y, x, horizon=h, min_train=120)
        cw = va.clark_west(oos.data, lags=max(h - 1, 1))
        assert res["slope"].table.loc[h, "estimate"] == f["slope"] and res["slope"].table.loc[h, "t"] == f["slope_t"]
        assert res["forecast"].table.loc[h, "ci_upper"] == f["ci_upper"]
        o = res["out_of_sample"].table.loc[h]
        assert (o["estimate"], o["t"], o["p_value"]) == (oos.estimate, cw["statistic"], cw["p_value"])
    bias = va.stambaugh_bias(y, x)
    st = res["stambaugh"].table.iloc[0]
    assert (st["estimate"], st["bias"], st["rho"], st["nobs"]) == (bias["slope_one_period"], bias["bias"],
                                                                   bias["rho"], bias["nobs"])
    common = x.dropna().index.intersection(y.index)
    mid = common[len(common) // 2]
    first = va.predictive_forecast(y.loc[None:mid], x, 6, float(x.iloc[-1]))
    second = va.predictive_forecast(y.loc[mid:None], x, 6, float(x.iloc[-1]))
    assert res["halves"].table.loc["first half", "estimate"] == first["slope"]
    assert res["halves"].table.loc["second half", "nobs"] == second["nobs"]
    top = va.expanding_quantile_state(x, 0.8)
    assert list(res["top_quintile"].table.index) == [12, 24]  # the listed horizons only
    assert res["top_quintile"].table.loc[24, "estimate"] == state_difference(y, top, horizon=24).estimate
    assert res.extra["months"] == len(common) and res.extra["returns"] == [y.index[0], y.index[-1], len(y)]
    assert res.data["spread"].equals(x) and "the next 6 months" in res.describe()


def test_top_quintile_study_rows_and_checks():
    y, x = _predictable(n=400)
    top = va.top_quintile_study(y, x, [3, 12], q=0.8)
    state = va.expanding_quantile_state(x, 0.8)
    for h in (3, 12):
        ref = state_difference(y, state, horizon=h).table.iloc[0]
        row = top.table.loc[h]
        assert row["estimate"] == ref["estimate"] and row["n_spells"] == ref["n_spells"]
        assert row["maxlags"] == max(h - 1, 12)
    assert "spells" in top.describe()
    with pytest.raises(ParameterError, match="q must be"):
        va.top_quintile_study(y, x, [3], q=1.0)
    with pytest.raises(ParameterError, match="at least one horizon"):
        va.top_quintile_study(y, x, [])


def test_hodrick_errors_and_recent_out_of_sample_r2_beside_hac():
    """Issue 27: the slopes with Hodrick 1B errors next to HAC, and the walk-forward R2 of the forecasts made since
    1990 and since 2015 (recomputed here from the forecasts of stats.regressions.oos_r2)."""
    from rotation.stats.hodrick import hodrick_1b

    y, x = _predictable(n=600)  # 1950-01 to 1999-12: no forecast since 2015
    res = va.spread_predictability(y, x, [12, 36], horizon=36, min_train=240)
    for h in (12, 36):
        ref = hodrick_1b(y, x, h).table.iloc[1]
        row = res["slope_hodrick"].table.loc[h]
        assert row["std_err"] == pytest.approx(ref["std_err"], rel=1e-12) and row["estimate"] == pytest.approx(
            res["slope"].table.loc[h, "estimate"], rel=1e-12)
        assert row["hac_t"] == res["slope"].table.loc[h, "t"]
        fc = oos_r2(y, x, horizon=h, min_train=240).data.loc["1990-01-01":]
        r2 = 1 - ((fc["actual"] - fc["model"]) ** 2).sum() / ((fc["actual"] - fc["mean"]) ** 2).sum()
        recent = res["out_of_sample_since"].table
        assert recent.loc[(h, "1990"), "estimate"] == pytest.approx(r2, rel=1e-10)
        assert recent.loc[(h, "1990"), "nobs"] == len(fc) and recent.loc[(h, "2015"), "nobs"] == 0
    assert "Hodrick (1992) 1B" in res.describe() and "since 1990" in res.describe()
