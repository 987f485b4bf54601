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
R2. inconclusive: the headline effect has fewer than ``min_n`` independent observations, or no
    interval where one is needed.
R3. contradicted: the headline effect is significant against the claim, every robustness check
    (sub-periods, proxies, controls) has the same sign as it, a declared international check has its
    sign in at least half of the regions outside the US, a claim about small caps in general is
    significant in the same direction on a second proxy, and the evidence covers what the claim names.
R4. not supported: the headline effect is significant against the claim but a robustness check has the
    other sign, or a declared international check has its sign in fewer than half of the regions outside
    the US, or a claim about small caps in general is not significant in the same direction on a second
    proxy, or the claim names a mechanism and the evidence is only an association (which can neither
    confirm nor refute a channel).
R5. not supported: the headline effect is not significant (its interval includes the null, or its
    threshold is not reached), or, for a claim decided by a forecast, the forecast's out-of-sample skill
    interval does not lie above zero (the signals add no skill: the answer is the base rate).
R6. partly supported: the headline effect is significant for the claim, but a robustness check has the
    other sign, or a declared international check has its sign in fewer than half of the regions outside
    the US, or a claim about small caps in general is not significant in the same direction on a second
    proxy, or the claim names a mechanism and the evidence is only an association.
R7. supported: the headline effect is significant for the claim, every robustness check has the same
    sign, a declared international check has its sign in at least half of the regions outside the US, a
    claim about small caps in general is significant in the same direction on a second proxy, and the
    evidence covers what the claim names.

*Significant* means: the interval excludes the null value (0 unless stated), or, when the
headline carries a p-value adjusted for the several tests that decide the claim
(:func:`adjust_pvalues`, Holm by default), that adjusted p-value is below ``alpha``. For a
*state* (a percentile or a rate against a threshold instead of an interval) the effect is
"for" the claim beyond its threshold in the claimed direction, "against" beyond the opposite
threshold, and not significant in between.

Claims about a state are dated
------------------------------
A claim about how things stood when the commentary was written (``Claim.dated``: small caps
underwhelming, the valuation discount...) is decided twice: *then*, on the data published by
:data:`~rotation.evidence.claims.COMMENTARY_DATE`, and *now*, on all the data. ``decide(now, then=...)``
returns the "now" verdict with the "then" verdict nested (:class:`Then`); it refuses a state claim
without its ``then`` evidence and a pattern claim (undated) with one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from rotation.errors import ParameterError
from rotation.evidence import claims as _claims
from rotation.evidence.effects import Abroad, Check, Effect, Evidence, Sample, describe_effect

__all__ = [
    "STATUSES",
    "RUBRIC",
    "Effect",
    "Check",
    "Abroad",
    "Sample",
    "Evidence",
    "Verdict",
    "decide",
    "Revision",
    "revision_check",
    "check_declared",
    "not_testable",
    "describe_effect",
    "Then",
    "undecided_then",
]

Status = Literal["supported", "partly supported", "not supported", "contradicted", "inconclusive", "not testable"]
STATUSES: tuple[str, ...] = ("supported", "partly supported", "not supported", "contradicted", "inconclusive",
                             "not testable")

RUBRIC: dict[str, str] = {
    "R1": (
        "not testable: the claim cannot be tested with free data (the claim says why)."
    ),
    "R2": (
        "inconclusive: the headline effect has fewer than ``min_n`` independent observations, or no interval "
        "where one is needed."
    ),
    "R3": (
        "contradicted: the headline effect is significant against the claim, every robustness check (sub-periods, "
        "proxies, controls) has the same sign as it, a declared international check has its sign in at least half of "
        "the regions outside the US, a claim about small caps in general is significant in the same direction on a "
        "second proxy, and the evidence covers what the claim names."
    ),
    "R4": (
        "not supported: the headline effect is significant against the claim but a robustness check has the other "
        "sign, or a declared international check has its sign in fewer than half of the regions outside the US, or a "
        "claim about small caps in general is not significant in the same direction on a second proxy, or the claim "
        "names a mechanism and the evidence is only an association (which can neither confirm nor refute a channel)."
    ),
    "R5": (
        "not supported: the headline effect is not significant (its interval includes the null, or its "
        "threshold is not reached), or, for a claim decided by a forecast, the forecast's out-of-sample skill "
        "interval does not lie above zero (the signals add no skill: the answer is the base rate)."
    ),
    "R6": (
        "partly supported: the headline effect is significant for the claim, but a robustness check has the other "
        "sign, or a declared international check has its sign in fewer than half of the regions outside the US, or a "
        "claim about small caps in general is not significant in the same direction on a second proxy, or the claim "
        "names a mechanism and the evidence is only an association."
    ),
    "R7": (
        "supported: the headline effect is significant for the claim, every robustness check has the same sign, a "
        "declared international check has its sign in at least half of the regions outside the US, a claim about "
        "small caps in general is significant in the same direction on a second proxy, and the evidence covers what "
        "the claim names."
    ),
}


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
    answer: str = ""
    then: Then | None = None
    revision: Revision | None = None
    skill: Effect | None = None
    international: Abroad | None = None

    def to_record(self) -> dict[str, Any]:
        """Plain JSON-able dict (recorded as ``verdicts.<claim_id>``); ``answer`` only when there is one, a state
        claim's with its ``then`` record."""
        rec = {
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
        if self.answer:
            rec["answer"] = self.answer
        if self.then is not None:
            rec["then"] = self.then.to_record()
        if self.revision is not None:
            rec["revision"] = self.revision.to_record()
        if self.skill is not None:
            rec["skill"] = self.skill.to_record()
        if self.international is not None:
            rec["international"] = self.international_record()
        return rec

    def international_record(self) -> dict[str, Any] | None:
        """The international check's record, judged against the headline's sign (the claim's without a headline)."""
        if self.international is None:
            return None
        c = _claims.get(self.claim_id)
        sign = (self.headline.sign() if self.headline is not None else 0) or c.expected_sign
        alpha = self.decision.alpha if self.decision is not None else 0.05
        return self.international.to_record(sign, c.expected_sign, alpha)


@dataclass(frozen=True)
class Revision:
    """The real-time check of a verdict that rests on a macro signal (``Decision.revision``).

    The verdict is decided with its macro signals on the real-time basis where vintages cover the month
    (release-timed latest values elsewhere). ``verdict_revised``/``verdict_revised_status``: the same declared
    test on release-timed (latest vintage) values over the verdict's whole sample, i.e. the verdict revised data
    would give; ``robust``: it has the verdict's status and sign (the verdict does not change with the
    revisions). ``point_in_time_share``: the share of the verdict's months whose signals are truly point-in-time.
    On the vintage-covered months alone (``basis``): ``headline``/``sample``/``status`` the test on the real-time
    basis, ``revised``/``revised_status`` on release-timed values; ``covered_agree``: the two have the same sign
    and status (only the revisions differ between them).
    """

    basis: str
    headline: Effect | None
    sample: Sample | None
    status: str
    revised: Effect | None
    revised_status: str
    robust: bool
    covered_agree: bool
    verdict_revised: Effect | None = None
    verdict_revised_status: str = ""
    point_in_time_share: float = float("nan")

    def to_record(self) -> dict[str, Any]:
        return {"basis": self.basis, "headline": self.headline.to_record() if self.headline else None,
                "sample": asdict(self.sample) if self.sample else None, "status": self.status,
                "revised": self.revised.to_record() if self.revised else None,
                "revised_status": self.revised_status, "robust": bool(self.robust),
                "revision_robust": "yes" if self.robust else "no", "covered_agree": bool(self.covered_agree),
                "verdict_revised": self.verdict_revised.to_record() if self.verdict_revised else None,
                "verdict_revised_status": self.verdict_revised_status,
                "point_in_time_share": (None if not math.isfinite(self.point_in_time_share)
                                        else float(self.point_in_time_share))}


def _estimate(v: Verdict) -> float:
    return float(v.headline.estimate) if v.headline is not None else float("nan")


def _same(a: Verdict, b: Verdict) -> bool:
    x, y = _estimate(a), _estimate(b)
    return math.isfinite(x) and math.isfinite(y) and (x > 0) == (y > 0) and a.status == b.status


def revision_check(verdict: Verdict, real_time: Evidence, revised: Evidence, basis: str, *,
                   verdict_revised: Evidence, point_in_time_share: float) -> Verdict:
    """``verdict`` (decided on the real-time basis where vintages exist) with its check against revised data.

    ``verdict_revised`` is the declared test over the verdict's sample on release-timed (latest vintage) values:
    the verdict is *revision-robust* when it gives the verdict's status with the same sign. ``real_time`` and
    ``revised`` are the same test on the months the vintages cover only, on the two bases (``basis`` says which
    months). All three are decided by the same rubric; the verdict itself is unchanged.
    """
    c = _claims.get(verdict.claim_id)
    ids = {real_time.claim_id, revised.claim_id, verdict_revised.claim_id}
    if c.decision.revision is None or ids != {verdict.claim_id}:
        raise ParameterError(f"{verdict.claim_id!r} declares no real-time check (Decision.revision), or the "
                             "evidence is for another claim")
    then = undecided_then(c.id, "not computed for the real-time check") if c.is_state else None
    rt, rev, full = (decide(e, then=then) for e in (real_time, revised, verdict_revised))
    return replace(verdict, revision=Revision(basis, rt.headline, rt.sample, rt.status, rev.headline, rev.status,
                                              _same(verdict, full), _same(rt, rev), full.headline, full.status,
                                              float(point_in_time_share)))


@dataclass(frozen=True)
class Then:
    """A state claim's verdict *then*: decided by the same rubric on the data published by ``as_of``.

    Attributes
    ----------
    as_of : str
        :data:`rotation.evidence.claims.COMMENTARY_DATE`.
    verdict : Verdict
        The verdict on the data published by ``as_of`` (its sample says which data: last date and n).
    meaning : str
        What "then" means for the claim (``Claim.dated``).
    """

    as_of: str
    verdict: Verdict
    meaning: str

    def to_record(self) -> dict[str, Any]:
        rec = self.verdict.to_record()
        rec.pop("decision", None)
        rec.pop("quote", None)
        return {"as_of": self.as_of, "meaning": self.meaning, **rec}


def undecided_then(claim_id: str, reason: str) -> Then:
    """The ``then`` of a state claim whose study cannot run on the data published by the commentary's date
    (a sample that starts after it, too few months): inconclusive (rule R2), saying why."""
    c = _claims.get(claim_id)
    v = Verdict(claim_id=c.id, quote=c.quote, notebook=c.notebook, status="inconclusive", rule="R2",
                reasons=(reason,), headline=None, sample=None, method="", evidence=c.decision.evidence)
    return Then(as_of=_claims.COMMENTARY_DATE, verdict=v, meaning=c.dated)



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
    if (evidence.skill is None) != (decision.skill is None):
        raise ParameterError(
            f"evidence for {evidence.claim_id!r} " + ("lacks the declared out-of-sample skill (Evidence.skill)"
                                                      if evidence.skill is None else
                                                      "brings an out-of-sample skill its decision does not declare")
            + f": the skill gate is declared in {where} (Decision.skill)")
    if (evidence.international is None) == decision.international:
        raise ParameterError(
            f"evidence for {evidence.claim_id!r} " + ("lacks the declared international check (Evidence.international)"
                                                      if decision.international else
                                                      "brings an international check its decision does not declare")
            + f": declared in {where} (Decision.international)")
    h = evidence.headline
    if h.thresholds is not None and h.thresholds != decision.thresholds:
        raise ParameterError(
            f"the headline of {evidence.claim_id!r} is judged against thresholds {h.thresholds}; its decision "
            f"declares {decision.thresholds} ({where})")


def decide(evidence: Evidence, *, then: Evidence | Then | None = None) -> Verdict:
    """Apply the rubric (module docstring, :data:`RUBRIC`) to ``evidence``, with the claim's decision.

    A state claim (``Claim.dated``) is decided twice: ``evidence`` is the evidence now (all the data),
    ``then`` the same study on the data published by the commentary's date (or an :func:`undecided_then`);
    the returned verdict is the one now, with the one then nested (:class:`Then`).

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
        The evidence does not follow the decision (a check missing or not declared, other thresholds); a
        state claim without ``then``, a pattern claim with one, or ``then`` evidence for another claim.
    """
    c = _claims.get(evidence.claim_id)
    if c.is_state and then is None:
        raise ParameterError(
            f"{c.id!r} is a claim about the state at the commentary's date ({_claims.COMMENTARY_DATE}): decide it "
            f"then and now, decide(now_evidence, then=<the same study on the data published by then>) "
            f"(what 'then' means for it: {c.dated})")
    if not c.is_state and then is not None:
        raise ParameterError(
            f"{c.id!r} is a pattern claim (undated, rotation.evidence.claims): it has no 'then' verdict; "
            "decide(evidence) without then=")
    now = _decide(evidence)
    if then is None:
        return now
    if isinstance(then, Evidence):
        if then.claim_id != c.id:
            raise ParameterError(f"the 'then' evidence is for {then.claim_id!r}, not {c.id!r}")
        then = Then(as_of=_claims.COMMENTARY_DATE, verdict=_decide(then), meaning=c.dated)
    if not isinstance(then, Then) or then.verdict.claim_id != c.id:
        raise ParameterError(f"then must be Evidence or a Then for {c.id!r}; got {then!r:.80}")
    return replace(now, then=then)


def _decide(evidence: Evidence) -> Verdict:
    """The rubric on one body of evidence (:func:`decide` without the then/now rule)."""
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
                       decision=decision, answer=evidence.answer, skill=evidence.skill,
                       international=evidence.international)

    n = h.nobs if h.nobs is not None else evidence.sample.n
    if n < decision.min_n or not math.isfinite(h.estimate):
        return verdict("inconclusive", "R2", [f"only {n} independent observations (fewer than {decision.min_n})"])
    if h.thresholds is None and not h.has_interval and h.p_value is None:
        return verdict("inconclusive", "R2", ["the headline effect has no interval or p-value"])
    sk = evidence.skill
    if sk is not None and not (sk.has_interval and math.isfinite(sk.estimate)):
        return verdict("inconclusive", "R2", ["the forecast's out-of-sample skill has no interval (too few "
                                              "forecasts scored)"])
    if sk is not None and not sk.ci_lower > sk.null:  # type: ignore[operator]
        return verdict("not supported", "R5", [
            f"the signals add no out-of-sample skill over the base rate (Brier skill {describe_effect(sk)}): the "
            "answer is the base rate", f"the signals' forecast minus the base rate does not count without skill: "
                                       f"{describe_effect(h)}"])

    d = h.direction(sign, decision.alpha)
    hs = h.sign()
    flipped = [chk for chk in evidence.checks if chk.effect.sign() != hs]
    holds_text: list[str] = []
    flip_text = [f"{chk.kind} check '{chk.effect.label}' has the other sign ({describe_effect(chk.effect)})"
                 for chk in flipped]
    abroad = evidence.international
    abroad_fails = abroad is not None and not abroad.holds(hs)
    if abroad is not None:  # counted like a robustness check: it caps a verdict when it fails, never raises one
        (flip_text if abroad_fails else holds_text).append(
            f"the international check {'does not hold' if abroad_fails else 'holds'}: {abroad.test}: "
            f"{abroad.summary(hs, sign, decision.alpha)}")
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
        if not flipped and not abroad_fails:
            return verdict("contradicted", "R3",
                           [f"the headline effect is significant against the claim: {describe_effect(h)}"]
                           + ([f"all {len(evidence.checks)} robustness checks share its sign"] if evidence.checks
                              else []) + holds_text)
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
        return verdict("partly supported", "R6", reasons + caps + holds_text)
    return verdict("supported", "R7", reasons + ([f"all {len(evidence.checks)} robustness checks share its sign"]
                                                   if evidence.checks else []) + holds_text)

