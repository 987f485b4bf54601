"""The shared chart helpers: they draw on the given axes, label it, and return it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rotation import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _monthly(n=24, seed=0):
    idx = pd.date_range("2000-01-31", periods=n, freq="ME")
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"small": rng.normal(0.01, 0.05, n), "large": rng.normal(0.008, 0.04, n)}, index=idx)


def test_recession_periods_from_month_end_indicator():
    idx = pd.date_range("2000-01-31", periods=8, freq="ME")
    usrec = pd.Series([0, 1, 1, 0, 0, 1, 0, 1], index=idx)
    assert plots.recession_periods(usrec) == [
        (pd.Timestamp("2000-02-01"), pd.Timestamp("2000-03-31")),
        (pd.Timestamp("2000-06-01"), pd.Timestamp("2000-06-30")),
        (pd.Timestamp("2000-08-01"), pd.Timestamp("2000-08-31")),
    ]
    assert plots.recession_periods(pd.Series(dtype=float)) == []


def test_line_chart_uses_given_axes_and_labels():
    fig, ax = plt.subplots()
    data = _monthly()
    out = plots.line_chart(data, ax=ax, title="T", ylabel="percent", source="Source: test", percent=True,
                           shade=[(data.index[2], data.index[4])], hline=0.0)
    assert out is ax
    assert ax.get_title() == "T" and ax.get_ylabel() == "percent"
    assert len(ax.lines) == 3  # two series and the reference line
    assert any("Source: test" in t.get_text() for t in ax.texts)
    assert ax.yaxis.get_major_formatter().__class__.__name__ == "PercentFormatter"


def test_log_wealth_chart_starts_at_growth_of_first_return():
    data = _monthly()
    ax = plots.log_wealth_chart(data, title="W", source="S")
    assert ax.get_yscale() == "log"
    first = ax.lines[0].get_ydata()[0]
    assert first == pytest.approx(1 + data["small"].iloc[0])


def test_bar_with_ci_error_bars_match_bounds():
    table = pd.DataFrame({"h": ["1m", "3m"], "est": [0.01, -0.02], "lo": [-0.01, -0.05], "hi": [0.03, 0.01]})
    ax = plots.bar_with_ci(table, x="h", y="est", lower="lo", upper="hi", title="B", ylabel="y", source="S")
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([0.01, -0.02])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1m", "3m"]


def test_hist_with_marker_draws_the_marker():
    s = pd.Series(np.linspace(-0.1, 0.1, 50))
    ax = plots.hist_with_marker(s, 0.05, title="H", xlabel="x", source="S")
    assert any(np.allclose(line.get_xdata(), [0.05, 0.05]) for line in ax.lines)
