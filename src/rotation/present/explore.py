"""Explorable time-series charts: zoom, hover values and a "last 3 years" view, offline.

Drag to zoom, double-click to see it all again; hover for the values; the buttons switch between all the history
and the last three years.

:func:`time_series` turns a Series or DataFrame into an :class:`Explorable` (a Plotly figure). In JupyterLab it
shows through Plotly's own renderer; in a report it is a ``<div>`` and a call to ``Plotly.newPlot``, and the page
loads the one shared script the run folder holds (:data:`PLOTLY_JS`, written by :func:`write_plotly_js`): no
network at view time, no CDN, the script once per run rather than once per page.

Colours are the Okabe-Ito colour-blind-safe palette; reference levels (2,000 on the Russell 2000) are labelled
lines. Static matplotlib charts stay beside them for print and PDF.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from rotation.errors import ParameterError

__all__ = ["PLOTLY_JS", "OKABE_ITO", "Explorable", "time_series", "write_plotly_js"]

#: The shared script's file name in a run folder (reports load it as ``../plotly.min.js``).
PLOTLY_JS = "plotly.min.js"

#: Okabe & Ito's palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


class Explorable:
    """A Plotly figure shown as an explorable chart (``_repr_mimebundle_``), with a stable element id."""

    def __init__(self, figure: Any, element_id: str) -> None:
        self.figure = figure
        self.element_id = element_id

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        html = self.figure.to_html(full_html=False, include_plotlyjs=False, div_id=self.element_id,
                                   config={"displaylogo": False, "responsive": True,
                                                                      "displayModeBar": False})
        return {"text/html": f"<div class='rot-explore'>{html}</div>",
                "application/vnd.plotly.v1+json": json.loads(self.figure.to_json()),
                "text/plain": f"<explorable chart: {self.figure.layout.title.text}>"}


def _slug(text: str) -> str:
    return "explore-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart")


def _recent_range(frame: pd.DataFrame, years: int, levels: list[float]) -> tuple[list[str], list[float]]:
    """The x and y ranges of the last ``years`` years (the reference levels kept in view)."""
    end = frame.index[-1]
    recent = frame.loc[end - pd.DateOffset(years=years):]
    lo, hi = min([float(recent.min().min()), *levels]), max([float(recent.max().max()), *levels])
    pad = (hi - lo) * 0.05 or abs(hi) * 0.05 or 1.0
    return [f"{recent.index[0]:%Y-%m-%d}", f"{end:%Y-%m-%d}"], [lo - pad, hi + pad]


def time_series(data: pd.Series | pd.DataFrame, *, title: str, ylabel: str, source: str,
                levels: dict[str, float] | None = None, running_high: bool = False, recent_years: int = 3,
                percent: bool = False) -> Explorable:
    """An explorable line chart of ``data`` (one line per column, dated index).

    Parameters
    ----------
    title, ylabel, source : str
        The chart's title, its y-axis label with units, and its source line.
    levels : dict, optional
        Reference levels drawn as labelled horizontal lines (``{"2,000": 2000}``).
    running_high : bool
        Also draw each line's prior high (its running maximum), dotted.
    recent_years : int
        The "last N years" view: a button that zooms both axes to them.
    percent : bool
        The values are shares (0-1): hover and axis show percent.
    """
    import plotly.graph_objects as go

    frame = data.to_frame() if isinstance(data, pd.Series) else data
    if not isinstance(frame, pd.DataFrame) or not isinstance(frame.index, pd.DatetimeIndex) or frame.empty:
        raise ParameterError(f"time_series needs a Series or DataFrame with dates as index and values; got "
                             f"{type(data).__name__}")
    frame = frame.dropna(how="all")
    fig = go.Figure()
    fmt = ".1%" if percent else ",.4~r"
    for i, col in enumerate(frame.columns):
        s = frame[col].dropna()
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        fig.add_trace(go.Scatter(x=s.index, y=s.to_numpy(), name=str(col), mode="lines",
                                 line={"color": colour, "width": 1.6},
                                 hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:{fmt}}}<extra>{col}</extra>"))
        if running_high:
            fig.add_trace(go.Scatter(x=s.index, y=s.cummax().to_numpy(), name=f"{col}: prior high", mode="lines",
                                     line={"color": colour, "width": 1, "dash": "dot"},
                                     hovertemplate=f"%{{x|%Y-%m-%d}}: high so far %{{y:{fmt}}}<extra></extra>"))
    for label, value in (levels or {}).items():
        fig.add_hline(y=value, line={"color": "#444444", "width": 1, "dash": "dash"},
                      annotation_text=label, annotation_position="top left")
    shown = pd.concat([frame, frame.cummax().add_suffix(" high")], axis=1) if running_high else frame
    x_recent, y_recent = _recent_range(shown, recent_years, list((levels or {}).values()))
    buttons = [{"label": "All", "method": "relayout", "args": [{"xaxis.autorange": True, "yaxis.autorange": True}]},
               {"label": f"Last {recent_years} years", "method": "relayout",
                "args": [{"xaxis.range": x_recent, "yaxis.range": y_recent}]}]
    fig.update_layout(
        title={"text": title}, template="simple_white", height=420, margin={"l": 60, "r": 20, "t": 70, "b": 60},
        yaxis={"title": ylabel, "tickformat": ".0%" if percent else ",~r"}, hovermode="x unified",
        legend={"orientation": "h", "y": -0.18}, xaxis={"rangeslider": {"visible": False}},
        updatemenus=[{"type": "buttons", "direction": "left", "x": 1, "xanchor": "right", "y": 1.12,
                      "buttons": buttons, "showactive": True}],
        annotations=[*fig.layout.annotations, {"text": source, "xref": "paper", "yref": "paper", "x": 0, "y": -0.3,
                                               "showarrow": False, "font": {"size": 10, "color": "#57606a"},
                                               "xanchor": "left"}])
    return Explorable(fig, _slug(title))


def write_plotly_js(out_dir: Path) -> Path:
    """Write the shared Plotly script into a run folder (once: an existing copy of the same size is kept)."""
    from plotly.offline import get_plotlyjs

    path = Path(out_dir) / PLOTLY_JS
    js = get_plotlyjs()
    if not (path.is_file() and path.stat().st_size == len(js.encode("utf-8"))):
        path.write_text(js, encoding="utf-8")
    return path
