"""Publish a notebook's verdicts: record each one and show the findings rendered from them."""

from __future__ import annotations

from collections.abc import Sequence

from rotation.errors import ParameterError
from rotation.evidence.rubric import Verdict
from rotation.notebook.record import record
from rotation.present.findings import render_findings

__all__ = ["publish"]


def publish(verdicts: Sequence[Verdict], *, title: str | None = None) -> None:
    """Record each verdict (``verdicts.<claim_id>``) and display the findings rendered from them."""
    seen: set[str] = set()
    for v in verdicts:
        if v.claim_id in seen:
            raise ParameterError(f"publish: claim {v.claim_id!r} appears twice; decide each claim once")
        seen.add(v.claim_id)
        record(f"verdicts.{v.claim_id}", v.to_record())
    try:
        from IPython.display import Markdown, display

        display(Markdown(render_findings(verdicts, title=title, html=True)))
    except ImportError:  # pragma: no cover - IPython ships with the notebook stack
        print(render_findings(verdicts, title=title))
