"""Tests for rotation.stats.checks: the one home of the input checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats import checks as _checks


def test_check_int_accepts_numpy_and_rejects_bool_and_small() -> None:
    assert _checks.check_int(np.int64(3), "n", minimum=1) == 3
    with pytest.raises(ParameterError, match=r"n must be an integer >= 1; got True"):
        _checks.check_int(True, "n", minimum=1)
    with pytest.raises(ParameterError, match=r"n must be an integer >= 1; got 0"):
        _checks.check_int(0, "n", minimum=1)


def test_check_real_states_the_interval() -> None:
    assert _checks.check_real(0.5, "alpha", low=0.0, high=1.0, low_open=True, high_open=True) == 0.5
    with pytest.raises(ParameterError, match=r"alpha must be > 0 and < 1; got 1.0"):
        _checks.check_real(1.0, "alpha", low=0.0, high=1.0, low_open=True, high_open=True)
    with pytest.raises(ParameterError, match="must be a finite number"):
        _checks.check_real(float("nan"), "x")


def test_check_choice_lists_the_options() -> None:
    assert _checks.check_choice("a", "kind", ("a", "b")) == "a"
    with pytest.raises(ParameterError, match=r"kind must be one of 'a', 'b'; got 'c'"):
        _checks.check_choice("c", "kind", ("a", "b"))


def test_check_returns_and_levels() -> None:
    idx = pd.date_range("2020-01-31", periods=3, freq="ME")
    _checks.check_returns(pd.Series([0.1, np.nan, -0.2], index=idx), "r")
    with pytest.raises(ParameterError, match="greater than -1"):
        _checks.check_returns(pd.Series([0.1, -1.0, 0.0], index=idx), "r")
    with pytest.raises(ParameterError, match="unique index"):
        _checks.check_pandas(pd.Series([1.0, 2.0], index=[idx[0], idx[0]]), "x")
    with pytest.raises(ParameterError, match="sorted"):
        _checks.check_pandas(pd.Series([1.0, 2.0], index=[idx[1], idx[0]]), "x")
    with pytest.raises(ParameterError, match="positive"):
        _checks.check_positive_levels(pd.Series([1.0, 0.0], index=idx[:2]), "p")


def test_check_events_returns_sorted_positions() -> None:
    idx = pd.date_range("2020-01-01", periods=5, freq="D")
    ev = pd.Series([False, True, False, True, False], index=idx)
    assert _checks.check_events(ev, idx).tolist() == [1, 3]
    with pytest.raises(ParameterError, match="boolean"):
        _checks.check_events(ev.astype(int), idx)


def test_modules_share_the_same_checks() -> None:
    from rotation.stats import intervals, regressions
    from rotation.studies import regimes, windows

    for mod in (intervals, regimes, regressions, windows):
        assert mod.check_int is _checks.check_int
