"""The run page and the robustness page (rotation.present.pages), rendered from data by their templates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape
from report_samples import DEPENDS, dated_verdict_record, grid_rows, run_notebooks

from rotation.evidence import claims
from rotation.evidence.consistency import CONSISTENCY
from rotation.present import browser
from rotation.present.pages import (
    CONSISTENCY_COLOURS,
    QUESTION,
    GridInfo,
    render_robustness_page,
    render_run_page,
    robustness_context,
    run_page_context,
)
from rotation.present.templating import render
from rotation.studies import forecast as fc
from rotation.studies.forecast import OUTCOMES

#: The scorecard's order: the question's row first, then the claims in their order.
_ORDER = [QUESTION, *(c.id for c in claims.CLAIMS_LIST if c.id != QUESTION)]


def test_run_page_scorecard_and_sections(tmp_path):
    page = render_run_page(tmp_path / "20260101-000000", run_notebooks(), meta="kernel rotation <x>",
                           given={"proxy": "iwm_spy"})
    assert "<title>rotation run 20260101-000000</title>" in page
    body = page[page.index('<table class="rot-scorecard">'):]
    body = body[:body.index("</table>")]
    rows = re.findall(r"<tr class='rot-claim' data-claim='([^']+)'", body)
    assert rows == _ORDER  # one row per claim: the question first, then claim order
    jan = body[body.index("data-claim='january_effect'"):]
    jan = jan[:jan.index("</tr>")]
    assert 'href="99_test/99_test.html#claim-january_effect"' in jan  # the claim's own verdict in the findings
    assert "+3.56%" in jan and "ff30_vw</a>, 1926-07-31 to 2026-02-28" in jan
    assert "<a class='rot-term' href='glossary.html#Proxies'" in jan  # the proxy links to what it is
    # the notebook sections: question, answer, status, time, data as of, folded parameters
    assert "<b>Question.</b> Does the reader see the answer first?" in page
    assert "12.3 s" not in page and "3.2 s" in page and "data as of 2026-08-21" in page
    assert "<details class='rot-params'><summary>Parameters (2)</summary>" in page
    assert "kernel rotation &lt;x&gt;" in page  # the header line is text, escaped
    assert "Parameters given for this run (1)" in page and "iwm_spy" in page
    # the failed notebook shows its failing cell and error
    assert "FAILED" in page and "KeyError" in page and "SECRET_FAIL" in page and "cell 7 (In [5])" in page
    assert "<p class='rot-grid-note'>" not in page  # not a grid's run


def test_run_page_without_given_parameters_or_data_dates(tmp_path):
    nbs = run_notebooks()
    nbs[0] = {**nbs[0], "data_as_of": None}
    page = render_run_page(tmp_path / "r", nbs)
    assert "Parameters given for this run: none (notebook defaults)." in page
    assert "data as of: unknown" in page and "1 ok, 1 failed</p>" in page


def test_run_page_of_a_grid_combination_has_the_note_and_the_flags(tmp_path):
    """Rendered with the grid's information: the note under the scorecard's heading and the flag on each row
    whose verdict depends on the proxy -- in the page as written, nothing added afterwards."""
    grid = GridInfo(robustness_href="../robustness.html", parameters={"proxy": "iwm_spy", "start": "2001-01-31"},
                    depends_on_proxy={"january_effect": DEPENDS})
    page = render_run_page(tmp_path / "proxy-iwm_spy__start-2001-01-31", run_notebooks(), grid=grid)
    note = page[page.index("<p class='rot-grid-note'>"):]
    note = note[:note.index("</p>")]
    assert (page.index('<h2 id="claim-scorecard">') < page.index("<p class='rot-grid-note'>")
            < page.index('<table class="rot-scorecard">'))
    assert 'href="../robustness.html"' in note and "proxy=iwm_spy, start=2001-01-31" in note
    assert "the verdict of 1 claim depends on the proxy" in note
    row = page.split("data-claim='january_effect'")[1].split("</tr>")[0]
    assert f"depends on the proxy: {DEPENDS}" in row
    row = page.split("data-claim='underwhelming'")[1].split("</tr>")[0]
    assert "depends on the proxy" not in row
    two = GridInfo("../robustness.html", {"proxy": "a"}, {"january_effect": "x", "underwhelming": "y"})
    assert "the verdicts of 2 claims depend on the proxy" in render_run_page(tmp_path / "r", run_notebooks(), grid=two)
    none = GridInfo("../robustness.html", {"proxy": "a"}, {})
    assert "no verdict depends on the proxy" in render_run_page(tmp_path / "r", run_notebooks(), grid=none)
    other = GridInfo("../robustness.html", {"start": "1990-01-31"}, {})
    page = render_run_page(tmp_path / "r", run_notebooks(), grid=other)
    assert "<p class='rot-grid-note'>" in page and "depends on the proxy:" not in page


def test_run_page_template_renders_every_field_from_data():
    """Each field of run_page_context's data reaches the page (text escaped)."""
    grid = GridInfo("../robustness.html", {"proxy": "iwm_spy"}, {"january_effect": "FLAG_TEXT"})
    context = run_page_context("RUN_NAME", run_notebooks(), meta="META_LINE", given={"GIVEN": "VALUE"}, grid=grid)
    page = render("run_page.html.j2", **context)
    assert "<title>rotation run RUN_NAME</title>" in page and "META_LINE" in page
    assert f"{context['n_ok']} ok, {context['n_failed']} failed" in page
    assert f"data as of {context['as_of'][0]}" in page
    assert f"{context['n_decided']} of {len(context['scorecard'])} claims decided" in page
    for row in context["scorecard"]:
        for key in ("claim_id", "claim", "status", "colour", "effect", "sample", "notebook"):
            assert escape(row[key]) in re.sub(r"<a class='rot-term'[^>]*>([^<]*)</a>", r"\1", page), (key, row[key])
        if row["href"]:
            assert f'href="{row["href"]}"' in page
    assert "depends on the proxy: FLAG_TEXT" in page
    for nb in context["notebooks"]:
        for key in ("name", "slug", "title", "seconds"):
            assert str(nb[key]) in page
        assert all(f'<a href="{href}">{label}</a>' in page for label, href in nb["files"])
        assert all(f"<code>{name}</code>" in page for name, _ in nb["parameters"])
        assert all(v["quote"] in page for v in nb["verdicts"])
        if nb["error"]:
            assert all(escape(v) in page for v in nb["error"].values())
    assert "<code>GIVEN</code>" in page and "<code>&#34;VALUE&#34;</code>" in page


def test_run_page_escapes_what_it_is_given(tmp_path):
    nbs = run_notebooks()
    nbs[1] = {**nbs[1], "name": "98_<b>", "title": "<script>alert(1)</script>", "question": "<i>q</i> **bold**"}
    page = render_run_page(tmp_path / "r", nbs, given={"<x>": "</code>"})
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "&lt;i&gt;q&lt;/i&gt; <b>bold</b>" in page and "<code>&lt;x&gt;</code>" in page


# --------------------------------------------------------------------------- robustness page


def test_robustness_page_in_the_house_style(tmp_path):
    rows, combos, grid = grid_rows()
    page = render_robustness_page(tmp_path / "my-grid", rows, combos, grid=grid, legend=CONSISTENCY)
    assert "<title>Robustness grid my-grid</title>" in page
    assert "<main class=\"rot-run\">" in page and "rot-scorecard" in page  # the run page's CSS and table
    assert "Small caps have been underwhelming" in page  # claim titles, not only ids
    assert "background:#1b7837'>supported<" in page and "background:#b2182b'>contradicted<" in page
    assert "+1.20% [+0.40%, +2.00%]" in page  # the scorecard's number format
    assert all(label in page for label in CONSISTENCY)  # the legend
    assert 'href="a/index.html"' in page and 'href="c/index.html"' not in page  # no run page for a skipped one
    assert "b/01_relative_strength/01_relative_strength.html#findings-and-caveats" in page
    assert f"depends on the proxy: {DEPENDS}" in page
    assert "has data from 2000-05-31 only" in page and "rot-skipped" in page
    assert "<span class='rot-failed'>failed</span>" in page and "failed at cell 3: KeyError" in page
    assert "4 combinations of proxy = ff30_vw, iwm_spy &times; start = 2001-01-31, 1926-07-31:" in page
    assert "2 ok, 1 skipped, 1 failed" in page


def test_robustness_template_renders_every_field_from_data():
    rows, combos, grid = grid_rows()
    context = robustness_context("G", rows, combos, grid=grid, legend=CONSISTENCY, meta="META <line>")
    page = render("robustness.html.j2", **context)
    assert "META &lt;line&gt;" in page
    for c in context["combinations"]:
        assert f"[{c['number']}]" in page and c["status_class"] in page and escape(c["detail"]) in page
        assert all(f"{name}={value}" in page for name, value in c["parameters"])
    for row in context["claims"]:
        assert f"data-claim='{row['claim_id']}'" in page and row["claim"] in page and row["colour"] in page
        for cell in row["cells"]:
            if cell["kind"] == "verdict":
                assert cell["effect"] in page and f'href="{cell["href"]}"' in page
    for label, colour, text in context["legend"]:
        assert f"background:{colour}'>{label}<" in page and text in page
    assert set(CONSISTENCY) <= set(CONSISTENCY_COLOURS)


def test_robustness_page_without_verdicts(tmp_path):
    combos = [{"label": "n-1", "parameters": {"n": 1}, "folder": "n-1", "status": "failed", "error": "boom"}]
    page = render_robustness_page(tmp_path / "g", [], combos, grid={"n": [1]}, legend=CONSISTENCY)
    assert "No verdicts recorded in this grid" in page and "boom" in page


# --------------------------------------------------------------------------- in a real browser

_CHROMIUM = browser.find_chromium()
needs_chromium = pytest.mark.skipif(
    _CHROMIUM is None,
    reason="headless Chromium not installed (Debian: apt-get install -y chromium; or set ROTATION_CHROMIUM)")


def _written(run: Path, notebooks: list[dict]) -> Path:
    """The run page of ``notebooks`` written to ``run/index.html``, as a run writes it."""
    run.mkdir()
    page = run / "index.html"
    page.write_text(render_run_page(run, notebooks), encoding="utf-8")
    return page


@pytest.mark.browser
@needs_chromium
def test_run_page_in_headless_chromium(tmp_path):
    page = _written(tmp_path / "20260101-000000", run_notebooks())
    seen = browser.probe(page)
    assert seen["scorecard_rows"] == len(claims.CLAIMS_LIST)
    assert seen["scorecard_claims"] == _ORDER
    assert all(link["resolves"] for link in seen["toc"])
    assert json.dumps(seen)  # plain JSON from the browser
    narrow = browser.probe(page, window=(500, 900))
    assert narrow["page_height"] > seen["page_height"]  # the scorecard stacks: one block per claim
    assert narrow["page_width"] <= narrow["viewport"]["width"]  # nothing sticks out sideways


def _dated_run() -> list[dict]:
    nbs = run_notebooks()
    nbs[0]["results"]["verdicts.underwhelming"] = dated_verdict_record()
    return nbs


def test_scorecard_shows_a_state_claim_then_and_now(tmp_path):
    page = render_run_page(tmp_path / "r", _dated_run())
    body = page[page.index('<table class="rot-scorecard">'):]
    assert re.findall(r"<tr class='rot-claim' data-claim='([^']+)'", body[:body.index("</table>")]) == _ORDER
    row = body[body.index("data-claim='underwhelming'"):]
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row[:row.index("</tr>")]))
    then, now = row.index("then (2023-11-30) supported"), row.index("now (latest data) contradicted")
    assert then < now
    assert "then 5% (thresholds 33% / 67%; n = 1168)" in row and "now 74% (thresholds 33% / 67%; n = 1196)" in row
    assert re.search(r"then ff30_vw ?, 1926-07-31 to 2023-10-31", row)  # the proxy name is a link: a tag split it
    assert re.search(r"now ff30_vw ?, 1926-07-31 to 2026-02-28", row)
    jan = body[body.index("data-claim='january_effect'"):]
    assert "then (" not in jan[:jan.index("</tr>")]  # a pattern claim is undated
    assert "decided twice: <i>then</i>" in page and "(2023-11-30)" in page


@pytest.mark.browser
@needs_chromium
def test_scorecard_then_and_now_stack_at_500_px(tmp_path):
    page = _written(tmp_path / "r", _dated_run())
    narrow = browser.probe(page, window=(500, 900))
    assert narrow["page_width"] <= narrow["viewport"]["width"]  # nothing sticks out sideways
    assert narrow["scorecard_claims"] == _ORDER


@pytest.mark.browser
@needs_chromium
def test_robustness_page_in_headless_chromium(tmp_path):
    rows, combos, grid = grid_rows()
    page = tmp_path / "robustness.html"
    page.write_text(render_robustness_page(tmp_path, rows, combos, grid=grid, legend=CONSISTENCY), encoding="utf-8")
    seen = browser.probe(page)
    assert seen["title"] == f"Robustness grid {tmp_path.name}"
    narrow = browser.probe(page, window=(500, 900))
    assert narrow["page_width"] <= narrow["viewport"]["width"]  # the wide grid scrolls inside its column
    assert seen["scorecard_claims"] == ["underwhelming", "breakout_follow_through"]
    assert all(link["resolves"] for link in seen["toc"])


def _answer_run() -> list[dict]:
    """The sample run with notebook 08's forecast records, made by the study on a made-up board."""
    rng = np.random.default_rng(0)
    idx = pd.date_range("1950-01-31", periods=12 * 60, freq="ME")
    lr = pd.Series(np.cumsum(rng.normal(0, 0.03, len(idx))), index=idx)
    share = pd.Series(rng.integers(0, 13, len(idx)) / 12, index=idx)
    now = fc.breakout_forecast(lr, share, tolerance=1 / 12, reps=50)
    then = fc.scored(fc.breakout_forecast(lr, share, as_of="1999-11-30", tolerance=1 / 12, reps=50), lr)
    nbs = run_notebooks()
    nbs[0]["results"]["forecast"] = json.loads(json.dumps(now.to_record()))
    nbs[0]["results"]["forecast.commentary"] = json.loads(json.dumps(then.to_record()))
    nbs[0]["results"]["board"] = {"extra": {"info": {
        "rut_near_high": {"label": "Russell 2000 within 5% of its prior high", "last": "2026-02-28", "stale": True},
        "fed_dovish": {"label": "2-year yield over 6 months", "last": "2026-08-31", "stale": False}}}}
    nbs[0]["results"]["forecast.price_level"] = {
        "name": "Russell 2000", "date": "2026-02-20", "close": 2663.78, "level": 2000.0, "above_level": True,
        "prior_high": 2718.77, "prior_high_date": "2026-01-22", "above_prior_high": False,
        "distance_to_level": 0.33189, "distance_to_prior_high": -0.020227, "above_since": "2025-05-08"}
    nbs[0]["results"]["sample"] = {"returns_end": "2009-12-31"}
    return nbs


def test_the_run_page_opens_with_the_answer_and_moves_the_run_id_to_a_footer(tmp_path):
    nbs = _answer_run()
    f = nbs[0]["results"]["forecast"]
    page = render_run_page(tmp_path / "20260101-000000", nbs, meta="kernel rotation, commit abc123")
    body = page[page.index("<main"):]
    h1 = re.search(r"<h1>(.*?)</h1>", body).group(1)
    assert h1 == claims.get(QUESTION).quote  # the question first, not the run id
    answer = body[body.index("id=\"answer\""):body.index("</section>")]
    assert f"Forecast made {f['forecast_date']} for the window to the end of {f['new_year']}" in answer
    # every outcome in the declared order, whatever order the record's keys have (results.json sorts them)
    assert re.findall(r"<tr><td>([a-z -]+)</td>", answer) == list(OUTCOMES)
    base = f"{f['breakout_base']:.0%}"
    if f["answer"] == "base rate":
        assert f"{base}, the base rate. The signals add no skill" in answer and "the answer is the base rate" in answer
    assert "own moment (1999-11-30), with only the data published then" in answer
    assert "1 of 2 signals current" in answer and "(stale)</span>" in answer
    assert "The relative-strength line to 2009-12;" in answer
    # the price level the commentary names, dated; stale when its last close is months before the forecast date
    level = "Russell 2000 at 2,664 on 2026-02-20: above 2,000 since 2025-05-08; -2.0% from its prior high (2,719"
    assert level in answer and ("Stale:" in answer) == (f["forecast_date"] > "2026-03-31")
    # the run id, kernel and commit are in a footer, after the scorecard and the notebooks
    footer = body[body.index("rot-run-footer"):]
    assert "rotation run 20260101-000000" in footer and "commit abc123" in footer
    assert body.index("claim-scorecard") < body.index("rot-run-footer")
    rows = re.findall(r"<tr class='rot-claim' data-claim='([^']+)'", body)
    assert rows[0] == QUESTION


@pytest.mark.browser
@needs_chromium
def test_the_answer_is_on_the_first_screen_at_1280_and_390_px(tmp_path):
    page = _written(tmp_path / "20260101-000000", _answer_run())
    for window in ((1280, 800), (390, 800)):
        seen = browser.probe(page, window=window)
        assert seen["h1"]["top"] < 200, window  # the question
        # the probabilities, within the first screen (headless Chromium's viewport: the window less its frame)
        assert seen["probs"]["bottom"] <= seen["viewport"]["height"], (window, seen["probs"], seen["viewport"])
        assert seen["page_width"] <= seen["viewport"]["width"], window  # nothing sticks out sideways


def test_every_scorecard_effect_says_its_units_and_horizon(tmp_path):
    from rotation.present import findings
    from rotation.stats.units import Units

    nbs = run_notebooks()
    page = render_run_page(tmp_path / "20260101-000000", nbs)
    for rec in findings.records_from_results(nbs[0]["results"]):
        brief = Units(rec["headline"]["units"], rec["headline"]["scale"]).brief()
        row = page[page.index(f"data-claim='{rec['claim_id']}'"):]
        assert f"<span class='rot-units'>{brief}</span>" in row[:row.index("</tr>")], rec["claim_id"]
    assert Units("decimal relative return over the next 6 months, after breakouts minus all months").brief() == (
        "relative return over the next 6 months")
    assert Units("beta: monthly relative return per 1 pp rise").brief() == "monthly relative return per 1 pp rise"


def test_the_scorecard_and_the_findings_show_the_international_check(tmp_path):
    from report_samples import verdict_record

    from rotation.evidence.effects import Effect
    from rotation.present import findings

    rec = verdict_record()
    intl = rec["international"]
    # counted: Europe +1.34%, Japan +1.19%, Asia Pacific +0.19% (same sign as the +3.56% headline), Emerging -0.21%;
    # significant (interval above 0): Europe and Japan only; North America is shown, not counted
    assert (intl["agreeing"], intl["significant"], intl["n_regions"], intl["holds"]) == (3, 2, 4, True)
    assert [e["label"].split(":")[0] for e in intl["shown"]] == ["North America"]
    page = render_run_page(tmp_path / "20260101-000000", run_notebooks())
    row = page[page.index("data-claim='january_effect'"):]
    row = row[:row.index("</tr>")]
    assert ("<span class='rot-abroad'>abroad: same sign in 3 of 4 regions outside the US (significant for the claim "
            "in 2)</span>") in row
    from rotation.evidence import rubric

    v = rubric.Verdict(**{**{k: rec[k] for k in ("claim_id", "quote", "notebook", "status", "rule", "method",
                                                 "evidence")},
                          "reasons": (), "headline": Effect.from_record(rec["headline"]), "sample": None,
                          "international": rubric.Abroad(intl["test"], tuple(Effect.from_record(e)
                                                                             for e in intl["counted"]))})
    line = findings.abroad_line(v)
    assert line.startswith("* Check (international): January minus other months, each region's SMB (HAC): same sign "
                           "in 3 of 4 regions outside the US (significant for the claim in 2) (holds): Europe +1.34%")
