"""Look at a rendered report the way a reader does: in headless Chromium.

Two things, both with the Chromium command line (no browser-automation package):

* :func:`screenshot` writes a PNG of a page at a given window size (1400 x 900: the first screen
  of a laptop), so a person can look (``tools/screenshots.py RUN_DIR``).
* :func:`probe` loads a page, lets the browser lay it out, and returns what a reader would see,
  measured by the browser itself: the window size, where the Answer box and the title are, how
  many code blocks are visible, whether each link of the contents resolves to an element, how
  many rows the claim scorecard has. A small script is added to a temporary copy of the page
  (next to the original, so relative links still work); Chromium's ``--dump-dom`` prints the DOM
  after the script ran, and the script left its measurements in it as JSON.

Chromium is found as ``$ROTATION_CHROMIUM``, else ``chromium``, ``chromium-browser``,
``google-chrome`` or ``headless_shell`` on the ``PATH`` (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from rotation.errors import RotationError

__all__ = ["find_chromium", "screenshot", "print_pdf", "probe", "WINDOW"]

WINDOW: tuple[int, int] = (1400, 900)
"""Default window (width, height) in CSS pixels: the first screen a reader sees."""

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell")


def find_chromium() -> str | None:
    """Path of a Chromium executable, or None when there is none (see the module docstring)."""
    env = os.environ.get("ROTATION_CHROMIUM", "").strip()
    if env:
        return env if Path(env).is_file() or shutil.which(env) else None
    for name in _CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(args: list[str], *, chromium: str | None, window: tuple[int, int], timeout: float) -> str:
    exe = chromium or find_chromium()
    if exe is None:
        raise RotationError("no Chromium found: install it (Debian: apt-get install -y chromium) "
                            "or set ROTATION_CHROMIUM to its path")
    with tempfile.TemporaryDirectory(prefix="rotation-chromium-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
               f"--window-size={window[0]},{window[1]}", "--virtual-time-budget=5000", *args]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RotationError(f"Chromium did not finish within {timeout:.0f} s: {' '.join(cmd)}") from None
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise RotationError(f"Chromium failed (exit {done.returncode}) on {args[-1]}:\n{tail}")
    return done.stdout


def print_pdf(page: Path, pdf: Path, *, chromium: str | None = None, timeout: float = 180) -> Path:
    """Print ``page`` to ``pdf`` as Chromium prints it (the page's print styles, no header or footer line)."""
    page, pdf = Path(page).resolve(), Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    _run([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], chromium=chromium, window=WINDOW,
         timeout=timeout)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RotationError(f"Chromium wrote no PDF of {page} to {pdf}")
    return pdf


def screenshot(page: Path, png: Path, *, window: tuple[int, int] = WINDOW, chromium: str | None = None,
               timeout: float = 90) -> Path:
    """Write a PNG of ``page`` as shown in a ``window`` (width, height) and return its path.

    A tall ``window`` (e.g. ``(1400, 6000)``) shows more of the page in one image.
    """
    page, png = Path(page).resolve(), Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    _run([f"--screenshot={png}", page.as_uri()], chromium=chromium, window=window, timeout=timeout)
    if not png.is_file():
        raise RotationError(f"Chromium wrote no screenshot of {page} to {png}")
    return png


_PROBE = r"""
<script>
(function () {
  function measure() {
    function rect(el) {
      if (!el) return null;
      var r = el.getBoundingClientRect();
      return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, height: r.height};
    }
    function visible(el) {
      if (el.checkVisibility) return el.checkVisibility({checkVisibilityCSS: true});
      return el.getClientRects().length > 0;
    }
    var code = Array.prototype.slice.call(document.querySelectorAll('.highlight pre, details.rot-code pre'));
    var toc = Array.prototype.slice.call(document.querySelectorAll('nav.rot-toc a[href^="#"]')).map(function (a) {
      var id = decodeURIComponent(a.getAttribute('href').slice(1));
      var target = document.getElementById(id);
      return {href: a.getAttribute('href'), text: a.textContent, resolves: !!target,
              top: target ? rect(target).top : null};
    });
    var out = {
      title: document.title,
      viewport: {width: window.innerWidth, height: window.innerHeight},
      page_height: document.documentElement.scrollHeight,
      page_width: document.documentElement.scrollWidth,
      h1: rect(document.querySelector('h1')),
      answer: rect(document.querySelector('.rot-answer')),
      probs: rect(document.querySelector('table.rot-probs')),
      code_blocks: code.length,
      code_visible: code.filter(visible).length,
      toc: toc,
      scorecard_rows: document.querySelectorAll('table.rot-scorecard tbody tr').length,
      scorecard_claims: Array.prototype.map.call(document.querySelectorAll('table.rot-scorecard tbody tr'),
                                                 function (tr) { return tr.getAttribute('data-claim'); }),
      images: document.querySelectorAll('img').length,
      // explorable charts, and how many Plotly drew (an svg inside) from the run folder's script
      explorable: document.querySelectorAll('.rot-explore').length,
      explorable_drawn: document.querySelectorAll('.rot-explore .plotly-graph-div .main-svg').length > 0 ?
        Array.prototype.filter.call(document.querySelectorAll('.rot-explore'), function (el) {
          return !!el.querySelector('.main-svg'); }).length : 0,
      // what a table shows a reader: cells in scientific notation or "p = 0.000", headers with an underscore
      bad_cells: Array.prototype.map.call(document.querySelectorAll('main td, main th'), function (c) {
        return c.textContent.trim(); }).filter(function (t) { return /e\+0|p = 0\.000/.test(t); }),
      underscore_headers: Array.prototype.map.call(document.querySelectorAll('main thead th'), function (c) {
        return c.textContent.trim(); }).filter(function (t) { return t.indexOf('_') >= 0; }),
      // every in-page link's target exists
      broken_anchors: Array.prototype.map.call(document.querySelectorAll('a[href^="#"]'), function (a) {
        return a.getAttribute('href'); }).filter(function (h) {
          return h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1))); }),
      images_without_alt: Array.prototype.filter.call(document.querySelectorAll('main img'), function (i) {
        var alt = (i.getAttribute('alt') || '').trim();
        return !alt || alt === 'chart' || alt.indexOf('No description') === 0 || alt.indexOf('without a title') >= 0;
      }).length
    };
    var pre = document.createElement('pre');
    pre.id = 'rotation-probe';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  if (document.readyState === 'complete') measure(); else window.addEventListener('load', measure);
})();
</script>
"""

_RESULT_RE = re.compile(r'<pre id="rotation-probe">(.*?)</pre>', re.DOTALL)


def probe(page: Path, *, window: tuple[int, int] = WINDOW, chromium: str | None = None,
          timeout: float = 90) -> dict[str, Any]:
    """What a reader sees of ``page`` in a ``window``, measured by Chromium after layout.

    Returns
    -------
    dict
        ``title``; ``viewport`` (width, height); ``page_height`` and ``page_width`` (wider than the
        viewport: the page scrolls sideways); ``h1``, ``answer`` and ``probs`` (the run page's table of
        probabilities)
        (``top``/``bottom``/``height`` in CSS pixels from the top of the page, or None);
        ``code_blocks`` and ``code_visible`` (code ``<pre>`` elements, and how many are shown);
        ``toc`` (per contents link: ``href``, ``text``, ``resolves``, ``top``);
        ``scorecard_rows`` and ``scorecard_claims``; ``images``; ``bad_cells`` (table cells in scientific
        notation or reading "p = 0.000"), ``underscore_headers`` (table headers with an underscore),
        ``broken_anchors`` (in-page links without a target), ``images_without_alt`` (no real alt text);
        ``explorable`` and ``explorable_drawn`` (explorable charts, and how many Plotly drew).
    """
    page = Path(page).resolve()
    text = page.read_text(encoding="utf-8")
    marker = "</body>"
    instrumented = text.replace(marker, _PROBE + marker, 1) if marker in text else text + _PROBE
    fd, tmp_name = tempfile.mkstemp(prefix=".probe-", suffix=".html", dir=page.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(instrumented)
        dom = _run(["--dump-dom", tmp.as_uri()], chromium=chromium, window=window, timeout=timeout)
    finally:
        tmp.unlink(missing_ok=True)
    m = _RESULT_RE.search(dom)
    if not m:
        raise RotationError(f"the probe script did not run in Chromium on {page} (no result in the DOM)")
    import html

    return json.loads(html.unescape(m.group(1)))
