"""Live download of the real-time (vintage) files: the RTDSM workbooks and the FRED-MD vintages.

* RTDSM: one xlsx workbook per variable from the Philadelphia Fed (:data:`RTDSM_URL`).
* FRED-MD historical vintages (1999-08 .. 2014-12): McCracken's zip of ``YYYY-MM.csv`` files
  (:data:`FREDMD_HISTORICAL_URL`).
* FRED-MD monthly releases (2015-01 ..): one ``YYYY-MM.csv`` a month (:data:`FREDMD_MONTHLY_URL`), read month by
  month up to the first one not published (HTTP 404). They are kept together as one zip whose members are the
  downloaded files byte for byte (only the container is ours, stored without timestamps, so the same downloads
  give the same bytes), named like the snapshot's ``FRED-MD_monthly_vintages_2015-01_YYYY-MM.zip``.

Every request goes through the one retry loop, :func:`rotation.data.sources.get`.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pandas as pd

from rotation.errors import FetchError

__all__ = ["RTDSM_URL", "FREDMD_HISTORICAL_URL", "FREDMD_MONTHLY_URL", "FREDMD_MONTHLY_FIRST", "download_vintages"]

RTDSM_URL = ("https://www.philadelphiafed.org/-/media/frbp/assets/surveys-and-data/real-time-data/data-files/xlsx/"
             "{name}.xlsx")
FREDMD_HISTORICAL_URL = ("https://www.stlouisfed.org/-/media/project/frbstl/stlouisfed/research/fred-md/"
                         "historical_fred-md.zip")
FREDMD_MONTHLY_URL = "https://files.stlouisfed.org/files/htdocs/fred-md/monthly/{month}.csv"
FREDMD_MONTHLY_FIRST = pd.Period("2015-01", "M")


def pack(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` stored byte for byte, with a fixed timestamp (same files -> same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def download_vintages(source: str, remote_id: str, get: Any, today: pd.Timestamp) -> tuple[str, str, bytes]:
    """``(url shown, raw file name, bytes)`` of one real-time remote file.

    ``get(url, what)`` returns the body of an HTTP 200 answer or raises FetchError (the retry loop).
    """
    if source == "rtdsm":
        url = RTDSM_URL.format(name=remote_id.lower())
        return url, f"{remote_id}.xlsx", get(url, f"{remote_id} (an RTDSM workbook)")
    if remote_id == "FRED-MD_historical":
        return FREDMD_HISTORICAL_URL, "historical_fred-md.zip", get(FREDMD_HISTORICAL_URL, "the FRED-MD historical zip")
    members: dict[str, bytes] = {}
    month = FREDMD_MONTHLY_FIRST
    while month <= pd.Period(today, "M"):
        url = FREDMD_MONTHLY_URL.format(month=month)
        try:
            members[f"{month}.csv"] = get(url, f"the FRED-MD vintage {month}")
        except FetchError as exc:
            if "HTTP 404" not in str(exc) or not members:
                raise
            break  # the first month not published yet ends the monthly releases
        month += 1
    last = max(members)[:-4]
    return (FREDMD_MONTHLY_URL.format(month=f"{FREDMD_MONTHLY_FIRST}..{last}"),
            f"FRED-MD_monthly_vintages_{FREDMD_MONTHLY_FIRST}_{last}.zip", pack(members))
