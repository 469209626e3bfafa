"""How much of the text the lexicon understood: `coverage` (sentences and reports with no concept, fallback
matches) and `lexicon_gaps` (what the lexicon may be missing).

Both read an already computed text analysis, the ``(TextAnalysis, field ranges)`` pair of
`vixray_eda.text.pipeline.analyze_fields`, so the card computes the text layer once; given only a DataFrame they
analyze it themselves. A report is a row (field "all" counts a row once over its fields); empty texts are not
reports. Gap lists can carry patient initials or ids, so `lexicon_gaps` shows only n-grams and tokens found in at
least `min_reports` reports that pass the PHI scan (`vixray_eda.stats.phi`; a sentence the scan flags gives no
candidates at all); they belong in the HTML card,
stats.json and JupyterLab, never in the Hugging Face README.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from vixray_eda.data.schema import require_columns, split_order
from vixray_eda.stats.digests import positions as digest_positions
from vixray_eda.stats.digests import split_ranks
from vixray_eda.stats.phi import phi_kinds
from vixray_eda.text.lexicon import END, Lexicon, fold, load_lexicon
from vixray_eda.text.pipeline import SentenceRecord, TextAnalysis, analyze_fields
from vixray_eda.text.tokenize import syllable_spans

__all__ = ["COVERAGE_COLUMNS", "GAP_COLUMNS", "GAP_KINDS", "coverage", "gap_counts", "lexicon_gaps", "gap_table"]

COVERAGE_COLUMNS = ["split", "field", "sentences", "sentences_without_concept", "reports", "reports_without_concept",
                    "fallback_mentions"]
GAP_COLUMNS = ["kind", "text", "concept", "reports"]
#: ``unmatched_ngram``: words next to a cue or an anatomy mention that no term covers; ``possible_abbreviation``:
#: unknown short all-consonant or upper-case tokens; ``fallback``: surfaces matched only tone-insensitively.
GAP_KINDS = ("unmatched_ngram", "possible_abbreviation", "fallback")
Analysis = tuple[TextAnalysis, dict[str, range]]

_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n]")
_VOWELS = frozenset("aeiouy")
_ROMAN = re.compile(r"[ivx]+")
_UNITS = frozenset({"mm", "cm", "ml", "mas", "kg", "kvp"})


def _analysis(df: pd.DataFrame, fields: Sequence[str], analysis: Analysis | None,
              lexicon: Lexicon | None) -> Analysis:
    require_columns(df, ("split", *fields))
    if analysis is not None:
        missing = [f for f in fields if f not in analysis[1]]
        if not missing:
            return analysis
    return analyze_fields(df, fields, lexicon)


def coverage(df: pd.DataFrame, analysis: Analysis | None = None, fields: Sequence[str] = ("findings", "impressions"),
             lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Per split and field (each also "all"): ``sentences, sentences_without_concept, reports,
    reports_without_concept, fallback_mentions`` (a concept is any finding or anatomy mention)."""
    fields = list(fields)
    a, ranges = _analysis(df, fields, analysis, lexicon)
    n = len(df)
    splits = df["split"].astype(str).to_numpy()
    m = a.mentions
    rows = []
    per_field = {}
    for f in fields:
        docs = np.arange(ranges[f].start, ranges[f].stop)
        n_sent = np.array([len(a.doc_sentences[d]) for d in docs], dtype=np.int64)
        fm = m[(m["doc"] >= ranges[f].start) & (m["doc"] < ranges[f].stop)]
        covered = fm.drop_duplicates(["doc", "sentence"]).groupby("doc").size()
        with_sent = np.zeros(n, dtype=np.int64)
        if len(covered):
            with_sent[covered.index.to_numpy() - ranges[f].start] = covered.to_numpy()
        fallback = np.zeros(n, dtype=np.int64)
        fb = fm[fm["match"] == "fallback"].groupby("doc").size()
        if len(fb):
            fallback[fb.index.to_numpy() - ranges[f].start] = fb.to_numpy()
        per_field[f] = (n_sent, with_sent, fallback)
    for split in [*split_order(df["split"].astype(str).unique()), "all"]:
        mask = np.ones(n, dtype=bool) if split == "all" else splits == split
        for f in [*fields, "all"]:
            parts = [per_field[g] for g in (fields if f == "all" else [f])]
            n_sent = sum(p[0] for p in parts)
            with_sent = sum(p[1] for p in parts)
            fallback = sum(p[2] for p in parts)
            is_report = n_sent > 0
            rows.append({
                "split": split, "field": f,
                "sentences": int(n_sent[mask].sum()),
                "sentences_without_concept": int((n_sent - with_sent)[mask].sum()),
                "reports": int((is_report & mask).sum()),
                "reports_without_concept": int((is_report & (with_sent == 0) & mask).sum()),
                "fallback_mentions": int(fallback[mask].sum()),
            })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    with (resources.files("vixray_eda.text") / "lexicon" / "stopwords.csv").open(encoding="utf-8") as fh:
        return frozenset(row["surface"].strip().lower() for row in csv.DictReader(fh))


def _cue_syllables(toks: Sequence[str], lexicon: Lexicon) -> list[tuple[int, int]]:
    """``[start, end)`` syllable ranges of the cues in `toks`, leftmost-longest (exact spelling)."""
    out = []
    i = 0
    while i < len(toks):
        node, end = lexicon.cues, i
        for k in range(i, len(toks)):
            node = node.get(toks[k])
            if node is None:
                break
            if END in node:
                end = k + 1
        if end > i:
            out.append((i, end))
            i = end
        else:
            i += 1
    return out


def _possible_abbreviation(token: str, lexicon: Lexicon) -> bool:
    low = token.lower()
    if not (2 <= len(token) <= 6 and token.isalpha()) or low in lexicon.syllables or low in lexicon.abbreviations:
        return False
    if low in _UNITS or _ROMAN.fullmatch(low):
        return False
    return token.isupper() or not (_VOWELS & set(fold(low)))


#: Gap candidates of sentences seen earlier in this process (per lexicon version), bounded like the text memo.
_GAPS: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
_GAPS_MAX = 100_000


def _gaps_of(rec: SentenceRecord, lexicon: Lexicon) -> tuple[set[str], set[str]]:
    """`_sentence_gaps` of an analyzed sentence, memoized across calls (its mentions follow from its text and the
    lexicon)."""
    key = (lexicon.version, rec.text)
    found = _GAPS.get(key)
    if found is None:
        found = _sentence_gaps(rec.text, rec.mentions, lexicon)
        if len(_GAPS) >= _GAPS_MAX:
            _GAPS.pop(next(iter(_GAPS)))
        _GAPS[key] = found
    return found


def _sentence_gaps(text: str, mentions: Sequence[tuple], lexicon: Lexicon, max_n: int = 2
                   ) -> tuple[set[str], set[str]]:
    """Unmatched n-grams (the longest run of up to `max_n` syllables that no term or cue covers, right after a cue
    or an anatomy mention, or right before an anatomy mention, within one clause) and possible abbreviations."""
    if phi_kinds(text):  # a sentence with possible PHI gives no candidates at all
        return set(), set()
    spans = syllable_spans(text)
    toks = [text[a:b].lower() for a, b in spans]
    taken = [False] * len(spans)
    anchors_after: set[int] = set()  # syllable positions right after a cue or an anatomy mention
    anchors_before: set[int] = set()  # syllable positions where an anatomy mention starts
    for s, e, _, kind, *_ in mentions:
        idx = [k for k, (a, b) in enumerate(spans) if a < e and b > s]
        for k in idx:
            taken[k] = True
        if idx and kind == "anatomy":
            anchors_after.add(idx[-1] + 1)
            anchors_before.add(idx[0])
    for i, j in _cue_syllables(toks, lexicon):
        for k in range(i, j):
            taken[k] = True
        anchors_after.add(j)
    stop = _stopwords()

    def free(k: int) -> bool:
        return 0 <= k < len(toks) and not taken[k] and toks[k].isalpha()

    def joined(k: int) -> bool:  # syllables k and k + 1 are in one clause
        return not _CLAUSE_BREAK.search(text[spans[k][1]:spans[k + 1][0]])

    grams: set[str] = set()
    for p in anchors_after:  # the longest free run (up to max_n syllables) after the anchor
        n = 0
        while n < max_n and free(p + n) and (n == 0 or joined(p + n - 1)):
            n += 1
        if n:
            grams.add(" ".join(toks[p:p + n]))
    for q in anchors_before:  # ... and before an anatomy mention
        n = 0
        while n < max_n and free(q - n - 1) and (n == 0 or joined(q - n - 1)):
            n += 1
        if n:
            grams.add(" ".join(toks[q - n:q]))
    grams = {g for g in grams if g.split()[0] not in stop and g.split()[-1] not in stop}
    abbreviations = {text[a:b] for k, (a, b) in enumerate(spans)
                     if not taken[k] and _possible_abbreviation(text[a:b], lexicon)}
    return grams, abbreviations


GAP_COUNT_COLUMNS = ["kind", "text", "reports"]
FALLBACK_FIRST_COLUMNS = ["text", "field", "split", "first", "start", "concept"]


def gap_counts(df: pd.DataFrame, analysis: Analysis | None = None,
               fields: Sequence[str] = ("findings", "impressions"), lexicon: Lexicon | None = None,
               positions: np.ndarray | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mergeable form of `lexicon_gaps`: reports per candidate (``kind, text, reports``, every candidate, no
    threshold) and, per fallback surface, its first mention (``text, field, split, first, start, concept``: field
    number, split and position within the split, offset) whose concept the table shows. `positions`: each row's
    position within its split (`stats.digests.positions`; computed when None)."""
    fields = list(fields)
    lex = lexicon if lexicon is not None else load_lexicon()
    a, ranges = _analysis(df, fields, analysis, lex)
    n = len(df)
    splits = df["split"].astype(str).to_numpy(dtype=object)
    pos = positions if positions is not None else digest_positions(splits)
    per_sentence: dict[int, tuple[set[str], set[str]]] = {}
    counts: dict[str, Counter] = {k: Counter() for k in GAP_KINDS}
    m = a.mentions
    fb = m[m["match"] == "fallback"]
    fb_rows: dict[str, set[int]] = {}
    firsts = []
    for doc, start, surface, concept in zip(fb["doc"], fb["start"], fb["surface"], fb["concept"]):
        key = surface.lower()
        row = int(doc) % n if n else 0
        fb_rows.setdefault(key, set()).add(row)
        firsts.append((key, int(doc) // n if n else 0, splits[row], int(pos[row]), int(start), concept))
    for key, rows_of in fb_rows.items():
        counts["fallback"][key] = len(rows_of)
    for row in range(n):
        grams: set[str] = set()
        abbreviations: set[str] = set()
        for f in fields:
            for sid in a.doc_sentences[ranges[f].start + row]:
                if sid not in per_sentence:
                    per_sentence[sid] = _gaps_of(a.sentences[sid], lex)
                g, ab = per_sentence[sid]
                grams |= g
                abbreviations |= ab
        counts["unmatched_ngram"].update(grams)
        counts["possible_abbreviation"].update(abbreviations)
    table = pd.DataFrame([(kind, text, c) for kind in GAP_KINDS for text, c in counts[kind].items()],
                         columns=GAP_COUNT_COLUMNS)
    return table, pd.DataFrame(firsts, columns=FALLBACK_FIRST_COLUMNS)


def lexicon_gaps(df: pd.DataFrame, analysis: Analysis | None = None,
                 fields: Sequence[str] = ("findings", "impressions"), lexicon: Lexicon | None = None,
                 min_reports: int = 5, top: int = 20) -> pd.DataFrame:
    """What the lexicon may be missing: ``kind, text, concept, reports``, `top` rows per kind of `GAP_KINDS`, most
    frequent first (reports = rows of `df`). ``concept`` is set for fallback rows only (the concept the misspelled
    or unaccented surface was matched to). Only texts found in at least `min_reports` reports that pass the PHI
    scan are listed. Pass the `lexicon` the analysis was built with."""
    return gap_table(*gap_counts(df, analysis, fields, lexicon), min_reports=min_reports, top=top)


def gap_table(counts: pd.DataFrame, firsts: pd.DataFrame, min_reports: int = 5, top: int = 20) -> pd.DataFrame:
    """`lexicon_gaps` from merged `gap_counts` (reports added per kind and text; all first mentions kept)."""
    totals = counts.groupby(["kind", "text"], sort=True)["reports"].sum()
    ranks = split_ranks(firsts["split"].unique())
    ordered = firsts.assign(_rank=firsts["split"].map(ranks)).sort_values(
        ["text", "field", "_rank", "first", "start"], kind="stable").drop_duplicates("text")
    concept_of = dict(zip(ordered["text"], ordered["concept"]))
    out = []
    for kind in GAP_KINDS:
        part = totals[totals.index.get_level_values("kind") == kind] if len(totals) else totals
        kept = [(text, int(c)) for (_, text), c in part.items() if c >= min_reports and not phi_kinds(text)]
        kept.sort(key=lambda tc: (-tc[1], tc[0]))
        out += [{"kind": kind, "text": text, "concept": concept_of.get(text, "") if kind == "fallback" else "",
                 "reports": c} for text, c in kept[:top]]
    return pd.DataFrame(out, columns=GAP_COLUMNS)
