"""The Kenneth R. French Data Library's international files: their catalog entries.

The entries are the keyword arguments of the catalog's Ken French entries (``source="famafrench"``);
:mod:`rotation.data.catalog` turns them into :class:`~rotation.data.catalog.Dataset` entries after the US
ones, so they are fetched (``<remote id>_CSV.zip`` from the library), imported (``<remote id>.csv``, also
from a sub-folder such as ``famafrench/international/``), parsed and stored exactly like the US files, in the
same units: decimal simple returns (published percent / 100), -99.99 as NaN, monthly rows at the month end,
daily rows on their trading day. This module imports nothing of the data layer (no cycle with the catalog).

The library builds these from Bloomberg data (the US files: CRSP), in US dollars, from 1990-07 (Emerging
markets: 1992-07). ``data/README.md`` ("Ken French international files") documents the definitions (SMB is the
average of the small minus the average of the big portfolios, big = the top 90% of the region's market cap,
small = the bottom 10%), the vintages and the files' quirks; :mod:`rotation.data.regions` groups the keys by
region.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FF_INTL", "INTL_FACTOR_FILES", "INTL_DAILY_FILES", "INTL_SBM_FILE", "RET_UNITS", "RET_RANGE"]

#: Units of a return as loaded: the same words as the US Ken French returns.
RET_UNITS = "decimal simple return per period (published percent / 100)"
#: Plausible range of a return as loaded: not below -100%, not above +1000% in one period.
RET_RANGE = (-1.0, 10.0)

_F3 = "Mkt-RF, SMB, HML, RF"
_F5 = "Mkt-RF, SMB, HML, RMW, CMA, RF"
_DEF = ("US dollars; Bloomberg data; Mkt-RF is the region's value-weight market minus the US 1-month T-bill, "
        "SMB the average of the small minus the average of the big portfolios (big = top 90% of the region's "
        "June market cap, small = bottom 10%)")

#: Monthly factor files (monthly table + an annual January-December table): {key stem: (remote id, label, columns,
#: first month)}.
INTL_FACTOR_FILES: dict[str, tuple[str, str, str, str]] = {
    "developed": ("Developed_3_Factors", "Developed markets (the US included)", _F3, "1990-07"),
    "europe": ("Europe_3_Factors", "Europe (developed markets)", _F3, "1990-07"),
    "japan": ("Japan_3_Factors", "Japan", _F3, "1990-07"),
    "asia_pacific_ex_japan": ("Asia_Pacific_ex_Japan_3_Factors",
                              "Asia Pacific ex Japan (Australia, Hong Kong, New Zealand, Singapore)", _F3, "1990-07"),
    "emerging": ("Emerging_5_Factors", "Emerging markets", _F5, "1992-07"),
    "north_america": ("North_America_5_Factors", "North America (US and Canada)", _F5, "1990-07"),
}
#: Daily factor files (one table): {key: (remote id, label, columns)}.
INTL_DAILY_FILES: dict[str, tuple[str, str, str]] = {
    "intl_europe_daily": ("Europe_3_Factors_Daily", "Europe", _F3),
    "intl_europe5_daily": ("Europe_5_Factors_Daily", "Europe", _F5),
    "intl_developed_ex_us_daily": ("Developed_ex_US_5_Factors_Daily",
                                   "Developed markets ex US (the Developed set without the US)", _F5),
}
#: The developed markets' 2 x 3 size x book-to-market portfolios (the US ``6_Portfolios_2x3`` tables' headers).
INTL_SBM_FILE = "Developed_6_Portfolios_ME_BE-ME"
_SBM = ("Developed markets, 6 portfolios (2 size x 3 B/M; size breaks at the top 90% / bottom 10% of June market "
        "cap): SMALL LoBM, ME1 BM2, SMALL HiBM, BIG LoBM, ME2 BM2, BIG HiBM")


def _entry(key: str, remote: str, freq: str, desc: str, table: str, pos: int | None = None,
           optional: bool = False, kind: str = "returns", units: str = RET_UNITS,
           rng: tuple[float, float] = RET_RANGE) -> dict[str, Any]:
    """The keyword arguments of one Ken French :class:`~rotation.data.catalog.Dataset` (source famafrench)."""
    return {"key": key, "source": "famafrench", "remote_id": remote, "frequency": freq, "kind": kind,
            "units": units, "description": desc, "table": table, "table_position": pos, "valid_range": rng,
            "optional": optional}


def _entries() -> list[dict[str, Any]]:
    out = []
    for stem, (remote, label, cols, first) in INTL_FACTOR_FILES.items():
        out.append(_entry(f"intl_{stem}_monthly", remote, "M",
                          f"{label}: factors ({cols}), monthly from {first}; {_DEF}", "", 0))
        out.append(_entry(f"intl_{stem}_annual", remote, "A",
                          f"{label}: factors ({cols}), annual (January-December); {_DEF}", r"annual", None, True))
    for key, (remote, label, cols) in INTL_DAILY_FILES.items():
        out.append(_entry(key, remote, "D", f"{label}: factors ({cols}), daily from 1990-07-02; {_DEF}", "", 0))
    sbm = INTL_SBM_FILE
    out += [
        _entry("intl_developed_sbm_vw_monthly", sbm, "M", f"{_SBM}, value-weighted returns, monthly",
               r"value weight.*monthly", 0),
        _entry("intl_developed_sbm_ew_monthly", sbm, "M", f"{_SBM}, equal-weighted returns, monthly",
               r"equal weight.*monthly", None),
        _entry("intl_developed_sbm_vw_annual", sbm, "A", f"{_SBM}, value-weighted returns, annual",
               r"value weight.*annual", None, True),
        _entry("intl_developed_sbm_ew_annual", sbm, "A", f"{_SBM}, equal-weighted returns, annual",
               r"equal weight.*annual", None, True),
        _entry("intl_developed_sbm_nfirms_monthly", sbm, "M", f"{_SBM}: number of firms", r"number of firms",
               None, True, "count", "number of firms", (0, 1e6)),
        _entry("intl_developed_sbm_avgsize_monthly", sbm, "M", f"{_SBM}: average firm size (market cap)",
               r"average firm size|average market cap", None, True, "level",
               "average market equity, $ millions (US dollars)", (0, 1e8)),
    ]
    return out


#: Every international entry, as keyword arguments of ``Dataset`` (catalog order).
FF_INTL: tuple[dict[str, Any], ...] = tuple(_entries())
