"""A grid a signal stopped: what finished is kept, the rest recorded as interrupted, every combination with its page.

A combination that finished keeps its outcome. One that was running, or had not started, gets the status
``interrupted`` in ``grid.json``, and its folder a run page (``index.html``) that says so: its notebooks that
finished keep their files, the others get a manifest, an empty ``results.json`` and a report saying the run
was stopped (:func:`rotation.runner.execution.interrupted`). A single run needs none of this: the runner
records its interrupted notebooks itself and writes the page as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rotation.runner import interrupt
from rotation.runner.execution import claim_out_dir, interrupted, make_jobs, now
from rotation.runner.folder import RunRecord, read_run_record, write_run_record
from rotation.runner.html import write_run_page
from rotation.runner.parameters import plan_parameters
from rotation.runner.status import notebook_paths

__all__ = ["finish_interrupted_grid", "finish_interrupted_combo"]


def finish_interrupted_combo(names: Sequence[str], params: dict[str, object], out: str, kernel: str,
                             timeout: int | None) -> None:
    """Give the folder ``out`` of an interrupted combination its files and its run page (module docstring)."""
    folder = Path(out)
    notebooks = [Path(n) for n in names]
    jobs = make_jobs(notebooks, plan_parameters(notebooks, params), folder, kernel, timeout, None, {})
    claim_out_dir(folder)
    for job in jobs:
        if not notebook_paths(job.folder, job.notebook.stem).manifest.is_file():
            interrupted(job)
    if read_run_record(folder) is None:
        stamp = now()
        write_run_record(folder, RunRecord(notebooks=tuple(nb.stem for nb in notebooks), started=stamp,
                                           finished=stamp, kernel=kernel, given=dict(params)))
    write_run_page(folder)


def finish_interrupted_grid(combos: list[dict[str, Any]], todo: Sequence[tuple[int, tuple]]) -> None:
    """Mark the combinations of ``todo`` without an outcome (or with ``interrupted``) as interrupted and finish
    their folders; ``combos`` are the grid's ``grid.json`` entries, updated in place."""
    sig = interrupt.received()
    name = "a signal" if sig is None else interrupt.signal_name(sig)
    for i, args in todo:
        entry = combos[i]
        if entry.get("status") not in (None, interrupt.INTERRUPTED):
            continue
        names, params, out, kernel, timeout = args[:5]
        entry.update(status=interrupt.INTERRUPTED, notebooks=entry.get("notebooks", {}),
                     error=entry.get("error") or f"stopped by {name} before this combination finished")
        finish_interrupted_combo(names, params, out, kernel, timeout)
