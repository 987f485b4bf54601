"""Live fetch of the real-time files with the HTTP layer mocked by ``responses``, serving the snapshot's files."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest
import responses

from rotation.data import vintage_sources
from rotation.data.ingest import fetch, import_paths
from rotation.data.parsers.realtime import read_fredmd_csv
from rotation.data.store import Store

RTDSM = ("employMvMd", "rucQvMd")


pytestmark = pytest.mark.usefixtures("online")


@pytest.fixture
def served(raw_dir):
    """The snapshot's files at the official URLs; the first month after the last vintage is not published (404)."""
    fm = raw_dir / "realtime/fred-md"
    monthly = zipfile.ZipFile(fm / "FRED-MD_monthly_vintages_2015-01_2024-03.zip")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        for wb in RTDSM:
            rs.add(responses.GET, vintage_sources.RTDSM_URL.format(name=wb.lower()),
                   body=(raw_dir / f"realtime/philly-rtdsm/{wb}.xlsx").read_bytes())
        rs.add(responses.GET, vintage_sources.FREDMD_HISTORICAL_URL,
               body=(fm / "FRED-MD_monthly_vintages_1999-08_2014-12.zip").read_bytes())
        for name in monthly.namelist():
            rs.add(responses.GET, vintage_sources.FREDMD_MONTHLY_URL.format(month=name[:-4]), body=monthly.read(name))
        rs.add(responses.GET, vintage_sources.FREDMD_MONTHLY_URL.format(month="2024-04"), status=404)
        yield rs, monthly


def test_fetch_matches_import_and_keeps_the_downloads(served, raw_dir, tmp_path):
    rs, monthly = served
    fetched = Store(tmp_path / "fetched")
    report = fetch([*RTDSM, "FRED-MD_historical", "FRED-MD_monthly"], store=fetched, pause=0, retry_count=0,
                   progress=False)
    assert report.ok, report.to_frame().to_string()
    assert {r.status for r in report.rows} == {"added"}
    imported = Store(tmp_path / "imported")
    assert import_paths([raw_dir / f"realtime/philly-rtdsm/{wb}.xlsx" for wb in RTDSM], store=imported).ok
    for wb in RTDSM:
        pd.testing.assert_frame_equal(fetched.read(f"rtdsm_{wb}"), imported.read(f"rtdsm_{wb}"))
    hist = zipfile.ZipFile(raw_dir / "realtime/fred-md/FRED-MD_monthly_vintages_1999-08_2014-12.zip")
    for key, archive in (("fredmd_PAYEMS_historical", hist), ("fredmd_PAYEMS_monthly", monthly)):
        table = fetched.read(key)
        assert list(table.columns) == [n[:-4] for n in sorted(archive.namelist())]
        for name in (min(archive.namelist()), max(archive.namelist())):  # every vintage is its file's column
            one = read_fredmd_csv(archive.read(name), name, ["PAYEMS"])["PAYEMS"]
            np.testing.assert_array_equal(table[name[:-4]].dropna().to_numpy(), one.dropna().to_numpy())
    m = fetched.manifest()["remote_files"]
    assert (fetched.root / m["rtdsm/employMvMd"]["path"]).read_bytes() == \
        (raw_dir / "realtime/philly-rtdsm/employMvMd.xlsx").read_bytes()
    kept = zipfile.ZipFile(fetched.root / m["fredmd/FRED-MD_monthly"]["path"])
    assert kept.namelist() == monthly.namelist()
    assert all(kept.read(n) == monthly.read(n) for n in monthly.namelist())  # every download byte for byte
    assert m["fredmd/FRED-MD_monthly"]["path"].endswith("FRED-MD_monthly_vintages_2015-01_2024-03.zip")

    again = fetch(["FRED-MD_monthly"], store=fetched, pause=0, retry_count=0, progress=False)
    assert [r.status for r in again.rows] == ["unchanged"]  # the same downloads give the same zip


def test_a_failed_workbook_download_leaves_the_store_as_it_was(served, tmp_path):
    rs, _ = served
    rs.replace(responses.GET, vintage_sources.RTDSM_URL.format(name="employmvmd"), status=500)
    store = Store(tmp_path / "store")
    report = fetch(["employMvMd"], store=store, pause=0, retry_count=0, progress=False)
    assert not report.ok and "HTTP 500" in report.failed[0].detail
    assert not store.manifest()["datasets"]
