"""The weaker-dollar verdict (evidence.dollar) from made-up studies: the evidence notebook 02 built by hand before.

(Named test_dollar_evidence.py: tests/studies/test_dollar.py has the plain name, and the test folders are not
packages, so two modules may not share a basename.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.evidence import dollar as evidence
from rotation.evidence.rubric import STATUSES
from rotation.stats import regressions as rg
from rotation.studies import dollar
from rotation.studies import returns as rt

SPLIT = "2008-01-01"


@pytest.fixture(scope="module")
def studied() -> dict:
    rng = np.random.default_rng(3)
    days = pd.bdate_range("2003-01-01", "2014-06-30")
    dxy = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.004, len(days)))), index=days, name="DXY")
    daily = {"dollar": dxy.loc["2006-01-02":].rename("DTWEXBGS"), "DXY": dxy, "UUP": (dxy.loc["2007-03-01":] / 4)}
    months = pd.date_range("1998-01-31", "2010-12-31", freq="ME")
    older = [pd.Series(90 * np.exp(np.cumsum(rng.normal(0, 0.01, len(months)))), index=months, name=n)
             for n in ("TWEXBMTH", "TWEXMMTH")]
    index = dollar.dollar_index(daily, *older, broad_monthly_from="2001-01-31")
    mi = pd.date_range("1999-01-31", "2014-05-31", freq="ME")
    change = index.data["dollar"].dropna().pct_change()

    def rets(idx, beta):
        large = rng.normal(0.005, 0.03, len(idx))
        small = large + beta * change.reindex(idx).fillna(0.0).to_numpy() + rng.normal(0, 0.02, len(idx))
        return pd.DataFrame({"small": small, "large": large}, index=idx)

    rets_m, alt_rets = rets(mi, -0.5), rets(mi[mi >= "2002-01-31"], -0.4)
    wi = pd.date_range("2005-01-07", "2014-06-27", freq="W-FRI")
    rets_w = pd.DataFrame({"small": rng.normal(0.002, 0.02, len(wi)), "large": rng.normal(0.002, 0.02, len(wi))},
                          index=wi)
    ff_days = pd.bdate_range("1998-01-01", "2014-06-30")
    mkt_d = pd.Series(rng.normal(0.0003, 0.01, len(ff_days)), index=ff_days)
    dgs10 = pd.Series(4 + np.cumsum(rng.normal(0, 0.03, len(ff_days))), index=ff_days)
    levels = index.data
    return {
        "index": index, "alt_rets": alt_rets,
        "sensitivity": dollar.monthly_sensitivity(rets_m, levels, split_date=SPLIT),
        "measures": dollar.dollar_measures(rets_m, rets_w, levels, daily, split_date=SPLIT),
        "controls": dollar.dollar_controls(rets_m, rets_w, levels, daily,
                                           market_monthly=rt.to_period_returns(mkt_d, "ME"),
                                           market_daily=mkt_d, dgs10=dgs10, split_date=SPLIT),
        "predictive": dollar.dollar_predictive(rets_m, levels, windows=[1], horizons=[1, 3], min_train=60),
    }


def test_the_dollar_verdict_is_built_from_the_studies(studied):
    s = studied
    (v,) = evidence.verdicts(proxy="made_up", alt="alt_made_up", **s)
    assert v.claim_id == "weaker_dollar" and v.status in STATUSES
    full = s["sensitivity"]["sensitivity"].table.loc[("full sample", "dollar")]
    assert (v.headline.estimate, v.headline.ci_lower, v.headline.ci_upper, v.headline.nobs) == (
        full["estimate"], full["ci_lower"], full["ci_upper"], full["nobs"])
    assert v.headline.label == "monthly beta of small-minus-large on the dollar's change, full sample (made_up)"
    assert v.headline.units == evidence.BETA_UNITS
    assert v.method == (f"OLS with HAC (Newey-West) errors, {int(full['maxlags'])} lags; "
                        "chained trade-weighted dollar index")
    assert (v.sample.proxy, v.sample.start, v.sample.n) == ("made_up", "1999-01-31", len(s["sensitivity"].data))
    assert [c.kind for c in v.checks] == ["proxy", "subperiod", "subperiod", "control", "other"]
    labels = [c.effect.label for c in v.checks]
    assert labels == ["monthly beta (alt_made_up, 2002-2014)", "monthly beta, before 2008-01",
                      "monthly beta, 2008-01 on", "monthly beta with market and 10-year yield controls",
                      "weekly beta, broad index from 2006"]
    assert v.caveats[-1].startswith("The predictive tests (section 5) tried 2 combinations; "
                                    "the best out-of-sample R2 is ")


def test_the_second_proxy_beta_is_the_regression_notebook_02_ran(studied):
    s = studied
    (v,) = evidence.verdicts(proxy="made_up", alt="alt_made_up", **s)
    rel = rt.relative_returns(s["alt_rets"]["small"], s["alt_rets"]["large"]).rename("small-minus-large")
    change = s["index"].data["dollar"].dropna().pct_change().rename("dollar")
    adata = pd.concat([rel, change], axis=1, join="inner").dropna()
    ref = rg.sensitivity_table(adata["small-minus-large"], adata["dollar"], {"full sample": (None, None)})
    row = ref.row(("full sample", "dollar"))
    proxy = v.checks[0].effect
    assert (proxy.estimate, proxy.ci_lower, proxy.ci_upper, proxy.p_value, proxy.nobs) == (
        row["estimate"], row["ci_lower"], row["ci_upper"], row["p_value"], row["nobs"])
    assert proxy.estimate == pytest.approx(-0.4, abs=0.3)


def test_second_proxy_falls_back_when_it_is_the_main_one():
    assert evidence.second_proxy("ff30_vw", "iwm_spy") == "iwm_spy"
    assert evidence.second_proxy("iwm_spy", "iwm_spy") == "ff30_vw"
