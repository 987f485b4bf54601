"""Fault cases of the runner: parameters, grids, signals, paths and what a run writes (issue 26).

Each case runs ``rotation`` as a user would (fresh processes, the real notebooks on a copy of the snapshot
store, real signals). Kernels and worker processes are found by a private temporary folder each case gives
the run (``TMPDIR``): a kernel's command line names its connection file there.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import psutil

from faults import Context, Held, case

STOP_SECONDS = 10.0
"""How soon a run must exit after Ctrl-C."""


# --------------------------------------------------------------------------- helpers


@contextmanager
def private_tmp() -> Iterator[Path]:
    """A short temporary folder of the run's own (a kernel's socket path must fit in ~100 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="rk-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def kernels(tmp: Path) -> list[int]:
    """Kernel processes of a run started with ``TMPDIR=tmp``."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if str(tmp) in cmd and "ipykernel" in cmd:
            found.append(p.pid)
    return found


def notebook(path: Path, params: str, body: str) -> Path:
    """A small notebook of the user's own (the runner runs any notebook by path)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def refused_before_running(ctx: Context, store: Path, args: list[str], needle: str) -> str | None:
    """None when ``rotation run ARGS`` exits 1 within seconds naming ``needle``, with no run folder; else why not."""
    out = ctx.scratch / "refused"
    t0 = time.perf_counter()
    res = ctx.rotation("run", *args, "--out", str(out), "-q", store=store, timeout=120)
    took = time.perf_counter() - t0
    if res.returncode != 1 or needle not in res.stderr:
        return f"`run {' '.join(a[:40] for a in args)}` gave exit {res.returncode}: {res.stderr.strip()[-300:]}"
    if out.exists():
        return f"`run {' '.join(args)}` was refused but wrote {out}"
    if "Traceback" in res.stderr or took > 30:
        return f"`run {' '.join(args)}`: a traceback or {took:.0f} s to refuse"
    return None


def kill_all(proc: subprocess.Popen, tmp: Path) -> None:
    """Kill a run that did not stop: its process group (the command and its workers), then its kernels (each in a
    session of its own)."""
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    for pid in kernels(tmp):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def bounded(ctx: Context, store: Path, args: list[str], tmp: Path, seconds: float) -> tuple[int | None, str]:
    """``rotation run ARGS`` in a session of its own, killed with everything it started if it still runs after
    ``seconds`` (exit status None then): a case must not start hundreds of processes if a fault is back."""
    proc = ctx.popen("run", *args, "-q", store=store, env={"TMPDIR": str(tmp)}, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        kill_all(proc, tmp)
        _, err = proc.communicate()
        return None, err
    return proc.returncode, err


def ctrl_c(ctx: Context, store: Path, args: list[str], started: Iterator[bool], tmp: Path) -> tuple[int, float, str]:
    """Start ``rotation run ARGS`` in a session of its own; once ``started`` says so, Ctrl-C (SIGINT to the
    process group); (exit status, seconds to exit, stderr). A run still going a minute later is killed."""
    proc = ctx.popen("run", *args, "-q", store=store, env={"TMPDIR": str(tmp)}, start_new_session=True)
    t0 = time.monotonic()
    for ready in started:
        if ready or proc.poll() is not None or time.monotonic() - t0 > 180:
            break
        time.sleep(0.2)
    time.sleep(1.0)
    t1 = time.monotonic()
    with contextlib.suppress(OSError):  # it may have ended already
        os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        kill_all(proc, tmp)
        _, err = proc.communicate()
    return proc.returncode, time.monotonic() - t1, err


def running(tmp: Path, n: int) -> Iterator[bool]:
    """Whether ``n`` kernels of the run are alive, asked again at each step."""
    while True:
        yield len(kernels(tmp)) >= n


# --------------------------------------------------------------------------- new rows of issue 26


@case("runner.jobs-and-grid-size", "`run 01 --grid seed=0..24 --grid null_reps=1..20 --jobs 1000`", slow=True)
def jobs_and_grid_size(ctx: Context) -> Held:
    store = ctx.store_copy()
    with private_tmp() as tmp:
        seeds, reps = ",".join(map(str, range(25))), ",".join(map(str, range(1, 21)))
        t0 = time.perf_counter()
        status, err = bounded(ctx, store, ["01", "--grid", f"seed={seeds}", "--grid", f"null_reps={reps}", "--jobs",
                                           "1000", "--out", str(ctx.scratch / "big")], tmp, 30)
        took = time.perf_counter() - t0
        if status is None:
            return Held(False, "500 combinations with --jobs 1000 started running (killed after 30 s)")
        if status != 1 or "500 combinations" not in err or "--large-grid" not in err:
            return Held(False, f"500 combinations not refused: exit {status}, {err.strip()[-200:]}")
        if (ctx.scratch / "big").exists():
            return Held(False, f"refused after {took:.0f} s, but a run folder was written")
        # a grid of 4 with --jobs 1000: capped at the cores, said on stderr; count the kernels alive at once
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        proc = ctx.popen("run", "00", "--grid", "start=1926-07-01,1950-01-31,1970-01-31,1990-01-31", "--jobs", "1000",
                         "--out", str(ctx.scratch / "small"), "-q", store=store, env={"TMPDIR": str(tmp)},
                         start_new_session=True)
        most, t0 = 0, time.monotonic()
        while proc.poll() is None:
            most = max(most, len(kernels(tmp)))
            if most > cores or time.monotonic() - t0 > 300:
                kill_all(proc, tmp)
            time.sleep(0.1)
        _, err = proc.communicate()
    if proc.returncode != 0 or f"--jobs 1,000 is more than the {cores} core(s)" not in err:
        return Held(False, f"--jobs 1000: exit {proc.returncode}, {err.strip()[-200:]}")
    if most > cores:
        return Held(False, f"--jobs 1000 on {cores} cores ran {most} kernels at once")
    return Held(True, f"500 combinations refused in {took:.1f} s naming --large-grid, nothing started; --jobs 1000 "
                      f"capped at {cores} cores with a note (at most {most} kernels at once)")


@case("runner.ctrl-c", "Ctrl-C on `rotation run 01 02 03` and on a grid on 2 workers", slow=True)
def ctrl_c_stops(ctx: Context) -> Held:
    store = ctx.store_copy()
    lines = []
    for what, args, n_kernels in (
            ("run 01 02 03", ["01", "02", "03"], 1),
            ("grid 01 seed=0..3 --jobs 2", ["01", "--grid", "seed=0,1,2,3", "--jobs", "2"], 2)):
        out = ctx.scratch / what.split()[0]
        with private_tmp() as tmp:
            status, seconds, err = ctrl_c(ctx, store, [*args, "--out", str(out)], running(tmp, n_kernels), tmp)
            time.sleep(0.5)
            left = kernels(tmp)
            files = sorted(p.name for p in tmp.iterdir())
        pages = [out / "index.html"] if what.startswith("run") else sorted(out.glob("*/index.html"))
        marked = pages and all(p.is_file() and "INTERRUPTED" in p.read_text(encoding="utf-8") for p in pages)
        if status != 130 or seconds > STOP_SECONDS or left or files or not marked:
            return Held(False, f"{what}: exit {status} after {seconds:.1f} s, kernels left {left}, files left {files}, "
                               f"pages marked {bool(marked)}; {err.strip()[-200:]}")
        if what.startswith("grid"):
            grid = json.loads((out / "grid.json").read_text()) if (out / "grid.json").is_file() else {}
            if not grid:
                return Held(False, f"{what}: no grid.json after Ctrl-C")
            if any(c["status"] != "interrupted" for c in grid["combinations"]):
                return Held(False, f"grid.json after Ctrl-C: {[c['status'] for c in grid['combinations']]}")
        lines.append(f"{what}: exit 130 in {seconds:.1f} s")
    return Held(True, "; ".join(lines) + "; no kernel or socket left, run pages marked INTERRUPTED")


@case("runner.grid-label-collision", "grid values x/y, x?y and x y (the same folder name once cleaned)")
def grid_labels(ctx: Context) -> Held:
    nb = notebook(ctx.scratch / "00_label.ipynb", 'label: str = "a"  # free text',
                  "from rotation.notebook import record\nrecord('label', label)")
    res = ctx.rotation("run", str(nb), "--grid", "label=x/y,x?y,x y", "--out", str(ctx.scratch / "g"), "-q",
                       store=ctx.store_copy())
    if res.returncode != 0:
        return Held(False, f"exit {res.returncode}: {res.stderr.strip()[-300:]}")
    combos = json.loads((ctx.scratch / "g" / "grid.json").read_text())["combinations"]
    seen = {}
    for c in combos:
        got = json.loads((ctx.scratch / "g" / c["folder"] / "00_label" / "results.json").read_text())["label"]
        seen[c["folder"]] = got
    if len(seen) != 3 or sorted(seen.values()) != sorted(["x/y", "x?y", "x y"]):
        return Held(False, f"folders {seen}")
    return Held(True, f"3 folders ({', '.join(seen)}), each with its own value")


@case("runner.rules-before-kernel", "values the notebooks refuse in the kernel: null_reps=10, breakout_rule, ...")
def rules_before_kernel(ctx: Context) -> Held:
    store = ctx.store_copy()
    cases = [(["01", "-p", "null_reps=10"], "at least 19 paths"),
             (["01", "-p", "breakout_rule=highs"], "one of 'high', 'ma'"),
             (["02", "-p", "dollar_sampling=median"], "one of 'last', 'mean'"),
             (["07", "-p", "benchmark=SPX"], "a ticker of the price data"),
             (["05", "-p", "release_lags=UNRATE:ten"], "KEY:DAYS"),
             (["01", "--grid", "null_reps=500,10"], "grid value null_reps='10' is refused"),
             (["01", "-p", "start=2010-01-31", "-p", "end=2000-01-31"], "swap them")]
    for args, needle in cases:
        why = refused_before_running(ctx, store, args, needle)
        if why:
            return Held(False, why)
    return Held(True, f"{len(cases)} values refused before any kernel, each naming the rule (null_reps >= 19, "
                      "choices, tickers, KEY:DAYS, grid values, start <= end)")


@case("runner.no-ipython-history", "every run: does it append to ~/.ipython/.../history.sqlite?")
def no_history(ctx: Context) -> Held:
    home, jupyter = ctx.scratch / "home", ctx.scratch / "jupyter"
    home.mkdir()
    spec = jupyter / "kernels" / "rotation"  # the kernel `make setup` registers, as the user has it
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (rotation)", "language": "python"}))
    env = {"HOME": str(home), "JUPYTER_PATH": str(jupyter), "IPYTHONDIR": str(home / ".ipython")}
    store = ctx.store_copy()
    snapshots = []
    for n, proxy in enumerate(("ff10_vw", "iwm_spy")):
        res = ctx.rotation("run", "00", "-p", f"proxy={proxy}", "--out", str(ctx.scratch / f"run{n}"), "-q",
                           store=store, env=env)
        if res.returncode != 0:
            return Held(False, f"run {n}: exit {res.returncode}: {res.stderr.strip()[-300:]}")
        snapshots.append({str(p.relative_to(home)): p.stat().st_mtime_ns for p in home.rglob("*") if p.is_file()})
    history = list(home.rglob("history.sqlite*"))
    if history or snapshots[0] != snapshots[1]:
        return Held(False, f"history {history}; the second run changed {set(snapshots[1]) ^ set(snapshots[0])}")
    return Held(True, "two runs with the `rotation` kernel: no history.sqlite, the home unchanged by the second")


# --------------------------------------------------------------------------- smaller findings of issue 26


@case("runner.float-exponent", "`-p level_within=2e-2` (exponent notation)", slow=True)
def float_exponent(ctx: Context) -> Held:
    out = ctx.scratch / "run"
    res = ctx.rotation("run", "01", "-p", "level_within=2e-2", "--out", str(out), "-q", store=ctx.store_copy())
    if res.returncode != 0:
        return Held(False, f"exit {res.returncode}: {res.stderr.strip()[-300:]}")
    got = json.loads((out / "01_relative_strength" / "manifest.json").read_text())["parameters"]["level_within"]
    return Held(got == 0.02, f"accepted and run with level_within = {got!r}")


@case("runner.long-value", "a 2 MB parameter value (in -f params.yaml; 100 kB with -p)")
def long_value(ctx: Context) -> Held:
    params = ctx.scratch / "params.yaml"
    params.write_text("proxy: " + "x" * 2_000_000 + "\n", encoding="utf-8")
    said = []
    for args in (["-f", str(params)], ["-p", "proxy=" + "x" * 100_000]):  # one argument: at most 128 kB on Linux
        res = ctx.rotation("run", "01", *args, "--out", str(ctx.scratch / "run"), "-q", store=ctx.reference)
        said.append(len(res.stdout) + len(res.stderr))
        if res.returncode != 1 or "more than 1,000" not in res.stderr or said[-1] > 2000:
            return Held(False, f"{args[0]}: exit {res.returncode}, {said[-1]:,} characters of output")
    written = sorted(p.name for p in ctx.scratch.iterdir() if p != params)
    if written:
        return Held(False, f"refused, but wrote {written}")
    return Held(True, f"refused (at most 1,000 characters) with {max(said)} characters of output, nothing written")


@case("runner.results-not-a-run", "`rotation results /etc/passwd`")
def results_not_a_run(ctx: Context) -> Held:
    res = ctx.rotation("results", "/etc/passwd", store=ctx.reference)
    ok = res.returncode == 1 and "is a file, not a run folder or an executed notebook" in res.stderr
    return Held(ok, res.stderr.strip()[:160])


# --------------------------------------------------------------------------- what held already


@case("runner.code-in-values", "code in -p values: proxy=__import__('os')..., horizons=[__import__...]")
def code_in_values(ctx: Context) -> Held:
    store = ctx.store_copy()
    mark = ctx.scratch / "PWNED"
    payload = f"__import__('os').system('touch {mark}')"
    for args, needle in ((["01", "-p", f"proxy={payload}"], "proxy"),
                         (["01", "-p", f"horizons=[{payload}]"], "horizons"),
                         (["01", "-p", f"min_swing={payload}"], "min_swing")):
        why = refused_before_running(ctx, store, args, needle)
        if why or mark.exists():
            return Held(False, why or "the payload ran")
    return Held(True, "3 payloads refused as values of the wrong type or rule; nothing ran")


@case("runner.yaml-python-tag", "-f params.yaml with !!python/object/apply:os.system")
def yaml_tags(ctx: Context) -> Held:
    mark = ctx.scratch / "PWNED"
    params = ctx.scratch / "params.yaml"
    params.write_text(f'proxy: !!python/object/apply:os.system ["touch {mark}"]\n', encoding="utf-8")
    why = refused_before_running(ctx, ctx.store_copy(), ["01", "-f", str(params)], "cannot parse")
    if why or mark.exists():
        return Held(False, why or "the tag ran")
    return Held(True, "the python/object tag is refused by the safe loader; nothing ran")


@case("runner.notebook-path-traversal", "`rotation run ../../../../etc/passwd` and ../ in notebook names")
def notebook_traversal(ctx: Context) -> Held:
    store = ctx.reference
    for name in ("../../../../etc/passwd", "../notebooks/../../../etc/hostname", "..", "01/../../etc"):
        why = refused_before_running(ctx, store, [name], "notebook")
        if why:
            return Held(False, why)
    return Held(True, "4 traversal names refused as unknown notebooks, listing the available ones")


@case("runner.out-path-traversal", "--out ../../../../../../.. (the root), ~ and an existing file")
def out_traversal(ctx: Context) -> Held:
    store = ctx.reference
    afile = ctx.scratch / "notes.txt"
    afile.write_text("mine")
    for out, needle in (("../" * 12, "filesystem root"), ("~", "your home folder"), (str(afile), "existing file")):
        res = ctx.rotation("run", "00", "--out", out, "-q", store=store, timeout=120)
        if res.returncode != 1 or needle not in res.stderr:
            return Held(False, f"--out {out}: exit {res.returncode}, {res.stderr.strip()[-200:]}")
    ok = afile.read_text() == "mine"
    return Held(ok, "root, home and a file refused as --out; the file untouched")


@case("runner.failing-notebook-others-run", "a failing notebook among others", slow=True)
def failing_notebook(ctx: Context) -> Held:
    bad = notebook(ctx.scratch / "00_broken.ipynb", "n: int = 1  # a value", "raise ValueError('broken on purpose')")
    out = ctx.scratch / "run"
    res = ctx.rotation("run", str(bad), "00", "--out", str(out), "-q", store=ctx.store_copy())
    named = "00_broken failed at cell 1" in res.stdout and "ValueError" in res.stdout
    other = json.loads((out / "00_data_overview" / "manifest.json").read_text())["status"]
    ok = res.returncode == 1 and named and other == "ok"
    return Held(ok, f"exit {res.returncode}, failing cell named: {named}, 00_data_overview {other}")


@case("runner.unknown-param-did-you-mean", "`-p proxi=iwm_spy`")
def unknown_param(ctx: Context) -> Held:
    why = refused_before_running(ctx, ctx.reference, ["01", "-p", "proxi=iwm_spy"], "did you mean 'proxy'")
    return Held(why is None, why or "refused: unknown parameter 'proxi' (did you mean 'proxy'?)")
