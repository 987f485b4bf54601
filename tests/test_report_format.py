"""Formatting helpers used by the notebooks' findings cells."""

from __future__ import annotations

import math

import pytest

from rotation.report import describe_ci, pct


@pytest.mark.parametrize(
    "value, kwargs, expected",
    [
        pytest.param(0.0123, {}, "+1.2%", id="positive"),
        pytest.param(-0.5, {"digits": 0}, "-50%", id="negative"),
        pytest.param(0.25, {"sign": False}, "25.0%", id="unsigned"),
        pytest.param(math.nan, {}, "n/a", id="nan"),
    ],
)
def test_pct(value, kwargs, expected):
    assert pct(value, **kwargs) == expected


def test_describe_ci_says_whether_zero_is_excluded():
    assert describe_ci(0.012, -0.004, 0.03) == "+1.2% (95% CI -0.4% to +3.0%; not significant)"
    assert describe_ci(0.02, 0.01, 0.03).endswith("; significant)")
    assert describe_ci(-0.02, -0.03, -0.01).endswith("; significant)")
    assert "too few observations" in describe_ci(0.01, math.nan, math.nan)
