"""Vocabulary of the reports at syllable and word level: size, type/token ratio, hapax share, n-grams, templates.

Tokens are the lower-case syllables/words of `analyze_frame` (punctuation excluded). N-grams never cross a
sentence boundary. Stopwords come from the clinical list shipped as ``text/lexicon/stopwords.csv``; the negation
words in `NEVER_STOPWORDS` are removed from any stopword list, so "không thấy tràn dịch" keeps its "không".

Duplicates and templates (one report = one field of one row; empty texts ignored):
- ``repeated``: the normalized, lower-cased text occurs in at least two reports (every member of such a group is
  counted; the data-quality duplicates of `stats.quality` count only the copies after the first, per split);
- ``numbers_masked``: identical to another report after every number is replaced by "<num>" (sizes, rib numbers,
  CTR values differ, the wording does not);
- ``sentence_set``: the set of its number-masked sentences is shared by at least `min_reports` reports (the same
  template sentences, in any order).
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import pandas as pd

from vixray_eda.errors import ParameterError
from vixray_eda.data.schema import require_columns
from vixray_eda.text.lexicon import Lexicon
from vixray_eda.text.pipeline import FieldAnalysis, TextAnalysis, analyze_fields

__all__ = ["NEVER_STOPWORDS", "clinical_stopwords", "cloud_stopwords", "cloud_words", "vocabulary_table", "top_ngrams",
           "duplicate_table"]

NEVER_STOPWORDS = frozenset({"không", "chưa", "chẳng", "chả", "không_có", "không_thấy", "chưa_thấy", "không_còn",
                             "(-)"})
LEVELS = ("syllables", "words")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _shipped_stopwords() -> frozenset[str]:
    path = resources.files("vixray_eda.text") / "lexicon" / "stopwords.csv"
    with path.open(encoding="utf-8") as fh:
        return frozenset(row["surface"].strip().lower() for row in csv.DictReader(fh))


def clinical_stopwords(extra: Iterable[str] = ()) -> frozenset[str]:
    """The shipped clinical stopword list plus `extra`, minus `NEVER_STOPWORDS` (negation is always kept)."""
    return frozenset((_shipped_stopwords() | {w.lower() for w in extra}) - NEVER_STOPWORDS)


def cloud_stopwords(lexicon: Lexicon) -> frozenset[str]:
    """Words a word cloud leaves out: the clinical stopwords, negation, and every cue word of the lexicon (negation,
    hedges, scope and degree words, whole or as one of their syllables).

    Only clouds drop them: a cloud shows single words out of context, where "không" or "thấy" say nothing, while
    n-gram tables keep negation (`NEVER_STOPWORDS`), where it carries meaning.
    """
    cues = lexicon.rows.loc[lexicon.rows["category"] == "cue", "surface"].astype(str).str.lower()
    words = {w for c in cues for w in (c.replace(" ", "_"), *c.split())}
    return _shipped_stopwords() | NEVER_STOPWORDS | words


def cloud_words(df: pd.DataFrame, field: str, lexicon: Lexicon, n: int = 150,
                analysis: FieldAnalysis | None = None) -> dict[str, int]:
    """The `n` most frequent content words of `field` for a word cloud: segmented words (multi-syllable terms whole,
    shown with spaces), without `cloud_stopwords`, numbers or punctuation; ties by word."""
    stop = cloud_stopwords(lexicon)
    a, docs = _docs(df, [field], lexicon, analysis)
    counts: Counter[str] = Counter()
    for sid, times in _sentence_counts(a, docs[field]).items():
        for w in a.sentences[sid].words:
            if _LETTER.search(w) and w not in stop and not all(part in stop for part in w.split("_")):
                counts[w] += times
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return {w.replace("_", " "): c for w, c in ranked}


def _sentence_counts(a: TextAnalysis, docs: Iterable[int]) -> Counter[int]:
    """How often each unique sentence occurs in `docs`: counting a templated sentence once, times its occurrences,
    gives the same counts as counting every occurrence."""
    counts: Counter[int] = Counter()
    for d in docs:
        counts.update(a.doc_sentences[d])
    return counts


def _token_counts(a: TextAnalysis, sentences: Counter[int], level: str) -> Counter[str]:
    """Token counts (syllables or words) of the sentences counted in `sentences`."""
    attr = "syllables" if level == "syllables" else "words"
    counts: Counter[str] = Counter()
    for sid, times in sentences.items():
        for token in getattr(a.sentences[sid], attr):
            counts[token] += times
    return counts


def _docs(df: pd.DataFrame, fields: Sequence[str], lexicon: Lexicon | None,
          analysis: FieldAnalysis | None) -> FieldAnalysis:
    """The analysis (`analysis`, or `analyze_fields` when None) and the document ranges of `fields`."""
    fields = list(fields)
    require_columns(df, ("split", *fields))
    a, ranges = analysis if analysis is not None else analyze_fields(df, fields, lexicon)
    return a, {f: ranges[f] for f in fields}


def vocabulary_table(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                     lexicon: Lexicon | None = None, analysis: FieldAnalysis | None = None) -> pd.DataFrame:
    """``field, level, tokens, types, ttr, hapax, hapax_share`` for each field (and "all") and level.

    ``ttr`` = types / tokens; ``hapax`` = types seen once; ``hapax_share`` = hapax / types.
    """
    a, docs = _docs(df, fields, lexicon, analysis)
    per_field = {field: _sentence_counts(a, ids) for field, ids in docs.items()}
    per_field["all"] = sum(per_field.values(), Counter())
    rows = []
    for field, sentences in per_field.items():
        for level in LEVELS:
            counts = _token_counts(a, sentences, level)
            tokens = sum(counts.values())
            types = len(counts)
            hapax = sum(1 for c in counts.values() if c == 1)
            rows.append((field, level, tokens, types, types / tokens if tokens else 0.0, hapax,
                         hapax / types if types else 0.0))
    return pd.DataFrame(rows, columns=["field", "level", "tokens", "types", "ttr", "hapax", "hapax_share"])


def top_ngrams(df: pd.DataFrame, n: int = 1, level: str = "words", field: str = "findings", top: int = 20,
               stopwords: Iterable[str] | None = None, lexicon: Lexicon | None = None,
               analysis: FieldAnalysis | None = None) -> pd.DataFrame:
    """Most frequent `n`-grams: ``ngram, count, share`` (share of all `n`-grams counted), ties by n-gram.

    Stopwords (default `clinical_stopwords()`; negation words are never dropped) are removed before n-grams are
    formed; numbers are kept. `level` is "syllables" or "words" (words joined by "_", n-gram items by " ").
    """
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if n < 1:
        raise ParameterError(f"n must be at least 1, not {n}")
    stop = clinical_stopwords() if stopwords is None else frozenset(w.lower() for w in stopwords) - NEVER_STOPWORDS
    a, docs = _docs(df, [field], lexicon, analysis)
    attr = "syllables" if level == "syllables" else "words"
    counts: Counter[str] = Counter()
    for sid, times in _sentence_counts(a, docs[field]).items():
        kept = [t for t in getattr(a.sentences[sid], attr) if t not in stop]
        for i in range(len(kept) - n + 1):
            counts[" ".join(kept[i:i + n])] += times
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return pd.DataFrame([(g, c, c / total) for g, c in ranked], columns=["ngram", "count", "share"])


def duplicate_table(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"), min_reports: int = 10,
                    lexicon: Lexicon | None = None, analysis: FieldAnalysis | None = None) -> pd.DataFrame:
    """``field, kind, reports, share, groups``: reports that are repeated / templated (see module docstring).

    ``reports`` counts non-empty reports in a group of ≥2 (≥ `min_reports` for sentence_set), ``share`` divides by
    the non-empty reports of the field, ``groups`` is the number of such groups.
    """
    a, docs = _docs(df, fields, lexicon, analysis)
    rows = []
    for field, ids in docs.items():
        reports: Counter[tuple[str, tuple[int, ...]]] = Counter(
            (a.normalized[d], a.doc_sentences[d]) for d in ids if a.normalized[d])
        sizes: dict[str, Counter[object]] = {"repeated": Counter(), "numbers_masked": Counter(),
                                             "sentence_set": Counter()}
        for (text, sids), times in reports.items():  # each distinct report keyed once
            low = text.lower()
            sizes["repeated"][low] += times
            sizes["numbers_masked"][_NUMBER.sub("<num>", low)] += times
            sizes["sentence_set"][frozenset(_NUMBER.sub("<num>", a.sentences[sid].text.lower())
                                            for sid in sids)] += times
        total = reports.total()
        for kind, groups in sizes.items():
            need = min_reports if kind == "sentence_set" else 2
            dup = [c for c in groups.values() if c >= need]
            rows.append((field, kind, sum(dup), sum(dup) / total if total else 0.0, len(dup)))
    return pd.DataFrame(rows, columns=["field", "kind", "reports", "share", "groups"])
