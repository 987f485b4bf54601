"""A run folder read back as data (rotation.runner.folder): the run record and what the run page shows."""

from __future__ import annotations

import json

from rotation.runner.folder import (
    RunRecord,
    notebook_entry,
    read_run_record,
    run_meta,
    run_page_inputs,
    write_run_record,
)
from rotation.runner.provenance import RUN_MARKER, write_json

RECORD = RunRecord(notebooks=("01_b", "00_a"), started="2026-01-01T10:00:00+00:00",
                   finished="2026-01-01T10:05:00+00:00", kernel="rotation", git={"commit": "abc", "dirty": True},
                   given={"proxy": "iwm_spy", "n": [1, 2]})


def _manifest(folder, stem, **extra):
    (folder / stem).mkdir(parents=True)
    write_json(folder / stem / "manifest.json", {
        "notebook": stem, "title": f"{stem} title", "question": "**Question.** Why?", "status": "ok", "error": None,
        "seconds": 2.5, "parameters": {"start": "1926-07-31", "proxy": "iwm_spy"}, "kernel": "rotation",
        "parameter_order": ["start", "proxy"],
        "data": [{"acquired_at": "2026-01-01T00:00:00Z", "last": "2025-12-31"}],
        "kernel_python": {"executable": "/venv/bin/python"}, "started": "2026-01-01T10:00:05+00:00",
        "finished": "2026-01-01T10:01:00+00:00", "git": {"commit": "abc", "dirty": False}, **extra})


def test_run_record_round_trip_in_the_marker(tmp_path):
    write_run_record(tmp_path, RECORD)
    assert read_run_record(tmp_path) == RECORD
    data = json.loads((tmp_path / RUN_MARKER).read_text())
    assert data["written_by"] == "rotation run" and data["notebooks"] == ["01_b", "00_a"]
    (tmp_path / RUN_MARKER).write_text("a run folder written by `rotation run`\n")  # a marker from before
    assert read_run_record(tmp_path) is None
    assert read_run_record(tmp_path / "missing") is None


def test_run_page_inputs_follow_the_record(tmp_path):
    _manifest(tmp_path, "00_a")
    _manifest(tmp_path, "01_b", status="failed", error={"ename": "KeyError", "evalue": "x", "cell_index": 3})
    (tmp_path / "00_a" / "results.json").write_text(json.dumps({"n": 1}))
    _manifest(tmp_path, "02_stale")  # an earlier run's notebook in the same folder: not this run's
    write_run_record(tmp_path, RECORD)
    notebooks, meta, given = run_page_inputs(tmp_path)
    assert [nb["name"] for nb in notebooks] == ["01_b", "00_a"]  # the run's order
    b, a = notebooks
    assert a == {"name": "00_a", "title": "00_a title", "status": "ok", "seconds": 2.5,
                 "question": "**Question.** Why?", "results": {"n": 1}, "error": None,
                 "files": {"html": "00_a/00_a.html", "ipynb": "00_a/00_a.ipynb", "results.json": "00_a/results.json",
                           "manifest.json": "00_a/manifest.json"},
                 "parameters": {"start": "1926-07-31", "proxy": "iwm_spy"},
                 "data_as_of": "store snapshot of 2026-01-01; latest observation 2025-12-31"}
    assert list(a["parameters"]) == ["start", "proxy"]  # the notebook's order, though manifest.json sorts keys
    assert b["status"] == "failed" and b["error"]["ename"] == "KeyError" and b["results"] == {}
    assert meta == ("started 2026-01-01T10:00:00+00:00 · finished 2026-01-01T10:05:00+00:00 · kernel rotation "
                    "(/venv/bin/python) · commit abc (uncommitted changes)")
    assert given == {"proxy": "iwm_spy", "n": [1, 2]} and list(given) == ["proxy", "n"]  # in the order given


def test_a_folder_without_a_record_is_read_from_its_manifests(tmp_path):
    _manifest(tmp_path, "01_b")
    _manifest(tmp_path, "00_a", started="2026-01-01T09:00:00+00:00")
    notebooks, meta, given = run_page_inputs(tmp_path)
    assert [nb["name"] for nb in notebooks] == ["00_a", "01_b"] and given == {}
    assert meta.startswith("started 2026-01-01T09:00:00+00:00 · finished 2026-01-01T10:01:00+00:00 · kernel rotation")


def test_a_notebook_without_manifest_is_shown_failed(tmp_path):
    entry = notebook_entry(tmp_path, "05_gone")
    assert entry["status"] == "failed" and entry["results"] == {} and entry["title"] == ""
    assert run_meta(RunRecord(("x",), "s", "f", "k"), []) == "started s · finished f · kernel k (unknown) · " \
        "commit not a git checkout"
