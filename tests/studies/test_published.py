"""studies.published: a series as published by a date, with the lag of a proxy's returns or of a source."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation.errors import ParameterError
from rotation.studies.published import published_cut


def test_the_lag_follows_the_source_or_the_proxy():
    s = pd.Series(1.0, index=pd.date_range("2023-06-30", "2023-12-31", freq="ME"))
    assert published_cut(s, "2023-11-30").index[-1] == pd.Timestamp("2023-11-30")  # prices: the close of t
    assert published_cut(s, "2023-11-30", proxy="iwm_spy").index[-1] == pd.Timestamp("2023-11-30")
    assert published_cut(s, "2023-11-30", proxy="ff30_vw").index[-1] == pd.Timestamp("2023-10-31")
    assert published_cut(s, "2023-11-30", source="famafrench").index[-1] == pd.Timestamp("2023-10-31")
    assert published_cut(s, "2023-11-30", proxy="ff30_vw", lag_days=0).index[-1] == pd.Timestamp("2023-11-30")
    with pytest.raises(ParameterError, match="source must be one of famafrench, prices"):
        published_cut(s, "2023-11-30", source="fred")
