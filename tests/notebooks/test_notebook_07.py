"""Notebook 07 (sector rotation) runs on the snapshot for two small-cap ETFs, is deterministic, publishes its
verdict."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from _helpers import check_verdict

NB = "07_sector_rotation"


@pytest.mark.notebook
def test_07_sector_rotation_two_proxies_and_deterministic(snapshot_env: Path, tmp_path: Path, run_notebook):
    from rotation.studies import sectors

    res = run_notebook(NB, tmp_path / "a")
    v = res["verdicts.sector_rotation"]
    check_verdict(v, interval=False)
    assert {row["quadrant"] for row in res["now"]["rows"].values()} <= {*sectors.QUADRANTS, "too short"}
    # no back-fill: XLC and XLRE enter at their own start dates
    assert res["sample"]["XLC"][0].startswith("2018-") and res["sample"]["XLRE"][0].startswith("2015-")
    # an end of tech leadership before IWM's first weekly return is left out, not measured at IWM's first week
    from rotation.data import load

    px = load("IWM")["adj_close"]
    weekly = px.groupby(px.index.to_period("W-FRI")).last()
    first_return = weekly.index[1].end_time.normalize()  # the second Friday close: the first weekly return
    episodes = [pd.Timestamp(e) for e in res["tech"]["episodes"]]
    early = [f"{e:%Y-%m-%d}" for e in episodes if e < first_return]
    assert early and res["tech"]["after_peaks"]["extra"]["dropped"] == early
    assert v["sample"]["start"] == f"{first_return:%Y-%m-%d}"
    assert v["sample"]["n"] == v["headline"]["nobs"] <= len(episodes) - len(early)
    assert any(early[0] in c for c in v["caveats"])
    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()
    ijr = run_notebook(NB, tmp_path / "ijr", "-p", "small_cap=IJR", "-p", "robustness_small_cap=IWM")
    assert ijr["verdicts.sector_rotation"]["sample"]["proxy"] == "IJR/SPY"
