"""Point-in-time lookups (rotation.data.vintages): made-up vintage tables, and the snapshot's real ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rotation.data import vintages
from rotation.errors import ParameterError


def _table(n_obs: int = 6, first_vintage: str = "2020-02", revise: float = 0.0) -> pd.DataFrame:
    """Monthly vintages: vintage v holds observations through v - 1; each later vintage revises by ``revise``."""
    obs = pd.period_range("2020-01", periods=n_obs, freq="M")
    vints = pd.period_range(first_vintage, periods=n_obs, freq="M")
    out = pd.DataFrame(np.nan, index=obs.to_timestamp(how="end").normalize(), columns=[str(v) for v in vints])
    for j, v in enumerate(vints):
        for i, o in enumerate(obs):
            if o < v:
                out.iloc[i, j] = 100 + i + revise * (v - o).n
    out.index.name = "date"
    return out


DATES = pd.date_range("2019-12-31", "2020-10-31", freq="ME")


def test_vintage_dating_convention():
    known = vintages.vintage_known_at(["2024-03", "2025Q4", "2026Q1"])
    assert list(known) == [pd.Timestamp("2024-03-31"), pd.Timestamp("2025-11-30"), pd.Timestamp("2026-02-28")]


@pytest.mark.parametrize("basis", ["real-time", "first release"])
def test_a_later_revision_never_changes_a_value_known_at_t(basis):
    base = _table(revise=0.5)
    at = pd.Timestamp("2020-04-30")  # vintage 2020-04 is the one known then
    perturbed = base.copy()
    later = [c for c, k in zip(base.columns, vintages.vintage_known_at(base.columns), strict=True) if k > at]
    perturbed[later] = perturbed[later] * 1.1 + 7
    a = vintages.known_values(base, DATES, basis)
    b = vintages.known_values(perturbed, DATES, basis)
    upto = DATES <= at
    pd.testing.assert_frame_equal(a.loc[upto], b.loc[upto])
    assert not a.loc[~upto & a["covered"], "value"].equals(b.loc[~upto & b["covered"], "value"])


def test_real_time_reads_the_newest_observation_of_the_vintage_known_then():
    table = _table(revise=0.5)
    got = vintages.known_values(table, DATES, "real-time")
    at = pd.Timestamp("2020-04-30")
    newest = table["2020-04"].last_valid_index()  # March 2020
    assert got.loc[at, "vintage"] == "2020-04"
    assert got.loc[at, "value"] == table.loc[newest, "2020-04"]
    assert not got.loc[pd.Timestamp("2020-01-31"), "covered"]  # before the first vintage is known
    assert not got.loc[pd.Timestamp("2020-10-31"), "covered"]  # the vintage after the last one was due
    assert got.loc[pd.Timestamp("2020-07-31"), "covered"]  # the last vintage (2020-07) covers its month


def test_first_release_keeps_the_first_print_when_a_vintage_adds_no_month():
    table = _table(revise=0.5)
    table.loc[table.index[3], "2020-05"] = np.nan  # vintage 2020-05 brings no new month, revises the old ones
    rt = vintages.known_values(table, DATES, "real-time")
    fr = vintages.known_values(table, DATES, "first release")
    at = pd.Timestamp("2020-05-31")
    feb = table.index[1]
    assert rt.loc[at, "value"] == table.loc[table["2020-05"].last_valid_index(), "2020-05"]
    first = table.loc[table.index[2]].dropna().iloc[0]  # March's first print (vintage 2020-04)
    assert fr.loc[at, "value"] == first
    assert table.loc[feb].notna().sum() > 1


def test_fallback_is_labelled_latest(snapshot_env):
    out = vintages.load_point_in_time("PAYEMS", "real-time", start="1995-01-31", end="2026-06-30")
    assert set(out["basis"]) == {"real-time", "latest"}
    table = vintages.vintage_table("PAYEMS", "fredmd")
    first_known = table.attrs["known"][0]
    assert (out.loc[out.index < first_known, "basis"] == "latest").all()
    assert (out.loc["2000-01-31":"2024-03-31", "basis"] == "real-time").all()
    assert (out.loc["2024-05-31":, "basis"] == "latest").all()
    share = (out["basis"] == "real-time").mean()
    assert out.attrs["point_in_time_share"] == pytest.approx(share)
    # September 2008 payrolls: first published in vintage 2008-10, later revised
    assert out.loc["2008-10-31", "value"] == table.loc["2008-09-30", "2008-10"]
    latest = vintages.load_point_in_time("PAYEMS", "latest", start="2008-10-31", end="2008-10-31")
    assert latest["basis"].iloc[0] == "latest" and latest["vintage"].iloc[0] == ""


def test_sources_stay_apart_and_unknown_ones_are_refused(snapshot_env):
    fm = vintages.vintage_table("PAYEMS", "fredmd")
    rt = vintages.vintage_table("PAYEMS", "rtdsm")
    assert fm.attrs["datasets"] != rt.attrs["datasets"]
    assert fm.loc["2024-02-29", "2024-03"] == rt.loc["2024-02-29", "2024-03"] == 157808
    with pytest.raises(ParameterError, match="not in FRED-MD"):
        vintages.vintage_table("GDPC1", "fredmd")
    with pytest.raises(ParameterError, match="basis must be"):
        vintages.load_point_in_time("PAYEMS", "revised")


def test_vintage_table_end_keeps_only_vintages_known_by_then(snapshot_env):
    full = vintages.vintage_table("UNRATE", "fredmd")
    cut = vintages.vintage_table("UNRATE", "fredmd", end="2015-12-31")
    assert cut.columns[-1] == "2015-12" and list(cut.columns) == [c for c in full.columns if c <= "2015-12"]
    assert cut.index[-1] <= pd.Timestamp("2015-12-31")
    assert (cut.attrs["known"] <= pd.Timestamp("2015-12-31")).all()
    assert vintages.vintage_table("UNRATE", "fredmd", end="1990-12-31").shape[1] == 0  # before the first vintage


def test_april_2020_unemployment_first_release_and_latest(snapshot_env, raw_dir):
    """The issue's example: April 2020 unemployment was first published as 14.7% (FRED-MD vintage 2020-05, read
    from the raw zip member here) and reads 14.8% in the latest vintage."""
    import io
    import zipfile

    path = next(p for p in (raw_dir / "realtime" / "fred-md").glob("*.zip")
                if "2020-05.csv" in {n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(p).namelist()})
    with zipfile.ZipFile(path) as z:
        member = next(n for n in z.namelist() if n.endswith("2020-05.csv"))
        raw = pd.read_csv(io.BytesIO(z.read(member)))
    raw = raw[raw.iloc[:, 0].astype(str).str.match(r"\d")]  # data rows, not the Transform: row
    first = float(raw.loc[raw.iloc[:, 0].astype(str).str.startswith("4/1/2020"), "UNRATE"].iloc[0])
    rt = vintages.load_point_in_time("UNRATE", "real-time", start="2020-05-31", end="2020-05-31")
    assert rt["basis"].iloc[0] == "real-time" and rt["vintage"].iloc[0] == "2020-05"
    assert rt["value"].iloc[0] == first == 14.7
    table = vintages.vintage_table("UNRATE", "fredmd")
    assert table.loc["2020-04-30", table.columns[-1]] == 14.8
