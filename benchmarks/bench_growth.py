"""Growth benchmark: how the heavy helper of each notebook scales with the sample length.

Each case runs one helper on synthetic series of ``n``, ``4n`` and ``16n`` periods (seeded
random walks with a date index of the notebook's frequency) and prints the times and the
growth exponent from 4n to 16n, log(t16 / t4) / log(4) (the larger sizes, where fixed costs
matter least; the 1x time shows the fixed cost): 1.0 is linear, about 1.1 is ``n log n`` at
these sizes, 2.0 quadratic. ``ok`` means <= 1.25 (the
issue's bar: nothing worse than ``n log n`` where that is possible). Helpers whose cost is
fixed by their ``reps`` (bootstraps) are timed at a fixed ``reps``: their exponent is the
growth per replication. Prints figures, asserts nothing; no data or store needed.
Run: ``make bench`` or ``python benchmarks/bench_growth.py [CASE ...]``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from rotation.stats import regressions
from rotation.studies import (
    board,
    economy,
    nulls,
    regimes,
    returns,
    seasonality,
    sectors,
    signals,
    valuation,
    windows,
)

LIMIT = 1.25  # exponent above which a case is reported as worse than n log n


def _index(freq: str, n: int) -> pd.DatetimeIndex:
    start = {"ME": "1700-01-31", "W-FRI": "1750-01-02", "B": "1800-01-01"}[freq]
    return pd.date_range(start, periods=n, freq=freq)


def _returns(n: int, freq: str = "ME", seed: int = 0, cols: tuple[str, ...] = ()) -> pd.Series | pd.DataFrame:
    rng = np.random.default_rng(seed)
    idx = _index(freq, n)
    if cols:
        return pd.DataFrame(rng.normal(0.008, 0.05, (n, len(cols))), index=idx, columns=list(cols))
    return pd.Series(rng.normal(0.008, 0.05, n), index=idx, name="r")


def _monthly_level(n: int, seed: int = 1, scale: float = 0.2) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(5 + np.cumsum(rng.normal(0, scale, n)), index=_index("ME", n))


def _case_00(n: int) -> Callable[[], object]:
    x = _returns(n)
    return lambda: returns.expanding_percentile(x)


def _case_01(n: int) -> Callable[[], object]:
    r = _returns(n)
    return lambda: signals.blowoff_statistic(r, window=12, threshold=0.95, min_history=120)


def _case_01_null(n: int) -> Callable[[], object]:
    r = _returns(n, cols=("small", "large"))
    return lambda: nulls.false_breakout_null(r, lookback=12, gap=6, k=6, reps=50, seed=0)


def _case_02(n: int) -> Callable[[], object]:
    xy = _returns(n, cols=("y", "x"))
    return lambda: regressions.rolling_hac_betas(xy["y"], xy["x"], window=60, maxlags=6)


def _case_03(n: int) -> Callable[[], object]:
    r = _returns(n)
    labels = pd.Series(np.where(np.arange(n) % 24 < 12, "easing", "tightening"), index=r.index)
    return lambda: regimes.regime_diff_ci(r, labels, "easing", "tightening", reps=200, seed=0)


def _case_04(n: int) -> Callable[[], object]:
    r = _returns(n)
    return lambda: seasonality.rolling_month_effect(r, years=20, month=1)


def _case_05(n: int) -> Callable[[], object]:
    unrate, curve = _monthly_level(n, 2, 0.1).abs(), _monthly_level(n, 3, 0.1) - 5
    return lambda: economy.late_cycle_realtime(unrate, curve)


def _case_05_bands(n: int) -> Callable[[], object]:
    rng = np.random.default_rng(4)
    paths = pd.DataFrame(rng.normal(0, 0.05, (25, n // 10)), index=range(-12, 13))
    return lambda: windows.mean_path_with_bands(paths, reps=200, seed=0)


def _case_06(n: int) -> Callable[[], object]:
    x = _monthly_level(n)
    return lambda: valuation.expanding_quantile_state(x, q=0.8, min_periods=120)


def _case_06_oos(n: int) -> Callable[[], object]:
    y, x = _returns(n), _monthly_level(n)
    return lambda: regressions.oos_r2(y, x, horizon=12, min_train=120)


def _case_07(n: int) -> Callable[[], object]:
    rng = np.random.default_rng(5)
    ratio = pd.Series(np.exp(np.cumsum(rng.normal(0, 0.02, n))), index=_index("W-FRI", n))
    return lambda: sectors.rotation_coordinates(ratio)


def _case_08(n: int) -> Callable[[], object]:
    r = _returns(n)
    rng = np.random.default_rng(6)
    states = pd.DataFrame(rng.integers(0, 2, (n, 4)).astype(float), index=r.index, columns=list("abcd"))
    return lambda: board.composite_oos(r, states, horizon=3, min_train=120)


# name -> (notebook, helper, frequency label, base length, builder)
CASES: dict[str, tuple[str, str, str, int, Callable[[int], Callable[[], object]]]] = {
    "00": ("00", "returns.expanding_percentile", "months", 300, _case_00),
    "01": ("01", "signals.blowoff_statistic (expanding quantile)", "months", 300, _case_01),
    "01-null": ("01", "nulls.false_breakout_null (50 reps)", "months", 300, _case_01_null),
    "02": ("02", "regressions.rolling_hac_betas (60-month HAC)", "months", 300, _case_02),
    "03": ("03", "regimes.regime_diff_ci (200 reps)", "months", 300, _case_03),
    "04": ("04", "seasonality.rolling_month_effect", "months", 300, _case_04),
    "05": ("05", "economy.late_cycle_realtime", "months", 300, _case_05),
    "05-bands": ("05", "windows.mean_path_with_bands (events, 200 reps)", "events x10", 300, _case_05_bands),
    "06": ("06", "valuation.expanding_quantile_state", "months", 300, _case_06),
    "06-oos": ("06", "regressions.oos_r2 (expanding OLS)", "months", 300, _case_06_oos),
    "07": ("07", "sectors.rotation_coordinates", "weeks", 520, _case_07),
    "08": ("08", "board.composite_oos", "months", 300, _case_08),
}


def _seconds(fn: Callable[[], object], budget: float = 0.5) -> float:
    """Best of repeated calls (at least 3, more while under ``budget`` seconds in total)."""
    best, spent, k = np.inf, 0.0, 0
    while k < 3 or (spent < budget and k < 50):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best, spent, k = min(best, dt), spent + dt, k + 1
    return best


def growth(builder: Callable[[int], Callable[[], object]], base: int) -> tuple[list[int], list[float], float]:
    """Lengths, best times and the growth exponent between the two larger lengths."""
    sizes = [base, 4 * base, 16 * base]
    times = [_seconds(builder(n)) for n in sizes]
    slope = float(np.log(times[2] / times[1]) / np.log(sizes[2] / sizes[1]))
    return sizes, times, slope


def main() -> None:
    import warnings

    warnings.simplefilter("ignore")  # synthetic series trip no warnings worth printing here
    wanted = sys.argv[1:] or list(CASES)
    unknown = [w for w in wanted if w not in CASES]
    if unknown:
        sys.exit(f"unknown case(s) {', '.join(unknown)}; cases: {', '.join(CASES)}")
    print(f"growth of one heavy helper per notebook at 1x, 4x, 16x the sample length (exponent 4x->16x: 1 linear, "
          f"~1.1 n log n, 2 quadratic; ok <= {LIMIT})")
    print(f"{'nb':3s} {'helper':48s} {'lengths':>20s} {'seconds (1x, 4x, 16x)':>26s} {'exponent':>8s}")
    for name in wanted:
        nb, helper, unit, base, builder = CASES[name]
        sizes, times, slope = growth(builder, base)
        secs = ", ".join(f"{t:.4f}" for t in times)
        lengths = f"{sizes[0]}-{sizes[-1]} {unit}"
        print(f"{nb:3s} {helper:48s} {lengths:>20s} {secs:>26s} {slope:8.2f}  {'ok' if slope <= LIMIT else 'WORSE'}",
              flush=True)


if __name__ == "__main__":
    main()
