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
    "import vixray_eda as vx\nfrom vixray_eda.parameters import CARD\nfrom vixray_eda.report.cached_card import CachedCard\n\n"
    "p = CARD.typed(globals())  # every parameter checked against its declaration\n"
    "df = vx.load(p.data, splits=p.splits, skip_corrupt=p.skip_corrupt)",
    "# the card of vx.compute_results(df, ...), or the same card replayed from the cache (card.results: the results)\n"
    "card = CachedCard(df, lexicon_paths=p.lexicon_paths, top_n=p.top_n, images=p.read_images, source=p.data,\n"
    "                  splits=p.splits, skip_corrupt=p.skip_corrupt, title=p.title, lang=p.lang,\n"
    "                  figure_links=p.formats if p.link_figures else ())\n"
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
        new_markdown_cell("# Exploring ViX-Ray with vixray-eda\n\nA guided tour: load the data, see what was "
                          "cleaned, count the concepts the lexicon finds, read every mention of one concept in "
                          "context, read whole reports, and see what the lexicon may be missing. Set `concept` and "
                          "`assertion` below (or with papermill `-p concept cardiomegaly`)."),
        params,
        new_markdown_cell("## 1. Load\n`vx.load` returns one row per report with canonical columns (the same for "
                          "the Hub folder, a parquet/CSV/JSONL file or `\"sample\"`)."),
        new_code_cell("import vixray_eda as vx\nfrom vixray_eda.parameters import EXPLORE\n\n"
                      "p = EXPLORE.typed(globals())  # every parameter checked against its declaration\n"
                      "df = vx.load(p.data)\ndf.head()"),
        new_markdown_cell("What loading changed, counted per check (nothing is dropped silently):"),
        new_code_cell("vx.quality_log(df)"),
        new_markdown_cell("## 2. Concepts in the lexicon\nEach row is a surface form a radiologist can edit "
                          "(`vixray_eda/text/lexicon/terms.csv`); pass your own files to extend it."),
        new_code_cell("vx.load_lexicon().concepts"),
        new_markdown_cell("## 3. Mentions with negation\n`extract_mentions` gives one row per mention, with "
                          "offsets into the original text and an assertion: present, absent or uncertain."),
        new_code_cell("mentions = vx.extract_mentions(df[\"findings\"])\nmentions.head(10)"),
        new_markdown_cell("Reports per concept and assertion. `reports` counts reports that mention the concept at "
                          "all; a report can mention it as present in one sentence and absent in another, so "
                          "present + absent + uncertain can exceed `reports`."),
        new_code_cell("term_counts = vx.term_table(df)\n"
                      "term_counts[(term_counts.split == \"all\") & (term_counts.field == \"all\")].head(15)"),
        new_markdown_cell("## 4. Figures\nThe card's term figures, drawn inline: present, uncertain and absent "
                          "mentions stacked per concept (counted in the findings field)."),
        new_code_cell("%matplotlib inline\nfrom vixray_eda.plots.terms import plot_top_terms\n\n"
                      "plot_top_terms(term_counts, kind=\"finding\", field=\"findings\")"),
        new_code_cell("plot_top_terms(term_counts, kind=\"anatomy\", field=\"findings\")"),
        new_markdown_cell("## 5. Keyword in context\nThe first 20 mentions of the concept (the line above the table "
                          "says how many there are; `limit=None` shows all), coloured by assertion."),
        new_code_cell("vx.kwic(df, p.concept, assertion=p.assertion)"),
        new_markdown_cell("## 6. Whole reports\nReports in which the concept has the chosen assertion, findings and "
                          "impressions in full, every mention of the concept highlighted."),
        new_code_cell("vx.examples(df, p.concept, assertion=p.assertion or \"present\", n=5)"),
        new_markdown_cell("## 7. What the lexicon may be missing\nFrequent words next to a negation or hedge cue or "
                          "an anatomical site that no term covers, possible abbreviations, and spellings matched "
                          "only without tone marks. Add what matters to a lexicon file and pass it as "
                          "`lexicon_paths`."),
        new_code_cell("vx.lexicon_gaps(df)"),
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
