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
           "scorecard_rows", "revision_line",
           "STATUS_COLOURS", "claim_anchor", "effect_text", "brief_effect_text", "then_now", "dated_text"]

_BADGE = {
    "supported": "✅ supported",
    "partly supported": "🟡 partly supported",
    "not supported": "⚪ not supported",
    "contradicted": "❌ contradicted",
    "inconclusive": "❔ inconclusive",
    "not testable": "➖ not testable",
}



def closed(text: str) -> str:
    """``text`` ending as a sentence: a full stop added unless it already ends with one, ``?`` or ``!``."""
    text = str(text).rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."

#: Terms of a method line a reader may not know, each linked once to the run folder's glossary (glossary.html).
GLOSSARY_TERMS: tuple[str, ...] = ("HAC", "Hodrick 1B", "Holm", "block bootstrap", "bootstrap", "Clark-West",
                                   "out-of-sample R2", "OOS R2", "Brier", "walk-forward", "base rate")


def _glossary_links(text: str) -> str:
    """``text`` (Markdown) with the first mention of each of :data:`GLOSSARY_TERMS` linked to the glossary."""
    import re

    done: set[int] = set()
    for term in GLOSSARY_TERMS:
        m = re.search(rf"(?<![\w\[/-]){re.escape(term)}(?![\w\]])", text)
        if m is None or any(a <= m.start() < b for a, b in _link_spans(text)) or m.start() in done:
            continue
        text = f"{text[:m.start()]}[{m.group(0)}](../glossary.html#Statistics){text[m.end():]}"
        done.add(m.start())
    return text


def _link_spans(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]\([^)]*\)", text)]


def claim_anchor(claim_id: str) -> str:
    """The id of a claim's verdict in its report's findings (the scorecard's rows link to it)."""
    return f"claim-{claim_id}"


def render_findings(verdicts: Sequence[Verdict], *, title: str | None = None, html: bool = False) -> str:
    """Markdown findings for a list of verdicts: one paragraph each, then the rubric line used.

    This is the only place findings text is composed; notebooks and the run page call it. ``html``: for a page
    (a notebook's Markdown output): each verdict gets its anchor (:func:`claim_anchor`, the scorecard links to it)
    and a coloured status badge; without it, plain text with emoji marks.
    """
    lines: list[str] = [f"### {title}", ""] if title else []
    for v in verdicts:
        anchor = f'<a id="{claim_anchor(v.claim_id)}"></a>' if html else ""
        lines.append(f"{anchor}**“{closed(v.quote)}”** {_mark(v.status, html)} (rule {v.rule})")
        lines.append("")
        if v.answer:
            lines.append(f"* In short: {v.answer}")
        if v.headline is not None:
            lines.append(f"* Headline: {v.headline.label}: {describe_effect(v.headline)}.")
        if v.skill is not None:
            lines.append(f"* Out-of-sample skill: {v.skill.label}: {describe_effect(v.skill)}.")
        if v.sample is not None:
            method = _glossary_links(v.method) if html else v.method
            lines.append(f"* Sample: {v.sample.describe()}. Evidence: {v.evidence}. Method: {method}.")
        for r in v.reasons:
            lines.append(f"* {r[0].upper() + r[1:]}.")
        for chk in v.checks:
            lines.append(f"* Check ({chk.kind}): {chk.effect.label}: {describe_effect(chk.effect)}.")
        if v.international is not None:
            lines.append(abroad_line(v))
        for cav in v.caveats:
            lines.append(f"* Caveat: {cav}")
        if v.then is not None:
            lines.extend(_then_lines(v, html))
        if v.revision is not None:
            lines.append(revision_line(v.revision.to_record()))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def abroad_line(v: Verdict) -> str:
    """``"* Check (international): <test>: same sign in 3 of 4 regions outside the US ...: Europe +1.34% (...)"``."""
    a, rec = v.international, v.international_record()
    if a is None or rec is None:
        return ""
    each = "; ".join(f"{e.label.split(':')[0]} {describe_effect(e)}" for e in a.counted)
    shown = "; ".join(f"{e.label.split(':')[0]} {describe_effect(e)}" for e in a.shown)
    return (f"* Check (international): {a.test}: {rec['summary']}"
            f" ({'holds' if rec['holds'] else 'does not hold'}): {each}."
            + (f" Shown, not counted (they hold the US): {shown}." if shown else ""))


def revision_line(rec: dict[str, Any] | None) -> str:
    """``"* Revision-robust: yes: ..."`` for a verdict's real-time check record (``Verdict.revision``); "" without."""
    if not rec:
        return ""

    def eff(key: str) -> str:
        return effect_text(rec[key]) if rec.get(key) else "no estimate"

    share = rec.get("point_in_time_share")
    pit = f"{share:.0%} of its months truly point-in-time" if share is not None else "coverage unknown"
    same = "revised data give the same verdict" if rec["robust"] else "revised data would change the verdict"
    return (f"* Revision-robust: {rec['revision_robust']}: {same}. Decided on the real-time basis where vintages "
            f"exist ({pit}, release-timed latest values elsewhere); the declared test on revised data (release-timed, "
            f"latest vintage), same months: {eff('verdict_revised')}, {rec.get('verdict_revised_status', '')}. "
            f"On the {rec['basis']} alone: on the real-time basis {eff('headline')}, {rec['status']}; revised "
            f"{eff('revised')}, {rec.get('revised_status', '')}.")


def _mark(status: str, html: bool) -> str:
    return _badge_html(status, STATUS_COLOURS.get(status, "#444")) if html else _BADGE[status]


def _then_lines(v: Verdict, html: bool = False) -> list[str]:
    """The "then" verdict of a state claim, under its "now" verdict."""
    t = v.then
    assert t is not None
    tv = t.verdict
    now = f" Now ({v.sample.end}): {_mark(v.status, html)}." if v.sample is not None else ""
    lines = [f"* **Then ({t.as_of}): {_mark(tv.status, html)}** (rule {tv.rule}).{now} The claim is about the state "
             f"when the commentary was written; then means {t.meaning}."]
    if tv.headline is not None:
        lines.append(f"  * Then, headline: {tv.headline.label}: {describe_effect(tv.headline)}.")
    if tv.sample is not None:
        lines.append(f"  * Then, sample: {tv.sample.describe()}.")
    lines.extend(f"  * Then: {r[0].upper() + r[1:]}." for r in tv.reasons)
    return lines


STATUS_COLOURS = {
    "supported": "#1b7837", "partly supported": "#b8860b", "not supported": "#6b6b6b",
    "contradicted": "#b2182b", "inconclusive": "#4d4d9f", "not testable": "#7a5c3e",
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


def then_now(rec: dict[str, Any]) -> dict[str, Any] | None:
    """A state claim's two verdicts for display, from its record: ``None`` for a pattern claim (no ``then``).

    Keys: ``then_as_of``, ``then_status``, ``then_colour``, ``then_effect``, ``then_sample``, ``then_rule``
    (the scorecard's short forms), ``then_answer_effect``, ``then_answer_sample`` (the Answer box's: what decides
    and the test's own n), ``now_as_of``: ``"latest data"`` (the "now" sample's own last date can be years
    earlier, e.g. the last complete forward window, so it is not the date of the reading; the sample says it).
    """
    t = rec.get("then")
    if not isinstance(t, dict):
        return None
    ts = t.get("sample") or {}
    reasons = "; ".join(t.get("reasons") or [])
    return {"then_as_of": t.get("as_of", ""), "then_status": t.get("status", ""),
            "then_colour": STATUS_COLOURS.get(t.get("status", ""), "#444"), "then_rule": t.get("rule", ""),
            "then_effect": effect_text(t.get("headline")) if t.get("headline") else reasons,
            "then_sample": f"{ts.get('proxy', '')}, {ts.get('start', '')} to {ts.get('end', '')}" if ts else "",
            "then_answer_effect": answer_effect(t) if t.get("headline") else reasons,
            "then_answer_sample": answer_sample(t),
            "now_as_of": "latest data"}


def dated_text(rec: dict[str, Any]) -> str:
    """``"then (2023-11-30): supported · now (latest data): not supported"`` for a state claim; its status else."""
    tn = then_now(rec)
    if tn is None:
        return str(rec.get("status", ""))
    return (f"then ({tn['then_as_of']}): {tn['then_status']} · now ({tn['now_as_of']}): "
            f"{rec.get('status', '')}")


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


def _badge_html(status: str, colour: str) -> str:
    return f"<span class='rot-status' style='background:{colour}'>{_esc(status)}</span>"


def _when_html(label: str, date: str, status: str, colour: str, effect: str, sample: str, rule: str) -> str:
    """One line of a state claim's then/now pair (as ``macros.html.j2``'s ``when`` renders it)."""
    return (f"<div class='rot-when'><span class='rot-when-label'>{_esc(label)} ({_esc(date)})</span> "
            f"{_badge_html(status, colour)}" + (f" <span class='rot-effect'>{_esc(effect)}</span>" if effect else "")
            + (f" <span class='rot-sample'>&middot; {_esc(sample)}</span>" if sample else "")
            + (f" <span class='rot-rule'>(rule {_esc(rule)})</span>" if rule else "") + "</div>")


def answer_box_html(records: Sequence[dict[str, Any]], *, data_as_of: str | None = None) -> str:
    """The answer box at the top of a report: one line per verdict (status, what decides it and its effect, the
    test's own sample with its n); a state claim's verdict then (at the commentary's date) above its verdict now."""
    if not records:
        return ""
    rows = []
    for r in records:
        colour = STATUS_COLOURS.get(r["status"], "#444")
        where = answer_sample(r)
        note = f"<br><span class='rot-note'>{_esc(r['answer'])}</span>" if r.get("answer") else ""
        sample = f" <span class='rot-sample'>&middot; {_esc(where)}</span>" if where else ""
        tn = then_now(r)
        if tn is not None:
            rows.append(
                f"<li class='rot-dated'><b>{_esc(closed(r['quote']))}</b> "
                + _when_html("then", tn["then_as_of"], tn["then_status"], tn["then_colour"], tn["then_answer_effect"],
                             tn["then_answer_sample"], tn["then_rule"]) + "\n"
                + _when_html("now", tn["now_as_of"], r["status"], colour, answer_effect(r), where,
                             r.get("rule", "")) + f"{note}</li>")
            continue
        rows.append(
            f"<li>{_badge_html(r['status'], colour)} "
            f"<b>{_esc(closed(r['quote']))}</b> <span class='rot-effect'>{_esc(answer_effect(r))}</span>"
            f"{sample} "
            f"<span class='rot-rule'>(rule {_esc(r.get('rule', ''))})</span>"
            f"{note}</li>"
        )
    asof = f"<p class='rot-asof'>Data as of {_esc(data_as_of)}.</p>" if data_as_of else ""
    dated = ("; a claim about the state of things when the commentary was written is decided <i>then</i>, on the "
             "data published by its date, and <i>now</i>" if any(then_now(r) for r in records) else "")
    return ("<div class='rot-answer'><h2>Answer</h2><ul>" + "".join(rows) + "</ul>" + asof
            + "<p class='rot-how'>Statuses follow one rubric (<a href='../verdicts.html'>how verdicts are decided</a>, "
              f"terms in the\n<a href='../glossary.html'>glossary</a>){dated}; details in the findings at "
              "the end.</p></div>")


def scorecard_rows(results_by_notebook: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """One row per claim for the run page: claim, status, effect, sample, notebook, rule, and ``dated``: a state
    claim's verdict then and the date now (:func:`then_now`), None for a pattern claim.

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
                         "units": (Effect.from_record(r["headline"]).units.brief() if r.get("headline") else ""),
                         "sample": f"{s.get('proxy', '')}, {s.get('start', '')} to {s.get('end', '')}" if s else "",
                         "notebook": nb, "dated": then_now(r),
                         "revision": (f"revision-robust: {r['revision']['revision_robust']}"
                                      if r.get("revision") else ""),
                         "abroad": (f"abroad: {r['international']['summary']}"
                                    if r.get("international") else "")})
        else:
            rows.append({"claim_id": c.id, "claim": c.quote,
                         "status": "not testable" if not c.testable else "not run",
                         "rule": "R1" if not c.testable else "", "effect": "", "sample": "",
                         "notebook": c.notebook or "", "dated": None, "revision": "", "abroad": ""})
    return rows
