"""What produced a notebook's results: code version, packages, the data it read, the kernel.

Everything about the data comes from the executed notebook itself (the reads
:func:`rotation.outputs.note_read` left in its outputs), not from the store as it is
after the run.  Files are written with ``0666 & ~umask`` (usually 0644).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["git_info", "package_versions", "write_text", "write_json", "RUN_MARKER"]

RUN_MARKER = ".rotation-run"
"""File rotation leaves in every run folder it creates (so it may write there again)."""

_PACKAGES = ("pandas", "numpy", "statsmodels", "matplotlib", "seaborn", "papermill", "pandas-datareader", "pyarrow",
             "arch", "nbconvert", "ipykernel", "rotation")


def git_info(root: Path) -> dict[str, Any] | None:
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


def package_versions() -> dict[str, str]:
    """Installed versions of the packages the results depend on (missing ones left out)."""
    from importlib import metadata

    out: dict[str, str] = {}
    for dist in _PACKAGES:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` atomically; the file gets ``0666 & ~umask`` like any file the user creates."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:  # open() honours the umask (mkstemp would not)
        fh.write(text)
    os.replace(tmp, path)


def write_json(path: Path, obj: Any) -> None:
    """``obj`` as deterministic JSON (sorted keys, 2-space indent, trailing newline)."""
    write_text(path, json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n")


def manifest(job: Any, *, status: str, error: dict[str, Any] | None, reads: list[dict[str, Any]] | None,
             kernel_python: dict[str, Any] | None, files: dict[str, str], about: tuple[str, str] = ("", ""),
             **timing: Any) -> dict[str, Any]:
    """The manifest.json of one notebook run (``job`` is the runner's job description; ``about`` the notebook's
    title and question, for the run page)."""
    return {
        "notebook": job.notebook.stem,
        "title": about[0],
        "question": about[1],
        "source": job.source_label,
        "parameters": job.effective,
        "parameter_order": list(job.effective),  # the notebook's declaration order (the keys here are sorted)
        "overrides": job.overrides,
        "status": status,
        "error": error,
        **timing,
        "kernel": job.kernel,
        "kernel_python": kernel_python,
        "timeout": job.timeout,
        "git": job.git,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "data": reads,
        "files": files,
    }
