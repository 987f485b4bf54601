"""Evidence for the synthesis claim (notebook 08): will small caps break out into the new year?

The claim is decided by the question's declared forecast (:data:`rotation.evidence.claims.BREAKOUT_EVENT`,
:mod:`rotation.evidence.forecast`): the headline is the probability of a breakout (sustained or blow-off) by the
end of the next January by the signals minus the base rate, with its interval from a bootstrap over years, and it
counts only when the forecast's out-of-sample Brier skill interval lies above zero (``Decision.skill``). Its checks
are the same forecast on the second proxy's relative-strength line and the forecast trained on each half of the
years. :func:`verdicts` decides it now, then (as of the commentary's date) and on revised macro data.
:func:`claims_table` lists every claim of the commentary with the notebook that decides it.
"""

from __future__ import annotations

import pandas as pd

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence.claims import BREAKOUT_EVENT, COMMENTARY_DATE, second_proxy
from rotation.evidence.forecast import event_args
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide, revision_check
from rotation.stats.checks import check_pandas
from rotation.stats.results import Sentence
from rotation.stats.units import Units
from rotation.studies import forecast as study
from rotation.studies import realtime as realtime_study

__all__ = ["CLAIM_IDS", "second_proxy", "forecast_evidence", "verdicts", "claims_table"]

#: The claims this module decides.
CLAIM_IDS = ("breakout_new_year",)


def _caveats() -> tuple[str, ...]:
    sources = ", ".join(f"{k} ({v})" for k, v in realtime_study.VINTAGE_SOURCES.items())
    return ("One forecast a year, at the forecast date's month: the years are the independent units; the outcomes "
            "are notebook 01's definitions on the monthly relative-strength line.",
            "Signals start at different dates; the share counts the signals known at each month end.",
            f"Macro signals on the real-time basis where vintages cover the month ({sources}); release-timed "
            "latest values elsewhere, and the NFCI is today's vintage.",
            "Earnings, short interest and fund flows are not in the board: no free data.")


def _pct(p: float) -> str:
    return "under 1%" if 0 < p < 0.005 else f"{p:.0%}"


def _gap(label: str, gap: dict, units: Units) -> Effect:
    return Effect(label=label, estimate=gap["estimate"], units=units, ci_lower=gap["ci_lower"],
                  ci_upper=gap["ci_upper"], nobs=gap["n_train"])


def forecast_evidence(proxy: str, alt: str, fc: study.BreakoutForecast, alt_fc: study.BreakoutForecast, *,
                      since: pd.Timestamp | None = None, caveat: str = "") -> Evidence:
    """The evidence of ``breakout_new_year`` from the declared forecast ``fc`` on ``proxy`` and the same forecast
    on the second proxy's line (``alt_fc``, :func:`rotation.studies.forecast.on_line`).

    ``since``: score only the past forecasts dated then or later (the real-time check on the vintage-covered
    years); the headline is the same forecast.
    """
    ev, year = BREAKOUT_EVENT, fc.window_end.year
    s = fc.scores if since is None else fc.skill_since(since)
    scored_years = fc.history.index if since is None else fc.history.loc[since:].index
    first = scored_years[0] if len(scored_years) else fc.forecast_date  # none scored: the skill has no interval
    units = Units.points(f"probability of a breakout (sustained or blow-off) by the end of January {year}: the "
                         "signals' forecast minus the base rate")
    g = fc.gap
    blow = fc.probabilities.loc["blow-off"]
    headline = _gap(f"breakout by the end of January {year}, signals minus base rate ({proxy})", g, units)
    skill = Effect(label=f"Brier skill against the base rate, {s['n']} yearly forecasts out of sample",
                   estimate=s["brier_skill"], units=Units.number("Brier skill: 1 minus the ratio of mean Brier "
                                                                 "scores, signals to base rate"),
                   ci_lower=s["ci_lower"], ci_upper=s["ci_upper"], nobs=s["n"])
    with_skill = skill.ci_lower is not None and skill.ci_lower > 0
    if with_skill:
        answer = (f"A breakout (sustained or blow-off) by the end of January {year}: {_pct(g['model'])} by the "
                  f"signals, which add out-of-sample skill, against a base rate of {_pct(g['base'])}. A blow-off "
                  f"alone: {_pct(blow['model'])} against {_pct(blow['base'])}.")
    else:
        answer = (f"The base rate: a breakout (sustained or blow-off) by the end of January {year} "
                  f"{_pct(g['base'])}, as in other years; the signals say {_pct(g['model'])} but add no "
                  f"out-of-sample skill. A blow-off alone: {_pct(blow['base'])}.")
    return Evidence(
        claim_id="breakout_new_year", headline=headline,
        sample=Sample(proxy, f"{first:%Y-%m-%d}", f"{fc.forecast_date:%Y-%m-%d}", int(s["n"]),
                      unit="past yearly forecasts scored"),
        method=(f"walk-forward forecast of {len(study.OUTCOMES)} outcomes to the end of the next January; base "
                f"rate: the same month of every earlier year known by then; the signals: the years within "
                f"{ev.neighbours} signal of the forecast date's share, shrunk to it with {ev.prior_weight:g} "
                f"pseudo-years; intervals: bootstrap over years ({fc.settings.get('reps')} draws, seed "
                f"{fc.settings.get('seed')}); " + (
                    f"out of sample: Brier {s['brier_model']:.3f} against {s['brier_base']:.3f}, log score "
                    f"{s['log_model']:.3f} against {s['log_base']:.3f}" if s["n"] else
                    f"no past forecast scored (fewer than {ev.min_train} earlier years known by the forecast date)")),
        checks=(Check("proxy", _gap(f"the same forecast on {alt}'s line", alt_fc.gap, units)),
                *(Check("subperiod", _gap(f"trained on the {name} alone", row, units))
                  for name, row in fc.halves.iterrows())),
        caveats=(*_caveats(), *((caveat,) if caveat else ())),
        answer=answer, skill=skill)


def verdicts(*, proxy: str, alt: str, forecast: study.BreakoutForecast, alt_log_ratio: pd.Series,
             commentary: study.Scored | Sentence, realtime=None, revised: study.BreakoutForecast | None = None
             ) -> list[Verdict]:
    """The verdict of the synthesis claim (``breakout_new_year``), decided by the declared forecast.

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    forecast : BreakoutForecast
        :func:`rotation.evidence.forecast.declared_forecast` on the run's board (real-time basis) and ``proxy``'s
        log relative strength.
    alt_log_ratio : pd.Series
        The second proxy's monthly log relative strength, cut at the run's ``as_of``: the same forecast (the
        same board) of its outcomes is the ``proxy`` check.
    commentary : Scored or Sentence
        :func:`rotation.evidence.forecast.commentary_forecast`: the forecast as of the commentary's date decides
        the claim *then*. A run whose ``as_of`` is before that date gets a Sentence there, and its own forecast
        (made with data published by its ``as_of``) decides "then", saying so.
    realtime, revised : RealTimeAnswer and BreakoutForecast, optional
        :func:`rotation.studies.answer.realtime_answer` and the declared forecast on its release-timed (revised)
        board (``realtime.revised_states``): ``revised`` decides the verdict revised data would give (whether the
        verdict is revision-robust), and both boards are scored on the forecasts from the first vintage-covered
        year (:func:`rotation.evidence.rubric.revision_check`).
    """
    check_pandas(alt_log_ratio, "alt_log_ratio", allow_frame=False)
    if not isinstance(forecast, study.BreakoutForecast):
        raise ParameterError(f"forecast must be a BreakoutForecast (rotation.evidence.forecast.declared_forecast); "
                             f"got {type(forecast).__name__}")

    def evidence(fc: study.BreakoutForecast, since=None, caveat: str = "") -> Evidence:
        alt_lr = alt_log_ratio.loc[: fc.forecast_date]
        return forecast_evidence(proxy, alt, fc, study.on_line(fc, alt_lr, **event_args()), since=since, caveat=caveat)

    now = evidence(forecast)
    if isinstance(commentary, study.Scored):
        then_fc, note = commentary.forecast, (f"As of {COMMENTARY_DATE}: the board, the returns and the record of "
                                              "past forecasts published by then.")
    else:
        then_fc, note = forecast, (f"This run ends at {forecast.forecast_date:%Y-%m-%d}, before the commentary "
                                   f"({COMMENTARY_DATE}): 'then' is the forecast at the run's own end.")
    verdict = decide(now, then=evidence(then_fc, caveat=note))
    if realtime is not None and revised is not None:
        first = realtime.first_covered
        years = forecast.history.loc[first:].index
        if len(years) == 0:
            return [verdict]
        basis = f"forecasts from {years[0]:%Y-%m} (the first year a vintage covers)"
        verdict = revision_check(verdict, evidence(forecast, since=first), evidence(revised, since=first), basis,
                                 verdict_revised=evidence(revised),
                                 point_in_time_share=realtime.point_in_time_share)
    return [verdict]


def claims_table() -> pd.DataFrame:
    """Every claim of the commentary: its words, the notebook that decides it (or that free data cannot),
    the test (or why it cannot be tested) and ``when`` it is judged: a claim about the state of things in late
    2023 then (at :data:`~rotation.evidence.claims.COMMENTARY_DATE`, on the data published by then) and now, a
    pattern claim undated; indexed by claim id in the commentary's order."""
    def when(c: claims.Claim) -> str:
        if not c.testable:
            return ""
        return (f"state: then ({claims.COMMENTARY_DATE}) and now; then = {c.dated}" if c.is_state
                else "pattern: undated")

    return pd.DataFrame({c.id: {"claim": c.quote, "decided in": c.notebook or "not testable with free data",
                                "test": c.test or c.why_not, "when": when(c)} for c in claims.CLAIMS.values()}).T
