"""A grid folder's own files: ``grid.json``, the robustness page, and the run pages told about their grid.

``grid.json`` holds the grid (name -> values) and its combinations with their outcomes (``label``,
``parameters``, ``folder``, ``status`` ok / skipped / failed, ``reason`` or ``error``). Once every
combination has run, :func:`write_grid_pages` reads each combination's verdict records back from its
``results.json`` files, compares them (:mod:`rotation.evidence.consistency`), writes ``robustness.html``
(:func:`rotation.present.pages.render_robustness_page`) and renders each combination's run page again
from its folder (:func:`rotation.runner.html.write_run_page`) with the grid's note and "depends on the
proxy" flags. ``rotation results --grid`` prints the same table (:func:`format_robustness`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rotation.errors import ParameterError
from rotation.evidence.consistency import CONSISTENCY, depends_on_proxy
from rotation.evidence.consistency import robustness_rows as consistency_rows
from rotation.present.findings import records_from_results
from rotation.present.pages import GridInfo, render_robustness_page
from rotation.present.text import format_robustness as format_robustness_text
from rotation.runner.html import RUN_PAGE, write_run_page
from rotation.runner.provenance import write_text

__all__ = ["GRID_FILE", "ROBUSTNESS_PAGE", "load_grid", "write_grid_file", "robustness_rows", "robustness_json",
           "robustness_html", "format_robustness", "write_grid_pages"]

GRID_FILE = "grid.json"
ROBUSTNESS_PAGE = "robustness.html"


def load_grid(out_dir: Path | str) -> dict[str, Any]:
    """The content of a grid folder's ``grid.json``: ``{"grid": {...}, "combinations": [...]}``.

    Raises
    ------
    ParameterError
        The folder has no ``grid.json`` (not a grid run), or it cannot be read.
    """
    path = Path(out_dir) / GRID_FILE
    if not path.is_file():
        raise ParameterError(f"{out_dir} is not a grid run folder (no {GRID_FILE}); give the folder that "
                             "`rotation run --grid ...` printed, or run one first")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParameterError(f"cannot read {path}: {exc}; re-run the grid") from None


def write_grid_file(out_dir: Path, grid: Mapping[str, Sequence[object]], combos: Sequence[Mapping[str, Any]]) -> None:
    """Write ``grid.json``: the grid and its combinations with their outcomes."""
    write_text(Path(out_dir) / GRID_FILE, json.dumps({"grid": grid, "combinations": combos}, indent=2, default=str))


def _verdict_records(out_dir: Path, combos: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[str, dict]]]:
    """Combination label -> (notebook stem, verdict record) found in its run folder's ``results.json`` files."""
    found: dict[str, list[tuple[str, dict]]] = {}
    for c in combos:
        if c["status"] == "skipped":
            continue
        for res in sorted((out_dir / c["folder"]).glob("*/results.json")):
            try:
                values = json.loads(res.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a damaged file: the combination's own run page says what happened
            records = records_from_results(values if isinstance(values, dict) else {})
            found.setdefault(c["label"], []).extend((res.parent.name, rec) for rec in records)
    return found


def robustness_rows(out_dir: Path | str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each claim's verdict record under every combination of a grid folder, and the combinations.

    Returns
    -------
    rows : list of dict
        :func:`rotation.evidence.consistency.robustness_rows`: one per claim decided in at least one
        combination, in the claims' order, with ``claim_id``, ``claim``, ``notebook``, ``cells``
        (combination label -> verdict record or None), ``consistency`` and ``depends_on_proxy``.
    combinations : list of dict
        ``grid.json``'s entries: ``label``, ``parameters``, ``status`` (ok / skipped / failed),
        ``folder`` and ``reason`` or ``error``.
    """
    out_dir = Path(out_dir)
    combos = load_grid(out_dir)["combinations"]
    return consistency_rows(_verdict_records(out_dir, combos), combos), combos


def robustness_json(out_dir: Path | str) -> dict[str, Any]:
    """The robustness table as plain data (``rotation results --grid --json``)."""
    rows, combos = robustness_rows(out_dir)
    return {"grid": load_grid(out_dir)["grid"], "combinations": combos, "claims": rows,
            "consistency_labels": CONSISTENCY}


def robustness_html(out_dir: Path | str) -> str:
    """The robustness page of a grid folder (see :func:`rotation.present.pages.render_robustness_page`)."""
    out_dir = Path(out_dir)
    rows, combos = robustness_rows(out_dir)
    return render_robustness_page(out_dir, rows, combos, grid=load_grid(out_dir)["grid"], legend=CONSISTENCY)


def format_robustness(out_dir: Path | str, width: int = 26) -> str:
    """The robustness table of a grid folder as text (see :func:`rotation.present.text.format_robustness`)."""
    rows, combos = robustness_rows(out_dir)
    return format_robustness_text(rows, combos, load_grid(out_dir)["grid"], CONSISTENCY, width=width)


def write_grid_pages(out_dir: Path | str) -> None:
    """Write ``robustness.html`` and render each combination's run page again with the grid's information.

    A combination's run page gets a note (its parameters, a link to ``../robustness.html``) and, on its
    scorecard, a "depends on the proxy" flag for every claim whose verdict changes with the proxy when the
    grid's other values are held fixed. Skipped combinations, and those that left no run page, are left alone.
    """
    out_dir = Path(out_dir)
    rows, combos = robustness_rows(out_dir)
    depends = depends_on_proxy(rows)
    for c in combos:
        folder = out_dir / c["folder"]
        if c["status"] == "skipped" or not (folder / RUN_PAGE).is_file():
            continue
        write_run_page(folder, GridInfo(robustness_href=f"../{ROBUSTNESS_PAGE}", parameters=c["parameters"],
                                        depends_on_proxy=depends))
    write_text(out_dir / ROBUSTNESS_PAGE, render_robustness_page(out_dir, rows, combos,
                                                                  grid=load_grid(out_dir)["grid"],
                                                                  legend=CONSISTENCY))
