"""The shipped notebooks: generated from tools/build_notebooks.py, thin, and runnable under papermill."""
from __future__ import annotations

import hashlib
import re
import importlib.util
import subprocess
import sys

import nbformat
import papermill as pm
import pytest

from conftest import REPO
from report_helpers import small_dataset
from vixray_eda.ownership import MARKER
from vixray_eda.parameters import BENCHMARK, CARD, EXPLORE, FIGURES
from vixray_eda.report.notebooks import NOTEBOOK_DIR

pytestmark = pytest.mark.slow


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks", REPO / "tools" / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["dataset_card.ipynb", "paper_figures.ipynb", "explore.ipynb",
                                  "benchmark_card.ipynb"])
def test_committed_notebooks_match_their_source(name):
    assert (NOTEBOOK_DIR / name).read_text(encoding="utf-8") == _builder().render(name)


@pytest.mark.parametrize("declared", [CARD, FIGURES, EXPLORE, BENCHMARK], ids=lambda d: d.notebook)
def test_notebooks_are_thin_with_a_parameters_cell_papermill_can_describe(declared):
    name = declared.notebook
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    described = pm.inspect_notebook(str(NOTEBOOK_DIR / name))  # what `papermill --help-notebook` prints
    assert list(described) == list(declared)
    for parameter in (declared[name] for name in declared):
        shown = described[parameter.name]
        assert (shown["inferred_type_name"], shown["default"], shown["help"]) == (
            parameter.kind, repr(parameter.default), parameter.help)
    code = [c.source for c in nb.cells if c.cell_type == "code" and c not in tagged]
    assert max(len(src.splitlines()) for src in code) <= 6


def test_notebooks_folder_at_the_top_is_the_packaged_one():
    assert (REPO / "notebooks").resolve() == NOTEBOOK_DIR


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return small_dataset(tmp_path_factory.mktemp("nbdata"), hostile=False)


def test_a_bad_value_injected_by_papermill_stops_the_notebook_naming_the_parameter(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="parameter top_n: expected an integer, got 'abc'"):
        pm.execute_notebook(str(NOTEBOOK_DIR / "paper_figures.ipynb"), str(tmp_path / "out.ipynb"),
                            cwd=str(tmp_path), progress_bar=False, parameters={"top_n": "abc"})
    assert not list(tmp_path.glob("*.pdf")) and not (tmp_path / "figures").exists()


def test_explore_notebook_runs_with_parameters(data, tmp_path):
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(NOTEBOOK_DIR / "explore.ipynb"), str(out), cwd=str(tmp_path), progress_bar=False,
                        parameters={"data": str(data), "concept": "cardiomegaly", "assertion": "absent"})
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<mark class='kwic-absent'>" in html and re.search(r"\d+ of \d+ mentions of cardiomegaly", html)
    assert "mark.kwic-absent { background:" in html  # the colours come with the output
    assert '<mark class="kwic-absent">' in html  # whole reports, the mentions highlighted
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # figures inline
    headings = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "What the lexicon may be missing" in headings and "vx.lexicon_gaps(df)" in "".join(
        c.source for c in nb.cells)


def test_paper_figures_notebook_and_cli_write_the_same_files(data, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text(f"data: '{data}'\noutput_dir: '{tmp_path / 'nb'}'\nformats: [svg, png]\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "papermill", str(NOTEBOOK_DIR / "paper_figures.ipynb"),
                    str(tmp_path / "out.ipynb"), "-f", str(params), "--no-progress-bar"], check=True,
                   capture_output=True, cwd=tmp_path)
    subprocess.run([sys.executable, "-m", "vixray_eda", "figures", "--data", str(data), "--out", str(tmp_path / "cli"),
                    "--formats", "svg,png"], check=True, capture_output=True)

    def digests(folder):
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
                if p.name != MARKER}  # the CLI's folder also carries its ownership marker

    nb_files, cli_files = digests(tmp_path / "nb"), digests(tmp_path / "cli")
    assert nb_files == cli_files
    shown = [o for c in nbformat.read(tmp_path / "out.ipynb", as_version=4).cells if c.cell_type == "code"
             for o in c.outputs if o.output_type == "display_data"]
    assert len(shown) == len(nb_files) // 2 and all("image/png" in o.data for o in shown)  # images, not "<Figure …>"
    assert {n.rsplit(".", 1)[1] for n in nb_files} == {"svg", "png"}
    assert {"fig_lengths.svg", "fig_terms_findings.png", "fig_wordcloud_findings.png"} <= set(nb_files)
