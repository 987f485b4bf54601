"""Notebook 03 (interest rates, the Fed, credit) runs on the snapshot for two proxies and is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _helpers import flat

# where each number lives: the result objects of studies.rates and studies.fed_events (see keymap-issue25-nb23.json)
BETA = "beta.{0}.rows.full sample.{0}"  # rates.rate_betas: the factor's regression, full sample
EVENTS = "windows.events.rows.{0}"  # fed_events.event_window_study: events with a full window per group
AFTER = "windows.forward.rows.{0}.{1}"  # the mean cumulative relative return h months after the group's events

REQUIRED_03 = [
    "proxy", "sample.start", "sample.end",
    *(f"{BETA.format(k)}.{c}" for k in ("dgs10", "dgs2", "baa10y") for c in ("estimate", "t")),
    "joint.monthly.rows.full sample.dgs10.estimate", "joint.monthly.rows.full sample.baa10y.estimate",
    *(f"rolling.rows.{k}.{c}" for k in ("dgs10", "baa10y") for c in ("estimate", "percentile")),
    *(f"{EVENTS.format(g)}.nobs" for g in ("last_hike", "first_cut", "pause_start", "first_cut.recession",
                                           "first_cut.no_recession")),
    *(f"{AFTER.format(g, h)}.{c}" for g in ("first_cut.recession", "first_cut.no_recession") for h in (6, 12)
      for c in ("estimate", "ci_lower", "ci_upper")),
    f"{AFTER.format('first_cut', 12)}.estimate", f"{AFTER.format('first_cut', 12)}.ci_lower",
    f"{AFTER.format('first_cut', 12)}.ci_upper",
    *(f"regime.table.rows.{r}.{c}" for r in ("rising", "falling", "high and flat", "low and flat")
      for c in ("estimate", "nobs")),
    *(f"credit.{k}.rows.full sample.{k}.estimate" for k in ("baa10y", "hy_oas", "nfci")),
    "nfci_regime.same_month.rows.tightening.estimate", "nfci_regime.next_month.rows.tightening.nobs",
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
    assert {"1995-02-01", "2006-06-29", "2018-12-19", "2023-07-26"} <= set(res["cycles.extra.dates.last_hike"])
    assert {"1998-09-29", "2007-09-18", "2019-07-31", "2024-09-18"} <= set(res["cycles.extra.dates.first_cut"])
    assert min(res["cycles.extra.dates.first_cut"]) >= "1982-09-27"  # the inferred path is a separate robustness table
    assert res["cycles.extra.inferred_before_1982.first_cut"]
    from rotation.evidence import rubric as verdicts
    for claim in ("rates_borrowing_costs", "fed_dovish", "liquidity"):
        assert res[f"verdicts.{claim}.status"] in verdicts.STATUSES
    # an association cannot contradict a mechanism
    assert res["verdicts.rates_borrowing_costs.status"] != "contradicted"
    n = {g: res[f"{EVENTS.format(g)}.nobs"] for g in ("first_cut", "first_cut.recession", "first_cut.no_recession")}
    assert n["first_cut"] == n["first_cut.recession"] + n["first_cut.no_recession"]
    cut = AFTER.format("first_cut", 12)
    assert res[f"{cut}.ci_lower"] <= res[f"{cut}.estimate"] <= res[f"{cut}.ci_upper"]
    # fewer events than min_events_for_band get no band rather than a made-up one
    if n["first_cut.recession"] < 5:
        rec = AFTER.format("first_cut.recession", 12)
        assert res[f"{rec}.ci_lower"] is None and res[f"{rec}.ci_upper"] is None
    assert res["regime.table.rows.rising.nobs"] > 0 and res[f"{BETA.format('dgs10')}.t"] is not None

    _run(main, tmp_path / "b")
    first = (tmp_path / "a" / "03_interest_rates" / "results.json").read_bytes()
    assert (tmp_path / "b" / "03_interest_rates" / "results.json").read_bytes() == first

    iwm = _run(main, tmp_path / "iwm", "proxy=iwm_spy")
    missing = [k for k in REQUIRED_03 if k not in iwm]
    assert not missing, f"results.json (iwm_spy) lacks {missing}"
    assert iwm["proxy"] == "iwm_spy" and iwm["sample.start"].startswith("2000-")
    # turning points do not depend on the proxy; only which of them have a full window does
    assert iwm["cycles.extra.dates.first_cut"] == res["cycles.extra.dates.first_cut"]
    assert iwm[f"{EVENTS.format('first_cut')}.nobs"] < res[f"{EVENTS.format('first_cut')}.nobs"]
