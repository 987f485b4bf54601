"""Data-layer benchmark: import the full snapshot, then load every dataset.

Prints measured figures (no assertions): seconds to import the snapshot into an empty
store (its real-time vintages, ``realtime/``, measured apart: target < 60 s), and
milliseconds per `load(key)` for every stored dataset (median of 5), next to the targets
(import < 10 s, every load < 100 ms). A load reads the manifest, checks its checksum and
the file's sha256, and parses the parquet file. Run: `make bench` or
`ROTATION_RAW_DIR=... python benchmarks/bench_data.py`.
"""

from __future__ import annotations

import statistics
import time

from rotation.data import load
from rotation.data.ingest import import_paths
from rotation.data.store import Store

from _common import fresh_store_dir, raw_dir, snapshot_ends


def main() -> None:
    raw = raw_dir()
    store = Store(fresh_store_dir())
    t0 = time.perf_counter()
    report = import_paths([p for p in sorted(raw.iterdir()) if p.name != "realtime"], store=store,
                          end=snapshot_ends())
    import_s = time.perf_counter() - t0
    counts = report.counts()
    print(f"import of {raw} but realtime/: {import_s:.2f} s  ({counts})  target < 10 s: "
          f"{'ok' if import_s < 10 else 'MISSED'}")
    if (raw / "realtime").is_dir():
        t0 = time.perf_counter()
        report = import_paths([raw / "realtime"], store=store)
        rt_s = time.perf_counter() - t0
        print(f"import of {raw / 'realtime'} (FRED-MD vintage zips, RTDSM workbooks): {rt_s:.2f} s  "
              f"({report.counts()})  target < 60 s: {'ok' if rt_s < 60 else 'MISSED'}")

    t0 = time.perf_counter()
    again = import_paths([raw], store=store, end=snapshot_ends())
    print(f"re-import (everything unchanged): {time.perf_counter() - t0:.2f} s  ({again.counts()})")

    rows = []
    for key in store.iter_datasets():
        times = []
        for _ in range(5):
            t = time.perf_counter()
            load(key, store=store)
            times.append((time.perf_counter() - t) * 1000)
        rows.append((key, statistics.median(times)))
    rows.sort(key=lambda r: -r[1])
    worst = rows[0][1]
    print(f"\nload(key), median of 5, {len(rows)} datasets: slowest {worst:.1f} ms, "
          f"median {statistics.median(r[1] for r in rows):.1f} ms; "
          f"target < 100 ms: {'ok' if worst < 100 else 'MISSED'}")
    for key, ms in rows:
        print(f"  {key:28s} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
