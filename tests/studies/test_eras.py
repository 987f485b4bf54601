"""Eras (studies.eras): each month, day and year-end window in exactly one era."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import eras as er
from rotation.studies import seasonality as ss

BREAKS = ["1981-12-31", "1999-12-31"]


def test_month_counts_per_era_sum_to_the_total_and_no_month_is_in_two():
    months = pd.date_range("1926-07-31", "2026-02-28", freq="ME")
    eras = er.era_bounds(BREAKS, months)
    labels = er.era_of_dates(months, eras)
    assert labels.notna().all()
    counts = labels.value_counts()
    assert counts.sum() == len(months)
    # by hand: the break month ends its era; the next starts with the month after it
    assert counts.to_dict() == {"1926-1981": int((months <= "1981-12-31").sum()),
                                "1982-1999": int(((months > "1981-12-31") & (months <= "1999-12-31")).sum()),
                                "2000-now": int((months > "1999-12-31").sum())}
    assert counts["1982-1999"] == 18 * 12
    parts = er.split_by_era(pd.Series(np.arange(len(months)), index=months), eras)
    assert list(parts) == list(eras)
    joined = pd.concat(parts.values())
    assert joined.index.is_unique and joined.index.equals(months)


def test_days_follow_the_same_bounds():
    days = pd.bdate_range("1999-12-27", "2000-01-07")
    labels = er.era_of_dates(days, er.era_bounds(BREAKS, days))
    assert set(labels[days <= "1999-12-31"]) == {"1982-1999"} and set(labels[days > "1999-12-31"]) == {"2000-now"}


def test_every_year_end_window_is_in_the_era_of_its_january():
    days = pd.bdate_range("1978-01-02", "2004-12-31")
    eras = er.era_bounds(BREAKS, days)
    for windows in (ss.calendar_windows(days, 11, 1), ss.year_end_windows(days, 5, 2)):
        labels = er.era_of_years(windows.index, eras)
        january = er.era_of_dates([pd.Timestamp(y, 1, 15) for y in windows.index], eras)
        assert labels.tolist() == january.tolist() and labels.notna().all()
        # the window of November 1981 to January 1982 starts in one era and is counted in the next, once
        assert labels[1982] == "1982-1999" and labels[2000] == "2000-now"
        assert labels.value_counts().sum() == len(windows)


def test_overlapping_eras_are_refused():
    months = pd.date_range("1990-01-31", periods=36, freq="ME")
    with pytest.raises(ParameterError, match=r"eras overlap: 1 date\(s\) fall in two eras \(first 1990-12-31\)"):
        er.era_of_dates(months, {"a": (None, "1990-12-31"), "b": ("1990-12-31", None)})
    with pytest.raises(ParameterError, match=r"eras\['a'\] must be \(first, last\)"):
        er.era_of_dates(months, {"a": "1990"})
    # a gap leaves dates without an era (None), not in a wrong one
    labels = er.era_of_dates(months, {"a": (None, "1990-06-30"), "b": ("1991-01-01", None)})
    assert labels.isna().sum() == 6


def test_era_bounds_need_increasing_month_ends():
    idx = pd.date_range("1926-07-31", periods=3, freq="ME")
    assert er.era_bounds([], idx) == {"1926-now": (None, None)}
    with pytest.raises(ParameterError, match="month ends"):
        er.era_bounds(["1999-12-30"], idx)
    with pytest.raises(ParameterError, match="increasing"):
        er.era_bounds(["1999-12-31", "1981-12-31"], idx)
