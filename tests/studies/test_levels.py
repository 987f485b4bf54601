"""studies.levels: blow-offs, round levels and all-time highs equal the computations they replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.intervals import bootstrap_diff_ci, event_mean_ci
from rotation.studies import levels, outcomes, signals
from rotation.studies import returns as rt


@pytest.fixture
def daily() -> pd.DataFrame:
    """Twelve years of daily returns with a few sharp rallies (some near a high, one after a crash)."""
    rng = np.random.default_rng(11)
    n = 3000
    small = rng.normal(0.0004, 0.012, n)
    small[1500:1520] = 0.012  # a rally near the high
    small[2200:2260] = -0.01  # a crash...
    small[2260:2280] = 0.015  # ...and its rebound
    idx = pd.bdate_range("2005-01-03", periods=n)
    return pd.DataFrame({"small": small, "large": rng.normal(0.0003, 0.01, n)}, index=idx)


KW = dict(window=20, threshold=0.99, min_history=500, horizon=63, near_high=0.10, reps=200, seed=0)


def _rebound_path() -> pd.DataFrame:
    """A steady climb, a 45% crash, and a 20-day rally that ends within 3% of the old high: a crash rebound."""
    rng = np.random.default_rng(5)
    n = 1200
    small = rng.normal(0.0003, 0.004, n)
    small[900:960] = -0.0099  # about -45% in 60 days
    small[1000:1020] = 0.0301  # the rebound: +81% in 20 days, back near the old high
    idx = pd.bdate_range("2010-01-04", periods=n)
    return pd.DataFrame({"small": small, "large": rng.normal(0.0003, 0.004, n)}, index=idx)


def test_blowoff_groups_equal_the_notebook_computation(daily):
    res = levels.blowoff_study(daily, **KW)
    wealth = rt.cumulative_returns(daily["small"])
    stat = signals.blowoff_statistic(daily["small"], 20, 0.99, method="quantile", min_history=500)
    # a blow-off *starts* near the high: the close 20 days before the signal, against the 252 closes to it
    base = wealth.shift(20)
    near = base >= 0.9 * wealth.rolling(252, min_periods=1).max().shift(20)
    # extreme-rally days are merged into episodes once, all together; an episode is classed by its first day
    blow = signals.merge_episodes(stat["signal"], 63) & near
    fwd = rt.forward_returns(daily["small"], 63)
    ci = event_mean_ci(fwd, blow, reps=200, seed=0)
    row = res.table.loc["blow-off"]
    assert (row["estimate"], row["ci_lower"], row["ci_upper"]) == (ci.estimate, ci.ci_lower, ci.ci_upper)
    assert row["nobs"] == blow.sum() >= 1
    gb = outcomes.giveback(wealth, blow, 20, 63, fraction=0.5)
    assert row["p_giveback_half"] == gb.estimate or (np.isnan(row["p_giveback_half"]) and np.isnan(gb.estimate))
    assert res.extra["dates"] == list(blow.index[blow.to_numpy()])
    assert res.extra["horizon"] == 63 and res.extra["near_high"] == 0.10
    assert list(res.table.index) == ["blow-off", "crash rebound", "ordinary breakout"]
    assert "within 10% of the prior 252-day high" in res.describe()
    callable_ = stat["cutoff"].first_valid_index()
    assert res.extra["test_start"] == callable_ and res.extra["test_end"] == fwd.dropna().index[-1]


def test_a_rally_that_ends_near_the_high_but_started_far_below_is_a_crash_rebound():
    daily = _rebound_path()
    kw = dict(KW, min_history=250)
    wealth = (1 + daily["small"]).cumprod()
    end = daily.index[1019]
    high_at_end = wealth.iloc[1019 - 251:1020].max()
    start_close = wealth.iloc[999]  # the close the 20-day rally ending at 1019 starts from
    high_at_start = wealth.iloc[999 - 251:1000].max()
    assert wealth[end] >= 0.9 * high_at_end, "the rally must end within 10% of its prior high"
    assert start_close < 0.6 * high_at_start, "and start far below it"
    res = levels.blowoff_study(daily, **kw)
    flags = res.data
    rally = flags.loc[daily.index[1000]:daily.index[1030]]
    assert not rally["blow-off"].any(), "a rally that started 40% below its high is not a blow-off"
    assert rally["crash rebound"].any()
    events = levels.blowoff_events(daily, **{k: v for k, v in kw.items() if k not in ("reps", "seed")})
    rebound = events.table.xs("crash rebound", level="group")
    first = rebound.loc[daily.index[1000]:daily.index[1030]].iloc[0]
    d = rebound.loc[daily.index[1000]:daily.index[1030]].index[0]
    i = daily.index.get_loc(d)
    expected = wealth.iloc[i - 20] / wealth.iloc[max(0, i - 20 - 251):i - 20 + 1].max() - 1
    assert first["estimate"] == pytest.approx(expected, rel=1e-12) and first["estimate"] < -0.10
    assert first["rally_start"] == daily.index[i - 20]
    assert first["distance_at_signal"] == pytest.approx(wealth.iloc[i] / wealth.iloc[i - 251:i + 1].max() - 1)


@pytest.mark.snapshot
def test_the_1932_and_1933_crash_rebounds_are_not_blowoffs_on_the_snapshot(snapshot_env):
    from rotation.data import small_large

    daily = small_large("ff30_vw", "D")
    kw = dict(window=20, threshold=0.99, min_history=1260, horizon=63, near_high=0.10)
    res = levels.blowoff_study(daily, **kw, reps=100, seed=0)
    events = levels.blowoff_events(daily, **kw).table
    # plain pandas: the wealth index 20 closes before each day, against its highest close in the 252 to then
    wealth = (1 + daily["small"]).cumprod()
    dist = (wealth / wealth.rolling(252, min_periods=1).max() - 1).shift(20)
    for day in ("1932-08-16", "1933-05-12"):
        assert dist[pd.Timestamp(day)] < -0.40, f"the rally ending {day} started more than 40% below its high"
        assert pd.Timestamp(day) not in res.extra["dates"]
    blow = events.xs("blow-off", level="group")
    assert list(blow.index) == res.extra["dates"] and len(blow) == res.table.loc["blow-off", "nobs"]
    assert (dist[blow.index] >= -0.10).all()
    pd.testing.assert_series_equal(blow["estimate"], dist[blow.index].rename("estimate"), check_names=False,
                                   rtol=1e-12)
    rebounds = events.xs("crash rebound", level="group")
    assert (dist[rebounds.index] < -0.10).all()


def _straddle_path() -> pd.DataFrame:
    """A noisy climb, a fall to 13% below the high, a quiet base, and one accelerating 40-day rally: its
    first extreme days start from the base (13% below), its later ones from inside the rally (within 10%)."""
    rng = np.random.default_rng(7)
    climb = rng.normal(0.0005, 0.004, 600)
    wealth = np.cumprod(1 + climb)
    fall = (0.87 * wealth[-252:].max() / wealth[-1]) ** (1 / 20) - 1
    small = np.r_[climb, np.full(20, fall), np.zeros(40), np.linspace(0.005, 0.02, 40), np.zeros(120)]
    small[600:] += rng.normal(0, 0.001, len(small) - 600)  # no ties among the 20-day moves
    idx = pd.bdate_range("2010-01-04", periods=len(small))
    return pd.DataFrame({"small": small, "large": rng.normal(0.0003, 0.004, len(small))}, index=idx)


def _merge(days: pd.DatetimeIndex, index: pd.DatetimeIndex, gap: int) -> list[list[pd.Timestamp]]:
    """Signal days grouped into episodes: a day at most ``gap`` positions after the previous one continues it."""
    episodes: list[list[pd.Timestamp]] = []
    last = None
    for d in days:
        p = index.get_loc(d)
        if last is None or p - last > gap:
            episodes.append([])
        episodes[-1].append(d)
        last = p
    return episodes


def test_one_rally_straddling_the_boundary_is_one_episode_in_one_group():
    daily = _straddle_path()
    kw = dict(window=20, threshold=0.99, min_history=250, horizon=63, near_high=0.10)
    # plain pandas: the extreme days of the rally and where each one's 20-day rally started
    wealth = (1 + daily["small"]).cumprod()
    move = wealth / wealth.shift(20) - 1
    cutoff = move.shift(1).expanding(min_periods=250).quantile(0.99)
    dist = (wealth / wealth.rolling(252, min_periods=1).max() - 1).shift(20)
    rally = daily.index[660:]
    days = rally[(move > cutoff)[rally].to_numpy()]
    assert dist[days].min() < -0.10 <= dist[days].max(), "the rally's days must straddle the 10% boundary"
    assert len(_merge(days, daily.index, 63)) == 1 and dist[days[0]] < -0.10
    res = levels.blowoff_study(daily, **kw, reps=100, seed=0)
    flags = res.data.loc[rally]
    assert not flags["blow-off"].any(), "a rally that began 13% below its high is not also a blow-off"
    assert list(flags.index[flags["crash rebound"]]) == [days[0]]
    events = levels.blowoff_events(daily, **kw).table
    events = events[events.index.get_level_values("date") >= rally[0]]
    assert list(events.index) == [("crash rebound", days[0])]
    row = events.iloc[0]
    assert (row["last_signal"], row["signal_days"]) == (days[-1], len(days))
    assert row["estimate"] == pytest.approx(dist[days[0]]) and row["nearest_start"] == pytest.approx(dist[days].max())
    assert "a later day's rally started within 10%" in levels.blowoff_events(daily, **kw).describe()


@pytest.mark.snapshot
def test_no_day_is_in_a_blowoff_and_a_crash_rebound_on_the_snapshot(snapshot_env):
    from rotation.data import small_large

    daily = small_large("ff30_vw", "D")
    kw = dict(window=20, threshold=0.99, min_history=1260, horizon=63, near_high=0.10)
    res = levels.blowoff_study(daily, **kw, reps=100, seed=0)
    events = levels.blowoff_events(daily, **kw).table
    # plain pandas: extreme 20-day rallies, merged into episodes all together, classed by the first day's start
    wealth = (1 + daily["small"]).cumprod()
    move = wealth / wealth.shift(20) - 1
    cutoff = move.shift(1).expanding(min_periods=1260).quantile(0.99)
    dist = (wealth / wealth.rolling(252, min_periods=1).max() - 1).shift(20)
    days = daily.index[(move > cutoff).to_numpy()]
    episodes = _merge(days, daily.index, 63)
    expected = {"blow-off": [ep[0] for ep in episodes if dist[ep[0]] >= -0.10],
                "crash rebound": [ep[0] for ep in episodes if dist[ep[0]] < -0.10]}
    # the days each group of the study covers: its episodes' signal days and the forward window after each
    cover: dict[str, set[pd.Timestamp]] = {}
    for group in ("blow-off", "crash rebound"):
        cover[group] = set()
        for first in res.data.index[res.data[group].to_numpy()]:
            i = daily.index.get_loc(first)
            last = next(ep[-1] for ep in episodes if first in ep)
            cover[group] |= set(daily.index[i:max(daily.index.get_loc(last), i + 63) + 1])
    both = sorted(cover["blow-off"] & cover["crash rebound"])
    assert not both, f"{len(both)} days lie in a blow-off and a crash rebound, from {both[:1]}"
    for group in ("blow-off", "crash rebound"):
        assert list(res.data.index[res.data[group].to_numpy()]) == expected[group], group
    assert len(events) == len(episodes) and events.index.get_level_values("date").is_unique
    assert list(events.index.get_level_values("date")) == [ep[0] for ep in episodes]
    assert list(events["signal_days"]) == [len(ep) for ep in episodes]
    assert list(events["last_signal"]) == [ep[-1] for ep in episodes]


def test_a_group_with_one_episode_gets_its_mean_and_no_interval():
    res = levels.blowoff_study(_rebound_path(), **dict(KW, min_history=250))
    thin = res.table[res.table["nobs"] < 2]
    assert len(thin), "the fixture should leave a group with fewer than two episodes"
    assert thin["ci_lower"].isna().all() and thin["ci_upper"].isna().all()


def test_round_levels_break_and_fail():
    # 900 -> 1,010 and back (a fail), later through 1,000 for good (a break)
    path = np.r_[np.linspace(900, 995, 30), [1001, 998, 985, 970], np.linspace(970, 1100, 40), np.full(300, 1100.0)]
    close = pd.Series(path, index=pd.bdate_range("2010-01-04", periods=len(path)))
    res = levels.round_level_study(close, within=0.02, hold=3, horizons=[5, 63])
    episodes = outcomes.level_episodes(close, 1000, 0.02, 3)
    pd.testing.assert_frame_equal(res.data, episodes)
    assert list(episodes["outcome"]) == ["fail", "break"]
    summary = res["summary"].table
    assert (summary.loc["break", "nobs"], summary.loc["fail", "nobs"]) == (1, 1)
    assert res.extra["at_2000"]["episodes"] == 0  # no approach to 2,000 on this path


def test_all_time_highs_equal_the_bootstrap_difference():
    rng = np.random.default_rng(4)
    close = pd.Series(np.exp(np.cumsum(rng.normal(0.0005, 0.01, 800))) * 100,
                      index=pd.bdate_range("2015-01-01", periods=800))
    res = levels.all_time_high_study(close, horizon=21, reps=100, seed=3)
    rets = rt.simple_returns(close)
    ath = signals.at_all_time_high(close).reindex(rets.index, fill_value=False)
    fwd = rt.forward_returns(rets, 21)
    ref = bootstrap_diff_ci(fwd[ath].dropna(), fwd[~ath].dropna(), block_size=21, reps=100, seed=3)
    assert res == ref or res.table.equals(ref.table)
    assert res.extra["n_days"] == int(ath.sum()) and res.extra["mean_after"] == float(fwd[ath].mean())
    assert "closed at a prior all-time high" in res.describe()


def test_price_level_reads_the_last_close_against_the_level_and_the_prior_high():
    idx = pd.bdate_range("2024-01-01", periods=8)
    close = pd.Series([1900, 2100, 1990, 2050, 2200, 2150, 2080, 2120], index=idx, dtype=float)
    r = levels.price_level(close, level=2000)
    assert r.date == idx[-1] and r.close == 2120 and r.above_level and not r.above_prior_high
    assert r.above_since == idx[3]  # the run above 2,000 that the last close ends starts after the 1,990 close
    assert (r.prior_high, r.prior_high_date) == (2200, idx[4])
    rec = r.to_record()
    assert rec["distance_to_prior_high"] == pytest.approx(2120 / 2200 - 1)
    assert "above 2,000 since 2024-01-04" in r.describe() and "-3.6% from its prior high of 2,200" in r.describe()
    high = levels.price_level(pd.concat([close, pd.Series([2300.0], index=[idx[-1] + pd.offsets.BDay()])]))
    assert high.above_prior_high and "a new high, +4.5% above the prior high" in high.describe()
    low = levels.price_level(close.iloc[:3])
    assert low.above_since is None and not low.above_level and "below it" in low.describe()
    with pytest.raises(ParameterError, match="at least two closes"):
        levels.price_level(close.iloc[:1])
