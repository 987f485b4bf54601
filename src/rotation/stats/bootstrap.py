"""The iid bootstrap of a mean without a Python loop: the same draws and numbers as ``arch``'s.

``arch.bootstrap.IIDBootstrap(data, seed=s).apply(np.mean, reps)`` draws, for each replication
in turn, ``n`` integers from ``numpy.random.default_rng(s).integers(n, size=n)`` and takes the mean
of the resampled rows. numpy's ``Generator.integers`` keeps no buffer between calls for these
draws, so one call of ``size=(reps, n)`` gives the same integers, row after row, as ``reps``
calls of ``size=n``; the row means are then computed at once. The result is identical, to the
last bit, to ``arch``'s loop (``tests/test_bootstrap.py`` checks it against ``arch`` for many
sizes and seeds), and many times faster when ``reps`` is large and ``n`` small.

The stationary bootstrap (:func:`stationary_bootstrap_means`) draws, per replication, ``n``
bounded integers (Lemire's method on 32-bit halves of the generator's 64-bit words, a spare high
half kept for the next integer draw) and then ``n`` uniforms (one 64-bit word each). For numpy's
default ``PCG64`` generator the words these draws use fall in a fixed pattern, so short series
(``n <= 800``, where ``arch``'s per-replication overhead dominates) draw them in bulk with
``random_raw`` and turn them into the same integers and uniforms; a replication with a rejected
integer draw (probability below ``n / 2**32`` per draw) is redone by ``arch`` itself from the exact
generator state. The result equals ``arch``'s loop to the last bit (``tests/test_bootstrap.py``,
rejections and odd lengths included); a one-off check on a small case at first use falls back to
``arch`` for good if a numpy version ever draws differently. The circular block bootstrap stays in
``arch``'s loop.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np

from rotation.errors import ParameterError
from rotation.stats.checks import check_int

__all__ = ["iid_bootstrap_indices", "iid_bootstrap_means", "stationary_bootstrap_means"]

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
    r = check_int(reps, "reps", minimum=1)
    s = check_int(seed, "seed", minimum=0)
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
    nn = check_int(n, "n", minimum=1)
    r = check_int(reps, "reps", minimum=1)
    s = check_int(seed, "seed", minimum=0)
    return next(_index_chunks(nn, r, s, r))[1]


#: Series longer than this use arch's loop for the stationary bootstrap (the bulk draws are no faster there).
_STATIONARY_BULK_MAX_N = 800
_LOW32 = np.uint64(0xFFFFFFFF)
_bulk_ok: bool | None = None  # the one-off check against arch (None: not run yet)


def _word_pattern(n: int, spare: int) -> tuple[int, list[tuple[int, int]]]:
    """Replications per repeating group and, per replication in it, (integer words, uniform words).

    ``spare`` (0/1): whether the generator holds a spare 32-bit half when the group starts. With ``n``
    even every replication takes ``n / 2`` words for its integers; with ``n`` odd two replications
    alternate ``(n + 1) / 2`` and ``(n - 1) / 2`` (the spare half carries over between them).
    """
    if n % 2 == 0:
        return 1, [(n // 2, n)]
    a, b = ((n + 1) // 2, (n - 1) // 2) if spare == 0 else ((n - 1) // 2, (n + 1) // 2)
    return 2, [(a, n), (b, n)]


def _stationary_chunk(gen: np.random.Generator, n: int, reps: int, p: float) -> tuple[np.ndarray, bool]:
    """Index rows of up to ``reps`` stationary-bootstrap replications from ``gen``, as arch draws them.

    Returns ``(rows, all_done)``. Stops before a replication whose integer draws include a rejection
    (or before an odd last one when ``n`` is odd); ``gen`` is then left exactly where arch's loop is at
    the start of the next replication, so the caller lets arch draw that one.
    """
    bitgen = gen.bit_generator
    start = bitgen.state
    spare = int(start["has_uint32"])
    per, parts = _word_pattern(n, spare)
    m = reps - reps % per
    if m == 0:
        return np.empty((0, n), dtype=np.int64), False
    width = sum(c + k for c, k in parts)
    raw = bitgen.random_raw((m // per) * width).reshape(m // per, width)
    int_words, uni_words, off = [], [], 0
    for c, k in parts:
        int_words.append(raw[:, off : off + c])
        uni_words.append(raw[:, off + c : off + c + k])
        off += c + k
    words = np.ascontiguousarray(np.concatenate(int_words, axis=1)).reshape(-1)
    halves = words.view(np.uint32)  # little-endian: low half first, then the high half, as numpy hands them out
    if spare:
        halves = np.concatenate((np.array([start["uinteger"]], dtype=np.uint32), halves))
    scaled = halves[: m * n].reshape(m, n).astype(np.uint64) * np.uint64(n)  # Lemire: high 32 bits are the draw
    threshold = np.uint64((2**32 - n) % n)
    rejected = np.flatnonzero(((scaled & _LOW32) < threshold).any(axis=1))
    done = m if rejected.size == 0 else int(rejected[0])
    uniforms = (np.stack(uni_words, axis=1).reshape(m, n)[:done] >> np.uint64(11)) * (1.0 / 9007199254740992.0)
    ints = (scaled[:done] >> np.uint64(32)).astype(np.int64)
    # arch's sampler: a block starts at 0 and wherever u <= p; otherwise the previous index + 1, wrapping at n
    cols = np.arange(n)
    new_block = uniforms <= p
    new_block[:, 0] = True
    block_start = np.maximum.accumulate(np.where(new_block, cols, 0), axis=1)
    rows = np.take_along_axis(ints, block_start, axis=1) + (cols - block_start)
    rows[rows >= n] -= n
    state = bitgen.state
    if done == m:
        state["has_uint32"], state["uinteger"] = spare, int(halves[m * n]) if spare else 0
        bitgen.state = state
        return rows, m == reps
    bitgen.state = start  # back to the chunk's start, then forward to replication `done`
    if done:
        bitgen.random_raw((done // per) * width + sum(c + k for c, k in parts[: done % per]))
        used = done * n - spare  # halves of fresh words used before it; odd: a high half is spare
        state = bitgen.state
        state["has_uint32"], state["uinteger"] = used % 2, int(halves[spare + used]) if used % 2 else 0
        bitgen.state = state
    return rows, False


def _stationary_bulk(arr: np.ndarray, block_size: int, reps: int, seed: int) -> np.ndarray:
    from arch.bootstrap import StationaryBootstrap

    n = arr.shape[0]
    gen = np.random.default_rng(seed)
    one = StationaryBootstrap(block_size, arr, seed=gen)  # draws a single replication from gen's current state
    p = 1.0 / block_size
    out = np.empty(reps)
    chunk = max(2, _CHUNK_VALUES // (3 * n))
    chunk -= chunk % 2  # whole groups of two when n is odd
    done = 0
    while done < reps:
        rows, all_done = _stationary_chunk(gen, n, min(chunk, reps - done), p)
        out[done : done + len(rows)] = arr[rows].mean(axis=1)
        done += len(rows)
        if not all_done and done < reps:
            out[done] = arr[one.update_indices()].mean()
            done += 1
    return out


def _bulk_matches_arch() -> bool:
    """One-off: do the bulk draws reproduce arch on small cases (odd and even n)? Cached."""
    global _bulk_ok
    if _bulk_ok is None:
        from arch.bootstrap import StationaryBootstrap

        ok = sys.byteorder == "little" and isinstance(np.random.default_rng(0).bit_generator, np.random.PCG64)
        for n in (6, 7):
            x = np.arange(1.0, n + 1.0) ** 2
            ok = ok and np.array_equal(_stationary_bulk(x, 2, 5, 3),
                                       StationaryBootstrap(2, x, seed=3).apply(np.mean, reps=5).ravel())
        _bulk_ok = bool(ok)
    return _bulk_ok


def stationary_bootstrap_means(data: np.ndarray, block_size: int, reps: int, seed: int) -> np.ndarray:
    """Means of ``reps`` stationary-bootstrap resamples of a series, as ``arch`` computes them.

    Parameters
    ----------
    data : np.ndarray, shape (n,)
        A series in time order (n >= 1), in its units.
    block_size : int
        Expected block length in periods (>= 1), as ``arch.bootstrap.StationaryBootstrap``'s.
    reps : int
        Bootstrap replications (>= 1).
    seed : int
        Seed of ``numpy.random.default_rng``, as ``arch``'s ``seed=`` (>= 0).

    Returns
    -------
    np.ndarray, shape (reps,)
        In the data's units: identical to
        ``StationaryBootstrap(block_size, data, seed=seed).apply(np.mean, reps=reps).ravel()``
        (bulk draws for ``2 <= n <= 800``, arch's own loop otherwise).
    """
    from arch.bootstrap import StationaryBootstrap

    arr = np.asarray(data, dtype=float)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise ParameterError(f"data must be a 1-D array with at least one value; got shape {arr.shape}")
    b = check_int(block_size, "block_size", minimum=1)
    r = check_int(reps, "reps", minimum=1)
    s = check_int(seed, "seed", minimum=0)
    if 2 <= arr.shape[0] <= _STATIONARY_BULK_MAX_N and _bulk_matches_arch():
        return _stationary_bulk(arr, b, r, s)
    return StationaryBootstrap(b, arr, seed=s).apply(np.mean, reps=r).ravel()
