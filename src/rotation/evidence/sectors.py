"""Evidence for the sector-rotation claim (notebook 07), assembled from the studies' results.

:func:`verdicts` takes what notebook 07 computed (:func:`rotation.studies.sector_rotation.tech_leadership_study`
and :func:`~rotation.studies.sector_rotation.breadth_study`), reads the deciding horizon from the
claim's :class:`~rotation.evidence.claims.Decision`, builds the :class:`Evidence` with the checks it
declares (the second small-cap ETF as the proxy check; the long index history and breadth as other
checks) and decides it. Numbers are not recomputed or rounded here: every effect is a row of a study.
"""

from __future__ import annotations

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide
from rotation.stats.results import Results
from rotation.stats.units import Units

__all__ = ["verdicts", "CLAIM_IDS"]

#: The claims this module decides.
CLAIM_IDS = ("sector_rotation",)


def verdicts(*, small_cap: str, alt: str, benchmark: str, tech: Results, breadth: Results) -> list[Verdict]:
    """The verdict of the sector-rotation claim.

    Parameters
    ----------
    small_cap, alt, benchmark : str
        The small-cap ETF, the second small-cap ETF (the claim's proxy check) and the benchmark.
    tech : Results
        :func:`rotation.studies.sector_rotation.tech_leadership_study` (``after_peaks``,
        ``after_peaks_alt``, ``after_peaks_long``; ``extra`` ``threshold`` and ``window``; ``.data``
        the small-cap relative returns): it must have a row for the claim's horizon.
    breadth : Results
        :func:`rotation.studies.sector_rotation.breadth_study` (``state``), with the same row.

    Returns
    -------
    list of Verdict
        One verdict, ``sector_rotation``.
    """
    h = claims.get("sector_rotation").decision.horizon
    for name, part in (("tech['after_peaks']", tech["after_peaks"]), ("breadth['state']", breadth["state"])):
        if h not in part.table.index:
            raise ParameterError(f"{name} has no row for the {h}-week horizon that decides 'sector_rotation'; "
                                 f"rows: {list(part.table.index)}")
    units = Units.returns(f"decimal relative return over the next {h} weeks, after the event minus all weeks")
    after = tech["after_peaks"]
    n = int(after.row(h)["nobs"])
    threshold, window = tech.extra["threshold"], tech.extra["window"]
    return [decide(Evidence(
        claim_id="sector_rotation",
        headline=Effect.from_row(f"{small_cap}/{benchmark} after the end of tech leadership runs", after.row(h), units),
        sample=Sample(proxy=f"{small_cap}/{benchmark}", start=f"{after.row(h)['start']:%Y-%m-%d}",
                      end=f"{after.row(h)['end']:%Y-%m-%d}", n=n, unit="tech-leadership ends"),
        method=f"events: XLK/{benchmark} {threshold:.0%} below its {window}-week peak (known at t); iid bootstrap over "
               f"events ({after.method.reps} reps, seed {after.method.seed}) of their mean, minus the mean over all "
               "weeks",
        checks=(Check("proxy", Effect.from_row(f"{alt}/{benchmark} after tech peaks", tech["after_peaks_alt"].row(h),
                                               units)),
                Check("other", Effect.from_row("^RUT/^GSPC after NASDAQ/S&P peaks (price only)",
                                               tech["after_peaks_long"].row(h), units)),
                Check("other", Effect.from_row(f"broad breadth (half the sectors beat {benchmark}), next {h} weeks",
                                               breadth["state"].row(h),
                                               Units.returns(f"decimal relative return over the next {h} weeks")))),
        caveats=(f"Few independent episodes ({n}); the interval is rough.",
                 *(f"Left out: the end of tech leadership on {d:%Y-%m-%d}, before {small_cap}'s returns start "
                   f"({after.extra['first_date']:%Y-%m-%d}): it cannot be measured on {small_cap}."
                   for d in after.extra.get("dropped", [])),
                 "XLK's basket changed in September 2018 when XLC was carved out.",
                 "An association of rotations, not a test of where money flows (fund-flow data are not free)."),
    ))]
