"""The answer of the synthesis (notebook 08): what followed each signal's state, the composite out of sample,
months like today and what came after them.

Each function is one step of the notebook and returns a result object
(:mod:`rotation.stats.results`) that records itself and says what it found in a sentence:

* :func:`signal_board` -- for every signal of the board (:func:`rotation.studies.board.states`), the
  forward relative return after months in the same state as today minus the other months, at each
  horizon, with Holm-adjusted p-values over all the tests;
* :func:`composite` -- the share of favourable signals against each signal alone, out of sample
  (:func:`rotation.studies.board.composite_oos`);
* :func:`months_like_today` -- months within one signal of today's count of favourable signals, what small
  caps did over the next months, in the whole sample and in each half;
* :func:`closest_to_flipping` -- the signals nearest to changing state (:func:`rotation.studies.board.margins`);
* :func:`outcome_split` -- sustained breakout, blow-off, false breakout or none after months like
  today, against all months (:func:`rotation.studies.board.outcome_classes`).

Conventions as in :mod:`rotation.studies.economy`: a state at month end ``t`` uses data known at ``t``;
forward returns compound ``t+1..t+h``; decimal returns. The outcome classes look ahead by design.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats import clusters
from rotation.stats.checks import check_int, check_pandas
from rotation.stats.multiple import adjust_pvalues
from rotation.stats.results import VOCABULARY, Estimates, Method, Results, Sentence
from rotation.stats.units import Units, format_p
from rotation.studies import board, economy

__all__ = ["OUTCOMES", "signal_board", "composite", "months_like_today", "closest_to_flipping", "outcome_split",
           "RealTimeAnswer", "realtime_answer"]

#: The outcome classes of :func:`rotation.studies.board.outcome_classes`, in the order they are shown.
OUTCOMES: tuple[str, ...] = ("sustained breakout", "blow-off", "false breakout", "no breakout")

_NAN = float("nan")


def _check_inputs(rel: object, states: object) -> None:
    check_pandas(rel, "rel", allow_frame=False)
    if not isinstance(states, pd.DataFrame) or states.empty:
        raise ParameterError("states must be the non-empty DataFrame of monthly 0/1 states "
                             f"(rotation.studies.board.states, carried); got {type(states).__name__}")


def _vocabulary_first(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the result vocabulary's columns first (NaN where a quantity does not apply)."""
    for col in VOCABULARY:
        if col not in table.columns:
            table[col] = _NAN
    return table[[*VOCABULARY, *(c for c in table.columns if c not in VOCABULARY)]]


def signal_board(rel: pd.Series, states: pd.DataFrame, info: pd.DataFrame, *, horizons: Sequence[int],
                 horizon: int) -> Estimates:
    """What followed each signal's current state: months in that state minus the other months.

    For each signal (column of ``states``) and horizon, the forward relative return compounded over
    the next ``h`` months regressed on a dummy for the signal's *current* state (favourable or not),
    with HAC errors (:func:`rotation.studies.economy.state_difference`, at least ``h - 1`` lags), and
    the p-values Holm-adjusted over all the signals and horizons together.

    Parameters
    ----------
    rel : pd.Series
        Monthly relative returns of small over large caps (decimal).
    states : pd.DataFrame
        Month ends x signals: 1 favourable, 0 not, NaN unknown, known at each month end
        (:func:`rotation.studies.board.carried`).
    info : pd.DataFrame
        The board's description (:func:`rotation.studies.board.states`): ``label`` per signal.
    horizons : sequence of int
        Forward horizons in months; the deciding ``horizon`` is always included.
    horizon : int
        The horizon of the answer (the summary in ``.data`` and the sentence).

    Returns
    -------
    Estimates
        Rows (signal, horizon): the vocabulary, ``n_state``, ``n_spells``, ``median_state``,
        ``share_positive_state``, ``last reading`` (the month of the signal's last reading, ``info["last"]``;
        not the month it is carried to), ``stale`` (``info["stale"]``), ``favourable now``, ``p_holm``.
        ``extra``: ``info`` (the board's description by signal), ``horizon``. ``.data``: one row per
        signal at ``horizon`` with its ``signal`` label (the table the notebook shows).
    """
    _check_inputs(rel, states)
    h0 = check_int(horizon, "horizon", minimum=1, maximum=600)
    hs = sorted({*(check_int(h, "horizons", minimum=1, maximum=600) for h in horizons), h0})
    rows, lags = {}, {}
    last = info["last"].dropna().to_dict() if "last" in info else {}  # the reading's date, not the carried one
    stale = info["stale"].dropna().astype(bool).to_dict() if "stale" in info else {}
    for key in states:
        s = states[key].dropna()
        if s.empty:
            raise ParameterError(f"states[{key!r}] has no known state: nothing to compare")
        now = float(s.iloc[-1])
        for h in hs:
            d = economy.state_difference(rel, s if now == 1 else 1 - s, horizon=h)
            lags[(key, h)] = d.method.lags
            rows[(key, h)] = {"last reading": last.get(key, s.index[-1]), "stale": stale.get(key),
                              "favourable now": bool(now), **d.table.iloc[0].to_dict()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["key", "horizon"])
    table["p_holm"] = adjust_pvalues(table["p_value"].astype(float), "holm")
    table = _vocabulary_first(table.astype({"nobs": int, "n_state": int, "n_spells": int}))
    summary = table.xs(h0, level="horizon")[["last reading", "stale", "favourable now", "estimate", "ci_lower",
                                             "ci_upper", "p_holm", "share_positive_state", "n_spells"]]
    summary.insert(0, "signal", info.loc[summary.index, "label"])
    units = Units.returns("decimal relative return compounded over the next h months, months in the signal's "
                          "current state minus the other months")
    note = "p_holm: Holm-adjusted over every signal and horizon"
    if len(set(lags.values())) == 1:
        method = Method(kind="HAC", cov_type="HAC", lags=next(iter(lags.values())), note=note)
    else:  # long horizons need more lags than the others: per row
        table["maxlags"] = pd.Series(lags)
        method = Method(kind="HAC", cov_type="HAC", lag_rule="max(h - 1, 12) per horizon", note=note)
    favourable = summary.loc[summary["favourable now"], "signal"].tolist()
    strong = summary[summary["p_holm"] < 0.05]
    found = "; ".join(f"{row['signal']}, {'favourable' if row['favourable now'] else 'unfavourable'} now "
                      f"({units.format(row['estimate'], digits=1)})" for _, row in strong.iterrows())
    old = [f"{k} (last {pd.Timestamp(last[k]):%Y-%m})" for k, v in stale.items() if v and k in last]
    fresh = (f" {len(summary) - len(old)} of {len(summary)} readings are current"
             + (f"; stale, older than their frequency allows: {', '.join(old)}." if old else ".")) if stale else ""
    sentence = (f"{len(table)} tests (signals x horizons); `p_holm` is the Holm-adjusted p-value.{fresh} "
                f"{len(favourable)} of {len(summary)} signals are favourable to small caps now"
                f"{' (' + ', '.join(favourable) + ')' if favourable else ''}. Over the next {h0} months, "
                + (f"{len(strong)} current states were followed by a relative return different from the other "
                   f"months after the adjustment: {found}." if len(strong) else
                   "no current state was followed by a relative return different from the other months after the "
                   "adjustment."))
    return Estimates(table, method, units,
                     "What followed each signal's current state (rows: signal, horizon in months)",
                     extra={"info": info.to_dict(orient="index"), "horizon": h0}, data=summary, sentence=sentence)


def composite(rel: pd.Series, states: pd.DataFrame, *, horizon: int, min_train: int = 120) -> Estimates:
    """The share of favourable signals against each signal alone, as forecasts evaluated out of sample.

    Expanding-window regressions of the next ``horizon`` months' relative return on each predictor
    (:func:`rotation.studies.board.composite_oos`; every forecast uses only data known when it is made).

    Parameters
    ----------
    rel : pd.Series
        Monthly relative returns of small over large caps (decimal).
    states : pd.DataFrame
        The carried board (:func:`rotation.studies.board.carried`).
    horizon : int
        Months ahead of the forecast.
    min_train : int
        Months of training data before the first forecast.

    Returns
    -------
    Estimates
        Rows ``composite`` and each signal: ``estimate`` = out-of-sample R² against the historical
        mean, ``nobs`` = forecasts, ``oos_r2_vs_zero`` (against a zero forecast: always equal weight),
        ``hit_rate`` (share of forecasts with the sign of the outcome), ``first_forecast``.
        ``extra``: ``best_single`` (the signal with the highest R²), ``horizon``, ``min_train``.
    """
    _check_inputs(rel, states)
    oos = board.composite_oos(rel, states, horizon=check_int(horizon, "horizon", minimum=1, maximum=600),
                              min_train=check_int(min_train, "min_train", minimum=1))
    if "composite" not in oos.index or len(oos) < 2:
        raise ParameterError(f"composite: too little data for out-of-sample forecasts with min_train={min_train} "
                             f"(predictors evaluated: {list(oos.index)}); lower min_train or use a longer sample")
    table = _vocabulary_first(pd.DataFrame({
        "estimate": oos["oos_r2"].astype(float), "nobs": oos["n_forecasts"].astype(int),
        "oos_r2_vs_zero": oos["oos_r2_vs_zero"].astype(float), "hit_rate": oos["hit_rate"].astype(float),
        "first_forecast": pd.to_datetime(oos["first_forecast"])}))
    table.index.name = "predictor"
    best = table.drop(index="composite")["estimate"].idxmax()
    c, b = table.loc["composite"], table.loc[best]
    verdict = ("adds to" if c["estimate"] > b["estimate"] else "adds nothing out of sample over")
    sentence = (f"Out of sample, the share of favourable signals has an R² of {c['estimate']:+.3f} against the "
                f"historical mean and {c['oos_r2_vs_zero']:+.3f} against a zero forecast, with the sign right in "
                f"{c['hit_rate']:.0%} of {int(c['nobs'])} forecasts from {c['first_forecast']:%Y-%m}. The best single "
                f"signal, `{best}`, has {b['estimate']:+.3f} ({b['oos_r2_vs_zero']:+.3f} against zero): the "
                f"combination {verdict} the best signal alone.")
    method = Method(kind="descriptive", note=f"expanding-window OLS forecasts of the next {horizon} months' relative "
                                             f"return, the first after {min_train} months of training data")
    units = Units.number(f"out-of-sample R² of the next {horizon} months' relative return against the historical "
                         "mean")
    return Estimates(table, method, units, "The composite and each signal out of sample",
                     extra={"best_single": best, "horizon": horizon, "min_train": min_train}, data=oos,
                     sentence=sentence)


def months_like_today(rel: pd.Series, states: pd.DataFrame, *, horizon: int, neighbours: int = 1) -> Results:
    """Months near today's share of favourable signals, and what small caps did next.

    Today is the last month with a share (:func:`rotation.studies.board.favourable_share`: at least
    three signals known). A month is *like today* when its share is within ``neighbours`` signals of today's,
    above or below (``neighbours / n_known`` as a share, ``n_known`` the signals known today): symmetric, so
    "like today" never means "at least as good as today" (the declared ``BREAKOUT_EVENT.neighbours``). Compared: the
    relative return compounded over the next ``horizon`` months after those months against the other
    months (:func:`rotation.studies.economy.state_difference`, HAC), in the whole sample and in each
    half (split at the middle month of ``rel``, which belongs to both halves).

    Parameters
    ----------
    rel : pd.Series
        Monthly relative returns of small over large caps (decimal).
    states : pd.DataFrame
        The carried board (:func:`rotation.studies.board.carried`).
    horizon : int
        Months ahead (the claim's deciding horizon).

    Returns
    -------
    Results
        ``difference`` (one row: like today minus the others) and ``halves`` (rows ``first half``,
        ``second half``, with their ``start`` and ``end``). ``extra``: ``share_favourable`` (today's),
        ``months_like_today`` (with a complete forward window), ``beat`` (of them, followed by small caps
        beating large caps), ``median`` (their median forward return), ``as_of``, ``n_favourable``,
        ``n_known``, ``favourable`` (the signals favourable today), ``horizon``. ``.data``: ``share`` and
        ``like_today`` (1, 0, NaN) by month end, known at each month end.
    """
    _check_inputs(rel, states)
    h = check_int(horizon, "horizon", minimum=1, maximum=600)
    share = board.favourable_share(states)
    known = share.dropna()
    if known.empty:
        raise ParameterError("states: no month has three or more known signals; nothing is like today")
    latest_share = float(known.iloc[-1])
    n_now = int(states.loc[known.index[-1]].notna().sum())
    width = check_int(neighbours, "neighbours", minimum=0, maximum=50) / max(n_now, 1)
    like_today = ((share - latest_share).abs() <= width + 1e-12).astype(float).where(share.notna())
    fwd = economy.forward_compounded(rel, h)
    past = fwd[like_today.reindex(fwd.index) == 1].dropna()
    difference = economy.state_difference(rel, like_today, horizon=h)
    mid = rel.index[len(rel) // 2]
    spans = {"first half": (rel.index[0], mid), "second half": (mid, rel.index[-1])}
    tables = [economy.state_difference(rel.loc[a:b], like_today, horizon=h).table for a, b in spans.values()]
    halves = pd.concat(tables).set_axis(list(spans)).assign(start=[a for a, _ in spans.values()],
                                                           end=[b for _, b in spans.values()])
    halves.index.name = "sub-period"
    today = states.loc[known.index[-1]]
    favourable = [k for k, v in today.items() if v == 1]
    n_fav, n_known = int(today.sum()), int(today.notna().sum())
    sentence = (f"**As of {known.index[-1]:%Y-%m}, {latest_share:.0%} of the signals known are favourable "
                f"({n_fav} of {n_known}: {', '.join(favourable) or 'none'}).** In past months within "
                f"{neighbours} signal{'s' if neighbours != 1 else ''} of that share "
                f"({max(latest_share - width, 0):.0%} to {min(latest_share + width, 1):.0%}), small caps beat "
                f"large caps over the next {h} months in {int((past > 0).sum())} of "
                f"{len(past)} months ({int(difference.table['n_spells'].iloc[0])} separate spells), median "
                f"{past.median():+.1%}; against the other months the difference was {difference.estimate:+.1%} "
                f"(95% CI {difference.ci_lower:+.1%} to {difference.ci_upper:+.1%}).")
    extra = {"share_favourable": latest_share, "months_like_today": len(past), "beat": int((past > 0).sum()),
             "median": float(past.median()), "as_of": known.index[-1], "n_favourable": n_fav, "n_known": n_known,
             "favourable": favourable, "horizon": h, "neighbours": int(neighbours),
             "like_share_from": max(latest_share - width, 0.0), "like_share_to": min(latest_share + width, 1.0)}
    by_half = Estimates(halves, difference.method, difference.units, f"{difference.title}, by half of the sample")
    return Results({"difference": difference, "halves": by_half}, extra=extra,
                   title="Months like today: the next months' relative return", sentence=sentence,
                   data=pd.DataFrame({"share": share, "like_today": like_today}))


def closest_to_flipping(proxy: str, info: pd.DataFrame, *, as_of: str | pd.Timestamp | None = None,
                        n: int = 3) -> Estimates:
    """Each signal's distance from flipping, in standard deviations of its own history, nearest first.

    The margin is the signal's latest reading minus its threshold, signed so that positive is
    favourable (:func:`rotation.studies.board.margins`, known at ``as_of``); ``z`` divides it by the
    standard deviation of the margin's history.

    Parameters
    ----------
    proxy : str
        The small/large pair of the momentum signal.
    info : pd.DataFrame
        The board's description (:func:`rotation.studies.board.states`): ``label`` per signal.
    as_of : str or Timestamp, optional
        Use only data known then (None or "": the latest data).
    n : int
        How many signals the sentence names as the closest.

    Returns
    -------
    Estimates
        One row per signal, ordered by ``|z|`` (signals without a margin last): ``estimate`` = ``z``,
        ``signal`` (label), ``date`` (latest reading), ``margin`` and ``favourable`` (True, False, or
        None without a reading). ``extra``: ``closest`` (the ``n`` keys nearest zero). ``.data``: the
        table the notebook shows (``signal, date, margin, z, favourable``).
    """
    n = check_int(n, "n", minimum=1)
    near = board.margins(proxy, as_of=as_of)
    near = near.assign(signal=info.loc[near.index, "label"], abs_z=near["z"].abs()).sort_values("abs_z")
    closest = [k for k in near.dropna(subset=["z"]).index[:n]]
    favourable = pd.Series([None if pd.isna(f) else bool(f == 1) for f in near["favourable"]], index=near.index,
                           dtype=object)
    table = _vocabulary_first(pd.DataFrame({"estimate": near["z"], "signal": near["signal"], "date": near["date"],
                                            "margin": near["margin"], "favourable": favourable}))
    table.index.name = "key"
    words = "; ".join(f"{info.loc[k, 'label']} ({near.loc[k, 'z']:+.2f} sd, "
                      f"{'favourable' if near.loc[k, 'favourable'] == 1 else 'unfavourable'} now)" for k in closest)
    return Estimates(table, Method(kind="descriptive", note="z: the latest margin over the standard deviation of "
                                                            "the margin's history"),
                     Units.number("distance from flipping: latest margin in standard deviations of its history, "
                                  "positive = favourable"),
                     "How far each signal stands from flipping", extra={"closest": closest},
                     data=near[["signal", "date", "margin", "z"]].assign(favourable=favourable),
                     sentence=f"Closest to flipping: {words}.")


def outcome_split(log_ratio: pd.Series, like_today: pd.Series, *, reps: int = 1000, seed: int = 0) -> Estimates:
    """Sustained breakout, blow-off, false breakout or none: shares after months like today vs all months.

    Each month's outcome on the monthly log relative-strength line (:func:`rotation.studies.board.outcome_classes`:
    notebook 01's definitions, looking ahead by design). For months like today, the share of each
    outcome with a bootstrap over spells of consecutive months like today (one episode each,
    :func:`rotation.stats.clusters.cluster_bootstrap`); for all months, the plain share.

    Parameters
    ----------
    log_ratio : pd.Series
        Monthly log relative strength of small over large caps.
    like_today : pd.Series
        1 in months like today, 0 in others, NaN where unknown (``months_like_today(...).data["like_today"]``).
    reps, seed : int
        Bootstrap replications and seed.

    Returns
    -------
    Estimates
        Rows :data:`OUTCOMES`: ``estimate`` (share after months like today), ``std_err``, ``ci_lower``,
        ``ci_upper``, ``nobs`` (months like today with a complete window), ``n_clusters`` (spells),
        ``all months`` (the share over every month with a complete window).
    """
    check_pandas(log_ratio, "log_ratio", allow_frame=False)
    check_pandas(like_today, "like_today", allow_frame=False)
    reps, seed = check_int(reps, "reps", minimum=1), check_int(seed, "seed", minimum=0)
    classes = board.outcome_classes(log_ratio, log_ratio.index)
    like = like_today.reindex(classes.index) == 1
    if like.sum() < 2:
        raise ParameterError(f"like_today: {int(like.sum())} month(s) like today with a complete window; need 2")
    spell_id = (like_today != like_today.shift()).cumsum().reindex(classes.index)
    rows = {}
    for name in OUTCOMES:
        hit = (classes == name).astype(float)
        cb = clusters.cluster_bootstrap(hit[like].to_numpy(), spell_id[like].to_numpy(), reps=reps,
                                        seed=seed).table.iloc[0]
        rows[name] = {"estimate": cb["estimate"], "std_err": cb["std_err"], "t": _NAN, "p_value": _NAN,
                      "ci_lower": cb["ci_lower"], "ci_upper": cb["ci_upper"], "nobs": cb["nobs"],
                      "n_clusters": cb["n_clusters"], "all months": float(hit.mean())}
    table = pd.DataFrame(rows).T.astype(float).astype({"nobs": int, "n_clusters": int})
    table.index.name = "outcome"
    u = Units.share("share of months followed by each outcome")
    words = "; ".join(f"{name} {u.format(r['estimate'], digits=1)} (95% CI {u.format(r['ci_lower'], digits=1)} to "
                      f"{u.format(r['ci_upper'], digits=1)}) against {u.format(r['all months'], digits=1)}"
                      for name, r in table.iterrows())
    first = table.iloc[0]
    sentence = (f"After the {int(first['nobs'])} months like today ({int(first['n_clusters'])} spells), against all "
                f"months: {words}.")
    method = Method(kind="bootstrap", bootstrap="cluster", reps=reps, seed=seed,
                    note="clusters: spells of consecutive months like today; 'all months' is a plain share")
    return Estimates(table, method, u, "Share of months followed by each outcome: months like today (bootstrap "
                     "over spells) vs all months", data=classes.to_frame(), sentence=sentence)


@dataclass(frozen=True)
class RealTimeAnswer:
    """The answer's macro signals on the real-time basis against release-timed (revised) ones (:func:`realtime_answer`).

    ``comparison``: per macro signal its basis, coverage and the months whose state differs from the release-timed
    one; ``basis``: the board's basis by month; ``like``/``composite``: :func:`months_like_today` and
    :func:`composite` on the real-time board from the first vintage-covered month; ``basis_text``: in words;
    ``revised_like``/``revised_composite``: the same on the release-timed board over the same months (all four
    None, and ``note`` saying why, when the comparison cannot be made on those months);
    ``full_revised_like``/``full_revised_composite``: the answer on the release-timed board over the answer's
    whole sample (what revised data would answer); ``point_in_time_share``: the share of the board's months
    with at least one macro signal truly point-in-time; ``revised_states``: the release-timed board, carried like
    the answer's (the forecast on revised data); ``first_covered``: the first month a vintage covers.
    """

    comparison: dict[str, dict[str, Any]]
    basis: pd.DataFrame
    like: Results | None
    composite: Estimates | None
    basis_text: str
    revised_like: Results | None
    revised_composite: Estimates | None
    note: str = ""
    full_revised_like: Results | None = None
    full_revised_composite: Estimates | None = None
    point_in_time_share: float = float("nan")
    revised_states: pd.DataFrame | None = None
    first_covered: pd.Timestamp | None = None

    def to_record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"signals": self.comparison, "basis": self.basis_text,
                               "point_in_time_share": self.point_in_time_share}
        if self.full_revised_like is not None:
            rec["full_revised_difference"] = self.full_revised_like["difference"].table.iloc[0].to_dict()
            rec["full_revised_share_favourable"] = self.full_revised_like.extra.get("share_favourable")
        if self.like is None or self.revised_like is None:
            return {**rec, "note": self.note}
        x = self.like.extra
        return {**rec, "share_favourable": x.get("share_favourable"), "months_like_today": x.get("months_like_today"),
                "difference": self.like["difference"].table.iloc[0].to_dict(),
                "revised_difference": self.revised_like["difference"].table.iloc[0].to_dict()}

    def coverage(self) -> pd.DataFrame:
        """The comparison as a reader's table (:func:`rotation.studies.realtime.coverage_table`)."""
        from rotation.studies.realtime import coverage_table

        return coverage_table(self.comparison)

    def describe(self) -> Sentence:
        parts = [f"{k}: {v['months_differ']} of {v['months_compared']} months differ "
                 f"({v['share_point_in_time']:.0%} of its months point-in-time)"
                 for k, v in self.comparison.items() if "months_differ" in v]
        head = (f"Macro signals on the real-time basis against revised ones ({self.basis_text}): "
                + "; ".join(parts) + ".")
        if self.full_revised_like is not None:
            f = self.full_revised_like["difference"].table.iloc[0]
            head += (f" On revised data over the whole sample, months like today minus the others: "
                     f"{f['estimate']:+.2%} over the next {self.full_revised_like.extra['horizon']} months "
                     f"({format_p(f['p_value'])}).")
        if self.like is None or self.revised_like is None:
            return Sentence(f"{head} {self.note}")
        d, r = (x["difference"].table.iloc[0] for x in (self.like, self.revised_like))
        return Sentence(f"{head} On the vintage-covered months alone: {d['estimate']:+.2%} on the real-time basis "
                        f"({format_p(d['p_value'])}), revised {r['estimate']:+.2%} ({format_p(r['p_value'])}).")


def realtime_answer(rel: pd.Series, raw_states: pd.DataFrame, *, proxy: str, as_of: str | pd.Timestamp | None,
                    max_age: int, horizon: int, min_train: int) -> RealTimeAnswer:
    """The answer's real-time macro signals against release-timed (revised) ones.

    ``raw_states`` is the board the answer was decided on (:func:`rotation.studies.board.states`, real-time basis,
    before carrying). The release-timed board is built again (``basis="latest"``, vintages known by ``as_of``),
    carried ``max_age`` months like the answer's; :func:`months_like_today` and :func:`composite` are computed on it
    over the whole sample, and on both boards from the first month a macro signal is truly point-in-time.
    """
    revised_raw, _ = board.states(proxy, as_of=as_of, basis="latest")
    rt, basis, comparison = board.realtime_states(revised_raw, as_of=as_of)
    if not rt.reindex_like(raw_states).equals(raw_states):
        raise ParameterError("raw_states must be the board on the real-time basis, of the same proxy and as_of "
                             "(rotation.studies.board.states with basis='real-time')")
    on = basis.index[(basis == "real-time").any(axis=1)]
    if len(on) == 0:
        raise ParameterError("no month of the board is covered by a real-time vintage (a run ending before 1999-08)")
    share = float((basis == "real-time").any(axis=1).mean())
    from rotation.studies.realtime import SOURCE_NAMES, VINTAGE_SOURCES

    names = sorted({SOURCE_NAMES[VINTAGE_SOURCES[series]] for series, _ in board.REALTIME_BOARD.values()})
    text = (f"the Sahm rule and sentiment within the {' or '.join(names)} vintage known at each month end from "
            f"{on[0]:%Y-%m} to {on[-1]:%Y-%m}, release-timed latest values before and after")
    full_rev = board.carried(revised_raw, max_age)
    try:
        full_like = months_like_today(rel, full_rev, horizon=horizon)
        full_oos = composite(rel, full_rev, horizon=horizon, min_train=min_train)
    except ParameterError:
        full_like = full_oos = None
    r = rel.loc[on[0]:]
    states, revised = (board.carried(b, max_age).loc[on[0]:] for b in (raw_states, revised_raw))
    try:
        like, rev_like = (months_like_today(r, s, horizon=horizon) for s in (states, revised))
        oos, rev_oos = (composite(r, s, horizon=horizon, min_train=min_train) for s in (states, revised))
    except ParameterError as exc:
        return RealTimeAnswer(comparison, basis, None, None, text, None, None,
                              note=f"The answer cannot be compared on the vintage-covered months alone: {exc}.",
                              full_revised_like=full_like, full_revised_composite=full_oos, point_in_time_share=share,
                              revised_states=full_rev, first_covered=on[0])
    return RealTimeAnswer(comparison, basis, like, oos, text, rev_like, rev_oos, full_revised_like=full_like,
                          full_revised_composite=full_oos, point_in_time_share=share, revised_states=full_rev,
                          first_covered=on[0])
