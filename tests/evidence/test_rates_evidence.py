"""The rates, Fed and credit verdicts (evidence.rates) from made-up studies: the evidence notebook 03 built by hand.

(Named test_rates_evidence.py: tests/studies/test_rates.py has the plain name, and the test folders are not
packages, so two modules may not share a basename.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.evidence import claims
from rotation.evidence import rates as evidence
from rotation.evidence.rubric import STATUSES
from rotation.stats import regressions as rg
from rotation.stats.multiple import adjust_pvalues
from rotation.studies import fed_events, rates
from rotation.studies import returns as rt

RULES = dict(min_move=0.25, pause_months=6, min_swing=0.25, inferred_min_swing=0.5, cut_cluster_months=12,
             recession_months=6, policy_window=61, policy_hysteresis=1.0)


def _steps(start: str, level: float, moves: dict[str, float]) -> pd.Series:
    values = pd.Series(np.nan, index=pd.date_range(start, "2019-12-31", freq="D"))
    values.iloc[0] = level
    for d, v in moves.items():
        values.loc[d] = v
    return values.ffill()


@pytest.fixture(scope="module")
def studied() -> dict:
    rng = np.random.default_rng(7)
    days = pd.bdate_range("1985-01-01", "2019-12-31")
    daily = {k: pd.Series(3 + np.cumsum(rng.normal(0, 0.03, len(days))), index=days) for k in rates.FRED_SERIES}
    months = pd.date_range("1985-01-31", "2019-12-31", freq="ME")
    levels = rates.rate_levels(daily, "ME")
    baa = levels["baa10y"].diff().fillna(0.0).to_numpy()

    def rel(idx):
        return pd.DataFrame({"small": -0.05 * baa[-len(idx):] + rng.normal(0.001, 0.02, len(idx)), "large": 0.0},
                            index=idx)

    rets, alt_rets = rel(months), rel(months[months >= "2000-01-31"])
    r = rt.relative_returns(rets["small"], rets["large"])
    chg = rates.changes(levels, r.index)
    policy = _steps("1990-01-01", 3.0, {"1991-03-01": 3.25, "1991-09-01": 3.5, "1992-06-01": 3.25, "1995-01-01": 3.5,
                                        "1996-01-01": 3.25, "1999-01-01": 3.5, "2001-01-03": 3.0, "2004-06-01": 3.25,
                                        "2007-09-18": 3.0, "2015-12-16": 3.25, "2019-07-31": 3.0})
    usrec = pd.Series(((months >= "2001-03-01") & (months <= "2001-11-30")).astype(float), index=months)
    cycle = fed_events.turning_point_study(policy, _steps("1980-01-01", 5.0, {"1990-01-01": 3.0}), usrec,
                                           sample=r.index, **RULES)
    h = claims.get("fed_dovish").decision.horizon
    factors = pd.DataFrame({"Mkt-RF": rng.normal(0, 0.04, len(months)), "HML": rng.normal(0, 0.03, len(months))},
                           index=months)
    return {
        "alt_rets": alt_rets, "rel": r, "chg": chg, "factors": factors, "cycle": cycle,
        "beta": rates.rate_betas(r, chg), "rolling": rates.rolling_rate_betas(r, chg, window=36),
        "event_windows": fed_events.event_window_study(r, cycle, before=12, after=12, horizons=[6], horizon=h, reps=100,
                                                       seed=0, min_events=3),
        "credit": rates.credit_betas(r, chg),
        "conditions": rates.conditions_study(r, levels["nfci"], levels["nfci"].dropna(), change_months=3, band=0.05,
                                             reps=50, seed=0),
    }


def test_three_verdicts_in_the_commentary_order(studied):
    vs = evidence.verdicts(proxy="made_up", alt="alt_made_up", **studied)
    assert [v.claim_id for v in vs] == list(evidence.CLAIM_IDS)
    assert all(v.status in STATUSES for v in vs)
    rates_v, fed_v, liq_v = vs
    assert [c.kind for c in rates_v.checks] == ["proxy", "other", "other"]
    assert [c.kind for c in fed_v.checks] == ["proxy", "other", "other"]
    assert [c.kind for c in liq_v.checks] == ["proxy", "other", "other"]
    assert rates_v.checks[2].effect.label == "latest 36-month rolling 10-year beta"
    assert fed_v.headline.label == "12 months after the first cut of an easing (made_up)"
    # 1985-02-28: the first month with a Baa change
    assert liq_v.method.startswith("OLS with HAC errors (") and liq_v.sample.start == "1985-02-28"


def test_the_rates_headline_is_the_controlled_beta_holm_adjusted(studied):
    s = studied
    (v, _, _) = evidence.verdicts(proxy="made_up", alt="alt_made_up", **s)
    X = pd.concat([s["chg"]["dgs10"].rename("10y yield change (pp)"), s["factors"]["Mkt-RF"].rename("market"),
                   s["factors"]["HML"].rename("value")], axis=1)
    ten = rg.sensitivity_table(s["rel"], X.reindex(s["rel"].index), {"full sample": (None, None)}).row(
        ("full sample", "10y yield change (pp)"))
    one = s["beta"]["slopes"].table
    p = adjust_pvalues([ten["p_value"],
                        *(one.loc[(k, "full sample"), "p_value"] for k in ("dgs2", "dfii10", "fedfunds"))],
                       "holm")
    assert (v.headline.estimate, v.headline.ci_lower, v.headline.p_value) == (ten["estimate"], ten["ci_lower"], p[0])
    alt_rel = rt.relative_returns(s["alt_rets"]["small"], s["alt_rets"]["large"])
    alt = rg.sensitivity_table(alt_rel, X.reindex(alt_rel.index), {"full sample": (None, None)}).row(
        ("full sample", "10y yield change (pp)"))
    assert (v.checks[0].effect.estimate == alt["estimate"]
            and v.checks[0].effect.label == "10-year beta with controls (alt_made_up)")


def test_the_fed_headline_is_first_cuts_minus_all_months(studied):
    s = studied
    (_, v, _) = evidence.verdicts(proxy="made_up", alt="alt_made_up", **s)
    row = s["event_windows"]["forward"].table.loc[("first_cut", 12)]
    assert v.headline.estimate == float(row["estimate"]) - float(row["mean_all"]) == row["diff"]
    assert v.headline.nobs == s["event_windows"]["events"].table.loc["first_cut", "nobs"] == v.sample.n
    assert v.method == ("official target turning points; iid bootstrap over easing cycles (100 reps, seed 0); the "
                        "all-months mean held fixed")
    alt_rel = rt.relative_returns(s["alt_rets"]["small"], s["alt_rets"]["large"])
    assert v.checks[0].effect.label == "12 months after a first cut (alt_made_up)"
    assert v.checks[0].effect.nobs <= v.headline.nobs  # the second proxy starts in 2000: fewer full windows
    assert alt_rel.index[0] == pd.Timestamp("2000-01-31")


def test_the_fed_sample_is_the_events_not_the_return_months(studied):
    """The verdict's sample line names the first cuts the test averages (dates and n), not the return sample."""
    s = studied
    (_, v, _) = evidence.verdicts(proxy="made_up", alt="alt_made_up", **s)
    firsts = s["cycle"].data.query("kind == 'first_cut' and path == @fed_events.OFFICIAL")["date"]
    r = s["rel"]
    full = [d for d in firsts if d - pd.DateOffset(months=13) >= r.index[0] and d + pd.DateOffset(months=12)
            <= r.index[-1] + pd.offsets.MonthEnd(0)]
    assert (v.sample.start, v.sample.end, v.sample.n) == (f"{full[0]:%Y-%m-%d}", f"{full[-1]:%Y-%m-%d}", len(full))
    assert v.sample.start != f"{r.index[0]:%Y-%m-%d}" and v.sample.unit.startswith("easing cycles")


def test_the_liquidity_checks_flip_the_realtime_difference(studied):
    s = studied
    (_, _, v) = evidence.verdicts(proxy="made_up", alt="alt_made_up", **s)
    live = s["conditions"]["realtime_next_month"]
    flipped = v.checks[2].effect
    assert (flipped.estimate, flipped.ci_lower, flipped.ci_upper) == (-live.estimate, -live.ci_upper, -live.ci_lower)
    assert v.headline.estimate == s["credit"]["slopes"].table.loc[("baa10y", "full sample"), "estimate"]
    assert flipped.label == "release-timed (latest vintage) NFCI tightening minus easing, next month"
    assert "real-time" not in s["conditions"].describe().lower()


def test_tests_note_counts_the_intervals(studied):
    regime = rates.rate_regime_study(studied["rel"], studied["chg"]["fedfunds"].cumsum() + 4, change_months=6,
                                     high_level=4.0, flat_band=0.25, reps=20, seed=0)
    note = evidence.tests_note(beta=studied["beta"], credit=studied["credit"], regime=regime,
                               conditions=studied["conditions"], event_windows=studied["event_windows"])
    n = 24 + 12 + len(regime["table"].table) + len(regime["diff"].table) + 3 + 3 + 2 + 1 + 10
    assert note.startswith(f"**Tests in this notebook.** About {n} interval estimates are shown")
