"""The paper's figures of one `Results` bundle, drawn once: the card shows them inline, `write_outputs` saves them."""
from __future__ import annotations

import io

from matplotlib.figure import Figure

from vixray_eda.plots.figures import PAPER_FIGURES, FigureResults
from vixray_eda.plots.save import METADATA
from vixray_eda.plots.style import paper_style
from vixray_eda.stats.summary import Results

CARD_DPI = 110


def figure_results(results: Results, lang: str = "en") -> FigureResults:
    """The bundle the paper figures are drawn from."""
    words = results.vocabulary.word_counts if results.vocabulary is not None else {}
    return FigureResults(
        frame=results.frame, report_lengths=results.lengths.per_report,
        sex_counts=results.demographics.sex_counts, age_sex=results.demographics.age_sex, terms=results.terms.table,
        cooccurrence=results.terms.cooccurrence, prevalence_age=results.demographics.prevalence_age,
        words_findings=words.get("findings"), words_impressions=words.get("impressions"),
        images=results.images.images if results.images is not None else None,
        contact_sheet=results.contact_sheet, labels=results.lexicon, lang="both" if lang == "en" else "vi",
        top_n=int(results.parameters.get("top_n", 15)),
    )


class CardFigures:
    """The paper figures of `results`, each drawn on first use and kept (None: its results are absent)."""

    def __init__(self, results: Results, lang: str = "en") -> None:
        self._bundle = figure_results(results, lang)
        self._drawn: dict[str, Figure] = {}

    def get(self, stem: str) -> Figure | None:
        if stem not in self._drawn:
            entry = PAPER_FIGURES[stem]
            if any(getattr(self._bundle, need) is None for need in entry.needs):
                return None
            self._drawn[stem] = entry.build(self._bundle)
        return self._drawn[stem]

    def all(self) -> dict[str, Figure]:
        """stem → figure for every paper figure whose results are present, in the registry's order."""
        return {stem: fig for stem in PAPER_FIGURES if (fig := self.get(stem)) is not None}


def png_bytes(fig: Figure, dpi: int = CARD_DPI) -> bytes:
    """PNG of a figure with fixed metadata (byte-identical from run to run)."""
    buffer = io.BytesIO()
    with paper_style():
        fig.savefig(buffer, format="png", dpi=dpi, metadata=METADATA["png"])
    return buffer.getvalue()
