"""Every number of ``stats.json`` as a mergeable partial result: `chunk_partial` → `merge_partials` → `finish`.

A chunk is any slice of the canonical frame (a row group, a shard, a batch of rows). Its `Partial` holds only
counts: tables of summable counts per key (terms, coverage, consistency, ...), value counts of ages and report
lengths (exact quantiles, since both take few distinct values), PHI and normalization counts, and per distinct
text a 64-bit digest with its count and first row (`stats.digests`) for duplicates, leakage and distinct values.
Merging adds counts, so memory grows with distinct texts, not rows; `finish` computes the tables from the merged
counts with the same functions the whole-frame path uses, so streaming changes no number: `compute_results` is
itself one chunk.

The few values a finished table shows that counts cannot hold (a column's most common value, the ids of leaked
reports) are read back through a `stats.digests.Lookup`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from vixray_eda import published
from vixray_eda.data.clean import cleaning_rank, merge_records
from vixray_eda.data.schema import TEXT_FIELDS, split_order
from vixray_eda.stats import balance, coverage, demographics, lengths, phi, quality, terms
from vixray_eda.stats.counts import sum_by
from vixray_eda.stats.digests import Lookup, merge_digests, positions
from vixray_eda.stats.registry import (StatisticInputs, finish_statistics, merge_statistic_counts,
                                       statistic_counts)
from vixray_eda.text.lexicon import Lexicon
from vixray_eda.text.normalize import STEPS, normalization_audit
from vixray_eda.text.pipeline import FieldAnalysis, analyze_fields

__all__ = ["Partial", "Summary", "chunk_partial", "merge_partials", "loading_log", "finish", "split_sizes",
           "metadata_checks"]

FIELD_ORDER = (*TEXT_FIELDS, "all")


@dataclass
class Partial:
    """The counts of one chunk, or of several merged (see the module's docstring)."""

    rows: dict[str, int]
    columns: list[str]
    ages: pd.DataFrame
    lengths: pd.DataFrame
    terms: pd.DataFrame
    normal: pd.DataFrame
    consistency: pd.DataFrame
    cooc_pairs: dict[tuple[str, str], int]
    cooc_single: dict[str, int]
    coverage: pd.DataFrame
    gaps: pd.DataFrame
    gap_firsts: pd.DataFrame
    normalization: pd.DataFrame
    normalized_texts: int
    column_counts: pd.DataFrame
    column_values: dict[str, pd.DataFrame]
    texts: dict[tuple[str, str], pd.DataFrame]
    phi: pd.DataFrame
    statistics: dict[str, pd.DataFrame]
    #: Lists kept with the index of the chunk they came from, put in chunk order when finished.
    phi_ids: list[tuple[int, str, str, list[str]]] = field(default_factory=list)
    normalization_examples: list[tuple[int, str, str]] = field(default_factory=list)
    log: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)  # (chunk, 0 reading / 1 cleaning, record)


def chunk_partial(chunk: pd.DataFrame, lexicon: Lexicon, index: int = 0, offsets: Mapping[str, int] | None = None,
                  analysis: FieldAnalysis | None = None, mentions: pd.DataFrame | None = None,
                  log: Sequence[tuple[int, dict[str, Any]]] = (), workers: int | None = None) -> Partial:
    """The counts of one chunk of the canonical frame (no image column). `index` orders the chunk among the
    others; `offsets` gives, per split, the rows of that split in earlier chunks (row positions within a split
    order "first seen" across chunks); `analysis` is the chunk's `analyze_fields` when already computed; `log`
    holds the loading records of the chunk's rows, each with its phase (0: reading the file, 1: cleaning values);
    `workers` bounds the text analysis's processes (1 inside a Dask worker, which is already one per core);
    `mentions` is the chunk's `stats.terms.frame_mentions`."""
    df = chunk.drop(columns=["image"], errors="ignore").reset_index(drop=True)
    analysis = analysis if analysis is not None else analyze_fields(df, TEXT_FIELDS, lexicon=lexicon, workers=workers,
                                                                    cache=False)
    splits = df["split"].astype(str).to_numpy(dtype=object)
    pos = positions(splits, dict(offsets or {}))
    if mentions is None:
        mentions = terms.frame_mentions(df, TEXT_FIELDS, lexicon, analysis=analysis)
    pairs, single, _ = terms.cooccurrence_counts(df, TEXT_FIELDS, lexicon, mentions)
    gaps, gap_firsts = coverage.gap_counts(df, analysis, TEXT_FIELDS, lexicon, positions=pos)
    audit = normalization_audit(pd.concat([df["findings"], df["impressions"]], ignore_index=True))
    column_counts, column_values = quality.column_counts(df, splits, pos)
    scan = phi.phi_scan(df)
    return Partial(
        rows={str(k): int(v) for k, v in pd.Series(splits).value_counts().items()},
        columns=[c for c in df.columns],
        ages=demographics.age_counts(df),
        lengths=lengths.length_counts(df, TEXT_FIELDS, analysis=analysis[0]),
        terms=terms.term_counts(mentions),
        normal=terms.normal_counts(df, TEXT_FIELDS, lexicon, mentions),
        consistency=terms.consistency_counts(df, lexicon, mentions),
        cooc_pairs=pairs,
        cooc_single=single,
        coverage=coverage.coverage(df, analysis, TEXT_FIELDS, lexicon),
        gaps=gaps,
        gap_firsts=gap_firsts,
        normalization=audit[["step", "changed"]],
        normalized_texts=int(audit.attrs["texts"]),
        column_counts=column_counts,
        column_values=column_values,
        texts=quality.text_digests(df, splits, pos),
        phi=scan[["kind", "column", "rows"]],
        statistics=statistic_counts(StatisticInputs(df, lexicon, analysis, mentions)),
        phi_ids=[(index, k, c, list(ids)) for k, c, ids in zip(scan["kind"], scan["column"], scan["ids"])],
        normalization_examples=[(index, s, e) for s, e in zip(audit["step"], audit["examples"]) if e],
        log=[(index, phase, dict(r)) for phase, r in log],
    )


def _add(dicts: Iterable[Mapping[Any, int]]) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + int(v)
    return out


def merge_partials(parts: Sequence[Partial]) -> Partial:
    """One partial from several (any grouping and order: every merge is a sum, a minimum or an ordered list)."""
    if len(parts) == 1:
        return parts[0]
    columns = list(dict.fromkeys(c for p in parts for c in p.columns))
    return Partial(
        rows=_add(p.rows for p in parts),
        columns=columns,
        ages=sum_by((p.ages for p in parts), ["split", "sex", "age"]),
        lengths=sum_by((p.lengths for p in parts), ["split", "field", "unit", "length"]),
        terms=sum_by((p.terms for p in parts), ["split", "field", "concept", "kind"]),
        normal=sum_by((p.normal for p in parts), ["split"]),
        consistency=sum_by((p.consistency for p in parts), ["split", "concept"]),
        cooc_pairs=_add(p.cooc_pairs for p in parts),
        cooc_single=_add(p.cooc_single for p in parts),
        coverage=sum_by((p.coverage for p in parts), ["split", "field"]),
        gaps=sum_by((p.gaps for p in parts), ["kind", "text"]),
        gap_firsts=pd.concat([p.gap_firsts for p in parts], ignore_index=True).drop_duplicates(),
        normalization=sum_by((p.normalization for p in parts), ["step"]),
        normalized_texts=sum(p.normalized_texts for p in parts),
        column_counts=sum_by((_with_absent_columns(p, columns) for p in parts), ["column"]),
        column_values={c: merge_digests([p.column_values[c] for p in parts if c in p.column_values])
                       for c in columns if any(c in p.column_values for p in parts)},
        texts={k: merge_digests([p.texts[k] for p in parts]) for k in parts[0].texts},
        phi=sum_by((p.phi for p in parts), ["kind", "column"]),
        statistics=merge_statistic_counts([p.statistics for p in parts]),
        phi_ids=[x for p in parts for x in p.phi_ids],
        normalization_examples=[x for p in parts for x in p.normalization_examples],
        log=[x for p in parts for x in p.log],
    )


def _with_absent_columns(p: Partial, columns: Sequence[str]) -> pd.DataFrame:
    """A partial's column counts with the columns other chunks have and it lacks counted as missing in all its
    rows (as `load` fills a column that only some files have)."""
    n = sum(p.rows.values())
    absent = [c for c in columns if c not in set(p.column_counts["column"])]
    if not absent:
        return p.column_counts
    filler = pd.DataFrame({"column": absent, "rows": n, "missing": n, "empty": 0, "whitespace_only": 0,
                           "placeholder": 0, "filled": 0})
    return pd.concat([p.column_counts, filler[p.column_counts.columns]], ignore_index=True)


@dataclass
class Summary:
    """The finished tables of a partial: everything ``stats.json`` holds, and the card's tables of the same
    names (see `vixray_eda.stats.summary.Results`)."""

    split_sizes: pd.DataFrame
    metadata_checks: pd.DataFrame
    age_counts: pd.DataFrame
    age_summary: pd.DataFrame
    age_by_sex: pd.DataFrame
    sex_counts: pd.DataFrame
    length_counts: pd.DataFrame
    length_summary: pd.DataFrame
    published_lengths: pd.DataFrame
    normalization: pd.DataFrame
    term_table: pd.DataFrame
    normal_share: pd.DataFrame
    consistency: pd.DataFrame
    cooccurrence: pd.DataFrame
    coverage: pd.DataFrame
    lexicon_gaps: pd.DataFrame
    balance: pd.DataFrame
    leakage: list[dict[str, Any]]
    column_checks: pd.DataFrame
    duplicate_rows: pd.DataFrame
    phi_matches: pd.DataFrame
    statistics: dict[str, pd.DataFrame]
    log: list[dict[str, Any]]


def split_sizes(rows: Mapping[str, int]) -> pd.DataFrame:
    """split, rows, share, declared (the published num_examples, when the split was published)."""
    total = sum(rows.values())
    records = [{"split": s, "rows": int(rows[s]), "share": rows[s] / total,
                "declared": published.SPLIT_SIZES.get(s)} for s in split_order(rows)]
    return pd.DataFrame(records, columns=["split", "rows", "share", "declared"])


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


def _ordered(table: pd.DataFrame, splits: Sequence[str]) -> pd.DataFrame:
    """A split × field table in the package's order: splits, then "all"; findings, impressions, then "all"."""
    s_order = {s: i for i, s in enumerate([*splits, "all"])}
    f_order = {f: i for i, f in enumerate(FIELD_ORDER)}
    out = table.assign(_s=table["split"].map(s_order), _f=table["field"].map(f_order))
    return out.sort_values(["_s", "_f"], kind="stable").drop(columns=["_s", "_f"]).reset_index(drop=True)


def _normalization(p: Partial, examples: int = 3) -> pd.DataFrame:
    counts = p.normalization.set_index("step")["changed"]
    shown: dict[str, list[str]] = {}
    for _, step, text in sorted(p.normalization_examples, key=lambda x: x[0]):
        kept = shown.setdefault(step, [])
        for snippet in text.split(" | "):
            if snippet not in kept and len(kept) < examples:
                kept.append(snippet)
    order = [*STEPS, "any"]
    n = p.normalized_texts
    return pd.DataFrame({"step": order, "changed": [int(counts.get(s, 0)) for s in order],
                         "share": [int(counts.get(s, 0)) / n if n else 0.0 for s in order],
                         "examples": [" | ".join(shown.get(s, [])) for s in order]})


def _phi_matches(p: Partial) -> pd.DataFrame:
    ids: dict[tuple[str, str], list[str]] = {}
    for _, kind, column, found in sorted(p.phi_ids, key=lambda x: x[0]):
        ids.setdefault((kind, column), []).extend(found)
    columns = list(dict.fromkeys(p.phi["column"]))
    rows = p.phi.set_index(["kind", "column"])["rows"]
    return pd.DataFrame([{"kind": k, "column": c, "rows": int(rows.get((k, c), 0)), "ids": ids.get((k, c), [])}
                         for k in phi.PHI_KINDS for c in columns], columns=["kind", "column", "rows", "ids"])


def loading_log(p: Partial, source_records: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """The loading log of merged chunks in `load`'s order: the records of reading each file (chunk order), those
    of the source itself (`source_records`), then the cleaning records in the order cleaning emits them."""
    ordered = sorted(p.log, key=lambda x: x[0])
    reading = [r for _, phase, r in ordered if phase == 0]
    cleaning = sorted(merge_records([r for _, phase, r in ordered if phase == 1]), key=cleaning_rank)
    return merge_records([*reading, *source_records, *cleaning])


def finish(p: Partial, lookup: Lookup, *, synthetic: bool = False, log: Sequence[dict[str, Any]] | None = None
           ) -> Summary:
    """The finished tables of `p`. `lookup` reads back the few values the tables show; `log` is the loading log
    (the frame's ``attrs["quality"]``, or `loading_log` of chunks)."""
    splits = split_order(p.rows)
    sizes = split_sizes(p.rows)
    age_summary = demographics.age_summary_from_counts(p.ages, ("split",))
    length_summary = lengths.length_table_from_counts(p.lengths, splits, TEXT_FIELDS)
    term_table = terms.term_table_from_counts(p.terms, dict(p.rows), TEXT_FIELDS)
    findings = p.terms[(p.terms["field"] == "findings") & (p.terms["kind"] == "finding")
                       & (p.terms["split"] != "all") & (p.terms["present"] > 0)]
    present = findings.pivot_table(index="concept", columns="split", values="present", aggfunc="sum", fill_value=0)
    n = sum(p.rows.values())
    return Summary(
        split_sizes=sizes,
        metadata_checks=metadata_checks(sizes, synthetic),
        age_counts=p.ages,
        age_summary=age_summary,
        age_by_sex=demographics.age_summary_from_counts(p.ages, ("split", "sex")),
        sex_counts=demographics.sex_counts_from_counts(p.ages),
        length_counts=p.lengths,
        length_summary=length_summary,
        published_lengths=lengths.published_comparison(length_summary),
        normalization=_normalization(p),
        term_table=term_table,
        normal_share=terms.normal_share_from_counts(p.normal),
        consistency=terms.consistency_from_counts(p.consistency, splits),
        cooccurrence=terms.cooccurrence_from_counts(p.cooc_pairs, p.cooc_single, n),
        coverage=_ordered(p.coverage, splits)[coverage.COVERAGE_COLUMNS],
        lexicon_gaps=coverage.gap_table(p.gaps, p.gap_firsts),
        balance=balance.split_balance_from_counts(p.ages, p.lengths, present, splits, "findings"),
        leakage=quality.cross_split(p.texts[(quality.REPORT, "normalized")], splits, lookup, quality.TEMPLATE_MIN, 5,
                                    "reports"),
        column_checks=quality.column_table(p.column_counts.set_index("column").loc[p.columns].reset_index(),
                                           p.column_values, lookup),
        duplicate_rows=quality.duplicate_table(p.texts, splits),
        phi_matches=_phi_matches(p),
        statistics=finish_statistics(p.statistics),
        log=list(log) if log is not None else loading_log(p),
    )
