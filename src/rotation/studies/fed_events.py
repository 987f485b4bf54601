"""The Fed cycle and small caps (notebook 03): turning points of the official target, and relative returns
around them.

* :func:`turning_point_study` -- last hikes, pauses after a hike and first cuts of an easing (one event per
  easing), each first cut marked by whether a recession came with it; and, apart, the turning points before
  1982 inferred from the effective rate (robustness only);
* :func:`event_window_study` -- the cumulative small-minus-large return around each kind of event, its mean
  with a bootstrap band over events, against the mean over all months.

Conventions as in :mod:`rotation.studies.fed` (rates in percent, changes in percentage points) and
:mod:`rotation.studies.windows` (period 0 is the month that contains the event, paths are 0 at its end).
Turning points are labelled **with hindsight** (later moves decide them), and NBER recession dates are
announced late: both describe history, they are not signals known at the time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int
from rotation.stats.clusters import cluster_ids
from rotation.stats.results import VOCABULARY, Estimates, Method, Results
from rotation.stats.units import Units
from rotation.studies import betas, fed, returns, windows

__all__ = ["EVENT_KINDS", "GROUPS", "OFFICIAL", "INFERRED", "event_groups", "turning_point_study",
           "event_window_study"]

#: The events studied, in words.
EVENT_KINDS: dict[str, str] = {"last_hike": "last hike", "pause_start": "pause after a hike", "first_cut": "first cut"}
#: The event groups of :func:`event_window_study`: each kind, and first cuts with and without a recession.
GROUPS: tuple[str, ...] = ("last_hike", "pause_start", "first_cut", "first_cut.recession", "first_cut.no_recession")
#: Values of the ``path`` column of :func:`turning_point_study`'s ``.data``.
OFFICIAL, INFERRED = "official target", "inferred from DFF"

_NAN = float("nan")
_BAND = ["estimate", "ci_lower", "ci_upper"]


def event_groups(events: pd.DataFrame) -> dict[str, pd.Series]:
    """The events of each group.

    Parameters
    ----------
    events : pd.DataFrame
        ``.data`` of :func:`turning_point_study` (rows of the inferred path are left out).

    Returns
    -------
    dict
        ``{group: dates}`` for each of :data:`GROUPS` (official target only, in date order).
    """
    missing = [c for c in ("date", "kind", "recession", "path") if c not in events.columns]
    if missing:
        raise ParameterError(f"events must be turning_point_study(...).data (columns date, kind, recession, path); "
                             f"missing {missing}")
    ev = events[events["path"] == OFFICIAL]
    first = ev["kind"] == "first_cut"
    return {"last_hike": ev.loc[ev["kind"] == "last_hike", "date"],
            "pause_start": ev.loc[ev["kind"] == "pause_start", "date"],
            "first_cut": ev.loc[first, "date"],
            "first_cut.recession": ev.loc[first & (ev["recession"] == "yes"), "date"],
            "first_cut.no_recession": ev.loc[first & (ev["recession"] == "no"), "date"]}


def _official_events(policy: pd.Series, usrec: pd.Series, sample: pd.Index, *, min_move: float, pause_months: int,
                     min_swing: float, cut_cluster_months: int, recession_months: int) -> pd.DataFrame:
    tp = fed.turning_points(policy, min_move=min_move, pause_months=pause_months, min_swing=min_swing)
    ev = tp[(tp["kind"].isin(["last_hike", "first_cut"]))
            | ((tp["kind"] == "pause_start") & (tp["after"] == "hike"))].copy()
    cuts = ev["kind"] == "first_cut"
    ev["cluster"] = -1
    ev.loc[cuts, "cluster"] = cluster_ids(ev.loc[cuts, "date"], pd.Timedelta(days=round(30.44 * cut_cluster_months)))
    ev = ev[~cuts | ~ev.duplicated(subset=["kind", "cluster"], keep="first")].copy()
    rec_flag = fed.near_recession(ev["date"], usrec, recession_months).to_numpy()
    ev["recession"] = np.where(ev["kind"] == "first_cut", np.where(rec_flag, "yes", "no"), "")
    ev["in return sample"] = ev["date"].between(sample[0] - pd.DateOffset(months=1), sample[-1])
    return ev.assign(path=OFFICIAL)


def turning_point_study(policy: pd.Series, effective: pd.Series, usrec: pd.Series, *, sample: pd.Index,
                        min_move: float, pause_months: int, min_swing: float, inferred_min_swing: float,
                        cut_cluster_months: int, recession_months: int, policy_window: int,
                        policy_hysteresis: float) -> Estimates:
    """Last hikes, pauses after a hike and first cuts of the Fed's official target, and apart the turning points
    before 1982 inferred from the effective rate.

    Parameters
    ----------
    policy : pd.Series
        The official target, daily, dated by decision (:func:`rotation.studies.fed.official_target`).
    effective : pd.Series
        FRED DFF, the daily effective rate: the path before ``policy`` starts is inferred from it
        (:func:`rotation.studies.fed.policy_rate`, centred median over ``policy_window`` days,
        ``policy_hysteresis``), for a robustness table only.
    usrec : pd.Series
        FRED USREC (1 in NBER recession months).
    sample : pd.Index
        The return sample's month ends (column ``in return sample``).
    min_move, pause_months, min_swing
        :func:`rotation.studies.fed.turning_points` on the official target; ``inferred_min_swing`` replaces
        ``min_swing`` on the noisier inferred path.
    cut_cluster_months : int
        First cuts within this many months of the previous one belong to the same easing (one event).
    recession_months : int
        A first cut came with a recession when USREC is 1 within this many months of it
        (:func:`rotation.studies.fed.near_recession`).

    Returns
    -------
    Estimates
        Rows :data:`GROUPS`: ``nobs`` = events (official target), ``estimate`` = the median calendar months to
        the next move (for a last hike: to the first cut), ``first`` and ``last`` event, ``n_in_sample``
        (events inside the return sample). ``extra``: ``dates`` of each group, ``policy_start`` and the
        ``inferred_before_1982`` last hikes and first cuts. ``.data``: the events (``date, kind, rate, change,
        months_to_next_move, recession, in return sample``), column ``path``: :data:`OFFICIAL` or
        :data:`INFERRED` (last hikes and first cuts before 1982). Dated with hindsight.
    """
    if not isinstance(sample, pd.DatetimeIndex) or len(sample) == 0:
        raise ParameterError(f"sample must be a non-empty DatetimeIndex (the return months); got {sample!r:.80}")
    ev = _official_events(policy, usrec, sample, min_move=min_move, pause_months=pause_months, min_swing=min_swing,
                          cut_cluster_months=cut_cluster_months, recession_months=recession_months)
    inferred = fed.policy_rate(None, effective, window=policy_window, hysteresis=policy_hysteresis, center=True)
    tp_inf = fed.turning_points(inferred.loc[:policy.index[0]], min_move=min_move, pause_months=pause_months,
                                min_swing=inferred_min_swing)
    inf = tp_inf[tp_inf["kind"].isin(["last_hike", "first_cut"])].assign(path=INFERRED)
    groups = event_groups(ev)
    rows = {}
    for g, dates in groups.items():
        sel = ev.loc[dates.index]
        rows[g] = {"estimate": float(sel["months_to_next_move"].median()) if len(sel) else _NAN,
                   **{c: _NAN for c in VOCABULARY[1:-1]}, "nobs": len(sel),
                   "first": dates.min() if len(dates) else pd.NaT, "last": dates.max() if len(dates) else pd.NaT,
                   "n_in_sample": int(sel["in return sample"].sum())}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("event")
    n = table["nobs"]
    n_inf = int((inf["kind"] == "first_cut").sum())
    sentence = (f"Since {policy.index[0]:%Y-%m} the official target had {n['last_hike']} last hikes, "
                f"{n['pause_start']} pauses after a hike and {n['first_cut']} first cuts of an easing "
                f"({n['first_cut.recession']} with a recession within {recession_months} months). From a last hike "
                f"to the next move (the first cut) took {table.loc['last_hike', 'estimate']:.1f} months at the "
                f"median. Before 1982 the path inferred from the effective rate has {n_inf} first cuts (a robustness "
                f"table only, never mixed into the events).")
    extra = {"dates": {g: list(groups[g]) for g in ("last_hike", "pause_start", "first_cut", "first_cut.recession")},
             "policy_start": policy.index[0],
             "inferred_before_1982": {k: list(tp_inf.loc[tp_inf["kind"] == k, "date"])
                                      for k in ("last_hike", "first_cut")}}
    method = Method(kind="descriptive", note="turning points of the official target dated with hindsight; first cuts "
                                             f"within {cut_cluster_months} months are one easing")
    return Estimates(table, method, Units.number("median calendar months from the event to the next move"),
                     "Fed turning points of the official target", extra=extra, sentence=sentence,
                     data=pd.concat([ev, inf], ignore_index=True))


def _run_up(band: pd.DataFrame, before: int, n: int) -> dict[str, float]:
    """The relative return over the ``before`` months to the end of the event month, from the mean path's value at
    ``-before`` (``W_{p-before} / W_p - 1``), and its interval from the band's (a decreasing transform)."""
    if not n:
        return {"estimate": _NAN, "ci_lower": _NAN, "ci_upper": _NAN}
    m, lo, hi = (band.loc[-before, c] for c in _BAND)
    return {"estimate": -m / (1 + m), "ci_lower": -hi / (1 + hi), "ci_upper": -lo / (1 + lo)}


def event_window_study(rel: pd.Series, turning_points: Estimates, *, before: int, after: int, horizons: Sequence[int],
                       horizon: int, reps: int, seed: int, min_events: int) -> Results:
    """The cumulative relative return around Fed turning points, against all months.

    For each group of :data:`GROUPS`: the cumulative relative return from ``before`` months before to ``after``
    months after each event (:func:`rotation.studies.windows.event_window_paths`, 0 at the end of the event's
    month; events whose window runs outside the returns are dropped and counted), its mean with a 95% iid
    bootstrap band over events (:func:`rotation.studies.windows.mean_path_with_bands`; no band with fewer than
    ``min_events`` events), read at each horizon of ``horizons`` and at the deciding ``horizon`` (always
    included), against the mean ``h``-month forward return over all months since the official target starts.

    Parameters
    ----------
    rel : pd.Series
        Monthly relative returns.
    turning_points : Estimates
        :func:`turning_point_study` (its ``.data`` and ``extra["policy_start"]``).
    before, after : int
        Months shown before and after each event.
    horizons : sequence of int
        Months after the event summarised (1 to ``after``); ``horizon`` (the claim's deciding horizon) is added.
    reps, seed, min_events : int

    Returns
    -------
    Results
        ``events``: per group, ``nobs`` = events with a full window, ``n_detected``, ``n_dropped``, and the
        relative return over the ``before`` months to the event (``estimate``, interval from the band);
        ``forward``: rows ``(group, horizon)``, the mean cumulative relative return ``h`` months after the event
        with its band, ``mean_all`` (all months) and ``diff`` (the mean minus ``mean_all``); ``all_months``:
        rows ``horizon``. ``extra``: ``before``, ``after``, ``horizon``, ``min_events``, ``since``. ``.data``:
        per group (columns ``(group, ...)``) the mean path and band (``estimate``, ``ci_lower``, ``ci_upper``)
        and one column per event (its date), rows ``relative_period``.
    """
    b, a = check_int(before, "before", minimum=0), check_int(after, "after", minimum=1)
    hs = sorted({*(check_int(h, "horizons[]", minimum=1) for h in horizons), check_int(horizon, "horizon", minimum=1)})
    if hs[-1] > a:
        raise ParameterError(f"horizons and horizon must be at most after ({a} months); got {hs[-1]}")
    groups = event_groups(turning_points.data)
    paths = {g: windows.event_window_paths(rel, d, b, a) for g, d in groups.items()}
    bands = {g: windows.mean_path_with_bands(p, reps=reps, seed=seed, min_events=min_events) for g, p in paths.items()}
    since = max(turning_points.extra["policy_start"], rel.index[0])
    fwd = {h: returns.forward_returns(rel, h).loc[since:] for h in hs}
    uncond = {h: float(fwd[h].mean()) for h in hs}
    events = pd.DataFrame.from_dict({g: {**_run_up(bands[g].table, b, paths[g].shape[1]), "nobs": paths[g].shape[1],
                                         "n_detected": len(groups[g]), "n_dropped": int(paths[g].attrs["n_dropped"])}
                                     for g in groups}, orient="index").rename_axis("event")
    events = events.reindex(columns=[*VOCABULARY, "n_detected", "n_dropped"])
    after_rows = {(g, h): {**bands[g].table.loc[h, list(VOCABULARY)].to_dict(), "mean_all": uncond[h],
                           "diff": float(bands[g].table.loc[h, "estimate"]) - uncond[h]} for g in groups for h in hs}
    after_t = pd.DataFrame.from_dict(after_rows, orient="index").astype({"nobs": int})
    after_t.index.names = ["event", "horizon"]
    all_t = pd.DataFrame({h: {"estimate": uncond[h], **{c: _NAN for c in VOCABULARY[1:-1]},
                              "nobs": int(fwd[h].notna().sum())}
                          for h in hs}).T.astype({"nobs": int}).rename_axis("horizon")
    method = bands["first_cut"].method
    parts = {
        "events": Estimates(events.astype({c: int for c in ("nobs", "n_detected", "n_dropped")}), method,
                            Units.returns(f"decimal relative return over the {b} months to the end of the event month"),
                            f"Fed turning points: events with a full window, and the relative return in the {b} months "
                            "before"),
        "forward": Estimates(after_t, method,
                             Units.returns("decimal cumulative relative return h months after the event month"),
                             "Cumulative relative return after Fed turning points"),
        "all_months": Estimates(all_t, Method(kind="descriptive", note=f"every month since {since:%Y-%m}; windows "
                                              "overlap"),
                                Units.returns("decimal relative return over the next h months"),
                                "All months: mean relative return over the next h months"),
    }
    data = pd.concat({g: pd.concat([bands[g].table[_BAND], paths[g]], axis=1) for g in groups}, axis=1)
    return Results(parts, extra={"before": b, "after": a, "horizon": int(horizon), "min_events": int(min_events),
                                 "since": since},
                   title="Relative returns around Fed turning points",
                   sentence=_window_sentence(after_t, paths, int(horizon), since, uncond), data=data)


def _window_sentence(t: pd.DataFrame, paths: dict[str, pd.DataFrame], h: int, since: pd.Timestamp,
                     uncond: dict[int, float]) -> str:
    u = Units.returns("decimal return")

    def moved(g: str) -> str:
        r = t.loc[(g, h)]
        return betas.interval_phrase(u, r["estimate"], r["ci_lower"], r["ci_upper"])

    return (f"{paths['first_cut'].shape[1]} first cuts have a full window in this sample "
            f"({paths['first_cut.recession'].shape[1]} with a recession, {paths['first_cut.no_recession'].shape[1]} "
            f"without). {h} months after a first cut that came with a recession small caps had moved "
            f"{moved('first_cut.recession')} relative to large caps; without a recession "
            f"{moved('first_cut.no_recession')}. "
            f"After the last hike: {moved('last_hike')}; after a pause begins: {moved('pause_start')}. The average "
            f"{h}-month relative return over all months since {since:%Y-%m} is {u.format(uncond[h], digits=1)}.")
