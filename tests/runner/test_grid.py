"""Robustness grids (rotation.runner.grid): checks before running, skips, failures, local vs Dask."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from rotation.errors import ParameterError
from rotation.runner.grid import (
    GridSummary,
    check_grid,
    combinations,
    combo_label,
    consistency,
    format_robustness,
    parse_grid,
    run_grid,
)


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


def test_consistency_labels():
    def rec(status, est):
        return {"status": status, "headline": {"estimate": est}}
    assert consistency([rec("supported", 1), rec("supported", 2)]) == "same verdict everywhere"
    assert consistency([rec("supported", 1), rec("inconclusive", 0.2)]) == "sign stable, significance varies"
    assert consistency([rec("supported", 1), rec("contradicted", -1)]) == "flips"
    assert consistency([rec("supported", 1), None]) == "one combination only"
    assert consistency([rec("supported", 1), rec("inconclusive", None)]) == "verdict varies"
    assert consistency([None, None]) == "not run"


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


# --------------------------------------------------------------------------- the robustness page and table


def _verdict(claim_id: str, status: str, est: float, lo: float, hi: float) -> dict:
    return {"claim_id": claim_id, "quote": "q", "status": status, "rule": "R7",
            "headline": {"label": "x", "estimate": est, "units": "decimal relative return per month", "scale": "return",
                         "ci_lower": lo, "ci_upper": hi, "p_value": None, "nobs": 50, "null": 0.0,
                         "thresholds": None, "level": 0.95, "median": None, "share_positive": None}}


@pytest.fixture
def fake_grid(tmp_path) -> Path:
    """A grid folder written by hand: proxy x start, iwm_spy from 1926 skipped, two claims of notebook 01."""
    from rotation.present.report import render_run_page

    out = tmp_path / "grid"
    verdicts = {  # label -> (underwhelming, breakout_follow_through)
        "proxy-ff30_vw__start-1926-07-31": (("supported", 0.012, 0.004, 0.02), ("supported", 0.01, 0.002, 0.02)),
        "proxy-ff30_vw__start-2001-01-31": (("supported", 0.011, 0.003, 0.02), ("not supported", 0.004, -0.002, 0.01)),
        "proxy-iwm_spy__start-2001-01-31": (("supported", 0.009, 0.001, 0.02), ("contradicted", -0.01, -0.02, -0.003)),
    }
    combos = []
    for proxy in ("ff30_vw", "iwm_spy"):
        for start in ("1926-07-31", "2001-01-31"):
            label = combo_label({"proxy": proxy, "start": start})
            entry = {"label": label, "parameters": {"proxy": proxy, "start": start}, "folder": label}
            if label not in verdicts:
                entry.update(status="skipped", reason="proxy 'iwm_spy' has data from 2000-05-31 only")
            else:
                entry.update(status="ok", error="", notebooks={"01_relative_strength": "ok"})
                folder = out / label / "01_relative_strength"
                folder.mkdir(parents=True)
                (u, b) = verdicts[label]
                values = {"verdicts.underwhelming": _verdict("underwhelming", *u),
                          "verdicts.breakout_follow_through": _verdict("breakout_follow_through", *b)}
                (folder / "results.json").write_text(json.dumps(values))
                nb = {"name": "01_relative_strength", "status": "ok", "seconds": 1.0, "question": "", "results": values,
                      "error": None, "files": {"html": "01_relative_strength/01_relative_strength.html"},
                      "parameters": entry["parameters"], "data_as_of": None}
                (out / label / "index.html").write_text(render_run_page(out / label, [nb]))
            combos.append(entry)
    (out / "grid.json").write_text(json.dumps({"grid": {"proxy": ["ff30_vw", "iwm_spy"],
                                                        "start": ["1926-07-31", "2001-01-31"]},
                                               "combinations": combos}))
    return out


def test_robustness_rows_labels_and_proxy_dependence(fake_grid):
    from rotation.runner.grid import robustness_rows

    rows, combos = robustness_rows(fake_grid)
    assert [r["claim_id"] for r in rows] == ["underwhelming", "breakout_follow_through"]
    under, breakout = rows
    assert under["consistency"] == "same verdict everywhere" and under["depends_on_proxy"] == ""
    assert under["claim"].startswith("Small caps have been underwhelming")
    assert breakout["consistency"] == "flips"
    assert breakout["depends_on_proxy"] == "at start=2001-01-31: not supported with ff30_vw; contradicted with iwm_spy"
    assert breakout["cells"]["proxy-iwm_spy__start-1926-07-31"] is None and len(combos) == 4


def test_robustness_page_in_the_house_style(fake_grid):
    from rotation.runner.grid import CONSISTENCY, mark_run_pages, robustness_html

    page = robustness_html(fake_grid)
    assert "<main class=\"rot-run\">" in page and "rot-scorecard" in page  # the run page's CSS and table
    assert "Small caps have been underwhelming" in page  # claim titles, not only ids
    assert "background:#1b7837'>supported<" in page and "background:#b2182b'>contradicted<" in page
    assert "+1.20% [+0.40%, +2.00%]" in page  # the scorecard's number format
    assert all(label in page for label in CONSISTENCY)  # the legend
    assert "href=\"proxy-ff30_vw__start-2001-01-31/index.html\"" in page
    assert ("proxy-iwm_spy__start-2001-01-31/01_relative_strength/01_relative_strength.html"
            "#findings-and-caveats") in page
    assert "depends on the proxy: at start=2001-01-31: not supported with ff30_vw; contradicted with iwm_spy" in page
    assert "has data from 2000-05-31 only" in page and "rot-skipped" in page

    mark_run_pages(fake_grid)
    run_page = (fake_grid / "proxy-iwm_spy__start-2001-01-31" / "index.html").read_text()
    assert "href=\"../robustness.html\"" in run_page and "proxy=iwm_spy, start=2001-01-31" in run_page
    assert "the verdict of 1 claim depends on the proxy" in run_page
    row = run_page.split("data-claim='breakout_follow_through'")[1].split("</tr>")[0]
    assert "depends on the proxy: at start=2001-01-31: not supported with ff30_vw; contradicted with iwm_spy" in row
    row = run_page.split("data-claim='underwhelming'")[1].split("</tr>")[0]
    assert "depends on the proxy" not in row
    mark_run_pages(fake_grid)  # idempotent
    again = (fake_grid / "proxy-iwm_spy__start-2001-01-31" / "index.html").read_text()
    assert again == run_page


def test_results_grid_table_via_cli(fake_grid, capsys):
    from rotation.cli import main

    assert main(["results", "--grid", str(fake_grid)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert "[3] proxy=iwm_spy start=1926-07-31  skipped: proxy 'iwm_spy' has data from 2000-05-31 only" in text
    head = next(line for line in lines if line.startswith("claim "))
    assert head.split() == ["claim", "[1]", "[2]", "[3]", "[4]", "consistency"]
    row = next(line for line in lines if line.startswith("breakout_follow_through"))
    assert row.split("  ")[0] == "breakout_follow_through" and "skipped" in row
    assert row.rstrip().endswith("flips (depends on the proxy: at start=2001-01-31: not supported with ff30_vw; contradicted with iwm_spy)")
    effect = lines[lines.index(row) + 1]
    assert effect.split()[0] == "effect" and "+1.00% [+0.20%, +2.00%]" in effect
    # columns line up: each status sits above its effect
    assert row.index("not supported") == effect.index("+0.40%")
    assert "\n  same verdict everywhere: every combination" in text
    assert "\n  underwhelming: Small caps have been underwhelming" in text
    assert main(["results", str(fake_grid), "--json"]) == 0  # a grid folder is recognised without --grid
    data = json.loads(capsys.readouterr().out)
    assert [c["consistency"] for c in data["claims"]] == ["same verdict everywhere", "flips"]


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
