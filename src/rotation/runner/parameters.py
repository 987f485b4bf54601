"""Parameters of the selected notebooks, checked before any kernel starts.

Declarations come from each notebook's ``parameters`` cell (read once per run); types
and value rules are :mod:`rotation.notebook.parameters`, the module each notebook's check cell uses
too.  Strings (as given on a command line) are parsed as YAML (``"12"`` -> 12,
``"true"`` -> True, ``"[1, 3]"`` or ``"1,3"`` -> [1, 3] for list types) except for
``str`` parameters, which keep the raw text; ``"null"``/``"none"`` give None for
optional parameters; an int is accepted for a float parameter; a date (from a YAML
file) becomes its ISO string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rotation.errors import ParameterError, RotationError
from rotation.notebook.parameters import (
    ParamSpec,
    check_relations,
    check_value,
    convert,
    did_you_mean,
    from_text,
    parse_parameters_source,
    shown,
    unknown_name,
)

__all__ = ["notebook_parameters", "coerce_parameters", "plan_parameters"]


def notebook_parameters(path: Path | str) -> dict[str, ParamSpec]:
    """Parameters declared in the first code cell tagged ``parameters`` ({} when there is none)."""
    path = Path(path)
    try:
        from rotation.nbformat_loader import nbformat

        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise ParameterError(f"notebook {path} does not exist") from None
    except Exception as exc:  # nbformat raises several types for damaged files
        raise RotationError(f"cannot read notebook {path}: {exc}") from exc
    for cell in nb.cells:
        if cell.get("cell_type") == "code" and "parameters" in (cell.get("metadata", {}).get("tags") or []):
            return parse_parameters_source(cell.source, path.stem)
    return {}


def _coerce(specs: Mapping[str, ParamSpec], raw: Mapping[str, object], notebook: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in raw.items():
        spec = specs.get(name)
        if spec is None:
            raise unknown_name(name, specs, notebook)
        if isinstance(value, str):
            value = from_text(spec, value, notebook)
        out[name] = convert(spec, value, notebook)
        check_value(spec, out[name], notebook)
    return out


def coerce_parameters(path: Path | str, raw: Mapping[str, object]) -> dict[str, object]:
    """Validate and convert overrides for one notebook (see the module docstring).

    Returns
    -------
    dict
        Only the given names, converted.

    Raises
    ------
    ParameterError
        Unknown name (with "did you mean" and the notebook's parameters), a value of the
        wrong type, or one the project's rules refuse (proxy, date, int bounds).
    """
    path = Path(path)
    return _coerce(notebook_parameters(path), raw, path.stem)


def plan_parameters(
    notebooks: Sequence[Path], params: Mapping[str, object] | None,
    specs: Sequence[Mapping[str, ParamSpec]] | None = None,
) -> list[tuple[dict[str, object], dict[str, object]]]:
    """For each notebook: (overrides it receives, effective parameters = defaults + overrides).

    A name applies to every selected notebook that declares it; a name that no selected
    notebook declares is an error.  Everything is validated before returning: each value with
    its rules, and each notebook's values together (:func:`rotation.notebook.rules.check_relations`).  ``specs``
    (the notebooks' declarations, if already read) avoids parsing a notebook twice.
    """
    params = dict(params or {})
    specs = list(specs) if specs is not None else [notebook_parameters(nb) for nb in notebooks]
    if len(notebooks) == 1:
        _coerce(specs[0], params, notebooks[0].stem)  # the single-notebook error message
    for name in params:
        if not any(name in s for s in specs):
            declared = sorted({n for s in specs for n in s})
            nbs = ", ".join(nb.stem for nb in notebooks)
            raise ParameterError(
                f"unknown parameter {shown(name)}{did_you_mean(name, declared)}: none of the selected notebooks "
                f"({nbs}) declares it; their parameters are: {', '.join(declared) if declared else '(none)'}"
            )
    plan = []
    for nb, spec in zip(notebooks, specs, strict=False):
        overrides = _coerce(spec, {k: v for k, v in params.items() if k in spec}, nb.stem)
        effective: dict[str, Any] = {
            name: (s.default if s.literal_default else s.default_source) for name, s in spec.items()
        }
        effective.update(overrides)
        check_relations({**{n: s.default for n, s in spec.items() if s.literal_default}, **overrides}, nb.stem)
        plan.append((overrides, effective))
    return plan
