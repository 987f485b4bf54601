"""Finding the notebooks a run executes: ``NN_*.ipynb`` by stem, file name, unique prefix or path."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rotation import config
from rotation.errors import ParameterError

__all__ = ["list_notebooks", "resolve_notebook", "available", "select_notebooks"]

_NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


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
        raise ParameterError("empty notebook name; " + available(notebooks_dir))
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
    raise ParameterError(f"unknown notebook {text!r}; " + available(notebooks_dir))


def available(notebooks_dir: Path | str | None) -> str:
    """A sentence listing the notebooks (for error messages)."""
    notebooks = list_notebooks(notebooks_dir)
    if not notebooks:
        return f"there are no NN_*.ipynb notebooks in {_nb_dir(notebooks_dir)}"
    return "available notebooks: " + ", ".join(nb.stem for nb in notebooks)


def select_notebooks(names: Sequence[str] | None, notebooks_dir: Path | str | None = None) -> list[Path]:
    """The notebooks a run executes: ``names`` resolved in order (duplicates once), or every ``NN_*.ipynb``.

    Raises
    ------
    ParameterError
        An unknown or ambiguous name, no notebooks at all, or two selected notebooks with the same stem
        (their run folders would clash).
    """
    if names:
        notebooks: list[Path] = []
        for name in names:
            nb = resolve_notebook(name, notebooks_dir)
            if nb not in notebooks:
                notebooks.append(nb)
    else:
        notebooks = [nb.resolve() for nb in list_notebooks(notebooks_dir)]
        if not notebooks:
            raise ParameterError(available(notebooks_dir))
    stems = [nb.stem for nb in notebooks]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise ParameterError(f"two selected notebooks share the name {dupes[0]!r}; their run folders would clash")
    return notebooks
