"""Image figures: image sizes by split, and a contact sheet of thumbnails."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from vixray_eda.errors import DataError, ParameterError
from vixray_eda.plots.style import (Width, check_lang, figure_width, freeze_style, new_figure, no_data, paper_style,
                                    split_color, text)
from vixray_eda.data.schema import split_order

__all__ = ["plot_image_sizes", "plot_contact_sheet"]


def plot_image_sizes(images: pd.DataFrame, *, width: Width = "single", lang: str = "en") -> Figure:
    """Width × height of the images, one colour per split; marker area grows with the number of images of a size.

    `images` is the per-image frame of `image_stats` (split, width, height, ...); rows without a size (corrupt or
    missing images) are left out.
    """
    check_lang(lang)
    missing = [c for c in ("split", "width", "height") if c not in images.columns]
    if missing:
        raise DataError(f"plot_image_sizes: missing column(s) {', '.join(missing)}")
    sizes = images.assign(width=pd.to_numeric(images["width"], errors="coerce"),
                          height=pd.to_numeric(images["height"], errors="coerce")).dropna(subset=["width", "height"])
    counts = sizes.groupby([sizes["split"].astype(str), "width", "height"]).size().rename("n").reset_index()
    splits = split_order(counts["split"])
    with paper_style():
        fig = new_figure(width, height=figure_width("single") * 0.85)
        ax = fig.subplots()
        if counts.empty:
            no_data(ax, f"{text('no_data', lang)}: {text('images', lang).lower()}")
            return freeze_style(fig)
        largest = counts["n"].max()
        for split in splits:
            part = counts[counts["split"] == split].sort_values(["width", "height"], kind="stable")
            ax.scatter(part["width"], part["height"], s=6 + 60 * np.sqrt(part["n"] / largest),
                       color=split_color(split, splits), alpha=0.6, edgecolors="none",
                       label=f"{split} (n={int(part['n'].sum()):,})")
        ax.set_xlabel(text("width_px", lang))
        ax.set_ylabel(text("height_px", lang))
        ax.legend(loc="best", markerscale=0.8)
        return freeze_style(fig)


def plot_contact_sheet(sheet: pd.DataFrame, *, columns: int = 8, width: Width = "double",
                       lang: str = "en") -> Figure:
    """A grid of thumbnails from `contact_sheet_images` (split, id, thumbnail), one row block per split, each
    tile captioned with its id; an unreadable image shows as an empty tile marked "unreadable"."""
    check_lang(lang)
    if columns < 1:
        raise ParameterError(f"plot_contact_sheet: columns must be at least 1, not {columns!r}")
    missing = [c for c in ("split", "id", "thumbnail") if c not in sheet.columns]
    if missing:
        raise DataError(f"plot_contact_sheet: missing column(s) {', '.join(missing)}")
    tiles = [(split, row) for split in split_order(sheet["split"])
             for row in sheet[sheet["split"].astype(str) == split].itertuples(index=False)]
    rows = max(math.ceil(len(tiles) / columns), 1)
    inches = figure_width(width)
    with paper_style():
        fig = new_figure(width, height=rows * (inches / columns) * 1.15 + 0.1)
        if not tiles:
            no_data(fig.subplots(), f"{text('no_data', lang)}: {text('images', lang).lower()}")
            return freeze_style(fig)
        axes = fig.subplots(rows, columns, squeeze=False)
        for ax in axes.flat:
            ax.set_axis_off()
        for ax, (split, row) in zip(axes.flat, tiles):
            picture = row.thumbnail
            if picture is None:
                ax.text(0.5, 0.5, "unreadable", transform=ax.transAxes, ha="center", va="center", fontsize=6)
            else:
                ax.imshow(np.asarray(picture), cmap="gray", vmin=0, vmax=255, interpolation="antialiased")
            ax.set_title(str(row.id), fontsize=6, pad=1.5, color=split_color(split))
        return freeze_style(fig)
