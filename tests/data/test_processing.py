"""From an original file's bytes to the catalog's datasets: what the manifest is told about each."""

from __future__ import annotations

from rotation.data.processing import process


def test_processed_facts_are_the_catalogs():
    proc = process("fred", "DGS10", b"observation_date,DGS10\n2020-01-02,1.5\n2020-01-03,.\n", "DGS10.csv")
    assert list(proc.frames) == ["DGS10"]
    assert proc.facts == {"DGS10": {"frequency": "D", "units": "percent per year"}}
    assert proc.meta["missing_dropped"] == 1
