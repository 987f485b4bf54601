"""Reader reports (rotation.present.report): what a reader sees first, what is hidden, what is tidied.

The small executed notebook of ``report_samples`` is rendered with :func:`rotation.present.report.render_report`
and checked in the HTML and, when Chromium is installed, in a real headless browser.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nbformat
import pytest
from report_samples import TITLE, dated_verdict_record, notebook, verdict_record

from rotation.present import browser, findings
from rotation.present import report as reports
from rotation.present.nbhtml import Heading
from rotation.present.reader import reader_notebook
from rotation.present.templating import render


@pytest.fixture
def rendered(tmp_path):
    folder = tmp_path / "99_test"
    folder.mkdir()
    ipynb = folder / "99_test.ipynb"
    nbformat.write(notebook(), str(ipynb))
    results = {"verdicts.january_effect": verdict_record(), "sample.months": 1196}
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


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


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
    assert f"<a href='#{reports.FINDINGS_ANCHOR}'>findings at the end</a>" in box


def test_answer_box_says_what_findings_says(rendered):
    """The report's Answer box shows what rotation.present.findings.answer_box_html composes (same words)."""
    page, _, _ = rendered
    start = page.index("<div class='rot-answer'>")
    box = page[start:page.index("</div>", start) + len("</div>")]
    expected = findings.answer_box_html([verdict_record()], data_as_of="2026-08-21")
    assert _text(box) == _text(expected)


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
    assert "<details class='rot-params' open>" in code_page
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
        # the chart stays, with its titles as alt text (rotation.present.plots.figure_alt puts them in the metadata)
        assert "data:image/png;base64," in p and '<img alt="Chart: Small minus large; y: relative return"' in p


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


def test_the_stylesheet_is_inlined(rendered):
    """A report works on its own, offline: the stylesheet and the code colours are in the page."""
    page, _, _ = rendered
    style = page[page.index("<style>"):page.index("</style>")]
    assert ".rot-answer {" in style and ".highlight" in style
    assert "<link" not in page and "stylesheet" not in page.split("<style>")[0]


def test_rendering_is_deterministic(tmp_path):
    """The same notebook gives the same bytes (no random ids): reports of two runs compare cleanly."""
    nb = notebook()
    pages = []
    for i in range(2):
        out = tmp_path / f"{i}" / "99_test.html"
        out.parent.mkdir()
        reports.render_report(nb, out, results={"verdicts.january_effect": verdict_record()}, data_as_of=None)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_failed_cell_is_shown_open(tmp_path):
    ipynb = tmp_path / "99_fail.ipynb"
    nbformat.write(notebook(fail=True), str(ipynb))
    out = tmp_path / "99_fail.html"
    reports.render_report(ipynb, out, results={}, data_as_of=None)
    page = out.read_text(encoding="utf-8")
    assert page.count('<details class="rot-code" open>') == 1
    assert "SECRET_FAILING_CODE" in page and "ZeroDivisionError" in page
    assert "failed before it recorded a verdict" in page  # the box says so instead of inventing an answer


def test_answer_box_without_verdicts_names_the_claims(tmp_path):
    ipynb = tmp_path / "02_dollar_sensitivity.ipynb"
    nbformat.write(notebook(), str(ipynb))
    out = tmp_path / "02_dollar_sensitivity.html"
    reports.render_report(ipynb, out, results={}, data_as_of=None)
    page = out.read_text(encoding="utf-8")
    assert "No verdict was recorded in this run" in page and "softer U.S. dollar" in page
    assert f"<a href='#{reports.FINDINGS_ANCHOR}'>Findings and caveats</a>" in page
    other = tmp_path / "00_data_overview.html"
    reports.render_report(ipynb, other, results={}, data_as_of=None)
    assert "decides no claim" in other.read_text(encoding="utf-8")


def test_code_is_escaped(tmp_path):
    nb = notebook()
    nb.cells.append(nbformat.v4.new_code_cell('s = "</details><script>alert(1)</script>"'))
    ipynb, out = tmp_path / "x.ipynb", tmp_path / "x.html"
    nbformat.write(nb, str(ipynb))
    reports.render_report(ipynb, out, results={}, data_as_of=None)
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "alert" in page


def test_data_as_of_from_store_summary():
    data = [{"acquired_at": "2026-11-29T04:28:34Z", "last": "2026-02-28"},
            {"acquired_at": "2026-11-28T01:00:00Z", "last": "2026-08-21"}]
    assert reports.data_as_of(data) == "store snapshot of 2026-11-29; latest observation 2026-08-21"
    assert reports.data_as_of(None) is None


def test_report_template_renders_every_field_from_data():
    """report.html.j2 shows each piece of its context, escaped where it is text."""
    reader = reader_notebook(notebook())
    headings = [Heading(1, "title", "T"), Heading(2, "part-one", "Part <one>"),
                Heading(2, reports.FINDINGS_ANCHOR, "Findings and caveats")]
    context = reports.report_context(reader, "<p>INTRO_FRAGMENT</p>", "<p>BODY_FRAGMENT</p>", headings,
                                     stem="99_test", results={"verdicts.january_effect": verdict_record()},
                                     data_as_of="2026-08-21 <b>", other_page={"href": "x.code.html", "label": "OTHER"})
    page = render("report.html.j2", **context)
    assert f"<title>{TITLE}</title>" in page and "<main class=\"rot-report\">" in page
    assert "<p>INTRO_FRAGMENT</p>" in page and "<p>BODY_FRAGMENT</p>" in page  # nbconvert's HTML, as rendered
    assert page.index("INTRO_FRAGMENT") < page.index("class='rot-answer'") < page.index("BODY_FRAGMENT")
    assert '<a href="x.code.html">OTHER</a>' in page and "Show code" in page
    verdict = context["answer"]["verdicts"][0]
    for value in (verdict["status"], verdict["colour"], verdict["quote"], verdict["effect"], verdict["sample"],
                  f"(rule {verdict['rule']})"):
        assert html.escape(value, quote=False) in page  # text is escaped ("p &lt; 0.001")
    assert "Data as of 2026-08-21 &lt;b&gt;." in page
    assert '<a href="#part-one">Part &lt;one&gt;</a>' in page and 'href="#title"' not in page  # level 2 only
    assert "Parameters of this run (overrides given)" in page and "1990-01-01" in page
    assert context["css"] in page and context["extra_css"] in page


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


def test_answer_box_shows_a_state_claim_then_and_now(tmp_path):
    """A claim about the state in late 2023: its verdict then (at the commentary's date, on the data published
    by then) above its verdict now, each with its effect in its units and its sample."""
    ipynb = tmp_path / "99_test.ipynb"
    nbformat.write(notebook(), str(ipynb))
    out = tmp_path / "99_test.html"
    recs = {"verdicts.underwhelming": dated_verdict_record(), "verdicts.january_effect": verdict_record()}
    reports.render_report(ipynb, out, results=recs, data_as_of="2026-08-21")
    page = out.read_text(encoding="utf-8")
    start = page.index("<div class='rot-answer'>")
    box = page[start:page.index("<p class='rot-how'>Statuses", start)]
    under = _text(box[box.index("<li class='rot-dated'>"):box.index("</li>", box.index("<li class='rot-dated'>"))])
    assert under.startswith("Small caps have been underwhelming")
    then = under.index("then (2023-11-30) supported latest 1-year relative return, percentile: 5%")
    now = under.index("now (latest data) contradicted latest 1-year relative return, percentile: 74%")
    assert then < now  # then above now
    assert "ff30_vw, 1926-07-31 to 2023-10-31" in under[then:now] and "ff30_vw, 1926-07-31 to 2026-02-28" in under[now:]
    assert "thresholds 33% / 67%" in under  # the effect with its units
    assert "is decided <i>then</i>, on the data published by its date, and <i>now</i>" in page
    # a pattern claim keeps its one line
    assert "then (" not in _text(box[box.index("January is traditionally"):])
    # the report's box says what rotation.present.findings composes
    end = page.index("</div>", page.index("<p class='rot-how'>Statuses", start)) + len("</div>")
    expected = findings.answer_box_html(findings.records_from_results(recs), data_as_of="2026-08-21")
    assert _text(page[start:end]) == _text(expected)


def test_a_report_links_to_the_reports_before_and_after_it_in_the_run(tmp_path):
    assert reports.neighbours("b", ["a", "b", "c"]) == {"prev": {"href": "../a/a.html", "label": "a"},
                                                       "next": {"href": "../c/c.html", "label": "c"}}
    assert reports.neighbours("a", ["a"]) == {"prev": None, "next": None}
    assert reports.neighbours("x", ["a", "b"]) == {"prev": None, "next": None}  # not in the run: no guess
    ipynb = tmp_path / "99_test.ipynb"
    nbformat.write(notebook(), str(ipynb))
    out = tmp_path / "99_test.html"
    reports.render_report(ipynb, out, results={}, data_as_of=None, siblings=["98_before", "99_test", "a0_after"])
    page = out.read_text(encoding="utf-8")
    pager = page[page.index('<nav class="rot-pager"'):]
    assert '<a class="rot-prev" href="../98_before/98_before.html">&larr; 98_before</a>' in pager
    assert '<a class="rot-next" href="../a0_after/a0_after.html">a0_after &rarr;</a>' in pager
    reports.render_report(ipynb, out, results={}, data_as_of=None)
    assert '<nav class="rot-pager"' not in out.read_text(encoding="utf-8")


def test_findings_on_a_page_carry_anchors_and_coloured_badges_not_emoji():
    from rotation.evidence import rubric

    rec = verdict_record()
    v = rubric.Verdict(**{k: rec[k] for k in ("claim_id", "quote", "notebook", "status", "rule")},
                       reasons=tuple(rec["reasons"]), headline=None, sample=None, method="", evidence="")
    page, text = findings.render_findings([v], html=True), findings.render_findings([v])
    assert page.startswith(f'<a id="claim-{v.claim_id}"></a>') and "<span class='rot-status'" in page
    assert not any(mark in page for mark in ("✅", "🟡", "⚪", "❌", "❔", "➖"))
    assert "<a id=" not in text and any(mark in text for mark in ("✅", "🟡", "⚪", "❌", "❔", "➖"))


def test_method_terms_link_to_the_glossary_on_a_page_only():
    from rotation.evidence import rubric

    rec = verdict_record()
    v = rubric.Verdict(**{k: rec[k] for k in ("claim_id", "quote", "notebook", "status", "rule")},
                       reasons=(), headline=None, sample=rubric.Sample("ff30_vw", "1926-07-31", "2026-02-28", 10),
                       method="OLS on a January dummy, HAC (6 lags); block bootstrap over years", evidence="x")
    page, text = findings.render_findings([v], html=True), findings.render_findings([v])
    assert "[HAC](../glossary.html#Statistics) (6 lags)" in page
    assert "[block bootstrap](../glossary.html#Statistics) over years" in page
    assert "glossary.html" not in text and "HAC (6 lags)" in text
