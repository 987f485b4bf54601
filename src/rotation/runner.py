"""Execute the research notebooks with papermill and collect what they report.

One run writes a folder (``runs/<YYYYmmdd-HHMMSS>/`` or ``out``) with::

    index.html                      table of notebooks, status, links, parameters
    <stem>/<stem>.ipynb             the executed notebook
    <stem>/<stem>.html              the same, rendered (nbconvert)
    <stem>/results.json             numbers the notebook recorded with rotation.report.record
    <stem>/manifest.json            parameters, status, error, timing, git commit, versions, data

Notebook parameters are declared in the first code cell tagged ``parameters``::

    start: str = "1926-07-01"   # first month of the sample
    horizons: list[int] = [1, 3, 12]  # holding periods in months
    min_gap = 6                 # type inferred from the default: int

Supported types: ``str``, ``int``, ``float``, ``bool``, ``list[str]``, ``list[int]``,
``list[float]``, each optionally ``| None``.  All overrides are validated for all
selected notebooks before anything executes.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import contextlib
import datetime as _dt
import html
import io
import json
import multiprocessing
import os
import platform
import re
import subprocess
import sys
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterator, Mapping, Sequence

from rotation import config
from rotation.errors import ParameterError, RotationError

__all__ = [
    "ParamSpec",
    "NotebookError",
    "NotebookPaths",
    "NotebookResult",
    "RunSummary",
    "list_notebooks",
    "resolve_notebook",
    "notebook_parameters",
    "parse_parameters_source",
    "coerce_parameters",
    "plan_parameters",
    "resolve_kernel",
    "run_notebooks",
]

_NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
_SCALARS = ("str", "int", "float", "bool")
_LIST_ITEMS = ("str", "int", "float")
_NONE_WORDS = {"none", "null", "~"}
_PACKAGES = (
    "pandas",
    "numpy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "papermill",
    "pandas-datareader",
    "pyarrow",
    "arch",
    "nbconvert",
    "ipykernel",
    "rotation",
)
# Headless plotting in the kernels.  The inline backend renders with Agg (no GUI) *and*
# puts figures into the executed notebook; plain "Agg" would silently drop every figure
# from the notebooks, because ipykernel only installs the inline backend when MPLBACKEND
# is unset.
KERNEL_MPLBACKEND = "module://matplotlib_inline.backend_inline"


# --------------------------------------------------------------------------- notebooks


def _nb_dir(notebooks_dir: Path | str | None) -> Path:
    return Path(notebooks_dir) if notebooks_dir is not None else config.notebooks_dir()


def list_notebooks(notebooks_dir: Path | str | None = None) -> list[Path]:
    """The notebooks ``NN_*.ipynb`` of ``notebooks_dir`` (default: the project's), sorted by name."""
    folder = _nb_dir(notebooks_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(_NOTEBOOK_GLOB) if p.is_file())


def resolve_notebook(name: str | Path, notebooks_dir: Path | str | None = None) -> Path:
    """Find a notebook by stem (``00_data_overview``), file name, unique prefix (``00``) or path.

    Raises
    ------
    ParameterError
        Unknown or ambiguous name; the message lists the available notebooks.
    """
    text = str(name).strip()
    if not text:
        raise ParameterError("empty notebook name; " + _available(notebooks_dir))
    candidate = Path(text).expanduser()
    if candidate.suffix == ".ipynb" and candidate.is_file() and (
        candidate.is_absolute() or os.sep in text or "/" in text or not (_nb_dir(notebooks_dir) / text).is_file()
    ):
        return candidate.resolve()
    notebooks = list_notebooks(notebooks_dir)
    stem = text[: -len(".ipynb")] if text.endswith(".ipynb") else text
    for nb in notebooks:
        if nb.stem == stem:
            return nb.resolve()
    matches = [nb for nb in notebooks if nb.stem.startswith(stem)]
    if len(matches) == 1:
        return matches[0].resolve()
    if len(matches) > 1:
        names = ", ".join(nb.stem for nb in matches)
        raise ParameterError(f"notebook name {text!r} is ambiguous: it matches {names}; give more of the name")
    raise ParameterError(f"unknown notebook {text!r}; " + _available(notebooks_dir))


def _available(notebooks_dir: Path | str | None) -> str:
    notebooks = list_notebooks(notebooks_dir)
    if not notebooks:
        return f"there are no NN_*.ipynb notebooks in {_nb_dir(notebooks_dir)}"
    return "available notebooks: " + ", ".join(nb.stem for nb in notebooks)


# --------------------------------------------------------------------------- parameters


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
        if right_none and not left_none:
            kind, item, _ = _parse_annotation(node.left)
            return kind, item, True
        if left_none and not right_none:
            kind, item, _ = _parse_annotation(node.right)
            return kind, item, True
    raise ValueError(ast.unparse(node))


def _infer_type(value: Any) -> tuple[str, str | None, bool] | None:
    if isinstance(value, bool):
        return "bool", None, False
    if isinstance(value, int):
        return "int", None, False
    if isinstance(value, float):
        return "float", None, False
    if isinstance(value, str):
        return "str", None, False
    if isinstance(value, (list, tuple)):
        item = _infer_item(value)
        return ("list", item, False) if item else None
    return None


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


def _parameters_cell(nb: Any) -> str | None:
    for cell in nb.cells:
        if cell.get("cell_type") == "code" and "parameters" in (cell.get("metadata", {}).get("tags") or []):
            return cell.source if isinstance(cell.source, str) else "".join(cell.source)
    return None


def parse_parameters_source(source: str, notebook: str = "notebook") -> dict[str, ParamSpec]:
    """Parameters declared in the source of a ``parameters`` cell (see the module docstring)."""
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
            default = ast.literal_eval(value_node)
            literal = True
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            default, literal = None, False
        if isinstance(default, tuple):
            default = list(default)

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
        else:
            if not literal:
                raise ParameterError(
                    f"cannot tell the type of parameter {name!r} of {notebook} from its default "
                    f"{default_source!r}; annotate it, e.g. `{name}: str = ...`"
                )
            inferred = _infer_type(default)
            if inferred is None:
                raise ParameterError(
                    f"cannot tell the type of parameter {name!r} of {notebook} from its default {default!r}; "
                    f"annotate it, e.g. `{name}: str | None = None` or `{name}: list[int] = []`"
                )
            kind, item, optional = inferred

        line_comment = comments.get(node.end_lineno or node.lineno)
        above = comments.get(node.lineno - 1)
        if line_comment and not line_comment[1]:
            help_text = line_comment[0]
        elif above and above[1]:
            help_text = above[0]
        else:
            help_text = ""
        spec = ParamSpec(
            name=name,
            type=_type_name(kind, item, optional),
            kind=kind,
            item=item,
            optional=optional,
            default=default,
            help=help_text,
            default_source=default_source,
            literal_default=literal,
        )
        if literal:
            try:
                spec = _replace_default(spec, _check(spec, default, notebook))
            except ParameterError:
                raise ParameterError(
                    f"the default of parameter {name!r} of {notebook} is {default!r} "
                    f"({type(default).__name__}) but it is declared {spec.type}; fix the parameters cell"
                ) from None
        specs.pop(name, None)  # re-declared: the later one wins, keep its position
        specs[name] = spec
    return specs


def _replace_default(spec: ParamSpec, default: Any) -> ParamSpec:
    from dataclasses import replace

    return replace(spec, default=default)


def notebook_parameters(path: Path | str) -> dict[str, ParamSpec]:
    """Parameters declared in the first code cell tagged ``parameters`` ({} when there is none)."""
    import nbformat

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise ParameterError(f"notebook {path} does not exist") from None
    except Exception as exc:  # nbformat raises several types for damaged files
        raise RotationError(f"cannot read notebook {path}: {exc}") from exc
    source = _parameters_cell(nb)
    if source is None:
        return {}
    return parse_parameters_source(source, path.stem)


# Safe YAML without timestamp resolution: "2024-01-01" stays a string.
try:
    import yaml as _yaml

    class _Loader(_yaml.SafeLoader):
        pass

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
except ImportError:  # pragma: no cover - pyyaml is a dependency
    _yaml = None  # type: ignore[assignment]


def _yaml_load(text: str, name: str, notebook: str) -> Any:
    if _yaml is None:  # pragma: no cover
        return text
    try:
        return _yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"parameter {name!r} of {notebook}: cannot parse {text!r} ({problem})") from None


def _from_text(spec: ParamSpec, text: str, notebook: str) -> Any:
    """Interpret a command-line string for ``spec``."""
    if spec.optional and text.strip().lower() in _NONE_WORDS:
        return None
    if spec.kind == "str":
        return text
    if spec.kind == "list":
        stripped = text.strip()
        if stripped.startswith("["):
            return _yaml_load(stripped, spec.name, notebook)
        if not stripped:
            return []
        parts = [p.strip() for p in stripped.split(",")]
        if spec.item == "str":
            return parts
        return [_yaml_load(p, spec.name, notebook) for p in parts]
    return _yaml_load(text, spec.name, notebook)


def _check(spec: ParamSpec, value: Any, notebook: str) -> Any:
    """``value`` converted to ``spec``'s type, or ParameterError."""

    def fail() -> ParameterError:
        return ParameterError(
            f"parameter {spec.name!r} of {notebook} must be {spec.type}, got {value!r} ({type(value).__name__})"
        )

    def scalar(kind: str, v: Any) -> Any:
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


def coerce_parameters(path: Path | str, raw: Mapping[str, object]) -> dict[str, object]:
    """Validate and convert overrides for one notebook.

    Strings (as given on a command line) are parsed as YAML first (``"12"`` -> 12,
    ``"true"`` -> True, ``"[1, 3]"`` -> [1, 3], ``"1,3"`` -> [1, 3] for list types)
    except for ``str`` parameters, which keep the raw text (dates stay strings).
    ``"null"``/``"none"`` give None for optional parameters.  An int is accepted for a
    float parameter.

    Returns
    -------
    dict
        Only the given names, converted.

    Raises
    ------
    ParameterError
        Unknown name (the message lists the notebook's parameters) or a value of the wrong type.
    """
    path = Path(path)
    specs = notebook_parameters(path)
    out: dict[str, object] = {}
    for name, value in raw.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(specs) if specs else "(none)"
            raise ParameterError(f"unknown parameter {name!r} for {path.stem}; its parameters are: {known}")
        if isinstance(value, str):
            value = _from_text(spec, value, path.stem)
        out[name] = _check(spec, value, path.stem)
    return out


def plan_parameters(
    notebooks: Sequence[Path], params: Mapping[str, object] | None
) -> list[tuple[dict[str, object], dict[str, object]]]:
    """For each notebook: (overrides it receives, effective parameters = defaults + overrides).

    A name applies to every selected notebook that declares it; a name that no selected
    notebook declares is an error.  Everything is validated before returning.
    """
    params = dict(params or {})
    specs = [notebook_parameters(nb) for nb in notebooks]
    if len(notebooks) == 1:
        coerce_parameters(notebooks[0], params)  # the single-notebook error message
    for name in params:
        if not any(name in s for s in specs):
            declared = sorted({n for s in specs for n in s})
            nbs = ", ".join(nb.stem for nb in notebooks)
            raise ParameterError(
                f"unknown parameter {name!r}: none of the selected notebooks ({nbs}) declares it; "
                f"their parameters are: {', '.join(declared) if declared else '(none)'}"
            )
    plan = []
    for nb, spec in zip(notebooks, specs):
        mine = {k: v for k, v in params.items() if k in spec}
        overrides = coerce_parameters(nb, mine)
        effective = {
            name: (s.default if s.literal_default else s.default_source) for name, s in spec.items()
        }
        effective.update(overrides)
        plan.append((overrides, effective))
    return plan


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NotebookError:
    """Where and how a notebook failed.

    ``cell_index`` is the 0-based index of the failing cell in the *source* notebook
    (None when unknown, e.g. a timeout or a dead kernel); ``exec_count`` is its
    ``In [n]`` number in the executed notebook.
    """

    notebook: str
    cell_index: int | None
    ename: str
    evalue: str
    exec_count: int | None = None
    cell_source: str = ""
    traceback: str = ""

    def describe(self) -> str:
        where = f"cell {self.cell_index}" if self.cell_index is not None else "an unknown cell"
        if self.exec_count is not None:
            where += f" (In [{self.exec_count}])"
        first = self.evalue.strip().splitlines()[0] if self.evalue.strip() else ""
        return f"{self.notebook} failed at {where}: {self.ename}" + (f": {first}" if first else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "notebook": self.notebook,
            "cell_index": self.cell_index,
            "exec_count": self.exec_count,
            "ename": self.ename,
            "evalue": self.evalue,
            "cell_source": self.cell_source,
            "traceback": self.traceback,
        }


@dataclass(frozen=True)
class NotebookPaths:
    """Files of one notebook in a run folder."""

    folder: Path
    ipynb: Path
    html: Path
    results: Path
    manifest: Path


@dataclass(frozen=True)
class NotebookResult:
    """Outcome of one notebook: ``status`` is ``"ok"`` or ``"failed"``."""

    name: str
    notebook: Path
    status: str
    seconds: float
    error: NotebookError | None
    paths: NotebookPaths
    parameters: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class RunSummary:
    """Outcome of :func:`run_notebooks`; ``results`` follow the notebook order."""

    out_dir: Path
    results: tuple[NotebookResult, ...]
    parameters: dict[str, Any] = field(default_factory=dict)
    kernel: str = ""

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def failed(self) -> list[NotebookResult]:
        return [r for r in self.results if not r.ok]

    @property
    def index_html(self) -> Path:
        return self.out_dir / "index.html"

    def to_text(self) -> str:
        """A plain-text table, then one line per failure naming the notebook and cell."""
        width = max([len("notebook")] + [len(r.name) for r in self.results])
        lines = [f"{'notebook':<{width}}  status   seconds", f"{'-' * width}  ------  --------"]
        for r in self.results:
            status = "ok" if r.ok else "FAILED"
            lines.append(f"{r.name:<{width}}  {status:<6}  {r.seconds:8.1f}")
        for r in self.failed:
            if r.error is not None:
                lines.append(r.error.describe())
        n_failed = len(self.failed)
        lines.append(
            f"{len(self.results) - n_failed} ok, {n_failed} failed; report: {self.index_html}"
        )
        return "\n".join(lines)


# --------------------------------------------------------------------------- environment


def resolve_kernel(kernel_name: str | None = None) -> str:
    """The kernel to use: the argument, ``ROTATION_KERNEL``, ``rotation`` if installed, else ``python3``."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    name = kernel_name or os.environ.get("ROTATION_KERNEL") or ("rotation" if "rotation" in specs else "python3")
    if name not in specs:
        installed = ", ".join(sorted(specs)) or "(none)"
        raise ParameterError(
            f"Jupyter kernel {name!r} is not installed (installed: {installed}); install it with "
            f"`python -m ipykernel install --user --name {name}` from the project environment, "
            "or choose another with --kernel / ROTATION_KERNEL"
        )
    return name


def _git_info(root: Path) -> dict[str, Any] | None:
    """{"commit": sha, "dirty": bool} of the checkout, or None when it is not a git repository."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "--no-optional-locks", *args], cwd=root, capture_output=True, text=True, timeout=20, check=False
        )

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return None
        status = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
    return {"commit": head.stdout.strip(), "dirty": dirty}


def _package_versions() -> dict[str, str]:
    from importlib import metadata

    out: dict[str, str] = {}
    for dist in _PACKAGES:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def _data_summary() -> tuple[Any, str | None]:
    """(rotation.data.store_summary() as JSON, None) or (None, why not)."""
    try:
        from rotation import data as _data

        summary = _data.store_summary
    except (ImportError, AttributeError):
        return None, None
    try:
        from rotation.report import to_jsonable

        return to_jsonable(summary(), "data"), None
    except Exception as exc:  # noqa: BLE001 - a broken store must not fail the run
        return None, f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def _kernel_environment() -> Iterator[dict[str, str]]:
    """Set the variables the kernels inherit; restore the old values afterwards."""
    wanted = {"ROTATION_RUN": "1", "MPLBACKEND": KERNEL_MPLBACKEND}
    if "PYTHONHASHSEED" not in os.environ:
        wanted["PYTHONHASHSEED"] = "0"  # deterministic set/dict-of-str ordering in the kernels
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield wanted
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# --------------------------------------------------------------------------- execution


@dataclass(frozen=True)
class _Job:
    notebook: Path
    folder: Path
    overrides: dict[str, Any]
    effective: dict[str, Any]
    kernel: str
    timeout: int | None
    git: dict[str, Any] | None
    env: dict[str, str]
    source_label: str


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


def _paths(folder: Path, stem: str) -> NotebookPaths:
    return NotebookPaths(
        folder=folder,
        ipynb=folder / f"{stem}.ipynb",
        html=folder / f"{stem}.html",
        results=folder / "results.json",
        manifest=folder / "manifest.json",
    )


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _source_cell_index(executed_nb: Any, index: int) -> int:
    """Index in the source notebook of cell ``index`` of papermill's executed notebook."""
    shift = 0
    for cell in executed_nb.cells[:index]:
        if "injected-parameters" in (cell.get("metadata", {}).get("tags") or []):
            shift += 1
    return index - shift


def _error_from_papermill(exc: Any, stem: str, executed_path: Path) -> NotebookError:
    cell_index = exc.cell_index
    try:
        import nbformat

        nb = nbformat.read(executed_path, as_version=4)
        # papermill inserted an error banner at the top and an anchor before the failing cell
        kept = [c for c in nb.cells if "papermill-error-cell-tag" not in (c.get("metadata", {}).get("tags") or [])]
        nb.cells = kept
        cell_index = _source_cell_index(nb, exc.cell_index)
    except Exception:  # noqa: BLE001 - the index from papermill is good enough
        pass
    source = exc.source if isinstance(exc.source, str) else "".join(exc.source or [])
    return NotebookError(
        notebook=stem,
        cell_index=cell_index,
        ename=str(exc.ename),
        evalue=str(exc.evalue),
        exec_count=exc.exec_count,
        cell_source=source[:2000],
        traceback=_strip_ansi("\n".join(exc.traceback or []))[-20000:],
    )


def _write_json(path: Path, obj: Any) -> None:
    text = json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _write_html(nb_path: Path, html_path: Path, error: NotebookError | None) -> None:
    try:
        import nbformat
        from nbconvert import HTMLExporter

        nb = nbformat.read(nb_path, as_version=4)
        exporter = HTMLExporter(exclude_input_prompt=True)
        body, _ = exporter.from_notebook_node(nb)
    except Exception as exc:  # noqa: BLE001 - always leave a page behind
        msg = f"Could not render {nb_path.name}: {type(exc).__name__}: {exc}"
        if error is not None:
            msg = error.describe() + "\n\n" + msg
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(nb_path.stem)}</title></head><body><pre>{html.escape(msg)}</pre></body></html>"
        )
    html_path.write_text(body, encoding="utf-8")


def _execute(job: _Job) -> NotebookResult:
    """Run one notebook into ``job.folder`` (also the kernel's working directory)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    os.environ.update(job.env)  # a spawned worker process inherits them too; be explicit
    stem = job.notebook.stem
    paths = _paths(job.folder, stem)
    job.folder.mkdir(parents=True, exist_ok=True)
    for stale in (paths.results, paths.ipynb, paths.html, paths.manifest):
        stale.unlink(missing_ok=True)

    started = _now()
    t0 = time.perf_counter()
    error: NotebookError | None = None
    try:
        papermill.execute_notebook(
            str(job.notebook),
            str(paths.ipynb),
            parameters=dict(job.overrides),
            kernel_name=job.kernel,
            cwd=str(job.folder),
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=job.timeout,
        )
    except PapermillExecutionError as exc:
        error = _error_from_papermill(exc, stem, paths.ipynb)
    except Exception as exc:  # noqa: BLE001 - timeouts, dead kernels: record, don't abort the run
        error = NotebookError(
            notebook=stem,
            cell_index=None,
            ename=type(exc).__name__,
            evalue=_strip_ansi(str(exc))[:5000],
        )
    seconds = round(time.perf_counter() - t0, 3)
    finished = _now()
    status = "ok" if error is None else "failed"

    if not paths.ipynb.exists():  # papermill could not write it (e.g. a timeout): keep the source
        import shutil

        shutil.copyfile(job.notebook, paths.ipynb)
    _write_html(paths.ipynb, paths.html, error)

    if not paths.results.exists():
        paths.results.write_text("{}\n", encoding="utf-8")
    try:
        values = json.loads(paths.results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        values = {}

    data, data_error = _data_summary()
    manifest = {
        "notebook": stem,
        "source": job.source_label,
        "parameters": job.effective,
        "overrides": job.overrides,
        "status": status,
        "error": error.to_dict() if error else None,
        "started": started,
        "finished": finished,
        "seconds": seconds,
        "kernel": job.kernel,
        "timeout": job.timeout,
        "git": job.git,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": _package_versions(),
        "data": data,
        "files": {
            "ipynb": paths.ipynb.name,
            "html": paths.html.name,
            "results": paths.results.name,
        },
    }
    if data_error:
        manifest["data_error"] = data_error
    _write_json(paths.manifest, manifest)
    return NotebookResult(
        name=stem,
        notebook=job.notebook,
        status=status,
        seconds=seconds,
        error=error,
        paths=paths,
        parameters=dict(job.effective),
        values=values if isinstance(values, dict) else {},
    )


def _crashed(job: _Job, exc: BaseException) -> NotebookResult:
    """Result for a notebook whose worker process died; leaves a manifest behind."""
    stem = job.notebook.stem
    paths = _paths(job.folder, stem)
    job.folder.mkdir(parents=True, exist_ok=True)
    error = NotebookError(notebook=stem, cell_index=None, ename=type(exc).__name__, evalue=str(exc))
    if not paths.results.exists():
        paths.results.write_text("{}\n", encoding="utf-8")
    if not paths.html.exists():
        paths.html.write_text(f"<pre>{html.escape(error.describe())}</pre>\n", encoding="utf-8")
    _write_json(
        paths.manifest,
        {
            "notebook": stem,
            "source": job.source_label,
            "parameters": job.effective,
            "overrides": job.overrides,
            "status": "failed",
            "error": error.to_dict(),
            "kernel": job.kernel,
            "git": job.git,
            "python": platform.python_version(),
            "packages": _package_versions(),
            "data": None,
        },
    )
    return NotebookResult(
        name=stem, notebook=job.notebook, status="failed", seconds=0.0, error=error, paths=paths,
        parameters=dict(job.effective),
    )


def _new_run_dir() -> Path:
    base = config.runs_dir()
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = base / stamp
    n = 2
    while candidate.exists():
        candidate = base / f"{stamp}-{n}"
        n += 1
    return candidate


def _label(path: Path) -> str:
    try:
        return path.resolve().relative_to(config.project_root()).as_posix()
    except ValueError:
        return str(path.resolve())


_CSS = """
body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #17692b; font-weight: bold; }
.failed { color: #b00020; font-weight: bold; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { white-space: pre-wrap; margin: 0.3em 0 0 0; }
"""


def _write_index(
    out_dir: Path,
    results: Sequence[NotebookResult],
    params: Mapping[str, Any],
    kernel: str,
    git: dict[str, Any] | None,
    started: str,
    finished: str,
) -> Path:
    esc = html.escape

    def rel(p: Path) -> str:
        try:
            return p.relative_to(out_dir).as_posix()
        except ValueError:
            return p.as_posix()

    rows = []
    for r in results:
        if r.ok:
            status = '<span class="ok">ok</span>'
        else:
            detail = esc(r.error.describe()) if r.error else ""
            status = f'<span class="failed">FAILED</span><pre>{detail}</pre>'
        links = " · ".join(
            f'<a href="{esc(rel(p))}">{label}</a>'
            for label, p in (("html", r.paths.html), ("ipynb", r.paths.ipynb), ("results.json", r.paths.results),
                             ("manifest.json", r.paths.manifest))
        )
        shown = ", ".join(f"{k}={json.dumps(v, default=str)}" for k, v in r.parameters.items())
        rows.append(
            f"<tr><td><a href=\"{esc(rel(r.paths.html))}\">{esc(r.name)}</a></td><td>{status}</td>"
            f"<td class=\"num\">{r.seconds:.1f}</td><td>{links}</td><td><code>{esc(shown)}</code></td></tr>"
        )
    n_failed = sum(not r.ok for r in results)
    given = "".join(
        f"<tr><td><code>{esc(k)}</code></td><td><code>{esc(json.dumps(v, default=str))}</code></td></tr>"
        for k, v in params.items()
    ) or '<tr><td colspan="2">none (notebook defaults)</td></tr>'
    commit = "not a git checkout"
    if git:
        commit = f"{git.get('commit')}" + (" (uncommitted changes)" if git.get("dirty") else "")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rotation run {esc(out_dir.name)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>rotation run {esc(out_dir.name)}</h1>
<p>{len(results) - n_failed} ok, {n_failed} failed &middot; started {esc(started)} &middot; finished {esc(finished)}
&middot; kernel <code>{esc(kernel)}</code> &middot; commit <code>{esc(commit)}</code></p>
<table>
<tr><th>notebook</th><th>status</th><th>seconds</th><th>files</th><th>parameters</th></tr>
{chr(10).join(rows)}
</table>
<h2>Parameters given</h2>
<table>
<tr><th>name</th><th>value</th></tr>
{given}
</table>
</body>
</html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def run_notebooks(
    names: Sequence[str] | None = None,
    params: Mapping[str, object] | None = None,
    out: Path | str | None = None,
    jobs: int = 1,
    kernel_name: str | None = None,
    progress: bool = True,
    timeout: int | None = 1800,
    notebooks_dir: Path | str | None = None,
) -> RunSummary:
    """Execute notebooks with papermill into a run folder and return a summary.

    Parameters
    ----------
    names : list of str, optional
        Notebooks to run (stem, file name, unique prefix or path); default: all ``NN_*.ipynb``.
    params : dict, optional
        Overrides ``name -> value``; strings are parsed as in :func:`coerce_parameters`.
        Each name goes to every selected notebook that declares it.
    out : path, optional
        Run folder (created; existing per-notebook files are replaced).  Default:
        ``runs_dir()/<YYYYmmdd-HHMMSS>``.
    jobs : int
        Notebooks executed at once (separate processes when > 1).
    kernel_name : str, optional
        Jupyter kernel; default ``ROTATION_KERNEL``, else ``rotation`` if installed, else ``python3``.
    progress : bool
        Show a tqdm bar on stderr.
    timeout : int or None
        Seconds allowed per *cell* (papermill ``execution_timeout``); None for no limit.
    notebooks_dir : path, optional
        Where names are looked up (default ``config.notebooks_dir()``).

    Raises
    ------
    ParameterError
        Unknown notebook, unknown parameter, wrong type, missing kernel, jobs < 1 --
        all checked before anything runs.  A failing notebook does not raise: see
        ``RunSummary.ok`` / ``NotebookResult.error``.
    """
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ParameterError(f"jobs must be a positive integer, got {jobs!r}")
    if timeout is not None and (not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0):
        raise ParameterError(f"timeout must be a positive number of seconds or None, got {timeout!r}")

    if names:
        notebooks: list[Path] = []
        for name in names:
            nb = resolve_notebook(name, notebooks_dir)
            if nb not in notebooks:
                notebooks.append(nb)
    else:
        notebooks = [nb.resolve() for nb in list_notebooks(notebooks_dir)]
        if not notebooks:
            raise ParameterError(_available(notebooks_dir))
    stems = [nb.stem for nb in notebooks]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise ParameterError(f"two selected notebooks share the name {dupes[0]!r}; their run folders would clash")

    plan = plan_parameters(notebooks, params)
    kernel = resolve_kernel(kernel_name)

    out_dir = Path(out).expanduser().resolve() if out is not None else _new_run_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    git = _git_info(config.project_root())
    started = _now()

    from tqdm import tqdm

    with _kernel_environment() as env:
        job_list = [
            _Job(
                notebook=nb,
                folder=out_dir / nb.stem,
                overrides=overrides,
                effective=effective,
                kernel=kernel,
                timeout=timeout,
                git=git,
                env=dict(env),
                source_label=_label(nb),
            )
            for nb, (overrides, effective) in zip(notebooks, plan)
        ]
        results: list[NotebookResult | None] = [None] * len(job_list)
        bar = tqdm(total=len(job_list), desc="notebooks", unit="nb", file=sys.stderr, disable=not progress)
        try:
            if jobs == 1 or len(job_list) == 1:
                for i, job in enumerate(job_list):
                    bar.set_postfix_str(job.notebook.stem)
                    results[i] = _execute(job)
                    bar.update(1)
            else:
                ctx = multiprocessing.get_context("spawn")
                with cf.ProcessPoolExecutor(max_workers=min(jobs, len(job_list)), mp_context=ctx) as pool:
                    futures = {pool.submit(_execute, job): i for i, job in enumerate(job_list)}
                    for fut in cf.as_completed(futures):
                        i = futures[fut]
                        try:
                            results[i] = fut.result()
                        except Exception as exc:  # noqa: BLE001 - a dead worker fails only its notebook
                            results[i] = _crashed(job_list[i], exc)
                        bar.set_postfix_str(job_list[i].notebook.stem)
                        bar.update(1)
        finally:
            bar.close()

    done = [r for r in results if r is not None]
    _write_index(out_dir, done, dict(params or {}), kernel, git, started, _now())
    return RunSummary(out_dir=out_dir, results=tuple(done), parameters=dict(params or {}), kernel=kernel)
