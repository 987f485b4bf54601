"""The verdict rubric on made-up effects: every status reachable, the rule named, the record plain JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence import rubric as verdicts
from rotation.evidence.rubric import Abroad, Check, Effect, Evidence, Sample, decide
from rotation.present.findings import answer_box_html, render_findings, scorecard_rows
from rotation.stats.multiple import adjust_pvalues
from rotation.stats.units import Units

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Sample(proxy="ff30_vw", start="1926-07-31", end="2026-02-28", n=1196)


def eff(est, lo, hi, label="effect", **kw):
    return Effect(label=label, estimate=est, units=Units.returns("decimal relative return per month"), ci_lower=lo,
                  ci_upper=hi, nobs=kw.pop("nobs", 100), **kw)


def decide_now(evidence):
    """Decide ``evidence`` by the rubric; a state claim with the same evidence as its "then" (these cases test
    the rules, not the dating)."""
    return decide(evidence, then=evidence if claims.get(evidence.claim_id).is_state else None)


def ev(claim_id, headline, checks=(), kind="association", **kw):
    """Evidence, and the evidence kind a made-up decision for the case declares (see ``decide_as``)."""
    return Evidence(claim_id=claim_id, headline=headline, sample=SAMPLE, method="HAC (12 lags)",
                    checks=tuple(checks), **kw), kind


@pytest.fixture
def decide_as(monkeypatch):
    """Decide a case under a decision that declares exactly the case's checks and evidence kind (the rubric's
    logic, independent of what the real claims declare)."""
    def run(case):
        evidence, kind = case
        real = claims.CLAIMS[evidence.claim_id]
        decision = replace(real.decision, checks=tuple(sorted({c.kind for c in evidence.checks})), evidence=kind,
                           thresholds=evidence.headline.thresholds)
        monkeypatch.setitem(claims.CLAIMS, evidence.claim_id, replace(real, decision=decision))
        return decide_now(evidence)

    return run


# breakout_follow_through: expected +, general, no mechanism named
POS = "breakout_follow_through"
# weaker_dollar: expected -, names a mechanism
NEG_MECH = "weaker_dollar"
# resistance_2000: expected +, not general, no mechanism
NARROW = "resistance_2000"


def both_proxies(sign=1):
    return [Check("proxy", eff(0.01 * sign, 0.001 * sign if sign > 0 else -0.02, 0.02 if sign > 0 else -0.001,
                               label="iwm_spy"))]


@pytest.mark.parametrize(
    "evidence,status,rule",
    [
        pytest.param(ev(POS, eff(0.02, 0.01, 0.03), both_proxies() + [Check("subperiod", eff(0.01, -0.01, 0.03))]),
                     "supported", "R7", id="supported"),
        pytest.param(ev(POS, eff(0.02, 0.01, 0.03), [Check("subperiod", eff(0.01, -0.01, 0.03))]),
                     "partly supported", "R6", id="partly-one-proxy"),
        pytest.param(ev(POS, eff(0.02, 0.01, 0.03), both_proxies() + [Check("subperiod", eff(-0.01, -0.03, 0.01))]),
                     "partly supported", "R6", id="partly-flipped-half"),
        pytest.param(ev(NEG_MECH, eff(-0.3, -0.5, -0.1), [Check("proxy", eff(-0.2, -0.4, 0.0, label="iwm"))]),
                     "partly supported", "R6", id="partly-association-for-a-mechanism"),
        pytest.param(ev(NEG_MECH, eff(-0.3, -0.5, -0.1), [Check("proxy", eff(-0.2, -0.4, -0.01, label="iwm"))],
                        kind="mechanism"),
                     "supported", "R7", id="supported-mechanism-tested"),
        pytest.param(ev(NEG_MECH, eff(-0.3, -0.5, -0.1), [Check("proxy", eff(-0.2, -0.4, 0.01, label="iwm"))],
                        kind="mechanism"),
                     "partly supported", "R6", id="second-proxy-not-significant"),
        pytest.param(ev(POS, eff(0.005, -0.01, 0.02)), "not supported", "R5", id="not-significant"),
        pytest.param(ev(NEG_MECH, eff(0.3, 0.1, 0.5), [Check("proxy", eff(0.2, 0.0, 0.4, label="iwm"))]),
                     "not supported", "R4", id="association-cannot-contradict-a-mechanism"),
        pytest.param(ev(NEG_MECH, eff(0.3, 0.1, 0.5), [Check("proxy", eff(0.2, 0.01, 0.4, label="iwm"))],
                        kind="mechanism"),
                     "contradicted", "R3", id="mechanism-test-against"),
        pytest.param(ev(POS, eff(-0.02, -0.03, -0.01),
                        both_proxies(-1) + [Check("subperiod", eff(-0.01, -0.02, 0.01))]),
                     "contradicted", "R3", id="contradicted"),
        pytest.param(ev(POS, eff(-0.02, -0.03, -0.01), [Check("subperiod", eff(-0.01, -0.02, 0.01))]),
                     "not supported", "R4", id="against-on-one-proxy-only"),
        pytest.param(ev(POS, eff(-0.02, -0.03, -0.01), [Check("subperiod", eff(0.01, -0.01, 0.02))]),
                     "not supported", "R4", id="against-but-unstable"),
        pytest.param(ev(POS, eff(0.02, 0.01, 0.03, nobs=6)), "inconclusive", "R2", id="too-few"),
        pytest.param(ev(POS, Effect(label="x", estimate=0.02, units=Units.returns("decimal"), nobs=50)),
                     "inconclusive", "R2", id="no-interval"),
        pytest.param(ev(NARROW, eff(0.02, 0.01, 0.03)), "supported", "R7", id="narrow-claim-one-proxy-ok"),
    ],
)
def test_every_status_is_reachable(evidence, status, rule, decide_as):
    v = decide_as(evidence)
    assert (v.status, v.rule) == (status, rule), v.reasons
    assert v.reasons


def test_not_testable():
    v = verdicts.not_testable("short_squeeze")
    assert v.status == "not testable" and v.rule == "R1"
    assert "short interest" in v.reasons[0].lower()
    with pytest.raises(ParameterError, match="is testable"):
        verdicts.not_testable("weaker_dollar")


def test_all_statuses_covered_by_the_cases_above():
    assert set(verdicts.STATUSES) == {"supported", "partly supported", "not supported", "contradicted",
                                      "inconclusive", "not testable"}


@pytest.mark.parametrize(
    "value,status", [(0.10, "supported"), (0.5, "not supported"), (0.9, "contradicted")],
)
def test_state_against_thresholds(value, status):
    # underwhelming: expected -1, a percentile <= 1/3 is "for"
    h = Effect(label="1-year relative return percentile", estimate=value, units=Units.share("percentile (0-1)"),
               thresholds=(1 / 3, 2 / 3), nobs=1100)
    other = Effect(label="iwm_spy", estimate=value, units=Units.share("percentile (0-1)"), thresholds=(1 / 3, 2 / 3),
                   nobs=300)
    with pytest.raises(ParameterError, match=r"lacks the declared \['horizon'\] checks"):
        decide_now(ev("underwhelming", h, [Check("proxy", other)])[0])
    v = decide_now(ev("underwhelming", h, [Check("proxy", other), Check("horizon", other)])[0])
    assert v.status == status and v.evidence == "descriptive" and v.decision.thresholds == (1 / 3, 2 / 3)


def test_p_value_overrides_the_interval():
    # an unadjusted interval that excludes 0, but the Holm-adjusted p-value is not significant
    h = eff(0.02, 0.001, 0.04, p_value=0.12)
    assert decide_now(ev(NARROW, h)[0]).status == "not supported"


def test_decide_refuses_evidence_that_does_not_follow_the_declared_decision():
    halves = [Check("subperiod", eff(0.01, -0.01, 0.03, label="first half"))]
    horizons = [Check("horizon", eff(0.01, -0.01, 0.03, label="3 months"))]
    with pytest.raises(ParameterError, match=r"lacks the declared \['horizon'\] checks.*rotation.evidence.claims"):
        decide(ev(POS, eff(0.02, 0.01, 0.03), both_proxies() + halves)[0])
    with pytest.raises(ParameterError, match=r"brings \['control'\] checks its decision does not declare"):
        decide(ev(POS, eff(0.02, 0.01, 0.03), both_proxies() + halves + horizons
                  + [Check("control", eff(0.01, 0.0, 0.02))])[0])
    state = Effect(label="p", estimate=0.2, units=Units.share("percentile"), thresholds=(0.2, 0.8), nobs=500)
    with pytest.raises(ParameterError, match=r"judged against thresholds \(0.2, 0.8\); its decision declares"):
        decide_now(ev("underwhelming", state, [Check("proxy", state), Check("horizon", state)])[0])
    v = decide(ev(POS, eff(0.02, 0.01, 0.03, nobs=7), both_proxies() + halves + horizons)[0])
    assert (v.status, v.rule) == ("inconclusive", "R2") and "fewer than 8" in v.reasons[0]  # the declared min_n
    assert v.to_record()["decision"]["horizon"] == 6 and v.to_record()["decision"]["min_n"] == 8


def test_every_testable_claim_declares_its_decision():
    for c in claims.CLAIMS_LIST:
        if not c.testable:
            continue
        d = c.decision
        assert d.min_n >= 5 and 0 < d.alpha < 1 and d.evidence in ("association", "mechanism", "descriptive")
        if c.general:  # a general claim without a proxy check is capped by the rubric (R4/R6)
            assert d.robustness_proxy, c.id
        if "proxy" in d.checks:
            assert d.robustness_proxy, c.id
    with pytest.raises(ParameterError, match="Decision.checks must be among"):
        claims.Decision(checks=("halves",))


def test_adjust_pvalues_matches_statsmodels():
    p = [0.01, 0.04, 0.03, np.nan, 0.2]
    got = adjust_pvalues(p, "holm")
    ref = multipletests([0.01, 0.04, 0.03, 0.2], method="holm")[1]
    assert np.isnan(got[3])
    np.testing.assert_allclose([got[i] for i in (0, 1, 2, 4)], ref)
    np.testing.assert_allclose(
        [v for v in adjust_pvalues(p, "fdr_bh") if not np.isnan(v)],
        multipletests([0.01, 0.04, 0.03, 0.2], method="fdr_bh")[1])
    with pytest.raises(ParameterError, match="unknown method"):
        adjust_pvalues(p, "nope")


def test_record_is_plain_json_and_findings_render():
    v = decide(ev(POS, eff(0.02, 0.01, 0.03, median=0.015, share_positive=0.7),
                  both_proxies() + [Check("subperiod", eff(0.01, -0.01, 0.03, label="1926-1975")),
                                    Check("horizon", eff(0.01, 0.0, 0.03, label="3 months"))],
                  caveats=("Breakout episodes are few.",))[0])
    rec = v.to_record()
    assert json.loads(json.dumps(rec, allow_nan=False)) == rec
    assert rec["status"] == "supported" and rec["rule_text"] == verdicts.RUBRIC["R7"]
    text = render_findings([v])
    assert "supported" in text and "+2.00%" in text and "95% CI +1.00% to +3.00%" in text
    assert "median +1.50%" in text and "70% positive" in text and "Caveat: Breakout episodes are few." in text


def test_effect_from_a_result_table():
    import pandas as pd

    class R:
        title = "beta"
        units = Units.number("beta")
        table = pd.DataFrame({"estimate": [-0.3], "std_err": [0.1], "t": [-3.0], "p_value": [0.003],
                              "ci_lower": [-0.5], "ci_upper": [-0.1], "nobs": [400]}, index=["dollar"])

    e = Effect.from_result(R(), "dollar")
    assert (e.estimate, e.ci_lower, e.ci_upper, e.p_value, e.nobs) == (-0.3, -0.5, -0.1, 0.003, 400)


def test_bad_inputs_are_named():
    with pytest.raises(ParameterError, match="unknown claim 'weaker_dolar'.*Did you mean: weaker_dollar"):
        ev("weaker_dolar", eff(0.1, 0, 0.2))
    with pytest.raises(ParameterError, match="ci_lower .* above ci_upper"):
        eff(0.1, 0.2, 0.0)


def test_claims_are_unique_and_complete():
    ids = [c.id for c in claims.CLAIMS_LIST]
    assert len(ids) == len(set(ids))
    for c in claims.CLAIMS_LIST:
        assert c.quote and c.hypothesis and c.expected_sign in (1, -1)
        if c.testable:
            assert c.notebook and c.test
        else:
            assert c.why_not and c.notebook is None
    assert {"short_squeeze", "earnings_reports"} <= {c.id for c in claims.CLAIMS_LIST if not c.testable}


def test_the_rubric_is_written_once_in_docs():
    doc = (ROOT / "docs" / "verdicts.md").read_text(encoding="utf-8")
    for rule, text in verdicts.RUBRIC.items():
        assert f"**{rule}.** {text}" in doc, f"docs/verdicts.md does not state rule {rule} as the code does"
    for c in claims.CLAIMS_LIST:
        assert f"`{c.id}`" in doc, f"docs/verdicts.md does not list claim {c.id}"


def test_the_decisions_are_written_in_docs_as_declared():
    doc = (ROOT / "docs" / "verdicts.md").read_text(encoding="utf-8")
    for c in claims.CLAIMS_LIST:
        if not c.testable:
            continue
        d = c.decision
        th = "-" if d.thresholds is None else f"{d.thresholds[0]:.3g} / {d.thresholds[1]:.3g}"
        row = (f"| `{c.id}` | {d.horizon_text() or '-'} | {d.min_n} | {th} | {d.evidence} | "
               f"{', '.join(d.checks) or '-'} | {d.robustness_proxy or '-'} | {d.adjust or '-'} |")
        assert row in doc, f"docs/verdicts.md does not state the decision of {c.id} as declared: {row}"


def test_the_module_docstring_states_the_same_rubric():
    doc = " ".join(verdicts.__doc__.split())
    for rule, text in verdicts.RUBRIC.items():
        assert f"{rule}. {' '.join(text.split())}" in doc, rule


def test_records_render_in_the_answer_box_and_the_scorecard():
    v = decide(ev(NARROW, eff(0.02, 0.01, 0.03))[0], then=ev(NARROW, eff(-0.02, -0.03, -0.01))[0])
    rec = json.loads(json.dumps(v.to_record()))
    html = answer_box_html([rec], data_as_of="2026-02-28")
    assert "Answer" in html and "supported" in html and "2026-02-28" in html and "+2.00%" in html
    rows = scorecard_rows({"01_relative_strength": {f"verdicts.{NARROW}": rec, "other": 1}})
    assert len(rows) == len(claims.CLAIMS_LIST)
    by_id = {r["claim_id"]: r for r in rows}
    assert by_id[NARROW]["status"] == "supported" and by_id[NARROW]["notebook"] == "01_relative_strength"
    assert by_id["short_squeeze"]["status"] == "not testable" and by_id["weaker_dollar"]["status"] == "not run"
    assert answer_box_html([]) == ""


def test_the_answer_box_says_what_decides_and_on_which_sample(decide_as):
    """The headline's label (what decides) and the test's own n, not only dates that may be the return sample's."""
    v = decide_as(ev(POS, eff(0.02, 0.01, 0.03)))
    rec = json.loads(json.dumps(v.to_record()))
    html = answer_box_html([rec])
    assert f"{v.headline.label}: +2.00%" in html
    s = v.sample
    assert f"{s.proxy}, {s.start} to {s.end}, n = {s.n} {s.unit}" in html


@pytest.mark.parametrize("size", [1, 2, 7, 36, 200])
def test_holm_equals_statsmodels_exactly(size):
    rng = np.random.default_rng(size)
    p = rng.uniform(0, 0.3, size)
    p[: size // 3] = p[0]  # ties
    if size > 2:
        p[-1] = 0.9  # adjusted values above 1 are capped
    for method in ("holm", "Holm", "h"):
        got = adjust_pvalues(list(p), method)
        assert got == [float(v) for v in multipletests(p, method="holm")[1]]
    with_nan = np.append(p, np.nan)
    assert adjust_pvalues(with_nan)[:-1] == [float(v) for v in multipletests(p, method="holm")[1]]


def test_an_answer_note_travels_from_the_evidence_to_the_answer_box_and_the_findings(decide_as):
    """An evidence builder's ``answer`` (what the headline alone would not say) is in the record, the Answer box,
    the report's Answer and the findings; without one, none of them changes."""
    from dataclasses import replace

    from rotation.present.report import answer_context

    plain = decide_as(ev(POS, eff(0.02, 0.01, 0.03)))
    assert "answer" not in plain.to_record() and "In short" not in render_findings([plain])
    note = "Since 2008 it is significant in the claim's direction; with controls it vanishes."
    v = decide_as((replace(ev(POS, eff(0.02, 0.01, 0.03))[0], answer=note), "association"))
    rec = json.loads(json.dumps(v.to_record()))
    assert rec["answer"] == note and v.answer == note
    assert "Since 2008 it is significant in the claim&#x27;s direction" in answer_box_html([rec])
    assert f"* In short: {note}" in render_findings([v])
    ctx = answer_context("01_relative_strength", {f"verdicts.{POS}": rec}, data_as_of=None, has_findings=True,
                         failed=False)
    assert ctx["verdicts"][0]["answer"] == note


def _resilience(est, lo, hi):
    """economic_resilience evidence with the checks it declares (proxy, subperiod), all of the headline's sign."""
    s = 1 if est > 0 else -1
    return Evidence(claim_id="economic_resilience", headline=eff(est, lo, hi), sample=SAMPLE, method="HAC",
                    checks=(Check("proxy", eff(0.01 * s, min(0.001 * s, 0.02 * s), max(0.001 * s, 0.02 * s))),
                            Check("subperiod", eff(0.01 * s, -0.01, 0.03) if s > 0 else eff(-0.01, -0.03, 0.01))))


def test_revision_check_compares_the_verdict_with_the_one_revised_data_give():
    """The verdict is decided on the real-time basis; revision-robust: the same declared test on revised data over
    the verdict's sample has the verdict's sign and status. The covered months are compared on both bases beside
    it, and the verdict itself is unchanged."""
    full = _resilience(-0.03, -0.05, -0.01)
    verdict = decide(full, then=full)
    same = verdicts.revision_check(verdict, _resilience(-0.02, -0.04, -0.005), _resilience(-0.025, -0.05, -0.01),
                                   "vintage-covered months 1999-08 to 2024-03",
                                   verdict_revised=_resilience(-0.028, -0.05, -0.006), point_in_time_share=0.4)
    assert same.status == verdict.status and same.headline == verdict.headline
    rec = json.loads(json.dumps(same.to_record()))["revision"]
    assert rec["revision_robust"] == "yes" and rec["verdict_revised_status"] == verdict.status
    assert rec["covered_agree"] and rec["status"] == rec["revised_status"] == verdict.status
    assert rec["headline"]["estimate"] == -0.02 and rec["revised"]["estimate"] == -0.025
    assert rec["verdict_revised"]["estimate"] == -0.028 and rec["point_in_time_share"] == 0.4
    # revised data flip the verdict's sign: not robust, whatever the covered months say
    flipped = verdicts.revision_check(verdict, _resilience(-0.02, -0.04, -0.005), _resilience(-0.025, -0.05, -0.01),
                                      "x", verdict_revised=_resilience(0.01, -0.01, 0.03), point_in_time_share=0.4)
    assert flipped.revision.robust is False and flipped.to_record()["revision"]["revision_robust"] == "no"
    assert flipped.revision.covered_agree
    # revised data give the same verdict while the two bases disagree on the covered months alone: robust, and
    # the disagreement is recorded
    split = verdicts.revision_check(verdict, _resilience(0.01, -0.01, 0.03), _resilience(-0.025, -0.05, -0.01), "x",
                                    verdict_revised=full, point_in_time_share=float("nan"))
    assert split.revision.robust and not split.revision.covered_agree
    assert split.to_record()["revision"]["point_in_time_share"] is None
    md = render_findings([same])
    assert "Revision-robust: yes" in md and "vintage-covered months 1999-08 to 2024-03" in md and "40%" in md
    assert "Revision-robust: no" in render_findings([flipped])
    rows = {r["claim_id"]: r for r in scorecard_rows({"05_economy": {"verdicts.economic_resilience":
                                                                     same.to_record()}})}
    assert rows["economic_resilience"]["revision"] == "revision-robust: yes"
    assert rows["recession_risk"]["revision"] == ""
    with pytest.raises(ParameterError, match="real-time check"):  # a claim that declares none
        verdicts.revision_check(replace(verdict, claim_id="recession_risk"), full, full, "x", verdict_revised=full,
                                point_in_time_share=0.5)


def test_the_claims_resting_on_macro_signals_declare_the_real_time_check():
    declared = {c.id for c in claims.CLAIMS_LIST if c.testable and c.decision.revision}
    assert declared == {"late_cycle", "economic_resilience", "breakout_new_year"}
    with pytest.raises(ParameterError, match="Decision.revision"):
        claims.Decision(revision="maybe")


@pytest.mark.parametrize(("headline", "abroad", "status", "rule"), [
    # significant for the claim; the regions outside the US: 2 of 4 share its sign (half: holds), 1 of 4 (fails)
    ((0.02, 0.01, 0.03), (0.01, 0.02, -0.01, -0.02), "supported", "R7"),
    ((0.02, 0.01, 0.03), (0.01, -0.02, -0.01, -0.02), "partly supported", "R6"),
    # significant against the claim: a failing check keeps it from "contradicted"
    ((-0.02, -0.03, -0.01), (-0.01, -0.02, 0.01, 0.02), "contradicted", "R3"),
    ((-0.02, -0.03, -0.01), (-0.01, 0.02, 0.01, 0.02), "not supported", "R4"),
    # not significant: the check never raises a verdict
    ((0.01, -0.01, 0.03), (0.05, 0.05, 0.05, 0.05), "not supported", "R5"),
])
def test_the_international_check_caps_a_verdict_when_it_fails_and_never_raises_one(monkeypatch, headline, abroad,
                                                                                     status, rule):
    real = claims.CLAIMS[NARROW]
    monkeypatch.setitem(claims.CLAIMS, NARROW, replace(real, decision=replace(
        real.decision, checks=(), evidence="association", thresholds=None, international=True)))
    regions = tuple(eff(x, x - 0.005, x + 0.005, label=f"region {i}: test") for i, x in enumerate(abroad))
    shown = (eff(-0.05, -0.06, -0.04, label="North America: test"),)  # holds the US: never counted
    v = decide_now(ev(NARROW, eff(*headline), international=Abroad("test", regions, shown))[0])
    assert (v.status, v.rule) == (status, rule)
    rec = v.to_record()["international"]
    assert rec["n_regions"] == 4 and len(rec["shown"]) == 1
    if rule in ("R6", "R4"):
        assert any(r.startswith("the international check does not hold: test: same sign in") for r in v.reasons)


def test_an_undeclared_or_missing_international_check_is_refused(monkeypatch):
    real = claims.CLAIMS[NARROW]
    e = eff(0.02, 0.01, 0.03)
    monkeypatch.setitem(claims.CLAIMS, NARROW, replace(real, decision=replace(real.decision, checks=(),
                                                                               thresholds=None)))
    with pytest.raises(ParameterError, match="brings an international check its decision does not declare"):
        decide_now(ev(NARROW, e, international=Abroad("t", (e,)))[0])
    monkeypatch.setitem(claims.CLAIMS, NARROW, replace(real, decision=replace(real.decision, checks=(),
                                                                               thresholds=None, international=True)))
    with pytest.raises(ParameterError, match="lacks the declared international check"):
        decide_now(ev(NARROW, e)[0])
