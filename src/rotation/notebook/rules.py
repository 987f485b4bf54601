"""The value rules of the notebooks' parameters: declared once, applied before any kernel starts and in the kernel.

:func:`check_value` applies them to one value and :func:`check_relations` to the values of one notebook
together; ``rotation run`` calls both before any kernel starts (every ``-p``/``-f`` value and every grid
value and combination) and each notebook's check cell calls them again
(:func:`rotation.notebook.parameters.check_parameters`). A rule belongs to a parameter *name*: it applies in
every notebook that declares the name, so a name means the same thing everywhere (``horizons`` in weeks in
07 and in months elsewhere share the bound the strictest notebook enforces).

The rules:

* every value: text at most :data:`TEXT_MAX` characters, lists at most :data:`LIST_MAX` items;
* ints (and list[int] items): ``0 <= value <= INT_MAX`` (``seed``: ``< 2**32``, what numpy accepts);
  floats: finite;
* ``proxy`` and ``*_proxy``: a key of :data:`rotation.data.PROXIES`;
* dates -- ``start``, ``end``, ``as_of`` and names ending in ``_date`` or ``_from``: ``""`` or an ISO date
  ``YYYY-MM-DD`` (``split_date`` and ``broad_monthly_from`` may not be empty);
* :data:`RULES`: the bounds, choices and item checks the notebooks' studies enforce (each rule says where);
* :data:`RELATIONS`: rules between parameters of the same notebook (``start <= end``, ...).

A study keeps its own argument checks (it is called from other code too); a test per rule
(``tests/notebook/test_rules.py``) shows the runner refuses what the kernel would refuse.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rotation.errors import ParameterError

__all__ = ["INT_MAX", "SEED_MAX", "TEXT_MAX", "LIST_MAX", "Rule", "RULES", "Relation", "RELATIONS",
           "check_value", "check_relations", "is_date_name", "shown", "did_you_mean"]

INT_MAX = 1_000_000
"""Largest value an int parameter may take (windows, horizons, counts, replications)."""
SEED_MAX = 2**32 - 1
"""Largest seed numpy's generators accept."""
TEXT_MAX = 1_000
"""Longest parameter value, in characters (as written after ``-p NAME=`` and as a ``str`` value or list item)."""
LIST_MAX = 100
"""Most items a list parameter may hold."""
_SHOWN = 60


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, cut to about 60 characters (a 2 MB value is not echoed)."""
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN - 20]}...{text[-12:]} ({len(text):,} characters)"


def did_you_mean(name: str, choices: Sequence[str]) -> str:
    """``" (did you mean 'proxy'?)"`` for a close match among ``choices``, else ``""``."""
    if len(name) > TEXT_MAX:
        return ""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def is_date_name(name: str) -> bool:
    """Whether parameter ``name`` holds a date (``start``, ``end``, ``as_of``, ``*_date``, ``*_from``)."""
    return name in ("start", "end", "as_of") or name.endswith(("_date", "_from"))


def _is_iso_date(value: str) -> bool:
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


# --------------------------------------------------------------------------- item checks


def _price_ticker(value: str) -> str | None:
    """None, or why ``value`` is not a ticker of the catalog's price data (what notebook 07 loads)."""
    from rotation.data.catalog import CATALOG

    tickers = [k for k, d in CATALOG.items() if d.source == "prices"]
    if value in tickers or value.upper() in tickers:
        return None
    return f"a ticker of the price data ({', '.join(tickers)})" + did_you_mean(value, tickers)


def _lag_override(value: str) -> str | None:
    """None, or why ``value`` is not a release-lag override ``KEY:DAYS`` (as ``data.timing.lag_overrides`` reads it)."""
    from rotation.data.timing import lag_overrides
    from rotation.errors import RotationError

    try:
        lag_overrides([value])
    except RotationError as exc:
        return f"KEY:DAYS with a dataset of the catalog and whole days, e.g. 'UNRATE:10' ({exc})"
    return None


def _iso_date(value: str) -> str | None:
    return None if _is_iso_date(value) else "a date YYYY-MM-DD, e.g. '1999-12-31'"


# --------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Rule:
    """What a parameter's value (each item of a list) must be beyond its type; ``why``: where it is enforced.

    ``low``/``high`` bound numbers (``*_open``: strictly); ``choices`` are the allowed strings; ``item`` checks
    each string (returns None or what it should be); ``min_items`` is the fewest items of a list;
    ``required``: a date that may not be empty; ``increasing``: list items strictly increasing.
    """

    why: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    item: Callable[[str], str | None] | None = None
    min_items: int = 0
    required: bool = False
    increasing: bool = False

    def bounds(self) -> str:
        """The numeric rule in words: ``"between 1 and 520"``, ``"> 0"``, ``">= 19"``."""
        def num(x: float) -> str:
            return f"{x:g}" if not float(x).is_integer() else f"{int(x):,}"
        if self.low is not None and self.high is not None and not (self.low_open or self.high_open):
            return f"between {num(self.low)} and {num(self.high)}"
        parts = []
        if self.low is not None:
            parts.append(f"{'>' if self.low_open else '>='} {num(self.low)}")
        if self.high is not None:
            parts.append(f"{'<' if self.high_open else '<='} {num(self.high)}")
        return " and ".join(parts)

    def problem(self, v: Any) -> str | None:
        """None, or what the single value (or list item) ``v`` should be."""
        if isinstance(v, (int, float)) and not isinstance(v, bool) and (self.low is not None or self.high is not None):
            low_bad = self.low is not None and (v <= self.low if self.low_open else v < self.low)
            high_bad = self.high is not None and (v >= self.high if self.high_open else v > self.high)
            return self.bounds() if low_bad or high_bad else None
        if isinstance(v, str) and self.choices and v not in self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices) + did_you_mean(v, self.choices)
        if isinstance(v, str) and self.item is not None:
            return self.item(v)
        return None


_SIGNALS = "studies/signals.py and studies/nulls.py"
_HORIZONS = Rule("forward horizons: 07 counts weeks (studies/sector_rotation.py takes at most 520), the others months",
                 low=1, high=520, min_items=1)
_OOS = Rule("regressions.oos_r2 needs at least 3 training periods before its first forecast", low=3)
_FRACTION = dict(low=0.0, high=1.0, low_open=True, high_open=True)
_TICKER = Rule("notebook 07 loads it as a price series and divides by it", item=_price_ticker)

RULES: dict[str, Rule] = {
    # shared names
    "horizons": _HORIZONS,
    "bootstrap_reps": Rule("every bootstrap needs at least one replication", low=1),
    "oos_min_train": _OOS,
    "oos_start_months": _OOS,
    "event_before": Rule("months before an event: studies/cycle_phases.py takes 0 to 120", low=0, high=120),
    "event_after": Rule("months after an event: studies/fed_events.py needs >= 1, studies/cycle_phases.py <= 120",
                        low=1, high=120),
    "min_swing": Rule("a reversal smaller than nothing confirms every wiggle (studies/cycles.py, studies/fed.py)",
                      low=0.0, low_open=True),
    # 01 relative strength
    "breakout_rule": Rule(f"the breakout rules of {_SIGNALS}", choices=("high", "ma")),
    "breakout_lookback": Rule(f"lookback of the breakout rule ({_SIGNALS})", low=1),
    "false_breakout_k": Rule("studies/outcomes.py: a breakout needs at least 1 month to fail", low=1),
    "null_reps": Rule("studies/nulls.py: the no-predictability null needs at least 19 paths (a 5% test)", low=19),
    "null_block": Rule("studies/nulls.py: block length of the bootstrap paths", low=1),
    "blowoff_window": Rule("studies/signals.py: the rally window", low=1),
    "blowoff_threshold": Rule("studies/signals.py: a quantile strictly between 0 and 1", **_FRACTION),
    "blowoff_min_history": Rule("studies/signals.py: the expanding quantile needs history", low=1),
    "blowoff_horizon": Rule("studies/outcomes.py: days after a blow-off", low=1),
    "level_within": Rule("studies/outcomes.py: a fraction strictly between 0 and 1", **_FRACTION),
    "level_hold": Rule("studies/outcomes.py: closes above the level that make a break", low=1),
    "level_horizons": Rule("studies/outcomes.py: trading days after a break or failure", low=1, min_items=1),
    # 02 dollar
    "dollar_sampling": Rule("studies/series.py samples the daily index by 'last' or 'mean'", choices=("last", "mean")),
    "split_date": Rule("studies/betas.py splits the sample at this date", required=True),
    "broad_monthly_from": Rule("studies/dollar.py splices the monthly index from this date", required=True),
    "rolling_months": Rule("studies/betas.py: a rolling regression needs a window of at least 3", low=3),
    "rolling_weeks": Rule("studies/betas.py: a rolling regression needs a window of at least 3", low=3),
    "regime_window": Rule("studies/regimes.py: months of trailing change", low=1),
    "regime_block": Rule("stats/intervals.py: block length of the bootstrap", low=1),
    "predict_windows": Rule("studies/dollar.py: at least one window of at least 1 month", low=1, min_items=1),
    "predict_horizons": Rule("studies/dollar.py: at least one horizon of at least 1 month", low=1, min_items=1),
    # 03 rates
    "rolling_window": Rule("studies/betas.py: a rolling regression needs a window of at least 3", low=3),
    "fwd_horizons": Rule("studies/fed_events.py: months after a turning point", low=1),
    "min_events_for_band": Rule("studies/windows.py: a band needs at least 2 events", low=2),
    "policy_window": Rule("studies/fed.py: days in the rolling median", low=1),
    "policy_hysteresis": Rule("studies/fed.py: a fraction of a step from 0.5 (plain rounding) to 2", low=0.5, high=2.0),
    "min_move": Rule("studies/fed.py: the smallest move counted", low=0.0, low_open=True),
    "inferred_min_swing": Rule("studies/fed.py: the reversal that ends a cycle", low=0.0, low_open=True),
    "pause_months": Rule("studies/fed.py: months without a move that make a pause", low=1),
    "regime_change_months": Rule("studies/regimes.py: months of trailing change", low=1),
    "regime_flat_band": Rule("studies/regimes.py: a band of +/- this many points", low=0.0),
    "nfci_change_months": Rule("studies/regimes.py: months of trailing change", low=1),
    "nfci_band": Rule("studies/regimes.py: a band of +/- this many points", low=0.0),
    # 04 seasonality
    "santa_days_before": Rule("studies/seasonality.py: trading days at the end of December", low=0, high=60),
    "santa_days_after": Rule("studies/seasonality.py: trading days at the start of January", low=0, high=60),
    "window_start_month": Rule("studies/seasonality.py: a month number", low=1, high=12),
    "window_end_month": Rule("studies/seasonality.py: a month number", low=1, high=12),
    "era_breaks": Rule("studies/calendar.py: era boundaries, increasing dates", item=_iso_date, increasing=True),
    "rolling_years": Rule("studies/calendar.py: years in the rolling window", low=2, high=200),
    "turn_days": Rule("studies/seasonality.py: trading days either side of the year end", low=1, high=60),
    "prior_months": Rule("studies/year_end.py: months of trailing return", low=1, high=600),
    "round_trip_cost": Rule("studies/calendar.py: a cost cannot be negative", low=0.0),
    # 05 economy
    "release_lags": Rule("data/timing.py reads each as KEY:DAYS", item=_lag_override),
    # 06 valuation
    "top_quantile": Rule("studies/valuation.py: a quantile strictly between 0 and 1", **_FRACTION),
    "earnings_change_months": Rule("studies/quality.py: months of change", low=1, high=600),
    # 07 sectors
    "sectors": Rule("notebook 07 loads each as a price series; the breadth needs at least one",
                    item=_price_ticker, min_items=1),
    "benchmark": _TICKER,
    "small_cap": _TICKER,
    "robustness_small_cap": _TICKER,
    "level_window": Rule("studies/sectors.py: weeks in the moving average", low=2, high=520),
    "momentum_window": Rule("studies/sectors.py: weeks of momentum", low=1, high=260),
    "z_window": Rule("studies/sectors.py: weeks that standardise the measures", low=10, high=2600),
    "tech_peak_threshold": Rule("studies/sector_rotation.py: a fraction strictly between 0 and 1", **_FRACTION),
    "tech_peak_window": Rule("studies/sector_rotation.py: weeks over which the peak is taken", low=2, high=100_000),
    "breadth_window": Rule("studies/sector_rotation.py: weeks of the breadth comparison", low=1, high=520),
    # 08 signals
    "max_age": Rule("studies/board.py: months a reading stays current", low=0, high=36),
}
"""Parameter name -> its :class:`Rule` (what the notebooks' studies enforce; each says where)."""


def _proxies() -> list[str]:
    from rotation.data.api import PROXIES

    return list(PROXIES)


def _check_item(spec: Any, v: Any, where: str, rule: Rule | None) -> None:
    """The rules of one value or list item ``v``."""
    if isinstance(v, int) and not isinstance(v, bool):
        top = SEED_MAX if spec.name == "seed" else INT_MAX
        if not 0 <= v <= top:
            raise ParameterError(f"{where} must be between 0 and {top:,}, got {v!r}; give a smaller value")
    if isinstance(v, float) and not math.isfinite(v):
        raise ParameterError(f"{where} must be a finite number, got {v!r}")
    if isinstance(v, str) and len(v) > TEXT_MAX:
        raise ParameterError(f"{where} is {len(v):,} characters long, more than {TEXT_MAX:,}; give a shorter value")
    problem = rule.problem(v) if rule is not None else None
    if problem:
        default = f"; the notebook's default is {spec.default_source}" if spec.default_source else ""
        raise ParameterError(f"{where} must be {problem}, got {shown(v)} ({rule.why}){default}")


def check_value(spec: Any, value: Any, notebook: str) -> None:
    """Apply the rules (module docstring) to an already converted ``value`` of the parameter ``spec``.

    Raises
    ------
    ParameterError
        Naming the parameter, the rule, the value (shortened) and the fix (valid choices, a bound, the default).
    """
    __tracebackhide__ = True  # noqa: F841 - IPython shows the message, not this frame
    where = f"parameter {spec.name!r} of {notebook}"
    rule = RULES.get(spec.name)
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and len(value) > LIST_MAX:
        raise ParameterError(f"{where} has {len(value):,} items, more than {LIST_MAX}; give fewer")
    if isinstance(value, list) and rule is not None and len(value) < rule.min_items:
        raise ParameterError(f"{where} must hold at least {rule.min_items} item(s), got {shown(value)} ({rule.why})")
    for v in items:
        if v is not None:
            _check_item(spec, v, where, rule)
    if isinstance(value, list) and rule is not None and rule.increasing and any(
            b <= a for a, b in zip(value, value[1:], strict=False)):
        raise ParameterError(f"{where} must be increasing, got {shown(value)} ({rule.why})")
    if not isinstance(value, str):
        return
    if spec.name == "proxy" or spec.name.endswith("_proxy"):
        choices = _proxies()
        if value not in choices:
            raise ParameterError(f"{where} must be one of {', '.join(choices)}; got {shown(value)}"
                                 + did_you_mean(value, choices))
    elif is_date_name(spec.name) and (value != "" or (rule is not None and rule.required)):
        if not _is_iso_date(value):
            empty = "" if rule is not None and rule.required else " (or empty)"
            raise ParameterError(f"{where} must be a date YYYY-MM-DD{empty}, got {shown(value)}; e.g. 2008-01-01")


# --------------------------------------------------------------------------- rules between parameters


@dataclass(frozen=True)
class Relation:
    """A rule between parameters of one notebook, checked when it declares all of ``names``.

    ``problem(values)`` returns None or what is wrong (``values``: the notebook's effective values).
    """

    names: tuple[str, ...]
    problem: Callable[[Mapping[str, Any]], str | None]
    why: str


def _start_end(v: Mapping[str, Any]) -> str | None:
    s, e = v["start"], v["end"]
    if s and e and isinstance(s, str) and isinstance(e, str) and _is_iso_date(s) and _is_iso_date(e) and s > e:
        return f"start {s} is after end {e}; swap them"
    return None


def _at_least(low: str, high: str) -> Callable[[Mapping[str, Any]], str | None]:
    def problem(v: Mapping[str, Any]) -> str | None:
        a, b = v[low], v[high]
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a > b:
            return f"{low} ({a}) must be <= {high} ({b})"
        return None

    return problem


def _fed_windows(v: Mapping[str, Any]) -> str | None:
    from rotation.evidence import claims

    deciding = claims.get("fed_dovish").decision.horizon
    after, hs = v["event_after"], v["fwd_horizons"]
    if not isinstance(after, int) or not isinstance(hs, list):
        return None
    longest = max([*hs, deciding])
    if longest > after:
        return (f"event_after ({after}) must be at least every fwd_horizons item and the fed_dovish claim's "
                f"deciding horizon ({deciding} months); the longest is {longest}")
    return None


def _santa(v: Mapping[str, Any]) -> str | None:
    if v["santa_days_before"] == 0 and v["santa_days_after"] == 0:
        return "santa_days_before and santa_days_after are both 0: the window would be empty; use e.g. 5 and 2"
    return None


def _tech_in_sectors(v: Mapping[str, Any]) -> str | None:
    sectors = v["sectors"]
    if isinstance(sectors, list) and not any(str(s).upper() == "XLK" for s in sectors):
        return "sectors must include XLK (the tech leadership study reads XLK/benchmark)"
    return None


RELATIONS: tuple[Relation, ...] = (
    Relation(("start", "end"), _start_end, "data/api.py refuses a start after the end"),
    Relation(("weak_threshold", "strong_threshold"), _at_least("weak_threshold", "strong_threshold"),
             "studies/regimes.py needs the lower threshold first"),
    Relation(("min_move", "min_swing"), _at_least("min_move", "min_swing"),
             "studies/fed.py: a cycle ends on a reversal of at least one move"),
    Relation(("min_move", "inferred_min_swing"), _at_least("min_move", "inferred_min_swing"),
             "studies/fed.py: a cycle ends on a reversal of at least one move"),
    Relation(("event_after", "fwd_horizons"), _fed_windows, "studies/fed_events.py reads them inside the window"),
    Relation(("santa_days_before", "santa_days_after"), _santa, "studies/seasonality.py"),
    Relation(("sectors",), _tech_in_sectors, "notebook 07 reads XLK"),
)
"""The rules between parameters (``start <= end``, ...)."""


def check_relations(values: Mapping[str, Any], notebook: str) -> None:
    """Apply :data:`RELATIONS` to one notebook's effective ``values`` (those whose names are all present).

    Raises
    ------
    ParameterError
        Naming the parameters, their values and the fix.
    """
    __tracebackhide__ = True  # noqa: F841
    for rel in RELATIONS:
        if all(n in values for n in rel.names):
            problem = rel.problem(values)
            if problem:
                raise ParameterError(f"parameters of {notebook}: {problem} ({rel.why})")
