"""`vixray-eda render`: the HTML card from a notebook executed with papermill directly, as `report` makes it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from report_helpers import small_dataset
from vixray_eda.cli import main
from vixray_eda.errors import ParameterError
from vixray_eda.report.notebooks import CARD_NOTEBOOK, notebook_path
from vixray_eda.report.render import read_executed_card, render_notebook
from vixray_eda.report.run import build_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A dataset, the notebook papermill executed on it (outputs in `papermill-out/`) with the parameters `report`
    uses (it sets link_figures: its page sits beside figures/), and `report`'s folder."""
    work = tmp_path_factory.mktemp("render")
    data = small_dataset(work / "data", rows=120)
    notebook = work / "executed.ipynb"
    subprocess.run([sys.executable, "-m", "papermill", str(notebook_path(CARD_NOTEBOOK)), str(notebook), "-p", "data",
                    str(data), "-p", "output_dir", str(work / "papermill-out"), "-p", "top_n", "7",
                    "-p", "link_figures", "True", "--no-progress-bar"], check=True, capture_output=True, cwd=work)
    report = build_report(data, work / "report", {"top_n": 7}, progress=False)
    return data, notebook, report


def test_render_gives_the_same_page_as_report(executed, tmp_path):
    _, notebook, report = executed
    out = render_notebook(notebook, tmp_path / "card")
    assert (out / "index.html").read_bytes() == (report / "index.html").read_bytes()
    assert json.loads((out / "dataset_card.ipynb").read_text())["metadata"]["vixray_eda_parameters"]["top_n"] == 7
    assert main(["render", str(notebook), "--out", str(tmp_path / "card")]) == 0  # our folder: replaced


def test_render_refuses_failed_unexecuted_or_foreign_notebooks(executed, tmp_path, capsys):
    _, notebook, _ = executed
    nb = nbformat.read(str(notebook), as_version=4)
    failed = nbformat.from_dict(json.loads(json.dumps(nb)))
    failed.cells[-1].outputs = [nbformat.v4.new_output("error", ename="KeyError", evalue="x", traceback=[])]
    fresh = nbformat.read(str(notebook_path(CARD_NOTEBOOK)), as_version=4)
    foreign = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    for name, bad, message in (("failed", failed, "failed with KeyError"), ("fresh", fresh, "not been executed"),
                               ("foreign", foreign, "not a vixray-eda card notebook")):
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(bad, str(path))
        with pytest.raises(ParameterError, match=message):
            read_executed_card(path)
        assert main(["render", str(path), "--out", str(tmp_path / name)]) == 2
        assert not (tmp_path / name).exists()  # nothing half-written
    (tmp_path / "junk.ipynb").write_text("{", encoding="utf-8")
    assert main(["render", str(tmp_path / "junk.ipynb"), "--out", str(tmp_path / "junk")]) == 2
    assert "not a Jupyter notebook" in capsys.readouterr().err


def test_render_refuses_a_folder_it_did_not_write(executed, tmp_path):
    _, notebook, _ = executed
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    assert main(["render", str(notebook), "--out", str(tmp_path / "mine")]) == 2
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.txt"]
