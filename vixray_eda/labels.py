"""The words of the card, the Hugging Face card and the figures, in every language: one data file, ``labels.csv``
(columns ``key`` and one per language). Card labels have plain keys, figure labels ``figure.*``, Hugging Face card
labels ``hf.*``; `{placeholders}` are filled with `str.format`."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from vixray_eda.errors import ParameterError

LABELS_FILE = "labels.csv"


@lru_cache(maxsize=1)
def load_labels() -> dict[str, dict[str, str]]:
    """language → key → text, read once from the shipped ``labels.csv``."""
    text = resources.files("vixray_eda").joinpath(LABELS_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines(keepends=True))
    languages = [name for name in reader.fieldnames or [] if name != "key"]
    table: dict[str, dict[str, str]] = {lang: {} for lang in languages}
    for row in reader:
        for lang in languages:
            table[lang][row["key"]] = row[lang]
    return table


#: The languages of ``labels.csv`` (its columns after ``key``).
LANGUAGES: tuple[str, ...] = tuple(load_labels())


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def label(key: str, lang: str = "en", **values: Any) -> str:
    """The text of `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = load_labels()[check_language(lang)][key]
    return text.format(**values) if values else text


def has_label(key: str) -> bool:
    return key in load_labels()[LANGUAGES[0]]


@dataclass(frozen=True)
class Phrase:
    """A sentence kept as a label key plus its placeholder values, so that each output words it in its own
    language (statistics store phrases; stats.json keeps their English text). Values that are words of ours
    (a ``value.*`` label, e.g. field and unit names) are worded too."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = "en") -> str:
        return label(self.key, lang, **{k: word(v, lang) for k, v in self.values})


def word(value: Any, lang: str = "en") -> Any:
    """`value` in `lang` when it is a word of ours (a ``value.<value>`` label), else `value` unchanged."""
    return label(f"value.{value}", lang) if isinstance(value, str) and has_label(f"value.{value}") else value


def phrase(key: str, **values: Any) -> Phrase:
    """The `Phrase` of label `key` with `values` (an unknown key fails here, not when the card is drawn)."""
    if not has_label(key):
        raise KeyError(f"no label {key!r} in {LABELS_FILE}")
    return Phrase(key, tuple(sorted(values.items())))
