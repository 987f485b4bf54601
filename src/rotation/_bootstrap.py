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

from collections.abc import Iterator

import numpy as np

from rotation._checks import _check_int
from rotation.errors import ParameterError

__all__ = ["iid_bootstrap_indices", "iid_bootstrap_means"]

#: Resampled values held in memory at once (rows of replications are drawn in chunks this size).
_CHUNK_VALUES = 200_000


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
    out = np.empty((r, *arr.shape[1:]))
    for start, idx in _index_chunks(arr.shape[0], r, s, max(1, _CHUNK_VALUES // arr.size)):
        out[start : start + len(idx)] = arr[idx].mean(axis=1)
    return out


def _index_chunks(n: int, reps: int, seed: int, chunk: int) -> Iterator[tuple[int, np.ndarray]]:
    """``(first replication, index rows)`` in chunks of ``chunk`` rows, the rows arch's loop would draw."""
    gen = np.random.default_rng(seed)
    for start in range(0, reps, chunk):
        yield start, gen.integers(n, size=(min(chunk, reps - start), n), dtype=np.int64)


def iid_bootstrap_indices(n: int, reps: int, seed: int) -> np.ndarray:
    """The index rows ``arch.bootstrap.IIDBootstrap(<n items>, seed=seed)`` draws in ``reps`` replications.

    Parameters
    ----------
    n : int
        Number of items resampled (>= 1).
    reps : int
        Replications (>= 1).
    seed : int
        Seed of ``numpy.random.default_rng``, as ``arch``'s ``seed=`` (>= 0).

    Returns
    -------
    np.ndarray of int64, shape (reps, n)
        Row ``i`` is the ``i``-th replication's resample of positions ``0..n-1`` (what
        ``bs.bootstrap(reps)`` yields as ``bs.index``, in the same order).
    """
    nn = _check_int(n, "n", minimum=1)
    r = _check_int(reps, "reps", minimum=1)
    s = _check_int(seed, "seed", minimum=0)
    return next(_index_chunks(nn, r, s, r))[1]
