"""The data layer: catalog, live sources, parsers, the local store and ``load``.

Public API::

    from rotation.data import load, small_large, PROXIES, CATALOG
    load("DGS10", start="2000-01-01")      # FRED series, percent
    small_large("ff30_vw", "M")           # aligned small/large decimal returns

Units and alignment are documented once, in ``data/README.md``.
"""

from rotation.data.api import PROXIES, Proxy, coverage, load, small_large, store_summary
from rotation.data.catalog import CATALOG, Dataset
from rotation.data.store import Store
from rotation.data.timing import as_known, load_known, release_lag

__all__ = ["load", "small_large", "coverage", "PROXIES", "Proxy", "CATALOG", "Dataset", "Store", "store_summary",
           "as_known", "load_known", "release_lag"]
