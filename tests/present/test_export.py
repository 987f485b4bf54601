"""Share a run: one PDF of the run page, every report and the reference pages (rotation export RUN --pdf)."""

from __future__ import annotations

import pytest
from report_samples import run_notebooks

from rotation.errors import RotationError
from rotation.present import browser
from rotation.present import export as ex
from rotation.present.docpages import write_doc_pages
from rotation.present.pages import render_run_page

from _helpers import rotation_cli


def _run_folder(tmp_path):
    run = tmp_path / "20260101-000000"
    run.mkdir()
    (run / "index.html").write_text(render_run_page(run, run_notebooks()), encoding="utf-8")
    for stem in ("01_b", "00_a"):
        (run / stem).mkdir()
        (run / stem / f"{stem}.html").write_text(f"<html><body><h1>{stem}</h1></body></html>", encoding="utf-8")
        (run / stem / f"{stem}.code.html").write_text("<html></html>", encoding="utf-8")  # not a report page
    write_doc_pages(run)
    return run


def test_the_pages_are_read_in_order(tmp_path):
    run = _run_folder(tmp_path)
    assert [p.relative_to(run).as_posix() for p in ex.run_pages(run)] == [
        "index.html", "00_a/00_a.html", "01_b/01_b.html", "verdicts.html", "glossary.html"]
    with pytest.raises(RotationError, match="not a run folder"):
        ex.run_pages(tmp_path)


def test_without_chromium_the_message_says_how_to_install_it(tmp_path, monkeypatch):
    run = _run_folder(tmp_path)
    monkeypatch.setattr(ex.browser, "find_chromium", lambda: None)
    with pytest.raises(RotationError, match="apt-get install -y chromium"):
        ex.export_pdf(run)
    assert not list(run.glob("*.pdf"))


@pytest.mark.browser
@pytest.mark.skipif(browser.find_chromium() is None, reason="headless Chromium not installed")
def test_one_pdf_with_every_page_in_order(tmp_path):
    from pypdf import PdfReader

    run = _run_folder(tmp_path)
    out = ex.export_pdf(run)
    assert out == run / "rotation-20260101-000000.pdf" and out.read_bytes().startswith(b"%PDF")
    reader = PdfReader(str(out))
    assert [o.title for o in reader.outline] == ["index", "00_a", "01_b", "verdicts", "glossary"]
    assert len(reader.pages) >= 5
    assert "Will small caps" in reader.pages[0].extract_text() or "Claim scorecard" in reader.pages[0].extract_text()
    done = rotation_cli(tmp_path / "store", "export", str(run), "--pdf", "--out", str(tmp_path / "share.pdf"))
    assert done.returncode == 0 and "wrote" in done.stdout and (tmp_path / "share.pdf").is_file()
