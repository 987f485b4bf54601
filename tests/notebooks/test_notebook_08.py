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
    run_notebook(NB, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()
    past = run_notebook(NB, tmp_path / "past", "-p", "as_of=2019-12-31", "-p", "proxy=iwm_spy")
    assert past["sample"]["board_end"] == "2019-12-31" and past["sample"]["returns_end"] <= "2019-12-31"
