"""Vietnamese text normalization with an audit trail and an offset map back to the original text.

`normalize_text` runs five steps, in this order, each a pure string → string function:

1. ``control_chars``       remove control, format and zero-width characters (ZWSP, ZWJ, BOM, soft hyphen, ...);
                           tabs and line breaks are kept as whitespace.
2. ``nfd``                 Unicode NFC composition (reports exported from some tools arrive decomposed, NFD).
3. ``old_tone_placement``  old-style ("classic") tone-mark placement → new style, table-driven and only for the
                           open syllables where the two styles differ: ``oa oe uy`` without a final consonant,
                           "hoá/thuỷ/hoà/khoẻ" → "hóa/thủy/hòa/khỏe". "qu" is a consonant, so "quý" is unchanged;
                           syllables with a final consonant ("hoàng", "thuyết") are the same in both styles.
                           Case is preserved ("HOÁ" → "HÓA").
4. ``whitespace``          every run of whitespace (incl. no-break and ideographic spaces) → one space, or one
                           line break when the run contains one; leading/trailing whitespace removed.
5. ``punctuation_spacing`` no space before ``, . ; : ! ? ) ]`` or after ``( [``; one space after ``, ; :`` when a
                           letter follows, and after ``. ! ?`` when an upper-case letter follows. Digits are never
                           separated, so decimals such as "0,55" and "0.55" stay one token.

The result is idempotent (``normalize_text(normalize_text(t)) == normalize_text(t)``) and ``None``/empty-safe.
Unlike underthesea's ``text_normalize`` it does not split punctuation off words or change case, so character
offsets stay meaningful; `normalize_with_offsets` returns, for each normalized character, its index in the original.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pandas as pd

from vixray_eda.data.clean import invisible_re

__all__ = ["STEPS", "normalize_text", "normalize_with_offsets", "normalization_audit", "remember_normalized"]

_CONTROL_RE = invisible_re()  # the characters the loader counts as invisible are the ones dropped here

# --- old → new tone placement -----------------------------------------------------------------------------
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (combining)
_ONSETS = "bcdđghklmnpqrstvx"
_OLD_TONE_RE = re.compile(
    rf"(?<![^\W\d_])([{_ONSETS}]*)([oO][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ])([\u0300-\u036f]*)(?![^\W\d_])",
    re.IGNORECASE,
)


def _move_tone(match: re.Match[str]) -> str:
    onset, pair, marks = match.group(1), match.group(2), match.group(3)
    if onset.lower().endswith("q") and pair[0] in "uU":  # "quý": u belongs to the onset
        return match.group(0)
    decomposed = unicodedata.normalize("NFD", pair[1])
    tone = next(c for c in decomposed if c in _TONES)
    # stray combining marks after the pair (NFC could not compose them) stay with the second vowel, composed
    second = unicodedata.normalize("NFC", decomposed.replace(tone, "", 1) + marks)
    first = unicodedata.normalize("NFC", pair[0] + tone)
    return onset + first + second


# --- whitespace and punctuation ---------------------------------------------------------------------------
#: A run of whitespace that `_collapse_ws` changes: two or more characters (matched whole: the scan meets a run at its
#: first character), or one that is neither a space nor a newline. A lone space or newline, the gap between almost
#: every two words, is left alone without a call.
_WS_RUN_RE = re.compile(r"\s{2,}|[^\S \n]")
_EDGE_WS_RE = re.compile(r"^\s+|\s+$")


def _collapse_ws(match: re.Match[str]) -> str:
    """A run of whitespace as one newline when it holds a line break, else one space."""
    return "\n" if ("\n" in match.group(0) or "\r" in match.group(0)) else " "


_SPACE_BEFORE_CLOSE_RE = re.compile(r" +(?=[,.;:!?)\]])")
_SPACE_AFTER_OPEN_RE = re.compile(r"(?<=[(\[]) +")
_MISSING_SPACE_RE = re.compile(r"(?<=[,;:])(?=[^\W\d_])|(?<=[^\W\d_][.!?])(?=[^\W\d_])")


def _insert_space(match: re.Match[str]) -> str:
    text, end = match.string, match.end()
    if text[end - 1] in ".!?" and not text[end].isupper():
        return ""
    return " "


# A step is a list of (pattern, replacement) substitutions; the same list drives the plain and the
# offset-tracking implementation, so both always agree. NFC is the one step that is not a substitution.
_Sub = tuple[re.Pattern[str], "str | Callable[[re.Match[str]], str]"]
_SUBS: dict[str, list[_Sub]] = {
    "control_chars": [(_CONTROL_RE, "")],
    "old_tone_placement": [(_OLD_TONE_RE, _move_tone)],
    "whitespace": [(_EDGE_WS_RE, ""), (_WS_RUN_RE, _collapse_ws)],
    "punctuation_spacing": [
        (_SPACE_BEFORE_CLOSE_RE, ""),
        (_SPACE_AFTER_OPEN_RE, ""),
        (_MISSING_SPACE_RE, _insert_space),
    ],
}
STEPS: tuple[str, ...] = ("control_chars", "nfd", "old_tone_placement", "whitespace", "punctuation_spacing")


def _apply_step(step: str, text: str) -> str:
    if step == "nfd":
        return unicodedata.normalize("NFC", text)
    for pattern, repl in _SUBS[step]:
        text = pattern.sub(repl, text)
    return text


def normalize_text(text: Any) -> str:
    """NFC, new-style tone placement, whitespace and punctuation spacing; ``None``/NaN → ``""``. Idempotent."""
    if text is None or not isinstance(text, str):
        if text is None or pd.isna(text):
            return ""
        text = str(text)
    if not text:
        return ""
    known = _KNOWN.get(text)
    return known if known is not None else _normalize_str(text)


#: Normalized texts computed in worker processes (`remember_normalized`), consulted before the memo.
_KNOWN: dict[str, str] = {}
_KNOWN_MAX = 1 << 16


def remember_normalized(pairs: Iterable[tuple[str, str]]) -> None:
    """Remember `normalize_text` results computed elsewhere (a worker process), so this process does not compute
    them again; the oldest are forgotten beyond a bound."""
    for text, norm in pairs:
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.pop(next(iter(_KNOWN)))
        _KNOWN[text] = norm


@lru_cache(maxsize=1 << 16)
def _normalize_str(text: str) -> str:
    """`normalize_text` of a non-empty string, memoized: radiology reports repeat their templates."""
    if text.isascii() and text.isprintable():  # nothing for the control, NFC and tone steps to do
        return _apply_step("punctuation_spacing", _apply_step("whitespace", text))
    for step in STEPS:
        text = _apply_step(step, text)
    return text


# --- offset tracking ---------------------------------------------------------------------------------------
# Each normalized character carries the [start, end) span of the original characters it came from.
_Spans = tuple[list[int], list[int]]


def _sub_mapped(pattern: re.Pattern[str], repl: Any, text: str, spans: _Spans) -> tuple[str, _Spans]:
    """`pattern.sub(repl, text)` that also carries each character's original span along."""
    starts, ends = spans
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        a, b = m.start(), m.end()
        out.append(text[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        new = repl(m) if callable(repl) else m.expand(repl)
        if len(new) == b - a:
            new_starts.extend(starts[a:b])
            new_ends.extend(ends[a:b])
        elif new:  # collapsed run → covers the whole run; inserted space → empty span before the next character
            lo = starts[a] if a < len(starts) else (ends[-1] if ends else 0)
            hi = ends[b - 1] if b > a else lo
            new_starts.extend([lo] * len(new))
            new_ends.extend([hi] * len(new))
        out.append(new)
        pos = b
    out.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return "".join(out), (new_starts, new_ends)


def _nfc_mapped(text: str, spans: _Spans) -> tuple[str, _Spans]:
    """NFC per composition segment; every composed character covers its whole original segment."""
    starts, ends = spans
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    seg = 0
    for i in range(1, len(text) + 1):
        if i < len(text):
            ch = text[i]
            code = ord(ch)
            if code < 0x300 or 0x1E00 <= code <= 0x1EFF:  # never the second part of a composition: new segment
                pass
            elif unicodedata.combining(ch) or unicodedata.normalize("NFC", text[seg:i + 1]) != (
                unicodedata.normalize("NFC", text[seg:i]) + unicodedata.normalize("NFC", ch)
            ):
                continue
        composed = unicodedata.normalize("NFC", text[seg:i])
        out.append(composed)
        new_starts.extend([starts[seg]] * len(composed))
        new_ends.extend([ends[i - 1]] * len(composed))
        seg = i
    return "".join(out), (new_starts, new_ends)


def normalize_with_offsets(text: Any) -> tuple[str, list[int], list[int]]:
    """``(normalized, starts, ends)``: normalized character ``i`` came from ``text[starts[i]:ends[i]]``.

    A span ``[s, e)`` of the normalized text therefore maps to ``text[starts[s]:ends[e - 1]]``. For Vietnamese
    text the normalized string equals `normalize_text`; for exotic scripts whose NFC composes across starters it
    may compose slightly less (offsets stay valid either way).
    """
    if text is None or not isinstance(text, str):
        text = normalize_text(text)
    if normalize_text(text) == text:
        return text, list(range(len(text))), list(range(1, len(text) + 1))
    spans: _Spans = (list(range(len(text))), list(range(1, len(text) + 1)))
    for step in STEPS:
        if step == "nfd":
            if not unicodedata.is_normalized("NFC", text):  # most texts are NFC already: nothing to map
                text, spans = _nfc_mapped(text, spans)
        else:
            for pattern, repl in _SUBS[step]:
                text, spans = _sub_mapped(pattern, repl, text, spans)
    return text, spans[0], spans[1]


# --- audit -------------------------------------------------------------------------------------------------
def _snippet(before: str, after: str, width: int = 18) -> str:
    i = next((k for k, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    lo = max(0, i - width // 2)
    b, a = before[lo:lo + width], after[lo:lo + width]
    return f"{b!r} → {a!r}" if b != a else f"{b!r} ({len(before)} → {len(after)} code points)"


@lru_cache(maxsize=1 << 16)
def _step_changes(original: str) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """The steps that change `original` (each with its before → after snippet) and the snippet of the whole change
    (None when normalization leaves the text as it is); memoized, as reports repeat across a run's chunks."""
    text = original
    changes = []
    for step in STEPS:
        new = _apply_step(step, text)
        if new != text:
            changes.append((step, _snippet(text, new)))
        text = new
    return tuple(changes), (_snippet(original, text) if text != original else None)


def normalization_audit(texts: Iterable[Any], examples: int = 3) -> pd.DataFrame:
    """How many texts each normalization step changed.

    Columns: ``step`` (one of `STEPS`, then ``any``), ``changed`` (number of texts the step changed, steps applied
    in order), ``share`` (changed / number of non-empty texts), ``examples`` (up to `examples` short
    before → after snippets, separated by " | "). ``attrs["texts"]`` is the number of non-empty texts.
    """
    counts = dict.fromkeys(STEPS, 0)
    samples: dict[str, list[str]] = {s: [] for s in STEPS}
    any_changed = 0
    any_samples: list[str] = []
    seen: dict[str, int] = {}  # distinct text → how often; each distinct text is normalized once
    for raw in texts:
        if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
            continue
        text = raw if isinstance(raw, str) else str(raw)
        if text:
            seen[text] = seen.get(text, 0) + 1
    n = sum(seen.values())
    for original, times in seen.items():  # first-seen order: examples are the earliest texts, as before
        changes, final = _step_changes(original)
        for step, snippet in changes:
            counts[step] += times
            if len(samples[step]) < examples:
                samples[step].append(snippet)
        if final is not None:
            any_changed += times
            if len(any_samples) < examples:
                any_samples.append(final)
    rows = [(s, counts[s], samples[s]) for s in STEPS] + [("any", any_changed, any_samples)]
    audit = pd.DataFrame(
        {
            "step": [r[0] for r in rows],
            "changed": [r[1] for r in rows],
            "share": [r[1] / n if n else 0.0 for r in rows],
            "examples": [" | ".join(r[2]) for r in rows],
        }
    )
    audit.attrs["texts"] = n
    return audit
