"""Cleaning of sex and age values: every real-world spelling, every change recorded."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from vixray_eda.data import clean


@pytest.mark.parametrize("raw, expected", [
    ("Nam", "M"), ("nam", "M"), (" Nam ", "M"), ("NAM", "M"), ("M", "M"), ("m", "M"), ("Male", "M"), ("male", "M"),
    ("Nữ", "F"), ("nữ", "F"), ("Nữ", "F"), ("NỮ", "F"), ("F", "F"), ("Female", "F"), ("female ", "F"),
    ("", None), (None, None), (float("nan"), None), ("0", None), ("khác", None), (1, None),
])
def test_sex_labels(raw, expected):
    assert clean.normalize_sex_label(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    (69, 69.0), (69.0, 69.0), ("69", 69.0), ("69 tuổi", 69.0), ("69tuổi", 69.0), ("69,5", 69.5), ("69.5", 69.5),
    (" 70 ", 70.0), ("70y", 70.0), ("-3", -3.0), ("999", 999.0), ("abc", None), ("", None), (None, None),
    (float("nan"), None), (True, None),
])
def test_parse_age(raw, expected):
    assert clean.parse_age(raw) == expected


def test_clean_sex_records_each_kind_of_change():
    raw = pd.Series(["Nam", "M", "Nữ", "?", None, "female"], dtype=object)
    ids = pd.Series([f"train-{i:05d}" for i in range(6)])
    values, records = clean.clean_sex(raw, ids)
    assert list(values.fillna("NA")) == ["M", "M", "F", "NA", "NA", "F"]
    by_check = {r["check"]: r for r in records}
    assert by_check["sex_relabelled"]["rows"] == 3  # Nam, Nữ, female (M is already canonical)
    assert by_check["sex_unrecognized"]["rows"] == 1 and "train-00003" in by_check["sex_unrecognized"]["examples"][0]
    assert by_check["sex_missing"]["rows"] == 1


def test_clean_age_flags_implausible_and_unparseable():
    raw = pd.Series([70, "65 tuổi", "-2", 999, "abc", None, "80"], dtype=object)
    ids = pd.Series([f"val-{i:05d}" for i in range(7)])
    values, records = clean.clean_age(raw, ids)
    assert values.tolist()[:2] == [70.0, 65.0] and values.iloc[6] == 80.0
    assert all(math.isnan(v) for v in values.iloc[2:6])
    by_check = {r["check"]: r["rows"] for r in records}
    assert by_check == {"age_parsed_from_text": 1, "age_unparseable": 1, "age_implausible": 2, "age_missing": 1}


def test_clean_text_counts_missing_and_non_text():
    raw = pd.Series(["Tim to.", None, 42, float("nan")], dtype=object)
    values, records = clean.clean_text(raw, pd.Series(["a", "b", "c", "d"]), "findings")
    assert values.tolist() == ["Tim to.", "", "42", ""]
    assert {r["check"]: r["rows"] for r in records} == {"findings_missing": 2, "findings_not_text": 1}


def test_merge_records_sums_rows_per_check():
    recs = [clean.record("x", "sex", 2, ["a"], "d"), clean.record("x", "sex", 3, ["b"], "d"),
            clean.record("y", "age", 1, [], "d")]
    merged = clean.merge_records(recs)
    assert [(r["check"], r["rows"], r["examples"]) for r in merged] == [("x", 5, ["a", "b"]), ("y", 1, [])]
