"""labels.csv: the one file of the card's, the Hugging Face card's and the figures' words."""
from __future__ import annotations

import re
import string

from conftest import REPO
from vixray_eda.labels import LANGUAGES, load_labels

PACKAGE = REPO / "vixray_eda"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_every_language_with_the_same_placeholders():
    labels = load_labels()
    assert LANGUAGES == ("en", "vi")
    for key, english in labels["en"].items():
        for lang in LANGUAGES:
            assert labels[lang][key].strip(), (key, lang)
            assert _fields(labels[lang][key]) == _fields(english), key


def test_every_label_the_code_asks_for_exists():
    keys = set(load_labels()["en"])
    used = set()
    for source, pattern, prefix in [("report/card.py", r"self\.t\(\"(\w+)\"", ""),
                                    ("report/card.py", r"self\.t\(f\"(\w+)\"", ""),
                                    ("report/hf_card.py", r"\bt\([\"'](\w+)[\"']", "hf."),
                                    ("plots/demographics.py", r"\btext\([\"'](\w+)[\"']", "figure."),
                                    ("plots/lengths.py", r"\btext\([\"'](\w+)[\"']", "figure."),
                                    ("plots/images.py", r"\btext\([\"'](\w+)[\"']", "figure.")]:
        found = re.findall(pattern, (PACKAGE / source).read_text(encoding="utf-8"))
        used |= {prefix + key for key in found}
    assert len(used) > 100
    assert sorted(used - keys) == []
