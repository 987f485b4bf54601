"""Reading back what notebooks recorded: from a run folder, a notebook's run folder, or an executed .ipynb.

``rotation results`` prints them as a table (:func:`rotation.present.text.format_results`), or as JSON
with ``--json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rotation import config
from rotation.errors import ParameterError
from rotation.outputs import RESULTS_FILE, notebook_results

__all__ = ["find_results", "latest_run"]


def latest_run() -> Path:
    """The newest run folder under ``runs_dir()`` (by name: ``YYYYmmdd-HHMMSS``)."""
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
    expected = "give a run folder, a notebook's run folder or an executed .ipynb (e.g. runs/<timestamp> or out.ipynb)"
    if not target.exists():
        raise ParameterError(f"{target} does not exist; {expected}")
    if target.is_file() and target.suffix != ".ipynb":
        raise ParameterError(f"{target} is a file, not a run folder or an executed notebook (.ipynb); {expected}")
    if target.suffix == ".ipynb" and target.is_file():
        return [(target.stem, notebook_results(target))]
    if not target.is_dir():
        raise ParameterError(f"{target} is neither a folder nor a file (a device, a socket...); {expected}")
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
