"""Reliability of the data store under kills and concurrency (issue 9), measured on the real snapshot.

What it does (all in temporary stores; the snapshot folder is only read):

1. Builds three reference stores from the snapshot: ``A`` (imported with
   ``tests/snapshot-cuts.txt``), ``B`` (``--end 2019-12-31``) and ``C``
   (``--end 2022-06-30``), so almost every dataset differs between them.
2. **Kills**: starts ``rotation data import SNAPSHOT --end 2019-12-31`` (state B) into a
   copy of store A, or into an empty store, and kills it with SIGKILL, either at a
   random moment or during the commit phase (after its first new file appears).
   Afterwards the store must be exactly the old state or exactly the new one, with
   every checksum matching (``Store.verify``); anything else is a *partial store*.
   Then the next writer's clean-up must leave no leftover file.
3. **Concurrent import pairs**: two imports at once, (a) of disjoint halves of the
   snapshot into an empty store (the union must arrive), (b) with cuts B and C into
   store A (the result must be exactly B or exactly C). A missing dataset, a file
   that does not match the manifest or a mix of the two cuts counts as *lost or
   mismatched*.
4. **Import-while-read pairs**: a reader process loads every dataset over and over
   while an import replaces them. Each pass over the datasets is a "run": it records
   what ``load`` reported to ``rotation.outputs.note_read`` (sha256, first, last, rows)
   and checks it against the data actually returned (rows, dates, a hash of the values
   compared with the reference store whose file has that sha256). A run with any
   disagreement, or any load error, counts as a run whose manifest disagrees with what
   it read. (The reader stands in for ``rotation run``: it checks the provenance hook
   the run manifest is built from.)

Prints one summary line (wrapped here)::

    kills: N, partial stores: 0; concurrent pairs: M, lost or mismatched datasets: 0;
    runs whose manifest disagrees with what they read: 0

Run: ``make reliability`` or
``ROTATION_RAW_DIR=... python benchmarks/reliability.py [--kills 24] [--pairs 3] [--reads 5] [--seed 0]``.
Takes a few minutes (every import is a fresh ``rotation`` process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import CUTS, raw_dir

CUT_B = "2019-12-31"
CUT_C = "2022-06-30"


# --------------------------------------------------------------------------- helpers
def cli(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "rotation.cli", "--data-dir", str(store), "data", *args]


def env() -> dict[str, str]:
    return {**os.environ, "ROTATION_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}


def import_a(store: Path, raw: Path | list[Path]) -> list[str]:
    paths = [str(p) for p in (raw if isinstance(raw, list) else [raw])]
    return cli(store, "import", *paths, "--end-file", str(CUTS))


def import_b(store: Path, raw: Path, cut: str = CUT_B) -> list[str]:
    return cli(store, "import", str(raw), "--end", cut)


def state(store: Path) -> dict[str, str] | None:
    """``{dataset: sha256}`` of the published manifest, or None when it cannot be read."""
    from rotation.data.store import Store
    from rotation.errors import StoreError

    try:
        m = Store(store).manifest()
    except StoreError:
        return None
    return {k: e["sha256"] for k, e in m["datasets"].items()}


def problems(store: Path) -> list[str]:
    from rotation.data.store import Store

    return [str(p) for p in Store(store).verify()]


def frame_hash(obj) -> str:
    import pandas as pd

    return str(int(pd.util.hash_pandas_object(obj, index=True).sum()))


def references(work: Path, raw: Path) -> tuple[Path, dict, dict, dict, dict[str, dict[str, str]], float]:
    """Build stores A, B and C (three cuts); return A's path, the three states,
    ``{dataset: {sha256: value hash}}`` and an import's seconds."""
    from rotation.data.store import Store

    a, b, c = work / "ref_a", work / "ref_b", work / "ref_c"
    t0 = time.perf_counter()
    subprocess.run(import_a(a, raw), env=env(), check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    subprocess.run(import_b(b, raw), env=env(), check=True, stdout=subprocess.DEVNULL)
    subprocess.run(import_b(c, raw, CUT_C), env=env(), check=True, stdout=subprocess.DEVNULL)
    sa, sb, sc = state(a), state(b), state(c)
    refs: dict[str, dict[str, str]] = {}
    for root in (a, b, c):
        st = Store(root)
        for key, e in st.manifest()["datasets"].items():
            refs.setdefault(key, {})[e["sha256"]] = frame_hash(st.read(key))
    return a, sa, sb, sc, refs, seconds


def copy_store(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".lock"))
    return dst


def leftover_bytes(store: Path) -> tuple[int, int]:
    from rotation.data.store import Store

    st = Store(store)
    try:
        left = st.leftovers()
    except Exception:  # noqa: BLE001 - an unreadable manifest is reported elsewhere
        return 0, 0
    return len(left), sum((store / p).stat().st_size for p in left if (store / p).exists())


def new_files_appeared(store: Path, before: set[str]) -> bool:
    for top in ("processed", "raw"):
        d = store / top
        if d.exists():
            for p in d.rglob("*"):
                if p.is_file() and p.relative_to(store).as_posix() not in before:
                    return True
    return False


def files_of(store: Path) -> set[str]:
    return {p.relative_to(store).as_posix() for top in ("processed", "raw") if (store / top).exists()
            for p in (store / top).rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- 1. kills
def kill_trials(work: Path, raw: Path, ref_a: Path, sa, sb, n: int, import_s: float, rng: random.Random) -> dict:
    from rotation.data.store import Store

    out = {"kills": 0, "partial": 0, "old": 0, "new": 0, "in_commit": 0, "max_leftover_files": 0,
           "max_leftover_bytes": 0, "not_cleaned": 0, "details": []}
    i = 0
    while out["kills"] < n and i < 3 * n:
        i += 1
        empty = i % 4 == 3
        store = work / f"kill{i}"
        if empty:
            store.mkdir()
        else:
            copy_store(ref_a, store)
        old = {} if empty else sa
        before = files_of(store)
        target_commit = i % 2 == 0
        proc = subprocess.Popen(import_b(store, raw), env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.perf_counter()
        if target_commit:
            while proc.poll() is None and not new_files_appeared(store, before):
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.6))  # staging, the manifest replace, or the removal of old files
        else:
            time.sleep(rng.uniform(0.2, import_s))
        in_commit = new_files_appeared(store, before)
        finished = proc.poll() is not None
        if not finished:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at = time.perf_counter() - t0
        got = state(store)
        probs = problems(store)
        kind = "old" if got == old or (empty and got == {}) else "new" if got == sb else "partial"
        if probs:
            kind = "partial"
        n_left, b_left = leftover_bytes(store)
        Store(store).clean(timeout=5)  # what the next writer does first
        cleaned = not Store(store).leftovers() if kind != "partial" else False
        out["kills"] += 0 if finished else 1
        out["partial"] += kind == "partial"
        if kind in ("old", "new"):
            out[kind] += 1
        in_commit = in_commit and not finished
        out["in_commit"] += in_commit
        out["max_leftover_files"] = max(out["max_leftover_files"], n_left)
        out["max_leftover_bytes"] = max(out["max_leftover_bytes"], b_left)
        out["not_cleaned"] += not cleaned
        out["details"].append(
            f"  kill {i:2d}: {'empty' if empty else 'full '} store, "
            f"{'commit phase' if target_commit else 'random     '} "
            f"at {killed_at:5.2f} s{' (had finished)' if finished else ''}: {kind}"
            f"{'' if not in_commit else ', during commit'}; leftovers {n_left} files {b_left / 1e6:.1f} MB -> "
            f"{'removed' if cleaned else 'NOT removed'}" + (f"; {probs[:2]}" if probs else "")
        )
        shutil.rmtree(store, ignore_errors=True)
    return out


# --------------------------------------------------------------------------- 2. concurrent imports
def import_pairs(work: Path, raw: Path, ref_a: Path, sa, sb, sc, n: int) -> dict:
    out = {"pairs": 0, "lost": 0, "details": []}
    halves = ([raw / "prices"], [raw / "fred", raw / "famafrench"])
    for i in range(n):
        # (a) disjoint halves into an empty store: the union must arrive
        store = work / f"pair_a{i}"
        store.mkdir()
        procs = [subprocess.Popen(import_a(store, h), env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for h in halves]
        codes = [p.wait() for p in procs]
        got = state(store) or {}
        lost = sorted(set(sa) - set(got)) + [k for k in got if got[k] != sa.get(k)]
        probs = problems(store)
        out["pairs"] += 1
        out["lost"] += len(lost) + len(probs) + sum(c != 0 for c in codes)
        out["details"].append(f"  pair {i} (empty store, disjoint halves): exit {codes}, {len(got)}/{len(sa)} "
                              f"datasets, lost or mismatched {len(lost) + len(probs)}")
        shutil.rmtree(store, ignore_errors=True)
        # (b) two different cuts into a full store (A): exactly one of the two (B or C)
        store = copy_store(ref_a, work / f"pair_b{i}")
        cmds = [import_b(store, raw), import_b(store, raw, CUT_C)]
        procs = [subprocess.Popen(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for cmd in (cmds if i % 2 == 0 else cmds[::-1])]
        codes = [p.wait() for p in procs]
        got = state(store) or {}
        which = "B" if got == sb else "C" if got == sc else None
        bad = 0
        if which is None:
            bad = sum(1 for k in set(sb) | set(sc) if got.get(k) not in (sb.get(k), sc.get(k))) or 1
        probs = problems(store)
        out["pairs"] += 1
        out["lost"] += bad + len(probs) + sum(c != 0 for c in codes)
        out["details"].append(f"  pair {i} (full store, different cuts): exit {codes}, result "
                              f"{'exactly ' + which if which else 'A MIX'}, files not matching the manifest "
                              f"{len(probs)}")
        shutil.rmtree(store, ignore_errors=True)
    return out


# --------------------------------------------------------------------------- 3. import while reading
def reader(store: str, refs_path: str, stop_file: str) -> None:
    """Load every dataset until ``stop_file`` exists; print a JSON summary (runs, loads, bad runs, problems)."""
    import rotation.outputs
    from rotation.data import load
    from rotation.data.store import Store

    refs = json.loads(Path(refs_path).read_text())
    notes: list[tuple[str, dict]] = []
    rotation.outputs.note_read = lambda dataset, **kw: notes.append((dataset, kw))  # type: ignore[assignment]
    st = Store(store)
    keys = sorted(refs)
    runs = loads = bad_runs = 0
    shas: dict[str, set[str]] = {}
    issues: list[str] = []
    while not Path(stop_file).exists() or runs < 2:
        bad = False
        for key in keys:
            notes.clear()
            try:
                obj = load(key, store=st)
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                bad = True
                issues.append(f"{key}: {type(exc).__name__}: {exc}"[:300])
                continue
            loads += 1
            if len(notes) != 1 or notes[0][0] != key:
                bad = True
                issues.append(f"{key}: note_read called {len(notes)} times")
                continue
            kw = notes[0][1]
            shas.setdefault(key, set()).add(kw["sha256"])
            idx = obj.index
            facts_ok = (kw["rows"] == len(obj) and kw["first"] == idx[0].date().isoformat()
                        and kw["last"] == idx[-1].date().isoformat())
            known = refs[key].get(kw["sha256"])
            if known is None or known != frame_hash(obj) or not facts_ok:
                bad = True
                issues.append(f"{key}: noted sha256 {kw['sha256'][:12]} rows {kw['rows']} last {kw['last']}, "
                              f"read rows {len(obj)} last {idx[-1].date()}, reference {'found' if known else 'none'}")
        runs += 1
        bad_runs += bad
    print(json.dumps({"runs": runs, "loads": loads, "bad_runs": bad_runs, "issues": issues[:5],
                      "datasets_seen_in_both_states": sum(len(v) > 1 for v in shas.values())}))


def read_pairs(work: Path, raw: Path, ref_a: Path, refs: dict, n: int) -> dict:
    out = {"pairs": 0, "runs": 0, "loads": 0, "bad_runs": 0, "switched": 0, "details": []}
    refs_path = work / "refs.json"
    refs_path.write_text(json.dumps(refs))
    for i in range(n):
        store = copy_store(ref_a, work / f"read{i}")
        stop = work / f"stop{i}"
        rd = subprocess.Popen([sys.executable, __file__, "--reader", str(store), str(refs_path), str(stop)],
                              env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)  # the reader is loading before the import starts
        cmds = [import_b(store, raw), import_a(store, raw)]
        for cmd in cmds:  # replace every dataset, then put them back: two commits under the reader
            subprocess.run(cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop.touch()
        res_text, err = rd.communicate(timeout=600)
        try:
            res = json.loads(res_text.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            res = {"runs": 1, "loads": 0, "bad_runs": 1, "issues": [err[-500:]], "datasets_seen_in_both_states": 0}
        out["pairs"] += 1
        for k_out, k_in in (("runs", "runs"), ("loads", "loads"), ("bad_runs", "bad_runs"),
                            ("switched", "datasets_seen_in_both_states")):
            out[k_out] += res[k_in]
        out["details"].append(f"  reader {i}: {res['runs']} runs, {res['loads']} loads, "
                              f"{res['datasets_seen_in_both_states']} datasets seen in both states, "
                              f"runs disagreeing {res['bad_runs']}"
                              + (f"; e.g. {res['issues'][0]}" if res["issues"] else ""))
        shutil.rmtree(store, ignore_errors=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=24)
    ap.add_argument("--pairs", type=int, default=3, help="of each kind of concurrent import pair")
    ap.add_argument("--reads", type=int, default=5, help="import-while-read pairs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reader", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.reader:
        reader(*args.reader)
        return 0
    raw = raw_dir()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="rotation-reliability-"))
    try:
        t0 = time.perf_counter()
        ref_a, sa, sb, sc, refs, import_s = references(work, raw)
        differ = sum(len({sa.get(k), sb.get(k), sc.get(k)}) == 3 for k in sa)
        print(f"reference stores A, B, C: {len(sa)} datasets, {differ} differ between all three cuts; "
              f"one import takes {import_s:.1f} s")
        kills = kill_trials(work, raw, ref_a, sa, sb, args.kills, import_s, rng)
        print("\n".join(kills["details"]))
        pairs = import_pairs(work, raw, ref_a, sa, sb, sc, args.pairs)
        print("\n".join(pairs["details"]))
        reads = read_pairs(work, raw, ref_a, refs, args.reads)
        print("\n".join(reads["details"]))
        print(f"\nkills landing in the commit phase: {kills['in_commit']}; old state kept {kills['old']}, new state "
              f"complete {kills['new']}; leftovers after a kill up to {kills['max_leftover_files']} files "
              f"({kills['max_leftover_bytes'] / 1e6:.1f} MB), not removed by the next writer: {kills['not_cleaned']}")
        print(f"readers: {reads['runs']} runs, {reads['loads']} loads during imports; "
              f"took {time.perf_counter() - t0:.0f} s")
        n_pairs = pairs["pairs"] + reads["pairs"]
        print(f"kills: {kills['kills']}, partial stores: {kills['partial']}; concurrent pairs: {n_pairs}, "
              f"lost or mismatched datasets: {pairs['lost']}; runs whose manifest disagrees with what they read: "
              f"{reads['bad_runs']}")
        ok = kills["partial"] == 0 and kills["not_cleaned"] == 0 and pairs["lost"] == 0 and reads["bad_runs"] == 0
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
