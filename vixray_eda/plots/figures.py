"""The paper's figure set: a registry of figure stems → builders from one bundle of tidy results.

`vixray-eda figures`, ``paper_figures.ipynb`` and the card all draw from `PAPER_FIGURES` (each figure once, through
`vixray_eda.report.figures.CardFigures`) and save with `save_paper_figures`, so they write exactly the same files;
`build_paper_figures` draws all or some of them from a `FigureResults` for scripts. The figure functions themselves
live in the topic modules and are re-exported here: lengths, demographics, terms, wordcloud, images.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from vixray_eda.errors import ParameterError
from vixray_eda.plots.demographics import (plot_age_histogram, plot_age_pyramid, plot_prevalence_by_age,
                                           plot_sex_by_split)
from vixray_eda.plots.images import plot_contact_sheet, plot_image_sizes
from vixray_eda.plots.lengths import plot_lengths
from vixray_eda.plots.save import FORMATS, save_figure
from vixray_eda.plots.style import check_lang
from vixray_eda.plots.terms import plot_cooccurrence, plot_top_terms
from vixray_eda.plots.wordcloud import plot_wordcloud

__all__ = [
    "FigureResults", "PaperFigure", "PAPER_FIGURES", "as_results", "build_paper_figures", "save_paper_figures",
    "plot_lengths", "plot_age_histogram", "plot_age_pyramid", "plot_sex_by_split", "plot_prevalence_by_age",
    "plot_top_terms", "plot_cooccurrence", "plot_wordcloud", "plot_image_sizes", "plot_contact_sheet",
]


@dataclass(frozen=True)
class FigureResults:
    """The tidy results the paper figures are drawn from (None: not computed).

    frame: the canonical frame (split, age, sex) · report_lengths: `report_lengths` (one row per report) ·
    sex_counts: `sex_counts` · age_sex: `age_sex_table` · terms: `term_table` · cooccurrence: long (concept_a, concept_b, reports, lift) or
    square · prevalence_age: `prevalence_by_group(..., by="age_band")` · words_findings / words_impressions:
    term → count · images: `image_stats(...).images` · contact_sheet: `contact_sheet_images` ·
    labels: the lexicon (Vietnamese terms and English glosses) · lang: label language of term figures ·
    top_n: bars in the top-term figures (the card's `top_n`).
    """

    frame: pd.DataFrame | None = None
    report_lengths: pd.DataFrame | None = None
    sex_counts: pd.DataFrame | None = None
    age_sex: pd.DataFrame | None = None
    terms: pd.DataFrame | None = None
    cooccurrence: pd.DataFrame | None = None
    prevalence_age: pd.DataFrame | None = None
    words_findings: Mapping[str, float] | pd.Series | pd.DataFrame | None = None
    words_impressions: Mapping[str, float] | pd.Series | pd.DataFrame | None = None
    images: pd.DataFrame | None = None
    contact_sheet: pd.DataFrame | None = None
    labels: Any = None
    lang: str = "both"
    top_n: int = 15


@dataclass(frozen=True)
class PaperFigure:
    """One paper figure: the results it needs and how it is drawn; an `optional` figure is skipped without them."""

    needs: tuple[str, ...]
    build: Callable[[FigureResults], Figure]
    optional: bool = False


def _short_lang(r: FigureResults) -> str:
    """Language of plain labels: Vietnamese only when the term labels are Vietnamese only."""
    return "vi" if r.lang == "vi" else "en"


#: The paper's figures by file stem, in the order they are written.
PAPER_FIGURES: dict[str, PaperFigure] = {
    "fig_lengths": PaperFigure(("report_lengths",), lambda r: plot_lengths(r.report_lengths, lang=_short_lang(r))),
    "fig_age_histogram": PaperFigure(("frame",), lambda r: plot_age_histogram(r.frame, lang=_short_lang(r))),
    "fig_age_sex": PaperFigure(("age_sex",), lambda r: plot_age_pyramid(r.age_sex, lang=_short_lang(r))),
    "fig_sex_split": PaperFigure(("sex_counts",), lambda r: plot_sex_by_split(r.sex_counts, lang=_short_lang(r))),
    "fig_terms_findings": PaperFigure(("terms",), lambda r: plot_top_terms(
        r.terms, kind="finding", field="findings", top_n=r.top_n, labels=r.labels, lang=r.lang)),
    "fig_terms_anatomy": PaperFigure(("terms",), lambda r: plot_top_terms(
        r.terms, kind="anatomy", field="findings", top_n=r.top_n, labels=r.labels, lang=r.lang)),
    "fig_cooccurrence": PaperFigure(("cooccurrence",), lambda r: plot_cooccurrence(
        r.cooccurrence, labels=r.labels, lang=r.lang)),
    "fig_prevalence_age": PaperFigure(("prevalence_age",), lambda r: plot_prevalence_by_age(
        r.prevalence_age, labels=r.labels, lang=r.lang)),
    "fig_wordcloud_findings": PaperFigure(("words_findings",), lambda r: plot_wordcloud(r.words_findings)),
    "fig_wordcloud_impressions": PaperFigure(("words_impressions",), lambda r: plot_wordcloud(r.words_impressions)),
    "fig_image_sizes": PaperFigure(("images",), lambda r: plot_image_sizes(r.images, lang=_short_lang(r)),
                                   optional=True),
    "fig_contact_sheet": PaperFigure(("contact_sheet",), lambda r: plot_contact_sheet(r.contact_sheet),
                                     optional=True),
}


def as_results(results: FigureResults | Mapping[str, Any]) -> FigureResults:
    """A `FigureResults` from itself or a dict with the same keys (an unknown key is an error)."""
    if isinstance(results, FigureResults):
        bundle = results
    else:
        known = {f.name for f in fields(FigureResults)}
        unknown = sorted(set(results) - known)
        if unknown:
            raise ParameterError(f"figure results: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        bundle = FigureResults(**dict(results))
    check_lang(bundle.lang)
    return bundle


def _plan(stems: Sequence[str] | None, bundle: FigureResults) -> list[str]:
    """The stems to draw, in registry order of `stems`; checked before any figure is drawn."""
    selected = list(PAPER_FIGURES) if stems is None else list(dict.fromkeys(stems))
    unknown = [s for s in selected if s not in PAPER_FIGURES]
    if unknown:
        raise ParameterError(f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(PAPER_FIGURES)}")
    plan = []
    for stem in selected:
        entry = PAPER_FIGURES[stem]
        absent = [name for name in entry.needs if getattr(bundle, name) is None]
        if absent and not entry.optional:
            raise ParameterError(f"{stem}: figure results lack {', '.join(absent)}")
        if not absent:
            plan.append(stem)
    return plan


def build_paper_figures(results: FigureResults | Mapping[str, Any], stems: Sequence[str] | None = None
                        ) -> dict[str, Figure]:
    """stem → Figure for the paper figures (all, or `stems`); optional figures without their results are skipped.

    """
    bundle = as_results(results)
    return {stem: PAPER_FIGURES[stem].build(bundle) for stem in _plan(stems, bundle)}


def save_paper_figures(figures: Mapping[str, Figure], out_dir: str | os.PathLike[str],
                       formats: Sequence[str] = FORMATS, dpi: float = 300) -> list[Path]:
    """Save built paper figures as ``out_dir/<stem>.<format>``, in the registry's order; return the paths."""
    paths: list[Path] = []
    for stem in PAPER_FIGURES:
        if stem in figures:
            paths += save_figure(figures[stem], Path(out_dir) / stem, formats=formats, dpi=dpi)
    return paths
