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
from rotation.evidence.international import abroad, daily_windows_caveat
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


def _split_caveat(split: Estimates) -> str:
    """The window's two parts in words, over the whole sample and in the latest era (from the split's rows)."""
    u = split.units
    parts = list(dict.fromkeys(split.table.index.get_level_values("window")))
    samples = list(dict.fromkeys(split.table.index.get_level_values("sample")))

    def said(sample: str) -> str:
        rows = [(w, split.table.loc[(w, sample)]) for w in parts if (w, sample) in split.table.index]
        return "; ".join(f"{w} alone {u.format(r['estimate'])} (95% CI {u.interval(r['ci_lower'], r['ci_upper'])}, "
                         f"small caps ahead in {r['share_positive']:.0%} of years)" for w, r in rows)

    text = (f"The window in two parts, each minus other windows of its length: {said('full sample')}. The "
            f"{parts[-1]} part is the month of the January-effect claim: the same evidence, not a second effect.")
    if samples[-1] != "full sample":
        text += f" In {samples[-1]}: {said(samples[-1])}."
    return text


def _santa_claus(proxy: str, alt: str, windows: Results, alt_rows: Mapping[str, pd.Series], split: Estimates,
                 nov_jan: pd.DataFrame, international: Results) -> Verdict:
    novjan = windows["nov_jan"]
    head = novjan.row("relative")
    era_checks = [Check("subperiod", Effect.from_row(f"November-January, {era}", row, _WINDOW))
                  for (w, era), row in windows["by_era"].table.iterrows() if w == "Nov-Jan"]
    first = split.table.index.get_level_values("window")[0]
    done = nov_jan[nov_jan["complete"].astype(bool)]
    return decide(Evidence(
        claim_id="santa_claus",
        headline=Effect.from_row(f"November-January window ({proxy})", head, _WINDOW, p_value=None),
        sample=Sample(proxy=proxy, start=f"{done['start'].iloc[0]:%Y-%m-%d}", end=f"{done['end'].iloc[-1]:%Y-%m-%d}",
                      n=int(head["nobs"]), unit="years (windows)"),
        method=f"per-year difference from all other same-length windows; iid bootstrap over years "
               f"({novjan.method.reps} reps, seed {novjan.method.seed})",
        checks=(Check("proxy", Effect.from_row(f"November-January window ({alt})", alt_rows["nov_jan"], _WINDOW)),
                Check("other", Effect.from_row(f"Santa Claus window ({proxy})", windows["santa_claus"].row("relative"),
                                               _WINDOW)),
                Check("other", Effect.from_row(f"Santa Claus window ({alt})", alt_rows["santa_claus"], _WINDOW)),
                *era_checks,
                Check("control", Effect.from_row(f"{first} alone, without January ({proxy})",
                                                 split.table.loc[(first, "full sample")], _WINDOW, p_value=None))),
        caveats=tuple(c for c in (
            _split_caveat(split),
            f"Windows the data do not cover fully are left out ({windows.extra['incomplete']['nov_jan']} for "
            "November-January).", daily_windows_caveat(international)) if c),
        answer=_split_caveat(split),
        international=abroad("santa_claus", international),
    ))


def _rows(january: Estimates, proxy: str) -> pd.DataFrame:
    """The rows of one pair (``"full sample"``, then its eras) of :func:`rotation.studies.calendar.january_study`."""
    table = january.table
    return table[table.index.get_level_values("proxy") == proxy].droplevel("proxy")


#: Pairs whose January effect survives in the corner no index fund holds at these weights (the words of the answer).
_CORNER = {"ff30_ew": "equal-weighted", "ff20_ew": "equal-weighted", "ff10_ew": "smallest-decile",
           "ff10_vw": "smallest-decile"}


def _decay_caveat(proxy: str, alt: str, january: Estimates, rolling: Estimates) -> str:
    """The January effect's decay: by era, the latest rolling mean against the cost, and the second proxy."""
    u, main, other = _JANUARY, _rows(january, proxy), _rows(january, alt).loc["full sample"]
    eras = ", ".join(f"{era} {u.format(r['estimate'])} (t = {r['t']:.1f}{'' if r['p_value'] < 0.05 else ', n.s.'})"
                     for era, r in main.iterrows() if era != "full sample")
    return (f"Decay ({proxy}, per month): {eras}; the latest {rolling.nobs}-year rolling mean "
            f"{u.format(rolling.estimate)} against an assumed round trip of {rolling.extra['cost']:.1%}; {alt} "
            f"{u.format(other['estimate'])} (t = {other['t']:.1f}, {int(other['nobs'])} months).")


def _survives_caveat(proxy: str, alt: str, january: Estimates) -> str:
    """Where the January effect survives in the latest era: the pairs significant there, with their t."""
    table = january.table
    latest = table.index.get_level_values("sample")[-1]
    rows = table[table.index.get_level_values("sample") == latest].droplevel("sample")
    rows = rows[~rows.index.isin([proxy, alt])]
    alive = rows[rows["p_value"] < 0.05]
    if alive.empty:
        return f"In {latest} the January effect is not significant in any pair studied."
    said = ", ".join(f"{name} {_JANUARY.format(r['estimate'])} (t = {r['t']:.1f})" for name, r in alive.iterrows())
    corner = (f" ({' and '.join(dict.fromkeys(_CORNER[n] for n in alive.index))} portfolios: the smallest stocks at "
              "weights no index fund holds, the uninvestable corner)" if set(alive.index) <= set(_CORNER) else "")
    return f"Where it survives in {latest}: {said}{corner}."


def _january_effect(proxy: str, alt: str, january: Estimates, rolling: Estimates, monthly: pd.Series,
                    international: Results) -> Verdict:
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
        caveats=(_decay_caveat(proxy, alt, january, rolling), _survives_caveat(proxy, alt, january),
                 "The tax-loss channel is examined only indirectly (January after a lagging year, section 4).",),
        answer=f"{_decay_caveat(proxy, alt, january, rolling)} {_survives_caveat(proxy, alt, january)}",
        international=abroad("january_effect", international),
    ))


def verdicts(*, proxy: str, alt: str, monthly: pd.Series, daily_alt: pd.DataFrame, windows: Results,
             split: Estimates, january: Estimates, rolling: Estimates, window_rules: Mapping[str, Any],
             international: Results) -> list[Verdict]:
    """The verdicts of the seasonality claims.

    Parameters
    ----------
    proxy, alt : str
        The notebook's proxy and the second proxy (:func:`second_proxy`).
    monthly : pd.Series
        The notebook's monthly relative returns (the January effect's sample).
    daily_alt : pd.DataFrame
        Daily ``small``/``large`` returns of the second proxy over the notebook's sample.
    windows, split, january, rolling
        The notebook's results: :func:`rotation.studies.year_end.seasonal_windows`,
        :func:`rotation.studies.calendar.window_split` (the window without its last month: a control),
        :func:`rotation.studies.calendar.january_study` (with rows for ``proxy`` and ``alt``) and
        :func:`rotation.studies.calendar.rolling_january`.
    window_rules : mapping
        The keyword arguments the notebook passed to ``seasonal_windows`` besides ``eras``
        (``days_before``, ``days_after``, ``start_month``, ``end_month``, ``reps``, ``seed``): the second
        proxy is studied with the same rules.
    international : Results
        :func:`rotation.studies.international.international_study` on the regions' factors: both claims' declared
        international check (:func:`rotation.evidence.international.abroad`).

    Returns
    -------
    list of Verdict
        ``santa_claus`` (headline: the November-January window; control: the window without January) and
        ``january_effect`` (headline: the full-sample January dummy; its decay and where it survives in the
        caveats), decided by :func:`rotation.evidence.rubric.decide`.
    """
    alt_rows = alt_windows(daily_alt, **window_rules)
    nov_jan = seasonality.calendar_windows(windows.data.index, window_rules["start_month"], window_rules["end_month"])
    return [_santa_claus(proxy, alt, windows, alt_rows, split, nov_jan, international),
            _january_effect(proxy, alt, january, rolling, monthly, international)]
