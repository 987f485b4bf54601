"""rotation.outputs: conversions, names, records and reads kept in memory and read back from executed notebooks."""

from __future__ import annotations

import datetime as dt
import json
import math
import os

import numpy as np
import pandas as pd
import pytest

from rotation import outputs as report
from rotation.errors import ParameterError, RotationError
from rotation.notebook.record import record
from rotation.outputs import reset, results
from rotation.present.format import describe_ci, pct


@pytest.fixture(autouse=True)
def _clean(monkeypatch, tmp_path):
    monkeypatch.delenv("ROTATION_RUN", raising=False)
    monkeypatch.chdir(tmp_path)
    reset()
    yield
    reset()


def test_record_keeps_values_in_memory():
    record("s", pd.Series([1.5, 2.5]))
    record("n", 3)
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


def test_record_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ROTATION_RUN", "1")  # even under the runner: results.json is built from the notebook
    record("n", 1)
    assert os.listdir(tmp_path) == []


def test_record_returns_none_and_takes_to_record_objects():
    class Verdict:
        claim_id = "small_beats_large"

        def to_record(self):
            return {"verdict": "supported", "effect": np.float64(0.01)}

    assert record("v", Verdict()) is None
    record(f"verdicts.{Verdict.claim_id}", Verdict())
    assert results() == {"v": {"verdict": "supported", "effect": 0.01},
                         "verdicts.small_beats_large": {"verdict": "supported", "effect": 0.01}}


def _nb(*payloads):
    outputs = [{"output_type": "display_data", "metadata": {}, "data": {mime: p, "text/plain": ""}}
               for mime, p in payloads]
    outputs.append({"output_type": "stream", "name": "stdout", "text": "x"})
    return {"cells": [{"cell_type": "code", "source": "", "outputs": outputs, "metadata": {}},
                      {"cell_type": "markdown", "source": "hi", "metadata": {}}]}


def test_reading_an_executed_notebook(tmp_path):
    read = {"dataset": "DGS10", "sha256": "ab", "first": "1962-01-02", "last": "2026-07-10", "rows": 9}
    nb = _nb((report.RECORD_MIME, {"name": "b", "value": 1}), (report.READ_MIME, read),
             (report.RECORD_MIME, {"name": "a", "value": [1.5]}), (report.READ_MIME, read),
             (report.RECORD_MIME, {"name": "b", "value": 2}),
             (report.KERNEL_MIME, {"executable": "/x/python", "python": "3.11.9"}))
    assert report.notebook_results(nb) == {"b": 2, "a": [1.5]}  # the last value of a name wins
    assert report.notebook_reads(nb) == [read]
    assert report.notebook_kernel(nb) == {"executable": "/x/python", "python": "3.11.9"}
    assert report.dump_results(report.notebook_results(nb)) == '{\n  "a": [\n    1.5\n  ],\n  "b": 2\n}\n'
    path = tmp_path / "out.ipynb"
    path.write_text(json.dumps(nb))
    assert report.notebook_results(path) == {"b": 2, "a": [1.5]}
    with pytest.raises(ParameterError, match="does not exist"):
        report.notebook_results(tmp_path / "missing.ipynb")


def test_note_read_outside_a_kernel_is_kept_in_memory_once():
    report.note_read("IWM", sha256="cd", first=pd.Timestamp("2000-05-26"), last=dt.date(2026, 7, 10), rows=3)
    report.note_read("IWM", sha256="cd", first="2000-05-26", last="2026-07-10", rows=3)
    assert report.reads() == [{"dataset": "IWM", "sha256": "cd", "first": "2000-05-26", "last": "2026-07-10",
                               "rows": 3}]


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
