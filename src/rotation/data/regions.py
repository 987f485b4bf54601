"""Markets outside the US: the Ken French international factor files, one :class:`Region` each.

The catalog keys are defined in :mod:`rotation.data.catalog_intl`; this module only says which key holds which
region and frequency, what the region's SMB is, and which vintage the snapshot holds, and loads them through
:func:`rotation.data.api.load` (same units as the US files: decimal simple returns, monthly rows at the month
end, daily rows on the trading day)::

    from rotation.data.regions import REGIONS, regional_factors
    smb = regional_factors("japan")["SMB"]                  # monthly, decimal
    daily = regional_factors("europe", "D", start="2000")   # Europe 3 factors, daily

The definitions are in ``data/README.md`` ("Ken French international files").
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rotation.data.api import load
from rotation.data.store import Store
from rotation.errors import ParameterError

__all__ = ["Region", "REGIONS", "FREQUENCIES", "region", "regional_factors", "SMB_DEFINITION"]

#: What SMB (and the market factor) means in every international file.
SMB_DEFINITION = (
    "SMB here is the equal-weight average of the region's small-stock portfolios minus the average of its big-stock "
    "portfolios (the 2 x 3 sorts on size and B/M; in the 5-factor files also on OP and investment), where big stocks "
    "are the top 90% of the region's June market cap and small stocks the bottom 10% (the library's international "
    "methodology). It is not the US bottom-30%/top-30% size pair (ff30_vw) and not the US SMB's NYSE-median split. "
    "Returns are in US dollars (local returns plus the currency's move against the dollar); Mkt-RF is the region's "
    "value-weight market minus the US one-month T-bill, RF the US T-bill. Bloomberg data, from 1990-07"
)

#: Frequency codes :func:`regional_factors` accepts, and the words for them.
FREQUENCIES = {"M": "monthly", "A": "annual", "D": "daily"}

_F3 = ("Mkt-RF", "SMB", "HML", "RF")
_F5 = ("Mkt-RF", "SMB", "HML", "RMW", "CMA", "RF")


@dataclass(frozen=True)
class Region:
    """One market region of the library's international files.

    Attributes
    ----------
    key : str
        ``developed``, ``europe``, ``japan``, ``asia_pacific_ex_japan``, ``emerging`` or ``north_america``.
    label : str
        The region in words ("Asia Pacific ex Japan").
    monthly : str
        Catalog key of the monthly factors (its annual table: :attr:`annual`).
    daily : str or None
        Catalog key of the daily factors, None when the library file is not in the catalog. Developed's daily file
        is Developed **ex US** (another set of stocks than its monthly file).
    factors : tuple of str
        Columns of the monthly table, as published.
    vintage_note : str
        The library vintage the offline snapshot holds and how far it reaches (a live fetch gets the current one).
    definition : str
        What the region's factors are (:data:`SMB_DEFINITION` and the region's own caveats).
    includes_us : bool
        The region holds the United States (Developed, North America): its evidence is not independent of the US
        evidence.
    """

    key: str
    label: str
    monthly: str
    daily: str | None
    factors: tuple[str, ...]
    vintage_note: str
    definition: str
    includes_us: bool = False

    @property
    def annual(self) -> str:
        """Catalog key of the annual (January-December) table (optional: a file may lack it)."""
        return self.monthly.removesuffix("_monthly") + "_annual"

    @property
    def daily_label(self) -> str:
        """The daily file's region in words: "Developed ex US" for Developed (its daily file leaves the US out)."""
        return "Developed ex US" if self.key == "developed" else self.label

    def key_for(self, frequency: str = "M") -> str:
        """The catalog key of ``frequency`` (``"M"``, ``"A"`` or ``"D"``); ParameterError when there is none."""
        code = _frequency(frequency)
        if code == "M":
            return self.monthly
        if code == "A":
            return self.annual
        if self.daily is None:
            with_daily = ", ".join(r.key for r in REGIONS.values() if r.daily)
            raise ParameterError(f"region {self.key!r} has no daily file in the catalog; regions with daily factors: "
                                 f"{with_daily}. Use frequency 'M' or 'A' for {self.key!r}.")
        return self.daily


def _frequency(frequency: str) -> str:
    """``"M"``, ``"A"`` or ``"D"`` from a code or its word (any case); ParameterError otherwise."""
    text = str(frequency).strip().upper()
    code = {w.upper(): c for c, w in FREQUENCIES.items()}.get(text, text)
    if code not in FREQUENCIES:
        raise ParameterError(f"frequency must be one of {', '.join(FREQUENCIES)} ({', '.join(FREQUENCIES.values())}), "
                             f"got {frequency!r}")
    return code


def _region(key: str, label: str, factors: tuple[str, ...], daily: str | None, note: str, extra: str) -> Region:
    return Region(key=key, label=label, monthly=f"intl_{key}_monthly", daily=daily, factors=factors,
                  vintage_note=note, definition=f"{SMB_DEFINITION}. {extra}".strip(),
                  includes_us=key in ("developed", "north_america"))


#: The regions, keyed by :attr:`Region.key`.
REGIONS: dict[str, Region] = {r.key: r for r in (
    _region("developed", "Developed markets", _F3, "intl_developed_ex_us_daily",
            "Snapshot: vintage 202512, monthly 1990-07..2025-12 (annual 1991-2025); daily (Developed ex US 5 "
            "factors): vintage 202603, 1990-07-02..2026-03-31.",
            "The developed markets with the US included (the US is a large share of their market cap, so Developed is "
            "not independent of the US). Its daily file is Developed ex US (5 factors: the developed markets "
            "without the US), another set of stocks than the monthly file."),
    _region("europe", "Europe", _F3, "intl_europe_daily",
            "Snapshot: vintage 202504, monthly 1990-07..2025-04 (annual 1991-2024); daily (3 factors, and 5 factors "
            "as intl_europe5_daily): vintage 202603, 1990-07-02..2026-03-31.",
            "Developed Europe. The daily file (vintage 202603) is newer than the monthly one (202504)."),
    _region("japan", "Japan", _F3, None,
            "Snapshot: vintage 202503, monthly 1990-07..2025-03 (annual 1991-2024).", ""),
    _region("asia_pacific_ex_japan", "Asia Pacific ex Japan", _F3, None,
            "Snapshot: vintage 202509, monthly 1990-07..2025-09 (annual 1991-2024).",
            "Australia, Hong Kong, New Zealand and Singapore."),
    _region("emerging", "Emerging markets", _F5, None,
            "Snapshot: vintage 202603, monthly 1992-07..2026-03 (annual 1990-2025; SMB missing in 1990-1992).",
            "Emerging-markets data start in 1992-07, not 1990-07. The annual table has rows for 1990-1992, before "
            "the monthly data start, with SMB, CMA (and in 1990-1991 RMW) missing: use the monthly table."),
    _region("north_america", "North America", _F5, None,
            "Snapshot: an OLD vintage, 202005: monthly 1990-07..2020-05 (annual 1991-2019); the library's current "
            "file is newer (a live fetch replaces it).",
            "The US and Canada: mostly the US, so not an independent market. The snapshot's file is an old vintage "
            "ending 2020-05."),
)}


def region(name: str) -> Region:
    """The :class:`Region` called ``name`` (its key; case, spaces and hyphens ignored), else ParameterError."""
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in REGIONS:
        raise ParameterError(f"unknown region {name!r}; the regions are: {', '.join(REGIONS)}")
    return REGIONS[key]


def regional_factors(
    region: str,
    frequency: str = "M",
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    *,
    store: Store | None = None,
) -> pd.DataFrame:
    """A region's factors (decimal simple returns, columns as published) through :func:`rotation.data.api.load`.

    Parameters
    ----------
    region : str
        A key of :data:`REGIONS` (``"japan"``, ``"asia_pacific_ex_japan"``...).
    frequency : {"M", "A", "D"}
        Monthly (month-end dates), annual (Dec 31) or daily (trading days; Europe and Developed, whose daily file
        is Developed ex US). ``"monthly"``, ``"annual"`` and ``"daily"`` are accepted too.
    start, end : date-like, optional
        Inclusive bounds, as :func:`~rotation.data.api.load`.
    store : Store, optional

    Raises
    ------
    ParameterError
        Unknown region (the message names the valid ones), unknown frequency, or no daily file for the region.
    """
    key = _lookup(region).key_for(frequency)
    return load(key, start, end, store=store)


_lookup = region  # the parameter ``region`` of regional_factors shadows the function
