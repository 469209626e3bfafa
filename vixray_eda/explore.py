"""JupyterLab exploration helpers: keyword in context with the match highlighted, and an example browser.

    vx.kwic(df, "pleural_effusion")                         # every mention, highlighted, with its assertion
    vx.examples(df, "cardiomegaly", assertion="absent")     # whole reports where the finding is negated
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vixray_eda.errors import ParameterError
from vixray_eda.stats import terms
from vixray_eda.text.lexicon import Lexicon, load_lexicon


@dataclass(frozen=True)
class KwicView:
    """A keyword-in-context table that notebooks render with the match highlighted; `.frame` is the data."""

    frame: pd.DataFrame

    def _repr_html_(self) -> str:
        return terms.kwic_html(self.frame)

    def __len__(self) -> int:
        return len(self.frame)


def _known_concept(concept: str, lexicon: Lexicon) -> None:
    ids = lexicon.concept_ids()
    if concept not in ids:
        raise ParameterError(f"unknown concept {concept!r}; known: {', '.join(ids)}")


def kwic(df: pd.DataFrame, concept: str, field: str = "findings", width: int = 40, assertion: str | None = None,
         limit: int | None = 20, lexicon: Lexicon | None = None) -> KwicView:
    """Every mention of `concept` in `field` with `width` characters of context (see `stats.terms.kwic`)."""
    lexicon = lexicon or load_lexicon()
    _known_concept(concept, lexicon)
    return KwicView(terms.kwic(df, concept, field, width, assertion, limit, lexicon))


def examples(df: pd.DataFrame, concept: str, assertion: str = "present", field: str = "findings", n: int = 5,
             seed: int = 0, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """`n` reports (reproducible pick by `seed`) whose `field` mentions `concept` with `assertion`:
    ``id, split, findings, impressions``."""
    lexicon = lexicon or load_lexicon()
    _known_concept(concept, lexicon)
    if assertion not in terms.ASSERTIONS:
        raise ParameterError(f"assertion must be one of {', '.join(terms.ASSERTIONS)}, not {assertion!r}")
    m = terms.frame_mentions(df, [field], lexicon)
    rows = sorted(set(m.loc[(m["concept"] == concept) & (m["assertion"] == assertion), "row"]))
    picked = pd.Series(rows, dtype="int64").sample(n=min(n, len(rows)), random_state=seed).sort_values()
    return df.iloc[picked.to_numpy()][["id", "split", "findings", "impressions"]].reset_index(drop=True)
