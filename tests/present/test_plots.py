"""The shared chart helpers: they draw on the given axes, label it, and return it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rotation.present import plots  # noqa: E402


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


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("layout", [None, "constrained", "tight"])
def test_caption_clears_rotated_crowded_tick_labels(layout):
    """The source caption sits below every tick label, however long and rotated the labels are."""
    labels = [f"before 2008-01 sub-period {i}" for i in range(10)]
    table = pd.DataFrame({"period": labels, "est": np.linspace(-0.5, 0.5, 10)})
    table["lo"], table["hi"] = table["est"] - 0.2, table["est"] + 0.2
    fig, ax = plt.subplots(figsize=(8, 4), layout=layout)
    plots.bar_with_ci(table, ax=ax, x="period", y="est", lower="lo", upper="hi", title="Beta by period",
                      ylabel="beta", source="Source: a long caption that names every input series " * 3)
    if layout == "tight":
        fig.tight_layout()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    cap = next(t for t in ax.texts if t.get_text().startswith("Source:"))
    cap_box = cap.get_window_extent(renderer)
    ticks = [t for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and any(t.get_rotation() != 0 for t in ticks)  # the case that used to overlap
    for t in ticks:
        assert not _overlaps(cap_box, t.get_window_extent(renderer)), t.get_text()
    lowest_tick = min(t.get_window_extent(renderer).y0 for t in ticks)
    assert cap_box.y1 <= lowest_tick
    # the saved figure (bbox "tight", as the inline backend does) keeps the caption inside
    tight = fig.get_tightbbox(renderer)
    assert tight.y0 <= cap_box.y0 / fig.dpi + 1e-6


def test_caption_below_date_ticks_of_a_line_chart():
    data = _monthly(120)
    fig, ax = plt.subplots()
    plots.line_chart(data, ax=ax, title="T", ylabel="y", source="Source: test")
    ax.tick_params(axis="x", labelrotation=45)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    cap = next(t for t in ax.texts if t.get_text() == "Source: test").get_window_extent(renderer)
    for t in ax.get_xticklabels():
        if t.get_text():
            assert not _overlaps(cap, t.get_window_extent(renderer)), t.get_text()


def test_line_chart_x_axis_starts_where_the_data_start():
    idx = pd.date_range("1926-07-31", "2020-12-31", freq="ME")
    frame = pd.DataFrame({"small": np.nan, "large": np.nan}, index=idx)
    frame.loc["1962-01-31":"2019-06-30", "small"] = 0.01
    frame.loc["1973-01-31":"2019-12-31", "large"] = 0.02
    ax = plots.line_chart(frame, title="T", ylabel="y", source="S",
                          shade=[(pd.Timestamp("1929-08-01"), pd.Timestamp("1933-03-31"))])
    lo, hi = (pd.Timestamp(matplotlib.dates.num2date(v)).tz_localize(None) for v in ax.get_xlim())
    assert lo == pd.Timestamp("1962-01-31")
    assert hi == pd.Timestamp("2019-12-31")


def test_log_wealth_chart_starts_where_the_returns_start():
    idx = pd.date_range("1926-07-31", periods=600, freq="ME")
    rets = pd.DataFrame({"small": np.nan, "large": np.nan}, index=idx)
    rets.iloc[400:, 0] = 0.01
    rets.iloc[420:, 1] = 0.005
    ax = plots.log_wealth_chart(rets, title="W", source="S")
    lo = pd.Timestamp(matplotlib.dates.num2date(ax.get_xlim()[0])).tz_localize(None)
    assert lo == idx[400]
    large = ax.lines[1].get_ydata()
    assert np.isnan(large[:420]).all() and large[420] == pytest.approx(1.005)


def test_a_figures_alt_text_is_its_titles_and_axis_labels():
    import matplotlib.pyplot as plt

    from rotation.present.plots import figure_alt

    fig, (a, b) = plt.subplots(1, 2)
    a.set_title("Small minus large")
    a.set_ylabel("relative return")
    b.set_xlabel("year")
    assert figure_alt(fig) == "Chart: Small minus large; y: relative return | x: year"
    plt.close(fig)
    empty = plt.figure()
    assert figure_alt(empty) == ""
    plt.close(empty)


def test_compact_png_keeps_the_picture_in_fewer_bytes():
    import io

    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    from rotation.present.plots import compact_png

    fig, ax = plt.subplots(figsize=(10, 4.5))
    x = np.arange(2000)
    for k in range(8):
        ax.plot(x, np.cumsum(np.random.default_rng(k).normal(size=x.size)), lw=0.8)
    ax.set_title("Eight walks")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200)
    plt.close(fig)
    raw = buf.getvalue()
    small = compact_png(raw)
    assert len(small) < 0.7 * len(raw)
    with Image.open(io.BytesIO(raw)) as a, Image.open(io.BytesIO(small)) as b:
        assert a.size == b.size and len(b.getcolors(maxcolors=1 << 16) or []) <= 256
        diff = np.abs(np.asarray(a.convert("RGB"), dtype=float) - np.asarray(b.convert("RGB"), dtype=float))
        assert diff.mean() < 2.0  # on a 0-255 scale: the same picture


def test_robust_scale_keeps_one_plunge_from_flattening_the_rest_and_says_so():
    idx = pd.date_range("1990-01-31", periods=400, freq="ME")
    s = pd.Series(np.random.default_rng(1).normal(0, 0.1, 400), index=idx, name="gap")
    s.iloc[350] = -12.0  # one plunge
    ax = plots.line_chart(s, title="t", ylabel="y", source="", robust=True)
    lo, hi = ax.get_ylim()
    assert -2 < lo < -0.2 and 0.2 < hi < 2  # the scale fits the ordinary values, not the plunge
    notes = [t.get_text() for t in ax.texts]
    assert any("1 value(s) off the scale" in t and "-12" in t and f"{idx[350]:%Y-%m}" in t for t in notes)


def test_robust_scale_cuts_nothing_from_ordinary_data():
    s = pd.Series(np.random.default_rng(2).normal(0, 1, 600), index=pd.date_range("1970-01-31", periods=600,
                                                                                   freq="ME"))
    ax = plots.line_chart(s, title="t", ylabel="y", source="", robust=True)
    lo, hi = ax.get_ylim()
    assert lo <= s.min() and hi >= s.max()
    assert not [t for t in ax.texts if "off the scale" in t.get_text()]


def test_with_recent_adds_a_panel_of_the_last_years_only():
    idx = pd.date_range("1950-01-31", "2026-06-30", freq="ME")
    s = pd.Series(np.linspace(0, 1, len(idx)), index=idx, name="line")
    ax, recent = plots.with_recent(s, years=3, title="History", ylabel="y", source="src")
    assert ax.get_title() == "History" and recent.get_title() == "Last 3 years"
    left, right = (plt.matplotlib.dates.num2date(v).replace(tzinfo=None) for v in recent.get_xlim())
    assert left >= pd.Timestamp("2023-06-01") and right <= pd.Timestamp("2026-07-01")
    ylo, yhi = recent.get_ylim()
    assert ylo > 0.9  # scaled to the recent values, not the whole history
