"""Notebooks 00-03 use the result objects and display presets (issue 8): checked on the committed source."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
#: record(...) occurrences before the result objects (issue 8); each notebook must stay at half or fewer.
RECORDS_BEFORE = {"00_data_overview": 16, "01_relative_strength": 50, "02_dollar_sensitivity": 85,
                  "03_interest_rates": 53}


def _code(stem: str) -> str:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("stem", sorted(RECORDS_BEFORE))
def test_no_style_dicts_and_records_halved(stem: str) -> None:
    code = _code(stem)
    assert ".style.format" not in code, "format tables with rotation.present.tables.fmt or display(result)"
    assert code.count("record(") <= RECORDS_BEFORE[stem] // 2
    assert not re.search(r"^\s*(def|class)\s", code, flags=re.M)
    assert "rotation.events" not in code and "import events" not in code and " events," not in code
    assert "1.96" not in code, "intervals come from the helpers, not rebuilt from a t-statistic"


@pytest.mark.parametrize("stem", sorted(RECORDS_BEFORE))
def test_committed_without_outputs_and_parameters_first(stem: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code_cells)
