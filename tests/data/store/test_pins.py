"""A pinned store version: read by every process that inherits the pin, kept while its owner lives.

Issue 26, row 4 (the store's side; ``tests/runner/test_store_pin.py`` runs a notebook): a run read
datasets of two store versions when imports replaced the store during it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from rotation.data.api import load
from rotation.data.ingest import import_paths
from rotation.data.store import Store, StoreProblemError
from rotation.data.store.pins import PIN_ENV, PINS_DIR, pin_record, run_pin

RAW = ["prices/IWM.csv", "fred/DGS10.csv"]


@pytest.fixture(autouse=True)
def _no_inherited_pin(monkeypatch):
    monkeypatch.delenv(PIN_ENV, raising=False)


@pytest.fixture
def store(raw_dir, tmp_path) -> Store:
    st = Store(tmp_path / "store")
    assert import_paths([raw_dir / r for r in RAW], store=st, end={"IWM": "2026-07-10"}).ok
    return st


def cut(store: Store, raw_dir: Path, end: str) -> None:
    """Replace every dataset (an import with another cut), as a user's import during a run does."""
    assert import_paths([raw_dir / r for r in RAW], store=Store(store.root), end=end).ok


def reader(root: Path, pin: str | None, keys: str = "DGS10,IWM") -> subprocess.Popen[str]:
    """A process that loads ``keys`` (one line of JSON: key -> last date) each time a line arrives on stdin."""
    code = ("import json, sys\nfrom rotation.data import load\nfrom rotation.data.store import Store\n"
            f"st = Store({str(root)!r})\n"
            "for line in sys.stdin:\n"
            f"    print(json.dumps({{k: str(load(k, store=st).index[-1].date()) for k in {keys.split(',')!r}}}),"
            " flush=True)\n")
    env = {k: v for k, v in os.environ.items() if k != PIN_ENV}
    if pin:
        env[PIN_ENV] = pin
    return subprocess.Popen([sys.executable, "-c", code], env=env, text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def ask(proc: subprocess.Popen[str]) -> dict:
    proc.stdin.write("\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return json.loads(line)


def test_a_process_with_the_pin_reads_one_version_while_imports_replace_the_store(store, raw_dir):
    with run_pin(store.root) as pin:
        assert os.environ[PIN_ENV] == pin
        pinned, current = reader(store.root, pin), reader(store.root, None)
        try:
            first = ask(pinned)
            assert first == {"DGS10": first["DGS10"], "IWM": "2026-07-10"}
            for end in ("2019-12-31", "2021-06-30"):
                cut(store, raw_dir, end)
                assert ask(pinned) == first  # the version the run started with, files kept by the clean-ups
                assert ask(current) == {"DGS10": end, "IWM": end}  # a process without the pin reads the store
        finally:
            for p in (pinned, current):
                p.stdin.close()
                p.wait(timeout=30)
    assert PIN_ENV not in os.environ


def test_pinned_files_are_kept_until_the_pin_is_released(store, raw_dir):
    old = {e["path"] for e in store.current_manifest()["datasets"].values()}
    with run_pin(store.root) as pin:
        generation = json.loads(Path(pin).read_text())["generation"]
        assert pin_record(pin) == {"root": os.path.realpath(store.root), "generation": generation, "pinned": True,
                                   "registered": True}
        cut(store, raw_dir, "2019-12-31")  # the writer's clean-up runs with the pin alive
        assert all((store.root / rel).exists() for rel in old)
        assert store.leftovers() == []  # files a live pin needs are not leftovers
    assert old <= set(store.leftovers())  # released: the old version waits for the next writer
    assert store.clean() is not None
    assert not any((store.root / rel).exists() for rel in old) and store.leftovers() == []
    assert list((store.root / PINS_DIR).iterdir()) == []


def test_the_pin_of_a_killed_run_counts_as_released(store, raw_dir):
    code = ("import sys, time\nfrom rotation.data.store.pins import run_pin\n"
            f"with run_pin(__import__('pathlib').Path({str(store.root)!r})) as pin:\n"
            "    print(pin, flush=True)\n    time.sleep(600)\n")
    owner = subprocess.Popen([sys.executable, "-c", code], text=True, stdout=subprocess.PIPE)
    pin = owner.stdout.readline().strip()
    before = store.current_manifest()["datasets"]["DGS10"]["path"]
    cut(store, raw_dir, "2019-12-31")
    assert (store.root / before).exists() and Path(pin).exists()  # alive: kept
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    cut(store, raw_dir, "2018-12-31")  # the next writer sees a dead owner
    assert not (store.root / before).exists() and not Path(pin).exists()
    assert list((store.root / PINS_DIR).iterdir()) == []
    # a process still holding the variable is told, not given another version
    proc = reader(store.root, pin)
    proc.stdin.write("\n")
    proc.stdin.close()
    assert proc.wait(timeout=60) != 0
    err = proc.stderr.read()
    assert f"reads the store version pinned by `rotation run` ({PIN_ENV}={pin}), and that pin is released" in err


def test_a_store_this_process_cannot_write_is_pinned_privately(store, raw_dir, monkeypatch):
    (store.root / PINS_DIR).write_text("not a folder")  # the store refuses the pin (as a read-only one does)
    with run_pin(store.root) as pin:
        assert not Path(pin).is_relative_to(store.root) and pin_record(pin)["registered"] is False
        want = load("DGS10", store=store)
        assert load("DGS10", store=Store(store.root)).equals(want)
    assert not Path(pin).exists()


def test_a_pin_of_another_store_or_none_reads_the_current_store(store, raw_dir, tmp_path):
    other = Store(tmp_path / "other")
    assert import_paths([raw_dir / "fred/DGS10.csv"], store=other, end="2010-12-31").ok
    with run_pin(other.root):
        assert load("DGS10", store=store).index[-1] > pd.Timestamp("2020-01-01")
        assert load("DGS10", store=other).index[-1] == pd.Timestamp("2010-12-31")
    with run_pin(tmp_path / "empty") as pin:  # nothing to pin
        assert pin is None and PIN_ENV not in os.environ


def test_a_nested_run_uses_the_pin_it_inherits(store):
    with run_pin(store.root) as outer, run_pin(store.root) as inner:
        assert inner == outer
        assert len(list((store.root / PINS_DIR).glob("*.json"))) == 1


def test_pinning_does_not_slow_a_load(store, capsys):
    """What a pin changes in a load is where the manifest comes from: a parse per process instead of per load."""
    def seconds(fn, n: int = 50) -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - t0) / n

    def loads() -> None:
        load("DGS10", store=store)
        load("IWM", store=store)

    timings: dict[str, list[float]] = {"manifest": [], "manifest pinned": [], "load": [], "load pinned": []}
    for _ in range(3):  # interleaved, so a busy machine slows both alike
        timings["manifest"].append(seconds(store.manifest))
        timings["load"].append(seconds(loads, 20) / 2)
        with run_pin(store.root):
            timings["manifest pinned"].append(seconds(store.manifest))
            timings["load pinned"].append(seconds(loads, 20) / 2)
    best = {k: min(v) * 1e3 for k, v in timings.items()}
    with capsys.disabled():
        print("\n" + ", ".join(f"{k}: {v:.3f} ms" for k, v in best.items()))
    assert best["manifest pinned"] <= best["manifest"]


def test_a_released_pin_named_by_the_variable_is_reported(store, monkeypatch, tmp_path):
    monkeypatch.setenv(PIN_ENV, str(tmp_path / "gone.json"))
    with pytest.raises(StoreProblemError, match="that pin is released: the run that pinned it has ended or was "
                                                "stopped. Fix: run the notebooks again with `rotation run`"):
        load("DGS10", store=Store(store.root))
