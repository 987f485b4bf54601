"""rotation.report.record: conversions, names, results.json writing."""

from __future__ import annotations

import datetime as dt
import json
import math
import os

import numpy as np
import pandas as pd
import pytest

from rotation import report
from rotation.errors import ParameterError, RotationError
from rotation.report import describe_ci, pct, record, reset, results


@pytest.fixture(autouse=True)
def _clean(monkeypatch, tmp_path):
    monkeypatch.delenv("ROTATION_RUN", raising=False)
    monkeypatch.chdir(tmp_path)
    reset()
    yield
    reset()


def test_record_returns_value_unchanged():
    df = pd.Series([1.5, 2.5])
    assert record("s", df) is df
    assert record("n", 3) == 3
    assert results() == {"s": {"0": 1.5, "1": 2.5}, "n": 3}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(7), 7),
        (np.float32(0.5), 0.5),
        (np.bool_(True), True),
        (float("nan"), None),
        (float("inf"), None),
        (np.float64("-inf"), None),
        (None, None),
        ("text", "text"),
        (pd.Timestamp("2020-03-31"), "2020-03-31"),
        (pd.Timestamp("2020-03-31 15:30"), "2020-03-31T15:30:00"),
        (dt.date(1999, 12, 31), "1999-12-31"),
        (dt.datetime(1999, 12, 31), "1999-12-31"),
        (np.datetime64("2001-02-03"), "2001-02-03"),
        (pd.NaT, None),
        ((1, np.int32(2)), [1, 2]),
        ({"a": [np.float64(1.0), math.nan], 3: {"b": pd.Timestamp("2000-01-01")}},
         {"a": [1.0, None], "3": {"b": "2000-01-01"}}),
        (np.array([1, 2, 3]), [1, 2, 3]),
    ],
)
def test_conversions(value, expected):
    record("x", value)
    assert results()["x"] == expected


def test_series_with_date_index_and_nan():
    s = pd.Series([1.0, np.nan], index=pd.to_datetime(["2000-01-31", "2000-02-29"]))
    record("s", s)
    assert results()["s"] == {"2000-01-31": 1.0, "2000-02-29": None}
    s2 = pd.Series({"small": np.int64(1), "large": np.int64(2)})
    record("s2", s2)
    assert results()["s2"] == {"small": 1, "large": 2}


@pytest.mark.parametrize("value", [pd.DataFrame({"a": [1]}), object(), {1, 2}, b"bytes", 1j])
def test_unsupported_types_are_rejected(value):
    with pytest.raises(ParameterError) as info:
        record("bad.key", value)
    assert "'bad.key'" in str(info.value)
    assert type(value).__name__ in str(info.value)
    assert isinstance(info.value, RotationError)
    assert results() == {}


@pytest.mark.parametrize("name", ["", "a b", "a/b", "é", None, 3, "x$"])
def test_invalid_names(name):
    with pytest.raises(ParameterError):
        record(name, 1)


def test_valid_names_are_flat_keys():
    record("breakouts.n_episodes", 4)
    record("a-b_C.9", 1)
    assert results() == {"breakouts.n_episodes": 4, "a-b_C.9": 1}


def test_results_is_a_copy_and_reset_clears():
    record("d", {"a": [1]})
    got = results()
    got["d"]["a"].append(2)
    assert results() == {"d": {"a": [1]}}
    reset()
    assert results() == {}


def test_memory_only_without_rotation_run(tmp_path):
    record("n", 1)
    assert not (tmp_path / "results.json").exists()


def test_writes_results_json_when_running(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_RUN", "1")
    record("b", 2)
    record("a", np.float64(1.25))
    record("b", 3)  # replaced
    text = (tmp_path / "results.json").read_text(encoding="utf-8")
    assert text == '{\n  "a": 1.25,\n  "b": 3\n}\n'
    assert json.loads(text) == results()
    assert sorted(os.listdir(tmp_path)) == ["results.json"]  # no temporary files left


def test_identical_values_give_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_RUN", "1")
    record("z", [1, 2.5, None])
    record("a", {"y": 1, "x": 2})
    first = (tmp_path / "results.json").read_bytes()
    reset()
    record("a", {"x": 2, "y": 1})
    record("z", (1, 2.5, float("nan")))
    assert (tmp_path / "results.json").read_bytes() == first


def test_write_is_atomic(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_RUN", "1")
    record("a", 1)
    before = (tmp_path / "results.json").read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", broken_replace)
    with pytest.raises(OSError):
        record("b", 2)
    # the old file is intact and the temporary file was removed
    assert (tmp_path / "results.json").read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["results.json"]


def test_other_rotation_run_values_do_not_write(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_RUN", "0")
    record("a", 1)
    assert not (tmp_path / "results.json").exists()


# --------------------------------------------------------------------------- formatting for findings cells
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
