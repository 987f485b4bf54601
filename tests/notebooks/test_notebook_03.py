"""Notebook 03 (interest rates, the Fed, credit) runs on the snapshot for two proxies and is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _helpers import flat

REQUIRED_03 = [
    "proxy", "sample.start", "sample.end",
    "beta.dgs10", "beta.dgs10_t", "beta.dgs2", "beta.dgs2_t", "beta.baa10y", "beta.baa10y_t",
    "joint.dgs10", "joint.baa10y",
    "rolling.dgs10.latest", "rolling.dgs10.percentile", "rolling.baa10y.latest", "rolling.baa10y.percentile",
    "cycles.last_hike.n", "cycles.first_cut.n", "cycles.pause_start.n",
    "cycles.first_cut.recession.n", "cycles.first_cut.no_recession.n",
    "first_cut.recession.fwd6", "first_cut.recession.fwd6_ci", "first_cut.recession.fwd12", "first_cut.recession.fwd12_ci",
    "first_cut.fwd12", "first_cut.fwd12_ci",
    "first_cut.no_recession.fwd6", "first_cut.no_recession.fwd6_ci",
    "first_cut.no_recession.fwd12", "first_cut.no_recession.fwd12_ci",
    "regime.rising.mean", "regime.rising.n", "regime.falling.mean", "regime.falling.n",
    "regime.high_and_flat.mean", "regime.high_and_flat.n", "regime.low_and_flat.mean", "regime.low_and_flat.n",
    "credit.baa10y.beta", "credit.hy_oas.beta", "credit.nfci.beta",
    "nfci_regime.tightening.same_month.mean", "nfci_regime.tightening.next_month.n",
]



def _run(main, out: Path, *params: str) -> dict:
    args = ["run", "03_interest_rates", "--out", str(out), "--kernel", "python3", "-q"]
    for p in params:
        args += ["-p", p]
    code = main(args)
    folder = out / "03_interest_rates"
    assert code == 0, (folder / "manifest.json").read_text() if (folder / "manifest.json").exists() else "no manifest"
    return flat(json.loads((folder / "results.json").read_text()))


@pytest.mark.notebook
def test_03_interest_rates_runs_is_deterministic_and_takes_iwm_spy(snapshot_env: Path, tmp_path: Path):
    from rotation.cli import main

    res = _run(main, tmp_path / "a")
    missing = [k for k in REQUIRED_03 if k not in res]
    assert not missing, f"results.json lacks {missing}"
    assert res["proxy"] == "ff30_vw" and res["sample.start"] == "1926-07-31"
    # the official target's turning points are the FOMC's decision dates
    assert {"1995-02-01", "2006-06-29", "2018-12-19", "2023-07-26"} <= set(res["cycles.last_hike.dates"])
    assert {"1998-09-29", "2007-09-18", "2019-07-31", "2024-09-18"} <= set(res["cycles.first_cut.dates"])
    assert min(res["cycles.first_cut.dates"]) >= "1982-09-27"  # the inferred path is a separate robustness table
    assert res["cycles.inferred_before_1982.first_cut"]
    from rotation.evidence import rubric as verdicts
    for claim in ("rates_borrowing_costs", "fed_dovish", "liquidity"):
        assert res[f"verdicts.{claim}.status"] in verdicts.STATUSES
    assert res["verdicts.rates_borrowing_costs.status"] != "contradicted"  # an association cannot contradict a mechanism
    assert res["cycles.first_cut.n"] == res["cycles.first_cut.recession.n"] + res["cycles.first_cut.no_recession.n"]
    lo, hi = res["first_cut.fwd12_ci"]
    assert lo <= res["first_cut.fwd12"] <= hi
    # fewer events than min_events_for_band get no band rather than a made-up one
    if res["cycles.first_cut.recession.n"] < 5:
        assert res["first_cut.recession.fwd12_ci"] == [None, None]
    assert res["regime.rising.n"] > 0 and res["beta.dgs10_t"] is not None

    _run(main, tmp_path / "b")
    first = (tmp_path / "a" / "03_interest_rates" / "results.json").read_bytes()
    assert (tmp_path / "b" / "03_interest_rates" / "results.json").read_bytes() == first

    iwm = _run(main, tmp_path / "iwm", "proxy=iwm_spy")
    missing = [k for k in REQUIRED_03 if k not in iwm]
    assert not missing, f"results.json (iwm_spy) lacks {missing}"
    assert iwm["proxy"] == "iwm_spy" and iwm["sample.start"].startswith("2000-")
    # turning points do not depend on the proxy; only which of them have a full window does
    assert iwm["cycles.first_cut.dates"] == res["cycles.first_cut.dates"]
    assert iwm["cycles.first_cut.n"] < res["cycles.first_cut.n"]
