"""The data overview's results (notebook 00) on made-up inputs, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import overview


def _coverage() -> pd.DataFrame:
    return pd.DataFrame({
        "key": ["old_monthly", "fresh_daily", "optional"],
        "source": ["famafrench", "fred", "famafrench"],
        "remote_id": ["F", "X", "F"],
        "frequency": ["M", "D", "D"],
        "units": ["u", "u", "u"],
        "stored": [True, True, False],
        "rows": [120, 500, pd.NA],
        "first": pd.to_datetime(["2000-01-31", "2019-01-01", pd.NaT]),
        "last": pd.to_datetime(["2009-12-31", "2020-12-31", pd.NaT]),
        "acquired_at": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", None],
        "acquired_by": ["import", "import", None],
    })


def test_coverage_study_by_hand():
    res = overview.coverage_study(_coverage())
    t = res.table
    assert t.loc["old_monthly", "nobs"] == 120 and pd.isna(t.loc["optional", "nobs"])
    assert t.loc["fresh_daily", "estimate"] == pytest.approx(730 / 365.25)
    assert np.isnan(t.loc["optional", "estimate"])
    assert res.extra == {"stored": 2, "missing": ["optional"], "catalog": 3}
    record = res.to_record()
    assert record["rows"]["old_monthly"]["nobs"] == 120 and record["rows"]["optional"]["nobs"] is None
    assert record["rows"]["fresh_daily"]["last"] == "2020-12-31"
    assert list(res.data.columns) == list(overview.COVERAGE_COLUMNS)
    assert res.describe() == ("The store holds **2** of 3 catalog datasets (not stored: optional). The oldest "
                              "observation is from 2000-01 and the newest from 2020-12-31; stored datasets that end "
                              "more than 2 years before that (discontinued or not updated): old_monthly.")


def test_coverage_study_checks_its_input():
    with pytest.raises(ParameterError, match=r"missing \['acquired_at'\]"):
        overview.coverage_study(_coverage().drop(columns="acquired_at"))
    with pytest.raises(ParameterError, match="duplicate keys"):
        overview.coverage_study(pd.concat([_coverage(), _coverage().iloc[:1]]))


def test_long_view_compounds_by_hand():
    idx = pd.date_range("2000-01-31", periods=24, freq="ME")
    rets = pd.DataFrame({"small": 0.01, "large": 0.005}, index=idx)
    res = overview.long_view(rets, description="made-up pair")
    cagr = res["cagr"].table["estimate"]
    assert cagr["small"] == pytest.approx(1.01 ** 12 - 1, rel=1e-12)
    assert cagr["large"] == pytest.approx(1.005 ** 12 - 1, rel=1e-12)
    assert res["cagr"].table.loc["small", "wealth"] == pytest.approx(1.01 ** 24)
    assert res.to_record()["start"] == "2000-01-31" and res.extra["months"] == 24 and res.extra["years"] == 2
    assert res.describe().startswith("Over 2 years (24 months) small caps compounded at **12.7%** a year")
    with pytest.raises(ParameterError, match="columns 'small' and 'large'"):
        overview.long_view(rets.rename(columns={"small": "s"}), description="x")


def test_level_facts_by_hand():
    s = pd.Series([4.0, 15.5, 0.5, 4.25], index=pd.to_datetime(["1970-01-02", "1981-09-30", "2020-08-04",
                                                                  "2026-07-30"]))
    res = overview.level_facts(s, what="the 10-year yield", units="percent per year", suffix="%")
    assert res.table.loc["last", "estimate"] == 4.25 and res.table.loc["max", "date"] == pd.Timestamp("1981-09-30")
    assert res.table.loc["min", "estimate"] == 0.5 and res.table.loc["last", "nobs"] == 4
    assert res.describe() == ("The 10-year yield was 4.25% on 2026-07-30 (peak 15.50% on 1981-09-30, low 0.50% on "
                              "2020-08-04).")
    with pytest.raises(ParameterError, match="has no values"):
        overview.level_facts(s * np.nan, what="x", units="y")


def test_findings_are_filled_from_the_results():
    idx = pd.date_range("2000-01-31", periods=24, freq="ME")
    view = overview.long_view(pd.DataFrame({"small": 0.01, "large": 0.005}, index=idx), description="made-up pair")
    s = pd.Series([4.0, 15.5, 4.25], index=pd.to_datetime(["1970-01-02", "1981-09-30", "2026-07-30"]))
    yields = overview.level_facts(s, what="the 10-year yield", units="percent per year", suffix="%")
    text = overview.findings(overview.coverage_study(_coverage()), view, yields, description="made-up pair")
    assert "* The store holds **2** of 3 catalog datasets (not stored: optional).\n" in text
    assert "* made-up pair: **24** months from 2000-01 to 2001-12;" in text
    assert "* The 10-year yield was 4.25% on 2026-07-30 (peak 15.50% on 1981-09-30).\n" in text
