"""Notebook 08 (signals and the answer) runs on the snapshot, as of a past date, and is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NB = "08_signals"


def _run(main, out: Path, *extra: str) -> dict:
    code = main(["run", NB, *extra, "--out", str(out), "--kernel", "python3", "-q"])
    assert code == 0, (out / NB / "manifest.json").read_text()
    return json.loads((out / NB / "results.json").read_text())


@pytest.mark.notebook
def test_08_signals_latest_and_as_of(snapshot_env: Path, tmp_path: Path):
    from rotation import board, verdicts
    from rotation.cli import main

    res = _run(main, tmp_path / "a")
    v = res["verdicts.breakout_new_year"]
    assert v["status"] in verdicts.STATUSES
    assert set(res["board.info"]) == set(board.SIGNALS)
    assert "composite" in res["composite.oos"]
    _run(main, tmp_path / "b")
    assert (tmp_path / "b" / NB / "results.json").read_bytes() == (tmp_path / "a" / NB / "results.json").read_bytes()
    past = _run(main, tmp_path / "past", "-p", "as_of=2019-12-31", "-p", "proxy=iwm_spy")
    assert past["sample"]["board_end"] == "2019-12-31" and past["sample"]["returns_end"] <= "2019-12-31"
