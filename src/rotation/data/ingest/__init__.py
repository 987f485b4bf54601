"""Getting original files into the store: import, fetch and rebuild.

* :func:`import_paths` (``rotation data import DIR``): files downloaded elsewhere, recognised by
  their published names (:func:`rotation.data.catalog.identify`) or named with ``--dataset``;
* :func:`fetch` (``rotation data fetch``): the live sources (:mod:`rotation.data.sources`);
* :func:`rebuild` (``rotation data rebuild``): ``processed/`` and the manifest again from ``raw/`` alone;
* :mod:`~rotation.data.ingest.cuts`: the ``--end`` cuts that drop an intraday last row.

Each parses the original bytes into the catalog's datasets (:func:`rotation.data.processing.process`)
and publishes them in one store transaction, so a failure leaves the store as it was.
"""

from rotation.data.ingest.cuts import parse_end_option, read_end_file
from rotation.data.ingest.fetching import FetchReport, FetchRow, fetch, remote_files_for
from rotation.data.ingest.importing import ImportReport, ImportRow, import_paths
from rotation.data.ingest.rebuilding import rebuild

__all__ = ["import_paths", "ImportReport", "ImportRow", "fetch", "FetchReport", "FetchRow", "remote_files_for",
           "rebuild", "parse_end_option", "read_end_file"]
