"""Verdicts across a grid's combinations (rotation.evidence.consistency): pure functions over records."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import rotation.evidence.consistency as consistency_mod
from rotation.evidence.consistency import (
    CONSISTENCY,
    consistency,
    depends_on_proxy,
    effect_sign,
    proxy_dependence,
    robustness_rows,
)


def rec(status, est, **headline):
    return {"claim_id": "underwhelming", "status": status, "headline": {"estimate": est, **headline}}


def test_consistency_labels():
    assert consistency([rec("supported", 1), rec("supported", 2)]) == "same verdict everywhere"
    assert consistency([rec("supported", 1), rec("inconclusive", 0.2)]) == "sign stable, significance varies"
    assert consistency([rec("supported", 1), rec("contradicted", -1)]) == "flips"
    assert consistency([rec("supported", 1), None]) == "one combination only"
    assert consistency([rec("supported", 1), rec("inconclusive", None)]) == "verdict varies"
    assert consistency([None, None]) == "not run"
    assert set(CONSISTENCY) == {"same verdict everywhere", "sign stable, significance varies", "flips",
                                "verdict varies", "one combination only"}


def test_effect_sign_against_null_or_threshold_band():
    assert effect_sign(rec("x", 0.3, null=0.5)) == -1
    assert effect_sign(rec("x", 0.7, thresholds=[0.33, 0.67])) == 1
    assert effect_sign(rec("x", 0.5, thresholds=[0.33, 0.67])) is None  # on the band's middle: no sign
    assert effect_sign(rec("x", None)) is None
    assert effect_sign(rec("x", 1.0, nonsense_field=1)) is None  # not an effect record


COMBOS = [
    {"label": "a", "parameters": {"proxy": "ff30_vw", "start": "1926"}, "status": "ok"},
    {"label": "b", "parameters": {"proxy": "ff30_vw", "start": "2001"}, "status": "ok"},
    {"label": "c", "parameters": {"proxy": "iwm_spy", "start": "1926"}, "status": "skipped"},
    {"label": "d", "parameters": {"proxy": "iwm_spy", "start": "2001"}, "status": "ok"},
]


def test_proxy_dependence_holds_the_other_values_fixed():
    cells = {"a": rec("supported", 1), "b": rec("not supported", 0.1), "c": None, "d": rec("contradicted", -1)}
    assert proxy_dependence(cells, COMBOS) == "at start=2001: not supported with ff30_vw; contradicted with iwm_spy"
    same = {"a": rec("supported", 1), "b": rec("supported", 1), "c": None, "d": rec("supported", 1)}
    assert proxy_dependence(same, COMBOS) == ""  # a=supported vs b: the start changes, not the proxy
    only = [{"label": "x", "parameters": {"proxy": "p"}}, {"label": "y", "parameters": {"proxy": "q"}}]
    assert proxy_dependence({"x": rec("supported", 1), "y": rec("inconclusive", 1)}, only) == (
        "supported with p; inconclusive with q")
    assert proxy_dependence({"x": rec("supported", 1)}, [{"label": "x", "parameters": {"n": 1}}]) == ""


def test_robustness_rows_from_records():
    records = {
        "a": [("01_relative_strength", {**rec("supported", 1), "claim_id": "breakout_follow_through"}),
              ("01_relative_strength", rec("supported", 1))],
        "b": [("01_relative_strength", rec("supported", 2)),
              ("01_relative_strength", {**rec("not supported", 0.1), "claim_id": "breakout_follow_through"})],
        "d": [("01_relative_strength", rec("supported", 3)),
              ("01_relative_strength", {**rec("contradicted", -1), "claim_id": "breakout_follow_through"})],
        "zz": [("x", {**rec("supported", 1), "claim_id": "not_a_claim"})],  # not a combination: ignored
    }
    rows = robustness_rows(records, COMBOS)
    assert [r["claim_id"] for r in rows] == ["underwhelming", "breakout_follow_through"]  # the claims' order
    under, breakout = rows
    assert under["claim"].startswith("Small caps have been underwhelming")
    assert under["notebook"] == "01_relative_strength"
    assert list(under["cells"]) == ["a", "b", "c", "d"] and under["cells"]["c"] is None
    assert under["consistency"] == "same verdict everywhere" and under["depends_on_proxy"] == ""
    assert breakout["consistency"] == "flips"
    assert breakout["depends_on_proxy"] == "at start=2001: not supported with ff30_vw; contradicted with iwm_spy"
    assert depends_on_proxy(rows) == {r["claim_id"]: r["depends_on_proxy"] for r in rows if r["depends_on_proxy"]}
    assert robustness_rows({}, COMBOS) == []


def test_imports_nothing_from_present_or_runner():
    """evidence sits below present and runner: its module imports neither, directly or on import."""
    tree = ast.parse(Path(consistency_mod.__file__).read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith(("rotation.present", "rotation.runner", "rotation.cli"))]
    code = ("import sys, rotation.evidence.consistency\n"
            "print(sorted(m for m in sys.modules if m.startswith(('rotation.present', 'rotation.runner'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
