"""Real-time macro signals (rotation.studies.realtime): states within the vintage known at each month end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.data.vintages import vintage_known_at
from rotation.studies import realtime


def _table(n_obs: int = 48, n_vint: int = 12, seed: int = 0) -> pd.DataFrame:
    """Monthly unemployment-like vintages: vintage v holds observations through v - 1, each revising the past."""
    rng = np.random.default_rng(seed)
    obs = pd.period_range("2016-01", periods=n_obs, freq="M")
    vints = pd.period_range(obs[n_obs - n_vint + 1], periods=n_vint, freq="M")
    base = 4 + np.cumsum(rng.normal(0, 0.25, n_obs))
    out = pd.DataFrame(np.nan, index=obs.to_timestamp(how="end").normalize(), columns=[str(v) for v in vints])
    for j, v in enumerate(vints):
        for i, o in enumerate(obs):
            if o < v:
                out.iloc[i, j] = round(base[i] + rng.normal(0, 0.1), 1)  # each vintage its own reading
    out.index.name = "date"
    return out


DATES = pd.date_range("2018-12-31", "2020-06-30", freq="ME")


def test_a_state_at_t_uses_only_vintages_published_by_t():
    base = _table()
    at = pd.Timestamp("2019-09-30")
    later = [c for c, k in zip(base.columns, vintage_known_at(base.columns), strict=True) if k > at]
    perturbed = base.copy()
    perturbed[later] = perturbed[later] * 3 + 5
    for name in ("Sahm rule triggered", "payrolls growing (12m)"):
        a, _ = realtime.signal_value(name, base, DATES, 0.5)
        b, _ = realtime.signal_value(name, perturbed, DATES, 0.5)
        pd.testing.assert_series_equal(a.loc[:at], b.loc[:at])
    ga = realtime.within_vintage(base, DATES, lambda u: u.diff(12))
    gb = realtime.within_vintage(perturbed, DATES, lambda u: u.diff(12))
    pd.testing.assert_frame_equal(ga.loc[:at], gb.loc[:at])
    assert not ga.loc[at:, "value"].iloc[1:].equals(gb.loc[at:, "value"].iloc[1:])


def test_sahm_rule_within_a_vintage_equals_a_direct_computation():
    table = _table()
    got = realtime.within_vintage(table, DATES, lambda u: realtime.sahm_rule(u)["gap"])
    known = vintage_known_at(table.columns)
    for d in DATES:
        pos = int(known.searchsorted(d, side="right")) - 1
        if pos < 0 or not got.loc[d, "covered"]:
            assert np.isnan(got.loc[d, "value"])
            continue
        u = table.iloc[:, pos].dropna().to_numpy()  # that vintage's own history, plain numpy
        avg3 = np.convolve(u, np.ones(3) / 3, mode="valid")  # avg3[k] ends at u[k + 2]
        gap = avg3[-1] - avg3[-13:-1].min()  # the newest 3-month average minus the low of the 12 before it
        assert got.loc[d, "value"] == pytest.approx(gap)
        assert got.loc[d, "vintage"] == table.columns[pos]
    assert got["covered"].any() and not got["covered"].all()


def test_never_differences_across_vintages():
    """Two vintages in different index bases: the growth read at t is the one inside the vintage known at t."""
    table = _table()
    rebased = table.copy()
    rebased[table.columns[::2]] = rebased[table.columns[::2]] * 10  # every other vintage in another base
    a = realtime.within_vintage(table, DATES, lambda x: x.pct_change(12))
    b = realtime.within_vintage(rebased, DATES, lambda x: x.pct_change(12))
    pd.testing.assert_series_equal(a["value"], b["value"], rtol=1e-12)


def test_compare_states_counts_the_months_that_differ():
    idx = pd.date_range("2000-01-31", periods=8, freq="ME")
    rt = pd.Series([1, 1, 0, 0, 1, np.nan, 1, 0], index=idx, dtype=float)
    rev = pd.Series([1, 0, 0, 1, 1, 1, 0, 0], index=idx, dtype=float)
    basis = pd.Series(["latest", "real-time", "real-time", "real-time", "real-time", "real-time", "real-time",
                       "latest"], index=idx)
    out = realtime.compare_states(rt, rev, basis)
    # real-time months with a state: Feb..May and Jul (June has none); of them Feb, Apr and Jul differ
    assert out["months_compared"] == 5 and out["months_differ"] == 3
    assert out["share_differ"] == pytest.approx(3 / 5)
    assert out["share_point_in_time"] == pytest.approx(5 / 7)
    assert out["first_real_time"] == "2000-02-29" and out["last_real_time"] == "2000-07-31"


def test_realtime_signals_label_the_fallback_and_keep_the_revised_state_there():
    table = _table()
    idx = pd.date_range("2017-01-31", "2020-06-30", freq="ME")
    revised = pd.DataFrame({name: pd.Series(1.0, index=idx) for name in realtime.REALTIME_SIGNALS})
    revised["curve inverted"] = revised["real GDP growing (4 quarters)"] = 0.0
    tables = {k: table for k in realtime.VINTAGE_KEYS}
    u = table.iloc[:, -1].reindex(idx).ffill()
    out = realtime.realtime_signals(tables, revised, pd.Series(1.0, index=idx), u)
    basis = out.basis["payrolls growing (12m)"]
    covered = realtime.within_vintage(table, idx, lambda x: x)["covered"].to_numpy()
    assert (basis.to_numpy() == np.where(covered, "real-time", "latest")).all()
    assert (out.states.loc[~covered, "payrolls growing (12m)"] == 1.0).all()
    assert out.basis["curve inverted"].iloc[0] == "market data (not revised)"
    row = out.comparison.loc["payrolls growing (12m)"]
    assert row["months_compared"] == covered.sum()
    rec = out.to_record()
    assert set(rec) == {*realtime.REALTIME_SIGNALS, "real GDP growing (4 quarters)", "curve inverted",
                        "late-cycle flag"}


def _signals(table: pd.DataFrame, idx: pd.DatetimeIndex) -> realtime.RealTimeSignals:
    revised = pd.DataFrame({name: pd.Series(1.0, index=idx) for name in realtime.REALTIME_SIGNALS})
    revised["curve inverted"] = 0.0
    u = table.iloc[:, -1].reindex(idx).ffill().bfill()
    return realtime.realtime_signals({k: table for k in realtime.VINTAGE_KEYS}, revised, pd.Series(1.0, index=idx),
                                     u)


def test_the_sahm_rule_the_verdicts_use_is_real_time_where_covered_and_revised_elsewhere():
    table = _table()
    idx = pd.date_range("2017-01-31", "2020-06-30", freq="ME")
    out = _signals(table, idx)
    within = realtime.within_vintage(table, idx, lambda u: realtime.sahm_rule(u)["gap"])
    on = (within["covered"] & within["value"].notna()).to_numpy()
    assert on.any() and not on.all()
    np.testing.assert_allclose(out.sahm["gap"].to_numpy()[on], within["value"].to_numpy()[on])
    np.testing.assert_allclose(out.sahm["gap"].to_numpy()[~on], out.sahm_revised["gap"].to_numpy()[~on])
    assert (out.sahm["basis"].to_numpy() == np.where(on, "real-time", "latest")).all()
    trig = out.sahm["trigger"].dropna()
    assert (trig.astype(bool) == (out.sahm["gap"].loc[trig.index] >= 0.5 - 1e-12)).all()
    # the share of months on which a signal is truly point-in-time, over the months asked
    months = idx[12:30]
    share = out.share_point_in_time(["Sahm rule triggered"], months=months)
    assert share == pytest.approx((out.basis.loc[months, "Sahm rule triggered"] == "real-time").mean())
    assert 0 < out.share_point_in_time() < 1


def test_realtime_levels_read_no_vintage_published_after_t():
    base = _table()
    idx = pd.date_range("2017-01-31", "2020-06-30", freq="ME")
    revised = {"payroll growth (12m)": pd.Series(0.01, index=idx), "10y-2y spread": pd.Series(0.5, index=idx),
               "unemployment gap (Sahm)": pd.Series(0.1, index=idx)}
    at = pd.Timestamp("2019-09-30")
    later = [c for c, k in zip(base.columns, vintage_known_at(base.columns), strict=True) if k > at]
    perturbed = base.copy()
    perturbed[later] = perturbed[later] * 2 + 1
    a, basis = realtime.realtime_levels({"PAYEMS": base, "UNRATE": base}, revised)
    b, _ = realtime.realtime_levels({"PAYEMS": perturbed, "UNRATE": perturbed}, revised)
    for name in revised:
        pd.testing.assert_series_equal(a[name].loc[:at], b[name].loc[:at])
    assert not a["payroll growth (12m)"].loc[at:].iloc[1:].equals(b["payroll growth (12m)"].loc[at:].iloc[1:])
    # real-time where a vintage covers the month, the revised value elsewhere, each month labelled
    rt = basis["payroll growth (12m)"] == "real-time"
    assert rt.any() and not rt.all()
    assert (a["payroll growth (12m)"][~rt] == 0.01).all() and (a["payroll growth (12m)"][rt] != 0.01).all()
    assert (basis["10y-2y spread"] == "market data (not revised)").all()
    pd.testing.assert_series_equal(a["10y-2y spread"], revised["10y-2y spread"])


@pytest.mark.snapshot
def test_each_series_reads_the_source_whose_monthly_vintages_cover_most_months(snapshot_env):
    """The stated rule of VINTAGE_SOURCES, checked on the real files: one source per series, never spliced."""
    from rotation.data.vintages import REALTIME_SERIES, vintage_table

    assert set(realtime.VINTAGE_SOURCES) == set(realtime.VINTAGE_KEYS)
    for key, chosen in realtime.VINTAGE_SOURCES.items():
        spec = REALTIME_SERIES[key]
        monthly = {}
        for source in ("fredmd", "rtdsm"):
            if (source == "fredmd" and spec.fredmd is None) or (source == "rtdsm" and not spec.rtdsm):
                continue
            labels = [c for c in vintage_table(key, source).columns if "Q" not in c]
            monthly[source] = len(labels)
        assert monthly[chosen] == max(monthly.values()) > 0, (key, monthly)
    assert realtime.VINTAGE_SOURCES["GDPC1"] == "rtdsm" and realtime.VINTAGE_SOURCES["UNRATE"] == "fredmd"


def test_real_gdp_growth_is_read_within_each_quarterly_vintage():
    # a quarterly table: growth over four quarters within each vintage
    obs = pd.period_range("2010Q1", periods=24, freq="Q").to_timestamp(how="end").normalize()
    table = pd.DataFrame({"2014-06": np.r_[np.arange(100.0, 117.0), [np.nan] * 7],  # through 2014Q1
                          "2014-07": np.r_[np.arange(200.0, 234.0, 2), [np.nan] * 7]}, index=obs)  # another base
    state, frame = realtime.signal_value("real GDP growing (4 quarters)", table,
                                         pd.DatetimeIndex(["2014-06-30", "2014-07-31"]))
    assert frame["value"].iloc[0] == pytest.approx(116 / 112 - 1) and (state == 1.0).all()
    assert frame["value"].iloc[1] == pytest.approx(232 / 224 - 1) and list(frame["vintage"]) == ["2014-06", "2014-07"]


def test_the_coverage_table_says_source_span_share_and_differences_per_signal():
    table = _table()
    idx = pd.date_range("2017-01-31", "2020-06-30", freq="ME")
    out = _signals(table, idx)
    cov = out.coverage()
    row, cmp = cov.loc["payrolls growing (12m)"], out.comparison.loc["payrolls growing (12m)"]
    assert row["point-in-time months"] == f"{cmp['first_real_time'][:7]} to {cmp['last_real_time'][:7]}"
    assert row["share point-in-time"] == cmp["share_point_in_time"]
    assert row["states differ"] == f"{cmp['months_differ']} of {cmp['months_compared']}"
    curve = cov.loc["curve inverted"]
    assert curve["vintages from"] == "market data (not revised)" and curve["point-in-time months"] == "none"
    assert curve["states differ"] == ""
    assert str(out.describe()).startswith("On the real-time basis") and type(out.describe()).__name__ == "Sentence"
