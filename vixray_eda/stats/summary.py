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

from vixray_eda.data.provenance import Provenance, with_digests
from vixray_eda.data.schema import CANONICAL_NAME, TEXT_FIELDS
from vixray_eda.errors import ParameterError
from vixray_eda.redact import redact
from vixray_eda.stats import demographics, lengths, quality, terms, vocabulary
from vixray_eda.stats import images as image_stats
from vixray_eda.stats.digests import FrameLookup
from vixray_eda.stats.partials import Summary, chunk_partial, finish
from vixray_eda.text.lexicon import Lexicon, load_lexicon
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
    return provenance_from(df.attrs.get("provenance"), lexicon, source)


def provenance_from(kept: Any, lexicon: Lexicon, source: str) -> ProvenanceResults:
    """`ProvenanceResults` of a `Provenance` kept as a dict (None: no files)."""
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
    summary: Summary | None = None  # every number of stats.json (stats.partials), shared with the tables above


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


def field_mentions(mentions: pd.DataFrame, field_name: str) -> pd.DataFrame:
    """Mentions of one field in the extract_mentions contract (doc = row position in the frame)."""
    part = mentions[mentions["field"] == field_name]
    return part.rename(columns={"row": "doc"})[["doc", "start", "end", "surface", "concept", "kind", "assertion"]]


def run_parameters(lexicon_paths: Sequence[str] | None, top_n: int, images: bool, splits: Sequence[str] | None,
                   skip_corrupt: bool) -> dict[str, Any]:
    """The parameters of a run as `Results.parameters` and stats.json record them."""
    return {"lexicon_paths": list(lexicon_paths or []), "top_n": top_n, "images": images,
            "splits": list(splits) if splits else None, "skip_corrupt": skip_corrupt}


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
    long = lengths.report_lengths(df, TEXT_FIELDS, analysis=analyzed[0])
    mentions = terms.frame_mentions(df, TEXT_FIELDS, lexicon, analysis=analyzed)
    findings_mentions = field_mentions(mentions, "findings")
    synthetic = bool(df.attrs.get("synthetic", False))
    # every number of stats.json: the whole frame as one chunk of the streaming path (stats.partials)
    summary = finish(chunk_partial(df, lexicon, analysis=analyzed, mentions=mentions), FrameLookup(df),
                     synthetic=synthetic, log=df.attrs.get("quality", []) or [])
    term_table = summary.term_table
    results = Results(
        frame=df,
        source=redact(str(df.attrs.get("source") or source or "")),
        synthetic=synthetic,
        parameters=run_parameters(lexicon_paths, top_n, images, splits, skip_corrupt),
        lexicon=lexicon,
        split_sizes=summary.split_sizes,
        field_overview=field_overview(df),
        metadata_checks=summary.metadata_checks,
        lengths=LengthResults(normalization=summary.normalization, summary=summary.length_summary, per_report=long,
                              published=summary.published_lengths),
        vocabulary=vocabulary_results(df, lexicon, analysis=analyzed),
        terms=TermResults(
            mentions=mentions,
            table=term_table,
            top_findings=terms.top_terms(term_table, "finding", top_n, "present", lexicon=lexicon),
            top_findings_any=terms.top_terms(term_table, "finding", top_n, None, lexicon=lexicon),
            top_anatomy=terms.top_terms(term_table, "anatomy", top_n, None, lexicon=lexicon),
            cooccurrence=summary.cooccurrence,
            anatomy_finding=terms.anatomy_finding(df, ("findings",), lexicon=lexicon, mentions=mentions),
            consistency=summary.consistency,
            normal_share=summary.normal_share,
        ),
        coverage=CoverageResults(table=summary.coverage, gaps=summary.lexicon_gaps),
        demographics=DemographicResults(
            age_summary=summary.age_summary,
            age_by_sex=summary.age_by_sex,
            age_published=demographics.published_age_comparison(summary.age_summary),
            implausible_ages=demographics.implausible_ages(df),
            sex_counts=summary.sex_counts,
            age_sex=demographics.age_sex_table(df),
            prevalence_age=demographics.prevalence_by_group(df, findings_mentions, "findings", by="age_band"),
            prevalence_sex=demographics.prevalence_by_group(df, findings_mentions, "findings", by="sex"),
        ),
        balance=summary.balance,
        quality=QualityResults(
            log=quality.log_table(summary.log),
            column_checks=summary.column_checks,
            duplicate_rows=summary.duplicate_rows,
            top_templates={f: quality.top_templates(df, f, n=10) for f in TEXT_FIELDS},
            leakage=summary.leakage,
            phi_matches=summary.phi_matches,
        ),
        statistics=summary.statistics,
        summary=summary,
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
