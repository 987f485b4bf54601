"""Notebook 02 (dollar sensitivity) runs on the snapshot for two proxies and is deterministic."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from _helpers import flat

NB = "02_dollar_sensitivity"

REQUIRED = [
    "beta.monthly.full", "beta.monthly.full_t", "beta.monthly.full_ci", "beta.monthly.full_nobs",
    "beta.weekly.full", "beta.weekly.full_t",
    "rolling.latest", "rolling.latest_percentile",
    "regime.weakening.mean", "regime.strengthening.mean", "regime.diff", "regime.diff_ci",
    "predictive.coef", "predictive.t", "predictive.oos_r2",
    "controls.dollar", "controls.dollar_t",
]


def _finite(value) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_finite(v) for v in value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)



def _run(main, out: Path, *extra: str) -> dict:
    code = main(["run", NB, *extra, "--out", str(out), "--kernel", "python3", "-q"])
    assert code == 0, (out / NB / "manifest.json").read_text()
    return flat(json.loads((out / NB / "results.json").read_text()))


@pytest.mark.notebook
def test_02_dollar_sensitivity_two_proxies_and_deterministic(snapshot_env: Path, tmp_path: Path):
    from rotation.cli import main

    res = _run(main, tmp_path / "a")
    missing = [k for k in REQUIRED if k not in res]
    assert not missing, f"results.json lacks {missing}"
    bad = [k for k in REQUIRED if not _finite(res[k])]
    assert not bad, f"not finite: {bad}"
    assert res["proxy"] == "ff30_vw"
    lo, hi = res["beta.monthly.full_ci"]
    assert lo <= res["beta.monthly.full"] <= hi
    lo, hi = res["regime.diff_ci"]
    assert lo <= res["regime.diff"] <= hi
    assert 0 < res["rolling.latest_percentile"] <= 1
    assert res["dollar.start"] == "1973-01-31"
    assert [s[0] for s in res["dollar.splices"]] == ["DTWEXBGS", "TWEXBMTH", "TWEXMMTH"]

    again = tmp_path / "b"
    _run(main, again)
    assert (again / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()

    etf = _run(main, tmp_path / "iwm", "-p", "proxy=iwm_spy")
    assert etf["proxy"] == "iwm_spy" and etf["sample.start"].startswith("2000-")
    assert all(_finite(etf[k]) for k in REQUIRED)
