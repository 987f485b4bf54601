"""One seaborn theme and the few chart types the notebooks share.

Every function takes the data first and an optional ``ax``, draws, and returns the
``ax``; titles, axis labels (with units) and a source caption are arguments, so a
chart is readable on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from rotation.stats.compound import compound

__all__ = [
    "figure_alt",
    "set_theme",
    "PALETTE",
    "caption",
    "shade_periods",
    "recession_periods",
    "line_chart",
    "with_recent",
    "log_wealth_chart",
    "bar_with_ci",
    "regions_chart",
    "hist_with_marker",
]

#: Colours used for the same meaning in every notebook: Okabe-Ito hues (distinguishable with the common colour-vision
#: deficiencies), the same as the explorable charts.
PALETTE: dict[str, str] = {
    "small": "#D55E00",
    "large": "#009E73",
    "relative": "#0072B2",
    "neutral": "#666666",
    "recession": "#bbbbbb",
    "highlight": "#CC79A7",
}


def set_theme() -> None:
    """The project's seaborn theme (call once at the top of a notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    plt.rcParams.update(
        {
            "figure.figsize": (10, 4.5),
            "figure.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "legend.frameon": False,
            "savefig.bbox": "tight",
        }
    )
    try:  # in a kernel: figures as 2x PNGs (sharp on retina screens and when a phone zooms), shown at 1x size
        from matplotlib_inline import backend_inline
    except ImportError:  # no IPython kernel here (scripts, tests): nothing to set
        return
    backend_inline.set_matplotlib_formats("retina")
    _register_compact_retina()
    fetch = backend_inline._fetch_figure_metadata  # noqa: SLF001 - the inline backend's per-figure metadata hook
    if not getattr(fetch, "with_alt", False):
        def fetch_with_alt(fig):  # noqa: ANN001, ANN202
            md = dict(fetch(fig) or {})
            alt = figure_alt(fig)
            return {**md, "alt": alt} if alt else (md or None)

        fetch_with_alt.with_alt = True  # type: ignore[attr-defined]
        backend_inline._fetch_figure_metadata = fetch_with_alt  # noqa: SLF001


def compact_png(png: bytes, colours: int = 256) -> bytes:
    """``png`` with at most ``colours`` colours (an adaptive palette, no dithering) and optimised: a chart's
    few flat colours and their anti-aliased edges survive, the file is a third to a half of the size."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        out = io.BytesIO()
        im.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


def _register_compact_retina() -> None:
    """Figures in a kernel as 2x PNGs (shown at 1x) made compact with :func:`compact_png`."""
    from IPython import get_ipython
    from IPython.core.pylabtools import retina_figure
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is None:
        return

    def png(fig: Figure) -> Any:
        got = retina_figure(fig, bbox_inches="tight")
        if got is None:
            return None
        data, md = got
        return compact_png(data), md

    shell.display_formatter.formatters["image/png"].for_type(Figure, png)


def figure_alt(fig) -> str:  # noqa: ANN001 - a matplotlib Figure
    """The alt text of a figure: each panel's title and axis labels, in words ("" when it has none)."""
    parts = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text():
        parts.append(sup.get_text())
    for ax in fig.axes:
        words = [w for w in (ax.get_title(), ax.get_ylabel() and f"y: {ax.get_ylabel()}",
                             ax.get_xlabel() and f"x: {ax.get_xlabel()}") if w]
        if words:
            parts.append("; ".join(words))
    return ("Chart: " + " | ".join(parts)) if parts else ""


def _ax(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _below_x_axis(ax: Axes):  # noqa: ANN202 - a matplotlib coordinate callable
    """Coordinates whose y = 0 is the bottom of the x axis' tick labels and label, at draw time."""

    def bbox(renderer):  # noqa: ANN001, ANN202
        box = ax.xaxis.get_tightbbox(renderer)
        return box if box is not None and box.height > 0 else ax.get_window_extent(renderer)

    return bbox


def caption(ax: Axes, text: str) -> Axes:
    """Write a source/notes caption under the axes, below its tick labels.

    The caption is anchored to the bottom of the x axis' tick labels and label (measured when the
    figure is drawn), so rotated or crowded labels never print over it; it starts at the axes'
    left edge. The figure's tight bounding box (``savefig.bbox = "tight"``, the inline backend) and
    the constrained/tight layouts include it.
    """
    ax.annotate(text, xy=(0, 0), xycoords=("axes fraction", _below_x_axis(ax)), xytext=(0, -6),
                textcoords="offset points", ha="left", va="top", fontsize=8, color="#555555", wrap=True,
                annotation_clip=False)
    return ax


def _data_limits(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last index value where any column has data (None for an empty or non-date index)."""
    if not isinstance(frame.index, pd.DatetimeIndex):
        return None
    valid = frame.index[frame.notna().any(axis=1).to_numpy()]
    if len(valid) == 0:
        return None
    return valid.min(), valid.max()


def recession_periods(indicator: pd.Series, since: Any = None) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Start/end pairs of the runs where a 0/1 indicator (e.g. FRED USREC, month-end stamped) is 1.

    A month stamped at its end covers the whole month, so a run starts at the first day
    of its first month and ends at the stamp of its last month. With ``since``, only the runs that
    end on or after it (the ones a chart starting then shows).
    """
    if since is not None:
        return [(a, b) for a, b in recession_periods(indicator) if b >= pd.Timestamp(since)]
    s = indicator.dropna().astype(int)
    if s.empty:
        return []
    change = s.diff().fillna(s.iloc[0])
    starts = s.index[change == 1]
    ends = s.index[(s.shift(-1, fill_value=0) == 0) & (s == 1)]
    return [(st.to_period("M").to_timestamp(how="start"), en) for st, en in zip(starts, ends, strict=True)]


def shade_periods(ax: Axes, periods: Sequence[tuple[pd.Timestamp, pd.Timestamp]], label: str = "NBER recession",
                  color: str | None = None) -> Axes:
    """Shade date ranges (recessions, regimes) behind the lines of ``ax``."""
    color = color or PALETTE["recession"]
    for i, (a, b) in enumerate(periods):
        ax.axvspan(a, b, color=color, alpha=0.35, lw=0, label=label if i == 0 else None, zorder=0)
    return ax


def line_chart(
    data: pd.Series | pd.DataFrame,
    ax: Axes | None = None,
    *,
    title: str,
    ylabel: str,
    source: str,
    colors: Mapping[str, str] | None = None,
    logy: bool = False,
    hline: float | None = None,
    shade: Sequence[tuple[pd.Timestamp, pd.Timestamp]] | None = None,
    percent: bool = False,
    robust: bool = False,
) -> Axes:
    """Lines over time with title, y label (say the unit), source caption and optional shading.

    ``robust=True`` scales the y axis to the 2nd-98th percentiles of the data, widened by half their distance on each
    side (so one plunge does not flatten the rest) and writes the values off the scale, with their dates, in the
    chart's corner.

    The x axis runs from the first to the last date where any column has data (leading and
    trailing NaNs, e.g. a series that starts later in a frame that starts in 1926, and shaded
    periods outside the data do not stretch it). ``percent=True`` labels the y axis in percent (the
    data stay decimal: 0.05 is shown as 5%).
    """
    ax = _ax(ax)
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    for col in frame.columns:
        c = (colors or {}).get(str(col))
        ax.plot(frame.index, frame[col], label=str(col), color=c, lw=1.2)
    if shade:
        shade_periods(ax, shade)
    if hline is not None:
        ax.axhline(hline, color=PALETTE["neutral"], lw=0.8, ls="--")
    if logy:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    if percent:
        ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    if robust:
        _robust_limits(ax, frame, percent)
    limits = _data_limits(frame)
    if limits is not None and limits[0] < limits[1]:
        ax.set_xlim(limits)  # the axis starts where the data start, not where shading or NaNs do
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    if frame.shape[1] > 1 or shade:
        ax.legend(loc="best", fontsize=9)
    caption(ax, source)
    return ax


def _robust_limits(ax: Axes, frame: pd.DataFrame, percent: bool) -> None:
    values = frame.stack().dropna()
    if values.empty:
        return
    lo, hi = values.quantile(0.02), values.quantile(0.98)
    pad = (hi - lo) * 0.5 or 1.0  # normal data: about +-4 standard deviations, nothing cut
    lo, hi = lo - pad, hi + pad
    off = values[(values < lo) | (values > hi)]
    if off.empty:
        return
    ax.set_ylim(lo, hi)
    worst = off.loc[[off.idxmin(), off.idxmax()]].drop_duplicates()
    text = ", ".join(f"{v:.1%}" if percent else f"{v:,.3g}" for v in worst)
    when = ", ".join(f"{d[0]:%Y-%m}" if isinstance(d[0], pd.Timestamp) else str(d[0]) for d in worst.index)
    ax.text(0.01, 0.02, f"{len(off)} value(s) off the scale; extremes {text} ({when})", transform=ax.transAxes,
            fontsize=8, color=PALETTE["neutral"], va="bottom")


def with_recent(data: pd.Series | pd.DataFrame, *, years: int = 3, title: str, source: str,
                **kwargs: Any) -> tuple[Axes, Axes]:
    """A :func:`line_chart` of the whole history beside a panel of the last ``years`` years (where recent action is
    the point and the long history squeezes it). ``kwargs`` go to both panels; returns (history, recent) axes."""
    fig, (ax, recent) = plt.subplots(1, 2, figsize=(12, 4.5), width_ratios=(2.2, 1))
    line_chart(data, ax, title=title, source=source, **kwargs)
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    limits = _data_limits(frame)
    if limits is None:
        return ax, recent
    tail = frame.loc[limits[1] - pd.DateOffset(years=years):limits[1]]
    line_chart(tail, recent, title=f"Last {years} years", source="",
               **{**kwargs, "shade": None, "robust": False, "ylabel": ""})
    if recent.get_legend() is not None:
        recent.get_legend().remove()
    recent.xaxis.set_major_locator(mdates.YearLocator())
    recent.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    return ax, recent


def log_wealth_chart(
    returns: pd.DataFrame,
    ax: Axes | None = None,
    *,
    title: str,
    source: str,
    shade: Sequence[tuple[pd.Timestamp, pd.Timestamp]] | None = None,
    colors: Mapping[str, str] | None = None,
) -> Axes:
    """Growth of $1 from decimal simple returns, on a log scale.

    Each line starts at its first return (months before it are left empty, not drawn flat at $1),
    so the x axis starts where the data start.
    """
    wealth = 1.0 + compound(returns, cumulative=True)
    colors = colors or {"small": PALETTE["small"], "large": PALETTE["large"]}
    return line_chart(wealth, ax, title=title, ylabel="growth of $1 (log scale)", source=source, colors=colors,
                      logy=True, shade=shade)


def bar_with_ci(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    x: str,
    y: str,
    lower: str,
    upper: str,
    title: str,
    ylabel: str,
    source: str,
    color: str | None = None,
) -> Axes:
    """Bars of point estimates with error bars from ``lower``/``upper`` columns."""
    ax = _ax(ax)
    pos = np.arange(len(table))
    est = table[y].to_numpy(dtype=float)
    err = np.vstack([est - table[lower].to_numpy(dtype=float), table[upper].to_numpy(dtype=float) - est])
    ax.bar(pos, est, color=color or PALETTE["relative"], alpha=0.85)
    ax.errorbar(pos, est, yerr=err, fmt="none", ecolor="black", capsize=4, lw=1)
    labels = [str(v) for v in table[x]]
    crowded = len(labels) > 6 or max((len(v) for v in labels), default=0) > 10
    ax.set_xticks(pos, labels, rotation=30 if crowded else 0, ha="right" if crowded else "center")
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.axhline(0, color=PALETTE["neutral"], lw=0.8)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    caption(ax, source)
    return ax


def regions_chart(result: Any, ax: Axes | None = None, *, title: str, ylabel: str, source: str) -> Axes:
    """One bar per region with its 95% interval, from a result with one row per region (``region`` in the index,
    the full-sample rows when there is a ``sample`` level) and an ``includes_us`` column: the regions that hold the
    United States are drawn hatched and pale, and the caption says they are not counted."""
    table = result.table
    if "sample" in table.index.names:
        table = table.xs("full sample", level="sample")
    rows = table.reset_index()
    ax = bar_with_ci(rows, ax, x="region", y="estimate", lower="ci_lower", upper="ci_upper", title=title,
                     ylabel=ylabel, source="")
    for bar, us in zip(ax.patches, rows["includes_us"].astype(bool), strict=True):
        if us:
            bar.set_alpha(0.35)
            bar.set_hatch("//")
    if source:  # beside another panel, one caption says it for both
        caption(ax, f"{source} Hatched: regions that hold the US (shown, not counted). 95% intervals.")
    return ax


def hist_with_marker(
    values: pd.Series,
    marker: float,
    ax: Axes | None = None,
    *,
    title: str,
    xlabel: str,
    source: str,
    marker_label: str = "latest",
) -> Axes:
    """Histogram of a history with a vertical line at one value (e.g. the latest)."""
    ax = _ax(ax)
    sns.histplot(values.dropna(), ax=ax, bins=50, color=PALETTE["relative"], alpha=0.6)
    ax.xaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    ax.axvline(marker, color=PALETTE["highlight"], lw=2, label=marker_label)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("number of periods")
    ax.legend()
    caption(ax, source)
    return ax
