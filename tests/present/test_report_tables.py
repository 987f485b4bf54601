"""Tables of a reader's report (rotation.present.report_tables): decimals per column, dashes, dates."""

from __future__ import annotations

from rotation.present.report_tables import NA_TEXT, format_tables


def test_format_tables_unit():
    frag = ('<table class="dataframe"><thead><tr><th></th><th>a</th></tr></thead><tbody>'
            '<tr><th>x</th><td>123456.700000</td></tr><tr><th>y</th><td>0.500000</td></tr></tbody></table>')
    out = format_tables(frag)
    assert ">123,456.70<" in out and ">0.50<" in out  # the small value keeps a digit
    assert format_tables("<p>no table</p>") == "<p>no table</p>"
    styled = '<table id="T_1"><tbody><tr><td class="data row0 col0" >nan</td></tr></tbody></table>'
    assert "nan" not in format_tables(styled) and NA_TEXT in format_tables(styled)
