"""The paper's figures of one `Results` bundle, rendered once: the card shows them inline, `write_outputs` saves them."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from vixray_eda.plots.figures import PAPER_FIGURES, FigureResults
from vixray_eda.plots.render import RASTER_DPI, Output, render_figures
from vixray_eda.plots.formats import FORMATS
from vixray_eda.data.schema import TEXT_FIELDS
from vixray_eda.stats import demographics, lengths, terms, vocabulary
from vixray_eda.stats.summary import CLOUD_WORDS, Results, field_mentions
from vixray_eda.text.lexicon import load_lexicon
from vixray_eda.text.pipeline import analyze_fields

CARD_DPI = 110
FIGURE_DPI = RASTER_DPI  # the paper files; the card's PNGs are scaled from their raster


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


def compute_figure_results(df: pd.DataFrame, lexicon_paths: Sequence[str] | None = None, top_n: int = 20,
                           lang: str = "en", workers: int | None = None) -> FigureResults:
    """`figure_results(compute_results(df, ...), lang)` computing only what the paper figures need (the text
    analysis, lengths, mentions, terms, demographics and word-cloud counts), for `vixray-eda figures`."""
    lexicon = load_lexicon(list(lexicon_paths) if lexicon_paths else None)
    df = df.drop(columns=["image"], errors="ignore")
    analyzed = analyze_fields(df, TEXT_FIELDS, lexicon=lexicon, workers=workers)
    mentions = terms.frame_mentions(df, TEXT_FIELDS, lexicon, analysis=analyzed)
    return FigureResults(
        frame=df, report_lengths=lengths.report_lengths(df, TEXT_FIELDS, analysis=analyzed[0]),
        sex_counts=demographics.sex_counts(df), age_sex=demographics.age_sex_table(df),
        terms=terms.term_table(df, mentions, TEXT_FIELDS, lexicon),
        cooccurrence=terms.cooccurrence(df, TEXT_FIELDS, lexicon=lexicon, mentions=mentions),
        prevalence_age=demographics.prevalence_by_group(df, field_mentions(mentions, "findings"), "findings",
                                                        by="age_band"),
        words_findings=vocabulary.cloud_words(df, "findings", lexicon, CLOUD_WORDS, analysis=analyzed),
        words_impressions=vocabulary.cloud_words(df, "impressions", lexicon, CLOUD_WORDS, analysis=analyzed),
        labels=lexicon, lang="both" if lang == "en" else "vi", top_n=int(top_n),
    )


class CardFigures:
    """The paper figures of `results` (or of a `FigureResults` drawn as it is): their files (`formats` at `FIGURE_DPI`) and, with `inline`, the card's PNGs,
    rendered in one pass on first use (`plots.render.render_figures`: every figure drawn once, on both cores, or
    taken from the cache) and kept. A figure whose results are absent (e.g. images not read) has no files."""

    def __init__(self, results: Results | FigureResults, lang: str = "en", formats: Sequence[str] = FORMATS,
                 inline: bool = True) -> None:
        self._bundle = results if isinstance(results, FigureResults) else figure_results(results, lang)
        self._outputs: tuple[Output, ...] = (((("png", CARD_DPI),) if inline else ())
                                             + tuple((fmt, FIGURE_DPI) for fmt in dict.fromkeys(formats)))
        self.stems = [stem for stem, entry in PAPER_FIGURES.items()
                      if all(getattr(self._bundle, need) is not None for need in entry.needs)]
        self._files: dict[str, dict[Output, bytes]] | None = None
        self._drawn: dict[str, Figure] = {}

    def _rendered(self) -> dict[str, dict[Output, bytes]]:
        if self._files is None:
            self._files = render_figures(self._bundle, self.stems, self._outputs)
        return self._files

    def draw_into_cache(self, stems: Sequence[str]) -> None:
        """Render those of `stems` this card has into the figure cache, in this process, keeping nothing here (a
        process drawing ahead for another)."""
        render_figures(self._bundle, [stem for stem in stems if self.available(stem)], self._outputs, workers=1)

    def available(self, stem: str) -> bool:
        """Whether figure `stem` has its results."""
        return stem in self.stems

    def png(self, stem: str) -> bytes | None:
        """The card's inline PNG of `stem` (None: its results are absent)."""
        return self._rendered()[stem][("png", CARD_DPI)] if self.available(stem) else None

    def files(self, formats: Sequence[str] = FORMATS) -> dict[str, dict[str, bytes]]:
        """stem → format → bytes of the figure files in `formats` (among those given at construction)."""
        rendered = self._rendered()
        return {stem: {fmt: rendered[stem][(fmt, FIGURE_DPI)] for fmt in dict.fromkeys(formats)}
                for stem in self.stems}

    def get(self, stem: str) -> Figure | None:
        """Figure `stem` itself, drawn in this process on first use (for display or further editing)."""
        if not self.available(stem):
            return None
        if stem not in self._drawn:
            self._drawn[stem] = PAPER_FIGURES[stem].build(self._bundle)
        return self._drawn[stem]
