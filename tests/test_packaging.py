"""The ways to install agree: pip and conda name the same packages and bounds, the Python versions
3.11-3.13 are declared alike everywhere, `make` picks the newest installed one and `make kernel`
registers a user-level kernel; the package shells out to nothing POSIX-only; the repository holds no
snapshot data."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

#: Every dependency (pyproject.toml's, including the ``test`` extra) by its PEP 503 pip name, mapped
#: to its conda-forge package name. environment.yml must list exactly these conda names with the
#: pip bounds. A new dependency needs a row here: look its name up on conda-forge (often the same;
#: conda names are literal, so ``curl_cffi`` and ``curl-cffi`` are different packages there).
PIP_TO_CONDA: dict[str, str] = {
    "pandas": "pandas",
    "numpy": "numpy",
    "statsmodels": "statsmodels",
    "seaborn": "seaborn",
    "matplotlib": "matplotlib",
    "pandas-datareader": "pandas-datareader",
    "pyarrow": "pyarrow",
    "jupyterlab": "jupyterlab",
    "papermill": "papermill",
    "nbconvert": "nbconvert",
    "nbformat": "nbformat",
    "ipykernel": "ipykernel",
    "requests": "requests",
    "pyyaml": "pyyaml",
    "tqdm": "tqdm",
    "arch": "arch-py",
    "curl-cffi": "curl-cffi",
    "filelock": "filelock",
    "jinja2": "jinja2",
    "markupsafe": "markupsafe",
    "python-calamine": "python-calamine",
    "plotly": "plotly",
    "pypdf": "pypdf",
    "pytest": "pytest",
    "ruff": "ruff",
    "responses": "responses",
    "distributed": "distributed",
}

#: The supported Python versions, oldest first (requires-python, classifiers, environment.yml,
#: the Makefile's PY_VERSIONS and the README's quick start must all say the same).
SUPPORTED = ["3.11", "3.12", "3.13"]

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$")


def _split(req: str) -> tuple[str, str]:
    """``"curl_cffi >= 0.7"`` -> (``"curl_cffi"``, ``">=0.7"``): the name as written and its bounds."""
    m = _REQ.match(req)
    assert m, f"cannot parse requirement {req!r}"
    return m.group(1), re.sub(r"\s+", "", m.group(3))


def _pip_name(name: str) -> str:
    """PEP 503 normalised name (pip treats ``curl_cffi`` and ``curl-cffi`` alike)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def _pip_deps() -> list[str]:
    py = _pyproject()
    return py["project"]["dependencies"] + py["project"]["optional-dependencies"]["test"]


def _conda_deps() -> list[str]:
    env = _environment()
    return [d for d in env["dependencies"] if isinstance(d, str) and _split(d)[0] not in ("python", "pip")]


def test_every_pip_dependency_has_a_conda_forge_name():
    names = [_pip_name(_split(r)[0]) for r in _pip_deps()]
    missing = [n for n in names if n not in PIP_TO_CONDA]
    assert not missing, (
        f"pyproject.toml lists {missing} but PIP_TO_CONDA in tests/test_packaging.py has no row for them; "
        "add one per package with its conda-forge name, and the same package to environment.yml"
    )
    stale = sorted(set(PIP_TO_CONDA) - set(names))
    assert not stale, f"PIP_TO_CONDA has rows for {stale}, which pyproject.toml no longer lists; remove them"


def test_environment_yml_matches_pyproject():
    """environment.yml lists each pip dependency under its conda-forge name, with the same bounds."""
    expected = {}
    for req in _pip_deps():
        name, bounds = _split(req)
        expected[PIP_TO_CONDA.get(_pip_name(name), _pip_name(name))] = bounds
    found = dict(_split(d) for d in _conda_deps())
    wrong_name = sorted(set(found) - set(expected))
    absent = sorted(set(expected) - set(found))
    assert not wrong_name and not absent, (
        f"environment.yml lists {wrong_name}, which are not the conda-forge names of pyproject.toml's "
        f"dependencies, and lacks {absent}; use the names in PIP_TO_CONDA (tests/test_packaging.py)"
    )
    bounds = {k: (found[k], v) for k, v in expected.items() if found[k] != v}
    assert not bounds, f"bounds differ (environment.yml, pyproject.toml): {bounds}; make them equal"


def test_test_extra_includes_the_grid_extra():
    """CI installs ``.[test]``: the Dask grid test needs the ``grid`` extra's packages there too."""
    extras = _pyproject()["project"]["optional-dependencies"]
    assert set(extras["grid"]) <= set(extras["test"]), "add the grid extra's packages to the test extra"


def test_known_conda_forge_renames():
    """The two packages whose conda-forge names differ from their pip names (issue 10)."""
    conda = {_split(d)[0] for d in _conda_deps()}
    assert {"arch-py", "curl-cffi"} <= conda
    assert not {"arch", "curl_cffi"} & conda


def test_supported_python_versions_are_declared_alike():
    py = _pyproject()
    lo, hi = SUPPORTED[0], SUPPORTED[-1]
    upper = f"3.{int(hi.split('.')[1]) + 1}"
    assert py["project"]["requires-python"] == f">={lo},<{upper}"
    classifiers = [c.rsplit(" ", 1)[1] for c in py["project"].get("classifiers", [])
                   if c.startswith("Programming Language :: Python :: 3.")]
    assert classifiers == SUPPORTED
    python = [d for d in _environment()["dependencies"] if isinstance(d, str) and _split(d)[0] == "python"]
    assert python == [f"python>={lo},<{upper}"]
    make_versions = re.search(r"^PY_VERSIONS \?= (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert make_versions and make_versions.group(1).split() == SUPPORTED[::-1], "Makefile PY_VERSIONS, newest first"
    quick = _readme_section("Quick start")
    assert ", ".join(SUPPORTED[:-1]) + f" or {hi}" in quick, "the README's quick start names the supported versions"
    assert f"{sys.version_info[0]}.{sys.version_info[1]}" in SUPPORTED, f"tests run under unsupported {sys.version}"


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"README.md has no '## {title}' section"
    return m.group(1)


def _fake_python(folder: Path, name: str, *, works: bool = True) -> None:
    exe = folder / name
    exe.write_text("#!/bin/sh\n" + ("exit 0\n" if works else "echo 'pyenv: not active' >&2; exit 127\n"),
                   encoding="utf-8")
    exe.chmod(0o755)


needs_make = pytest.mark.skipif(shutil.which("make") is None or os.name == "nt", reason="needs make and a POSIX shell")


@needs_make
def test_make_picks_the_newest_supported_python_that_runs(tmp_path):
    """python3.13 that fails (a pyenv shim of an inactive version) is passed over; 3.12 wins over 3.11."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_python(bin_dir, "python3.13", works=False)
    _fake_python(bin_dir, "python3.12")
    _fake_python(bin_dir, "python3.11")
    _fake_python(bin_dir, "python3.10")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "MAKEFLAGS", "MFLAGS")}
    env.update(PATH=f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", PYENV_ROOT=str(tmp_path / "no-pyenv"),
               HOME=str(tmp_path))

    def which(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["make", "-s", "-C", str(ROOT), "which-python", *args], env=env,
                              capture_output=True, text=True, check=False)

    assert which().stdout.strip() == str(bin_dir / "python3.12")
    assert which("PY_VERSIONS=3.11").stdout.strip() == str(bin_dir / "python3.11")
    # pyenv's versions folder is searched when the PATH name does not run
    pyenv_bin = tmp_path / "no-pyenv" / "versions" / "3.13.1" / "bin"
    pyenv_bin.mkdir(parents=True)
    _fake_python(pyenv_bin, "python3.13")
    assert which().stdout.strip() == str(pyenv_bin / "python3.13")
    none = which("PY_VERSIONS=3.9")
    assert none.returncode != 0 and "no Python 3.9 found" in none.stderr


@needs_make
def test_make_setup_rejects_an_unsupported_python(tmp_path):
    """A Python that reports 3.10 is refused with the version found and the fix; no venv is made."""
    fake = tmp_path / "python3.10"
    fake.write_text(f"#!/bin/sh\nexec '{sys.executable}' -c \"import sys; sys.version_info = (3, 10, 0); "
                    f"exec(sys.argv[1])\" \"$2\"\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    out = subprocess.run(["make", "-s", "-C", str(ROOT), "setup", f"PYTHON={fake}", f"VENV={tmp_path / 'venv'}"],
                         env=env, capture_output=True, text=True, check=False)
    assert out.returncode != 0
    assert "rotation supports Python 3.11-3.13; found 3.10" in out.stderr and "set PYTHON=" in out.stderr
    assert not (tmp_path / "venv").exists(), "no venv is created with an unsupported Python"


@needs_make
def test_make_kernel_installs_a_user_kernel(tmp_path):
    """`make kernel` runs `ipykernel install --user`: run that command into a scratch Jupyter data dir."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "kernel", "BIN=" + str(Path(sys.executable).parent)],
                         env=env, capture_output=True, text=True, check=True).stdout
    line = [ln for ln in dry.splitlines() if "ipykernel install" in ln][-1]  # after setup's, if it is due
    assert "--user" in line and "--sys-prefix" not in line
    env["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter")
    subprocess.run(line, shell=True, env=env, check=True, capture_output=True)  # noqa: S602 - the Makefile's line
    spec = json.loads((tmp_path / "jupyter" / "kernels" / "rotation" / "kernel.json").read_text(encoding="utf-8"))
    assert spec["display_name"] == "Python (rotation)"
    assert Path(spec["argv"][0]).parent == Path(sys.executable).parent


def test_readme_documents_the_steps_without_make():
    """Windows and no-make users get the same two steps (venv, install, fetch or import, run)."""
    quick = _readme_section("Quick start")
    for needed in ("python -m venv .venv", r".venv\Scripts\activate", "pip install -e .", "rotation data fetch",
                   "rotation run", "rotation data import", "--end-file tests/snapshot-cuts.txt", "make kernel"):
        assert needed in quick, f"the README's quick start does not show {needed!r}"


def test_package_runs_no_posix_only_commands():
    """src/ starts no shell and no POSIX tools and names no bin/ folder (it must run on Windows)."""
    bad = re.compile(r"shell\s*=\s*True|os\.system\(|[\"'/](?:usr/)?bin/|\[\s*[\"'](?:cp|rm|mv|sh|bash|ln)[\"']|"
                     r"\.split\(\s*[\"']/[\"']\s*\)")
    hits = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}"
            for p in sorted((ROOT / "src").rglob("*.py"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bad.search(line)]
    assert not hits, "POSIX-only code in the package (use pathlib, shutil, sys.executable):\n" + "\n".join(hits)


def test_console_script_declared():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert py["project"]["scripts"]["rotation"] == "rotation.cli:main"


def test_no_snapshot_file_is_committed(raw_dir: Path):
    """No tracked file is a copy of a snapshot file (the before-stop hook checks the same)."""
    snap = {hashlib.sha256(p.read_bytes()).hexdigest() for p in raw_dir.rglob("*") if p.is_file() and p.suffix != ".md"}
    try:
        tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                 check=True).stdout.split(b"\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    hits = [t.decode() for t in tracked if t and (ROOT / t.decode()).is_file()
            and hashlib.sha256((ROOT / t.decode()).read_bytes()).hexdigest() in snap]
    assert not hits, f"snapshot files committed into the project: {hits}"


def test_data_readme_lists_every_catalog_key():
    from rotation.data.catalog import CATALOG

    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    missing = [k for k in CATALOG if f"`{k}`" not in text]
    assert not missing, f"data/README.md does not document: {missing}"
