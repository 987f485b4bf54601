"""The data layer: catalog, live sources, parsers, the local store, ingest and ``load``.

* :mod:`~rotation.data.catalog`: every dataset, defined once (units, frequency, lags), and
  :func:`~rotation.data.catalog.identify` (which catalog entry a file is, by name);
* :mod:`~rotation.data.sources`: the live HTTP readers; :mod:`~rotation.data.parsers`: one parser
  per source format; :mod:`~rotation.data.processing`: bytes to datasets in the catalog's units;
* :mod:`~rotation.data.store`: bytes, checksums, the manifest and its transactions (no catalog);
  :mod:`~rotation.data.advice`: the repair commands users are told;
* :mod:`~rotation.data.ingest`: ``import_paths``, ``fetch`` and ``rebuild`` into the store;
* :mod:`~rotation.data.api` (``load``, ``small_large``, ``coverage``, ``status``),
  :mod:`~rotation.data.timing` (publication lags) and :mod:`~rotation.data.regions` (the Ken French
  international factors by region, ``regional_factors``): what notebooks read.

Public API::

    from rotation.data import load, small_large, PROXIES, CATALOG
    load("DGS10", start="2000-01-01")      # FRED series, percent
    small_large("ff30_vw", "M")           # aligned small/large decimal returns

Units and alignment are documented once, in ``data/README.md``.
"""

from rotation.data.api import PROXIES, Proxy, coverage, load, small_large, store_summary
from rotation.data.catalog import CATALOG, Dataset
from rotation.data.regions import REGIONS, Region, regional_factors
from rotation.data.store import Store
from rotation.data.timing import as_known, load_known, release_lag

__all__ = ["load", "small_large", "coverage", "PROXIES", "Proxy", "CATALOG", "Dataset", "Store", "store_summary",
           "as_known", "load_known", "release_lag", "REGIONS", "Region", "regional_factors"]
