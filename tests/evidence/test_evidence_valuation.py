"""Evidence for notebook 06's claims on made-up data: each effect is the study's row (or the same regression on the
second proxy), the checks are the kinds the claims declare, and a study without the deciding horizon is refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence import valuation as evidence
from rotation.studies import quality as qu
from rotation.studies import valuation as va
from rotation.studies.international import international_study
from rotation.studies.returns import relative_returns

COLS = ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]
N = 600


@pytest.fixture(scope="module")
def made_up():
    rng = np.random.default_rng(7)
    idx = pd.date_range("1960-01-31", periods=N, freq="ME")
    x = np.zeros(N)
    for t in range(1, N):
        x[t] = 0.97 * x[t - 1] + rng.normal(0, 0.05)
    spread = pd.DataFrame({"overall": x, "value": x + rng.normal(0, 0.02, N), "growth": x - 0.1}, index=idx)
    rel = pd.Series(np.r_[0, 0.05 * x[:-1]] + rng.normal(0, 0.02, N), index=idx)
    large = pd.Series(rng.normal(0.008, 0.04, N), index=idx)
    small = (1 + large) * (1 + np.r_[0, 0.04 * x[:-1]] + rng.normal(0, 0.02, N)) - 1
    ff5 = pd.DataFrame(rng.normal(0, 0.03, (N, 5)), index=idx, columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"])
    frame = pd.DataFrame([[0.1, 0.2, 0.3, 0.3, 0.3, 0.6]] * N, index=idx, columns=COLS)
    op = frame + rng.normal(0, 0.02, (N, 6))
    size = frame * 0 + [10, 10, 10, 100, 100, 100]
    nf = frame * 0 + [1, 2, 1, 1, 1, 2]
    ijr = pd.Series(rng.normal(0.01, 0.05, N), index=idx)
    iwm = ijr - rng.normal(0.001, 0.01, N)
    h_val = claims.get("valuation_discount").decision.horizon
    h_earn = claims.get("earnings_outlook").decision.horizon
    results = {
        "standing": va.discount_standing(spread),
        "predictive": va.spread_predictability(rel, spread["overall"], [12, h_val], horizon=h_val, min_train=240),
        "quality": qu.quality_study(ff5, rel, "made-up", op=op, mktcap=size, nfirms=nf, screened=ijr, broad=iwm),
        "earnings": qu.earnings_proxy_study(rel, qu.profitability_gap(op, size, nf), 12, horizon=h_earn,
                                            min_train=240),
        "international": international_study({"Europe": ff5, "Japan": ff5 * 0.5, "North America": ff5[["SMB"]]},
                                             reps=200),
    }
    alt_rets = pd.DataFrame({"small": small, "large": large})
    return spread, alt_rets, results


def test_verdicts_rest_on_the_studies_rows(made_up):
    spread, alt_rets, r = made_up
    out = evidence.verdicts(proxy="made_up", alt="alt_up", alt_rets=alt_rets, rel=relative_returns(
        alt_rets["small"], alt_rets["large"]), spread=spread, predictive_rules=dict(horizons=[12], min_train=240), **r)
    assert tuple(v.claim_id for v in out) == evidence.CLAIM_IDS
    val, earn, qual, reports = out
    h = claims.get("valuation_discount").decision.horizon
    row = r["predictive"]["slope"].table.loc[h]
    hod = r["predictive"]["slope_hodrick"].table.loc[h]
    wide = hod if hod["std_err"] > row["std_err"] else row  # the decision declares: the larger standard error
    assert val.headline.estimate == row["estimate"] and val.headline.ci_lower == wide["ci_lower"]
    assert val.headline.nobs == row["nobs"] and f"next {h} months" in val.headline.label
    alt_rel = relative_returns(alt_rets["small"], alt_rets["large"])
    alt_fit = va.predictive_forecast(alt_rel, spread["overall"], h, float(spread["overall"].iloc[-1]))
    kinds = [c.kind for c in val.checks]
    assert kinds == ["proxy", "subperiod", "subperiod", "other"]
    alt_wide = max((alt_fit["slope_row"], alt_fit["hodrick_row"]), key=lambda x: x["std_err"])
    assert val.checks[0].effect.estimate == alt_fit["slope"] and val.checks[0].effect.ci_upper == alt_wide["ci_upper"]
    assert val.checks[0].effect.label.startswith("slope (alt_up), ")
    assert [c.effect.label.split(",")[:2] for c in val.checks[1:3]] == [["slope", " first half"],
                                                                         ["slope", " second half"]]
    assert val.checks[3].effect.estimate == r["standing"].table.loc["overall", "percentile"]
    # the test's own sample: the windows of the deciding regression, not the months of the spread
    assert (val.sample.n, val.sample.start, val.sample.end) == (N - h, "1960-01-31", f"{row['end']:%Y-%m-%d}")
    assert f"HAC ({int(row['maxlags'])} lags)" in val.method and "Hodrick 1B" in val.method
    h_e = claims.get("earnings_outlook").decision.horizon
    assert earn.headline.estimate == r["earnings"]["slope"].table.loc[h_e, "estimate"]
    assert earn.sample.n == r["earnings"]["slope"].table.loc[h_e, "nobs"]
    assert earn.headline.label.startswith("slope on the 12-month change") and earn.checks[0].kind == "proxy"
    assert qual.headline.estimate == r["quality"]["ijr_minus_iwm"].estimate
    assert qual.headline.share_positive == r["quality"]["ijr_minus_iwm"].table.iloc[0]["share_positive"]
    assert qual.checks[0].effect.estimate == r["quality"]["alphas"].table.loc[("SMB", qu.FULL_CONTROLS), "estimate"]
    alphas = r["international"]["alpha"].table
    assert [e.estimate for e in qual.international.counted] == list(alphas.loc[["Europe", "Japan"], "estimate"])
    assert [e.label.split(":")[0] for e in qual.international.shown] == ["North America"]  # holds the US
    assert qual.sample.n == N and reports.status == "not testable"


def test_verdicts_refuse_a_study_without_the_deciding_horizon(made_up):
    spread, alt_rets, r = made_up
    short = va.spread_predictability(alt_rets["small"], spread["overall"], [12], horizon=12, min_train=240)
    with pytest.raises(ParameterError, match="no row for the 36-month horizon"):
        evidence.verdicts(proxy="made_up", alt="alt_up", alt_rets=alt_rets, rel=alt_rets["small"], spread=spread,
                          predictive_rules=dict(horizons=[12], min_train=240), **{**r, "predictive": short})


def test_second_proxy_falls_back_when_it_is_the_proxy():
    assert evidence.second_proxy("ff30_vw", "ff10_vw") == "ff10_vw"
    assert evidence.second_proxy("ff10_vw", "ff10_vw") == "ff30_vw"


def test_the_verdict_uses_the_larger_of_hac_and_hodrick_errors(made_up):
    """Issue 27: overlapping 36-month windows on a persistent spread: HAC errors overstate precision; the claim
    declares that the verdict uses the larger standard error, and the headline's interval is that one (Hodrick 1B
    when the returns are unpredictable noise, HAC on the made-up predictable returns)."""
    spread, alt_rets, r = made_up
    d = claims.get("valuation_discount").decision
    assert d.conservative == ("HAC", "Hodrick 1B") and d.to_record()["conservative"] == ["HAC", "Hodrick 1B"]
    noise = pd.Series(np.random.default_rng(5).normal(0, 0.03, N), index=spread.index)
    null = va.spread_predictability(noise, spread["overall"], [12, 36], horizon=36, min_train=240)
    picked = []
    for predictive in (r["predictive"], null):
        val = evidence.verdicts(proxy="made_up", alt="alt_up", alt_rets=alt_rets, rel=alt_rets["small"],
                                spread=spread, predictive_rules=dict(horizons=[12, 36], min_train=240),
                                **{**r, "predictive": predictive})[0]
        hac = predictive["slope"].table.loc[d.horizon]
        hod = predictive["slope_hodrick"].table.loc[d.horizon]
        wide, name = (hod, "Hodrick 1B") if hod["std_err"] > hac["std_err"] else (hac, "HAC")
        assert (val.headline.ci_lower, val.headline.ci_upper) == (wide["ci_lower"], wide["ci_upper"])
        assert val.headline.label.endswith(f"{name} errors")
        picked.append(name)
    assert picked == ["HAC", "Hodrick 1B"]
    with pytest.raises(ParameterError, match="Decision.conservative"):
        claims.Decision(conservative=("bootstrap",))


def test_a_spread_that_ends_before_the_returns_keeps_its_last_windows(made_up):
    """Issue 27: the valuation series ends before the returns; every window whose returns are complete counts."""
    spread, alt_rets, r = made_up
    rel = relative_returns(alt_rets["small"], alt_rets["large"])
    short = spread["overall"].iloc[: N - 20]  # the spread ends 20 months before the returns
    res = va.spread_predictability(rel, short, [12, 36], horizon=36, min_train=240)
    slope = res["slope"].table
    for h in (12, 36):
        last = min(N - 20, N - h) - 1  # the predictor is known and the h returns are complete
        assert slope.loc[h, "nobs"] == last + 1 and slope.loc[h, "end"] == spread.index[last]
        assert res["out_of_sample"].table.loc[h, "end"] == spread.index[last]


def test_docs_explain_the_conservative_errors_for_every_claim_that_declares_them():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "verdicts.md").read_text(encoding="utf-8")
    section = doc[doc.index("### Conservative standard errors"):]
    declared = [c.id for c in claims.CLAIMS_LIST if c.testable and c.decision.conservative]
    assert declared == ["valuation_discount", "earnings_outlook"]
    for cid in declared:
        assert f"`{cid}`" in section, cid
    assert 'conservative=("HAC", "Hodrick 1B")' in section and "larger standard error" in section
