"""Clustered events: labels, and a bootstrap over clusters that widens intervals when events bunch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.clusters import cluster_bootstrap, cluster_ids

from _helpers import row


def test_cluster_ids_merge_events_within_the_gap():
    d = pd.to_datetime(["2020-12-01", "2020-12-20", "2021-01-10", "2023-02-01", "2023-02-03", "2024-01-15"])
    assert cluster_ids(d, "30D").tolist() == [0, 0, 0, 1, 1, 2]
    assert cluster_ids(d, 0).tolist() == [0, 1, 2, 3, 4, 5]
    shuffled = d[[3, 0, 5, 1, 4, 2]]
    assert cluster_ids(shuffled, 30).tolist() == [1, 0, 2, 0, 1, 0]
    with pytest.raises(ParameterError):
        cluster_ids(d, -1)


def test_clustered_bootstrap_is_wider_than_treating_events_as_independent():
    rng = np.random.default_rng(0)
    cl_means = rng.normal(0, 0.1, 10)
    values = np.repeat(cl_means, 5) + rng.normal(0, 0.01, 50)  # 10 clusters of 5 near-identical events
    clusters = np.repeat(np.arange(10), 5)
    result = cluster_bootstrap(values, clusters, reps=999, seed=1)
    together = row(result)
    apart = row(cluster_bootstrap(values, np.arange(50), reps=999, seed=1))
    assert together["estimate"] == pytest.approx(values.mean())
    assert together["n_clusters"] == 10 and apart["n_clusters"] == 50
    assert (together["ci_upper"] - together["ci_lower"]) > 1.8 * (apart["ci_upper"] - apart["ci_lower"])
    assert result == cluster_bootstrap(values, clusters, reps=999, seed=1)
    assert list(result.table.index) == ["mean"] and result.method.bootstrap == "cluster"


def test_difference_of_two_groups():
    values = np.array([1, 1, 0, 1, 0, 0, 0, 1], dtype=float)
    groups = np.array(["round"] * 4 + ["placebo"] * 4)
    clusters = np.array([0, 0, 1, 2, 3, 4, 5, 6])
    result = cluster_bootstrap(values, clusters, groups, reps=500, seed=0)
    out = row(result)
    assert list(result.table.index) == ["round minus placebo"]
    assert out["group_a"] == "round" and out["estimate"] == pytest.approx(0.75 - 0.25)
    assert out["ci_lower"] <= out["estimate"] <= out["ci_upper"]
    with pytest.raises(ParameterError, match="exactly two"):
        cluster_bootstrap(values, clusters, np.array(["a", "b", "c", "a", "b", "c", "a", "b"]))


def _by_arch_loop(values, clusters, groups, order, reps, seed, alpha=0.05):
    """cluster_bootstrap's replications through arch's loop (the definition the counting path must match)."""
    from arch.bootstrap import IIDBootstrap

    v = np.asarray(values, dtype=float)
    uniq = np.unique(clusters)
    members = [np.flatnonzero(np.asarray(clusters) == u) for u in uniq]
    g = None if groups is None else np.asarray(groups, dtype=object)

    def stat(idx):
        if g is None:
            return float(v[idx].mean())
        a, b = idx[g[idx] == order[0]], idx[g[idx] == order[1]]
        return float(v[a].mean() - v[b].mean()) if len(a) and len(b) else float("nan")

    bs = IIDBootstrap(np.arange(len(uniq)), seed=seed)
    sims = np.array([stat(np.concatenate([members[k] for k in pos[0]])) for pos, _ in bs.bootstrap(reps)])
    sims = sims[np.isfinite(sims)]
    return {"std_err": float(sims.std(ddof=1)), "ci_lower": float(np.percentile(sims, 100 * alpha / 2)),
            "ci_upper": float(np.percentile(sims, 100 * (1 - alpha / 2))), "reps_used": len(sims)}


@pytest.mark.parametrize("n_clusters", [3, 12, 60], ids=lambda k: f"{k} clusters")
@pytest.mark.parametrize("two_groups", [False, True], ids=["one group", "two groups"])
def test_counting_path_equals_the_loop_for_whole_numbers(n_clusters, two_groups):
    rng = np.random.default_rng(n_clusters)
    clusters = np.sort(rng.integers(0, n_clusters, 4 * n_clusters))
    values = (rng.uniform(size=len(clusters)) < 0.4).astype(float)
    groups = None
    if two_groups:  # the second group sits in one cluster only, so some replications draw none of it
        groups = np.where(clusters == clusters[-1], "placebo", "round")
    order = ("round", "placebo") if two_groups else None
    got = row(cluster_bootstrap(values, clusters, groups, order=order, reps=400, seed=7))
    ref = _by_arch_loop(values, clusters, groups, order, 400, 7)
    assert {k: got[k] for k in ref} == ref
    if two_groups and n_clusters > 3:
        assert got["reps_used"] < 400  # the NaN replications were dropped in both


def test_non_whole_values_still_take_the_loop():
    rng = np.random.default_rng(2)
    clusters = np.repeat(np.arange(20), 3)
    values = rng.normal(0.01, 0.05, 60)
    got = row(cluster_bootstrap(values, clusters, reps=300, seed=4))
    ref = _by_arch_loop(values, clusters, None, None, 300, 4)
    assert {k: got[k] for k in ref} == ref
