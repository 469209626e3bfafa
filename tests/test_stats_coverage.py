"""Lexicon coverage and gaps: sentences/reports without a concept, fallback counts, unmatched n-grams."""
from __future__ import annotations

import pandas as pd

import vixray_eda as vx
from vixray_eda.stats.coverage import COVERAGE_COLUMNS, GAP_COLUMNS, coverage, lexicon_gaps
from vixray_eda.text.pipeline import analyze_fields


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "split": ["train", "train", "test", "test"],
        "findings": ["Bóng tim to. Xyz abc.", "Tran dich mang phoi phai.", "", "Lorem ipsum."],
        "impressions": ["Tim to.", "", "Phổi sáng.", ""],
    })


def row(table: pd.DataFrame, split: str, field: str) -> dict:
    return table[(table["split"] == split) & (table["field"] == field)].iloc[0].to_dict()


def test_coverage_counts_sentences_reports_and_fallbacks():
    table = coverage(frame())
    assert list(table.columns) == COVERAGE_COLUMNS
    assert row(table, "train", "findings") == {
        "split": "train", "field": "findings", "sentences": 3, "sentences_without_concept": 1, "reports": 2,
        "reports_without_concept": 0, "fallback_mentions": 2}  # "tran dich mang phoi": effusion + pleura
    assert row(table, "test", "findings")["reports"] == 1  # the empty text is not a report
    assert row(table, "test", "findings")["reports_without_concept"] == 1
    # field "all" counts a row once: test row 2 has a concept in its impression, row 3 none anywhere
    assert row(table, "test", "all")["reports"] == 2 and row(table, "test", "all")["reports_without_concept"] == 1
    total = row(table, "all", "all")
    assert (total["sentences"], total["sentences_without_concept"], total["fallback_mentions"]) == (6, 2, 2)


def test_coverage_reuses_a_given_analysis():
    df = frame()
    analysis = analyze_fields(df, ["findings", "impressions"])
    assert coverage(df, analysis).equals(coverage(df))


def gap_frame(n: int) -> pd.DataFrame:
    texts = [f"Không thấy quux lạ. Phổi phải có đám QZ. Day dinh mang phoi. ca {i}" for i in range(n)]
    return pd.DataFrame({"split": ["train"] * n, "findings": texts, "impressions": [""] * n})


def test_lexicon_gaps_lists_what_the_lexicon_misses():
    gaps = lexicon_gaps(gap_frame(5))
    assert list(gaps.columns) == GAP_COLUMNS
    by_kind = {k: dict(zip(g["text"], g["reports"])) for k, g in gaps.groupby("kind")}
    assert by_kind["unmatched_ngram"]["quux lạ"] == 5  # right after the negation cue
    assert by_kind["possible_abbreviation"] == {"QZ": 5}
    assert by_kind["fallback"]["day dinh mang phoi"] == 5
    assert set(gaps.loc[gaps["kind"] == "fallback", "concept"]) >= {"pleural_thickening"}
    assert vx.lexicon_gaps is lexicon_gaps


def test_lexicon_gaps_needs_five_reports_and_no_phi():
    assert lexicon_gaps(gap_frame(4)).empty
    df = gap_frame(6)
    df["findings"] = [t.replace("Không thấy", "Bệnh nhân Nguyễn Văn An không thấy") for t in df["findings"]]
    gaps = lexicon_gaps(df)
    assert "quux lạ" not in set(gaps["text"])  # the sentence with a name gives no candidates
    assert "QZ" in set(gaps["text"])
