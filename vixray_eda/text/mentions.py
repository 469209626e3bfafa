"""Concept mentions with negation/uncertainty assertion (CheXpert/NegBio style, cues and terms as data).

Matching (per sentence, on normalized lower-case text):
- **Terms** are matched on syllable boundaries, leftmost-longest ("màng phổi" wins over "phổi", "quai động mạch chủ"
  over "động mạch chủ"; "tim" never matches inside "timer"). Syllables of one term may be separated by spaces, one
  hyphen or one slash, never by a comma. Up to two *infix* cue words may sit inside a term: "tim không to"
  (infix negation → absent), "bóng tim hơi to", "rốn phổi hai bên đậm" (modifiers → present), "tim có vẻ to"
  (infix uncertainty → uncertain).
- **Numeric cardiomegaly**: "chỉ số tim ngực 0,55", "CTR = 0.6", "chỉ số tim/ngực > 0,5" → ``cardiomegaly``,
  present when the value is above 0.5 (percentages divided by 100), absent otherwise.
- **Cues** are matched like terms, longest first ("chưa loại trừ" is uncertainty, not "chưa" negation;
  "không thay đổi" is a pseudo-cue and asserts nothing). Punctuation cues ("(-)", "?") are found between syllables.

Scope:
- A sentence splits into *clauses* at ``. ; ! ? line break`` and at terminator words (nhưng, tuy nhiên, ...), and a
  clause into *segments* at commas, colons and conjunctions (và, hoặc, ...).
- A cue followed by a mention in its segment is a pre-cue: it governs every later mention of the segment (up to the
  next cue) and continues over the following segments of the clause while each starts with a finding
  ("không thấy tràn dịch, tràn khí màng phổi" → both absent; "không thấy tràn dịch, phổi có đám mờ" → the
  second segment starts with anatomy, so "đám mờ" stays present).
- A cue with nothing after it in its segment is a post-cue ("tràn dịch (-)", "viêm phổi?"): it governs the segment's
  mentions and continues backwards over the preceding segments while they consist of a single finding mention.
- Uncertainty beats negation when both reach a mention; an infix cue beats both.
- **Anatomy mentions are always "present"**: the cue rules assert findings; an anatomical site is just mentioned.
- **Anatomy inside a finding term is mentioned too**: "bóng tim to" is a cardiomegaly mention *and* a heart mention
  (nested in its span), "tràn dịch màng phổi" mentions the pleura, "gãy xương sườn" the ribs. Without this the
  most-mentioned anatomy would undercount exactly the organs radiologists write about most.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vixray_eda.text.abbreviations import expand
from vixray_eda.text.lexicon import END, Lexicon, fold
from vixray_eda.text.tokenize import lower_same_length, syllable_spans

__all__ = ["MENTION_COLUMNS", "SentenceMatch", "match_sentence"]

MENTION_COLUMNS = ["doc", "start", "end", "surface", "concept", "kind", "assertion"]
MAX_INFIXES = 2
_GAP_OK = re.compile(r"\s*(?:[-/]\s*)?")
_HARD = re.compile(r"[.;!?\n]")
_SOFT = re.compile(r"[,:]")
_CTR_RE = re.compile(
    r"(?<![^\W_])(?:chỉ số tim\s*[/-]?\s*(?:lồng\s+)?ngực|t[ỷỉ] lệ tim\s*[/-]?\s*(?:lồng\s+)?ngực|ctr|cti)"
    r"\s*(?:[:=~≈]|là|khoảng|#)?\s*(?P<op>[<>≥≤]=?)?\s*(?:khoảng\s*)?(?P<val>\d+(?:[.,]\d+)?)\s*(?P<pct>%)?"
)
_PRE = {"pre_negation": "absent", "pre_uncertainty": "uncertain"}
_POST = {"post_negation": "absent", "post_uncertainty": "uncertain"}
_INFIX = {"infix_negation": "absent", "infix_uncertainty": "uncertain", "infix_modifier": None}
#: anatomy whose size a size cue speaks about → the finding "enlarged" of that anatomy
_ENLARGEMENT = {"heart": "cardiomegaly", "mediastinum": "mediastinal_widening", "hilum": "hilar_enlargement"}
#: a state cue after an anatomical site says whether that site's finding is there: cue kind → (assertion, anatomy →
#: finding). "bóng tim trong giới hạn bình thường" → cardiomegaly absent; "góc sườn hoành nhọn, không tù" → effusion absent.
_STATES = {"size_normal": ("absent", _ENLARGEMENT), "size_borderline": ("uncertain", _ENLARGEMENT),
           "angle_sharp": ("absent", {"costophrenic_angle": "pleural_effusion"})}
#: words that may stand between a cue and a term without being part of it ("không thấy hình nốt mờ")
_CLASSIFIERS = frozenset({"hình", "ảnh", "tổn", "đám", "dạng", "bóng", "vùng"})
_TIGHT = re.compile(r"\s*[-/]\s*")  # "khối - nốt mờ", "tràn dịch/tràn khí"


@dataclass(frozen=True)
class SentenceMatch:
    """Result of `match_sentence`: mentions ``(start, end, concept, kind, assertion, match)`` with character offsets
    into the sentence (``match`` is "exact" or "fallback"), and ``forced`` syllable ranges (of the syllables passed
    in; terms without infix) that word segmentation keeps whole."""

    mentions: tuple[tuple[int, int, str, str, str, str], ...]
    forced: tuple[tuple[int, int], ...]


def _combine(a: str | None, b: str | None) -> str | None:
    if a == "uncertain" or b == "uncertain":
        return "uncertain"
    return a or b


def _gaps_ok(low: str, spans: Sequence[tuple[int, int]], i: int) -> bool:
    """True when syllables ``i`` and ``i + 1`` may belong to one term (only spaces, one hyphen or slash between)."""
    return _GAP_OK.fullmatch(low, spans[i][1], spans[i + 1][0]) is not None


def _longest(trie: dict[str, Any], toks: Sequence[str], low: str, spans: Sequence[tuple[int, int]], i: int,
             infix: dict[str, Any] | None = None) -> tuple[int, Any, list[str]]:
    """Longest surface of `trie` starting at syllable `i`: ``(end syllable, payload, infix kinds)``; end == i if none.

    With `infix` (the cue trie), up to `MAX_INFIXES` infix cues may be skipped between the term's syllables.
    """
    best: tuple[int, Any, list[str]] = (i, None, [])
    # stack entries: (trie node, next syllable, infix kinds used, last step was a term syllable)
    stack: list[tuple[dict[str, Any], int, list[str], bool]] = [(trie, i, [], False)]
    n = len(toks)
    while stack:
        node, k, used, on_term = stack.pop()
        if on_term and END in node and (k > best[0] or (k == best[0] and len(used) < len(best[2]))):
            best = (k, node[END], used)
        if k >= n or (k > i and not _gaps_ok(low, spans, k - 1)):
            continue
        child = node.get(toks[k])
        if child is not None:
            stack.append((child, k + 1, used, True))
        if infix is not None and k > i and len(used) < MAX_INFIXES:
            cue_node, j = infix, k
            while j < n and (j == k or _gaps_ok(low, spans, j - 1)):
                cue_node = cue_node.get(toks[j])
                if cue_node is None:
                    break
                j += 1
                kinds = cue_node.get(END, frozenset()) & _INFIX.keys()
                if kinds and j < n:
                    stack.append((node, j, used + sorted(kinds), False))
    return best


def _ctr_mentions(low: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Numeric cardiomegaly mentions as ``(first syllable, end syllable, base assertion)``."""
    out = []
    starts = {a: k for k, (a, _) in enumerate(spans)}
    for m in _CTR_RE.finditer(low):
        if m.start() not in starts:
            continue
        value = float(m.group("val").replace(",", "."))
        if m.group("pct") or value > 1.5:
            value /= 100
        op = m.group("op") or ""
        present = value > 0.5 or (op.startswith((">", "≥")) and value >= 0.5)
        first = starts[m.start()]
        end = first
        while end < len(spans) and spans[end][0] < m.end():
            end += 1
        out.append((first, end, "present" if present else "absent"))
    return out


def _gap_events(low: str, spans: Sequence[tuple[int, int]], punct: dict[str, frozenset[str]]) -> list[list[str]]:
    """For each gap k (before syllable k; gap n is the tail) the ordered events: post-cue kinds, 'soft', 'hard'."""
    n = len(spans)
    bounds = [0] + [b for _, b in spans]
    ends = [a for a, _ in spans] + [len(low)]
    surfaces = sorted(punct, key=len, reverse=True)
    events: list[list[str]] = []
    for k in range(n + 1):
        gap = low[bounds[k]:ends[k]] if k else ""
        ev: list[str] = []
        pos = 0
        while pos < len(gap):
            hit = next((s for s in surfaces if gap.startswith(s, pos)), None)
            if hit is not None:
                ev.extend(sorted(punct[hit] & _POST.keys()))
                if hit == "?":
                    ev.append("hard")
                pos += len(hit)
                continue
            ch = gap[pos]
            if _HARD.match(ch):
                ev.append("hard")
            elif _SOFT.match(ch):
                ev.append("soft")
            pos += 1
        events.append(ev)
    return events


def _split_joined(low: str, spans: Sequence[tuple[int, int]], known: frozenset[str]) -> list[tuple[int, int]]:
    """Syllables with a missing space at a word join ("phổikhông") split in two when both halves are lexicon
    syllables (longest first half first); every other syllable is kept as it is."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        tok = low[a:b]
        if b - a >= 5 and tok not in known and tok.isalpha():
            cut = next((p for p in range(b - a - 2, 1, -1) if tok[:p] in known and tok[p:] in known), None)
            if cut is not None:
                out += [(a, a + cut), (a + cut, b)]
                continue
        out.append((a, b))
    return out


def _gap(low: str, spans: Sequence[tuple[int, int]], a: int, b: int) -> str:
    """The characters between the end of syllable `a` and the start of syllable `b` (a < b)."""
    return low[spans[a][1]:spans[b][0]]


def _lookup(trie: dict[str, Any], key: Sequence[str]) -> Any:
    node = trie
    for syl in key:
        node = node.get(syl)
        if node is None:
            return None
    return node.get(END)


def _coordinated(units: list[tuple[Any, ...]], toks: Sequence[str], low: str, spans: Sequence[tuple[int, int]],
                 lexicon: Lexicon) -> list[tuple[Any, ...]]:
    """Coordinated items that share a term's head or tail: "giãn phế quản - phế nang" / "tràn dịch màng phổi và
    màng tim" → also "giãn phế nang" / "tràn dịch màng tim" (head shared over "-", "/" or a conjunction cue);
    "khối - nốt mờ" → also "khối mờ" (tail shared over "-" or "/" only: "viêm kèm xẹp phổi" is not "viêm phổi")."""
    findings = [u for u in units if u[0] == "m" and u[4] == "finding" and u[6] == "exact"]
    if not findings:
        return units
    covered = {k for u in units for k in range(u[1], u[2])}
    finding_syllables = {k for u in findings for k in range(u[1], u[2])}
    conj_start = {u[1]: u[2] for u in units if u[0] == "c" and "conjunction" in u[3]}
    added: list[tuple[Any, ...]] = []
    replaced: set[tuple[Any, ...]] = set()
    n = len(toks)
    for u in findings:
        i, j = u[1], u[2]
        k = conj_start.get(j, j)
        if k < n and (k > j or _TIGHT.fullmatch(_gap(low, spans, j - 1, j))):
            for p in range(j - i - 1, 0, -1):  # the item after takes the head of `u`
                node = _trie_node(lexicon.terms, toks[i:i + p])
                end, val, _ = _longest(node, toks, low, spans, k) if node is not None else (k, None, [])
                if end > k and val[1] == "finding" and not finding_syllables & set(range(k, end)):
                    replaced |= {v for v in units if v[0] == "m" and k <= v[1] and v[2] <= end}
                    added.append(("m", k, end, val[0], val[1], None, "exact"))
                    break
        if i > 0 and _TIGHT.fullmatch(_gap(low, spans, i - 1, i)):
            for size in (2, 1):  # the item before takes the tail of `u`
                s0 = i - size
                if s0 < 0 or covered & set(range(s0, i)) or (size == 2 and _gap(low, spans, s0, s0 + 1).strip()):
                    continue
                hit = next((v for q in range(1, j - i)
                            if (v := _lookup(lexicon.terms, [*toks[s0:i], *toks[i + q:j]])) and v[1] == "finding"),
                           None)
                if hit is not None:
                    added.append(("m", s0, i, hit[0], hit[1], None, "exact"))
                    break
    if not added:
        return units
    return sorted([u for u in units if u not in replaced] + added, key=lambda u: u[1])


def _trie_node(trie: dict[str, Any], key: Sequence[str]) -> dict[str, Any] | None:
    """The node of `trie` reached by the syllables `key`, or None."""
    node: dict[str, Any] | None = trie
    for syl in key:
        node = node.get(syl) if node is not None else None
    return node


def _descriptors(units: list[tuple[Any, ...]], toks: Sequence[str], low: str, spans: Sequence[tuple[int, int]]
                 ) -> list[tuple[Any, ...]]:
    """A specified opacity is labelled by what it specifies: a bare "mờ" right after a finding ("dải xơ mờ") and an
    opacity followed by "dạng" + a finding ("hình mờ dạng khối") are not separate opacity mentions."""
    out: list[tuple[Any, ...]] = []
    for idx, u in enumerate(units):
        if u[0] == "m" and u[3] == "opacity" and u[5] is None:
            prev = out[-1] if out else None
            if (prev is not None and prev[0] == "m" and prev[4] == "finding" and prev[2] == u[1]
                    and toks[u[1]:u[2]] == ["mờ"] and _gap(low, spans, u[1] - 1, u[1]).strip() == ""):
                continue
            nxt = units[idx + 1] if idx + 1 < len(units) else None
            if (nxt is not None and nxt[0] == "m" and nxt[4] == "finding" and (
                    (nxt[1] == u[2] and toks[nxt[1]] == "dạng")
                    or (nxt[1] == u[2] + 1 and toks[u[2]] == "dạng"))):
                continue
        out.append(u)
    return out


def _states(units: list[tuple[Any, ...]], low: str, spans: Sequence[tuple[int, int]]) -> list[tuple[Any, ...]]:
    """A state cue turns the sites it follows in its clause (a list of them, "kích thước bóng tim, trung thất ...")
    into their finding: a size cue ("trong giới hạn bình thường", "giới hạn cao") the heart, mediastinum or hila into
    their enlargement, absent or uncertain; "không tù" the costophrenic angle into an absent pleural effusion. The site
    stays mentioned: it is found again inside the finding's span as nested anatomy."""
    out = list(units)
    for idx, u in enumerate(units):
        kinds = u[3] & _STATES.keys() if u[0] == "c" else set()
        if not kinds:
            continue
        assertion, findings = _STATES[min(kinds)]
        k, limit = idx - 1, u[1]
        while k >= 0:
            v = out[k]
            if _HARD.search(_gap(low, spans, v[2] - 1, limit)) if v[2] - 1 < limit else False:
                break
            if v[0] == "m" and v[4] == "anatomy" and v[3] in findings:
                out[k] = ("m", v[1], v[2], findings[v[3]], "finding", assertion, v[6])
            elif v[0] == "m" or not v[3] <= {"conjunction", "infix_modifier"}:
                break
            limit = v[1]
            k -= 1
    return out


def match_sentence(sentence: str, lexicon: Lexicon, spans: Sequence[tuple[int, int]] | None = None) -> SentenceMatch:
    """Mentions of one normalized sentence with their assertion (see the module docstring for the rules)."""
    low0 = lower_same_length(sentence)
    spans0 = list(spans) if spans is not None else syllable_spans(sentence)
    spans = _split_joined(low0, spans0, lexicon.syllables)
    low = low0
    toks = [low[a:b] for a, b in spans]
    expanded = None
    if not lexicon.abbreviations.keys().isdisjoint(toks):  # most sentences hold no short form: nothing to copy
        expanded = expand(low0, spans, lexicon.abbreviations)
    if expanded is not None:
        low, spans, back_starts, back_ends = expanded
        toks = [low[a:b] for a, b in spans]
    units, forced = _units(low, spans, toks, lexicon)
    units = _states(_descriptors(_coordinated(units, toks, low, spans, lexicon), toks, low, spans), low, spans)
    assertions = _assert(units, _gap_events(low, spans, lexicon.punct_cues), len(toks))
    folded = [fold(t) for t in toks] if any(u[0] == "m" and u[6] == "fallback" for u in units) else toks
    found: list[tuple[int, int, str, str, str, str]] = []
    for idx, u in enumerate(units):
        if u[0] != "m":
            continue
        found.append((spans[u[1]][0], spans[u[2] - 1][1], u[3], u[4], assertions[idx], u[6]))
        if u[4] == "finding":
            trie, tk = (lexicon.folded_terms, folded) if u[6] == "fallback" else (lexicon.terms, toks)
            found += [(spans[a][0], spans[b - 1][1], concept, "anatomy", "present",
                       "exact" if u[6] == "exact" or _lookup(lexicon.terms, toks[a:b]) else "fallback")
                      for a, b, concept in _nested_anatomy(trie, tk, low, spans, u[1], u[2])]
    char_forced = [(spans[i][0], spans[j - 1][1]) for i, j in forced]
    if expanded is not None:
        found = [(back_starts[s], back_ends[e - 1], *rest) for s, e, *rest in found]
        char_forced = [(back_starts[s], back_ends[e - 1]) for s, e in char_forced]
    first = {a: k for k, (a, _) in enumerate(spans0)}
    last = {b: k for k, (_, b) in enumerate(spans0)}
    forced0 = tuple((first[s], last[e] + 1) for s, e in char_forced if s in first and e in last)
    return SentenceMatch(mentions=tuple(found), forced=forced0)  # type: ignore[arg-type]


def _units(low: str, spans: Sequence[tuple[int, int]], toks: Sequence[str], lexicon: Lexicon
           ) -> tuple[list[tuple[Any, ...]], list[tuple[int, int]]]:
    """Mention units ``("m", i, j, concept, kind, infix assertion | "numeric:…", match)`` and cue units
    ``("c", i, j, kinds)`` over the syllables, leftmost-longest; and the term ranges word segmentation keeps whole.

    Exact matches come first; only where none starts does the tone-insensitive fallback try the folded tries, and
    it accepts terms and cues of two or more syllables only (``match == "fallback"``).
    """
    n = len(toks)
    units: list[tuple[Any, ...]] = []
    forced: list[tuple[int, int]] = []
    ctr = {first: (end, base) for first, end, base in _ctr_mentions(low, spans)}
    folded: list[str] | None = None
    i = 0
    while i < n:
        if i in ctr:
            end, base = ctr[i]
            units.append(("m", i, end, "cardiomegaly", "finding", "numeric:" + base, "exact"))
            i = end
            continue
        t_end, t_val, used = _longest(lexicon.terms, toks, low, spans, i, infix=lexicon.cues)
        c_end, c_val, _ = _longest(lexicon.cues, toks, low, spans, i)
        match = "exact"
        if t_end == i and c_end == i and (fold(toks[i]) in lexicon.folded_terms
                                          or fold(toks[i]) in lexicon.folded_cues):
            folded = folded or [fold(t) for t in toks]
            t_end, t_val, used = _longest(lexicon.folded_terms, folded, low, spans, i, infix=lexicon.folded_cues)
            c_end, c_val, _ = _longest(lexicon.folded_cues, folded, low, spans, i)
            t_end = t_end if t_end - i >= 2 else i
            c_end = c_end if c_end - i >= 2 else i
            match = "fallback"
        if t_end > i and toks[i] in _CLASSIFIERS and match == "exact":
            after = _longest(lexicon.terms, toks, low, spans, i + 1, infix=lexicon.cues)
            if after[0] > t_end:  # "hình nốt mờ tròn": the classifier is not part of the longer term after it
                i += 1
                continue
        if t_end > i and t_end >= c_end:
            infix = None
            for kind in used:
                infix = _combine(infix, _INFIX[kind])
            units.append(("m", i, t_end, t_val[0], t_val[1], infix, match))
            if not used and t_end - i > 1:
                forced.append((i, t_end))
            i = t_end
        elif c_end > i:
            units.append(("c", i, c_end, c_val))
            i = c_end
        else:
            i += 1
    return units, forced


def _nested_anatomy(trie: dict[str, Any], toks: Sequence[str], low: str, spans: Sequence[tuple[int, int]],
                    i: int, j: int) -> list[tuple[int, int, str]]:
    """Anatomy terms inside syllables [i, j) of a finding mention, leftmost-longest: ``(start, end, concept)``."""
    found = []
    k = i
    while k < j:
        node, best = trie, None
        for m in range(k, j):
            if m > k and not _gaps_ok(low, spans, m - 1):
                break
            node = node.get(toks[m])
            if node is None:
                break
            payload = node.get(END)
            if payload is not None and payload[1] == "anatomy":
                best = (m + 1, payload[0])
        if best is None:
            k += 1
            continue
        found.append((k, best[0], best[1]))
        k = best[0]
    return found


def _assert(units: list[tuple[Any, ...]], gaps: list[list[str]], n: int) -> dict[int, str]:
    """Assertion per mention unit index, applying the clause/segment scope rules."""
    # Build clauses → segments → unit indices, then apply pre- and post-cues.
    clauses: list[list[list[int]]] = [[[]]]
    post_at: dict[tuple[int, int], list[str]] = {}  # (clause, segment) → post-cue kinds ending that segment
    starts_of = {u[1]: idx for idx, u in enumerate(units)}
    first_syl_of_segment: dict[tuple[int, int], int] = {(0, 0): 0}
    joined: set[tuple[int, int]] = set()  # segments opened by a conjunction word ("kèm", "và")

    def boundary(kind: str, syl: int) -> None:
        if kind == "hard":
            clauses.append([[]])
        else:
            clauses[-1].append([])
        first_syl_of_segment[(len(clauses) - 1, len(clauses[-1]) - 1)] = syl

    for k in range(n + 1):
        for ev in gaps[k]:
            if ev in _POST:
                post_at.setdefault((len(clauses) - 1, len(clauses[-1]) - 1), []).append(ev)
            else:
                boundary(ev, k)
        idx = starts_of.get(k)
        if idx is None:
            continue
        u = units[idx]
        if u[0] == "c" and "terminator" in u[3]:
            boundary("hard", u[2])
        elif u[0] == "c" and "conjunction" in u[3]:
            boundary("soft", u[2])
            joined.add((len(clauses) - 1, len(clauses[-1]) - 1))
        else:
            clauses[-1][-1].append(idx)

    result: dict[int, str | None] = {idx: None for idx, u in enumerate(units) if u[0] == "m"}
    for ci, clause in enumerate(clauses):
        active: str | None = None
        for si, seg in enumerate(clause):
            starts_with_finding = bool(seg) and units[seg[0]][0] == "m" and units[seg[0]][4] == "finding" and (
                units[seg[0]][1] == first_syl_of_segment.get((ci, si)))
            current = active if starts_with_finding else None
            cue_seen = False
            pending: str | None = None  # a pre-cue with no mention after it in its segment
            for pos, x in enumerate(seg):
                u = units[x]
                if u[0] == "c":
                    later = [y for y in seg[pos + 1:] if units[y][0] == "m"]
                    pre = [_PRE[k] for k in sorted(u[3] & _PRE.keys())]
                    post = [_POST[k] for k in sorted(u[3] & _POST.keys())]
                    if later and pre:
                        current = pre[0] if len(pre) == 1 else "uncertain"
                        cue_seen = True
                    elif post and (not later or not pre):  # a post-only cue governs what precedes it
                        _apply_post(post[0], clause, si, pos, units, result)
                    elif pre:
                        pending = pre[0] if len(pre) == 1 else "uncertain"
                elif u[4] == "finding":
                    result[x] = _combine(result[x], current)
            active = current if (cue_seen or starts_with_finding) else None
            if active is None and (ci, si + 1) in joined:  # "nghĩ đến tổn thương viêm kèm xẹp phổi"
                active = pending
            for kind in post_at.get((ci, si), []):
                _apply_post(_POST[kind], clause, si, len(seg), units, result)
    out: dict[int, str] = {}
    for idx, value in result.items():
        u = units[idx]
        own = u[5]
        if u[4] != "finding":
            out[idx] = "present"
        elif isinstance(own, str) and own.startswith("numeric:"):
            base = own.split(":", 1)[1]
            out[idx] = base if base == "absent" else (value or "present")
        elif own is not None:
            out[idx] = own
        else:
            out[idx] = value or "present"
    return out


def _apply_post(assertion: str, clause: list[list[int]], si: int, upto: int, units: list[tuple[Any, ...]],
                result: dict[int, str | None]) -> None:
    """A post-cue at position `upto` of segment `si`: its segment's findings, then earlier segments holding one
    finding (with its anatomical site) while its own segment holds one mention or none ("tràn dịch, tràn khí (-)";
    "đám mờ đáy phổi, chưa loại trừ ảnh giả")."""
    seg = clause[si][:upto]
    for x in seg:
        if units[x][0] == "m" and units[x][4] == "finding":
            result[x] = _combine(result[x], assertion)
    while si > 0 and sum(units[x][0] == "m" for x in seg) <= 1 and (len(seg) == 1 or not any(
            units[x][0] == "m" for x in seg)):
        si -= 1
        seg = clause[si]
        found = [x for x in seg if units[x][0] == "m" and units[x][4] == "finding"]
        if len(found) != 1 or any(units[x][0] == "c" and not units[x][3] <= {"infix_modifier"} for x in seg):
            break  # only a segment with one finding (and its site: "đám mờ đáy phổi phải") is reached
        result[found[0]] = _combine(result[found[0]], assertion)
        seg = found
