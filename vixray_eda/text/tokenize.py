"""Three length units for Vietnamese reports, always named: ``chars``, ``syllables``, ``words``; plus sentences.

- ``syllables``: runs of letters/digits on normalized text; punctuation is not a syllable; a decimal number such as
  "0,55" or "0.55" is one syllable; "X-quang" is two.
- ``words``: underthesea ``word_tokenize`` (CRF word segmentation), re-aligned to the syllables and then corrected
  so that every multi-syllable lexicon term is one word. This is done on syllable positions rather than with
  ``fixed_words``, whose regex matching is case-sensitive ("Vôi hóa" would escape "vôi hóa") and which sees text
  after underthesea's own tone normalization. Words are returned lower case, syllables joined by "_".
- ``sentences``: underthesea ``sent_tokenize`` after splitting on line breaks.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
import importlib
from types import ModuleType

from vixray_eda.text.normalize import normalize_text

__all__ = ["SYLLABLE_RE", "lower_same_length", "syllable_spans", "syllables", "sentences", "sentence_spans",
           "word_groups"]

SYLLABLE_RE = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")


def _underthesea() -> ModuleType:
    """underthesea, imported on first use: a run whose text analysis comes from the cache never loads its models."""
    return importlib.import_module("underthesea")


def lower_same_length(text: str) -> str:
    """`str.lower` that never changes the length (a few characters such as "İ" lower to two code points)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def syllable_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every syllable of `text` (already normalized)."""
    return [m.span() for m in SYLLABLE_RE.finditer(text)]


def syllables(text: str) -> list[str]:
    """The syllables of `text` after normalization (original case)."""
    norm = normalize_text(text)
    return [norm[a:b] for a, b in syllable_spans(norm)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the sentences of `text` (already normalized), in order, found with ``sent_tokenize``."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        cursor = 0
        for sent in _underthesea().sent_tokenize(line) if line.strip() else []:
            sent = sent.strip()
            pos = line.find(sent, cursor)
            if pos < 0:  # sent_tokenize rewrote something: fall back to the rest of the line
                if cursor < len(line.rstrip()):
                    spans.append((line_start + cursor, line_start + len(line.rstrip())))
                cursor = len(line)
                break
            spans.append((line_start + pos, line_start + pos + len(sent)))
            cursor = pos + len(sent)
        rest = line[cursor:].strip()
        if rest:
            pos = line.find(rest, cursor)
            spans.append((line_start + pos, line_start + pos + len(rest)))
        line_start += len(line) + 1
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of `text` after normalization."""
    norm = normalize_text(text)
    return [norm[a:b] for a, b in sentence_spans(norm)]


def word_groups(text: str, spans: Sequence[tuple[int, int]], forced: Sequence[tuple[int, int]] = ()) -> list[int]:
    """Word segmentation as group sizes over the syllable `spans` of `text` (sum of sizes == ``len(spans)``).

    ``word_tokenize`` decides first; then each ``forced`` syllable range ``[i, j)`` (a lexicon term) becomes exactly
    one word, splitting any word that crossed its edges.
    """
    n = len(spans)
    if n == 0:
        return []
    joined = [False] * n  # joined[k]: syllable k belongs to the same word as syllable k + 1
    low = lower_same_length(text)
    starts = [a for a, _ in spans]
    cursor = 0
    k = 0
    for token in _underthesea().word_tokenize(text):
        tok = lower_same_length(token)
        pos = low.find(tok, cursor)
        tok_syllables = len(SYLLABLE_RE.findall(tok))
        if tok_syllables == 0:
            if pos >= 0:
                cursor = pos + len(tok)
            continue
        if pos >= 0:
            end = pos + len(tok)
            first = k
            while k < n and starts[k] < end:
                k += 1
            cursor = end
        else:  # underthesea rewrote the token: take as many syllables as it has
            first, k = k, min(n, k + tok_syllables)
            cursor = spans[k - 1][1] if k else cursor
        for idx in range(first, k - 1):
            joined[idx] = True
    for i, j in forced:
        for idx in range(i, j - 1):
            joined[idx] = True
        if i > 0:
            joined[i - 1] = False
        if j - 1 < n:
            joined[j - 1] = False
    sizes: list[int] = []
    size = 0
    for k in range(n):
        size += 1
        if not joined[k]:
            sizes.append(size)
            size = 0
    return sizes
