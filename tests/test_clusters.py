"""Clustered events: labels, and a bootstrap over clusters that widens intervals when events bunch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.clusters import cluster_bootstrap, cluster_ids
from rotation.errors import ParameterError


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
    together = cluster_bootstrap(values, clusters, reps=999, seed=1)
    apart = cluster_bootstrap(values, np.arange(50), reps=999, seed=1)
    assert together["estimate"] == pytest.approx(values.mean())
    assert together["n_clusters"] == 10 and apart["n_clusters"] == 50
    assert (together["ci_upper"] - together["ci_lower"]) > 1.8 * (apart["ci_upper"] - apart["ci_lower"])
    assert together == cluster_bootstrap(values, clusters, reps=999, seed=1)


def test_difference_of_two_groups():
    values = np.array([1, 1, 0, 1, 0, 0, 0, 1], dtype=float)
    groups = np.array(["round"] * 4 + ["placebo"] * 4)
    clusters = np.array([0, 0, 1, 2, 3, 4, 5, 6])
    out = cluster_bootstrap(values, clusters, groups, reps=500, seed=0)
    assert out["group_a"] == "round" and out["estimate"] == pytest.approx(0.75 - 0.25)
    assert out["ci_lower"] <= out["estimate"] <= out["ci_upper"]
    with pytest.raises(ParameterError, match="exactly two"):
        cluster_bootstrap(values, clusters, np.array(["a", "b", "c", "a", "b", "c", "a", "b"]))
