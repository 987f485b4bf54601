"""Notebook 04's evidence: each verdict is built from the studies' rows, with the declared checks, on made-up data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.evidence import rubric
from rotation.evidence import seasonality as ev
from rotation.studies import calendar as cal
from rotation.studies import seasonality as ss
from rotation.studies import year_end as ye
from rotation.studies.international import international_study
from rotation.studies.returns import relative_returns

RULES = dict(days_before=5, days_after=2, start_month=11, end_month=1, reps=100, seed=0)
ERAS = {"1990-2004": (None, "2004-12-31"), "2005-now": ("2005-01-01", None)}


def _daily(seed):
    idx = pd.bdate_range("1990-01-01", "2019-12-31", name="date")
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"small": rng.normal(0.0003, 0.01, len(idx)), "large": rng.normal(0.0, 0.01, len(idx))},
                        index=idx)


def _monthly(daily):
    return (1 + daily).groupby(daily.index.to_period("M")).prod().sub(1).set_axis(
        daily.index.to_period("M").unique().to_timestamp(how="end").normalize())


@pytest.fixture(scope="module")
def verdicts_and_inputs():
    daily, daily_alt = ye.with_relative(_daily(1)), _daily(2)
    pairs = {"main": _monthly(daily[["small", "large"]]), "other": _monthly(daily_alt)}
    rel = relative_returns(pairs["main"]["small"], pairs["main"]["large"])
    windows = ye.seasonal_windows(daily, eras=ERAS, **RULES)
    split = cal.window_split(daily, start_month=11, end_month=1, eras=ERAS, reps=100, seed=0)
    january = cal.january_study(pairs, ERAS, maxlags=12)
    rolling = cal.rolling_january(rel, years=10, cost=0.005)
    regions = {name: pd.DataFrame({"SMB": relative_returns(m["small"], m["large"]), "Mkt-RF": m["large"],
                                   "HML": m["small"] - m["large"]}) for name, m in (("Europe", pairs["main"]),
                                                                                   ("Japan", pairs["other"]))}
    abroad = international_study(regions, reps=100)
    out = ev.verdicts(proxy="main", alt="other", monthly=rel, daily_alt=daily_alt, windows=windows, split=split,
                      january=january, rolling=rolling, window_rules=RULES, international=abroad)
    return out, windows, january, rolling, daily_alt, split


def test_second_proxy_is_the_declared_one_unless_it_is_the_main():
    assert ev.second_proxy("ff30_vw", "iwm_spy") == "iwm_spy" and ev.second_proxy("iwm_spy", "iwm_spy") == "ff30_vw"


def test_alt_windows_study_the_relative_column_alone():
    daily_alt = _daily(2)
    rows = ev.alt_windows(daily_alt, **RULES)
    frame = ye.with_relative(daily_alt)[["relative"]]
    expected = ye.window_study(frame, ss.calendar_windows(frame.index, 11, 1), reps=100, seed=0).row("relative")
    pd.testing.assert_series_equal(rows["nov_jan"], expected)
    # the relative column alone gets the seed the notebook gave it (seed + 0), not seed + 2 as in the full table
    full = ye.with_relative(daily_alt)
    assert rows["nov_jan"]["ci_lower"] != ye.window_study(
        full[["small", "large", "relative"]], ss.calendar_windows(full.index, 11, 1), reps=100, seed=0
    ).row("relative")["ci_lower"]


def test_santa_claus_verdict_rests_on_the_november_january_row(verdicts_and_inputs):
    (santa, _), windows, _, _, daily_alt, split = verdicts_and_inputs
    head = windows["nov_jan"].row("relative")
    assert santa.claim_id == "santa_claus" and santa.status in rubric.STATUSES
    assert santa.headline.label == "November-January window (main)"
    assert santa.headline.estimate == head["estimate"] and santa.headline.p_value is None
    assert (santa.headline.ci_lower, santa.headline.ci_upper) == (head["ci_lower"], head["ci_upper"])
    assert [c.kind for c in santa.checks] == ["proxy", "other", "other", "subperiod", "subperiod", "control"]
    assert [c.effect.label for c in santa.checks[3:5]] == ["November-January, 1990-2004",
                                                          "November-January, 2005-now"]
    assert santa.checks[3].effect.estimate == windows["by_era"].table.loc[("Nov-Jan", "1990-2004"), "estimate"]
    assert santa.checks[0].effect.estimate == ev.alt_windows(daily_alt, **RULES)["nov_jan"]["estimate"]
    # the sample line is the windows the test averages, not the daily return sample
    wins = ss.calendar_windows(windows.data.index, 11, 1)
    wins = wins[wins["complete"]]
    assert (santa.sample.start, santa.sample.end) == (f"{wins['start'].iloc[0]:%Y-%m-%d}",
                                                      f"{wins['end'].iloc[-1]:%Y-%m-%d}")
    assert santa.sample.start != f"{windows.data.index[0]:%Y-%m-%d}"
    assert santa.sample.n == head["nobs"] == len(wins) and santa.sample.unit == "years (windows)"
    assert santa.method.endswith("(100 reps, seed 0)")
    assert santa.caveats[1] == (f"Windows the data do not cover fully are left out "
                                f"({windows.extra['incomplete']['nov_jan']} for November-January).")


def test_january_verdict_rests_on_the_full_sample_row(verdicts_and_inputs):
    (_, jan), _, january, rolling, _, _ = verdicts_and_inputs
    row = january.table.loc[("main", "full sample")]
    assert jan.claim_id == "january_effect"
    assert jan.headline.label == "January minus other months (main, full sample)"
    assert (jan.headline.estimate, jan.headline.p_value, jan.headline.nobs) == (row["estimate"], row["p_value"],
                                                                                 row["nobs"])
    assert [(c.kind, c.effect.label) for c in jan.checks] == [
        ("proxy", "January minus other months (other)"), ("subperiod", "main, 1990-2004"),
        ("subperiod", "main, 2005-now")]
    assert jan.method == "OLS on a January dummy with Newey-West (HAC) errors, 12 lags"
    # the international check: each region's full-sample January row (here the regions' SMB are the two pairs)
    assert [e.estimate for e in jan.international.counted] == [
        january.table.loc[(p, "full sample"), "estimate"] for p in ("main", "other")]
    main = january.table.xs("main", level="proxy")
    other = january.table.loc[("other", "full sample")]
    assert jan.caveats[0] == (
        f"Decay (main, per month): 1990-2004 {main.loc['1990-2004', 'estimate']:+.2%} "
        f"(t = {main.loc['1990-2004', 't']:.1f}{'' if main.loc['1990-2004', 'p_value'] < 0.05 else ', n.s.'}), "
        f"2005-now {main.loc['2005-now', 'estimate']:+.2%} "
        f"(t = {main.loc['2005-now', 't']:.1f}{'' if main.loc['2005-now', 'p_value'] < 0.05 else ', n.s.'}); "
        f"the latest 10-year rolling mean {rolling.estimate:+.2%} against an assumed round trip of 0.5%; other "
        f"{other['estimate']:+.2%} (t = {other['t']:.1f}, {int(other['nobs'])} months).")
    assert jan.caveats[1] == "In 2005-now the January effect is not significant in any pair studied."


def test_santa_claus_control_is_the_window_without_january(verdicts_and_inputs):
    """Santa Claus and January are one piece of evidence: the window without January is the declared control."""
    (santa, _), _, _, _, _, split = verdicts_and_inputs
    control = santa.checks[-1]
    row = split.table.loc[("Nov-Dec", "full sample")]
    assert control.kind == "control" and control.effect.label == "Nov-Dec alone, without January (main)"
    assert (control.effect.estimate, control.effect.ci_lower, control.effect.ci_upper) == (
        row["estimate"], row["ci_lower"], row["ci_upper"])
    jan = split.table.loc[("Jan", "full sample")]
    assert santa.caveats[0].startswith(
        f"The window in two parts, each minus other windows of its length: Nov-Dec alone {row['estimate']:+.2%} "
        f"(95% CI {row['ci_lower']:+.2%} to {row['ci_upper']:+.2%}, small caps ahead in {row['share_positive']:.0%} "
        f"of years); Jan alone {jan['estimate']:+.2%}")
    assert "In 2005-now: Nov-Dec alone" in santa.caveats[0]
    # a control with the other sign caps the verdict at partly supported (declared with the claim)
    from rotation.evidence import claims

    assert "control" in claims.get("santa_claus").decision.checks


def test_where_the_january_effect_survives_names_the_pairs_significant_in_the_latest_era():
    """On pairs with a planted January effect in every era, the answer lists them with their t in the last era."""
    rng = np.random.default_rng(3)
    idx = pd.date_range("1960-01-31", periods=600, freq="ME")

    def pair(jan):
        large = pd.Series(rng.normal(0.005, 0.03, len(idx)), index=idx)
        small = (1 + large) * (1 + rng.normal(0, 0.01, len(idx)) + jan * (idx.month == 1)) - 1
        return pd.DataFrame({"small": small, "large": large})

    pairs = {"main": pair(0.0), "other": pair(0.0), "ff30_ew": pair(0.04), "ff10_ew": pair(0.06)}
    eras = cal.era_bounds(["1989-12-31"], idx)
    january = cal.january_study(pairs, eras, maxlags=12)
    text = ev._survives_caveat("main", "other", january)
    rows = january.table.xs("1990-now", level="sample")
    assert text == (f"Where it survives in 1990-now: ff30_ew {rows.loc['ff30_ew', 'estimate']:+.2%} "
                    f"(t = {rows.loc['ff30_ew', 't']:.1f}), ff10_ew {rows.loc['ff10_ew', 'estimate']:+.2%} "
                    f"(t = {rows.loc['ff10_ew', 't']:.1f}) (equal-weighted and smallest-decile "
                    "portfolios: the smallest stocks at weights no index fund holds, the uninvestable corner).")


def test_the_answers_carry_the_split_and_the_decay(verdicts_and_inputs):
    """The Answer box of each seasonality claim says what the caveats say: Nov-Dec beside January for the
    window, the decay and where it survives for the January effect (issue 27, item 5)."""
    santa, jan = verdicts_and_inputs[0]
    assert santa.answer == santa.caveats[0] and "Nov-Dec alone" in santa.answer
    assert jan.answer == f"{jan.caveats[0]} {jan.caveats[1]}" and jan.answer.startswith("Decay (main, per month)")
