"""Messy data through the whole computation: load → compute_results → stats.json never crashes and loses no row."""
from __future__ import annotations

import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import rows, write_parquet
from vixray_eda.data.sources import load
from vixray_eda.report.stats_json import build_stats
from vixray_eda.report.validate import validate, validation_table
from vixray_eda.stats import phi
from vixray_eda.stats.summary import compute_results


def _stats(df: pd.DataFrame) -> dict:
    stats = build_stats(compute_results(df, workers=1))  # build_stats validates against the shipped schema
    assert sum(s["rows"] for s in stats["splits"].values()) == len(df)
    return stats


@pytest.mark.parametrize("overrides", [
    {"Ages": [None] * 6},
    {"impressions": [""] * 6},
    {"findings": [None] * 6, "impressions": [""] * 6},
    {"sex": [None] * 6},
    {"findings": ["<script>alert(1)</script> | a | b", "---\ntitle: x\n---", "**đậm** [l](http://x)",
                  "\u200fRTL\u202e", "ctrl\x00\x1b[31m", "😷🫁"]},
], ids=["no-ages", "no-impressions", "no-text", "no-sex", "hostile-text"])
def test_degenerate_columns_reach_stats_json(tmp_path, overrides):
    write_parquet(tmp_path / "train.parquet", rows(6, **overrides))
    stats = _stats(load(tmp_path / "train.parquet"))
    assert stats["splits"]["train"]["rows"] == 6


def test_single_row_splits_and_empty_split(tmp_path):
    write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet", rows(1))
    write_parquet(tmp_path / "data" / "test-00000-of-00001.parquet", rows(1, start=1))
    write_parquet(tmp_path / "data" / "val-00000-of-00001.parquet", rows(0))
    stats = _stats(load(tmp_path))
    assert set(stats["splits"]) == {"train", "test"}
    assert any(r["check"] == "split_empty" for r in stats["quality"]["log"])


def test_megabyte_report(tmp_path):
    big = "Bóng tim to, chỉ số tim ngực 0,6. Hai phổi có nhiều nốt mờ rải rác. " * 15_000  # ~1 MB
    write_parquet(tmp_path / "train.parquet", rows(3, findings=[big, "Bóng tim không to.", "Phổi sáng."]))
    stats = _stats(load(tmp_path / "train.parquet"))
    chars = next(r for r in stats["lengths"] if r["field"] == "findings" and r["unit"] == "chars"
                 and r["split"] == "train")
    assert chars["max"] == len(big.strip())  # lengths count normalized text (trailing space dropped)


def test_phi_scan_is_linear_on_a_long_unbroken_token():
    """A pasted base64 image or hash in a report: 40k characters without a space must scan in well under a second.

    Fails with the e-mail pattern `[\\w.+-]+@...` of vixray_eda.stats.phi, which backtracks from every start position
    (quadratic: 20k chars 0.7 s, 80k 11 s, a 1 MB token would take hours).
    """
    frame = pd.DataFrame({"id": ["a"], "findings": ["A" * 40_000], "impressions": [""], "note": [""]})
    start = time.perf_counter()
    phi.phi_scan(frame)
    assert time.perf_counter() - start < 0.5


def test_validate_classifies_problems_and_notes(tmp_path):
    write_parquet(tmp_path / "train.parquet", rows(4))
    text, problems = validate(tmp_path / "train.parquet")
    assert not problems and text.endswith("result: clean") and "sex_relabelled" in text
    write_parquet(tmp_path / "messy.parquet", rows(4, Ages=["69 tuổi", "999", None, "70"],
                                                  impressions=["-", "", "Gọi 0912 345 678", "ổn"]))
    df = load(tmp_path / "messy.parquet")
    table = validation_table(df).set_index("check")
    assert table.loc["age_parsed_from_text", "status"] == "note"
    assert set(table.index[table["status"] == "problem"]) == {
        "age_implausible", "age_missing", "impressions_empty", "placeholder_text", "phi_phone"}
    text, problems = validate(tmp_path / "messy.parquet")
    assert problems and text.endswith("result: 5 problem(s) found") and "0912" not in text


def test_sample_validates_with_problems_by_design():
    text, problems = validate("sample")
    assert problems and "impressions_empty" in text and "leakage" in text


# --- fuzz ----------------------------------------------------------------------------------------------------
_WEIRD = st.sampled_from(["\u200b", "\u200f", "\u202e", "\x00", "\x07", "\ufeff", "😷", "🫁", "|", "---", "<b>",
                          "\n", "\t", "không", "chưa", "tràn dịch màng phổi", "bóng tim to", " ", "é", "ư"])
_TEXT = st.one_of(st.none(), st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=True),
                  st.lists(st.one_of(_WEIRD, st.text(max_size=6)), max_size=6).map("".join))
_AGE = st.one_of(st.none(), st.integers(-200, 2000), st.floats(allow_nan=True, allow_infinity=True),
                 st.sampled_from(["69 tuổi", "70,5", "abc", "", " ", "999", "-1", "45y", "NaN", "∞"]),
                 st.text(max_size=5))
_SEX = st.one_of(st.none(), st.integers(0, 2), st.sampled_from(["Nam", "nữ", "M", "f", "Male", "khác", "", "0"]),
                 st.text(max_size=4))
_SPLIT = st.sampled_from(["train", "val", "test", "extra", ""])


@st.composite
def _messy_frames(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 8))
    column = lambda strategy: draw(st.lists(strategy, min_size=n, max_size=n))  # noqa: E731
    return pd.DataFrame({"findings": column(_TEXT), "impressions": column(_TEXT), "Ages": column(_AGE),
                         "sex": column(_SEX), "split": column(_SPLIT)}, dtype=object)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(frame=_messy_frames())
def test_fuzz_messy_values_never_crash_and_keep_every_row(tmp_path, frame):
    path = tmp_path / "fuzz.jsonl"
    frame.to_json(path, orient="records", lines=True, force_ascii=False)
    df = load(path)
    assert len(df) == len(frame)
    assert df["age"].dropna().between(0, 120).all() and set(df["sex"].dropna()) <= {"M", "F"}
    _stats(df)
