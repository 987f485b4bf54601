"""Notebook 05's evidence: each verdict is built from the studies' rows, with the declared checks, on made-up data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.evidence import claims, rubric
from rotation.evidence import economy as ev
from rotation.stats.units import format_p
from rotation.studies import cycle_phases as cp
from rotation.studies import economy as ec
from rotation.studies import macro_signals as ms
from rotation.studies.returns import relative_returns


def months(n, start="1970-01-31"):
    return pd.date_range(start, periods=n, freq="ME", name="date")


def _pair(rng, market, usrec):
    large = market + rng.normal(0, 0.005, len(market))
    small = (1 + large) * (1 + 0.2 * market - 0.01 * usrec + rng.normal(0, 0.01, len(market))) - 1
    return pd.DataFrame({"small": small, "large": large})


@pytest.fixture(scope="module")
def made_up():
    n = 600
    rng = np.random.default_rng(5)
    idx = months(n)
    usrec = pd.Series(((np.arange(n) % 60) >= 50) & ((np.arange(n) % 60) < 58), index=idx).astype(int)
    market = pd.Series(rng.normal(0.005, 0.045, n), index=idx)
    main, alt_rets = _pair(rng, market, usrec), _pair(rng, market, usrec)
    rel = relative_returns(main["small"], main["large"])
    unrate = pd.Series(4.0 + usrec.rolling(3, min_periods=1).sum() + rng.normal(0, 0.1, n), index=idx)
    walk = lambda lvl, s: pd.Series(lvl * np.exp(np.cumsum(rng.normal(0.002, s, n))), index=idx)  # noqa: E731
    known = {"UNRATE": unrate, "ICSA": walk(3e5, 0.05), "PAYEMS": walk(1e5, 0.004), "INDPRO": walk(80, 0.01),
             "GDPC1": walk(1e4, 0.008), "UMCSENT": pd.Series(85 + np.cumsum(rng.normal(0, 2, n)), index=idx),
             "T10Y2Y": pd.Series(np.sin(np.arange(n) / 20), index=idx), "CPIAUCSL": walk(50, 0.003)}
    sahm = ec.sahm_rule(unrate)
    states = ms.signal_states(known, sahm)
    flag = ec.late_cycle_realtime(unrate, known["T10Y2Y"], band=0.5, curve_max=0.25)
    late = cp.late_cycle_study(rel, usrec, flag, horizons=[3, 12], horizon=ev.deciding_horizon("late_cycle"))
    recession = cp.recession_shortfall(rel, market, usrec)
    verdicts = ev.verdicts(proxy="main", alt="other", rel=rel, alt_rets=alt_rets, usrec=usrec, market=market,
                           states=states, late_flag=flag, late=late, recession=recession)
    return dict(verdicts=verdicts, rel=rel, alt=relative_returns(alt_rets["small"], alt_rets["large"]),
                usrec=usrec, market=market, states=states, flag=flag, late=late, recession=recession)


def test_the_deciding_horizon_is_the_declared_one():
    assert ev.deciding_horizon() == claims.get("economic_resilience").decision.horizon == 6


def test_late_cycle_is_decided_by_the_flag_known_at_the_time(made_up):
    """The NBER thirds need the next peak (hindsight): described in a caveat, never the headline or a check."""
    late_v, late = made_up["verdicts"][0], made_up["late"]
    assert claims.get("late_cycle").decision.horizon == 6
    head = late["realtime_fwd6m"]
    assert late_v.claim_id == "late_cycle" and late_v.status in rubric.STATUSES
    assert (late_v.headline.estimate, late_v.headline.p_value) == (head.estimate, head.p_value)
    # without the real-time signals the verdict is on release-timed values, and its label says so
    assert late_v.headline.label == ("late cycle (release-timed, latest vintage), next 6 months minus other months "
                                     "(main)")
    alt = ec.state_difference(made_up["alt"], made_up["flag"], horizon=6)
    assert [(c.kind, c.effect.estimate) for c in late_v.checks] == [
        ("proxy", alt.estimate), ("horizon", late["realtime_fwd3m"].estimate),
        ("horizon", late["realtime_fwd12m"].estimate)]
    nber = late["nber_same_month"].estimate
    assert all(c.effect.estimate != nber for c in late_v.checks)
    assert late_v.caveats[-1].startswith("Described, not deciding") and f"{nber:+.2%}" in late_v.caveats[-1]
    # the sample line is the test's own: months with a known flag and a complete 6-month window
    fwd = (1 + made_up["rel"]).rolling(6).apply(np.prod, raw=True).shift(-6) - 1
    own = pd.concat([fwd, made_up["flag"]], axis=1, join="inner").dropna().index
    assert (late_v.sample.start, late_v.sample.end, late_v.sample.n) == (
        f"{own[0]:%Y-%m-%d}", f"{own[-1]:%Y-%m-%d}", len(own))
    assert late_v.sample.n < len(made_up["rel"])


def test_resilience_verdict_in_each_half(made_up):
    res_v = made_up["verdicts"][1]
    rel, resilient = made_up["rel"], ms.resilient_state(made_up["states"])
    main = ec.state_difference(rel, resilient, horizon=6)
    assert res_v.headline.estimate == main.estimate and res_v.headline.nobs == main.nobs
    mid = rel.index[len(rel) // 2]
    second = ec.state_difference(rel.loc[mid:], resilient, horizon=6)
    assert [c.kind for c in res_v.checks] == ["proxy", "subperiod", "subperiod"]
    assert res_v.checks[2].effect.label == "resilient economy, second half"
    assert res_v.checks[2].effect.estimate == second.estimate
    assert res_v.headline.units.text == ("decimal relative return over the next 6 months, in the state minus other "
                                         "months")
    assert res_v.method == ("forward 6-month returns on a state dummy, HAC (12 lags); macro data lagged to "
                            "publication")


def test_recession_risk_is_decided_by_the_unconditional_shortfall(made_up):
    """The claim names an outcome; a higher market beta is part of it: beyond the beta is the control check."""
    rec_v, rel, usrec = made_up["verdicts"][2], made_up["rel"], made_up["usrec"]
    inside, outside = rel[usrec == 1], rel[usrec == 0]
    assert rec_v.headline.estimate == pytest.approx(inside.mean() - outside.mean(), abs=1e-12)
    c = made_up["recession"]["beyond_beta"].row("indicator")
    assert rec_v.headline.label == (
        "recession months minus other months (main), which decides: the claim names the outcome, and a higher market "
        f"beta is part of it (beyond the market beta, the control check: {c['estimate']:+.2%}, "
        f"{format_p(c['p_value'])})")
    assert rec_v.headline.ci_upper < 0  # the planted shortfall
    alt, ua = made_up["alt"], usrec.reindex(made_up["alt"].index)
    assert rec_v.checks[0].kind == "proxy"
    assert rec_v.checks[0].effect.estimate == pytest.approx(alt[ua == 1].mean() - alt[ua == 0].mean(), abs=1e-12)
    beyond = ec.interaction_regression(rel, made_up["market"].reindex(rel.index), usrec.reindex(rel.index),
                                       maxlags=12)
    assert (rec_v.checks[1].kind, rec_v.checks[1].effect.estimate) == ("control", beyond.row("indicator")["estimate"])
    assert "unconditional shortfall decides" in rec_v.method
    assert rec_v.sample.n == len(rel)
    decision = claims.get("recession_risk")
    assert decision.decision.checks == ("proxy", "control") and "unconditional shortfall decides" in decision.hypothesis


def test_resilience_sample_is_its_own_test(made_up):
    res_v, rel = made_up["verdicts"][1], made_up["rel"]
    own = ec.state_difference(rel, ms.resilient_state(made_up["states"]), horizon=6).data.index
    assert (res_v.sample.start, res_v.sample.n) == (f"{own[0]:%Y-%m-%d}", len(own))
