"""Reading back what notebooks recorded: from a run folder, a notebook's run folder, or an executed .ipynb.

``rotation results`` prints them as a table (numbers rounded to 4 significant digits;
the project's returns are decimals, so 0.012 is 1.2%), or as JSON with ``--json``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from rotation import config
from rotation.errors import ParameterError
from rotation.outputs import RESULTS_FILE, notebook_results

__all__ = ["find_results", "format_results", "format_value"]

_MAX_ITEMS = 8  # entries of a dict or list shown before "... N more"
_MAX_ROWS = 24  # rows of a result table shown


def latest_run() -> Path:
    runs = sorted(p for p in config.runs_dir().glob("*") if p.is_dir())
    if not runs:
        raise ParameterError(f"no runs in {config.runs_dir()}; run `rotation run` first, or give a PATH")
    return runs[-1]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParameterError(f"cannot read {path}: {exc}; re-run the notebook") from None
    return values if isinstance(values, dict) else {}


def find_results(path: str | Path | None) -> list[tuple[str, dict[str, Any]]]:
    """``[(notebook, {name: value})]`` for a run folder, one notebook's folder, or an executed ``.ipynb``.

    Raises
    ------
    ParameterError
        The path does not exist or holds no results (the message says what it expected).
    """
    target = Path(path).expanduser() if path else latest_run()
    if target.suffix == ".ipynb":
        return [(target.stem, notebook_results(target))]
    if not target.is_dir():
        raise ParameterError(f"{target} does not exist; give a run folder, a notebook's run folder or an executed "
                             ".ipynb (e.g. runs/<timestamp> or out.ipynb)")
    if (target / RESULTS_FILE).is_file():
        return [(target.name, _read_json(target / RESULTS_FILE))]
    found = sorted(target.glob(f"*/{RESULTS_FILE}"))
    if found:
        return [(f.parent.name, _read_json(f)) for f in found]
    notebooks = sorted(target.glob("*.ipynb"))
    if notebooks:
        return [(nb.stem, notebook_results(nb)) for nb in notebooks]
    raise ParameterError(f"no {RESULTS_FILE} or executed notebook under {target}; give a run folder "
                         "(runs/<timestamp>) or an executed .ipynb")


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
