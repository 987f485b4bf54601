"""The ``rotation`` command.

::

    rotation data fetch [KEY ...]                 download from FRED, Ken French, Yahoo
    rotation data import PATH ... [--dataset KEY] [--end [KEY=]DATE ...] [--end-file FILE]
    rotation data status [--json]                 what is in the store
    rotation data verify                          recompute checksums
    rotation data rebuild                         re-create processed/ and the manifest from raw/
    rotation data list                            the catalog
    rotation run [NOTEBOOK ...] [-p NAME=VALUE ...] [-f params.yaml] [--jobs N] [--out DIR] [--force]
                 [--grid NAME=V1,V2 ...] [--large-grid] [--executor local|dask] [--scheduler ADDRESS]
    rotation results [PATH] [--json]              what a run (folder or executed .ipynb) recorded

Global options: ``--offline`` (same as ROTATION_OFFLINE=1) and ``--data-dir DIR``
(same as ROTATION_DATA_DIR). Exit codes: 0 ok, 1 something failed or was rejected,
2 bad usage, 130 stopped by Ctrl-C (SIGINT; 143 for SIGTERM) -- a run stopped so keeps what finished.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from rotation.errors import RotationError

__all__ = ["main", "build_parser", "read_params_file"]


def _print_table(rows: list[dict], columns: list[str]) -> None:
    """Left-aligned plain-text table (the last column is not padded)."""
    if not rows:
        print("(nothing)")
        return
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    fmt = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths, strict=True)).rstrip()  # noqa: E731
    print(fmt(columns))
    print(fmt(["-" * w for w in widths]))
    for row in cells:
        print(fmt(row))


def _cmd_fetch(args: argparse.Namespace) -> int:
    from rotation.data.ingest import fetch

    report = fetch(args.keys or None, timeout=args.timeout, retry_count=args.retries, progress=not args.quiet,
                   max_seconds=args.max_time)
    rows = [{"file": r.remote, "status": r.status, "detail": r.detail} for r in report.rows]
    print()
    _print_table(rows, ["file", "status", "detail"])
    print("\n" + ", ".join(f"{v} {k}" for k, v in report.counts().items()))
    return 0 if report.ok else 1


def _cmd_import(args: argparse.Namespace) -> int:
    from rotation.data.ingest import import_paths, parse_end_option, read_end_file

    ends = read_end_file(args.end_file) if args.end_file else {}
    ends.update(parse_end_option(args.end or []))
    report = import_paths(args.paths, dataset=args.dataset, end=ends or None)
    rows = [{"file": _short(r.file, args.paths), "status": r.status, "detail": r.detail} for r in report.rows]
    _print_table(rows, ["file", "status", "detail"])
    print("\n" + ", ".join(f"{v} {k}" for k, v in sorted(report.counts().items())))
    if report.error:
        print(f"\nerror: {report.error}", file=sys.stderr)
    elif not report.ok:
        print(f"\n{len(report.rejected)} file(s) rejected; the others were imported. Fix or remove the rejected "
              "files and import again.",
              file=sys.stderr)
    return 0 if report.ok else 1


def _short(path: str, roots: list[str]) -> str:
    """A path relative to the import folder it was found in, for readable tables."""
    p = Path(path)
    for root in roots:
        try:
            rel = p.relative_to(Path(root))
        except ValueError:
            continue
        return str(rel) if rel.parts else p.name
    return path


def _cmd_status(args: argparse.Namespace) -> int:
    from rotation.data.api import status
    from rotation.data.store import Store

    store = Store()
    rows = status(store, check=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"store: {store.root}")
        _print_table(rows, ["key", "source", "remote_id", "rows", "first", "last", "age_days", "stale", "checksum_ok"])
        spans = [r for r in rows if r.get("vintages")]
        if spans:
            print("\nreal-time vintages (observation x vintage tables; rotation.data.vintages):")
            _print_table(spans, ["key", "source", "first_vintage", "last_vintage", "vintages", "first", "last"])
        if not rows:
            print("The store is empty: run `rotation data fetch` (online) or `rotation data import DIR` (offline).")
        else:
            stale = [r["key"] for r in rows if r["stale"]]
            print("\nage_days: days since the last observation. "
                  + (f"stale (a newer observation is overdue for its frequency): {', '.join(stale)}; "
                     "refresh with `rotation data fetch KEY`" if stale else "No dataset is stale for its frequency."))
    return 0 if all(r["checksum_ok"] for r in rows) else 1


def _cmd_verify(args: argparse.Namespace) -> int:
    from rotation.data.advice import repairs
    from rotation.data.store import Store

    store = Store()
    problems = repairs(store)
    removed = store.clean() if not problems else None  # leftovers of an interrupted writer (if none is active)
    if removed:
        print(f"removed {len(removed)} file(s) left by an interrupted import or fetch (the manifest did not name them)")
    for note in store.foreign():  # links and files the store did not create: reported, never removed
        print(f"note: {note}")
    if not problems:
        n = len(store.manifest()["datasets"])
        left = store.leftovers()
        if left:
            print(f"note: {len(left)} file(s) not named by the manifest (an import or fetch is running, or was "
                  "interrupted); readers never see them and the next import removes them")
        print(f"ok: {n} datasets in {store.root}, every checksum matches (the manifest's own included)")
        return 0
    for p in problems:
        print(str(p), file=sys.stderr)
    print(f"\n{len(problems)} problem(s) in {store.root}", file=sys.stderr)
    return 1


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from rotation.data.advice import repairs
    from rotation.data.ingest import rebuild
    from rotation.data.store import Store

    store = Store()
    rows = [{"raw file": p, "remote": r, "status": st} for p, r, st in rebuild(store)]
    _print_table(rows, ["raw file", "remote", "status"])
    n = len(store.manifest()["datasets"])
    problems = repairs(store)
    print(f"\nrebuilt {n} datasets in {store.root} from raw/"
          + ("" if not problems else f"; {len(problems)} problem(s) remain"))
    for p in problems:
        print(str(p), file=sys.stderr)
    return 0 if not problems else 1


def _cmd_list(args: argparse.Namespace) -> int:
    from rotation.data.catalog import CATALOG

    rows = [{"key": d.key, "source": d.source, "remote_id": d.remote_id, "freq": d.frequency, "units": d.units}
            for d in CATALOG.values()]
    _print_table(rows, ["key", "source", "remote_id", "freq", "units"])
    return 0


def read_params_file(path: str) -> dict[str, object]:
    """The mapping in a YAML parameters file, read like ``-p`` values (dates stay strings)."""
    from rotation.errors import ParameterError
    from rotation.notebook.parameters import load_yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"parameters file {path} is not UTF-8 text (byte {exc.start}); "
                             "save it as UTF-8 and try again") from None
    except OSError as exc:
        raise ParameterError(f"cannot read parameters file {path}: {exc.strerror or exc}; check the path") from None
    loaded = load_yaml(text, f"parameters file {path}") or {}
    if not isinstance(loaded, dict):
        raise ParameterError(f"parameters file {path} must hold a mapping `name: value`, one per line; "
                             f"got {type(loaded).__name__}")
    return {str(k): v for k, v in loaded.items()}


def _cmd_run(args: argparse.Namespace) -> int:
    from rotation.errors import ParameterError
    from rotation.runner import run_notebooks

    params: dict[str, object] = read_params_file(args.file) if args.file else {}
    for item in args.param or []:
        if "=" not in item:
            raise ParameterError(f"-p takes NAME=VALUE (or NAME VALUE), got {item!r}; write e.g. -p proxy=iwm_spy")
        k, v = item.split("=", 1)
        params[k.strip()] = v
    grid_spec = params.pop("grid", None)
    if grid_spec is not None and not isinstance(grid_spec, dict):
        raise ParameterError(f"`grid` (in the -f file) must be a mapping `name: [V1, V2]`, got {grid_spec!r}; "
                             "write e.g. `grid: {proxy: [ff30_vw, iwm_spy]}`, or use --grid NAME=V1,V2")
    is_grid = bool(args.grid) or grid_spec is not None
    if not is_grid and (args.executor != "local" or args.scheduler or args.large_grid):
        from rotation.runner.grid import GRID_MAX

        what = (f"--large-grid allows a grid of more than {GRID_MAX} combinations" if args.large_grid
                else "--executor/--scheduler run the combinations of a grid")
        raise ParameterError(f"{what}; add --grid NAME=V1,V2 (or `grid:` in -f), or drop them for a plain run")
    jobs = _capped_jobs(args.jobs, args.executor)
    if is_grid:
        from rotation.runner.grid import parse_grid, run_grid

        grid = parse_grid(grid_spec or {})
        for name, values in parse_grid(args.grid or []).items():
            if name in grid:
                raise ParameterError(f"grid parameter {name!r} is both in --grid and the -f file; keep it in one place")
            grid[name] = values
        gsummary = run_grid(args.notebooks or None, grid, params=params, out=Path(args.out) if args.out else None,
                            jobs=jobs, executor=args.executor, scheduler=args.scheduler,
                            kernel_name=args.kernel, progress=not args.quiet, force=args.force,
                            allow_large=args.large_grid)
        print(gsummary.to_text())
        return _stopped(gsummary.out_dir) if gsummary.interrupted else 0 if gsummary.ok else 1
    summary = run_notebooks(args.notebooks or None, params=params, out=Path(args.out) if args.out else None,
                            jobs=1 if jobs is None else jobs, kernel_name=args.kernel,
                            progress=not args.quiet, force=args.force)
    print(summary.to_text())
    return _stopped(summary.out_dir) if summary.interrupted else 0 if summary.ok else 1


def _capped_jobs(jobs: int | None, executor: str) -> int | None:
    """``--jobs`` capped at the cores (local runs), saying so on stderr."""
    if jobs is None or executor != "local" or jobs < 1:
        return jobs  # the runner refuses jobs < 1 with its own message
    from rotation.runner.execution import cap_jobs

    capped, note = cap_jobs(jobs)
    if note:
        print(f"note: {note}", file=sys.stderr)
    return capped


def _stopped(out_dir: Path) -> int:
    """Exit status of a run a signal stopped (128 + the signal: 130 for Ctrl-C), with what was kept."""
    import signal

    from rotation.runner.interrupt import received, signal_name

    sig = received() or signal.SIGINT
    print(f"interrupted by {signal_name(sig)}: what finished is in {out_dir} (its run page says which notebooks did "
          "not finish); run again to complete it", file=sys.stderr)
    return 128 + int(sig)


def _is_option(token: str) -> bool:
    """``--out``, ``-q``... but not a negative number like ``-0.05``."""
    if not token.startswith("-"):
        return False
    try:
        float(token)
    except ValueError:
        return True
    return False


def _join_param_pairs(argv: list[str]) -> list[str]:
    """papermill's spelling ``-p NAME VALUE`` -> ``-p NAME=VALUE`` (after the ``run`` command only)."""
    if "run" not in argv:
        return argv
    out = argv[: argv.index("run") + 1]
    rest = argv[len(out):]
    i = 0
    while i < len(rest):
        tok = rest[i]
        if tok in ("-p", "--param") and i + 2 < len(rest) and "=" not in rest[i + 1] \
                and not rest[i + 1].startswith("-") and not _is_option(rest[i + 2]):
            out += [tok, f"{rest[i + 1]}={rest[i + 2]}"]
            i += 3
            continue
        out.append(tok)
        i += 1
    return out


def _cmd_results(args: argparse.Namespace) -> int:
    from rotation.present.text import format_results
    from rotation.runner.recorded import find_results, latest_run
    from rotation.runner.robustness import GRID_FILE

    if args.grid or (args.run and (Path(args.run).expanduser() / GRID_FILE).is_file()):
        from rotation.runner.robustness import format_robustness, robustness_json

        target = Path(args.run).expanduser() if args.run else latest_run()
        if args.json:
            print(json.dumps(robustness_json(target), indent=2, default=str))
        else:
            print(format_robustness(target))
        return 0
    found = find_results(args.run)
    if args.json:
        print(json.dumps({name: values for name, values in found}, indent=2, sort_keys=True))
    else:
        print(format_results(found))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from rotation.present.export import export_pdf

    path = export_pdf(Path(args.run), args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rotation", description="Small- vs large-cap research: data and notebooks.")
    p.add_argument("--offline", action="store_true", help="never touch the network (same as ROTATION_OFFLINE=1)")
    p.add_argument("--data-dir", help="the local store (same as ROTATION_DATA_DIR; default: data/ in the project)")
    sub = p.add_subparsers(dest="command", required=True)

    _add_data_commands(sub)
    _add_run_command(sub)
    _add_results_command(sub)
    ex = sub.add_parser("export", help="share a run: one PDF of the run page and every report",
                        description="Print the run page, every report and the reference pages of a run folder to "
                                    "one PDF with headless Chromium (a clear message when it is not installed).")
    ex.add_argument("run", metavar="RUN", help="a run folder written by `rotation run`")
    ex.add_argument("--pdf", action="store_true", required=True, help="write a PDF (the only format for now)")
    ex.add_argument("--out", metavar="FILE", help="where the PDF goes (default: RUN/rotation-<run>.pdf)")
    ex.set_defaults(func=_cmd_export)
    return p


def _add_data_commands(sub: Any) -> None:
    """``rotation data fetch|import|status|verify|rebuild|list``."""
    data = sub.add_parser("data", help="fetch, import, inspect and verify the local data store")
    dsub = data.add_subparsers(dest="data_command", required=True)
    f = dsub.add_parser("fetch", help="download datasets (all when no KEY is given)")
    f.add_argument("keys", nargs="*", metavar="KEY",
                   help="dataset keys or remote ids, e.g. DGS10 IWM Portfolios_Formed_on_ME")
    f.add_argument("--timeout", type=float, default=10.0,
                   help="seconds to wait for a server: to connect, and of silence while it answers (default 10)")
    f.add_argument("--retries", type=int, default=3, help="retries per file, with a doubling pause (default 3)")
    f.add_argument("--max-time", type=float, default=900.0, metavar="SECONDS",
                   help="give up after this many seconds in all (default 900); it also stops after 3 attempts in a "
                        "row that got no answer")
    f.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    f.set_defaults(func=_cmd_fetch)
    i = dsub.add_parser("import", help="import original downloaded files (folders are searched recursively)")
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("--dataset",
                   help="what the given FILE is, when its name does not say (e.g. Portfolios_Formed_on_ME_Daily)")
    i.add_argument("--end", action="append", metavar="[KEY=]DATE",
                   help="drop observations after DATE (all files, or KEY=DATE for one); repeatable. Use it to cut "
                        "an intraday last row")
    i.add_argument("--end-file", metavar="FILE",
                   help="a file of end dates, one KEY=DATE per line (e.g. tests/snapshot-cuts.txt for the offline "
                        "snapshot)")
    i.set_defaults(func=_cmd_import)
    s = dsub.add_parser("status", help="what is in the store")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=_cmd_status)
    v = dsub.add_parser("verify", help="recompute every checksum")
    v.set_defaults(func=_cmd_verify)
    rb = dsub.add_parser("rebuild",
                         help="re-create processed/ and the manifest from the raw files (repairs a damaged store)")
    rb.set_defaults(func=_cmd_rebuild)
    li = dsub.add_parser("list", help="the catalog of datasets")
    li.set_defaults(func=_cmd_list)


def _add_run_command(sub: Any) -> None:
    """``rotation run``: notebooks, parameters, grids and where they run."""
    r = sub.add_parser(
        "run", help="execute notebooks with papermill into a run folder",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Execute notebooks with papermill into a run folder (runs/<timestamp>/ or --out). "
                    "Parameters are checked (types, proxies, dates, bounds) before any kernel starts.",
        epilog="examples:\n"
               "  rotation run                                   all notebooks, default parameters\n"
               "  rotation run 01 -p proxy=iwm_spy               one notebook, one override\n"
               "  rotation run 01 -p proxy iwm_spy               papermill's spelling works too\n"
               "  rotation run 02 03 -f params.yaml --jobs 2     overrides from a YAML file (split_date: 2008-01-01)\n"
               "  rotation run 00 --out runs/mine                a chosen run folder\n"
               "  rotation run 01 --grid proxy=ff30_vw,iwm_spy --grid start=1926-07-31,2001-01-31\n"
               "                                                 every combination, one run folder each,\n"
               "                                                 and robustness.html over all of them\n"
               "  rotation run 01 --grid proxy=ff30_vw,iwm_spy --executor dask --scheduler tcp://127.0.0.1:8786\n"
               "                                                 the same on a Dask cluster")
    r.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="names like 00_data_overview, prefixes like 01, "
                   "or paths; none means all")
    r.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                   help="override a parameter (repeatable); NAME VALUE also works")
    r.add_argument("-f", "--file", help="YAML file of parameters, `name: value` per line (UTF-8)")
    r.add_argument("--jobs", type=int, default=None,
                   help="notebooks run in parallel (default 1); with --grid, combinations (default: the cores); "
                        "at most the cores")
    r.add_argument("--grid", action="append", metavar="NAME=V1,V2",
                   help="run every combination of these values (repeatable; or `grid: {name: [v1, v2]}` in -f)")
    r.add_argument("--large-grid", action="store_true",
                   help="run a grid of more than 200 combinations (refused without it; each runs its own kernel)")
    r.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where grid combinations run: local process pool (default) or a Dask cluster")
    r.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="the Dask scheduler for --executor dask")
    r.add_argument("--out", help="run folder (default runs/<timestamp>); a new, empty or earlier run folder")
    r.add_argument("--force", action="store_true",
                   help="write into a non-empty folder rotation did not create (its index.html is never overwritten)")
    r.add_argument("--kernel", help="Jupyter kernel name (default: 'rotation' if registered, else python3)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_run)


def _add_results_command(sub: Any) -> None:
    """``rotation results``: what a run or a grid recorded."""
    res = sub.add_parser(
        "results", help="print what notebooks recorded (default: the latest run)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Print the results of a run as a readable table (numbers rounded; returns are decimals, "
                    "0.012 = 1.2%%), or as JSON with --json.",
        epilog="examples:\n"
               "  rotation results                               the latest run under runs/\n"
               "  rotation results runs/20260101-120000          a run folder\n"
               "  rotation results runs/20260101-120000/01_relative_strength   one notebook of a run\n"
               "  rotation results out.ipynb                     a notebook executed by plain papermill\n"
               "  rotation results --json > results.json         for scripts\n"
               "  rotation results --grid runs/<grid>            a grid: claims x combinations, consistency")
    res.add_argument("run", nargs="?", metavar="PATH", help="run folder, notebook run folder or executed .ipynb")
    res.add_argument("--json", action="store_true", help="JSON {notebook: {name: value}} instead of a table")
    res.add_argument("--grid", action="store_true",
                     help="a grid run: each claim's verdict under every combination, with a consistency label "
                          "(the default for a folder written by `rotation run --grid`)")
    res.set_defaults(func=_cmd_results)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_join_param_pairs(list(sys.argv[1:] if argv is None else argv)))
    if args.offline:
        os.environ["ROTATION_OFFLINE"] = "1"
    if args.data_dir:
        os.environ["ROTATION_DATA_DIR"] = str(Path(args.data_dir).resolve())
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. `rotation data status | head`
        return 0
    except RotationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a filesystem refusal outside the store's own handling: no traceback
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"error: {exc.strerror or exc}{where}. Fix: check the path exists, is writable and the disk has space.",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
