"""The claims about small caps in general, region by region: each test checked against a plain computation."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import international as it


def _regions(n=420, seed=0, bump=0.0):
    idx = pd.date_range("1990-07-31", periods=n, freq="ME")
    rng = np.random.default_rng(seed)
    out = {}
    for name in ("Europe", "Japan", "North America"):
        f = pd.DataFrame(rng.normal(0, 0.03, (n, 3)), index=idx, columns=["Mkt-RF", "SMB", "HML"])
        f["SMB"] += 0.3 * f["Mkt-RF"] + bump * (idx.month == 1)
        if name == "North America":
            f["RMW"], f["CMA"] = rng.normal(0, 0.02, n), rng.normal(0, 0.02, n)
        out[name] = f
    return out


def test_january_is_january_minus_the_other_months_of_smb_in_each_region_and_era():
    regions = _regions(bump=0.02)
    est = it.january_abroad(regions, era_break="2007-12-31")
    for name, f in regions.items():
        jan = f.index.month == 1
        assert est.table.loc[(name, "full sample"), "estimate"] == pytest.approx(
            f.loc[jan, "SMB"].mean() - f.loc[~jan, "SMB"].mean(), abs=1e-12)
        late = f.loc["2008-01-01":]
        lj = late.index.month == 1
        assert est.table.loc[(name, "2008-now"), "estimate"] == pytest.approx(
            late.loc[lj, "SMB"].mean() - late.loc[~lj, "SMB"].mean(), abs=1e-12)
        assert est.table.loc[(name, "full sample"), "ci_lower"] > 0  # a 2% January bump is found
    assert est.table["includes_us"].xs("full sample", level="sample").to_dict() == {
        "Europe": False, "Japan": False, "North America": True}


def test_the_alpha_is_the_intercept_after_the_regions_own_controls():
    regions = _regions()
    est = it.alpha_abroad(regions)
    for name, f in regions.items():
        cols = [c for c in it.CONTROLS if c in f]
        X = np.column_stack([np.ones(len(f)), f[cols].to_numpy()])
        beta = np.linalg.lstsq(X, f["SMB"].to_numpy(), rcond=None)[0]
        assert est.table.loc[name, "estimate"] == pytest.approx(beta[0], abs=1e-12)
        assert est.table.loc[name, "controls"] == " + ".join(cols)
        assert est.table.loc[name, "Mkt-RF loading"] == pytest.approx(beta[1], abs=1e-12)
    assert est.table.loc["North America", "controls"] == "Mkt-RF + HML + RMW + CMA"


def test_the_window_finds_a_planted_year_end_bump_and_is_seeded():
    idx = pd.date_range("1990-07-31", periods=420, freq="ME")
    rng = np.random.default_rng(5)
    smb = pd.Series(rng.normal(0, 0.01, len(idx)), index=idx) + 0.02 * idx.month.isin([11, 12, 1])
    regions = {"Europe": pd.DataFrame({"SMB": smb, "Mkt-RF": 0.0, "HML": 0.0})}
    a = it.window_abroad(regions, reps=300, seed=1)
    b = it.window_abroad(regions, reps=300, seed=1)
    assert a.table.equals(b.table)
    assert 0.04 < a.table.loc["Europe", "estimate"] < 0.08 and a.table.loc["Europe", "ci_lower"] > 0


def test_bad_input_names_what_is_expected():
    with pytest.raises(ParameterError, match="non-empty mapping of region label"):
        it.january_abroad({})
    with pytest.raises(ParameterError, match=r"factors\['Europe'\] must be a DataFrame with a date index and an 'SMB'"):
        it.alpha_abroad({"Europe": pd.DataFrame({"x": [1.0]})})


RAW = Path(os.environ.get("ROTATION_RAW_DIR", "/nonexistent")) / "famafrench" / "international"


@pytest.mark.skipif(not (RAW / "Japan_3_Factors.csv").is_file(), reason="needs the snapshot (ROTATION_RAW_DIR)")
def test_japans_january_effect_matches_the_raw_file_read_with_plain_pandas(snapshot_env):
    from rotation.data.regions import regional_factors

    # the raw file: header after three text lines and blanks; monthly rows are YYYYMM, then the annual table
    raw = pd.read_csv(RAW / "Japan_3_Factors.csv", skiprows=6, index_col=0, skipinitialspace=True)
    raw.index = raw.index.astype(str).str.strip()
    monthly = raw[raw.index.str.fullmatch(r"\d{6}")].astype(float)
    smb = monthly["SMB"] / 100
    january = smb[monthly.index.str.endswith("01")]
    expected = january.mean() - smb.drop(january.index).mean()
    est = it.january_abroad({"Japan": regional_factors("japan")})
    assert est.table.loc[("Japan", "full sample"), "estimate"] == pytest.approx(expected, abs=1e-12)
    assert est.table.loc[("Japan", "full sample"), "nobs"] == len(smb)


def test_daily_year_end_windows_are_the_us_window_study_on_each_regions_smb():
    from rotation.studies.seasonality import year_end_windows
    from rotation.studies.year_end import window_study

    idx = pd.bdate_range("1995-01-02", "2020-12-31", name="date")
    rng = np.random.default_rng(9)
    daily = {name: pd.DataFrame({"SMB": rng.normal(0, 0.005, len(idx))}, index=idx)
             for name in ("Europe", "Developed ex US")}
    est = it.daily_windows_abroad(daily, days_before=5, days_after=2, reps=200, seed=3)
    assert list(est.table.index) == [("Europe", "Santa Claus"), ("Europe", "November-January"),
                                     ("Developed ex US", "Santa Claus"), ("Developed ex US", "November-January")]
    r = daily["Developed ex US"][["SMB"]].rename(columns={"SMB": "Developed ex US"})
    direct = window_study(r, year_end_windows(r.index, 5, 2), reps=200, seed=3 + 2)
    assert est.table.loc[("Developed ex US", "Santa Claus"), "estimate"] == direct.table.iloc[0]["estimate"]
    assert est.table.loc[("Developed ex US", "Santa Claus"), "ci_lower"] == direct.table.iloc[0]["ci_lower"]
    assert not est.table["includes_us"].any()  # Developed ex US leaves the US out


def test_the_overview_puts_each_tests_estimate_and_interval_side_by_side():
    regions = _regions(bump=0.02)
    res = it.international_study(regions, reps=100)
    o = it.overview(res, ("january", "alpha"))
    jan = res["january"].table.xs("full sample", level="sample")
    assert list(o.index) == ["Europe", "Japan", "North America"]
    assert o[("January minus other months", "estimate")].tolist() == jan["estimate"].tolist()
    assert o.loc["Europe", ("January minus other months", "95% CI")] == res["january"].units.interval(
        jan.loc["Europe", "ci_lower"], jan.loc["Europe", "ci_upper"])
    assert o[("holds the US", "")].tolist() == [False, False, True]
    assert "positive in 2 of 2" in res.sentence  # the sentence counts the regions outside the US only
    assert res["alpha"].describe().startswith("SMB's alpha after the region's factors, each region's SMB in US "
                                              "dollars, counting the regions outside the US: positive in")
