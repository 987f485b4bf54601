"""The international check of the claims about small caps in general (``Decision.international``).

:func:`abroad` turns one test's rows of :func:`rotation.studies.international.international_study` (one row per
region) into the :class:`~rotation.evidence.effects.Abroad` record the rubric reads: the regions outside the United
States counted, the ones holding it (``includes_us``) shown. How it enters a verdict: docs/verdicts.md,
"International checks".
"""

from __future__ import annotations

from rotation.errors import ParameterError
from rotation.evidence.effects import Abroad, Effect
from rotation.stats.results import Results
from rotation.stats.units import Units

__all__ = ["abroad", "daily_windows_caveat", "TESTS"]

#: The test each claim runs abroad: (the study's part, what it is in words).
TESTS: dict[str, tuple[str, str]] = {
    "january_effect": ("january", "January minus other months, each region's SMB (HAC)"),
    "santa_claus": ("window", "November-January window minus other windows, each region's SMB (bootstrap over years)"),
    "quality": ("alpha", "SMB's alpha after the region's market and value factors (and RMW, CMA where published)"),
}


def abroad(claim_id: str, study: Results) -> Abroad:
    """The international check of ``claim_id`` from the notebook's international study (full-sample rows)."""
    if claim_id not in TESTS:
        raise ParameterError(f"no international test is declared for {claim_id!r}; declared: {', '.join(TESTS)}")
    part, test = TESTS[claim_id]
    est = study[part]
    table = est.table
    if "sample" in table.index.names:
        table = table.xs("full sample", level="sample")
    if "includes_us" not in table:
        raise ParameterError(f"the {part!r} rows have no includes_us column: pass the result of "
                             "rotation.studies.international.international_study")
    units: Units = est.units
    effects = [(bool(row["includes_us"]), Effect.from_row(f"{name}: {test}", row, units))
               for name, row in table.iterrows()]
    return Abroad(test=test, counted=tuple(e for us, e in effects if not us),
                  shown=tuple(e for us, e in effects if us))


def daily_windows_caveat(study: Results) -> str:
    """The year-end windows on the daily files in words (a caveat of ``santa_claus``); "" without them."""
    if "daily_windows" not in set(study):
        return ""
    est = study["daily_windows"]
    said = "; ".join(f"{region}, {window} {est.units.format(r['estimate'])} (95% CI "
                     f"{est.units.interval(r['ci_lower'], r['ci_upper'])}, {int(r['nobs'])} years)"
                     for (region, window), r in est.table.iterrows())
    return (f"Abroad on the daily files (each region's SMB, each window minus other windows of its length): {said}. "
            "Described, not counted: the declared international check is the monthly November-January window.")
