"""The dollar studies of notebook 02 (studies.dollar), on made-up data: each equals the computation the notebook
made before it moved into the package."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats import regressions as rg
from rotation.studies import betas, dollar, regimes, series
from rotation.studies import returns as rt

SPLIT = "2008-01-01"


def made_up(seed: int = 0) -> dict:
    """Daily DXY from 2003, a daily broad index from 2006, UUP from 2007, two older monthly indexes, and monthly
    and weekly small/large returns partly driven by the dollar."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2003-01-01", "2014-06-30")
    dxy = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.004, len(days)))), index=days, name="DX-Y.NYB")
    broad = (dxy.loc["2006-01-02":] * np.exp(rng.normal(0, 0.001, len(dxy.loc["2006-01-02":])))).rename("DTWEXBGS")
    uup = (dxy.loc["2007-03-01":] / 4).rename("UUP")
    months = pd.date_range("1998-01-31", "2010-12-31", freq="ME")
    broad_m = pd.Series(90 * np.exp(np.cumsum(rng.normal(0, 0.01, len(months)))), index=months, name="TWEXBMTH")
    majors_m = pd.Series(80 * np.exp(np.cumsum(rng.normal(0, 0.01, len(months)))), index=months, name="TWEXMMTH")
    chained = series.chain_indexes([broad, broad_m.loc["2001-01-31":], majors_m], freq="ME", name="dollar")
    mi = pd.date_range("1999-01-31", "2014-05-31", freq="ME")
    change = chained.pct_change().reindex(mi).fillna(0.0).to_numpy()
    large = rng.normal(0.008, 0.04, len(mi))
    small = large - 0.3 * change + rng.normal(0.001, 0.02, len(mi))
    rets_m = pd.DataFrame({"small": small, "large": large}, index=mi)
    wi = pd.date_range("2005-01-07", "2014-06-27", freq="W-FRI")
    large_w = rng.normal(0.002, 0.02, len(wi))
    rets_w = pd.DataFrame({"small": large_w + rng.normal(0, 0.01, len(wi)), "large": large_w}, index=wi)
    ff_days = pd.bdate_range("1998-01-01", "2014-06-30")
    mkt_d = pd.Series(rng.normal(0.0003, 0.01, len(ff_days)), index=ff_days, name="Mkt-RF")
    dgs10 = pd.Series(4 + np.cumsum(rng.normal(0, 0.03, len(ff_days))), index=ff_days, name="DGS10")
    return {"daily": {"dollar": broad, "DXY": dxy.rename("DXY"), "UUP": uup}, "broad_m": broad_m,
            "majors_m": majors_m, "rets_m": rets_m, "rets_w": rets_w, "mkt_d": mkt_d,
            "mkt_m": rt.to_period_returns(mkt_d, "ME"), "dgs10": dgs10}


@pytest.fixture(scope="module")
def data() -> dict:
    d = made_up()
    d["index"] = dollar.dollar_index(d["daily"], d["broad_m"], d["majors_m"], broad_monthly_from="2001-01-31")
    return d


def old_mdata(d: dict) -> pd.DataFrame:
    """What notebook 02 computed in its cells before (the reference the studies must equal)."""
    level = d["index"].data["dollar"].dropna()
    rel = rt.relative_returns(d["rets_m"]["small"], d["rets_m"]["large"]).rename("small-minus-large")
    return pd.concat([rel, d["rets_m"], level.pct_change().rename("dollar")], axis=1, join="inner").dropna()


def test_dollar_index_chains_trims_and_checks_against_dxy(data):
    d, index = data, data["index"]
    daily = d["daily"]
    chained = series.chain_indexes([daily["dollar"], d["broad_m"].loc["2001-01-31":], d["majors_m"]], freq="ME",
                                   name="dollar")
    level = index.data["dollar"].dropna()
    pd.testing.assert_series_equal(level, chained.loc[chained.index <= daily["dollar"].index[-1] + pd.offsets.BDay(1)],
                                   check_freq=False, check_names=False)
    assert [s[0] for s in index.extra["splices"]] == ["DTWEXBGS", "TWEXBMTH", "TWEXMMTH"]
    assert index.extra["splices"][1][1] == pd.Timestamp("2001-01-31")
    assert index.extra["start"] == pd.Timestamp("1998-01-31") and index.extra["end"] == pd.Timestamp("2014-06-30")
    dxy_m = series.period_levels(daily["DXY"], "ME")
    chg = pd.concat([level.pct_change().rename("dollar"), dxy_m.pct_change().rename("DXY")], axis=1,
                    join="inner").dropna()
    assert index.table.loc["before 2006", "estimate"] == float(chg.loc[:"2005-12-31"].corr().iloc[0, 1])
    assert index.table.loc["2006 on", "estimate"] == float(chg.loc["2006-01-01":].corr().iloc[0, 1])
    assert index.table.loc["2006 on", "nobs"] == len(chg.loc["2006-01-01":])
    assert index.table.loc["2006 on", "estimate"] > 0.9  # the made-up broad index is DXY with a little noise
    for col in dollar.REBASED.values():
        assert index.data.loc["2006-01-31", col] == pytest.approx(100.0)
    assert "The chained index runs from 1998-01 to 2014-06: DTWEXBGS 2006-01" in index.describe()


def test_dollar_index_needs_the_three_daily_series(data):
    with pytest.raises(ParameterError, match=r"daily must map \['dollar', 'DXY', 'UUP'\].*missing \['UUP'\]"):
        dollar.dollar_index({k: v for k, v in data["daily"].items() if k != "UUP"}, data["broad_m"],
                            data["majors_m"], broad_monthly_from="2001-01-31")


def test_monthly_sensitivity_equals_the_regressions_it_replaced(data):
    sens = dollar.monthly_sensitivity(data["rets_m"], data["index"].data, split_date=SPLIT)
    mdata = old_mdata(data)
    pd.testing.assert_frame_equal(sens.data, mdata)
    periods = betas.decade_periods(mdata.index, SPLIT)
    ref = rg.sensitivity_table(mdata["small-minus-large"], mdata["dollar"], periods, units=dollar.BETA_UNITS,
                               title="Monthly small-minus-large return on the dollar's change, by period")
    assert sens["sensitivity"] == ref
    small = rg.sensitivity_table(mdata["small"], mdata["dollar"], periods).table
    assert sens["by_return"].table.loc[("small", "2000s"), "estimate"] == small.loc[("2000s", "dollar"), "estimate"]
    assert sens["sensitivity"].table.loc[("full sample", "dollar"), "estimate"] == pytest.approx(-0.3, abs=0.15)
    assert sens.extra == {"split_date": SPLIT}
    assert "Before 2008-01 the relative beta is" in sens.describe()


def test_monthly_sensitivity_checks_the_returns(data):
    with pytest.raises(ParameterError, match="rets must be a DataFrame with columns 'small' and 'large'"):
        dollar.monthly_sensitivity(data["rets_m"].rename(columns={"small": "s"}), data["index"].data,
                                   split_date=SPLIT)


def test_dollar_measures_equal_the_regressions_they_replaced(data):
    d = data
    out = dollar.dollar_measures(d["rets_m"], d["rets_w"], d["index"].data, d["daily"], split_date=SPLIT)
    sub = betas.split_periods(SPLIT)
    rel_w = rt.relative_returns(d["rets_w"]["small"], d["rets_w"]["large"]).rename("small-minus-large")
    dxy_w = series.period_levels(d["daily"]["DXY"], "W-FRI").pct_change().rename("dollar")
    ref = rg.sensitivity_table(rel_w, dxy_w, sub).table
    for p in sub:
        pd.testing.assert_series_equal(out.table.loc[("weekly", "DXY", p)], ref.loc[(p, "dollar")], check_names=False)
    assert len(out.table) == 18
    assert "Weekly, on the broad index (2006-01" in out.describe()


def test_rolling_betas_are_the_last_windows(data):
    d = data
    out = dollar.rolling_betas(d["rets_m"], d["rets_w"], d["index"].data, d["daily"], months=36, weeks=52)
    mdata = old_mdata(d)
    ref = rg.rolling_hac_betas(mdata["small-minus-large"], mdata["dollar"], 36).table.loc["dollar"].dropna(
        subset=["estimate"])
    assert out.table.loc["monthly", "estimate"] == ref["estimate"].iloc[-1]
    assert out.table.loc["monthly", "percentile"] == rt.percentile_of_last(ref["estimate"])
    assert out.table.loc["weekly", "window"] == 52
    assert "The 36-month beta has ranged from" in out.describe()


def test_dollar_regimes_equal_regime_stats_and_the_difference(data):
    d = data
    out = dollar.dollar_regimes(d["rets_m"], d["index"].data, window=12, weak=-0.03, strong=0.03, block=3, reps=50,
                                seed=1)
    rel = rt.relative_returns(d["rets_m"]["small"], d["rets_m"]["large"]).rename("small-minus-large")
    labels = regimes.label_by_thresholds(regimes.trailing_change(d["index"].data["dollar"].dropna(), 12, "pct"),
                                         -0.03, 0.03, labels=("weakening", "neutral", "strengthening"))
    ref = regimes.regime_stats(rel, labels, lag=1, interval="bootstrap", block_size=3, reps=50, seed=1,
                               title="Next month's small-minus-large return by dollar regime")
    assert out["table"] == ref
    diff = regimes.regime_diff_ci(rel, labels, "weakening", "strengthening", lag=1, block_size=3, reps=50, seed=1)
    np.testing.assert_array_equal(out["diff"].table.to_numpy(), diff.table.to_numpy())
    assert list(out["diff"].table.index) == ["weakening minus strengthening"]
    assert out.extra == {"current": labels.dropna().iloc[-1], "current_date": labels.dropna().index[-1]}
    assert f"is **{labels.dropna().iloc[-1]}**" in out.describe()


def test_dollar_predictive_rows_are_the_regressions_and_forecasts(data):
    d = data
    out = dollar.dollar_predictive(d["rets_m"], d["index"].data, windows=[1, 3], horizons=[1, 3], min_train=60)
    mdata = old_mdata(d)
    x = d["index"].data["dollar"].dropna().pct_change(3).rename("dollar change, last 3m").reindex(mdata.index)
    fit = rg.predictive_regression(mdata["small-minus-large"], x, horizon=3).table.iloc[1]
    oos = rg.oos_r2(mdata["small-minus-large"], x, horizon=3, min_train=60)
    row = out.table.loc[(3, 3)]
    assert (row["estimate"], row["t"], row["maxlags"]) == (fit["estimate"], fit["t"], fit["maxlags"])
    assert (row["oos_r2"], row["n_forecasts"]) == (oos.estimate, oos.nobs)
    assert list(out.table.index) == [(1, 1), (1, 3), (3, 1), (3, 3)]
    assert out.extra == {"window": 1, "horizon": 1}
    assert out.data["cumulative SSE(mean) - SSE(dollar model)"].notna().all()
    with pytest.raises(ParameterError, match="windows"):
        dollar.dollar_predictive(d["rets_m"], d["index"].data, windows=[], horizons=[1], min_train=60)


def test_dollar_controls_equal_the_regressions_they_replaced(data):
    d = data
    out = dollar.dollar_controls(d["rets_m"], d["rets_w"], d["index"].data, d["daily"], market_monthly=d["mkt_m"],
                                 market_daily=d["mkt_d"], dgs10=d["dgs10"], split_date=SPLIT)
    mdata = old_mdata(d)
    d10 = series.period_levels(d["dgs10"], "ME").diff().rename("10y yield change (pp)")
    cdata = pd.concat([mdata[["small-minus-large", "dollar"]], d["mkt_m"].rename("market excess return"), d10],
                      axis=1, join="inner").dropna()
    cols = ["dollar", "market excess return", "10y yield change (pp)"]
    ref = rg.sensitivity_table(cdata["small-minus-large"], cdata[cols], betas.split_periods(SPLIT)).table
    pd.testing.assert_frame_equal(out["monthly"].table.loc["with controls"], ref)
    assert out.extra["sample_start"] == cdata.index[0]
    assert list(out["weekly"].table.index.get_level_values("term").unique()) == ["const", *cols]
    assert "the dollar beta with controls is" in out.describe()
