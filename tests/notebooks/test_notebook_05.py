"""Notebook 05 (economy) runs on the snapshot for two proxies, is deterministic, and publishes its verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from _helpers import check_verdict

NB = "05_economy"


@pytest.mark.notebook
def test_05_economy_two_proxies_and_deterministic(snapshot_env: Path, tmp_path: Path, run_notebook):
    res = run_notebook(NB, tmp_path / "a")
    for claim in ("late_cycle", "economic_resilience", "recession_risk"):
        v = res[f"verdicts.{claim}"]
        check_verdict(v)
    # macro series are aligned to publication: the last known UNRATE month end is after its last stamp
    assert res["sample"]["macro_last_known"]["UNRATE"] >= "2026-07-31"
    # turning points are a result per kind of event; every row's nobs counts the events (row 0: the event month)
    assert res["turning_points"]["NBER peak"]["rows"]["0"]["nobs"] >= 10
    # late_cycle is decided by the flag known at the time, on its own sample (the 10y-2y spread starts in 1976)
    late = res["verdicts.late_cycle"]
    assert late["decision"]["horizon"] == 6 and late["headline"]["estimate"] == (
        res["late_cycle"]["realtime_fwd6m"]["rows"]["in state minus other"]["estimate"])
    assert late["sample"]["start"] > "1976" and late["sample"]["n"] < res["sample"]["months"]
    # recession_risk: the unconditional shortfall decides, the beta-controlled term is its control check
    rec = res["verdicts.recession_risk"]
    assert rec["headline"]["estimate"] == res["recession"]["unconditional"]["rows"]["in state minus other"]["estimate"]
    assert [c["kind"] for c in rec["checks"]] == ["proxy", "control"]
    assert rec["checks"][1]["effect"]["estimate"] == res["recession"]["beyond_beta"]["rows"]["indicator"]["estimate"]
    # every macro signal records its basis, coverage and the real-time vs revised comparison
    from rotation.studies import realtime

    rt = res["realtime"]
    for name, (key, *_) in realtime.REALTIME_SIGNALS.items():
        row = rt[name]
        assert row["basis"] == "real-time where vintages cover"
        if realtime.VINTAGE_SOURCES[key] == "rtdsm":  # the Philadelphia Fed's monthly vintages, longer than FRED-MD's
            assert row["source"] == "Philadelphia Fed RTDSM"
            assert row["first_real_time"] <= "1999-08-31" and row["last_real_time"] >= "2025-02-28"
        else:
            assert row["source"] == "FRED-MD"
            assert row["first_real_time"] == "1999-08-31" and row["last_real_time"] == "2024-03-31"
        assert 0 < row["share_point_in_time"] < 1 and 0 <= row["months_differ"] <= row["months_compared"]
    assert rt["real GDP growing (4 quarters)"]["first_real_time"] == "1965-11-30"
    assert rt["payrolls growing (12m)"]["first_real_time"] == "1964-12-31"
    shares = res["predictive_point_in_time"]
    assert set(shares) == set(res["predictive"]["rows"]) and 0 < shares["payroll growth (12m)"] < 1
    assert shares["10y-2y spread"] == 0 and shares["payroll growth (12m)"] > shares["sentiment change (12m)"]
    assert rt["curve inverted"]["basis"] == "market data (not revised)"
    # the verdicts are decided on the real-time signals; revision-robust: revised data give the same verdict
    for claim in ("late_cycle", "economic_resilience"):
        v = res[f"verdicts.{claim}"]
        rev = v["revision"]
        assert rev["revision_robust"] in ("yes", "no") and rev["sample"]["start"] == "1999-08-31"
        assert rev["robust"] == ((v["headline"]["estimate"] > 0) == (rev["verdict_revised"]["estimate"] > 0)
                                 and v["status"] == rev["verdict_revised_status"])
        assert rev["covered_agree"] == ((rev["headline"]["estimate"] > 0) == (rev["revised"]["estimate"] > 0)
                                        and rev["status"] == rev["revised_status"])
        assert 0 < rev["point_in_time_share"] < 1 and rev["verdict_revised"]["nobs"] >= v["headline"]["nobs"] - 12
    resilient = res["verdicts.economic_resilience"]
    assert "real-time where vintages cover" in resilient["headline"]["label"]
    # the Sahm rule's state in the signal study is the real-time one: it differs from the revised on some months
    assert rt["Sahm rule triggered"]["months_differ"] > 0
    assert "revision" not in res["verdicts.recession_risk"]
    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()
    etf = run_notebook(NB, tmp_path / "iwm", "-p", "proxy=iwm_spy", "-p", 'release_lags=["UNRATE:10"]')
    assert etf["sample"]["proxy"] == "iwm_spy" and etf["sample"]["start"].startswith("2000-")
