"""Benchmark figures in the paper style: the leaderboard with 95% intervals, per-concept F1 (models × findings) and
per-concept clinical errors. Each function takes the tidy frames of a `Benchmark` and returns a Figure."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from vixray_eda.benchmark.bootstrap import HEADLINES
from vixray_eda.plots.style import (OKABE_ITO, concept_label, freeze_style, new_figure, no_data, paper_style)

__all__ = ["METRIC_NAMES", "EVENT_NAMES", "plot_leaderboard", "plot_concept_f1", "plot_concept_errors"]

#: Display names of the headline metrics.
METRIC_NAMES: dict[str, str] = {
    "rouge1_syllables": "ROUGE-1 (syllables)", "ce_micro_f1": "Clinical F1 (micro)",
    "ce_macro_f1": "Clinical F1 (macro)", "hallucination_rate": "Hallucination rate",
    "omission_rate": "Omission rate", "negation_flip_rate": "Negation-flip rate",
    "anatomy_mismatch_rate": "Anatomy-mismatch rate",
}
EVENT_NAMES: dict[str, str] = {"hallucination": "hallucinated", "omission": "omitted",
                               "negation_flip": "negation flipped", "anatomy_mismatch": "anatomy mismatch"}
_EVENT_COLORS = {"hallucination": OKABE_ITO["vermillion"], "omission": OKABE_ITO["sky_blue"],
                 "negation_flip": OKABE_ITO["orange"], "anatomy_mismatch": OKABE_ITO["reddish_purple"]}
_MODEL_COLORS = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple",
                                        "sky_blue", "black")]


def plot_leaderboard(metrics: pd.DataFrame, models: Sequence[str], field: str) -> Figure:
    """Headline metrics of each model on `field` with their 95% intervals: scores (higher is better) on the left,
    error rates (lower is better) on the right."""
    part = metrics[metrics["field"] == field]
    panels = (HEADLINES[:3], HEADLINES[3:])
    with paper_style():
        fig = new_figure("double", height=1.0 + 0.28 * 3 * max(len(models), 1))
        axes = fig.subplots(1, 2)
        height = 0.8 / max(len(models), 1)
        for ax, names, title in zip(axes, panels, ("Scores (higher is better)", "Error rates (lower is better)")):
            base = np.arange(len(names))[::-1]
            for k, model in enumerate(models):
                rows = part[part["model"] == model].set_index("metric").reindex(list(names))
                y = base + 0.4 - height * (k + 0.5)
                value = rows["value"].to_numpy(dtype=float)
                err = np.abs(np.vstack([value - rows["low"].to_numpy(dtype=float),
                                        rows["high"].to_numpy(dtype=float) - value]))
                ax.barh(y, np.nan_to_num(value), height=height * 0.9, color=_MODEL_COLORS[k % len(_MODEL_COLORS)],
                        label=model if ax is axes[0] else None)
                ax.errorbar(np.nan_to_num(value), y, xerr=np.nan_to_num(err), fmt="none", ecolor="#333333",
                            elinewidth=0.6, capsize=1.5)
            ax.set_yticks(base, [METRIC_NAMES[n] for n in names])
            ax.set_xlim(0, 1.0 if names is panels[0] else max(0.05, float(np.nanmax(
                np.append(part[part["metric"].isin(names)]["high"].to_numpy(dtype=float), 0))) * 1.15))
            ax.set_title(title, loc="left")
        fig.legend(loc="outside lower center", ncols=min(len(models), 4))
        return freeze_style(fig)


def plot_concept_f1(concepts: pd.DataFrame, models: Sequence[str], field: str,
                    labels: Mapping[str, tuple[str, str]]) -> Figure:
    """Heatmap of per-concept F1 of present findings: findings (rows, most reference positives first) × models
    (columns), annotated; only findings with a positive in the references or a prediction, blank where a model has
    nothing to score for a finding."""
    part = concepts[(concepts["field"] == field) & (concepts["tp"] + concepts["fp"] + concepts["fn"] > 0)]
    support = part.groupby("concept")["support"].max()
    order = sorted(support.index, key=lambda c: (-support[c], c))
    with paper_style():
        fig = new_figure(min(4.2 + 0.8 * len(models), 7.2), height=1.4 + 0.16 * max(len(order), 3))
        ax = fig.subplots()
        if not order:
            no_data(ax, "No finding is present in the references or predictions")
            return freeze_style(fig)
        matrix = part.pivot(index="concept", columns="model", values="f1").reindex(index=order, columns=list(models))
        values = matrix.to_numpy(dtype=float)
        image = ax.imshow(values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
        for i, j in np.ndindex(values.shape):
            if np.isfinite(values[i, j]):
                ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=6,
                        color="black" if values[i, j] > 0.6 else "white")
        ax.set_yticks(range(len(order)), [f"{concept_label(c, labels, 'en')} ({support[c]:,})" for c in order])
        ax.set_xticks(range(len(models)), list(models), rotation=30, ha="left")
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        fig.colorbar(image, ax=ax, shrink=0.6, label="F1 of present findings")
        ax.set_title(f"F1 per finding ({field})", loc="right")
        return freeze_style(fig)


def plot_concept_errors(concepts: pd.DataFrame, models: Sequence[str], field: str,
                        labels: Mapping[str, tuple[str, str]], top_n: int = 12) -> Figure:
    """Per model, the findings with the most clinical errors: hallucinated, omitted, negation-flipped and
    anatomy-mismatched reports, stacked (counts of reports)."""
    events = list(EVENT_NAMES)
    part = concepts[concepts["field"] == field]
    with paper_style():
        fig = new_figure("double", height=0.9 + 0.17 * top_n * max(1, (len(models) + 1) // 2))
        cols = min(len(models), 2)
        axes = np.atleast_1d(fig.subplots((len(models) + cols - 1) // cols, cols, squeeze=False)).ravel()
        for ax, model in zip(axes, models):
            rows = part[part["model"] == model].set_index("concept")[events]
            total = rows.sum(axis=1)
            order = sorted((c for c in total.index if total[c] > 0), key=lambda c: (-total[c], c))[:top_n]
            ax.set_title(model, loc="left")
            if not order:
                no_data(ax, "No clinical error")
                continue
            y = np.arange(len(order))[::-1]
            left = np.zeros(len(order))
            for event in events:
                counts = rows.loc[order, event].to_numpy(dtype=float)
                if counts.any():
                    ax.barh(y, counts, left=left, color=_EVENT_COLORS[event], label=EVENT_NAMES[event],
                            edgecolor="white", linewidth=0.4)
                left += counts
            ax.set_yticks(y, [concept_label(c, labels, "en") for c in order])
            ax.set_xlabel("Reports")
        for ax in axes[len(models):]:
            ax.set_visible(False)
        handles = {h.get_label(): h for ax in axes for h in ax.get_legend_handles_labels()[0]}
        if handles:
            fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncols=4)
        return freeze_style(fig)
