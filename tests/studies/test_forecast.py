"""The answer as a forecast (rotation.studies.forecast): the window, the outcomes, walk-forward, scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.evidence.claims import BREAKOUT_EVENT
from rotation.studies import board
from rotation.studies import forecast as fc


def _data(years: int = 70, seed: int = 0) -> tuple[pd.Series, pd.Series]:
    """A monthly log relative-strength line and a share of favourable signals (twelfths) that leads it a little."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1940-01-31", periods=12 * years, freq="ME")
    share = pd.Series(rng.integers(0, 13, len(idx)) / 12, index=idx)
    drift = 0.01 * (share.shift(1).fillna(0.5) - 0.5)
    lr = pd.Series(np.cumsum(rng.normal(0, 0.03, len(idx)) + drift.to_numpy()), index=idx)
    return lr, share


def test_the_window_runs_to_the_end_of_the_next_january():
    assert fc.window_end("2026-08-31") == pd.Timestamp("2027-01-31") and fc.window_months("2026-08-31") == 5
    assert fc.window_end("2026-12-15") == pd.Timestamp("2027-01-31") and fc.window_months("2026-12-31") == 1
    assert fc.window_end("2027-01-31") == pd.Timestamp("2028-01-31") and fc.window_months("2027-01-31") == 12


def test_the_declared_event_is_the_one_the_study_computes():
    assert BREAKOUT_EVENT.outcomes == fc.OUTCOMES and BREAKOUT_EVENT.breakout == fc.BREAKOUT
    assert BREAKOUT_EVENT.tolerance(12) == pytest.approx(1 / 12)
    with pytest.raises(ParameterError, match="n_signals"):
        BREAKOUT_EVENT.tolerance(0)


def test_event_outcomes_use_the_window_as_horizon_and_date_when_they_are_known():
    lr, _ = _data()
    dates = pd.DatetimeIndex(["1980-08-31", "1980-11-30", "1981-01-31"])
    out = fc.event_outcomes(lr, dates, k=3, publication_lag=1)
    for d in dates:
        h = fc.window_months(d)
        assert out.loc[d, "outcome"] == board.outcome_classes(lr, [d], horizon=h, k=3).iloc[0]
        assert out.loc[d, "known"] == fc.window_end(d) + pd.offsets.MonthEnd(4)
    assert set(out["outcome"]) <= set(fc.OUTCOMES)


def test_every_forecast_uses_only_data_published_by_its_date():
    """Perturb everything after a forecast date: the forecast made then, in the record and as of then, is the same."""
    lr, share = _data()
    full = fc.breakout_forecast(lr, share, as_of="2009-09-30", tolerance=1 / 12, reps=200)
    assert len(full.history) >= 20
    cols = [c for c in full.history.columns if c.startswith(("model:", "base:"))]
    for t in full.history.index[[0, len(full.history) // 2, -1]]:
        rng = np.random.default_rng(1)
        lr2, share2 = lr.copy(), share.copy()
        lr2.loc[lr2.index > t] += rng.normal(0, 0.5, int((lr2.index > t).sum()))
        share2.loc[share2.index > t] = 1 - share2.loc[share2.index > t]
        again = fc.breakout_forecast(lr2, share2, as_of="2009-09-30", tolerance=1 / 12, reps=200)
        pd.testing.assert_series_equal(full.history.loc[t, cols], again.history.loc[t, cols])
        at_t = fc.breakout_forecast(lr2, share2, as_of=t, tolerance=1 / 12, reps=200)
        model = at_t.probabilities["model"].to_numpy()
        np.testing.assert_allclose(model, full.history.loc[t, [f"model: {o}" for o in fc.OUTCOMES]].to_numpy(float))


def test_probabilities_sum_to_one_and_the_base_rate_is_the_known_years_shares():
    lr, share = _data()
    f = fc.breakout_forecast(lr, share, tolerance=1 / 12, reps=200)
    assert f.probabilities["model"].sum() == pytest.approx(1) and f.probabilities["base"].sum() == pytest.approx(1)
    assert (f.probabilities["model"] > 0).all()
    yearly = pd.DatetimeIndex([d for d in share.index if d.month == f.forecast_date.month])
    known = fc.event_outcomes(lr, yearly)
    known = known.loc[known["known"] <= f.forecast_date, "outcome"]
    counts = known.value_counts().reindex(list(fc.OUTCOMES), fill_value=0)
    want = (counts + 0.5) / (len(known) + 2)
    np.testing.assert_allclose(f.probabilities["base"].to_numpy(), want.to_numpy(float))
    assert f.n_train == len(known) and f.forecast_date == share.index[-1]
    rec = f.to_record()
    assert rec["new_year"] == f"January {f.forecast_date.year + 1}" and rec["answer"] in ("model", "base rate")
    assert sum(p["model"] for p in rec["probabilities"].values()) == pytest.approx(1)
    assert (f.probabilities["ci_lower"] <= f.probabilities["ci_upper"]).all()


def test_neighbours_are_symmetric_around_today():
    train = pd.DataFrame({"outcome": ["sustained breakout", "no breakout", "no breakout", "false breakout"],
                          "share": [0.50, 0.40, 0.60, 0.90]})
    model, base, n_near = fc._probabilities(train, 0.5, 0.1, prior_weight=0.0)
    assert n_near == 3  # 0.4 and 0.6 are both one step away; 0.9 is not
    assert model[fc.OUTCOMES.index("no breakout")] == pytest.approx(2 / 3)


def test_skill_is_zero_for_the_base_rate_and_positive_for_a_sharper_right_forecast():
    rng = np.random.default_rng(0)
    outcomes = rng.choice(list(fc.OUTCOMES[:3]), size=60, p=[0.6, 0.2, 0.2])
    base = {f"base: {o}": p for o, p in zip(fc.OUTCOMES, [0.58, 0.2, 0.2, 0.02], strict=True)}
    frame = pd.DataFrame({"outcome": outcomes, **base,
                          **{f"model: {o}": p for o, p in zip(fc.OUTCOMES, [0.58, 0.2, 0.2, 0.02], strict=True)}})
    same = fc.skill(frame, reps=500)
    assert same["brier_skill"] == pytest.approx(0) and same["ci_lower"] == pytest.approx(0)
    sharp = frame.copy()
    for o in fc.OUTCOMES:
        sharp[f"model: {o}"] = np.where(sharp["outcome"] == o, 0.85, 0.05)
    s = fc.skill(sharp, reps=500)
    assert s["brier_skill"] > 0.5 and s["ci_lower"] > 0 and s["log_model"] < s["log_base"]
    assert s["ci_lower"] <= s["brier_skill"] <= s["ci_upper"]


def test_without_skill_the_answer_is_the_base_rate():
    lr, share = _data(seed=3)
    noise = pd.Series(np.random.default_rng(9).integers(0, 13, len(share)) / 12, index=share.index)
    f = fc.breakout_forecast(lr, noise, tolerance=1 / 12, reps=300)
    assert f.scores["ci_lower"] <= 0 < f.scores["ci_upper"], f"noise was scored as skill: {f.scores}"
    assert f.answer == "base rate" and "add no skill, so the answer is the base rate" in str(f.describe())
    with pytest.raises(ParameterError, match="tolerance"):
        fc.breakout_forecast(lr, noise, tolerance=2.0)
    with pytest.raises(ParameterError, match="as_of"):
        fc.breakout_forecast(lr, noise, as_of="1900-01-31", tolerance=0.1)


def _plain_gap(train: pd.DataFrame, now: float, tol: float, weight: float) -> float:
    """P(breakout) by the signals minus the base rate, counted by hand (Jeffreys' half-count, shrinkage)."""
    n = len(train)
    base = {o: ((train["outcome"] == o).sum() + 0.5) / (n + 2) for o in fc.OUTCOMES}
    near = train.loc[(train["share"] - now).abs() <= tol + 1e-12, "outcome"]
    model = {o: ((near == o).sum() + weight * base[o]) / (len(near) + weight) for o in fc.OUTCOMES}
    return sum(model[o] - base[o] for o in fc.BREAKOUT)


def test_the_breakout_gap_and_its_halves_match_a_count_by_hand():
    lr, share = _data()
    f = fc.breakout_forecast(lr, share, tolerance=1 / 12, prior_weight=10, reps=400)
    yearly = pd.DatetimeIndex([d for d in share.index if d.month == f.forecast_date.month])
    known = fc.event_outcomes(lr, yearly)
    train = known.loc[known["known"] <= f.forecast_date].join(share.rename("share"))
    now = float(share.iloc[-1])
    assert f.gap["estimate"] == pytest.approx(_plain_gap(train, now, 1 / 12, 10), abs=1e-12)
    assert f.gap["estimate"] == pytest.approx(f.breakout("model") - f.breakout("base"), abs=1e-12)
    assert f.gap["ci_lower"] <= f.gap["estimate"] <= f.gap["ci_upper"] and f.gap["n_train"] == len(train)
    mid = len(train) // 2
    assert len(f.halves) == 2 and f.halves["n_train"].sum() == len(train)
    for (_, row), part in zip(f.halves.iterrows(), (train.iloc[:mid], train.iloc[mid:]), strict=True):
        assert row["estimate"] == pytest.approx(_plain_gap(part, now, 1 / 12, 10), abs=1e-12)
        assert row["ci_lower"] <= row["estimate"] <= row["ci_upper"]
    rec = f.to_record()
    assert rec["breakout_gap"]["estimate"] == f.gap["estimate"] and len(rec["halves"]) == 2


def test_the_bootstrap_resamples_years_and_is_seeded():
    lr, share = _data()
    a, b = (fc.breakout_forecast(lr, share, tolerance=1 / 12, reps=300, seed=s) for s in (4, 4))
    pd.testing.assert_frame_equal(a.probabilities, b.probabilities)
    c = fc.breakout_forecast(lr, share, tolerance=1 / 12, reps=300, seed=5)
    assert not a.probabilities["ci_lower"].equals(c.probabilities["ci_lower"])
    # the same draws by a plain loop over resamples
    train = pd.DataFrame({"outcome": ["no breakout", "blow-off", "sustained breakout", "no breakout"] * 5,
                          "share": np.linspace(0, 1, 20)})
    model, base = fc._boot(train, 0.5, 0.2, 10.0, reps=50, seed=1)
    draws = np.random.default_rng(1).integers(0, len(train), size=(50, len(train)))
    for r in (0, 17, 49):
        m, c0, _ = fc._probabilities(train.iloc[draws[r]], 0.5, 0.2, 10.0)
        np.testing.assert_allclose(model[r], m)
        np.testing.assert_allclose(base[r], c0)


def test_the_same_board_forecasts_another_line():
    lr, share = _data()
    other = lr + np.random.default_rng(8).normal(0, 0.02, len(lr)).cumsum()
    f = fc.breakout_forecast(lr, share, as_of="2000-06-30", tolerance=1 / 12, reps=200)
    g = fc.on_line(f, other)
    want = fc.breakout_forecast(other, share, as_of="2000-06-30", tolerance=1 / 12, reps=200)
    pd.testing.assert_frame_equal(g.probabilities, want.probabilities)
    assert g.forecast_date == f.forecast_date and g.share == f.share
