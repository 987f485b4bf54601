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
    cal = res["calendar"]
    assert sorted(cal["rows"]) == sorted(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                          "Dec"])
    assert cal["method"]["lags"] == 12
    assert 0 <= cal["extra"]["joint_test"]["p_value"] <= 1
    assert res["sample"]["monthly"][0] == "1926-07-31"
    windows = res["windows"]  # the window studies are one result: the two windows, by era, incomplete counts
    assert {"santa_claus", "nov_jan", "by_era", "incomplete"} <= set(windows)
    assert res["verdicts.santa_claus"]["headline"]["estimate"] == windows["nov_jan"]["rows"]["relative"]["estimate"]

    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()

    etf = run_notebook(NB, tmp_path / "iwm", "-p", "proxy=iwm_spy")
    assert etf["sample"]["proxy"] == "iwm_spy" and etf["sample"]["robustness_proxy"] == "ff30_vw"
    assert etf["verdicts.santa_claus"]["sample"]["proxy"] == "iwm_spy"
