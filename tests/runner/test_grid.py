"""Robustness grids (rotation.runner.grid): checks before running, skips, failures, local vs Dask.

The grid folder's own files (grid.json, robustness.html, the run pages' grid flags) are tested in
test_robustness.py, the consistency labels in tests/evidence/test_consistency.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from rotation.errors import ParameterError
from rotation.runner import grid as grid_mod
from rotation.runner.grid import GridSummary, check_grid, combinations, combo_label, parse_grid, run_grid
from rotation.runner.robustness import format_robustness


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
              "from rotation.notebook import record\n"
              "assert n != 3, 'n=3 is the failing combination'\n"
              "record('twice', 2 * n)")
    _notebook(folder / "01_env.ipynb", "n: int = 1",
              "import os\nfrom rotation.notebook import record\n"
              "record('threads', os.environ.get('OPENBLAS_NUM_THREADS'))")
    return folder


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


def test_unreachable_scheduler_refused_before_running(nbdir, tmp_path, monkeypatch):
    pytest.importorskip("distributed", reason="the Dask part needs `distributed` (the [grid] extra)")
    from rotation.runner import grid as grid_mod

    monkeypatch.setattr(grid_mod, "DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(ParameterError, match="tcp://127.0.0.1:9: no Dask scheduler answered within 1s.*dask scheduler"):
        run_grid(["00"], {"n": ["1"]}, out=tmp_path / "g", executor="dask", scheduler="tcp://127.0.0.1:9",
                 progress=False, notebooks_dir=nbdir)
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


def test_one_blas_thread_per_kernel_and_environment_restored(nbdir, kernel, tmp_path, monkeypatch):
    """Combinations run in parallel, not their BLAS: one thread per kernel unless set; the caller's env is kept."""
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    summary = run_grid(["01_env"], {"n": ["1"]}, out=tmp_path / "g", jobs=1, kernel_name=kernel, progress=False,
                       notebooks_dir=nbdir, timeout=120)  # one combination: runs in this process
    assert summary.ok, summary.to_text()
    assert json.loads((tmp_path / "g/n-1/01_env/results.json").read_text())["threads"] == "1"
    import os

    assert "OPENBLAS_NUM_THREADS" not in os.environ


# --------------------------------------------------------------------------- folder names, sizes, jobs (issue 26)


def test_labels_that_would_collide_get_distinct_folders():
    """x/y, x?y and x y all read x_y once unsafe characters are replaced: a digest of the exact value tells them
    apart; a value that needs no replacing keeps its plain name; names differing only in case are told apart too."""
    combos = [{"label": v} for v in ("x/y", "x?y", "x y", "x_y", "X_Y", "a" * 300)]
    labels = grid_mod.combo_labels(combos)
    assert len({lab.casefold() for lab in labels}) == len(combos)
    assert labels[3] == "label-x_y" and labels[0].startswith("label-x_y_") and len(labels[0]) == len("label-x_y") + 9
    assert max(len(lab) for lab in labels) <= grid_mod.LABEL_MAX + 9
    assert grid_mod.combo_label({"label": "x/y"}) == labels[0]  # the same combination, the same folder


def test_colliding_grid_values_run_into_three_folders(nbdir, kernel, tmp_path):
    summary = run_grid(["00"], {"label": ["x/y", "x?y", "x y"]}, out=tmp_path / "g", jobs=2, kernel_name=kernel,
                       progress=False, notebooks_dir=nbdir, timeout=120)
    assert summary.ok, summary.to_text()
    folders = [c["folder"] for c in summary.combos]
    assert len(set(folders)) == 3
    for c in summary.combos:
        manifest = json.loads((tmp_path / "g" / c["folder"] / "00_toy/manifest.json").read_text())
        assert manifest["parameters"]["label"] == c["parameters"]["label"]


def test_a_grid_over_the_documented_size_needs_the_flag(nbdir, tmp_path):
    """25 x 20 = 500 combinations is refused before anything runs (no folder, no process), naming the flag."""
    grid = {"n": [str(i) for i in range(25)], "label": [f"v{i}" for i in range(20)]}
    with pytest.raises(ParameterError, match=r"500 combinations \(n: 25 values x label: 20 values\), more than 200"
                                             r".*--large-grid"):
        run_grid(["00"], grid, out=tmp_path / "g", jobs=1000, progress=False, notebooks_dir=nbdir)
    assert not (tmp_path / "g").exists()
    assert grid_mod.check_grid_size(grid, 1, allow_large=True) == 500
    assert grid_mod.check_grid_size({"n": ["1"] * grid_mod.GRID_MAX}, 1, allow_large=False) == grid_mod.GRID_MAX


def test_jobs_are_capped_at_the_cores(nbdir, kernel, tmp_path, monkeypatch, capsys):
    """--jobs 1000 on 2 cores runs 2 at a time, saying so; no pool ever gets more workers than cores."""
    from rotation.cli import main
    from rotation.runner import execution

    sizes: list[int] = []
    real = execution.cf.ProcessPoolExecutor

    def spy(*args, **kwargs):
        sizes.append(kwargs["max_workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(execution, "available_cores", lambda: 2)
    monkeypatch.setattr(grid_mod, "available_cores", lambda: 2)
    monkeypatch.setattr(execution.cf, "ProcessPoolExecutor", spy)
    assert execution.cap_jobs(1000) == (2, execution.cap_jobs(1000)[1]) and execution.cap_jobs(2) == (2, None)
    code = main(["run", str(nbdir / "00_toy.ipynb"), "--grid", "n=1,2,4", "--jobs", "1000", "--kernel", kernel,
                 "--out", str(tmp_path / "g"), "-q"])
    assert code == 0
    assert "--jobs 1,000 is more than the 2 core(s)" in capsys.readouterr().err
    assert sizes == [2]
    summary = grid_mod.run_grid(["00"], {"n": ["1", "2", "4"]}, out=tmp_path / "g2", jobs=1000, kernel_name=kernel,
                                progress=False, notebooks_dir=nbdir, timeout=120)  # the API caps too
    assert summary.ok and sizes == [2, 2]


# --------------------------------------------------------------------------- notebook 01, local and Dask

GRID_01 = {"proxy": ["ff30_vw", "iwm_spy"], "start": ["1926-07-31", "2001-01-31"]}
FAST_01 = {"null_reps": "20", "bootstrap_reps": "50"}


def _results(summary: GridSummary) -> dict[str, str]:
    return {c["label"]: (summary.out_dir / c["folder"] / "01_relative_strength" / "results.json").read_text()
            for c in summary.combos if c["status"] == "ok"}


@pytest.mark.notebook
@pytest.mark.snapshot
def test_grid_01_local_and_dask_agree(snapshot_env, kernel, tmp_path):
    """A 2x2 grid of notebook 01: iwm_spy from 1926 is skipped (IWM's data start in 2000); local == Dask."""
    local = run_grid(["01"], GRID_01, params=FAST_01, out=tmp_path / "local", jobs=2, kernel_name=kernel,
                     progress=False)
    status = {c["label"]: c["status"] for c in local.combos}
    assert status["proxy-iwm_spy__start-1926-07-31"] == "skipped", local.to_text()
    assert "after start=1926-07-31" in local.combos[2]["reason"]
    assert sum(s == "ok" for s in status.values()) == 3, local.to_text()
    text = format_robustness(local.out_dir)
    assert "[2] proxy=ff30_vw start=2001-01-31  ok" in text and "\nunderwhelming " in text, text
    page = (local.out_dir / "robustness.html").read_text()
    assert "Small caps have been underwhelming" in page and "rot-scorecard" in page
    for c in local.combos:
        if c["status"] == "ok":
            assert "href=\"../robustness.html\"" in (local.out_dir / c["folder"] / "index.html").read_text()

    distributed = pytest.importorskip("distributed", reason="the Dask part needs `distributed` (the [grid] extra)")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
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
    assert "[3] n=3 label=x  failed: 00_toy failed at cell 1" in printed, printed
    assert "No verdicts recorded in this grid" in printed


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


def test_cli_grid_on_a_dask_scheduler_and_worker(nbdir, kernel, tmp_path, capsys):
    """The README's one-machine example: `dask scheduler`, `dask worker ADDRESS`, then --executor dask."""
    import os
    import subprocess
    import sys
    import time

    distributed = pytest.importorskip("distributed", reason="the Dask part needs `distributed` (the [grid] extra)")
    from rotation.cli import main

    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip(f"no `dask` command beside {sys.executable}")
    info = tmp_path / "scheduler.json"
    env = dict(os.environ)  # the worker gets ROTATION_* from the client anyway (run_grid passes them along)
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(info)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        procs.append(subprocess.Popen([str(dask), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                       "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        out = tmp_path / "g"
        code = main(["run", str(nbdir / "00_toy.ipynb"), "--grid", "n=1,2", "--executor", "dask", "--scheduler",
                     address, "--out", str(out), "--kernel", kernel, "-q"])
        printed = capsys.readouterr().out
        assert code == 0, printed
        assert "2 ok, 0 skipped, 0 failed" in printed
        assert json.loads((out / "n-2/00_toy/results.json").read_text())["twice"] == 4
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
