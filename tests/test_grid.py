"""Robustness grids (rotation.runner.grid): checks before running, skips, failures, local vs Dask."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from rotation.errors import ParameterError
from rotation.runner import resolve_kernel
from rotation.runner.grid import (GridSummary, check_grid, combinations, combo_label, consistency, format_robustness,
                                  parse_grid, run_grid)


def _notebook(path: Path, params: str, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def nbdir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("grid-notebooks")
    _notebook(folder / "00_toy.ipynb", 'n: int = 1\nlabel: str = "a"',
              "from rotation.report import record\n"
              "assert n != 3, 'n=3 is the failing combination'\n"
              "record('twice', 2 * n)")
    return folder


@pytest.fixture(scope="module")
def kernel() -> str:
    try:
        return resolve_kernel("python3")
    except ParameterError as exc:  # pragma: no cover - environment problem
        pytest.skip(f"no python3 kernel: {exc}")


def test_parse_and_product():
    grid = parse_grid(["proxy=ff30_vw,iwm_spy", "start=1926-07-31,1963-07-31"])
    assert grid == {"proxy": ["ff30_vw", "iwm_spy"], "start": ["1926-07-31", "1963-07-31"]}
    combos = combinations(grid)
    assert len(combos) == 4 and combos[1] == {"proxy": "ff30_vw", "start": "1963-07-31"}
    assert combo_label(combos[1]) == "proxy-ff30_vw__start-1963-07-31"
    assert parse_grid({"n": [1, 2]}) == {"n": [1, 2]}


@pytest.mark.parametrize("items, needle", [(["proxy="], "empty value list"), (["proxy"], "NAME=V1,V2"),
                                           (["n=1", "n=2"], "given twice"), (["n=1,,2"], "empty value .position 2"),
                                           (["=1,2"], "no name"), ({"n": None}, "'n' has an empty value list"),
                                           ({"n": []}, "empty value list"), ({"n": {"a": 1}}, "list of values")],
                         ids=["empty-list", "no-equals", "twice", "empty-item", "no-name", "yaml-none", "yaml-empty",
                              "yaml-mapping"])
def test_parse_refuses(items, needle):
    with pytest.raises(ParameterError, match=needle):
        parse_grid(items)


def test_bad_grids_name_the_value(nbdir):
    nb = [nbdir / "00_toy.ipynb"]
    with pytest.raises(ParameterError, match="nn=.*unknown parameter 'nn'"):
        check_grid(nb, {"nn": ["1"]})
    with pytest.raises(ParameterError, match="n='x'"):
        check_grid(nb, {"n": ["1", "x"]})
    with pytest.raises(ParameterError, match="both fixed"):
        check_grid(nb, {"n": ["1"]}, {"n": "2"})
    check_grid(nb, {"n": ["1", "2"], "label": ["b"]})


def test_bad_proxy_refused_before_running(tmp_path):
    with pytest.raises(ParameterError, match="proxy='nope'"):
        run_grid(["00"], {"proxy": ["ff30_vw", "nope"]}, out=tmp_path / "g", progress=False)
    assert not (tmp_path / "g").exists()


@pytest.mark.parametrize("kwargs, needle", [({"grid": {}}, "no parameters"),
                                            ({"jobs": 0}, "jobs must be a positive integer, got 0"),
                                            ({"executor": "spark"}, "executor must be 'local' or 'dask'"),
                                            ({"executor": "dask"}, "needs --scheduler")],
                         ids=["empty-grid", "jobs-0", "executor", "dask-no-scheduler"])
def test_run_grid_refuses_before_running(nbdir, tmp_path, kwargs, needle):
    args = {"grid": {"n": ["1"]}, **kwargs}
    with pytest.raises(ParameterError, match=needle):
        run_grid(["00"], out=tmp_path / "g", progress=False, notebooks_dir=nbdir, **args)
    assert not (tmp_path / "g").exists()


def test_failing_combination_does_not_stop_others(nbdir, kernel, tmp_path):
    summary = run_grid(["00"], {"n": ["1", "3", "2"]}, out=tmp_path / "g", jobs=2, kernel_name=kernel,
                       progress=False, notebooks_dir=nbdir, timeout=120)
    status = {c["label"]: c["status"] for c in summary.combos}
    assert status == {"n-1": "ok", "n-3": "failed", "n-2": "ok"}
    failed = next(c for c in summary.combos if c["status"] == "failed")
    assert "cell 1" in failed["error"] and "AssertionError" in failed["error"]
    assert json.loads((tmp_path / "g/n-2/00_toy/results.json").read_text())["twice"] == 4
    assert "2 ok, 0 skipped, 1 failed" in summary.to_text()
    assert (tmp_path / "g/robustness.html").is_file() and (tmp_path / "g/grid.json").is_file()


def test_consistency_labels():
    def rec(status, est):
        return {"status": status, "headline": {"estimate": est}}
    assert consistency([rec("supported", 1), rec("supported", 2)]) == "same verdict everywhere"
    assert consistency([rec("supported", 1), rec("inconclusive", 0.2)]) == "sign stable, significance varies"
    assert consistency([rec("supported", 1), rec("contradicted", -1)]) == "flips"


# --------------------------------------------------------------------------- notebook 01, local and Dask

GRID_01 = {"proxy": ["ff30_vw", "iwm_spy"], "start": ["1926-07-31", "2001-01-31"]}
FAST_01 = {"null_reps": "20", "bootstrap_reps": "50"}


def _results(summary: GridSummary) -> dict[str, str]:
    return {c["label"]: (summary.out_dir / c["folder"] / "01_relative_strength" / "results.json").read_text()
            for c in summary.combos if c["status"] == "ok"}


def test_grid_01_local_and_dask_agree(snapshot_env, kernel, tmp_path):
    """A 2x2 grid of notebook 01: iwm_spy from 1926 is skipped (IWM's data start in 2000); local == Dask."""
    local = run_grid(["01"], GRID_01, params=FAST_01, out=tmp_path / "local", jobs=2, kernel_name=kernel,
                     progress=False)
    status = {c["label"]: c["status"] for c in local.combos}
    assert status["proxy-iwm_spy__start-1926-07-31"] == "skipped", local.to_text()
    assert "after start=1926-07-31" in local.combos[2]["reason"]
    assert sum(s == "ok" for s in status.values()) == 3, local.to_text()
    text = format_robustness(local.out_dir)
    assert "proxy-ff30_vw__start-2001-01-31" in text

    distributed = pytest.importorskip("distributed", reason="the Dask part needs `distributed` (the [grid] extra)")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = run_grid(["01"], GRID_01, params=FAST_01, out=tmp_path / "dask", executor="dask", client=client,
                          kernel_name=kernel, progress=False)
    assert [c["status"] for c in remote.combos] == [c["status"] for c in local.combos]
    a, b = _results(local), _results(remote)
    assert a.keys() == b.keys() and len(a) == 3
    for label in a:
        assert json.loads(a[label]) == json.loads(b[label]), label


# --------------------------------------------------------------------------- the command line


def test_cli_grid_from_yaml_file_and_flag(nbdir, kernel, tmp_path, capsys):
    """`grid:` in -f and --grid combine; `results --grid` reads the folder back; exit code 1 on a failed one."""
    from rotation.cli import main

    params = tmp_path / "grid.yaml"
    params.write_text("grid:\n  n: [1, 3]\n", encoding="utf-8")
    out = tmp_path / "g"
    code = main(["run", str(nbdir / "00_toy.ipynb"), "-f", str(params), "--grid", "label=x,y", "--jobs", "2",
                 "--out", str(out), "--kernel", kernel, "-q"])
    printed = capsys.readouterr().out
    assert code == 1, printed
    assert "n-1__label-x" in printed and "2 ok, 0 skipped, 2 failed" in printed
    assert json.loads((out / "n-1__label-y/00_toy/results.json").read_text())["twice"] == 2
    assert main(["results", "--grid", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "n-3__label-x" in printed and "failed" in printed


@pytest.mark.parametrize("argv, needle", [
    (["--grid", "n=1", "-p", "n=2"], "both fixed"),
    (["--executor", "dask"], "--executor/--scheduler run the combinations of a grid"),
    (["--grid", "n=1", "--executor", "dask"], "needs --scheduler"),
    (["--grid", "n=1,x"], "grid value n='x' is refused"),
], ids=["fixed-and-grid", "executor-without-grid", "dask-without-scheduler", "bad-type"])
def test_cli_grid_refusals(nbdir, tmp_path, capsys, argv, needle):
    from rotation.cli import main

    code = main(["run", str(nbdir / "00_toy.ipynb"), *argv, "--out", str(tmp_path / "g"), "-q"])
    assert code != 0
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "g").exists()


def test_cli_grid_key_in_file_must_be_a_mapping(nbdir, tmp_path, capsys):
    from rotation.cli import main

    params = tmp_path / "p.yaml"
    params.write_text("grid: [1, 2]\n", encoding="utf-8")
    assert main(["run", str(nbdir / "00_toy.ipynb"), "-f", str(params), "--out", str(tmp_path / "g"), "-q"]) != 0
    assert "must be a mapping" in capsys.readouterr().err
