"""Evidence for notebook 07's claim on made-up weekly prices: the headline and checks are the studies' rows at the
claim's horizon, the method names the rule, and studies without that horizon are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence import sectors as evidence
from rotation.studies import sector_rotation as sr
from rotation.studies.returns import relative_returns

SECTORS = ["XLA", "XLK", "XLN"]


def _market():
    rng = np.random.default_rng(5)
    n = 520
    idx = pd.date_range("2005-01-07", periods=n, freq="W-FRI", name="date")
    names = [*SECTORS, "SPY", "IWM", "IJR"]
    closes = pd.DataFrame(100 * np.exp(np.cumsum(rng.normal(0.001, 0.03, (n, len(names))), axis=0)), index=idx,
                          columns=names)
    wret = closes.pct_change(fill_method=None)
    ratio = closes.div(closes["SPY"], axis=0)
    days = pd.bdate_range("2000-01-03", "2014-12-31")
    walk = np.exp(np.cumsum(rng.normal(0.0003, 0.012, (len(days), 3)), axis=0))
    indexes = pd.DataFrame(walk * [1000, 1200, 500], index=days, columns=["nasdaq", "sp500", "rut"])
    return closes, wret, ratio, indexes


@pytest.fixture(scope="module")
def studies():
    closes, wret, ratio, indexes = _market()
    small = relative_returns(wret["IWM"], wret["SPY"]).dropna()
    alt = relative_returns(wret["IJR"], wret["SPY"]).dropna()
    h = claims.get("sector_rotation").decision.horizon

    def tech(horizon):
        return sr.tech_leadership_study(small, alt, relative_returns(wret["XLK"], wret["SPY"]), ratio["XLK"], indexes,
                                        threshold=0.1, window=52, horizons=[13], horizon=horizon, reps=200, seed=1)

    breadth = sr.breadth_study(closes, SECTORS, "SPY", small, window=13, horizons=[13], horizon=h, min_train=100,
                               min_sectors=2)
    return tech(h), tech(13), breadth, small


def test_the_verdict_rests_on_the_studies_rows(studies):
    tech, _, breadth, small = studies
    (v,) = evidence.verdicts(small_cap="IWM", alt="IJR", benchmark="SPY", tech=tech, breadth=breadth)
    h = claims.get("sector_rotation").decision.horizon
    row = tech["after_peaks"].table.loc[h]
    assert v.claim_id == "sector_rotation" and v.headline.estimate == row["estimate"]
    assert v.headline.median == row["median"] and v.headline.nobs == row["nobs"] == v.sample.n
    assert v.headline.label == "IWM/SPY after the end of tech leadership runs"
    # the test's own sample: from the first forward window to the last complete one at the claim's horizon
    assert (v.sample.start, v.sample.end) == (f"{small.index[0]:%Y-%m-%d}", f"{small.index[-1 - h]:%Y-%m-%d}")
    assert [c.kind for c in v.checks] == ["proxy", "other", "other"]
    assert v.checks[0].effect.estimate == tech["after_peaks_alt"].table.loc[h, "estimate"]
    assert v.checks[1].effect.estimate == tech["after_peaks_long"].table.loc[h, "estimate"]
    assert v.checks[2].effect.estimate == breadth["state"].table.loc[h, "estimate"]
    assert v.checks[2].effect.median is None  # the state row has median_state, not a median of the effect
    assert v.method.startswith("events: XLK/SPY 10% below its 52-week peak (known at t); iid bootstrap over events "
                               "(200 reps, seed 1)")
    assert v.caveats[0] == f"Few independent episodes ({int(row['nobs'])}); the interval is rough."


def test_studies_without_the_deciding_horizon_are_refused(studies):
    tech, tech13, breadth, _ = studies
    with pytest.raises(ParameterError, match="tech\\['after_peaks'\\] has no row for the 26-week horizon"):
        evidence.verdicts(small_cap="IWM", alt="IJR", benchmark="SPY", tech=tech13, breadth=breadth)



def test_an_event_before_the_etf_existed_is_left_out_and_named(studies):
    """An end of tech leadership before the small-cap ETF's first return is left out (not measured late at the ETF's
    first week); the verdict is decided on the events the ETF can measure and names the one left out."""
    full, _, breadth, _ = studies
    closes, wret, ratio, indexes = _market()
    h = claims.get("sector_rotation").decision.horizon
    first = full.extra["episodes"][0]
    small = relative_returns(wret["IWM"], wret["SPY"]).dropna().loc[first + pd.Timedelta(weeks=3):]
    alt = relative_returns(wret["IJR"], wret["SPY"]).dropna().loc[first + pd.Timedelta(weeks=3):]
    tech = sr.tech_leadership_study(small, alt, relative_returns(wret["XLK"], wret["SPY"]), ratio["XLK"], indexes,
                                    threshold=0.1, window=52, horizons=[13], horizon=h, reps=200, seed=1)
    (v,) = evidence.verdicts(small_cap="IWM", alt="IJR", benchmark="SPY", tech=tech, breadth=breadth)
    measurable = [e for e in full.extra["episodes"] if small.index[0] <= e <= small.index[-1 - h]]
    assert v.headline.nobs == v.sample.n == len(measurable) == full["after_peaks"].row(h)["nobs"] - 1
    assert v.sample.start == f"{small.index[0]:%Y-%m-%d}"
    assert any(f"{first:%Y-%m-%d}" in c and "cannot be measured on IWM" in c for c in v.caveats)
