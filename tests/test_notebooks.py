"""Every committed notebook is clean and well-formed, and executes end to end on the snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean_and_well_formed(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    assert nb.cells[0].cell_type == "code" and "parameters" in nb.cells[0].metadata.get("tags", []), (
        "the first cell must be a code cell tagged 'parameters'"
    )
    for i, c in enumerate(code):
        assert not c.outputs and c.execution_count is None, f"code cell {i} has stored outputs: commit notebooks clean"
        src = c.source
        assert "\ndef " not in "\n" + src and "\nclass " not in "\n" + src, f"code cell {i} defines a function/class: move it to src/rotation"
    assert nb.metadata["kernelspec"]["language"] == "python"
    assert nb.metadata["language_info"]["name"] == "python"
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Findings" in md, "the notebook needs a closing '## Findings and caveats' section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_typed_and_documented(path: Path):
    from rotation.runner import notebook_parameters

    params = notebook_parameters(path)
    assert params, "the parameters cell declares nothing"
    for name, spec in params.items():
        assert spec.help, f"parameter {name!r} has no trailing comment explaining it"


@pytest.mark.notebook
def test_00_data_overview_runs_on_snapshot(snapshot_env: Path, tmp_path: Path):
    from rotation.runner import run_notebooks

    summary = run_notebooks(["00_data_overview"], out=tmp_path / "run", progress=False, kernel_name="python3")
    assert summary.ok, summary.to_text()
    folder = tmp_path / "run" / "00_data_overview"
    results = json.loads((folder / "results.json").read_text())
    assert results["proxy"] == "ff30_vw"
    assert results["sample.start"] == "1926-07-31"
    assert results["rows"]["size_vw_monthly"] == 1196
    assert results["last"]["IWM"] == "2026-07-10"  # intraday row cut as CI does
    assert (folder / "00_data_overview.html").stat().st_size > 10_000
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "ok"
    assert (tmp_path / "run" / "index.html").exists()
