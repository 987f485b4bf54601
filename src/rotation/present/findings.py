"""Findings, Answer boxes and scorecard rows, rendered from verdicts and verdict records.

The only place findings text is composed: notebooks (through :func:`rotation.notebook.publish`),
reports and the run page call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rotation.evidence import claims as _claims
from rotation.evidence.rubric import Effect, Verdict, describe_effect

__all__ = ["render_findings", "records_from_results", "answer_box_html", "answer_effect", "answer_sample",
           "scorecard_rows", "STATUS_COLOURS", "effect_text", "brief_effect_text"]

_BADGE = {
    "supported": "✅ supported",
    "partly supported": "🟡 partly supported",
    "not supported": "⚪ not supported",
    "contradicted": "❌ contradicted",
    "inconclusive": "❔ inconclusive",
    "not testable": "➖ not testable",
}


def render_findings(verdicts: Sequence[Verdict], *, title: str | None = None) -> str:
    """Markdown findings for a list of verdicts: one paragraph each, then the rubric line used.

    This is the only place findings text is composed; notebooks and the run page call it.
    """
    lines: list[str] = [f"### {title}", ""] if title else []
    for v in verdicts:
        lines.append(f"**“{v.quote}.”** {_BADGE[v.status]} (rule {v.rule})")
        lines.append("")
        if v.headline is not None:
            lines.append(f"* Headline: {v.headline.label}: {describe_effect(v.headline)}.")
        if v.sample is not None:
            lines.append(f"* Sample: {v.sample.describe()}. Evidence: {v.evidence}. Method: {v.method}.")
        for r in v.reasons:
            lines.append(f"* {r[0].upper() + r[1:]}.")
        for chk in v.checks:
            lines.append(f"* Check ({chk.kind}): {chk.effect.label}: {describe_effect(chk.effect)}.")
        for cav in v.caveats:
            lines.append(f"* Caveat: {cav}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


STATUS_COLOURS = {
    "supported": "#1b7837", "partly supported": "#b8860b", "not supported": "#6b6b6b",
    "contradicted": "#b2182b", "inconclusive": "#4d4d9f", "not testable": "#8c8c8c",
}


def _esc(x: object) -> str:
    import html

    return html.escape(str(x), quote=True)


def effect_text(rec: dict[str, Any] | None) -> str:
    """A recorded headline effect in words: ``"+1.20% (95% CI -0.40% to +3.00%; n = 27)"``; "n/a" without one."""
    if not rec or rec.get("estimate") is None:
        return "n/a"
    return describe_effect(Effect.from_record(rec))


def brief_effect_text(rec: dict[str, Any] | None) -> str:
    """A recorded headline effect, short: ``"+1.20% [-0.40%, +3.00%]"``; "n/a" without an estimate."""
    if not rec or rec.get("estimate") is None:
        return "n/a"
    units = Effect.from_record(rec).units
    text = units.format(rec["estimate"])
    if rec.get("ci_lower") is not None and rec.get("ci_upper") is not None:
        text += f" [{units.format(rec['ci_lower'])}, {units.format(rec['ci_upper'])}]"
    return text


def records_from_results(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The verdict records in a notebook's results (keys ``verdicts.<claim_id>``), in claim order."""
    recs = [v for k, v in values.items() if k.startswith("verdicts.") and isinstance(v, dict) and "status" in v]
    order = {cid: i for i, cid in enumerate(_claims.ids())}
    return sorted(recs, key=lambda r: order.get(r.get("claim_id"), len(order)))


def answer_effect(rec: dict[str, Any]) -> str:
    """What decides a recorded verdict and its effect: ``"<headline label>: +1.20% (95% CI ...)"``."""
    head = rec.get("headline") or {}
    label = head.get("label")
    return f"{label}: {effect_text(head)}" if label else effect_text(head)


def answer_sample(rec: dict[str, Any]) -> str:
    """A recorded verdict's own sample: ``"ff30_vw, 1976-06-30 to 2025-08-31, n = 591 months"``; "" without one."""
    s = rec.get("sample") or {}
    if not s:
        return ""
    n = f", n = {s['n']} {s.get('unit', '')}".rstrip() if s.get("n") is not None else ""
    return f"{s.get('proxy', '')}, {s.get('start', '')} to {s.get('end', '')}{n}"


def answer_box_html(records: Sequence[dict[str, Any]], *, data_as_of: str | None = None) -> str:
    """The answer box at the top of a report: one line per verdict (status, what decides it and its effect, the
    test's own sample with its n)."""
    if not records:
        return ""
    rows = []
    for r in records:
        colour = STATUS_COLOURS.get(r["status"], "#444")
        where = _esc(answer_sample(r))
        rows.append(
            f"<li><span class='rot-status' style='background:{colour}'>{_esc(r['status'])}</span> "
            f"<b>{_esc(r['quote'])}.</b> {_esc(answer_effect(r))}"
            f"{' &middot; ' + where if where else ''} "
            f"<span class='rot-rule'>(rule {_esc(r.get('rule', ''))})</span></li>"
        )
    asof = f"<p class='rot-asof'>Data as of {_esc(data_as_of)}.</p>" if data_as_of else ""
    return ("<div class='rot-answer'><h2>Answer</h2><ul>" + "".join(rows) + "</ul>" + asof
            + "<p class='rot-how'>Statuses follow one rubric (docs/verdicts.md); details in the findings at the "
              "end.</p></div>")


def scorecard_rows(results_by_notebook: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """One row per claim for the run page: claim, status, effect, sample, notebook, rule.

    ``results_by_notebook`` maps a notebook stem to its results (``verdicts.<id>`` records). Claims that
    no notebook of the run decided are listed with status "not run" (not-testable claims as such).
    """
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for nb, values in results_by_notebook.items():
        for rec in records_from_results(values or {}):
            found.setdefault(rec["claim_id"], (nb, rec))
    rows = []
    for c in _claims.CLAIMS_LIST:
        if c.id in found:
            nb, r = found[c.id]
            s = r.get("sample") or {}
            rows.append({"claim_id": c.id, "claim": c.quote, "status": r["status"], "rule": r.get("rule", ""),
                         "effect": effect_text(r.get("headline")),
                         "sample": f"{s.get('proxy', '')}, {s.get('start', '')} to {s.get('end', '')}" if s else "",
                         "notebook": nb})
        else:
            rows.append({"claim_id": c.id, "claim": c.quote,
                         "status": "not testable" if not c.testable else "not run",
                         "rule": "R1" if not c.testable else "", "effect": "", "sample": "",
                         "notebook": c.notebook or ""})
    return rows
