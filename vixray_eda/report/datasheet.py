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
from vixray_eda.stats.summary import Results

__all__ = ["DatasheetFacts", "SECTIONS", "datasheet", "facts_from_results"]

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


def datasheet(facts: DatasheetFacts) -> pd.DataFrame:
    """Rows ``section, question, answer, source`` (answer and source None where nobody knows yet)."""
    synthetic = " (synthetic sample: these facts describe generated text, not patients)" if facts.synthetic else ""
    rows: list[tuple[str, str, str | None, str | None]] = [
        ("motivation", "For what purpose was the dataset created?",
         "The first public Vietnamese chest X-ray dataset for vision-language model research: PA radiographs paired "
         "with Vietnamese findings and impressions written by radiologists.", CARD),
        ("motivation", "Who created the dataset and who funded it?", None, None),
        ("composition", "What does each instance consist of?",
         "One PA chest radiograph, a Vietnamese findings report, an impressions report, age, sex, view, a procedure "
         "note (Ghi chú) and technique (Kỹ thuật).", CARD),
        ("composition", "How many instances are there, per split?",
         f"{facts.rows:,} reports: {_shares(facts.split_rows)}{synthetic}.", DATA),
        ("composition", "What is the age and sex make-up?",
         (f"Mean age {facts.age_mean:.1f} years ({facts.age_missing:,} missing); sex {_shares(facts.sex_counts)}"
          f"{synthetic}." if facts.age_mean is not None else
          f"No usable ages ({facts.age_missing:,} missing); sex {_shares(facts.sex_counts)}{synthetic}."), DATA),
        ("composition", "Which views are included?", f"{_shares(facts.views)}{synthetic}." if facts.views else None,
         DATA if facts.views else None),
        ("composition", "Are there reports shared between splits?",
         f"{facts.leaked_reports:,} normalized reports appear in more than one split (see Leakage){synthetic}.", DATA),
        ("composition", "Does the dataset contain personal or sensitive information?",
         f"PHI was removed by the authors; age and sex are kept. The residual-PHI scan found {facts.phi_hits:,} "
         f"hit(s){synthetic}.", f"{CARD} + {DATA}"),
        ("collection", "How, where and when were the radiographs and reports collected?", None, None),
        ("collection", "Was the collection reviewed by an ethics board, and did patients consent?",
         "Collected under Institutional Review Board (IRB) approval; consent is not described.", CARD),
        ("collection", "Who wrote the reports, and with which guidelines or templates?",
         "Certified radiologists; guidelines and templates are not described.", CARD),
        ("preprocessing", "What cleaning or normalization was applied before release?", None, None),
        ("preprocessing", "What did this analysis clean on loading?",
         f"{facts.cleaned_values:,} values normalized or set missing (sex spellings, ages written as text, "
         f"implausible ages); every change is counted in the data-quality section.", DATA),
        ("uses", "What are the intended uses?",
         "Training and fine-tuning Vietnamese medical VLMs; benchmarking; research on hallucination reduction; "
         "multi-turn clinical dialogue.", CARD),
        ("uses", "What uses should be avoided?", None, None),
        ("distribution", "Under which license is it distributed?",
         f"{published.LICENSE_TEXT} per the card's text" + ("" if facts.license_consistent else
                                                             f"; its YAML metadata says {published.LICENSE_YAML}"),
         CARD),
        ("distribution", "Where is it available?", f"Hugging Face Hub: {published.HUB_ID}.", CARD),
        ("maintenance", "Who maintains the dataset, and how are errors reported or corrected?", None, None),
        ("maintenance", "Will it be updated, and how are versions identified?", None, None),
    ]
    return pd.DataFrame(rows, columns=["section", "question", "answer", "source"])
