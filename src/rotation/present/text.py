"""Plain-text tables for a terminal: ``rotation results`` and ``rotation results --grid``.

:func:`format_results` prints what notebooks recorded (numbers rounded to 4 significant digits; the
project's returns are decimals, so 0.012 is 1.2%); :func:`format_robustness` prints a robustness grid's
claims x combinations with each claim's consistency label. Both take plain data (what the runner read
from the run folder) and return text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from rotation.present.findings import brief_effect_text

__all__ = ["format_results", "format_value", "format_robustness"]

_MAX_ITEMS = 8  # entries of a dict or list shown before "... N more"
_MAX_ROWS = 24  # rows of a result table shown


def format_value(value: Any) -> str:
    """One readable cell: floats to 4 significant digits, short lists inline, dicts as ``key: value``."""
    if isinstance(value, bool) or value is None:
        return "n/a" if value is None else str(value).lower()
    if isinstance(value, float):
        return "n/a" if not math.isfinite(value) else f"{value:.4g}"
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, list):
        shown = ", ".join(format_value(v) for v in value[:_MAX_ITEMS])
        more = f", ... {len(value) - _MAX_ITEMS} more" if len(value) > _MAX_ITEMS else ""
        return f"[{shown}{more}]"
    if isinstance(value, dict):
        items = list(value.items())
        shown = "; ".join(f"{k}: {format_value(v)}" for k, v in items[:_MAX_ITEMS])
        more = f"; ... {len(items) - _MAX_ITEMS} more" if len(items) > _MAX_ITEMS else ""
        return "{" + shown + more + "}"
    return str(value)


def _is_verdict(value: Any) -> bool:
    return isinstance(value, dict) and "verdict" in value and "claim_id" in value


def _is_table(value: Any) -> bool:
    """A result object's record (rotation.stats.results): ``{"title", "units", "method", "rows": {...}}``."""
    return isinstance(value, dict) and isinstance(value.get("rows"), dict) and "method" in value


def _table_rows(rows: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for label, row in rows.items():
        name = f"{prefix}{label}"
        if isinstance(row, dict) and row and all(isinstance(v, dict) for v in row.values()):
            out += _table_rows(row, f"{name} / ")  # MultiIndex rows are nested
        elif isinstance(row, dict):
            out.append((name, row))
    return out


def _row_text(row: dict[str, Any]) -> str:
    parts = [format_value(row.get("estimate"))] if "estimate" in row else []
    if "ci_lower" in row or "ci_upper" in row:
        parts.append(f"[{format_value(row.get('ci_lower'))}, {format_value(row.get('ci_upper'))}]")
    for key, label in (("p_value", "p"), ("nobs", "n")):
        if row.get(key) is not None:
            parts.append(f"{label}={format_value(row[key])}")
    rest = {k: v for k, v in row.items() if k not in ("estimate", "ci_lower", "ci_upper", "p_value", "nobs",
                                                      "std_err", "t")}
    if rest:
        parts.append(format_value(rest))
    return "  ".join(parts)


def _lines(name: str, value: Any) -> list[tuple[str, str]]:
    """(name, text) rows for one recorded value: tables one row per line, groups flattened to dotted names."""
    if _is_verdict(value):
        return [(name, f"{value['verdict']} (claim {value['claim_id']})")]
    if _is_table(value):
        units = f" ({value['units']})" if value.get("units") else ""
        head = [(name, f"{value.get('title') or 'table'}{units}: estimate [interval] p n")]
        rows = _table_rows(value["rows"])
        body = [(f"  {label}", _row_text(row)) for label, row in rows[:_MAX_ROWS]]
        if len(rows) > _MAX_ROWS:
            body.append(("  ...", f"{len(rows) - _MAX_ROWS} more rows (--json)"))
        return head + body
    if isinstance(value, dict) and value:
        return [line for key, v in value.items() for line in _lines(f"{name}.{key}", v)]
    return [(name, format_value(value))]


def format_results(found: list[tuple[str, dict[str, Any]]], width: int = 110) -> str:
    """A table per notebook: name and value (result tables one row per line), cut to ``width`` characters."""
    blocks = []
    for notebook, values in found:
        lines = [f"== {notebook} ({len(values)} results)"]
        if not values:
            lines.append("(nothing recorded)")
        rows = [line for name in sorted(values) for line in _lines(name, values[name])]
        name_width = min(48, max([len("name")] + [len(k) for k, _ in rows]))
        for name, text in rows:
            line = f"{name:<{name_width}}  {text}"
            lines.append(line if len(line) <= width else line[: width - 3] + "...")
        blocks.append("\n".join(lines))
    blocks.append("Returns and rates are decimals (0.012 = 1.2%) unless a table names its units; n/a: not "
                  "computable; intervals in brackets. Full values and methods: --json.")
    return "\n\n".join(blocks)


# --------------------------------------------------------------------------- robustness grid


def _params_text(params: Mapping[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items())


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell_status(rec: Mapping[str, Any] | None, combo: Mapping[str, Any]) -> str:
    if rec:
        return str(rec.get("status"))
    return combo["status"] if combo["status"] != "ok" else "-"


def _cell_effect(rec: Mapping[str, Any] | None) -> str:
    """The headline effect [interval] as on the scorecard ("" without a record)."""
    return brief_effect_text(rec.get("headline")) if rec else ""


def format_robustness(rows: Sequence[Mapping[str, Any]], combos: Sequence[Mapping[str, Any]],
                      grid: Mapping[str, Sequence[Any]], legend: Mapping[str, str], width: int = 26) -> str:
    """The robustness table as text (``rotation results --grid``): claims x combinations.

    ``rows`` are :func:`rotation.evidence.consistency.robustness_rows`, ``combos`` the grid's combinations
    (``grid.json``), ``grid`` its names and values, ``legend`` the consistency labels and their meaning.
    Combinations are numbered ``[1]``... (listed first with their parameters and status); each claim
    takes two lines, its verdicts and then its headline effects [intervals], followed by the
    consistency label; the legend and the claims' wording follow the table.  Cells are cut to
    ``width`` characters.
    """
    n = {s: sum(c["status"] == s for c in combos) for s in ("ok", "skipped", "failed")}
    lines = ["Grid: " + "; ".join(f"{k} = {', '.join(map(str, v))}" for k, v in grid.items())
             + f" ({len(combos)} combinations: {n['ok']} ok, {n['skipped']} skipped, {n['failed']} failed)"]
    pw = max(len(_params_text(c["parameters"])) for c in combos) if combos else 0
    for i, c in enumerate(combos, 1):
        detail = c.get("reason") or c.get("error") or ""
        lines.append(f"  [{i}] {_params_text(c['parameters']):<{pw}}  {c['status']}{': ' + detail if detail else ''}")
    if not rows:
        lines.append("\nNo verdicts recorded in this grid (descriptive notebooks, or every combination failed).")
        return "\n".join(lines)
    cw = max([len("claim")] + [len(r["claim_id"]) for r in rows]) + 2
    widths = []
    for i, c in enumerate(combos):
        cells = [f"[{i + 1}]"]
        for r in rows:
            rec = r["cells"][c["label"]]
            cells += [_clip(_cell_status(rec, c), width), _clip(_cell_effect(rec), width)]
        widths.append(max(len(x) for x in cells))
    head = f"{'claim':<{cw}}" + "  ".join(f"{'[' + str(i + 1) + ']':<{w}}" for i, w in enumerate(widths))
    lines += ["", head + "  consistency", "-" * (len(head) + 13)]
    for r in rows:
        status = "  ".join(f"{_clip(_cell_status(r['cells'][c['label']], c), width):<{w}}"
                           for c, w in zip(combos, widths, strict=True))
        effect = "  ".join(f"{_clip(_cell_effect(r['cells'][c['label']]), width):<{w}}"
                           for c, w in zip(combos, widths, strict=True))
        dep = f" (depends on the proxy: {r['depends_on_proxy']})" if r["depends_on_proxy"] else ""
        lines.append(f"{r['claim_id']:<{cw}}{status}  {r['consistency']}{dep}")
        lines.append(f"{'  effect':<{cw}}{effect}".rstrip())
    lines.append("\nEffects: headline estimate [95% interval], as on the run page's scorecard; '-': the claim was "
                 "not decided in that combination.")
    lines.append("Consistency:")
    lines += [f"  {k}: {v}" for k, v in legend.items()]
    lines.append("Claims:")
    lines += [f"  {r['claim_id']}: {r['claim']}" for r in rows]
    return "\n".join(lines)
