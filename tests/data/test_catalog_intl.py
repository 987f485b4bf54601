"""The Ken French international files in the catalog and in the store: keys, units, the import of the snapshot's
``famafrench/international/`` folder, and stored values checked against the raw files read independently
(plain ``csv`` and ``pandas``, not our parser).

Snapshot files are read through ROTATION_RAW_DIR (the tests skip without it); nothing of them is copied here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.data import catalog
from rotation.data.api import load
from rotation.data.ingest import import_paths
from rotation.data.store import Store

INTL = "famafrench/international"
MONTHLY = {
    "intl_developed_monthly": "Developed_3_Factors", "intl_europe_monthly": "Europe_3_Factors",
    "intl_japan_monthly": "Japan_3_Factors", "intl_asia_pacific_ex_japan_monthly": "Asia_Pacific_ex_Japan_3_Factors",
    "intl_emerging_monthly": "Emerging_5_Factors", "intl_north_america_monthly": "North_America_5_Factors",
}
DAILY = {"intl_europe_daily": "Europe_3_Factors_Daily", "intl_europe5_daily": "Europe_5_Factors_Daily",
         "intl_developed_ex_us_daily": "Developed_ex_US_5_Factors_Daily"}
SBM = {f"intl_developed_sbm_{t}": "Developed_6_Portfolios_ME_BE-ME"
       for t in ("vw_monthly", "ew_monthly", "vw_annual", "ew_annual", "nfirms_monthly", "avgsize_monthly")}
ANNUAL = {k.replace("_monthly", "_annual"): v for k, v in MONTHLY.items()}
ALL = {**MONTHLY, **ANNUAL, **DAILY, **SBM}


# --------------------------------------------------------------------------- the catalog
def test_the_international_keys_are_exactly_these():
    monthly_then_annual = [k for pair in zip(MONTHLY, ANNUAL, strict=True) for k in pair]
    assert [k for k in catalog.CATALOG if k.startswith("intl_")] == [*monthly_then_annual, *DAILY, *SBM]
    for key, remote in ALL.items():
        d = catalog.get(key)
        assert (d.source, d.remote_id) == ("famafrench", remote), key


def test_international_entries_are_like_the_us_ones():
    us = catalog.get("ff3_monthly")
    for key, d in catalog.CATALOG.items():
        if not key.startswith("intl_"):
            continue
        assert d.terms == us.terms and d.release_lag_days == 0 and not d.revised
        if d.kind == "returns":
            assert (d.units, d.valid_range) == (us.units, us.valid_range), key
        freq = "A" if key.endswith("_annual") else "D" if key.endswith("_daily") else "M"
        assert d.frequency == freq, key
        required = key in MONTHLY or key in DAILY or key in ("intl_developed_sbm_vw_monthly",
                                                             "intl_developed_sbm_ew_monthly")
        assert d.optional is not required, key
    assert catalog.get("intl_developed_sbm_nfirms_monthly").kind == "count"
    assert catalog.get("intl_developed_sbm_avgsize_monthly").kind == "level"


@pytest.mark.parametrize("remote", sorted(set(ALL.values())))
def test_published_names_are_identified(remote):
    for name in (f"{remote}.csv", f"{remote}_CSV.zip", f"/x/famafrench/international/{remote}.CSV"):
        assert catalog.identify(name) == ("famafrench", remote)


# --------------------------------------------------------------------------- the store
@pytest.fixture(scope="module")
def intl_store(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The snapshot's famafrench/ folder imported, as `rotation data import` does (international/ is a sub-folder)."""
    store = Store(tmp_path_factory.mktemp("intl-store"))
    report = import_paths([raw_dir / "famafrench"], store=store)
    assert report.ok, report.to_frame().to_string()
    rows = {Path(r.file).name: r for r in report.rows if f"/{INTL}/" in Path(r.file).as_posix()}
    assert sorted(rows) == sorted(f"{r}.csv" for r in set(ALL.values()))
    assert {r.status for r in rows.values()} == {"added"}
    assert {k for r in rows.values() for k in r.datasets} == set(ALL)
    return store


def _first_table(path: Path, nth: int = 0) -> pd.DataFrame:
    """The ``nth`` table of a library CSV with pandas alone: header line starting with ',', rows to a blank line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    headers = [i for i, ln in enumerate(lines) if ln.startswith(",")]
    start = headers[nth]
    stop = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    frame = pd.read_csv(path, skiprows=start, nrows=stop - start - 1, index_col=0, skipinitialspace=True,
                        dtype={0: str})
    frame.columns = [c.strip() for c in frame.columns]
    return frame


@pytest.mark.snapshot
def test_japan_january_smb_equals_the_raw_file_over_100(raw_dir, intl_store):
    """The mean SMB of Japan's Januaries: the store vs the raw file read with the csv module, over 100."""
    with open(raw_dir / INTL / "Japan_3_Factors.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "" and "SMB" in r)
    smb_col = rows[header].index("SMB")
    januaries = []
    for r in rows[header + 1:]:
        if not r or not r[0].strip():
            break  # the blank line before the annual table
        if r[0].strip()[4:6] == "01":
            januaries.append(float(r[smb_col]))
    expected = sum(januaries) / len(januaries) / 100
    stored = load("intl_japan_monthly", store=intl_store)
    got = stored.loc[stored.index.month == 1, "SMB"]
    assert len(got) == len(januaries) == 35  # 1991..2025
    assert got.mean() == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.snapshot
@pytest.mark.parametrize("key", [*MONTHLY, *DAILY, "intl_developed_sbm_vw_monthly"])
def test_stored_values_are_the_published_percent_over_100(raw_dir, intl_store, key):
    raw = _first_table(raw_dir / INTL / f"{ALL[key]}.csv")
    stored = load(key, store=intl_store)
    assert list(stored.columns) == list(raw.columns)
    np.testing.assert_allclose(stored.to_numpy(), raw.to_numpy() / 100, rtol=0, atol=1e-15)
    fmt = "%Y%m%d" if key in DAILY else "%Y%m"
    expected_index = pd.to_datetime(raw.index.str.strip(), format=fmt)
    if key not in DAILY:
        expected_index = expected_index + pd.offsets.MonthEnd(0)
    pd.testing.assert_index_equal(stored.index, pd.DatetimeIndex(expected_index, name="date").as_unit("ns"))


@pytest.mark.snapshot
def test_counts_and_sizes_are_kept_as_published(raw_dir, intl_store):
    path = raw_dir / INTL / "Developed_6_Portfolios_ME_BE-ME.csv"
    for key, nth in (("intl_developed_sbm_nfirms_monthly", 4), ("intl_developed_sbm_avgsize_monthly", 5)):
        np.testing.assert_array_equal(load(key, store=intl_store).to_numpy(), _first_table(path, nth).to_numpy())


@pytest.mark.snapshot
def test_missing_markers_are_nan_in_the_store(intl_store):
    annual = load("intl_emerging_annual", store=intl_store)
    assert annual.loc["1990":"1992", "SMB"].isna().all()
    assert annual.loc["1990-12-31", "Mkt-RF"] == pytest.approx(-0.1324)
    assert not annual.loc["1993":].isna().any().any()
    assert not load("intl_emerging_monthly", store=intl_store).isna().any().any()


@pytest.mark.snapshot
def test_manifest_records_the_bloomberg_vintages(intl_store):
    files = intl_store.manifest()["remote_files"]
    vintages = {rid: files[f"famafrench/{rid}"]["meta"]["vintage"] for rid in set(ALL.values())}
    assert vintages["North_America_5_Factors"] == "202005"
    assert vintages["Developed_3_Factors"] == "202512"
    assert vintages["Developed_6_Portfolios_ME_BE-ME"] == "202404"
    assert {vintages[r] for r in DAILY.values()} == {"202603"}
