"""tools/screenshots.py on a small run folder, in headless Chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from report_samples import grid_rows, run_notebooks

from rotation.evidence.claims import CLAIMS_LIST
from rotation.evidence.consistency import CONSISTENCY
from rotation.present import browser
from rotation.present.pages import render_robustness_page, render_run_page

TOOL = Path(__file__).resolve().parents[2] / "tools" / "screenshots.py"


@pytest.mark.browser
@pytest.mark.skipif(browser.find_chromium() is None, reason="headless Chromium not installed")
def test_screenshots_of_a_run_and_a_grid_folder(tmp_path):
    run = tmp_path / "run"
    (run / "99_test").mkdir(parents=True)
    (run / "index.html").write_text(render_run_page(run, run_notebooks()), encoding="utf-8")
    rows, combos, grid = grid_rows()
    (run / "robustness.html").write_text(render_robustness_page(run, rows, combos, grid=grid, legend=CONSISTENCY),
                                         encoding="utf-8")
    done = subprocess.run([sys.executable, str(TOOL), str(run), "--out", str(tmp_path / "png"), "--width", "500"],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["index.png", "robustness.png"]
    lines = done.stdout.splitlines()
    index = [line for line in lines if line.startswith("png/index.png:")]
    assert index and f"scorecard rows {len(CLAIMS_LIST)}" in index[0], lines
    assert all("resolve" in line for line in lines)
