"""The synthesis claim's evidence (notebook 08): decided by the declared forecast, gated by out-of-sample skill."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.evidence import claims, rubric
from rotation.evidence import forecast as ef
from rotation.evidence import signals as evidence
from rotation.stats.results import Sentence
from rotation.studies import forecast as study


def _made_up(years: int = 80, seed: int = 2):
    """A board of eight signals and two log relative-strength lines (the proxy and a second proxy)."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1946-01-31", "2025-08-31", freq="ME", name="date")[: 12 * years]
    states = pd.DataFrame({f"s{i}": rng.integers(0, 2, len(idx)).astype(float) for i in range(8)}, index=idx)
    lr = pd.Series(np.cumsum(rng.normal(0.0, 0.03, len(idx))), index=idx)
    alt = lr + pd.Series(np.cumsum(rng.normal(0, 0.01, len(idx))), index=idx)
    return lr, alt, states


def _verdict(monkeypatch, lr, alt, states, *, as_of=None, reps=300):
    monkeypatch.setattr(ef.board, "states", lambda proxy, as_of=None: (states.loc[:as_of], None))
    fc = ef.declared_forecast(lr.loc[:as_of], states.loc[:as_of], as_of=as_of, reps=reps)
    then = ef.commentary_forecast("p1", lr.loc[:as_of], max_age=12, as_of=as_of, reps=reps)
    (v,) = evidence.verdicts(proxy="p1", alt="p2", forecast=fc, alt_log_ratio=alt.loc[:as_of], commentary=then)
    return v, fc, then


def test_the_verdict_is_the_declared_forecast_against_the_base_rate_gated_by_skill(monkeypatch):
    lr, alt, states = _made_up()
    v, fc, then = _verdict(monkeypatch, lr, alt, states)
    assert v.headline.estimate == fc.gap["estimate"] == fc.breakout("model") - fc.breakout("base")
    assert (v.headline.ci_lower, v.headline.ci_upper) == (fc.gap["ci_lower"], fc.gap["ci_upper"])
    assert v.headline.units.scale == "points" and v.headline.nobs == fc.n_train
    assert (v.skill.estimate, v.skill.ci_lower, v.skill.nobs) == (fc.scores["brier_skill"], fc.scores["ci_lower"],
                                                                   fc.scores["n"])
    assert v.sample.n == fc.scores["n"] and v.sample.end == f"{fc.forecast_date:%Y-%m-%d}"
    # noise signals: no skill, so the claim is not supported and the answer is the base rate
    assert fc.scores["ci_lower"] <= 0 and v.status == "not supported" and v.rule == "R5"
    assert "no out-of-sample skill" in v.reasons[0] and v.answer.startswith("The base rate: a breakout")
    assert f"January {fc.window_end.year} {fc.breakout('base'):.0%}, as in other years" in v.answer
    # checks: the same board on the second proxy's line, and the forecast trained on each half of the years
    proxy, first, second = v.checks
    assert proxy.kind == "proxy" and proxy.effect.estimate == study.on_line(fc, alt).gap["estimate"]
    assert [c.kind for c in (first, second)] == ["subperiod", "subperiod"]
    assert [c.effect.estimate for c in (first, second)] == list(fc.halves["estimate"])
    # then: the forecast as of the commentary's date
    assert v.then.verdict.headline.estimate == then.forecast.gap["estimate"]
    assert v.then.verdict.sample.end == claims.COMMENTARY_DATE
    rec = v.to_record()
    assert rec["skill"]["estimate"] == fc.scores["brier_skill"] and rec["decision"]["skill"]


def test_with_skill_the_gap_decides(monkeypatch):
    """Past the skill gate the gap's interval, the second proxy and the halves decide, as for any claim."""
    lr, alt, states = _made_up()
    _, fc, _ = _verdict(monkeypatch, lr, alt, states)
    ev = evidence.forecast_evidence("p1", "p2", fc, study.on_line(fc, alt))
    then = rubric.undecided_then("breakout_new_year", "not computed")

    def gap(x, lo, hi):
        return rubric.Effect(label="gap", estimate=x, units=ev.headline.units, ci_lower=lo, ci_upper=hi, nobs=80)

    up = replace(ev, headline=gap(0.12, 0.04, 0.2),
                 checks=(rubric.Check("proxy", gap(0.1, 0.01, 0.2)), rubric.Check("subperiod", gap(0.1, -0.1, 0.3)),
                         rubric.Check("subperiod", gap(0.2, 0.0, 0.4))))
    skilled = replace(ev.skill, estimate=0.2, ci_lower=0.05, ci_upper=0.3)
    assert rubric.decide(replace(up, skill=skilled), then=then).status == "supported"
    assert rubric.decide(up, then=then).rule == "R5"  # the same gap without skill: the answer is the base rate
    down = replace(up, headline=gap(-0.12, -0.2, -0.04), checks=tuple(
        rubric.Check(c.kind, gap(-c.effect.estimate, -c.effect.ci_upper, -c.effect.ci_lower)) for c in up.checks))
    assert rubric.decide(replace(down, skill=skilled), then=then).status == "contradicted"
    no_interval = replace(ev.skill, ci_lower=None, ci_upper=None)
    assert rubric.decide(replace(up, skill=no_interval), then=then).rule == "R2"
    with pytest.raises(ParameterError, match="lacks the declared out-of-sample skill"):
        rubric.decide(replace(ev, skill=None), then=then)


def test_a_run_before_the_commentary_decides_then_at_its_own_end(monkeypatch):
    lr, alt, states = _made_up()
    asked = []

    def board_states(proxy, as_of=None):
        asked.append(as_of)
        return states.loc[:as_of], None

    v, fc, then = _verdict(monkeypatch, lr, alt, states, as_of="2015-12-31")
    monkeypatch.setattr(ef.board, "states", board_states)
    evidence.verdicts(proxy="p1", alt="p2", forecast=fc, alt_log_ratio=alt.loc[:"2015-12-31"], commentary=then)
    assert isinstance(then, Sentence) and asked == []  # nothing is read as of the later commentary date
    assert v.then.verdict.sample.end == "2015-12-31" and "before the commentary" in v.then.verdict.caveats[-1]


def test_with_no_past_forecast_scored_the_verdict_is_inconclusive(monkeypatch):
    lr, alt, states = _made_up(years=30)  # 1946-1975: fewer than 20 earlier years known before the last ones
    v, fc, _ = _verdict(monkeypatch, lr, alt, states, as_of="1966-08-31")
    assert fc.scores["n"] == 0 and v.sample.n == 0
    assert v.status == "inconclusive" and v.rule == "R2" and "no interval" in v.reasons[0]
    assert "no past forecast scored" in v.method


def test_verdicts_refuse_what_is_not_a_forecast():
    lr, alt, states = _made_up()
    with pytest.raises(ParameterError, match="forecast must be a BreakoutForecast"):
        evidence.verdicts(proxy="p1", alt="p2", forecast=states, alt_log_ratio=alt, commentary=None)
    with pytest.raises(ParameterError, match="alt_log_ratio"):
        evidence.verdicts(proxy="p1", alt="p2", forecast=None, alt_log_ratio=states, commentary=None)


def test_claims_table_lists_every_claim_in_order():
    table = evidence.claims_table()
    assert list(table.index) == claims.ids()
    assert table.loc["breakout_new_year", "decided in"] == "08_signals"
    assert table.loc["short_squeeze", "decided in"] == "not testable with free data"
    assert table.loc["short_squeeze", "test"].startswith("Short interest")


def test_claims_table_says_when_each_claim_is_judged():
    table = evidence.claims_table()
    for c in claims.state_claims():
        assert table.loc[c.id, "when"] == f"state: then ({claims.COMMENTARY_DATE}) and now; then = {c.dated}"
    assert table.loc["january_effect", "when"] == table.loc["weaker_dollar", "when"] == "pattern: undated"
    assert table.loc["short_squeeze", "when"] == ""
