"""Made-up material for the report and page tests: a small executed notebook, a run's notebooks, a grid.

The notebook (built with nbformat) has a title and question, a parameters cell and papermill's injected one,
a parameter check above the title, a verdict record under the runner's MIME type, a warning on stderr, a
raw pandas table, a stray ``record`` value, a chart and a "Findings and caveats" section.
:func:`run_notebooks` are two notebooks as the run page takes them; :func:`grid_rows` a robustness grid's
rows and combinations (:func:`rotation.evidence.consistency.robustness_rows`).
"""

from __future__ import annotations

import base64

import nbformat

from rotation.evidence import rubric as vd
from rotation.evidence.consistency import robustness_rows
from rotation.stats.units import Units

TITLE = "99 · Test report: does the reader see the answer first?"
RETURNS = Units.returns("decimal relative return")
_PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f6c64e0000000049454e44ae426082"
)).decode()

_RAW_TABLE = """<div><table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;"><th></th><th>series</th><th>level</th><th>share</th><th>first</th></tr>
  </thead>
  <tbody>
    <tr><th>0</th><td>DGS10</td><td>1000.000000</td><td>0.012345</td><td>2013-05-14 00:00:00</td></tr>
    <tr><th>1</th><td>DTWEXBGS</td><td>2500.000000</td><td>NaN</td><td>NaT</td></tr>
    <tr><th>2</th><td>TWEXMMTH</td><td>&lt;NA&gt;</td><td>0.250000</td><td>1973-01-31 00:00:00</td></tr>
  </tbody>
</table></div>"""


def verdict_record() -> dict:
    """A decided January-effect verdict record (headline +3.56%), as a notebook records it."""
    ev = vd.Evidence(
        claim_id="january_effect",
        headline=vd.Effect(label="January minus other months", estimate=0.0356, units=RETURNS,
                           ci_lower=0.0253, ci_upper=0.0459, p_value=0.0001, nobs=1196),
        sample=vd.Sample(proxy="ff30_vw", start="1926-07-31", end="2026-02-28", n=1196),
        method="OLS on a January dummy, HAC (6 lags)",
        checks=(vd.Check("proxy", vd.Effect(label="iwm_spy", estimate=0.004, units=RETURNS,
                                            ci_lower=0.001, ci_upper=0.007, nobs=313)),
                vd.Check("subperiod", vd.Effect(label="2000-now", estimate=0.007, units=RETURNS,
                                                ci_lower=-0.002, ci_upper=0.016, nobs=315))),
        international=vd.Abroad(
            test="January minus other months, each region's SMB (HAC)",
            counted=tuple(vd.Effect(label=f"{name}: January", estimate=est, units=RETURNS, ci_lower=est - 0.009,
                                    ci_upper=est + 0.009, nobs=418)
                          for name, est in (("Europe", 0.0134), ("Japan", 0.0119), ("Asia Pacific ex Japan", 0.0019),
                                            ("Emerging markets", -0.0021))),
            shown=(vd.Effect(label="North America: January", estimate=0.0023, units=RETURNS, ci_lower=-0.0075,
                             ci_upper=0.0122, nobs=359),)),
    )
    return vd.decide(ev).to_record()


def dated_verdict_record() -> dict:
    """A state claim's record (``underwhelming``): supported then (5th percentile, data to 2023-10), not supported
    now (74th percentile, data to 2026-02), as notebook 01 records it."""
    pct = Units.share("percentile (0-1) of the latest 1-year relative return")

    def ev(estimate: float, end: str, n: int) -> vd.Evidence:
        state = vd.Effect(label="latest 1-year relative return, percentile", estimate=estimate, units=pct,
                          thresholds=(1 / 3, 2 / 3), nobs=n)
        return vd.Evidence(claim_id="underwhelming", headline=state,
                           sample=vd.Sample(proxy="ff30_vw", start="1926-07-31", end=end, n=n),
                           method="the latest rolling relative return against its own history",
                           checks=(vd.Check("horizon", state), vd.Check("proxy", state)))

    return vd.decide(ev(0.744, "2026-02-28", 1196), then=ev(0.052, "2023-10-31", 1168)).to_record()


def notebook(*, fail: bool = False) -> nbformat.NotebookNode:
    """The executed notebook (see the module docstring); ``fail`` adds a cell that raised."""
    rec = verdict_record()
    params = nbformat.v4.new_code_cell('start: str = "1926-07-01"  # first month of the sample\n'
                                       'proxy: str = "ff30_vw"  # small/large pair')
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell('# Parameters\nstart = "1990-01-01"\n')
    injected.metadata["tags"] = ["injected-parameters"]
    title = nbformat.v4.new_markdown_cell(
        f"# {TITLE}\n\n**Question.** Does the reader see the *answer* before any code?\n\n"
        "Conventions: decimal returns; the test below is made up.")
    setup = nbformat.v4.new_code_cell("import pandas as pd\nSECRET_SETUP_CODE = 1\n"
                                      'record("verdicts.january_effect", rec)')
    setup.outputs = [
        nbformat.v4.new_output("stream", name="stderr",
                               text="/tmp/ipykernel_1/123.py:1: Pandas4Warning: sorting is deprecated\n"),
        nbformat.v4.new_output("display_data", data={"application/vnd.rotation.record+json":
                                                     {"name": "verdicts.january_effect", "value": rec},
                                                     "text/plain": "<rotation record verdicts.january_effect>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "0.987654321"}, execution_count=2),
    ]
    section = nbformat.v4.new_markdown_cell("## 1 · The calendar: relative return by month\n\nA table and a chart.")
    table = nbformat.v4.new_code_cell("coverage_table  # SECRET_TABLE_CODE")
    table.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": _RAW_TABLE,
                                                                   "text/plain": "raw"}, execution_count=3)]
    chart = nbformat.v4.new_code_cell("ax = plots.line_chart(x)\nax  # SECRET_CHART_CODE")
    chart.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": _PNG, "text/plain": "<Figure size 10x4>"},
                               metadata={"alt": "Chart: Small minus large; y: relative return"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<Axes: title={'center': 'x'}>"},
                               execution_count=4),
    ]
    check = nbformat.v4.new_code_cell("check_parameters(globals())  # SECRET_CHECK_CODE")
    check.metadata["tags"] = ["check-parameters"]
    cells = [params, injected, check, title, setup, section, table, chart]
    if fail:
        bad = nbformat.v4.new_code_cell("1 / 0  # SECRET_FAILING_CODE")
        bad.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                              traceback=["ZeroDivisionError: division by zero"])]
        cells.append(bad)
    findings = nbformat.v4.new_markdown_cell("## Findings and caveats\n\nThe January effect is there.")
    cells.append(findings)
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                                          "display_name": "Python 3"}})


def run_notebooks() -> list[dict]:
    """Two notebooks of a run as the run page takes them: one ok with a verdict, one failed."""
    ok = {"name": "99_test", "title": TITLE, "status": "ok", "seconds": 3.2,
          "question": "**Question.** Does the reader see the answer first?",
          "results": {"verdicts.january_effect": verdict_record()}, "error": None,
          "files": {"html": "99_test/99_test.html", "results.json": "99_test/results.json"},
          "parameters": {"start": "1990-01-01", "proxy": "ff30_vw"}, "data_as_of": "2026-08-21"}
    failed = {"name": "98_broken", "status": "failed", "seconds": 1.0, "question": "Why did it break?",
              "results": {}, "error": {"cell_index": 7, "exec_count": 5, "ename": "KeyError",
                                       "evalue": "'DGS10'", "cell_source": 'load("DGS10")  # SECRET_FAIL'},
              "files": {"html": "98_broken/98_broken.html"}, "parameters": {}, "data_as_of": None}
    return [ok, failed]


# --------------------------------------------------------------------------- a robustness grid

DEPENDS = "at start=2001-01-31: not supported with ff30_vw; contradicted with iwm_spy"
"""How breakout_follow_through depends on the proxy in :func:`grid_rows`."""


def grid_verdict(claim_id: str, status: str, est: float, lo: float, hi: float) -> dict:
    """A verdict record with a headline effect in decimal relative return per month."""
    return {"claim_id": claim_id, "quote": "q", "status": status, "rule": "R7",
            "headline": {"label": "x", "estimate": est, "units": "decimal relative return per month", "scale": "return",
                         "ci_lower": lo, "ci_upper": hi, "p_value": None, "nobs": 50, "null": 0.0,
                         "thresholds": None, "level": 0.95, "median": None, "share_positive": None}}


def grid_rows() -> tuple[list[dict], list[dict], dict]:
    """Rows and combinations of a proxy x start grid: iwm_spy from 1926 skipped, one combination failed."""
    combos = [
        {"label": "a", "parameters": {"proxy": "ff30_vw", "start": "2001-01-31"}, "folder": "a", "status": "ok"},
        {"label": "b", "parameters": {"proxy": "iwm_spy", "start": "2001-01-31"}, "folder": "b", "status": "ok"},
        {"label": "c", "parameters": {"proxy": "iwm_spy", "start": "1926-07-31"}, "folder": "c",
         "status": "skipped", "reason": "proxy 'iwm_spy' has data from 2000-05-31 only"},
        {"label": "d", "parameters": {"proxy": "ff30_vw", "start": "1926-07-31"}, "folder": "d", "status": "failed",
         "error": "01_relative_strength failed at cell 3: KeyError"},
    ]
    records = {"a": [("01_relative_strength", grid_verdict("underwhelming", "supported", 0.012, 0.004, 0.02)),
                     ("01_relative_strength", grid_verdict("breakout_follow_through", "not supported", 0.004, -0.002,
                                                       0.01))],
               "b": [("01_relative_strength", grid_verdict("underwhelming", "supported", 0.009, 0.001, 0.02)),
                     ("01_relative_strength", grid_verdict("breakout_follow_through", "contradicted", -0.01, -0.02,
                                                       -0.003))]}
    grid = {"proxy": ["ff30_vw", "iwm_spy"], "start": ["2001-01-31", "1926-07-31"]}
    return robustness_rows(records, combos), combos, grid
