"""The rate and credit studies of notebook 03 (studies.rates), on made-up data: each equals the computation the
notebook made before it moved into the package."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats import regressions as rg
from rotation.stats.units import Units
from rotation.studies import rates, regimes


def made_up(seed: int = 0) -> dict:
    """Daily FRED-like levels from 1985, monthly relative returns that fall when the Baa spread widens."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("1985-01-01", "2019-12-31")
    walk = {k: pd.Series(3 + np.cumsum(rng.normal(0, 0.03, len(days))), index=days, name=v)
            for k, v in rates.FRED_SERIES.items()}
    walk["nfci"] = pd.Series(np.cumsum(rng.normal(0, 0.02, len(days))), index=days, name="NFCI")
    months = pd.date_range("1985-01-31", "2019-12-31", freq="ME")
    fedfunds = pd.Series(4 + np.cumsum(rng.normal(0, 0.15, len(months))), index=months, name="FEDFUNDS")
    levels_m = rates.rate_levels(walk, "ME", fedfunds=fedfunds)
    baa = levels_m["baa10y"].diff().fillna(0.0).to_numpy()
    rel = pd.Series(-0.05 * baa + rng.normal(0.001, 0.02, len(months)), index=months, name="relative_return")
    weeks = pd.date_range("1985-01-04", "2019-12-27", freq="W-FRI")
    rel_w = pd.Series(rng.normal(0, 0.01, len(weeks)), index=weeks, name="relative_return")
    return {"daily": walk, "fedfunds": fedfunds, "levels_m": levels_m, "rel": rel, "rel_w": rel_w,
            "chg_m": rates.changes(levels_m, rel.index),
            "chg_w": rates.changes(rates.rate_levels(walk, "W-FRI"), rel_w.index)}


@pytest.fixture(scope="module")
def data() -> dict:
    return made_up()


def test_rate_levels_and_changes_hand_example():
    days = pd.to_datetime(["2024-01-30", "2024-01-31", "2024-02-15", "2024-02-29", "2024-03-29"])
    daily = {"dgs10": pd.Series([4.0, 4.1, 4.3, 4.2, 4.5], index=days)}
    months = pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"])
    levels = rates.rate_levels(daily, "ME", fedfunds=pd.Series([5.3, 5.3, 5.4], index=months))
    assert levels["dgs10"].tolist() == [4.1, 4.2, 4.5] and levels["fedfunds"].tolist() == [5.3, 5.3, 5.4]
    chg = rates.changes(levels, pd.DatetimeIndex(["2024-02-29", "2024-03-31", "2024-04-30"]))
    assert chg["dgs10"].iloc[:2].round(10).tolist() == [0.1, 0.3] and np.isnan(chg["dgs10"].iloc[2])
    assert rates.coverage(daily).loc["DGS10"].tolist() == [days[0], days[-1]]
    with pytest.raises(ParameterError, match="daily must map keys"):
        rates.rate_levels({}, "ME")


def test_rate_betas_equal_the_regressions_they_replaced(data):
    out = rates.rate_betas(data["rel"], data["chg_m"])
    for k in rates.RATE_FACTORS:
        ref = rg.sensitivity_table(data["rel"], data["chg_m"][k], rates.PERIODS,
                                   units=Units.returns("decimal monthly relative return per 1 pp change"),
                                   title=f"Monthly relative return on {rates.LABELS[k]} changes, by period")
        assert out[k] == ref
        for p in rates.PERIODS:
            pd.testing.assert_series_equal(out["slopes"].table.loc[(k, p)], ref.table.loc[(p, k)], check_names=False)
    assert out["slopes"].table.loc[("baa10y", "full sample"), "estimate"] == pytest.approx(-0.05, abs=0.02)
    text = out.describe()
    assert text.startswith("A 1 pp rise in the 10-year yield has gone with a monthly relative return of ")
    assert "Significantly negative betas (the commentary's sign): Baa-10y spread" in text


def test_rate_betas_check_their_inputs(data):
    with pytest.raises(ParameterError, match=r"chg must have a column for each of .*missing \['dgs10'\]"):
        rates.rate_betas(data["rel"], data["chg_m"].drop(columns=["dgs10"]))
    with pytest.raises(ParameterError, match="periods must include 'full sample'"):
        rates.rate_betas(data["rel"], data["chg_m"], periods={"all": (None, None)})
    with pytest.raises(ParameterError, match="frequency must be one of 'monthly', 'weekly'; got 'daily'"):
        rates.rate_betas(data["rel"], data["chg_m"], frequency="daily")
    with pytest.raises(ParameterError, match="freq must be one of 'ME', 'W-FRI'; got 'QE'"):
        rates.rate_levels(data["daily"], "QE")


def test_weekly_betas_say_weeks(data):
    out = rates.rate_betas(data["rel_w"], data["chg_w"], frequency="weekly")
    assert out["dgs10"].title == "Weekly relative return on 10-year yield changes, by period"
    assert " weeks)" in out.describe()


def test_joint_betas_equal_the_regressions_they_replaced(data):
    out = rates.joint_betas(data["rel"], data["chg_m"], data["rel_w"], data["chg_w"])
    ref = rg.sensitivity_table(data["rel"], data["chg_m"][list(rates.JOINT)], rates.PERIODS)
    pd.testing.assert_frame_equal(out["monthly"].table, ref.table)
    assert out["weekly"].title == "Weekly, joint regression"
    assert out.describe().startswith("Jointly, the 10-year beta is ")


def test_rolling_rate_betas_are_the_last_windows(data):
    out = rates.rolling_rate_betas(data["rel"], data["chg_m"], window=36)
    for k in rates.ROLLING:
        est = rg.rolling_hac_betas(data["rel"], data["chg_m"][k], 36).table.loc[k].dropna(subset=["estimate"])
        assert out.table.loc[k, "estimate"] == est["estimate"].iloc[-1]
        assert out.table.loc[k, "share_negative"] == float((est["estimate"] < 0).mean())
    assert out.describe().startswith("* **10-year yield**: latest (2019-12)")


def test_rate_regime_study_equals_regime_stats_and_the_differences(data):
    out = rates.rate_regime_study(data["rel"], data["fedfunds"], change_months=6, high_level=4.0, flat_band=0.25,
                                  reps=50, seed=2)
    labels = regimes.rate_regimes(data["fedfunds"], 6, 4.0, 0.25)
    ref = regimes.regime_stats(data["rel"], labels, lag=1, title="Next month's relative return by fed funds regime")
    assert out["table"] == ref
    d = regimes.regime_diff_ci(data["rel"], labels, "falling", "rising", lag=1, block_size=3, reps=50, seed=2)
    np.testing.assert_array_equal(out["diff"].table.loc["falling vs rising"].to_numpy(dtype=float),
                                  d.table.iloc[0].to_numpy(dtype=float))
    assert out.extra == {"latest": str(labels.dropna().iloc[-1]), "latest_date": labels.dropna().index[-1]}


def test_rate_regime_study_skips_pairs_with_too_few_months(data):
    out = rates.rate_regime_study(data["rel"], data["fedfunds"], change_months=6, high_level=99.0, flat_band=0.25,
                                  reps=20, seed=2)  # nothing is high: no pair with "high and flat"
    assert list(out["diff"].table.index) == ["falling vs rising"]


def test_credit_betas_and_conditions(data):
    credit = rates.credit_betas(data["rel"], data["chg_m"])
    ref = rg.sensitivity_table(data["rel"], data["chg_m"]["hy_oas"], rates.PERIODS).table
    pd.testing.assert_series_equal(credit["slopes"].table.loc[("hy_oas", "full sample")],
                                   ref.loc[("full sample", "hy_oas")], check_names=False)
    assert credit.describe().startswith("A 1 pp wider Baa spread went with ")
    nfci = data["levels_m"]["nfci"]
    known = nfci.shift(1).dropna()  # made-up "published by the month end" values
    out = rates.conditions_study(data["rel"], nfci, known, change_months=3, band=0.05, reps=50, seed=0)
    labels = regimes.label_by_thresholds(regimes.trailing_change(nfci.dropna(), 3, "diff"), -0.05, 0.05,
                                         labels=("easing", "stable", "tightening"))
    pd.testing.assert_frame_equal(out["same_month"].table, regimes.regime_stats(data["rel"], labels, lag=0).table)
    pd.testing.assert_frame_equal(out["next_month"].table, regimes.regime_stats(data["rel"], labels, lag=1).table)
    rt_labels = regimes.label_by_thresholds(regimes.trailing_change(known, 3, "diff"), -0.05, 0.05,
                                            labels=("easing", "stable", "tightening"))
    assert out["realtime_next_month"] == regimes.regime_diff_ci(data["rel"], rt_labels, "tightening", "easing", lag=1,
                                                                block_size=3, reps=50, seed=0)
    assert list(out["diff"].table.index) == ["same month", "next month"]
    assert list(out.data.index.names) == ["return", "regime"]


def test_controlled_yield_beta_is_the_regression_with_factors(data):
    rng = np.random.default_rng(5)
    factors = pd.DataFrame({"Mkt-RF": rng.normal(0, 0.04, len(data["rel"])),
                            "HML": rng.normal(0, 0.03, len(data["rel"]))},
                           index=data["rel"].index)
    X = rates.yield_and_factors(data["chg_m"]["dgs10"], factors)
    assert list(X.columns) == ["10y yield change (pp)", "market", "value"]
    out = rates.controlled_yield_beta(data["rel"].iloc[12:], X)
    ref = rg.sensitivity_table(data["rel"].iloc[12:], X.reindex(data["rel"].index[12:]), {"full sample": (None, None)})
    pd.testing.assert_frame_equal(out.table, ref.table)
    with pytest.raises(ParameterError, match=r"factors must have a column for each of .*missing \['HML'\]"):
        rates.yield_and_factors(data["chg_m"]["dgs10"], factors.drop(columns=["HML"]))
