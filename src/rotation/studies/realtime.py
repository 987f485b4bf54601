"""Macro signals on the real-time basis: each month end's state from the vintage published by then.

These are the signals notebook 05 and 08 decide on: real-time where a vintage covers the month (FRED-MD's monthly
vintages from 1999-08, or the Philadelphia Fed's RTDSM from the 1960s: :data:`VINTAGE_SOURCES`), the
release-timed (latest vintage) value elsewhere, every value labelled with its basis; the release-timed signals
stay beside them as the revised comparison.

A change, a growth rate or the Sahm rule is computed **within** the vintage known at ``t``, on that vintage's own
history, and read at its newest observation: vintages of industrial production (and GDP) each have their own
index base, so values are never differenced across vintages. Where no vintage covers ``t`` (before the first
vintage, after the last one) the state falls back to the release-timed (latest vintage) state and is labelled
so. The comparison counts the months whose state differs between the two bases.

Vintage tables come in (:func:`rotation.data.vintages.vintage_table`, cut at the run's end), result objects out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rotation.data.vintages import known_values
from rotation.errors import ParameterError
from rotation.stats.results import Sentence
from rotation.studies.economy import late_cycle_realtime, sahm_rule

__all__ = ["within_vintage", "VINTAGE_KEYS", "VINTAGE_SOURCES", "SOURCE_NAMES", "vintage_tables",
           "REALTIME_SIGNALS", "RealTimeSignals",
           "realtime_signals", "signal_value", "compare_states", "coverage_table", "REALTIME_LEVELS", "realtime_levels"]

Transform = Callable[[pd.Series], pd.Series]


def within_vintage(table: pd.DataFrame, dates: pd.DatetimeIndex, transform: Transform) -> pd.DataFrame:
    """``transform`` of the vintage known at each date, on that vintage's own history, at its newest observation.

    Returns a frame indexed by ``dates``: ``value`` (NaN where no vintage covers the date), ``vintage`` (the label
    read, ``""`` uncovered) and ``covered``. Only vintages known by a date reach its value.
    """
    dates = pd.DatetimeIndex(dates, name="date")
    if table.shape[1] == 0:
        return pd.DataFrame({"value": np.nan, "vintage": "", "covered": False}, index=dates)
    kv = known_values(table, dates, "real-time")
    cache: dict[str, float] = {}
    for label in pd.unique(kv.loc[kv["covered"], "vintage"]):
        col = table[label]
        col = col.loc[:col.last_valid_index()]
        out = transform(col)
        cache[label] = float(out.iloc[-1]) if len(out) else float("nan")
    value = [cache[lab] if ok else np.nan for lab, ok in zip(kv["vintage"], kv["covered"], strict=True)]
    return pd.DataFrame({"value": value, "vintage": kv["vintage"], "covered": kv["covered"]}, index=dates)


def _sahm_gap(threshold: float) -> Transform:
    return lambda u: sahm_rule(u, threshold=threshold)["gap"]


#: Each macro signal with vintages: (the series' key in the tables, the transform within a vintage, the state).
REALTIME_SIGNALS: dict[str, tuple[str, Callable[[float], Transform] | Transform, Callable[[pd.Series], pd.Series]]] = {
    "Sahm rule triggered": ("UNRATE", _sahm_gap, lambda g: g),  # the threshold is applied by the transform's caller
    "claims up >10% over 26 weeks": ("ICSA", lambda x: x.pct_change(6), lambda v: v > 0.10),
    "payrolls growing (12m)": ("PAYEMS", lambda x: x.pct_change(12), lambda v: v > 0),
    "industrial production growing (12m)": ("INDPRO", lambda x: x.pct_change(12), lambda v: v > 0),
    "sentiment rising (12m)": ("UMCSENT", lambda x: x.diff(12), lambda v: v > 0),
    "inflation above 4%": ("CPIAUCSL", lambda x: x.pct_change(12), lambda v: v > 0.04),
    "real GDP growing (4 quarters)": ("GDPC1", lambda x: x.pct_change(4), lambda v: v > 0),  # quarterly vintages
}

#: The series whose vintage tables :func:`realtime_signals` reads.
VINTAGE_KEYS: tuple[str, ...] = tuple(dict.fromkeys(k for k, *_ in REALTIME_SIGNALS.values()))

#: Where each series' vintages come from, one source per series, never spliced (:mod:`rotation.data.vintages`).
#: The rule: the source whose **monthly** vintages cover the most months. The Philadelphia Fed's RTDSM for payrolls
#: (monthly vintages from 1964-12), industrial production (1962-11), CPI (1998-11) and real GDP (1965-11; FRED-MD has
#: no GDP), all to within months of today; FRED-MD (1999-08 to 2024-03) for the unemployment rate (the RTDSM has
#: only quarterly vintages of it), consumer sentiment and claims (not in the RTDSM).
VINTAGE_SOURCES: dict[str, str] = {**dict.fromkeys(VINTAGE_KEYS, "fredmd"),
                                   "PAYEMS": "rtdsm", "INDPRO": "rtdsm", "CPIAUCSL": "rtdsm", "GDPC1": "rtdsm"}

#: The basis of the signals without vintages here.
OTHER_BASIS = {"curve inverted": "market data (not revised)"}


#: Each vintage source in words.
SOURCE_NAMES: dict[str, str] = {"fredmd": "FRED-MD", "rtdsm": "Philadelphia Fed RTDSM"}


def vintage_tables(end: str | pd.Timestamp | None = None, store=None) -> dict[str, pd.DataFrame]:
    """The vintage table of every series in :data:`VINTAGE_KEYS` from its source (:data:`VINTAGE_SOURCES`),
    with only the vintages known by ``end`` (:func:`rotation.data.vintages.vintage_table`)."""
    from rotation.data.vintages import vintage_table

    return {k: vintage_table(k, VINTAGE_SOURCES[k], end=end, store=store) for k in VINTAGE_KEYS}


def signal_value(name: str, table: pd.DataFrame, dates: pd.DatetimeIndex, threshold: float = 0.5
                 ) -> tuple[pd.Series, pd.DataFrame]:
    """The real-time state of one signal of :data:`REALTIME_SIGNALS` (1/0, NaN where no vintage covers the date)
    and the within-vintage frame behind it (:func:`within_vintage`)."""
    _, transform, state = REALTIME_SIGNALS[name]
    if name == "Sahm rule triggered":
        frame = within_vintage(table, dates, _sahm_gap(threshold))
        on = frame["value"] >= float(threshold) - 1e-12
    else:
        frame = within_vintage(table, dates, transform)
        on = state(frame["value"])
    return on.astype(float).where(frame["value"].notna()), frame


@dataclass(frozen=True)
class RealTimeSignals:
    """Signal states on the real-time basis beside the release-timed (latest vintage) ones.

    ``states``: real-time where a vintage covers the month, the revised state elsewhere; ``basis``: each state's
    basis (``"real-time"``, ``"latest"``, or the basis of a signal without vintages); ``revised``: the
    release-timed states; ``late_flag`` / ``late_flag_revised``: the late-cycle flag on the real-time unemployment
    rate (within each vintage) and on the revised one, ``late_basis`` the flag's basis by month; ``comparison``:
    one row per signal (:func:`compare_states`); ``sahm`` / ``sahm_revised``: the Sahm rule's ``gap`` and
    ``trigger`` (:func:`rotation.studies.economy.sahm_rule`'s columns) on the two bases, ``sahm["basis"]`` each
    month's.
    """

    states: pd.DataFrame
    basis: pd.DataFrame
    revised: pd.DataFrame
    late_flag: pd.Series
    late_flag_revised: pd.Series
    comparison: pd.DataFrame
    late_basis: pd.Series | None = None
    sahm: pd.DataFrame | None = None
    sahm_revised: pd.DataFrame | None = None

    def share_point_in_time(self, signals: list[str] | None = None, months: pd.Index | None = None) -> float:
        """The share of ``months`` (default: all) on which every one of ``signals`` is truly point-in-time."""
        idx = self.basis.index if months is None else self.basis.index.intersection(months)
        return float(len(self.covered(signals).intersection(idx)) / len(idx)) if len(idx) else float("nan")

    def covered(self, signals: list[str] | None = None) -> pd.DatetimeIndex:
        """The months on which every one of ``signals`` (default: all with vintages) is truly point-in-time."""
        cols = signals or [c for c in REALTIME_SIGNALS if c in self.basis.columns]
        return self.basis.index[(self.basis[cols] == "real-time").all(axis=1)]

    def to_record(self) -> dict[str, Any]:
        return {name: {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
                for name, row in self.comparison.to_dict(orient="index").items()}

    def coverage(self) -> pd.DataFrame:
        """The comparison as a reader's table (:func:`coverage_table`)."""
        return coverage_table(self.to_record())

    def describe(self) -> Sentence:
        """One sentence (Markdown in a notebook): per signal with vintages, its source, span, point-in-time share
        and the months whose state differs from the release-timed (revised) one."""
        rt = self.comparison[self.comparison["basis"] == "real-time where vintages cover"]
        parts = [f"{name} ({r.get('source') or 'vintages'} {str(r['first_real_time'])[:7]} to "
                 f"{str(r['last_real_time'])[:7]}, {r['share_point_in_time']:.0%} of its months point-in-time): "
                 f"{int(r['months_differ'])} of {int(r['months_compared'])} months differ"
                 for name, r in rt.iterrows()]
        return Sentence("On the real-time basis (each month's vintage, changes within it) against release-timed "
                        "latest values: " + "; ".join(parts) + ".")


def coverage_table(rows: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Per signal: where its vintages come from, the months it is truly point-in-time, their share of the signal's
    months, and how many of the months compared have a state that differs from the release-timed (revised) one.

    ``rows`` are :func:`compare_states` records with ``basis`` and ``source`` (``RealTimeSignals.to_record()``,
    ``RealTimeAnswer.comparison``). A signal without vintages shows its basis as the source.
    """
    out = {}
    for name, r in rows.items():
        first, last = r.get("first_real_time"), r.get("last_real_time")
        vintages = r.get("basis") == "real-time where vintages cover"
        out[name] = {
            "vintages from": (r.get("source") or "vintages") if vintages else r.get("basis", ""),
            "point-in-time months": f"{str(first)[:7]} to {str(last)[:7]}" if first and last else "none",
            "share point-in-time": r.get("share_point_in_time"),
            "states differ": (f"{int(r['months_differ'])} of {int(r['months_compared'])}"
                              if vintages and r.get("months_compared") else ""),
        }
    table = pd.DataFrame.from_dict(out, orient="index")
    table.index.name = "signal"
    return table


def compare_states(real_time: pd.Series, revised: pd.Series, basis: pd.Series) -> dict[str, Any]:
    """Coverage and agreement of one signal: first/last real-time month, the point-in-time share of the months
    with a state, and on the months both bases have a state and the real-time one is truly point-in-time, how
    many differ (count and share)."""
    has = real_time.notna()
    rt_months = basis.index[(basis == "real-time") & has]
    both = pd.concat({"rt": real_time, "rev": revised}, axis=1).loc[rt_months].dropna()
    differ = int((both["rt"] != both["rev"]).sum())
    return {"first_real_time": rt_months[0].strftime("%Y-%m-%d") if len(rt_months) else None,
            "last_real_time": rt_months[-1].strftime("%Y-%m-%d") if len(rt_months) else None,
            "share_point_in_time": float(len(rt_months) / has.sum()) if has.sum() else float("nan"),
            "months_compared": int(len(both)), "months_differ": differ,
            "share_differ": float(differ / len(both)) if len(both) else float("nan")}


def realtime_signals(tables: Mapping[str, pd.DataFrame], revised: pd.DataFrame, curve: pd.Series,
                     revised_unrate: pd.Series, *, sahm_threshold: float = 0.5, late_band: float = 0.5,
                     late_curve_max: float = 0.25) -> RealTimeSignals:
    """The macro signals on the real-time basis where vintages exist, beside the release-timed ones.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Observation x vintage tables keyed as :data:`REALTIME_SIGNALS` names them (UNRATE, ICSA, PAYEMS, INDPRO,
        UMCSENT, CPIAUCSL, GDPC1; each from its source in :data:`VINTAGE_SOURCES`), cut at the run's end:
        :func:`vintage_tables`.
    revised : DataFrame
        :func:`rotation.studies.macro_signals.signal_states` on release-timed (latest vintage) values.
    curve, revised_unrate : Series
        The 10y-2y spread and the release-timed unemployment rate known at each month end (the late-cycle flag).
    """
    missing = [k for k, *_ in REALTIME_SIGNALS.values() if k not in tables]
    if missing:
        raise ParameterError(f"tables must hold the vintage tables of {missing}")
    dates = pd.DatetimeIndex(revised.index)
    states, basis, rows = revised.copy(), pd.DataFrame(index=dates), {}
    for name, (key, *_) in REALTIME_SIGNALS.items():
        rt, frame = signal_value(name, tables[key], dates, sahm_threshold)
        ok = frame["covered"] & rt.notna()
        states[name] = rt.where(ok, revised[name])
        basis[name] = np.where(ok, "real-time", "latest")
        rows[name] = {"basis": "real-time where vintages cover", "series": key,
                      "source": SOURCE_NAMES.get(tables[key].attrs.get("source", ""), ""),
                      **compare_states(states[name], revised[name], basis[name])}
    for name, text in OTHER_BASIS.items():
        if name in revised.columns:
            basis[name] = text
            rows[name] = {"basis": text, "series": "", "source": "",
                          **compare_states(revised[name], revised[name], basis[name])}
    late_rt, late_rev = _late(tables["UNRATE"], dates, curve, revised_unrate, late_band, late_curve_max)
    lb = pd.Series(np.where(late_rt.index.isin(_covered(tables["UNRATE"], late_rt.index)), "real-time", "latest"),
                   index=late_rt.index)
    rows["late-cycle flag"] = {"basis": "real-time where vintages cover", "series": "UNRATE",
                               "source": SOURCE_NAMES.get(tables["UNRATE"].attrs.get("source", ""), ""),
                               **compare_states(late_rt.astype(float), late_rev.astype(float), lb)}
    sahm_rev = sahm_rule(revised_unrate, threshold=sahm_threshold)
    sahm_rt = _hybrid_sahm(tables["UNRATE"], sahm_rev, sahm_threshold)
    return RealTimeSignals(states, basis, revised, late_rt, late_rev, pd.DataFrame.from_dict(rows, orient="index"),
                           late_basis=lb, sahm=sahm_rt, sahm_revised=sahm_rev)


def _hybrid_sahm(table: pd.DataFrame, revised: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The Sahm rule's gap within the vintage known at each month, the revised gap where none covers it."""
    frame = within_vintage(table, revised.index, _sahm_gap(threshold))
    ok = frame["covered"] & frame["value"].notna()
    gap = frame["value"].where(ok, revised["gap"])
    trigger = (gap >= float(threshold) - 1e-12).astype("boolean").mask(gap.isna())
    return pd.DataFrame({"gap": gap, "trigger": trigger, "basis": np.where(ok, "real-time", "latest")},
                        index=revised.index)


#: The continuous predictors of :func:`rotation.studies.macro_signals.signal_levels` with vintages: (the series,
#: the transform within a vintage). The curve (market data) keeps its basis.
REALTIME_LEVELS: dict[str, tuple[str, Transform]] = {
    "claims 26-week log change": ("ICSA", lambda x: np.log(x).diff(6)),
    "payroll growth (12m)": ("PAYEMS", lambda x: x.pct_change(12)),
    "IP growth (12m)": ("INDPRO", lambda x: x.pct_change(12)),
    "sentiment change (12m)": ("UMCSENT", lambda x: x.diff(12)),
    "CPI inflation (12m)": ("CPIAUCSL", lambda x: x.pct_change(12)),
    "GDP growth (4q)": ("GDPC1", lambda x: x.pct_change(4)),
}


def realtime_levels(tables: Mapping[str, pd.DataFrame], revised: Mapping[str, pd.Series], *,
                    sahm_threshold: float = 0.5) -> tuple[dict[str, pd.Series], pd.DataFrame]:
    """The continuous predictors on the real-time basis where vintages cover the month, revised elsewhere.

    ``revised`` is :func:`rotation.studies.macro_signals.signal_levels` on release-timed values; each predictor
    with vintages (:data:`REALTIME_LEVELS` and the unemployment gap of the Sahm rule) is recomputed within the
    vintage known at each month end. Returns the predictors (same keys and index as ``revised``) and each one's
    basis by month (``"real-time"``, ``"latest"``, or ``"market data (not revised)"`` for the 10y-2y spread; NaN
    where the predictor has no value).
    """
    out, basis = dict(revised), {}
    todo = {**REALTIME_LEVELS, "unemployment gap (Sahm)": ("UNRATE", _sahm_gap(sahm_threshold))}
    for name, series in revised.items():
        if name not in todo:  # no vintages: the curve is market data (never revised)
            label = "market data (not revised)" if name == "10y-2y spread" else "latest"
            basis[name] = pd.Series(label, index=series.index).where(series.notna())
    for name, (key, transform) in todo.items():
        if name not in revised:
            continue
        idx = revised[name].index
        frame = within_vintage(tables[key], idx, transform)
        ok = (frame["covered"] & frame["value"].notna()).to_numpy()
        out[name] = pd.Series(np.where(ok, frame["value"], revised[name]), index=idx, name=revised[name].name)
        basis[name] = pd.Series(np.where(ok, "real-time", "latest"), index=idx).where(out[name].notna())
    return out, pd.DataFrame(basis)


def _covered(table: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    if table.shape[1] == 0:
        return dates[:0]
    kv = known_values(table, dates, "real-time")
    return dates[kv["covered"].to_numpy()]


def _late(table: pd.DataFrame, dates: pd.DatetimeIndex, curve: pd.Series, revised_unrate: pd.Series, band: float,
          curve_max: float) -> tuple[pd.Series, pd.Series]:
    """The late-cycle flag with the tight-labour-market test computed within each unemployment vintage."""
    late_rev = late_cycle_realtime(revised_unrate, curve, band=band, curve_max=curve_max)
    tight_rev = revised_unrate <= revised_unrate.rolling(36, min_periods=36).min() + float(band) + 1e-12
    gap = within_vintage(table, dates, lambda u: u - u.rolling(36, min_periods=36).min())
    tight = (gap["value"] <= float(band) + 1e-12).where(gap["value"].notna())
    tight = tight.where(gap["covered"], tight_rev.reindex(dates).where(revised_unrate.reindex(dates).notna()))
    flat = curve.reindex(dates) <= float(curve_max) + 1e-12
    both = pd.concat({"tight": tight, "flat": flat.where(curve.reindex(dates).notna())}, axis=1).dropna()
    late_rt = (both["tight"].astype(bool) & both["flat"].astype(bool)).rename("late_cycle")
    return late_rt.loc[late_rt.index.isin(late_rev.index)], late_rev
