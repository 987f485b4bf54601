"""Fetch datasets from their live sources into the store (``rotation data fetch``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import requests

from rotation import config
from rotation.data import catalog, sources
from rotation.data.advice import advised
from rotation.data.processing import process, today
from rotation.data.store import Store
from rotation.errors import OfflineError, RotationError

__all__ = ["fetch", "FetchReport", "FetchRow", "remote_files_for"]


@dataclass(frozen=True)
class FetchRow:
    remote: str
    status: str  # added, updated, unchanged, failed
    detail: str = ""
    datasets: tuple[str, ...] = ()


@dataclass
class FetchReport:
    rows: list[FetchRow] = field(default_factory=list)

    @property
    def failed(self) -> list[FetchRow]:
        return [r for r in self.rows if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        """Files per status: added, updated, unchanged, failed (every status shown, zeros included)."""
        return {s: sum(r.status == s for r in self.rows) for s in ("added", "updated", "unchanged", "failed")}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.rows], columns=["remote", "status", "detail", "datasets"])


def remote_files_for(keys: Iterable[str] | None) -> list[catalog.RemoteFile]:
    """The remote files that hold the given dataset keys / remote ids (all when None), in catalog order."""
    if not keys:
        return list(catalog.REMOTE_FILES.values())
    wanted: list[catalog.RemoteFile] = []
    for k in keys:
        rf = None
        for cand in catalog.REMOTE_FILES.values():
            if cand.remote_id.lower() == k.lower() or cand.name.lower() == k.lower():
                rf = cand
                break
        if rf is None:
            d = catalog.get(k)
            rf = catalog.remote_file(d.source, d.remote_id)
        if rf not in wanted:
            wanted.append(rf)
    return wanted


def fetch(
    keys: Iterable[str] | None = None,
    store: Store | None = None,
    *,
    session: requests.Session | None = None,
    timeout: float = sources.READ_TIMEOUT,
    retry_count: int = 3,
    pause: float = 0.5,
    max_connection_failures: int = 3,
    max_seconds: float | None = 900.0,
    progress: bool = True,
) -> FetchReport:
    """Download datasets and store them as one transaction; a failure leaves the store as it was.

    Every file is downloaded and parsed first (a file that fails is reported and left
    as it was); the good ones are then published together (see
    :meth:`rotation.data.store.Store.transaction`).

    Parameters
    ----------
    keys : iterable of str, optional
        Dataset keys (``DGS10``, ``size_vw_monthly``) or remote ids
        (``Portfolios_Formed_on_ME``); all catalog files when None.
    store : Store, optional
    session, timeout, retry_count, pause
        Passed to :func:`rotation.data.sources.download` (seconds of silence allowed while
        waiting for or reading an answer, retries per file, first pause in seconds).
    max_connection_failures : int
        Attempts in a row that got no answer (DNS, refused, connect or read timeout: a network
        that accepts connections and never answers counts too) after which the network is
        taken as down and the fetch stops: with the default timeouts, about 32 s.
    max_seconds : float or None
        Time budget of the downloads, seconds (None: no bound).
    progress : bool
        Show a progress bar over the files.

    Raises
    ------
    OfflineError
        When offline mode (``ROTATION_OFFLINE=1``) is on.
    NoNetworkError
        The network is down or the time budget is spent; nothing was stored.
    StoreError
        The store could not be written (nothing was changed); the message says how to fix it.
    """
    if config.offline():
        raise OfflineError(
            "offline mode (ROTATION_OFFLINE) is on, so `rotation data fetch` will not touch the network. "
            "Unset ROTATION_OFFLINE to download, or import downloaded files with `rotation data import DIR`."
        )
    store = store or Store()
    files = remote_files_for(keys)
    as_of = today()  # bars dated after it are refused; ROTATION_TODAY sets it
    report = FetchReport()
    network = sources.Network(max_connection_failures=max_connection_failures, max_seconds=max_seconds)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(files, desc="fetch", unit="file")
    got: list[tuple[catalog.RemoteFile, sources.Download, object]] = []
    try:
        for rf in files:
            if bar is not None:
                bar.set_postfix_str(rf.name)
            try:
                dl = sources.download(rf.source, rf.remote_id, session=session, timeout=timeout,
                                      retry_count=retry_count, pause=pause, network=network, today=as_of)
                got.append((rf, dl, process(rf.source, rf.remote_id, dl.data, dl.url, as_of=as_of)))
            except sources.NoNetworkError:
                raise
            except RotationError as exc:
                report.rows.append(FetchRow(rf.name, "failed", str(exc)))
            except (OSError, ValueError) as exc:
                report.rows.append(FetchRow(rf.name, "failed", f"{type(exc).__name__}: {exc}"))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    if got:
        failed = report.rows
        report.rows = []
        with advised(), store.transaction() as tx:
            for rf, dl, proc in got:
                res = tx.stage(rf.source, rf.remote_id, dl.raw_name, dl.data, proc.frames, proc.meta,
                               origin=dl.url, how="fetch", facts=proc.facts)
                unclosed = proc.meta.get("dropped_unclosed_rows")
                detail = "dropped the bar of a session that had not closed" if unclosed else ""
                report.rows.append(FetchRow(rf.name, res.status, detail, res.datasets))
        order = {rf.name: i for i, rf in enumerate(files)}
        report.rows = sorted([*report.rows, *failed], key=lambda r: order[r.remote])
    return report
