"""The reference pages shipped in a run folder: how verdicts are decided, and the glossary."""

from __future__ import annotations

import re

import pytest

from rotation.evidence.rubric import RUBRIC
from rotation.present import browser
from rotation.present.docpages import DOC_PAGES, write_doc_pages


def test_the_run_folder_explains_its_verdicts_and_terms(tmp_path):
    written = write_doc_pages(tmp_path)
    assert [p.name for p in written] == list(DOC_PAGES) == ["verdicts.html", "glossary.html"]
    verdicts = (tmp_path / "verdicts.html").read_text(encoding="utf-8")
    glossary = (tmp_path / "glossary.html").read_text(encoding="utf-8")
    assert "<title>How verdicts are decided</title>" in verdicts and '<a href="index.html">&larr; run</a>' in verdicts
    assert "not supported" in verdicts and RUBRIC["R5"].split(":")[0] in verdicts
    for term in ("HAC errors", "Hodrick 1B", "Holm adjustment", "Block bootstrap", "Out-of-sample R²",
                 "Clark-West", "Brier skill", "ff30_vw"):
        assert term in glossary, term
    # every link from the glossary into the verdicts page lands on a heading there
    for anchor in re.findall(r'href="verdicts\.html#([^"]+)"', glossary):
        assert f'id="{anchor}"' in verdicts, anchor


def test_without_the_docs_the_pages_say_where_to_read_them(tmp_path):
    (tmp_path / "out").mkdir()
    write_doc_pages(tmp_path / "out", docs_dir=tmp_path / "none")
    page = (tmp_path / "out" / "glossary.html").read_text(encoding="utf-8")
    assert "has no <code>docs/glossary.md</code>" in page


@pytest.mark.browser
@pytest.mark.skipif(browser.find_chromium() is None, reason="headless Chromium not installed")
def test_the_reference_pages_fit_a_phone(tmp_path):
    for page in write_doc_pages(tmp_path):
        for window in ((1280, 800), (390, 987)):
            seen = browser.probe(page, window=window)
            assert seen["page_width"] <= seen["viewport"]["width"], (page.name, window)  # wide tables scroll inside
            assert seen["broken_anchors"] == [], page.name
