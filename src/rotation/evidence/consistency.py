"""Verdicts across runs: how one claim's verdict behaves over the combinations of a robustness grid.

Pure functions over verdict records (the ``verdicts.<claim_id>`` values a notebook records: ``claim_id``,
``status``, ``headline`` with ``estimate``, ``null`` or ``thresholds``...) and over a grid's combinations
(``grid.json`` entries: ``label``, ``parameters``, ``status``); no files, no HTML, no text for a terminal.
The runner reads the records from each combination's ``results.json`` (:mod:`rotation.runner.robustness`);
the robustness page and ``rotation results --grid`` present the rows (:mod:`rotation.present.pages`,
:mod:`rotation.present.text`).

* :func:`effect_sign` -- the sign of a headline effect against its null (or its threshold band's middle);
* :func:`consistency` -- one label of :data:`CONSISTENCY` per claim over the combinations;
* :func:`proxy_dependence` -- whether (and how) the verdict changes with the proxy when the grid's other
  values are held fixed;
* :func:`robustness_rows` -- one row per claim decided somewhere: its record under every combination, the
  label and the proxy dependence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rotation.errors import ParameterError
from rotation.evidence import claims as _claims
from rotation.evidence.rubric import Effect

__all__ = ["CONSISTENCY", "effect_sign", "consistency", "proxy_dependence", "robustness_rows",
           "depends_on_proxy"]

CONSISTENCY: dict[str, str] = {
    "same verdict everywhere": "every combination that decided the claim gave the same verdict",
    "sign stable, significance varies": "the verdict changes, but the headline effect keeps its sign (relative to "
                                        "its null or threshold band): the evidence is weaker in some combinations",
    "flips": "the verdict changes and the headline effect changes sign between combinations",
    "verdict varies": "the verdict changes and some combination has no effect sign to compare",
    "one combination only": "only one combination decided the claim: nothing to compare",
}
"""Consistency labels of the robustness table and what each means (the legend of the page and the text)."""

Record = Mapping[str, Any]


def effect_sign(rec: Record) -> int | None:
    """Sign of the headline effect against its null (or its threshold band's middle); None when unknown."""
    h = rec.get("headline") or {}
    if h.get("estimate") is None:
        return None
    try:
        e = Effect.from_record({"label": "", **h})
    except (TypeError, ValueError, ParameterError):
        return None
    return e.sign() or None


def consistency(records: Sequence[Record | None]) -> str:
    """The consistency label of one claim over the combinations (None: not decided there); see :data:`CONSISTENCY`.

    ``"not run"`` when no combination decided it.
    """
    recs = [r for r in records if r]
    if not recs:
        return "not run"
    if len(recs) == 1:
        return "one combination only"
    if len({r.get("status") for r in recs}) == 1:
        return "same verdict everywhere"
    signs = [effect_sign(r) for r in recs]
    if None in signs:
        return "verdict varies"
    return "sign stable, significance varies" if len(set(signs)) == 1 else "flips"


def proxy_dependence(cells: Mapping[str, Record | None], combos: Sequence[Mapping[str, Any]]) -> str:
    """"" or how the verdict changes with the proxy when the other grid values are held fixed.

    ``cells`` maps a combination label to the claim's record there (None: not decided). Each set of fixed
    values that shows a change is named: ``"at start=2001-01-31: not supported with ff30_vw; contradicted
    with iwm_spy"`` (several joined by ``" | "``; no ``at ...:`` when the proxy is the grid's only name).
    """
    groups: dict[tuple, dict[str, str]] = {}
    for c in combos:
        rec = cells.get(c["label"])
        if rec and "proxy" in c["parameters"]:
            rest = tuple(sorted((k, str(v)) for k, v in c["parameters"].items() if k != "proxy"))
            groups.setdefault(rest, {})[str(c["parameters"]["proxy"])] = str(rec.get("status"))
    parts = []
    for rest, by_proxy in groups.items():
        if len(set(by_proxy.values())) > 1:
            where = f"at {', '.join(f'{k}={v}' for k, v in rest)}: " if rest else ""
            parts.append(where + "; ".join(f"{status} with {proxy}" for proxy, status in by_proxy.items()))
    return " | ".join(parts)


def robustness_rows(records: Mapping[str, Sequence[tuple[str, Record]]],
                    combos: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each claim's verdict record under every combination, with its consistency label and proxy dependence.

    Parameters
    ----------
    records : mapping
        Combination label -> ``(notebook stem, verdict record)`` pairs found in that combination's run
        (skipped and failed combinations may be missing or empty).
    combos : list of dict
        The grid's combinations (``grid.json`` entries), in order: ``label``, ``parameters``, ``status``.

    Returns
    -------
    list of dict
        One per claim decided in at least one combination, in the claims' order
        (:func:`rotation.evidence.claims.ids`): ``claim_id``, ``claim`` (its quote), ``notebook`` (the stem
        that decided it first), ``cells`` (combination label -> verdict record, or None where it was not
        decided), ``consistency`` (a key of :data:`CONSISTENCY`, or "not run") and ``depends_on_proxy``
        (:func:`proxy_dependence`).
    """
    found: dict[str, dict[str, Any]] = {}
    for c in combos:
        for notebook, rec in records.get(c["label"], ()):
            cid = rec["claim_id"]
            claim = _claims.CLAIMS.get(cid)
            row = found.setdefault(cid, {"claim_id": cid, "claim": claim.quote if claim else cid,
                                         "notebook": notebook, "cells": {}})
            row["cells"][c["label"]] = rec
    order = {cid: i for i, cid in enumerate(_claims.ids())}
    rows = sorted(found.values(), key=lambda r: order.get(r["claim_id"], len(order)))
    for row in rows:
        row["cells"] = {c["label"]: row["cells"].get(c["label"]) for c in combos}
        row["consistency"] = consistency(list(row["cells"].values()))
        row["depends_on_proxy"] = proxy_dependence(row["cells"], combos)
    return rows


def depends_on_proxy(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Claim id -> how its verdict depends on the proxy, for the rows of :func:`robustness_rows` where it does."""
    return {str(r["claim_id"]): str(r["depends_on_proxy"]) for r in rows if r.get("depends_on_proxy")}
