"""Explorable charts (rotation.present.explore): offline, one shared script, a "last 3 years" view."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import numpy as np
import pandas as pd
import pytest
from report_samples import notebook

from rotation.errors import ParameterError
from rotation.present import browser, explore
from rotation.present import report as reports


def _series() -> pd.Series:
    idx = pd.bdate_range("2015-01-01", "2026-02-20")
    return pd.Series(1500 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.01, len(idx)))), index=idx,
                     name="Russell 2000")


def test_a_chart_is_offline_with_a_stable_id_and_a_recent_view():
    chart = explore.time_series(_series(), title="Russell 2000, 2,000 and its prior high", ylabel="points",
                                source="made up", levels={"2,000": 2000}, running_high=True)
    bundle = chart._repr_mimebundle_()
    html = bundle["text/html"]
    assert 'id="explore-russell-2000-2-000-and-its-prior-high"' in html and "plotly-graph-div" in html
    assert not re.search(r"src=[\"']?https?:|cdn\.plot\.ly", html)  # nothing fetched from the network
    layout = bundle["application/vnd.plotly.v1+json"]["layout"]
    recent = next(b for b in layout["updatemenus"][0]["buttons"] if b["label"] == "Last 3 years")["args"][0]
    assert recent["xaxis.range"] == ["2023-02-20", "2026-02-20"]
    tail = _series().loc["2023-02-20":]
    lo, hi = recent["yaxis.range"]
    assert lo < min(tail.min(), 2000) and hi > max(tail.cummax().max(), 2000)  # the recent data and 2,000 in view
    assert [t["name"] for t in bundle["application/vnd.plotly.v1+json"]["data"]] == [
        "Russell 2000", "Russell 2000: prior high"]
    assert chart._repr_mimebundle_()["text/html"] == html  # same data, same page
    with pytest.raises(ParameterError, match="dates as index"):
        explore.time_series(pd.Series([1.0, 2.0]), title="t", ylabel="y", source="s")


def test_the_shared_script_is_written_once_per_run_folder(tmp_path):
    path = explore.write_plotly_js(tmp_path)
    assert path.name == explore.PLOTLY_JS and path.stat().st_size > 1_000_000
    stamp = path.stat().st_mtime_ns
    explore.write_plotly_js(tmp_path)
    assert path.stat().st_mtime_ns == stamp


def _report_with_chart(tmp_path):
    nb = notebook()
    chart = explore.time_series(_series(), title="Russell 2000", ylabel="points", source="made up")
    nb.cells.append(nbformat.v4.new_code_cell("chart", outputs=[nbformat.v4.new_output(
        "display_data", data=json.loads(json.dumps(chart._repr_mimebundle_())))]))
    stem = tmp_path / "99_test"
    stem.mkdir()
    out = stem / "99_test.html"
    reports.render_report(nb, out, results={}, data_as_of=None)
    return out


def test_a_report_with_an_explorable_chart_loads_the_run_folders_script(tmp_path):
    page = _report_with_chart(tmp_path).read_text(encoding="utf-8")
    assert '<script src="../plotly.min.js"></script>' in page and "plotly-graph-div" in page
    assert page.count("plotly.min.js") >= 1 and "cdn.plot.ly" not in page
    plain = tmp_path / "plain.html"
    reports.render_report(notebook(), plain, results={}, data_as_of=None)
    assert "plotly.min.js" not in plain.read_text(encoding="utf-8").split("</head>")[0]


_CHROMIUM = browser.find_chromium()


@pytest.mark.browser
@pytest.mark.skipif(_CHROMIUM is None, reason="headless Chromium not installed (apt-get install -y chromium)")
def test_the_explorable_chart_draws_offline_and_says_so_without_its_script(tmp_path):
    page = _report_with_chart(tmp_path)
    missing = browser.probe(page)
    assert missing["explorable"] == 1 and missing["explorable_drawn"] == 0
    explore.write_plotly_js(tmp_path)  # the run folder's copy: a file beside the page, no network
    for window in ((1280, 800), (390, 987)):
        seen = browser.probe(page, window=window)
        assert seen["explorable"] == seen["explorable_drawn"] == 1, window
        assert seen["page_width"] <= seen["viewport"]["width"], window
    assert page.stat().st_size < 2_000_000
    shutil.rmtree(tmp_path / "99_test")
