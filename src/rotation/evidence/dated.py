"""The data a state claim's *then* verdict may use: what was published by the commentary's date.

A claim about the state of things (``Claim.dated``) is decided twice (:func:`rotation.evidence.rubric.decide`):
now, on all the data, and then, by running the same study on the data published by
:data:`~rotation.evidence.claims.COMMENTARY_DATE`. :func:`then_cut` is that cut (market prices: closes up
to the date; Ken French returns: the months published by it, :func:`rotation.data.timing.proxy_release_lag`);
:func:`then_or_undecided` decides the "then" evidence, or says why the study cannot run on the cut (a sample
that starts after the date).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from rotation.errors import ParameterError
from rotation.evidence import claims
from rotation.evidence.effects import Evidence
from rotation.evidence.rubric import Then, undecided_then
from rotation.studies.published import published_cut

__all__ = ["then_cut", "then_or_undecided", "AS_OF"]

#: The date "then" verdicts are decided at.
AS_OF = claims.COMMENTARY_DATE


def then_cut(data: pd.Series | pd.DataFrame, proxy: str | None = None, *, source: str | None = None
             ) -> pd.Series | pd.DataFrame:
    """``data`` as published by :data:`AS_OF`: the rows stamped ``d`` with ``d + lag <= AS_OF``.

    The lag is that of ``source`` (``"famafrench"``: 30 days, ``"prices"``: 0) when given, else the publication
    lag of ``proxy``'s returns, else 0 (daily market data: the close of t is known at t);
    :func:`rotation.studies.published.published_cut`.
    """
    return published_cut(data, AS_OF, proxy=proxy, source=source)


def then_or_undecided(claim_id: str, build: Callable[[], Evidence], *, min_rows: int = 0,
                      data: pd.Series | pd.DataFrame | None = None) -> Evidence | Then:
    """The "then" evidence ``build()`` returns, or an inconclusive :class:`Then` saying why it cannot be built.

    ``data`` (the cut the study runs on) with fewer than ``min_rows`` rows, or a study that refuses the cut
    (:class:`ParameterError`, :class:`ValueError`: too short a sample), gives an inconclusive "then".
    """
    if data is not None and len(data) < min_rows:
        first = "no data" if len(data) == 0 else f"only {len(data)} observations (to {data.index[-1]:%Y-%m-%d})"
        return undecided_then(claim_id, f"{first} published by {AS_OF} in this run's sample: the study cannot "
                                        "be run then")
    try:
        return build()
    except (ParameterError, ValueError) as exc:
        return undecided_then(claim_id, f"the study cannot be run on the data published by {AS_OF}: {exc}")
