"""rotation.studies.series: period sampling and chaining index series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies.series import chain_indexes, period_levels


@pytest.fixture
def three() -> tuple[pd.Series, pd.Series, pd.Series]:
    rng = np.random.default_rng(0)
    days = pd.bdate_range("2006-01-02", "2012-12-31")
    new = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.004, len(days)))), index=days, name="NEW")
    m1 = pd.date_range("1995-01-31", "2019-12-31", freq="ME")
    mid = pd.Series(80 * np.exp(np.cumsum(rng.normal(0, 0.01, len(m1)))), index=m1, name="MID")
    m0 = pd.date_range("1973-01-31", "2019-12-31", freq="ME")
    old = pd.Series(120 * np.exp(np.cumsum(rng.normal(0, 0.01, len(m0)))), index=m0, name="OLD")
    return new, mid, old


def test_period_levels_takes_last_observation():
    idx = pd.to_datetime(["2020-01-02", "2020-01-30", "2020-02-03", "2020-02-27"])
    s = pd.Series([1.0, 2.0, 3.0, 4.0], index=idx, name="a")
    assert period_levels(s).tolist() == [2.0, 4.0]
    assert period_levels(s).index.tolist() == [pd.Timestamp("2020-01-31"), pd.Timestamp("2020-02-29")]
    assert period_levels(s, how="mean").tolist() == [1.5, 3.5]


def test_chain_keeps_each_segments_changes_and_newest_level(three):
    new, mid, old = three
    ch = chain_indexes([old, new, mid])  # order does not matter: the latest-starting series wins
    new_m = new.resample("ME").last()
    # level equals the newest series where it exists
    pd.testing.assert_series_equal(ch.loc["2006-01-31":], new_m, check_names=False, check_freq=False)
    # inside each older segment, including the step into the splice period, changes are the segment's own
    pc = ch.pct_change()
    mid_stretch = (mid.index >= pd.Timestamp("1995-02-28")) & (mid.index <= pd.Timestamp("2006-01-31"))
    np.testing.assert_allclose(pc.reindex(mid.index[mid_stretch]), mid.pct_change()[mid_stretch], rtol=1e-9, atol=1e-14)
    old_stretch = (old.index >= pd.Timestamp("1973-02-28")) & (old.index <= pd.Timestamp("1995-01-31"))
    np.testing.assert_allclose(pc.reindex(old.index[old_stretch]), old.pct_change()[old_stretch], rtol=1e-9, atol=1e-14)
    assert ch.index[0] == pd.Timestamp("1973-01-31") and ch.index.is_unique and ch.index.is_monotonic_increasing
    assert ch.attrs["splices"] == [
        ("NEW", pd.Timestamp("2006-01-31"), pd.Timestamp("2012-12-31")),
        ("MID", pd.Timestamp("1995-01-31"), pd.Timestamp("2005-12-31")),
        ("OLD", pd.Timestamp("1973-01-31"), pd.Timestamp("1994-12-31")),
    ]


def test_chain_by_hand_and_base_date():
    m = pd.date_range("2000-01-31", periods=4, freq="ME")
    old = pd.Series([50.0, 55.0, 60.0, 66.0], index=m, name="old")
    new = pd.Series([200.0, 220.0], index=m[2:], name="new")
    ch = chain_indexes([new, old])
    # splice at 2000-03: old supplies Jan-Feb scaled by 200/60
    np.testing.assert_allclose(ch.to_numpy(), [50 * 200 / 60, 55 * 200 / 60, 200.0, 220.0])
    rebased = chain_indexes([new, old], base_date="2000-02-15")
    assert rebased.loc["2000-02-29"] == pytest.approx(100.0)
    assert rebased.loc["2000-04-30"] / rebased.loc["2000-03-31"] == pytest.approx(1.1)


def test_chain_skips_covered_segment_and_rejects_gaps():
    m = pd.date_range("2000-01-31", periods=6, freq="ME")
    a = pd.Series(np.arange(1.0, 7.0), index=m, name="a")
    b = pd.Series([1.0, 2.0], index=m[2:4], name="b")  # starts later: the newest
    c = pd.Series([5.0, 6.0, 7.0], index=m[3:], name="c")  # starts after b: newest overall
    ch = chain_indexes([a, b, c])
    assert [s[0] for s in ch.attrs["splices"]] == ["c", "b", "a"]
    no_overlap = pd.Series([1.0, 2.0], index=m[:2], name="early")
    late = pd.Series([3.0, 4.0], index=m[4:], name="late")
    with pytest.raises(ParameterError, match="cannot link 'early' to the newer series at 2000-05-31"):
        chain_indexes([late, no_overlap])


@pytest.mark.parametrize(
    ("segments", "match"),
    [([], "segments must be a non-empty list"),
     ([np.arange(3.0)], r"segments\[0\] must be a pandas Series"),
     ([pd.Series([1.0, -2.0], index=pd.date_range("2000-01-31", periods=2, freq="ME"))], "must be positive"),
     ([pd.Series([1.0, 2.0], index=[0, 1])], "must have a DatetimeIndex")],
    ids=["empty", "ndarray", "negative", "no-dates"],
)
def test_chain_rejects_bad_input(segments, match):
    with pytest.raises(ParameterError, match=match):
        chain_indexes(segments)
