"""Table display formats: one place for how numbers are shown in notebooks and reports.

Named presets (``percent``, ``t``, ``p``, ``count``, ``date``...) turn a value into text;
:func:`fmt` applies them to a DataFrame's columns and returns a pandas ``Styler``, with
the presets chosen automatically from the column vocabulary of
:mod:`rotation.stats.results` (``estimate, std_err, t, p_value, ci_lower, ci_upper, nobs``)
when you don't name them. Result objects' ``_repr_html_`` use the same function, so
``display(result)`` and ``display(fmt(table))`` look alike.

Result objects (:class:`rotation.stats.results.Estimates`) carry no display code of their own:
:func:`styled` shows one (estimates formatted by the scale of its units, the method as caption)
and :func:`register` makes IPython use it, so ``display(result)`` in a notebook shows the table.

Only display lives here: nothing is rounded in the data, and results files keep the
numbers unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.units import format_p

__all__ = ["PRESETS", "COLUMN_PRESETS", "HEADERS", "header", "formatter", "auto_presets", "fmt", "styled",
           "register"]


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _number(pattern: str) -> Callable[[Any], str]:
    def render(value: Any) -> str:
        if _is_missing(value):
            return "-"
        v = float(value)
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return pattern.format(v)

    return render


def _date(pattern: str) -> Callable[[Any], str]:
    def render(value: Any) -> str:
        if _is_missing(value):
            return "-"
        try:
            return pd.Timestamp(value).strftime(pattern)
        except (TypeError, ValueError):
            return str(value)

    return render


def _text(value: Any) -> str:
    return "-" if _is_missing(value) else str(value)


def _plain_number(value: Any) -> str:
    """3 significant digits, levels of 1,000 and more in full with separators (never ``1e+03``)."""
    if _is_missing(value) or abs(float(value)) < 1000:
        return _number("{:.3g}")(value)
    return _number("{:,.0f}")(value)


def _p_value(value: Any) -> str:
    """``"< 0.001"`` (HTML-escaped: a Styler shows its cells as HTML) or 3 decimals."""
    return "-" if _is_missing(value) else format_p(value, prefix="").replace("<", "&lt;")


def _report_link(value: Any) -> str:
    """A notebook's stem (``01_relative_strength``) as a link to its report in the same run folder; other text as
    it is (escaped)."""
    import html
    import re

    text = _text(value)
    if re.fullmatch(r"\d\d_[a-z0-9_]+", text):
        return f'<a href="../{text}/{text}.html">{text}</a>'
    return html.escape(text)


def _flag(value: Any) -> str:
    if _is_missing(value):
        return "-"
    if isinstance(value, str):
        return value
    return "yes" if bool(value) else "no"


#: Preset name -> function value -> text. NaN / NaT / None show as "-".
PRESETS: dict[str, Callable[[Any], str]] = {
    "percent": _number("{:+.2%}"),  # a decimal return shown as a signed percent, 2 decimals
    "percent1": _number("{:+.1%}"),  # the same, 1 decimal (path tables)
    "percent0": _number("{:+.0%}"),  # the same, no decimals (long-horizon totals)
    "percent_abs": _number("{:.2%}"),  # an unsigned percent (volatility, standard error)
    "share": _number("{:.0%}"),  # a share in [0, 1] (hit rate, share positive)
    "points": lambda v: "-" if _is_missing(v) else f"{100 * float(v):+.1f} pp",  # a difference of two shares
    "percent_level": _number("{:.2f}%"),  # a level already in percent (a yield, a policy rate)
    "t": _number("{:+.2f}"),  # a t-statistic
    "p": _p_value,  # a p-value: "< 0.001" below 0.001, else 3 decimals
    "count": _number("{:,.0f}"),  # an integer count (nobs, lags, events)
    "number": _plain_number,  # any other number (R^2, betas in natural units; levels in full)
    "decimal1": _number("{:.1f}"),  # 1 decimal (years, months)
    "decimal2": _number("{:+.2f}"),  # signed, 2 decimals (non-return estimates)
    "decimal3s": _number("{:+.3f}"),  # signed, 3 decimals (betas on a decimal change)
    "decimal4": _number("{:.4f}"),  # 4 decimals (small R^2)
    "decimal4s": _number("{:+.4f}"),  # signed, 4 decimals (R^2 out of sample)
    "decimal3": _number("{:.3f}"),  # 3 decimals (R^2)
    "date": _date("%Y-%m-%d"),
    "month": _date("%Y-%m"),
    "text": _text,
    "flag": _flag,  # a 0/1 or True/False flag, shown as yes / no
    "report": _report_link,  # a notebook's stem, linked to its report in the run folder
}

#: Column name -> preset, for the result vocabulary and the usual descriptive columns.
#: ``None`` means "percent for return units, decimal2 otherwise" (see :func:`auto_presets`).
COLUMN_PRESETS: dict[str, str | None] = {
    "estimate": None,
    "std_err": None,
    "std": None,
    "ci_lower": None,
    "ci_upper": None,
    "median": None,
    "mean": None,
    "mean_all": None,
    "diff": None,
    "lower": None,
    "upper": None,
    "all_lower": None,
    "all_upper": None,
    "diff_lower": None,
    "diff_upper": None,
    "estimate_ann": None,
    "mean_all_ann": None,
    "diff_ann": None,
    "t": "t",
    "p_value": "p",
    "p_value_holm": "p",
    "p_holm": "p",
    "oos_r2": "decimal3s",
    "oos_r2_vs_zero": "decimal3s",
    "n_forecasts": "count",
    "first_forecast": "date",
    "nobs": "count",
    "nobs_y": "count",
    "n": "count",
    "n_events": "count",
    "n_incomplete": "count",
    "n_clusters": "count",
    "n_detected": "count",
    "n_dropped": "count",
    "maxlags": "count",
    "lags": "count",
    "share_positive": "share",
    "share_positive_state": "share",
    "percentile": "share",
    "p_giveback_half": "share",
    "hit_rate": "share",
    "share point-in-time": "share",  # rotation.studies.realtime.coverage_table
    "relative": None,
    "rally": None,
    "distance_at_signal": None,
    "below_all_time_high": None,
    "forward": None,
    "nearest_start": None,
    "signal_days": "count",
    "relative_lower": None,
    "relative_upper": None,
    "mean_a": None,
    "mean_other": None,
    "mean_window": None,
    "median_window": None,
    "q25": None,
    "q75": None,
    "share_positive_other": "share",
    "mean_b": None,
    "median_state": None,
    "null_mean": None,
    "null_median": None,
    "null_lower": None,
    "null_upper": None,
    "p_less": "p",
    "n_valid": "count",
    "n_state": "count",
    "n_spells": "count",
    "nobs_a": "count",
    "nobs_b": "count",
    "nobs_all": "count",
    "reps_used": "count",
    "giveback_n": "count",
    "n_excluded": "count",
    "rsquared": "decimal3",
    "start": "date",
    "end": "date",
    "date": "date",
}


#: Column name -> the header a reader sees (plain words, the units' hint where the name hides it). Names not listed
#: are shown with spaces for underscores (:func:`header`).
HEADERS: dict[str, str] = {
    "estimate": "estimate",
    "std_err": "std. error",
    "t": "t",
    "p_value": "p",
    "p_value_holm": "p (Holm)",
    "p_holm": "p (Holm)",
    "p_less": "p (less)",
    "ci_lower": "95% CI low",
    "ci_upper": "95% CI high",
    "nobs": "n",
    "nobs_y": "n (years)",
    "nobs_a": "n (a)",
    "nobs_b": "n (b)",
    "nobs_all": "n (all)",
    "n_spells": "spells",
    "n_state": "months in state",
    "n_valid": "valid",
    "n_events": "events",
    "n_forecasts": "forecasts",
    "n_clusters": "clusters",
    "maxlags": "HAC lags",
    "lags": "HAC lags",
    "share_positive": "share positive",
    "share_positive_state": "share positive (state)",
    "share_positive_other": "share positive (other)",
    "oos_r2": "out-of-sample R²",
    "oos_r2_vs_zero": "out-of-sample R² vs zero",
    "hit_rate": "hit rate",
    "first_forecast": "first forecast",
    "rsquared": "R²",
    "mean_all": "mean, all",
    "diff": "difference",
    "q25": "25th pct",
    "q75": "75th pct",
    "p_giveback_half": "share giving back half",
    "reps_used": "draws used",
}


def header(name: Any) -> str:
    """The header shown for a column or index name: :data:`HEADERS`, else the name with spaces for underscores."""
    if name is None or _is_missing(name):
        return ""
    text = str(name)
    return HEADERS.get(text, text.replace("_", " "))


def formatter(preset: str) -> Callable[[Any], str]:
    """The function for a named preset (see :data:`PRESETS`)."""
    try:
        return PRESETS[preset]
    except (KeyError, TypeError):
        raise ParameterError(f"preset must be one of {', '.join(sorted(PRESETS))}; got {preset!r}") from None


def auto_presets(df: pd.DataFrame, percent: bool = True) -> dict[str, str]:
    """Presets for ``df``'s columns from their names (and dtypes for the rest).

    Parameters
    ----------
    df : pd.DataFrame
    percent : bool, default True
        Whether estimate-like columns (``estimate``, ``ci_lower``, ``mean``...) hold
        decimal returns (shown as percent) or other units (shown with 3 significant digits).

    Returns
    -------
    dict
        ``{column: preset}``; datetime columns get ``date``, integer columns ``count``,
        other numbers ``number``, everything else ``text``.
    """
    out: dict[str, str] = {}
    for col in df.columns:
        keys = [str(k) for k in col] if isinstance(col, tuple) else [str(col)]
        key = next((k for k in keys if k in COLUMN_PRESETS), keys[-1])
        preset = COLUMN_PRESETS.get(key, "")
        if preset is None:
            out[col] = ("percent_abs" if key in ("std_err", "std") else "percent") if percent else "number"
        elif preset:
            out[col] = preset
        else:
            dtype = df[col].dtype
            if pd.api.types.is_datetime64_any_dtype(dtype):
                out[col] = "date"
            elif pd.api.types.is_bool_dtype(dtype):
                out[col] = "flag"
            elif pd.api.types.is_integer_dtype(dtype):
                out[col] = "count"
            elif pd.api.types.is_float_dtype(dtype):
                out[col] = "number"
            else:
                out[col] = "text"
    return out


def fmt(
    df: pd.DataFrame | pd.Series,
    presets: Mapping[str, str] | None = None,
    *,
    percent: bool = True,
    caption: str | None = None,
    hide_index: bool = False,
) -> Any:
    """A pandas ``Styler`` showing ``df`` with named presets.

    Parameters
    ----------
    df : pd.DataFrame or pd.Series
        The table (a Series becomes one column).
    presets : mapping, optional
        ``{column: preset name}`` overriding the automatic choice; with MultiIndex
        columns a key may name the first level (every column under it); the key ``"*"``
        applies one preset to every column (e.g. ``{"*": "t"}`` for a table of
        t-statistics).
    percent : bool, default True
        Passed to :func:`auto_presets`.
    caption : str, optional
    hide_index : bool, default False

    Returns
    -------
    pandas.io.formats.style.Styler
        Index values that are timestamps are shown as ``YYYY-MM-DD``.
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"df must be a pandas DataFrame or Series; got {type(df).__name__}")
    chosen = auto_presets(df, percent=percent)
    presets = dict(presets or {})
    every = presets.pop("*", None)
    if every is not None:
        formatter(every)
        chosen = {c: every for c in df.columns}
    for col, name in presets.items():
        formatter(name)
        if col in df.columns and not isinstance(df.columns, pd.MultiIndex):
            chosen[col] = name
            continue
        under = [c for c in df.columns if c == col or (isinstance(c, tuple) and c[0] == col)]
        if not under:
            raise ParameterError(f"presets names column {col!r}, which is not in the table; "
                                 f"columns: {list(df.columns)}")
        for c in under:
            chosen[c] = name
    empty = [c for c in df.columns if df[c].isna().all()]
    if empty and len(empty) < len(df.columns):  # columns with no value at all are left out
        df = df.drop(columns=empty)
        chosen = {c: p for c, p in chosen.items() if c not in empty}
    if isinstance(df.index, pd.RangeIndex) and df.index.name is None:
        hide_index = True  # a bare row number is not a row label
    df = df.rename_axis(index=[header(n) if n is not None else None for n in df.index.names])
    styler = df.style.format({c: formatter(p) for c, p in chosen.items()})
    styler = styler.format_index(
        lambda v: PRESETS["date"](v) if isinstance(v, pd.Timestamp) else ("-" if _is_missing(v) else str(v)),
        axis=0,
    )
    styler = styler.format_index(header, axis=1)
    if caption:
        styler = styler.set_caption(caption)
    if hide_index:
        styler = styler.hide(axis="index")
    return styler


def styled(result: Any) -> Any:
    """A result object (:class:`rotation.stats.results.Estimates`) as a ``Styler``: estimate-like columns
    formatted by the scale of its units (returns as signed percent, shares as percent, numbers with 3
    digits), columns with no value at all left out, the title, units and method as caption."""
    caption = (f"{result.title}. " if result.title else "") + f"Units: {result.units.text}. {result.method.describe()}."
    scale = result.units.scale
    table = result.table.dropna(axis=1, how="all")
    presets = {}
    if scale in ("share", "points"):
        presets = {c: scale for c in table.columns
                   if c in COLUMN_PRESETS and COLUMN_PRESETS[c] is None and c not in ("std_err", "std")}
    return fmt(table, presets, percent=scale == "return", caption=caption)


def results_html(results: Any) -> str:
    """Every part of a :class:`rotation.stats.results.Results`, one table after the other."""
    return "".join(styled(part).to_html() for part in results.parts.values())


def register(shell: Any) -> None:
    """In this IPython ``shell``, show result objects as formatted tables (:func:`styled`) and verdicts as their
    findings (:func:`rotation.present.findings.render_findings`): ``display(result)``, or a cell ending in one."""
    from rotation.evidence.rubric import Verdict
    from rotation.present.findings import render_findings
    from rotation.stats.results import Estimates, Results

    html = shell.display_formatter.formatters["text/html"]
    html.for_type(Estimates, lambda r: styled(r).to_html())
    html.for_type(Results, results_html)
    shell.display_formatter.formatters["text/markdown"].for_type(Verdict, lambda v: render_findings([v], html=True))
