"""Verdicts: the evidence for a claim, judged by one written rubric.

A notebook computes the evidence for a claim (:class:`Evidence`: a headline
:class:`Effect` with its interval, robustness checks, the sample, the method) and calls
:func:`decide`, which applies the rubric below and returns a :class:`Verdict` record. Notebooks
never decide a status themselves; they publish verdicts (:func:`rotation.notebook.publish`),
which records them in the results and renders the findings
(:func:`rotation.present.findings.render_findings`).

The rubric
----------
The rules are applied in this order; the first that matches decides (the same text is in
``docs/verdicts.md`` and in :data:`RUBRIC`).

R1. not testable: the claim cannot be tested with free data (the claim says why).
R2. inconclusive: the headline effect has fewer than ``min_n`` independent observations, or no interval where one is needed.
R3. contradicted: the headline effect is significant against the claim, every robustness check (sub-periods, proxies, controls) has the same sign as it, a claim about small caps in general is significant in the same direction on a second proxy, and the evidence covers what the claim names.
R4. not supported: the headline effect is significant against the claim but a robustness check has the other sign, or a claim about small caps in general is not significant in the same direction on a second proxy, or the claim names a mechanism and the evidence is only an association (which can neither confirm nor refute a channel).
R5. not supported: the headline effect is not significant (its interval includes the null, or its threshold is not reached).
R6. partly supported: the headline effect is significant for the claim, but a robustness check has the other sign, or a claim about small caps in general is not significant in the same direction on a second proxy, or the claim names a mechanism and the evidence is only an association.
R7. supported: the headline effect is significant for the claim, every robustness check has the same sign, a claim about small caps in general is significant in the same direction on a second proxy, and the evidence covers what the claim names.

*Significant* means: the interval excludes the null value (0 unless stated), or, when the
headline carries a p-value adjusted for the several tests that decide the claim
(:func:`adjust_pvalues`, Holm by default), that adjusted p-value is below ``alpha``. For a
*state* (a percentile or a rate against a threshold instead of an interval) the effect is
"for" the claim beyond its threshold in the claimed direction, "against" beyond the opposite
threshold, and not significant in between.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Sequence

from rotation.evidence import claims as _claims
from rotation.errors import ParameterError
from rotation.stats.units import Units

__all__ = [
    "STATUSES",
    "RUBRIC",
    "Effect",
    "Check",
    "Sample",
    "Evidence",
    "Verdict",
    "decide",
    "check_declared",
    "not_testable",
    "describe_effect",
]

Status = Literal["supported", "partly supported", "not supported", "contradicted", "inconclusive", "not testable"]
STATUSES: tuple[str, ...] = ("supported", "partly supported", "not supported", "contradicted", "inconclusive",
                             "not testable")
Direction = Literal["for", "against", "neutral"]

RUBRIC: dict[str, str] = {
    "R1": (
        "not testable: the claim cannot be tested with free data (the claim says why)."
    ),
    "R2": (
        "inconclusive: the headline effect has fewer than ``min_n`` independent observations, or no interval "
        "where one is needed."
    ),
    "R3": (
        "contradicted: the headline effect is significant against the claim, every robustness check "
        "(sub-periods, proxies, controls) has the same sign as it, a claim about small caps in general is "
        "significant in the same direction on a second proxy, and the evidence covers what the claim names."
    ),
    "R4": (
        "not supported: the headline effect is significant against the claim but a robustness check has the "
        "other sign, or a claim about small caps in general is not significant in the same direction on a "
        "second proxy, or the claim names a mechanism and the evidence is only an association (which can "
        "neither confirm nor refute a channel)."
    ),
    "R5": (
        "not supported: the headline effect is not significant (its interval includes the null, or its "
        "threshold is not reached)."
    ),
    "R6": (
        "partly supported: the headline effect is significant for the claim, but a robustness check has the "
        "other sign, or a claim about small caps in general is not significant in the same direction on a "
        "second proxy, or the claim names a mechanism and the evidence is only an association."
    ),
    "R7": (
        "supported: the headline effect is significant for the claim, every robustness check has the same "
        "sign, a claim about small caps in general is significant in the same direction on a second proxy, "
        "and the evidence covers what the claim names."
    ),
}


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
                f"Effect {self.label!r}: ci_lower {self.ci_lower} is above ci_upper {self.ci_upper}; pass (lower, upper)"
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

    def __post_init__(self) -> None:
        _claims.get(self.claim_id)  # raises with the valid ids
        object.__setattr__(self, "checks", tuple(self.checks))
        object.__setattr__(self, "caveats", tuple(self.caveats))


@dataclass(frozen=True)
class Verdict:
    """The judged claim: a record for results files, scorecards and findings text."""

    claim_id: str
    quote: str
    notebook: str | None
    status: Status
    rule: str
    reasons: tuple[str, ...]
    headline: Effect | None
    sample: Sample | None
    method: str
    evidence: str
    checks: tuple[Check, ...] = ()
    caveats: tuple[str, ...] = field(default_factory=tuple)
    decision: _claims.Decision | None = None

    def to_record(self) -> dict[str, Any]:
        """Plain JSON-able dict (recorded as ``verdicts.<claim_id>``)."""
        return {
            "claim_id": self.claim_id,
            "quote": self.quote,
            "notebook": self.notebook,
            "status": self.status,
            "rule": self.rule,
            "rule_text": RUBRIC[self.rule],
            "reasons": list(self.reasons),
            "headline": self.headline.to_record() if self.headline else None,
            "sample": asdict(self.sample) if self.sample else None,
            "method": self.method,
            "evidence": self.evidence,
            "checks": [c.to_record() for c in self.checks],
            "caveats": list(self.caveats),
            "decision": self.decision.to_record() if self.decision is not None else None,
        }



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
        parts.append(f"p = {e.p_value:.3f}")
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


def not_testable(claim_id: str) -> Verdict:
    """The verdict for a claim free data cannot test (rule R1)."""
    c = _claims.get(claim_id)
    if c.testable:
        raise ParameterError(f"claim {claim_id!r} is testable (notebook {c.notebook}); use decide(Evidence(...))")
    return Verdict(claim_id=c.id, quote=c.quote, notebook=c.notebook, status="not testable", rule="R1",
                   reasons=(c.why_not,), headline=None, sample=None, method="", evidence="none")


def check_declared(evidence: Evidence, decision: _claims.Decision) -> None:
    """Refuse evidence that does not follow its claim's pre-registered decision: a declared check kind
    missing, a check kind not declared, or headline thresholds other than the declared ones."""
    where = "rotation.evidence.claims (the claim's Decision)"
    declared = set(decision.checks)
    brought = {chk.kind for chk in evidence.checks}
    if brought - declared:
        raise ParameterError(
            f"evidence for {evidence.claim_id!r} brings {sorted(brought - declared)} checks its decision does not "
            f"declare ({sorted(declared) or 'none'}): checks are declared before the results, in {where}")
    if declared - brought:
        raise ParameterError(
            f"evidence for {evidence.claim_id!r} lacks the declared {sorted(declared - brought)} checks: "
            f"compute them, or change the declaration in {where}")
    h = evidence.headline
    if h.thresholds is not None and h.thresholds != decision.thresholds:
        raise ParameterError(
            f"the headline of {evidence.claim_id!r} is judged against thresholds {h.thresholds}; its decision "
            f"declares {decision.thresholds} ({where})")


def decide(evidence: Evidence) -> Verdict:
    """Apply the rubric (module docstring, :data:`RUBRIC`) to ``evidence``, with the claim's decision.

    The fewest observations, the significance level and the kind of evidence come from the claim's
    pre-registered :class:`~rotation.evidence.claims.Decision`, and the evidence must bring exactly
    the checks it declares (:func:`check_declared`).

    Returns
    -------
    Verdict
        Its ``rule`` names the rubric line that decided, ``reasons`` say why in words.

    Raises
    ------
    ParameterError
        The evidence does not follow the decision (a check missing or not declared, other thresholds).
    """
    c = _claims.get(evidence.claim_id)
    if not c.testable:
        return not_testable(c.id)
    check_declared(evidence, c.decision)
    h = evidence.headline
    sign = c.expected_sign

    decision = c.decision

    def verdict(status: Status, rule: str, reasons: list[str]) -> Verdict:
        return Verdict(claim_id=c.id, quote=c.quote, notebook=c.notebook, status=status, rule=rule,
                       reasons=tuple(reasons), headline=h, sample=evidence.sample, method=evidence.method,
                       evidence=decision.evidence, checks=evidence.checks, caveats=evidence.caveats,
                       decision=decision)

    n = h.nobs if h.nobs is not None else evidence.sample.n
    if n < decision.min_n or not _finite(h.estimate):
        return verdict("inconclusive", "R2", [f"only {n} independent observations (fewer than {decision.min_n})"])
    if h.thresholds is None and not h.has_interval and h.p_value is None:
        return verdict("inconclusive", "R2", ["the headline effect has no interval or p-value"])

    d = h.direction(sign, decision.alpha)
    hs = h.sign()
    flipped = [chk for chk in evidence.checks if chk.effect.sign() != hs]
    flip_text = [f"{chk.kind} check '{chk.effect.label}' has the other sign ({describe_effect(chk.effect)})"
                 for chk in flipped]
    untested = c.names_mechanism and decision.evidence != "mechanism"
    untested_text = ("the claim names a mechanism and the evidence is an association, not a test of that "
                     "mechanism")
    proxies = [chk for chk in evidence.checks if chk.kind == "proxy"]
    one_proxy = c.general and not any(chk.effect.direction(sign, decision.alpha) == d for chk in proxies)
    one_proxy_text = ("the claim is about small caps in general but only one proxy was tested" if not proxies else
                      "the claim is about small caps in general but the effect is not significant in the same "
                      "direction on the second proxy ("
                      + "; ".join(f"{chk.effect.label}: {describe_effect(chk.effect)}" for chk in proxies) + ")")
    if d == "against":
        if untested or one_proxy:
            return verdict("not supported", "R4",
                           [f"the headline effect is significant against the claim: {describe_effect(h)}"]
                           + ([untested_text] if untested else []) + ([one_proxy_text] if one_proxy else [])
                           + flip_text)
        if not flipped:
            return verdict("contradicted", "R3",
                           [f"the headline effect is significant against the claim: {describe_effect(h)}"]
                           + ([f"all {len(evidence.checks)} robustness checks share its sign"] if evidence.checks
                              else []))
        return verdict("not supported", "R4",
                       [f"the headline effect is significant against the claim: {describe_effect(h)}"] + flip_text)
    if d == "neutral":
        return verdict("not supported", "R5", [f"the headline effect is not significant: {describe_effect(h)}"])

    reasons = [f"the headline effect is significant for the claim: {describe_effect(h)}"]
    caps = list(flip_text)
    if one_proxy:
        caps.append(one_proxy_text)
    if untested:
        caps.append(untested_text)
    if caps:
        return verdict("partly supported", "R6", reasons + caps)
    return verdict("supported", "R7", reasons + ([f"all {len(evidence.checks)} robustness checks share its sign"]
                                                   if evidence.checks else []))

