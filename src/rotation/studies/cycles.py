"""Leadership phases: date the swings of small-cap vs large-cap relative strength.

The dating here is **descriptive**: a turning point is only known to be one with
hindsight, after the series has moved ``min_swing`` away from it. Phases are
therefore for describing history (how long and how large were past small-cap
leadership runs), never for trading signals. The ``confirmed_at`` column records
when each turning point would first have been recognised in real time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_pandas, check_real

__all__ = ["find_swings", "PHASE_COLUMNS"]

#: Columns of the frame returned by :func:`find_swings`.
PHASE_COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    "kind",
    "periods",
    "start_level",
    "end_level",
    "log_change",
    "relative_return",
    "confirmed",
    "confirmed_at",
)


def find_swings(level: pd.Series, min_swing: float) -> pd.DataFrame:
    """Zig-zag dating of leadership phases on a log level.

    Parameters
    ----------
    level : pd.Series
        A **log** level, typically :func:`rotation.studies.returns.log_relative_strength`
        (log of small-cap wealth / large-cap wealth). NaN values are dropped first.
    min_swing : float
        Threshold in log points (> 0): 0.10 ~ a 10.5 % relative move. A peak is
        confirmed once the level has fallen at least ``min_swing`` below it, a trough
        once the level has risen at least ``min_swing`` above it.

    Returns
    -------
    pd.DataFrame
        One row per phase, in time order, columns :data:`PHASE_COLUMNS`:

        ``start``, ``end`` (Timestamp / index label)
            Turning points bounding the phase (the end of one phase is the start
            of the next).
        ``kind`` (str)
            ``"leadership"`` if the level rose over the phase (small caps led),
            ``"laggard"`` if it fell.
        ``periods`` (int)
            Number of index steps from start to end.
        ``start_level``, ``end_level``, ``log_change`` (float)
            Levels at the turning points and their difference (log points).
        ``relative_return`` (float)
            Cumulative relative return over the phase, ``exp(log_change) - 1``
            (decimal; the return of the ratio ``W_small / W_large``).
        ``confirmed`` (bool)
            True when the phase's end is a confirmed turning point. The last phase
            is "in progress": unconfirmed, and it ends at the last date.
        ``confirmed_at`` (Timestamp or NaT)
            The date the swing threshold was first crossed, i.e. when the turning
            point at ``end`` became known in real time (NaT for the last phase).

    Notes
    -----
    **Hindsight**: turning points are dated with the whole sample (the peak is the
    maximum *before* the fall that confirmed it), so ``end`` precedes
    ``confirmed_at``, often by months. Use these phases for description only.

    Algorithm: the first observation is a turning point by convention. Until the
    first swing of ``min_swing`` in either direction, the running high and low are
    tracked; the first confirmed extreme starts the zig-zag (if the first
    observation is itself that extreme no extra phase is added; otherwise the first
    phase runs from the first observation to it and may be smaller than
    ``min_swing``). Afterwards the running extreme in the current direction is
    updated until the level reverses by ``min_swing``. Ties keep the earliest
    extreme. If the series never swings by ``min_swing`` a single unconfirmed phase
    covering the sample is returned.
    """
    check_pandas(level, "level", allow_frame=False)
    swing = check_real(min_swing, "min_swing", low=0.0, low_open=True)
    s = level.dropna()
    if len(s) < 2:
        raise ParameterError(f"level must have at least 2 non-NaN values; got {len(s)}")
    x = s.to_numpy(dtype=float)
    n = len(x)

    # pivots: list of (position, confirmed_at position or None)
    pivots: list[tuple[int, int | None]] = [(0, None)]
    direction = 0  # +1 rising from a trough, -1 falling from a peak, 0 undetermined
    hi = lo = 0  # running extremes while undetermined
    ext = 0  # running extreme in the current direction
    for i in range(1, n):
        if direction == 0:
            if x[i] > x[hi]:
                hi = i
            if x[i] < x[lo]:
                lo = i
            if x[i] - x[lo] >= swing:  # trough at lo confirmed
                if lo != 0:
                    pivots.append((lo, i))
                else:
                    pivots[0] = (0, i)
                direction, ext = 1, i
            elif x[hi] - x[i] >= swing:  # peak at hi confirmed
                if hi != 0:
                    pivots.append((hi, i))
                else:
                    pivots[0] = (0, i)
                direction, ext = -1, i
        elif direction == 1:
            if x[i] > x[ext]:
                ext = i
            elif x[ext] - x[i] >= swing:
                pivots.append((ext, i))
                direction, ext = -1, i
        else:
            if x[i] < x[ext]:
                ext = i
            elif x[i] - x[ext] >= swing:
                pivots.append((ext, i))
                direction, ext = 1, i

    idx = s.index
    rows = []
    bounds = [p for p, _ in pivots]
    confirm = [c for _, c in pivots]
    ends = bounds[1:] + [n - 1]
    for k, (a, b) in enumerate(zip(bounds, ends, strict=True)):
        last = k == len(bounds) - 1
        if last and a == b:  # a confirmed pivot on the last date cannot happen, guard anyway
            continue
        change = x[b] - x[a]
        rows.append(
            {
                "start": idx[a],
                "end": idx[b],
                "kind": "leadership" if change > 0 else "laggard",
                "periods": b - a,
                "start_level": x[a],
                "end_level": x[b],
                "log_change": change,
                "relative_return": float(np.expm1(change)),
                "confirmed": not last,
                "confirmed_at": pd.NaT if last else idx[confirm[k + 1]],
            }
        )
    out = pd.DataFrame(rows, columns=list(PHASE_COLUMNS))
    out["confirmed"] = out["confirmed"].astype(bool)
    out["periods"] = out["periods"].astype(int)
    return out
