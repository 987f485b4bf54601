"""Units: what a number measures, and how it reads -- the one place numbers are formatted.

Every result object (:class:`rotation.stats.results.Estimates`) and every effect a verdict rests
on (:class:`rotation.evidence.rubric.Effect`) carries a :class:`Units`: the words (``text``,
recorded as ``units`` in results files) and a **scale** that says how its values read:

========== ================================================== ====================
scale      what it is                                          shown as
========== ================================================== ====================
``return`` a decimal return or difference of returns          ``+1.23%`` (signed)
``share``  a share, rate, percentile or probability in [0, 1]  ``45%``
``points`` a difference of two shares or probabilities          ``-3.1 pp`` (signed)
``number`` anything else: betas, R², t-statistics, levels      ``+0.118`` (3 digits)
========== ================================================== ====================

The scale is declared where the number is made, never guessed from the words: renaming a units
text cannot change how a number is shown. :meth:`Units.format` is the formatter the findings,
Answer boxes, scorecards and ``rotation results`` use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from rotation.errors import ParameterError

__all__ = ["Units", "SCALES", "format_value", "format_p"]

Scale = Literal["return", "share", "points", "number"]
SCALES: tuple[str, ...] = ("return", "share", "points", "number")


def format_value(value: Any, scale: str, *, digits: int | None = None) -> str:
    """``value`` as its scale reads (see the module table); ``"n/a"`` for None, NaN or a non-number.

    ``digits`` overrides the decimals of ``return`` (default 2), ``share`` (default 0) and ``points`` (default 1)
    values and
    the significant digits of ``number`` values (default 3).
    """
    if scale not in SCALES:
        raise ParameterError(f"scale must be one of {', '.join(SCALES)}; got {scale!r}")
    if value is None or isinstance(value, bool):
        return "n/a"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "n/a"
    if not math.isfinite(x):
        return "n/a"
    if scale == "return":
        return f"{x:+.{2 if digits is None else digits}%}"
    if scale == "share":
        return f"{x:.{0 if digits is None else digits}%}"
    if scale == "points":
        return f"{100 * x:+.{1 if digits is None else digits}f} pp"
    return f"{x:+.{3 if digits is None else digits}g}"


def format_p(p: Any, *, prefix: str = "p ") -> str:
    """A p-value as a reader takes it: ``"p < 0.001"`` below 0.001 (never ``"p = 0.000"`` or ``8.33e-10``),
    else ``"p = 0.023"``; ``"p n/a"`` for None or NaN. ``prefix=""`` gives the bare ``"< 0.001"``/``"0.023"``."""
    try:
        x = float(p)
    except (TypeError, ValueError):
        return f"{prefix}n/a"
    if not math.isfinite(x):
        return f"{prefix}n/a"
    if x < 0.001:
        return f"{prefix}< 0.001" if prefix else "< 0.001"
    return f"{prefix}= {x:.3f}" if prefix else f"{x:.3f}"


@dataclass(frozen=True)
class Units:
    """What a number measures (``text``) and how it reads (``scale``).

    Attributes
    ----------
    text : str
        In words, with the horizon where there is one: ``"decimal relative return over the next 6
        months"``, ``"beta: monthly relative return per 1 pp rise"``, ``"share of breakouts (rate)"``.
    scale : {"return", "share", "points", "number"}
        ``return``: decimal returns, shown as signed percent; ``share``: rates, shares, percentiles
        and probabilities in [0, 1], shown as percent; ``points``: a difference of two shares or
        probabilities (decimal), shown as signed percentage points; ``number``: everything else.
    """

    text: str
    scale: Scale = "number"

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise ParameterError(f"Units.text must be a string; got {type(self.text).__name__}")
        if self.scale not in SCALES:
            raise ParameterError(
                f"Units.scale must be one of {', '.join(SCALES)}; got {self.scale!r} (units {self.text!r})"
            )

    # constructors that say what the number is
    @classmethod
    def returns(cls, text: str) -> Units:
        """Decimal returns (or differences of returns): shown as signed percent."""
        return cls(text, "return")

    @classmethod
    def share(cls, text: str) -> Units:
        """A share, rate, percentile or probability in [0, 1]: shown as percent."""
        return cls(text, "share")

    @classmethod
    def points(cls, text: str) -> Units:
        """A difference of two shares or probabilities (decimal): shown as signed percentage points."""
        return cls(text, "points")

    @classmethod
    def number(cls, text: str) -> Units:
        """Betas, R², statistics, levels: shown with 3 significant digits."""
        return cls(text, "number")

    @classmethod
    def of(cls, value: Any) -> Units:
        """A :class:`Units` from a :class:`Units` or its record (``{"text", "scale"}``).

        A bare string is refused: its scale would have to be guessed from the words.
        """
        if isinstance(value, Units):
            return value
        if isinstance(value, dict) and "text" in value:
            return cls(str(value["text"]), value.get("scale", "number"))
        raise ParameterError(
            f"units must be a rotation.stats.units.Units (text and scale); got {value!r}. Say what the number "
            "is: Units.returns('decimal return per month'), Units.share('share of months'), "
            "Units.number('beta: return per 1 pp')"
        )

    @property
    def percent(self) -> bool:
        """True for decimal returns (tables show them as percent)."""
        return self.scale == "return"

    def format(self, value: Any, *, digits: int | None = None) -> str:
        """``value`` as these units read (:func:`format_value`)."""
        return format_value(value, self.scale, digits=digits)

    def interval(self, lower: Any, upper: Any) -> str:
        """``"-0.40% to +3.00%"``."""
        return f"{self.format(lower)} to {self.format(upper)}"

    def brief(self) -> str:
        """The units in a few words for a table cell: the text without its bookkeeping words ("decimal ",
        "beta: ") and without what follows its first ", " or ": " (the comparison spelled out elsewhere)."""
        t = self.text.replace("beta: ", "").replace("decimal ", "")
        return t.split(": ")[0].split(", ")[0].strip()

    def __str__(self) -> str:
        return self.text

    def to_record(self) -> dict[str, str]:
        return {"text": self.text, "scale": self.scale}
