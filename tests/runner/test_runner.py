"""rotation.runner: parameters, validation, and executing tiny notebooks with papermill."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from rotation import runner
from rotation.errors import ParameterError
from rotation.runner import (
    coerce_parameters,
    list_notebooks,
    notebook_parameters,
    parse_parameters_source,
    plan_parameters,
    resolve_kernel,
    resolve_notebook,
    run_notebooks,
)

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

PARAMS_A = 'n: int = 3  # how many\nlabel: str = "x"  # a label\nstart: str = "1926-07-01"  # first month\n'
PARAMS_B = "n = 1\nhorizons: list[int] = [1, 3]  # months\n"


def _write(path: Path, params: str | None, *cells: str, markdown_first: bool = True) -> Path:
    body = []
    if markdown_first:
        body.append(new_markdown_cell(f"# {path.stem}"))
    if params is not None:
        cell = new_code_cell(params)
        cell.metadata["tags"] = ["parameters"]
        body.append(cell)
    body.extend(new_code_cell(src) for src in cells)
    nb = new_notebook(cells=body, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.write(nb, path)
    return path


def make_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "00_alpha.ipynb",
        PARAMS_A,
        'from rotation.notebook import record\nrecord("n2", n * 2)\nrecord("label", label)\nrecord("start", start)',
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3])",
    )
    _write(
        folder / "01_beta.ipynb",
        PARAMS_B,
        'from rotation.notebook import record\nrecord("before", n)',
        "x = 1",
        'raise ValueError("boom " + str(horizons))',
        'record("never", 1)',
    )
    _write(folder / "02_gamma.ipynb", None, "y = 2 + 2")
    (folder / "notes.ipynb").write_text("{}")  # not NN_*: ignored
    return folder


@pytest.fixture(scope="module")
def nbdir(tmp_path_factory) -> Path:
    return make_notebooks(tmp_path_factory.mktemp("notebooks"))


@pytest.fixture(scope="module")
def quiet_env():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MPLBACKEND", "Agg")
        mp.delenv("ROTATION_KERNEL", raising=False)
        mp.setattr(runner.provenance, "git_info", lambda root: {"commit": "0" * 40, "dirty": False})
        yield mp


@pytest.fixture(scope="module")
def serial_run(nbdir, quiet_env, kernel, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "serial"
    return run_notebooks(
        params={"n": "5", "start": "2000-01-01"},
        out=out,
        kernel_name=kernel,
        progress=False,
        timeout=120,
        notebooks_dir=nbdir,
    )


# --------------------------------------------------------------------------- finding notebooks


def test_list_and_resolve(nbdir):
    assert [p.name for p in list_notebooks(nbdir)] == ["00_alpha.ipynb", "01_beta.ipynb", "02_gamma.ipynb"]
    target = (nbdir / "00_alpha.ipynb").resolve()
    assert resolve_notebook("00_alpha", nbdir) == target
    assert resolve_notebook("00_alpha.ipynb", nbdir) == target
    assert resolve_notebook("00", nbdir) == target
    assert resolve_notebook(str(nbdir / "00_alpha.ipynb")) == target
    with pytest.raises(ParameterError, match="00_alpha, 01_beta, 02_gamma"):
        resolve_notebook("99_missing", nbdir)
    with pytest.raises(ParameterError, match="ambiguous"):
        resolve_notebook("0", nbdir)


# --------------------------------------------------------------------------- parameters


def test_parse_parameters_source():
    src = (
        "%matplotlib inline\n"
        'start: str = "1926-07-01"  # first month of the sample\n'
        "horizon: int = 12  # months\n"
        "# a threshold in percent\n"
        "threshold: float = 1\n"
        "flag = True\n"
        "names = ['a', 'b']\n"
        "weights: list[float] = [1, 2.5]\n"
        "end: str | None = None  # last month\n"
        "cap: 'Optional[int]' = 5\n"
        "import math\n"
        "scale = 2.0\n"
    )
    specs = parse_parameters_source(src, "00_x")
    assert list(specs) == ["start", "horizon", "threshold", "flag", "names", "weights", "end", "cap", "scale"]
    assert (specs["start"].type, specs["start"].default, specs["start"].help) == (
        "str", "1926-07-01", "first month of the sample")
    assert (specs["horizon"].type, specs["horizon"].default, specs["horizon"].help) == ("int", 12, "months")
    assert (specs["threshold"].type, specs["threshold"].default) == ("float", 1.0)
    assert specs["threshold"].help == "a threshold in percent"
    assert specs["flag"].type == "bool"
    assert specs["names"].type == "list[str]"
    assert (specs["weights"].type, specs["weights"].default) == ("list[float]", [1.0, 2.5])
    assert (specs["end"].type, specs["end"].optional, specs["end"].default) == ("str | None", True, None)
    assert specs["cap"].type == "int | None"
    assert specs["scale"].type == "float"


@pytest.mark.parametrize(
    ("src", "match"),
    [
        ("x: dict = {}", "unsupported type"),
        ("x = None", "annotate it"),
        ("x: int = 'abc'", "declared int"),
        ("x = foo()", "annotate it"),
        ("x: int", "no default"),
        ("x = (", "not valid Python"),
    ],
)
def test_parse_parameters_errors(src, match):
    with pytest.raises(ParameterError, match=match):
        parse_parameters_source(src, "00_x")


def test_notebook_parameters_reads_tagged_cell(nbdir):
    specs = notebook_parameters(nbdir / "00_alpha.ipynb")
    assert list(specs) == ["n", "label", "start"]
    assert specs["n"].help == "how many"
    assert notebook_parameters(nbdir / "02_gamma.ipynb") == {}


def test_coerce_parameters(nbdir):
    a = nbdir / "00_alpha.ipynb"
    b = nbdir / "01_beta.ipynb"
    assert coerce_parameters(a, {"n": "12", "label": "true", "start": "2024-01-01"}) == {
        "n": 12, "label": "true", "start": "2024-01-01"}
    assert coerce_parameters(a, {"n": 4}) == {"n": 4}
    assert coerce_parameters(b, {"horizons": "[1, 3, 12]"}) == {"horizons": [1, 3, 12]}
    assert coerce_parameters(b, {"horizons": "6,12"}) == {"horizons": [6, 12]}
    assert coerce_parameters(b, {"horizons": "6"}) == {"horizons": [6]}
    assert coerce_parameters(b, {"horizons": (2, 4)}) == {"horizons": [2, 4]}


def test_coerce_parameters_errors(nbdir):
    a = nbdir / "00_alpha.ipynb"
    with pytest.raises(ParameterError) as info:
        coerce_parameters(a, {"foo": 1})
    assert str(info.value) == "unknown parameter 'foo' for 00_alpha; its parameters are: n, label, start"
    with pytest.raises(ParameterError) as info:
        coerce_parameters(a, {"n": "abc"})
    assert str(info.value) == "parameter 'n' of 00_alpha must be int, got 'abc' (str)"
    with pytest.raises(ParameterError, match="must be int, got 1.5"):
        coerce_parameters(a, {"n": "1.5"})
    with pytest.raises(ParameterError, match="must be int, got True"):
        coerce_parameters(a, {"n": True})
    with pytest.raises(ParameterError, match="must be str, got 5"):
        coerce_parameters(a, {"label": 5})
    with pytest.raises(ParameterError, match=r"must be list\[int\]"):
        coerce_parameters(nbdir / "01_beta.ipynb", {"horizons": "[1, x]"})
    with pytest.raises(ParameterError, match="its parameters are: \\(none\\)"):
        coerce_parameters(nbdir / "02_gamma.ipynb", {"n": 1})


def test_float_optional_and_types(tmp_path):
    nb = _write(tmp_path / "00_t.ipynb", "r: float = 0.5\nend: str | None = None\nk: int | None = 2\nb = False\n")
    assert coerce_parameters(nb, {"r": "2"}) == {"r": 2.0}
    assert isinstance(coerce_parameters(nb, {"r": 2})["r"], float)
    assert coerce_parameters(nb, {"end": "null", "k": "None", "b": "yes"}) == {"end": None, "k": None, "b": True}
    assert coerce_parameters(nb, {"end": "2020-12-31", "k": "7"}) == {"end": "2020-12-31", "k": 7}
    with pytest.raises(ParameterError, match="must be float"):
        coerce_parameters(nb, {"r": "[1]"})


def test_plan_parameters_shared_names(nbdir):
    nbs = list_notebooks(nbdir)
    plan = plan_parameters(nbs, {"n": "7"})
    assert [p[0] for p in plan] == [{"n": 7}, {"n": 7}, {}]
    assert plan[0][1] == {"n": 7, "label": "x", "start": "1926-07-01"}
    assert plan[1][1] == {"n": 7, "horizons": [1, 3]}
    with pytest.raises(ParameterError, match="unknown parameter 'zzz'.*n, start"):
        plan_parameters(nbs, {"zzz": 1})
    # a name that exists somewhere is checked against each notebook's own type
    with pytest.raises(ParameterError, match="01_beta must be list"):
        plan_parameters(nbs, {"horizons": "[a]"})


def test_validation_happens_before_execution(nbdir, tmp_path, kernel):
    out = tmp_path / "never"
    with pytest.raises(ParameterError, match="must be int"):
        run_notebooks(params={"n": "x"}, out=out, kernel_name=kernel, progress=False, notebooks_dir=nbdir)
    with pytest.raises(ParameterError, match="not installed"):
        run_notebooks(out=out, kernel_name="no-such-kernel-xyz", progress=False, notebooks_dir=nbdir)
    with pytest.raises(ParameterError, match="unknown notebook"):
        run_notebooks(["00", "nope"], out=out, kernel_name=kernel, progress=False, notebooks_dir=nbdir)
    with pytest.raises(ParameterError, match="jobs"):
        run_notebooks(out=out, jobs=0, notebooks_dir=nbdir)
    assert not out.exists()


def test_kernel_resolution(monkeypatch, kernel):
    monkeypatch.setenv("ROTATION_KERNEL", kernel)
    assert resolve_kernel() == kernel
    monkeypatch.setenv("ROTATION_KERNEL", "no-such-kernel-xyz")
    with pytest.raises(ParameterError, match="no-such-kernel-xyz"):
        resolve_kernel()
    assert resolve_kernel(kernel) == kernel


# --------------------------------------------------------------------------- execution


def test_run_writes_folder(serial_run, nbdir):
    out = serial_run.out_dir
    alpha, beta, gamma = serial_run.results
    assert [r.name for r in serial_run.results] == ["00_alpha", "01_beta", "02_gamma"]

    assert alpha.ok and alpha.error is None
    folder = out / "00_alpha"
    assert json.loads((folder / "results.json").read_text()) == {"n2": 10, "label": "x", "start": "2000-01-01"}
    assert alpha.values == {"n2": 10, "label": "x", "start": "2000-01-01"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "ok" and manifest["error"] is None
    assert manifest["parameters"] == {"n": 5, "label": "x", "start": "2000-01-01"}
    assert manifest["parameter_order"] == ["n", "label", "start"]  # the declaration order, for the run page
    assert manifest["overrides"] == {"n": 5, "start": "2000-01-01"}
    assert manifest["git"] == {"commit": "0" * 40, "dirty": False}
    assert manifest["packages"]["papermill"]
    assert manifest["seconds"] >= 0 and manifest["started"] <= manifest["finished"]
    assert "data" in manifest
    html = (folder / "00_alpha.html").read_text()
    assert "<html" in html.lower()
    executed = nbformat.read(folder / "00_alpha.ipynb", as_version=4)
    assert "injected-parameters" in executed.cells[2].metadata.tags
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "figures must be kept in the notebook"

    # the source notebooks are untouched
    assert not (nbdir / "00_alpha" ).exists()
    assert "injected-parameters" not in (nbdir / "00_alpha.ipynb").read_text()

    # a notebook that records nothing still gets results.json
    assert gamma.ok
    assert (out / "02_gamma" / "results.json").read_text() == "{}\n"

    index = (out / "index.html").read_text()
    for name in ("00_alpha", "01_beta", "02_gamma"):
        assert f'href="{name}/{name}.html"' in index
    assert 'href="00_alpha/results.json"' in index
    assert "FAILED" in index and "boom" in index
    assert manifest["title"] == "00alpha" and manifest["question"] == ""  # the run page's section heading (plain text)


def test_run_page_re_rendered_from_its_folder_equals_the_one_written(serial_run):
    """The run page is rendered from the folder's files (manifests, results.json, the run record): rendering it
    again gives the same bytes, and the record holds what the header and the given-parameters box show."""
    from rotation.runner.folder import read_run_record
    from rotation.runner.html import write_run_page

    out = serial_run.out_dir
    written = (out / "index.html").read_bytes()
    record = read_run_record(out)
    assert record.notebooks == ("00_alpha", "01_beta", "02_gamma") and record.kernel == serial_run.kernel
    assert record.given == {"n": "5", "start": "2000-01-01"} and record.git == {"commit": "0" * 40, "dirty": False}
    assert record.started <= record.finished
    page = written.decode()
    assert f"started {record.started} · finished {record.finished} · kernel {record.kernel}" in page
    assert "Parameters given for this run (2)" in page
    write_run_page(out)
    assert (out / "index.html").read_bytes() == written


def test_failing_notebook(serial_run):
    beta = serial_run.results[1]
    assert not serial_run.ok
    assert beta.status == "failed"
    assert beta.error.ename == "ValueError"
    assert beta.error.evalue == "boom [1, 3]"
    assert beta.error.cell_index == 4  # index in the source notebook (markdown, params, record, x=1, raise)
    assert "raise ValueError" in beta.error.cell_source
    assert beta.values == {"before": 5}  # recorded before the failure
    folder = serial_run.out_dir / "01_beta"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["error"]["cell_index"] == 4 and manifest["error"]["ename"] == "ValueError"
    assert (folder / "01_beta.ipynb").exists() and (folder / "01_beta.html").exists()
    text = serial_run.to_text()
    assert "01_beta" in text and "FAILED" in text and "cell 4" in text and "ValueError: boom" in text
    assert [r.ok for r in serial_run.failed] == [False]


def test_parallel_run_is_deterministic(serial_run, nbdir, kernel, quiet_env, tmp_path):
    summary = run_notebooks(
        ["00_alpha", "01"],
        {"n": 5, "start": "2000-01-01"},
        out=tmp_path / "parallel",
        jobs=2,
        kernel_name=kernel,
        progress=False,
        timeout=120,
        notebooks_dir=nbdir,
    )
    assert [r.name for r in summary.results] == ["00_alpha", "01_beta"]
    assert [r.status for r in summary.results] == ["ok", "failed"]
    for name in ("00_alpha", "01_beta"):
        again = (summary.out_dir / name / "results.json").read_bytes()
        assert again == (serial_run.out_dir / name / "results.json").read_bytes()
    assert (summary.out_dir / "index.html").exists()
    assert "02_gamma" not in (summary.out_dir / "index.html").read_text()


def test_default_run_dir(nbdir, kernel, quiet_env, tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_RUNS_DIR", str(tmp_path / "runs"))
    summary = run_notebooks(["02"], kernel_name=kernel, progress=False, notebooks_dir=nbdir)
    assert summary.ok
    assert summary.out_dir.parent == tmp_path / "runs"
    assert (summary.out_dir / "02_gamma" / "02_gamma.ipynb").exists()
    assert json.loads((summary.out_dir / "02_gamma" / "manifest.json").read_text())["parameters"] == {}


def test_timeout_fails_only_that_notebook(kernel, quiet_env, tmp_path):
    import os

    before = os.environ.get("ROTATION_RUN")
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _write(nbs / "00_slow.ipynb", None, "import time\ntime.sleep(4)")
    _write(nbs / "01_fast.ipynb", None, 'from rotation.notebook import record\nrecord("ok", 1)')
    summary = run_notebooks(out=tmp_path / "out", kernel_name=kernel, progress=False, timeout=1, notebooks_dir=nbs)
    slow, fast = summary.results
    assert slow.status == "failed" and slow.error.ename == "CellTimeoutError"
    assert json.loads(slow.paths.manifest.read_text())["status"] == "failed"
    assert slow.paths.html.exists() and slow.paths.results.read_text() == "{}\n"
    assert fast.ok and fast.values == {"ok": 1}
    assert "00_slow failed" in summary.to_text()
    assert os.environ.get("ROTATION_RUN") == before  # the kernel environment is restored


# --------------------------------------------------------------------------- the in-notebook check, plain papermill

CHECKED_PARAMS = 'proxy: str = "ff30_vw"  # pair\nstart: str = ""  # first date\nlookback: int = 12  # months\n'
CHECK_CELL = "from rotation.notebook.parameters import check_parameters\ncheck_parameters(globals())"


@pytest.fixture(scope="module")
def checked_nb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("checked")
    return _write(
        folder / "00_checked.ipynb", CHECKED_PARAMS, CHECK_CELL,
        'from rotation.notebook import record\nrecord("proxy", proxy)\nrecord("lookback", lookback)',
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])",
        markdown_first=False,
    )


def _papermill(nb: Path, out: Path, kernel: str, **parameters):
    import papermill

    return papermill.execute_notebook(str(nb), str(out), parameters=parameters, kernel_name=kernel,
                                      progress_bar=False, cwd=str(out.parent))


def test_plain_papermill_leaves_results_and_figures_in_the_notebook(checked_nb, kernel, tmp_path, monkeypatch):
    from rotation.cli import main
    from rotation.outputs import notebook_kernel, notebook_results

    monkeypatch.setenv("MPLBACKEND", "Agg")  # would drop every figure without the check cell's inline backend
    monkeypatch.delenv("ROTATION_RUN", raising=False)
    out = tmp_path / "out.ipynb"
    _papermill(checked_nb, out, kernel, proxy="iwm_spy")
    assert notebook_results(out) == {"proxy": "iwm_spy", "lookback": 12}
    assert notebook_kernel(out)["executable"]
    assert "image/png" in out.read_text()
    assert not (tmp_path / "results.json").exists()  # record() writes no file: the notebook holds the results
    assert main(["results", str(out), "--json"]) == 0


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"proxy": "iwm_sp"}, "must be one of ff30_vw.*iwm_spy.*did you mean 'iwm_spy'"),
        ({"start": "2008-13-01"}, "parameter 'start'.*must be a date YYYY-MM-DD"),
        ({"prox": "iwm_spy"}, "unknown parameter 'prox'.*did you mean 'proxy'"),
        ({"lookback": 10**23}, "parameter 'lookback'.*between 0 and 1,000,000"),
        ({"lookback": "twelve"}, "parameter 'lookback'.*must be int"),
    ],
    ids=["bad-proxy", "bad-date", "unknown-name", "huge-int", "wrong-type"],
)
def test_in_notebook_check_stops_plain_papermill(checked_nb, kernel, tmp_path, parameters, message):
    from papermill.exceptions import PapermillExecutionError

    from rotation.outputs import notebook_results

    out = tmp_path / "bad.ipynb"
    with pytest.raises(PapermillExecutionError) as info:
        _papermill(checked_nb, out, kernel, **parameters)
    assert info.value.ename == "ParameterError"
    import re

    assert re.search(message, info.value.evalue), info.value.evalue
    assert notebook_results(out) == {}  # stopped before anything ran


def test_check_parameters_outside_a_kernel_applies_the_name_rules():
    from rotation.notebook.parameters import check_parameters

    check_parameters({"proxy": "iwm_spy", "start": "", "as_of": "2020-01-31", "n": 3})
    with pytest.raises(ParameterError, match="proxy"):
        check_parameters({"proxy": "nope"})
    with pytest.raises(ParameterError, match="as_of"):
        check_parameters({"as_of": "31/01/2020"})


def test_run_refuses_bad_values_before_any_kernel(tmp_path, kernel):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _write(nbs / "00_checked.ipynb", CHECKED_PARAMS, CHECK_CELL)
    out = tmp_path / "never"
    for params, match in (({"proxy": "iwm_sp"}, "did you mean 'iwm_spy'"), ({"lookback": str(10**23)}, "'lookback'"),
                          ({"start": "2008-02-30"}, "'start'"), ({"lokback": 3}, "did you mean 'lookback'")):
        with pytest.raises(ParameterError, match=match):
            run_notebooks(params=params, out=out, kernel_name=kernel, progress=False, notebooks_dir=nbs)
    assert not out.exists()


def test_run_manifest_lists_reads_and_kernel(tmp_path, kernel, quiet_env):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _write(nbs / "00_reads.ipynb", CHECKED_PARAMS, CHECK_CELL,
           "from rotation.outputs import note_read\nfrom rotation.notebook import record\n"
           "for _ in range(3):\n"
           "    note_read('IWM', sha256='ab', first='2000-05-26', last='2026-07-10', rows=9)\n"
           "note_read('SPY', sha256='cd', first='1993-01-29', last='2026-07-10', rows=8)\n"
           "record('x', 1.5)")
    summary = run_notebooks(out=tmp_path / "run", kernel_name=kernel, progress=False, notebooks_dir=nbs)
    (result,) = summary.results
    assert result.ok, summary.to_text()
    manifest = json.loads(result.paths.manifest.read_text())
    assert [r["dataset"] for r in manifest["data"]] == ["IWM", "SPY"]
    assert manifest["data"][0] == {"dataset": "IWM", "sha256": "ab", "first": "2000-05-26", "last": "2026-07-10",
                                   "rows": 9}
    assert manifest["kernel_python"]["executable"] and result.kernel_python
    assert "runs" in summary.to_text()
    html = result.paths.html.read_text()
    assert "vnd.rotation" not in html and "mimetype" not in html.lower()
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    for f in (result.paths.results, result.paths.manifest, result.paths.html, summary.index_html):
        assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask, f


def test_out_folder_rules(tmp_path, kernel, nbdir):
    def run(out, **kw):
        return run_notebooks(["02"], out=out, kernel_name=kernel, progress=False, notebooks_dir=nbdir, **kw)

    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ParameterError, match="existing file"):
        run(a_file)
    with pytest.raises(ParameterError, match="filesystem root"):
        run(Path("/"))
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("<p>mine</p>")
    with pytest.raises(ParameterError, match="did not create.*--force"):
        run(foreign)
    with pytest.raises(ParameterError, match="index.html.*not be overwritten"):
        run(foreign, force=True)
    assert (foreign / "index.html").read_text() == "<p>mine</p>"
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("x")
    assert run(other, force=True).ok
    assert run(other).ok  # rotation's folder now: may write again
    assert (other / "notes.txt").read_text() == "x"


def test_kernels_talk_over_unix_sockets_with_one_blas_thread(kernel, quiet_env, tmp_path, monkeypatch):
    """Two notebooks started at once cannot race for TCP ports (IPC endpoints of their own), and each
    kernel runs one BLAS thread unless the user set a count; the socket files are gone afterwards."""
    import os
    import tempfile

    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")  # the user's own setting is kept
    code = ("import os\nfrom ipykernel.kernelapp import IPKernelApp\nfrom rotation.notebook import record\n"
            "record('transport', IPKernelApp.instance().transport)\n"
            "record('threads', [os.environ.get(v) for v in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', "
            "'MKL_NUM_THREADS')])")
    (tmp_path / "nbs").mkdir()
    for stem in ("00_one", "01_two"):
        _write(tmp_path / "nbs" / f"{stem}.ipynb", "x: int = 0", code)
    # a short private temporary folder (a socket path must stay short): other runs on this machine do not
    # leave or remove socket files in it while the test looks
    private = tempfile.mkdtemp(prefix="rk", dir="/tmp" if os.name == "posix" else None)
    monkeypatch.setenv("TMPDIR", private)
    monkeypatch.setattr(tempfile, "tempdir", private)
    before = set(Path(tempfile.gettempdir()).glob("rotation-kernel-*"))
    summary = run_notebooks(None, out=tmp_path / "run", jobs=2, kernel_name=kernel, progress=False, timeout=120,
                            notebooks_dir=tmp_path / "nbs")
    assert summary.ok, summary.to_text()
    for r in summary.results:
        assert r.values["transport"] == ("ipc" if os.name == "posix" else "tcp")
        assert r.values["threads"] == ["1", "1", "3"]
    assert set(Path(tempfile.gettempdir()).glob("rotation-kernel-*")) == before
    assert os.environ.get("OMP_NUM_THREADS") is None  # restored in this process
    os.rmdir(private)  # empty: nothing else was left in it either


def test_a_temporary_folder_too_deep_for_a_socket_falls_back_to_tcp(kernel, quiet_env, tmp_path, monkeypatch):
    """A Unix socket's path has room for about 100 bytes: under a deeper TMPDIR a kernel could never bind its
    sockets (the run would hang until the start-up timeout), so it uses TCP there."""
    import os
    import tempfile

    from rotation.runner.execution import ipc_kernel_manager

    deep = tmp_path / ("d" * 90)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    assert ipc_kernel_manager()().transport == "tcp"
    (tmp_path / "nbs").mkdir()
    _write(tmp_path / "nbs" / "00_one.ipynb", "x: int = 0", "from rotation.notebook import record\nrecord('x', x)")
    summary = run_notebooks(None, out=tmp_path / "run", kernel_name=kernel, progress=False, timeout=60,
                            notebooks_dir=tmp_path / "nbs")
    assert summary.ok, summary.to_text()
    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert ipc_kernel_manager()().transport == ("ipc" if os.name == "posix" else "tcp")
