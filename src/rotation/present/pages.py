"""The run page (``index.html``) and a grid's robustness page (``robustness.html``), rendered from data.

The run page opens with the question's answer when the run has it (notebook 08's ``forecast``: the forecast date,
the window, each outcome's probability beside its base rate, the out-of-sample skill, one sentence, the
commentary's own forecast scored, and each input's last reading with stale ones flagged); then a claim scorecard
(the question's row first, then one row per claim of
:data:`rotation.evidence.claims.CLAIMS_LIST`, from :func:`rotation.present.findings.scorecard_rows`)
linking each decided claim to the findings of the report that decides it, then one section per notebook:
question, headline answer, status, time, data as of, files, parameters (folded) and, for a failed
notebook, the failing cell and its error. The run of one combination of a robustness grid is told so
(:class:`GridInfo`): a note under the scorecard's heading links to the grid's robustness page, and each
claim whose verdict depends on the proxy is flagged on its row.

The robustness page shows claims x combinations (verdict badge coloured as on the scorecard, headline
effect [interval] from :func:`rotation.present.findings.brief_effect_text`), a consistency label per
claim (:mod:`rotation.evidence.consistency`) with its legend, then the combinations.

Each page is one template (``templates/run_page.html.j2``, ``templates/robustness.html.j2``) rendered
whole from the plain data :func:`run_page_context` and :func:`robustness_context` build; to show a
page differently, render it again from its data -- a written page is never edited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rotation.evidence import claims as _claims
from rotation.present import findings
from rotation.present.reader import slugify
from rotation.present.report import FINDINGS_ANCHOR
from rotation.present.report_tables import NA_TEXT
from rotation.present.templating import json_value, render
from rotation.studies.forecast import OUTCOMES

__all__ = ["QUESTION", "GridInfo", "run_page_context", "render_run_page", "robustness_context",
           "render_robustness_page", "CONSISTENCY_COLOURS"]

CONSISTENCY_COLOURS = {
    "same verdict everywhere": "#1b7837", "sign stable, significance varies": "#b8860b", "flips": "#b2182b",
    "verdict varies": "#6b6b6b", "one combination only": "#8c8c8c", "not run": "#8c8c8c",
}
"""Badge colour of each consistency label (:data:`rotation.evidence.consistency.CONSISTENCY`)."""

_GREY = "#8c8c8c"


@dataclass(frozen=True)
class GridInfo:
    """What a run page of one grid combination says about its grid.

    ``robustness_href`` links the grid's robustness page (relative to the run folder), ``parameters``
    are the combination's values, ``depends_on_proxy`` maps a claim id to how its verdict changes with the
    proxy in this grid (:func:`rotation.evidence.consistency.depends_on_proxy`).
    """

    robustness_href: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    depends_on_proxy: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- run page


def _report_link(nb: Mapping[str, Any]) -> str | None:
    files = nb.get("files") or {}
    link = files.get("html") if isinstance(files, Mapping) else None
    return str(link) if link else None


def _scorecard_row(row: Mapping[str, Any], nb: Mapping[str, Any] | None, depends_on_proxy: str) -> dict[str, Any]:
    """One scorecard row; a claim whose notebook ran but recorded no verdict says why."""
    link = _report_link(nb) if nb else None
    decided = row["status"] != "not run" and nb is not None
    status = row["status"]
    if status == "not run" and nb is not None:
        status = "notebook failed" if nb.get("status") != "ok" else "no verdict recorded"
    return {"claim_id": row["claim_id"], "claim": row["claim"], "status": status,
            "colour": findings.STATUS_COLOURS.get(status, _GREY), "effect": row["effect"] or "",
            "units": row.get("units", "") if decided else "",
            "sample": row["sample"] or "", "notebook": row["notebook"] or "",
            "href": f"{link}#{findings.claim_anchor(row['claim_id'])}" if link and decided else None,
            "depends_on_proxy": depends_on_proxy,
            "dated": row.get("dated") if decided else None, "revision": row.get("revision", "") if decided else "",
            "abroad": row.get("abroad", "") if decided else ""}


def _error(err: Mapping[str, Any]) -> dict[str, str]:
    where = f"cell {err.get('cell_index')}" if err.get("cell_index") is not None else "an unknown cell"
    if err.get("exec_count") is not None:
        where += f" (In [{err.get('exec_count')}])"
    return {"where": where, "ename": str(err.get("ename", "Error")), "evalue": str(err.get("evalue", "")).strip(),
            "source": str(err.get("cell_source") or "").strip()}


def _notebook_section(nb: Mapping[str, Any]) -> dict[str, Any]:
    name = str(nb["name"])
    seconds = nb.get("seconds")
    return {
        "name": name, "slug": slugify(name), "title": nb.get("title") or name, "href": _report_link(nb),
        "question": str(nb.get("question") or ""),
        "verdicts": [{"status": rec["status"], "colour": findings.STATUS_COLOURS.get(rec["status"], _GREY),
                      "quote": rec.get("quote", rec.get("claim_id", ""))}
                     for rec in findings.records_from_results(nb.get("results") or {})],
        "ok": nb.get("status") == "ok",
        "seconds": f"{float(seconds):.1f} s" if isinstance(seconds, (int, float)) else "",
        "data_as_of": str(nb["data_as_of"]) if nb.get("data_as_of") else None,
        "files": [(str(k), str(v)) for k, v in (nb.get("files") or {}).items()],
        "parameters": [(str(k), json_value(v)) for k, v in (nb.get("parameters") or {}).items()],
        "error": _error(nb["error"]) if nb.get("error") else None,
    }


def _grid_note(grid: GridInfo | None) -> dict[str, Any] | None:
    if grid is None:
        return None
    return {"href": grid.robustness_href, "parameters": ", ".join(f"{k}={v}" for k, v in grid.parameters.items()),
            "n_depend": len(grid.depends_on_proxy), "has_proxy": "proxy" in grid.parameters}


#: The claim that is the question itself: its answer opens the run page and its row leads the scorecard.
QUESTION = "breakout_new_year"


def _pct(x: Any) -> str:
    if x is None:
        return NA_TEXT
    return "<1%" if 0 < float(x) < 0.005 else f"{float(x):.0%}"


def _interval(lo: Any, hi: Any) -> str:
    if lo is None or hi is None:
        return NA_TEXT
    a, b = _pct(lo), _pct(hi)
    return a if a == b else f"{a.rstrip('%')}\u2013{b}"


def _answer_sentence(f: Mapping[str, Any]) -> str:
    s, window = f.get("scores") or {}, f"by the end of {f['new_year']}"
    if not s.get("n"):
        return (f"A breakout (sustained or blow-off) {window}: {_pct(f['breakout_base'])} by the base rate; no past "
                "forecast could be scored, so the signals' forecast is not the answer.")
    skill = (f"Brier skill {s['brier_skill']:+.3f}, 95% CI {s['ci_lower']:+.3f} to {s['ci_upper']:+.3f}, over "
             f"{s['n']} yearly forecasts made out of sample")
    if f.get("answer") == "model":
        return (f"A breakout (sustained or blow-off) {window}: {_pct(f['breakout_model'])} by the signals, against "
                f"a base rate of {_pct(f['breakout_base'])}; the signals add skill ({skill}).")
    return (f"A breakout (sustained or blow-off) {window}: {_pct(f['breakout_base'])}, the base rate. The signals "
            f"add no skill ({skill}; they say {_pct(f['breakout_model'])}), so the answer is the base rate.")


def _commentary_line(c: Any) -> str:
    if not isinstance(c, Mapping):
        return str(c or "")
    head = (f"The commentary's own moment ({c['forecast_date']}), with only the data published then: a breakout by "
            f"the end of {c['new_year']} {_pct(c['breakout_model'])} by the signals, {_pct(c['breakout_base'])} by "
            "the base rate.")
    if not c.get("outcome"):
        return f"{head} The outcome is known from {c.get('outcome_known')}."
    ret = c.get("window_return")
    return (f"{head} What followed: {c['outcome']}"
            + (f" (small minus large {float(ret):+.1%} over the window)" if ret is not None else "") + ".")


def _level_line(rec: Any, forecast_date: str) -> str:
    """The price level the commentary names (``forecast.price_level``), dated, flagged when older than a month."""
    if not isinstance(rec, Mapping):
        return ""
    held = (f"above {rec['level']:,.0f} since {rec['above_since']}" if rec.get("above_since") else
            f"{rec['distance_to_level']:+.1%} from {rec['level']:,.0f}")
    high = ("a new high" if rec.get("above_prior_high") else
            f"{rec['distance_to_prior_high']:+.1%} from its prior high ({rec['prior_high']:,.0f}, "
            f"{rec['prior_high_date']})")
    stale = (" Stale: the last close is more than a month before the forecast date."
             if pd.Timestamp(rec["date"]) + pd.offsets.MonthEnd(1) < pd.Timestamp(forecast_date) else "")
    return f"{rec['name']} at {rec['close']:,.0f} on {rec['date']}: {held}; {high}.{stale}"


def _question_answer(notebooks: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The question's answer for the top of the run page: from the notebook that recorded ``forecast``."""
    nb = next((nb for nb in notebooks if (nb.get("results") or {}).get("forecast")), None)
    if nb is None:
        return None
    res = nb["results"]
    f = res["forecast"]
    order = {o: i for i, o in enumerate(OUTCOMES)}
    probs = [{"outcome": o, "model": _pct(p.get("model")), "base": _pct(p.get("base")),
              "interval": _interval(p.get("ci_lower"), p.get("ci_upper"))}
             for o, p in sorted(f["probabilities"].items(), key=lambda kv: order.get(kv[0], len(order)))]
    info = ((res.get("board") or {}).get("extra") or {}).get("info") or {}
    fresh = [{"label": str(v.get("label", k)), "last": str(v.get("last") or "")[:7], "stale": bool(v.get("stale"))}
             for k, v in info.items()]
    v = res.get(f"verdicts.{QUESTION}") or {}
    verdict = ({"status": v["status"], "rule": v.get("rule", ""),
                "colour": findings.STATUS_COLOURS.get(v["status"], "#444")} if v.get("status") else None)
    returns_end = str((res.get("sample") or {}).get("returns_end") or "")[:7]
    return {"question": _claims.get(QUESTION).quote, "forecast_date": f["forecast_date"], "new_year": f["new_year"],
            "data_as_of": nb.get("data_as_of") or "", "sentence": _answer_sentence(f), "probabilities": probs,
            "commentary": _commentary_line(res.get("forecast.commentary")), "fresh": fresh,
            "n_current": sum(not x["stale"] for x in fresh), "href": _report_link(nb), "verdict": verdict,
            "level": _level_line(res.get("forecast.price_level"), f["forecast_date"]), "returns_end": returns_end}


def run_page_context(name: str, notebooks: Sequence[Mapping[str, Any]], *, meta: str | None = None,
                     given: Mapping[str, Any] | None = None, grid: GridInfo | None = None) -> dict[str, Any]:
    """The data ``run_page.html.j2`` renders (arguments as for :func:`render_run_page`; ``name`` is the run's)."""
    by_name = {nb["name"]: nb for nb in notebooks}
    rows = findings.scorecard_rows({nb["name"]: nb.get("results") or {} for nb in notebooks})
    rows = sorted(rows, key=lambda r: r["claim_id"] != QUESTION)  # the question's row first, then claim order
    depends = dict(grid.depends_on_proxy) if grid else {}
    n_failed = sum(nb.get("status") != "ok" for nb in notebooks)
    return {
        "title": f"rotation run {name}", "main_class": "rot-run", "name": name,
        "n_ok": len(notebooks) - n_failed, "n_failed": n_failed,
        # one date, or the range (each notebook reads different series: the details per notebook below)
        "as_of": sorted({str(nb["data_as_of"]) for nb in notebooks if nb.get("data_as_of")}),
        "meta": meta,
        "grid": _grid_note(grid),
        "n_decided": sum(r["status"] not in ("not run", "not testable") for r in rows),
        "commentary_date": _claims.COMMENTARY_DATE,
        "scorecard": [_scorecard_row(r, by_name.get(r["notebook"]), depends.get(r["claim_id"], "")) for r in rows],
        "notebooks": [_notebook_section(nb) for nb in notebooks],
        "given": [(str(k), json_value(v)) for k, v in (given or {}).items()],
        "answer": _question_answer(notebooks),
    }


def render_run_page(run_dir: Path, notebooks: Sequence[Mapping[str, Any]], *, meta: str | None = None,
                    given: Mapping[str, Any] | None = None, grid: GridInfo | None = None) -> str:
    """The run page (``index.html``) of a run folder, as an HTML string (the caller writes it).

    Parameters
    ----------
    run_dir : Path
        The run folder (its name is the run's name; links are relative to it).
    notebooks : list of dict
        One dict per notebook, in run order, with keys ``name`` (stem), ``status`` ("ok" or
        "failed"), ``seconds`` (float), ``question`` (markdown of the paragraph after the title),
        ``results`` (dict: the notebook's ``results.json``), ``error`` (None or a dict with
        ``cell_index``, ``exec_count``, ``ename``, ``evalue``, ``cell_source``), ``files`` (dict
        label -> link relative to ``run_dir``; ``"html"`` is the report), ``parameters`` (dict) and
        ``data_as_of`` (str or None). Optional: ``title`` (the notebook's title).
    meta : str, optional
        One line of plain text for the page header (started, finished, kernel, commit).
    given : dict, optional
        The parameters given for the run (command line or file), shown folded at the end.
    grid : GridInfo, optional
        The run is one combination of a robustness grid: the note and the "depends on the proxy" flags.

    Returns
    -------
    str
        A complete HTML page: a claim scorecard (one row per claim of the project; decided claims
        link to ``<report>#findings-and-caveats``), then per notebook its question, headline
        answer, status, time, data as of, files, folded parameters and, when it failed, the
        failing cell and error.
    """
    return render("run_page.html.j2", **run_page_context(Path(run_dir).name, notebooks, meta=meta, given=given,
                                                         grid=grid))


# --------------------------------------------------------------------------- robustness page


def _combination(i: int, c: Mapping[str, Any]) -> dict[str, Any]:
    status = str(c.get("status"))
    return {"number": i, "label": c["label"], "status": status,
            "status_class": {"ok": "rot-ok", "failed": "rot-failed"}.get(status, "rot-skipped"),
            "parameters": [(str(k), str(v)) for k, v in (c.get("parameters") or {}).items()],
            "detail": str(c.get("reason") or c.get("error") or ""),
            "href": None if status == "skipped" else f"{c['folder']}/index.html"}


def _grid_cell(rec: Mapping[str, Any] | None, c: Mapping[str, Any], notebook: str) -> dict[str, Any]:
    if rec:
        status = str(rec.get("status"))
        return {"kind": "verdict", "status": status, "colour": findings.STATUS_COLOURS.get(status, _GREY),
                "effect": findings.brief_effect_text(rec.get("headline")),
                "href": f"{c['folder']}/{notebook}/{notebook}.html#{FINDINGS_ANCHOR}"}
    return {"kind": c.get("status") if c.get("status") in ("skipped", "failed") else "missing"}


def robustness_context(name: str, claims: Sequence[Mapping[str, Any]], combinations: Sequence[Mapping[str, Any]],
                       *, grid: Mapping[str, Sequence[Any]], legend: Mapping[str, str],
                       meta: str | None = None) -> dict[str, Any]:
    """The data ``robustness.html.j2`` renders (arguments as for :func:`render_robustness_page`)."""
    rows = []
    for r in claims:
        notebook = str(r.get("notebook") or "")
        label = str(r.get("consistency"))
        rows.append({"claim_id": str(r["claim_id"]), "claim": str(r.get("claim") or ""), "notebook": notebook,
                     "consistency": label, "colour": CONSISTENCY_COLOURS.get(label, _GREY),
                     "depends_on_proxy": str(r.get("depends_on_proxy") or ""),
                     "cells": [_grid_cell((r.get("cells") or {}).get(c["label"]), c, notebook) for c in combinations]})
    return {
        "title": f"Robustness grid {name}", "main_class": "rot-run", "name": name, "meta": meta,
        "grid": [(str(k), ", ".join(map(str, v))) for k, v in grid.items()],
        "counts": {s: sum(c.get("status") == s for c in combinations) for s in ("ok", "skipped", "failed")},
        "combinations": [_combination(i, c) for i, c in enumerate(combinations, 1)],
        "claims": rows,
        "legend": [(k, CONSISTENCY_COLOURS.get(k, _GREY), v) for k, v in legend.items()],
        "na_text": NA_TEXT,
    }


def render_robustness_page(grid_dir: Path, claims: Sequence[Mapping[str, Any]],
                           combinations: Sequence[Mapping[str, Any]], *, grid: Mapping[str, Sequence[Any]],
                           legend: Mapping[str, str], meta: str | None = None) -> str:
    """The robustness page (``robustness.html``) of a grid folder, as an HTML string (the caller writes it).

    Parameters
    ----------
    grid_dir : Path
        The grid folder; each combination's run folder is ``grid_dir/<folder>`` (links are relative).
    claims : list of dict
        One per claim (:func:`rotation.evidence.consistency.robustness_rows`): ``claim_id``, ``claim`` (its
        quote), ``notebook`` (stem), ``cells`` (combination label -> verdict record or None), ``consistency``
        and ``depends_on_proxy`` ("" or how the verdict changes with the proxy).
    combinations : list of dict
        ``label``, ``parameters``, ``status`` (ok / skipped / failed), ``folder``, ``reason`` or ``error``.
    grid : mapping
        The grid, name -> values (for the header).
    legend : mapping
        Consistency label -> what it means.
    meta : str, optional
        One more line of plain text for the header.

    Returns
    -------
    str
        A complete page in the run page's style: claims x combinations (verdict badge coloured as on
        the scorecard, headline effect [interval] in the scorecard's format, each cell linking to the
        findings of that combination's report), the consistency label and the proxy dependence per
        claim, the legend of the labels, then the combinations with their status, reason or failing
        cell and a link to each run page.
    """
    return render("robustness.html.j2", **robustness_context(Path(grid_dir).name, claims, combinations, grid=grid,
                                                             legend=legend, meta=meta))
