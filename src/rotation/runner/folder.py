"""A run folder read back as data: what its run page shows, from the files the run wrote.

The run page (``index.html``) is always rendered from this data -- when a run ends, and again when a
robustness grid re-renders a combination's page with the grid's flags -- so the two renderings agree
and no written page is ever edited. The data:

* each notebook's ``manifest.json`` (status, error, seconds, effective parameters in their declaration
  order, the data it read, its title and question, the kernel's interpreter) and ``results.json``;
* the run record (:class:`RunRecord`): the run's own facts -- which notebooks, in what order, started,
  finished, kernel, git commit and the parameters given -- kept as JSON in the folder's marker file
  (:data:`rotation.runner.provenance.RUN_MARKER`), which also marks the folder as rotation's.

A folder without a readable record (written before records existed) is read from its manifests alone:
every notebook folder with a ``manifest.json``, times from the first start to the last finish, no
parameters given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rotation.present.report import data_as_of
from rotation.runner import provenance
from rotation.runner.status import notebook_paths

__all__ = ["RunRecord", "write_run_record", "read_run_record", "notebook_entry", "run_page_inputs", "run_meta"]


@dataclass(frozen=True)
class RunRecord:
    """The facts of a run its notebooks' files do not hold (see the module docstring)."""

    notebooks: tuple[str, ...]
    started: str
    finished: str
    kernel: str
    git: dict[str, Any] | None = None
    given: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunRecord:
        return cls(notebooks=tuple(str(n) for n in data["notebooks"]), started=str(data["started"]),
                   finished=str(data["finished"]), kernel=str(data["kernel"]), git=data.get("git"),
                   given=dict(data.get("given") or {}))


def write_run_record(out_dir: Path, record: RunRecord) -> None:
    """Write ``record`` into the run folder's marker file (JSON; the parameters given keep their order)."""
    text = json.dumps({"written_by": "rotation run", **asdict(record)}, indent=2, ensure_ascii=False, default=str)
    provenance.write_text(Path(out_dir) / provenance.RUN_MARKER, text + "\n")


def read_run_record(out_dir: Path) -> RunRecord | None:
    """The run record of a run folder, or None (no marker, or a marker from before records: plain text)."""
    try:
        data = json.loads((Path(out_dir) / provenance.RUN_MARKER).read_text(encoding="utf-8"))
        return RunRecord.from_dict(data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _parameters(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The effective parameters in the notebook's declaration order (``parameter_order``; sorted without it)."""
    params = dict(manifest.get("parameters") or {})
    order = [k for k in manifest.get("parameter_order") or [] if k in params]
    return {**{k: params[k] for k in order}, **params}


def notebook_entry(out_dir: Path, stem: str) -> dict[str, Any]:
    """One notebook of a run folder as the run page shows it (see :func:`rotation.present.pages.render_run_page`).

    A notebook without a readable manifest is shown as failed with what is left.
    """
    out_dir = Path(out_dir)
    paths = notebook_paths(out_dir / stem, stem)
    manifest = _read_json(paths.manifest)

    def rel(p: Path) -> str:
        return p.relative_to(out_dir).as_posix()

    return {
        "name": stem, "title": str(manifest.get("title") or ""), "status": manifest.get("status", "failed"),
        "seconds": manifest.get("seconds"), "question": str(manifest.get("question") or ""),
        "results": _read_json(paths.results), "error": manifest.get("error"),
        "files": {"html": rel(paths.html), "ipynb": rel(paths.ipynb), "results.json": rel(paths.results),
                  "manifest.json": rel(paths.manifest)},
        "parameters": _parameters(manifest), "data_as_of": data_as_of(manifest.get("data")),
        "kernel_python": (manifest.get("kernel_python") or {}).get("executable"),
        "timing": (manifest.get("started"), manifest.get("finished")), "kernel": manifest.get("kernel"),
        "git": manifest.get("git"),
    }


def _record_from_manifests(out_dir: Path) -> RunRecord:
    stems = sorted(p.parent.name for p in Path(out_dir).glob("*/manifest.json"))
    entries = [notebook_entry(out_dir, s) for s in stems]
    starts = [str(e["timing"][0]) for e in entries if e["timing"][0]]
    ends = [str(e["timing"][1]) for e in entries if e["timing"][1]]
    return RunRecord(notebooks=tuple(stems), started=min(starts, default="unknown"),
                     finished=max(ends, default="unknown"),
                     kernel=next((str(e["kernel"]) for e in entries if e["kernel"]), "unknown"),
                     git=next((e["git"] for e in entries if e["git"]), None))


def run_meta(record: RunRecord, pythons: Sequence[str]) -> str:
    """The run page's header line: started, finished, kernel (its interpreters) and git commit."""
    commit = "not a git checkout"
    if record.git:
        commit = f"{record.git.get('commit')}" + (" (uncommitted changes)" if record.git.get("dirty") else "")
    python = ", ".join(sorted(set(pythons))) or "unknown"
    return (f"started {record.started} · finished {record.finished} · kernel {record.kernel} ({python}) · "
            f"commit {commit}")


def run_page_inputs(out_dir: Path) -> tuple[list[dict[str, Any]], str, dict[str, Any]]:
    """(notebooks, meta, given) of a run folder: the arguments of :func:`rotation.present.pages.render_run_page`."""
    record = read_run_record(out_dir) or _record_from_manifests(out_dir)
    entries = [notebook_entry(out_dir, stem) for stem in record.notebooks]
    meta = run_meta(record, [e["kernel_python"] for e in entries if e["kernel_python"]])
    stopped = sum(e["status"] == "interrupted" for e in entries)
    if stopped:  # a signal stopped the run: the page says so first
        meta = f"INTERRUPTED: {stopped} of {len(entries)} notebook(s) did not finish · {meta}"
    drop = ("kernel_python", "timing", "kernel", "git")  # facts for the header, not for the sections
    notebooks = [{k: v for k, v in e.items() if k not in drop} for e in entries]
    return notebooks, meta, dict(record.given)
