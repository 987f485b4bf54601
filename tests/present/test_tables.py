"""The one table style (rotation.present.tables.fmt): what a reader sees in every displayed table."""

from __future__ import annotations

import re

import pandas as pd

from rotation.present.tables import fmt, header


def test_one_table_style_plain_headers_p_values_levels_flags_and_no_empty_columns():
    df = pd.DataFrame({"estimate": [0.0123, -0.004], "std_err": [0.01, 0.01], "t": [float("nan")] * 2,
                       "p_value": [8.33e-10, 0.0234], "n_spells": [12, 7], "level": [1000.0, 2442.74],
                       "favourable": [True, False], "share_positive_state": [0.61, 0.4]})
    html = fmt(df).to_html()
    headers = re.findall(r"<th [^>]*class=\"col_heading[^\"]*\"[^>]*>(.*?)</th>", html)
    assert headers == ["estimate", "std. error", "p", "spells", "level", "favourable", "share positive (state)"]
    assert not any("_" in h for h in headers)
    assert ">&lt; 0.001<" in html and ">0.023<" in html and "e+0" not in html and "e-10" not in html
    assert ">1,000<" in html and ">2,443<" in html  # levels in full, never 1e+03
    assert ">yes<" in html and ">no<" in html and "True" not in html
    assert "row_heading" not in html  # a bare row number is not a row label
    labelled = fmt(df.set_index(pd.Index(["a", "b"], name="signal_key"))).to_html()
    assert "signal key" in labelled and "row_heading" in labelled


def test_headers_are_words():
    assert header("p_holm") == "p (Holm)" and header("n_spells") == "spells"
    assert header("some_new_col") == "some new col"
    assert header(None) == ""


def test_a_notebook_named_in_a_table_links_to_its_report():
    df = pd.DataFrame({"decided in": ["01_relative_strength", "not testable with free data <x>"]})
    html = fmt(df, {"decided in": "report"}).to_html()
    assert '<a href="../01_relative_strength/01_relative_strength.html">01_relative_strength</a>' in html
    assert "not testable with free data &lt;x&gt;" in html
