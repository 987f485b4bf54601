"""Evidence for the seasonality claims (notebook 04), assembled from the studies' results.

:func:`verdicts` takes what notebook 04 computed on its proxy, runs the window comparison on the
second proxy the claims declare (:func:`alt_windows`, with the notebook's rules), builds each
claim's :class:`Evidence` with the checks its :class:`~rotation.evidence.claims.Decision` declares,
and decides it. Numbers are not recomputed or rounded here: every effect is a row of a study's result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from rotation.evidence.claims import second_proxy
from rotation.evidence.rubric import Check, Effect, Evidence, Sample, Verdict, decide
from rotation.stats.results import Estimates, Results
from rotation.stats.units import Units
from rotation.studies import seasonality, year_end

__all__ = ["second_proxy", "alt_windows", "verdicts", "CLAIM_IDS"]

#: The claims this module decides, in the commentary's order.
CLAIM_IDS = ("santa_claus", "january_effect")

_WINDOW = Units.returns("decimal relative return over the window, minus other same-length windows")
_JANUARY = Units.returns("decimal relative return per month, January minus other months")


def alt_windows(daily: pd.DataFrame, *, days_before: int, days_after: int, start_month: int, end_month: int,
                reps: int, seed: int) -> dict[str, pd.Series]:
    """The relative row of :func:`rotation.studies.year_end.window_study` for the second proxy's windows.

    Parameters
    ----------
    daily : pd.DataFrame
        Daily ``small``/``large`` returns of the second proxy over the notebook's sample.
    days_before, days_after, start_month, end_month, reps, seed
        The notebook's window rules (as passed to :func:`rotation.studies.year_end.seasonal_windows`).

    Returns
    -------
    dict
        ``{"santa_claus": row, "nov_jan": row}``: the relative return's row (window minus other
        windows) for the Santa Claus and the wider calendar window, the relative column studied alone.
    """
    frame = year_end.with_relative(daily)[["relative"]]
    windows = {"santa_claus": seasonality.year_end_windows(frame.index, days_before, days_after),
               "nov_jan": seasonality.calendar_windows(frame.index, start_month, end_month)}
    return {name: year_end.window_study(frame, w, reps=reps, seed=seed).row("relative") for name, w in windows.items()}


def _santa_claus(proxy: str, alt: str, windows: Results, alt_rows: Mapping[str, pd.Series]) -> Verdict:
    novjan = windows["nov_jan"]
    head = novjan.row("relative")
    era_checks = [Check("subperiod", Effect.from_row(f"November-January, {era}", row, _WINDOW))
                  for (w, era), row in windows["by_era"].table.iterrows() if w == "Nov-Jan"]
    return decide(Evidence(
        claim_id="santa_claus",
        headline=Effect.from_row(f"November-January window ({proxy})", head, _WINDOW, p_value=None),
        sample=Sample.of(proxy, windows.data.index, unit="years", n=int(head["nobs"])),
        method=f"per-year difference from all other same-length windows; iid bootstrap over years "
               f"({novjan.method.reps} reps, seed {novjan.method.seed})",
        checks=(Check("proxy", Effect.from_row(f"November-January window ({alt})", alt_rows["nov_jan"], _WINDOW)),
                Check("other", Effect.from_row(f"Santa Claus window ({proxy})", windows["santa_claus"].row("relative"),
                                               _WINDOW)),
                Check("other", Effect.from_row(f"Santa Claus window ({alt})", alt_rows["santa_claus"], _WINDOW)),
                *era_checks),
        caveats=(f"Windows the data do not cover fully are left out ({windows.extra['incomplete']['nov_jan']} for "
                 "November-January).",),
    ))


def _rows(january: Estimates, proxy: str) -> pd.DataFrame:
    """The rows of one pair (``"full sample"``, then its eras) of :func:`rotation.studies.calendar.january_study`."""
    table = january.table
    return table[table.index.get_level_values("proxy") == proxy].droplevel("proxy")


def _january_effect(proxy: str, alt: str, january: Estimates, rolling: Estimates, monthly: pd.Series) -> Verdict:
    main = _rows(january, proxy)
    return decide(Evidence(
        claim_id="january_effect",
        headline=Effect.from_row(f"January minus other months ({proxy}, full sample)", main.loc["full sample"],
                                 _JANUARY),
        sample=Sample.of(proxy, monthly.index),
        method=f"OLS on a January dummy with Newey-West (HAC) errors, {january.method.lags} lags",
        checks=(Check("proxy", Effect.from_row(f"January minus other months ({alt})",
                                               _rows(january, alt).loc["full sample"], _JANUARY)),
                *(Check("subperiod", Effect.from_row(f"{proxy}, {era}", main.loc[era], _JANUARY))
                  for era in main.index if era != "full sample")),
        caveats=(f"Assumed round-trip cost {rolling.extra['cost']:.1%}: the latest {rolling.nobs}-year January effect "
                 f"is {rolling.estimate:+.2%}.",
                 "The tax-loss channel is examined only indirectly (January after a lagging year, section 4).",),
    ))


def verdicts(*, proxy: str, alt: str, monthly: pd.Series, daily_alt: pd.DataFrame, windows: Results,
             january: Estimates, rolling: Estimates, window_rules: Mapping[str, Any]) -> list[Verdict]:
    """The verdicts of the seasonality claims.

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    monthly : pd.Series
        The notebook's monthly relative returns (the January effect's sample).
    daily_alt : pd.DataFrame
        Daily ``small``/``large`` returns of the second proxy over the notebook's sample.
    windows, january, rolling
        The notebook's results: :func:`rotation.studies.year_end.seasonal_windows`,
        :func:`rotation.studies.calendar.january_study` (with rows for ``proxy`` and ``alt``) and
        :func:`rotation.studies.calendar.rolling_january`.
    window_rules : mapping
        The keyword arguments the notebook passed to ``seasonal_windows`` besides ``eras``
        (``days_before``, ``days_after``, ``start_month``, ``end_month``, ``reps``, ``seed``): the second
        proxy is studied with the same rules.

    Returns
    -------
    list of Verdict
        ``santa_claus`` (headline: the November-January window) and ``january_effect`` (headline: the
        full-sample January dummy), decided by :func:`rotation.evidence.rubric.decide`.
    """
    alt_rows = alt_windows(daily_alt, **window_rules)
    return [_santa_claus(proxy, alt, windows, alt_rows), _january_effect(proxy, alt, january, rolling, monthly)]
