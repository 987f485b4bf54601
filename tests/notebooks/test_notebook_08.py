"""Notebook 08 (signals and the answer) runs on the snapshot, as of a past date, and is deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

NB = "08_signals"



@pytest.mark.notebook
def test_08_signals_latest_and_as_of(snapshot_env: Path, tmp_path: Path, run_notebook):
    from rotation.evidence import rubric as verdicts
    from rotation.studies import board

    res = run_notebook(NB, tmp_path / "a")
    v = res["verdicts.breakout_new_year"]
    assert v["status"] in verdicts.STATUSES
    assert set(res["board"]["extra"]["info"]) == set(board.SIGNALS)
    assert "composite" in res["composite"]["rows"]
    # the board's macro signals on the real-time basis: basis, coverage and the comparison, and the check
    for key in board.REALTIME_BOARD:
        sig = res["realtime"]["signals"][key]
        assert sig["basis"] == "real-time where vintages cover"
        assert sig["first_real_time"] == "1999-08-31" and sig["last_real_time"] == "2024-03-31"
        assert 0 < sig["share_point_in_time"] < 1 and 0 <= sig["months_differ"] <= sig["months_compared"]
        assert sig["share_differ"] == sig["months_differ"] / sig["months_compared"]
    rev = v["revision"]
    assert rev["revision_robust"] in ("yes", "no") and rev["status"] in verdicts.STATUSES
    # decided by the forecast: P(breakout) by the signals minus the base rate, counted only with skill
    fc = res["forecast"]
    assert v["headline"]["estimate"] == fc["breakout_gap"]["estimate"] == rev["headline"]["estimate"]
    assert v["headline"]["scale"] == "points" and v["skill"]["estimate"] == fc["scores"]["brier_skill"]
    assert (v["rule"] == "R5") == (fc["scores"]["ci_lower"] <= 0 or v["status"] == "not supported")
    assert [c["kind"] for c in v["checks"]] == ["proxy", "subperiod", "subperiod"]
    assert v["then"]["headline"]["estimate"] == res["forecast.commentary"]["breakout_gap"]["estimate"]
    # decided on the real-time board; revision-robust compares it with the revised board over the whole sample
    assert rev["verdict_revised"]["estimate"] == res["forecast.revised"]["breakout_gap"]["estimate"]
    assert rev["robust"] == ((v["headline"]["estimate"] > 0) == (rev["verdict_revised"]["estimate"] > 0)
                             and v["status"] == rev["verdict_revised_status"])
    assert 0 < rev["point_in_time_share"] == res["realtime"]["point_in_time_share"] < 1
    assert res["board"]["extra"]["info"]["labour_robust"]["basis"] in ("real-time vintage",
                                                                       "latest vintage (no vintage covers it)")
    assert rev["sample"]["start"] >= "1999-08-31" and v["decision"]["revision"] == "real-time check"
    # the answer as a forecast of the event the question names, scored out of sample against the base rate
    assert fc["new_year"] == f"January {int(fc['forecast_date'][:4]) + 1}" and fc["window_end"].endswith("-01-31")
    for which in ("model", "base"):
        assert sum(p[which] for p in fc["probabilities"].values()) == pytest.approx(1)
    assert set(fc["probabilities"]) == {"no breakout", "false breakout", "sustained breakout", "blow-off"}
    sc = fc["scores"]
    assert sc["n"] >= 50 and sc["ci_lower"] <= sc["brier_skill"] <= sc["ci_upper"]
    assert fc["answer"] == ("model" if sc["ci_lower"] > 0 else "base rate")
    # the commentary's own forecast: made with the data published by 2023-11-30, beside what followed
    then = res["forecast.commentary"]
    assert then["forecast_date"] == "2023-11-30" and then["new_year"] == "January 2024"
    assert then["outcome"] in fc["probabilities"] and then["outcome_known"] == "2024-05-31"
    assert then["probability_of_outcome"]["model"] == then["probabilities"][then["outcome"]]["model"]
    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()
    past = run_notebook(NB, tmp_path / "past", "-p", "as_of=2019-12-31", "-p", "proxy=iwm_spy")
    assert past["sample"]["board_end"] == "2019-12-31" and past["sample"]["returns_end"] <= "2019-12-31"
    # as of 2019-12-31 no vintage published later is read
    assert past["realtime"]["signals"]["labour_robust"]["last_real_time"] == "2019-12-31"
    assert past["board"]["extra"]["info"]["labour_robust"]["basis"] == "real-time vintage"
    assert past["forecast"]["forecast_date"] == "2019-12-31" and past["forecast"]["new_year"] == "January 2020"
    assert "is after this run's as_of" in past["forecast.commentary"]


@pytest.mark.notebook
@pytest.mark.browser
def test_08_pages_read_on_a_desktop_and_a_phone(snapshot_env: Path, tmp_path: Path, run_notebook):
    """The real report and run page in headless Chromium at 1280 x 800 and on a 390 x 844 phone screen: no sideways
    overflow, the Answer box on the first screen, no table cell in scientific notation or reading "p = 0.000", no
    header with an underscore, every in-page link resolving, every chart with its alt text."""
    from rotation.present import browser

    if browser.find_chromium() is None:
        pytest.skip("headless Chromium not installed (Debian: apt-get install -y chromium)")
    run_notebook(NB, tmp_path / "a")
    report, run_page = tmp_path / "a" / NB / f"{NB}.html", tmp_path / "a" / "index.html"
    for window in ((1280, 800), (390, 844 + 143)):  # the window less Chromium's frame is the viewport
        for page in (report, run_page):
            seen = browser.probe(page, window=window)
            where = (page.name, window)
            assert seen["page_width"] <= seen["viewport"]["width"], where
            assert seen["bad_cells"] == [] and seen["underscore_headers"] == [], (where, seen["bad_cells"],
                                                                                seen["underscore_headers"])
            assert seen["broken_anchors"] == [] and seen["images_without_alt"] == 0, where
            if page == report:
                assert seen["answer"]["bottom"] <= seen["viewport"]["height"], (where, seen["answer"])
                assert seen["images"] >= 4
            else:
                assert seen["probs"]["bottom"] <= seen["viewport"]["height"], (where, seen["probs"])
    # the scorecard's row of the question links to its verdict in the report's findings
    assert f'href="{NB}/{NB}.html#claim-breakout_new_year"' in run_page.read_text(encoding="utf-8")
    assert 'id="claim-breakout_new_year"' in report.read_text(encoding="utf-8")
