"""Fed turning points and event windows (studies.fed_events) on a made-up policy path whose events are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.clusters import cluster_ids
from rotation.studies import fed, fed_events, windows
from rotation.studies import returns as rt

RULES = dict(min_move=0.25, pause_months=6, min_swing=0.25, inferred_min_swing=0.5, cut_cluster_months=12,
             recession_months=6, policy_window=61, policy_hysteresis=1.0)


def step_path(start: str, end: str, level: float, moves: dict[str, float]) -> pd.Series:
    """A daily rate at ``level`` that steps to ``moves[date]`` on each date."""
    days = pd.date_range(start, end, freq="D")
    values = pd.Series(np.nan, index=days)
    values.iloc[0] = level
    for d, v in moves.items():
        values.loc[d] = v
    return values.ffill()


POLICY = step_path("1990-01-01", "2012-12-31", 3.0, {
    "1991-03-01": 3.25, "1991-06-01": 3.5, "1991-09-01": 3.75,  # a hiking cycle, then a pause
    "1992-06-01": 3.5, "1992-09-01": 3.25,  # the first cut (a recession around it)
    "1993-01-01": 3.5, "1993-03-01": 3.25, "1993-06-01": 3.0,  # a one-move hike, then cuts within 12 months
    "1996-01-01": 3.25, "1996-04-01": 3.5, "1997-01-01": 3.25})  # a second cycle and its first cut
EFFECTIVE = step_path("1980-01-01", "2012-12-31", 5.0, {"1984-01-01": 5.5, "1985-01-01": 6.0, "1986-06-01": 5.5,
                                                        "1987-06-01": 5.0, "1990-01-01": 3.0})
MONTHS = pd.date_range("1980-01-31", "2012-12-31", freq="ME")
USREC = pd.Series((MONTHS >= "1992-03-01") & (MONTHS <= "1992-08-31"), index=MONTHS).astype(float)


@pytest.fixture(scope="module")
def rel() -> pd.Series:
    rng = np.random.default_rng(4)
    idx = pd.date_range("1989-01-31", "2012-12-31", freq="ME")
    return pd.Series(rng.normal(0.001, 0.03, len(idx)), index=idx, name="relative_return")


@pytest.fixture(scope="module")
def cycle(rel) -> object:
    return fed_events.turning_point_study(POLICY, EFFECTIVE, USREC, sample=rel.index, **RULES)


def test_turning_points_of_the_made_up_path(cycle):
    d = cycle.extra["dates"]
    assert d["last_hike"] == [pd.Timestamp("1991-09-01"), pd.Timestamp("1993-01-01"), pd.Timestamp("1996-04-01")]
    assert d["pause_start"] == [pd.Timestamp("1991-09-02"), pd.Timestamp("1996-04-02")]
    # 1993-03-01 is within 12 months of the 1992-06-01 cut: the same easing, one event
    assert d["first_cut"] == [pd.Timestamp("1992-06-01"), pd.Timestamp("1997-01-01")]
    assert d["first_cut.recession"] == [pd.Timestamp("1992-06-01")]
    assert cycle.extra["policy_start"] == pd.Timestamp("1990-01-01")
    t = cycle.table
    assert t["nobs"].to_dict() == {"last_hike": 3, "pause_start": 2, "first_cut": 2, "first_cut.recession": 1,
                                   "first_cut.no_recession": 1}
    # last hike 1991-09-01 -> next move 1992-06-01 (9.0 months), 1993-01-01 -> 1993-03-01, 1996-04-01 -> 1997-01-01
    gaps = [(pd.Timestamp(b) - pd.Timestamp(a)).days / (365.25 / 12) for a, b in
            (("1991-09-01", "1992-06-01"), ("1993-01-01", "1993-03-01"), ("1996-04-01", "1997-01-01"))]
    assert t.loc["last_hike", "estimate"] == pytest.approx(float(np.median(gaps)))
    assert ("Since 1990-01 the official target had 3 last hikes, 2 pauses after a hike and 2 first cuts"
            in cycle.describe())


def test_turning_points_equal_the_notebook_cell_they_replaced(cycle, rel):
    tp = fed.turning_points(POLICY, min_move=0.25, pause_months=6, min_swing=0.25)
    ev = tp[(tp["kind"].isin(["last_hike", "first_cut"]))
            | ((tp["kind"] == "pause_start") & (tp["after"] == "hike"))].copy()
    cuts = ev["kind"] == "first_cut"
    ev["cluster"] = -1
    ev.loc[cuts, "cluster"] = cluster_ids(ev.loc[cuts, "date"], pd.Timedelta(days=round(30.44 * 12)))
    ev = ev[~cuts | ~ev.duplicated(subset=["kind", "cluster"], keep="first")]
    official = cycle.data[cycle.data["path"] == fed_events.OFFICIAL]
    assert official["date"].tolist() == ev["date"].tolist() and official["kind"].tolist() == ev["kind"].tolist()
    inferred = fed.policy_rate(None, EFFECTIVE, window=61, hysteresis=1.0, center=True)
    tp_inf = fed.turning_points(inferred.loc[:POLICY.index[0]], min_move=0.25, pause_months=6, min_swing=0.5)
    assert cycle.extra["inferred_before_1982"]["first_cut"] == list(tp_inf.loc[tp_inf["kind"] == "first_cut", "date"])
    assert cycle.extra["inferred_before_1982"]["first_cut"]  # the made-up effective rate has an easing
    assert official["in return sample"].all()


def test_event_groups_need_the_turning_point_table():
    with pytest.raises(ParameterError, match=r"events must be turning_point_study\(...\).data.*missing \['path'\]"):
        fed_events.event_groups(pd.DataFrame({"date": [], "kind": [], "recession": []}))


def test_event_windows_equal_the_bands_and_all_months(cycle, rel):
    out = fed_events.event_window_study(rel, cycle, before=12, after=12, horizons=[6], horizon=12, reps=200, seed=3,
                                        min_events=2)
    groups = fed_events.event_groups(cycle.data)
    paths = windows.event_window_paths(rel, groups["first_cut"], 12, 12)
    band = windows.mean_path_with_bands(paths, reps=200, seed=3, min_events=2).table
    uncond = float(rt.forward_returns(rel, 12).loc["1990-01-01":].mean())
    row = out["forward"].table.loc[("first_cut", 12)]
    assert (row["estimate"], row["ci_lower"], row["ci_upper"]) == tuple(
        band.loc[12, ["estimate", "ci_lower", "ci_upper"]])
    assert row["mean_all"] == uncond and row["diff"] == float(band.loc[12, "estimate"]) - uncond
    # the deciding horizon added
    assert list(out["forward"].table.index.get_level_values("horizon").unique()) == [6, 12]
    assert out["all_months"].table.loc[12, "estimate"] == uncond
    ev = out["events"].table
    assert ev.loc["first_cut", "nobs"] == 2 and ev.loc["first_cut", "n_detected"] == 2
    m = band.loc[-12, "estimate"]
    assert ev.loc["first_cut", "estimate"] == -m / (1 + m)
    assert ev.loc["first_cut.recession", "nobs"] == 1 and np.isnan(ev.loc["first_cut.recession", "ci_lower"])
    pd.testing.assert_frame_equal(out.data["first_cut"].iloc[:, 3:], paths, check_names=False, check_column_type=False)
    assert out.extra["since"] == pd.Timestamp("1990-01-01")
    assert out.describe().startswith("2 first cuts have a full window in this sample (1 with a recession, 1 without).")


def test_event_windows_refuse_a_horizon_past_the_window(cycle, rel):
    with pytest.raises(ParameterError, match=r"horizons and horizon must be at most after \(12 months\); got 13"):
        fed_events.event_window_study(rel, cycle, before=12, after=12, horizons=[6], horizon=13, reps=10, seed=0,
                                      min_events=2)


def _official_target_plain(target: pd.Series, upper: pd.Series) -> pd.Series:
    """DFEDTAR to its last day, then DFEDTARU with each change re-dated to the decision (the day before)."""
    upper = upper.dropna()
    redated = upper.copy()
    redated.index = redated.index.where(redated.index == upper.index[0], redated.index - pd.Timedelta(days=1))
    redated = redated[~redated.index.duplicated(keep="last")]
    return pd.concat([target.dropna().loc[:upper.index[0] - pd.Timedelta(days=1)], redated]).sort_index()


@pytest.mark.snapshot
def test_first_cuts_are_the_first_25bp_cut_after_each_hiking_cycle(snapshot_env):
    """Every first cut of the notebook's cycle table, against the official target in the store.

    Independently, in plain pandas: a decision is a change of the target of at least 25 bp from the target
    in force (smaller ones are technical adjustments); a first cut is a cut decision whose previous decision
    was a hike; cuts within 12 months of the previous first cut belong to the same easing. (The 1985
    mini-cycle of 1/8 steps the rule counts as a hike joins the 1984 easing either way.)
    """
    from rotation.data import load

    target, upper = load("DFEDTAR"), load("DFEDTARU")
    plain = _official_target_plain(target, upper)
    step = plain.diff()
    decisions = step[step.abs() >= 0.25 - 1e-9]
    firsts = decisions[(decisions < 0) & (np.sign(decisions).shift() > 0)].index
    expected, last = [], None
    for d in firsts:  # one event per easing: a cut within 12 months of the previous first cut joins it
        if last is None or d > last + pd.Timedelta(days=round(30.44 * 12)):
            expected.append(d)
        last = d
    policy = fed.official_target(target, upper)
    cycle = fed_events.turning_point_study(policy, load("DFF"), load("USREC"), sample=MONTHS, **RULES)
    assert pd.Timestamp("1989-06-06") in cycle.extra["dates"]["first_cut"]  # 9.8125 -> 9.5625, not 1989-07-07
    assert list(cycle.extra["dates"]["first_cut"]) == expected and len(expected) >= 9
    # every first cut of the rule (before clustering) fell from the target in force on its day, and no
    # 25 bp cut came between the last hike before it and it
    tp = fed.turning_points(policy, min_move=0.25, pause_months=6, min_swing=0.25)
    hikes = tp.loc[tp["kind"] == "last_hike", "date"]
    for d in tp.loc[tp["kind"] == "first_cut", "date"]:
        assert step[d] < 0
        since = hikes[hikes < d].max()
        between = step[(step.index > since) & (step.index < d)]
        assert not (between <= -0.25 + 1e-9).any(), (d, between[between <= -0.25 + 1e-9])
