"""Point-in-time data benchmark: the cost of a notebook's vintage tables against `load` of the same series.

For the macro series of notebook 05 (and 08) that have real-time vintages, prints, measured in the same run
(median of 5): the seconds to load their observation x vintage tables (`rotation.data.vintages.vintage_table`),
to compute their real-time values (`load_point_in_time(..., "real-time")`), and to `load` the same series' latest
vintage (FRED), and the ratio. Target: the vintage tables of a notebook load in well under a second. Uses the
store at ROTATION_DATA_DIR when it holds the real-time datasets, else imports ROTATION_RAW_DIR's `fred/` and
`realtime/` folders into a fresh store first. Run: `python benchmarks/bench_vintages.py`.
"""

from __future__ import annotations

import statistics
import time

from rotation.data import load
from rotation.data.ingest import import_paths
from rotation.data.store import Store
from rotation.data.vintages import load_point_in_time, vintage_table
from rotation.studies.realtime import VINTAGE_SOURCES

from _common import fresh_store_dir, raw_dir

#: notebook 05's macro series with vintages, and the source each is read from (GDP: the RTDSM only)
SERIES = VINTAGE_SOURCES


def _store() -> Store:
    store = Store()
    have = store.manifest()["datasets"]
    if all(k in have for k in ("fredmd_PAYEMS_monthly", "rtdsm_routputMvQd", *SERIES)):
        return store
    raw = raw_dir()
    store = Store(fresh_store_dir())
    t0 = time.perf_counter()
    report = import_paths([raw / "fred", raw / "realtime"], store=store)
    print(f"imported {raw / 'fred'} and {raw / 'realtime'} in {time.perf_counter() - t0:.1f} s ({report.counts()})")
    return store


def _median(fn, reps: int = 5) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    store = _store()
    tables = _median(lambda: [vintage_table(k, s, store=store) for k, s in SERIES.items()])
    pit = _median(lambda: [load_point_in_time(k, "real-time", source=s, store=store) for k, s in SERIES.items()])
    latest = _median(lambda: [load(k, store=store) for k in SERIES])
    cells = sum(vintage_table(k, s, store=store).size for k, s in SERIES.items())
    print(f"{len(SERIES)} series ({', '.join(SERIES)}), median of 5:")
    print(f"  vintage tables   {tables:7.3f} s  ({cells:,} cells)  target < 1 s: {'ok' if tables < 1 else 'MISSED'}")
    print(f"  real-time values {pit:7.3f} s  (tables + the latest fallback + the lookup)")
    print(f"  load (latest)    {latest:7.3f} s")
    print(f"  ratio vintage tables / load: {tables / latest:.1f}x; real-time values / load: {pit / latest:.1f}x")


if __name__ == "__main__":
    main()
