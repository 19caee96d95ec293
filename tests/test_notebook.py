"""The Colab notebook is valid, and its cells run headless here with the Colab-only lines guarded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "colab_quickstart.ipynb"


def test_notebook_is_valid_nbformat_4() -> None:
    nb = json.loads(NOTEBOOK.read_text())
    assert nb["nbformat"] == 4 and nb["cells"]
    for cell in nb["cells"]:
        assert cell["cell_type"] in ("markdown", "code") and isinstance(cell["source"], list)
        if cell["cell_type"] == "code":
            compile("".join(cell["source"]), "cell", "exec")
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "if IN_COLAB" in code and "share=IN_COLAB" in code


@pytest.mark.model
def test_notebook_cells_run_headless(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SYNTH_NOTEBOOK_TEST", "1")
    monkeypatch.setenv("SYNTH_DB_PATH", str(tmp_path / "nb.db"))
    monkeypatch.chdir(NOTEBOOK.parents[1])
    nb = json.loads(NOTEBOOK.read_text())
    namespace: dict = {}
    try:
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                exec(compile("".join(cell["source"]), "notebook", "exec"), namespace)
        assert namespace["IN_COLAB"] is False
        assert namespace["demo"].local_url.startswith("http://")
        assert len(namespace["rows"]) == 5
    finally:
        if "demo" in namespace:
            namespace["demo"].close()
