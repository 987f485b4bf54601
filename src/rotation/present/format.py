"""Numbers in words: percentages and intervals for prose."""

from __future__ import annotations

import math

__all__ = ["pct", "describe_ci"]


def pct(value: float, digits: int = 1, sign: bool = True) -> str:
    """Format a decimal as a percentage (``0.0123 -> "+1.2%"``); NaN -> ``"n/a"``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:+.{digits}%}" if sign else f"{value:.{digits}%}"


def describe_ci(estimate: float, lower: float, upper: float, *, level: float = 0.95, digits: int = 1) -> str:
    """One phrase for an estimate with its interval, saying whether it excludes zero.

    ``describe_ci(0.012, -0.004, 0.03)`` -> ``"+1.2% (95% CI -0.4% to +3.0%; not significant)"``.
    Values are decimals; a missing interval says so instead of guessing.
    """
    if any(v is None or not math.isfinite(float(v)) for v in (lower, upper)):
        return f"{pct(estimate, digits)} (too few observations for an interval)"
    verdict = "significant" if (lower > 0 or upper < 0) else "not significant"
    return f"{pct(estimate, digits)} ({level:.0%} CI {pct(lower, digits)} to {pct(upper, digits)}; {verdict})"
