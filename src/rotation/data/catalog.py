"""The catalog: every dataset the notebooks may use, defined once.

A *remote file* (one Ken French file, one FRED series, one ticker's price history) is
downloaded or imported as one original file and kept byte-for-byte under
``data/raw/<source>/``. It yields one or more *datasets* (a Ken French file holds
several tables), each stored as a parquet file and loaded with
:func:`rotation.data.load`.

Units and shapes are a contract (see ``data/README.md``):

* Ken French returns: **decimal** simple returns (the published percent / 100);
  -99.99 and -999 become NaN. Counts stay counts, firm size stays $ millions,
  BE/ME and OP stay ratios, investment is a decimal growth rate.
* FRED values: **as published** (percent for rates and spreads, index points for
  indexes, 0/1 for USREC...), missing observations dropped.
* Prices: ``open, high, low, close, adj_close, volume`` as published, with
  ``adj_close`` always present (``Adj Close`` if the file has it, else ``Close``).
* Dates: a DatetimeIndex named ``date``. Daily and weekly observations keep their
  published date. Monthly, quarterly and annual observations are stamped at the
  **end** of their period (1926-07 -> 1926-07-31; FRED's 2026-01-01 for January
  -> 2026-01-31), so that a value is dated when the period it describes is over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rotation.data.catalog_intl import FF_INTL
from rotation.errors import DatasetNotFoundError

__all__ = [
    "Dataset",
    "RemoteFile",
    "CATALOG",
    "REMOTE_FILES",
    "SOURCES",
    "get",
    "keys",
    "remote_file",
    "identify",
    "price_filename",
    "ticker_from_filename",
]

Source = Literal["famafrench", "fred", "prices", "fredmd", "rtdsm"]
Frequency = Literal["D", "W", "M", "Q", "A"]
Kind = Literal[
    "returns",  # percent in the file -> decimal in the store
    "count",
    "level",  # a value kept as published (index, rate in percent, dollars, ratio)
    "indicator",  # 0/1
    "prices",  # OHLC(+adj_close, volume) frame
    "ratio",
    "growth",  # a percent growth rate in the file -> decimal
    "vintages",  # observation date x vintage table of a real-time source (values as published)
]

SOURCES: tuple[Source, ...] = ("famafrench", "fred", "prices", "fredmd", "rtdsm")

FF_TERMS = (
    "Kenneth R. French Data Library (Dartmouth, Tuck School). Free for research use; "
    "cite Fama and French. Data (c) Eugene F. Fama and Kenneth R. French."
)
FRED_TERMS = (
    "FRED, Federal Reserve Bank of St. Louis. Public-domain series may be reused with "
    "citation; some series (ICE BofA, S&P, NASDAQ, CBOE) carry their owners' copyright: "
    "see the series' notes on fred.stlouisfed.org before redistributing."
)
FREDMD_TERMS = (
    "FRED-MD (McCracken and Ng 2016, Federal Reserve Bank of St. Louis): free to use with citation of "
    "McCracken, M. W. and Ng, S. (2016), 'FRED-MD: A Monthly Database for Macroeconomic Research', JBES 34(4)."
)
RTDSM_TERMS = (
    "Real-Time Data Set for Macroeconomists, Federal Reserve Bank of Philadelphia: free to use; cite Croushore, D. "
    "and Stark, T. (2001), 'A Real-Time Data Set for Macroeconomists', Journal of Econometrics 105(1)."
)
YAHOO_TERMS = (
    "Yahoo Finance chart data, for personal research use under Yahoo's terms of service; "
    "index values are (c) their index providers (FTSE Russell, S&P DJI, CBOE, ICE). "
    "Do not redistribute."
)


@dataclass(frozen=True)
class Dataset:
    """One loadable dataset.

    Attributes
    ----------
    key : str
        Name used with :func:`rotation.data.load` (``"DGS10"``, ``"IWM"``, ``"size_vw_monthly"``).
    source : {"famafrench", "fred", "prices"}
    remote_id : str
        The remote file it comes from: Ken French dataset name, FRED series id or Yahoo ticker.
    frequency : {"D", "W", "M", "Q", "A"}
    kind : str
        How values are converted on the way into the store (see module docstring).
    units : str
        Units of the values *as loaded*.
    description : str
    table : str or None
        Ken French only: regular expression matched against the table title.
        ``""`` means the untitled first table.
    table_position : int or None
        Ken French only: position used when the file has no table titles at all
        (the reformatted single-table files); None means "only if titled".
    shape : {"series", "frame"}
        What :func:`rotation.data.load` returns.
    valid_range : tuple of float or None
        Plausible range of values as loaded (inclusive); values outside it reject the file.
    price_basis : str
        Prices only: "total return" (dividend-adjusted ETF close) or "price only" (index level).
    release_lag_days : int or None
        Typical calendar days between an observation's date (as stored: the end of the period it
        describes) and its first publication. 0 for market data known at the close. None when the
        value is only known with hindsight (NBER recession dates). Used by
        :func:`rotation.data.timing.as_known` so a signal at t uses only values published by t.
    revised : bool
        The series' history is revised after first publication (FRED serves the latest vintage, so
        earlier values include revisions nobody had at the time: a look-ahead the lag cannot remove).
    """

    key: str
    source: Source
    remote_id: str
    frequency: Frequency
    kind: Kind
    units: str
    description: str
    table: str | None = None
    table_position: int | None = None
    shape: Literal["series", "frame"] = "frame"
    valid_range: tuple[float, float] | None = None
    price_basis: str = ""
    optional: bool = False
    release_lag_days: int | None = 0
    revised: bool = False

    @property
    def terms(self) -> str:
        """Terms of use of the source."""
        return {"famafrench": FF_TERMS, "fred": FRED_TERMS, "prices": YAHOO_TERMS, "fredmd": FREDMD_TERMS,
                "rtdsm": RTDSM_TERMS}[self.source]


@dataclass(frozen=True)
class RemoteFile:
    """One original file as published by its source (what ``fetch``/``import`` handle)."""

    source: Source
    remote_id: str
    datasets: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"{self.source}/{self.remote_id}"


# --------------------------------------------------------------------------- Ken French
_RET = "decimal simple return per period (published percent / 100)"
_FF: list[Dataset] = []


def _ff(key, remote, freq, kind, units, desc, table, pos=None, rng=None, optional=False):
    _FF.append(
        Dataset(
            key=key,
            source="famafrench",
            remote_id=remote,
            frequency=freq,
            kind=kind,
            units=units,
            description=desc,
            table=table,
            table_position=pos,
            valid_range=rng,
            optional=optional,
        )
    )


_RET_RANGE = (-1.0, 10.0)  # a return can't be below -100%; +1000% in one period is implausible

_ff("ff3_monthly", "F-F_Research_Data_Factors", "M", "returns", _RET,
    "Fama-French 3 factors (Mkt-RF, SMB, HML) and the 1-month T-bill rate RF, monthly", "", 0, _RET_RANGE)
_ff("ff3_annual", "F-F_Research_Data_Factors", "A", "returns", _RET,
    "Fama-French 3 factors and RF, annual (January-December)", r"annual", None, _RET_RANGE, True)
_ff("ff3_daily", "F-F_Research_Data_Factors_daily", "D", "returns", _RET,
    "Fama-French 3 factors and RF, daily", "", 0, _RET_RANGE)
_ff("ff5_monthly", "F-F_Research_Data_5_Factors_2x3", "M", "returns", _RET,
    "Fama-French 5 factors (2x3 sorts) and RF, monthly, from 1963-07", "", 0, _RET_RANGE)
_ff("ff5_annual", "F-F_Research_Data_5_Factors_2x3", "A", "returns", _RET,
    "Fama-French 5 factors and RF, annual", r"annual", None, _RET_RANGE, True)
_ff("ff5_daily", "F-F_Research_Data_5_Factors_2x3_daily", "D", "returns", _RET,
    "Fama-French 5 factors and RF, daily, from 1963-07-01", "", 0, _RET_RANGE)
_ff("mom_monthly", "F-F_Momentum_Factor", "M", "returns", _RET,
    "Momentum factor (Mom, 2-12 month prior return), monthly", "", 0, _RET_RANGE)
_ff("mom_annual", "F-F_Momentum_Factor", "A", "returns", _RET,
    "Momentum factor, annual", r"annual", None, _RET_RANGE, True)
_ff("mom_daily", "F-F_Momentum_Factor_daily", "D", "returns", _RET,
    "Momentum factor, daily", "", 0, _RET_RANGE)

_SIZE_COLS = ("columns '<= 0' (unused, all NaN), Lo 30, Med 40, Hi 30, Lo 20, Qnt 2..4, Hi 20, Lo 10, "
              "Dec 2..Dec 9, Hi 10")
for _freq, _remote, _suffix, _opt in (
    ("M", "Portfolios_Formed_on_ME", "monthly", False),
    ("D", "Portfolios_Formed_on_ME_Daily", "daily", False),
):
    _ff(f"size_vw_{_suffix}", _remote, _freq, "returns", _RET,
        f"Portfolios formed on market equity (size), value-weighted, {_suffix}; {_SIZE_COLS}",
        r"value weight.*(monthly|daily)|^value weight", 0, _RET_RANGE)
    _ff(f"size_ew_{_suffix}", _remote, _freq, "returns", _RET,
        f"Portfolios formed on market equity (size), equal-weighted, {_suffix}; {_SIZE_COLS}",
        r"equal weight.*(monthly|daily)|^equal weight", None, _RET_RANGE, _suffix == "daily")
    _ff(f"size_nfirms_{_suffix}", _remote, _freq, "count", "number of firms",
        f"Number of firms in each size portfolio, {_suffix}", r"number of firms", None, (0, 1e6), True)
    _ff(f"size_avgsize_{_suffix}", _remote, _freq, "level", "average market equity, $ millions",
        f"Average firm size (market equity) in each size portfolio, {_suffix}", r"average firm size", None,
        (0, 1e8), True)
_ff("size_vw_annual", "Portfolios_Formed_on_ME", "A", "returns", _RET,
    "Size portfolios, value-weighted, annual (January-December)", r"value weight.*annual", None, _RET_RANGE, True)
_ff("size_ew_annual", "Portfolios_Formed_on_ME", "A", "returns", _RET,
    "Size portfolios, equal-weighted, annual (January-December)", r"equal weight.*annual", None, _RET_RANGE, True)

_SBM = "6 portfolios: SMALL LoBM, ME1 BM2, SMALL HiBM, BIG LoBM, ME2 BM2, BIG HiBM"
_SBM_FILE = "6_Portfolios_2x3"
_ff("sbm_vw_monthly", _SBM_FILE, "M", "returns", _RET, f"{_SBM}, value-weighted returns, monthly",
    r"value weight.*monthly", 0, _RET_RANGE)
_ff("sbm_ew_monthly", _SBM_FILE, "M", "returns", _RET, f"{_SBM}, equal-weighted returns, monthly",
    r"equal weight.*monthly", None, _RET_RANGE, True)
_ff("sbm_vw_annual", _SBM_FILE, "A", "returns", _RET, f"{_SBM}, value-weighted returns, annual",
    r"value weight.*annual", None, _RET_RANGE, True)
_ff("sbm_ew_annual", _SBM_FILE, "A", "returns", _RET, f"{_SBM}, equal-weighted returns, annual",
    r"equal weight.*annual", None, _RET_RANGE, True)
_ff("sbm_nfirms_monthly", _SBM_FILE, "M", "count", "number of firms", f"{_SBM}: number of firms",
    r"number of firms", None, (0, 1e6), True)
_ff("sbm_mktcap_monthly", _SBM_FILE, "M", "level", "average market equity, $ millions",
    f"{_SBM}: average market cap", r"average market cap", None, (0, 1e8), True)
_ff("sbm_beme_monthly", _SBM_FILE, "M", "ratio", "book-to-market ratio (BE/ME)",
    f"{_SBM}: value-weight average BE/ME, BE of fiscal year t-1 over ME of December t-1",
    r"BE/ME.*ME\(Dec|Sum\[ME\(Mth\) \* BE\(Fiscal Year t-1\) / ME\(Dec", None, (0, 1e3), True)
_ff("sbm_beme_june_monthly", _SBM_FILE, "M", "ratio", "book-to-market ratio (BE/ME)",
    f"{_SBM}: value-weight average BE/ME, BE of fiscal year t-1 over ME of June t",
    r"BE_FYt-1/ME_June", None, (0, 1e3), True)
_ff("sbm_op_monthly", _SBM_FILE, "M", "ratio", "operating profitability (OP, ratio)",
    f"{_SBM}: value-weight average operating profitability", r"average of OP", None, (-1e3, 1e3), True)
_ff("sbm_inv_monthly", _SBM_FILE, "M", "growth", "asset growth, decimal (published percent / 100)",
    f"{_SBM}: value-weight average investment (asset growth)", r"average of investment", None, (-1e3, 1e3), True)
_FF.extend(Dataset(**kw) for kw in FF_INTL)  # the library's international files (catalog_intl.py)

# --------------------------------------------------------------------------- FRED
_FRED: list[Dataset] = []


def _fred(sid, freq, units, desc, rng=None):
    _FRED.append(
        Dataset(key=sid, source="fred", remote_id=sid, frequency=freq, kind="level", units=units,
                description=desc, shape="series", valid_range=rng)
    )


_PCT = (-50.0, 100.0)
_fred("DGS10", "D", "percent per year", "10-year Treasury constant-maturity yield", _PCT)
_fred("DGS2", "D", "percent per year", "2-year Treasury constant-maturity yield", _PCT)
_fred("DFII10", "D", "percent per year", "10-year TIPS real yield (from 2003)", _PCT)
_fred("T10Y2Y", "D", "percentage points", "10-year minus 2-year Treasury yield spread", _PCT)
_fred("T10YIE", "D", "percent per year", "10-year breakeven inflation rate", _PCT)
_fred("DFF", "D", "percent per year", "Effective federal funds rate, daily", _PCT)
_fred("FEDFUNDS", "M", "percent per year", "Effective federal funds rate, monthly average", _PCT)
_fred("DFEDTAR", "D", "percent per year",
      "Federal funds target rate, single target (1982-09-27 to 2008-12-15; discontinued, then DFEDTARU/DFEDTARL)", _PCT)
_fred("DFEDTARU", "D", "percent per year", "Federal funds target range, upper limit (from 2008-12-16)", _PCT)
_fred("DFEDTARL", "D", "percent per year", "Federal funds target range, lower limit (from 2008-12-16)", _PCT)
_fred("BAA10Y", "D", "percentage points", "Moody's Baa corporate yield minus 10-year Treasury", _PCT)
_fred("BAMLH0A0HYM2", "D", "percentage points", "ICE BofA US high-yield option-adjusted spread", _PCT)
_fred("DTWEXBGS", "D", "index, Jan 2006 = 100", "Nominal broad US dollar index (trade-weighted), from 2006", (1, 1e4))
_fred("TWEXBMTH", "M", "index, Jan 1997 = 100", "Trade-weighted US dollar index: broad, monthly (discontinued 2019)",
      (1, 1e4))
_fred("TWEXMMTH", "M", "index, Mar 1973 = 100",
      "Trade-weighted US dollar index: major currencies, monthly (discontinued 2019)", (1, 1e4))
_fred("USREC", "M", "indicator, 1 = NBER recession month", "NBER-based recession indicator", (0, 1))
_fred("UNRATE", "M", "percent of labour force", "Civilian unemployment rate", (0, 100))
_fred("PAYEMS", "M", "thousands of persons", "All employees, total nonfarm payrolls", (0, 1e7))
_fred("ICSA", "W", "number of claims", "Initial jobless claims, week ending Saturday", (0, 1e8))
_fred("INDPRO", "M", "index, 2017 = 100", "Industrial production index", (0, 1e4))
_fred("GDPC1", "Q", "billions of chained 2017 dollars, SAAR", "Real GDP", (0, 1e7))
_fred("CPIAUCSL", "M", "index, 1982-84 = 100", "CPI for all urban consumers, seasonally adjusted", (0, 1e5))
_fred("M2SL", "M", "billions of dollars", "M2 money stock, seasonally adjusted", (0, 1e8))
_fred("WALCL", "W", "millions of dollars", "Federal Reserve total assets, Wednesday level", (0, 1e9))
_fred("NFCI", "W", "index (0 = average; positive = tighter than average)",
      "Chicago Fed National Financial Conditions Index, week ending Friday", (-50, 50))
_fred("UMCSENT", "M", "index, 1966:Q1 = 100", "University of Michigan consumer sentiment", (0, 1e3))
_fred("VIXCLS", "D", "index points (annualised implied vol, percent)", "CBOE VIX close", (0, 1e3))
_fred("SP500", "D", "index points", "S&P 500 index level (FRED keeps only the last 10 years)", (0, 1e6))
_fred("NASDAQCOM", "D", "index points", "NASDAQ Composite index level", (0, 1e7))

# Typical publication lags (calendar days after the stored date, i.e. after the end of the period
# described) and whether history is revised. Sources: the release calendars of BLS (employment
# situation: first Friday of the next month; CPI: mid-month), BEA (GDP advance estimate: about 30
# days after the quarter), the Federal Reserve (G.17 industrial production: mid-month; H.4.1 on
# Thursday for Wednesday; H.6 money stock: about four weeks), the Chicago Fed (NFCI: Wednesday for
# the week ending the previous Friday, whole history re-estimated weekly), the Labor Department
# (claims: Thursday for the week ending Saturday), NBER (recession dates: months to years later).
_FRED_TIMING: dict[str, tuple[int | None, bool]] = {
    "UNRATE": (7, True), "PAYEMS": (7, True), "CPIAUCSL": (15, True), "INDPRO": (17, True),
    "GDPC1": (30, True), "M2SL": (28, True), "ICSA": (5, True), "WALCL": (1, False),
    "NFCI": (5, True), "UMCSENT": (0, True), "USREC": (None, True),
    "FEDFUNDS": (1, False), "TWEXBMTH": (1, False), "TWEXMMTH": (1, False),
}
_FRED[:] = [
    Dataset(**{**d.__dict__, "release_lag_days": _FRED_TIMING.get(d.key, (0, False))[0],
               "revised": _FRED_TIMING.get(d.key, (0, False))[1]})
    for d in _FRED
]

# --------------------------------------------------------------------------- prices
_PRICES: list[Dataset] = []


def _px(ticker, desc, basis):
    _PRICES.append(
        Dataset(key=ticker, source="prices", remote_id=ticker, frequency="D", kind="prices",
                units="USD per share (ETF) or index points; volume in shares",
                description=desc, price_basis=basis)
    )


_TR = "total return (split- and dividend-adjusted close)"
_PO = "price only (index level, no dividends)"
_px("^RUT", "Russell 2000 index (small caps)", _PO)
_px("^GSPC", "S&P 500 index (large caps)", _PO)
_px("^RUA", "Russell 3000 index", _PO)
_px("^VIX", "CBOE volatility index", "index level")
_px("^TNX", "CBOE 10-year Treasury yield index (close = yield in percent)", "yield in percent")
_px("DX-Y.NYB", "ICE US dollar index (DXY)", "index level")
_px("IWM", "iShares Russell 2000 ETF", _TR)
_px("SPY", "SPDR S&P 500 ETF", _TR)
_px("IWB", "iShares Russell 1000 ETF", _TR)
_px("IJR", "iShares Core S&P SmallCap 600 ETF", _TR)
_px("IJH", "iShares Core S&P MidCap 400 ETF", _TR)
_px("MDY", "SPDR S&P MidCap 400 ETF", _TR)
_px("IWN", "iShares Russell 2000 Value ETF", _TR)
_px("IWO", "iShares Russell 2000 Growth ETF", _TR)
_px("UUP", "Invesco DB US Dollar Index Bullish fund", _TR)
for _t, _n in (
    ("XLB", "materials"), ("XLC", "communication services"), ("XLE", "energy"), ("XLF", "financials"),
    ("XLI", "industrials"), ("XLK", "technology"), ("XLP", "consumer staples"), ("XLRE", "real estate"),
    ("XLU", "utilities"), ("XLV", "health care"), ("XLY", "consumer discretionary"),
):
    _px(_t, f"Select Sector SPDR ETF: {_n}", _TR)
_px("AOSL", "Alpha & Omega Semiconductor (a small-cap stock named in the commentary)", _TR)

# --------------------------------------------------------------------------- real-time (vintages)
# Observation date x vintage tables (data/README.md, "Real-time data"): rows are observations stamped at the end of
# their period, columns are vintages labelled YYYY-MM (monthly) or YYYYQn (quarterly), values as published.
_VINTAGES: list[Dataset] = []
#: FRED-MD columns kept (not all ~128): the series the notebooks use. {FRED-MD id: (units, range)}
FREDMD_SERIES: dict[str, tuple[str, tuple[float, float]]] = {
    "UNRATE": ("percent of labour force", (0, 100)), "PAYEMS": ("thousands of persons", (0, 1e7)),
    "INDPRO": ("index (base of the vintage)", (0, 1e4)), "CLAIMSx": ("number of claims, monthly average", (0, 1e8)),
    "UMCSENTx": ("index, 1966:Q1 = 100", (0, 1e3)), "CPIAUCSL": ("index, 1982-84 = 100", (0, 1e5)),
    "M2SL": ("billions of dollars", (0, 1e8)),
}
#: The FRED-MD archives: McCracken's historical vintages 1999-08..2014-12, and the monthly releases from 2015-01.
FREDMD_PARTS: dict[str, str] = {"FRED-MD_historical": "historical", "FRED-MD_monthly": "monthly"}
for _rid, _part in FREDMD_PARTS.items():
    for _sid, (_units, _rng) in FREDMD_SERIES.items():
        _VINTAGES.append(Dataset(key=f"fredmd_{_sid}_{_part}", source="fredmd", remote_id=_rid, frequency="M",
                                 kind="vintages", units=_units, valid_range=_rng, revised=True,
                                 description=f"FRED-MD {_sid} in every {_part} vintage (observation x vintage)"))
#: The RTDSM workbooks: {workbook: (observation frequency, units, range, description)}
RTDSM_WORKBOOKS: dict[str, tuple[str, str, tuple[float, float], str]] = {
    "employMvMd": ("M", "thousands of persons", (0, 1e7), "nonfarm payrolls, monthly vintages"),
    "iptMvMd": ("M", "index (base of the vintage)", (0, 1e4), "industrial production, monthly vintages"),
    "pcpiMvMd": ("M", "index, 1982-84 = 100", (0, 1e5), "CPI-U, monthly vintages (from 1998-11)"),
    "cpiQvMd": ("M", "index, 1982-84 = 100", (0, 1e5), "CPI-U, quarterly vintages"),
    "rucQvMd": ("M", "percent of labour force", (0, 100), "unemployment rate, quarterly vintages"),
    "ROUTPUTQvQd": ("Q", "billions of chained dollars of the vintage, SAAR", (0, 1e7), "real GDP, quarterly vintages"),
    "routputMvQd": ("Q", "billions of chained dollars of the vintage, SAAR", (0, 1e7), "real GDP, monthly vintages"),
}
for _wb, (_f, _units, _rng, _desc) in RTDSM_WORKBOOKS.items():
    _VINTAGES.append(Dataset(key=f"rtdsm_{_wb}", source="rtdsm", remote_id=_wb, frequency=_f,  # type: ignore[arg-type]
                             kind="vintages", units=_units, valid_range=_rng, revised=True,
                             description=f"Philadelphia Fed RTDSM {_desc} (observation x vintage)"))

CATALOG: dict[str, Dataset] = {d.key: d for d in (*_FF, *_FRED, *_PRICES, *_VINTAGES)}


def _remote_files() -> dict[str, RemoteFile]:
    out: dict[str, list[str]] = {}
    for d in CATALOG.values():
        out.setdefault(f"{d.source}/{d.remote_id}", []).append(d.key)
    return {
        name: RemoteFile(source=name.split("/", 1)[0], remote_id=name.split("/", 1)[1], datasets=tuple(keys))  # type: ignore[arg-type]
        for name, keys in out.items()
    }


REMOTE_FILES: dict[str, RemoteFile] = _remote_files()


def keys(source: str | None = None) -> list[str]:
    """Dataset keys in catalog order, optionally of one source."""
    return [k for k, d in CATALOG.items() if source is None or d.source == source]


def get(key: str) -> Dataset:
    """The catalog entry of ``key``; raises DatasetNotFoundError with close matches."""
    try:
        return CATALOG[key]
    except KeyError:
        pass
    lowered = {k.lower(): k for k in CATALOG}
    if key.lower() in lowered:
        return CATALOG[lowered[key.lower()]]
    import difflib

    close = difflib.get_close_matches(key, list(CATALOG), n=5, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise DatasetNotFoundError(
        f"unknown dataset {key!r}.{hint} `rotation data status` lists the datasets; "
        "the catalog is rotation.data.catalog.CATALOG."
    )


def remote_file(source: str, remote_id: str) -> RemoteFile:
    """The remote file ``source/remote_id``."""
    name = f"{source}/{remote_id}"
    if name not in REMOTE_FILES:
        raise DatasetNotFoundError(f"no remote file {name!r} in the catalog")
    return REMOTE_FILES[name]


def price_filename(ticker: str, ext: str = "csv") -> str:
    """File name of a ticker's price file: ``^`` is written ``IDX_`` (``^RUT`` -> ``IDX_RUT.csv``)."""
    return f"{ticker.replace('^', 'IDX_')}.{ext}"


def ticker_from_filename(stem: str) -> str:
    """Inverse of :func:`price_filename` for a file stem."""
    return re.sub(r"^IDX_", "^", stem, flags=re.IGNORECASE)


def _file_names() -> dict[str, tuple[str, str]]:
    """``{lower-case file stem: (source, remote_id)}`` for every remote file (prices also as ``IDX_`` stems)."""
    table: dict[str, tuple[str, str]] = {}
    for rf in REMOTE_FILES.values():
        if rf.source == "prices":
            table[price_filename(rf.remote_id, "")[:-1].lower()] = (rf.source, rf.remote_id)
        table.setdefault(rf.remote_id.lower(), (rf.source, rf.remote_id))
    return table


_FILE_NAMES = _file_names()


def identify(path: Path | str) -> tuple[str, str] | None:
    """``(source, remote_id)`` of a file from its name, or None when the name is not recognised.

    The names are the ones the sources publish: Ken French ``<dataset>.CSV`` or ``<dataset>_CSV.zip``,
    FRED ``<SERIES_ID>.csv``, prices ``<TICKER>.csv`` with ``^`` written ``IDX_``; any text after a
    double underscore is ignored (``Portfolios_Formed_on_ME_Daily__resaved.csv``). Real-time files: an RTDSM
    workbook ``<name>.xlsx`` (``employMvMd.xlsx``; a browser's ``-2``/`` (2)`` duplicate suffix is ignored) and a
    FRED-MD vintage zip whose name says ``fred-md`` (``historical_fred-md.zip``,
    ``FRED-MD_monthly_vintages_2015-01_2024-03.zip``): the monthly releases when the first vintage in its name is
    2015-01 or later, else the historical vintages.
    """
    name = Path(path).name
    lower = name.lower()
    vintages = _identify_vintages(lower)
    if vintages is not None:
        return vintages
    for suf in ("_csv.zip", ".zip", ".csv", ".txt", ".json"):
        if lower.endswith(suf):
            name = name[: -len(suf)]
            break
    else:
        return None
    stem = name.split("__", 1)[0]
    return _FILE_NAMES.get(stem.lower())


_RTDSM_NAMES = {wb.lower(): wb for wb in RTDSM_WORKBOOKS}


def _identify_vintages(lower: str) -> tuple[str, str] | None:
    """``(source, remote_id)`` of an RTDSM workbook or a FRED-MD vintage zip from its lower-case name."""
    if lower.endswith(".xlsx"):
        stem = re.sub(r"(-\d+| \(\d+\))$", "", lower[:-5].split("__", 1)[0])
        return ("rtdsm", _RTDSM_NAMES[stem]) if stem in _RTDSM_NAMES else None
    if lower.endswith(".zip") and "fred-md" in lower:
        first = re.search(r"(\d{4})-(\d{2})", lower)
        monthly = first is not None and (int(first.group(1)), int(first.group(2))) >= (2015, 1)
        return ("fredmd", "FRED-MD_monthly" if monthly else "FRED-MD_historical")
    return None
