"""A run writes nothing outside its folder and the store: its kernels keep no IPython history (issue 26, row 12).

With IPython's history on, every kernel appends a session -- the injected parameters included -- to the user's
``~/.ipython/profile_default/history.sqlite``. nbclient turns it off only for kernels named ``python3`` (and
``python``, ``python2``); ``rotation run`` uses the ``rotation`` kernel when it is installed. The test runs
``rotation run`` as a user would, with a kernel of another name (``rotation-test``, registered in a scratch
``JUPYTER_PATH``) in a process whose home is a scratch folder, and checks that no history database appears and that
a second run leaves the home exactly as the first left it; plain papermill with the same kernel and home (the
control) does write the history, so the check would see it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

PARAMS = 'secret: str = "default"  # a parameter the user passes'


@pytest.fixture
def notebook(tmp_path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(PARAMS)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("from rotation.notebook import check_parameters, record\n"
                                                "check_parameters(globals())\nrecord('secret', secret)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "00_secret.ipynb"
    nbformat.write(nb, path)
    return path


def _home_files(home: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(home)): (p.stat().st_size, p.stat().st_mtime_ns) for p in home.rglob("*") if p.is_file()}


KERNEL = "rotation-test"


def _env(tmp_path: Path) -> dict[str, str]:
    """A home of its own, and a kernel named KERNEL (nbclient keeps the history of ``python3`` in memory itself)."""
    home, jupyter = tmp_path / "home", tmp_path / "jupyter"
    spec = jupyter / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": KERNEL, "language": "python"}))
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("IPYTHONDIR", "JUPYTER_RUNTIME_DIR")}
    return {**env, "HOME": str(home), "JUPYTER_PATH": str(jupyter), "PYTHONPATH": os.pathsep.join(sys.path)}


def test_a_run_keeps_no_ipython_history(notebook, tmp_path):
    env = _env(tmp_path)
    home = tmp_path / "home"
    for run, value in (("a", "hunter2"), ("b", "swordfish")):
        out = subprocess.run([sys.executable, "-m", "rotation.cli", "run", str(notebook), "-p", f"secret={value}",
                              "--kernel", KERNEL, "--out", str(tmp_path / run), "-q"],
                             env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        if run == "a":
            first = _home_files(home)
    assert not list(home.rglob("history.sqlite*"))
    assert _home_files(home) == first  # the second run wrote nothing at all in the home
    for path in home.rglob("*"):
        if path.is_file():
            assert b"hunter2" not in path.read_bytes() and b"swordfish" not in path.read_bytes()


def test_the_control_plain_papermill_writes_the_history(notebook, tmp_path):
    """The check above can fail: the same kernel with IPython's defaults (plain papermill) writes the history."""
    env = _env(tmp_path)
    home = tmp_path / "home"
    code = ("import papermill, sys\npapermill.execute_notebook(sys.argv[1], sys.argv[2], kernel_name=sys.argv[3], "
            "parameters={'secret': 'hunter2'}, progress_bar=False)")
    out = subprocess.run([sys.executable, "-c", code, str(notebook), str(tmp_path / "out.ipynb"), KERNEL],
                         env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (db,) = home.rglob("history.sqlite")
    assert b"hunter2" in db.read_bytes()
