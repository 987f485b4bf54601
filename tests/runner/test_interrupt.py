"""Ctrl-C stops a run within seconds (issue 26, row 8): real ``rotation`` processes, real signals.

A run of three notebooks and a grid on a pool of two workers are started as a user would, each with a notebook
that sleeps; once a kernel is inside the sleep, SIGINT goes to the whole process group (a Ctrl-C in the terminal)
or to the main process alone (``kill -INT``), or SIGTERM to the main process. The run must exit 130 (143 for
SIGTERM) within a few seconds, leave no kernel or worker process and no kernel socket or connection file, keep
what finished, and write its run page marked interrupted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

psutil = pytest.importorskip("psutil")
pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and POSIX signals")

STOP_SECONDS = 10.0
"""'Within a few seconds': the most an interrupted run may take to exit."""


def _notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("n: int = 1  # which combination")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(autouse=True)
def _remove_private_temp(tmp_path):
    yield
    import shutil
    import tempfile

    for p in Path(tempfile.gettempdir()).glob("rk-*"):
        if p.is_dir() and not any(p.iterdir()):
            shutil.rmtree(p, ignore_errors=True)


@pytest.fixture
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "00_quick.ipynb", "from rotation.notebook import record\nrecord('n', n)")
    _notebook(folder / "01_slow.ipynb", "import pathlib, time\npathlib.Path('started').touch()\ntime.sleep(300)")
    _notebook(folder / "02_after.ipynb", "from rotation.notebook import record\nrecord('n', n)")
    return folder


def _start(args: list[str], tmp_path: Path, kernel: str) -> tuple[subprocess.Popen, Path]:
    """``rotation run ARGS`` in a session of its own (so the test can signal its process group), with a private
    temporary folder (its kernels' sockets and connection files go there)."""
    import tempfile

    private = Path(tempfile.mkdtemp(prefix="rk-"))  # short: a kernel's socket path must fit in ~100 bytes
    env = {**os.environ, "TMPDIR": str(private), "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "rotation.cli", "run", *args, "--kernel", kernel, "-q"],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    return proc, private


def _wait_for(paths: list[Path], proc: subprocess.Popen, timeout: float = 120) -> None:
    t0 = time.monotonic()
    while not all(p.exists() for p in paths):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() - t0 < timeout, f"never started: {paths}"
        time.sleep(0.1)
    time.sleep(0.5)


def _kernels(private: Path) -> list[int]:
    """Kernel processes of the run: their command line names a connection file in its private temporary folder."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if str(private) in cmd and "ipykernel" in cmd:
            found.append(p.pid)
    return found


def _stop(proc: subprocess.Popen, how: str) -> tuple[int, float, str, str]:
    """Send the signal, wait for the exit: (exit status, seconds, stdout, stderr)."""
    t0 = time.monotonic()
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    return proc.returncode, time.monotonic() - t0, out, err


def _nothing_left(private: Path, children: list) -> None:
    time.sleep(0.3)
    assert _kernels(private) == []
    assert [c.pid for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE] == []
    assert sorted(p.name for p in private.iterdir()) == []  # no socket or connection file left behind


@pytest.mark.parametrize(("how", "code"), [("ctrl-c", 130), ("sigint", 130), ("sigterm", 143)])
def test_a_signal_stops_a_run_of_three_notebooks(notebooks, tmp_path, kernel, how, code):
    out = tmp_path / "run"
    proc, private = _start([str(notebooks / f"{s}.ipynb") for s in ("00_quick", "01_slow", "02_after")]
                           + ["--out", str(out)], tmp_path, kernel)
    _wait_for([out / "01_slow" / "started"], proc)
    assert len(_kernels(private)) == 1
    children = psutil.Process(proc.pid).children(recursive=True)
    status, seconds, stdout, stderr = _stop(proc, how)
    assert status == code, stderr
    assert seconds < STOP_SECONDS
    name = "SIGTERM" if how == "sigterm" else "SIGINT (Ctrl-C)"
    assert f"interrupted by {name}" in stderr
    _nothing_left(private, children)
    states = {s: json.loads((out / s / "manifest.json").read_text())["status"]
              for s in ("00_quick", "01_slow", "02_after")}
    assert states == {"00_quick": "ok", "01_slow": "interrupted", "02_after": "interrupted"}
    assert json.loads((out / "00_quick" / "results.json").read_text()) == {"n": 1}  # what finished is kept
    page = (out / "index.html").read_text()
    assert "INTERRUPTED: 2 of 3 notebook(s) did not finish" in page
    assert "01_slow   INTERRUPTED" in stdout


@pytest.mark.parametrize("how", ["ctrl-c", "sigint"])
def test_ctrl_c_stops_a_grid_on_a_pool(notebooks, tmp_path, kernel, how):
    """Two combinations running on two workers, two waiting: all four interrupted, workers and kernels gone."""
    out = tmp_path / "grid"
    proc, private = _start([str(notebooks / "01_slow.ipynb"), "--grid", "n=1,2,3,4", "--jobs", "2",
                            "--out", str(out)], tmp_path, kernel)
    _wait_for([out / f"n-{n}" / "01_slow" / "started" for n in (1, 2)], proc)
    children = psutil.Process(proc.pid).children(recursive=True)
    assert len(_kernels(private)) == 2
    status, seconds, _, stderr = _stop(proc, how)
    assert status == 130, stderr
    assert seconds < STOP_SECONDS
    _nothing_left(private, children)
    grid = json.loads((out / "grid.json").read_text())
    assert [c["status"] for c in grid["combinations"]] == ["interrupted"] * 4
    for n in (1, 2, 3, 4):  # each combination's page, marked, the ones that never started included
        assert "INTERRUPTED: 1 of 1 notebook(s) did not finish" in (out / f"n-{n}" / "index.html").read_text()
    assert (out / "robustness.html").is_file()
    assert "Traceback" not in stderr and "leaked" not in stderr
