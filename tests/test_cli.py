"""The ``rotation`` command's data subcommands, run in-process with ``rotation.cli.main``."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import stat
import zipfile
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


def test_status_shows_vintage_coverage(use_full_store, raw_dir):
    from rotation.data.parsers.realtime import read_rtdsm

    code, out, err = run(["data", "status", "--json"])
    assert code == 0, err
    rows = {r["key"]: r for r in json.loads(out)}
    _, employ = read_rtdsm((raw_dir / "realtime/philly-rtdsm/employMvMd.xlsx").read_bytes(), "employMvMd.xlsx")
    assert (rows["rtdsm_employMvMd"]["first_vintage"], rows["rtdsm_employMvMd"]["last_vintage"]) == \
        (employ.columns[0], employ.columns[-1])
    members = sorted(p.name for z in sorted((raw_dir / "realtime/fred-md").glob("*.zip"))
                     for p in map(Path, zipfile.ZipFile(z).namelist()))
    assert rows["fredmd_PAYEMS_historical"]["first_vintage"] == members[0][:7]
    assert rows["fredmd_PAYEMS_monthly"]["last_vintage"] == members[-1][:7]
    assert rows["IWM"]["first_vintage"] is None and rows["size_vw_monthly"]["vintages"] is None
    code, out, _ = run(["data", "status"])
    table = out.split("real-time vintages", 1)[1].split("\nage_days:", 1)[0]  # the vintage table alone
    assert re.search(rf"rtdsm_employMvMd\s+rtdsm\s+{employ.columns[0]}\s+{employ.columns[-1]}", table)
    assert "size_vw_monthly" not in table


def test_verify_full_store(use_full_store):
    code, out, err = run(["data", "verify"])
    assert code == 0, err
    assert out.startswith("ok: ")
    assert "every checksum matches" in out


def test_verify_reports_corrupt_processed_file(small_store):
    code, out, _ = run(["data", "verify"])
    assert code == 0
    assert "ok: 2 datasets" in out

    rel = Store(small_store).manifest()["datasets"]["IWM"]["path"]
    target = small_store / rel
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))

    code, out, err = run(["data", "verify"])
    assert code == 1
    assert rel in err
    assert "does not match its checksum" in err
    assert "rotation data rebuild" in err  # the raw file is intact: rebuild from it
    assert "1 problem(s)" in err
    assert "DGS10" not in err

    code, out, _ = run(["data", "status", "--json"])
    assert code == 1
    rows = {r["key"]: r for r in json.loads(out)}
    assert rows["IWM"]["checksum_ok"] is False
    assert rows["DGS10"]["checksum_ok"] is True


def test_verify_reports_missing_raw_file(small_store, raw_dir):
    rel = Store(small_store).manifest()["remote_files"]["fred/DGS10"]["path"]
    (small_store / rel).unlink()
    code, _, err = run(["data", "verify"])
    assert code == 1
    assert f"{rel}: raw file is missing" in err
    assert f"rotation data import {(raw_dir / 'fred/DGS10.csv').resolve()}`" in err


def test_corrupt_manifest_exit_1(small_store):
    (small_store / "manifest.json").write_text("{ not json")
    code, _, err = run(["data", "verify"])
    assert code == 1
    assert err.startswith("manifest.json: the store manifest") and "not valid JSON" in err
    assert "rotation data rebuild" in err
    code, _, err = run(["data", "status"])
    assert code == 1 and err.startswith("error: the store manifest") and "Traceback" not in err


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


@pytest.mark.parametrize("argv", [["data"], ["data", "bogus"], ["nothing"], []],
                         ids=["no-subcommand", "bad-subcommand", "bad-command", "empty"])
def test_bad_usage_exit_2(argv):
    with pytest.raises(SystemExit) as info:
        run(argv)
    assert info.value.code == 2


# --------------------------------------------------------------------------- repairs that work
def _frames(store: Store) -> dict:
    m = store.manifest()
    return {k: (e["sha256"], e["rows"], e["last"]) for k, e in m["datasets"].items()}


def test_rebuild_after_truncated_manifest_restores_identical_data(raw_dir, tmp_path):
    code, _, err = run(["data", "import", raw_dir / "prices/IWM.csv", raw_dir / "fred/DGS10.csv",
                        raw_dir / "famafrench/F-F_Research_Data_Factors_CSV.zip", "--end", "IWM=2026-07-10"])
    assert code == 0, err
    store = Store(tmp_path / "store")
    before = _frames(store)
    text = store.manifest_path.read_text()
    store.manifest_path.write_text(text[: len(text) // 2])
    code, _, err = run(["data", "import", raw_dir / "fred/DGS10.csv"])  # a writer refuses, with the repair
    assert code == 1 and "rotation data rebuild" in err and "Traceback" not in err
    code, out, err = run(["data", "rebuild"])
    assert code == 0, err
    assert _frames(store) == before  # same bytes (sha256), rows and last date, the IWM cut included
    assert before["IWM"][2] == "2026-07-10"
    code, out, _ = run(["data", "verify"])
    assert code == 0 and out.startswith("ok: 4 datasets")


def test_advised_repair_of_a_deleted_processed_file_restores_the_cut(raw_dir, tmp_path):
    code, _, err = run(["data", "import", raw_dir / "prices/IWM.csv", "--end", "IWM=2026-07-10"])
    assert code == 0, err
    store = Store(tmp_path / "store")
    before = _frames(store)
    (store.root / store.manifest()["datasets"]["IWM"]["path"]).unlink()
    code, _, err = run(["data", "verify"])
    assert code == 1 and "rotation data rebuild" in err
    assert run(["data", "rebuild"])[0] == 0
    assert _frames(store) == before
    assert store.read("IWM").index[-1] == pd.Timestamp("2026-07-10")


def test_advised_reimport_of_a_damaged_raw_file_restores_the_cut(raw_dir, tmp_path):
    src = tmp_path / "downloads"
    src.mkdir()
    (src / "IWM.csv").write_bytes((raw_dir / "prices/IWM.csv").read_bytes())
    assert run(["data", "import", src / "IWM.csv", "--end", "IWM=2026-07-10"])[0] == 0
    store = Store(tmp_path / "store")
    before = _frames(store)
    raw = store.root / store.manifest()["remote_files"]["prices/IWM"]["path"]
    raw.write_bytes(b"damaged")
    code, _, err = run(["data", "verify"])
    assert code == 1
    advice = re.search(r"`rotation data import ([^`]+)`", err).group(1).split()
    assert "--end" in advice
    assert run(["data", "import", *advice])[0] == 0
    assert _frames(store) == before
    assert run(["data", "verify"])[0] == 0


# --------------------------------------------------------------------------- clear errors
def test_non_utf8_end_file_is_a_message(raw_dir, tmp_path):
    bad = tmp_path / "cuts.txt"
    bad.write_bytes(b"IWM=2026-07-10\n\xff\xfe\n")
    code, _, err = run(["data", "import", raw_dir / "prices/IWM.csv", "--end-file", bad])
    assert code == 1
    assert err.startswith(f"error: the end-date file '{bad}' is not UTF-8") and "Traceback" not in err


@pytest.mark.parametrize(("errno_", "words"), [(errno.ENOSPC, "No space left"), (errno.EROFS, "Read-only file system")],
                         ids=["disk-full", "read-only"])
def test_import_into_an_unwritable_store_keeps_the_table_and_the_store(raw_dir, tmp_path, monkeypatch, errno_, words):
    assert run(["data", "import", raw_dir / "fred/DGS10.csv"])[0] == 0
    store = Store(tmp_path / "store")
    before = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"}
    import rotation.data.store.files as store_mod

    def refuse(path, data, **kw):
        raise OSError(errno_, os.strerror(errno_), str(path))

    monkeypatch.setattr(store_mod, "_write_new", refuse)
    code, out, err = run(["data", "import", raw_dir / "prices/IWM.csv", raw_dir / "fred/T10Y2Y.csv"])
    assert code == 1
    assert "IWM.csv" in out and "T10Y2Y.csv" in out and "not imported" in out  # the per-file table is printed
    assert err.strip().startswith("error: could not write") and words in err and str(store.root) in err
    assert "Fix:" in err and "Traceback" not in err
    after = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file() and p.name != ".lock"}
    assert after == before


def test_store_files_are_readable_by_others(raw_dir, tmp_path):
    old = os.umask(0o022)
    try:
        assert run(["data", "import", raw_dir / "fred/DGS10.csv"])[0] == 0
    finally:
        os.umask(old)
    root = tmp_path / "store"
    for p in [root / "manifest.json", *root.rglob("*.parquet"), *root.glob("raw/*/*/*")]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p


def test_status_shows_observation_age_and_stale(small_store):
    code, out, err = run(["data", "status", "--json"])
    rows = {r["key"]: r for r in json.loads(out)}
    assert rows["IWM"]["last"] == "2026-07-13"
    today = pd.Timestamp.now(tz="UTC").date()
    assert rows["IWM"]["age_days"] == (today - pd.Timestamp("2026-07-13").date()).days
    assert rows["IWM"]["stale"] is (rows["IWM"]["age_days"] > 14)


# --------------------------------------------------------------------------- run and results

NOTEBOOK_02 = Path(__file__).resolve().parents[1] / "notebooks" / "02_dollar_sensitivity.ipynb"


def test_params_file_dates_read_like_p_values(tmp_path):
    """`-f` with `split_date: 2008-01-01` used to be refused ("must be str, got datetime.date")."""
    from rotation.cli import read_params_file
    from rotation.runner import plan_parameters

    f = tmp_path / "params.yaml"
    f.write_text("split_date: 2008-01-01\nrolling_months: 24\nproxy: iwm_spy\n", encoding="utf-8")
    from_file = plan_parameters([NOTEBOOK_02], read_params_file(str(f)))[0][0]
    given = {"split_date": "2008-01-01", "rolling_months": "24", "proxy": "iwm_spy"}
    from_p = plan_parameters([NOTEBOOK_02], given)[0][0]
    assert from_file == from_p == {"split_date": "2008-01-01", "rolling_months": 24, "proxy": "iwm_spy"}


def test_params_file_errors_are_messages(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("proxy: caf\xe9\n".encode("latin-1"))
    code, out, err = run(["run", "02", "-f", bad, "--out", tmp_path / "x"])
    assert code == 1 and "not UTF-8" in err and str(bad) in err and "Traceback" not in err
    code, _, err = run(["run", "02", "-f", tmp_path / "missing.yaml", "--out", tmp_path / "x"])
    assert code == 1 and "missing.yaml" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("proxy: [iwm\n")
    code, _, err = run(["run", "02", "-f", broken, "--out", tmp_path / "x"])
    assert code == 1 and "broken.yaml" in err
    assert not (tmp_path / "x").exists()


def test_run_accepts_papermill_spelling_and_suggests_names(tmp_path):
    code, _, err = run(["run", "01", "-p", "proxi", "iwm_spy", "--out", tmp_path / "x"])
    assert code == 1 and "unknown parameter 'proxi'" in err and "did you mean 'proxy'" in err
    code, _, err = run(["run", "01", "-p", "proxy", "iwm_sp", "--out", tmp_path / "x"])
    assert code == 1 and "did you mean 'iwm_spy'" in err
    code, _, err = run(["run", "01", "-p", "breakout_lookback=100000000000000000000000", "--out", tmp_path / "x"])
    assert code == 1 and "'breakout_lookback'" in err and "Traceback" not in err
    code, _, err = run(["run", "01", "-p", "split_date", "--out", tmp_path / "x"])
    assert code == 1 and "NAME=VALUE" in err
    assert not (tmp_path / "x").exists()


def test_run_refuses_root_and_files_as_out(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("x")
    for out, words in ((f, "existing file"), ("/", "filesystem root")):
        code, _, err = run(["run", "02", "--out", out])
        assert code == 1 and words in err and "Traceback" not in err


def test_results_table_json_and_ipynb(tmp_path):
    from rotation.outputs import RECORD_MIME

    run_dir = tmp_path / "run"
    (run_dir / "01_x").mkdir(parents=True)
    table = {"title": "mean by month", "units": "decimal return per month", "method": {"kind": "HAC", "lags": 12},
             "rows": {"Jan": {"estimate": 0.034712, "ci_lower": 0.0243, "ci_upper": 0.04506, "p_value": 5.3e-11,
                              "nobs": 100.0, "std_err": 0.005, "t": 6.9}}}
    verdict = {"claim_id": "january_effect", "verdict": "supported", "headline": {"estimate": 0.03}}
    values = {"latest.1y": 0.0123456789, "ci": [-0.01234567, 0.05], "n": 3, "missing": None,
              "by_decade": {str(1930 + 10 * i): i / 7 for i in range(10)}, "calendar": table,
              "verdicts": {"january_effect": verdict}}
    (run_dir / "01_x" / "results.json").write_text(json.dumps(values))
    code, out, _ = run(["results", run_dir])
    assert code == 0
    lines = out.splitlines()
    assert "== 01_x (7 results)" in out and "0.01235" in out and "[-0.01235, 0.05]" in out and "n/a" in out
    assert any(line.startswith("by_decade.1940") and line.endswith("0.1429") for line in lines)
    assert any("mean by month (decimal return per month)" in line for line in lines)
    assert any(line.strip().startswith("Jan") and "0.03471  [0.0243, 0.04506]  p=5.3e-11  n=100" in line
               for line in lines)
    assert any(line.startswith("verdicts.january_effect") and "supported (claim january_effect)" in line
               for line in lines)
    assert "decimals" in out and len(lines) < 30
    code, out, _ = run(["results", run_dir / "01_x", "--json"])
    assert code == 0 and json.loads(out) == {"01_x": values}
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [
        {"output_type": "display_data", "metadata": {}, "data": {RECORD_MIME: {"name": "a", "value": 1}}}]}]}
    (tmp_path / "out.ipynb").write_text(json.dumps(nb))
    code, out, _ = run(["results", tmp_path / "out.ipynb", "--json"])
    assert code == 0 and json.loads(out) == {"out": {"a": 1}}
    code, _, err = run(["results", tmp_path / "nowhere"])
    assert code == 1 and "does not exist" in err


def test_results_says_what_a_path_is_when_it_is_not_a_run(tmp_path):
    """`rotation results /etc/passwd` said "does not exist" (issue 26): it is a file, not a run folder."""
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0::/root:/bin/sh\n")
    code, out, err = run(["results", passwd])
    assert code == 1 and out == ""
    assert f"{passwd} is a file, not a run folder or an executed notebook (.ipynb); give a run folder" in err
    assert "does not exist" not in err and "Traceback" not in err
    code, _, err = run(["results", tmp_path])  # an existing folder without results: what it expected
    assert code == 1 and "no results.json or executed notebook under" in err


def test_large_grid_flag_belongs_to_a_grid(tmp_path):
    code, _, err = run(["run", "01", "--large-grid", "--out", tmp_path / "x"])
    assert code == 1 and "--large-grid allows a grid of more than 200 combinations; add --grid" in err
    assert not (tmp_path / "x").exists()


def test_run_and_results_help_carry_examples(capsys):
    for cmd in ("run", "results"):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        assert "examples:" in capsys.readouterr().out
