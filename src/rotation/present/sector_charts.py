"""Charts of sector rotation: the rotation graph (static and explorable) and the recent quadrant map.

The rotation graph puts each ticker at (relative-strength level, relative-strength momentum), both scaled so that
100 is the ticker's own average against the benchmark, and draws the last weeks as a tail ending in an arrowhead.
The four quadrants are shaded with their conventional meaning (leading: level and momentum above 100; weakening:
level above, momentum below; lagging: both below; improving: level below, momentum above). Colours are the
Okabe-Ito palette; past eight tickers they repeat with a dashed line, and every track is labelled at its head.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from rotation.errors import ParameterError
from rotation.present.explore import OKABE_ITO, Explorable
from rotation.present.plots import PALETTE, caption

__all__ = ["QUADRANT_COLOURS", "rotation_tails", "rotation_graph", "explorable_rotation_graph", "quadrant_map"]

#: Quadrant colours (light fills behind the rotation graph, solid cells in the quadrant map), colour-blind safe.
QUADRANT_COLOURS: dict[str, str] = {"leading": "#009E73", "weakening": "#E69F00", "lagging": "#D55E00",
                                    "improving": "#56B4E9"}
_CORNERS = {"leading": (1, 1), "weakening": (1, 0), "lagging": (0, 0), "improving": (0, 1)}


def rotation_tails(coordinates: pd.DataFrame, weeks: int) -> dict[str, pd.DataFrame]:
    """The last ``weeks`` rows of (level, momentum) per ticker, from columns ``(ticker, field)``."""
    if not isinstance(coordinates.columns, pd.MultiIndex) or weeks < 1:
        raise ParameterError("rotation_tails needs the rotation map's data (columns (ticker, 'level'/'momentum')) "
                             f"and weeks >= 1; got {type(coordinates.columns).__name__} columns and weeks={weeks}")
    tails = {}
    for ticker in coordinates.columns.get_level_values(0).unique():
        tail = coordinates[ticker][["level", "momentum"]].dropna().iloc[-weeks:]
        if not tail.empty:
            tails[str(ticker)] = tail
    return tails


def _style(i: int) -> tuple[str, str]:
    return OKABE_ITO[i % len(OKABE_ITO)], "-" if i < len(OKABE_ITO) else "--"


def _limits(tails: dict[str, pd.DataFrame]) -> tuple[tuple[float, float], tuple[float, float]]:
    both = pd.concat(tails.values())
    out = []
    for col in ("level", "momentum"):  # symmetric around 100 so the quadrants have equal room
        half = max(float((both[col] - 100).abs().max()), 0.5) * 1.08
        out.append((100 - half, 100 + half))
    return out[0], out[1]


def rotation_graph(coordinates: pd.DataFrame, weeks: int, *, title: str, source: str, ax: Axes | None = None) -> Axes:
    """A static rotation graph: shaded quadrants, one tail per ticker ending in an arrowhead and its label."""
    tails = rotation_tails(coordinates, weeks)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 7.5))
    xlim, ylim = _limits(tails)
    for name, (cx, cy) in _CORNERS.items():
        ax.axvspan(*(xlim[0], 100) if cx == 0 else (100, xlim[1]), ymin=0.5 * cy, ymax=0.5 + 0.5 * cy,
                   color=QUADRANT_COLOURS[name], alpha=0.10, lw=0, zorder=0)
        ax.text(0.98 if cx else 0.02, 0.98 if cy else 0.02, name, transform=ax.transAxes, fontsize=10,
                ha="right" if cx else "left", va="top" if cy else "bottom", color=QUADRANT_COLOURS[name],
                fontweight="bold")
    for i, (ticker, tail) in enumerate(tails.items()):
        colour, dash = _style(i)
        ax.plot(tail["level"], tail["momentum"], color=colour, ls=dash, lw=1.3, alpha=0.85)
        head = (tail["level"].iloc[-1], tail["momentum"].iloc[-1])
        if len(tail) > 1:
            ax.annotate("", xy=head, xytext=(tail["level"].iloc[-2], tail["momentum"].iloc[-2]),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.3, "mutation_scale": 14})
        ax.scatter(*head, color=colour, s=18, zorder=3)
        ax.annotate(ticker, head, fontsize=9, xytext=(4, 4), textcoords="offset points", color="#222222")
    ax.axhline(100, color=PALETTE["neutral"], lw=0.8)
    ax.axvline(100, color=PALETTE["neutral"], lw=0.8)
    ax.set(xlim=xlim, ylim=ylim, title=title, xlabel="relative-strength level (100 = average)",
           ylabel="relative-strength momentum (100 = average)")
    caption(ax, source)
    return ax


def explorable_rotation_graph(coordinates: pd.DataFrame, weeks: int, *, title: str, source: str) -> Explorable:
    """The rotation graph as an explorable chart: each track labelled at its head, hover shows each week's date and
    coordinates, drag to zoom into a crowded corner (double-click to see it all again)."""
    import plotly.graph_objects as go

    tails = rotation_tails(coordinates, weeks)
    xlim, ylim = _limits(tails)
    fig = go.Figure()
    for name, (cx, cy) in _CORNERS.items():
        fig.add_shape(type="rect", x0=xlim[0] if cx == 0 else 100, x1=100 if cx == 0 else xlim[1],
                      y0=ylim[0] if cy == 0 else 100, y1=100 if cy == 0 else ylim[1], layer="below",
                      fillcolor=QUADRANT_COLOURS[name], opacity=0.10, line={"width": 0})
        fig.add_annotation(x=xlim[cx], y=ylim[cy], text=f"<b>{name}</b>", showarrow=False,
                           xanchor="right" if cx else "left", yanchor="top" if cy else "bottom",
                           font={"color": QUADRANT_COLOURS[name]})
    for i, (ticker, tail) in enumerate(tails.items()):
        colour, dash = _style(i)
        sizes = [4] * (len(tail) - 1) + [12]
        symbols = ["circle"] * (len(tail) - 1) + ["arrow"]
        angle = _heading(tail)
        fig.add_trace(go.Scatter(
            x=tail["level"], y=tail["momentum"], name=ticker, mode="lines+markers+text",
            text=[""] * (len(tail) - 1) + [ticker], textposition="top right", textfont={"size": 10},
            line={"color": colour, "dash": "dash" if dash == "--" else "solid", "width": 1.5},
            marker={"size": sizes, "symbol": symbols, "angle": [0] * (len(tail) - 1) + [angle], "color": colour},
            customdata=[f"{d:%Y-%m-%d}" for d in tail.index],
            hovertemplate=f"{ticker} %{{customdata}}<br>level %{{x:.1f}}, momentum %{{y:.1f}}<extra></extra>"))
    fig.add_hline(y=100, line={"color": "#666666", "width": 1})
    fig.add_vline(x=100, line={"color": "#666666", "width": 1})
    fig.update_layout(
        title={"text": title}, template="simple_white", height=560, margin={"l": 60, "r": 20, "t": 60, "b": 80},
        xaxis={"title": "relative-strength level (100 = average)", "range": list(xlim)},
        yaxis={"title": "relative-strength momentum (100 = average)", "range": list(ylim)},
        showlegend=False,  # each track is labelled at its head; a legend would crowd a phone's width
        annotations=[*fig.layout.annotations, {"text": source, "xref": "paper", "yref": "paper", "x": 0, "y": -0.2,
                                               "showarrow": False, "font": {"size": 10, "color": "#57606a"},
                                               "xanchor": "left"}])
    return Explorable(fig, "explore-rotation-graph")


def _heading(tail: pd.DataFrame) -> float:
    """The compass angle (degrees clockwise from up) of the tail's last step, for Plotly's arrow marker."""
    if len(tail) < 2:
        return 0.0
    dx = float(tail["level"].iloc[-1] - tail["level"].iloc[-2])
    dy = float(tail["momentum"].iloc[-1] - tail["momentum"].iloc[-2])
    return float(np.degrees(np.arctan2(dx, dy)))


def quadrant_map(quadrants: pd.DataFrame, *, years: int = 3, title: str, source: str, ax: Axes | None = None,
                 order: tuple[str, ...] = tuple(QUADRANT_COLOURS)) -> Axes:
    """The quadrant of each ticker at each month end over the last ``years`` years: one row per ticker.

    Over the whole history the monthly cells are too thin to read; the recent years are the point. Tickers with no
    quadrant in the window are left out; the rows keep the columns' order.
    """
    if not isinstance(quadrants.index, pd.DatetimeIndex) or quadrants.empty:
        raise ParameterError("quadrant_map needs month-end dates as index and one column of quadrant names per "
                             f"ticker; got {type(quadrants.index).__name__} index, {quadrants.shape} shape")
    recent = quadrants.loc[quadrants.index[-1] - pd.DateOffset(years=years):].dropna(axis=1, how="all")
    codes = recent.apply(lambda col: col.map({q: i for i, q in enumerate(order)})).astype(float).T
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.32 * len(codes) + 1.6))
    ax.pcolormesh(np.arange(codes.shape[1] + 1), np.arange(codes.shape[0] + 1), codes.to_numpy(),
                  cmap=ListedColormap([QUADRANT_COLOURS[q] for q in order]), vmin=-0.5, vmax=len(order) - 0.5,
                  edgecolors="white", linewidth=0.6)
    ax.set_yticks(np.arange(len(codes)) + 0.5, list(codes.index))
    ax.invert_yaxis()
    marks = [i for i, d in enumerate(codes.columns) if d.month in (1, 7)]
    ax.set_xticks(np.array(marks) + 0.5, [f"{codes.columns[i]:%Y-%m}" for i in marks])
    ax.grid(False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=QUADRANT_COLOURS[q]) for q in order]
    ax.legend(handles, order, ncols=len(order), loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=9,
              handlelength=1.2)
    ax.set_title(title, pad=26)
    caption(ax, source)
    return ax
