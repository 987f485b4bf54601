"""Notebook 02 (dollar sensitivity) runs on the snapshot for two proxies and is deterministic."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from _helpers import flat

NB = "02_dollar_sensitivity"

FULL = "beta.monthly.sensitivity.rows.full sample.dollar"  # the monthly beta (studies.dollar.monthly_sensitivity)
WEEKLY = "beta.robustness.rows.weekly.broad index (DTWEXBGS).full sample"  # studies.dollar.dollar_measures
DIFF = "regime.diff.rows.weakening minus strengthening"  # studies.dollar.dollar_regimes
PREDICTIVE = "predictive.rows.1.1"  # studies.dollar.dollar_predictive: last month's change, next month
CONTROLS = "controls.monthly.rows.with controls.full sample.dollar"  # studies.dollar.dollar_controls

REQUIRED = [
    f"{FULL}.estimate", f"{FULL}.t", f"{FULL}.ci_lower", f"{FULL}.ci_upper", f"{FULL}.nobs",
    f"{WEEKLY}.estimate", f"{WEEKLY}.t",
    "rolling.rows.monthly.estimate", "rolling.rows.monthly.percentile",
    "regime.table.rows.weakening.estimate", "regime.table.rows.strengthening.estimate", f"{DIFF}.estimate",
    f"{DIFF}.ci_lower", f"{DIFF}.ci_upper",
    f"{PREDICTIVE}.estimate", f"{PREDICTIVE}.t", f"{PREDICTIVE}.oos_r2",
    f"{CONTROLS}.estimate", f"{CONTROLS}.t",
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
    assert res[f"{FULL}.ci_lower"] <= res[f"{FULL}.estimate"] <= res[f"{FULL}.ci_upper"]
    assert res[f"{DIFF}.ci_lower"] <= res[f"{DIFF}.estimate"] <= res[f"{DIFF}.ci_upper"]
    assert 0 < res["rolling.rows.monthly.percentile"] <= 1
    assert res["dollar.extra.start"] == "1973-01-31"
    assert [s[0] for s in res["dollar.extra.splices"]] == ["DTWEXBGS", "TWEXBMTH", "TWEXMMTH"]

    # the Answer says both findings: the full-sample beta is not significant, and since the split it is
    # significant in the claim's direction (negative) and not with market and yield controls
    from rotation.evidence.dollar import BETA_UNITS

    def says(key: str) -> str:
        lo, hi = res[f"{key}.ci_lower"], res[f"{key}.ci_upper"]
        word = "significant in the claim's direction" if hi < 0 else ("significant against the claim" if lo > 0
                                                                       else "not significant")
        return f"{BETA_UNITS.format(res[f'{key}.estimate'])} (95% CI {BETA_UNITS.format(lo)} to " \
               f"{BETA_UNITS.format(hi)}), {word}"

    post = "beta.monthly.sensitivity.rows.2008-01 on.dollar"
    post_c = "controls.monthly.rows.with controls.2008-01 on.dollar"
    assert res[f"{post}.ci_upper"] < 0 and res[f"{post_c}.ci_lower"] < 0 < res[f"{post_c}.ci_upper"]
    answer = res["verdicts.weaker_dollar.answer"]
    assert f"Over the full sample the monthly beta is {says(FULL)}." in answer
    assert f"Since 2008-01 it is {says(post)};" in answer
    assert f"the beta since 2008-01 is {says(post_c)} (the association vanishes)" in answer
    assert f"weekly (broad index, from 2006) {says(WEEKLY)}" in answer
    html = (tmp_path / "a" / NB / f"{NB}.html").read_text()
    box_start = html.index("<div class='rot-answer'>")
    answer_box = html[box_start:html.index("class='rot-how'", box_start)]
    assert "Since 2008-01 it is" in answer_box and "(the association vanishes)" in answer_box

    again = tmp_path / "b"
    _run(main, again)
    assert (again / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()

    etf = _run(main, tmp_path / "iwm", "-p", "proxy=iwm_spy")
    assert etf["proxy"] == "iwm_spy" and etf["sample.start"].startswith("2000-")
    assert all(_finite(etf[k]) for k in REQUIRED)
