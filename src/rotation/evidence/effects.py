"""What a verdict rests on: an estimated effect, the robustness checks, the sample, the evidence for a claim.

:class:`Effect` (one estimate with its units, interval, p-value, n and null), :class:`Check` (the
same effect re-estimated on a sub-sample, proxy or with controls), :class:`Sample` and
:class:`Evidence` (everything :func:`rotation.evidence.rubric.decide` needs for one claim).
:func:`describe_effect` says an effect in words, its numbers read as its :class:`~rotation.stats.units.Units` say.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from rotation.errors import ParameterError
from rotation.evidence import claims as _claims
from rotation.stats.units import Units, format_p

__all__ = ["Effect", "Check", "Abroad", "Sample", "Evidence", "describe_effect", "Direction"]

Direction = Literal["for", "against", "neutral"]


def _finite(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))


def _opt_float(x: object) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(f"expected a number or None, got {x!r} ({type(x).__name__})") from None
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class Effect:
    """One estimated effect, with what is needed to judge it.

    Attributes
    ----------
    label : str
        What was estimated, in words ("6-month relative return after breakouts minus all months").
    estimate : float
        The point estimate, in ``units``.
    units : Units
        Units of ``estimate`` and its interval, with the scale that says how they read
        (``Units.returns("decimal relative return per month")``, ``Units.number("beta: relative
        return per 1% dollar change")``, ``Units.share("percentile (0-1)")``).
    ci_lower, ci_upper : float or None
        Interval bounds (95% unless ``level`` says otherwise); None when there is none.
    p_value : float or None
        p-value of the test against ``null``; when several tests decide the claim, the *adjusted* one
        (say which adjustment in :attr:`Evidence.method`).
    nobs : int or None
        Independent observations behind the estimate (months, episodes, clusters...).
    null : float
        The value the claim is tested against (0 unless stated, e.g. a null rate from simulated paths).
    thresholds : (float, float) or None
        For a *state* judged against thresholds instead of an interval: ``(low, high)``. With
        ``expected_sign=-1`` the state is "for" the claim at or below ``low`` and "against" at or
        above ``high``; with +1 the reverse.
    level : float
        Confidence level of the interval.
    median, share_positive : float or None
        Descriptive companions of a mean (shown beside it, not used by the rubric).
    """

    label: str
    estimate: float
    units: Units
    ci_lower: float | None = None
    ci_upper: float | None = None
    p_value: float | None = None
    nobs: int | None = None
    null: float = 0.0
    thresholds: tuple[float, float] | None = None
    level: float = 0.95
    median: float | None = None
    share_positive: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", Units.of(self.units))
        for name in ("ci_lower", "ci_upper", "p_value", "median", "share_positive"):
            object.__setattr__(self, name, _opt_float(getattr(self, name)))
        object.__setattr__(self, "estimate", float(self.estimate) if _finite(self.estimate) else math.nan)
        if self.nobs is not None:
            object.__setattr__(self, "nobs", int(self.nobs))
        if self.ci_lower is not None and self.ci_upper is not None and self.ci_lower > self.ci_upper:
            raise ParameterError(
                f"Effect {self.label!r}: ci_lower {self.ci_lower} is above ci_upper {self.ci_upper}; "
                "pass (lower, upper)"
            )
        if self.thresholds is not None:
            lo, hi = (float(v) for v in self.thresholds)
            if lo > hi:
                raise ParameterError(f"Effect {self.label!r}: thresholds must be (low, high), got {self.thresholds}")
            object.__setattr__(self, "thresholds", (lo, hi))

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Effect:
        """The Effect a :meth:`to_record` dict describes (records written before units had a scale read
        their numbers as plain numbers)."""
        fields = {k: v for k, v in rec.items() if k not in ("units", "scale")}
        if fields.get("thresholds") is not None:
            fields["thresholds"] = tuple(fields["thresholds"])
        if fields.get("estimate") is None:
            fields["estimate"] = math.nan
        return cls(**fields, units=Units(str(rec.get("units") or ""), rec.get("scale") or "number"))

    @classmethod
    def from_result(cls, result: Any, row: Any = None, *, label: str | None = None, units: Units | None = None,
                    **kw: Any) -> Effect:
        """An Effect from one row of a result object's ``.table`` (``estimate, ci_lower, ...``)."""
        table = result.table
        r = table.iloc[0] if row is None else table.loc[row]
        get = (lambda k: r[k] if k in r.index else None)  # noqa: E731
        return cls(
            label=label or f"{getattr(result, 'title', '')} {'' if row is None else row}".strip(),
            estimate=float(r["estimate"]),
            units=units or getattr(result, "units", ""),
            ci_lower=get("ci_lower"), ci_upper=get("ci_upper"), p_value=get("p_value"),
            nobs=int(r["nobs"]) if get("nobs") is not None and _finite(float(r["nobs"])) else None,
            median=get("median"), share_positive=get("share_positive"), **kw,
        )

    @classmethod
    def from_row(cls, label: str, row: Any, units: Units, **kw: Any) -> Effect:
        """An Effect from a table row in the project's vocabulary (``estimate, ci_lower, ci_upper, p_value,
        nobs`` and, when present, ``median``, ``share_positive``); missing fields are None. ``row`` may be a
        Series, a mapping, or a one-row :class:`rotation.stats.results.Estimates`."""
        if hasattr(row, "table") and hasattr(row, "method"):
            if len(row.table) != 1:
                raise ParameterError(f"Effect.from_row({label!r}): the result has {len(row.table)} rows; pass "
                                     "result.row(label) for the row that decides the claim")
            row = row.table.iloc[0]
        def get(k: str) -> Any:
            try:
                v = row[k]
            except (KeyError, IndexError):
                return None
            return None if v is None or (isinstance(v, float) and not math.isfinite(v)) else v

        fields = {k: get(k) for k in ("ci_lower", "ci_upper", "p_value", "median", "share_positive")}
        fields.update({k: v for k, v in kw.items()})
        nobs = get("nobs")
        return cls(label=label, estimate=float(row["estimate"]), units=units,
                   nobs=None if nobs is None else int(nobs), **fields)

    @property
    def has_interval(self) -> bool:
        return self.ci_lower is not None and self.ci_upper is not None

    def direction(self, expected_sign: int, alpha: float = 0.05) -> Direction:
        """``"for"``, ``"against"`` or ``"neutral"``: where this effect stands relative to the claim."""
        if not _finite(self.estimate):
            return "neutral"
        if self.thresholds is not None:
            lo, hi = self.thresholds
            favourable_low = expected_sign < 0
            if self.estimate <= lo:
                return "for" if favourable_low else "against"
            if self.estimate >= hi:
                return "against" if favourable_low else "for"
            return "neutral"
        if self.p_value is not None:
            significant = self.p_value < alpha
        elif self.has_interval:
            significant = self.ci_lower > self.null or self.ci_upper < self.null  # type: ignore[operator]
        else:
            return "neutral"
        if not significant:
            return "neutral"
        return "for" if (self.estimate - self.null) * expected_sign > 0 else "against"

    def sign(self) -> int:
        """Sign of ``estimate - null`` (for thresholds: of the distance to the band's middle)."""
        ref = sum(self.thresholds) / 2 if self.thresholds is not None else self.null
        d = self.estimate - ref
        return 0 if not _finite(d) or d == 0 else (1 if d > 0 else -1)

    def to_record(self) -> dict[str, Any]:
        d = asdict(self)
        d["units"] = self.units.text
        d["scale"] = self.units.scale
        d["thresholds"] = list(self.thresholds) if self.thresholds is not None else None
        if not _finite(d["estimate"]):
            d["estimate"] = None
        return d


@dataclass(frozen=True)
class Check:
    """A robustness check: the headline effect re-estimated on a sub-sample, proxy or with controls.

    ``kind`` is ``"subperiod"``, ``"proxy"``, ``"control"``, ``"horizon"`` or ``"other"``. The rubric
    asks only that the check has the same sign as the headline; its significance is reported.
    """

    kind: Literal["subperiod", "proxy", "control", "horizon", "other"]
    effect: Effect

    def to_record(self) -> dict[str, Any]:
        return {"kind": self.kind, "effect": self.effect.to_record()}


@dataclass(frozen=True)
class Abroad:
    """The international check: the headline's test run on each region's size spread (Ken French's SMB).

    ``counted`` are the regions outside the United States (data no US analysis was fitted to); ``shown`` are regions
    that hold the US (Developed, North America), reported beside them and not counted. Each effect's label starts
    with its region. The check *holds* when at least half of the counted regions have the headline's sign
    (:meth:`holds`); how it enters the rubric: :class:`rotation.evidence.claims.Decision` (``international``).
    """

    test: str
    counted: tuple[Effect, ...]
    shown: tuple[Effect, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "counted", tuple(self.counted))
        object.__setattr__(self, "shown", tuple(self.shown))

    def agreeing(self, sign: int) -> int:
        """Counted regions whose effect has ``sign`` (the headline's)."""
        return sum(e.sign() == sign for e in self.counted)

    def significant(self, expected_sign: int, alpha: float = 0.05) -> int:
        """Counted regions where the effect is significant for the claim."""
        return sum(e.direction(expected_sign, alpha) == "for" for e in self.counted)

    def holds(self, sign: int) -> bool:
        """At least half of the counted regions have the headline's ``sign`` (False without counted regions)."""
        return bool(self.counted) and 2 * self.agreeing(sign) >= len(self.counted)

    def summary(self, sign: int, expected_sign: int, alpha: float = 0.05) -> str:
        """``"same sign in 3 of 4 regions outside the US (significant for the claim in 1)"``."""
        return (f"same sign in {self.agreeing(sign)} of {len(self.counted)} regions outside the US (significant for "
                f"the claim in {self.significant(expected_sign, alpha)})")

    def to_record(self, sign: int, expected_sign: int, alpha: float = 0.05) -> dict[str, Any]:
        return {"test": self.test, "summary": self.summary(sign, expected_sign, alpha), "holds": self.holds(sign),
                "agreeing": self.agreeing(sign), "significant": self.significant(expected_sign, alpha),
                "n_regions": len(self.counted), "counted": [e.to_record() for e in self.counted],
                "shown": [e.to_record() for e in self.shown]}


@dataclass(frozen=True)
class Sample:
    """What the evidence was computed on."""

    proxy: str
    start: str
    end: str
    n: int
    unit: str = "months"

    @classmethod
    def of(cls, proxy: str, index: Any, unit: str = "months", n: int | None = None) -> Sample:
        """From a DatetimeIndex (first and last date, length)."""
        return cls(proxy=proxy, start=f"{index[0]:%Y-%m-%d}", end=f"{index[-1]:%Y-%m-%d}",
                   n=len(index) if n is None else int(n), unit=unit)

    def describe(self) -> str:
        return f"{self.proxy}, {self.start} to {self.end}, n = {self.n} {self.unit}"


@dataclass(frozen=True)
class Evidence:
    """Everything :func:`decide` needs for one claim.

    Attributes
    ----------
    claim_id : str
        A key of :data:`rotation.evidence.claims.CLAIMS`.
    headline : Effect
        The effect that decides the claim.
    sample : Sample
    method : str
        How the interval was computed (covariance and lags, bootstrap kind and blocks, seed) and any
        p-value adjustment.
    checks : tuple of Check
        Robustness checks (sub-periods, proxies, controls): exactly the kinds the claim's
        :class:`~rotation.evidence.claims.Decision` declares.
    caveats : tuple of str
    answer : str
        What the Answer box says beside the headline, when the headline alone would mislead (a finding of
        the checks a reader must not miss); composed by the evidence builder from the results. Empty: the
        headline speaks for itself.
    international : Abroad, optional
        The international check a claim declares (``Decision.international``): the same test on each region's
        size spread.
    skill : Effect, optional
        For a claim decided by a forecast (``Decision.skill``): the forecast's out-of-sample Brier skill against
        the base rate, with its interval and the number of forecasts scored. The headline counts only when this
        interval lies above zero.

    What kind of evidence the test is, the fewest observations a verdict needs, the thresholds of a
    state and the significance level are not chosen here: they are the claim's pre-registered
    :class:`~rotation.evidence.claims.Decision`.
    """

    claim_id: str
    headline: Effect
    sample: Sample
    method: str
    checks: tuple[Check, ...] = ()
    caveats: tuple[str, ...] = ()
    answer: str = ""
    skill: Effect | None = None
    international: Abroad | None = None

    def __post_init__(self) -> None:
        _claims.get(self.claim_id)  # raises with the valid ids
        object.__setattr__(self, "checks", tuple(self.checks))
        object.__setattr__(self, "caveats", tuple(self.caveats))


def describe_effect(e: Effect) -> str:
    """``"+1.2% (95% CI -0.4% to +3.0%, n = 27)"`` in the effect's units."""
    s = e.units.format(e.estimate)
    if e.has_interval:
        s += f" ({e.level:.0%} CI {e.units.format(e.ci_lower)} to {e.units.format(e.ci_upper)}"
    elif e.thresholds is not None:
        s += f" (thresholds {e.units.format(e.thresholds[0])} / {e.units.format(e.thresholds[1])}"
    else:
        s += " ("
    parts = []
    if e.p_value is not None:
        parts.append(format_p(e.p_value))
    if e.nobs is not None:
        parts.append(f"n = {e.nobs}")
    if e.median is not None:
        parts.append(f"median {e.units.format(e.median)}")
    if e.share_positive is not None:
        parts.append(f"{e.share_positive:.0%} positive")
    inner = "; ".join(parts)
    if s.endswith("("):
        return s[:-2] + (f" ({inner})" if inner else "")
    return s + (f"; {inner})" if inner else ")")
