"""Every paper figure, drawn from the sample's results at both paper widths, has no overlapping text."""
from __future__ import annotations

import itertools
import warnings

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import vixray_eda as vx
from vixray_eda.plots import demographics, lengths, terms
from vixray_eda.plots.figures import build_paper_figures
from vixray_eda.plots.style import figure_width, paper_style
from vixray_eda.report.figures import figure_results

WIDTHS = ("single", "double")


@pytest.fixture(scope="module")
def bundle():
    df = vx.load("sample")
    return figure_results(vx.compute_results(df, source="sample"))


def _builders(r):
    """stem → (width → Figure) for every text figure that takes a width."""
    return {
        "lengths": lambda w: lengths.plot_lengths(r.report_lengths, width=w),
        "age_pyramid": lambda w: demographics.plot_age_pyramid(r.age_sex, width=w),
        "sex_split": lambda w: demographics.plot_sex_by_split(r.sex_counts, width=w),
        "age_histogram": lambda w: demographics.plot_age_histogram(r.frame, width=w),
        "prevalence_age": lambda w: demographics.plot_prevalence_by_age(r.prevalence_age, labels=r.labels,
                                                                        lang=r.lang, width=w),
        "prevalence_age_lines": lambda w: demographics.plot_prevalence_by_age(
            r.prevalence_age, labels=r.labels, lang=r.lang, width=w, kind="lines"),
        "terms_findings": lambda w: terms.plot_top_terms(r.terms, kind="finding", field="findings", labels=r.labels,
                                                         lang=r.lang, width=w),
        "terms_anatomy": lambda w: terms.plot_top_terms(r.terms, kind="anatomy", field="findings", labels=r.labels,
                                                        lang=r.lang, width=w),
        "cooccurrence": lambda w: terms.plot_cooccurrence(r.cooccurrence, labels=r.labels, lang=r.lang, width=w),
    }


def texts_outside(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """Titles, axis labels, legends and annotations that stick out of the figure (cut off in the saved file).
    Tick labels are left out: matplotlib keeps labels of ticks beyond the axis limits, which it never draws."""
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for t in axis.get_ticklabels(which="both")}
    return [t.get_text() for t in fig.findobj(Text) if id(t) not in ticks and t.get_visible() and t.get_text().strip()
            and ((e := t.get_window_extent(renderer)).x0 < box.x0 - tolerance or e.x1 > box.x1 + tolerance
                 or e.y0 < box.y0 - tolerance or e.y1 > box.y1 + tolerance)]


def overlapping_texts(fig: Figure, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts whose drawn boxes intersect by more than `tolerance` pixels each way."""
    with paper_style():
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    clashes = []
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        dx = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        dy = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if dx > tolerance and dy > tolerance:
            clashes.append((a, b))
    return clashes


@pytest.mark.parametrize("width", WIDTHS)
def test_no_figure_has_overlapping_text(bundle, width):
    failures = {}
    for name, build in _builders(bundle).items():
        with warnings.catch_warnings():  # a layout that collapses the axes to nothing is a failure too
            warnings.filterwarnings("error", message="constrained_layout not applied")
            fig = build(width)
        assert fig.get_figwidth() == pytest.approx(figure_width(width))
        clashes = overlapping_texts(fig) + [(t, "outside the figure") for t in texts_outside(fig)]
        if clashes:
            failures[name] = clashes[:3]
    assert not failures, failures


def test_the_overlap_check_sees_an_overlap():
    fig = Figure(figsize=(3.5, 2))
    ax = fig.subplots()
    ax.text(0.5, 0.5, "n=1,343")
    ax.text(0.52, 0.5, "n=1,493")
    assert overlapping_texts(fig) == [("n=1,343", "n=1,493")]
    ax.set_title("a title far too long for a single column of a paper, so it runs off the figure's edge")
    assert texts_outside(fig) == [ax.get_title()]


def test_cooccurrence_triangle_has_no_empty_row_or_column(bundle):
    fig = terms.plot_cooccurrence(bundle.cooccurrence, labels=bundle.labels, lang=bundle.lang)
    image = fig.axes[0].images[0].get_array()
    assert not image.mask.all(axis=1).any(), "a row of the triangle is empty"
    assert not image.mask.all(axis=0).any(), "a column of the triangle is empty"


@pytest.mark.parametrize("top_n", [4, 20])
def test_top_n_reaches_the_term_figures(top_n):
    df = vx.load("sample", splits=["test"])
    bundle = figure_results(vx.compute_results(df, source="sample", top_n=top_n))
    fig = build_paper_figures(bundle, ["fig_terms_findings"])["fig_terms_findings"]
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    present = bundle.terms.query("split == 'all' and field == 'findings' and kind == 'finding' and reports > 0")
    assert len(present) > 15  # so that both 4 and 20 differ from the figure's own default of 15 bars
    assert len(shown) == min(top_n, len(present))
