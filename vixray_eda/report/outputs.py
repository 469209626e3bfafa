"""Writing a card's files: stats.json, README.md (Hugging Face card), croissant.json (when every file has its
digest) and the paper's figures, each atomically."""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from vixray_eda.data.sources import load
from vixray_eda.files import write_text_atomic
from vixray_eda.plots.formats import as_formats
from vixray_eda.plots.save import write_figure_files
from vixray_eda.plots.style import concept_labels
from vixray_eda.report import hf_card
from vixray_eda.report.croissant import results_croissant, withheld
from vixray_eda.report.figures import CardFigures, compute_figure_results
from vixray_eda.report.stats_json import build_stats, dumps
from vixray_eda.stats.summary import Results


def write_outputs(results: Results, output_dir: Path, formats: Sequence[str] = ("pdf", "svg", "png"),
                  figures: CardFigures | None = None, title: str = "ViX-Ray dataset card") -> list[Path]:
    """stats.json, README.md, croissant.json (unless `croissant.withheld` says why not: stats.json and README.md say
    it then) and figures/ in `formats` (none for an empty `formats`) for one dataset (`figures`: the card's, already
    rendered, else rendered here); returns the paths written."""
    output_dir = Path(output_dir)
    stats = build_stats(results)
    paths = [write_text_atomic(output_dir / "stats.json", dumps(stats)),
             write_text_atomic(output_dir / "README.md",
                               hf_card.render(results, title, concept_labels(results.lexicon)))]
    if withheld(results) is None:
        doc = results_croissant(results, title, hf_card.LICENSE)
        paths.append(write_text_atomic(output_dir / "croissant.json",
                                       json.dumps(doc, ensure_ascii=False, indent=2) + "\n"))
    formats = as_formats(formats)
    if not formats:  # no figure files asked for: nothing is drawn
        return paths
    if figures is None:
        figures = CardFigures(results, formats=formats, inline=False)
    return paths + write_figure_files(figures.files(formats), output_dir / "figures")


def write_paper_figures(data: str, output_dir: str | Path, formats: Sequence[str] = ("pdf", "svg", "png"),
                        splits: Sequence[str] | None = None, lexicon_paths: Sequence[str] | None = None,
                        top_n: int = 20, lang: str = "en", skip_corrupt: bool = False,
                        show: bool = False) -> list[Path]:
    """Load `data`, compute what the figures need and write exactly the paper's figure files into `output_dir`;
    `show` also displays each figure (as the card's PNG, from the same drawing: a matplotlib Figure would show as
    text in a kernel without pyplot's inline backend, as under papermill)."""
    df = load(data, splits=splits, skip_corrupt=skip_corrupt)
    formats = as_formats(formats)
    figures = CardFigures(compute_figure_results(df, lexicon_paths, top_n, lang), formats=formats, inline=show)
    if show:
        from IPython.display import Image, display

        for stem in figures.stems:
            display(Image(data=figures.png(stem), format="png"))
    return write_figure_files(figures.files(formats), Path(output_dir))
