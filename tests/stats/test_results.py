"""Tests of rotation.stats.results (result objects) and rotation.present.tables (table formats)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from arch.bootstrap import CircularBlockBootstrap, StationaryBootstrap

from rotation.errors import ParameterError
from rotation.present import tables as display
from rotation.stats.hac import hac_ols
from rotation.stats.intervals import block_bootstrap_mean_ci, bootstrap_diff_ci
from rotation.stats.regressions import predictive_regression
from rotation.stats.results import VOCABULARY, Estimates, Method
from rotation.stats.units import Units


def _table(n=2):
    return pd.DataFrame(
        {"estimate": [0.01, -0.02][:n], "std_err": [0.005, 0.01][:n], "t": [2.0, -2.0][:n], "p_value": [0.05, 0.04][:n],
         "ci_lower": [0.0, -0.04][:n], "ci_upper": [0.02, 0.0][:n], "nobs": [100, 50][:n],
         "start": pd.to_datetime(["2000-01-31", "2001-06-30"][:n])},
        index=pd.Index(["a", "b"][:n], name="regime"),
    )


def test_estimates_requires_the_vocabulary_and_a_method():
    with pytest.raises(ParameterError, match="must start with the columns"):
        Estimates(_table().rename(columns={"t": "t_stat"}), Method(kind="HAC", lags=2), Units.returns("decimal return"))
    with pytest.raises(ParameterError, match="Method.kind must be one of"):
        Method(kind="magic")
    res = Estimates(_table(), Method(kind="HAC", cov_type="HAC", lags=2), Units.returns("decimal return per month"),
                    "t")
    assert res.units.percent is True
    with pytest.raises(ParameterError, match="units must be a rotation.stats.units.Units"):
        Estimates(_table(), Method(kind="HAC", lags=2), "decimal return")
    with pytest.raises(ParameterError, match="one-row result"):
        _ = res.estimate


def test_estimates_is_frozen_and_copies_its_table():
    tab = _table()
    res = Estimates(tab, Method(kind="HAC", cov_type="HAC", lags=2), Units.returns("decimal return"))
    tab.loc["a", "estimate"] = 99.0
    assert res.table.loc["a", "estimate"] == 0.01
    with pytest.raises(AttributeError):
        res.units = Units.number("x")  # type: ignore[misc]


def test_to_record_round_trips_through_json_without_rounding():
    tab = _table()
    tab.loc["b", "t"] = np.nan
    tab.loc["a", "estimate"] = 0.1 + 0.2  # 0.30000000000000004
    res = Estimates(tab, Method(kind="bootstrap", bootstrap="stationary", block_size=3, reps=200, seed=5),
                    Units.returns("decimal return"))
    rec = json.loads(json.dumps(res.to_record(), allow_nan=False))
    assert rec["rows"]["a"]["estimate"] == 0.1 + 0.2
    assert rec["rows"]["b"]["t"] is None
    assert rec["rows"]["a"]["nobs"] == 100 and isinstance(rec["rows"]["a"]["nobs"], int)
    assert rec["rows"]["b"]["start"] == "2001-06-30"
    assert rec["method"] == {"kind": "bootstrap", "bootstrap": "stationary", "block_size": 3, "reps": 200, "seed": 5,
                             "alpha": 0.05}
    assert rec["units"] == "decimal return" and rec["scale"] == "return"


def test_multiindex_rows_nest_in_the_record():
    tab = _table()
    tab.index = pd.MultiIndex.from_tuples([("full", "x"), ("full", "y")], names=["period", "term"])
    rec = Estimates(tab, Method(kind="HAC", lags=1), Units.number("u")).to_record()
    assert set(rec["rows"]["full"]) == {"x", "y"}


def test_summary_states_the_method():
    hac = Estimates(_table(), Method(kind="HAC", cov_type="HAC", lags=6), Units.returns("decimal return"), "Betas")
    assert "HAC (Newey-West, Bartlett kernel)" in hac.summary() and "maxlags=6" in hac.summary()
    boot = Estimates(_table(1), Method(kind="bootstrap", bootstrap="circular", block_size=4, reps=999, seed=3,
                                       alpha=0.1), Units.returns("decimal return"))
    text = boot.summary()
    assert "90% percentile interval from a circular bootstrap, block length 4, 999 replications, seed 3" in text


def test_hac_ols_estimates_match_statsmodels_with_explicit_maxlags():
    rng = np.random.default_rng(1)
    idx = pd.date_range("2000-01-31", periods=200, freq="ME")
    x = pd.Series(rng.normal(size=200), index=idx, name="x")
    y = pd.Series(0.3 * x.to_numpy() + rng.normal(size=200), index=idx, name="y")
    res = hac_ols(y, x, maxlags=5, units=Units.number("y per unit of x"))
    fit = sm.OLS(y, sm.add_constant(x)).fit(cov_type="HAC", cov_kwds={"maxlags": 5})
    assert list(res.table.columns[:7]) == list(VOCABULARY)
    np.testing.assert_allclose(res.table["estimate"], fit.params, rtol=1e-12)
    np.testing.assert_allclose(res.table["std_err"], fit.bse, rtol=1e-12)
    np.testing.assert_allclose(res.table["p_value"], fit.pvalues, rtol=1e-12)
    np.testing.assert_allclose(res.table["ci_lower"], fit.conf_int()[0], rtol=1e-12)
    assert res.method.lags == 5 and (res.table["nobs"] == 200).all()
    pred = predictive_regression(y, x, horizon=3, maxlags=4)
    assert pred.to_record()["method"]["lags"] == 4


@pytest.mark.parametrize("method,cls", [("stationary", StationaryBootstrap), ("circular", CircularBlockBootstrap)])
def test_block_bootstrap_result_matches_arch(method, cls):
    x = np.random.default_rng(2).normal(0.01, 0.05, 150)
    res = block_bootstrap_mean_ci(x, 5, reps=400, seed=11, method=method)
    stats = cls(5, x, seed=11).apply(np.mean, reps=400).ravel()
    assert res.estimate == x.mean()
    assert (res.ci_lower, res.ci_upper) == tuple(np.percentile(stats, [2.5, 97.5]))
    assert res.std_err == pytest.approx(np.std(stats, ddof=1), rel=1e-12)
    assert np.isnan(res.t) and np.isnan(res.p_value)
    assert res.nobs == 150
    assert res.method.bootstrap == method and res.method.seed == 11
    assert block_bootstrap_mean_ci(x, 5, reps=400, seed=11, method=method) == res


def test_bootstrap_diff_keeps_both_counts():
    rng = np.random.default_rng(4)
    res = bootstrap_diff_ci(rng.normal(size=40), rng.normal(size=30), 2, reps=100, seed=1)
    assert (res.nobs, res.n_y) == (40, 30)
    assert res.to_record()["rows"]["estimate"]["nobs_y"] == 30


# --------------------------------------------------------------------------- display
def test_presets_render_values():
    assert display.PRESETS["percent"](0.01234) == "+1.23%"
    assert display.PRESETS["t"](1.234) == "+1.23"
    assert display.PRESETS["p"](0.01234) == "0.012"
    assert display.PRESETS["count"](1234.0) == "1,234"
    assert display.PRESETS["date"](pd.Timestamp("2024-03-31")) == "2024-03-31"
    assert display.PRESETS["percent"](np.nan) == "-"
    with pytest.raises(ParameterError, match="preset must be one of"):
        display.formatter("nope")


def test_auto_presets_follow_the_vocabulary():
    chosen = display.auto_presets(_table(), percent=True)
    assert chosen == {"estimate": "percent", "std_err": "percent_abs", "t": "t", "p_value": "p",
                      "ci_lower": "percent", "ci_upper": "percent", "nobs": "count", "start": "date"}
    assert display.auto_presets(_table(), percent=False)["estimate"] == "number"


def test_fmt_and_repr_html():
    html = display.fmt(_table(), {"t": "p"}, caption="cap").to_html()
    assert "+1.00%" in html and "2001-06-30" in html and "cap" in html and "0.050" in html
    with pytest.raises(ParameterError, match="not in the table"):
        display.fmt(_table(), {"zzz": "t"})
    res = Estimates(_table(), Method(kind="HAC", cov_type="HAC", lags=2), Units.returns("decimal return per month"),
                    "Regimes")
    page = display.styled(res).to_html()
    assert "-2.00%" in page and "+2.00" in page and "maxlags=2" in page and "Regimes" in page
    assert display.fmt(pd.DataFrame({"x": [1.5]}), {"*": "t"}).to_html().count("+1.50") == 1


def test_to_record_keeps_counts_as_integers_in_mixed_rows():
    res = block_bootstrap_mean_ci(np.arange(10.0), 2, reps=20)
    rec = json.loads(json.dumps(res.to_record()))
    assert rec["rows"]["estimate"]["nobs"] == 10 and isinstance(rec["rows"]["estimate"]["nobs"], int)


def test_describe_reads_numbers_by_their_scale():
    one = Estimates(_table(1), Method(kind="HAC", lags=2), Units.returns("decimal return"), "Mean")
    assert one.describe() == "Mean: +1.00% (95% CI +0.00% to +2.00%; p = 0.050; n = 100)"
    share = Estimates(_table(1).assign(estimate=0.25), Method(kind="descriptive"), Units.share("share"), "Rate")
    assert share.describe(label="rate").startswith("rate: 25%")
    two = Estimates(_table(), Method(kind="HAC", lags=2), Units.number("beta"), "Betas")
    assert two.describe("b").startswith("Betas (b): -0.02")
    with pytest.raises(ParameterError, match="needs a row label"):
        two.describe()


def test_styled_formats_shares_as_percent():
    res = Estimates(_table(1).assign(estimate=0.25), Method(kind="descriptive"), Units.share("share of months"))
    assert "25%" in display.styled(res).to_html()
