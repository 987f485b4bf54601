"""rotation.notebook.rules: every rule a notebook enforces in its kernel is declared once and refused before any
kernel starts (issue 26, row 11), on the real notebooks' parameter cells; values of a documented length; floats in
exponent notation."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError, RotationError
from rotation.notebook.parameters import TEXT_MAX, check_parameters
from rotation.notebook.rules import LIST_MAX, RELATIONS, RULES, Rule
from rotation.runner import coerce_parameters, list_notebooks, notebook_parameters, plan_parameters

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = list_notebooks(ROOT / "notebooks")
SPECS = {nb: notebook_parameters(nb) for nb in NOTEBOOKS}


def _declaring(name: str) -> list[Path]:
    return [nb for nb, specs in SPECS.items() if name in specs]


def _num(x: float, kind: str) -> str:
    return str(int(x)) if kind == "int" else repr(float(x))


def _cases(rule: Rule, kind: str) -> tuple[list[str], list[str]]:
    """(values as typed after -p NAME= that the rule refuses, values at its edge it accepts) for a parameter of
    ``kind`` (``int``, ``float``, ``str``, ``list[int]``, ``list[str]``)."""
    item = kind[5:-1] if kind.startswith("list[") else kind
    wrap = (lambda t: f"[{t}]") if kind.startswith("list[") else (lambda t: t)  # noqa: E731
    bad: list[str] = []
    good: list[str] = []
    step = 1 if item == "int" else 1e-9
    if rule.low is not None:
        bad.append(wrap(_num(rule.low if rule.low_open else rule.low - step, item)))
        good.append(wrap(_num(rule.low + (step if rule.low_open else 0) if item == "int" or not rule.low_open
                              else rule.low + 0.001, item)))
    if rule.high is not None:
        bad.append(wrap(_num(rule.high if rule.high_open else rule.high + step, item)))
        good.append(wrap(_num(rule.high - (0.001 if rule.high_open else 0), item)))
    if rule.choices:
        bad.append(wrap("nope"))
        good.extend(wrap(c) for c in rule.choices)
    if rule.item is not None:
        bad.append(wrap("NOPE:x"))
    if rule.min_items:
        bad.append("[]")
    if rule.required:
        bad.append("")
    if rule.increasing:
        bad.append("[1999-12-31, 1981-12-31]")
    return bad, good


RULE_CASES = [(name, nb) for name in RULES for nb in _declaring(name)]


def test_every_rule_belongs_to_a_notebook_parameter_and_the_defaults_pass():
    """No rule is dead (each names a parameter some notebook declares), and every notebook's defaults obey them
    all: a run without -p is never refused."""
    assert not [name for name in RULES if not _declaring(name)]
    assert all(any(all(n in s for n in rel.names) for s in SPECS.values()) for rel in RELATIONS)
    for nb in NOTEBOOKS:
        plan_parameters([nb], {})


@pytest.mark.parametrize(("name", "nb"), RULE_CASES, ids=[f"{n}-{nb.stem[:2]}" for n, nb in RULE_CASES])
def test_each_rule_refuses_before_any_kernel_and_accepts_its_edge(name, nb):
    spec = SPECS[nb][name]
    bad, good = _cases(RULES[name], spec.type)
    assert bad, f"no refused value derived for {name}"
    for text in bad:
        with pytest.raises(ParameterError, match=f"parameter '{name}' of {nb.stem}"):
            plan_parameters([nb], {name: text})
    for text in good:  # the value alone (a relation with another parameter may still refuse it: test_relations)
        coerce_parameters(nb, {name: text})


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("null_reps", "10", "at least 19 paths"),
    ("breakout_rule", "highs", "one of 'high', 'ma'"),
    ("dollar_sampling", "median", "one of 'last', 'mean'"),
    ("benchmark", "SPX", "a ticker of the price data"),
    ("release_lags", "UNRATE=ten", "KEY:DAYS"),
    ("release_lags", "NOSUCH:10", "unknown dataset"),
    ("sectors", "XLB,DGS10", "a ticker of the price data"),
], ids=["null_reps", "breakout_rule", "dollar_sampling", "benchmark", "lag-days", "lag-key", "sector-not-a-price"])
def test_the_probed_values_are_refused_naming_the_rule(name, value, needle):
    nb = _declaring(name)[0]
    with pytest.raises(ParameterError, match=needle):
        plan_parameters([nb], {name: value})


def test_what_the_rules_refuse_the_studies_refuse_too():
    """The rules say what the kernel would say: the studies the notebooks call refuse the same values."""
    from rotation.data import load
    from rotation.data.timing import lag_overrides
    from rotation.studies import nulls, series, signals

    rng = np.random.default_rng(0)
    idx = pd.date_range("1990-01-31", periods=240, freq="ME")
    rets = pd.DataFrame(rng.normal(0, 0.04, (240, 2)), index=idx, columns=["small", "large"])
    common = dict(lookback=12, gap=12, k=3, block_size=12, seed=0)
    nulls.false_breakout_null(rets, rule="high", reps=19, **common)  # the edge the rule accepts
    with pytest.raises(ParameterError, match="reps must be an integer >= 19"):
        nulls.false_breakout_null(rets, rule="high", reps=18, **common)
    with pytest.raises(ParameterError, match="rule must be one of"):
        signals.breakout_signals(pd.Series(np.exp(rng.normal(0, 0.1, 240).cumsum()), index=idx), 12, rule="highs")
    level = pd.Series(np.linspace(90, 110, 240), index=idx)
    with pytest.raises(ParameterError, match="how must be one of 'last', 'mean'"):
        series.chain_indexes([level], freq="ME", how="median")
    with pytest.raises(ParameterError, match="KEY:DAYS"):
        lag_overrides(["UNRATE=ten"])
    with pytest.raises(RotationError, match="unknown dataset 'SPX'"):
        load("SPX")


def test_relations_are_checked_on_the_values_together():
    nb = {n.stem[:2]: n for n in NOTEBOOKS}
    with pytest.raises(ParameterError, match="start 2010-01-31 is after end 2000-01-31; swap them"):
        plan_parameters([nb["01"]], {"start": "2010-01-31", "end": "2000-01-31"})
    with pytest.raises(ParameterError, match=r"weak_threshold \(0.1\) must be <= strong_threshold \(0.05\)"):
        plan_parameters([nb["02"]], {"weak_threshold": "0.1"})
    with pytest.raises(ParameterError, match="min_move .* must be <= min_swing"):
        plan_parameters([nb["03"]], {"min_move": "0.5", "inferred_min_swing": "1"})
    with pytest.raises(ParameterError, match="event_after \\(6\\) must be at least every fwd_horizons"):
        plan_parameters([nb["03"]], {"event_after": "6"})
    plan_parameters([nb["05"]], {"event_after": "6"})  # 05 has no such horizon: 6 months is fine there
    with pytest.raises(ParameterError, match="both 0: the window would be empty"):
        plan_parameters([nb["04"]], {"santa_days_before": "0", "santa_days_after": "0"})
    with pytest.raises(ParameterError, match="sectors must include XLK"):
        plan_parameters([nb["07"]], {"sectors": "XLB,XLE"})


def test_grid_values_and_combinations_are_checked_before_anything_runs(tmp_path):
    from rotation.runner.grid import check_grid

    nb01 = next(n for n in NOTEBOOKS if n.stem.startswith("01"))
    with pytest.raises(ParameterError, match="grid value null_reps='10' is refused: .*at least 19"):
        check_grid([nb01], {"null_reps": ["500", "10"]})
    with pytest.raises(ParameterError, match="grid combination start='2010-01-31', end='2000-01-31' is refused"):
        check_grid([nb01], {"start": ["1990-01-31", "2010-01-31"], "end": ["2000-01-31"]})


def test_the_in_kernel_check_applies_the_same_rules():
    with pytest.raises(ParameterError, match="at least 19 paths"):
        check_parameters({"null_reps": 10})
    with pytest.raises(ParameterError, match="one of 'high', 'ma'"):
        check_parameters({"breakout_rule": "highs"})


def test_floats_may_use_exponent_notation():
    nb01 = next(n for n in NOTEBOOKS if n.stem.startswith("01"))
    (overrides, effective), = plan_parameters([nb01], {"level_within": "2e-2", "blowoff_threshold": "9.9E-1"})
    assert overrides["level_within"] == 0.02 and effective["blowoff_threshold"] == 0.99
    with pytest.raises(ParameterError, match="must be int, got '1e3'"):
        plan_parameters([nb01], {"null_reps": "1e3"})  # an int stays a whole number as written


def test_a_long_value_is_refused_and_not_echoed(tmp_path, capsys):
    from rotation.cli import main

    nb01 = next(n for n in NOTEBOOKS if n.stem.startswith("01"))
    huge = "x" * 2_000_000
    for params in ({"proxy": huge}, {"horizons": "1," * 600_000 + "1"}, {huge: "1"}):
        with pytest.raises(ParameterError) as err:
            plan_parameters([nb01], params)
        assert len(str(err.value)) < 2 * TEXT_MAX
    with pytest.raises(ParameterError, match=f"more than {LIST_MAX}"):
        plan_parameters([nb01], {"horizons": list(range(1, 200))})
    with pytest.raises(ParameterError, match="characters long"):
        plan_parameters([n for n in NOTEBOOKS if n.stem.startswith("07")], {"benchmark": "S" * (TEXT_MAX + 1)})
    code = main(["run", str(nb01), "-p", f"proxy={huge}", "--out", str(tmp_path / "run"), "-q"])
    captured = capsys.readouterr()
    assert code == 1 and len(captured.out + captured.err) < 2 * TEXT_MAX
    assert "characters long, more than 1,000" in captured.err
    assert not (tmp_path / "run").exists()  # refused before anything was written


def test_numbers_in_messages_are_shown_short():
    from rotation.notebook.rules import shown

    assert shown("abc") == "'abc'"
    text = shown("y" * 10_000)
    assert len(text) < 100 and "10,002 characters" in text
    assert not math.isnan(RULES["policy_hysteresis"].high or math.nan)
