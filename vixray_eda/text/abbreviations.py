"""Shorthand of Vietnamese radiology reports ("TDMP", "ĐMC", "nn", "đđ"), expanded before matching.

An abbreviation table is a CSV file with the columns ``short, expansion, context, note``, one row per short form
(the shipped one is ``lexicon/abbreviations.csv``; users pass theirs among the lexicon files, recognized by this
header). Short forms are matched case-insensitively as whole syllables ("nn" never inside "nnn"; "P/T" means the
syllables "p" and "t"). ``context`` decides ambiguous forms: empty → always expanded; otherwise clauses separated by
";", any one of which must hold:

- ``after:w1|w2|...``  the short form follows one of these words ("P" after "phổi", "bên", "hoành" → phải);
- ``before:w1|w2|...`` the short form precedes one of these words ("CS" before "ngực", "thắt lưng" → cột sống).

Expansion keeps offsets: every character of an expansion maps back to the short form it replaces, so mentions found
in expanded text point at the original characters. A later row with the same short form (a user's file) replaces
an earlier one.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vixray_eda.errors import DataError
from vixray_eda.text.normalize import normalize_text
from vixray_eda.text.tokenize import lower_same_length, syllable_spans

__all__ = ["ABBREVIATION_COLUMNS", "Abbreviation", "parse_abbreviation", "abbreviation_index", "expand"]

ABBREVIATION_COLUMNS = ("short", "expansion", "context", "note")
_SIDES = ("after", "before")


@dataclass(frozen=True)
class Abbreviation:
    """One compiled short form: its syllables, expansion (normalized, lower case) and deciding contexts."""

    short: tuple[str, ...]
    expansion: str
    after: tuple[tuple[str, ...], ...] = ()
    before: tuple[tuple[str, ...], ...] = ()

    def applies(self, toks: Sequence[str], i: int, j: int) -> bool:
        """True when the short form at syllables [i, j) of `toks` is in a deciding context (or needs none)."""
        if not self.after and not self.before:
            return True
        return (any(tuple(toks[max(0, i - len(w)):i]) == w for w in self.after)
                or any(tuple(toks[j:j + len(w)]) == w for w in self.before))


def _syllables(text: str) -> tuple[str, ...]:
    low = lower_same_length(normalize_text(text))
    return tuple(low[a:b] for a, b in syllable_spans(low))


def parse_abbreviation(row: dict[str, str], where: str) -> Abbreviation:
    """Compile one table row; `where` ("file: row N") names it in the `DataError` raised on a bad row."""
    short, expansion = _syllables(row["short"]), " ".join(_syllables(row["expansion"]))
    if not short or not expansion:
        raise DataError(f"{where}: empty short form or expansion")
    sides: dict[str, list[tuple[str, ...]]] = {s: [] for s in _SIDES}
    for clause in (c.strip() for c in (row.get("context") or "").split(";")):
        if not clause:
            continue
        side, _, words = clause.partition(":")
        side = side.strip().lower()
        if side not in sides or not words.strip():
            raise DataError(f"{where}: context {clause!r} is not 'after:word|word' or 'before:word|word'")
        sides[side] += [w for w in (_syllables(x) for x in words.split("|")) if w]
    return Abbreviation(short, expansion, tuple(sides["after"]), tuple(sides["before"]))


def abbreviation_index(items: Iterable[Abbreviation]) -> dict[str, list[Abbreviation]]:
    """First syllable → abbreviations starting with it, longest short form first (a later duplicate wins)."""
    by_short = {a.short: a for a in items}
    index: dict[str, list[Abbreviation]] = {}
    for a in sorted(by_short.values(), key=lambda a: -len(a.short)):
        index.setdefault(a.short[0], []).append(a)
    return index


def expand(low: str, spans: Sequence[tuple[int, int]], index: dict[str, list[Abbreviation]]
           ) -> tuple[str, list[tuple[int, int]], list[int], list[int]] | None:
    """`low` (lower case, syllables `spans`) with its short forms expanded: ``(text, spans, starts, ends)`` where
    character ``k`` of the new text came from ``low[starts[k]:ends[k]]``; None when nothing was expanded (the common
    case: nothing is copied)."""
    toks = [low[a:b] for a, b in spans]
    out: list[str] = []
    new_spans: list[tuple[int, int]] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0  # next character of `low` to copy
    shift = 0  # new offset - old offset for the characters copied next
    i = 0
    while i < len(toks):
        hit = None
        for a in index.get(toks[i], ()):
            j = i + len(a.short)
            if tuple(toks[i:j]) == a.short and _joined(low, spans, i, j) and a.applies(toks, i, j):
                hit = (a, j)
                break
        if hit is None:
            new_spans.append((spans[i][0] + shift, spans[i][1] + shift))
            i += 1
            continue
        a, j = hit
        lo, hi = spans[i][0], spans[j - 1][1]
        out += [low[pos:lo], a.expansion]
        starts += [*range(pos, lo), *[lo] * len(a.expansion)]
        ends += [*range(pos + 1, lo + 1), *[hi] * len(a.expansion)]
        new_spans += [(lo + shift + s, lo + shift + e) for s, e in syllable_spans(a.expansion)]
        shift += len(a.expansion) - (hi - lo)
        pos, i = hi, j
    if not out:
        return None
    out.append(low[pos:])
    starts += range(pos, len(low))
    ends += range(pos + 1, len(low) + 1)
    return "".join(out), new_spans, starts, ends


def _joined(low: str, spans: Sequence[tuple[int, int]], i: int, j: int) -> bool:
    """Syllables [i, j) form one short form: separated by nothing, one slash or one hyphen ("T/D", "X-Q")."""
    return all(low[spans[k][1]:spans[k + 1][0]] in ("", "/", "-", ".") for k in range(i, j - 1))
