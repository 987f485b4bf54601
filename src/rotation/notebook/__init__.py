"""What a notebook calls: the parameter check, :func:`record`, and :func:`publish` for its verdicts."""

from __future__ import annotations

from rotation.notebook.parameters import check_parameters
from rotation.notebook.publish import publish
from rotation.notebook.record import record

__all__ = ["check_parameters", "publish", "record"]
