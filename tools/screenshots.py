#!/usr/bin/env python
"""Screenshots of a run folder as a reader sees it, in headless Chromium.

    python tools/screenshots.py RUN_DIR [--out DIR] [--width 1400] [--height 900] [--full]

Writes ``index.png`` (the run page) and ``<stem>.png`` (each notebook report) into ``--out``
(default ``RUN_DIR/screenshots``); for a grid folder (``rotation run --grid``) also ``robustness.png``
and ``<combination>.index.png`` (each combination's run page). Prints what the browser measured on each
page: where the Answer box ends against the window height, how many code blocks are visible, whether
every contents link resolves, and the scorecard's row count. ``--full`` makes each image as tall as its
page (capped at 30,000 px). Needs Chromium (Debian: ``apt-get install -y chromium``; or set
``ROTATION_CHROMIUM``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rotation.present import browser


def _pages(run_dir: Path) -> list[tuple[str, Path]]:
    """(name, page) of the run page, a grid's robustness page, each combination's run page and each report."""
    pages = [(name, run_dir / f"{name}.html") for name in ("index", "robustness")
             if (run_dir / f"{name}.html").is_file()]
    for folder in sorted(p for p in run_dir.iterdir() if p.is_dir()):
        report = folder / f"{folder.name}.html"
        if report.is_file():
            pages.append((folder.name, report))
        if (folder / "index.html").is_file():  # a combination of a grid: its own run page
            pages.append((f"{folder.name}.index", folder / "index.html"))
    return pages


def _summary(name: str, seen: dict) -> str:
    """What the browser measured on one page, as one line."""
    first_screen = seen["viewport"]["height"]
    toc = seen.get("toc") or []
    broken = [t["href"] for t in toc if not t["resolves"]]
    is_report = name not in ("index", "robustness") and not name.endswith(".index")
    parts = []
    if is_report:
        answer = seen.get("answer")
        parts.append(f"answer box ends at {answer['bottom']:.0f} px of a {first_screen} px screen"
                     + ("" if answer["bottom"] <= first_screen else " (BELOW THE FIRST SCREEN)")
                     if answer else "no answer box")
    parts += [f"code visible {seen['code_visible']}/{seen['code_blocks']}",
              f"contents links {len(toc) - len(broken)}/{len(toc)} resolve"
              + (f" (broken: {broken})" if broken else ""),
              f"page {seen['page_height']} px"]
    if not is_report:
        parts.append(f"scorecard rows {seen['scorecard_rows']}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", type=Path, help="a run folder (runs/<timestamp> or rotation run --out)")
    ap.add_argument("--out", type=Path, default=None, help="where the PNGs go (default RUN_DIR/screenshots)")
    ap.add_argument("--width", type=int, default=browser.WINDOW[0])
    ap.add_argument("--height", type=int, default=browser.WINDOW[1])
    ap.add_argument("--full", action="store_true", help="capture each whole page, not only the first screen")
    args = ap.parse_args(argv)

    run_dir = args.run_dir.resolve()
    if not run_dir.is_dir():
        print(f"screenshots: {run_dir} is not a folder; pass a run folder such as runs/20260101-120000",
              file=sys.stderr)
        return 2
    if browser.find_chromium() is None:
        print("screenshots: no Chromium found; install it (Debian: apt-get install -y chromium) "
              "or set ROTATION_CHROMIUM", file=sys.stderr)
        return 2
    pages = _pages(run_dir)
    if not pages:
        print(f"screenshots: no index.html or <stem>/<stem>.html in {run_dir}", file=sys.stderr)
        return 2
    out = (args.out or run_dir / "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    window = (args.width, args.height)
    for name, page in pages:
        seen = browser.probe(page, window=window)
        height = min(int(seen["page_height"]), 30_000) if args.full else args.height
        png = browser.screenshot(page, out / f"{name}.png", window=(args.width, max(height, args.height)))
        print(f"{png.relative_to(out.parent) if out.parent in png.parents else png}: {_summary(name, seen)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
