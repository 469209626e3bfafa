"""JupyterLab exploration helpers: keyword in context with the match highlighted, and an example browser.

    vx.kwic(df, "pleural_effusion")                         # the first 20 mentions of N, highlighted by assertion
    vx.examples(df, "cardiomegaly", assertion="absent")     # whole reports where the finding is negated

Both return views: `.frame` is the data, and a notebook shows them as HTML in the card's style, every text escaped,
present, absent and uncertain mentions in different colours.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vixray_eda.errors import ParameterError
from vixray_eda.report.html import card_style, esc, para, scoped, tag
from vixray_eda.stats import terms
from vixray_eda.text.lexicon import Lexicon, load_lexicon


def _legend() -> str:
    return " ".join(tag("mark", esc(a), class_=f"kwic-{a}") for a in terms.ASSERTIONS)


@dataclass(frozen=True)
class KwicView:
    """A keyword-in-context table that notebooks render with the match highlighted; `.frame` is the data (the first
    rows), `total` the number of mentions found."""

    frame: pd.DataFrame
    total: int
    concept: str

    def _repr_html_(self) -> str:
        shown = f"{len(self.frame):,} of {self.total:,} mentions of {self.concept}"
        return card_style() + scoped(para(shown, "muted") + tag("p", _legend()) + terms.kwic_html(self.frame))

    def __len__(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class ExamplesView:
    """Whole reports (`.frame`: ``id, split, findings, impressions``), shown in full in a notebook with every mention
    of the concept in `field` highlighted by its assertion (`spans`: row → [(start, end, assertion)])."""

    frame: pd.DataFrame
    field: str
    spans: dict[int, list[tuple[int, int, str]]]

    def _repr_html_(self) -> str:
        rows = []
        for pos, rec in enumerate(self.frame.itertuples(index=False)):
            texts = {f: getattr(rec, f) if isinstance(getattr(rec, f), str) else "" for f in ("findings", "impressions")}
            cells = [esc(rec.id), esc(rec.split)] + [
                _highlight(texts[f], self.spans.get(pos, []) if f == self.field else []) for f in texts]
            rows.append(tag("tr", "".join(tag("td", c) for c in cells)))
        head = tag("tr", "".join(tag("th", esc(h)) for h in ("id", "split", "findings", "impressions")))
        return card_style() + scoped(tag("p", _legend()) + tag("table", tag("thead", head) + tag("tbody", "".join(rows))))

    def __len__(self) -> int:
        return len(self.frame)


def _highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` escaped, each span in a ``<mark>`` of its assertion."""
    out, at = [], 0
    for start, end, assertion in sorted(spans):
        if start < at:
            continue  # overlapping mentions: the first one is marked
        out += [esc(text[at:start]), tag("mark", esc(text[start:end]), class_=f"kwic-{assertion}")]
        at = end
    return "".join(out) + esc(text[at:])


def _known_concept(concept: str, lexicon: Lexicon) -> None:
    ids = lexicon.concept_ids()
    if concept not in ids:
        raise ParameterError(f"unknown concept {concept!r}; known: {', '.join(ids)}")


def kwic(df: pd.DataFrame, concept: str, field: str = "findings", width: int = 40, assertion: str | None = None,
         limit: int | None = 20, lexicon: Lexicon | None = None) -> KwicView:
    """The first `limit` mentions (None: all) of `concept` in `field` with `width` characters of context (see
    `stats.terms.kwic`), and how many there are."""
    lexicon = lexicon or load_lexicon()
    _known_concept(concept, lexicon)
    every = terms.kwic(df, concept, field, width, assertion, None, lexicon)
    return KwicView(every if limit is None else every.head(limit), len(every), concept)


def examples(df: pd.DataFrame, concept: str, assertion: str = "present", field: str = "findings", n: int = 5,
             seed: int = 0, lexicon: Lexicon | None = None) -> ExamplesView:
    """`n` whole reports (reproducible pick by `seed`) whose `field` mentions `concept` with `assertion`."""
    lexicon = lexicon or load_lexicon()
    _known_concept(concept, lexicon)
    if assertion not in terms.ASSERTIONS:
        raise ParameterError(f"assertion must be one of {', '.join(terms.ASSERTIONS)}, not {assertion!r}")
    m = terms.frame_mentions(df, [field], lexicon)
    m = m[m["concept"] == concept]
    rows = sorted(set(m.loc[m["assertion"] == assertion, "row"]))
    picked = pd.Series(rows, dtype="int64").sample(n=min(n, len(rows)), random_state=seed).sort_values().tolist()
    spans = {pos: [(int(s), int(e), a) for s, e, a in m.loc[m["row"] == row, ["start", "end", "assertion"]]
                   .itertuples(index=False)] for pos, row in enumerate(picked)}
    frame = df.iloc[picked][["id", "split", "findings", "impressions"]].reset_index(drop=True)
    return ExamplesView(frame, field, spans)
