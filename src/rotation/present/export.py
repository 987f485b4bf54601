"""Share a run: one PDF of the run page, every report and the reference pages (``rotation export RUN --pdf``).

Each page is printed by headless Chromium (:func:`rotation.present.browser.print_pdf`, the pages' print styles:
no toolbar, no code) and the PDFs are joined in reading order with pypdf: the run page, the reports in the run's
order, how verdicts are decided, the glossary. Without Chromium the command says how to install it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rotation.errors import RotationError
from rotation.present import browser
from rotation.present.docpages import DOC_PAGES

__all__ = ["run_pages", "export_pdf"]


def run_pages(run_dir: Path) -> list[Path]:
    """The pages of a run folder in reading order: ``index.html``, each ``<stem>/<stem>.html``, the reference pages."""
    run_dir = Path(run_dir)
    index = run_dir / "index.html"
    if not index.is_file():
        raise RotationError(f"{run_dir} is not a run folder (no index.html): pass a folder written by `rotation "
                            "run`, e.g. runs/20260101-120000")
    reports = sorted(p for p in run_dir.glob("*/*.html") if p.stem == p.parent.name)
    return [index, *reports, *(run_dir / name for name in DOC_PAGES if (run_dir / name).is_file())]


def export_pdf(run_dir: Path, out: Path | None = None, *, chromium: str | None = None) -> Path:
    """Write one PDF of the run (default ``<run>/rotation-<run name>.pdf``) and return its path."""
    from pypdf import PdfWriter

    run_dir = Path(run_dir).expanduser().resolve()
    pages = run_pages(run_dir)
    exe = chromium or browser.find_chromium()
    if exe is None:
        raise RotationError("rotation export --pdf prints the pages with headless Chromium, which is not installed. "
                            "Fix: install it (Debian/Ubuntu: apt-get install -y chromium; macOS: brew install "
                            "--cask chromium) or set ROTATION_CHROMIUM to a Chrome/Chromium executable.")
    target = Path(out).expanduser().resolve() if out else run_dir / f"rotation-{run_dir.name}.pdf"
    writer = PdfWriter()
    with tempfile.TemporaryDirectory(prefix="rotation-pdf-") as tmp:
        for i, page in enumerate(pages):
            pdf = browser.print_pdf(page, Path(tmp) / f"{i:03d}.pdf", chromium=exe)
            writer.append(str(pdf), outline_item=page.stem)
        part = target.with_name(f".{target.name}.part")
        with part.open("wb") as fh:
            writer.write(fh)
    part.replace(target)  # whole or not at all
    return target
