"""`score(references, predictions)`: text and clinical metrics of generated reports, with paired bootstrap CIs.

Pure apart from reading prediction files when given paths: the result is a `Benchmark` of tidy frames that the
card, stats.json and figures read.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from vixray_eda.benchmark import clinical
from vixray_eda.benchmark.bootstrap import HEADLINES, LEVEL, interval, resample_weights, statistics
from vixray_eda.benchmark.extractor_check import extractor_accuracy
from vixray_eda.benchmark.inputs import Aligned, align, as_prediction_sets
from vixray_eda.benchmark.text_metrics import ROUGE_TYPES, UNITS, bleu_scores, require_extra, rouge_scores
from vixray_eda.data.sources import quality_log
from vixray_eda.errors import ParameterError
from vixray_eda.text.lexicon import Lexicon, load_lexicon
from vixray_eda.text.pipeline import TextAnalysis, analyze_texts

__all__ = ["Benchmark", "score", "METRICS", "DEFAULT_RESAMPLES"]

DEFAULT_RESAMPLES = 1000
#: Every metric with a bootstrap interval, in display order (the `HEADLINES` first).
METRICS: tuple[str, ...] = (*HEADLINES, *(f"{r}_{u}" for u in UNITS for r in ROUGE_TYPES
                                         if f"{r}_{u}" not in HEADLINES), "anatomy_mismatch_rate")
REPORT_COLUMNS = ["model", "field", "id", *(f"{r}_{u}" for u in UNITS for r in ROUGE_TYPES), "tp", "fp", "fn",
                  *clinical.EVENTS, "reference", "prediction"]


@dataclass(frozen=True)
class Benchmark:
    """Scores of one or more models against one set of references.

    - ``coverage``: per model, references / predictions / matched / missing / extra (+ example ids);
    - ``scored``: per field, references, scored (non-empty reference text) and empty (excluded) counts;
    - ``metrics``: model, field, metric, value, low, high (95% paired bootstrap interval);
    - ``differences``: field, metric, model_a, model_b, difference (a − b), low, high;
    - ``bleu``: model, field, unit, bleu1..bleu4 (corpus level, no interval);
    - ``concepts``: model, field, concept, support, tp, fp, fn, precision, recall, f1 and event counts;
    - ``reports``: one row per model × field × scored report (`REPORT_COLUMNS`);
    - ``pairs``: model, field, id, concept, reference state, prediction state and events (mentioned concepts only);
    - ``extractor``: the extractor's accuracy on the shipped check sentences (`extractor_accuracy`);
    - ``quality``: what loading the references cleaned (`vx.quality_log`; empty for a frame not from `vx.load`).
    """

    models: tuple[str, ...]
    fields: tuple[str, ...]
    headline_field: str
    parameters: dict[str, Any]
    coverage: pd.DataFrame
    scored: pd.DataFrame
    metrics: pd.DataFrame
    differences: pd.DataFrame
    bleu: pd.DataFrame
    concepts: pd.DataFrame
    reports: pd.DataFrame
    pairs: pd.DataFrame
    extractor: dict[str, Any]
    quality: pd.DataFrame
    source: str = ""
    synthetic: bool = False
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    def headline(self, model: str, metric: str) -> tuple[float, float, float]:
        """(value, low, high) of a metric of a model on the headline field."""
        m = self.metrics
        row = m[(m["model"] == model) & (m["field"] == self.headline_field) & (m["metric"] == metric)].iloc[0]
        return float(row["value"]), float(row["low"]), float(row["high"])

    def leaderboard(self) -> pd.DataFrame:
        """One row per model on the headline field: reports and every headline with its interval, best CE micro F1
        first (ties by name)."""
        m = self.metrics[self.metrics["field"] == self.headline_field]
        rows = []
        for model in self.models:
            part = m[m["model"] == model].set_index("metric")
            row: dict[str, Any] = {"model": model, "reports": self.reports_scored()}
            for metric in HEADLINES:
                row[metric] = part.at[metric, "value"]
                row[f"{metric}_ci"] = [part.at[metric, "low"], part.at[metric, "high"]]
            rows.append(row)
        board = pd.DataFrame(rows)
        order = sorted(range(len(board)), key=lambda i: (-np.nan_to_num(board["ce_micro_f1"].iat[i], nan=-1.0),
                                                         board["model"].iat[i]))
        return board.iloc[order].reset_index(drop=True)

    def reports_scored(self, field_name: str | None = None) -> int:
        s = self.scored.set_index("field")
        return int(s.at[field_name or self.headline_field, "scored"])


def _analysis(texts: list[str], lexicon: Lexicon) -> tuple[TextAnalysis, dict[str, list[list[str]]]]:
    a = analyze_texts(texts, lexicon=lexicon)
    return a, {"syllables": [a.syllable_tokens(d) for d in range(len(texts))],
               "words": [a.word_tokens(d) for d in range(len(texts))]}


def _field_scores(aligned: Aligned, field_name: str, uncertain: str, resamples: int, seed: int,
                  lexicon: Lexicon) -> dict[str, list[Any]]:
    refs_all = aligned.references[field_name]
    rows = [i for i, t in enumerate(refs_all) if t.strip()]
    ids = [aligned.ids[i] for i in rows]
    refs = [refs_all[i] for i in rows]
    ref_analysis, ref_tokens = _analysis(refs, lexicon)
    ref_states = clinical.finding_states(ref_analysis.mentions)
    ref_anatomy = clinical.finding_anatomy(ref_analysis.mentions)
    per_model: dict[str, tuple[pd.DataFrame, dict[str, list[str]], dict[str, np.ndarray]]] = {}
    out: dict[str, list[Any]] = {"reports": [], "pairs": [], "bleu": [], "concepts": [], "metrics": [],
                                 "differences": []}
    for model, texts in aligned.predictions.items():
        preds = [texts[field_name][i] for i in rows]
        pred_analysis, pred_tokens = _analysis(preds, lexicon)
        pairs = clinical.compare(ref_states, clinical.finding_states(pred_analysis.mentions), uncertain,
                                 ref_anatomy, clinical.finding_anatomy(pred_analysis.mentions))
        means: dict[str, np.ndarray] = {}
        for unit in UNITS:
            rouge = rouge_scores(ref_tokens[unit], pred_tokens[unit])
            for r in ROUGE_TYPES:
                means[f"{r}_{unit}"] = rouge[r].to_numpy()
            out["bleu"].append({"model": model, "field": field_name, "unit": unit,
                                **bleu_scores(ref_tokens[unit], pred_tokens[unit])})
        per_model[model] = (pairs, {"reference": refs, "prediction": preds}, means)
    concepts = sorted(set().union(*(set(p[0]["concept"]) for p in per_model.values())))
    weights = resample_weights(len(rows), resamples, seed)
    ones = np.ones((1, len(rows)))
    draws: dict[str, dict[str, np.ndarray]] = {}
    points: dict[str, dict[str, float]] = {}
    for model, (pairs, texts, means) in per_model.items():
        scores = clinical.ClinicalScores.from_pairs(pairs, len(rows), concepts)
        points[model] = {k: float(v[0]) for k, v in statistics(ones, means, scores).items()}
        draws[model] = statistics(weights, means, scores)
        for metric in METRICS:
            low, high = interval(draws[model][metric])
            out["metrics"].append({"model": model, "field": field_name, "metric": metric,
                                   "value": points[model][metric], "low": low, "high": high})
        report = pd.DataFrame({"model": model, "field": field_name, "id": ids, **means,
                               "tp": scores.counts[:, 0], "fp": scores.counts[:, 1], "fn": scores.counts[:, 2],
                               **{e: scores.events[e] for e in clinical.EVENTS}, **texts})
        out["reports"].append(report[REPORT_COLUMNS])
        named = pairs.assign(model=model, field=field_name, id=[ids[d] for d in pairs["doc"]])
        out["pairs"].append(named.drop(columns="doc"))
        out["concepts"].append(clinical.concept_table(pairs).assign(model=model, field=field_name))
    for a, b in combinations(aligned.predictions, 2):
        for metric in METRICS:
            low, high = interval(draws[a][metric] - draws[b][metric])
            out["differences"].append({"field": field_name, "metric": metric, "model_a": a, "model_b": b,
                                       "difference": points[a][metric] - points[b][metric], "low": low,
                                       "high": high})
    return out


def score(references: pd.DataFrame, predictions: Any, key: str = "id", uncertain: str = "positive",
          fields: Sequence[str] | None = None, resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
          lexicon: Lexicon | None = None, source: str | None = None, split: str | None = None) -> Benchmark:
    """Score generated reports against `references` (a `vx.load` frame or any frame with `key` and the fields).

    `predictions`: a predictions file or a list of them (JSONL/CSV/parquet), a mapping model → frame, or one frame.
    `uncertain` is how an uncertain finding counts in the label F1: "positive", "negative" or "exclude".
    `fields` defaults to those every model predicts; the headline metrics use findings when scored. Intervals:
    `resamples` paired bootstrap draws with `seed`.
    """
    require_extra()
    if uncertain not in clinical.UNCERTAIN_POLICIES:
        raise ParameterError(f"uncertain must be one of {', '.join(clinical.UNCERTAIN_POLICIES)}, not {uncertain!r}")
    if int(resamples) < 1:
        raise ParameterError(f"resamples must be at least 1, not {resamples!r}")
    lex = lexicon if lexicon is not None else load_lexicon()
    aligned = align(references, as_prediction_sets(predictions, key), key, fields)
    parts: dict[str, list[Any]] = {}
    scored = []
    for field_name in aligned.fields:
        for name, items in _field_scores(aligned, field_name, uncertain, int(resamples), int(seed), lex).items():
            parts.setdefault(name, []).extend(items)
        n_scored = sum(1 for t in aligned.references[field_name] if t.strip())
        scored.append({"field": field_name, "references": len(aligned.ids), "scored": n_scored,
                       "empty": len(aligned.ids) - n_scored})
    concepts = pd.concat(parts["concepts"], ignore_index=True)
    concept_columns = ["model", "field", *[c for c in concepts.columns if c not in ("model", "field")]]
    pairs = pd.concat(parts["pairs"], ignore_index=True)
    pair_columns = ["model", "field", "id", *[c for c in pairs.columns if c not in ("model", "field", "id")]]
    return Benchmark(
        models=tuple(aligned.predictions),
        fields=aligned.fields,
        headline_field="findings" if "findings" in aligned.fields else aligned.fields[0],
        parameters={"key": key, "uncertain": uncertain, "resamples": int(resamples), "seed": int(seed),
                    "level": LEVEL, "split": split, "fields": list(aligned.fields)},
        coverage=aligned.coverage,
        scored=pd.DataFrame(scored, columns=["field", "references", "scored", "empty"]),
        metrics=pd.DataFrame(parts["metrics"], columns=["model", "field", "metric", "value", "low", "high"]),
        differences=pd.DataFrame(parts["differences"], columns=["field", "metric", "model_a", "model_b",
                                                                "difference", "low", "high"]),
        bleu=pd.DataFrame(parts["bleu"]),
        concepts=concepts[concept_columns],
        reports=pd.concat(parts["reports"], ignore_index=True),
        pairs=pairs[pair_columns],
        extractor=extractor_accuracy(lex),
        quality=quality_log(references),
        source=str(source if source is not None else references.attrs.get("source", "")),
        synthetic=bool(references.attrs.get("synthetic", False)),
        labels=_labels(lex),
    )


def _labels(lexicon: Lexicon) -> dict[str, tuple[str, str]]:
    c = lexicon.concepts
    return {str(k): (str(v), str(e)) for k, v, e in zip(c["concept"], c["vi_canonical"], c["en_label"])}
