"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

RAW_DIR_SKIP_REASON = "set ROTATION_RAW_DIR to the raw-data snapshot folder"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw-data snapshot folder from ``ROTATION_RAW_DIR``; skips the test when unset or missing."""
    env = os.environ.get("ROTATION_RAW_DIR")
    if not env:
        pytest.skip(RAW_DIR_SKIP_REASON)
    path = Path(env).expanduser()
    if not path.is_dir():
        pytest.skip(f"{RAW_DIR_SKIP_REASON} (ROTATION_RAW_DIR={env!r} is not a folder)")
    return path


ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT_CUTS = ROOT / "tests" / "snapshot-cuts.txt"


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory):
    """Tests never touch the network or the project's own data/ store."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROTATION_OFFLINE", "1")
        mp.setenv("MPLBACKEND", "Agg")
        mp.setenv("ROTATION_DATA_DIR", str(tmp_path_factory.mktemp("empty-store")))
        mp.setenv("ROTATION_RUNS_DIR", str(tmp_path_factory.mktemp("runs")))
        yield


def snapshot_end_options() -> dict[str, str]:
    """The ``--end KEY=DATE`` cuts CI applies to the snapshot's intraday last rows."""
    from rotation.data.ingest import read_end_file

    return read_end_file(SNAPSHOT_CUTS)


@pytest.fixture(scope="session")
def snapshot_store_dir(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the whole snapshot imported once (as CI does), for read-only use."""
    from rotation.data.ingest import import_paths
    from rotation.data.store import Store

    root = tmp_path_factory.mktemp("snapshot-store")
    report = import_paths([raw_dir], store=Store(root), end=snapshot_end_options())
    assert report.ok, report.to_frame().query("status == 'rejected'").to_string()
    return root


@pytest.fixture
def snapshot_env(snapshot_store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ROTATION_DATA_DIR at the imported snapshot store for this test (kernels inherit it)."""
    monkeypatch.setenv("ROTATION_DATA_DIR", str(snapshot_store_dir))
    return snapshot_store_dir


@pytest.fixture
def run_notebook():
    """``run_notebook(name, out_dir, *extra_cli_args) -> results dict`` via ``rotation run`` (kernel python3)."""
    import json

    from rotation.cli import main

    def run(name: str, out: Path, *extra: str) -> dict:
        code = main(["run", name, *extra, "--out", str(out), "--kernel", "python3", "-q"])
        assert code == 0, (out / name / "manifest.json").read_text()
        return json.loads((out / name / "results.json").read_text())

    return run


@pytest.fixture(scope="session")
def kernel() -> str:
    """The stock ``python3`` Jupyter kernel of this environment (runner and grid tests)."""
    from rotation.errors import ParameterError
    from rotation.runner import resolve_kernel

    try:
        return resolve_kernel("python3")
    except ParameterError as exc:  # pragma: no cover - environment problem
        pytest.skip(f"no python3 kernel: {exc} (python -m ipykernel install --sys-prefix)")
