"""Exceptions and warnings raised by rotation.

Every message states what went wrong, the value or file involved, and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "RotationError",
    "ParseError",
    "ValidationError",
    "DatasetNotFoundError",
    "FetchError",
    "StoreError",
    "ParameterError",
    "OfflineError",
    "RotationWarning",
]


class RotationError(Exception):
    """Base class of every error raised by rotation."""


class ParseError(RotationError, ValueError):
    """An original data file could not be read.

    Parameters
    ----------
    source : str
        The file name (or URL) that failed.
    reason : str
        What is wrong, in words.
    line : int, optional
        1-based line number in the (decompressed) text, when known.
    column : str, optional
        Column label, when known.
    """

    def __init__(self, source: str, reason: str, *, line: int | None = None, column: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        self.column = column
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        loc = f" ({', '.join(where)})" if where else ""
        super().__init__(f"{source}{loc}: {reason}")


class ValidationError(ParseError):
    """A file parsed but its values break a rule (dates not increasing, returns below -100%, ...)."""


class DatasetNotFoundError(RotationError, KeyError):
    """A dataset key is not in the catalog, or is not in the local store."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class FetchError(RotationError):
    """A live download failed (network, HTTP status, or an invalid body)."""


class StoreError(RotationError):
    """The local store is damaged or could not be written."""


class ParameterError(RotationError, ValueError):
    """A function or notebook parameter has an invalid name, type or value."""


class OfflineError(DatasetNotFoundError):
    """Offline mode is on and a dataset is not in the local store."""


class RotationWarning(UserWarning):
    """Base class of rotation's warnings."""
