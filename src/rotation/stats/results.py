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
* ``.units`` (a :class:`rotation.stats.units.Units`: the words and the scale that says how
  the numbers read) and ``.title``;
* ``.summary()`` text that states the method, ``.to_record()`` a plain JSON-able dict
  for the results file (numbers unchanged). In a notebook, ``display(result)`` shows a
  formatted table (the formatter :mod:`rotation.notebook` registers for result objects).

A scalar result (one estimate, e.g. a bootstrap interval for a mean) is an
:class:`Estimates` with one row, with ``.estimate``, ``.ci_lower``... as properties.
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
from rotation.stats.units import Units, format_p

__all__ = ["VOCABULARY", "Method", "Estimates", "Results", "Sentence", "Units", "jsonable"]

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
                text = (f"OLS with HAC (Newey-West, Bartlett kernel) standard errors, {lag_txt}; "
                        f"{level} normal intervals")
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


class Sentence(str):
    """Text that a notebook shows as Markdown when a cell ends with it (``result.describe()``)."""

    def _repr_markdown_(self) -> str:
        return str(self)


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
    units : Units
        E.g. ``Units.returns("decimal relative return over h months")``; its scale says how
        the estimates read (returns as percent, shares as percent, other numbers as numbers).
    title : str
    extra : mapping
        Scalars that belong to the whole result (e.g. ``rsquared`` of one regression).
    data : pd.DataFrame, optional
        The observations behind the estimates (forecasts, events, null draws) for charts and
        follow-on computations; not part of the record and not compared by ``==``.
    sentence : str
        What the result says, written by the study that knows what its numbers mean (numbers
        formatted with :attr:`units`); :meth:`describe` returns it. Not part of the record.
    """

    table: pd.DataFrame
    method: Method
    units: Units
    title: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    data: pd.DataFrame | None = field(default=None, repr=False)
    sentence: str = field(default="", repr=False)

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
        object.__setattr__(self, "units", Units.of(self.units))
        object.__setattr__(self, "table", self.table.copy())
        object.__setattr__(self, "extra", dict(self.extra))

    def __eq__(self, other: object) -> bool:
        """Equal when method, units, title, extra and the table (values, index, dtypes) are equal."""
        if not isinstance(other, Estimates):
            return NotImplemented
        return (self.method == other.method and self.units == other.units and self.title == other.title
                and dict(self.extra) == dict(other.extra)
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
    def describe(self, row: Any = None, *, label: str | None = None) -> Sentence:
        """What the result says: the study's :attr:`sentence` when it wrote one and no ``row`` is asked,
        else one row in words: ``"<label>: +1.20% (95% CI -0.40% to +3.00%; p = 0.041; n = 27)"``.

        ``row`` is a row label (default: the only row); numbers read as :attr:`units` say. A notebook
        cell ending in ``result.describe()`` shows the sentence as Markdown.
        """
        if self.sentence and row is None and label is None:
            return Sentence(self.sentence)
        r = self.table.iloc[0] if row is None and len(self.table) == 1 else None
        if r is None:
            if row is None:
                raise ParameterError(f"describe() needs a row label: this result has {len(self.table)} rows "
                                     f"({list(self.table.index)[:5]}...)")
            r = self.table.loc[row]
        u = self.units
        parts = []
        if pd.notna(r["ci_lower"]) and pd.notna(r["ci_upper"]):
            parts.append(f"{1 - self.method.alpha:.0%} CI {u.interval(r['ci_lower'], r['ci_upper'])}")
        if pd.notna(r["p_value"]):
            parts.append(format_p(r["p_value"]))
        if pd.notna(r["nobs"]):
            parts.append(f"n = {int(r['nobs'])}")
        name = label if label is not None else (self.title or "estimate") + ("" if row is None else f" ({_label(row)})")
        return Sentence(f"{name}: {u.format(r['estimate'])}" + (f" ({'; '.join(parts)})" if parts else ""))

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
            node[_label(labels[-1])] = {c: jsonable(v) for c, v in zip(columns, values, strict=True)}
        out: dict[str, Any] = {"title": self.title, "units": self.units.text, "scale": self.units.scale,
                               "method": self.method.to_record(), "rows": rows}
        if self.extra:
            out["extra"] = jsonable(dict(self.extra))
        json.dumps(out, allow_nan=False)  # fail here, not in the results file
        return out


@dataclass(frozen=True, eq=False)
class Results:
    """The results of one study by name (each an :class:`Estimates`), with what they say together.

    ``results["forward"]`` is one of them; ``to_record()`` records each under its name, with
    ``extra``; ``describe()`` returns the study's sentence.

    Attributes
    ----------
    parts : mapping of str to Estimates
    extra : mapping
        Scalars that belong to the study as a whole (counts, dates).
    title : str
    sentence : str
    data : pd.DataFrame, optional
        The observations behind the results (events, episodes), not recorded.
    """

    parts: Mapping[str, Estimates]
    extra: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    sentence: str = field(default="", repr=False)
    data: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        bad = [k for k, v in self.parts.items() if not isinstance(v, Estimates)]
        if bad:
            raise ParameterError(f"Results.parts must be Estimates; {bad} are not")
        clash = set(self.parts) & set(self.extra)
        if clash:
            raise ParameterError(f"Results: {sorted(clash)} name both a part and an extra value")
        object.__setattr__(self, "parts", dict(self.parts))
        object.__setattr__(self, "extra", dict(self.extra))

    def __getitem__(self, name: str) -> Estimates:
        try:
            return self.parts[name]
        except KeyError:
            raise ParameterError(f"no result {name!r} in {self.title or 'these results'}; "
                                 f"there are: {', '.join(self.parts)}") from None

    def __iter__(self):
        return iter(self.parts)

    def describe(self) -> Sentence:
        """The study's sentence (or the title and the parts' names when it wrote none)."""
        return Sentence(self.sentence or f"{self.title}: {', '.join(self.parts)}")

    def to_record(self) -> dict[str, Any]:
        """``{name: part.to_record(), ..., **extra}``; numbers unchanged."""
        out: dict[str, Any] = {name: part.to_record() for name, part in self.parts.items()}
        out.update(jsonable(dict(self.extra)))
        json.dumps(out, allow_nan=False)
        return out
