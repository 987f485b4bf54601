"""Reader reports and the run page: what a reader sees first, what is hidden, what is tidied.

A small executed notebook is built here with nbformat (title, parameters cell, a verdict record
under the runner's MIME type, a warning on stderr, a raw pandas table, a stray ``record`` value),
rendered with :func:`rotation.present.report.render_report`, and checked in the HTML and, when Chromium
is installed, in a real headless browser.
"""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser

import nbformat
import pytest

from rotation.stats.units import Units
from rotation.present import browser, report as reports
from rotation.evidence import claims
from rotation.evidence import rubric as vd

TITLE = "99 · Test report: does the reader see the answer first?"
_PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f6c64e0000000049454e44ae426082"
)).decode()

_RAW_TABLE = """<div><table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th></th><th>series</th><th>level</th><th>share</th><th>first</th></tr>
  </thead>
  <tbody>
    <tr><th>0</th><td>DGS10</td><td>1000.000000</td><td>0.012345</td><td>2013-05-14 00:00:00</td></tr>
    <tr><th>1</th><td>DTWEXBGS</td><td>2500.000000</td><td>NaN</td><td>NaT</td></tr>
    <tr><th>2</th><td>TWEXMMTH</td><td>&lt;NA&gt;</td><td>0.250000</td><td>1973-01-31 00:00:00</td></tr>
  </tbody>
</table></div>"""


def _verdict_record() -> dict:
    ev = vd.Evidence(
        claim_id="january_effect",
        headline=vd.Effect(label="January minus other months", estimate=0.0356, units=Units.returns("decimal relative return"),
                           ci_lower=0.0253, ci_upper=0.0459, p_value=0.0001, nobs=1196),
        sample=vd.Sample(proxy="ff30_vw", start="1926-07-31", end="2026-02-28", n=1196),
        method="OLS on a January dummy, HAC (6 lags)",
        checks=(vd.Check("proxy", vd.Effect(label="iwm_spy", estimate=0.004, units=Units.returns("decimal relative return"),
                                            ci_lower=0.001, ci_upper=0.007, nobs=313)),
                vd.Check("subperiod", vd.Effect(label="2000-now", estimate=0.007, units=Units.returns("decimal relative return"),
                                                ci_lower=-0.002, ci_upper=0.016, nobs=315))),
    )
    return vd.decide(ev).to_record()


def _notebook(*, fail: bool = False) -> nbformat.NotebookNode:
    rec = _verdict_record()
    params = nbformat.v4.new_code_cell('start: str = "1926-07-01"  # first month of the sample\n'
                                       'proxy: str = "ff30_vw"  # small/large pair')
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell('# Parameters\nstart = "1990-01-01"\n')
    injected.metadata["tags"] = ["injected-parameters"]
    title = nbformat.v4.new_markdown_cell(
        f"# {TITLE}\n\n**Question.** Does the reader see the *answer* before any code?\n\n"
        "Conventions: decimal returns; the test below is made up.")
    setup = nbformat.v4.new_code_cell("import pandas as pd\nSECRET_SETUP_CODE = 1\n"
                                      'record("verdicts.january_effect", rec)')
    setup.outputs = [
        nbformat.v4.new_output("stream", name="stderr",
                               text="/tmp/ipykernel_1/123.py:1: Pandas4Warning: sorting is deprecated\n"),
        nbformat.v4.new_output("display_data", data={"application/vnd.rotation.record+json":
                                                     {"name": "verdicts.january_effect", "value": rec},
                                                     "text/plain": "<rotation record verdicts.january_effect>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "0.987654321"}, execution_count=2),
    ]
    section = nbformat.v4.new_markdown_cell("## 1 · The calendar: relative return by month\n\nA table and a chart.")
    table = nbformat.v4.new_code_cell("coverage_table  # SECRET_TABLE_CODE")
    table.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": _RAW_TABLE,
                                                                   "text/plain": "raw"}, execution_count=3)]
    chart = nbformat.v4.new_code_cell("ax = plots.line_chart(x)\nax  # SECRET_CHART_CODE")
    chart.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": _PNG, "text/plain": "<Figure size 10x4>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<Axes: title={'center': 'x'}>"},
                               execution_count=4),
    ]
    check = nbformat.v4.new_code_cell("check_parameters(globals())  # SECRET_CHECK_CODE")
    check.metadata["tags"] = ["check-parameters"]
    cells = [params, injected, check, title, setup, section, table, chart]
    if fail:
        bad = nbformat.v4.new_code_cell("1 / 0  # SECRET_FAILING_CODE")
        bad.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                              traceback=["ZeroDivisionError: division by zero"])]
        cells.append(bad)
    findings = nbformat.v4.new_markdown_cell("## Findings and caveats\n\nThe January effect is there.")
    cells.append(findings)
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                                          "display_name": "Python 3"}})


@pytest.fixture
def rendered(tmp_path):
    folder = tmp_path / "99_test"
    folder.mkdir()
    ipynb = folder / "99_test.ipynb"
    nbformat.write(_notebook(), str(ipynb))
    results = {"verdicts.january_effect": _verdict_record(), "sample.months": 1196}
    html_path, code_path = folder / "99_test.html", folder / "99_test.code.html"
    reports.render_report(ipynb, html_path, results=results, data_as_of="2026-08-21", with_code_path=code_path)
    return html_path.read_text(encoding="utf-8"), code_path.read_text(encoding="utf-8"), html_path


class _Pres(HTMLParser):
    """Every <pre>: whether it sits inside a closed <details> (then a reader does not see it)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open <details>: is it open?
        self.pres: list[bool] = []  # per <pre>: hidden?

    def handle_starttag(self, tag, attrs):
        if tag == "details":
            self.stack.append(any(k == "open" for k, _ in attrs))
        elif tag == "pre":
            self.pres.append(any(not is_open for is_open in self.stack))

    def handle_endtag(self, tag):
        if tag == "details" and self.stack:
            self.stack.pop()


def _pres(page: str) -> list[bool]:
    p = _Pres()
    p.feed(page)
    return p.pres


def test_title_question_and_answer_come_first(rendered):
    page, _, _ = rendered
    assert f"<title>{TITLE}</title>" in page
    h1 = page.index("<h1")
    question = page.index("Does the reader see")
    answer = page.index("class='rot-answer'")
    first_code = page.index('<details class="rot-code"')
    assert h1 < question < answer < first_code
    assert answer < page.index("SECRET_CHECK_CODE")  # a code cell above the title moves below the answer
    assert answer < page.index('id="1-the-calendar-relative-return-by-month"')
    box = page[answer:page.index("</div>", answer)]
    assert "supported" in box and "January is traditionally a strong month" in box
    assert "+3.56%" in box and "Data as of 2026-08-21" in box
    assert "ff30_vw, 1926-07-31 to 2026-02-28" in box


def test_no_code_visible_by_default_and_the_code_variant_shows_it(rendered):
    page, code_page, _ = rendered
    pres = _pres(page)
    assert pres and all(pres), "a <pre> is visible in the reader's page"
    assert '<details class="rot-code" open>' not in page
    assert "SECRET_TABLE_CODE" in page  # folded, not dropped
    # the parameters cells are not cells of the page; their values are in the folded box
    assert "Parameters of this run (overrides given)" in page and "1990-01-01" in page
    assert page.count('<details class="rot-code"') == 4
    assert code_page.count('<details class="rot-code" open>') == 4
    assert "(with code)</title>" in code_page and 'href="99_test.html"' in code_page
    assert 'href="99_test.code.html"' in page


def test_toc_links_resolve_to_headings(rendered):
    page, _, _ = rendered
    toc = page[page.index("<nav class=\"rot-toc\""):page.index("</nav>")]
    hrefs = re.findall(r'href="#([^"]+)"', toc)
    assert hrefs == ["1-the-calendar-relative-return-by-month", reports.FINDINGS_ANCHOR]
    for h in hrefs:
        assert f'id="{h}"' in page


def test_hidden_outputs_and_warnings(rendered):
    page, code_page, _ = rendered
    for p in (page, code_page):
        assert "Pandas4Warning" not in p  # stderr dropped
        assert "vnd.rotation" not in p and "rotation record" not in p  # the runner's records
        assert "0.987654321" not in p  # the Out[] of a cell ending in record(...)
        assert "&lt;Axes:" not in p and "<Axes:" not in p  # stray reprs
        assert "Out[" not in p and "In&nbsp;[" not in p
        assert "data:image/png;base64," in p and '<img alt="chart"' in p  # the chart stays, with an alt text


def test_tables_are_formatted(rendered):
    page, _, _ = rendered
    table = page[page.index('class="dataframe"'):]
    table = table[:table.index("</table>")]
    assert "1000.000000" not in table and ">1000<" in table and ">2500<" in table
    assert ">0.012<" in table and ">0.250<" in table  # one decimals count per column, 3 significant digits
    assert "00:00:00" not in table and "2013-05-14" in table
    for missing in ("NaN", "NaT", "&lt;NA&gt;"):
        assert missing not in table
    assert ">0<" not in table  # the default RangeIndex labels are gone


def test_format_tables_unit():
    frag = ('<table class="dataframe"><thead><tr><th></th><th>a</th></tr></thead><tbody>'
            '<tr><th>x</th><td>123456.700000</td></tr><tr><th>y</th><td>0.500000</td></tr></tbody></table>')
    out = reports.format_tables(frag)
    assert ">123,456.70<" in out and ">0.50<" in out  # the small value keeps a digit
    assert reports.format_tables("<p>no table</p>") == "<p>no table</p>"
    styled = '<table id="T_1"><tbody><tr><td class="data row0 col0" >nan</td></tr></tbody></table>'
    assert "nan" not in reports.format_tables(styled)


def test_failed_cell_is_shown_open(tmp_path):
    ipynb = tmp_path / "99_fail.ipynb"
    nbformat.write(_notebook(fail=True), str(ipynb))
    out = tmp_path / "99_fail.html"
    reports.render_report(ipynb, out, results={}, data_as_of=None)
    page = out.read_text(encoding="utf-8")
    assert page.count('<details class="rot-code" open>') == 1
    assert "SECRET_FAILING_CODE" in page and "ZeroDivisionError" in page
    assert "failed before it recorded a verdict" in page  # the box says so instead of inventing an answer


def test_answer_box_without_verdicts_names_the_claims(tmp_path):
    ipynb = tmp_path / "02_dollar_sensitivity.ipynb"
    nbformat.write(_notebook(), str(ipynb))
    out = tmp_path / "02_dollar_sensitivity.html"
    reports.render_report(ipynb, out, results={}, data_as_of=None)
    page = out.read_text(encoding="utf-8")
    assert "No verdict was recorded in this run" in page and "softer U.S. dollar" in page
    other = tmp_path / "00_data_overview.html"
    reports.render_report(ipynb, other, results={}, data_as_of=None)
    assert "decides no claim" in other.read_text(encoding="utf-8")


def test_code_is_escaped(tmp_path):
    nb = _notebook()
    nb.cells.append(nbformat.v4.new_code_cell('s = "</details><script>alert(1)</script>"'))
    ipynb, out = tmp_path / "x.ipynb", tmp_path / "x.html"
    nbformat.write(nb, str(ipynb))
    reports.render_report(ipynb, out, results={}, data_as_of=None)
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "alert" in page


def test_title_and_question_helper(tmp_path):
    title, question = reports.notebook_title_and_question(_notebook())
    assert title == TITLE
    assert question.startswith("**Question.** Does the reader")


def test_data_as_of_from_store_summary():
    data = [{"acquired_at": "2026-11-29T04:28:34Z", "last": "2026-02-28"},
            {"acquired_at": "2026-11-28T01:00:00Z", "last": "2026-08-21"}]
    assert reports.data_as_of(data) == "store snapshot of 2026-11-29; latest observation 2026-08-21"
    assert reports.data_as_of(None) is None


def _run_notebooks() -> list[dict]:
    ok = {"name": "99_test", "title": TITLE, "status": "ok", "seconds": 3.2,
          "question": "**Question.** Does the reader see the answer first?",
          "results": {"verdicts.january_effect": _verdict_record()}, "error": None,
          "files": {"html": "99_test/99_test.html", "results.json": "99_test/results.json"},
          "parameters": {"start": "1990-01-01", "proxy": "ff30_vw"}, "data_as_of": "2026-08-21"}
    failed = {"name": "98_broken", "status": "failed", "seconds": 1.0, "question": "Why did it break?",
              "results": {}, "error": {"cell_index": 7, "exec_count": 5, "ename": "KeyError",
                                       "evalue": "'DGS10'", "cell_source": 'load("DGS10")  # SECRET_FAIL'},
              "files": {"html": "98_broken/98_broken.html"}, "parameters": {}, "data_as_of": None}
    return [ok, failed]


def test_run_page_scorecard_and_sections(tmp_path):
    page = reports.render_run_page(tmp_path / "20260101-000000", _run_notebooks(), meta="kernel rotation <x>",
                                   given={"proxy": "iwm_spy"})
    assert "<title>rotation run 20260101-000000</title>" in page
    body = page[page.index('<table class="rot-scorecard">'):]
    body = body[:body.index("</table>")]
    rows = re.findall(r"<tr class='rot-claim' data-claim='([^']+)'", body)
    assert rows == [c.id for c in claims.CLAIMS_LIST]  # one row per claim, in claim order
    jan = body[body.index("data-claim='january_effect'"):]
    jan = jan[:jan.index("</tr>")]
    assert 'href="99_test/99_test.html#findings-and-caveats"' in jan
    assert "+3.56%" in jan and "ff30_vw, 1926-07-31 to 2026-02-28" in jan
    # the notebook sections: question, answer, status, time, data as of, folded parameters
    assert "<b>Question.</b> Does the reader see the answer first?" in page
    assert "12.3 s" not in page and "3.2 s" in page and "data as of 2026-08-21" in page
    assert "<details class='rot-params'><summary>Parameters (2)</summary>" in page
    assert "kernel rotation &lt;x&gt;" in page  # the header line is text, escaped
    assert "Parameters given for this run (1)" in page and "iwm_spy" in page
    # the failed notebook shows its failing cell and error
    assert "FAILED" in page and "KeyError" in page and "SECRET_FAIL" in page and "cell 7 (In [5])" in page


# --------------------------------------------------------------------------- in a real browser

_CHROMIUM = browser.find_chromium()
needs_chromium = pytest.mark.skipif(
    _CHROMIUM is None,
    reason="headless Chromium not installed (Debian: apt-get install -y chromium; or set ROTATION_CHROMIUM)")


@pytest.mark.browser
@needs_chromium
def test_report_in_headless_chromium(rendered):
    _, _, html_path = rendered
    seen = browser.probe(html_path)
    assert seen["title"] == TITLE
    assert seen["answer"] is not None and seen["h1"] is not None
    assert seen["h1"]["top"] < seen["answer"]["top"]
    assert seen["answer"]["bottom"] <= seen["viewport"]["height"], "the Answer box is not on the first screen"
    assert seen["code_blocks"] == 4 and seen["code_visible"] == 0
    assert seen["toc"] and all(link["resolves"] for link in seen["toc"])
    code = browser.probe(html_path.with_name("99_test.code.html"))
    assert code["code_visible"] == 4
    png = browser.screenshot(html_path, html_path.with_suffix(".png"))
    assert png.stat().st_size > 5_000


@pytest.mark.browser
@needs_chromium
def test_run_page_in_headless_chromium(tmp_path):
    run = tmp_path / "20260101-000000"
    run.mkdir()
    (run / "index.html").write_text(reports.render_run_page(run, _run_notebooks()), encoding="utf-8")
    seen = browser.probe(run / "index.html")
    assert seen["scorecard_rows"] == len(claims.CLAIMS_LIST)
    assert seen["scorecard_claims"] == [c.id for c in claims.CLAIMS_LIST]
    assert all(link["resolves"] for link in seen["toc"])
    assert json.dumps(seen)  # plain JSON from the browser
