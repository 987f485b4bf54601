"""A grid folder's own files (rotation.runner.robustness): grid.json, robustness.html, the run pages' grid flags.

The grid folder is written by hand here (the files ``rotation run --grid`` leaves: each combination a run
folder with its run record, manifests and results.json), so no kernel runs.
"""

from __future__ import annotations

import json
import pathlib
from pathlib import Path

import pytest

from rotation.errors import ParameterError
from rotation.evidence.consistency import CONSISTENCY
from rotation.present.pages import GridInfo, render_run_page
from rotation.runner.folder import RunRecord, run_page_inputs, write_run_record
from rotation.runner.grid import combo_label
from rotation.runner.html import write_run_page
from rotation.runner.provenance import write_json
from rotation.runner.robustness import (
    ROBUSTNESS_PAGE,
    load_grid,
    robustness_html,
    robustness_json,
    robustness_rows,
    write_grid_file,
    write_grid_pages,
)

DEPENDS = "at start=2001-01-31: not supported with ff30_vw; contradicted with iwm_spy"
NB = "01_relative_strength"


def _verdict(claim_id: str, status: str, est: float, lo: float, hi: float) -> dict:
    return {"claim_id": claim_id, "quote": "q", "status": status, "rule": "R7",
            "headline": {"label": "x", "estimate": est, "units": "decimal relative return per month", "scale": "return",
                         "ci_lower": lo, "ci_upper": hi, "p_value": None, "nobs": 50, "null": 0.0,
                         "thresholds": None, "level": 0.95, "median": None, "share_positive": None}}


def _run_folder(folder: Path, parameters: dict, values: dict) -> None:
    """What `rotation run` leaves for one notebook: results.json, manifest.json, the run record, the run page."""
    (folder / NB).mkdir(parents=True)
    (folder / NB / "results.json").write_text(json.dumps(values))
    write_json(folder / NB / "manifest.json", {
        "notebook": NB, "title": "01 · Relative strength", "question": "**Question.** Leadership?",
        "status": "ok", "error": None, "seconds": 1.0, "parameters": parameters, "data": None,
        "kernel_python": {"executable": "/usr/bin/python3"}})
    write_run_record(folder, RunRecord(notebooks=(NB,), started="2026-01-01T00:00:00+00:00",
                                       finished="2026-01-01T00:01:00+00:00", kernel="python3",
                                       git={"commit": "abc", "dirty": False}, given=parameters))
    write_run_page(folder)


@pytest.fixture
def fake_grid(tmp_path) -> Path:
    """A grid folder written by hand: proxy x start, iwm_spy from 1926 skipped, two claims of notebook 01."""
    out = tmp_path / "grid"
    verdicts = {  # label -> (underwhelming, breakout_follow_through)
        "proxy-ff30_vw__start-1926-07-31": (("supported", 0.012, 0.004, 0.02), ("supported", 0.01, 0.002, 0.02)),
        "proxy-ff30_vw__start-2001-01-31": (("supported", 0.011, 0.003, 0.02),
                                            ("not supported", 0.004, -0.002, 0.01)),
        "proxy-iwm_spy__start-2001-01-31": (("supported", 0.009, 0.001, 0.02),
                                            ("contradicted", -0.01, -0.02, -0.003)),
    }
    combos = []
    for proxy in ("ff30_vw", "iwm_spy"):
        for start in ("1926-07-31", "2001-01-31"):
            label = combo_label({"proxy": proxy, "start": start})
            entry = {"label": label, "parameters": {"proxy": proxy, "start": start}, "folder": label}
            if label not in verdicts:
                entry.update(status="skipped", reason="proxy 'iwm_spy' has data from 2000-05-31 only")
            else:
                entry.update(status="ok", error="", notebooks={NB: "ok"})
                (u, b) = verdicts[label]
                _run_folder(out / label, entry["parameters"],
                            {"verdicts.underwhelming": _verdict("underwhelming", *u),
                             "verdicts.breakout_follow_through": _verdict("breakout_follow_through", *b)})
            combos.append(entry)
    write_grid_file(out, {"proxy": ["ff30_vw", "iwm_spy"], "start": ["1926-07-31", "2001-01-31"]}, combos)
    return out


def test_grid_file_round_trip(fake_grid, tmp_path):
    data = load_grid(fake_grid)
    assert data["grid"] == {"proxy": ["ff30_vw", "iwm_spy"], "start": ["1926-07-31", "2001-01-31"]}
    assert [c["status"] for c in data["combinations"]] == ["ok", "ok", "skipped", "ok"]
    assert json.loads((fake_grid / "grid.json").read_text()) == data
    with pytest.raises(ParameterError, match="not a grid run folder"):
        load_grid(tmp_path)
    (tmp_path / "grid.json").write_text("{")
    with pytest.raises(ParameterError, match="cannot read"):
        load_grid(tmp_path)


def test_robustness_rows_labels_and_proxy_dependence(fake_grid):
    rows, combos = robustness_rows(fake_grid)
    assert [r["claim_id"] for r in rows] == ["underwhelming", "breakout_follow_through"]
    under, breakout = rows
    assert under["consistency"] == "same verdict everywhere" and under["depends_on_proxy"] == ""
    assert under["claim"].startswith("Small caps have been underwhelming")
    assert breakout["consistency"] == "flips"
    assert breakout["depends_on_proxy"] == DEPENDS
    assert breakout["cells"]["proxy-iwm_spy__start-1926-07-31"] is None and len(combos) == 4


def test_robustness_page_in_the_house_style(fake_grid):
    page = robustness_html(fake_grid)
    assert "<main class=\"rot-run\">" in page and "rot-scorecard" in page  # the run page's CSS and table
    assert "Small caps have been underwhelming" in page  # claim titles, not only ids
    assert "background:#1b7837'>supported<" in page and "background:#b2182b'>contradicted<" in page
    assert "+1.20% [+0.40%, +2.00%]" in page  # the scorecard's number format
    assert all(label in page for label in CONSISTENCY)  # the legend
    assert "href=\"proxy-ff30_vw__start-2001-01-31/index.html\"" in page
    assert ("proxy-iwm_spy__start-2001-01-31/01_relative_strength/01_relative_strength.html"
            "#findings-and-caveats") in page
    assert f"depends on the proxy: {DEPENDS}" in page
    assert "has data from 2000-05-31 only" in page and "rot-skipped" in page


def test_grid_pages_are_rendered_whole_never_edited(fake_grid, monkeypatch):
    """write_grid_pages renders each combination's run page again from its folder, with the grid's note and
    flags; it never reads a written page back, and writing twice gives the same pages."""
    real_read_text = pathlib.Path.read_text

    def read_text(self, *args, **kwargs):
        assert self.suffix != ".html", f"a written page was read back: {self}"
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_text", read_text)
    write_grid_pages(fake_grid)
    monkeypatch.undo()
    assert (fake_grid / ROBUSTNESS_PAGE).read_text() == robustness_html(fake_grid)
    combo = fake_grid / "proxy-iwm_spy__start-2001-01-31"
    run_page = (combo / "index.html").read_text()
    assert "href=\"../robustness.html\"" in run_page and "proxy=iwm_spy, start=2001-01-31" in run_page
    assert "the verdict of 1 claim depends on the proxy" in run_page
    row = run_page.split("data-claim='breakout_follow_through'")[1].split("</tr>")[0]
    assert f"depends on the proxy: {DEPENDS}" in row
    row = run_page.split("data-claim='underwhelming'")[1].split("</tr>")[0]
    assert "depends on the proxy" not in row
    # the page is exactly what its folder's data and the grid's information render
    notebooks, meta, given = run_page_inputs(combo)
    grid = GridInfo("../robustness.html", {"proxy": "iwm_spy", "start": "2001-01-31"},
                    {"breakout_follow_through": DEPENDS})
    assert run_page == render_run_page(combo, notebooks, meta=meta, given=given, grid=grid)
    write_grid_pages(fake_grid)  # again: the same pages
    assert (combo / "index.html").read_text() == run_page
    assert not (fake_grid / "proxy-iwm_spy__start-1926-07-31").exists()  # a skipped combination has no folder


def test_results_grid_table_via_cli(fake_grid, capsys):
    from rotation.cli import main

    assert main(["results", "--grid", str(fake_grid)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert "[3] proxy=iwm_spy start=1926-07-31  skipped: proxy 'iwm_spy' has data from 2000-05-31 only" in text
    head = next(line for line in lines if line.startswith("claim "))
    assert head.split() == ["claim", "[1]", "[2]", "[3]", "[4]", "consistency"]
    row = next(line for line in lines if line.startswith("breakout_follow_through"))
    assert row.split("  ")[0] == "breakout_follow_through" and "skipped" in row
    assert row.rstrip().endswith(f"flips (depends on the proxy: {DEPENDS})")
    effect = lines[lines.index(row) + 1]
    assert effect.split()[0] == "effect" and "+1.00% [+0.20%, +2.00%]" in effect
    # columns line up: each status sits above its effect
    assert row.index("not supported") == effect.index("+0.40%")
    assert "\n  same verdict everywhere: every combination" in text
    assert "\n  underwhelming: Small caps have been underwhelming" in text
    assert main(["results", str(fake_grid), "--json"]) == 0  # a grid folder is recognised without --grid
    data = json.loads(capsys.readouterr().out)
    assert [c["consistency"] for c in data["claims"]] == ["same verdict everywhere", "flips"]
    assert data == json.loads(json.dumps(robustness_json(fake_grid), default=str))
