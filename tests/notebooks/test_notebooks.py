"""Every committed notebook is clean and well-formed, and executes end to end on the snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from _helpers import flat

ROOT = Path(__file__).resolve().parents[2]
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
        assert "\ndef " not in "\n" + src and "\nclass " not in "\n" + src, (
            f"code cell {i} defines a function/class: move it to src/rotation")
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
    results = flat(json.loads((folder / "results.json").read_text()))
    assert results["proxy"] == "ff30_vw"
    assert results["sample.start"] == "1926-07-31"
    assert results["coverage.rows.size_vw_monthly.nobs"] == 1196
    assert results["coverage.rows.IWM.last"] == "2026-07-10"  # intraday row cut as CI does
    assert (folder / "00_data_overview.html").stat().st_size > 10_000
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "ok"
    assert (tmp_path / "run" / "index.html").exists()


REQUIRED_01 = [
    "proxy", "sample.start", "sample.end",
    *(f"standing.rows.{w}.{c}" for w in ("1 year", "3 years", "5 years") for c in ("estimate", "percentile")),
    "breakouts.n_episodes", "breakouts.forward.rows.6.estimate", "breakouts.forward.rows.6.ci_lower",
    "breakouts.forward.rows.12.estimate", "breakouts.forward.rows.12.ci_lower",
    "breakouts.forward.rows.12.ci_upper", "breakouts.false_rate.rows.rate.estimate",
    "blowoff.rows.blow-off.nobs", "blowoff.rows.blow-off.estimate", "levels.at_2000.breaks",
    "levels.at_2000.failures", *(f"verdicts.{c}.status" for c in ("underwhelming", "breakout_follow_through",
                                                                   "false_breakout", "blowoff", "resistance_2000")),
]


@pytest.mark.notebook
def test_01_relative_strength_two_proxies_and_deterministic(snapshot_env: Path, tmp_path: Path):
    """CI runs 01 for Ken French and IWM/SPY through the `rotation run` command; a re-run is byte-identical."""
    from rotation.cli import main

    for proxy in ("ff30_vw", "iwm_spy"):
        out = tmp_path / proxy
        code = main(["run", "01_relative_strength", "-p", f"proxy={proxy}", "--out", str(out), "--kernel", "python3",
                     "-q"])
        assert code == 0, (out / "01_relative_strength" / "manifest.json").read_text()
        res = flat(json.loads((out / "01_relative_strength" / "results.json").read_text()))
        missing = [k for k in REQUIRED_01 if k not in res]
        assert not missing, f"results.json lacks {missing}"
        assert res["proxy"] == proxy
        lo, hi = res["breakouts.forward.rows.12.ci_lower"], res["breakouts.forward.rows.12.ci_upper"]
        assert lo <= res["breakouts.forward.rows.12.estimate"] <= hi
        assert 0 <= res["breakouts.false_rate.rows.rate.estimate"] <= 1
        assert res["verdicts.breakout_follow_through.decision.horizon"] == 6  # declared with the claim
    # the 2,000-level study reads ^RUT whatever the proxy
    a = flat(json.loads((tmp_path / "ff30_vw" / "01_relative_strength" / "results.json").read_text()))
    b = flat(json.loads((tmp_path / "iwm_spy" / "01_relative_strength" / "results.json").read_text()))
    assert a["levels.at_2000.breaks"] == b["levels.at_2000.breaks"]
    assert a["sample.start"] == "1926-07-31" and b["sample.start"].startswith("2000-")

    again = tmp_path / "again"
    assert main(["run", "01_relative_strength", "-p", "proxy=iwm_spy", "--out", str(again), "--kernel", "python3",
                 "-q"]) == 0
    first = (tmp_path / "iwm_spy" / "01_relative_strength" / "results.json").read_bytes()
    assert (again / "01_relative_strength" / "results.json").read_bytes() == first


def test_run_refuses_unknown_and_mistyped_parameters(tmp_path: Path, capsys):
    from rotation.cli import main

    assert main(["run", "01_relative_strength", "-p", "proxi=iwm_spy", "--out", str(tmp_path / "x")]) == 1
    assert "unknown parameter 'proxi'" in capsys.readouterr().err
    assert main(["run", "01_relative_strength", "-p", "breakout_lookback=twelve", "--out", str(tmp_path / "y")]) == 1
    assert "must be int" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_the_same_parameters(path: Path, caplog):
    """`papermill --help-notebook` must see every parameter (a quote or '=' in a comment breaks its parser)."""
    import papermill

    from rotation.runner import notebook_parameters

    with caplog.at_level("WARNING"):
        inferred = papermill.inspect_notebook(str(path))
    assert set(inferred) == set(notebook_parameters(path))
    assert not [r for r in caplog.records if "Unable to parse" in r.getMessage()]


CHECK_SOURCE = "check_parameters(globals())"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_checked_right_after_the_parameters_cell(path: Path):
    """A plain `papermill -p proxy iwm_sp` must stop at once with the valid proxies, not deep in the notebook."""
    nb = nbformat.read(path, as_version=4)
    check = nb.cells[1]
    assert check.cell_type == "code" and CHECK_SOURCE in check.source, (
        "the cell after the parameters cell must call rotation.notebook.parameters.check_parameters(globals())"
    )
    assert "check-parameters" in check.metadata.get("tags", [])
    assert sum(CHECK_SOURCE in c.source for c in nb.cells if c.cell_type == "code") == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameter_defaults_pass_the_project_rules(path: Path):
    from rotation.notebook.parameters import check_value
    from rotation.runner import notebook_parameters

    for spec in notebook_parameters(path).values():
        check_value(spec, spec.default, path.stem)


@pytest.mark.notebook
def test_01_under_plain_papermill_keeps_its_results(snapshot_env: Path, tmp_path: Path, monkeypatch, capsys):
    """No runner: the results live in out.ipynb and `rotation results out.ipynb` reads them."""
    import papermill

    from rotation.cli import main
    from rotation.outputs import notebook_reads, notebook_results

    monkeypatch.delenv("ROTATION_RUN", raising=False)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS[1]), str(out), parameters={"proxy": "iwm_spy"}, kernel_name="python3",
                               progress_bar=False, cwd=str(tmp_path))
    results = notebook_results(out)
    values = flat(results)
    assert values["proxy"] == "iwm_spy" and not [k for k in REQUIRED_01 if k not in values]
    assert {"IWM", "SPY"} <= {r["dataset"] for r in notebook_reads(out)}
    assert "image/png" in out.read_text()  # MPLBACKEND=Agg in the tests: figures still kept
    capsys.readouterr()
    assert main(["results", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"out": results}
