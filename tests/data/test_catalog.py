"""The catalog covers every snapshot file and is internally consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation.data import catalog
from rotation.data.catalog import identify
from rotation.errors import DatasetNotFoundError


def test_every_original_snapshot_file_is_in_the_catalog(raw_dir: Path):
    unknown = [str(p.relative_to(raw_dir)) for sub in ("famafrench", "fred", "prices")
               for p in sorted((raw_dir / sub).glob("*")) if p.is_file() and p.suffix != ".md" and identify(p) is None]
    assert not unknown, f"snapshot files the catalog does not know: {unknown}"


def test_every_catalog_remote_file_exists_in_the_snapshot(raw_dir: Path):
    found = {identify(p) for p in raw_dir.rglob("*") if p.is_file()}
    missing = [rf.name for rf in catalog.REMOTE_FILES.values() if (rf.source, rf.remote_id) not in found]
    assert not missing, f"catalog entries with no snapshot file: {missing}"


def test_required_datasets_of_the_foundation_issue():
    for key in ("ff3_monthly", "ff3_daily", "size_vw_monthly", "size_ew_monthly", "size_vw_daily", "sbm_vw_monthly",
                "sbm_beme_monthly", "DGS10", "DGS2", "DFF", "FEDFUNDS", "DTWEXBGS", "TWEXMMTH", "TWEXBMTH", "USREC",
                "BAA10Y", "T10Y2Y", "UNRATE", "NFCI", "VIXCLS", "DFII10", "DFEDTARU", "DFEDTARL", "^RUT", "^GSPC",
                "IWM", "SPY"):
        assert key in catalog.CATALOG, key


@pytest.mark.parametrize("d", list(catalog.CATALOG.values()), ids=lambda d: d.key)
def test_entries_are_complete(d: catalog.Dataset):
    assert d.units and d.description and d.terms
    assert d.frequency in ("D", "W", "M", "Q", "A")
    if d.source == "famafrench":
        assert d.table is not None
    if d.source == "fred":
        assert d.shape == "series" and d.key == d.remote_id
    if d.source == "prices":
        assert d.price_basis


@pytest.mark.parametrize("ticker", ["^RUT", "IWM", "DX-Y.NYB"])
def test_price_filename_round_trip(ticker):
    name = catalog.price_filename(ticker)
    assert "^" not in name
    assert catalog.ticker_from_filename(Path(name).stem) == ticker


def test_unknown_key_suggests_close_matches():
    with pytest.raises(DatasetNotFoundError, match="Did you mean: DGS10"):
        catalog.get("DGS1O")
    assert catalog.get("dgs10").key == "DGS10"


# --------------------------------------------------------------------------- identify
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("IDX_RUT.csv", ("prices", "^RUT"), id="index-ticker"),
        pytest.param("idx_gspc.CSV", ("prices", "^GSPC"), id="index-ticker-lowercase"),
        pytest.param("IWM.csv", ("prices", "IWM"), id="etf"),
        pytest.param("DX-Y.NYB.csv", ("prices", "DX-Y.NYB"), id="ticker-with-dots"),
        pytest.param("IWM.json", ("prices", "IWM"), id="yahoo-json"),
        pytest.param("F-F_Research_Data_Factors_CSV.zip", ("famafrench", "F-F_Research_Data_Factors"), id="ff-zip"),
        pytest.param("F-F_Research_Data_Factors.CSV", ("famafrench", "F-F_Research_Data_Factors"), id="ff-csv"),
        pytest.param("Portfolios_Formed_on_ME_Daily__x.csv", ("famafrench", "Portfolios_Formed_on_ME_Daily"),
                     id="ff-note-after-double-underscore"),
        pytest.param("DGS10.csv", ("fred", "DGS10"), id="fred"),
        pytest.param("/some/folder/usrec.csv", ("fred", "USREC"), id="fred-lowercase-with-folder"),
        pytest.param("unknown.csv", None, id="unknown-name"),
        pytest.param("DGS10.xlsx", None, id="unknown-suffix"),
        pytest.param("PROVENANCE.md", None, id="markdown"),
        pytest.param("IWM.alitalbi.csv", None, id="alt-copy-with-dot-note"),
    ],
)
def test_identify(name, expected):
    assert identify(name) == expected
