"""The extractor's own accuracy, measured when a benchmark is scored, on labelled sentences shipped beside this
module (`extractor_check.jsonl`: written by the developers following the labelling conventions of the concept
spec, one finding label per concept and sentence; not real reports, so real-report accuracy is likely lower).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from vixray_eda.benchmark.clinical import finding_states
from vixray_eda.text.lexicon import Lexicon
from vixray_eda.text.pipeline import analyze_texts

__all__ = ["CHECK_PATH", "check_sentences", "extractor_accuracy"]

CHECK_PATH = Path(__file__).resolve().parent / "extractor_check.jsonl"


@lru_cache(maxsize=1)
def check_sentences() -> tuple[tuple[str, frozenset[tuple[str, str]]], ...]:
    """(sentence, {(concept, assertion)}) of the shipped check set."""
    rows = [json.loads(line) for line in CHECK_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple((r["sentence"], frozenset((c, a) for c, a in r["findings"])) for r in rows)


def extractor_accuracy(lexicon: Lexicon | None = None) -> dict[str, Any]:
    """Finding detection precision / recall / F1 (a concept found in the right sentence, any assertion), assertion
    accuracy on the concepts found, and the share of sentences labelled exactly right."""
    sentences = check_sentences()
    analysis = analyze_texts([s for s, _ in sentences], lexicon=lexicon)
    states = finding_states(analysis.mentions)
    found: list[set[tuple[str, str]]] = [set() for _ in sentences]
    for doc, concept, state in zip(states["doc"], states["concept"], states["state"]):
        found[int(doc)].add((str(concept), str(state)))
    tp = fp = fn = right = exact = 0
    for (_, gold), got in zip(sentences, found):
        gold_concepts = {c for c, _ in gold}
        got_concepts = {c for c, _ in got}
        tp += len(gold_concepts & got_concepts)
        fp += len(got_concepts - gold_concepts)
        fn += len(gold_concepts - got_concepts)
        right += len(gold & got)
        exact += gold == got
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return {"sentences": len(sentences), "labels": sum(len(g) for _, g in sentences),
            "precision": precision, "recall": recall,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan"),
            "assertion_accuracy": right / tp if tp else float("nan"),
            "exact_sentences": exact / len(sentences) if sentences else float("nan")}
