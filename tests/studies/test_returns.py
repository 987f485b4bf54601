"""Tests of rotation.studies.returns on tiny hand-checkable fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies.returns import (
    annualize_return,
    cumulative_returns,
    drawdown,
    expanding_percentile,
    log_relative_strength,
    percentile_of_last,
    percentile_rank,
    relative_returns,
    rolling_relative_return,
    simple_returns,
    to_period_returns,
)


def _s(values, start="2024-01-01", freq="D", name="x"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq=freq), name=name, dtype=float)


# --------------------------------------------------------------------------- simple / cumulative
def test_simple_returns_hand_example_drops_first_row_and_keeps_name():
    prices = _s([100.0, 110.0, 99.0], name="spx")
    out = simple_returns(prices)
    assert list(out.index) == list(prices.index[1:])
    assert out.name == "spx"
    np.testing.assert_allclose(out.to_numpy(), [0.10, -0.10])


def test_simple_returns_dataframe_shape_follows_input():
    prices = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 2.0, 1.0]}, index=pd.date_range("2024-01-01", periods=3))
    out = simple_returns(prices)
    assert isinstance(out, pd.DataFrame) and out.shape == (2, 2)
    np.testing.assert_allclose(out["b"].to_numpy(), [-0.5, -0.5])


@pytest.mark.parametrize(
    "bad, match",
    [
        pytest.param(_s([100.0, 0.0, 99.0]), r"prices must be positive.*got 0\.0", id="zero-price"),
        pytest.param([1.0, 2.0], r"prices must be a pandas Series or DataFrame; got list", id="list"),
    ],
)
def test_simple_returns_rejects(bad, match):
    with pytest.raises(ParameterError, match=match):
        simple_returns(bad)


def test_simple_returns_rejects_unsorted_index():
    s = pd.Series([1.0, 2.0], index=pd.to_datetime(["2024-01-02", "2024-01-01"]))
    with pytest.raises(ParameterError, match="prices must have an increasing"):
        simple_returns(s)


@pytest.mark.parametrize(
    "start, expected",
    [pytest.param(1.0, [1.1, 0.99], id="unit"), pytest.param(100.0, [110.0, 99.0], id="hundred")],
)
def test_cumulative_returns_hand_example(start, expected):
    out = cumulative_returns(_s([0.1, -0.1]), starting_value=start)
    np.testing.assert_allclose(out.to_numpy(), expected)


def test_cumulative_returns_rejects_return_below_minus_one():
    with pytest.raises(ParameterError, match=r"returns must be decimal simple returns greater than -1.*got -1\.5"):
        cumulative_returns(_s([0.1, -1.5]))


# --------------------------------------------------------------------------- relative
def test_log_relative_strength_inner_join_and_first_value():
    small = _s([0.10, 0.02, np.nan, 0.03], name="r2000")
    large = _s([0.05, 0.01, 0.00], name="spx")  # one day shorter
    out = log_relative_strength(small, large)
    # common dates: days 0,1 (day 2 dropped: small is NaN; day 3 not in large)
    assert list(out.index) == list(small.index[:2])
    assert out.name == "log_relative_strength"
    first = np.log(1.10) - np.log(1.05)
    assert out.iloc[0] == pytest.approx(first)
    assert out.iloc[1] == pytest.approx(np.log(1.10 * 1.02 / (1.05 * 1.01)))


def test_relative_returns_compound_to_wealth_ratio():
    small = _s([0.10, -0.20, 0.05])
    large = _s([0.05, -0.10, 0.00])
    rel = relative_returns(small, large)
    np.testing.assert_allclose(rel.to_numpy(), [1.10 / 1.05 - 1, 0.80 / 0.90 - 1, 1.05 - 1])
    ratio = (1 + small).prod() / (1 + large).prod()
    assert (1 + rel).prod() == pytest.approx(ratio)
    assert rel.name == "relative_return"


def test_rolling_relative_return_window_2_annualised():
    small = _s([0.10, 0.00, 0.21, 0.00])
    large = _s([0.00, 0.00, 0.10, 0.10])
    out = rolling_relative_return(small, large, window=2, periods_per_year=4)
    rel = (1 + small) / (1 + large)
    expected = [np.nan] + [(rel.iloc[t - 1] * rel.iloc[t]) ** (4 / 2) - 1 for t in range(1, 4)]
    np.testing.assert_allclose(out.to_numpy(), expected, atol=1e-12)
    # value at t=1 uses t=0..1 only: 1.1 * 1.0 -> 1.1^2 - 1
    assert out.iloc[1] == pytest.approx(1.1**2 - 1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"window": 0, "periods_per_year": 252}, r"window must be an integer >= 1; got 0", id="window0"),
        pytest.param({"window": 2.5, "periods_per_year": 252}, r"window must be an integer >= 1; got 2\.5", id="float"),
        pytest.param({"window": 2, "periods_per_year": 0}, r"periods_per_year must be > 0; got 0", id="ppy0"),
    ],
)
def test_rolling_relative_return_rejects(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        rolling_relative_return(_s([0.1, 0.2]), _s([0.1, 0.2]), **kwargs)


# --------------------------------------------------------------------------- drawdown
def test_drawdown_hand_example():
    out = drawdown(_s([1.0, 2.0, 1.5, 3.0, 1.5], name="w"))
    np.testing.assert_allclose(out.to_numpy(), [0.0, 0.0, -0.25, 0.0, -0.5])
    assert out.name == "w"


def test_drawdown_nan_is_ignored_by_running_peak():
    out = drawdown(_s([2.0, np.nan, 1.0]))
    assert np.isnan(out.iloc[1])
    assert out.iloc[2] == pytest.approx(-0.5)


# --------------------------------------------------------------------------- periods
def test_to_period_returns_monthly_compounds_and_keeps_empty_month_nan():
    idx = pd.to_datetime(["2024-01-30", "2024-01-31", "2024-03-01", "2024-03-04"])
    r = pd.Series([0.10, 0.10, -0.50, 0.20], index=idx, name="r")
    out = to_period_returns(r, "ME")
    assert list(out.index) == list(pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"]))
    assert out.iloc[0] == pytest.approx(0.21)
    assert np.isnan(out.iloc[1])  # February had no data
    assert out.iloc[2] == pytest.approx(0.5 * 1.2 - 1)
    assert out.name == "r"


@pytest.mark.parametrize(
    "freq, first_label",
    [
        pytest.param("W", "2024-01-05", id="weekly-friday"),
        pytest.param("QE", "2024-03-31", id="quarter"),
        pytest.param("YE", "2024-12-31", id="year"),
    ],
)
def test_to_period_returns_labels_at_period_end(freq, first_label):
    r = _s([0.01] * 10, start="2024-01-02", freq="B")
    out = to_period_returns(r, freq)
    assert out.index[0] == pd.Timestamp(first_label)
    assert (1 + out).prod() == pytest.approx(1.01**10)


@pytest.mark.parametrize(
    "returns, freq, match",
    [
        pytest.param(_s([0.1]), "M", r"freq must be one of 'W', 'ME', 'QE', 'YE'; got 'M'", id="bad-freq"),
        pytest.param(pd.Series([0.1, 0.2]), "ME", r"returns must have a DatetimeIndex.*RangeIndex", id="no-dates"),
    ],
)
def test_to_period_returns_rejects(returns, freq, match):
    with pytest.raises(ParameterError, match=match):
        to_period_returns(returns, freq)


# --------------------------------------------------------------------------- percentiles
@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(2.5, 0.5, id="middle"),
        pytest.param(4.0, 1.0, id="at-max"),
        pytest.param(0.0, 0.0, id="below-all"),
        pytest.param(2.0, 0.5, id="tie-counts"),
    ],
)
def test_percentile_rank(value, expected):
    s = _s([1.0, 2.0, np.nan, 3.0, 4.0])
    assert percentile_rank(s, value) == pytest.approx(expected)


def test_percentile_of_last_uses_last_non_nan_value():
    assert percentile_of_last(_s([3.0, 1.0, 2.0, np.nan])) == pytest.approx(2 / 3)


def test_percentile_rank_rejects_empty_history():
    with pytest.raises(ParameterError, match="series must contain at least one non-NaN value"):
        percentile_rank(_s([np.nan]), 1.0)


def test_expanding_percentile_hand_example():
    s = _s([1.0, 3.0, 2.0, 2.0, 5.0, np.nan, 4.0])
    out = expanding_percentile(s)
    expected = [1.0, 1.0, 2 / 3, 3 / 4, 1.0, np.nan, 5 / 6]
    np.testing.assert_allclose(out.to_numpy(), expected)


@pytest.mark.parametrize("t", [5, 20, 48], ids=lambda t: f"t={t}")
def test_expanding_percentile_no_look_ahead(t):
    rng = np.random.default_rng(t)
    s = _s(rng.normal(size=50))
    base = expanding_percentile(s)
    perturbed = s.copy()
    perturbed.iloc[t + 1 :] *= rng.uniform(0.2, 3.0, size=len(s) - t - 1)
    pd.testing.assert_series_equal(expanding_percentile(perturbed).iloc[: t + 1], base.iloc[: t + 1])


# --------------------------------------------------------------------------- annualise
@pytest.mark.parametrize(
    "total, n, ppy, expected",
    [
        pytest.param(0.21, 24, 12, 0.10, id="two-years-monthly"),
        pytest.param(0.10, 252, 252, 0.10, id="one-year-daily"),
        pytest.param(0.05, 126, 252, 1.05**2 - 1, id="half-year"),
    ],
)
def test_annualize_return(total, n, ppy, expected):
    assert annualize_return(total, n, ppy) == pytest.approx(expected)


def test_annualize_return_rejects_total_loss():
    with pytest.raises(ParameterError, match=r"total_return must be > -1; got -1\.0"):
        annualize_return(-1.0, 10, 252)


# --------------------------------------------------------------------------- compound: the one primitive
def test_compound_modes_agree_with_products() -> None:
    from rotation.stats.compound import compound
    from rotation.studies.returns import forward_returns, to_period_returns

    idx = pd.bdate_range("2021-01-01", periods=60)
    r = pd.Series(np.random.default_rng(3).normal(0.0005, 0.01, len(idx)), index=idx, name="r")
    assert compound(r) == pytest.approx(float(np.prod(1 + r) - 1), rel=1e-12)
    roll = compound(r, 5)
    assert roll.iloc[:4].isna().all()
    assert roll.iloc[10] == pytest.approx(float(np.prod(1 + r.iloc[6:11]) - 1), rel=1e-12)
    monthly = compound(r, freq="ME")
    ref = (1 + r).resample("ME").prod(min_count=1) - 1
    pd.testing.assert_series_equal(monthly, ref, rtol=1e-12)
    pd.testing.assert_series_equal(to_period_returns(r, "ME"), monthly)
    cum = compound(r, cumulative=True)
    assert cum.iloc[-1] == pytest.approx(compound(r), rel=1e-12)
    fwd = forward_returns(r, 5)
    assert fwd.iloc[10] == pytest.approx(roll.iloc[15], rel=1e-15)
    assert fwd.iloc[-5:].isna().all()


def test_compound_rejects_two_modes() -> None:
    from rotation.stats.compound import compound

    r = pd.Series([0.1, 0.2], index=pd.date_range("2020-01-31", periods=2, freq="ME"))
    with pytest.raises(ParameterError, match="at most one of window, freq, cumulative"):
        compound(r, 2, freq="ME")
    with pytest.raises(ParameterError, match="freq must be one of"):
        compound(r, freq="D")


# --------------------------------------------------------------------------- forward returns (look ahead by name)
from rotation.studies.returns import forward_relative_returns, forward_returns  # noqa: E402


def test_forward_returns_start_at_t_plus_one():
    r = _s([0.10, 0.20, -0.10, 0.05], name="r")
    out = forward_returns(r, 2)
    # at t=0: (1+r1)(1+r2)-1, r0 itself is excluded
    expected = [1.2 * 0.9 - 1, 0.9 * 1.05 - 1, np.nan, np.nan]
    np.testing.assert_allclose(out.to_numpy(), expected)
    assert out.name == "r"


def test_forward_returns_horizon_one_is_next_return():
    r = _s([0.10, 0.20, -0.10])
    np.testing.assert_allclose(forward_returns(r, 1).to_numpy(), [0.20, -0.10, np.nan])


def test_forward_returns_nan_inside_window_gives_nan():
    r = _s([0.1, np.nan, 0.1, 0.1, 0.1])
    out = forward_returns(r, 2)
    # t=0 covers positions 1..2 (NaN inside); t=1 covers 2..3 (its own NaN return is not used)
    assert np.isnan(out.iloc[0])
    assert out.iloc[1] == pytest.approx(0.21) and out.iloc[2] == pytest.approx(0.21)
    assert out.iloc[3:].isna().all()


def test_forward_returns_dataframe():
    df = pd.DataFrame({"a": [0.1, 0.1, 0.1], "b": [0.0, -0.5, 1.0]}, index=pd.date_range("2024-01-01", periods=3))
    out = forward_returns(df, 2)
    assert out.loc[df.index[0], "a"] == pytest.approx(0.21)
    assert out.loc[df.index[0], "b"] == pytest.approx(0.0)


def test_forward_relative_returns_matches_composition():
    rng = np.random.default_rng(3)
    small, large = _s(rng.normal(0, 0.02, 30)), _s(rng.normal(0, 0.01, 30))
    out = forward_relative_returns(small, large, 5)
    pd.testing.assert_series_equal(out, forward_returns(relative_returns(small, large), 5))
    # independent check at t=0: ratio of compounded returns over t+1..t+5
    exp0 = (1 + small.iloc[1:6]).prod() / (1 + large.iloc[1:6]).prod() - 1
    assert out.iloc[0] == pytest.approx(exp0)


