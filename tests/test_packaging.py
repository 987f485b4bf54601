"""The two ways to install declare the same dependencies; the repository holds no snapshot data."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return re.sub(r"\s+", "", req.strip()).lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pip_deps = py["project"]["dependencies"] + py["project"]["optional-dependencies"]["test"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
    assert sorted(map(_spec, conda)) == sorted(map(_spec, pip_deps)), (
        "environment.yml and pyproject.toml disagree; edit both so they list the same packages and bounds"
    )
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python=3.11"]
    assert py["project"]["requires-python"].startswith(">=3.11")


def test_console_script_declared():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert py["project"]["scripts"]["rotation"] == "rotation.cli:main"


def test_no_snapshot_file_is_committed(raw_dir: Path):
    """No tracked file is a copy of a snapshot file (the before-stop hook checks the same)."""
    snap = {hashlib.sha256(p.read_bytes()).hexdigest() for p in raw_dir.rglob("*") if p.is_file() and p.suffix != ".md"}
    try:
        tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    hits = [t.decode() for t in tracked if t and (ROOT / t.decode()).is_file()
            and hashlib.sha256((ROOT / t.decode()).read_bytes()).hexdigest() in snap]
    assert not hits, f"snapshot files committed into the project: {hits}"


def test_data_readme_lists_every_catalog_key():
    from rotation.data.catalog import CATALOG

    text = (ROOT / "data" / "README.md").read_text()
    missing = [k for k in CATALOG if f"`{k}`" not in text]
    assert not missing, f"data/README.md does not document: {missing}"
