"""The question's forecast with the declared event and model (rotation.evidence.forecast)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.evidence import forecast as ef
from rotation.evidence.claims import BREAKOUT_EVENT
from rotation.studies import board
from rotation.studies import forecast as study


def _board(years: int = 60, n_signals: int = 8, seed: int = 0) -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1950-01-31", periods=12 * years, freq="ME")
    states = pd.DataFrame(rng.integers(0, 2, (len(idx), n_signals)).astype(float), index=idx,
                          columns=[f"s{i}" for i in range(n_signals)])
    states.iloc[: 12 * 10, -2:] = np.nan  # two signals start ten years later
    lr = pd.Series(np.cumsum(rng.normal(0, 0.03, len(idx))), index=idx)
    return lr, states


def test_the_declared_forecast_uses_the_declared_settings_and_todays_signal_count():
    lr, states = _board()
    got = ef.declared_forecast(lr, states, reps=200)
    want = study.breakout_forecast(lr, board.favourable_share(states), tolerance=1 / 8,
                                   prior_weight=BREAKOUT_EVENT.prior_weight, min_train=BREAKOUT_EVENT.min_train,
                                   lookback=BREAKOUT_EVENT.lookback, k=BREAKOUT_EVENT.k,
                                   blowoff_quantile=BREAKOUT_EVENT.blowoff_quantile,
                                   publication_lag=BREAKOUT_EVENT.publication_lag, reps=200)
    pd.testing.assert_frame_equal(got.probabilities, want.probabilities)
    assert got.to_record()["tolerance"] == pytest.approx(1 / 8)
    early = ef.declared_forecast(lr, states, as_of="1958-06-30", reps=50)  # six signals known then
    assert early.to_record()["tolerance"] == pytest.approx(1 / 6) and early.forecast_date == pd.Timestamp("1958-06-30")


def test_a_run_before_the_commentary_does_not_make_its_forecast():
    lr, _ = _board()
    out = ef.commentary_forecast("ff30_vw", lr, max_age=12, as_of="2019-12-31")
    assert "is after this run's as_of (2019-12-31)" in out and out._repr_markdown_() == str(out)
