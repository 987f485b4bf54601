"""The cycle studies of notebook 05 on a made-up recession calendar: each equal to the computations it replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies import cycle_phases as cp
from rotation.studies import economy as ec
from rotation.studies.windows import event_window_paths, mean_path_with_bands


def months(n, start="1970-01-31"):
    return pd.date_range(start, periods=n, freq="ME", name="date")


def _economy(n=600, seed=1):
    """Relative and market returns and a recession every 60 months (8 months long), with a planted shortfall."""
    rng = np.random.default_rng(seed)
    idx = months(n)
    usrec = pd.Series(((np.arange(n) % 60) >= 50) & ((np.arange(n) % 60) < 58), index=idx).astype(int)
    market = pd.Series(rng.normal(0.005, 0.045, n), index=idx)
    rel = 0.2 * market - 0.01 * usrec + rng.normal(0, 0.01, n)
    return rel, market, usrec


def test_phase_returns_is_the_state_table_in_the_cycle_order():
    rel, _, usrec = _economy()
    res = cp.phase_returns(rel, usrec)
    phase = ec.expansion_phases(usrec)
    ref = ec.state_table(rel, phase[phase != "open"], horizon=0)
    assert list(res.table.index) == ["early", "mid", "late", "recession"]
    pd.testing.assert_frame_equal(res.table, ref.table.loc[["early", "mid", "late", "recession"]])
    assert res.method == ref.method and res.units == ref.units and res.title == ref.title
    assert (res.data["phase"] == phase).all()
    assert res.table.loc["recession", "estimate"] < 0 and "recession -" in res.describe()


def test_late_cycle_study_adds_the_deciding_horizon():
    rel, _, usrec = _economy()
    flag = pd.Series((np.arange(len(rel)) % 60) >= 40, index=rel.index)  # the 10 months before each recession
    res = cp.late_cycle_study(rel, usrec, flag, horizons=[3, 12], horizon=6)
    assert list(res) == ["nber_same_month", "realtime_fwd3m", "realtime_fwd6m", "realtime_fwd12m"]
    phase = ec.expansion_phases(usrec)
    assert res["nber_same_month"] == ec.state_difference(
        rel, (phase == "late").where(phase.isin(["early", "mid", "late"])), horizon=0)
    assert res["realtime_fwd6m"] == ec.state_difference(rel, flag, horizon=6)
    flagged = "release-timed late cycle (latest vintage), next"
    assert list(res.data.index) == ["late third vs early and mid (NBER, hindsight, same month)",
                                    f"{flagged} 3 months", f"{flagged} 6 months", f"{flagged} 12 months"]
    assert res.data.loc[f"{flagged} 6 months", "estimate"] == res["realtime_fwd6m"].estimate
    said = res.describe()
    assert "real-time" not in said and "from release-timed values (latest vintage" in said
    with pytest.raises(ParameterError, match="horizons"):
        cp.late_cycle_study(rel, usrec, flag, horizons=[0], horizon=6)


def test_first_triggers_by_hand():
    idx = months(8)
    sahm = pd.DataFrame({"trigger": [False, True, True, False, False, True, False, True]}, index=idx)
    assert list(cp.first_triggers(sahm)) == [idx[1], idx[5], idx[7]]
    with pytest.raises(ParameterError, match="trigger column"):
        cp.first_triggers(sahm.rename(columns={"trigger": "x"}))


def test_a_run_whose_month_before_is_unknown_has_no_known_start():
    """1949-04: the first month with a Sahm gap is triggered; whether the run began then is unknown."""
    idx = months(8)
    sahm = pd.DataFrame({"trigger": pd.array([None, None, True, True, False, True, None, True], dtype="boolean")},
                        index=idx)
    assert list(cp.first_triggers(sahm)) == [idx[5]]


def test_triggers_of_one_recession_are_one_episode():
    """Like 1959-12 and 1960-11: a trigger before the recession and another inside it count once."""
    idx = months(60, start="1959-01-31")
    usrec = pd.Series(0, index=idx)
    usrec.loc["1960-05-31":"1961-02-28"] = 1
    trig = pd.Series(False, index=idx)
    trig.loc[["1959-12-31", "1960-01-31", "1960-11-30", "1960-12-31", "1962-09-30"]] = True
    sahm = pd.DataFrame({"trigger": trig.astype("boolean")})
    assert len(cp.first_triggers(sahm)) == 3
    ep = cp.trigger_episodes(sahm, usrec, lead=12)
    assert list(ep["date"]) == [pd.Timestamp("1959-12-31"), pd.Timestamp("1962-09-30")]
    assert list(ep["runs"]) == [2, 1]
    assert ep["recession_start"].iloc[0] == pd.Timestamp("1960-05-31") and pd.isna(ep["recession_start"].iloc[1])
    # without the lead, the trigger before the recession is an episode of its own
    assert len(cp.trigger_episodes(sahm, usrec, lead=0)) == 3

def test_turning_points_are_the_event_windows_it_replaced():
    rel, _, usrec = _economy()
    u = pd.Series(4.0 + usrec.rolling(3, min_periods=1).sum(), index=rel.index)  # unemployment rises in recessions
    sahm = ec.sahm_rule(u)
    res = cp.turning_points(rel, usrec, sahm, before=6, after=12, reps=100, seed=0)
    assert list(res) == ["NBER peak", "NBER trough", "Sahm trigger"]
    turns = ec.turning_dates(usrec)
    peaks = list(turns.loc[turns["kind"] == "peak", "date"])
    ref = mean_path_with_bands(event_window_paths(rel, peaks, 6, 12), reps=100, seed=0)
    pd.testing.assert_frame_equal(res["NBER peak"].table, ref.table)
    triggers = cp.trigger_episodes(sahm, usrec)["date"]
    assert res["Sahm trigger"].table["nobs"].iloc[0] == len(event_window_paths(rel, list(triggers), 6, 12).columns)
    assert "12 months after the event" in res.describe()
    assert "6 months after" in cp.turning_points(rel, usrec, sahm, before=2, after=6, reps=20).describe()


def test_recession_beyond_beta_is_the_interaction_regression():
    rel, market, usrec = _economy()
    res = cp.recession_beyond_beta(rel, market, usrec, maxlags=6)
    ref = ec.interaction_regression(rel, market.reindex(rel.index), usrec.reindex(rel.index), maxlags=6)
    assert res == ref
    assert res.table.loc["indicator", "ci_upper"] < 0
    assert f"{res.table.loc['indicator', 'estimate']:+.2%}" in res.describe()


def test_recession_shortfall_is_the_difference_of_means_beside_the_beta_control():
    rel, market, usrec = _economy()
    res = cp.recession_shortfall(rel, market, usrec, maxlags=6)
    assert list(res) == ["unconditional", "beyond_beta"]
    # a dummy regression's slope is the difference of the two means (plain pandas)
    inside, outside = rel[usrec == 1], rel[usrec == 0]
    assert res["unconditional"].estimate == pytest.approx(inside.mean() - outside.mean(), abs=1e-12)
    assert res["unconditional"].table["n_state"].iloc[0] == len(inside)
    assert res["unconditional"].method.lags == 6
    assert res["unconditional"].title == "Recession months minus other months, same month (no market control)"
    assert res["beyond_beta"] == cp.recession_beyond_beta(rel, market, usrec, maxlags=6)
    said = res.describe()
    assert f"{inside.mean() - outside.mean():+.2%}" in said
    assert f"{res['beyond_beta'].table.loc['indicator', 'estimate']:+.2%}" in said
