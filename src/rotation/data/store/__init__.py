"""The local store: immutable raw files, processed parquet files and a manifest.

Layout (under :func:`rotation.config.data_dir`)::

    raw/<source>/<id>/<original file name>    byte-for-byte what was downloaded or imported
    raw/<source>/<id>/.import.json            how it was imported (remote file, cuts, origin)
    processed/<key>-<sha256[:16]>.parquet     one file per dataset
    manifest.json                             what is where, with sha256 checksums (and its own)
    .lock                                     held by the one writer (``filelock``)

The store is changed only in a :meth:`Store.transaction`, the unit of a whole
``rotation data import``, ``fetch`` or ``rebuild``:

1. the writer takes the store-wide lock (a second writer waits for it);
2. every new file is written under a *new* name (content-addressed: ``<id>`` is a
   digest of the raw bytes and the import options; processed names carry their
   sha256), so nothing a reader can see changes;
3. the new manifest is published by one atomic rename (``os.replace``) -- the
   commit point;
4. the store's own files that neither the new manifest nor a running ``rotation run``'s
   pin names, and temporary files of a writer that was killed, are removed -- only
   names the store makes, never through or of a symbolic link
   (:mod:`~rotation.data.store.housekeeping`).

A reader (:meth:`Store.read`) opens the manifest once and reads the files it
names, checking each file's sha256, so it sees the old store or the new one,
never a mix; the manifest carries a checksum of its own content, so an edited
value is detected too, and every path it names must lie in ``raw/`` or
``processed/``. The processes of one ``rotation run`` read the version pinned at
its start (:mod:`~rotation.data.store.pins`). A writer killed at any moment leaves the previous manifest
in force; its leftover files are removed by the next writer (and reported by
:meth:`Store.leftovers` until then). :func:`rotation.data.ingest.rebuild` re-creates
``processed/`` and the manifest from ``raw/`` alone (:meth:`Store.raw_copies`).

The store knows bytes, checksums and its manifest, not the catalog: whoever stages a
dataset says what it is (its frequency and units, recorded in the manifest). It reports
what is wrong as a :class:`Problem` -- which file, which dataset, what kind of damage --
in :meth:`Store.verify` and in the :class:`StoreProblemError` it raises; the command that
repairs it is composed by :mod:`rotation.data.advice`, never here.

Modules: :mod:`~rotation.data.store.files` (bytes on disk, sha256, atomic writes),
:mod:`~rotation.data.store.manifest` (the manifest's format and checksum),
:mod:`~rotation.data.store.transaction` (staging one writer's files),
:mod:`~rotation.data.store.local` (:class:`Store`: lock, publish, read, verify),
:mod:`~rotation.data.store.housekeeping` (the store's own files, and removing them),
:mod:`~rotation.data.store.pins` (a run's pinned version),
:mod:`~rotation.data.store.problems` (what can be wrong).

Files are created with mode ``0666 & ~umask`` (0644 under the usual umask), so a
shared store is readable by colleagues.
"""

from rotation.data.store.files import atomic_write_bytes, sha256_bytes, sha256_file
from rotation.data.store.local import LOCK_TIMEOUT, RawCopy, Store
from rotation.data.store.manifest import MANIFEST_VERSION, manifest_checksum
from rotation.data.store.problems import Problem, ProblemKind, StoreProblemError
from rotation.data.store.transaction import CommitResult, Transaction

__all__ = ["Store", "Transaction", "CommitResult", "Problem", "ProblemKind", "StoreProblemError", "RawCopy",
           "sha256_bytes", "sha256_file", "atomic_write_bytes", "manifest_checksum", "MANIFEST_VERSION",
           "LOCK_TIMEOUT"]
