"""Fault cases of the ingest area: the files a user imports and the network a fetch meets.

Each case runs ``rotation data import`` or ``rotation data fetch`` as a user would, against a private
copy of the reference store, and holds when the bad input is refused naming the file, the line and
the fix, and the store is byte for byte as it was (or, for a skipped file, the good ones still arrive).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path

import pandas as pd

from faults import Context, Held, case


# --------------------------------------------------------------------------- helpers
def _files(store: Path) -> dict[str, bytes]:
    """Every file of a store but its lock, as ``{relative path: bytes}``."""
    return {p.relative_to(store).as_posix(): p.read_bytes() for p in sorted(store.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def _downloads(ctx: Context, name: str, data: bytes) -> Path:
    """``data`` saved as ``<scratch>/downloads/<name>``, a file the user is about to import."""
    path = ctx.scratch / "downloads" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _refused(ctx: Context, path: Path, must: list[str], *extra: str, env: dict[str, str] | None = None) -> Held:
    """Import ``path`` into a store copy: held when it exits 1, its output matches every regex in ``must``
    and the store is unchanged."""
    store = ctx.store_copy(f"store-{len(list(ctx.scratch.glob('store-*')))}")
    before = _files(store)
    done = ctx.rotation("data", "import", str(path), *extra, store=store, env=env)
    out = done.stdout + done.stderr
    if done.returncode != 1:
        return Held(False, f"exit {done.returncode}, expected 1: {out.strip()[-300:]}")
    missing = [m for m in must if not re.search(m, out, re.S)]
    if missing:
        return Held(False, f"the message lacks {missing[0]!r}: {out.strip()[-300:]}")
    if _files(store) != before:
        return Held(False, "refused, but the store changed")
    detail = next((ln.split("rejected", 1)[-1].strip() for ln in out.splitlines() if " rejected " in ln), out.strip())
    return Held(True, f"refused, store unchanged: {_short(detail)}")


def _short(text: str, width: int = 150) -> str:
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + " ..."


# --------------------------------------------------------------------------- files (already held)
_HTML = (b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n"
         b"<body><h1>Service Unavailable</h1></body></html>\n")


@case("ingest.html-as-csv", "an HTML error page saved as DGS10.csv, then imported")
def html_as_csv(ctx: Context) -> Held:
    path = _downloads(ctx, "DGS10.csv", _HTML)
    return _refused(ctx, path, [r"DGS10\.csv \(line 1\): the body is an HTML page", r"download the file again"])


@case("ingest.truncated-mid-row", "a Ken French file cut off in the middle of a row, then imported")
def truncated_mid_row(ctx: Context) -> Held:
    data = (ctx.raw / "famafrench/F-F_Research_Data_Factors.CSV").read_bytes()
    lines = data.split(b"\r\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith(b"196007"))
    cut = len(b"\r\n".join(lines[:at])) + 2 + lines[at].index(b",", lines[at].index(b",") + 1)  # after 2 cells
    path = _downloads(ctx, "F-F_Research_Data_Factors.CSV", data[:cut])
    return _refused(ctx, path, [rf"F-F_Research_Data_Factors\.CSV \(line {at + 1}\): row has 2 cells",
                                r"truncated or was edited\. Download it again"])


@case("ingest.empty-file", "an empty UNRATE.csv (a failed download), then imported")
def empty_file(ctx: Context) -> Held:
    path = _downloads(ctx, "UNRATE.csv", b"")
    return _refused(ctx, path, [r"UNRATE\.csv \(line 1\): the file is empty", r"download it again"])


@case("ingest.wrong-dataset", "DGS10.csv imported with --dataset DGS2")
def wrong_dataset(ctx: Context) -> Held:
    path = _downloads(ctx, "ten_year.csv", (ctx.raw / "fred/DGS10.csv").read_bytes())
    return _refused(ctx, path, [r"ten_year\.csv \(line 1, column 'DGS10'\): file holds DGS10, expected DGS2",
                                r"saved under the wrong name or the wrong series was downloaded"],
                    "--dataset", "DGS2")


@case("ingest.unknown-file", "a folder with a good file and an unknown notes.csv, imported")
def unknown_file(ctx: Context) -> Held:
    _downloads(ctx, "notes.csv", b"what,when\nbuy,now\n")
    good = _downloads(ctx, "T10Y2Y.csv", (ctx.raw / "fred/T10Y2Y.csv").read_bytes())
    store = ctx.scratch / "empty-store"
    done = ctx.rotation("data", "import", str(good.parent), store=store)
    rows = {ln.split()[0]: ln for ln in done.stdout.splitlines() if ln.split()}
    if done.returncode != 0:
        return Held(False, f"exit {done.returncode}: {(done.stdout + done.stderr).strip()[-300:]}")
    notes, t10 = rows.get("notes.csv", ""), rows.get("T10Y2Y.csv", "")
    if not re.search(r"\bskipped\b", notes) or "--dataset KEY" not in notes:
        return Held(False, f"notes.csv not reported as skipped with the way to import it: {notes!r}")
    if not re.search(r"\badded\b", t10) or not (store / "manifest.json").exists():
        return Held(False, f"the good file did not arrive: {t10!r}")
    return Held(True, "notes.csv skipped and reported ('name not recognised ... import it with --dataset KEY'); "
                      "T10Y2Y.csv imported beside it")


# --------------------------------------------------------------------------- dates after today (issue 26, row 5)
@case("ingest.row-dated-2099", "a row dated 2099-01-02 appended to a FRED file, then imported")
def row_dated_2099(ctx: Context) -> Held:
    original = (ctx.raw / "fred/DGS10.csv").read_bytes()
    line = len(original.splitlines()) + 1
    path = _downloads(ctx, "DGS10.csv", original + b"2099-01-02,4.50\n")
    held = _refused(ctx, path, [rf"DGS10\.csv \(line {line}\): the row dated 2099-01-02 is after today",
                                r"Fix: remove that row"])
    if not held.held:
        return held
    store = ctx.store_copy("after")
    ctx.rotation("data", "import", str(path), store=store)
    ages = [r["age_days"] for r in json.loads(ctx.rotation("data", "status", "--json", store=store).stdout)]
    if min(ages) < 0:
        return Held(False, f"a negative age in `data status`: {min(ages)} days")
    # the current month's value, stamped at the month end, is refused until its month has ended
    now = pd.Timestamp.now().normalize()
    month = now.to_period("M")
    first = month.start_time.date()
    path = _downloads(ctx, "UNRATE.csv", (ctx.raw / "fred/UNRATE.csv").read_bytes() + f"{first},4.4\n".encode())
    today = {"ROTATION_TODAY": str((now - pd.Timedelta(days=1)).date())} if now.is_month_end else None
    month_held = _refused(ctx, path, [rf"the monthly value for {month} \(written {first}\) describes a month that "
                                      r"has not ended by today"], env=today)
    if not month_held.held:
        return Held(False, f"the current month's value: {month_held.detail}")
    done = ctx.rotation("data", "import", str(path), store=ctx.store_copy("month-ended"),
                        env={"ROTATION_TODAY": str(month.end_time.date())})
    if done.returncode != 0:
        return Held(False, f"the value once its month has ended (ROTATION_TODAY) was refused: {done.stdout[-200:]}")
    return Held(True, f"{_short(held.detail, 110)}; UNRATE {month} refused until {month.end_time.date()}; "
                      "no negative age in `data status`")


# --------------------------------------------------------------------------- the network (issue 26, row 9)
class _NeverAnswers:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                self.held.append(self.server.accept()[0])
            except OSError:
                continue

    def __enter__(self) -> _NeverAnswers:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(2)
        for conn in [*self.held, self.server]:
            conn.close()


@case("ingest.network-never-answers", "`rotation data fetch` when the network accepts and never answers")
def network_never_answers(ctx: Context) -> Held:
    store = ctx.store_copy()
    before = _files(store)
    with _NeverAnswers() as srv:
        proxy = {"HTTP_PROXY": srv.url, "HTTPS_PROXY": srv.url, "http_proxy": srv.url, "https_proxy": srv.url,
                 "ALL_PROXY": "", "all_proxy": "", "NO_PROXY": "", "no_proxy": "", "ROTATION_OFFLINE": ""}
        t0 = time.monotonic()
        done = ctx.rotation("data", "fetch", "-q", store=store, env=proxy, timeout=300)
        elapsed = time.monotonic() - t0
        tries = len(srv.held)
    err = done.stderr.strip()
    if done.returncode != 1 or not err.startswith("error: no network:"):
        return Held(False, f"exit {done.returncode} after {elapsed:.0f} s: {err[-300:]}")
    if elapsed >= 60:
        return Held(False, f"gave up only after {elapsed:.0f} s ({tries} connections)")
    if "--offline" not in err or "ROTATION_OFFLINE" not in err:
        return Held(False, f"no offline hint: {err[-300:]}")
    if _files(store) != before:
        return Held(False, "the store changed")
    return Held(True, f"ended after {elapsed:.0f} s and {tries} connections (a fetch of every file) with "
                      f"'{err[7:56]}...' and the offline hint; store unchanged")


# --------------------------------------------------------------------------- encodings (issue 26)
@case("ingest.latin1-file", "a FRED file re-saved in Latin-1 (a no-break space as thousands separator), imported")
def latin1_file(ctx: Context) -> Held:
    lines = (ctx.raw / "fred/PAYEMS.csv").read_text().splitlines()
    date, value = lines[499].split(",")
    thousands, rest = divmod(int(float(value)), 1000)
    lines[499] = f"{date},{thousands}\xa0{rest:03d}.0"
    path = _downloads(ctx, "PAYEMS.csv", ("\n".join(lines) + "\n").encode("latin-1"))
    return _refused(ctx, path, [r"PAYEMS\.csv \(line 500, column 'Value'\)",
                                r"not UTF-8 text: line 500 holds the byte 0xA0", r"Fix: save it as UTF-8"])


__all__ = ["html_as_csv", "truncated_mid_row", "empty_file", "wrong_dataset", "unknown_file", "row_dated_2099",
           "network_never_answers", "latin1_file"]
