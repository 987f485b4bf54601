"""The synthesis claim's evidence (notebook 08): the same verdict as the evidence the notebook used to build by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.evidence import claims, rubric
from rotation.evidence import signals as evidence
from rotation.stats.units import Units
from rotation.studies import answer, economy, returns


def _made_up(n: int = 300, seed: int = 2):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1990-01-31", periods=n, freq="ME", name="date")
    states = pd.DataFrame({k: rng.integers(0, 2, n).astype(float) for k in ("a", "b", "c", "d")}, index=idx)
    share = states.mean(axis=1).shift(1).fillna(0.5)
    rets = pd.DataFrame({"small": rng.normal(0.01, 0.05, n) + 0.02 * (share - 0.5),
                         "large": rng.normal(0.008, 0.04, n)}, index=idx)
    alt_rets = pd.DataFrame({"small": rets["small"] + rng.normal(0, 0.01, n), "large": rets["large"]}, index=idx)
    return rets, alt_rets, states


def test_verdict_equals_the_evidence_the_notebook_built(monkeypatch):
    rets, alt_rets, states = _made_up()
    monkeypatch.setattr(evidence.board, "states", lambda proxy, as_of=None: (states.loc[:as_of], None))
    rel = returns.relative_returns(rets["small"], rets["large"])
    h = claims.get("breakout_new_year").decision.horizon
    like = answer.months_like_today(rel, states, horizon=h)
    oos = answer.composite(rel, states, horizon=h, min_train=60)
    (got,) = evidence.verdicts(proxy="p1", alt="p2", rel=rel, alt_rets=alt_rets, answer=like, composite=oos,
                               as_of=None, max_age=6, min_train=60)

    # the notebook's former findings cell, on the same inputs
    like_today = like.data["like_today"]
    rel_alt = returns.relative_returns(alt_rets["small"], alt_rets["large"])
    ans_main = economy.state_difference(rel, like_today, horizon=h)
    ans_alt = economy.state_difference(rel_alt, like_today, horizon=h)
    mid = rel.index[len(rel) // 2]
    halves = [economy.state_difference(rel.loc[a:b], like_today, horizon=h) for a, b in ((None, mid), (mid, None))]
    table = oos.data
    best = table.drop(index="composite")["oos_r2"].astype(float).idxmax()
    units = Units.returns(f"decimal relative return over the next {h} months, months like today minus the others")
    # the sample line is the test's own months: a known state and a complete forward window (not the return sample)
    complete = rel.index[:len(rel) - h]
    own = complete[like_today.reindex(complete).notna().to_numpy()]
    want = rubric.decide(rubric.Evidence(
        claim_id="breakout_new_year",
        headline=rubric.Effect.from_row("months within one signal of today's share of favourable signals (p1)",
                                        ans_main,
                                        units),
        sample=rubric.Sample.of("p1", own),
        method=f"forward {h}-month relative return on a state dummy, HAC ({max(h - 1, 12)} lags); "
               f"composite OOS R2 {table.loc['composite', 'oos_r2']:+.3f} (best single signal: {best}, "
               f"{table.loc[best, 'oos_r2']:+.3f})",
        checks=(rubric.Check("proxy", rubric.Effect.from_row("months like today (p2)", ans_alt, units)),
                *(rubric.Check("subperiod", rubric.Effect.from_row(f"{'first' if i == 0 else 'second'} half", r,
                                                                    units)) for i, r in enumerate(halves))),
        caveats=("Signals start at different dates; the share counts the signals known at each month end.",
                 "Macro signals (the Sahm rule, sentiment) on the real-time basis where FRED-MD vintages cover the "
                 "month (1999-08 to the last vintage); release-timed latest values elsewhere, and the NFCI is "
                 "today's vintage.",
                 "Earnings, short interest and fund flows are not in the board: no free data."),
    ), then=got.then)
    assert got.to_record() == want.to_record()
    assert got.sample.n == len(own) < len(rel)
    assert [c.kind for c in got.checks] == ["proxy", "subperiod", "subperiod"]


def test_verdicts_refuse_results_at_another_horizon_and_bad_returns():
    rets, alt_rets, states = _made_up()
    rel = returns.relative_returns(rets["small"], rets["large"])
    like = answer.months_like_today(rel, states, horizon=1)
    oos = answer.composite(rel, states, horizon=3, min_train=60)
    with pytest.raises(ParameterError, match="deciding horizon"):
        evidence.verdicts(proxy="p1", alt="p2", rel=rel, alt_rets=alt_rets, answer=like, composite=oos,
                          as_of=None, max_age=6, min_train=60)
    like3 = answer.months_like_today(rel, states, horizon=3)
    with pytest.raises(ParameterError, match="alt_rets must be a DataFrame"):
        evidence.verdicts(proxy="p1", alt="p2", rel=rel, alt_rets=alt_rets["small"], answer=like3, composite=oos,
                          as_of=None, max_age=6, min_train=60)


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
