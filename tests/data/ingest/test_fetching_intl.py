"""Live fetch of the Ken French international files with the HTTP layer mocked by ``responses``.

The mocked library serves ``<name>_CSV.zip`` archives built here from the REAL snapshot files
(``famafrench/international/`` under ROTATION_RAW_DIR: a CRLF file and an LF one), as the library publishes them.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import responses

from rotation.data.api import load
from rotation.data.ingest import fetch, import_paths
from rotation.data.store import Store

INTL = "famafrench/international"
LIBRARY = r"https?://mba\.tuck\.dartmouth\.edu/pages/faculty/ken\.french/ftp/"
FILES = {"Japan_3_Factors": ("intl_japan_monthly", "intl_japan_annual"),  # CRLF in the snapshot
         "Europe_3_Factors_Daily": ("intl_europe_daily",)}  # LF


def library_zip(csv_path: Path) -> bytes:
    """``<name>_CSV.zip`` as the library serves it: one member, ``<name>.csv``, the file's bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(csv_path.name, csv_path.read_bytes())
    return buf.getvalue()


pytestmark = pytest.mark.usefixtures("online")


@pytest.fixture
def library(raw_dir):
    """The mocked library: every file of FILES at its ``_CSV.zip`` URL; yields ``{remote id: registered response}``."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rs:
        yield {rid: rs.add(responses.GET, re.compile(LIBRARY + re.escape(rid) + r"_CSV\.zip$"),
                           body=library_zip(raw_dir / INTL / f"{rid}.csv"), status=200)
               for rid in FILES}


@pytest.mark.snapshot
def test_fetch_stores_the_zip_and_matches_the_import(tmp_path, raw_dir, library):
    store = Store(tmp_path / "fetched")
    report = fetch(["intl_japan_monthly", "intl_europe_daily"], store=store, retry_count=0, pause=0, progress=False)
    assert report.ok, report.to_frame().to_string()
    assert [(r.remote, r.status, r.datasets) for r in report.rows] == [
        (f"famafrench/{rid}", "added", keys) for rid, keys in FILES.items()]
    assert all(resp.call_count == 1 for resp in library.values())
    files = store.manifest()["remote_files"]
    for rid in FILES:
        entry = files[f"famafrench/{rid}"]
        assert re.fullmatch(rf"raw/famafrench/[0-9a-f]{{16}}/{rid}_CSV\.zip", entry["path"])
        assert re.fullmatch(LIBRARY + rid + r"_CSV\.zip", entry["origin"])
        assert entry["meta"]["vintage"] in ("202503", "202603")

    imported = Store(tmp_path / "imported")
    assert import_paths([raw_dir / INTL / f"{rid}.csv" for rid in FILES], store=imported).ok
    for keys in FILES.values():
        for key in keys:
            pd.testing.assert_frame_equal(load(key, store=store), load(key, store=imported))
    daily = load("intl_europe_daily", store=store)
    assert daily.index[0] == pd.Timestamp("1990-07-02") and daily.index.name == "date"
    assert store.verify() == []


@pytest.mark.snapshot
def test_load_fetches_a_missing_international_dataset(tmp_path, library):
    """Online, ``load`` of a key that is not in the store fetches its file from the library first."""
    store = Store(tmp_path / "empty")
    japan = load("intl_japan_monthly", store=store)
    assert library["Japan_3_Factors"].call_count == 1 and library["Europe_3_Factors_Daily"].call_count == 0
    assert japan.index[0] == pd.Timestamp("1990-07-31") and list(japan.columns) == ["Mkt-RF", "SMB", "HML", "RF"]
    assert japan.loc["1990-07-31", "SMB"] == pytest.approx(0.06)  # published 6.00 (percent)
