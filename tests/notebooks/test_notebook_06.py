"""Notebook 06 (valuation and quality) runs on the snapshot for two proxies, is deterministic, and publishes its
verdicts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from _helpers import check_verdict

NB = "06_valuation_quality"


@pytest.mark.notebook
def test_06_valuation_quality_two_proxies_and_deterministic(snapshot_env: Path, tmp_path: Path, run_notebook):
    res = run_notebook(NB, tmp_path / "a")
    for claim in ("valuation_discount", "earnings_outlook", "quality"):
        v = res[f"verdicts.{claim}"]
        check_verdict(v)
    assert res["verdicts.earnings_reports"]["status"] == "not testable"
    # the quality claim's international check: SMB's alpha in the four regions outside the US, as recorded
    check, alphas = res["verdicts.quality"]["international"], res["international"]["alpha"]["rows"]
    assert check["n_regions"] == 4 and [e["label"].split(":")[0] for e in check["shown"]] == [
        "Developed markets", "North America"]
    assert [e["estimate"] for e in check["counted"]] == [
        alphas[r]["estimate"] for r in ("Europe", "Japan", "Asia Pacific ex Japan", "Emerging markets")]
    assert 0 <= res["spread"]["rows"]["overall"]["percentile"] <= 1
    assert set(res["predictive"]["slope"]["rows"]) == {"12", "36", "60"}
    # issue 27: the spread ends before the returns, and every window whose returns are complete counts
    r_end, s_end = pd.Timestamp(res["predictive"]["returns"][1]), pd.Timestamp(res["spread"]["extra"]["end"])
    assert s_end < r_end
    for h, row in res["predictive"]["slope"]["rows"].items():
        assert pd.Timestamp(row["end"]) == min(s_end, r_end - pd.offsets.MonthEnd(int(h))), h
    # the verdict's sample line is the deciding regression's own sample
    v, s36 = res["verdicts.valuation_discount"], res["predictive"]["slope"]["rows"]["36"]
    assert (v["sample"]["start"], v["sample"]["end"], v["sample"]["n"]) == (s36["start"], s36["end"], s36["nobs"])
    # the verdict uses the larger of the HAC and Hodrick 1B standard errors, as declared with the claim
    hod = res["predictive"]["slope_hodrick"]["rows"]["36"]
    wide = max((s36, hod), key=lambda r: r["std_err"])
    assert (v["headline"]["ci_lower"], v["headline"]["ci_upper"]) == (wide["ci_lower"], wide["ci_upper"])
    # the latest reading says how old its market values are (July-June years use market equity of December t-1)
    prices = pd.Timestamp(year=s_end.year - (1 if s_end.month >= 7 else 2), month=12, day=31)
    assert res["spread"]["extra"]["prices_of"] == f"{prices:%Y-%m-%d}"
    assert f"market values of {prices:%Y-%m}" in v["checks"][3]["effect"]["label"]
    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()
    etf = run_notebook(NB, tmp_path / "iwm", "-p", "proxy=iwm_spy", "-p", "horizons=[12, 36]",
                       "-p", "oos_start_months=60")
    assert etf["sample"]["proxy"] == "iwm_spy"
