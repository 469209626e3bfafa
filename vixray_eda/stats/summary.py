"""Every statistic of the dataset card in one pure call: `compute_results(df) -> Results`.

The notebooks, the card renderers, `stats.json` and the paper figures all read this one bundle, so each statistic is
computed once per run. The text analysis is run once here and handed to lengths, terms, vocabulary and balance.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from vixray_eda import published
from vixray_eda.data.provenance import Provenance, with_digests
from vixray_eda.data.schema import CANONICAL_NAME, TEXT_FIELDS, split_order
from vixray_eda.errors import ParameterError
from vixray_eda.redact import redact
from vixray_eda.stats import balance, coverage, demographics, lengths, phi, quality, terms, vocabulary
from vixray_eda.stats import images as image_stats
from vixray_eda.stats.registry import StatisticInputs, compute_statistics
from vixray_eda.text.lexicon import Lexicon, load_lexicon
from vixray_eda.text.normalize import normalization_audit
from vixray_eda.text.pipeline import FieldAnalysis, analyze_fields

_ORIGINAL_NAME = {canon: orig for orig, canon in CANONICAL_NAME.items()}
CLOUD_WORDS = 150  # content words per word cloud


@dataclass
class Vocabulary:
    """Vocabulary statistics: sizes per field and level, top n-grams, repeated/templated report groups
    (`vocabulary.duplicate_table`), word-cloud counts (field → word → count)."""

    summary: pd.DataFrame
    ngrams: pd.DataFrame
    duplicate_groups: pd.DataFrame
    word_counts: dict[str, dict[str, int]]


def vocabulary_results(df: pd.DataFrame, lexicon: Lexicon, top: int = 15, cloud_words: int = CLOUD_WORDS,
                       analysis: FieldAnalysis | None = None) -> Vocabulary:
    """Vocabulary tables (negation kept in n-grams) plus the content words of the word clouds (`cloud_words`).
    `analysis`: `analyze_fields` of `df`."""
    analysis = analysis if analysis is not None else analyze_fields(df, TEXT_FIELDS, lexicon)
    grams = [vocabulary.top_ngrams(df, n, "words", f, top, lexicon=lexicon, analysis=analysis).assign(field=f, n=n)
             for f in TEXT_FIELDS for n in (1, 2, 3)]
    ngrams = pd.concat(grams, ignore_index=True)[["field", "n", "ngram", "count", "share"]]
    ngrams["ngram"] = ngrams["ngram"].str.replace("_", " ", regex=False)
    clouds = {f: vocabulary.cloud_words(df, f, lexicon, cloud_words, analysis=analysis) for f in TEXT_FIELDS}
    return Vocabulary(summary=vocabulary.vocabulary_table(df, TEXT_FIELDS, lexicon, analysis=analysis),
                      ngrams=ngrams, duplicate_groups=vocabulary.duplicate_table(df, TEXT_FIELDS, lexicon=lexicon,
                                                                                 analysis=analysis),
                      word_counts=clouds)


@dataclass
class LengthResults:
    """Report lengths: the normalization audit (texts changed per step), the summary per split, field and unit
    (`stats.lengths.length_table`), one row per report (`report_lengths`) and the comparison with the paper."""

    normalization: pd.DataFrame
    summary: pd.DataFrame
    per_report: pd.DataFrame
    published: pd.DataFrame


@dataclass
class TermResults:
    """Concepts: every mention (`stats.terms.frame_mentions`), the term table, top findings (present / any
    assertion) and anatomy, co-occurring findings, anatomy-finding pairs, findings ↔ impressions consistency and
    the share of normal reports."""

    mentions: pd.DataFrame
    table: pd.DataFrame
    top_findings: pd.DataFrame
    top_findings_any: pd.DataFrame
    top_anatomy: pd.DataFrame
    cooccurrence: pd.DataFrame
    anatomy_finding: pd.DataFrame
    consistency: pd.DataFrame
    normal_share: pd.DataFrame


@dataclass
class DemographicResults:
    """Age summaries (per split, per split and sex, against the paper), implausible ages, sex counts, the age × sex
    table and finding prevalence by age band and by sex."""

    age_summary: pd.DataFrame
    age_by_sex: pd.DataFrame
    age_published: pd.DataFrame
    implausible_ages: pd.DataFrame
    sex_counts: pd.DataFrame
    age_sex: pd.DataFrame
    prevalence_age: pd.DataFrame
    prevalence_sex: pd.DataFrame


@dataclass
class QualityResults:
    """Data quality: the loading log, per-column checks, duplicate rows per split, the most repeated texts per
    field, text leakage between splits (and image leakage when images were read), PHI pattern matches."""

    log: pd.DataFrame
    column_checks: pd.DataFrame
    duplicate_rows: pd.DataFrame
    top_templates: dict[str, pd.DataFrame]
    leakage: list[dict[str, Any]]
    phi_matches: pd.DataFrame
    image_leakage: list[dict[str, Any]] | None = None


@dataclass
class CoverageResults:
    """How much of the text the extractor understood: `table` per split and field (`stats.coverage.coverage`) and
    `gaps`, what the lexicon may be missing (`stats.coverage.lexicon_gaps`; never in the Hugging Face card)."""

    table: pd.DataFrame
    gaps: pd.DataFrame


@dataclass
class ProvenanceResults:
    """Where the data came from and what read it: the source's files (every split, with the sha256 of each local
    file) and column types (`data.provenance.Provenance`), the lexicon's digest (`Lexicon.version`, abbreviation
    rows included) and the abbreviation table's digest."""

    source: Provenance
    lexicon_digest: str
    abbreviations_digest: str


def provenance_results(df: pd.DataFrame, lexicon: Lexicon, source: str) -> ProvenanceResults:
    """`ProvenanceResults` of a frame from `load` (a frame without provenance describes no files)."""
    kept = df.attrs.get("provenance")
    found = (Provenance.from_dict(kept) if isinstance(kept, dict) else
             Provenance(source=source, revision=None, files=(), columns=()))
    return ProvenanceResults(replace(found, files=tuple(with_digests(found.files))), lexicon.version,
                             lexicon.abbreviations_version)


@dataclass
class Results:
    """The tidy results of one dataset (see `compute_results`), grouped by card section. DataFrames unless noted."""

    frame: pd.DataFrame
    source: str
    synthetic: bool
    parameters: dict[str, Any]
    lexicon: Lexicon
    split_sizes: pd.DataFrame
    field_overview: pd.DataFrame
    metadata_checks: pd.DataFrame
    lengths: LengthResults
    vocabulary: Vocabulary
    terms: TermResults
    coverage: CoverageResults
    demographics: DemographicResults
    balance: pd.DataFrame
    quality: QualityResults
    images: Any = None  # ImageStats when images were read
    contact_sheet: pd.DataFrame | None = None
    statistics: dict[str, pd.DataFrame] = field(default_factory=dict)  # registered statistics (stats.registry)
    provenance: ProvenanceResults | None = None  # the source's files, digests and column types


def split_sizes(df: pd.DataFrame) -> pd.DataFrame:
    """split, rows, share, declared (the published num_examples, when the split was published)."""
    order = split_order(df["split"].astype(str).unique())
    counts = df["split"].astype(str).value_counts()
    rows = [{"split": s, "rows": int(counts[s]), "share": counts[s] / len(df),
             "declared": published.SPLIT_SIZES.get(s)} for s in order]
    return pd.DataFrame(rows, columns=["split", "rows", "share", "declared"])


def field_overview(df: pd.DataFrame, examples: int = 2) -> pd.DataFrame:
    """column, source_name, dtype, missing, distinct, examples: one row per schema column of the canonical frame."""
    rows = []
    for column in ("findings", "impressions", "age", "sex", "view", "note", "technique"):
        values = df[column]
        text = values.astype("string").fillna("")
        present = text.str.strip() != ""
        shown = [v for v in text[present].drop_duplicates().head(examples)]
        rows.append({"column": column, "source_name": _ORIGINAL_NAME.get(column, column), "dtype": str(values.dtype),
                     "missing": int((~present).sum()), "distinct": int(text[present].nunique()), "examples": shown})
    return pd.DataFrame(rows, columns=["column", "source_name", "dtype", "missing", "distinct", "examples"])


def metadata_checks(sizes: pd.DataFrame, synthetic: bool) -> pd.DataFrame:
    """Inconsistencies between the published metadata and itself or the data: check, status, detail."""
    rows = [{"check": "license", "status": "mismatch",
             "detail": f"the card's YAML metadata says {published.LICENSE_YAML} while its text says "
                       f"{published.LICENSE_TEXT}; the share-alike (SA) term differs"}]
    for rec in sizes.itertuples():
        if rec.declared is None or pd.isna(rec.declared):
            rows.append({"check": f"split {rec.split}", "status": "not published",
                         "detail": f"{rec.rows} rows; the published card declares no split named {rec.split!r}"})
        elif int(rec.declared) != rec.rows:
            rows.append({"check": f"split {rec.split}", "status": "mismatch",
                         "detail": f"{rec.rows} rows in the data, {int(rec.declared)} declared as num_examples"})
        else:
            rows.append({"check": f"split {rec.split}", "status": "ok", "detail": f"{rec.rows} rows as declared"})
    if synthetic:
        rows.append({"check": "data", "status": "synthetic",
                     "detail": "built from the embedded synthetic sample, not the real ViX-Ray data"})
    return pd.DataFrame(rows, columns=["check", "status", "detail"])


def field_mentions(mentions: pd.DataFrame, field_name: str) -> pd.DataFrame:
    """Mentions of one field in the extract_mentions contract (doc = row position in the frame)."""
    part = mentions[mentions["field"] == field_name]
    return part.rename(columns={"row": "doc"})[["doc", "start", "end", "surface", "concept", "kind", "assertion"]]


def compute_results(
    df: pd.DataFrame,
    lexicon_paths: str | Path | Sequence[str] | None = None,
    top_n: int = 20,
    images: bool = False,
    source: str | None = None,
    splits: Sequence[str] | None = None,
    skip_corrupt: bool = False,
    workers: int | None = None,
) -> Results:
    """Compute every statistic of the card from a frame returned by `vixray_eda.load`.

    `images=True` streams the image column of `source` one row group at a time for image statistics, a contact
    sheet and image leakage. `workers` bounds the text pipeline's processes (default: up to 2). `lexicon_paths` is one
    path or a list of them.
    """
    if isinstance(lexicon_paths, (str, Path)):
        lexicon_paths = [str(lexicon_paths)]
    lexicon = load_lexicon(list(lexicon_paths) if lexicon_paths else None)
    df = df.drop(columns=["image"], errors="ignore")
    analyzed = analyze_fields(df, TEXT_FIELDS, lexicon=lexicon, workers=workers)  # the one text analysis of the run
    table = lengths.length_table(df, TEXT_FIELDS, analysis=analyzed[0])
    long = lengths.report_lengths(df, TEXT_FIELDS, analysis=analyzed[0])
    mentions = terms.frame_mentions(df, TEXT_FIELDS, lexicon, analysis=analyzed)
    findings_mentions = field_mentions(mentions, "findings")
    term_table = terms.term_table(df, mentions, TEXT_FIELDS, lexicon)
    sizes = split_sizes(df)
    synthetic = bool(df.attrs.get("synthetic", False))
    text = pd.concat([df["findings"], df["impressions"]], ignore_index=True)
    age = demographics.age_summary(df, by=("split",))
    results = Results(
        frame=df,
        source=redact(str(df.attrs.get("source") or source or "")),
        synthetic=synthetic,
        parameters={"lexicon_paths": list(lexicon_paths or []), "top_n": top_n, "images": images,
                    "splits": list(splits) if splits else None, "skip_corrupt": skip_corrupt},
        lexicon=lexicon,
        split_sizes=sizes,
        field_overview=field_overview(df),
        metadata_checks=metadata_checks(sizes, synthetic),
        lengths=LengthResults(normalization=normalization_audit(text), summary=table, per_report=long,
                              published=lengths.published_comparison(table)),
        vocabulary=vocabulary_results(df, lexicon, analysis=analyzed),
        terms=TermResults(
            mentions=mentions,
            table=term_table,
            top_findings=terms.top_terms(term_table, "finding", top_n, "present", lexicon=lexicon),
            top_findings_any=terms.top_terms(term_table, "finding", top_n, None, lexicon=lexicon),
            top_anatomy=terms.top_terms(term_table, "anatomy", top_n, None, lexicon=lexicon),
            cooccurrence=terms.cooccurrence(df, TEXT_FIELDS, lexicon=lexicon, mentions=mentions),
            anatomy_finding=terms.anatomy_finding(df, ("findings",), lexicon=lexicon, mentions=mentions),
            consistency=terms.consistency(df, lexicon=lexicon, mentions=mentions),
            normal_share=terms.normal_share(df, TEXT_FIELDS, lexicon=lexicon, mentions=mentions),
        ),
        coverage=CoverageResults(table=coverage.coverage(df, analyzed, TEXT_FIELDS, lexicon),
                                 gaps=coverage.lexicon_gaps(df, analyzed, TEXT_FIELDS, lexicon)),
        demographics=DemographicResults(
            age_summary=age,
            age_by_sex=demographics.age_summary(df, by=("split", "sex")),
            age_published=demographics.published_age_comparison(age),
            implausible_ages=demographics.implausible_ages(df),
            sex_counts=demographics.sex_counts(df),
            age_sex=demographics.age_sex_table(df),
            prevalence_age=demographics.prevalence_by_group(df, findings_mentions, "findings", by="age_band"),
            prevalence_sex=demographics.prevalence_by_group(df, findings_mentions, "findings", by="sex"),
        ),
        balance=balance.split_balance(df, long, findings_mentions, "findings"),
        quality=QualityResults(
            log=quality.quality_log_table(df),
            column_checks=quality.column_quality(df),
            duplicate_rows=quality.duplicates(df),
            top_templates={f: quality.top_templates(df, f, n=10) for f in TEXT_FIELDS},
            leakage=quality.leakage(df),
            phi_matches=phi.phi_scan(df),
        ),
        statistics=compute_statistics(StatisticInputs(df, lexicon, analyzed, mentions)),
    )
    results.provenance = provenance_results(df, lexicon, results.source)
    if images:
        _add_images(results, source, splits, skip_corrupt)
    return results


def _add_images(results: Results, source: str | None, splits: Sequence[str] | None, skip_corrupt: bool) -> None:
    if source is None and not results.synthetic:
        raise ParameterError("compute_results: images=True needs `source` (where the images are read from)")
    src = source if source is not None else "sample"
    results.images = image_stats.image_stats(src, splits=splits, skip_corrupt=skip_corrupt)
    results.quality.image_leakage = quality.image_leakage(results.images.images)
    results.contact_sheet = image_stats.contact_sheet_images(src, n_per_split=8, seed=0, splits=splits,
                                                             skip_corrupt=skip_corrupt)
