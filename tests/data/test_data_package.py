"""The shape of the data layer: no import cycle, a store that knows nothing of the catalog or of advice,
no private name imported across modules, small modules and functions.

Imports are read from the source (every ``import`` statement, those inside functions included),
so a lazy import that would close a cycle is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rotation.data

PACKAGE = Path(rotation.data.__file__).parent
MAX_MODULE_LINES = 500
MAX_FUNCTION_CODE_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("rotation", "data", *path.relative_to(PACKAGE).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, str]]:
    """``(module, imported name)`` of every ``rotation`` import in a module (``""`` for ``import x``)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base) if node.level else node.module or ""
            out.extend((module, a.name) for a in node.names if module.startswith("rotation"))
        elif isinstance(node, ast.Import):
            out.extend((a.name, "") for a in node.names if a.name.startswith("rotation"))
    return out


def _edges() -> dict[str, set[str]]:
    """Which ``rotation.data`` modules each ``rotation.data`` module imports."""
    edges: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        for module, imported in _imports(name, path):
            target = f"{module}.{imported}" if f"{module}.{imported}" in MODULES else module
            if target in MODULES and target != name:
                edges.setdefault(name, set()).add(target)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (a list of modules), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_modules_are_found():
    assert {"rotation.data.store", "rotation.data.store.local", "rotation.data.catalog", "rotation.data.ingest",
            "rotation.data.advice", "rotation.data.parsers.famafrench"} <= set(MODULES)


def test_the_data_layer_has_no_import_cycle():
    assert _cycle(_edges()) is None


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_store_knows_bytes_and_its_manifest_only():
    """The store imports nothing of the catalog, ingest, processing, advice or the api (only itself)."""
    edges = _edges()
    for name in MODULES:
        if name == "rotation.data.store" or name.startswith("rotation.data.store."):
            outside = {t for t in edges.get(name, ()) if not t.startswith("rotation.data.store")}
            assert not outside, f"{name} imports {sorted(outside)}"


def test_the_store_composes_no_advice():
    """What to run to repair the store is composed in rotation.data.advice, never in the store's messages."""
    for name, path in MODULES.items():
        if name.startswith("rotation.data.store"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docs = {id(node.body[0].value) for node in ast.walk(tree)
                    if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and _has_docstring(node)}
            texts = [n.value for n in ast.walk(tree)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]
            assert not [t for t in texts if "rotation data" in t or "Fix:" in t], name


def test_the_catalog_identifies_files_without_ingest():
    edges = _edges()
    # the catalog imports no other data module than its own part, the international entries, which import none
    assert edges.get("rotation.data.catalog", set()) <= {"rotation.data.catalog_intl"}
    assert edges.get("rotation.data.catalog_intl", set()) == set()


def test_no_private_name_is_imported_across_modules():
    private = [(name, module, imported) for name, path in MODULES.items() for module, imported in _imports(name, path)
               if imported.startswith("_") and not imported.startswith("__")]
    assert private == []


def _has_docstring(node: ast.AST) -> bool:
    body = getattr(node, "body", [])
    return bool(body) and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_and_functions_stay_small(name):
    path = MODULES[name]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_MODULE_LINES, f"{name} has {len(lines)} lines"
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if _has_docstring(node) and len(body) == 1:
                continue
            start = body[1].lineno if _has_docstring(node) else body[0].lineno
            code = [ln for ln in lines[start - 1 : node.end_lineno] if ln.strip() and not ln.strip().startswith("#")]
            assert len(code) <= MAX_FUNCTION_CODE_LINES, f"{name}.{node.name} has {len(code)} code lines"
