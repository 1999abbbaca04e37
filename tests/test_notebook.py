"""The example notebook runs clean (nbclient, a kernel of this very interpreter)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernelspec for ``sys.executable`` under a temporary JUPYTER_PATH (works in a fresh clone)."""
    name = "luanchuyen-test"
    spec_dir = tmp_path / "jupyter" / "kernels" / name
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "luanchuyen test kernel",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return name


@pytest.mark.slow
def test_example_notebook_runs_without_errors(kernel: str) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name=kernel,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "chỉ tiêu ≥ 4: ĐẠT" in text
    assert "Đủ điều kiện sớm nhất: 01/10/2024" in text
    # the old secondment rule ends on 30/06/2025; NĐ 170/2025 bars the secondment from then
    assert "secondment_family_protection (điều kiện): không còn hiệu lực từ 01/07/2025" in text
    assert "nd170_bar_family (điều kiện): không đạt từ 01/07/2025" in text
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "Báo cáo thực hiện kế hoạch" in html and "#c6efce" in html
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2


def test_notebook_keeps_the_as_of_date_explicit() -> None:
    source = "\n".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells)
    assert "AS_OF = date(2024, 6, 1)" in source
    assert "today()" not in source and "now()" not in source
