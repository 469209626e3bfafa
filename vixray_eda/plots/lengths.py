"""Report-length distributions: one panel per field × unit, one box (or violin) per split."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from vixray_eda.errors import DataError, ParameterError
from vixray_eda.plots.style import (Width, check_lang, freeze_style, new_figure, no_data, paper_style, split_color,
                                    text)
from vixray_eda.data.schema import split_order

__all__ = ["plot_lengths"]

LENGTH_COLUMNS = ("split", "field", "unit", "length")


def plot_lengths(lengths: pd.DataFrame, *, units: Sequence[str] = ("syllables", "words"),
                 fields: Sequence[str] = ("findings", "impressions"), kind: str = "box",
                 width: Width = "double", lang: str = "en") -> Figure:
    """Length distributions per split, faceted field (rows) × unit (columns).

    `lengths` is the long form of `report_lengths`: split, field, unit, length (one row per report, field and unit).
    `kind` is ``"box"`` (median, quartiles, 5th–95th percentile whiskers, mean as a diamond) or ``"violin"``.
    Each split's tick label shows its n; a panel without values says so.
    """
    check_lang(lang)
    if kind not in ("box", "violin"):
        raise ParameterError(f"plot_lengths: kind must be 'box' or 'violin', not {kind!r}")
    missing = [c for c in LENGTH_COLUMNS if c not in lengths.columns]
    if missing:
        raise DataError(f"plot_lengths: missing column(s) {', '.join(missing)}")
    units, fields = list(units), list(fields)
    if not units or not fields:
        raise ParameterError("plot_lengths: give at least one unit and one field")
    splits = split_order(lengths["split"]) if len(lengths) else []
    with paper_style():
        fig = new_figure(width, height=1.45 * len(fields) + 0.3)
        axes = fig.subplots(len(fields), len(units), squeeze=False)
        for row, field in enumerate(fields):
            for col, unit in enumerate(units):
                ax = axes[row][col]
                panel = lengths[(lengths["field"] == field) & (lengths["unit"] == unit)]
                _panel(ax, panel, splits, kind, lang)
                ax.set_title(f"{text(field, lang)} · {text(unit, lang).lower()}")
                if col == 0 and panel["length"].notna().any():
                    ax.set_ylabel(text("length", lang))
        return freeze_style(fig)


def _panel(ax, panel: pd.DataFrame, splits: list[str], kind: str, lang: str) -> None:
    values = [panel.loc[panel["split"] == s, "length"].dropna().to_numpy(dtype=float) for s in splits]
    if not any(v.size for v in values):
        no_data(ax, text("no_data", lang))
        return
    positions = [i for i, v in enumerate(values) if v.size]
    data = [values[i] for i in positions]
    colors = [split_color(splits[i], splits) for i in positions]
    if kind == "box":
        parts = ax.boxplot(data, positions=positions, widths=0.6, whis=(5, 95), showfliers=False,
                           showmeans=True, patch_artist=True,
                           meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black",
                                      "markersize": 3},
                           medianprops={"color": "black", "linewidth": 1})
        for box, color in zip(parts["boxes"], colors):
            box.set_facecolor(color)
            box.set_alpha(0.85)
    else:
        parts = ax.violinplot(data, positions=positions, widths=0.8, showmedians=True, showextrema=False)
        for body, color in zip(parts["bodies"], colors):
            body.set_facecolor(color)
            body.set_edgecolor("black")
            body.set_linewidth(0.4)
            body.set_alpha(0.85)
        parts["cmedians"].set_color("black")
        ax.scatter(positions, [float(np.mean(v)) for v in data], marker="D", s=8, color="white",
                   edgecolors="black", linewidths=0.5, zorder=3)
    ax.set_xticks(range(len(splits)), [f"{s}\nn={v.size:,}" for s, v in zip(splits, values)])
    ax.set_xlim(-0.6, len(splits) - 0.4)
    ax.set_ylim(bottom=0)
