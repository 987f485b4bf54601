"""nbformat, imported without building jsonschema's IRI grammars (about 0.7-2.7 s per process).

``jsonschema._format`` imports ``rfc3987_syntax`` eagerly if it is installed, and that module
compiles some 35 Lark grammars at import (python-jsonschema/jsonschema issue 1428). nbformat
validates notebooks with fastjsonschema and never checks the ``iri`` format, so the runner
imports nbformat (and, through it, jsonschema) while ``rfc3987_syntax`` is marked unavailable
in ``sys.modules`` -- Python's documented way to make one import fail -- and removes the mark
right after. jsonschema then registers no ``iri``/``iri-reference`` format checker in this
process; nothing rotation runs uses those. No file on disk is changed, and a process that
imported jsonschema before rotation keeps its checkers.

Use ``from rotation.nbformat_loader import nbformat`` wherever rotation needs nbformat.
"""

from __future__ import annotations

import sys

_SLOW = "rfc3987_syntax"

if "jsonschema" in sys.modules or _SLOW in sys.modules:
    import nbformat
else:
    sys.modules[_SLOW] = None  # type: ignore[assignment]  # "import rfc3987_syntax" raises ImportError
    try:
        import nbformat
    finally:
        if _SLOW in sys.modules and sys.modules[_SLOW] is None:
            del sys.modules[_SLOW]

__all__ = ["nbformat"]
