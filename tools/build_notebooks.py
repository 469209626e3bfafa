"""Source of the shipped notebooks: `python tools/build_notebooks.py` writes vixray_eda/notebooks/*.ipynb.

The notebooks are thin (a `parameters` cell, then calls into the package), so they are generated from this file and a
test checks that the committed notebooks match it. Edit here, then rebuild.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from vixray_eda.parameters import BENCHMARK, CARD, EXPLORE, FIGURES
from vixray_eda.report.card import SECTIONS

NOTEBOOK_ONLY = "notebook-only"  # cells the HTML card leaves out
OUT = Path(__file__).resolve().parents[1] / "vixray_eda" / "notebooks"

CARD_CELLS = [
    "import vixray_eda as vx\nfrom vixray_eda.parameters import CARD\nfrom vixray_eda.report.card import Card\n\n"
    "p = CARD.typed(globals())  # every parameter checked against its declaration\n"
    "df = vx.load(p.data, splits=p.splits, skip_corrupt=p.skip_corrupt)",
    "results = vx.compute_results(df, lexicon_paths=p.lexicon_paths, top_n=p.top_n, images=p.read_images,\n"
    "                             source=p.data, splits=p.splits, skip_corrupt=p.skip_corrupt)\n"
    "card = Card(results, title=p.title, lang=p.lang, figure_links=p.formats if p.link_figures else ())\n"
    "card.show(\"header\")",
]
#: One cell per registered card section; the header is shown by the cell that builds the card.
CARD_SECTIONS = [key for key in SECTIONS if key != "header"]


def card_notebook() -> nbformat.NotebookNode:
    intro = new_markdown_cell("# ViX-Ray dataset card\n\nRun top to bottom, or with papermill: "
                              "`papermill dataset_card.ipynb out.ipynb -p data /path/to/ViX-Ray`. "
                              "Every number and figure comes from `vixray_eda`; this notebook only displays them.")
    intro.metadata["tags"] = [NOTEBOOK_ONLY]
    cells = [intro]
    params = new_code_cell(CARD.cell_source())
    params.metadata["tags"] = ["parameters"]
    cells.append(params)
    cells += [new_code_cell(src) for src in CARD_CELLS]
    cells += [new_code_cell(f'card.show("{section}")') for section in CARD_SECTIONS]
    cells.append(new_code_cell("written = card.write_outputs(p.output_dir, formats=p.formats)"))
    return _notebook(cells)


def figures_notebook() -> nbformat.NotebookNode:
    params = new_code_cell(FIGURES.cell_source())
    params.metadata["tags"] = ["parameters"]
    return _notebook([
        new_markdown_cell("# ViX-Ray paper figures\n\nWrites exactly the paper's figure files to `output_dir` in "
                          "the requested formats, byte-identical when nothing changed "
                          "(the same as `vixray-eda figures --data DATA --out DIR`)."),
        params,
        new_code_cell("from vixray_eda.parameters import FIGURES\n"
                      "from vixray_eda.report.outputs import write_paper_figures\n\n"
                      "p = FIGURES.typed(globals())  # every parameter checked against its declaration"),
        new_code_cell("paths = write_paper_figures(p.data, p.output_dir, formats=p.formats, splits=p.splits,\n"
                      "                            lexicon_paths=p.lexicon_paths, top_n=p.top_n, lang=p.lang,\n"
                      "                            skip_corrupt=p.skip_corrupt, show=True)\n"
                      "[str(path) for path in paths]"),
    ])


def explore_notebook() -> nbformat.NotebookNode:
    params = new_code_cell(EXPLORE.cell_source())
    params.metadata["tags"] = ["parameters"]
    return _notebook([
        new_markdown_cell("# Exploring ViX-Ray with vixray-eda\n\nA guided tour: load the data, look at reports, "
                          "find every mention of a concept with its negation status, and browse examples."),
        params,
        new_markdown_cell("## Load\n`vx.load` returns one row per report with canonical columns; what was cleaned "
                          "on the way is in the quality log."),
        new_code_cell("import vixray_eda as vx\nfrom vixray_eda.parameters import EXPLORE\n\n"
                      "p = EXPLORE.typed(globals())  # every parameter checked against its declaration\n"
                      "df = vx.load(p.data)\ndf.head()"),
        new_code_cell("vx.quality_log(df)"),
        new_markdown_cell("## Concepts in the lexicon\nEach row is a surface form a radiologist can edit "
                          "(`vixray_eda/text/lexicon/terms.csv`); pass your own files to extend it."),
        new_code_cell("vx.load_lexicon().concepts"),
        new_markdown_cell("## Mentions with negation\n`extract_mentions` gives one row per mention, with offsets "
                          "into the original text and an assertion: present, absent or uncertain."),
        new_code_cell("mentions = vx.extract_mentions(df[\"findings\"])\nmentions.head(10)"),
        new_code_cell("mentions.groupby([\"concept\", \"assertion\"]).size().unstack(fill_value=0)"
                      ".sort_values(\"present\", ascending=False).head(15)"),
        new_markdown_cell("## Keyword in context\nEvery mention of one concept, the match highlighted."),
        new_code_cell("vx.kwic(df, p.concept, assertion=p.assertion)"),
        new_markdown_cell("## Browse examples\nWhole reports in which the concept has the chosen assertion."),
        new_code_cell("vx.examples(df, p.concept, assertion=p.assertion or \"present\", n=5)"),
    ])


def benchmark_notebook() -> nbformat.NotebookNode:
    params = new_code_cell(BENCHMARK.cell_source())
    params.metadata["tags"] = ["parameters"]
    sections = ["leaderboard", "coverage", "text_metrics", "clinical", "errors", "differences", "examples",
                "extractor", "figures", "limitations"]
    return _notebook([
        new_markdown_cell("# Benchmark card\n\nClinical correctness of generated reports: the same as "
                          "`vixray-eda score --data DATA --preds A.jsonl --preds B.jsonl --out DIR`."),
        params,
        new_code_cell("import vixray_eda as vx\nfrom vixray_eda.benchmark.card import BenchmarkCard\n"
                      "from vixray_eda.benchmark.outputs import load_references, write_files\n"
                      "from vixray_eda.parameters import BENCHMARK\n\n"
                      "p = BENCHMARK.typed(globals())  # every parameter checked against its declaration"),
        new_code_cell("references = load_references(p.data, p.split)"),
        new_code_cell("from vixray_eda.benchmark.perturb import demo_predictions\n\n"
                      "bench = vx.score(references, p.predictions or demo_predictions(references), key=p.key,\n"
                      "                 uncertain=p.uncertain, source=p.data, split=p.split)\n"
                      "card = BenchmarkCard(bench, title=p.title)\ncard.show(\"header\")"),
        *(new_code_cell(f'card.show("{section}")') for section in sections),
        new_code_cell("written = write_files(card, p.output_dir, formats=p.formats)"),
    ])


def _notebook(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"
    return nb


NOTEBOOKS = {"dataset_card.ipynb": card_notebook, "paper_figures.ipynb": figures_notebook,
             "explore.ipynb": explore_notebook, "benchmark_card.ipynb": benchmark_notebook}


def render(name: str) -> str:
    return nbformat.writes(NOTEBOOKS[name](), version=4) + "\n"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in NOTEBOOKS:
        (OUT / name).write_text(render(name), encoding="utf-8")
        print(f"wrote {OUT / name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
