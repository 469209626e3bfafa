"""Term figures: top-N concepts with their assertions, and the co-occurrence of present findings."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm, TwoSlopeNorm
from matplotlib.figure import Figure

from vixray_eda.errors import DataError, ParameterError
from vixray_eda.plots.style import (ASSERTION_COLORS, ASSERTIONS, Width, check_lang, concept_label, concept_labels,
                                    freeze_style, is_narrow, label_rows_height, new_figure, no_data, paper_style,
                                    text)

__all__ = ["plot_top_terms", "plot_cooccurrence", "cooccurrence_matrix"]

TERM_COLUMNS = ("concept", "kind", "reports", *ASSERTIONS)


def _labels_with_frame(terms: pd.DataFrame, labels: Any) -> dict[str, tuple[str, str]]:
    names = concept_labels(terms) if {"vi_canonical", "en_label"} <= set(terms.columns) else {}
    return names | concept_labels(labels)


def plot_top_terms(terms: pd.DataFrame, *, kind: str = "finding", field: str = "findings", split: str = "all",
                   top_n: int = 15, labels: Any = None, width: Width = "double", lang: str = "both") -> Figure:
    """Top-N concepts of one kind as horizontal bars, present / uncertain / absent stacked (counts of reports).

    `terms` is `term_table` output (split, field, concept, kind, reports, present, absent, uncertain; split and field
    may be ``"all"``). When `split` (or `field`) is ``"all"`` and the frame has no ``"all"`` rows, the rows of every
    split (field) are added up. Concepts are ranked by reports (ties by id), the most frequent on top. Labels are
    "Vietnamese term (English gloss)" (``lang="both"``), Vietnamese only (``"vi"``) or English only (``"en"``), from
    `labels` (a lexicon, see `concept_labels`) or the frame's own vi_canonical / en_label columns.
    """
    check_lang(lang)
    if top_n < 1:
        raise ParameterError(f"plot_top_terms: top_n must be at least 1, not {top_n!r}")
    missing = [c for c in TERM_COLUMNS if c not in terms.columns]
    if missing:
        raise DataError(f"plot_top_terms: missing column(s) {', '.join(missing)}")
    names = _labels_with_frame(terms, labels)
    rows = terms[terms["kind"] == kind]
    for column, value in (("split", split), ("field", field)):
        if column in rows.columns and (value != "all" or (rows[column] == "all").any()):
            rows = rows[rows[column] == value]
    counts = rows.groupby(rows["concept"].astype(str))[["reports", *ASSERTIONS]].sum()
    counts = counts[counts["reports"] > 0]
    order = sorted(counts.index, key=lambda c: (-counts.at[c, "reports"], c))[:top_n]
    row_labels = [concept_label(c, names, lang, narrow=is_narrow(width)) for c in order]
    with paper_style():
        row = label_rows_height(row_labels) if is_narrow(width) else 0.17
        fig = new_figure(width, height=0.9 + row * max(len(order), 3))
        ax = fig.subplots()
        where = text(field, lang).lower() + ("" if split == "all" else f", {split}")
        ax.set_title(f"{text(f'top_{kind}', lang)}{chr(10) if is_narrow(width) else ' '}({where})", loc="left")
        if not order:
            no_data(ax, f"{text('no_data', lang)}: {text(kind, lang).lower()}")
            return freeze_style(fig)
        y = np.arange(len(order))[::-1]
        left = np.zeros(len(order))
        for assertion in ASSERTIONS:
            values = counts.loc[order, assertion].to_numpy(dtype=float)
            if assertion != "present" and not values.any():
                continue
            ax.barh(y, values, left=left, color=ASSERTION_COLORS[assertion], label=text(assertion, lang),
                    edgecolor="white", linewidth=0.4)
            left += values
        for yi, concept, end in zip(y, order, left):
            ax.text(end, yi, f" {int(counts.at[concept, 'reports']):,}", va="center", ha="left", fontsize=7)
        ax.set_yticks(y, row_labels)
        ax.set_xlim(0, left.max() * 1.15)
        ax.set_xlabel(text("reports", lang))
        fig.legend(loc="outside upper right", ncols=3)
        return freeze_style(fig)


def cooccurrence_matrix(cooccurrence: pd.DataFrame, value: str = "lift") -> pd.DataFrame:
    """A square concept × concept frame from either a square frame (returned as is, NaN where missing) or the long
    form (concept_a, concept_b, `value`); pairs are mirrored so the result is symmetric."""
    if {"concept_a", "concept_b"} <= set(cooccurrence.columns):
        if value not in cooccurrence.columns:
            raise DataError(f"plot_cooccurrence: missing column {value}")
        long = cooccurrence[["concept_a", "concept_b", value]].astype({"concept_a": str, "concept_b": str})
        mirrored = long.rename(columns={"concept_a": "concept_b", "concept_b": "concept_a"})
        both = pd.concat([long, mirrored]).drop_duplicates(["concept_a", "concept_b"])
        square = both.pivot(index="concept_a", columns="concept_b", values=value)
        concepts = sorted(set(square.index) | set(square.columns))
        return square.reindex(index=concepts, columns=concepts).astype(float)
    square = cooccurrence.copy()
    square.index = square.index.astype(str)
    square.columns = square.columns.astype(str)
    return square.astype(float)


def plot_cooccurrence(cooccurrence: pd.DataFrame, *, value: str = "lift", top_n: int | None = None,
                      order: list[str] | None = None, labels: Any = None, annotate: bool = True,
                      width: Width = "double", lang: str = "both") -> Figure:
    """Heatmap of the co-occurrence of present findings, annotated in every cell.

    `cooccurrence` is the long form (concept_a, concept_b, reports, lift, ...) or a square concept × concept frame.
    `value` ``"lift"`` uses a diverging scale centred on 1 (log scale: 0.5 and 2 equally far); ``"reports"`` (or
    any count) a sequential one. Concepts: `order` if given, otherwise the `top_n` with the largest total `value`
    (ties by id). The diagonal is blank for lift (it is 1/P(a)).
    """
    check_lang(lang)
    if top_n is None:  # as many as a column of the paper can show
        top_n = 8 if is_narrow(width) else 12
    if top_n < 1:
        raise ParameterError(f"plot_cooccurrence: top_n must be at least 1, not {top_n!r}")
    names = concept_labels(labels)
    square = cooccurrence_matrix(cooccurrence, value)
    is_lift = value == "lift"
    if is_lift:
        square = square.where(~np.eye(len(square), dtype=bool) if square.shape[0] == square.shape[1] else True)
    if order is None:
        if "reports" in cooccurrence.columns:  # long form: rank by how often a concept co-occurs at all
            weight = cooccurrence_matrix(cooccurrence, "reports").fillna(0).sum(axis=1)
        elif is_lift:
            weight = np.log(square.where(square > 0)).abs().fillna(0).sum(axis=1)
        else:
            weight = square.fillna(0).sum(axis=1)
        ranked = sorted(((c, w) for c, w in weight.items() if w > 0), key=lambda cw: (-cw[1], cw[0]))
        order = [c for c, _ in ranked[:top_n]]
    order = [c for c in order if c in square.index and c in square.columns]
    # symmetric: the lower triangle only; without the diagonal (lift) the first row and last column would be empty
    rows, columns = (order[1:], order[:-1]) if is_lift else (order, order)
    with paper_style():
        row_labels = [concept_label(c, names, lang, narrow=is_narrow(width)) for c in rows]
        row = label_rows_height(row_labels) if is_narrow(width) else 0.26
        fig = new_figure(width, height=min(0.9 + row * max(len(rows), 4), 7.0) + (1.2 if is_lift else 0.0))
        ax = fig.subplots()
        matrix = square.loc[rows, columns].to_numpy(dtype=float, copy=True) if rows else np.empty((0, 0))
        matrix[np.triu_indices_from(matrix, k=1)] = np.nan
        if not order or np.isnan(matrix).all():
            no_data(ax, f"{text('no_data', lang)}: {text('cooccurrence', lang).lower()}")
            return freeze_style(fig)
        if is_lift:
            finite = matrix[np.isfinite(matrix) & (matrix > 0)]
            span = max(float(np.abs(np.log2(finite)).max()) if finite.size else 1.0, 0.5)
            shown = np.log2(np.where(matrix > 0, matrix, np.nan))
            image = ax.imshow(shown, cmap="PuOr_r", norm=TwoSlopeNorm(0.0, -span, span), aspect="auto")
            bar = fig.colorbar(image, ax=ax, shrink=0.8, label=text("lift", lang))
            ticks = [t for t in range(-int(np.ceil(span)), int(np.ceil(span)) + 1) if abs(t) <= span]
            bar.set_ticks(ticks, labels=[f"{2.0 ** t:g}" for t in ticks])
        else:
            positive = matrix[matrix > 0]
            norm = LogNorm(max(positive.min(), 1), max(positive.max(), 2)) if positive.size else None
            image = ax.imshow(np.where(matrix > 0, matrix, np.nan), cmap="viridis", norm=norm, aspect="auto")
            fig.colorbar(image, ax=ax, shrink=0.8, label=text("reports", lang))
        if annotate:
            for i, j in np.ndindex(matrix.shape):
                if np.isfinite(matrix[i, j]):
                    label = f"{matrix[i, j]:.1f}" if is_lift else f"{matrix[i, j]:,.0f}"
                    ax.text(j, i, label, ha="center", va="center", fontsize=6, color=_ink(image, i, j))
        if is_lift:  # rows and columns differ: name both, the columns by their short (one-language) label
            ax.set_yticks(range(len(rows)), row_labels)
            short = "vi" if lang in ("vi", "both") else "en"
            ax.set_xticks(range(len(columns)), [concept_label(c, names, short) for c in columns], rotation=90)
        else:
            ax.set_yticks(range(len(order)), [f"{k}. {concept_label(c, names, lang, narrow=is_narrow(width))}"
                                              for k, c in enumerate(order, 1)])
            ax.set_xticks(range(len(order)), [str(k) for k in range(1, len(order) + 1)])
            ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_title(text("cooccurrence", lang) + (f" ({text('lift', lang).lower()})" if is_lift else ""))
        return freeze_style(fig)


def _ink(image: Any, i: int, j: int) -> str:
    """Black or white text, whichever reads better on the cell colour."""
    value = image.get_array()[i, j]
    if np.ma.is_masked(value) or not np.isfinite(value):
        return "black"
    r, g, b, _ = image.cmap(image.norm(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"

