"""The question's forecast with its declared event and model (:data:`rotation.evidence.claims.BREAKOUT_EVENT`).

:func:`declared_forecast` runs :func:`rotation.studies.forecast.breakout_forecast` with the declared settings on a
board; :func:`commentary_forecast` makes the same forecast as of the commentary's date, with the board and the
returns published then, and scores it against what followed.
"""

from __future__ import annotations

import pandas as pd

from rotation.evidence.claims import BREAKOUT_EVENT, COMMENTARY_DATE
from rotation.evidence.dated import then_cut
from rotation.stats.results import Sentence
from rotation.studies import board
from rotation.studies import forecast as study

__all__ = ["declared_forecast", "commentary_forecast", "event_args"]


def event_args() -> dict:
    """The declared event's outcome settings (BREAKOUT_EVENT) as keyword arguments of the study's functions."""
    ev = BREAKOUT_EVENT
    return {"lookback": ev.lookback, "k": ev.k, "blowoff_quantile": ev.blowoff_quantile,
            "publication_lag": ev.publication_lag}


def declared_forecast(log_ratio: pd.Series, states: pd.DataFrame, *, as_of=None, reps: int = 2000,
                      seed: int = 0) -> study.BreakoutForecast:
    """The declared model on ``states`` (the carried board, :func:`rotation.studies.board.carried`): the share of
    favourable signals, neighbours within ``BREAKOUT_EVENT.neighbours`` signals of the forecast date's count."""
    ev = BREAKOUT_EVENT
    known = states.loc[: pd.Timestamp(as_of)] if as_of not in (None, "") else states
    n = int(known.dropna(how="all").iloc[-1].notna().sum()) if not known.dropna(how="all").empty else 1
    return study.breakout_forecast(log_ratio, board.favourable_share(states), as_of=as_of,
                                   tolerance=ev.tolerance(max(n, 1)), prior_weight=ev.prior_weight,
                                   min_train=ev.min_train, reps=reps, seed=seed, **event_args())


def commentary_forecast(proxy: str, log_ratio: pd.Series, *, max_age: int, as_of=None, reps: int = 2000,
                        seed: int = 0) -> study.Scored | Sentence:
    """The forecast as of :data:`COMMENTARY_DATE` (the board rebuilt as of then, the returns published by then),
    beside what followed on ``log_ratio`` (the run's data, cut at its ``as_of``). A run as of an earlier date gets
    a sentence saying the commentary is after it."""
    if as_of not in (None, "") and pd.Timestamp(as_of) < pd.Timestamp(COMMENTARY_DATE):
        return Sentence(f"The commentary ({COMMENTARY_DATE}) is after this run's as_of "
                        f"({pd.Timestamp(as_of):%Y-%m-%d}): its forecast is not made.")
    raw, _ = board.states(proxy, as_of=COMMENTARY_DATE)
    states = board.carried(raw, max_age)
    then = declared_forecast(then_cut(log_ratio.loc[:COMMENTARY_DATE], proxy), states, as_of=COMMENTARY_DATE,
                             reps=reps, seed=seed)
    return study.scored(then, log_ratio, **event_args())
