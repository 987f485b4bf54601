"""The rotation graph (static and explorable) and the recent quadrant map."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rotation.errors import ParameterError  # noqa: E402
from rotation.present import sector_charts as sc  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _coordinates(tickers=("XLK", "XLF", "IWM"), n=30):
    idx = pd.date_range("2025-01-03", periods=n, freq="W-FRI")
    rng = np.random.default_rng(0)
    frames = {t: pd.DataFrame({"level": 100 + rng.normal(0, 1, n).cumsum() * 0.3,
                               "momentum": 100 + rng.normal(0, 1, n) * 0.8}, index=idx) for t in tickers}
    frames["XLRE"] = pd.DataFrame({"level": np.nan, "momentum": np.nan}, index=idx)  # no history yet
    return pd.concat(frames, axis=1)


def test_tails_are_the_last_weeks_of_each_ticker_with_data():
    data = _coordinates()
    tails = sc.rotation_tails(data, 8)
    assert list(tails) == ["XLK", "XLF", "IWM"]
    assert all(len(t) == 8 and t.index[-1] == data.index[-1] for t in tails.values())
    with pytest.raises(ParameterError, match="weeks >= 1"):
        sc.rotation_tails(data, 0)


def test_static_graph_shades_quadrants_draws_arrowheads_and_labels_every_ticker():
    data = _coordinates()
    ax = sc.rotation_graph(data, 8, title="Rotation", source="src")
    texts = {t.get_text() for t in ax.texts}
    assert {"leading", "weakening", "lagging", "improving"} <= texts
    labels = [a for a in ax.texts if a.get_text() in {"XLK", "XLF", "IWM"}]
    assert len(labels) == 3
    arrows = [a for a in ax.texts if a.get_text() == "" and getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 3
    xlo, xhi = ax.get_xlim()
    assert xlo < 100 < xhi and abs((100 - xlo) - (xhi - 100)) < 1e-9  # 100 in the middle: equal quadrants
    colours = {line.get_color() for line in ax.lines if len(line.get_xdata()) == 8}
    assert len(colours) == 3  # distinct colours, not one repeated


def test_explorable_graph_hovers_dates_and_points_arrows_along_the_last_step():
    data = _coordinates()
    chart = sc.explorable_rotation_graph(data, 8, title="Rotation", source="src")
    traces = chart.figure.data
    assert [t.name for t in traces] == ["XLK", "XLF", "IWM"]
    last = traces[0]
    assert list(last.customdata)[-1] == f"{data.index[-1]:%Y-%m-%d}"
    assert last.marker.symbol[-1] == "arrow"
    tail = data["XLK"].iloc[-2:]
    dx, dy = tail["level"].diff().iloc[-1], tail["momentum"].diff().iloc[-1]
    assert last.marker.angle[-1] == pytest.approx(np.degrees(np.arctan2(dx, dy)))
    assert len(chart.figure.layout.shapes) == 4 + 2  # four quadrants and the two 100 lines


def test_quadrant_map_shows_only_the_recent_years_one_row_per_ticker():
    idx = pd.date_range("2015-01-31", "2026-06-30", freq="ME")
    rng = np.random.default_rng(3)
    q = pd.DataFrame({t: rng.choice(list(sc.QUADRANT_COLOURS), len(idx))
                      for t in ("XLB", "XLC")}, index=idx)
    q.loc[:"2025-12-31", "XLC"] = np.nan
    q["OLD"] = np.nan
    ax = sc.quadrant_map(q, years=3, title="Quadrants", source="src")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["XLB", "XLC"]  # no empty rows
    mesh = ax.collections[0]
    assert mesh.get_array().size == 2 * 37  # two rows of 3 years of month ends (both ends included)
    with pytest.raises(ParameterError, match="month-end dates"):
        sc.quadrant_map(pd.DataFrame(), title="x", source="")
