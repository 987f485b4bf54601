"""The ``rotation`` command's data subcommands, run in-process with ``rotation.cli.main``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from rotation.cli import main
from rotation.data.store import Store


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    # setenv (not delenv) so that monkeypatch restores what main() writes into os.environ
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ROTATION_OFFLINE", "1")


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def full_store(raw_dir, tmp_path_factory):
    """``rotation data import <raw_dir>`` once into a module-private store: (root, exit code, stdout, stderr)."""
    root = tmp_path_factory.mktemp("cli") / "store"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROTATION_DATA_DIR", str(root))
        mp.setenv("ROTATION_OFFLINE", "1")
        code, out, err = run(["data", "import", raw_dir])
    return root, code, out, err


@pytest.fixture
def use_full_store(full_store, monkeypatch):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(full_store[0]))
    return full_store[0]


@pytest.fixture
def small_store(raw_dir, tmp_path) -> Path:
    """A store (the env store of the test) holding IWM and DGS10, imported through the CLI."""
    code, out, err = run(["data", "import", raw_dir / "prices/IWM.csv", raw_dir / "fred/DGS10.csv"])
    assert code == 0, err
    return tmp_path / "store"


def test_import_snapshot_exit_0(full_store):
    root, code, out, err = full_store
    assert code == 0, err
    assert "rejected" not in err
    assert "added" in out
    assert (root / "manifest.json").is_file()


def test_status_json_lists_iwm(use_full_store):
    code, out, err = run(["data", "status", "--json"])
    assert code == 0, err
    rows = {r["key"]: r for r in json.loads(out)}
    assert rows["IWM"]["checksum_ok"] is True
    assert rows["IWM"]["source"] == "prices"
    assert rows["IWM"]["last"] == "2026-07-13"
    assert rows["size_vw_monthly"]["first"] == "1926-07-31"
    assert all(r["checksum_ok"] for r in rows.values())


def test_status_table(use_full_store):
    code, out, _ = run(["data", "status"])
    assert code == 0
    assert f"store: {use_full_store}" in out
    assert "IWM" in out and "checksum_ok" in out


def test_verify_full_store(use_full_store):
    code, out, err = run(["data", "verify"])
    assert code == 0, err
    assert out.startswith("ok: ")
    assert "every checksum matches" in out


def test_verify_reports_corrupt_processed_file(small_store):
    code, out, _ = run(["data", "verify"])
    assert code == 0
    assert "ok: 2 datasets" in out

    target = small_store / "processed/IWM.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))

    code, out, err = run(["data", "verify"])
    assert code == 1
    assert "processed/IWM.parquet" in err
    assert "does not match its checksum" in err
    assert "rotation data fetch IWM" in err and "rotation data import" in err
    assert "1 problem(s)" in err
    assert "DGS10" not in err

    code, out, _ = run(["data", "status", "--json"])
    assert code == 1
    rows = {r["key"]: r for r in json.loads(out)}
    assert rows["IWM"]["checksum_ok"] is False
    assert rows["DGS10"]["checksum_ok"] is True


def test_verify_reports_missing_raw_file(small_store):
    (small_store / "raw/fred/DGS10.csv").unlink()
    code, _, err = run(["data", "verify"])
    assert code == 1
    assert "raw/fred/DGS10.csv: raw file is missing" in err


def test_corrupt_manifest_exit_1(small_store):
    (small_store / "manifest.json").write_text("{ not json")
    code, _, err = run(["data", "verify"])
    assert code == 1
    assert err.startswith("error: the store manifest")
    assert "rotation data import" in err


def test_import_folder_with_bad_file_exit_1(raw_dir, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "DGS10.csv").write_text("<html><body>Too many requests</body></html>\n")
    (folder / "USREC.csv").write_bytes((raw_dir / "fred/USREC.csv").read_bytes())
    code, out, err = run(["data", "import", folder])
    assert code == 1
    assert "1 file(s) rejected" in err
    assert "DGS10.csv" in out and "rejected" in out and "HTML" in out
    assert "1 added" in out
    store = Store(tmp_path / "store")
    assert store.has("USREC") and not store.has("DGS10")


def test_import_missing_path_exit_1(tmp_path):
    code, _, err = run(["data", "import", tmp_path / "nope"])
    assert code == 1
    assert "does not exist" in err


def test_import_with_end_and_dataset(raw_dir, tmp_path):
    renamed = tmp_path / "iwm_download.csv"
    renamed.write_bytes((raw_dir / "prices/IWM.csv").read_bytes())
    code, out, err = run(["data", "import", renamed, "--dataset", "IWM", "--end", "IWM=2026-07-10"])
    assert code == 0, err
    store = Store(tmp_path / "store")
    assert store.read("IWM").index[-1] == pd.Timestamp("2026-07-10")
    code, out, _ = run(["data", "import", renamed, "--dataset", "IWM", "--end", "2026-07-09"])
    assert code == 0
    assert "1 updated" in out


def test_dataset_with_folder_exit_1(tmp_path):
    code, _, err = run(["data", "import", tmp_path, "--dataset", "DGS10"])
    assert code == 1
    assert "--dataset names what ONE file is" in err


@pytest.mark.parametrize("argv", [["--offline", "data", "fetch", "DGS10"], ["data", "fetch", "DGS10", "-q"]],
                         ids=["flag", "env"])
def test_offline_fetch_exit_1(argv, tmp_path):
    code, out, err = run(argv)
    assert code == 1
    assert err.startswith("error: offline mode (ROTATION_OFFLINE) is on")
    assert "rotation data import" in err
    assert not (tmp_path / "store").exists()


def test_data_dir_option(raw_dir, tmp_path):
    other = tmp_path / "other"
    code, _, err = run(["--data-dir", other, "data", "import", raw_dir / "fred/DGS10.csv"])
    assert code == 0, err
    assert Store(other).has("DGS10")
    assert not (tmp_path / "store").exists()


def test_data_list():
    code, out, _ = run(["data", "list"])
    assert code == 0
    for key in ("size_vw_monthly", "DGS10", "^RUT", "IWM"):
        assert key in out


def test_status_empty_store():
    code, out, _ = run(["data", "status"])
    assert code == 0
    assert "The store is empty" in out
    assert "rotation data fetch" in out and "rotation data import" in out


@pytest.mark.parametrize("argv", [["data"], ["data", "bogus"], ["nothing"], []], ids=["no-subcommand", "bad-subcommand", "bad-command", "empty"])
def test_bad_usage_exit_2(argv):
    with pytest.raises(SystemExit) as info:
        run(argv)
    assert info.value.code == 2
