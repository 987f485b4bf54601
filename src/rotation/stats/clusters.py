"""Clustered events: events close in time are not independent; resample clusters, not events.

Fed first cuts a few months apart inside one easing cycle, or three approaches to a round
index level in one month, share most of their outcome windows. Treating them as independent
overstates the evidence. :func:`cluster_ids` groups events whose dates are within ``gap`` of
the previous event; :func:`cluster_bootstrap` resamples whole clusters (``arch``'s
``IIDBootstrap`` over cluster labels, seeded) to give intervals for a mean, a rate or a
difference between two groups of events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.results import Estimates, Method
from rotation.stats.units import Units

__all__ = ["cluster_ids", "cluster_bootstrap"]


def cluster_ids(dates: Sequence[object] | pd.Series | pd.DatetimeIndex, gap: pd.Timedelta | str | int) -> np.ndarray:
    """Cluster labels (0, 1, 2...) for event dates: an event within ``gap`` of the previous one joins its cluster.

    Parameters
    ----------
    dates : dates
        Event dates in any order (labels follow the input order).
    gap : Timedelta, str or int
        ``"90D"``, ``pd.Timedelta(days=90)`` or a number of days.
    """
    d = pd.to_datetime(pd.Series(list(dates)))
    if d.isna().any():
        raise ParameterError("dates must all be valid dates (no NaT)")
    g = pd.Timedelta(days=int(gap)) if isinstance(gap, (int, np.integer)) else pd.Timedelta(gap)
    if g < pd.Timedelta(0):
        raise ParameterError(f"gap must be >= 0; got {gap!r}")
    order = np.argsort(d.to_numpy(), kind="stable")
    labels = np.empty(len(d), dtype=int)
    current, prev = -1, None
    for i in order:
        if prev is None or d.iloc[i] - prev > g:
            current += 1
        labels[i] = current
        prev = d.iloc[i]
    return labels


def cluster_bootstrap(
    values: Sequence[float] | np.ndarray,
    clusters: Sequence[int] | np.ndarray,
    groups: Sequence[object] | np.ndarray | None = None,
    *,
    order: tuple[object, object] | None = None,
    reps: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
    units: Units = Units.number("mean of the values per event"),
    title: str = "mean with a bootstrap over clusters",
) -> Estimates:
    """Mean of ``values`` (or the difference of two groups' means) with a bootstrap over clusters.

    Parameters
    ----------
    values : array
        One value per event (a forward return, or 0/1 for a rate such as "failed").
    clusters : array of int
        Cluster label per event (:func:`cluster_ids`). Clusters are resampled whole.
    groups : array, optional
        Two group labels (e.g. ``"round"``/``"placebo"``): the statistic is the mean of the first
        group (in order of appearance) minus the second's. Clusters are resampled within the whole
        sample, so a cluster that contains both groups stays intact.
    order : (label_a, label_b), optional
        Which group comes first in the difference (default: order of appearance).
    reps, seed, alpha
        Replications, seed (``arch.bootstrap.IIDBootstrap``), interval level ``1 - alpha``.
    units, title
        Stored on the result (e.g. ``Units.share(...)`` for the mean of 0/1 outcomes).

    Returns
    -------
    Estimates
        One row (``"mean"``, or ``"<a> minus <b>"`` for two groups): ``estimate``, ``std_err`` (of the
        bootstrap statistics), percentile ``ci_lower``/``ci_upper``, ``nobs`` (events), ``n_clusters``,
        ``reps_used`` (replications where a group drew no event are dropped) and for two groups
        ``mean_a``, ``mean_b``, ``nobs_a``, ``nobs_b``; ``extra`` names ``group_a`` and ``group_b``.
    """
    from arch.bootstrap import IIDBootstrap

    from rotation.stats.bootstrap import iid_bootstrap_indices

    v = np.asarray(values, dtype=float)
    c = np.asarray(clusters)
    if v.shape != c.shape or v.ndim != 1:
        raise ParameterError("values and clusters must be 1-D and of the same length")
    if len(v) < 2:
        raise ParameterError(f"need at least 2 events; got {len(v)}")
    uniq = np.unique(c)
    members = [np.flatnonzero(c == u) for u in uniq]
    if groups is None:
        def stat(idx: np.ndarray) -> float:
            return float(v[idx].mean())
        labels_g = None
        ga = gb = None
    else:
        labels_g = np.asarray(groups, dtype=object)
        if labels_g.shape != v.shape:
            raise ParameterError("groups must have one label per value")
        names = list(dict.fromkeys(labels_g.tolist()))
        if len(names) != 2:
            raise ParameterError(f"groups must hold exactly two labels; got {names}")
        if order is not None:
            if set(order) != set(names):
                raise ParameterError(f"order {order!r} must name the two group labels {names}")
            names = list(order)
        ga, gb = names

        def stat(idx: np.ndarray) -> float:
            a = idx[labels_g[idx] == ga]
            b = idx[labels_g[idx] == gb]
            if len(a) == 0 or len(b) == 0:
                return float("nan")
            return float(v[a].mean() - v[b].mean())

    full = np.arange(len(v))
    est = stat(full)
    if _whole_numbers(v) and int(reps) >= 1:
        draws = iid_bootstrap_indices(len(uniq), int(reps), int(seed))  # the clusters arch's loop draws
        sims = _cluster_means_by_counting(v, members, labels_g, ga, gb, draws)
    else:
        bs = IIDBootstrap(np.arange(len(uniq)), seed=int(seed))
        sims = np.array([stat(np.concatenate([members[k] for k in pos[0]])) for pos, _ in bs.bootstrap(int(reps))])
    sims = sims[np.isfinite(sims)]
    row = {"estimate": est, "std_err": float(sims.std(ddof=1)) if len(sims) > 1 else float("nan"),
           "t": np.nan, "p_value": np.nan,
           "ci_lower": float(np.percentile(sims, 100 * alpha / 2)) if len(sims) else float("nan"),
           "ci_upper": float(np.percentile(sims, 100 * (1 - alpha / 2))) if len(sims) else float("nan"),
           "nobs": int(len(v)), "n_clusters": int(len(uniq)), "reps_used": int(len(sims))}
    extra: dict[str, Any] = {}
    label = "mean"
    if labels_g is not None:
        row.update({"mean_a": float(v[labels_g == ga].mean()), "mean_b": float(v[labels_g == gb].mean()),
                    "nobs_a": int((labels_g == ga).sum()), "nobs_b": int((labels_g == gb).sum())})
        extra = {"group_a": ga, "group_b": gb}
        label = f"{ga} minus {gb}"
    method = Method(kind="bootstrap", bootstrap="cluster", reps=int(reps), seed=int(seed), alpha=alpha,
                    note=f"clusters resampled whole ({len(uniq)} clusters of {len(v)} events)")
    return Estimates(pd.DataFrame([row], index=pd.Index([label], name="statistic")), method, units, title,
                     extra=extra)


def _whole_numbers(v: np.ndarray) -> bool:
    """True when every value is a whole number and their absolute sum is below 2**53 (0/1 outcomes, counts).

    Sums of such floats are exact in any order, so a mean of a resample can be assembled from
    per-cluster sums and counts and equals the mean of the concatenated values to the last bit.
    """
    return bool(np.isfinite(v).all() and (v == np.trunc(v)).all() and np.abs(v).sum() < 2.0**53)


def _cluster_means_by_counting(v: np.ndarray, members: list[np.ndarray], labels: np.ndarray | None,
                               ga: object, gb: object, draws: np.ndarray) -> np.ndarray:
    """:func:`cluster_bootstrap`'s statistic on every row of cluster ``draws``, from per-cluster sums and counts.

    Only for whole-number values (:func:`_whole_numbers`): the sums are then exact, so each result equals
    the mean (or difference of group means) of the concatenated resampled values; NaN where a group drew
    no event, as in the loop.
    """
    if labels is None:
        size = np.array([len(m) for m in members])
        total = np.array([v[m].sum() for m in members])
        return total[draws].sum(axis=1) / size[draws].sum(axis=1)
    in_a = [labels[m] == ga for m in members]
    in_b = [labels[m] == gb for m in members]
    n_a = np.array([k.sum() for k in in_a])[draws].sum(axis=1)
    n_b = np.array([k.sum() for k in in_b])[draws].sum(axis=1)
    s_a = np.array([v[m][k].sum() for m, k in zip(members, in_a, strict=True)])[draws].sum(axis=1)
    s_b = np.array([v[m][k].sum() for m, k in zip(members, in_b, strict=True)])[draws].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = s_a / n_a - s_b / n_b
    return np.where((n_a > 0) & (n_b > 0), diff, np.nan)
