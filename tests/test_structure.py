"""The layout keeps its promises: layers import downward only, no cycles, no private names across modules,
small modules and functions, and notebooks that read as papers (docs/notebooks.md)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rotation"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: Rooms, lowest first, and the rooms each may import (besides itself). docs/notebooks.md explains them.
FLOOR = {"rotation", "rotation.errors", "rotation.config", "rotation.outputs", "rotation.nbformat_loader"}
ALLOWED = {
    "floor": set(),
    "stats": {"floor"},
    "data": {"floor", "stats"},
    "studies": {"floor", "stats", "data"},
    "evidence": {"floor", "stats", "studies"},
    "present": {"floor", "stats", "data", "studies", "evidence"},
    "notebook": {"floor", "stats", "data", "studies", "evidence", "present"},
    "runner": {"floor", "stats", "data", "studies", "evidence", "present", "notebook"},
    "cli": {"floor", "stats", "data", "studies", "evidence", "present", "notebook", "runner"},
}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _room(module: str) -> str:
    if module in FLOOR:
        return "floor"
    if module == "rotation.cli":
        return "cli"
    return module.split(".")[1]


def _resolve(module: str) -> str:
    while module not in MODULES and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) for every import of rotation in the module, lazy ones included."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod == "rotation" or mod.startswith("rotation."):
                names = [a.name for a in node.names]
                targets = [f"{mod}.{n}" if f"{mod}.{n}" in MODULES else mod for n in names]
                for target in dict.fromkeys(targets):
                    out.append((_resolve(target), [n for n, t in zip(names, targets, strict=True) if t == target],
                                node.lineno))
        elif isinstance(node, ast.Import):
            out += [(_resolve(a.name), [], node.lineno) for a in node.names if a.name.startswith("rotation")]
    return out


def test_rooms_import_only_the_rooms_below_them():
    upward = []
    for name, path in MODULES.items():
        room = _room(name)
        for target, _, line in _imports(name, path):
            other = _room(target)
            if other != room and other not in ALLOWED[room]:
                upward.append(f"{path.relative_to(ROOT)}:{line} ({room}) imports {target} ({other})")
    assert not upward, "imports against the layering (docs/notebooks.md):\n" + "\n".join(upward)


def test_no_import_cycle_inside_the_package():
    graph = {name: {t for t, _, _ in _imports(name, path) if t != name} for name, path in MODULES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_no_private_name_is_imported_from_another_module():
    found = []
    for name, path in MODULES.items():
        for target, names, line in _imports(name, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            private_module = any(p.startswith("_") and not p.startswith("__") for p in target.split("."))
            if (private or private_module) and target != name:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {private or target} from {target}")
    assert not found, "\n".join(found)


def test_modules_and_functions_stay_small():
    big = []
    for name, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_MODULE_LINES:
            big.append(f"{name}: {len(lines)} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            body = node.body
            first = body[0]
            if (isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant)
                    and len(body) > 1):
                first = body[1]
            code = [s for s in lines[first.lineno - 1: node.end_lineno] if s.strip() and not s.strip().startswith("#")]
            if len(code) > MAX_FUNCTION_LINES:
                big.append(f"{name}.{node.name}: {len(code)} code lines (at most {MAX_FUNCTION_LINES})")
    assert not big, "\n".join(big)


def _code_cells(nb_path: Path) -> list[tuple[int, list[str]]]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = []
    for i, cell in enumerate(nb["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and "parameters" not in tags:
            out.append((i, [ln for ln in "".join(cell["source"]).splitlines() if ln.strip()]))
    return out


BOOKKEEPING_CALLS = ("record", "publish", "Markdown", "Evidence", "Effect", "Check", "Sample", "decide")


def bookkeeping_lines(source: str) -> int:
    """Lines of statements that record results, build prose in code or assemble evidence by hand."""
    tree = ast.parse(source)
    counted: set[int] = set()
    for stmt in tree.body:
        calls = [n for n in ast.walk(stmt) if isinstance(n, ast.Call)]
        names = {getattr(c.func, "id", None) or getattr(c.func, "attr", None) for c in calls}
        if names & set(BOOKKEEPING_CALLS):
            counted.update(range(stmt.lineno, stmt.end_lineno + 1))
    lines = source.splitlines()
    return sum(1 for i in counted if lines[i - 1].strip())


def test_bookkeeping_counter_counts_what_it_should():
    src = ('x = study(a)\nrecord("x", x)\nrecord("y", {"a": 1,\n                 "b": 2})\n'
           'display(Markdown(f"{x:.1%}"))\nplt.show()\n')
    assert bookkeeping_lines(src) == 4


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_read_as_papers(nb):
    cells = _code_cells(nb)
    problems = []
    for i, lines in cells:
        code = "\n".join(lines)
        tree = ast.parse(code)
        if any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) for n in ast.walk(tree)):
            problems.append(f"cell {i}: defines a function or class (put it in the package)")
        if len(lines) > 40:
            problems.append(f"cell {i}: {len(lines)} lines (at most 40)")
        long = [ln for ln in lines if len(ln) > 100]
        if long:
            problems.append(f"cell {i}: {len(long)} lines over 100 characters")
    assert not problems, f"{nb.name}:\n" + "\n".join(problems)


def test_bookkeeping_is_at_most_15_percent_of_notebook_code():
    total = kept = 0
    per = {}
    for nb in NOTEBOOKS:
        cells = _code_cells(nb)[1:]  # the check cell is the one line every notebook needs
        lines = sum(len(ln) for _, ln in cells)
        book = sum(bookkeeping_lines("\n".join(ln)) for _, ln in cells)
        per[nb.stem] = f"{book}/{lines}"
        total += lines
        kept += book
    assert kept <= 0.15 * total, f"bookkeeping {kept} of {total} code lines ({kept / total:.0%}): {per}"


def test_test_module_basenames_are_unique():
    """The test tree has no packages (rootdir-relative imports): two test modules with one basename stop the
    whole collection ('import file mismatch'), so a new one must take a name of its own."""
    from collections import Counter

    tests = Path(__file__).resolve().parent
    names = Counter(p.name for p in tests.rglob("test_*.py"))
    assert not [n for n, k in names.items() if k > 1], "rename one of each pair: " + ", ".join(
        str(p.relative_to(tests)) for p in sorted(tests.rglob("test_*.py")) if names[p.name] > 1)
