"""Demographic figures: age histogram by sex, age–sex pyramid, sex by split, finding prevalence by age band."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from vixray_eda.data.schema import require_columns, split_order
from vixray_eda.errors import ParameterError
from vixray_eda.plots.style import (SEX_COLORS, Width, check_lang, concept_label, concept_labels, freeze_style,
                                    is_narrow, label_rows_height, new_figure, no_data, paper_style, text)
from vixray_eda.stats.demographics import AGE_BANDS

__all__ = ["plot_age_histogram", "plot_age_pyramid", "plot_sex_by_split", "plot_prevalence_by_age"]


def _select_split(df: pd.DataFrame, split: str) -> pd.DataFrame:
    """Rows of one split; ``"all"`` means every row when the frame has no ``"all"`` rows of its own."""
    if "split" not in df.columns or (split == "all" and not (df["split"] == "all").any()):
        return df
    return df[df["split"] == split]


def plot_age_histogram(df: pd.DataFrame, *, split: str = "all", bin_width: float = 5,
                       width: Width = "single", lang: str = "en") -> Figure:
    """Age histogram by sex (M and F overlaid as outlined steps, n in the legend) from rows with ``age`` and ``sex``.

    `df` is the canonical frame (or any frame with age, sex and optionally split); rows with a missing age or sex are
    left out and counted in the title. `split` selects one split (``"all"``: every row).
    """
    check_lang(lang)
    require_columns(df, ("age", "sex"), "plot_age_histogram")
    if bin_width <= 0:
        raise ParameterError(f"plot_age_histogram: bin_width must be positive, not {bin_width!r}")
    rows = _select_split(df, split)
    ages = pd.to_numeric(rows["age"], errors="coerce").astype("float64")
    sex = rows["sex"].astype("object")
    placed = ages.notna() & sex.isin(["M", "F"])
    with paper_style():
        fig = new_figure(width)
        ax = fig.subplots()
        if not placed.any():
            no_data(ax, f"{text('no_data', lang)}: {text('age', lang).lower()}")
            return freeze_style(fig)
        low = np.floor(ages[placed].min() / bin_width) * bin_width
        high = np.floor(ages[placed].max() / bin_width) * bin_width + bin_width
        bins = np.arange(low, high + bin_width / 2, bin_width)
        for label in ("M", "F"):
            values = ages[placed & (sex == label)].to_numpy()
            if values.size == 0:
                continue
            ax.hist(values, bins=bins, histtype="stepfilled", alpha=0.25, color=SEX_COLORS[label])
            ax.hist(values, bins=bins, histtype="step", linewidth=1.2, color=SEX_COLORS[label],
                    label=f"{text(label, lang)} (n={values.size:,})")
        ax.set_xlabel(text("age", lang))
        ax.set_ylabel(text("patients", lang))
        ax.legend(loc="upper left")
        left_out = int((~placed).sum())
        title = text("all", lang) if split == "all" else split
        ax.set_title(title + (f" ({left_out:,} {text('no_age_sex', lang)})" if left_out else ""))
        return freeze_style(fig)


def plot_age_pyramid(table: pd.DataFrame, *, split: str = "all", width: Width = "single",
                     lang: str = "en") -> Figure:
    """Age–sex pyramid from `age_sex_table` (band, sex, count, split): men to the left, women to the right."""
    check_lang(lang)
    require_columns(table, ("band", "sex", "count"), "plot_age_pyramid")
    rows = _select_split(table, split)
    counts = rows.groupby([rows["band"].astype(str), rows["sex"].astype(str)], sort=False)["count"].sum()
    present = [str(b) for b in rows["band"].astype(str).unique()]
    bands = [b for b in AGE_BANDS if b in present] + sorted(set(present) - set(AGE_BANDS))
    with paper_style():
        fig = new_figure(width)
        ax = fig.subplots()
        if counts.sum() == 0:
            no_data(ax, f"{text('no_data', lang)}: {text('age', lang).lower()} × {text('sex', lang).lower()}")
            return freeze_style(fig)
        y = np.arange(len(bands))
        men = np.array([counts.get((b, "M"), 0) for b in bands], dtype=float)
        women = np.array([counts.get((b, "F"), 0) for b in bands], dtype=float)
        ax.barh(y, -men, color=SEX_COLORS["M"], label=f"{text('M', lang)} (n={int(men.sum()):,})")
        ax.barh(y, women, color=SEX_COLORS["F"], label=f"{text('F', lang)} (n={int(women.sum()):,})")
        limit = max(men.max(), women.max()) * 1.1
        ax.set_xlim(-limit, limit)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_yticks(y, bands)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):,.0f}"))
        ax.set_xlabel(text("patients", lang))
        ax.set_ylabel(text("age_band", lang))
        fig.legend(loc="outside upper center", ncols=2)
        return freeze_style(fig)


def plot_sex_by_split(counts: pd.DataFrame, *, width: Width = "single", lang: str = "en") -> Figure:
    """Sex by split from `sex_counts` (split, sex, count, share): 100 % stacked bars, shares written in the bars,
    n per split on the axis."""
    check_lang(lang)
    require_columns(counts, ("split", "sex", "count"), "plot_sex_by_split")
    splits = split_order(s for s in counts["split"] if s != "all") + (["all"] if (counts["split"] == "all").any()
                                                                      else [])
    totals = counts.groupby("split")["count"].sum()
    with paper_style():
        fig = new_figure(width, height=0.5 + 0.32 * max(len(splits), 1))
        ax = fig.subplots()
        if not len(splits) or totals.sum() == 0:
            no_data(ax, f"{text('no_data', lang)}: {text('sex', lang).lower()}")
            return freeze_style(fig)
        sexes = [s for s in ("M", "F", "missing") if s in set(counts["sex"])]
        y = np.arange(len(splits))[::-1]
        left = np.zeros(len(splits))
        for sex in sexes:
            values = np.array([counts.loc[(counts["split"] == sp) & (counts["sex"] == sex), "count"].sum()
                               for sp in splits], dtype=float)
            shares = np.divide(values, [totals.get(sp, 0) for sp in splits],
                               out=np.zeros(len(splits)), where=np.array([totals.get(sp, 0) for sp in splits]) > 0)
            ax.barh(y, shares, left=left, color=SEX_COLORS.get(sex, "#999999"), label=text(sex, lang),
                    edgecolor="white", linewidth=0.5)
            for yi, share, start in zip(y, shares, left):
                if share >= 0.06:
                    ax.text(start + share / 2, yi, f"{share:.0%}", ha="center", va="center", color="white",
                            fontsize=7.5)
            left += shares
        ax.set_yticks(y, [f"{text('all', lang) if sp == 'all' else sp} (n={int(totals.get(sp, 0)):,})"
                          for sp in splits])
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(text("share_patients", lang))
        fig.legend(loc="outside upper center", ncols=len(sexes))
        return freeze_style(fig)


def plot_prevalence_by_age(prevalence: pd.DataFrame, *, top_n: int = 8, kind: str = "heatmap",
                           labels: pd.DataFrame | Mapping[str, Any] | None = None, include_missing: bool = False,
                           width: Width = "double", lang: str = "both") -> Figure:
    """Share of reports with each finding present, by age band, from `prevalence_by_group(..., by="age_band")`
    (group, concept, reports, n_group, share).

    The `top_n` findings with the most reports overall (ties by concept id); `kind` ``"heatmap"`` (shares written
    in the cells) or ``"lines"``. The n of every band is on the axis. The ``"missing"`` band is left out unless
    `include_missing`. `labels` gives Vietnamese terms and English glosses (see `concept_labels`).
    """
    check_lang(lang)
    if kind not in ("heatmap", "lines"):
        raise ParameterError(f"plot_prevalence_by_age: kind must be 'heatmap' or 'lines', not {kind!r}")
    if top_n < 1:
        raise ParameterError(f"plot_prevalence_by_age: top_n must be at least 1, not {top_n!r}")
    require_columns(prevalence, ("group", "concept", "reports", "n_group"), "plot_prevalence_by_age")
    names = concept_labels(labels)
    rows = prevalence if include_missing else prevalence[prevalence["group"] != "missing"]
    present = set(rows["group"].astype(str))
    bands = [b for b in AGE_BANDS if b in present] + sorted(present - set(AGE_BANDS) - {"missing"}) + (
        ["missing"] if "missing" in present else [])
    totals = rows.groupby("concept")["reports"].sum()
    totals = totals[totals > 0]
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top_n]
    concepts = [str(c) for c, _ in ranked]
    n_band = rows.groupby(rows["group"].astype(str))["n_group"].first()
    with paper_style():
        concept_names = [concept_label(c, names, lang, narrow=is_narrow(width)) for c in concepts]
        row = max(label_rows_height(concept_names), 0.22)
        fig = new_figure(width, height=(1.2 + row * max(len(concepts), 4) if kind == "heatmap"
                                        else 2.6 + (row * len(concepts) if is_narrow(width) else 0.0)))
        ax = fig.subplots()
        if not concepts or not bands:
            no_data(ax, f"{text('no_data', lang)}: {text('prevalence', lang).lower()}")
            return freeze_style(fig)
        cell = rows.assign(group=rows["group"].astype(str), concept=rows["concept"].astype(str))
        cell = cell.groupby(["concept", "group"])[["reports", "n_group"]].sum()
        share = np.array([[_share(cell, c, b) for b in bands] for c in concepts])
        joint = " " if is_narrow(width) else "\n"  # one line: turned upright it must fit a narrow column
        band_labels = [f"{b}{joint}n={int(n_band.get(b, 0)):,}" for b in bands]
        if kind == "heatmap":
            image = ax.imshow(share, aspect="auto", cmap="viridis", vmin=0, vmax=max(np.nanmax(share), 1e-9))
            for i, j in np.ndindex(share.shape):
                if not np.isnan(share[i, j]):
                    dark = share[i, j] < 0.6 * np.nanmax(share)
                    ax.text(j, i, f"{share[i, j]:.0%}", ha="center", va="center", fontsize=7,
                            color="white" if dark else "black")
            ax.set_xticks(range(len(bands)), band_labels)
            ax.set_yticks(range(len(concepts)), concept_names)
            ax.tick_params(length=0)
            for spine in ax.spines.values():
                spine.set_visible(False)
            fig.colorbar(image, ax=ax, format=PercentFormatter(1.0, decimals=0), shrink=0.9,
                         label=text("share", lang))
        else:
            for index, (concept, name) in enumerate(zip(concepts, concept_names)):
                ax.plot(range(len(bands)), share[index], marker="o", label=name)
            ax.set_xticks(range(len(bands)), band_labels)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_ylabel(text("share", lang))
            ax.set_ylim(bottom=0)
            if is_narrow(width):  # no room beside the axes: the legend goes below them
                fig.legend(loc="outside lower center", ncols=1)
            else:
                ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
        ax.set_xlabel(text("age_band", lang))
        return freeze_style(fig)


def _share(cell: pd.DataFrame, concept: str, band: str) -> float:
    if (concept, band) not in cell.index:
        return float("nan")
    reports, n = cell.loc[(concept, band)]
    return float(reports) / float(n) if n else float("nan")
