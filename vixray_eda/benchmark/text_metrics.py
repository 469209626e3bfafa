"""Text overlap metrics on pre-tokenized Vietnamese: ROUGE-1/2/L (`rouge-score`) and BLEU-1..4 (`sacrebleu`).

Both packages see tokens the package made itself, joined by spaces: lower-case syllables of the normalized text
(the unit of the published ROUGE-1) or segmented words (multi-syllable terms joined by "_"). `rouge-score` gets a
whitespace tokenizer and no stemmer, so it never needs NLTK data; `sacrebleu` runs with ``tokenize="none"``. Both
come with the optional extra ``benchmark``; without it `require_extra` raises a one-line error.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from vixray_eda.errors import ParameterError

__all__ = ["ROUGE_TYPES", "BLEU_ORDERS", "UNITS", "require_extra", "rouge_scores", "bleu_scores"]

ROUGE_TYPES: tuple[str, ...] = ("rouge1", "rouge2", "rougeL")
BLEU_ORDERS: tuple[int, ...] = (1, 2, 3, 4)
#: Token units: lower-case syllables, and segmented words (underthesea's word_tokenize, lexicon terms kept whole).
UNITS: tuple[str, ...] = ("syllables", "words")
_EXTRA_MODULES = {"rouge_score": "rouge-score", "sacrebleu": "sacrebleu"}


def require_extra() -> None:
    """Raise a one-line ParameterError when a package of the ``benchmark`` extra is not installed."""
    missing = [pkg for module, pkg in _EXTRA_MODULES.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise ParameterError(f"scoring needs the optional extra 'benchmark' (missing: {', '.join(missing)}); "
                             f"install it with: pip install 'vixray-eda[benchmark]'")


class _Whitespace:
    """The tokenizer handed to rouge-score: our tokens arrive joined by single spaces."""

    @staticmethod
    def tokenize(text: str) -> list[str]:
        return text.split()


def rouge_scores(references: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Per pair of token lists, the F-measure of ROUGE-1, ROUGE-2 and ROUGE-L (columns `ROUGE_TYPES`, 0–1).

    An empty prediction scores 0 against a non-empty reference (rouge-score's convention).
    """
    require_extra()
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=False, tokenizer=_Whitespace())
    rows: dict[tuple[str, str], dict[str, float]] = {}
    out = []
    for ref, pred in zip(references, predictions, strict=True):
        key = (" ".join(ref), " ".join(pred))
        if key not in rows:  # template-heavy reports: identical pairs are scored once
            scores = scorer.score(*key)
            rows[key] = {t: float(scores[t].fmeasure) for t in ROUGE_TYPES}
        out.append(rows[key])
    return pd.DataFrame(out, columns=list(ROUGE_TYPES), dtype=float)


def bleu_scores(references: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Corpus BLEU-1..4 (0–1; sacrebleu's exponential-mean brevity-penalized BLEU with n-gram orders up to n)."""
    require_extra()
    from sacrebleu.metrics import BLEU

    hyps = [" ".join(p) for p in predictions]
    refs = [[" ".join(r) for r in references]]
    out: dict[str, Any] = {}
    for n in BLEU_ORDERS:
        if not hyps:
            out[f"bleu{n}"] = float("nan")
            continue
        metric = BLEU(tokenize="none", max_ngram_order=n, effective_order=False)
        out[f"bleu{n}"] = float(np.round(metric.corpus_score(hyps, refs).score / 100.0, 6))
    return out
