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
    january = cal.january_study(pairs, ERAS, maxlags=12)
    rolling = cal.rolling_january(rel, years=10, cost=0.005)
    out = ev.verdicts(proxy="main", alt="other", monthly=rel, daily_alt=daily_alt, windows=windows, january=january,
                      rolling=rolling, window_rules=RULES)
    return out, windows, january, rolling, daily_alt


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
    (santa, _), windows, _, _, daily_alt = verdicts_and_inputs
    head = windows["nov_jan"].row("relative")
    assert santa.claim_id == "santa_claus" and santa.status in rubric.STATUSES
    assert santa.headline.label == "November-January window (main)"
    assert santa.headline.estimate == head["estimate"] and santa.headline.p_value is None
    assert (santa.headline.ci_lower, santa.headline.ci_upper) == (head["ci_lower"], head["ci_upper"])
    assert [c.kind for c in santa.checks] == ["proxy", "other", "other", "subperiod", "subperiod"]
    assert [c.effect.label for c in santa.checks[3:]] == ["November-January, 1990-2004", "November-January, 2005-now"]
    assert santa.checks[3].effect.estimate == windows["by_era"].table.loc[("Nov-Jan", "1990-2004"), "estimate"]
    assert santa.checks[0].effect.estimate == ev.alt_windows(daily_alt, **RULES)["nov_jan"]["estimate"]
    assert santa.sample.n == head["nobs"] and santa.sample.unit == "years"
    assert santa.method.endswith("(100 reps, seed 0)")
    assert santa.caveats == (f"Windows the data do not cover fully are left out "
                             f"({windows.extra['incomplete']['nov_jan']} for November-January).",)


def test_january_verdict_rests_on_the_full_sample_row(verdicts_and_inputs):
    (_, jan), _, january, rolling, _ = verdicts_and_inputs
    row = january.table.loc[("main", "full sample")]
    assert jan.claim_id == "january_effect"
    assert jan.headline.label == "January minus other months (main, full sample)"
    assert (jan.headline.estimate, jan.headline.p_value, jan.headline.nobs) == (row["estimate"], row["p_value"],
                                                                                 row["nobs"])
    assert [(c.kind, c.effect.label) for c in jan.checks] == [
        ("proxy", "January minus other months (other)"), ("subperiod", "main, 1990-2004"),
        ("subperiod", "main, 2005-now")]
    assert jan.method == "OLS on a January dummy with Newey-West (HAC) errors, 12 lags"
    assert jan.caveats[0] == (f"Assumed round-trip cost 0.5%: the latest 10-year January effect is "
                              f"{rolling.estimate:+.2%}.")
