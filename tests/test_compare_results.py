"""Tests of benchmarks/compare_results.py: flattening, the key map and the tolerance."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("compare_results", ROOT / "benchmarks" / "compare_results.py")
cr = importlib.util.module_from_spec(spec)
assert spec.loader is not None
spec.loader.exec_module(cr)


def test_flatten_nests_dicts_and_lists():
    assert cr.flatten({"a.b": {"c": [1, {"d": 2}]}, "e": []}) == {"a.b.c[0]": 1, "a.b.c[1].d": 2, "e": []}


def test_compare_reports_lost_changed_and_renamed(tmp_path: Path):
    keymap = tmp_path / "map.json"
    keymap.write_text(json.dumps({"renames": [{"old": r"x\.fwd(\d+)\.mean", "new": r"x.study.rows.\1.estimate",
                                               "why": "test"}]}))
    renames = cr.load_keymap(keymap)
    old = {"x.fwd3.mean": 0.1, "y": 1.0, "z": "a", "gone": 5}
    new = {"x.study": {"rows": {"3": {"estimate": 0.1 * (1 + 1e-13)}}}, "y": 1.0 + 1e-9, "z": "a", "extra": 1}
    res = cr.compare(old, new, renames, 1e-12)
    assert [p for p, *_ in res["lost"]] == ["gone"]
    assert [p for p, *_ in res["changed"]] == ["y"]
    assert res["new"] == ["extra"]


def test_keymap_entries_need_a_why(tmp_path: Path):
    keymap = tmp_path / "map.json"
    keymap.write_text(json.dumps({"renames": [{"old": "a", "new": "b"}]}))
    with pytest.raises(SystemExit, match="has no 'why'"):
        cr.load_keymap(keymap)


def test_committed_keymap_is_valid():
    renames = cr.load_keymap(ROOT / "benchmarks" / "results_keymap.json")
    assert cr.rename("breakouts.fwd12m.ci[1]", renames) == "breakouts.study.rows.12.ci_upper"
    assert cr.rename("datasets_missing[2]", renames) == "datasets.missing[2]"
