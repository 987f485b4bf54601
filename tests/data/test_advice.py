"""What users are told to run: the repair of each kind of store problem, composed in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation.data.advice import advised, fix, message, not_stored
from rotation.data.store import Problem, StoreProblemError
from rotation.errors import StoreError

ROOT = Path("/stores/main")
IMPORTED = {"source": "prices", "remote_id": "IWM", "path": "raw/prices/0123456789abcdef/IWM.csv",
            "origin": "/downloads/IWM.csv", "acquired_by": "import", "options": {"end": "2026-07-10"}}


def problem(kind, **kw) -> Problem:
    return Problem(kind, kw.pop("path", "processed/IWM-0123456789abcdef.parquet"), "it is broken", ROOT, **kw)


@pytest.mark.parametrize(
    ("prob", "expected"),
    [
        pytest.param(problem("processed-damaged", dataset="IWM", remote=IMPORTED, raw_intact=True),
                     "run `rotation data rebuild`, which re-creates it from its raw file "
                     "raw/prices/0123456789abcdef/IWM.csv with the same options", id="processed-raw-intact"),
        pytest.param(problem("processed-missing", dataset="IWM", remote=IMPORTED),
                     "re-import the original file: `rotation data import /downloads/IWM.csv --end IWM=2026-07-10`",
                     id="processed-raw-damaged"),
        pytest.param(problem("raw-damaged", remote={**IMPORTED, "origin": "/downloads/my prices.csv", "options": {}}),
                     "re-import the original file: `rotation data import '/downloads/my prices.csv' --dataset IWM`",
                     id="raw-renamed-original"),
        pytest.param(problem("raw-missing", remote={"source": "fred", "remote_id": "DGS10", "acquired_by": "fetch",
                                                    "origin": "https://fred.stlouisfed.org/...", "options": {}}),
                     "re-create it with `rotation data fetch DGS10` (online) or `rotation data import DIR` (offline)",
                     id="raw-fetched"),
        pytest.param(problem("raw-missing", remote={"source": "famafrench", "remote_id": "Portfolios_Formed_on_ME",
                                                    "options": {"end": "2025-12-31"}}),
                     "re-create it with `rotation data fetch size_vw_monthly` (online) or "
                     "`rotation data import DIR --end Portfolios_Formed_on_ME=2025-12-31` (offline)",
                     id="ff-first-key"),
        pytest.param(problem("manifest-damaged", path="manifest.json"),
                     "run `rotation data rebuild` (re-creates processed/ and the manifest from the raw files in "
                     "/stores/main/raw); if raw/ is damaged too, delete /stores/main and import or fetch again.",
                     id="manifest"),
        pytest.param(problem("unreadable"), "check the folder's permissions.", id="unreadable"),
        pytest.param(problem("unwritable"), "make /stores/main writable and free some space (or choose another "
                     "store with --data-dir), then run the command again.", id="unwritable"),
        pytest.param(problem("locked", path=".lock"), "wait for the other `rotation data import`, `fetch` or `rebuild` "
                     "to finish and run the command again (if no such process is running, the lock is stale and is "
                     "released automatically).", id="locked"),
        pytest.param(problem("processed-missing", dataset="IWM"), "run `rotation data rebuild`", id="no-raw-entry"),
    ],
)
def test_fix_of_each_kind(prob, expected):
    assert fix(prob) == expected
    assert message(prob) == f"it is broken. Fix: {expected}"


def test_advised_adds_the_fix_once_and_keeps_the_error():
    prob = problem("unreadable")
    with pytest.raises(StoreProblemError) as caught, advised(), advised():
        raise StoreProblemError(prob)
    assert str(caught.value) == "it is broken. Fix: check the folder's permissions."
    assert caught.value.problem is prob and isinstance(caught.value, StoreError)
    with pytest.raises(ValueError, match="^other$"), advised():  # other errors pass untouched
        raise ValueError("other")


def test_not_stored_names_both_ways_and_offline():
    text = not_stored(ROOT, "dgs10")
    assert text.startswith("dataset 'DGS10' is not in the local store /stores/main. Get it in one of two ways: ")
    assert "`rotation data fetch DGS10` (needs internet; fetches fred 'DGS10')" in text
    assert "`rotation data import DIR` (a folder holding e.g. fred/DGS10.csv)." in text
    assert not_stored(ROOT, "size_vw_daily").endswith("famafrench/Portfolios_Formed_on_ME_Daily_CSV.zip).")
    assert not_stored(ROOT, "DGS10", offline=True) == ("offline mode (ROTATION_OFFLINE) is on and "
                                                       + not_stored(ROOT, "DGS10"))
