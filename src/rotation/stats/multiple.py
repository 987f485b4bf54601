"""Multiple testing: p-values adjusted when several tests decide one claim."""

from __future__ import annotations

from collections.abc import Sequence

from rotation.errors import ParameterError

__all__ = ["adjust_pvalues"]


def adjust_pvalues(pvalues: Sequence[float], method: str = "holm") -> list[float]:
    """p-values adjusted for multiple testing with :func:`statsmodels.stats.multitest.multipletests`.

    Parameters
    ----------
    pvalues : sequence of float
        Raw p-values of the tests that together decide one claim. NaN stays NaN.
    method : str
        ``"holm"`` (family-wise error, default) or ``"fdr_bh"`` (Benjamini-Hochberg false discovery
        rate), or any method statsmodels accepts.

    Notes
    -----
    Holm is computed here with statsmodels' own steps (sort, ``p_(i) * (m - i + 1)``, running maximum,
    capped at 1; the numbers are identical, ``tests/test_verdicts.py`` checks it) because statsmodels'
    Holm branch ends with a full ``gc.collect()``, a tenth of a second in a notebook holding figures.
    """
    import numpy as np
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(list(pvalues), dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any() and isinstance(method, str) and method.lower() in ("h", "holm"):
        order = np.argsort(p[ok])
        ranked = np.take(p[ok], order)
        adjusted = np.maximum.accumulate(ranked * np.arange(len(ranked), 0, -1))
        adjusted[adjusted > 1] = 1
        back = np.empty_like(adjusted)
        back[order] = adjusted
        out[ok] = back
    elif ok.any():
        try:
            out[ok] = multipletests(p[ok], method=method)[1]
        except ValueError as exc:
            raise ParameterError(f"adjust_pvalues: unknown method {method!r} ({exc}); use 'holm' or 'fdr_bh'") from None
    return [float(v) for v in out]
