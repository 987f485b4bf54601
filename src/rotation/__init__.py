"""rotation: when do small-cap US stocks beat large caps?

Pure analysis helpers (``rotation.studies.returns``, ``rotation.studies.signals``,
``rotation.studies.outcomes``, ...), a data layer (``rotation.data``), shared plots
(``rotation.present.plots``) and a notebook runner (``rotation.runner``). See README.md.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
