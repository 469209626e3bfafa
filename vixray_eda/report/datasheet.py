"""A Datasheet for Datasets / Healthsheet, pre-filled from what the data shows and what the published card says.

Each row answers one question of a section (motivation, composition, collection, preprocessing, uses, distribution,
maintenance) and names where the answer comes from: ``data`` (computed here), ``published card`` (the dataset
authors' own words, quoted from `vixray_eda.published`), or nothing: an unknown is kept as an open question for the
dataset's authors, never filled in by guess.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from vixray_eda import published
from vixray_eda.data.clean import VALUE_CHANGES
from vixray_eda.labels import Phrase, label, phrase
from vixray_eda.stats.summary import Results

__all__ = ["DatasheetFacts", "QUESTIONS", "SECTIONS", "datasheet", "facts_from_results"]

SECTIONS = ("motivation", "composition", "collection", "preprocessing", "uses", "distribution", "maintenance")
DATA, CARD = "data", "published card"


@dataclass(frozen=True)
class DatasheetFacts:
    """What the data shows, as the statistics computed it."""

    synthetic: bool
    rows: int
    split_rows: Mapping[str, int]
    age_mean: float | None
    age_missing: int
    sex_counts: Mapping[str, int]  # M, F, missing
    views: Mapping[str, int]  # view label → rows
    phi_hits: int
    leaked_reports: int
    cleaned_values: int
    license_consistent: bool


def facts_from_results(r: Results) -> DatasheetFacts:
    """The `DatasheetFacts` of one run's `Results` (counts over every split read)."""
    age = r.demographics.age_summary.set_index("split")
    sex = r.demographics.sex_counts
    sex = sex[sex["split"] == "all"] if (sex["split"] == "all").any() else sex.groupby("sex", as_index=False).sum()
    views = r.frame["view"].dropna().astype(str).value_counts()
    log = r.quality.log
    license_check = r.metadata_checks[r.metadata_checks["check"] == "license"]
    return DatasheetFacts(
        synthetic=bool(r.synthetic), rows=len(r.frame),
        split_rows={s: int(n) for s, n in zip(r.split_sizes["split"], r.split_sizes["rows"])},
        age_mean=None if "all" not in age.index or pd.isna(age.loc["all", "mean"]) else float(age.loc["all", "mean"]),
        age_missing=int(r.frame["age"].isna().sum()),
        sex_counts={str(k): int(v) for k, v in zip(sex["sex"], sex["count"])},
        views={str(k): int(v) for k, v in views.items()},
        phi_hits=int(r.quality.phi_matches["rows"].sum()) if len(r.quality.phi_matches) else 0,
        leaked_reports=sum(int(rec.get("reports", 0)) for rec in r.quality.leakage),
        cleaned_values=int(log.loc[log["check"].isin(VALUE_CHANGES), "rows"].sum()),
        license_consistent=not (license_check["status"] == "mismatch").any())


def _shares(counts: Mapping[str, int]) -> str:
    total = sum(counts.values()) or 1
    return ", ".join(f"{k} {v:,} ({v / total:.0%})" for k, v in counts.items())


#: Questions by section, as ``datasheet.q.<id>`` label ids, in display order.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "motivation": ("purpose", "creators"),
    "composition": ("instance", "count", "demographics", "views", "shared", "sensitive"),
    "collection": ("how", "ethics", "writers"),
    "preprocessing": ("release_cleaning", "load_cleaning"),
    "uses": ("intended", "avoid"),
    "distribution": ("license", "where"),
    "maintenance": ("maintainer", "updates"),
}


def _answers(facts: DatasheetFacts) -> dict[str, tuple[Phrase | str, str]]:
    """Known answers by question id: a `Phrase` of ours (worded in each language) or the published card's own words
    (English, quoted), with their source."""
    synthetic = {"synthetic": "synthetic_note" if facts.synthetic else ""}  # a word of ours: worded per language
    answers: dict[str, tuple[Phrase | str, str]] = {
        "purpose": ("The first public Vietnamese chest X-ray dataset for vision-language model research: PA "
                    "radiographs paired with Vietnamese findings and impressions written by radiologists.", CARD),
        "instance": ("One PA chest radiograph, a Vietnamese findings report, an impressions report, age, sex, view, a "
                     "procedure note (Ghi chú) and technique (Kỹ thuật).", CARD),
        "count": (phrase("datasheet.a.count", rows=f"{facts.rows:,}", splits=_shares(facts.split_rows),
                         **synthetic), DATA),
        "demographics": (phrase("datasheet.a.age", mean=f"{facts.age_mean:.1f}", missing=f"{facts.age_missing:,}",
                                sex=_shares(facts.sex_counts), **synthetic) if facts.age_mean is not None else
                         phrase("datasheet.a.no_age", missing=f"{facts.age_missing:,}", sex=_shares(facts.sex_counts),
                                **synthetic), DATA),
        "shared": (phrase("datasheet.a.shared", n=f"{facts.leaked_reports:,}", **synthetic), DATA),
        "sensitive": (phrase("datasheet.a.sensitive", n=f"{facts.phi_hits:,}", **synthetic), f"{CARD} + {DATA}"),
        "ethics": ("Collected under Institutional Review Board (IRB) approval; consent is not described.", CARD),
        "writers": ("Certified radiologists; guidelines and templates are not described.", CARD),
        "load_cleaning": (phrase("datasheet.a.load_cleaning", n=f"{facts.cleaned_values:,}"), DATA),
        "intended": ("Training and fine-tuning Vietnamese medical VLMs; benchmarking; research on hallucination "
                     "reduction; multi-turn clinical dialogue.", CARD),
        "license": (phrase("datasheet.a.license", text=published.LICENSE_TEXT) if facts.license_consistent else
                    phrase("datasheet.a.license_mismatch", text=published.LICENSE_TEXT, yaml=published.LICENSE_YAML),
                    CARD),
        "where": (phrase("datasheet.a.where", hub=published.HUB_ID), CARD),
    }
    if facts.views:
        answers["views"] = (phrase("datasheet.a.views", views=_shares(facts.views), **synthetic), DATA)
    return answers


def datasheet(facts: DatasheetFacts) -> pd.DataFrame:
    """Rows ``section, key, question, answer, source, answer_phrase``: `key` is the question's label key, `question`
    and `answer` their English text, `answer_phrase` the answer as a `Phrase` when it is ours (None for the published
    card's own words); answer and source None where nobody knows yet."""
    answers = _answers(facts)
    rows = []
    for section, ids in QUESTIONS.items():
        for qid in ids:
            answer, source = answers.get(qid, (None, None))
            text = answer.text("en") if isinstance(answer, Phrase) else answer
            rows.append((section, f"datasheet.q.{qid}", label(f"datasheet.q.{qid}"), text, source,
                         answer if isinstance(answer, Phrase) else None))
    return pd.DataFrame(rows, columns=["section", "key", "question", "answer", "source", "answer_phrase"])
