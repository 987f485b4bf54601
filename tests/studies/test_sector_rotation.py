"""Notebook 07's studies on made-up weekly prices: each equals the computation the notebook ran before (leadership
table, quadrant shares, correlations, event tables, breadth state, styles, the single name, where we stand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.stats.regressions import oos_r2, predictive_regression
from rotation.studies import sector_rotation as sr
from rotation.studies import sectors as se
from rotation.studies.economy import forward_compounded, state_difference
from rotation.studies.returns import percentile_of_last, relative_returns

SECTORS = ["XLA", "XLK", "XLN"]
TICKERS = [*SECTORS, "SPY", "IWM", "IJR", "IWN", "IWO", "IJH", "AOSL"]
RULES = dict(level_window=10, momentum_window=4, z_window=52)


@pytest.fixture(scope="module")
def market():
    rng = np.random.default_rng(11)
    n = 400
    idx = pd.date_range("2010-01-01", periods=n, freq="W-FRI", name="date")
    closes = pd.DataFrame(100 * np.exp(np.cumsum(rng.normal(0.001, 0.025, (n, len(TICKERS))), axis=0)),
                          index=idx, columns=TICKERS)
    closes.loc[:idx[339], "XLN"] = np.nan  # a sector that starts late: 60 weeks, too short for a rotation point
    wret = closes.pct_change(fill_method=None)
    ratio = closes.div(closes["SPY"], axis=0)
    days = pd.bdate_range("2005-01-03", "2017-12-29")
    walk = np.exp(np.cumsum(rng.normal(0.0003, 0.01, (len(days), 3)), axis=0))
    indexes = pd.DataFrame(walk * [1000, 1200, 500], index=days, columns=["nasdaq", "sp500", "rut"])
    return closes, wret, ratio, indexes


def test_rotation_map_leadership_and_quadrant_shares(market):
    closes, wret, ratio, _ = market
    rot = sr.rotation_map(ratio, SECTORS, ["IWM", "IJR", "IWM"], benchmark="SPY", **RULES)
    lead = rot["leadership"].table
    r = ratio["XLA"].dropna()
    rr = (r / r.shift(26) - 1).dropna()
    assert lead.loc["XLA", "26w relative"] == rr.iloc[-1]
    assert lead.loc["XLA", "26w percentile"] == percentile_of_last(rr)
    assert lead.loc["XLA", "since"] == r.index[0] and lead.loc["XLA", "nobs"] == len(r)
    coords = se.rotation_coordinates(r, **RULES)
    assert lead.loc["XLA", "quadrant"] == coords.dropna().iloc[-1]["quadrant"]
    assert lead.loc["XLN", "quadrant"] == "too short" and np.isnan(lead.loc["XLN", "52w percentile"])
    assert list(rot.data.columns.get_level_values(0).unique()) == [*SECTORS, "IWM", "IJR"]
    share = rot["quadrant_share"].table
    hist = rot["quadrant_share"].data
    expected = hist["XLK"].value_counts(normalize=True)
    assert all(share.loc["XLK", q] == expected.get(q, 0.0) for q in se.QUADRANTS)
    assert share.loc["XLK", list(se.QUADRANTS)].sum() == pytest.approx(1.0)
    assert share.loc["XLK", "nobs"] == hist["XLK"].notna().sum()
    assert "sectors beat SPY over 13 weeks" in rot.describe()
    with pytest.raises(ParameterError, match="lacks the tickers"):
        sr.rotation_map(ratio, ["XLZ"], [], benchmark="SPY", **RULES)


def test_tech_leadership_study_is_the_notebook_computation(market):
    closes, wret, ratio, indexes = market
    small = relative_returns(wret["IWM"], wret["SPY"]).dropna()
    alt = relative_returns(wret["IJR"], wret["SPY"]).dropna()
    tech_rel = relative_returns(wret["XLK"], wret["SPY"])
    res = sr.tech_leadership_study(small, alt, tech_rel, ratio["XLK"], indexes, threshold=0.05, window=52,
                                   horizons=[4, 13], horizon=8, reps=200, seed=3, names=("IWM", "IJR", "SPY"))
    peaks = se.drawdown_episodes(ratio["XLK"].dropna(), 0.05, window=52)
    ref = se.event_forward_table({h: forward_compounded(small, h) for h in (4, 13, 8)}, peaks["date"], reps=200, seed=3)
    assert res["after_peaks"] == ref and res.extra["episodes"] == list(peaks["date"])
    pair = pd.concat({"small": small, "tech": tech_rel}, axis=1).dropna()
    corr = res["correlation"].table
    assert corr.loc["all weeks", "estimate"] == pair.corr().iloc[0, 1] and corr.loc["all weeks", "nobs"] == len(pair)
    assert corr.loc["before 2018-09", "nobs"] == len(pair)  # the made-up sample ends before the reshuffle
    ndq = se.friday_closes(indexes)
    long_peaks = se.drawdown_episodes((ndq["nasdaq"] / ndq["sp500"]).dropna(), 0.05, window=52)
    assert res["after_peaks_long"].table.loc[13, "nobs"] <= len(long_peaks)
    assert res.data.index.equals(small.index) and "IJR/SPY" in res.describe()
    with pytest.raises(ParameterError, match="nasdaq, sp500, rut"):
        sr.tech_leadership_study(small, alt, tech_rel, ratio["XLK"], indexes.drop(columns="rut"), threshold=0.05,
                                 window=52, horizons=[4], horizon=4, reps=10, seed=0)


def test_tech_peaks_before_the_etf_existed_are_left_out(market):
    """An event before the small-cap ETF's first return cannot be measured: it is dropped, not taken at the ETF's
    first week (seven weeks late for IWM and the 2000-04-14 tech peak)."""
    closes, wret, ratio, indexes = market
    peaks = se.drawdown_episodes(ratio["XLK"].dropna(), 0.05, window=52)["date"]
    first = peaks.iloc[0]
    small = relative_returns(wret["IWM"], wret["SPY"]).dropna().loc[first + pd.Timedelta(weeks=3):]
    alt = relative_returns(wret["IJR"], wret["SPY"]).dropna()
    res = sr.tech_leadership_study(small, alt, relative_returns(wret["XLK"], wret["SPY"]), ratio["XLK"], indexes,
                                   threshold=0.05, window=52, horizons=[4], horizon=8, reps=100, seed=0,
                                   names=("IWM", "IJR", "SPY"))
    after = res["after_peaks"]
    assert after.extra["dropped"] == [first] and after.extra["first_date"] == small.index[0]
    assert res["after_peaks_alt"].extra["dropped"] == []  # IJR existed then
    # plain pandas: each event that IWM can measure, compounded over the next 8 weeks
    kept = [e for e in peaks if small.index[0] <= e <= small.index[-9]]
    windows = [(1 + small.iloc[small.index.get_loc(e) + 1:small.index.get_loc(e) + 9]).prod() - 1 for e in kept]
    row = after.table.loc[8]
    assert row["nobs"] == len(kept) and row["mean_events"] == pytest.approx(np.mean(windows), rel=1e-12)
    assert (row["start"], row["end"]) == (small.index[0], small.index[-9])
    assert f"IWM/SPY leaves out {first:%Y-%m-%d}" in res.describe()


def test_breadth_study_is_the_notebook_computation(market):
    closes, wret, _, _ = market
    small = relative_returns(wret["IWM"], wret["SPY"]).dropna()
    res = sr.breadth_study(closes, SECTORS, "SPY", small, window=13, horizons=[13, 26], horizon=8, min_train=100,
                           min_sectors=2)
    br = se.breadth(closes[SECTORS].pct_change(13, fill_method=None), closes["SPY"].pct_change(13, fill_method=None), 2)
    broad = (br["share_beating"] >= 0.5).astype(float).where(br["share_beating"].notna())
    assert list(res["state"].table.index) == [13, 26, 8]
    for h in (13, 26, 8):
        ref = state_difference(small, broad, horizon=h, maxlags=max(h - 1, 12)).table.iloc[0]
        row = res["state"].table.loc[h]
        assert row["estimate"] == ref["estimate"] and row["maxlags"] == max(h - 1, 12)
    gap = br["ew_minus_bench"].dropna().rename("ew_gap")
    assert res["predictive"] == predictive_regression(small, gap, horizon=8)
    assert res["out_of_sample"].estimate == oos_r2(small, gap, horizon=8, min_train=100).estimate
    now = res["now"].table.loc["latest"]
    assert now["estimate"] == br.dropna()["share_beating"].iloc[-1] and now["nobs"] == 3
    assert now["date"] == br.dropna().index[-1] and res.data.equals(br)


def test_style_study_is_the_notebook_loop(market):
    closes, wret, _, _ = market
    res = sr.style_study(closes, wret, "IWM", "SPY")
    lead = ((closes["IWM"] / closes["IWM"].shift(13)) > (closes["SPY"] / closes["SPY"].shift(13))).astype(float)
    lead = lead.where(closes["IWM"].shift(13).notna())
    ref = state_difference(relative_returns(wret["IJH"], wret["IWM"]).dropna(), lead, horizon=13, maxlags=12)
    row = res.table.loc["mid vs small (IJH/IWM)"]
    assert row["estimate"] == ref.estimate and row["n_spells"] == ref.table.iloc[0]["n_spells"]
    assert list(res.table.index)[0] == "small value vs small growth (IWN/IWO)"
    assert "S&P 600 vs Russell 2000 (IJR/IJH)" in sr.style_study(closes, wret, "IJH", "SPY").table.index
    with pytest.raises(ParameterError, match="lacks the tickers"):
        sr.style_study(closes, wret.drop(columns="IWN"), "IWM", "SPY")


def test_single_name_and_where_we_stand(market):
    closes, wret, ratio, _ = market
    one = sr.single_name_study(closes["AOSL"].dropna(), closes["IWM"].dropna(), name="AOSL", index_name="IWM")
    prof = se.single_name_profile(closes["AOSL"].dropna(), closes["IWM"].dropna())
    row = one.table.loc["beta"]
    assert row["estimate"] == prof["beta"] and row["nobs"] == prof["weeks"] and row["end"] == prof["end"]
    assert f"beta {prof['beta']:.2f}" in one.describe() and list(one.data.columns) == ["AOSL", "IWM"]
    rot = sr.rotation_map(ratio, SECTORS, ["IWM"], benchmark="SPY", **RULES)
    small = relative_returns(wret["IWM"], wret["SPY"]).dropna()
    br = sr.breadth_study(closes, SECTORS, "SPY", small, window=13, horizons=[13], horizon=13, min_train=100,
                          min_sectors=2)
    now = sr.where_we_stand(rot, br, ratio["XLK"], peak_window=52, peak_threshold=0.1, benchmark="SPY", window=13)
    r = ratio["XLK"].dropna()
    assert now.extra["tech_drawdown"] == pytest.approx(r.iloc[-1] / r.iloc[-52:].max() - 1, rel=0, abs=0)
    assert now.extra["breadth"] == br.data["share_beating"].dropna().iloc[-1]
    assert now.table.loc["XLA", "quadrant"] == rot["leadership"].table.loc["XLA", "quadrant"]
    assert now.table.loc["XLN", "quadrant"] == "too short" and now.table.loc["XLN", "nobs"] == 0
    assert "from its running peak" in now.describe()


def test_a_sector_listed_after_the_sample_ends_has_no_reading_and_does_not_crash(market):
    """A run ending before an ETF existed (`-p end=2015-12-31`: XLC is listed in 2018) used to raise IndexError:
    the sector now reads 'not listed yet', with no relative return or percentile (issue 27, found by the
    no-lookahead test)."""
    _, _, ratio, _ = market
    late = ratio.copy()
    late["XLN"] = np.nan  # listed after the sample's end
    rot = sr.rotation_map(late, SECTORS, ["IWM"], benchmark="SPY", **RULES)
    lead = rot["leadership"].table
    assert lead.loc["XLN", "quadrant"] == "not listed yet" and pd.isna(lead.loc["XLN", "since"])
    assert lead.loc["XLN", "nobs"] == 0 and np.isnan(lead.loc["XLN", "26w relative"])
    assert lead.loc["XLA", "26w relative"] == rot_full_value(ratio)


def rot_full_value(ratio):
    r = ratio["XLA"].dropna()
    return (r / r.shift(26) - 1).dropna().iloc[-1]
