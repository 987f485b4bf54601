"""Notebook 04 (seasonality) runs on the snapshot for two proxies, is deterministic, and publishes its verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from _helpers import check_verdict

NB = "04_seasonality"


@pytest.mark.notebook
def test_04_seasonality_two_proxies_and_deterministic(snapshot_env: Path, tmp_path: Path, run_notebook):
    res = run_notebook(NB, tmp_path / "a")
    for claim in ("santa_claus", "january_effect"):
        v = res[f"verdicts.{claim}"]
        check_verdict(v)
        assert any(c["kind"] == "proxy" for c in v["checks"])
    # beyond the US: each region's January and window rows are recorded, and each verdict carries its
    # international check, counted over the four regions outside the US, with the recorded numbers
    intl = res["international"]
    regions = {"Developed markets", "Europe", "Japan", "Asia Pacific ex Japan", "Emerging markets", "North America"}
    assert set(intl["january"]["rows"]) == regions and set(intl["window"]["rows"]) == regions
    for claim, part in (("january_effect", "january"), ("santa_claus", "window")):
        check = res[f"verdicts.{claim}"]["international"]
        assert check["n_regions"] == 4 and len(check["shown"]) == 2
        for e in check["counted"]:
            rows = intl[part]["rows"][e["label"].split(":")[0]]
            assert e["estimate"] == (rows["full sample"] if part == "january" else rows)["estimate"]
    cal = res["calendar"]
    assert sorted(cal["rows"]) == sorted(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                          "Dec"])
    assert cal["method"]["lags"] == 12
    assert 0 <= cal["extra"]["joint_test"]["p_value"] <= 1
    assert res["sample"]["monthly"][0] == "1926-07-31"
    windows = res["windows"]  # the window studies are one result: the two windows, by era, incomplete counts
    assert {"santa_claus", "nov_jan", "by_era", "incomplete"} <= set(windows)
    assert res["verdicts.santa_claus"]["headline"]["estimate"] == windows["nov_jan"]["rows"]["relative"]["estimate"]
    # each month in one era: the eras' months add up to the full sample's, for every pair
    for pair, rows in res["january_effect"]["rows"].items():
        eras = [k for k in rows if k != "full sample"]
        assert sum(rows[e]["nobs"] for e in eras) == rows["full sample"]["nobs"], pair
    # each year-end window in the era of its January: the eras' windows add up to the whole sample's
    by_era = windows["by_era"]["rows"]
    for window, whole in (("Santa Claus", "santa_claus"), ("Nov-Jan", "nov_jan")):
        assert sum(r["nobs"] for r in by_era[window].values()) == windows[whole]["rows"]["relative"]["nobs"]
    # Nov-Dec beside January, and the window without January is the Santa Claus claim's control
    split = res["window_split"]["rows"]
    assert set(split) == {"Nov-Dec", "Jan"}
    control = [c for c in res["verdicts.santa_claus"]["checks"] if c["kind"] == "control"]
    assert [c["effect"]["estimate"] for c in control] == [split["Nov-Dec"]["full sample"]["estimate"]]
    assert any(c.startswith("Decay (ff30_vw, per month): 1926-1981")
               for c in res["verdicts.january_effect"]["caveats"])

    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()

    etf = run_notebook(NB, tmp_path / "iwm", "-p", "proxy=iwm_spy")
    assert etf["sample"]["proxy"] == "iwm_spy" and etf["sample"]["robustness_proxy"] == "ff30_vw"
    assert etf["verdicts.santa_claus"]["sample"]["proxy"] == "iwm_spy"
