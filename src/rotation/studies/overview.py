"""The data overview (notebook 00): what the store holds, the long view of small vs large caps, and where
the series the later notebooks lean on stand.

Each function takes what the notebook loaded (this module reads nothing from the store) and returns
a result object (:mod:`rotation.stats.results`) that records itself and says what it found:

* :func:`coverage_study` -- one row per catalog dataset: stored or not, rows, first and last date;
* :func:`long_view` -- the sample of a small/large pair and the compounded annual growth of each side;
* :func:`level_facts` -- the latest, highest and lowest value of a level series (a yield, an index);
* :func:`findings` -- the notebook's closing bullets, from those results.

Returns are decimal simple returns; levels are in the units of their dataset (``data/README.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation.errors import ParameterError
from rotation.stats.checks import check_int, check_pandas, check_returns
from rotation.stats.compound import compound
from rotation.stats.results import VOCABULARY, Estimates, Method, Results, Sentence
from rotation.stats.units import Units

__all__ = ["COVERAGE_COLUMNS", "coverage_study", "long_view", "level_facts", "findings"]

#: The columns of :func:`rotation.data.coverage` the overview shows, in this order.
COVERAGE_COLUMNS: tuple[str, ...] = ("key", "source", "remote_id", "frequency", "stored", "rows", "first", "last",
                                     "acquired_at")

_NAN = float("nan")
_DESCRIPTIVE = Method(kind="descriptive")


def _table(rows: dict[str, dict[str, object]], index_name: str) -> pd.DataFrame:
    """Rows in the result vocabulary (NaN where a quantity does not apply), then their other columns."""
    table = pd.DataFrame.from_dict(rows, orient="index")
    for col in VOCABULARY:
        if col not in table.columns:
            table[col] = _NAN
    table.index.name = index_name
    return table[[*VOCABULARY, *(c for c in table.columns if c not in VOCABULARY)]]


def coverage_study(cov: pd.DataFrame, *, stale_years: float = 2.0) -> Estimates:
    """What the store holds: one row per catalog dataset.

    Parameters
    ----------
    cov : pd.DataFrame
        :func:`rotation.data.coverage` (one row per catalog dataset, with at least
        :data:`COVERAGE_COLUMNS`).
    stale_years : float
        A stored dataset whose last date is more than this many years before the newest dataset's
        is named as ending early (discontinued or not updated) in the sentence.

    Returns
    -------
    Estimates
        Rows by dataset key: ``estimate`` = years from the first to the last observation, ``nobs`` =
        rows stored (missing when not stored), then ``source``, ``remote_id``, ``frequency``, ``stored``,
        ``first``, ``last``, ``acquired_at`` (when the data were fetched or imported: their as-of time).
        ``extra``: ``stored`` (how many datasets are stored), ``missing`` (keys of those that are not),
        ``catalog`` (datasets in the catalog). ``.data``: the :data:`COVERAGE_COLUMNS` of ``cov``.
    """
    if not isinstance(cov, pd.DataFrame):
        raise ParameterError(f"cov must be the DataFrame of rotation.data.coverage(); got {type(cov).__name__}")
    absent = [c for c in COVERAGE_COLUMNS if c not in cov.columns]
    if absent:
        raise ParameterError(f"cov must have the columns of rotation.data.coverage(); missing {absent}")
    if not cov["key"].is_unique:
        raise ParameterError("cov must have one row per dataset key; got duplicate keys "
                             f"{sorted(set(cov.loc[cov['key'].duplicated(), 'key']))}")
    stored = cov[cov["stored"].astype(bool)]
    missing = cov.loc[~cov["stored"].astype(bool), "key"].tolist()
    first, last = pd.to_datetime(cov["first"]), pd.to_datetime(cov["last"])
    rows = {}
    for i, row in enumerate(cov.itertuples(index=False)):
        rows[row.key] = {"estimate": (last.iloc[i] - first.iloc[i]).days / 365.25 if row.stored else _NAN,
                         "nobs": int(row.rows) if row.stored else pd.NA,
                         "source": row.source, "remote_id": row.remote_id, "frequency": row.frequency,
                         "stored": bool(row.stored), "first": first.iloc[i], "last": last.iloc[i],
                         "acquired_at": row.acquired_at if row.stored else None}
    table = _table(rows, "key").astype({"nobs": "Int64", "estimate": float})
    newest = last[cov["stored"].astype(bool)].max()
    early = [k for k, d in zip(stored["key"], last[cov["stored"].astype(bool)], strict=True)
             if (newest - d).days > 365.25 * stale_years]
    oldest = first[cov["stored"].astype(bool)].min()
    sentence = (f"The store holds **{len(stored)}** of {len(cov)} catalog datasets"
                + (f" (not stored: {', '.join(missing)})" if missing else "")
                + f". The oldest observation is from {oldest:%Y-%m} and the newest from {newest:%Y-%m-%d}"
                + (f"; stored datasets that end more than {stale_years:g} years before that (discontinued or "
                   f"not updated): {', '.join(early)}." if early else "."))
    return Estimates(table, _DESCRIPTIVE, Units.number("years from the first to the last observation"),
                     "What the store holds, by dataset", extra={"stored": int(len(stored)), "missing": missing,
                                                                "catalog": int(len(cov))},
                     data=cov[list(COVERAGE_COLUMNS)].reset_index(drop=True), sentence=sentence)


def long_view(rets: pd.DataFrame, *, description: str, periods_per_year: int = 12) -> Results:
    """The sample of a small/large pair and the compounded annual growth (CAGR) of each side.

    Parameters
    ----------
    rets : pd.DataFrame
        Columns ``small`` and ``large``: decimal simple returns per period (:func:`rotation.data.small_large`).
    description : str
        What the pair is (``rotation.data.PROXIES[proxy].description``), for the sentence and the title.
    periods_per_year : int
        12 for monthly returns.

    Returns
    -------
    Results
        ``cagr`` (rows ``small`` and ``large``: ``estimate`` = ``(1 + total return) ** (1 / years) - 1``
        with ``years = periods / periods_per_year``, ``nobs`` = periods, ``wealth`` = growth of $1);
        ``extra``: ``start``, ``end``, ``months`` (periods), ``years``.
    """
    check_returns(rets, "rets")
    if not {"small", "large"} <= set(rets.columns) or rets.empty:
        raise ParameterError(f"rets must have columns 'small' and 'large' and at least one row; got "
                             f"{list(rets.columns)} with {len(rets)} rows")
    ppy = check_int(periods_per_year, "periods_per_year", minimum=1)
    wealth = 1 + compound(rets)
    years = len(rets) / ppy
    cagr = wealth ** (1 / years) - 1
    rows = {side: {"estimate": float(cagr[side]), "nobs": int(rets[side].notna().sum()),
                   "wealth": float(wealth[side])} for side in ("small", "large")}
    part = Estimates(_table(rows, "side"), Method(kind="descriptive", note="CAGR: growth of $1 to the power "
                                                                          "1 / years, minus 1"),
                     Units.returns("decimal return per year, compounded over the whole sample (CAGR)"),
                     f"Compounded annual growth, {description}")
    sentence = (f"Over {years:.0f} years ({len(rets)} months) small caps compounded at **{cagr['small']:.1%}** a year "
                f"and large caps at **{cagr['large']:.1%}** ({description}). The gap is not steady: long stretches "
                "of small-cap leadership alternate with decade-long droughts, which is what notebook 01 measures.")
    return Results({"cagr": part}, extra={"start": rets.index[0], "end": rets.index[-1], "months": int(len(rets)),
                                          "years": years},
                   title="The long view of small vs large caps", sentence=sentence)


def level_facts(series: pd.Series, *, what: str, units: str, suffix: str = "", decimals: int = 2) -> Estimates:
    """The latest, highest and lowest value of a level series, with their dates.

    Parameters
    ----------
    series : pd.Series
        Levels by date (a yield in percent, an index level), as loaded; NaN values are ignored for the
        highest and lowest, the latest is the last row.
    what : str
        What the series is, for the title and the sentence ("the 10-year yield").
    units : str
        Its units in words ("percent per year").
    suffix, decimals
        How the sentence writes a value (``"%"`` and 2: ``4.68%``).

    Returns
    -------
    Estimates
        Rows ``last``, ``max``, ``min``: ``estimate`` = the value, ``date``; ``nobs`` = observations.
    """
    check_pandas(series, "series", allow_frame=False)
    if series.dropna().empty:
        raise ParameterError(f"series ({what}) has no values")
    d = check_int(decimals, "decimals", minimum=0, maximum=10)
    n = int(series.notna().sum())
    rows = {"last": {"estimate": float(series.iloc[-1]), "nobs": n, "date": series.index[-1]},
            "max": {"estimate": float(series.max()), "nobs": n, "date": series.idxmax()},
            "min": {"estimate": float(series.min()), "nobs": n, "date": series.idxmin()}}
    table = _table(rows, "value")

    def v(k: str) -> str:
        x = table.loc[k, "estimate"]
        return "n/a" if not np.isfinite(x) else f"{x:.{d}f}{suffix}"

    sentence = (f"{what[:1].upper()}{what[1:]} was {v('last')} on {table.loc['last', 'date']:%Y-%m-%d} "
                f"(peak {v('max')} on {table.loc['max', 'date']:%Y-%m-%d}, low {v('min')} on "
                f"{table.loc['min', 'date']:%Y-%m-%d}).")
    return Estimates(table, _DESCRIPTIVE, Units.number(units), f"{what[:1].upper()}{what[1:]}: latest, highest "
                     "and lowest", sentence=sentence)


def findings(coverage: Estimates, view: Results, yields: Estimates, *, description: str) -> Sentence:
    """The closing bullets of the overview: what is stored, the long view, and the 10-year yield.

    Parameters
    ----------
    coverage, view, yields
        The results of :func:`coverage_study`, :func:`long_view` and :func:`level_facts` (of the yield).
    description : str
        What the small/large pair is.

    Returns
    -------
    Sentence
        Markdown bullets (a notebook cell ending with it shows them).
    """
    missing = coverage.extra["missing"]
    not_stored = f" (not stored: {', '.join(missing)})" if missing else ""
    cagr = view["cagr"].table["estimate"]
    y = yields.table
    return Sentence(
        f"* The store holds **{coverage.extra['stored']}** of {coverage.extra['catalog']} catalog datasets"
        f"{not_stored}.\n"
        f"* {description}: **{view.extra['months']}** months from {view.extra['start']:%Y-%m} to "
        f"{view.extra['end']:%Y-%m};\n  small caps compounded at {cagr['small']:.1%} a year, large caps at "
        f"{cagr['large']:.1%}.\n"
        f"* The 10-year yield was {y.loc['last', 'estimate']:.2f}% on {y.loc['last', 'date']:%Y-%m-%d} "
        f"(peak {y.loc['max', 'estimate']:.2f}% on {y.loc['max', 'date']:%Y-%m-%d}).\n")
