"""Paired bootstrap over scored reports: every model is resampled with the same report draws (seeded numpy), so
confidence intervals of each model and of the difference between two models come from one set of draws.

A statistic is computed from per-report arrays with a weight per report (how often a draw picked it); the point
estimate is the same statistic with every weight 1, so estimate and intervals share one code path.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from vixray_eda.benchmark.clinical import ClinicalScores, f1

__all__ = ["HEADLINES", "RATES", "resample_weights", "statistics", "interval", "LEVEL"]

#: The stable headline keys of stats.json (`benchmark.models.<name>.<key>`), in leaderboard order.
HEADLINES: tuple[str, ...] = ("rouge1_syllables", "ce_micro_f1", "ce_macro_f1", "hallucination_rate",
                              "omission_rate", "negation_flip_rate")
#: Rate statistic → event: the share of scored reference reports with at least one such event.
RATES: dict[str, str] = {"hallucination_rate": "hallucination", "omission_rate": "omission",
                         "negation_flip_rate": "negation_flip", "anatomy_mismatch_rate": "anatomy_mismatch"}
LEVEL = 0.95


def resample_weights(n: int, resamples: int, seed: int) -> np.ndarray:
    """A (resamples × n) matrix: row b counts how often draw b picked each of the n reports (n draws with
    replacement). Deterministic for a seed."""
    if n == 0:
        return np.zeros((resamples, 0))
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(resamples, n))
    flat = (np.arange(resamples)[:, None] * n + picks).ravel()
    return np.bincount(flat, minlength=resamples * n).reshape(resamples, n).astype(float)


def statistics(weights: np.ndarray, means: Mapping[str, np.ndarray], clinical: ClinicalScores) -> dict[str, np.ndarray]:
    """Every statistic for each row of `weights` (k × n): the weighted mean of each per-report array in `means`,
    the `RATES`, and the micro and macro F1 of present findings (macro: mean over concepts with a positive on
    either side in that draw). NaN where there is nothing to score.

    All per-report columns are stacked into one (n × columns) matrix, so each draw costs one matrix product.
    """
    names = list(means)
    c = len(clinical.concepts)
    columns = [np.asarray(means[name], dtype=float)[:, None] for name in names]
    columns += [(clinical.events[event] > 0).astype(float)[:, None] for event in RATES.values()]
    columns += [clinical.counts, *clinical.per_concept]
    sums = weights @ np.hstack(columns) if columns else np.zeros((len(weights), 0))
    total = weights.sum(axis=1)
    k = len(names) + len(RATES)
    with np.errstate(invalid="ignore", divide="ignore"):
        averages = sums[:, :k] / total[:, None]
    out = {name: averages[:, i] for i, name in enumerate([*names, *RATES])}
    tp, fp, fn = sums[:, k:k + 3].T
    out["ce_micro_f1"] = f1(tp, fp, fn)
    per_concept = f1(*(sums[:, k + 3 + i * c:k + 3 + (i + 1) * c] for i in range(3)))
    scored = ~np.isnan(per_concept)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["ce_macro_f1"] = np.where(scored.any(axis=1),
                                      np.where(scored, per_concept, 0).sum(axis=1) / scored.sum(axis=1), np.nan)
    return out


def interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Percentile interval of bootstrap values (NaN draws ignored; (NaN, NaN) when all are NaN)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float("nan"), float("nan")
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)
