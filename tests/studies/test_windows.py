"""Event-window paths and their bootstrap bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies.windows import event_window_paths, mean_path_with_bands


def monthly(values, start="2000-01-31") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="ME", name="date"), dtype=float)


def test_alignment_and_normalisation_hand_example():
    #            Jan   Feb   Mar   Apr   May   Jun
    r = monthly([0.10, 0.20, -0.50, 0.10, 0.00, 0.30])
    # an event on 15 March falls in March (period 0): normalised at the end of March
    paths = event_window_paths(r, ["2000-03-15"], before=2, after=2)
    col = paths[pd.Timestamp("2000-03-15")]
    assert list(paths.index) == [-2, -1, 0, 1, 2] and paths.index.name == "relative_period"
    w = np.cumprod([1.1, 1.2, 0.5, 1.1, 1.0])  # wealth at the end of Jan..May
    expected = w / w[2] - 1  # relative to the end of March
    assert col.to_numpy() == pytest.approx(expected)
    assert col.loc[0] == 0.0
    assert col.loc[1] == pytest.approx(0.10)  # April's return
    assert col.loc[-1] == pytest.approx(1 / 0.5 - 1)  # end of February stood 100% above end of March
    assert paths.attrs["event_periods"][pd.Timestamp("2000-03-15")] == pd.Timestamp("2000-03-31")
    # a date on the period end is in that period
    same = event_window_paths(r, ["2000-03-31"], 2, 2)
    assert same.iloc[:, 0].to_numpy() == pytest.approx(expected)


def test_events_outside_the_data_are_dropped_and_counted():
    r = monthly([0.01] * 12)
    paths = event_window_paths(r, ["2000-02-10", "2000-06-10", "2000-11-10", "2001-03-01"], before=3, after=3)
    assert list(paths.columns) == [pd.Timestamp("2000-06-10")]
    assert paths.attrs["n_events"] == 4 and paths.attrs["n_dropped"] == 3
    assert paths.attrs["dropped"] == [pd.Timestamp(d) for d in ("2000-02-10", "2000-11-10", "2001-03-01")]
    # a NaN inside the window drops the event as well
    r2 = r.copy()
    r2.iloc[6] = np.nan
    assert event_window_paths(r2, ["2000-06-10"], 3, 3).empty


def test_window_uses_no_return_before_its_start():
    # the return of period p-before itself is not part of the path (wealth at its end is the base)
    r = monthly([5.0, 0.1, 0.1, 0.1, 0.1])
    a = event_window_paths(r, ["2000-03-31"], before=2, after=2)
    r.iloc[0] = -0.5
    b = event_window_paths(r, ["2000-03-31"], before=2, after=2)
    pd.testing.assert_frame_equal(a, b)


def test_errors():
    r = monthly([0.01] * 5)
    with pytest.raises(ParameterError, match="before must be an integer >= 0"):
        event_window_paths(r, ["2000-02-01"], -1, 1)
    with pytest.raises(ParameterError, match="event_dates must be distinct"):
        event_window_paths(r, ["2000-02-01", "2000-02-01"], 1, 1)
    with pytest.raises(ParameterError, match="returns must have a DatetimeIndex"):
        event_window_paths(pd.Series([0.01, 0.02]), [0], 0, 0)
    with pytest.raises(ParameterError, match="returns must be decimal simple returns greater than -1"):
        event_window_paths(monthly([0.1, -1.5]), ["2000-01-31"], 0, 1)


def test_mean_path_with_bands_matches_a_manual_bootstrap():
    rng = np.random.default_rng(0)
    r = monthly(rng.normal(0.0, 0.05, 120))
    dates = ["2001-06-15", "2003-03-03", "2005-09-30", "2007-01-10", "2008-05-05"]
    paths = event_window_paths(r, dates, 6, 6)
    res = mean_path_with_bands(paths, reps=500, seed=3)
    out = res.table
    assert list(out.columns) == ["estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs"]
    assert (out["nobs"] == 5).all() and out["t"].isna().all()
    assert out["estimate"].to_numpy() == pytest.approx(paths.mean(axis=1).to_numpy())
    assert (out["ci_lower"] <= out["estimate"] + 1e-12).all() and (out["ci_upper"] >= out["estimate"] - 1e-12).all()
    assert out.loc[0, ["estimate", "ci_lower", "ci_upper"]].tolist() == [0.0, 0.0, 0.0]
    from arch.bootstrap import IIDBootstrap

    stats = IIDBootstrap(paths.to_numpy().T, seed=3).apply(lambda x: x.mean(axis=0), reps=500)
    assert out["ci_upper"].to_numpy() == pytest.approx(np.percentile(stats, 97.5, axis=0))
    assert out["std_err"].to_numpy() == pytest.approx(np.std(stats, axis=0, ddof=1))
    assert res.method.bootstrap == "iid" and res.method.seed == 3 and "500 replications" in res.summary()
    pd.testing.assert_frame_equal(out, mean_path_with_bands(paths, reps=500, seed=3).table)


def test_mean_path_with_too_few_events():
    r = monthly([0.01] * 24)
    one = mean_path_with_bands(event_window_paths(r, ["2000-12-31"], 2, 2), reps=50).table
    assert one["nobs"].iloc[0] == 1 and one["ci_lower"].isna().all() and one["estimate"].notna().all()
    none = mean_path_with_bands(event_window_paths(r, ["2010-12-31"], 2, 2), reps=50).table
    assert (none["nobs"] == 0).all() and none["estimate"].isna().all()
    few = event_window_paths(r, ["2000-06-30", "2000-12-31", "2001-06-30"], 2, 2)
    assert mean_path_with_bands(few, reps=50, min_events=4).table["ci_lower"].isna().all()
    assert mean_path_with_bands(few, reps=50, min_events=3).table["ci_lower"].notna().all()
    with pytest.raises(ParameterError, match="min_events must be an integer >= 2"):
        mean_path_with_bands(few, min_events=1)
    with pytest.raises(ParameterError, match="paths must be a pandas DataFrame"):
        mean_path_with_bands(np.zeros((3, 3)))
