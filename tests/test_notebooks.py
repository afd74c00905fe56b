"""The modeller's notebooks: committed without outputs, one parameters cell, and they run (at small sizes)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01-quickstart.ipynb", "02-calibration.ipynb", "03-sensitivity.ipynb", "04-scenarios.ipynb"]

# Small sizes injected in place of each notebook's parameters cell.
SMALL = {
    "01-quickstart.ipynb": 'SAMPLES = 40\nSEED = 20270101\nSCENARIO = "tianjin-2027-plan.yaml"',
    "02-calibration.ipynb": "SAMPLES = 40\nSOBOL_N = 16\nSEED = 20201231",
    "03-sensitivity.ipynb": ('SOBOL_N = 32\nMORRIS_N = 4\nOVER_TIME_N = 16\nSEED = 20270101\n'
                             'SCENARIO = "tianjin-2027-plan.yaml"'),
    "04-scenarios.ipynb": "SAMPLES = 30\nSEED = 20270101\nCONFIDENCE = 0.8",
}


def _parameters_cell(nb) -> int:
    idx = [i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(idx) == 1, "exactly one cell tagged 'parameters'"
    return idx[0]


@pytest.mark.parametrize("name", NAMES)
def test_committed_clean_with_one_parameters_cell(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, f"{name}: clear outputs before committing"
    i = _parameters_cell(nb)
    src = nb.cells[i].source
    # the parameters cell sets the sizes, and no other cell hard-codes them
    names = set(re.findall(r"^([A-Z_]+)\s*=", src, flags=re.M))
    assert names >= set(re.findall(r"^([A-Z_]+)\s*=", SMALL[name], flags=re.M))
    for j, c in enumerate(nb.cells):
        if c.cell_type == "code" and j != i:
            assert not re.search(r"^(SAMPLES|SOBOL_N|MORRIS_N|OVER_TIME_N)\s*=", c.source, flags=re.M)
    assert "import innosd" in "".join(c.source for c in nb.cells) or "from innosd" in "".join(
        c.source for c in nb.cells)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes(name):
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells[_parameters_cell(nb)].source = SMALL[name]
    NotebookClient(nb, timeout=240, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    images = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert images >= 1, f"{name} showed no chart"
