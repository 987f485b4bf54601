"""The iid bootstrap of a mean without a Python loop: the same draws and numbers as ``arch``'s.

``arch.bootstrap.IIDBootstrap(data, seed=s).apply(np.mean, reps)`` draws, for each replication
in turn, ``n`` integers from ``numpy.random.default_rng(s).integers(n, size=n)`` and takes the mean
of the resampled rows. numpy's ``Generator.integers`` keeps no buffer between calls for these
draws, so one call of ``size=(reps, n)`` gives the same integers, row after row, as ``reps``
calls of ``size=n``; the row means are then computed at once. The result is identical, to the
last bit, to ``arch``'s loop (``tests/test_bootstrap.py`` checks it against ``arch`` for many
sizes and seeds), and many times faster when ``reps`` is large and ``n`` small.

Only the iid scheme is done this way: the stationary and circular block bootstraps draw two
kinds of random numbers per replication in turn, so they stay in ``arch``'s loop.
"""

from __future__ import annotations

import numpy as np

from rotation._checks import _check_int
from rotation.errors import ParameterError

__all__ = ["iid_bootstrap_means"]

#: Resampled values held in memory at once (rows of replications are drawn in chunks this size).
_CHUNK_VALUES = 2_000_000


def iid_bootstrap_means(data: np.ndarray, reps: int, seed: int) -> np.ndarray:
    """Means of ``reps`` iid bootstrap resamples of the rows of ``data``, as ``arch`` computes them.

    Parameters
    ----------
    data : np.ndarray, shape (n,) or (n, k)
        Observations (rows are resampled with replacement), n >= 1, in the data's units.
    reps : int
        Bootstrap replications (>= 1).
    seed : int
        Seed of ``numpy.random.default_rng``, as ``arch``'s ``seed=`` (>= 0).

    Returns
    -------
    np.ndarray
        Shape (reps,) for 1-D data, (reps, k) for 2-D data (column means), in the data's units:
        identical to ``IIDBootstrap(data, seed=seed).apply(np.mean, reps=reps).ravel()`` (1-D) or
        ``IIDBootstrap(data, seed=seed).apply(lambda x: x.mean(axis=0), reps=reps)`` (2-D).
    """
    arr = np.asarray(data, dtype=float)
    if arr.ndim not in (1, 2) or arr.shape[0] < 1:
        raise ParameterError(f"data must be a 1-D or 2-D array with at least one row; got shape {arr.shape}")
    r = _check_int(reps, "reps", minimum=1)
    s = _check_int(seed, "seed", minimum=0)
    n = arr.shape[0]
    gen = np.random.default_rng(s)
    out = np.empty((r, *arr.shape[1:]))
    chunk = max(1, _CHUNK_VALUES // arr.size)
    for start in range(0, r, chunk):
        m = min(chunk, r - start)
        idx = gen.integers(n, size=(m, n), dtype=np.int64)
        out[start : start + m] = arr[idx].mean(axis=1)
    return out
