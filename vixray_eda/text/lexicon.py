"""The term and cue lexicon: CSV files a radiologist can read and edit, compiled into syllable tries.

Every CSV file has the columns ``surface, concept, kind, vi_canonical, en_label, category`` and one row per surface
form. ``kind`` says what the row is:

- terms: ``finding`` or ``anatomy`` (``concept`` is the stable English id shared by every surface form of the concept);
- cues (``concept`` is ``negation``/``uncertainty``/``modifier``/``pseudo``/``scope``):
  ``pre_negation``, ``post_negation``, ``infix_negation``, ``pre_uncertainty``, ``post_uncertainty``,
  ``infix_uncertainty``, ``infix_modifier``, ``pseudo`` (looks like a cue, is not: "không thay đổi"),
  ``terminator`` (ends a cue's scope: "nhưng", "tuy nhiên"), ``conjunction`` (joins list items: "và", "kèm"),
  ``size_normal`` / ``size_borderline`` (a size or index "trong giới hạn bình thường" / "giới hạn cao": the
  enlargement of the heart, mediastinum or hila it follows is absent / uncertain), ``angle_sharp`` ("không tù":
  the costophrenic angle it follows is not blunted, so a pleural effusion is absent).

A CSV file whose header is ``short, expansion, context, note`` is an abbreviation table instead (see
`vixray_eda.text.abbreviations`); the shipped files are terms.csv, cues.csv and abbreviations.csv, and user files of
either shape may be mixed in `load_lexicon`'s paths. The abbreviation rows are part of the lexicon's `version`.

Surfaces are matched case-insensitively on normalized text (`normalize_text`), so old/new tone placement and NFD/NFC
variants of one surface are the same key. For the tone-insensitive fallback every multi-syllable term (and every
cue) is also indexed once by its folded syllables (`fold`: no tone or vowel marks, "đ" → "d"). A term surface is one key; a cue surface is one key per kind (one surface
may be a pre-, post- and infix negation cue at once). Later files override earlier ones key by key, so user files
passed to `load_lexicon` extend the shipped lexicon and win on conflicts.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from functools import lru_cache
from typing import Any

import pandas as pd

from vixray_eda.cache import digest
from vixray_eda.errors import DataError
from vixray_eda.text.abbreviations import ABBREVIATION_COLUMNS, Abbreviation, abbreviation_index, parse_abbreviation
from vixray_eda.text.normalize import normalize_text
from vixray_eda.text.tokenize import lower_same_length, syllable_spans

__all__ = ["COLUMNS", "TERM_KINDS", "CUE_KINDS", "Lexicon", "fold", "load_lexicon", "shipped_lexicon_files"]

COLUMNS = ("surface", "concept", "kind", "vi_canonical", "en_label", "category")
TERM_KINDS = frozenset({"finding", "anatomy"})
CUE_KINDS = frozenset({
    "pre_negation", "post_negation", "infix_negation", "pre_uncertainty", "post_uncertainty", "infix_uncertainty",
    "infix_modifier", "pseudo", "terminator", "conjunction", "size_normal", "size_borderline", "angle_sharp",
})
END = ""  # trie key that holds the payload of a complete surface (never a syllable)


def shipped_lexicon_files() -> list[Path]:
    """The lexicon CSV files shipped in the package: terms.csv, cues.csv, then abbreviations.csv."""
    base = resources.files("vixray_eda.text") / "lexicon"
    return [Path(str(base / name)) for name in ("terms.csv", "cues.csv", "abbreviations.csv")]


@lru_cache(maxsize=1 << 14)
def fold(syllable: str) -> str:
    """A lower-case syllable without tone or vowel marks ("dính" → "dinh", "đặc" → "dac"): the fallback's key."""
    return "".join(c for c in unicodedata.normalize("NFD", syllable.replace("đ", "d")) if not unicodedata.combining(c))


def surface_key(surface: str) -> tuple[str, ...]:
    """The syllables (lower case, normalized) a surface is matched by; ``()`` for punctuation-only cues."""
    text = lower_same_length(normalize_text(surface))
    return tuple(text[a:b] for a, b in syllable_spans(text))


@dataclass(frozen=True)
class Lexicon:
    """Compiled lexicon. ``rows`` is the effective table (after overrides), one row per surface (and kind for cues)."""

    rows: pd.DataFrame
    terms: dict[str, Any] = field(repr=False)  # syllable trie → (concept, kind)
    cues: dict[str, Any] = field(repr=False)  # syllable trie → frozenset of cue kinds
    punct_cues: dict[str, frozenset[str]] = field(repr=False)  # punctuation-only cue surface → kinds
    version: str = ""  # digest of the effective rows and the abbreviation rows
    abbreviations_version: str = ""  # digest of the abbreviation rows alone
    abbreviations: dict[str, list[Abbreviation]] = field(default_factory=dict, repr=False)  # first syllable → forms
    folded_terms: dict[str, Any] = field(default_factory=dict, repr=False)  # folded trie of multi-syllable terms
    folded_cues: dict[str, Any] = field(default_factory=dict, repr=False)  # folded trie of all cues
    syllables: frozenset[str] = field(default_factory=frozenset, repr=False)  # every syllable of every surface

    @property
    def concepts(self) -> pd.DataFrame:
        """One row per concept: ``concept, kind, vi_canonical, en_label, category`` (first row of each concept)."""
        t = self.rows[self.rows["kind"].isin(sorted(TERM_KINDS))]
        return (t.drop_duplicates("concept")[["concept", "kind", "vi_canonical", "en_label", "category"]]
                .sort_values(["kind", "concept"], kind="stable").reset_index(drop=True))

    def concept_ids(self, kind: str | None = None) -> list[str]:
        c = self.concepts
        return sorted(c.loc[c["kind"] == kind, "concept"] if kind else c["concept"])


def _read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of one lexicon file; rows of an abbreviation table carry ``kind == "abbreviation"``."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            if all(c in header for c in ABBREVIATION_COLUMNS):
                return _abbreviation_rows(reader, path)
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise DataError(f"{path}: missing column(s) {', '.join(missing)} (need {', '.join(COLUMNS)}, "
                                f"or {', '.join(ABBREVIATION_COLUMNS)} for an abbreviation table)")
            rows = []
            for lineno, row in enumerate(reader, start=2):
                clean = {c: normalize_text(row.get(c) or "") for c in COLUMNS}
                kind = clean["kind"].strip().lower()
                if kind not in TERM_KINDS | CUE_KINDS:
                    raise DataError(f"{path}: row {lineno}: unknown kind {clean['kind']!r} "
                                    f"(expected one of {', '.join(sorted(TERM_KINDS | CUE_KINDS))})")
                if not clean["surface"] or not clean["concept"]:
                    raise DataError(f"{path}: row {lineno}: empty surface or concept")
                if kind in TERM_KINDS and not surface_key(clean["surface"]):
                    raise DataError(f"{path}: row {lineno}: term surface {clean['surface']!r} has no letters or digits")
                clean["kind"] = kind
                rows.append(clean)
            return rows
    except OSError as err:
        raise DataError(f"{path}: cannot read lexicon file ({err.strerror or err})") from err
    except (UnicodeDecodeError, csv.Error) as err:
        raise DataError(f"{path}: not a UTF-8 CSV file ({err})") from err


def _abbreviation_rows(reader: csv.DictReader, path: Path) -> list[dict[str, str]]:
    rows = []
    for lineno, row in enumerate(reader, start=2):
        clean = {c: normalize_text(row.get(c) or "") for c in ABBREVIATION_COLUMNS}
        parse_abbreviation(clean, f"{path}: row {lineno}")  # validates; compiled again in `compile_lexicon`
        rows.append({**clean, "kind": "abbreviation"})
    return rows


def _insert(trie: dict[str, Any], key: Sequence[str], value: Any, merge: bool) -> None:
    node = trie
    for syl in key:
        node = node.setdefault(syl, {})
    node[END] = (node.get(END, frozenset()) | value) if merge else value


def compile_lexicon(rows: Iterable[dict[str, str]]) -> Lexicon:
    """Build a `Lexicon` from rows in override order (a later row with the same key replaces an earlier one)."""
    effective: dict[tuple[Any, ...], dict[str, str]] = {}
    abbreviations: dict[tuple[str, ...], dict[str, str]] = {}
    for row in rows:
        if row["kind"] == "abbreviation":
            short = surface_key(row["short"])
            abbreviations.pop(short, None)
            abbreviations[short] = row
            continue
        key = surface_key(row["surface"]) or (lower_same_length(row["surface"].replace(" ", "")),)
        k = ("term", key) if row["kind"] in TERM_KINDS else ("cue", key, row["kind"])
        effective.pop(k, None)  # re-insert so the table keeps override order
        effective[k] = row
    table = pd.DataFrame(list(effective.values()), columns=list(COLUMNS)).astype(object)
    terms: dict[str, Any] = {}
    cues: dict[str, Any] = {}
    folded_terms: dict[str, Any] = {}
    folded_cues: dict[str, Any] = {}
    punct: dict[str, frozenset[str]] = {}
    for k, row in effective.items():
        if k[0] == "term":
            _insert(terms, k[1], (row["concept"], row["kind"]), merge=False)
            if len(k[1]) > 1:
                _insert_first(folded_terms, tuple(fold(s) for s in k[1]), (row["concept"], row["kind"]))
        elif surface_key(row["surface"]):
            _insert(cues, k[1], frozenset({row["kind"]}), merge=True)
            _insert(folded_cues, tuple(fold(s) for s in k[1]), frozenset({row["kind"]}), merge=True)
        else:
            surface = lower_same_length(re.sub(r"\s+", "", row["surface"]))
            punct[surface] = punct.get(surface, frozenset()) | {row["kind"]}
    compiled = [parse_abbreviation(r, "abbreviation table") for r in abbreviations.values()]
    known = {s for k in effective for s in k[1]} | {s for a in compiled for s in a.expansion.split()}
    abbreviation_rows = ["\x1f".join(r[c] for c in ABBREVIATION_COLUMNS) for r in abbreviations.values()]
    version = digest(*("\x1f".join(r[c] for c in COLUMNS) for r in effective.values()), *abbreviation_rows)
    return Lexicon(rows=table, terms=terms, cues=cues, punct_cues=punct, version=version,
                   abbreviations_version=digest(*abbreviation_rows),
                   abbreviations=abbreviation_index(compiled), folded_terms=folded_terms, folded_cues=folded_cues,
                   syllables=frozenset(known))


def _insert_first(trie: dict[str, Any], key: Sequence[str], value: Any) -> None:
    """Insert unless the key is taken: two surfaces that fold alike keep the first one (table order)."""
    node = trie
    for syl in key:
        node = node.setdefault(syl, {})
    node.setdefault(END, value)


_SHIPPED: Lexicon | None = None


def load_lexicon(paths: str | Path | Sequence[str | Path] | None = None, extend: bool = True) -> Lexicon:
    """Load the lexicon: the shipped CSV files, then `paths` (user files) on top when `extend`, else `paths` only.

    Same surface (and, for cues, same kind) → the later file's row wins. Raises `DataError` naming the file and
    row on a missing column, an unknown kind or an empty surface.
    """
    global _SHIPPED
    if paths is None:
        if _SHIPPED is None:
            _SHIPPED = compile_lexicon(r for p in shipped_lexicon_files() for r in _read_rows(p))
        return _SHIPPED
    user = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    files = (shipped_lexicon_files() if extend else []) + user
    return compile_lexicon(r for p in files for r in _read_rows(p))
