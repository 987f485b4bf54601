"""studies.relative_strength: notebook 01's monthly studies equal the computations they replaced, on made-up returns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.studies import cycles, outcomes, signals
from rotation.studies import relative_strength as rs
from rotation.studies import returns as rt

from _helpers import perturb_after


@pytest.fixture
def rets() -> pd.DataFrame:
    """40 years of monthly returns with slow swings of small against large caps."""
    rng = np.random.default_rng(3)
    n = 480
    swing = 0.01 * np.sin(np.arange(n) / 18)
    idx = pd.date_range("1980-01-31", periods=n, freq="ME")
    large = rng.normal(0.007, 0.04, n)
    return pd.DataFrame({"small": large + swing + rng.normal(0.0, 0.03, n), "large": large}, index=idx)


RULES = dict(lookback=12, rule="high", gap=12, horizons=[1, 3, 12], k=3, horizon=6, reps=200, seed=1)


def test_standing_is_the_rolling_returns_and_their_percentiles(rets):
    res = rs.relative_standing(rets)
    for label, months in rs.WINDOWS.items():
        rolling = rt.rolling_relative_return(rets["small"], rets["large"], months, 12)
        row = res.table.loc[label]
        assert row["estimate"] == rolling.iloc[-1]
        assert row["percentile"] == rt.percentile_of_last(rolling)
        assert row["nobs"] == rolling.notna().sum() == len(rets) - months + 1
    dd = rt.drawdown(np.exp(rt.log_relative_strength(rets["small"], rets["large"])))
    assert res.extra["max_drawdown"] == dd.min() and res.extra["current_drawdown"] == dd.iloc[-1]
    assert res.units.scale == "return" and "percentile" in res.describe()


def test_cycles_summarise_the_swings(rets):
    lrs = rt.log_relative_strength(rets["small"], rets["large"])
    res = rs.leadership_cycles(lrs, 0.1)
    phases = cycles.find_swings(lrs, 0.1)
    lead = phases.loc[phases["kind"] == "leadership", "periods"]
    assert res.table.loc["leadership", "estimate"] == lead.median() / 12
    assert res.table.loc["leadership", "nobs"] == len(lead)
    assert res.extra["n_phases"] == len(phases) and res.extra["current_kind"] == phases.iloc[-1]["kind"]
    assert list(res.data.columns) == ["start", "end", "kind", "years", "relative_return", "confirmed"]
    assert f"{len(phases)} phases since 1980" in res.describe()


def test_breakout_study_equals_the_event_study_it_replaced(rets):
    res = rs.breakout_study(rets, **RULES)
    rel = rt.relative_returns(rets["small"], rets["large"])
    lrs = rt.log_relative_strength(rets["small"], rets["large"])
    episodes = signals.merge_episodes(signals.breakout_signals(lrs, 12, rule="high"), 12)
    ref = outcomes.event_study(rel, episodes, [1, 3, 6, 12], reps=200, seed=1)
    pd.testing.assert_frame_equal(res["forward"].table, ref.table)  # the deciding 6 months added to [1, 3, 12]
    rate = outcomes.false_breakout_rate(lrs, episodes, 3, lookback=12, rule="high")
    assert res["false_rate"] == rate
    mid = rel.index[len(rel) // 2]
    first = outcomes.event_study(rel[rel.index <= mid], episodes[rel.index <= mid], [1, 3, 6, 12], reps=200, seed=1)
    pd.testing.assert_frame_equal(res["halves"].table.xs(f"1980-{mid:%Y}", level="sub-period"), first.table)
    assert res.extra["n_episodes"] == int(episodes.sum())
    assert res["forward"] == rs.breakout_forward(rets, **RULES)
    assert f"{int(episodes.sum())} breakout episodes. 6 months later" in res.describe()


def test_breakout_study_at_t_ignores_later_data(rets):
    """Breakout episodes are known at t: changing every return after t leaves the episodes up to t unchanged."""
    later = rets.copy()
    later["small"] = perturb_after(rets["small"] + 1, 300, seed=2) - 1
    a = rs.breakout_study(rets, **RULES).data.iloc[:301]
    b = rs.breakout_study(later, **RULES).data.iloc[:301]
    pd.testing.assert_frame_equal(a, b)


def test_halves_split_at_the_middle_date():
    idx = pd.date_range("2000-01-31", periods=10, freq="ME")
    h = rs.halves(idx)
    assert list(h) == ["2000-01-2000-06", "2000-06-2000-10"]  # within one year: by month, two distinct labels
    first, second = h.values()
    assert first.sum() == 6 and second.sum() == 4 and not (first & second).any()
    long = pd.date_range("1926-07-31", periods=1196, freq="ME")
    assert list(rs.halves(long)) == ["1926-1976", "1976-2026"]
