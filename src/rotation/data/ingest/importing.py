"""Import a folder of original downloads into the store (``rotation data import DIR``).

Files are recognised by name (the same names the sources publish):

* Ken French: ``<dataset>.CSV``/``.csv`` or ``<dataset>_CSV.zip`` (``F-F_Research_Data_Factors_CSV.zip``);
* FRED: ``<SERIES_ID>.csv`` (``DGS10.csv``);
* prices: ``<TICKER>.csv`` with ``^`` written ``IDX_`` (``IDX_RUT.csv`` is ``^RUT``).

Anything after a double underscore in the name is ignored, so a re-saved copy can
keep a note in its name (``Portfolios_Formed_on_ME_Daily__reformatted.csv``). A file
with any other name can be imported by naming its dataset (``--dataset``).

When several files in one import are the same remote file (a CSV and its zip, an
older and a newer vintage), the one whose data ends latest is imported and the others
are reported as superseded. Each file is validated on its own: a bad file is
rejected with the reason and the good ones are still imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rotation.data import catalog
from rotation.data.advice import advised
from rotation.data.ingest.cuts import end_for, normalise_end
from rotation.data.processing import Processed, process, today
from rotation.data.store import Store
from rotation.errors import ParameterError, RotationError, StoreError

__all__ = ["import_paths", "ImportReport", "ImportRow"]

_DATA_SUFFIXES = (".csv", ".zip", ".txt", ".json", ".xlsx")


@dataclass(frozen=True)
class ImportRow:
    """Outcome for one file: status is added, updated, unchanged, rejected, skipped, superseded or not imported."""

    file: str
    remote: str | None
    status: str
    detail: str = ""
    datasets: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """One row per file, and ``error`` when the store could not be written (then nothing was imported)."""

    rows: list[ImportRow] = field(default_factory=list)
    error: str | None = None

    @property
    def rejected(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == "rejected"]

    @property
    def ok(self) -> bool:
        return not self.rejected and self.error is None

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.rows], columns=["file", "remote", "status", "detail", "datasets"])


def _resolve_dataset(name: str) -> tuple[str, str]:
    """Accept a dataset key, a remote id, or ``source/remote_id``."""
    if "/" in name and name.split("/", 1)[0] in catalog.SOURCES:
        src, rid = name.split("/", 1)
        return catalog.remote_file(src, rid).source, rid
    for rf in catalog.REMOTE_FILES.values():
        if rf.remote_id.lower() == name.lower():
            return rf.source, rf.remote_id
    d = catalog.get(name)  # raises with suggestions
    return d.source, d.remote_id


def _candidates(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith(".")))
        elif p.exists():
            out.append(p)
        else:
            raise ParameterError(f"import path {str(p)!r} does not exist. Give a folder of downloaded files or a file.")
    return out


def _last_date(proc: Processed) -> pd.Timestamp:
    lasts = [obj.index[-1] for obj in proc.frames.values() if len(obj)]
    return max(lasts) if lasts else pd.Timestamp.min


def import_paths(
    paths: Iterable[Path | str],
    store: Store | None = None,
    dataset: str | None = None,
    end: Mapping[str, str] | str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import original files (folders are searched recursively) into the store.

    Parameters
    ----------
    paths : iterable of path
        Files or folders of original downloads.
    store : Store, optional
        Default: the store at :func:`rotation.config.data_dir`.
    dataset : str, optional
        Treat every given *file* as this remote file (a dataset key such as
        ``size_vw_daily`` or a remote id such as ``Portfolios_Formed_on_ME_Daily``),
        for files whose name does not say what they are.
    end : str or mapping, optional
        Drop observations after this date: one date for every file, or a mapping of
        dataset key / remote id -> date (``{"IWM": "2026-07-10"}``) with an optional
        ``"*"`` default. Use it to cut an intraday last row.

    A file with a row dated after today, or a monthly, quarterly or annual value whose period has
    not ended, is rejected naming the line (:func:`rotation.data.processing.process`); today is
    ``ROTATION_TODAY`` (``YYYY-MM-DD``) when set, else this computer's date.

    Returns
    -------
    ImportReport
        One row per file; ``report.ok`` is False when any file was rejected.
    """
    store = store or Store()
    paths = [Path(p) for p in paths]
    ends = normalise_end(end)
    as_of = today()  # rows dated after it are refused; ROTATION_TODAY sets it
    report = ImportReport()
    forced = _resolve_dataset(dataset) if dataset else None
    if forced and any(p.is_dir() for p in paths):
        raise ParameterError("--dataset names what ONE file is; give file paths with it, not a folder.")

    # 1. parse every recognised file
    parsed: dict[tuple[str, str], list[tuple[Path, bytes, Processed]]] = {}
    for path in _candidates(paths):
        ident = forced or catalog.identify(path)
        if ident is None:
            if path.suffix.lower() in _DATA_SUFFIXES:
                report.rows.append(
                    ImportRow(str(path), None, "skipped", "name not recognised as a catalog file; if you know what "
                              "it is, import it with --dataset KEY")
                )
            continue
        source, remote_id = ident
        if progress:
            progress(path.name)
        try:
            data = path.read_bytes()
            proc = process(source, remote_id, data, path.name, end=end_for(ends, source, remote_id), as_of=as_of)
        except RotationError as exc:
            report.rows.append(ImportRow(str(path), f"{source}/{remote_id}", "rejected", str(exc)))
            continue
        except (OSError, ValueError) as exc:
            report.rows.append(ImportRow(str(path), f"{source}/{remote_id}", "rejected", f"{path.name}: {exc}"))
            continue
        parsed.setdefault(ident, []).append((path, data, proc))

    # 2. one file per remote file: the one that ends latest (ties: zip, then name order),
    #    all published together by one transaction (a failure leaves the store as it was)
    chosen = []
    for (source, remote_id), items in sorted(parsed.items()):
        items.sort(key=lambda it: (_last_date(it[2]), it[0].suffix.lower() == ".zip", str(it[0])))
        path, data, proc = items[-1]
        for other, _, oproc in items[:-1]:
            report.rows.append(
                ImportRow(str(other), f"{source}/{remote_id}", "superseded",
                          f"{path.name} has data to {_last_date(proc).date()} "
                          f"(this file: to {_last_date(oproc).date()})")
            )
        chosen.append((source, remote_id, path, data, proc))
    if not chosen:
        return report
    staged: list[ImportRow] = []
    try:
        with advised(), store.transaction() as tx:
            for source, remote_id, path, data, proc in chosen:
                res = tx.stage(source, remote_id, path.name, data, proc.frames, proc.meta,
                               origin=str(path.resolve()), how="import", facts=proc.facts)
                detail = f"tables not in this file: {', '.join(proc.skipped)}" if proc.skipped else ""
                staged.append(ImportRow(str(path), f"{source}/{remote_id}", res.status, detail, res.datasets))
    except StoreError as exc:
        report.error = str(exc)
        for source, remote_id, path, _, _ in chosen:
            report.rows.append(ImportRow(str(path), f"{source}/{remote_id}", "not imported",
                                         "nothing was imported (see the error below); the store is as it was"))
        return report
    report.rows.extend(staged)
    return report
