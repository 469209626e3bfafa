"""The words of the card, the Hugging Face card and the figures, in every language: one data file, ``labels.csv``
(columns ``key`` and one per language). Card labels have plain keys, figure labels ``figure.*``, Hugging Face card
labels ``hf.*``; `{placeholders}` are filled with `str.format`."""
from __future__ import annotations

import csv
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
