"""End cuts (``--end``, ``--end-file``): parsing them and choosing the cut of each remote file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rotation.data.catalog import CATALOG
from rotation.data.ingest.cuts import end_for, normalise_end, parse_end_option, read_end_file
from rotation.errors import ParameterError


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(["2026-07-10"], {"*": "2026-07-10"}, id="all-files"),
        pytest.param(["IWM=2026-07-10", " SPY = 2026-07-09 "], {"IWM": "2026-07-10", "SPY": "2026-07-09"},
                     id="per-key"),
    ],
)
def test_parse_end_option(values, expected):
    assert parse_end_option(values) == expected


def test_read_end_file(tmp_path):
    f = tmp_path / "cuts.txt"
    f.write_text("# comment\n^RUT=2026-02-20\n\n2026-01-01  # default for all\n")
    assert read_end_file(f) == {"^RUT": "2026-02-20", "*": "2026-01-01"}
    f.write_text("^RUT = 2026\n")
    with pytest.raises(ParameterError, match=r"cuts.txt:1: expected KEY=DATE"):
        read_end_file(f)
    with pytest.raises(ParameterError, match="cannot read the end-date file"):
        read_end_file(tmp_path / "missing.txt")


def test_snapshot_cuts_name_catalog_datasets():
    cuts = read_end_file(Path(__file__).resolve().parents[2] / "snapshot-cuts.txt")
    assert cuts and all(k in CATALOG for k in cuts)


def test_normalise_end_one_date_or_a_mapping():
    assert normalise_end(None) == {}
    assert normalise_end("2026-07-10") == {"*": pd.Timestamp("2026-07-10")}
    assert normalise_end({"IWM": "2026-07-10"}) == {"IWM": pd.Timestamp("2026-07-10")}
    with pytest.raises(ParameterError, match=r"end date 'soon' for '\*' is not a date; use YYYY-MM-DD"):
        normalise_end("soon")


def test_end_for_matches_remote_id_or_dataset_key_else_the_default():
    ends = normalise_end({"iwm": "2026-07-10", "size_vw_monthly": "2025-12-31", "*": "2026-01-01"})
    assert end_for(ends, "prices", "IWM") == pd.Timestamp("2026-07-10")  # case-insensitive
    assert end_for(ends, "famafrench", "Portfolios_Formed_on_ME") == pd.Timestamp("2025-12-31")  # one of its datasets
    assert end_for(ends, "fred", "DGS10") == pd.Timestamp("2026-01-01")
    assert end_for({}, "fred", "DGS10") is None
    assert end_for(normalise_end({"SPY": "2026-07-10"}), "fred", "DGS10") is None
