"""Notebook parameters: declarations, types, and the project's value rules -- in one place.

The runner (``rotation run``, before any kernel starts) and each notebook (the cell right
after its ``parameters`` cell) apply the same rules::

    from rotation.notebook.parameters import check_parameters
    check_parameters(globals())

A ``parameters`` cell holds defaults only, one per line, typed, with a trailing comment::

    start: str = "1926-07-01"   # first month of the sample
    horizons: list[int] = [1, 3, 12]  # holding periods in months
    min_gap = 6                 # type inferred from the default: int

Supported types: ``str``, ``int``, ``float``, ``bool``, ``list[str]``, ``list[int]``,
``list[float]``, each optionally ``| None``.  The declarations are read with the
standard-library ``ast`` (the same names papermill's ``inspect_notebook`` finds --
``tests/test_notebooks.py`` checks they agree -- plus help comments written on the line
above and ``Optional[...]`` annotations, which papermill's line regex misses).

Rules on top of the types (:mod:`rotation.notebook.rules`, applied by :func:`check_value` and
:func:`check_relations`): value lengths, int bounds, finite floats, proxies, dates, and the bounds,
choices and item checks the notebooks' studies enforce, each declared once by parameter name.
"""

from __future__ import annotations

import ast
import datetime as _dt
import io
import re
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rotation.errors import ParameterError
from rotation.notebook.rules import (
    INT_MAX,
    RULES,
    SEED_MAX,
    TEXT_MAX,
    check_relations,
    check_value,
    did_you_mean,
    is_date_name,
    shown,
)

__all__ = [
    "ParamSpec", "parse_parameters_source", "from_text", "convert", "check_value", "load_yaml",
    "did_you_mean", "check_parameters", "check_relations", "INT_MAX", "SEED_MAX", "TEXT_MAX",
]

_SCALARS = ("str", "int", "float", "bool")
_LIST_ITEMS = ("str", "int", "float")
_NONE_WORDS = {"none", "null", "~"}
INJECTED_HEADER = "# Parameters"
"""First line of the cell papermill injects after the ``parameters`` cell."""


@dataclass(frozen=True)
class ParamSpec:
    """One parameter declared in a notebook's ``parameters`` cell.

    Attributes
    ----------
    name : str
    type : str
        Display form, e.g. ``"int"``, ``"list[float]"``, ``"str | None"``.
    kind : str
        ``"str"``, ``"int"``, ``"float"``, ``"bool"`` or ``"list"``.
    item : str or None
        Element type of a list (``"str"``, ``"int"``, ``"float"``).
    optional : bool
        None is allowed.
    default
        The default value (a Python literal); None when ``default_source`` is not a literal.
    help : str
        The comment after the assignment (or on the line above it).
    default_source : str
        The default as written in the cell.
    """

    name: str
    type: str
    kind: str
    item: str | None
    optional: bool
    default: Any
    help: str = ""
    default_source: str = ""
    literal_default: bool = True


# --------------------------------------------------------------------------- declarations


def _type_name(kind: str, item: str | None, optional: bool) -> str:
    base = f"list[{item}]" if kind == "list" else kind
    return f"{base} | None" if optional else base


def _parse_annotation(node: ast.expr) -> tuple[str, str | None, bool]:
    """(kind, item, optional) of a supported annotation; raises ValueError otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _parse_annotation(ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.Name) and node.id in _SCALARS:
        return node.id, None, False
    if isinstance(node, ast.Name) and node.id in ("list", "List"):
        return "list", None, False  # element type inferred from the default
    if isinstance(node, ast.Subscript):
        head = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", None)
        if head in ("list", "List") and isinstance(node.slice, ast.Name) and node.slice.id in _LIST_ITEMS:
            return "list", node.slice.id, False
        if head == "Optional":
            kind, item, _ = _parse_annotation(node.slice)
            return kind, item, True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left_none = isinstance(node.left, ast.Constant) and node.left.value is None
        right_none = isinstance(node.right, ast.Constant) and node.right.value is None
        if right_none != left_none:
            kind, item, _ = _parse_annotation(node.left if right_none else node.right)
            return kind, item, True
    raise ValueError(ast.unparse(node))


def _infer_item(values: Sequence[Any]) -> str | None:
    if not values:
        return None
    if all(isinstance(v, str) for v in values):
        return "str"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "float"
    return None


def _infer_type(value: Any) -> tuple[str, str | None, bool] | None:
    for kind in ("bool", "int", "float", "str"):
        if type(value).__name__ == kind:
            return kind, None, False
    if isinstance(value, (list, tuple)):
        item = _infer_item(value)
        return ("list", item, False) if item else None
    return None


def _comments(source: str) -> dict[int, tuple[str, bool]]:
    """line -> (comment text, whether the comment is alone on its line)."""
    out: dict[int, tuple[str, bool]] = {}
    lines = source.splitlines()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                line = tok.start[0]
                alone = not lines[line - 1][: tok.start[1]].strip()
                out[line] = (tok.string.lstrip("#").strip(), alone)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def _declared_type(name: str, annotation: ast.expr | None, default: Any, literal: bool, source: str,
                   notebook: str) -> tuple[str, str | None, bool]:
    if annotation is not None:
        try:
            kind, item, optional = _parse_annotation(annotation)
        except (ValueError, SyntaxError):
            raise ParameterError(
                f"parameter {name!r} of {notebook} has unsupported type {ast.unparse(annotation)!r}; "
                "use str, int, float, bool, list[str], list[int] or list[float] (optionally `| None`)"
            ) from None
        if kind == "list" and item is None:
            item = _infer_item(default) if literal and isinstance(default, list) else None
            if item is None:
                raise ParameterError(
                    f"parameter {name!r} of {notebook}: write the element type, e.g. `{name}: list[int] = ...`"
                )
        return kind, item, optional
    inferred = _infer_type(default) if literal else None
    if inferred is None:
        shown = repr(default) if literal else repr(source)
        raise ParameterError(
            f"cannot tell the type of parameter {name!r} of {notebook} from its default {shown}; "
            f"annotate it, e.g. `{name}: str | None = None` or `{name}: list[int] = []`"
        )
    return inferred


def parse_parameters_source(source: str, notebook: str = "notebook") -> dict[str, ParamSpec]:
    """Parameters declared in the source of a ``parameters`` cell (see the module docstring).

    Raises
    ------
    ParameterError
        Invalid Python, an unsupported type, a missing default, or a default of the wrong type.
    """
    # IPython magics and shell lines are not Python; blank them but keep line numbers.
    clean = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    try:
        tree = ast.parse(clean)
    except SyntaxError as exc:
        raise ParameterError(
            f"the parameters cell of {notebook} is not valid Python (line {exc.lineno}: {exc.msg}); fix the cell"
        ) from None
    comments = _comments(clean)
    specs: dict[str, ParamSpec] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation, value_node = node.target.id, node.annotation, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, annotation, value_node = node.targets[0].id, None, node.value
        else:
            continue
        if value_node is None:
            raise ParameterError(
                f"parameter {name!r} of {notebook} has no default; write e.g. `{name}: int = 0` in the parameters cell"
            )
        default_source = ast.unparse(value_node)
        try:
            default, literal = ast.literal_eval(value_node), True
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            default, literal = None, False
        if isinstance(default, tuple):
            default = list(default)
        kind, item, optional = _declared_type(name, annotation, default, literal, default_source, notebook)
        line_comment = comments.get(node.end_lineno or node.lineno)
        above = comments.get(node.lineno - 1)
        help_text = (line_comment[0] if line_comment and not line_comment[1]
                     else above[0] if above and above[1] else "")
        spec = ParamSpec(name=name, type=_type_name(kind, item, optional), kind=kind, item=item, optional=optional,
                         default=default, help=help_text, default_source=default_source, literal_default=literal)
        if literal:
            try:
                spec = replace(spec, default=convert(spec, default, notebook))
            except ParameterError:
                raise ParameterError(
                    f"the default of parameter {name!r} of {notebook} is {default!r} "
                    f"({type(default).__name__}) but it is declared {spec.type}; fix the parameters cell"
                ) from None
        specs.pop(name, None)  # re-declared: the later one wins, keep its position
        specs[name] = spec
    return specs


# --------------------------------------------------------------------------- values


def _yaml_loader() -> Any:
    """A SafeLoader without timestamp resolution: ``2024-01-01`` stays a string."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def load_yaml(text: str, what: str) -> Any:
    """Parse YAML text the one way the project does (``-p`` values and ``-f`` files alike).

    Dates stay strings (``split_date: 2008-01-01`` -> ``"2008-01-01"``), so a file and the
    command line give the same value.  ``what`` names the input in errors.
    """
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"{what}: cannot parse {shown(text)} as YAML ({problem})") from None


_EXPONENT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def _number(value: Any, kind: str | None) -> Any:
    """A float written in exponent notation (``2e-2``: YAML 1.1 reads it as a string) as a float."""
    if kind == "float" and isinstance(value, str) and _EXPONENT.fullmatch(value.strip()):
        return float(value)
    if isinstance(value, list):
        return [_number(v, kind) for v in value]
    return value


def from_text(spec: ParamSpec, text: str, notebook: str) -> Any:
    """Interpret a command-line string for ``spec`` (YAML, except ``str`` keeps the raw text).

    Floats may use exponent notation (``2e-2``); a text over :data:`TEXT_MAX` characters is refused.
    """
    what = f"parameter {spec.name!r} of {notebook}"
    if len(text) > TEXT_MAX:
        raise ParameterError(f"{what} is {len(text):,} characters long, more than {TEXT_MAX:,}; give a shorter value "
                             f"(it starts {shown(text[:40])})")
    if spec.optional and text.strip().lower() in _NONE_WORDS:
        return None
    if spec.kind == "str":
        return text
    if spec.kind == "list":
        stripped = text.strip()
        if stripped.startswith("["):
            return _number(load_yaml(stripped, what), spec.item)
        if not stripped:
            return []
        parts = [p.strip() for p in stripped.split(",")]
        return parts if spec.item == "str" else [_number(load_yaml(p, what), spec.item) for p in parts]
    return _number(load_yaml(text, what), spec.kind)


def convert(spec: ParamSpec, value: Any, notebook: str) -> Any:
    """``value`` converted to ``spec``'s type (a date becomes its ISO string), or ParameterError."""

    def fail() -> ParameterError:
        return ParameterError(
            f"parameter {spec.name!r} of {notebook} must be {spec.type}, got {shown(value)} ({type(value).__name__})"
        )

    def scalar(kind: str, v: Any) -> Any:
        if kind == "str" and isinstance(v, _dt.date):
            return v.isoformat()[:10] if not isinstance(v, _dt.datetime) or v.time() == _dt.time(0) else v.isoformat()
        if kind == "str" and isinstance(v, str):
            return str(v)
        if kind == "bool" and isinstance(v, bool):
            return bool(v)
        if kind == "int" and isinstance(v, int) and not isinstance(v, bool):
            return int(v)
        if kind == "float" and isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        raise fail()

    if value is None:
        if spec.optional:
            return None
        raise fail()
    if spec.kind == "list":
        if not isinstance(value, (list, tuple)):
            raise fail()
        return [scalar(spec.item or "str", v) for v in value]
    return scalar(spec.kind, value)


def unknown_name(name: str, specs: Mapping[str, ParamSpec], notebook: str) -> ParameterError:
    """The error for a parameter ``notebook`` does not declare."""
    known = ", ".join(specs) if specs else "(none)"
    return ParameterError(
        f"unknown parameter {shown(name)} for {notebook}{did_you_mean(name, list(specs))}; its parameters are: {known}"
    )


# --------------------------------------------------------------------------- inside the notebook


def _history() -> list[str]:
    """Sources of the cells executed so far in this IPython session (oldest first), or []."""
    from rotation.outputs import current_shell

    shell = current_shell(kernel=False)
    return list((shell.user_ns.get("In") or [])[1:]) if shell is not None else []


def _declarations(history: Sequence[str]) -> tuple[str | None, str | None]:
    """(parameters cell source, injected cell source or None) found walking back from the cell before this one."""
    injected = None
    for source in reversed(history[:-1]):
        if source.lstrip().startswith(INJECTED_HEADER):
            injected = injected or source
            continue
        try:
            tree = ast.parse("\n".join("" if s.lstrip().startswith(("%", "!")) else s for s in source.splitlines()))
        except SyntaxError:
            continue
        body = tree.body
        if body and all(isinstance(n, (ast.Assign, ast.AnnAssign)) for n in body) and any(
                isinstance(n, ast.AnnAssign) for n in body):
            return source, injected
    return None, injected


def _assigned_names(source: str) -> list[str]:
    tree = ast.parse(source)
    return [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]


def _select_inline_backend() -> None:
    """Show figures in the notebook whatever MPLBACKEND says (Agg alone would drop them silently)."""
    from rotation.outputs import current_shell

    shell = current_shell()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")


def _show_results() -> None:
    """Let the running IPython show result objects as formatted tables (:func:`rotation.present.tables.register`)."""
    from rotation.outputs import current_shell

    shell = current_shell(kernel=False)
    if shell is not None:
        from rotation.present.tables import register

        register(shell)


def check_parameters(namespace: Mapping[str, Any], notebook: str = "this notebook") -> None:
    """Check the notebook's parameter values; call it in the cell right after the parameters cell.

    ``check_parameters(globals())`` finds the declarations (the ``parameters`` cell) and any
    cell papermill injected after it in IPython's ``In`` history, then

    * rejects injected names the notebook does not declare (papermill only warns
      "Passed unknown parameter" and runs with the defaults);
    * checks each declared value's type and the project's rules (valid proxies, ISO
      dates, int bounds: see the module docstring);
    * selects the inline matplotlib backend (figures appear under any ``MPLBACKEND``);
    * records which interpreter runs the kernel (``sys.executable``) for the run manifest.

    Outside IPython (no history) only the rules that depend on the name are applied to
    the values of ``namespace``.

    Raises
    ------
    ParameterError
        The first wrong parameter: its name, the rule, the value and the valid choices.
    """
    __tracebackhide__ = True  # noqa: F841
    from rotation.outputs import note_kernel

    history = _history()
    declared_source, injected = _declarations(history) if history else (None, None)
    if declared_source is not None:
        specs = parse_parameters_source(declared_source, notebook)
        for name in _assigned_names(injected) if injected else []:
            if name not in specs:
                raise unknown_name(name, specs, notebook)
        values = {name: convert(spec, namespace[name], notebook) for name, spec in specs.items() if name in namespace}
        for name, value in values.items():
            check_value(specs[name], value, notebook)
        check_relations(values, notebook)
    else:
        for name, value in namespace.items():
            inferred = _infer_type(value) if not name.startswith("_") else None
            if inferred is not None and (name in ("proxy", "seed") or name.endswith("_proxy") or is_date_name(name)
                                         or name in RULES):
                kind, item, _ = inferred
                check_value(ParamSpec(name, _type_name(kind, item, False), kind, item, False, value), value, notebook)
    _select_inline_backend()
    _show_results()
    note_kernel()
