"""Notebook 05's evidence: each verdict is built from the studies' rows, with the declared checks, on made-up data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.evidence import claims, rubric
from rotation.evidence import economy as ev
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
    late = cp.late_cycle_study(rel, usrec, flag, horizons=[3, 12], horizon=ev.deciding_horizon())
    recession = cp.recession_beyond_beta(rel, market, usrec)
    verdicts = ev.verdicts(proxy="main", alt="other", rel=rel, alt_rets=alt_rets, usrec=usrec, market=market,
                           states=states, late=late, recession=recession)
    return dict(verdicts=verdicts, rel=rel, alt=relative_returns(alt_rets["small"], alt_rets["large"]),
                usrec=usrec, market=market, states=states, late=late, recession=recession)


def test_the_deciding_horizon_is_the_declared_one():
    assert ev.deciding_horizon() == claims.get("economic_resilience").decision.horizon == 6


def test_late_cycle_verdict(made_up):
    late_v = made_up["verdicts"][0]
    nber = made_up["late"]["nber_same_month"]
    assert late_v.claim_id == "late_cycle" and late_v.status in rubric.STATUSES
    assert late_v.headline.label == "late third of expansions minus early and mid (main)"
    assert (late_v.headline.estimate, late_v.headline.p_value) == (nber.estimate, nber.p_value)
    phase = ec.expansion_phases(made_up["usrec"])
    alt = ec.state_difference(made_up["alt"], (phase == "late").where(phase.isin(["early", "mid", "late"])),
                              horizon=0)
    assert [(c.kind, c.effect.label, c.effect.estimate) for c in late_v.checks] == [
        ("proxy", "late third (other)", alt.estimate),
        ("other", "real-time late cycle, next 6 months", made_up["late"]["realtime_fwd6m"].estimate)]
    assert late_v.method == "OLS on a late-phase dummy, HAC (12 lags); NBER phases (hindsight)"
    assert late_v.caveats[1] == f"{int(nber.table['n_spells'].iloc[0])} late phases: few independent episodes."


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


def test_recession_verdict(made_up):
    rec_v = made_up["verdicts"][2]
    row = made_up["recession"].row("indicator")
    assert rec_v.headline.estimate == row["estimate"] and rec_v.headline.label == (
        "recession months beyond the market beta (main)")
    alt = ec.interaction_regression(made_up["alt"], made_up["market"].reindex(made_up["alt"].index),
                                    made_up["usrec"].reindex(made_up["alt"].index), maxlags=12)
    assert rec_v.checks[0].effect.estimate == alt.row("indicator")["estimate"]
    assert rec_v.headline.ci_upper < 0  # the planted shortfall
    assert rec_v.sample.n == len(made_up["rel"])
