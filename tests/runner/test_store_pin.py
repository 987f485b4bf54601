"""A run reads one store version, whatever is imported while it runs (issue 26, row 4).

A notebook run while imports replaced the store read ``size_vw_monthly`` to 2026-02 beside
``ff3_monthly``, ``DGS10``, ``IWM`` and ``SPY`` to 2020-01: two store versions, no warning. Here a
real ``rotation run`` (a fresh process, a real kernel) of a notebook that loads one dataset, waits
while ``rotation data import`` replaces every dataset, then loads the others.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from rotation.data.store import Store
from rotation.data.store.pins import PIN_ENV, PINS_DIR

KEYS = ["ff3_monthly", "size_vw_monthly", "DGS10", "IWM", "SPY"]
RAW = ["famafrench/F-F_Research_Data_Factors_CSV.zip", "famafrench/Portfolios_Formed_on_ME.CSV", "fred/DGS10.csv",
       "prices/IWM.csv", "prices/SPY.csv"]

PROBE = f"""import os, time
from pathlib import Path
from rotation.data import load
signals = Path(os.environ["PROBE_DIR"])
first = load({KEYS[0]!r})
(signals / "first-read").touch()
deadline = time.time() + 240
while not (signals / "go").exists() and time.time() < deadline:
    time.sleep(0.05)
rest = {{k: load(k) for k in {KEYS[1:]!r}}}
"""


def rotation(*args: object, env: dict[str, str], **kw) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "rotation.cli", *map(str, args)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def wait_for(path: Path, proc: subprocess.Popen[str], seconds: float = 240) -> None:
    deadline = time.time() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.time() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.fixture
def store(raw_dir, tmp_path) -> Path:
    root = tmp_path / "store"
    env = {**os.environ, "ROTATION_OFFLINE": "1"}
    env.pop(PIN_ENV, None)
    done = subprocess.run([sys.executable, "-m", "rotation.cli", "--data-dir", str(root), "data", "import",
                           *(raw_dir / r for r in RAW), "--end", "IWM=2026-07-10", "--end", "SPY=2026-07-10"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root


def test_a_run_reads_the_store_version_it_started_with(store, raw_dir, tmp_path, kernel):
    nb = tmp_path / "probe.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(PROBE)], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), nb)
    signals = tmp_path / "signals"
    signals.mkdir()
    env = {**os.environ, "ROTATION_OFFLINE": "1", "ROTATION_DATA_DIR": str(store), "PROBE_DIR": str(signals)}
    env.pop(PIN_ENV, None)
    started = Store(store).current_manifest()
    run = rotation("run", nb, "--out", tmp_path / "run", "--kernel", kernel, "-q", env=env)
    wait_for(signals / "first-read", run)
    imp = rotation("data", "import", *(raw_dir / r for r in RAW), "--end", "2020-01-31", env=env)
    assert imp.wait(timeout=300) == 0, imp.communicate()
    now = Store(store).current_manifest()
    assert all(now["datasets"][k]["sha256"] != started["datasets"][k]["sha256"] for k in KEYS)  # all replaced
    (signals / "go").touch()
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, out + err

    manifest = json.loads((tmp_path / "run/probe/manifest.json").read_text())
    reads = {r["dataset"]: r for r in manifest["data"]}
    assert list(reads) == KEYS
    assert {k: r["sha256"] for k, r in reads.items()} == {k: started["datasets"][k]["sha256"] for k in KEYS}
    assert {r["last"][:7] for k, r in reads.items() if k != "size_vw_monthly"} != {"2020-01"}
    assert manifest["store"] == {"root": os.path.realpath(store), "generation": started["checksum"], "pinned": True,
                                 "registered": True}
    # the run is over: its pin is released, and the next writer removes the version it kept
    assert not list((store / PINS_DIR).glob("*.json"))
    assert all((store / started["datasets"][k]["path"]).exists() for k in KEYS)
    assert Store(store).clean() is not None
    assert not any((store / started["datasets"][k]["path"]).exists() for k in KEYS)


def test_every_combination_of_a_grid_reads_the_version_the_grid_started_with(store, raw_dir, tmp_path, kernel):
    param = new_code_cell("k: int = 0  # which combination")
    param.metadata["tags"] = ["parameters"]
    probe = PROBE.replace('"first-read"', 'f"first-read-{k}"')
    nb = tmp_path / "probe.ipynb"
    nbformat.write(new_notebook(cells=[param, new_code_cell(probe)], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), nb)
    signals = tmp_path / "signals"
    signals.mkdir()
    env = {**os.environ, "ROTATION_OFFLINE": "1", "ROTATION_DATA_DIR": str(store), "PROBE_DIR": str(signals)}
    env.pop(PIN_ENV, None)
    started = Store(store).current_manifest()
    run = rotation("run", nb, "--grid", "k=1,2", "--jobs", "2", "--out", tmp_path / "grid", "--kernel", kernel, "-q",
                   env=env)
    for k in (1, 2):
        wait_for(signals / f"first-read-{k}", run)
    imp = rotation("data", "import", *(raw_dir / r for r in RAW), "--end", "2020-01-31", env=env)
    assert imp.wait(timeout=300) == 0, imp.communicate()
    (signals / "go").touch()
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, out + err
    for k in (1, 2):
        manifest = json.loads((tmp_path / f"grid/k-{k}/probe/manifest.json").read_text())
        assert manifest["store"]["generation"] == started["checksum"]
        assert {r["dataset"]: r["sha256"] for r in manifest["data"]} == {
            key: started["datasets"][key]["sha256"] for key in KEYS}
    assert not list((store / PINS_DIR).glob("*.json"))
