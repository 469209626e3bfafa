"""Worst examples for the card: the reports with the most clinical errors, differing words highlighted, and every
text passed through the residual-PHI scan first (a text with a hit is withheld, its kinds named)."""
from __future__ import annotations

import difflib
import re

import pandas as pd

from vixray_eda.benchmark.clinical import EVENTS
from vixray_eda.report.html import esc, tag
from vixray_eda.stats.phi import phi_kinds
from vixray_eda.text.normalize import normalize_text

__all__ = ["worst_reports", "highlight_differences", "shown_pair"]

_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def worst_reports(reports: pd.DataFrame, model: str, field: str, n: int = 5) -> pd.DataFrame:
    """The `n` scored reports of a model with the most clinical events (hallucination, omission, negation flip,
    anatomy mismatch), then the lowest ROUGE-1, then by id."""
    part = reports[(reports["model"] == model) & (reports["field"] == field)]
    part = part.assign(errors=part[list(EVENTS)].sum(axis=1))
    part = part[part["errors"] > 0]
    return part.sort_values(["errors", "rouge1_syllables", "id"], ascending=[False, True, True],
                            kind="stable").head(n)


def _keys(tokens: list[str]) -> list[str]:
    return [_EDGE_PUNCT.sub("", normalize_text(t).lower()) for t in tokens]


def highlight_differences(reference: str, prediction: str) -> tuple[str, str]:
    """Both texts as escaped HTML with the words that differ (a word diff on normalized, lower-case words, edge
    punctuation ignored) wrapped in ``<mark>``."""
    ref_tokens, pred_tokens = _TOKEN.findall(reference), _TOKEN.findall(prediction)
    matcher = difflib.SequenceMatcher(None, _keys(ref_tokens), _keys(pred_tokens), autojunk=False)
    ref_marked = [False] * len(ref_tokens)
    pred_marked = [False] * len(pred_tokens)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            ref_marked[a0:a1] = [True] * (a1 - a0)
            pred_marked[b0:b1] = [True] * (b1 - b0)

    def render(tokens: list[str], marked: list[bool]) -> str:
        return " ".join(tag("mark", esc(t)) if m else esc(t) for t, m in zip(tokens, marked))

    return render(ref_tokens, ref_marked), render(pred_tokens, pred_marked)


def shown_pair(reference: str, prediction: str) -> tuple[str, str, list[str]]:
    """The pair as highlighted HTML, or both withheld when either text has a residual-PHI hit; also the PHI kinds."""
    kinds = sorted(set(phi_kinds(reference)) | set(phi_kinds(prediction)))
    if kinds:
        note = tag("em", esc(f"withheld: possible PHI ({', '.join(kinds)})"))
        return note, note, kinds
    ref_html, pred_html = highlight_differences(reference, prediction)
    return ref_html, pred_html, []
