"""Quality studies: the profitability gap on a made-up 2x3 table, the three quality views against the helpers they
call, the earnings proxy against the regressions notebook 06 ran before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.hac import hac_mean
from rotation.stats.regressions import oos_r2
from rotation.studies import quality as qu
from rotation.studies import valuation as va
from rotation.studies.returns import relative_returns

COLS = ["SMALL LoBM", "ME1 BM2", "SMALL HiBM", "BIG LoBM", "ME2 BM2", "BIG HiBM"]


def table(rows, n=3, start="2000-01-31"):
    idx = pd.date_range(start, periods=n, freq="ME", name="date")
    return pd.DataFrame([rows] * n, index=idx, columns=COLS, dtype=float)


def test_profitability_gap_by_hand():
    op = table([0.1, 0.2, 0.3, 0.3, 0.3, 0.6])
    size = table([10, 10, 10, 100, 100, 100])
    nf = table([1, 2, 1, 1, 1, 2])  # weights small: 10, 20, 10; big: 100, 100, 200
    op.iloc[0, 0] = np.nan  # a month with a missing input drops out
    gap = qu.profitability_gap(op, size, nf)
    small = (0.1 * 10 + 0.2 * 20 + 0.3 * 10) / 40
    big = (0.3 * 100 + 0.3 * 100 + 0.6 * 200) / 400
    assert list(gap.index) == list(op.index[1:]) and gap.iloc[-1] == pytest.approx(small - big)
    assert gap.name == "small minus big operating profitability"


def _inputs(n=240, seed=0):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("1990-01-31", periods=n, freq="ME")
    ff5 = pd.DataFrame(rng.normal(0, 0.03, (n, 5)), index=idx, columns=["Mkt-RF", "SMB", "HML", "RMW", "CMA"])
    rel = pd.Series(0.5 * ff5["SMB"] + rng.normal(0.001, 0.01, n), index=idx)
    op = table([0.1, 0.2, 0.3, 0.3, 0.3, 0.6], n=n, start="1990-01-31") + rng.normal(0, 0.02, (n, 6))
    size = table([10, 10, 10, 100, 100, 100], n=n, start="1990-01-31")
    nf = table([1, 2, 1, 1, 1, 2], n=n, start="1990-01-31")
    ijr = pd.Series(rng.normal(0.01, 0.05, n), index=idx)
    iwm = (ijr - rng.normal(0.001, 0.01, n)).iloc[12:]  # starts a year later: the pair is inner-joined
    return ff5, rel, op, size, nf, ijr, iwm


def test_quality_study_is_the_three_helpers():
    ff5, rel, op, size, nf, ijr, iwm = _inputs()
    q = qu.quality_study(ff5, rel, "made-up small-minus-large", op=op, mktcap=size, nfirms=nf, screened=ijr, broad=iwm)
    ref = va.factor_alphas({"SMB": ff5["SMB"], "made-up small-minus-large": rel}, ff5, qu.CONTROL_SETS)
    assert q["alphas"] == ref
    diff = relative_returns(ijr, iwm)
    assert q["ijr_minus_iwm"] == hac_mean(diff.rename("IJR minus IWM"))
    assert q["ijr_minus_iwm"].data.index.equals(diff.index) and q["ijr_minus_iwm"].nobs == len(iwm)
    gap = qu.profitability_gap(op, size, nf)
    row = q["op_gap"].table.loc["latest"]
    assert row["estimate"] == gap.iloc[-1] and row["nobs"] == len(gap)
    assert row["percentile"] == pytest.approx(float((gap <= gap.iloc[-1]).mean()))
    assert row["date"] == gap.index[-1]
    assert set(q.to_record()) == {"alphas", "ijr_minus_iwm", "op_gap"}
    text = q.describe()
    assert f"{q['alphas'].table.loc[('SMB', qu.FULL_CONTROLS), 'estimate']:+.2%}" in text and "IJR minus IWM" in text
    with pytest.raises(ParameterError, match="'SMB'"):
        qu.quality_study(ff5.drop(columns="SMB"), rel, "x", op=op, mktcap=size, nfirms=nf, screened=ijr, broad=iwm)


def test_earnings_proxy_study_repeats_the_notebook_regressions():
    _, rel, op, size, nf, *_ = _inputs(n=360, seed=2)
    gap = qu.profitability_gap(op, size, nf)
    e = qu.earnings_proxy_study(rel, gap, 12, horizon=6, min_train=60)
    change = gap.diff(12)
    f = va.predictive_forecast(rel, change, 6, float(change.dropna().iloc[-1]))
    slope = e["slope"].table.loc[6]
    assert {k: slope[k] for k in f["slope_row"]} == pytest.approx(f["slope_row"], rel=0, abs=0)
    assert slope["maxlags"] == f["lags"] and e["forecast"].table.loc[6, "estimate"] == f["estimate"]
    assert e["out_of_sample"].table.loc[6, "estimate"] == oos_r2(rel, change.dropna(), horizon=6, min_train=60).estimate
    common = change.dropna().index.intersection(rel.index)
    assert e.extra == {"change_months": 12, "start": common[0], "end": common[-1], "months": len(common)}
    assert e.data["op_change"].equals(change.rename("op_change")) and "12-month change" in e.describe()
    with pytest.raises(ParameterError, match="change_months must be"):
        qu.earnings_proxy_study(rel, gap, 0, horizon=6, min_train=60)
