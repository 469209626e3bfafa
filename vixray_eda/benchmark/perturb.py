"""Predictions without a model: references perturbed at known rates, so the benchmark can be demonstrated and its
metrics checked against what was planted (`vixray-eda sample-predictions`).

Per report and field, each perturbation is tried with its rate and applied when the report allows it, in this
order (each touches a different finding concept, so every planted event is measurable on its own):

- ``omission``: drop a sentence whose only finding is present and mentioned nowhere else in the report;
- ``negation_flip``: rewrite a sentence whose only finding is mentioned nowhere else, present ↔ absent
  ("Không thấy {term}." / "{Term}.");
- ``hallucination``: append "{Term}." for a finding the reference does not mention;
- ``paraphrase``: replace one term by another surface of the same concept from the lexicon, kept only when the
  extractor labels the sentence exactly as before (ROUGE changes, clinical labels do not).

The output text is the normalized reference sentences joined by spaces. ``planted`` lists, per field, the events
as ``event:concept``.
"""
from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import pandas as pd

from vixray_eda.data.clean import as_text
from vixray_eda.data.schema import TEXT_FIELDS
from vixray_eda.errors import ParameterError
from vixray_eda.text.lexicon import Lexicon, load_lexicon
from vixray_eda.text.pipeline import analyze_texts

__all__ = ["DEFAULT_RATES", "DEMO_MODELS", "perturb_references", "demo_predictions"]

DEFAULT_RATES: dict[str, float] = {"omission": 0.2, "negation_flip": 0.15, "hallucination": 0.15,
                                   "paraphrase": 0.5}
#: start, end, concept, kind, assertion, match (offsets into the sentence; `SentenceRecord.mentions`)
Mention = tuple[int, int, str, str, str, str]


def _findings(mentions: Sequence[Mention]) -> list[tuple[str, str]]:
    return [(c, a) for _, _, c, k, a, _ in mentions if k == "finding"]


def _labels(mentions: Sequence[Mention]) -> list[tuple[str, str, str]]:
    return sorted((c, k, a) for _, _, c, k, a, _ in mentions)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _phrases(lexicon: Lexicon) -> dict[str, dict[str, str]]:
    """Finding concept → {"present": "{Term}.", "absent": "Không thấy {term}."}, only the phrases the extractor
    reads as exactly that concept with that assertion."""
    concepts = lexicon.concepts[lexicon.concepts["kind"] == "finding"]
    candidates = [(c, a, _capital(v) + "." if a == "present" else f"Không thấy {v}.")
                  for c, v in zip(concepts["concept"], concepts["vi_canonical"]) for a in ("present", "absent")]
    analysis = analyze_texts([text for _, _, text in candidates], lexicon=lexicon)
    out: dict[str, dict[str, str]] = {}
    for doc, (concept, assertion, text) in enumerate(candidates):
        got = analysis.mentions[(analysis.mentions["doc"] == doc) & (analysis.mentions["kind"] == "finding")]
        if list(zip(got["concept"], got["assertion"])) == [(concept, assertion)]:
            out.setdefault(concept, {})[assertion] = text
    return {c: p for c, p in out.items() if len(p) == 2}


def _variants(lexicon: Lexicon) -> dict[str, list[str]]:
    """Concept → its lexicon surfaces (lower case), for paraphrases."""
    rows = lexicon.rows[lexicon.rows["kind"].isin(["finding", "anatomy"])]
    out: dict[str, list[str]] = {}
    for surface, concept in zip(rows["surface"], rows["concept"]):
        out.setdefault(str(concept), []).append(str(surface).lower())
    return {c: sorted(set(v)) for c, v in out.items()}


def _perturb_report(sentences: list[tuple[str, tuple[Mention, ...]]], rates: Mapping[str, float],
                    rng: random.Random, phrases: Mapping[str, Mapping[str, str]],
                    variants: Mapping[str, list[str]]) -> tuple[list[str], list[str], tuple[int, str] | None]:
    """One report's sentences after omission, flip and hallucination; the planted events; and a paraphrase
    candidate (sentence index, new text) still to be checked by the extractor."""
    texts = [s for s, _ in sentences]
    mentioned: dict[str, int] = {}
    for _, mentions in sentences:
        for concept in {c for c, _ in _findings(mentions)}:
            mentioned[concept] = mentioned.get(concept, 0) + 1
    lone = [i for i, (_, m) in enumerate(sentences)
            if len(f := _findings(m)) == 1 and mentioned[f[0][0]] == 1]
    planted: list[str] = []
    touched: set[int] = set()
    if rng.random() < rates["omission"]:
        options = [i for i in lone if _findings(sentences[i][1])[0][1] == "present"]
        if options:
            i = rng.choice(options)
            texts[i] = ""
            touched.add(i)
            planted.append(f"omission:{_findings(sentences[i][1])[0][0]}")
    if rng.random() < rates["negation_flip"]:
        options = [i for i in lone if i not in touched and _findings(sentences[i][1])[0][1] in ("present", "absent")
                   and _findings(sentences[i][1])[0][0] in phrases]
        if options:
            i = rng.choice(options)
            concept, assertion = _findings(sentences[i][1])[0]
            texts[i] = phrases[concept]["absent" if assertion == "present" else "present"]
            touched.add(i)
            planted.append(f"negation_flip:{concept}")
    if rng.random() < rates["hallucination"]:
        options = sorted(c for c in phrases if c not in mentioned)
        if options:
            concept = rng.choice(options)
            texts.append(phrases[concept]["present"])
            planted.append(f"hallucination:{concept}")
    candidate = None
    if rng.random() < rates["paraphrase"]:
        options = [(i, m) for i, (text, mentions) in enumerate(sentences) if i not in touched
                   for m in mentions if len(variants.get(m[2], [])) > 1
                   and text[m[0]:m[1]].lower() in variants[m[2]]]
        if options:
            i, (start, end, concept, *_) = rng.choice(options)
            old = sentences[i][0][start:end]
            new = rng.choice([v for v in variants[concept] if v != old.lower()])
            new = _capital(new) if old[:1].isupper() else new
            candidate = (i, sentences[i][0][:start] + new + sentences[i][0][end:])
    return texts, planted, candidate


def perturb_references(references: pd.DataFrame, rates: Mapping[str, float] | None = None, seed: int = 0,
                       key: str = "id", fields: Sequence[str] = TEXT_FIELDS,
                       lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Predictions made from `references` (a `vx.load` frame): columns `key`, the `fields` and ``planted``
    (field → list of ``event:concept``). Deterministic for a seed; `rates` override `DEFAULT_RATES`."""
    merged = {**DEFAULT_RATES, **dict(rates or {})}
    unknown = sorted(set(merged) - set(DEFAULT_RATES))
    if unknown or any(not 0 <= float(v) <= 1 for v in merged.values()):
        raise ParameterError(f"rates: events are {', '.join(DEFAULT_RATES)} with values in [0, 1]; got {dict(rates or {})}")
    if key not in references.columns:
        raise ParameterError(f"references have no key column {key!r}")
    lex = lexicon if lexicon is not None else load_lexicon()
    phrases, variants = _phrases(lex), _variants(lex)
    rng = random.Random(seed)
    n = len(references)
    texts = [as_text(v) for f in fields for v in references[f].tolist()]
    analysis = analyze_texts(texts, lexicon=lex)
    records = analysis.sentences
    out_texts: dict[str, list[list[str]]] = {f: [] for f in fields}
    planted: list[dict[str, list[str]]] = [{} for _ in range(n)]
    candidates: list[tuple[str, int, int, str, tuple[Mention, ...]]] = []
    for row in range(n):
        for fi, field_name in enumerate(fields):
            doc = fi * n + row
            sentences = [(records[s].text, records[s].mentions) for s in analysis.doc_sentences[doc]]
            report, events, candidate = _perturb_report(sentences, merged, rng, phrases, variants)
            out_texts[field_name].append(report)
            planted[row][field_name] = events
            if candidate is not None:
                candidates.append((field_name, row, candidate[0], candidate[1], sentences[candidate[0]][1]))
    if candidates:
        check = analyze_texts([c[3] for c in candidates], lexicon=lex)
        by_doc = {d: list(zip(g["start"], g["end"], g["concept"], g["kind"], g["assertion"], g["match"]))
                  for d, g in check.mentions.groupby("doc")}
        for doc, (field_name, row, index, text, before) in enumerate(candidates):
            if _labels(by_doc.get(doc, [])) == _labels(before):
                out_texts[field_name][row][index] = text
                planted[row][field_name].append("paraphrase")
    frame = pd.DataFrame({key: references[key].astype(str).tolist()})
    for field_name in fields:
        frame[field_name] = [" ".join(s for s in report if s) for report in out_texts[field_name]]
    frame["planted"] = planted
    return frame


#: Two demonstration "models" for the benchmark notebook: seed and rates of each.
DEMO_MODELS: dict[str, tuple[int, dict[str, float]]] = {
    "demo-careful": (1, {"omission": 0.1, "negation_flip": 0.05, "hallucination": 0.05}),
    "demo-sloppy": (2, {"omission": 0.35, "negation_flip": 0.2, "hallucination": 0.3}),
}


def demo_predictions(references: pd.DataFrame, key: str = "id") -> dict[str, pd.DataFrame]:
    """Model name → perturbed references for the `DEMO_MODELS` (what `make benchmark` writes as files)."""
    return {name: perturb_references(references, rates, seed, key=key) for name, (seed, rates) in DEMO_MODELS.items()}
