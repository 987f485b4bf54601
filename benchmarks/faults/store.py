"""Fault cases of the data store: integrity (edited, damaged, forged, linked), kills, concurrency, full and
read-only disks, and runs that read while imports replace the store.

Every case works on a private copy of the reference store (the snapshot imported with the CI cuts, state
``A``) or a fresh one, and runs ``rotation`` as a user does (fresh processes, real SIGKILLs). Other states
of the same snapshot -- ``--end 2019-12-31`` (``B``) and ``--end 2022-06-30`` (``C``) -- are imported once per
catalogue run, on first use. Issue 26's rows are ``store.rebuild-edited-raw`` (1), ``store.rebuild-unparsable-raw``
(2), ``store.linked-raw-folder`` (3), ``store.run-during-imports`` (4) and ``store.manifest-path-outside`` (6).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from faults import Context, Held, case

CUT_B = "2019-12-31"
CUT_C = "2022-06-30"
KILLS = 20

_REFS: dict[str, Path] = {}
_IMPORT_SECONDS: list[float] = []


# --------------------------------------------------------------------------- helpers
def cli(ctx: Context, store: Path, *args: object) -> list[str]:
    return [sys.executable, "-m", "rotation.cli", "--data-dir", str(store), *map(str, args)]


def import_args(ctx: Context, cut: str | None = None, paths: list[Path] | None = None) -> list[str]:
    """``data import SNAPSHOT`` with the CI cuts (state A) or ``--end cut`` (B, C)."""
    where = [str(p) for p in (paths or [ctx.raw])]
    return ["data", "import", *where, *(["--end", cut] if cut else ["--end-file", str(ctx.cuts)])]


def reference(ctx: Context, cut: str | None = None) -> Path:
    """The store of state A (the catalogue's reference) or of ``--end cut`` (imported once per catalogue run)."""
    if cut is None:
        return ctx.reference
    if cut not in _REFS:
        root = ctx.reference.parent / f"reference-{cut}"
        if not (root / "manifest.json").exists():
            t0 = time.perf_counter()
            subprocess.run(cli(ctx, root, *import_args(ctx, cut)), env=ctx.env, check=True, capture_output=True)
            _IMPORT_SECONDS.append(time.perf_counter() - t0)
        _REFS[cut] = root
    return _REFS[cut]


def state(store: Path) -> dict[str, str] | None:
    """``{dataset: sha256}`` of the published manifest, or None when it cannot be read."""
    from rotation.data.store import Store
    from rotation.errors import StoreError

    try:
        return {k: e["sha256"] for k, e in Store(store).current_manifest()["datasets"].items()}
    except StoreError:
        return None


def problems(store: Path) -> list[str]:
    from rotation.data.store import Store

    return [str(p) for p in Store(store).verify()]


def leftovers(store: Path) -> list[str]:
    from rotation.data.store import Store

    return Store(store).leftovers()


def own_files(store: Path) -> set[str]:
    return {p.relative_to(store).as_posix() for top in ("processed", "raw") if (store / top).exists()
            for p in (store / top).rglob("*") if p.is_file()}


def short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def edit_last_digit(path: Path) -> None:
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    last = bytearray(lines[-1])
    i = max(j for j, c in enumerate(last) if chr(c).isdigit())
    last[i] = ord("7") if last[i] != ord("7") else ord("3")
    path.write_bytes(b"\n".join([*lines[:-1], bytes(last)]) + b"\n")


def raw_file(store: Path, remote: str) -> Path:
    from rotation.data.store import Store

    return store / Store(store).current_manifest()["remote_files"][remote]["path"]


@contextlib.contextmanager
def mounted(*args: str, target: Path) -> Iterator[bool]:
    """``mount ARGS TARGET`` for the block (False when this process may not mount: not root)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        yield False
        return
    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


# --------------------------------------------------------------------------- issue 26, rows 1, 2, 3, 6
@case("store.rebuild-edited-raw", "a raw file edited after import (one digit), then `rotation data rebuild`")
def rebuild_edited_raw(ctx: Context) -> Held:
    store = ctx.store_copy()
    before = state(store)
    raw = raw_file(store, "fred/DGS10")
    edit_last_digit(raw)
    done = ctx.rotation("data", "rebuild", store=store)
    rel = raw.relative_to(store).as_posix()
    checks = {
        "exit 1": done.returncode == 1,
        "file named": rel in done.stderr and "modified after it was imported" in done.stdout,
        "fix said": "Fix: re-import the original file: `rotation data import" in done.stderr,
        "published kept": state(store) == before,
        "evidence kept": raw.exists(),
        "verify refuses": ctx.rotation("data", "verify", store=store).returncode == 1,
    }
    origin = ctx.raw / "fred" / "DGS10.csv"
    checks["re-import repairs"] = (ctx.rotation("data", "import", origin, store=store).returncode == 0
                                   and problems(store) == [] and state(store) == before)
    bad = [k for k, ok in checks.items() if not ok]
    if bad:
        return Held(False, f"{', '.join(bad)} failed; rebuild said: {short(done.stdout[-300:] + done.stderr)}")
    return Held(True, f"refused with exit 1 naming {rel} and the fix; all {len(before or {})} published datasets "
                      "kept, the file kept; re-importing the original repairs it")


@case("store.rebuild-unparsable-raw", "a raw file damaged so it no longer parses, then rebuild")
def rebuild_unparsable_raw(ctx: Context) -> Held:
    store = ctx.store_copy()
    before = state(store) or {}
    raw = raw_file(store, "famafrench/F-F_Research_Data_Factors")
    raw.write_bytes(raw.read_bytes()[:500])
    done = ctx.rotation("data", "rebuild", store=store)
    later = ctx.rotation("data", "import", ctx.raw / "fred" / "DGS10.csv", store=store)  # a writer cleans up
    checks = {
        "exit 1": done.returncode == 1,
        "none dropped": f"rebuilt {len(before)} datasets" in done.stdout and state(store) == before,
        "refusal said": "refused: raw file was modified after it was imported" in done.stdout,
        "evidence kept after the next writer": later.returncode == 0 and raw.exists(),
        "verify refuses": ctx.rotation("data", "verify", store=store).returncode == 1,
    }
    bad = [k for k, ok in checks.items() if not ok]
    if bad:
        return Held(False, f"{', '.join(bad)} failed; rebuild said: {short(done.stdout[-300:] + done.stderr)}")
    return Held(True, f"exit 1, all {len(before)} datasets kept as published, the damaged zip kept through the next "
                      "import's clean-up, verify reports it with the re-import")


@case("store.linked-raw-folder", "raw/fred is a symlink to a folder on another disk; verify twice, import, rebuild")
def linked_raw_folder(ctx: Context) -> Held:
    store = ctx.store_copy()
    disk = ctx.scratch / "other-disk"
    disk.mkdir()
    (store / "raw/fred").rename(disk / "fred")
    (store / "raw/fred").symlink_to(disk / "fred", target_is_directory=True)
    behind = own_files(disk)
    n = len(state(store) or {})
    verifies = [ctx.rotation("data", "verify", store=store) for _ in range(2)]
    if any(v.returncode != 0 or "note: raw/fred is a symbolic link" not in v.stdout for v in verifies):
        last = verifies[-1]
        return Held(False, f"verify: {[v.returncode for v in verifies]}; {short(last.stdout + last.stderr)}")
    imp = ctx.rotation("data", "import", ctx.raw / "fred/DGS10.csv", "--end", "2020-01-31", store=store)
    reb = ctx.rotation("data", "rebuild", store=store)
    link = (store / "raw/fred").is_symlink()
    if imp.returncode or reb.returncode or not link or not behind <= own_files(disk) or len(state(store) or {}) != n:
        return Held(False, f"import {imp.returncode}, rebuild {reb.returncode}, link kept {link}, "
                           f"datasets {len(state(store) or {})}/{n}")
    return Held(True, f"the link stays through two verifies (reported as a note), an import's clean-up and a rebuild "
                      f"that reads through it ({n} datasets); nothing behind it removed")


@case("store.manifest-path-outside", "a manifest whose checksum is recomputed after pointing paths outside the store")
def manifest_path_outside(ctx: Context) -> Held:
    import pandas as pd

    from rotation.data.store import Store, manifest_checksum

    store = ctx.store_copy()
    m = json.loads((store / "manifest.json").read_text())
    genuine = store / m["datasets"]["DGS10"]["path"]
    want = pd.read_parquet(genuine)
    (want * 100).to_parquet(ctx.scratch / "forged.parquet")
    outcomes = []
    for edit in ({"datasets": ("DGS10", os.path.relpath(ctx.scratch / "forged.parquet", store))},
                 {"datasets": ("IWM", "/etc/passwd")}, {"remote_files": ("fred/DGS10", "/etc/passwd")}):
        doc = json.loads(json.dumps(m))
        ((section, (key, path)),) = edit.items()
        doc[section][key]["path"] = path
        doc["checksum"] = manifest_checksum(doc)
        (store / "manifest.json").write_text(json.dumps(doc, indent=2, sort_keys=True))
        read = subprocess.run([sys.executable, "-c", f"from rotation.data import load; load({key.split('/')[-1]!r})"],
                              env={**ctx.env, "ROTATION_DATA_DIR": str(store)}, capture_output=True, text=True)
        verify = ctx.rotation("data", "verify", store=store)
        outcomes.append((path, read.returncode != 0 and f"names {path!r}" in read.stderr
                         and "rotation data rebuild" in read.stderr, verify.returncode == 1, genuine.exists()))
    rebuild = ctx.rotation("data", "rebuild", store=store)
    restored = rebuild.returncode == 0 and Store(store).read("DGS10").equals(want.iloc[:, 0].rename("DGS10"))
    if not all(all(o[1:]) for o in outcomes) or not restored:
        return Held(False, f"(path, load refused, verify refused, genuine kept): {outcomes}; "
                           f"rebuild restores {restored}")
    return Held(True, "a forged parquet outside the store and /etc/passwd (as a dataset and as a raw file) refused by "
                      "load and verify, naming the path and the fix; the genuine file kept; rebuild restores DGS10")


# --------------------------------------------------------------------------- issue 26, row 4
def _import_loop(ctx: Context, store: Path, stop: threading.Event, commits: list[float]) -> None:
    """Replace every dataset again and again (states B and A in turn) until ``stop``."""
    i = 0
    while not stop.is_set():
        cut = CUT_B if i % 2 == 0 else None
        done = subprocess.run(cli(ctx, store, *import_args(ctx, cut)), env=ctx.env, capture_output=True)
        if done.returncode == 0:
            commits.append(time.time())
        i += 1


def _kill_left_in(folder: Path) -> None:
    """SIGKILL the processes this case started that still work in ``folder`` (a killed run's kernel)."""
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if Path(os.readlink(proc / "cwd")).is_relative_to(folder):
                os.kill(int(proc.name), signal.SIGKILL)


def _pin_cost(store: Path, keys: list[str]) -> tuple[float, float]:
    """Milliseconds per ``load`` unpinned and pinned (interleaved, best of three)."""
    from rotation.data import load
    from rotation.data.store import Store
    from rotation.data.store.pins import run_pin

    st = Store(store)

    def per_load() -> float:
        t0 = time.perf_counter()
        for _ in range(5):
            for k in keys:
                load(k, store=st)
        return (time.perf_counter() - t0) / (5 * len(keys)) * 1e3

    per_load()
    plain, pinned = [], []
    for _ in range(3):
        plain.append(per_load())
        with run_pin(store):
            pinned.append(per_load())
    return min(plain), min(pinned)


@case("store.run-during-imports", "a notebook run while imports replace the store (and a run killed mid-way)",
      slow=True)
def run_during_imports(ctx: Context) -> Held:
    store = ctx.store_copy()
    states = {"A": state(ctx.reference) or {}, "B": state(reference(ctx, CUT_B)) or {}}
    stop, commits = threading.Event(), []
    loop = threading.Thread(target=_import_loop, args=(ctx, store, stop, commits))
    loop.start()
    runs = []
    try:
        for i in range(3):
            t0 = time.time()
            done = ctx.rotation("run", "00_data_overview", "--out", ctx.scratch / f"run{i}", "--kernel", "python3",
                                "-q", store=store)
            during = sum(t0 < c < time.time() for c in commits)
            manifest = json.loads((ctx.scratch / f"run{i}/00_data_overview/manifest.json").read_text())
            reads = {r["dataset"]: r["sha256"] for r in manifest["data"]}
            which = [s for s, st in states.items() if all(st.get(k) == v for k, v in reads.items())]
            runs.append((done.returncode, during, which, (manifest.get("store") or {}).get("generation")))
    finally:
        stop.set()
        loop.join()
    # a run killed with SIGKILL (runner and kernel): its pin counts as released
    tmp = ctx.scratch / "tmp"  # the killed kernel's socket files stay here, not in the shared temporary folder
    tmp.mkdir()
    killed = subprocess.Popen(cli(ctx, store, "run", "00_data_overview", "--out", ctx.scratch / "killed", "--kernel",
                                  "python3", "-q"), env={**ctx.env, "TMPDIR": str(tmp)}, cwd=ctx.scratch,
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not list((store / ".pins").glob("*.json")) and time.time() < deadline and killed.poll() is None:
        time.sleep(0.02)
    time.sleep(1.5)  # the kernel is reading
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    _kill_left_in(ctx.scratch / "killed")  # its kernel runs in a session of its own
    subprocess.run(cli(ctx, store, *import_args(ctx, CUT_C)), env=ctx.env, capture_output=True)
    released = not list((store / ".pins").glob("*.json")) and leftovers(store) == [] and problems(store) == []
    plain, pinned = _pin_cost(store, ["size_vw_monthly", "ff3_monthly", "DGS10", "IWM", "SPY", "^RUT"])
    ok = all(code == 0 and len(which) == 1 and gen for code, _, which, gen in runs) and released
    mixed = sum(len(w) != 1 for _, _, w, _ in runs)
    detail = (f"{len(runs)} runs of 00 with {sum(r[1] for r in runs)} imports committed during them: {mixed} read a "
              f"mix, each manifest names its generation; a SIGKILLed run's pin released by the next import "
              f"({released}); load {plain:.2f} ms unpinned, {pinned:.2f} ms pinned")
    return Held(ok, detail if ok else f"{detail}; runs (exit, imports during, states read, generation): {runs}")


# --------------------------------------------------------------------------- kill -9 at 20 moments
MOMENTS = {0: "random moment", 1: "writing its files", 2: "random moment", 3: "just after its commit point"}


def _manifest_id(store: Path) -> tuple[int, int] | None:
    try:
        st = (store / "manifest.json").stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def _wait_and_kill(proc: subprocess.Popen[bytes], store: Path, moment: str, import_s: float,
                   rng: random.Random) -> tuple[float, bool]:
    """Kill ``proc`` at ``moment``; (seconds after its start, whether it had finished already)."""
    before, published = own_files(store), _manifest_id(store)
    t0 = time.perf_counter()
    if moment == "writing its files":  # once its first new file appears: staging, maybe the manifest replace
        while proc.poll() is None and not own_files(store) - before:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.6))
    elif moment == "just after its commit point":  # the new manifest is published: removing the old files
        while proc.poll() is None and _manifest_id(store) == published:
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.03))
    else:
        time.sleep(rng.uniform(0.2, 0.9 * import_s))
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return time.perf_counter() - t0, finished


def _kill_once(ctx: Context, i: int) -> Held:
    """Import state B into state A (or into an empty store), SIGKILL it at moment ``i``, then import again."""
    new = state(reference(ctx, CUT_B))
    moment, empty = MOMENTS[i % 4], i % 8 == 7
    store = ctx.scratch / "store"
    store.mkdir() if empty else ctx.store_copy()
    old = {} if empty else state(ctx.reference)
    proc = subprocess.Popen(cli(ctx, store, *import_args(ctx, CUT_B)), env=ctx.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    at, finished = _wait_and_kill(proc, store, moment, _IMPORT_SECONDS[0] if _IMPORT_SECONDS else 5.0,
                                  random.Random(i))
    got, probs = state(store), problems(store)
    kind = "old" if got == old or (empty and got == {}) else "new" if got == new else "PARTIAL"
    n_left = len(leftovers(store)) if got is not None else -1
    again = subprocess.run(cli(ctx, store, *import_args(ctx, CUT_B)), env=ctx.env, capture_output=True)  # next writer
    cleaned = again.returncode == 0 and state(store) == new and problems(store) == [] and leftovers(store) == []
    after = "removed by the next import" if cleaned else "NOT cleaned by the next import"
    detail = (f"{'empty' if empty else 'full'} store, killed {at:.2f} s in{' (had finished)' if finished else ''}: "
              f"{kind} state, every checksum {'matches' if not probs else 'CHECKED: ' + str(probs[:2])}, "
              f"{n_left} leftover files {after}")
    return Held(kind != "PARTIAL" and not probs and cleaned, detail)


for _i in range(1, KILLS + 1):
    case(f"store.kill-import-{_i:02d}", f"kill -9 of an import ({MOMENTS[_i % 4]})", slow=True)(
        lambda ctx, i=_i: _kill_once(ctx, i))


# --------------------------------------------------------------------------- concurrency
@case("store.concurrent-disjoint-halves", "two imports at once of disjoint halves of the snapshot into an empty store",
      slow=True)
def concurrent_halves(ctx: Context) -> Held:
    want = state(ctx.reference) or {}
    details = []
    for i in range(2):
        store = ctx.scratch / f"pair{i}"
        store.mkdir()
        halves = [[ctx.raw / "prices", ctx.raw / "realtime"], [ctx.raw / "fred", ctx.raw / "famafrench"]]
        procs = [subprocess.Popen(cli(ctx, store, *import_args(ctx, None, h)), env=ctx.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for h in (halves if i % 2 == 0 else halves[::-1])]
        codes = [p.wait() for p in procs]
        got = state(store) or {}
        lost = sorted(set(want) - set(got)) + [k for k in got if got[k] != want.get(k)]
        if codes != [0, 0] or lost or problems(store):
            return Held(False, f"pair {i}: exit {codes}, lost or mismatched {lost[:5]}, problems {problems(store)[:2]}")
        details.append(len(got))
    return Held(True, f"2 pairs: both exit 0, all {details[0]} datasets arrive, every checksum matches")


@case("store.concurrent-different-cuts", "two imports at once with different cuts into a full store", slow=True)
def concurrent_cuts(ctx: Context) -> Held:
    sb, sc = state(reference(ctx, CUT_B)), state(reference(ctx, CUT_C))
    seen = []
    for i in range(2):
        store = ctx.store_copy(f"pair{i}")
        cmds = [cli(ctx, store, *import_args(ctx, CUT_B)), cli(ctx, store, *import_args(ctx, CUT_C))]
        procs = [subprocess.Popen(c, env=ctx.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for c in (cmds if i % 2 == 0 else cmds[::-1])]
        codes = [p.wait() for p in procs]
        got = state(store)
        which = "B" if got == sb else "C" if got == sc else None
        if codes != [0, 0] or which is None or problems(store):
            return Held(False, f"pair {i}: exit {codes}, result {'a MIX' if which is None else which}, "
                               f"problems {problems(store)[:2]}")
        seen.append(which)
    return Held(True, f"2 pairs: both exit 0, the store is exactly one of the two cuts each time ({', '.join(seen)})")


READER = """
import json, sys
from pathlib import Path
import pandas as pd
import rotation.outputs
from rotation.data import load
from rotation.data.store import Store

store, refs, stop = sys.argv[1], json.loads(Path(sys.argv[2]).read_text()), Path(sys.argv[3])
notes = []
rotation.outputs.note_read = lambda dataset, **kw: notes.append((dataset, kw))
st = Store(store)
runs = bad = loads = 0
issues = []
while not stop.exists() or runs < 2:
    wrong = False
    for key in sorted(refs):
        notes.clear()
        try:
            obj = load(key, store=st)
        except Exception as exc:
            wrong = True
            issues.append(f"{key}: {type(exc).__name__}: {exc}"[:200])
            continue
        loads += 1
        kw = notes[0][1] if len(notes) == 1 else {}
        h = str(int(pd.util.hash_pandas_object(obj, index=True).sum()))
        idx = obj.index
        if (refs[key].get(kw.get("sha256")) != h or kw.get("rows") != len(obj)
                or kw.get("last") != idx[-1].date().isoformat()):
            wrong = True
            issues.append(f"{key}: noted {kw} but read {len(obj)} rows to {idx[-1].date()}")
    runs += 1
    bad += wrong
print(json.dumps({"runs": runs, "loads": loads, "bad": bad, "issues": issues[:3]}))
"""


@case("store.import-while-reading", "imports replace every dataset while a reader loads them all, over and over",
      slow=True)
def import_while_reading(ctx: Context) -> Held:
    import pandas as pd

    from rotation.data.store import Store

    refs: dict[str, dict[str, str]] = {}
    for root in (ctx.reference, reference(ctx, CUT_B)):
        st = Store(root)
        for key, e in st.current_manifest()["datasets"].items():
            refs.setdefault(key, {})[e["sha256"]] = str(int(pd.util.hash_pandas_object(st.read(key), index=True).sum()))
    (ctx.scratch / "refs.json").write_text(json.dumps(refs))
    store, stop = ctx.store_copy(), ctx.scratch / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store), str(ctx.scratch / "refs.json"), str(stop)],
                              env=ctx.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    codes = [subprocess.run(cli(ctx, store, *import_args(ctx, cut)), env=ctx.env, capture_output=True).returncode
             for cut in (CUT_B, None, CUT_B, None)]
    stop.touch()
    out, err = reader.communicate(timeout=600)
    try:
        res = json.loads(out.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return Held(False, f"the reader died: {short(err[-400:])}")
    ok = res["bad"] == 0 and codes == [0, 0, 0, 0]
    detail = (f"{res['runs']} passes, {res['loads']} loads during 4 imports: {res['bad']} passes where what load "
              "reported differs from what it returned")
    return Held(ok, detail if ok else f"{detail}; imports exit {codes}; e.g. {res['issues'][:1]}")


# --------------------------------------------------------------------------- full and read-only disks
ENOSPC_AT_COMMIT = """
import errno, os, sys
import rotation.data.store.manifest as manifest
real = manifest.atomic_write_bytes
def full(target, data):
    if target.name == "manifest.json":  # the commit point: the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
    return real(target, data)
manifest.atomic_write_bytes = full
from rotation.cli import main
sys.exit(main(sys.argv[1:]))
"""


@case("store.disk-full", "the disk fills up at the commit point (and, as root, a tiny tmpfs during an import)")
def disk_full(ctx: Context) -> Held:
    store = ctx.store_copy()
    before, files = state(store), own_files(store)
    done = subprocess.run([sys.executable, "-c", ENOSPC_AT_COMMIT, "--data-dir", str(store),
                           *import_args(ctx, CUT_B)], env=ctx.env, capture_output=True, text=True)
    said = "No space left on device" in done.stderr and "Nothing was changed" in done.stderr and "Fix:" in done.stderr
    same = state(store) == before and own_files(store) == files and problems(store) == []
    if done.returncode != 1 or not said or not same:
        return Held(False, f"at the commit point: exit {done.returncode}, message ok {said}, store unchanged {same}: "
                           f"{short(done.stderr[-300:])}")
    detail = "ENOSPC at the commit point: exit 1, 'No space left on device ... Nothing was changed', store as it was"
    tmpfs = ctx.scratch / "tmpfs"
    tmpfs.mkdir()
    size = sum((store / f).stat().st_size for f in files) + (store / "manifest.json").stat().st_size
    with mounted("-t", "tmpfs", "-o", f"size={size + 4 * 1024 * 1024}", "tmpfs", target=tmpfs) as ok:
        if not ok:
            return Held(True, detail + "; tmpfs leg skipped (not root)")
        small = tmpfs / "store"
        shutil.copytree(store, small, ignore=shutil.ignore_patterns(".lock"))
        before = state(small)
        full = subprocess.run(cli(ctx, small, *import_args(ctx, CUT_B)), env=ctx.env, capture_output=True, text=True)
        same = state(small) == before and problems(small) == [] and leftovers(small) == []
        said = "No space left on device" in full.stderr + full.stdout
    if full.returncode == 0 or not same or not said:
        return Held(False, f"{detail}; on a full tmpfs: exit {full.returncode}, store unchanged and clean {same}, "
                           f"said ENOSPC {said}")
    return Held(True, f"{detail}; a tmpfs {size // 2**20 + 4} MB filled during an import: exit 1, store as it was, "
                      "no leftovers")


@case("store.read-only", "a read-only store: load, status, verify, a pinned read, and an import")
def read_only(ctx: Context) -> Held:
    store = ctx.store_copy()
    view = ctx.scratch / "ro"
    view.mkdir()
    with contextlib.ExitStack() as stack:
        if os.geteuid() == 0:  # root writes through file modes: a read-only bind mount, as a shared store has
            if not stack.enter_context(mounted("--bind", str(store), target=view)):
                return Held(False, "could not mount the store read-only")
            subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], capture_output=True)
            if os.access(view, os.W_OK) and subprocess.run(["touch", str(view / "probe")]).returncode == 0:
                return Held(False, "the read-only bind mount is writable")
            root = view
        else:
            for p in [store, *store.rglob("*")]:
                p.chmod(p.stat().st_mode & ~0o222)
            root = store
        probe = ("from rotation.data import load; from rotation.data.store import Store\n"
                 "with Store().pin() as pin: print(len(load('DGS10')), pin)\n")
        read = subprocess.run([sys.executable, "-c", probe], env={**ctx.env, "ROTATION_DATA_DIR": str(root)},
                              capture_output=True, text=True)
        status = ctx.rotation("data", "status", store=root)
        verify = ctx.rotation("data", "verify", store=root)
        imp = ctx.rotation("data", "import", ctx.raw / "fred/DGS10.csv", "--end", CUT_B, store=root)
        unchanged = state(root) == state(ctx.reference)
        if os.geteuid() != 0:
            for p in [store, *store.rglob("*")]:
                p.chmod(p.stat().st_mode | 0o200)
    told = ("Read-only file system" in imp.stderr or "Permission denied" in imp.stderr) and "Fix: make" in imp.stderr
    ok = read.returncode == 0 and status.returncode == 0 and verify.returncode == 0 and imp.returncode == 1 and told
    if not ok or not unchanged:
        return Held(False, f"load {read.returncode}, status {status.returncode}, verify {verify.returncode}, import "
                           f"{imp.returncode} told {told}: {short(read.stderr[-200:] + imp.stderr[-200:])}")
    reason = "Read-only file system" if "Read-only file system" in imp.stderr else "Permission denied"
    return Held(True, f"load (pinned privately: {'/tmp' in read.stdout}), status and verify work; the import exits 1 "
                      f"with '{reason} ... Nothing was changed ... Fix: make {root.name} writable ...'")
