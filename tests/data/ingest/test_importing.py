"""Importing folders of original downloads (``rotation data import``), against the real snapshot."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.data import catalog
from rotation.data.api import status
from rotation.data.ingest import import_paths, parse_end_option
from rotation.data.store import Store
from rotation.errors import DatasetNotFoundError, ParameterError


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as ``{relative posix path: bytes}``."""
    root = Path(root)
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_DATA_DIR", str(tmp_path / "default_store"))
    monkeypatch.setenv("ROTATION_OFFLINE", "1")


@pytest.fixture(scope="module")
def imported(raw_dir, tmp_path_factory):
    """The whole snapshot imported once into a module-private store: (store, report)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ROTATION_OFFLINE", "1")
        store = Store(tmp_path_factory.mktemp("imported") / "store")
        report = import_paths([raw_dir], store=store)
    return store, report


# --------------------------------------------------------------------------- whole snapshot
def test_import_snapshot_succeeds(imported):
    store, report = imported
    assert report.ok, report.to_frame().query("status == 'rejected'").to_string()
    assert report.rejected == []
    counts = report.counts()
    assert counts.get("added", 0) > 50
    assert "rejected" not in counts
    # alt/ copies whose names carry a dotted note are not recognised, and say how to import them
    skipped = [r for r in report.rows if r.status == "skipped"]
    assert skipped and all("--dataset" in r.detail for r in skipped)


def test_every_required_dataset_is_in_the_store(imported):
    store, _ = imported
    have = set(store.manifest()["datasets"])
    missing = [k for k, d in catalog.CATALOG.items() if not d.optional and k not in have]
    assert missing == []
    assert store.verify() == []
    assert all(r["checksum_ok"] for r in status(store))


def test_import_keeps_the_raw_bytes(imported, raw_dir):
    store, _ = imported
    m = store.manifest()["remote_files"]
    for name, rel in (("fred/DGS10", "fred/DGS10.csv"), ("prices/^RUT", "prices/IDX_RUT.csv"),
                      ("famafrench/Portfolios_Formed_on_ME", "famafrench/Portfolios_Formed_on_ME.CSV")):
        kept = (store.root / m[name]["path"]).read_bytes()
        assert kept == (raw_dir / rel).read_bytes(), name


def test_newest_copy_of_a_remote_file_wins(imported):
    _, report = imported
    sup = [r for r in report.rows
           if r.status == "superseded" and r.remote == "famafrench/F-F_Research_Data_Factors_daily"]
    assert {Path(r.file).name for r in sup} == {"F-F_Research_Data_Factors_daily.CSV",
                                                "F-F_Research_Data_Factors_daily_CSV.zip"}
    assert all("2026-04-30" in r.detail for r in sup)


def test_import_twice_is_unchanged_and_byte_identical(imported, raw_dir):
    store, _ = imported
    before = snapshot(store.root)
    report = import_paths([raw_dir], store=store)
    assert report.ok
    committed = [r for r in report.rows if r.status not in ("skipped", "superseded")]
    assert committed and {r.status for r in committed} == {"unchanged"}
    assert snapshot(store.root) == before


# --------------------------------------------------------------------------- units and dates
def test_size_returns_are_decimal(imported, raw_dir):
    store, _ = imported
    vw = store.read("size_vw_monthly")
    lines = (raw_dir / "famafrench/Portfolios_Formed_on_ME.CSV").read_text().splitlines()
    header_at = next(i for i, line in enumerate(lines) if "Lo 30" in line)
    header = [c.strip() for c in lines[header_at].split(",")]
    row = next(line for line in lines[header_at:] if line.startswith("192607"))
    published = float(row.split(",")[header.index("Lo 30")])
    assert published == pytest.approx(0.06)
    assert vw.loc["1926-07-31", "Lo 30"] == pytest.approx(published / 100, abs=1e-12)
    assert vw.index[0] == pd.Timestamp("1926-07-31")
    # the unused '<= 0' column (published -99.99) is NaN
    assert vw["<= 0"].isna().all()
    returns = vw.drop(columns="<= 0")
    assert returns.abs().median().max() < 0.1  # percent would be ~1-5
    assert returns.min().min() > -1.0


@pytest.mark.parametrize(
    "key",
    ["size_vw_monthly", "size_ew_monthly", "ff3_monthly", "ff5_monthly", "mom_monthly", "sbm_vw_monthly",
     "USREC", "UNRATE", "FEDFUNDS", "CPIAUCSL"],
)
def test_monthly_datasets_are_stamped_at_month_end(imported, key):
    store, _ = imported
    obj = store.read(key)
    assert obj.index.name == "date"
    assert obj.index.is_month_end.all()
    assert obj.index.is_monotonic_increasing and obj.index.is_unique


def test_fred_usrec_at_month_end(imported, raw_dir):
    store, _ = imported
    usrec = store.read("USREC")
    raw = pd.read_csv(raw_dir / "fred/USREC.csv", parse_dates=["observation_date"])
    assert raw["observation_date"].iloc[0] == pd.Timestamp("1854-12-01")
    assert usrec.index[0] == pd.Timestamp("1854-12-31")
    assert len(usrec) == len(raw)
    assert set(np.unique(usrec.to_numpy())) <= {0.0, 1.0}
    np.testing.assert_array_equal(usrec.to_numpy(), raw["USREC"].to_numpy(dtype=float))
    assert usrec.loc["2020-04-30"] == 1.0


def test_fred_values_as_published(imported, raw_dir):
    store, _ = imported
    dgs10 = store.read("DGS10")
    raw = pd.read_csv(raw_dir / "fred/DGS10.csv", na_values=["."], parse_dates=["observation_date"]).dropna()
    assert len(dgs10) == len(raw)
    np.testing.assert_array_equal(dgs10.to_numpy(), raw["DGS10"].to_numpy())
    assert (dgs10.index == pd.DatetimeIndex(raw["observation_date"])).all()


def test_quarterly_and_daily_dates(imported):
    store, _ = imported
    gdp = store.read("GDPC1")
    assert gdp.index.is_quarter_end.all()
    dgs10 = store.read("DGS10")
    assert not dgs10.index.is_month_end.all()
    assert (dgs10.index.day_of_week < 5).all()


def test_prices_adj_close_from_close(imported, raw_dir):
    store, _ = imported
    iwm = store.read("IWM")
    assert list(iwm.columns) == ["open", "high", "low", "close", "adj_close"]
    pd.testing.assert_series_equal(iwm["adj_close"], iwm["close"], check_names=False)
    raw = pd.read_csv(raw_dir / "prices/IWM.csv", parse_dates=["Date"], index_col="Date")
    assert iwm.index[-1] == raw.index[-1] == pd.Timestamp("2026-07-13")
    assert iwm.loc["2020-03-31", "close"] == raw.loc["2020-03-31", "Close"]


# --------------------------------------------------------------------------- --dataset
@pytest.mark.parametrize("dataset", ["DGS10", "fred/DGS10", "dgs10"], ids=["key", "source-slash-id", "lowercase"])
def test_import_renamed_file_with_dataset(raw_dir, tmp_path, dataset):
    renamed = tmp_path / "in" / "ten_year_treasury.csv"
    renamed.parent.mkdir()
    shutil.copyfile(raw_dir / "fred/DGS10.csv", renamed)
    store = Store(tmp_path / "store")

    report = import_paths([renamed], store=store)
    assert [r.status for r in report.rows] == ["skipped"]
    assert "--dataset" in report.rows[0].detail
    assert not store.has("DGS10")

    report = import_paths([renamed], store=store, dataset=dataset)
    assert report.ok
    assert [(r.status, r.remote) for r in report.rows] == [("added", "fred/DGS10")]
    kept = store.root / store.manifest()["remote_files"]["fred/DGS10"]["path"]
    assert kept.name == "ten_year_treasury.csv"
    assert kept.read_bytes() == renamed.read_bytes()
    assert len(store.read("DGS10")) > 10000


def test_import_reformatted_size_daily_with_dataset(raw_dir, tmp_path, imported):
    src = raw_dir / "famafrench/alt/Portfolios_Formed_on_ME_Daily__reformatted_single_table_to_20250530.csv"
    renamed = tmp_path / "size_daily.csv"
    shutil.copyfile(src, renamed)
    store = Store(tmp_path / "store")
    report = import_paths([renamed], store=store, dataset="size_vw_daily")
    assert report.ok, report.rows
    (row,) = report.rows
    assert row.status == "added"
    assert "size_ew_daily" in row.detail  # optional tables the file does not hold are named
    pd.testing.assert_frame_equal(store.read("size_vw_daily"), imported[0].read("size_vw_daily"))


def test_dataset_with_a_folder_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="--dataset names what ONE file is"):
        import_paths([tmp_path], store=Store(tmp_path / "store"), dataset="DGS10")


def test_unknown_dataset_is_refused_with_suggestions(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("observation_date,DGS10\n2020-01-02,1.0\n")
    with pytest.raises(DatasetNotFoundError, match=r"unknown dataset 'DGS11'.*Did you mean"):
        import_paths([f], store=Store(tmp_path / "store"), dataset="DGS11")


def test_missing_path_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"does-not-exist.*does not exist"):
        import_paths([tmp_path / "does-not-exist"], store=Store(tmp_path / "store"))


# --------------------------------------------------------------------------- bad files
def _html_page() -> bytes:
    return (b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n"
            b"<body><h1>Service Unavailable</h1></body></html>\n")


def _truncated_fred(raw_dir: Path) -> bytes:
    lines = (raw_dir / "fred/DGS2.csv").read_bytes().split(b"\n")
    date = lines[200].split(b",")[0]
    return b"\n".join(lines[:200] + [date + b",4.1x"])


def _duplicate_dates(raw_dir: Path) -> bytes:
    lines = (raw_dir / "prices/SPY.csv").read_bytes().split(b"\n")
    return b"\n".join(lines[:30] + [lines[29]] + lines[30:60]) + b"\n"


def _ff_return_below_minus_100(raw_dir: Path) -> bytes:
    lines = (raw_dir / "famafrench/F-F_Research_Data_Factors.CSV").read_bytes().split(b"\r\n")
    i = next(i for i, line in enumerate(lines) if line.startswith(b"192608"))
    cells = lines[i].split(b",")
    cells[1] = b"-150.00"
    lines[i] = b",".join(cells)
    return b"\r\n".join(lines)


BAD_FILES = {
    # file name: (builder, pattern the rejection detail must match)
    "DGS10.csv": (lambda raw_dir: _html_page(), r"DGS10\.csv.*HTML page"),
    "DGS2.csv": (_truncated_fred, r"DGS2\.csv \(line 201.*'4\.1x' is not a number"),
    "SPY.csv": (_duplicate_dates, r"SPY\.csv \(line 31.*duplicates the date .* on line 30"),
    "UNRATE.csv": (lambda raw_dir: b"", r"UNRATE\.csv.*empty"),
    "F-F_Research_Data_Factors.CSV": (_ff_return_below_minus_100,
                                      r"F-F_Research_Data_Factors\.CSV.*Mkt-RF.*-1\.5.*1926-08-31.*"
                                      r"outside the plausible range"),
}

GOOD_BEFORE = ["fred/DGS10.csv", "fred/DGS2.csv", "prices/SPY.csv", "fred/UNRATE.csv",
               "famafrench/F-F_Research_Data_Factors.CSV"]


@pytest.fixture
def bad_folder(raw_dir, tmp_path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    shutil.copyfile(raw_dir / "fred/T10Y2Y.csv", folder / "T10Y2Y.csv")  # the one good file
    for name, (build, _) in BAD_FILES.items():
        (folder / name).write_bytes(build(raw_dir))
    (folder / "notes.txt").write_text("not a data file\n")
    return folder


def test_bad_files_are_rejected_good_ones_imported(raw_dir, bad_folder, tmp_path):
    store = Store(tmp_path / "store")
    pre = import_paths([raw_dir / rel for rel in GOOD_BEFORE], store=store)
    assert pre.ok and {r.status for r in pre.rows} == {"added"}
    before = snapshot(store.root)
    manifest_before = store.manifest()

    report = import_paths([bad_folder], store=store)

    assert not report.ok
    by_name = {Path(r.file).name: r for r in report.rows}
    assert by_name["T10Y2Y.csv"].status == "added"
    assert by_name["notes.txt"].status == "skipped"
    assert {Path(r.file).name for r in report.rejected} == set(BAD_FILES)
    for name, (_, pattern) in BAD_FILES.items():
        row = by_name[name]
        assert row.status == "rejected"
        assert row.file == str(bad_folder / name)
        assert re.search(pattern, row.detail, re.S), f"{name}: {row.detail}"

    # the datasets imported before are byte-for-byte as they were
    after = snapshot(store.root)
    for path, data in before.items():
        if path != "manifest.json":
            assert after[path] == data, path
    new_files = set(after) - set(before)
    t10 = store.manifest()["remote_files"]["fred/T10Y2Y"]["path"]
    assert re.fullmatch(r"raw/fred/[0-9a-f]{16}/T10Y2Y\.csv", t10)
    assert new_files == {t10, str(Path(t10).parent / ".import.json"), store.manifest()["datasets"]["T10Y2Y"]["path"]}
    manifest_after = store.manifest()
    for section in ("remote_files", "datasets"):
        for key, entry in manifest_before[section].items():
            assert manifest_after[section][key] == entry, key
    assert store.verify() == []
    assert store.read("T10Y2Y").notna().all()


def test_bad_file_on_empty_store_adds_nothing(raw_dir, tmp_path):
    store = Store(tmp_path / "store")
    f = tmp_path / "UNRATE.csv"
    f.write_bytes(b"")
    report = import_paths([f], store=store)
    assert not report.ok
    assert snapshot(store.root) == {}


# --------------------------------------------------------------------------- --end
def test_end_cuts_the_last_row(raw_dir, tmp_path):
    store = Store(tmp_path / "store")
    iwm = raw_dir / "prices/IWM.csv"
    report = import_paths([iwm], store=store, end={"IWM": "2026-07-10"})
    assert [r.status for r in report.rows] == ["added"]
    frame = store.read("IWM")
    assert frame.index[-1] == pd.Timestamp("2026-07-10")
    assert store.manifest()["datasets"]["IWM"]["last"] == "2026-07-10"
    assert store.manifest()["remote_files"]["prices/IWM"]["options"] == {"end": "2026-07-10"}
    raw_before = (store.root / store.manifest()["remote_files"]["prices/IWM"]["path"]).read_bytes()
    assert raw_before == iwm.read_bytes()  # the original is kept whole

    report = import_paths([iwm], store=store, end={"IWM": "2026-07-10"})
    assert [r.status for r in report.rows] == ["unchanged"]

    report = import_paths([iwm], store=store, end="2026-07-09")
    assert [r.status for r in report.rows] == ["updated"]
    assert store.read("IWM").index[-1] == pd.Timestamp("2026-07-09")

    report = import_paths([iwm], store=store)
    assert [r.status for r in report.rows] == ["updated"]
    assert store.read("IWM").index[-1] == pd.Timestamp("2026-07-13")


def test_end_for_one_key_leaves_others_whole(raw_dir, tmp_path):
    store = Store(tmp_path / "store")
    report = import_paths([raw_dir / "prices/IWM.csv", raw_dir / "prices/SPY.csv"], store=store,
                          end=parse_end_option(["SPY=2026-07-10"]))
    assert report.ok
    assert store.read("SPY").index[-1] == pd.Timestamp("2026-07-10")
    assert store.read("IWM").index[-1] == pd.Timestamp("2026-07-13")


def test_bad_end_date(raw_dir, tmp_path):
    with pytest.raises(ParameterError, match=r"end date 'soon'.*YYYY-MM-DD"):
        import_paths([raw_dir / "prices/IWM.csv"], store=Store(tmp_path / "store"), end="soon")


def test_report_frame(imported):
    _, report = imported
    frame = report.to_frame()
    assert list(frame.columns) == ["file", "remote", "status", "detail", "datasets"]
    assert len(frame) == len(report.rows)
    assert set(frame["status"]) == {"added", "skipped", "superseded"}


# --------------------------------------------------------------------------- dates after today (issue 26, row 5)
def _import_cli(store: Path, *args: str) -> int:
    from rotation.cli import main

    return main(["--data-dir", str(store), "data", "import", *args])


def test_a_row_dated_2099_is_refused_naming_file_line_and_fix(raw_dir, tmp_path, monkeypatch, capsys):
    """The probe's case as a user meets it: a row dated 2099-01-02 appended to a FRED file, then imported."""
    monkeypatch.setenv("ROTATION_TODAY", "2026-12-07")
    store = tmp_path / "store"
    original = raw_dir / "fred/DGS10.csv"
    assert _import_cli(store, str(original)) == 0
    before = snapshot(store)
    edited = tmp_path / "downloads" / "DGS10.csv"
    edited.parent.mkdir()
    edited.write_bytes(original.read_bytes() + b"2099-01-02,4.50\n")
    line = len(original.read_bytes().splitlines()) + 1
    capsys.readouterr()

    assert _import_cli(store, str(edited)) == 1

    out = capsys.readouterr().out
    assert re.search(rf"DGS10\.csv \(line {line}\): the row dated 2099-01-02 is after today, 2026-12-07, so it "
                     r"cannot have been observed yet\..*Fix: remove that row \(or drop it at import with --end DATE\)"
                     r".*ROTATION_TODAY=YYYY-MM-DD", out), out
    assert snapshot(store) == before
    (dgs10,) = [r for r in status(Store(store)) if r["key"] == "DGS10"]
    assert dgs10["last"] == "2026-07-30" and dgs10["age_days"] >= 0


def _fred(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


MONTHLY = _fred("observation_date,UNRATE", "2026-10-01,4.1", "2026-11-01,4.2", "2026-12-01,4.3")
QUARTERLY = _fred("observation_date,GDPC1", "2026-04-01,23000.1", "2026-07-01,23100.2", "2026-10-01,23200.3")
DAILY = _fred("observation_date,DGS10", "2026-12-04,4.1", "2026-12-07,4.2", "2026-12-08,4.3")

TODAY_CASES = [
    # file, bytes, today, --end, refused at (line, pattern) or None when imported, last date stored
    ("UNRATE.csv", MONTHLY, "2026-12-07", None,
     (4, r"the monthly value for 2026-12 \(written 2026-12-01\) describes a month that has not ended by today, "
         r"2026-12-07.*dated at the end of its month, here 2026-12-31"), None),
    ("UNRATE.csv", MONTHLY, "2026-12-31", None, None, "2026-12-31"),
    ("UNRATE.csv", MONTHLY, "2026-12-07", "2026-11-30", None, "2026-11-30"),
    ("GDPC1.csv", QUARTERLY, "2026-12-07", None, (4, r"the quarterly value for 2026Q4 \(written 2026-10-01\)"), None),
    ("GDPC1.csv", QUARTERLY, "2027-01-01", None, None, "2026-12-31"),
    ("DGS10.csv", DAILY, "2026-12-07", None, (4, r"the row dated 2026-12-08 is after today, 2026-12-07"), None),
    ("DGS10.csv", DAILY, "2026-12-08", None, None, "2026-12-08"),
]


@pytest.mark.parametrize(("name", "data", "today", "end", "refused", "last"), TODAY_CASES,
                         ids=["month-not-ended", "month-ended-today", "cut-with-end", "quarter-not-ended",
                              "quarter-ended", "daily-tomorrow", "daily-today"])
def test_what_cannot_have_been_observed_yet_is_refused(tmp_path, monkeypatch, name, data, today, end, refused, last):
    monkeypatch.setenv("ROTATION_TODAY", today)
    path = tmp_path / name
    path.write_bytes(data)
    store = Store(tmp_path / "store")
    report = import_paths([path], store=store, end=end)
    (row,) = report.rows
    if refused is None:
        assert row.status == "added", row.detail
        key = catalog.identify(path)[1]
        assert store.read(key).index[-1] == pd.Timestamp(last)
        return
    line, pattern = refused
    assert row.status == "rejected"
    assert row.detail.startswith(f"{name} (line {line}): "), row.detail
    assert re.search(pattern, row.detail), row.detail
    assert "No observation may be dated after today" in row.detail and "Fix: " in row.detail
    assert snapshot(store.root) == {}


def test_ken_french_month_and_price_day_after_today(raw_dir, tmp_path, monkeypatch):
    """Ken French dates a month YYYYMM (stamped at its end); prices are daily. Both are held to today."""
    ff = raw_dir / "famafrench/F-F_Research_Data_Factors.CSV"
    lines = ff.read_bytes().split(b"\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"202602"))
    store = Store(tmp_path / "store")
    monkeypatch.setenv("ROTATION_TODAY", "2026-02-27")
    report = import_paths([ff, raw_dir / "prices/IWM.csv"], store=store)
    rows = {Path(r.file).name: r for r in report.rows}
    assert rows[ff.name].status == "rejected"
    assert rows[ff.name].detail.startswith(f"{ff.name} (line {at + 1}): the monthly value for 2026-02 describes "
                                           "a month that has not ended by today, 2026-02-27")
    iwm_lines = (raw_dir / "prices/IWM.csv").read_text().splitlines()
    late = next(n for n, line in enumerate(iwm_lines, 1) if n > 1 and line[:10] > "2026-02-27")
    assert rows["IWM.csv"].status == "rejected"
    assert rows["IWM.csv"].detail.startswith(f"IWM.csv (line {late}): the row dated {iwm_lines[late - 1][:10]} is "
                                             "after today, 2026-02-27")
    monkeypatch.setenv("ROTATION_TODAY", "2026-02-28")
    report = import_paths([ff, raw_dir / "prices/IWM.csv"], store=store, end={"IWM": "2026-02-27"})
    assert report.ok, report.to_frame().to_string()
    assert store.read("ff3_monthly").index[-1] == pd.Timestamp("2026-02-28")
    assert store.read("IWM").index[-1] <= pd.Timestamp("2026-02-27")


def test_rotation_today_must_be_a_date(raw_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ROTATION_TODAY", "next week")
    with pytest.raises(ParameterError, match=r"ROTATION_TODAY='next week' is not a date\. Fix: .*YYYY-MM-DD"):
        import_paths([raw_dir / "fred/DGS10.csv"], store=Store(tmp_path / "store"))
    assert _import_cli(tmp_path / "store", str(raw_dir / "fred/DGS10.csv")) == 1
    assert "error: ROTATION_TODAY='next week' is not a date" in capsys.readouterr().err


# --------------------------------------------------------------------------- encodings (issue 26)
def test_a_latin1_file_is_refused_saying_it_is_not_utf8(raw_dir, tmp_path, capsys):
    """A FRED file re-saved by a spreadsheet in Latin-1, a no-break space as thousands separator."""
    lines = (raw_dir / "fred/PAYEMS.csv").read_text().splitlines()
    date, value = lines[499].split(",")
    thousands, rest = divmod(int(float(value)), 1000)
    lines[499] = f"{date},{thousands}\xa0{rest:03d}.0"
    path = tmp_path / "downloads" / "PAYEMS.csv"
    path.parent.mkdir()
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    store = tmp_path / "store"

    assert _import_cli(store, str(path)) == 1

    out = capsys.readouterr().out
    assert re.search(r"PAYEMS\.csv \(line 500, column 'Value'\): value '\d+\\xa0\d{3}\.0' is not a number.*"
                     r"The file is not UTF-8 text: line 500 holds the byte 0xA0 .*Latin-1/Windows-1252.*"
                     r"Fix: save it as UTF-8", out), out
    assert snapshot(store) == {}
