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
from rotation.report import RESULTS_FILE, notebook_results

__all__ = ["find_results", "format_results", "format_value"]

_MAX_ITEMS = 8  # entries of a dict or list shown before "... N more"


def _latest_run() -> Path:
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
    target = Path(path).expanduser() if path else _latest_run()
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
        if "verdict" in value and "claim_id" in value:  # a verdict record: its answer, not its innards
            return f"{value['verdict']} ({value.get('claim_id')})"
        items = list(value.items())
        shown = "; ".join(f"{k}: {format_value(v)}" for k, v in items[:_MAX_ITEMS])
        more = f"; ... {len(items) - _MAX_ITEMS} more" if len(items) > _MAX_ITEMS else ""
        return "{" + shown + more + "}"
    return str(value)


def format_results(found: list[tuple[str, dict[str, Any]]], width: int = 110) -> str:
    """A table per notebook: name and value, values cut to ``width`` characters."""
    blocks = []
    for notebook, values in found:
        lines = [f"== {notebook} ({len(values)} results)"]
        if not values:
            lines.append("(nothing recorded)")
        name_width = max([len("name")] + [len(k) for k in values])
        for name in sorted(values):
            text = format_value(values[name])
            if len(text) > width:
                text = text[: width - 3] + "..."
            lines.append(f"{name:<{name_width}}  {text}")
        blocks.append("\n".join(lines))
    blocks.append("Returns and rates are decimals (0.012 = 1.2%); n/a: not computable. Full values: --json.")
    return "\n\n".join(blocks)
