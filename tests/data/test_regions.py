"""rotation.data.regions: the regions, their keys and definitions, and regional_factors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from rotation.data import catalog
from rotation.data.api import load
from rotation.data.ingest import import_paths
from rotation.data.regions import REGIONS, Region, region, regional_factors
from rotation.data.store import Store
from rotation.errors import ParameterError

KEYS = ["developed", "europe", "japan", "asia_pacific_ex_japan", "emerging", "north_america"]


def test_the_regions_and_their_keys():
    assert list(REGIONS) == KEYS
    assert REGIONS["asia_pacific_ex_japan"].label == "Asia Pacific ex Japan"
    for key, r in REGIONS.items():
        assert isinstance(r, Region) and r.key == key
        assert r.monthly == f"intl_{key}_monthly" and r.annual == f"intl_{key}_annual"
        for k in (r.monthly, r.annual, r.daily):
            assert k is None or k in catalog.CATALOG
        assert set(r.factors) <= {"Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF"} and r.factors[:3] == ("Mkt-RF", "SMB",
                                                                                                       "HML")
        assert r.vintage_note
    assert {k: r.daily for k, r in REGIONS.items() if r.daily} == {
        "developed": "intl_developed_ex_us_daily", "europe": "intl_europe_daily"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        REGIONS["japan"].daily = "x"  # type: ignore[misc]


def test_definitions_are_honest():
    for r in REGIONS.values():
        text = r.definition
        for words in ("top 90%", "bottom 10%", "average of the region's small-stock portfolios", "US dollars",
                      "not the US bottom-30%/top-30%", "Bloomberg", "1990-07"):
            assert words in text, (r.key, words)
    assert "ex US" in REGIONS["developed"].definition
    assert "1992-07" in REGIONS["emerging"].definition
    assert "2020-05" in REGIONS["north_america"].definition and "202005" in REGIONS["north_america"].vintage_note


def test_bad_region_names_the_valid_ones():
    with pytest.raises(ParameterError, match="unknown region 'usa'; the regions are: developed, europe, japan, "
                                             "asia_pacific_ex_japan, emerging, north_america"):
        regional_factors("usa")
    assert region("Asia Pacific ex Japan") is REGIONS["asia_pacific_ex_japan"]
    assert region(" North-America ") is REGIONS["north_america"]


def test_bad_frequency_and_missing_daily_file():
    with pytest.raises(ParameterError, match="frequency must be one of M, A, D"):
        regional_factors("japan", "W")
    with pytest.raises(ParameterError, match="'japan' has no daily file.*developed, europe"):
        regional_factors("japan", "D")
    assert REGIONS["europe"].key_for("daily") == "intl_europe_daily"
    assert REGIONS["europe"].key_for("a") == "intl_europe_annual"


@pytest.fixture(scope="module")
def region_store(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("regions-store"))
    assert import_paths([raw_dir / "famafrench" / "international"], store=store).ok
    return store


@pytest.mark.snapshot
@pytest.mark.parametrize("key", KEYS)
def test_regional_factors_load_the_catalog_key(region_store, key):
    r = REGIONS[key]
    monthly = regional_factors(key, store=region_store)
    pd.testing.assert_frame_equal(monthly, load(r.monthly, store=region_store))
    assert tuple(monthly.columns) == r.factors
    assert monthly.index.name == "date" and monthly.index.is_month_end.all()
    annual = regional_factors(key, "A", store=region_store)
    assert ((annual.index.month == 12) & (annual.index.day == 31)).all()
    cut = regional_factors(key, "M", "2000-01-01", "2000-12-31", store=region_store)
    assert len(cut) == 12 and cut.index[0] == pd.Timestamp("2000-01-31")
    if r.daily:
        daily = regional_factors(key, "D", store=region_store)
        pd.testing.assert_frame_equal(daily, load(r.daily, store=region_store))
        assert daily.index[0] == pd.Timestamp("1990-07-02")
