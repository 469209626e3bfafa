"""Clinical correctness of generated reports from the negation-aware extractor's mentions on both sides.

Each finding concept of a report gets one state: ``present`` if any mention is present, else ``uncertain`` if any
is uncertain, else ``absent``; a concept not mentioned is ``none``. Comparing a reference with its prediction,
concept by concept:

- CheXpert-style label F1 of *present* findings: a state is positive when present, and uncertain counts as positive,
  as negative, or the (report, concept) pair is excluded (`UNCERTAIN_POLICIES`);
- **hallucination**: present in the prediction, not mentioned in the reference;
- **omission**: present in the reference, not mentioned in the prediction;
- **negation flip**: present on one side, absent on the other (a flip only, never also a hallucination or omission);
- **anatomy mismatch**: present on both sides, but the anatomy named in the sentences that carry it differs (only
  when both sides name some anatomy there).

The events do not depend on the uncertain policy; only the F1 counts do.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vixray_eda.errors import ParameterError

__all__ = ["UNCERTAIN_POLICIES", "EVENTS", "ClinicalScores", "finding_states", "finding_anatomy", "compare",
           "f1", "concept_table"]

UNCERTAIN_POLICIES: tuple[str, ...] = ("positive", "negative", "exclude")
EVENTS: tuple[str, ...] = ("hallucination", "omission", "negation_flip", "anatomy_mismatch")
_RANK = {"present": 3, "uncertain": 2, "absent": 1}
_STATE = {v: k for k, v in _RANK.items()}
PAIR_COLUMNS = ["doc", "concept", "reference", "prediction", "excluded", "tp", "fp", "fn", *EVENTS]


def finding_states(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per (doc, finding concept) mentioned: ``doc, concept, state`` (present > uncertain > absent)."""
    found = mentions[mentions["kind"] == "finding"]
    if found.empty:
        return pd.DataFrame({"doc": pd.Series(dtype="int64"), "concept": pd.Series(dtype=object),
                             "state": pd.Series(dtype=object)})
    ranks = found.assign(rank=found["assertion"].map(_RANK).astype("int64"))
    best = ranks.groupby(["doc", "concept"], sort=True)["rank"].max().reset_index()
    return pd.DataFrame({"doc": best["doc"].astype("int64"), "concept": best["concept"].astype(str).astype(object),
                         "state": best["rank"].map(_STATE).astype(object)})


def finding_anatomy(mentions: pd.DataFrame) -> dict[tuple[int, str], frozenset[str]]:
    """(doc, finding concept) → the anatomy concepts named in the sentences where that finding is present."""
    if "sentence" not in mentions.columns or mentions.empty:
        return {}
    anatomy = mentions[mentions["kind"] == "anatomy"].groupby(["doc", "sentence"])["concept"].agg(frozenset)
    present = mentions[(mentions["kind"] == "finding") & (mentions["assertion"] == "present")]
    out: dict[tuple[int, str], frozenset[str]] = {}
    for doc, sentence, concept in zip(present["doc"], present["sentence"], present["concept"]):
        key = (int(doc), str(concept))
        out[key] = out.get(key, frozenset()) | anatomy.get((doc, sentence), frozenset())
    return out


def _positive(states: pd.Series, uncertain: str) -> tuple[np.ndarray, np.ndarray]:
    """Positive flags under the policy, and the flags of states that the policy excludes."""
    present = (states == "present").to_numpy()
    unsure = (states == "uncertain").to_numpy()
    if uncertain == "positive":
        return present | unsure, np.zeros(len(states), bool)
    if uncertain == "negative":
        return present, np.zeros(len(states), bool)
    return present, unsure


def compare(reference: pd.DataFrame, prediction: pd.DataFrame, uncertain: str = "positive",
            reference_anatomy: dict[tuple[int, str], frozenset[str]] | None = None,
            prediction_anatomy: dict[tuple[int, str], frozenset[str]] | None = None) -> pd.DataFrame:
    """Compare the `finding_states` of references and predictions (same doc numbers): one row per (doc, concept)
    mentioned on either side, with both states (``none`` when not mentioned), whether the policy excludes the pair,
    its F1 counts (tp, fp, fn) and its events (`EVENTS`, booleans)."""
    if uncertain not in UNCERTAIN_POLICIES:
        raise ParameterError(f"uncertain must be one of {', '.join(UNCERTAIN_POLICIES)}, not {uncertain!r}")
    pairs = reference.merge(prediction, on=["doc", "concept"], how="outer", suffixes=("_ref", "_pred"), sort=True)
    ref = pairs["state_ref"].fillna("none").astype(object)
    pred = pairs["state_pred"].fillna("none").astype(object)
    ref_pos, ref_excl = _positive(ref, uncertain)
    pred_pos, pred_excl = _positive(pred, uncertain)
    excluded = ref_excl | pred_excl
    kept = ~excluded
    both_present = ((ref == "present") & (pred == "present")).to_numpy()
    mismatch = np.zeros(len(pairs), bool)
    if reference_anatomy is not None and prediction_anatomy is not None:
        for i in np.flatnonzero(both_present):
            key = (int(pairs["doc"].iat[i]), str(pairs["concept"].iat[i]))
            a, b = reference_anatomy.get(key, frozenset()), prediction_anatomy.get(key, frozenset())
            mismatch[i] = bool(a) and bool(b) and a != b
    return pd.DataFrame({
        "doc": pairs["doc"].astype("int64").to_numpy(),
        "concept": pairs["concept"].astype(object).to_numpy(),
        "reference": ref.to_numpy(), "prediction": pred.to_numpy(), "excluded": excluded,
        "tp": ref_pos & pred_pos & kept, "fp": ~ref_pos & pred_pos & kept, "fn": ref_pos & ~pred_pos & kept,
        "hallucination": ((pred == "present") & (ref == "none")).to_numpy(),
        "omission": ((ref == "present") & (pred == "none")).to_numpy(),
        "negation_flip": (((ref == "present") & (pred == "absent")) | ((ref == "absent") & (pred == "present")))
        .to_numpy(),
        "anatomy_mismatch": mismatch,
    }, columns=PAIR_COLUMNS)


def f1(tp: np.ndarray | float, fp: np.ndarray | float, fn: np.ndarray | float) -> np.ndarray:
    """2·tp / (2·tp + fp + fn), NaN where there is nothing to score (no positive on either side)."""
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    denominator = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, 2 * tp / np.where(denominator > 0, denominator, 1), np.nan)


@dataclass(frozen=True)
class ClinicalScores:
    """Per-report arrays of one model on one field, in scored-report order.

    ``counts`` (n × 3: tp, fp, fn), ``per_concept`` (3 arrays n × C for ``concepts``), ``events`` (name → n counts
    of events per report).
    """

    concepts: tuple[str, ...]
    counts: np.ndarray
    per_concept: tuple[np.ndarray, np.ndarray, np.ndarray]
    events: dict[str, np.ndarray]

    @classmethod
    def from_pairs(cls, pairs: pd.DataFrame, n_docs: int, concepts: Sequence[str]) -> ClinicalScores:
        """Arrays from `compare` output over documents 0..n_docs-1 and the given concept columns."""
        index = {c: j for j, c in enumerate(concepts)}
        docs = pairs["doc"].to_numpy(dtype=np.int64)
        cols = pairs["concept"].map(index).to_numpy(dtype=np.int64)
        per_concept = []
        for name in ("tp", "fp", "fn"):
            matrix = np.zeros((n_docs, len(concepts)))
            np.add.at(matrix, (docs, cols), pairs[name].to_numpy(dtype=float))
            per_concept.append(matrix)
        counts = np.stack([m.sum(axis=1) for m in per_concept], axis=1)
        events = {name: np.bincount(docs, weights=pairs[name].to_numpy(dtype=float), minlength=n_docs)
                  for name in EVENTS}
        return cls(tuple(concepts), counts, (per_concept[0], per_concept[1], per_concept[2]), events)


def concept_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per finding concept: tp, fp, fn, support (reference positives), precision, recall, f1 and event counts."""
    columns = ["tp", "fp", "fn", *EVENTS]
    sums = pairs.groupby("concept", sort=True)[columns].sum().astype("int64").reset_index()
    tp, fp, fn = (sums[c].to_numpy(dtype=float) for c in ("tp", "fp", "fn"))
    with np.errstate(invalid="ignore", divide="ignore"):
        sums["support"] = (tp + fn).astype("int64")
        sums["precision"] = np.where(tp + fp > 0, tp / np.where(tp + fp > 0, tp + fp, 1), np.nan)
        sums["recall"] = np.where(tp + fn > 0, tp / np.where(tp + fn > 0, tp + fn, 1), np.nan)
    sums["f1"] = f1(tp, fp, fn)
    return sums[["concept", "support", "tp", "fp", "fn", "precision", "recall", "f1", *EVENTS]]
