"""The answer of notebook 08 on made-up boards: each step equals the computation it replaced, by hand where it can."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats import clusters
from rotation.stats.multiple import adjust_pvalues
from rotation.studies import answer, board, economy


def _made_up(n: int = 240, seed: int = 0) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """Monthly relative returns and a board of three signals (the last one ends favourable, one unfavourable)."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2000-01-31", periods=n, freq="ME", name="date")
    states = pd.DataFrame({k: rng.integers(0, 2, n).astype(float) for k in ("a", "b", "c")}, index=idx)
    states.iloc[-1] = [1.0, 0.0, 1.0]
    states.iloc[:5, 2] = np.nan  # signal c starts later
    rel = pd.Series(rng.normal(0.0, 0.03, n), index=idx) + 0.01 * (states["a"].shift(1).fillna(0) - 0.5)
    info = pd.DataFrame({"label": {"a": "signal A", "b": "signal B", "c": "signal C"}})
    return rel, states, info


def test_signal_board_is_state_difference_on_the_current_state_with_holm():
    rel, states, info = _made_up()
    res = answer.signal_board(rel, states, info, horizons=[1], horizon=3)
    # the deciding horizon is added to the horizons
    assert sorted(res.table.index.get_level_values("horizon").unique()) == [1, 3]
    direct_b = economy.state_difference(rel, 1 - states["b"].dropna(), horizon=3)  # b is unfavourable now
    assert res.table.loc[("b", 3), "estimate"] == direct_b.estimate
    assert res.table.loc[("b", 3), "n_spells"] == direct_b.table["n_spells"].iloc[0]
    assert not res.table.loc[("b", 3), "favourable now"] and res.table.loc[("a", 1), "favourable now"]
    direct_a = economy.state_difference(rel, states["a"], horizon=1)
    assert res.table.loc[("a", 1), "p_value"] == direct_a.p_value
    assert np.allclose(res.table["p_holm"], adjust_pvalues(res.table["p_value"], "holm"), rtol=0, atol=0)
    assert res.table.loc[("c", 3), "last reading"] == states.index[-1]  # no "last" in info: the board's month
    # with the board's description, each row gives the reading's own month and whether it is stale
    dated = info.assign(last=[states.index[-1], states.index[-7], states.index[-1]], stale=[False, True, False])
    old = answer.signal_board(rel, states, dated, horizons=[1], horizon=3)
    assert old.data.loc["b", "last reading"] == states.index[-7] and old.data.loc["b", "stale"]
    assert f"2 of 3 readings are current; stale, older than their frequency allows: b (last " \
           f"{states.index[-7]:%Y-%m})" in old.describe()
    assert list(res.data.index) == ["a", "b", "c"] and res.data.loc["b", "signal"] == "signal B"
    assert res.extra["info"]["a"]["label"] == "signal A" and res.method.lags == 12
    assert res.describe().startswith("6 tests (signals x horizons)")
    assert "2 of 3 signals are favourable to small caps now (signal A, signal C)" in res.describe()


def test_signal_board_checks_its_inputs():
    rel, states, info = _made_up()
    with pytest.raises(ParameterError, match="states must be the non-empty DataFrame"):
        answer.signal_board(rel, states.iloc[:, :0], info, horizons=[1], horizon=3)
    with pytest.raises(ParameterError, match="horizon must be"):
        answer.signal_board(rel, states, info, horizons=[1], horizon=0)
    with pytest.raises(ParameterError, match=r"states\['b'\] has no known state"):
        answer.signal_board(rel, states.assign(b=np.nan), info, horizons=[1], horizon=3)


def test_composite_is_composite_oos_as_a_result():
    rel, states, _ = _made_up()
    res = answer.composite(rel, states, horizon=3, min_train=60)
    oos = board.composite_oos(rel, states, horizon=3, min_train=60)
    assert list(res.table.index) == list(oos.index)
    assert res.table["estimate"].tolist() == oos["oos_r2"].astype(float).tolist()
    assert res.table["nobs"].tolist() == oos["n_forecasts"].astype(int).tolist()
    assert res.table["hit_rate"].tolist() == oos["hit_rate"].astype(float).tolist()
    assert res.extra["best_single"] == oos.drop(index="composite")["oos_r2"].astype(float).idxmax()
    assert "best single signal" in res.describe()
    with pytest.raises(ParameterError, match="min_train"):
        answer.composite(rel, states, horizon=3, min_train=1000)


def test_months_like_today_by_hand():
    idx = pd.date_range("2010-01-31", periods=8, freq="ME")
    # shares 1/3, 2/3, 1/3, 1, 2/3, 0, 1/3, 2/3 -> today (the last month) 2/3
    states = pd.DataFrame({"a": [1, 1, 0, 1, 1, 0, 0, 1], "b": [0, 1, 1, 1, 0, 0, 0, 1],
                           "c": [0, 0, 0, 1, 1, 0, 1, 0]}, index=idx, dtype=float)
    rel = pd.Series([0.01, -0.02, 0.03, 0.01, 0.02, -0.01, 0.00, 0.01], index=idx)
    # symmetric: the month with every signal favourable (1 > 2/3) is not "like today" when only today's count is
    exact = answer.months_like_today(rel, states, horizon=1, neighbours=0)
    assert exact.extra["share_favourable"] == pytest.approx(2 / 3)
    assert exact.data["like_today"].tolist() == [0, 1, 0, 0, 1, 0, 0, 1]
    # next-month returns after months 1 and 4 (month 7 has none): 0.03, -0.01
    assert exact.extra["months_like_today"] == 2 and exact.extra["beat"] == 1
    assert exact.extra["median"] == pytest.approx(0.01)
    assert exact.extra["favourable"] == ["a", "b"] and (exact.extra["n_favourable"], exact.extra["n_known"]) == (2, 3)
    assert exact["difference"] == economy.state_difference(rel, exact.data["like_today"], horizon=1)
    assert exact.describe().startswith("**As of 2010-08, 67% of the signals known are favourable (2 of 3: a, b).**")
    assert "within 0 signals of that share (67% to 67%)" in exact.describe()


def test_months_like_today_are_within_one_signal_above_or_below():
    rel, states, _ = _made_up()
    res = answer.months_like_today(rel, states, horizon=3)
    share = board.favourable_share(states)
    today, n = share.dropna().iloc[-1], states.loc[share.dropna().index[-1]].notna().sum()
    want = ((share - today).abs() <= 1 / n + 1e-12).astype(float).where(share.notna())
    pd.testing.assert_series_equal(res.data["like_today"], want, check_names=False)
    above, below, far = share > today + 1e-12, share < today - 1e-12, (share - today).abs() > 1 / n + 1e-12
    like = res.data["like_today"]
    assert (like[above] == 1).any() and (like[below & ~far] == 1).any()  # neighbours on both sides
    assert far.any() and (like[far] == 0).all()
    assert res.extra["like_share_from"] == pytest.approx(max(today - 1 / n, 0))


def test_months_like_today_halves_share_the_middle_month():
    rel, states, _ = _made_up()
    res = answer.months_like_today(rel, states, horizon=3)
    like = res.data["like_today"]
    mid = rel.index[len(rel) // 2]
    first = economy.state_difference(rel.loc[:mid], like, horizon=3)
    second = economy.state_difference(rel.loc[mid:], like, horizon=3)
    halves = res["halves"].table
    assert halves.loc["first half", "estimate"] == first.estimate
    assert halves.loc["second half", "ci_upper"] == second.ci_upper
    assert halves.loc["first half", "end"] == mid == halves.loc["second half", "start"]
    with pytest.raises(ParameterError, match="three or more known signals"):
        answer.months_like_today(rel, states.iloc[:, :2], horizon=3)


def test_closest_to_flipping_orders_by_distance(monkeypatch):
    made_up = pd.DataFrame({"date": pd.to_datetime(["2020-01-31", "2020-02-29", "2020-03-31", pd.NaT]),
                            "margin": [0.5, -0.1, 2.0, np.nan], "z": [1.0, -0.2, 3.0, np.nan],
                            "favourable": [1.0, 0.0, 1.0, np.nan]}, index=["a", "b", "c", "seasonal"])
    monkeypatch.setattr(board, "margins", lambda proxy, as_of=None: made_up)
    info = pd.DataFrame({"label": {"a": "A", "b": "B", "c": "C", "seasonal": "the calendar"}})
    res = answer.closest_to_flipping("ff30_vw", info, n=2)
    assert list(res.table.index) == ["b", "a", "c", "seasonal"]
    assert res.table["estimate"].tolist()[:3] == [-0.2, 1.0, 3.0]
    assert res.table["favourable"].tolist() == [False, True, True, None]
    assert res.extra["closest"] == ["b", "a"]
    assert res.describe() == "Closest to flipping: B (-0.20 sd, unfavourable now); A (+1.00 sd, favourable now)."


def test_outcome_split_equals_the_bootstrap_over_spells():
    rng = np.random.default_rng(1)
    idx = pd.date_range("1990-01-31", periods=300, freq="ME")
    lrs = pd.Series(np.cumsum(rng.normal(0, 0.03, 300)), index=idx)
    like_today = pd.Series((np.arange(300) // 7) % 3 == 0, index=idx).astype(float)
    res = answer.outcome_split(lrs, like_today, reps=200, seed=3)
    classes = board.outcome_classes(lrs, lrs.index)
    like = like_today.reindex(classes.index) == 1
    spell = (like_today != like_today.shift()).cumsum().reindex(classes.index)
    for name in answer.OUTCOMES:
        hit = (classes == name).astype(float)
        cb = clusters.cluster_bootstrap(hit[like].to_numpy(), spell[like].to_numpy(), reps=200, seed=3)
        assert res.table.loc[name, "estimate"] == cb.estimate
        assert res.table.loc[name, "ci_lower"] == cb.ci_lower
        assert res.table.loc[name, "all months"] == hit.mean()
    assert res.table["estimate"].sum() == pytest.approx(1.0)  # every month has exactly one outcome
    assert res.method.bootstrap == "cluster" and res.method.reps == 200
    with pytest.raises(ParameterError, match="like_today"):
        answer.outcome_split(lrs, like_today * 0, reps=200)


def test_signal_board_names_the_lags_per_row_when_horizons_need_more():
    rel, states, info = _made_up()
    res = answer.signal_board(rel, states, info, horizons=[24, 1], horizon=3)
    assert res.method.lags is None and "per horizon" in res.method.describe()
    assert res.table.loc[("a", 24), "maxlags"] == 23 and res.table.loc[("a", 1), "maxlags"] == 12
    assert res.table.loc[("a", 24), "estimate"] == economy.state_difference(rel, states["a"], horizon=24).estimate
