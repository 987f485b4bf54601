"""Notebook 06 (valuation and quality) runs on the snapshot for two proxies, is deterministic, and publishes its
verdicts."""

from __future__ import annotations

from pathlib import Path

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
    assert 0 <= res["spread"]["rows"]["overall"]["percentile"] <= 1
    assert set(res["predictive"]["slope"]["rows"]) == {"12", "36", "60"}
    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()
    etf = run_notebook(NB, tmp_path / "iwm", "-p", "proxy=iwm_spy", "-p", "horizons=[12, 36]",
                       "-p", "oos_start_months=60")
    assert etf["sample"]["proxy"] == "iwm_spy"
