"""Claims about a state are dated: decided *then* (on the data published by the commentary's date) and *now*.

The rubric refuses a state claim without its "then" and a pattern claim with one; each evidence builder that
decides a state claim computes "then" by running the same study on the data cut at the date, so the "then"
verdict does not move when the data after the date change (checked on made-up series, study by study).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.evidence import claims, dated
from rotation.evidence import economy as economy_evidence
from rotation.evidence import forecast as forecast_evidence
from rotation.evidence import relative_strength as rs_evidence
from rotation.evidence import signals as signals_evidence
from rotation.evidence import valuation as valuation_evidence
from rotation.evidence.rubric import Abroad, Check, Effect, Evidence, Sample, Then, decide, undecided_then
from rotation.stats.units import Units
from rotation.studies import cycle_phases as cp
from rotation.studies import economy as ec
from rotation.studies import levels, nulls
from rotation.studies import macro_signals as ms
from rotation.studies import quality as qu
from rotation.studies import relative_strength as rs
from rotation.studies import valuation as va
from rotation.studies.international import international_study
from rotation.studies.returns import relative_returns

ARTICLE = Path("/work/shared/seed-article.txt")
DATE = pd.Timestamp(claims.COMMENTARY_DATE)
AFTER = DATE + pd.Timedelta(days=1)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2014", " ").replace("\u201c", '"').replace("\u201d", '"')).lower()


def test_the_commentary_date_is_declared_once_with_the_articles_evidence():
    assert claims.COMMENTARY_DATE == dated.AS_OF == "2023-11-30"
    assert pd.Timestamp(claims.COMMENTARY_DATE).is_month_end
    assert len(claims.COMMENTARY_EVIDENCE) >= 4
    if not ARTICLE.exists():
        pytest.skip("the seed article is not on this machine")
    article = _words(ARTICLE.read_text(encoding="utf-8"))
    for quote, _ in claims.COMMENTARY_EVIDENCE:
        for part in quote.split(" ... "):
            assert _words(part) in article, part


def test_state_claims_are_the_ones_about_late_2023():
    assert [c.id for c in claims.state_claims()] == [
        "underwhelming", "resistance_2000", "rates_borrowing_costs", "economic_resilience", "valuation_discount",
        "breakout_new_year"]
    for pattern in ("january_effect", "weaker_dollar", "santa_claus", "late_cycle", "fed_dovish"):
        assert not claims.get(pattern).is_state and claims.get(pattern).dated == ""
    for c in claims.state_claims():
        assert c.testable and len(c.dated) > 40  # says what "then" means for it


def _state_evidence(estimate: float, end: str = "2026-02-28") -> Evidence:
    e = Effect(label="percentile", estimate=estimate, units=Units.share("percentile (0-1)"),
               thresholds=claims.get("underwhelming").decision.thresholds, nobs=500)
    return Evidence(claim_id="underwhelming", headline=e, sample=Sample("ff30_vw", "1926-07-31", end, 500),
                    method="m", checks=(Check("horizon", e), Check("proxy", e)))


def _pattern_evidence() -> Evidence:
    e = Effect(label="january", estimate=0.03, units=Units.returns("decimal"), ci_lower=0.02, ci_upper=0.04, nobs=99)
    return Evidence(claim_id="january_effect", headline=e, sample=Sample("ff30_vw", "1926-07-31", "2026-02-28", 99),
                    method="m", checks=(Check("proxy", e), Check("subperiod", e)), international=Abroad("t", (e,)))


def test_decide_refuses_a_state_claim_without_then_and_a_pattern_claim_with_one():
    with pytest.raises(ParameterError, match=r"'underwhelming' is a claim about the state .*2023-11-30.*then and now"):
        decide(_state_evidence(0.74))
    with pytest.raises(ParameterError, match=r"'january_effect' is a pattern claim .*no 'then' verdict"):
        decide(_pattern_evidence(), then=_pattern_evidence())
    with pytest.raises(ParameterError, match=r"'then' evidence is for 'january_effect', not 'underwhelming'"):
        decide(_state_evidence(0.74), then=_pattern_evidence())
    assert decide(_pattern_evidence()).then is None and "then" not in decide(_pattern_evidence()).to_record()


def test_a_state_verdict_nests_its_then_verdict():
    v = decide(_state_evidence(0.5), then=_state_evidence(0.05, end="2023-10-31"))
    assert (v.status, v.then.verdict.status) == ("not supported", "supported")
    rec = v.to_record()
    then = rec["then"]
    assert then["as_of"] == claims.COMMENTARY_DATE and then["status"] == "supported" and then["rule"] == "R7"
    assert then["headline"]["estimate"] == 0.05 and then["headline"]["units"] == "percentile (0-1)"
    assert then["sample"]["end"] == "2023-10-31" and then["meaning"] == claims.get("underwhelming").dated
    assert rec["status"] == "not supported" and rec["sample"]["end"] == "2026-02-28"
    gone = undecided_then("underwhelming", "no data published by then")
    v2 = decide(_state_evidence(0.74), then=gone)
    assert isinstance(v2.then, Then) and v2.to_record()["then"]["status"] == "inconclusive"


def test_then_or_undecided_says_why_a_study_cannot_run_then():
    late = pd.Series(1.0, index=pd.date_range("2024-01-31", periods=30, freq="ME"))
    got = dated.then_or_undecided("underwhelming", lambda: _state_evidence(0.1), min_rows=10,
                                  data=dated.then_cut(late))
    assert isinstance(got, Then) and got.verdict.status == "inconclusive" and "no data" in got.verdict.reasons[0]

    def refuses() -> Evidence:
        raise ParameterError("too short")

    got = dated.then_or_undecided("underwhelming", refuses)
    assert isinstance(got, Then) and "too short" in got.verdict.reasons[0]


# --------------------------------------------------------------------------- "then" is blind to data after the date

def _months(start: str, end: str = "2026-02-28") -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq="ME", name="date")


def _perturb(data, seed: int = 99, scale: float = 0.2):
    """``data`` with every value stamped after the commentary's date replaced by noise."""
    out = data.copy()
    after = out.index > DATE
    rng = np.random.default_rng(seed)
    shape = (int(after.sum()),) + (() if out.ndim == 1 else (out.shape[1],))
    out.loc[after] = (out.loc[after].to_numpy() + rng.normal(0, scale, shape)).astype(float)
    return out


def _pair(n_or_idx, seed: int) -> pd.DataFrame:
    idx = n_or_idx
    rng = np.random.default_rng(seed)
    large = rng.normal(0.007, 0.04, len(idx))
    return pd.DataFrame({"small": large + 0.01 * np.sin(np.arange(len(idx)) / 18) + rng.normal(0, 0.03, len(idx)),
                         "large": large}, index=idx)


def _then_and_now(verdicts):
    return ({v.claim_id: v.then.to_record() for v in verdicts if v.then is not None},
            {v.claim_id: v.to_record() for v in verdicts if v.then is not None})


def _relative_strength(rets, alt, close):
    rules = dict(lookback=12, rule="high", gap=12, k=3)
    breakout_rules = dict(rules, horizons=[1, 3, 12], horizon=6, reps=50, seed=0)
    null_rules = dict(rules, block_size=12, reps=19, seed=0)
    daily = pd.DataFrame({"small": np.linspace(-0.01, 0.01, 1500), "large": 0.0},
                         index=pd.bdate_range("2005-01-03", periods=1500))
    placebo, _ = nulls.round_level_placebo(close, within=0.02, hold=3, cluster_days=20, reps=49, seed=0)
    return rs_evidence.verdicts(
        proxy="ff30_vw", alt="iwm_spy", alt_rets=alt, standing=rs.relative_standing(rets),
        breakouts=rs.breakout_study(rets, **breakout_rules), null=nulls.false_breakout_null(rets, **null_rules),
        blowoffs=levels.blowoff_study(daily, window=20, threshold=0.99, min_history=500, horizon=63, near_high=0.1,
                                      reps=20, seed=0),
        placebo=placebo, breakout_rules=breakout_rules, null_rules=null_rules, rets=rets, rut=close,
        level_rules=dict(within=0.02, hold=3, cluster_days=20))


def test_relative_strength_then_does_not_move_with_data_after_the_date():
    idx = _months("1985-01-31")
    rets, alt = _pair(idx, 1), _pair(idx, 2)
    days = pd.bdate_range("2015-01-02", "2026-02-27")
    close = pd.Series(1500 + 700 * np.sin(np.arange(len(days)) / 150), index=days)
    clean_then, clean_now = _then_and_now(_relative_strength(rets, alt, close))
    noisy_close = _perturb(close, 3, 300).clip(lower=100)
    noisy_then, noisy_now = _then_and_now(_relative_strength(_perturb(rets), _perturb(alt), noisy_close))
    assert set(clean_then) == {"underwhelming", "resistance_2000"}
    assert clean_then == noisy_then  # nothing after the date reaches "then"
    assert clean_now["underwhelming"] != noisy_now["underwhelming"]  # ... while "now" sees it
    # Ken French returns are published a month after their month: October 2023 is the last one known then
    assert clean_then["underwhelming"]["sample"]["end"] == "2023-10-31"
    assert clean_then["resistance_2000"]["sample"]["end"] == "2023-11-30"  # closes: known at the close


def _economy(rel_pair, alt_pair, states, usrec, market):
    rel = relative_returns(rel_pair["small"], rel_pair["large"])
    flag = ec.late_cycle_realtime(states.attrs["unrate"], states.attrs["curve"], band=0.5, curve_max=0.25)
    late = cp.late_cycle_study(rel, usrec, flag, horizons=[3, 12], horizon=economy_evidence.deciding_horizon())
    return economy_evidence.verdicts(proxy="ff30_vw", alt="iwm_spy", rel=rel, alt_rets=alt_pair, usrec=usrec,
                                     market=market, states=states, late_flag=flag, late=late,
                                     recession=cp.recession_shortfall(rel, market, usrec))


def test_economy_then_does_not_move_with_data_after_the_date():
    idx = _months("1976-01-31")
    n = len(idx)
    rng = np.random.default_rng(5)
    usrec = pd.Series(((np.arange(n) % 60) >= 50) & ((np.arange(n) % 60) < 58), index=idx).astype(int)
    market = pd.Series(rng.normal(0.005, 0.045, n), index=idx)
    unrate = pd.Series(4.0 + usrec.rolling(3, min_periods=1).sum() + rng.normal(0, 0.1, n), index=idx)
    walk = lambda lvl, s: pd.Series(lvl * np.exp(np.cumsum(rng.normal(0.002, s, n))), index=idx)  # noqa: E731
    known = {"UNRATE": unrate, "ICSA": walk(3e5, 0.05), "PAYEMS": walk(1e5, 0.004), "INDPRO": walk(80, 0.01),
             "GDPC1": walk(1e4, 0.008), "UMCSENT": pd.Series(85 + np.cumsum(rng.normal(0, 2, n)), index=idx),
             "T10Y2Y": pd.Series(np.sin(np.arange(n) / 20), index=idx), "CPIAUCSL": walk(50, 0.003)}

    def states_of(k):
        s = ms.signal_states(k, ec.sahm_rule(k["UNRATE"]))
        s.attrs = {"unrate": k["UNRATE"], "curve": k["T10Y2Y"]}
        return s

    noisy_known = {k: _perturb(v, 7, float(v.std())) for k, v in known.items()}
    clean_then, clean_now = _then_and_now(_economy(_pair(idx, 1), _pair(idx, 2), states_of(known), usrec, market))
    noisy_then, noisy_now = _then_and_now(_economy(_perturb(_pair(idx, 1)), _perturb(_pair(idx, 2)),
                                                   states_of(noisy_known), usrec, market))
    assert set(clean_then) == {"economic_resilience"}
    assert clean_then == noisy_then
    assert clean_now != noisy_now


COLS = ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]


def _valuation(rel_pair, alt_pair, spread):
    idx = rel_pair.index
    rng = np.random.default_rng(3)
    n = len(idx)
    rel = relative_returns(rel_pair["small"], rel_pair["large"])
    frame = pd.DataFrame([[0.1, 0.2, 0.3, 0.3, 0.3, 0.6]] * n, index=idx, columns=COLS)
    op, size, nf = frame + rng.normal(0, 0.02, (n, 6)), frame * 0 + [10, 10, 10, 100, 100, 100], frame * 0 + 1
    ff5 = pd.DataFrame(rng.normal(0, 0.03, (n, 5)), index=idx, columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"])
    h = claims.get("valuation_discount").decision.horizon
    rules = dict(horizons=[12], min_train=240)
    return valuation_evidence.verdicts(
        proxy="ff30_vw", alt="iwm_spy", alt_rets=alt_pair, standing=va.discount_standing(spread),
        predictive=va.spread_predictability(rel, spread["overall"], [12, h], horizon=h, min_train=240),
        quality=qu.quality_study(ff5, rel, "x", op=op, mktcap=size, nfirms=nf, screened=alt_pair["small"],
                                 broad=rel_pair["small"]),
        earnings=qu.earnings_proxy_study(rel, qu.profitability_gap(op, size, nf), 12,
                                         horizon=claims.get("earnings_outlook").decision.horizon, min_train=240),
        rel=rel, spread=spread, predictive_rules=rules,
        international=international_study({"Europe": ff5, "Japan": ff5 * 0.5}, reps=100))


def test_valuation_then_does_not_move_with_data_after_the_date():
    idx = _months("1976-01-31")
    rng = np.random.default_rng(7)
    x = np.zeros(len(idx))
    for t in range(1, len(idx)):
        x[t] = 0.97 * x[t - 1] + rng.normal(0, 0.05)
    spread = pd.DataFrame({"overall": x, "value": x + rng.normal(0, 0.02, len(idx)), "growth": x - 0.1}, index=idx)
    clean_then, clean_now = _then_and_now(_valuation(_pair(idx, 1), _pair(idx, 2), spread))
    noisy_then, noisy_now = _then_and_now(_valuation(_perturb(_pair(idx, 1)), _perturb(_pair(idx, 2)),
                                                     _perturb(spread, 4, 0.5)))
    assert set(clean_then) == {"valuation_discount"}
    assert clean_then == noisy_then
    assert clean_now != noisy_now


def test_signals_then_does_not_move_with_data_after_the_date(monkeypatch):
    """The forecast that decides ``breakout_new_year`` then is made with the board and returns published by the
    date: perturbing every later value and flipping every later state leaves it, and the verdict then, unchanged."""
    idx = _months("1946-01-31")
    rng = np.random.default_rng(2)
    states = pd.DataFrame({k: rng.integers(0, 2, len(idx)).astype(float) for k in "abcdefgh"}, index=idx)

    def run(pair, alt, board_states):
        # the board as the store gives it "as of" a date (rotation.studies.board.states reads the store)
        monkeypatch.setattr(forecast_evidence.board, "states",
                            lambda proxy, as_of=None: (board_states.loc[:as_of], None))
        lrs, alt_lrs = (np.log((1 + p["small"]).cumprod() / (1 + p["large"]).cumprod()) for p in (pair, alt))
        fc = forecast_evidence.declared_forecast(lrs, board_states, reps=200)
        then = forecast_evidence.commentary_forecast("ff30_vw", lrs, max_age=6, reps=200)
        return signals_evidence.verdicts(proxy="ff30_vw", alt="iwm_spy", forecast=fc, alt_log_ratio=alt_lrs,
                                         commentary=then)

    noisy_states = states.copy()
    noisy_states.loc[noisy_states.index > DATE] = 1 - noisy_states.loc[noisy_states.index > DATE]
    clean_then, clean_now = _then_and_now(run(_pair(idx, 1), _pair(idx, 2), states))
    noisy_then, noisy_now = _then_and_now(run(_perturb(_pair(idx, 1)), _perturb(_pair(idx, 2)), noisy_states))
    assert clean_then == noisy_then
    assert clean_now != noisy_now
    assert clean_then["breakout_new_year"]["sample"]["end"] == claims.COMMENTARY_DATE


def test_findings_say_the_verdict_then_under_the_verdict_now():
    from rotation.present.findings import render_findings

    text = render_findings([decide(_state_evidence(0.5), then=_state_evidence(0.05, end="2023-10-31"))])
    assert "⚪ not supported" in text
    line = next(x for x in text.splitlines() if x.startswith("* **Then (2023-11-30)"))
    assert "✅ supported** (rule R7). Now (2026-02-28): ⚪ not supported." in line
    assert "  * Then, headline: percentile: 5% (thresholds 33% / 67%; n = 500)." in text
    assert "  * Then, sample: ff30_vw, 1926-07-31 to 2023-10-31, n = 500 months." in text


def test_docs_explain_dated_claims_as_declared():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "verdicts.md").read_text(encoding="utf-8")
    assert "## Claims about a state are dated" in doc and f'COMMENTARY_DATE = "{claims.COMMENTARY_DATE}"' in doc
    for c in claims.state_claims():
        assert f"| `{c.id}` | {c.notebook} | {c.dated} |" in doc, c.id
    for quote, _ in claims.COMMENTARY_EVIDENCE:
        assert quote in doc


def test_economy_then_reads_no_macro_state_past_the_runs_end():
    """A run ending before the commentary's date: the state reading "then" is the one at the run's end."""
    idx = _months("1976-01-31", "2015-12-31")
    full = _months("1976-01-31")
    n = len(full)
    rng = np.random.default_rng(5)
    unrate = pd.Series(4.0 + rng.normal(0, 0.1, n), index=full)
    walk = lambda lvl, s: pd.Series(lvl * np.exp(np.cumsum(rng.normal(0.002, s, n))), index=full)  # noqa: E731
    known = {"UNRATE": unrate, "ICSA": walk(3e5, 0.05), "PAYEMS": walk(1e5, 0.004), "INDPRO": walk(80, 0.01),
             "GDPC1": walk(1e4, 0.008), "UMCSENT": pd.Series(85 + np.cumsum(rng.normal(0, 2, n)), index=full),
             "T10Y2Y": pd.Series(np.sin(np.arange(n) / 20), index=full), "CPIAUCSL": walk(50, 0.003)}
    states = ms.signal_states(known, ec.sahm_rule(unrate))  # runs past the sample, as the store's macro data do
    pair = _pair(idx, 1)
    rel = relative_returns(pair["small"], pair["large"])
    v = economy_evidence._resilience("ff30_vw", "iwm_spy", rel, relative_returns(_pair(idx, 2)["small"],
                                     _pair(idx, 2)["large"]), states, economy_evidence.deciding_horizon())
    state_note = next(c for c in v.then.verdict.caveats if c.startswith("The state as of"))
    assert "at 2015-12-31" in state_note


def test_rates_then_states_when_the_fed_funds_rate_last_moved():
    from rotation.evidence.rates import _last_move

    idx = pd.date_range("2023-01-31", "2023-10-31", freq="ME")
    chg = pd.DataFrame({"fedfunds": [0.3, 0.2, 0.25, 0.1, 0.2, 0.05, 0.04, 0.21, 0.0, 0.01]}, index=idx)
    assert _last_move(chg).startswith("the last monthly change of the fed funds rate of 0.125 pp or more was 2023-08 "
                                      "(+0.21 pp, monthly average), 2 months before")
    assert _last_move(chg.iloc[:0]) == "no fed funds move in the sample"


def test_rates_then_does_not_move_with_data_after_the_date():
    from rotation.evidence import rates as rates_evidence
    from rotation.studies import rates

    rng = np.random.default_rng(7)
    days = pd.bdate_range("1985-01-01", "2026-02-27")
    daily = {k: pd.Series(3 + np.cumsum(rng.normal(0, 0.03, len(days))), index=days) for k in rates.FRED_SERIES}
    idx = _months("1985-01-31")
    factors = pd.DataFrame({"Mkt-RF": rng.normal(0, 0.04, len(idx)), "HML": rng.normal(0, 0.03, len(idx))}, index=idx)

    def then(pair, alt, daily_levels, fac):
        rel = relative_returns(pair["small"], pair["large"])
        chg = rates.changes(rates.rate_levels(daily_levels, "ME"), rel.index)
        rolling = rates.rolling_rate_betas(rel, chg, window=36)
        return rates_evidence._rates_then("ff30_vw", "iwm_spy", rel, relative_returns(alt["small"], alt["large"]),
                                          chg, fac, rolling)

    clean = then(_pair(idx, 1), _pair(idx, 2), daily, factors)
    noisy = then(_perturb(_pair(idx, 1)), _perturb(_pair(idx, 2)), {k: _perturb(v, 5, 1.0) for k, v in daily.items()},
                 _perturb(factors, 6))
    assert decide(clean, then=clean).to_record() == decide(noisy, then=noisy).to_record()
    assert clean.sample.end == "2023-10-31"  # Ken French months: October is the last one published by then
