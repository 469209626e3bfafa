"""The text layer's front door: one pass over report texts that lengths, terms and vocabulary all reuse
(`analyze_texts`, `analyze_frame`, `analyze_fields`), word tokens (`words`) and concept mentions (`extract_mentions`).

The modules below (normalize, tokenize, lexicon, mentions) import only downward; callers outside `text/` start here.

Radiology reports are template-heavy, so the work is memoized twice: identical documents are normalized and split
into sentences once, and identical normalized sentences are segmented (``word_tokenize``) and matched once. The
unique sentences are spread over worker processes only when there are enough of them to pay for the start-up
(`PARALLEL_MIN_SENTENCES`). The result is cached on disk under ``cache_dir("text")``, keyed by the texts, the package
version and the lexicon version, and in memory for the last few calls (a convenience for interactive use: a card run
analyzes once and passes the result down). Output is identical with or without cache and parallelism.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from vixray_eda import __version__
from vixray_eda.cache import cache_dir, digest, read_entry, write_entry
from vixray_eda.data.clean import as_text
from vixray_eda.data.schema import TEXT_FIELDS
from vixray_eda.text.lexicon import Lexicon, load_lexicon
from vixray_eda.text.mentions import MENTION_COLUMNS, match_sentence
from vixray_eda.text.normalize import normalize_text, normalize_with_offsets, remember_normalized
from vixray_eda.text.tokenize import lower_same_length, sentence_spans, syllable_spans, word_groups

__all__ = ["PARALLEL_MIN_SENTENCES", "FieldAnalysis", "SentenceRecord", "TextAnalysis", "analyze_texts", "analyze_sentence",
           "analyze_frame", "analyze_fields", "extract_mentions", "words"]

PARALLEL_MIN_SENTENCES = 1000
#: Columns of `TextAnalysis.mentions`: the contract's, the sentence index, and how the term matched.
ANALYSIS_MENTION_COLUMNS = [*MENTION_COLUMNS, "sentence", "match"]
#: Hash of the text layer's source: a change to any matching or tokenizing rule invalidates the disk cache.
#: Hash of the text layer's source, of `data/clean.py` (whose invisible characters normalization drops) and of the
#: underthesea version: a change to any rule or to the segmenter invalidates the disk cache.
CODE_VERSION = digest(
    *(p.read_bytes() for p in sorted(Path(__file__).resolve().parent.glob("*.py"))),
    (Path(__file__).resolve().parents[1] / "data" / "clean.py").read_bytes(),
    importlib.metadata.version("underthesea"),
)
_MEMORY: dict[str, TextAnalysis] = {}
_MEMORY_SIZE = 4


@dataclass(frozen=True)
class SentenceRecord:
    """One unique normalized sentence: lower-case syllables and words, mentions with offsets into `text`."""

    text: str
    syllables: tuple[str, ...]
    words: tuple[str, ...]
    mentions: tuple[tuple[int, int, str, str, str, str], ...]


@dataclass(frozen=True)
class TextAnalysis:
    """Everything later statistics need about a list of texts.

    - ``docs``: one row per input text: ``doc, chars, syllables, words, sentences`` (chars of the normalized text).
    - ``mentions``: ``doc, start, end, surface, concept, kind, assertion, sentence, match`` (offsets into the
      original text; ``sentence`` is the sentence's index within its document; ``match`` is "exact", or
      "fallback" for a tone-insensitive match of a misspelled or unaccented term).
    - ``sentences`` (unique) and ``doc_sentences`` (per document, indices into ``sentences``) give token streams.
    """

    docs: pd.DataFrame
    mentions: pd.DataFrame
    sentences: tuple[SentenceRecord, ...]
    doc_sentences: tuple[tuple[int, ...], ...]
    normalized: tuple[str, ...]

    def syllable_tokens(self, doc: int) -> list[str]:
        """Lower-case syllables of document `doc`."""
        return [s for sid in self.doc_sentences[doc] for s in self.sentences[sid].syllables]

    def word_tokens(self, doc: int) -> list[str]:
        """Lower-case word tokens (syllables joined by "_") of document `doc`."""
        return [w for sid in self.doc_sentences[doc] for w in self.sentences[sid].words]


def analyze_sentence(sentence: str, lexicon: Lexicon) -> SentenceRecord:
    """Syllables, words and mentions of one normalized sentence."""
    spans = syllable_spans(sentence)
    low = lower_same_length(sentence)
    match = match_sentence(sentence, lexicon, spans)
    tokens: list[str] = []
    k = 0
    for size in word_groups(sentence, spans, match.forced):
        tokens.append("_".join(low[a:b] for a, b in spans[k:k + size]))
        k += size
    return SentenceRecord(sentence, tuple(low[a:b] for a, b in spans), tuple(tokens), match.mentions)


def words(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """Word tokens of `text` (lower case, syllables joined by "_"), lexicon terms kept whole; punctuation dropped."""
    lex = lexicon if lexicon is not None else load_lexicon()
    norm = normalize_text(text)
    return [w for a, b in sentence_spans(norm) for w in analyze_sentence(norm[a:b], lex).words]


_WORKER_LEXICON: Lexicon | None = None


def _init_worker(lexicon: Lexicon) -> None:
    global _WORKER_LEXICON
    _WORKER_LEXICON = lexicon


def _analyze_chunk(sentences: list[str]) -> list[SentenceRecord]:
    assert _WORKER_LEXICON is not None
    return [analyze_sentence(s, _WORKER_LEXICON) for s in sentences]


def _on_workers(items: list[Any], here: Callable[[list[Any]], list[Any]], there: Callable[[list[Any]], list[Any]],
                workers: int, pieces: int, initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = ()) -> list[Any]:
    """`here(items)` in this process, or, from `PARALLEL_MIN_SENTENCES` items on, `here` of the first item (which
    loads the segmenter's model or the sentence splitter here, so the forked workers inherit it instead of loading
    it) and `there` of the rest, cut into about `pieces` parts per worker, on `workers` processes; in order."""
    if workers <= 1 or len(items) < PARALLEL_MIN_SENTENCES:
        return here(items)
    done = here(items[:1])
    size = max(200, (len(items) - 1) // (workers * pieces))
    with ProcessPoolExecutor(max_workers=workers, initializer=initializer, initargs=initargs) as pool:
        return done + [r for part in pool.map(there, [items[i:i + size] for i in range(1, len(items), size)])
                       for r in part]


#: Sentences analyzed by earlier calls in this process (per lexicon version), so that the chunks of a large archive,
#: which repeat their templates, segment each sentence once; the oldest are forgotten beyond `_SEEN_MAX`.
_SEEN: dict[tuple[str, str], SentenceRecord] = {}
_SEEN_MAX = 100_000


def _analyze_unique(sentences: list[str], lexicon: Lexicon, workers: int) -> list[SentenceRecord]:
    missing = [s for s in sentences if (lexicon.version, s) not in _SEEN]
    found = _on_workers(missing, lambda part: [analyze_sentence(s, lexicon) for s in part], _analyze_chunk, workers,
                        8, initializer=_init_worker, initargs=(lexicon,))
    known = {s: _SEEN[(lexicon.version, s)] for s in sentences if (lexicon.version, s) in _SEEN}
    known.update(zip(missing, found))
    for sentence, record in zip(missing, found):
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.pop(next(iter(_SEEN)))
        _SEEN[(lexicon.version, sentence)] = record
    return [known[s] for s in sentences]


Prepared = tuple[str, "list[int] | None", "list[int] | None", list[tuple[int, int]]]


def _prepare(text: str) -> Prepared:
    """A document's normalized text, the offsets back into the original (None when unchanged) and its sentences."""
    norm = normalize_text(text)
    starts = ends = None
    if norm != text:
        norm, starts, ends = normalize_with_offsets(text)
    return norm, starts, ends, sentence_spans(norm)


def _prepare_chunk(texts: list[str]) -> list[Prepared]:
    return [_prepare(t) for t in texts]


def _prepare_all(texts: list[str], workers: int) -> list[Prepared]:
    """`_prepare` of every distinct document, on `workers` processes when there are enough of them; the
    normalized texts are remembered here too (`remember_normalized`), as the statistics normalize them again."""
    prepared = _on_workers(texts, _prepare_chunk, _prepare_chunk, workers, 4)
    remember_normalized(zip(texts, (p[0] for p in prepared)))
    return prepared


def _compute(texts: list[str], lexicon: Lexicon, workers: int) -> TextAnalysis:
    doc_index = {text: u for u, text in enumerate(dict.fromkeys(texts))}
    unique_docs = _prepare_all(list(doc_index), workers)
    sentence_ids: dict[str, int] = {}
    for norm, _, _, spans in unique_docs:
        for a, b in spans:
            sentence_ids.setdefault(norm[a:b], len(sentence_ids))
    doc_of = [doc_index[text] for text in texts]
    records = _analyze_unique(list(sentence_ids), lexicon, workers)

    # Per unique document: its sentences, lengths and mentions (offsets into its original text); every document
    # then takes its unique document's rows by index (numpy and Arrow gathers, no per-row Python).
    unique_sids: list[tuple[int, ...]] = []
    lengths = np.zeros((len(unique_docs), 4), dtype=np.int64)  # chars, syllables, words, sentences
    ints: list[tuple[int, int, int]] = []  # start, end, sentence
    strs: list[tuple[str, str, str, str, str]] = []  # surface, concept, kind, assertion, match
    first = np.zeros(len(unique_docs) + 1, dtype=np.int64)
    originals = list(doc_index)  # unique texts, in the order of unique_docs
    for u, (norm, starts, ends, spans) in enumerate(unique_docs):
        sids = tuple(sentence_ids[norm[a:b]] for a, b in spans)
        unique_sids.append(sids)
        lengths[u] = (len(norm), sum(len(records[s].syllables) for s in sids),
                      sum(len(records[s].words) for s in sids), len(sids))
        text = originals[u]
        for si, ((a, _), sid) in enumerate(zip(spans, sids)):
            for s, e, concept, kind, assertion, match in records[sid].mentions:
                s, e = a + s, a + e
                if starts is not None and ends is not None:
                    s, e = starts[s], ends[e - 1]
                ints.append((s, e, si))
                strs.append((text[s:e], concept, kind, assertion, match))
        first[u + 1] = len(ints)
    of = np.asarray(doc_of, dtype=np.int64)
    docs = pd.DataFrame({"doc": np.arange(len(of), dtype=np.int64), "chars": lengths[of, 0],
                         "syllables": lengths[of, 1], "words": lengths[of, 2], "sentences": lengths[of, 3]})
    counts = first[1:][of] - first[:-1][of]
    total = int(counts.sum())
    take = np.repeat(first[:-1][of], counts) + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
    int_rows = np.asarray(ints, dtype=np.int64).reshape(-1, 3)
    gathered = pa.array(take)
    columns: dict[str, Any] = {"doc": np.repeat(np.arange(len(of), dtype=np.int64), counts),
                               "start": int_rows[take, 0], "end": int_rows[take, 1]}
    for i, name in enumerate(("surface", "concept", "kind", "assertion", "match")):
        columns[name] = pd.array(pa.array([row[i] for row in strs], type=pa.string()).take(gathered), dtype="str")
    columns["sentence"] = int_rows[take, 2]
    mentions = pd.DataFrame({name: columns[name] for name in ANALYSIS_MENTION_COLUMNS})
    return TextAnalysis(
        docs=docs,
        mentions=mentions,
        sentences=tuple(records),
        doc_sentences=tuple(unique_sids[u] for u in doc_of),
        normalized=tuple(unique_docs[u][0] for u in doc_of),
    )


def _default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def analyze_texts(texts: Iterable[Any], lexicon: Lexicon | None = None, workers: int | None = None,
                  cache: bool = True) -> TextAnalysis:
    """Normalize, split, segment and match `texts` once (None/NaN count as ""); see `TextAnalysis`.

    `workers` defaults to up to 2 processes (used only for large unique workloads); `cache=False` bypasses the
    memory and disk caches (nothing is read or written).
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    items = [as_text(t) for t in texts]
    n_workers = _default_workers() if workers is None else max(1, int(workers))
    if not cache:
        return _compute(items, lex, n_workers)
    key = digest(__version__, CODE_VERSION, lex.version, str(len(items)), *items)
    hit = _MEMORY.get(key)
    if hit is not None:
        return hit
    path = _cache_path(key)
    result = _read_cached(path) if path is not None else None
    if result is None:
        result = _compute(items, lex, n_workers)
        if path is not None:
            _write_cached(path, result)
    if len(_MEMORY) >= _MEMORY_SIZE:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[key] = result
    return result


def _cache_path(key: str) -> Path | None:
    """Where the entry for `key` lives; None when the cache folder cannot be created (the cache is optional)."""
    try:
        return cache_dir("text") / f"{key}.json"
    except OSError:
        return None


_INT_MENTION_COLUMNS = ("doc", "start", "end", "sentence")


def _to_data(result: TextAnalysis) -> dict[str, Any]:
    """The analysis as plain JSON data (no objects, so reading it back can never run code)."""
    return {
        "docs": {name: result.docs[name].tolist() for name in result.docs.columns},
        "mentions": {name: result.mentions[name].astype("int64" if name in _INT_MENTION_COLUMNS else "str").tolist()
                     for name in result.mentions.columns},
        "sentences": [[r.text, r.syllables, r.words, r.mentions] for r in result.sentences],
        "doc_sentences": result.doc_sentences,
        "normalized": result.normalized,
    }


def _from_data(data: dict[str, Any]) -> TextAnalysis:
    """`_to_data` reversed, with the dtypes `_compute` gives; malformed data raises (a cache miss)."""
    docs = pd.DataFrame({name: np.asarray(values, dtype=np.int64) for name, values in data["docs"].items()})
    mentions = pd.DataFrame({name: np.asarray(values, dtype=np.int64) if name in _INT_MENTION_COLUMNS
                             else pd.array([str(v) for v in values], dtype="str")
                             for name, values in data["mentions"].items()})
    if list(mentions.columns) != ANALYSIS_MENTION_COLUMNS:
        raise ValueError("unexpected mention columns")
    sentences = tuple(SentenceRecord(str(text), tuple(map(str, syl)), tuple(map(str, words)),
                                     tuple((int(s), int(e), str(c), str(k), str(a), str(m))
                                           for s, e, c, k, a, m in found))
                      for text, syl, words, found in data["sentences"])
    return TextAnalysis(docs=docs, mentions=mentions, sentences=sentences,
                        doc_sentences=tuple(tuple(int(i) for i in ids) for ids in data["doc_sentences"]),
                        normalized=tuple(str(t) for t in data["normalized"]))


def _read_cached(path: Path) -> TextAnalysis | None:
    """A cache entry (`cache.read_entry`: JSON data after a line holding its digest), or None when it is absent,
    altered or unreadable for any reason (it is then recomputed)."""
    payload = read_entry(path)
    try:
        return None if payload is None else _from_data(json.loads(payload))
    except Exception:  # foreign or stale data: a cache miss, never an error
        return None


def _write_cached(path: Path, result: TextAnalysis) -> None:
    """Store a cache entry atomically (`cache.write_entry`)."""
    write_entry(path, json.dumps(_to_data(result), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def analyze_frame(frame: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                  lexicon: Lexicon | None = None, workers: int | None = None, cache: bool = True) -> TextAnalysis:
    """`analyze_texts` over the `fields` of `frame`, field after field: row ``r`` of field number ``f`` is document
    ``f * len(frame) + r``. One call for all fields, so sentences shared between fields are processed once."""
    texts = [v for f in fields for v in frame[f].tolist()]
    return analyze_texts(texts, lexicon=lexicon, workers=workers, cache=cache)


#: An analysis of a frame's text fields and each field's range of document numbers (`analyze_fields`).
FieldAnalysis = tuple[TextAnalysis, dict[str, range]]


def analyze_fields(frame: pd.DataFrame, fields: Sequence[str], lexicon: Lexicon | None = None,
                   workers: int | None = None, cache: bool = True) -> FieldAnalysis:
    """One analysis shared by every statistic: the frame's findings and impressions (plus `fields`) are analyzed
    together, so asking for one field reuses the analysis of both. Returns the analysis and each analyzed
    field's range of document numbers. `compute_results` calls it once and passes the result down; `cache=False`
    bypasses the memory and disk caches (the streaming engines cache each chunk's counts instead)."""
    analyzed = list(dict.fromkeys([*(f for f in TEXT_FIELDS if f in frame.columns), *fields]))
    a = analyze_frame(frame, analyzed, lexicon=lexicon, workers=workers, cache=cache)
    n = len(frame)
    return a, {f: range(i * n, (i + 1) * n) for i, f in enumerate(analyzed)}


def extract_mentions(texts: Iterable[Any], lexicon: Lexicon | None = None, workers: int | None = None,
                     cache: bool = True) -> pd.DataFrame:
    """One row per concept mention: ``doc, start, end, surface, concept, kind, assertion``.

    ``doc`` is the position of the text in `texts`; ``start``/``end`` are offsets into the ORIGINAL text (mapped back
    through normalization) and ``surface == original[start:end]``. ``kind`` ∈ finding/anatomy, ``assertion`` ∈
    present/absent/uncertain (anatomy is always present). Sorted by doc, start.
    """
    mentions = analyze_texts(texts, lexicon=lexicon, workers=workers, cache=cache).mentions
    return mentions[MENTION_COLUMNS].copy()
