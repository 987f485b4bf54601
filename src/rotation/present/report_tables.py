"""Tables of a reader's report tidied where they were printed raw (nbconvert output, one fragment at a time).

In pandas' own HTML tables (``class="dataframe"``) each float column gets one number of decimals chosen
from its typical magnitude (three significant digits, integers without decimals) and a default
``0, 1, 2, ...`` row index is dropped; in every table ``YYYY-MM-DD 00:00:00`` loses its midnight,
``NaN``/``<NA>``/``NaT``/``None`` become a dash, and number, date and missing cells get the classes
``rot-num``, ``rot-date`` and ``rot-na`` (right-aligned numbers; a header over a numeric column too).

This is the report's table post-processing (:func:`rotation.present.reader.reader_notebook` applies it to
every ``text/html`` output before nbconvert renders the notebook); it works on the HTML a cell printed,
never on a finished page.
"""

from __future__ import annotations

import html
import math
import re
import statistics
from collections.abc import Sequence

__all__ = ["format_tables", "NA_TEXT"]

NA_TEXT = "–"
"""What a missing value shows as (in tables and on the robustness page)."""

_FLOAT_RE = re.compile(r"^-?(?:\d+\.\d+(?:e[+-]?\d+)?|\d+e[+-]?\d+|inf)$", re.IGNORECASE)
_MISSING = {"nan", "<na>", "nat", "none"}
_ROW_RE = re.compile(r"(<tr\b[^>]*>)(.*?)(</tr>)", re.DOTALL | re.IGNORECASE)
_CELL_RE = re.compile(r"(<t([dh])\b[^>]*>)(.*?)(</t\2>)", re.DOTALL | re.IGNORECASE)
_TABLE_RE = re.compile(r"<table\b[^>]*>.*?</table>", re.DOTALL | re.IGNORECASE)
_MIDNIGHT_RE = re.compile(r"\b(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?\b")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?%?$|^[+-]?\.\d+%?$",
                        re.IGNORECASE)
_DATE_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?(?:[ T][\d:.]+Z?)?$")


def _with_class(tag: str, cls: str) -> str:
    """``<td ...>`` with ``cls`` added to its class attribute."""
    if not cls:
        return tag
    if re.search(r"\sclass=\"", tag):
        return re.sub(r"(\sclass=\")", rf"\1{cls} ", tag, count=1)
    return tag[:-1] + f' class="{cls}">'


def _plain_range_index(rows: Sequence[Sequence[re.Match[str]]]) -> bool:
    """True when a pandas table's row labels are 0, 1, 2, ... under an empty corner cell."""
    body = [cells for cells in rows if cells and any(c.group(2).lower() == "d" for c in cells)]
    heads = [cells for cells in rows if cells and not any(c.group(2).lower() == "d" for c in cells)]
    if not body or len(heads) != 1 or html.unescape(heads[0][0].group(3)).strip():
        return False
    for i, cells in enumerate(body):
        first = cells[0]
        if first.group(2).lower() != "h" or "rowspan" in first.group(1) or first.group(3).strip() != str(i):
            return False
    return True


def _decimals(values: Sequence[float]) -> int:
    """Decimals for a float column: 3 significant digits of its typical (median absolute non-zero) value,
    at least one of its smallest non-zero value (up to 4 decimals), at most 6; 0 for whole numbers."""
    if all(v == int(v) for v in values if math.isfinite(v)):
        return 0
    nonzero = [abs(v) for v in values if math.isfinite(v) and v != 0]
    if not nonzero:
        return 0
    typical = 2 - math.floor(math.log10(statistics.median(nonzero)))
    smallest = 1 - math.floor(math.log10(min(nonzero)))  # the smallest value keeps one digit (up to 4 dp)
    return max(0, min(6, max(typical, min(4, smallest))))


def _format_number(v: float, decimals: int) -> str:
    if not math.isfinite(v):
        return NA_TEXT if math.isnan(v) else ("∞" if v > 0 else "-∞")
    big = abs(v) >= 10_000
    return f"{v:,.{decimals}f}" if big else f"{v:.{decimals}f}"


def _format_table(table: str) -> str:
    is_pandas = 'class="dataframe"' in table
    rows = [list(_CELL_RE.finditer(m.group(2))) for m in _ROW_RE.finditer(table)]
    # Float columns of a pandas table: position among the <td>s of a row (index cells are <th>).
    decimals: dict[int, int] = {}
    if is_pandas:
        columns: dict[int, list[str]] = {}
        for cells in rows:
            for j, c in enumerate(c for c in cells if c.group(2).lower() == "d"):
                columns.setdefault(j, []).append(html.unescape(c.group(3)).strip())
        for j, texts in columns.items():
            present = [t for t in texts if t.lower() not in _MISSING and t]
            if present and all(_FLOAT_RE.match(t) for t in present) and any("." in t or "e" in t.lower()
                                                                             for t in present):
                decimals[j] = _decimals([float(t) for t in present])

    drop_index = is_pandas and _plain_range_index(rows)
    # Header cells over numeric columns are right-aligned like their numbers (simple headers only).
    body_rows = [cells for cells in rows if any(c.group(2).lower() == "d" for c in cells)]
    numeric: set[int] = set()
    n_label_cells = 0
    if body_rows:
        n_label_cells = sum(c.group(2).lower() == "h" for c in body_rows[0])
        by_col: dict[int, list[str]] = {}
        for cells in body_rows:
            for j, c in enumerate(c for c in cells if c.group(2).lower() == "d"):
                by_col.setdefault(j, []).append(html.unescape(c.group(3)).strip())
        for j, texts in by_col.items():
            present = [t for t in texts if t and t.lower() not in _MISSING]
            if present and all(_FLOAT_RE.match(t) or _NUMBER_RE.match(t) for t in present):
                numeric.add(j)

    def fix_row(m: re.Match[str]) -> str:
        td_index = -1
        dropped = not drop_index
        is_header = "<td" not in m.group(2).lower() and "colspan" not in m.group(2).lower()
        position = -1

        def fix_cell(c: re.Match[str]) -> str:
            nonlocal td_index, dropped, position
            is_td = c.group(2).lower() == "d"
            if not dropped:
                dropped = True
                return ""  # the 0, 1, 2, ... row labels of a default RangeIndex say nothing
            position += 1
            if is_td:
                td_index += 1
            elif is_header and (position - n_label_cells + (1 if drop_index else 0)) in numeric:
                return _with_class(c.group(1), "rot-num") + c.group(3) + c.group(4)
            raw = c.group(3)
            text = html.unescape(raw).strip()
            if text.lower() in _MISSING:
                new, kind = NA_TEXT, "rot-na"
            elif is_td and td_index in decimals and _FLOAT_RE.match(text):
                new, kind = _format_number(float(text), decimals[td_index]), "rot-num"
            else:
                new = _MIDNIGHT_RE.sub(r"\1", raw)
                plain = html.unescape(new).strip()
                kind = ("rot-num" if _NUMBER_RE.match(plain) else "rot-date" if _DATE_RE.match(plain) else "")
                return _with_class(c.group(1), kind) + new + c.group(4)
            return _with_class(c.group(1), kind) + html.escape(new, quote=False) + c.group(4)

        return m.group(1) + _CELL_RE.sub(fix_cell, m.group(2)) + m.group(3)

    return _ROW_RE.sub(fix_row, table)


def format_tables(fragment: str) -> str:
    """Tidy every ``<table>`` of an HTML fragment (see the module docstring); other markup is kept."""
    if "<table" not in fragment:
        return fragment
    return _TABLE_RE.sub(lambda m: _format_table(m.group(0)), fragment)
