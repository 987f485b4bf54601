"""Small helpers shared by test modules (made-up series, flattened results.json, verdict checks)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def series(values, name: str = "x", dtype=float) -> pd.Series:
    """``values`` on consecutive days from 2024-01-01."""
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values)), name=name, dtype=dtype)


def flags(n: int, positions) -> pd.Series:
    """A bool series of length ``n``, True at ``positions``."""
    out = series([False] * n, dtype=bool)
    out.iloc[list(positions)] = True
    return out


def perturb_after(s: pd.Series, t: int, seed: int) -> pd.Series:
    """Multiply every value strictly after position t by random noise."""
    rng = np.random.default_rng(seed)
    out = s.copy()
    out.iloc[t + 1 :] = out.iloc[t + 1 :] * rng.uniform(0.3, 3.0, size=len(s) - t - 1)
    return out


def flat(tree: dict, prefix: str = "") -> dict:
    """results.json with nested groups flattened to dotted keys (record("sample", {"start": ...}) -> "sample.start")."""
    out: dict = {}
    for key, value in tree.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flat(value, name))
        else:
            out[name] = value
    return out


def check_verdict(v: dict[str, Any], interval: bool = True) -> None:
    """A published verdict record: a rubric status and rule, and (``interval``) estimate inside its interval."""
    from rotation.evidence import rubric as verdicts

    assert v["status"] in verdicts.STATUSES and v["rule"] in verdicts.RUBRIC
    if interval:
        h = v["headline"]
        assert h["ci_lower"] <= h["estimate"] <= h["ci_upper"]


def row(result) -> dict:
    """A one-row result object as a plain dict: its table's row plus its ``extra`` (group labels...)."""
    return {**result.table.iloc[0].to_dict(), **dict(result.extra)}


def rotation_cli(root, *args: object):
    """``rotation --data-dir ROOT ARGS`` in a fresh process, offline, as a user runs it (CompletedProcess, text)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ROTATION_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "rotation.cli", "--data-dir", str(root), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)
