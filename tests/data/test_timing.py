"""Publication lags and the known-at-period-end rule: no value is used before it was published."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.data import catalog
from rotation.data.timing import as_known, release_lag
from rotation.errors import ParameterError


def monthly(n=24):
    idx = pd.date_range("2020-01-31", periods=n, freq="ME", name="date")
    return pd.Series(np.arange(n, dtype=float), index=idx, name="UNRATE")


def test_a_monthly_value_is_known_the_month_after():
    out = as_known(monthly(), 7)
    # January (stamped 01-31, published 02-07) is the value known at the end of February
    assert out.index[0] == pd.Timestamp("2020-02-29") and out.iloc[0] == 0.0
    assert out["2020-03-31"] == 1.0
    with pytest.raises(KeyError):
        out.loc["2020-01-31"]


def test_weekly_and_quarterly_align_by_the_same_rule():
    sat = pd.date_range("2021-01-02", periods=10, freq="W-SAT")
    claims = pd.Series(np.arange(10.0), index=sat)
    out = as_known(claims, 5)  # released Thursday
    # weeks ending Jan 2..Jan 23 are released by Jan 28; the week ending Jan 30 only on Feb 4
    assert out["2021-01-31"] == 3.0
    gdp = pd.Series([1.0, 2.0], index=pd.to_datetime(["2020-03-31", "2020-06-30"]))
    q = as_known(gdp, 30)
    assert q["2020-04-30"] == 1.0 and q["2020-06-30"] == 1.0 and q["2020-07-31"] == 2.0


def test_perturbing_data_after_t_leaves_values_known_at_t_unchanged():
    s = monthly(36)
    t = pd.Timestamp("2021-06-30")
    a = as_known(s, 7)
    changed = s.copy()
    changed[changed.index >= pd.Timestamp("2021-06-30")] += 100  # June's value is published in July
    b = as_known(changed, 7)
    pd.testing.assert_series_equal(a.loc[:t], b.loc[:t])
    assert (a.loc["2021-07-31":] != b.loc["2021-07-31":]).all()


def test_hindsight_series_are_refused_as_signals():
    usrec = pd.Series([0.0, 1.0], index=pd.to_datetime(["2020-01-31", "2020-02-29"]), name="USREC")
    with pytest.raises(ParameterError, match="USREC is known only with hindsight.*allow_hindsight=True"):
        as_known(usrec, release_lag("USREC"))
    assert as_known(usrec, None, allow_hindsight=True).iloc[-1] == 1.0
    with pytest.raises(ParameterError, match="lag_days"):
        as_known(usrec, -3)


def test_the_catalog_states_a_lag_for_every_fred_series():
    for d in catalog.CATALOG.values():
        if d.source == "fred":
            assert d.release_lag_days is None or d.release_lag_days >= 0, d.key
    assert release_lag("UNRATE") == 7 and release_lag("DGS10") == 0 and release_lag("USREC") is None
    assert catalog.get("NFCI").revised and not catalog.get("DGS10").revised


def test_lag_overrides_are_checked():
    from rotation.data.timing import lag_overrides

    assert lag_overrides(["UNRATE:10", "icsa=6"]) == {"UNRATE": 10, "ICSA": 6}
    assert lag_overrides([]) == {}
    with pytest.raises(ParameterError, match="KEY:DAYS"):
        lag_overrides(["UNRATE-10"])
    with pytest.raises(Exception, match="Did you mean: UNRATE"):
        lag_overrides(["UNRAT=10"])


def test_published_by_keeps_what_was_published_by_the_date():
    from rotation.data.timing import RETURNS_RELEASE_LAG_DAYS, proxy_release_lag, published_by

    months = pd.Series(range(6), index=pd.date_range("2023-08-31", periods=6, freq="ME"))
    assert list(published_by(months, "2023-11-30", 0).index.strftime("%Y-%m")) == ["2023-08", "2023-09", "2023-10",
                                                                                  "2023-11"]
    # a month's Ken French returns are in the cut released the next month: October is known by November 30
    assert published_by(months, "2023-11-30", 30).index[-1] == pd.Timestamp("2023-10-31")
    assert published_by(months, "2023-11-29", 30).index[-1] == pd.Timestamp("2023-09-30")
    assert proxy_release_lag("ff30_vw") == RETURNS_RELEASE_LAG_DAYS["famafrench"] == 30
    assert proxy_release_lag("iwm_spy") == proxy_release_lag("rut_gspc") == 0
    frame = months.to_frame("x")
    assert published_by(frame, pd.Timestamp("2023-09-30")).equals(frame.iloc[:2])
    with pytest.raises(ParameterError, match="DatetimeIndex"):
        published_by(months.reset_index(drop=True), "2023-11-30")
    with pytest.raises(ParameterError, match="lag_days"):
        published_by(months, "2023-11-30", -1)
