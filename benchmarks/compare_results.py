"""Compare two notebook runs' results.json files: every changed number and every lost key.

Usage::

    python benchmarks/compare_results.py OLD_RUN_DIR NEW_RUN_DIR [--map benchmarks/results_keymap.json]

``OLD_RUN_DIR`` / ``NEW_RUN_DIR`` are ``rotation run --out`` folders (one sub-folder per
notebook, each with a ``results.json``) or single notebook folders or results.json files.

Both trees are flattened to leaf paths: nested dict keys are joined with ``.`` and list
items get ``[i]`` (``"breakouts.fwd12m.ci[0]"``). Each old path is renamed with the
first matching entry of the key map (full-match regular expression ``old`` -> template
``new`` with ``\\1``-style groups; every entry has a ``why``), then looked up in the new
run. Reported:

* **lost**: an old path (after renaming) with no value in the new run;
* **changed**: a number that differs by more than ``--rtol`` (default 1e-12) relative
  (``|a - b| <= rtol * max(|a|, |b|)``), or any other value that is not equal;
* new paths are counted, not reported (new keys are allowed).

Exit status 0 when nothing was lost or changed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Any


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf paths of a JSON tree: dict keys joined with '.', list items as '[i]'."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        if not value:
            out[prefix] = []
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def load_keymap(path: Path | None) -> list[tuple[re.Pattern[str], str, str]]:
    """The key map's renames as (compiled pattern, template, why); every entry needs a why."""
    if path is None:
        return []
    data = json.loads(path.read_text())
    renames = []
    for i, entry in enumerate(data.get("renames", [])):
        if not entry.get("why"):
            raise SystemExit(f"{path}: renames[{i}] ({entry.get('old')!r}) has no 'why'")
        renames.append((re.compile(entry["old"]), entry["new"], entry["why"]))
    return renames


def rename(path: str, renames: list[tuple[re.Pattern[str], str, str]]) -> str:
    for pattern, template, _ in renames:
        m = pattern.fullmatch(path)
        if m:
            return m.expand(template)
    return path


def same(a: Any, b: Any, rtol: float) -> bool:
    num = (int, float)
    if isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool) and not isinstance(b, bool):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return abs(a - b) <= rtol * max(abs(a), abs(b))
    return a == b


RECORD_MIME = "application/vnd.rotation.record+json"


def result_files(folder: Path) -> dict[str, Path]:
    """{notebook: results.json} under a run folder (or one notebook folder / file)."""
    if folder.is_file():
        return {folder.parent.name: folder}
    if (folder / "results.json").is_file():
        return {folder.name: folder / "results.json"}
    return {p.parent.name: p for p in sorted(folder.glob("*/results.json"))}


def load_results(path: Path) -> dict[str, Any]:
    """A results.json; when it is empty, the records kept as outputs of the executed notebook beside it.

    ``rotation.notebook.record.record`` also displays each value with the MIME type
    ``application/vnd.rotation.record+json`` (``{"name", "value"}``); the last value of a
    name wins, as in the runner.
    """
    data = json.loads(path.read_text())
    if data:
        return data
    for nb_path in sorted(path.parent.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text())
        out: dict[str, Any] = {}
        for cell in nb.get("cells", []):
            for o in cell.get("outputs", []):
                payload = o.get("data", {}).get(RECORD_MIME)
                if payload is not None:
                    out[payload["name"]] = payload["value"]
        if out:
            print(f"  ({path} is empty: read {len(out)} records from {nb_path.name})")
            return out
    return data


def compare(old: dict[str, Any], new: dict[str, Any], renames, rtol: float) -> dict[str, list]:
    """lost / changed / new paths between two flattened trees."""
    fo, fn = flatten(old), flatten(new)
    lost, changed, used = [], [], set()
    for path, value in fo.items():
        target = rename(path, renames)
        if target not in fn:
            lost.append((path, target, value))
            continue
        used.add(target)
        if not same(value, fn[target], rtol):
            changed.append((path, target, value, fn[target]))
    added = sorted(set(fn) - used)
    return {"lost": lost, "changed": changed, "new": added}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--map", type=Path, action="append", default=[],
                    help="key map JSON (old -> new renames with a why); repeat to combine maps, the first match wins")
    ap.add_argument("--rtol", type=float, default=1e-12)
    args = ap.parse_args(argv)
    renames = [r for path in args.map for r in load_keymap(path)]
    old_files, new_files = result_files(args.old), result_files(args.new)
    if not old_files:
        raise SystemExit(f"no results.json under {args.old}")
    bad = 0
    for nb, old_path in old_files.items():
        new_path = new_files.get(nb)
        if new_path is None:
            print(f"{nb}: LOST the whole notebook (no results.json under {args.new})")
            bad += 1
            continue
        old_data, new_data = load_results(old_path), load_results(new_path)
        res = compare(old_data, new_data, renames, args.rtol)
        n_old = len(flatten(old_data))
        print(f"{nb}: {n_old} old leaves, {len(res['lost'])} lost, {len(res['changed'])} changed, "
              f"{len(res['new'])} new")
        for path, target, value in res["lost"]:
            print(f"  lost     {path}" + (f" (-> {target})" if target != path else "") + f" = {value!r}")
        for path, target, a, b in res["changed"]:
            print(f"  changed  {path}" + (f" (-> {target})" if target != path else "") + f": {a!r} -> {b!r}")
        bad += len(res["lost"]) + len(res["changed"])
    print("clean: no lost or changed numbers" if bad == 0 else f"NOT clean: {bad} problems")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
