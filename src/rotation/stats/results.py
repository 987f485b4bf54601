"""Result objects: every estimate table in one vocabulary, with its method, units and title.

Helpers that estimate something (HAC regressions, regime means, event studies, event
windows, bootstrap intervals, predictive regressions) return an :class:`Estimates`:

* ``.table`` -- a DataFrame indexed by the row labels (horizon, regime, term...) whose
  first columns are always :data:`VOCABULARY`
  ``estimate, std_err, t, p_value, ci_lower, ci_upper, nobs`` (NaN where a quantity
  does not apply, e.g. no t for a percentile bootstrap), followed by optional
  descriptive columns with fixed names (``median``, ``share_positive``, ``n_clusters``,
  ``maxlags``, ``rsquared``, ``start``, ``end``...);
* ``.method`` -- a :class:`Method` (covariance type and lags, or bootstrap kind, block
  length, replications, seed and alpha);
* ``.units`` and ``.title``;
* ``.summary()`` text that states the method, ``.to_record()`` a plain JSON-able dict
  for the results file (numbers unchanged), and ``_repr_html_`` so that
  ``display(result)`` in a notebook shows a formatted table (formats from
  :mod:`rotation.present.tables`) with the method as caption.

A scalar result (one estimate, e.g. a bootstrap interval for a mean) is an
:class:`Estimates` with one row, with ``.estimate``, ``.ci_lower``... as properties
(and the older names ``lower``, ``upper``, ``n`` of ``BootstrapCI``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rotation.errors import ParameterError

__all__ = ["VOCABULARY", "Method", "Estimates", "jsonable"]

#: The columns every result table starts with, in this order.
VOCABULARY: tuple[str, ...] = ("estimate", "std_err", "t", "p_value", "ci_lower", "ci_upper", "nobs")

_KINDS = ("HAC", "OLS", "bootstrap", "descriptive")
_BOOTSTRAPS = ("stationary", "circular", "iid", "cluster")


@dataclass(frozen=True)
class Method:
    """How the numbers of a result were computed.

    Attributes
    ----------
    kind : {"HAC", "OLS", "bootstrap", "descriptive"}
        ``"HAC"``: OLS with Newey-West (Bartlett kernel) standard errors; ``"bootstrap"``:
        percentile intervals from resampling; ``"descriptive"``: no inference.
    cov_type : str, optional
        statsmodels covariance name (``"HAC"``) for regressions.
    lags : int, optional
        HAC lags when every row uses the same number; None when rows differ (then the
        table has a ``maxlags`` column) or for bootstraps.
    lag_rule : str, optional
        How lags were chosen when not fixed (e.g. ``"Newey-West rule per row"``).
    bootstrap : {"stationary", "circular", "iid", "cluster"}, optional
    block_size : int, optional
        Expected (stationary) or fixed (circular) block length, in periods.
    reps : int, optional
        Bootstrap replications.
    seed : int, optional
        Seed of the bootstrap (same seed and data -> identical result).
    alpha : float
        Intervals are at level ``1 - alpha``.
    note : str
        Anything else a reader needs (what is resampled, how seeds are split...).
    """

    kind: str
    cov_type: str | None = None
    lags: int | None = None
    lag_rule: str | None = None
    bootstrap: str | None = None
    block_size: int | None = None
    reps: int | None = None
    seed: int | None = None
    alpha: float = 0.05
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ParameterError(f"Method.kind must be one of {', '.join(map(repr, _KINDS))}; got {self.kind!r}")
        if self.bootstrap is not None and self.bootstrap not in _BOOTSTRAPS:
            raise ParameterError(
                f"Method.bootstrap must be one of {', '.join(map(repr, _BOOTSTRAPS))} or None; got {self.bootstrap!r}"
            )
        if not (0.0 < float(self.alpha) < 1.0):
            raise ParameterError(f"Method.alpha must be > 0 and < 1; got {self.alpha!r}")

    def describe(self) -> str:
        """One sentence: the covariance type and lags, or the bootstrap kind, blocks, reps and seed."""
        level = f"{1 - self.alpha:.0%}"
        if self.kind in ("HAC", "OLS"):
            if self.cov_type == "HAC" or self.kind == "HAC":
                lag_txt = (f"maxlags={self.lags}" if self.lags is not None
                           else f"lags: {self.lag_rule or 'per row, see maxlags'}")
                text = f"OLS with HAC (Newey-West, Bartlett kernel) standard errors, {lag_txt}; {level} normal intervals"
            else:
                text = f"OLS with {self.cov_type or 'nonrobust'} standard errors; {level} intervals"
        elif self.kind == "bootstrap":
            block = "" if self.block_size in (None, 1) and self.bootstrap in ("iid", "cluster") else (
                f", {'expected ' if self.bootstrap == 'stationary' else ''}block length {self.block_size}")
            article = "an" if str(self.bootstrap)[:1] in "aeiou" else "a"
            text = (f"{level} percentile interval from {article} {self.bootstrap} bootstrap{block}, "
                    f"{self.reps} replications, seed {self.seed}")
        else:
            text = "descriptive statistics, no inference"
        if self.kind in ("HAC", "OLS") and self.bootstrap is not None:
            text += (f"; intervals (ci_lower, ci_upper) instead from {'an' if self.bootstrap[:1] in 'aeiou' else 'a'} "
                     f"{self.bootstrap} bootstrap"
                     + (f", {'expected ' if self.bootstrap == 'stationary' else ''}block length {self.block_size}"
                        if self.block_size not in (None, 1) else "")
                     + f", {self.reps} replications, seed {self.seed}")
        return text + (f"; {self.note}" if self.note else "")

    def to_record(self) -> dict[str, Any]:
        """The fields that are set, as a plain dict."""
        return {k: v for k, v in asdict(self).items() if v is not None and v != ""}


def jsonable(value: Any) -> Any:
    """Plain JSON value: NaN/inf/NaT -> None, numpy scalars -> Python, timestamps -> ``YYYY-MM-DD``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            return None
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [jsonable(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _label(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return jsonable(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True, eq=False)
class Estimates:
    """A table of estimates in one vocabulary, with the method, units and title.

    Attributes
    ----------
    table : pd.DataFrame
        Columns :data:`VOCABULARY` first (``estimate, std_err, t, p_value, ci_lower,
        ci_upper, nobs``), then optional descriptive columns; index = row labels.
    method : Method
    units : str
        E.g. ``"decimal relative return over h months"``.
    title : str
    percent : bool, optional
        Whether estimates are decimal returns shown as percent; default: True when
        ``units`` starts with "decimal" (e.g. "decimal return per month"), so a beta in
        "return per unit change" is shown as a number.
    extra : mapping
        Scalars that belong to the whole result (e.g. ``rsquared`` of one regression).
    """

    table: pd.DataFrame
    method: Method
    units: str
    title: str = ""
    percent: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.table, pd.DataFrame):
            raise ParameterError(f"table must be a pandas DataFrame; got {type(self.table).__name__}")
        if not isinstance(self.method, Method):
            raise ParameterError(f"method must be a rotation.stats.results.Method; got {type(self.method).__name__}")
        head = tuple(self.table.columns[: len(VOCABULARY)])
        if head != VOCABULARY:
            raise ParameterError(
                f"table must start with the columns {list(VOCABULARY)}; got {list(self.table.columns)}; "
                "rename to the vocabulary (NaN where a quantity does not apply)"
            )
        object.__setattr__(self, "table", self.table.copy())
        object.__setattr__(self, "extra", dict(self.extra))
        if self.percent is None:
            object.__setattr__(self, "percent", self.units.strip().lower().startswith("decimal"))

    def __eq__(self, other: object) -> bool:
        """Equal when method, units, title, extra and the table (values, index, dtypes) are equal."""
        if not isinstance(other, Estimates):
            return NotImplemented
        return (self.method == other.method and self.units == other.units and self.title == other.title
                and self.percent == other.percent and dict(self.extra) == dict(other.extra)
                and self.table.equals(other.table) and list(self.table.columns) == list(other.table.columns)
                and self.table.index.equals(other.table.index))

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ scalar access
    def _only(self, column: str) -> Any:
        if len(self.table) != 1:
            raise ParameterError(
                f"{column} as a property needs a one-row result; this one has {len(self.table)} rows "
                f"({list(self.table.index)[:5]}...): use .table.loc[label, {column!r}]"
            )
        value = self.table[column].iloc[0]
        if column == "nobs" or column.startswith("n"):
            return int(value) if pd.notna(value) else value
        return float(value) if isinstance(value, (float, np.floating, int, np.integer)) else value

    @property
    def estimate(self) -> float:
        """The one row's estimate."""
        return self._only("estimate")

    @property
    def std_err(self) -> float:
        return self._only("std_err")

    @property
    def t(self) -> float:
        return self._only("t")

    @property
    def p_value(self) -> float:
        return self._only("p_value")

    @property
    def ci_lower(self) -> float:
        return self._only("ci_lower")

    @property
    def ci_upper(self) -> float:
        return self._only("ci_upper")

    @property
    def nobs(self) -> int:
        return self._only("nobs")

    # names kept from the former BootstrapCI
    @property
    def lower(self) -> float:
        """Alias of :attr:`ci_lower` (the former ``BootstrapCI.lower``)."""
        return self.ci_lower

    @property
    def upper(self) -> float:
        """Alias of :attr:`ci_upper` (the former ``BootstrapCI.upper``)."""
        return self.ci_upper

    @property
    def n(self) -> int:
        """Alias of :attr:`nobs` (the former ``BootstrapCI.n``)."""
        return self.nobs

    @property
    def n_y(self) -> int | None:
        """For a two-sample difference, observations of the second sample (column ``nobs_y``)."""
        return self._only("nobs_y") if "nobs_y" in self.table.columns else None

    @property
    def alpha(self) -> float:
        return self.method.alpha

    @property
    def reps(self) -> int | None:
        return self.method.reps

    @property
    def block_size(self) -> int | None:
        return self.method.block_size

    def excludes_zero(self) -> bool | pd.Series:
        """True where the interval does not contain 0 (a bool for one row, else a Series)."""
        out = (self.table["ci_lower"] > 0) | (self.table["ci_upper"] < 0)
        return bool(out.iloc[0]) if len(out) == 1 else out

    def row(self, label: Any) -> pd.Series:
        """One row of :attr:`table` by label."""
        return self.table.loc[label]

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`table`."""
        return self.table.copy()

    # ------------------------------------------------------------------ text, records, html
    def summary(self) -> str:
        """Title, units, the method in words, and the table as text."""
        lines = [self.title or "Estimates", f"units: {self.units}", f"method: {self.method.describe()}"]
        if self.extra:
            lines.append("; ".join(f"{k}={v}" for k, v in self.extra.items()))
        lines.append(self.table.to_string(float_format=lambda v: f"{v:.4g}"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_record(self) -> dict[str, Any]:
        """Plain JSON-able dict: ``{"title", "units", "method": {...}, "rows": {label: {column: value}}}``.

        A MultiIndex nests the rows (``rows[level0][level1]``). Numbers are unchanged
        (no rounding); NaN becomes None and dates ``YYYY-MM-DD``.
        """
        rows: dict[str, Any] = {}
        columns = [str(c) for c in self.table.columns]
        # per-column values keep each column's dtype (iterrows would turn counts into floats)
        for label, *values in self.table.itertuples(index=True, name=None):
            labels = label if isinstance(label, tuple) else (label,)
            node = rows
            for part in labels[:-1]:
                node = node.setdefault(_label(part), {})
            node[_label(labels[-1])] = {c: jsonable(v) for c, v in zip(columns, values)}
        out: dict[str, Any] = {"title": self.title, "units": self.units, "method": self.method.to_record(),
                               "rows": rows}
        if self.extra:
            out["extra"] = jsonable(dict(self.extra))
        json.dumps(out, allow_nan=False)  # fail here, not in the results file
        return out

    def styled(self) -> Any:
        """The table as a pandas ``Styler`` (formats from :mod:`rotation.present.tables`), method as caption."""
        from rotation.present.tables import fmt

        caption = (f"{self.title}. " if self.title else "") + f"Units: {self.units}. {self.method.describe()}."
        return fmt(self.table, percent=bool(self.percent), caption=caption)

    def _repr_html_(self) -> str:
        return self.styled().to_html()
