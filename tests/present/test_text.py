"""Terminal tables (rotation.present.text): ``rotation results`` and ``rotation results --grid``."""

from __future__ import annotations

from report_samples import grid_rows

from rotation.evidence.consistency import CONSISTENCY
from rotation.present.text import format_results, format_robustness, format_value


def test_format_value():
    assert format_value(0.0123456789) == "0.01235" and format_value(None) == "n/a" and format_value(True) == "true"
    assert format_value(float("nan")) == "n/a" and format_value([1, 2.5]) == "[1, 2.5]"
    assert format_value(list(range(10))) == "[0, 1, 2, 3, 4, 5, 6, 7, ... 2 more]"
    assert format_value({"a": 1}) == "{a: 1}"


def test_format_results_cuts_long_lines():
    text = format_results([("01_x", {"long": "y" * 300, "n": 3}), ("02_y", {})], width=60)
    lines = text.splitlines()
    assert "== 01_x (2 results)" in lines and "(nothing recorded)" in lines
    assert all(len(line) <= 60 for line in lines if line.startswith("long"))
    assert text.endswith("Full values and methods: --json.")


def test_format_robustness_lines_up_statuses_and_effects():
    rows, combos, grid = grid_rows()
    text = format_robustness(rows, combos, grid, CONSISTENCY)
    lines = text.splitlines()
    assert lines[0] == ("Grid: proxy = ff30_vw, iwm_spy; start = 2001-01-31, 1926-07-31 "
                        "(4 combinations: 2 ok, 1 skipped, 1 failed)")
    assert "  [3] proxy=iwm_spy start=1926-07-31  skipped: proxy 'iwm_spy' has data from 2000-05-31 only" in lines
    head = next(line for line in lines if line.startswith("claim "))
    assert head.split() == ["claim", "[1]", "[2]", "[3]", "[4]", "consistency"]
    row = next(line for line in lines if line.startswith("breakout_follow_through"))
    effect = lines[lines.index(row) + 1]
    assert row.index("contradicted") == effect.index("-1.00%")  # each status above its effect
    assert "skipped" in row and "failed" in row
    assert row.rstrip().endswith("flips (depends on the proxy: at start=2001-01-31: not supported with ff30_vw; "
                                 "contradicted with iwm_spy)")
    assert "\n  same verdict everywhere: every combination" in text
    assert "\n  underwhelming: Small caps have been underwhelming" in text
    narrow = format_robustness(rows, combos, grid, CONSISTENCY, width=8)
    assert "not sup…" in narrow


def test_format_robustness_without_verdicts():
    combos = [{"label": "n-1", "parameters": {"n": 1}, "status": "failed", "error": "boom"}]
    text = format_robustness([], combos, {"n": [1]}, CONSISTENCY)
    assert "[1] n=1  failed: boom" in text and "No verdicts recorded in this grid" in text
