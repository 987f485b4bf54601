"""The answer as a forecast: the probability of each outcome in the window "into the new year", scored out of sample.

The event (declared once with the claims, :data:`rotation.evidence.claims.BREAKOUT_EVENT`): from a forecast date
``t`` (a month end) to the end of the next January, the small/large relative-strength line shows one of four
outcomes with notebook 01's definitions (:func:`rotation.studies.board.outcome_classes`): no breakout, a false
breakout, a sustained breakout or a blow-off.

The model (one, declared before any score was seen): at each year's forecast date (the same month every year),
the past years whose outcome was **known by then** give the base rate (climatology: their outcome shares, with
Jeffreys' half-count per outcome so no probability is 0); the past years whose share of favourable signals was
**near** today's (within ``tolerance``, symmetric) give the conditional frequencies, shrunk to the base rate with
``prior_weight`` pseudo-years. Every past forecast is made walk-forward, with only the years known by its date, and
scored against the outcome that followed: Brier and log scores, and the Brier skill against the base rate with an
interval from a bootstrap over years. If the interval does not exclude zero the signals add no skill and the
answer is the base rate.

Series in, result objects out (:class:`BreakoutForecast`); no display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.results import Sentence
from rotation.studies.board import outcome_classes

__all__ = ["OUTCOMES", "BREAKOUT", "window_end", "window_months", "event_outcomes", "walk_forward", "skill",
           "BreakoutForecast", "breakout_forecast", "on_line", "Scored", "scored"]

#: The four outcomes in the window, in a fixed order (probabilities are reported in it).
OUTCOMES: tuple[str, ...] = ("no breakout", "false breakout", "sustained breakout", "blow-off")
#: The outcomes that count as the breakout the question asks about.
BREAKOUT: tuple[str, ...] = ("sustained breakout", "blow-off")


def _month_end(t: Any) -> pd.Timestamp:
    return pd.Timestamp(t).normalize() + pd.offsets.MonthEnd(0)


def window_end(t: Any) -> pd.Timestamp:
    """The end of the first January after ``t``'s month: the window "into the new year" (2026-08-31 -> 2027-01-31,
    2026-12-31 -> 2027-01-31, 2027-01-31 -> 2028-01-31)."""
    t = _month_end(t)
    return pd.Timestamp(year=t.year + 1, month=1, day=31)


def window_months(t: Any) -> int:
    """Months in the window after ``t`` (its month excluded, the January included): 1 to 12."""
    t, end = _month_end(t), window_end(t)
    return (end.year - t.year) * 12 + end.month - t.month


def event_outcomes(log_ratio: pd.Series, dates: Any, *, lookback: int = 12, k: int = 3,
                   blowoff_quantile: float = 0.9, publication_lag: int = 1) -> pd.DataFrame:
    """What followed each forecast date in its window (to the end of the next January).

    Returns a frame indexed by the dates whose outcome the data decide: ``outcome`` (one of :data:`OUTCOMES`),
    ``window_end``, and ``known``: the month end by which the outcome was published (the window's end plus the
    ``k`` months a false breakout needs, plus ``publication_lag`` months for the returns to be published).
    """
    dates = pd.DatetimeIndex([_month_end(d) for d in dates])
    parts = []
    for h in sorted({window_months(d) for d in dates}):
        on = dates[[window_months(d) == h for d in dates]]
        got = outcome_classes(log_ratio, on, lookback=lookback, k=k, horizon=h, blowoff_quantile=blowoff_quantile)
        parts.append(got)
    out = pd.concat(parts).sort_index() if parts else pd.Series(dtype=object)
    frame = pd.DataFrame({"outcome": out.astype(object)}, index=pd.DatetimeIndex(out.index, name="date"))
    frame["window_end"] = [window_end(d) for d in frame.index]
    frame["known"] = [e + pd.offsets.MonthEnd(k + publication_lag) for e in frame["window_end"]]
    return frame


def _jeffreys(outcomes: pd.Series) -> np.ndarray:
    counts = outcomes.value_counts().reindex(list(OUTCOMES), fill_value=0).to_numpy(dtype=float)
    return (counts + 0.5) / (counts.sum() + 0.5 * len(OUTCOMES))


def _probabilities(train: pd.DataFrame, share_now: float, tolerance: float, prior_weight: float
                   ) -> tuple[np.ndarray, np.ndarray, int]:
    """(model, base rate, how many near years) from the years in ``train`` (columns ``outcome``, ``share``)."""
    clim = _jeffreys(train["outcome"])
    near = train.loc[(train["share"] - share_now).abs() <= tolerance + 1e-12, "outcome"]
    counts = near.value_counts().reindex(list(OUTCOMES), fill_value=0).to_numpy(dtype=float)
    model = (counts + prior_weight * clim) / (len(near) + prior_weight)
    return model, clim, len(near)


def _boot(train: pd.DataFrame, share_now: float, tolerance: float, prior_weight: float, reps: int, seed: int
          ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_probabilities` on ``reps`` resamples of the training years (drawn with replacement, seeded):
    (model, base rate), each ``reps`` x outcomes."""
    hit = np.array([[o == y for o in OUTCOMES] for y in train["outcome"]], dtype=float)
    near = ((train["share"] - share_now).abs() <= tolerance + 1e-12).to_numpy(dtype=float)
    draws = np.random.default_rng(seed).integers(0, len(train), size=(int(reps), len(train)))
    clim = (hit[draws].sum(axis=1) + 0.5) / (len(train) + 0.5 * len(OUTCOMES))
    model = ((hit * near[:, None])[draws].sum(axis=1) + prior_weight * clim) / (
        near[draws].sum(axis=1) + prior_weight)[:, None]
    return model, clim


def _breakout_gap(train: pd.DataFrame, share_now: float, tolerance: float, prior_weight: float, reps: int,
                  seed: int, level: float = 0.95) -> dict[str, float]:
    """The probability of a breakout by the signals minus the base rate on ``train``, with a bootstrap interval over
    its years: ``estimate``, ``ci_lower``, ``ci_upper``, ``model``, ``base``, ``n_train``, ``n_near``."""
    cols = [OUTCOMES.index(o) for o in BREAKOUT]
    if train.empty:
        return {k: np.nan for k in ("estimate", "ci_lower", "ci_upper", "model", "base")} | {"n_train": 0,
                                                                                           "n_near": 0}
    model, clim, n_near = _probabilities(train, share_now, tolerance, prior_weight)
    bm, bc = _boot(train, share_now, tolerance, prior_weight, reps, seed)
    gap = bm[:, cols].sum(axis=1) - bc[:, cols].sum(axis=1)
    a = (1 - level) / 2
    return {"estimate": float(model[cols].sum() - clim[cols].sum()), "ci_lower": float(np.quantile(gap, a)),
            "ci_upper": float(np.quantile(gap, 1 - a)), "model": float(model[cols].sum()),
            "base": float(clim[cols].sum()), "n_train": len(train), "n_near": int(n_near)}


def _halves(train: pd.DataFrame, share_now: float, tolerance: float, prior_weight: float, reps: int,
            seed: int) -> pd.DataFrame:
    """:func:`_breakout_gap` with the training years of each half of the history alone (a sub-period check)."""
    mid = len(train) // 2
    rows = {}
    for part in (train.iloc[:mid], train.iloc[mid:]):
        if part.empty:
            continue
        name = f"years {part.index[0]:%Y} to {part.index[-1]:%Y}"
        rows[name] = _breakout_gap(part, share_now, tolerance, prior_weight, reps, seed)
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "training years"
    return frame


def walk_forward(outcomes: pd.DataFrame, share: pd.Series, *, tolerance: float, prior_weight: float,
                 min_train: int) -> pd.DataFrame:
    """Every past forecast, each made with the years known by its date.

    ``outcomes`` is :func:`event_outcomes` at the yearly forecast dates, ``share`` the share of favourable signals
    known at each month end. One row per date with an outcome and at least ``min_train`` earlier years known by it:
    ``share``, ``n_train``, ``n_near``, ``outcome``, and ``model: <outcome>`` / ``base: <outcome>`` probabilities.
    """
    data = outcomes.join(share.rename("share"), how="inner").dropna(subset=["share"])
    rows = {}
    for t in data.index:
        train = data.loc[(data.index < t) & (data["known"] <= t)]
        if len(train) < min_train:
            continue
        model, clim, n_near = _probabilities(train, float(data.loc[t, "share"]), tolerance, prior_weight)
        rows[t] = {"share": float(data.loc[t, "share"]), "n_train": len(train), "n_near": n_near,
                   "outcome": data.loc[t, "outcome"],
                   **{f"model: {o}": p for o, p in zip(OUTCOMES, model, strict=True)},
                   **{f"base: {o}": p for o, p in zip(OUTCOMES, clim, strict=True)}}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "date"
    return frame


def _scores(frame: pd.DataFrame, which: str) -> tuple[np.ndarray, np.ndarray]:
    """Per forecast: the Brier score (sum over outcomes of the squared error) and the log score (-log p)."""
    p = frame[[f"{which}: {o}" for o in OUTCOMES]].to_numpy(dtype=float)
    hit = np.array([[o == y for o in OUTCOMES] for y in frame["outcome"]], dtype=float)
    return ((p - hit) ** 2).sum(axis=1), -np.log((p * hit).sum(axis=1))


def skill(frame: pd.DataFrame, *, reps: int = 2000, seed: int = 0, level: float = 0.95) -> dict[str, float]:
    """Out-of-sample scores of :func:`walk_forward`'s forecasts and the Brier skill against the base rate.

    ``brier_skill`` = 1 - mean Brier (model) / mean Brier (base rate); its interval is a percentile bootstrap over
    the forecast years (one forecast a year: the years are the independent units), seeded.
    """
    n = len(frame)
    if n == 0:
        return {"n": 0, "brier_model": np.nan, "brier_base": np.nan, "log_model": np.nan, "log_base": np.nan,
                "brier_skill": np.nan, "ci_lower": np.nan, "ci_upper": np.nan}
    bm, lm = _scores(frame, "model")
    bb, lb = _scores(frame, "base")
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(int(reps), n))
    boot = 1 - bm[draws].mean(axis=1) / bb[draws].mean(axis=1)
    a = (1 - level) / 2
    return {"n": n, "brier_model": float(bm.mean()), "brier_base": float(bb.mean()), "log_model": float(lm.mean()),
            "log_base": float(lb.mean()), "brier_skill": float(1 - bm.mean() / bb.mean()),
            "ci_lower": float(np.quantile(boot, a)), "ci_upper": float(np.quantile(boot, 1 - a))}


def _reliability(frame: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """The forecast probability of a breakout against how often one followed, in equal-width bins."""
    if frame.empty:
        return pd.DataFrame({"forecast": [], "observed": [], "n": []}, index=pd.Index([], name="forecast bin"))
    p = frame[[f"model: {o}" for o in BREAKOUT]].sum(axis=1)
    hit = frame["outcome"].isin(BREAKOUT).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    which = pd.cut(p, edges, include_lowest=True)
    table = pd.DataFrame({"forecast": p, "observed": hit}).groupby(which, observed=True).agg(
        forecast=("forecast", "mean"), observed=("observed", "mean"), n=("observed", "size"))
    table.index = [f"{max(iv.left, 0.0):.0%} to {iv.right:.0%}" for iv in table.index]
    table.index.name = "forecast bin"
    return table


@dataclass(frozen=True)
class BreakoutForecast:
    """Today's forecast of the window's outcome, its base rate, and the out-of-sample record of the same model.

    ``probabilities``: per outcome ``model``, ``ci_lower``/``ci_upper`` (bootstrap over the training years),
    ``base`` (the base rate); ``scores``: :func:`skill`; ``answer``: ``"model"`` when the skill interval is above
    zero, else ``"base rate"`` (the signals add no skill); ``history``: every past forecast
    (:func:`walk_forward`); ``reliability``: :func:`_reliability`; ``gap``: the probability of a breakout by the
    signals minus the base rate, with its interval from the same bootstrap over the training years; ``halves``:
    the same gap with the training years of each half of the history alone; ``shares``: the share of favourable
    signals by month end the forecast used (to the forecast date), so the same board can forecast another line
    (:func:`on_line`).
    """

    forecast_date: pd.Timestamp
    window_end: pd.Timestamp
    share: float
    n_train: int
    n_near: int
    probabilities: pd.DataFrame
    scores: dict[str, float]
    history: pd.DataFrame
    reliability: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    gap: dict[str, float] = field(default_factory=dict)
    halves: pd.DataFrame = field(default_factory=pd.DataFrame)
    shares: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))

    @property
    def answer(self) -> str:
        lo = self.scores.get("ci_lower", np.nan)
        return "model" if np.isfinite(lo) and lo > 0 else "base rate"

    def track_record(self) -> pd.DataFrame:
        """Every past forecast (one a year, walk-forward) beside what followed: the share of favourable signals,
        the probability of a breakout by the signals and by the base rate, and the outcome."""
        h = self.history
        if h.empty:
            return pd.DataFrame(columns=["share favourable", "breakout (signals)", "breakout (base rate)", "outcome"])
        return pd.DataFrame({"share favourable": h["share"],
                             "breakout (signals)": h[[f"model: {o}" for o in BREAKOUT]].sum(axis=1),
                             "breakout (base rate)": h[[f"base: {o}" for o in BREAKOUT]].sum(axis=1),
                             "outcome": h["outcome"]})

    def breakout(self, which: str = "model") -> float:
        """The probability of a breakout (sustained or blow-off) by the model or the base rate."""
        return float(self.probabilities.loc[list(BREAKOUT), which].sum())

    def skill_since(self, first: Any) -> dict[str, float]:
        """:func:`skill` of the past forecasts dated ``first`` or later (same bootstrap settings)."""
        return skill(self.history.loc[pd.Timestamp(first):], reps=self.settings.get("reps", 2000),
                     seed=self.settings.get("seed", 0))

    def to_record(self) -> dict[str, Any]:
        def num(x: Any) -> Any:
            return None if x is None or (isinstance(x, float) and not np.isfinite(x)) else x

        probs = {o: {k: num(float(v)) for k, v in row.items()} for o, row in self.probabilities.iterrows()}
        return {"forecast_date": f"{self.forecast_date:%Y-%m-%d}", "window_end": f"{self.window_end:%Y-%m-%d}",
                "new_year": f"January {self.window_end.year}", "share_favourable": num(self.share),
                "n_train": self.n_train, "n_near": self.n_near, "probabilities": probs,
                "breakout_model": num(self.breakout("model")), "breakout_base": num(self.breakout("base")),
                "scores": {k: num(v) for k, v in self.scores.items()}, "answer": self.answer,
                "breakout_gap": {k: num(v) for k, v in self.gap.items()},
                "halves": {name: {k: num(v) for k, v in row.items()} for name, row in self.halves.iterrows()},
                "history_years": len(self.history), **{k: v for k, v in self.settings.items()}}

    def describe(self) -> Sentence:
        pb, pc = self.breakout("model"), self.breakout("base")
        s = self.scores
        st = self.settings
        near = (f"within {st['tolerance']:.0%} of today's {self.share:.0%}, shrunk with {st['prior_weight']:g} "
                f"pseudo-years; scored from the {st['min_train']}th year known" if st else "near today's")
        head = (f"From {self.forecast_date:%Y-%m-%d} to the end of January {self.window_end.year}: a breakout "
                f"(sustained or blow-off) {pb:.0%} by the signals against a base rate of {pc:.0%} "
                f"({self.n_near} of {self.n_train} earlier years had a share of favourable signals {near}).")
        if not s["n"]:
            return Sentence(f"{head} No past forecast could be scored.")
        tail = (f" Out of sample ({s['n']} yearly forecasts), Brier skill against the base rate "
                f"{s['brier_skill']:+.3f} (95% CI {s['ci_lower']:+.3f} to {s['ci_upper']:+.3f}): ")
        tail += ("the signals add skill." if self.answer == "model" else
                 "the signals add no skill, so the answer is the base rate.")
        return Sentence(head + tail)


def breakout_forecast(log_ratio: pd.Series, share: pd.Series, *, as_of: Any = None, tolerance: float,
                      prior_weight: float = 10.0, min_train: int = 20, lookback: int = 12, k: int = 3,
                      blowoff_quantile: float = 0.9, publication_lag: int = 1, reps: int = 2000,
                      seed: int = 0) -> BreakoutForecast:
    """Today's forecast of the window's outcome and the walk-forward record of the same model.

    ``log_ratio``: the monthly log small/large relative strength; ``share``: the share of favourable signals known
    at each month end (:func:`rotation.studies.board.favourable_share`). The forecast date is ``as_of`` (or the
    last month end with a share); the yearly forecast dates are the same month of every earlier year. Only the
    years whose outcome is known by a date train the forecast made at it.
    """
    if not 0 <= tolerance <= 1:
        raise ParameterError(f"tolerance is a distance between shares in [0, 1]; got {tolerance!r}")
    share = share.dropna()
    if as_of not in (None, ""):
        share = share.loc[: _month_end(as_of)]
    if share.empty:
        raise ParameterError("share has no value by as_of: the board starts later (pass a later as_of)")
    t = share.index[-1]
    log_ratio = log_ratio.loc[:t]
    yearly = pd.DatetimeIndex([d for d in share.index if d.month == t.month])
    outcomes = event_outcomes(log_ratio, yearly, lookback=lookback, k=k, blowoff_quantile=blowoff_quantile,
                              publication_lag=publication_lag)
    history = walk_forward(outcomes, share, tolerance=tolerance, prior_weight=prior_weight, min_train=min_train)
    train = outcomes.loc[outcomes["known"] <= t].join(share.rename("share"), how="inner").dropna()
    now = float(share.iloc[-1])
    model, clim, n_near = _probabilities(train, now, tolerance, prior_weight)
    if len(train):
        bm = _boot(train, now, tolerance, prior_weight, reps, seed)[0]
        lower, upper = np.quantile(bm, 0.025, axis=0), np.quantile(bm, 0.975, axis=0)
    else:
        lower = upper = np.full(len(OUTCOMES), np.nan)
    probs = pd.DataFrame({"model": model, "base": clim, "ci_lower": lower, "ci_upper": upper},
                         index=pd.Index(OUTCOMES, name="outcome"))
    return BreakoutForecast(t, window_end(t), now, len(train), n_near, probs,
                            skill(history, reps=reps, seed=seed), history, _reliability(history),
                            settings={"tolerance": tolerance, "prior_weight": prior_weight, "min_train": min_train,
                                      "reps": int(reps), "seed": int(seed)},
                            gap=_breakout_gap(train, now, tolerance, prior_weight, reps, seed),
                            halves=_halves(train, now, tolerance, prior_weight, reps, seed), shares=share)


def on_line(forecast: BreakoutForecast, log_ratio: pd.Series, *, lookback: int = 12, k: int = 3,
            blowoff_quantile: float = 0.9, publication_lag: int = 1) -> BreakoutForecast:
    """The same forecast (the same board, date and settings) of the outcomes on another relative-strength line
    (a second small/large proxy)."""
    st = forecast.settings
    return breakout_forecast(log_ratio, forecast.shares, as_of=forecast.forecast_date, tolerance=st["tolerance"],
                             prior_weight=st["prior_weight"], min_train=st["min_train"], lookback=lookback, k=k,
                             blowoff_quantile=blowoff_quantile, publication_lag=publication_lag,
                             reps=st.get("reps", 2000), seed=st.get("seed", 0))


@dataclass(frozen=True)
class Scored:
    """A forecast beside what followed: the window's outcome on the data of today (``outcome``, None while the
    window or its ``k`` months after are not over), when it was known, and the relative return over the window and
    over the 12 months after the forecast date (decimal, small over large; NaN past the data)."""

    forecast: BreakoutForecast
    outcome: str | None
    known: pd.Timestamp
    window_return: float
    next_year_return: float

    def to_record(self) -> dict[str, Any]:
        def num(x: float) -> float | None:
            return float(x) if np.isfinite(x) else None

        p = self.forecast.probabilities
        hit = None if self.outcome is None else {
            "model": num(float(p.loc[self.outcome, "model"])), "base": num(float(p.loc[self.outcome, "base"]))}
        return {**self.forecast.to_record(), "outcome": self.outcome, "outcome_known": f"{self.known:%Y-%m-%d}",
                "probability_of_outcome": hit, "window_return": num(self.window_return),
                "next_year_return": num(self.next_year_return)}

    def _repr_markdown_(self) -> str:
        return str(self.describe())

    def describe(self) -> Sentence:
        f = self.forecast
        head = (f"As of {f.forecast_date:%Y-%m-%d}, with only data published then: a breakout by the end of January "
                f"{f.window_end.year} {f.breakout('model'):.0%} by the signals, base rate {f.breakout('base'):.0%}.")
        if self.outcome is None:
            return Sentence(f"{head} The outcome is known from {self.known:%Y-%m-%d}.")
        p = f.probabilities.loc[self.outcome]
        ret = (f"; small minus large over the window {self.window_return:+.1%}"
               if np.isfinite(self.window_return) else "")
        year = (f", over the next 12 months {self.next_year_return:+.1%}" if np.isfinite(self.next_year_return)
                else "")
        return Sentence(f"{head} What followed: {self.outcome} ({p['model']:.0%} by the signals, {p['base']:.0%} by "
                        f"the base rate){ret}{year}.")


def scored(forecast: BreakoutForecast, log_ratio: pd.Series, *, lookback: int = 12, k: int = 3,
           blowoff_quantile: float = 0.9, publication_lag: int = 1) -> Scored:
    """``forecast`` beside the outcome of its window on ``log_ratio`` (today's data: it looks ahead by design)."""
    t = forecast.forecast_date
    got = event_outcomes(log_ratio, [t], lookback=lookback, k=k, blowoff_quantile=blowoff_quantile,
                         publication_lag=publication_lag)
    known = window_end(t) + pd.offsets.MonthEnd(k + publication_lag)
    outcome = None if got.empty else str(got["outcome"].iloc[0])
    lr = log_ratio.dropna()

    def change(months: int) -> float:
        i = lr.index.searchsorted(t)
        if i >= len(lr) or lr.index[i] != t or i + months >= len(lr):
            return float("nan")
        return float(np.expm1(lr.iloc[i + months] - lr.iloc[i]))

    return Scored(forecast, outcome, known, change(window_months(t)), change(12))
