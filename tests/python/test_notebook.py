"""examples/triage.ipynb runs top to bottom in a fresh kernel and shows the report and its plots."""

from __future__ import annotations

import pathlib
from typing import Any, Dict, List

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def _rich_outputs(nb: Any) -> Dict[str, List[Dict[str, Any]]]:
    """The display data of each code cell, by cell id."""
    return {cell.id: [out.data for out in cell.outputs
                      if out.output_type in ("execute_result", "display_data")]
            for cell in nb.cells if cell.cell_type == "code"}


def test_triage_notebook_executes_and_shows_the_diagnosis() -> None:
    nb = nbformat.read(EXAMPLES / "triage.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells), "commit the notebook without outputs"
    # The cwd is examples/, as when a user opens the notebook there; a failing cell raises
    # CellExecutionError naming the cell.
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    outputs = _rich_outputs(nb)

    report_html = "".join(data.get("text/html", "") for data in outputs["report"])
    assert "<h2>Findings</h2>" in report_html
    assert 'id="blocklist.spamhaus"' in report_html and "Listed on spamhaus" in report_html

    for cell_id in ("plot-outcomes", "plot-reasons"):
        assert any("image/png" in data for data in outputs[cell_id]), f"{cell_id} drew no image"

    # The planted problems surface in the tables too, not only in the report.
    assert "fix_authentication" in outputs["failures"][0]["text/plain"]
    assert "yahoo.complaints_volume" in outputs["classify"][0]["text/plain"]
