"""Column checks, duplicates, templates and leakage: found when injected, not found when absent."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from vixray_eda.stats import quality as q
from vixray_eda.stats.registry import StatisticInputs, compute_statistics


def make(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    splits = [r[0] for r in rows]
    counters: dict[str, int] = {}
    ids = []
    for s in splits:
        ids.append(f"{s}-{counters.get(s, 0):05d}")
        counters[s] = counters.get(s, 0) + 1
    return pd.DataFrame({"id": ids, "split": splits, "findings": [r[1] for r in rows],
                         "impressions": [r[2] for r in rows]})


NORMAL = ("Bóng tim không to. Hai phổi sáng.", "Chưa phát hiện bất thường.")


def test_normalized_key_folds_case_space_punctuation_and_nfd() -> None:
    import unicodedata
    a = q.normalized_key("Bóng tim to.")
    assert a == q.normalized_key("bóng  tim TO") == q.normalized_key(unicodedata.normalize("NFD", "Bóng tim to ;"))
    assert a != q.normalized_key("Bóng tim không to")


def test_column_quality_counts() -> None:
    df = pd.DataFrame({
        "findings": pd.Series(["a", "", "  ", "-", "Không", None, "a"], dtype="string"),
        "view": ["PA"] * 7,
        "age": [1.0, np.nan, 2.0, 2.0, 3.0, 4.0, 5.0],
    })
    out = q.column_quality(df).set_index("column")
    f = out.loc["findings"]
    assert (f["missing"], f["empty"], f["whitespace_only"], f["placeholder"]) == (1, 1, 1, 2)
    assert f["distinct"] == 3 and not f["constant"]  # a, -, Không
    assert f["top_value"] == "a" and f["top_share"] == pytest.approx(2 / 7)
    assert out.loc["view", "constant"] and out.loc["view", "distinct"] == 1
    assert out.loc["age", "missing"] == 1 and out.loc["age", "placeholder"] == 0 and out.loc["age", "distinct"] == 5


def test_duplicates_exact_and_normalized_within_split() -> None:
    df = make([
        ("train", "Bóng tim to.", "Tim to."),
        ("train", "bóng tim  to", "tim to"),      # normalized duplicate only
        ("train", "Bóng tim to.", "Tim to."),     # exact duplicate
        ("train", "", ""),                        # empty: not a duplicate
        ("train", "", ""),
        ("val", "Bóng tim to.", "Khác."),
    ])
    out = q.duplicates(df).set_index(["split", "field", "kind"])
    assert out.loc[("train", "findings", "exact"), "duplicate_rows"] == 1
    assert out.loc[("train", "findings", "normalized"), "duplicate_rows"] == 2
    assert out.loc[("train", "findings", "normalized"), "reports"] == 3
    assert out.loc[("train", "report", "normalized"), "groups"] == 1
    assert out.loc[("val", "findings", "exact"), "duplicate_rows"] == 0
    assert out.loc[("all", "findings", "normalized"), "duplicate_rows"] == 3
    assert out.loc[("all", "report", "normalized"), "duplicate_rows"] == 2  # val's impression differs
    assert out.loc[("train", "findings", "normalized"), "share"] == pytest.approx(2 / 3)


def test_top_templates_ranks_and_shares() -> None:
    rows = [("train", *NORMAL)] * 5 + [("val", *NORMAL)] * 2 + [("test", "Tim to.", "Tim to.")] * 2
    rows += [("train", "Gãy xương sườn 5.", "Gãy xương sườn.")]
    out = q.top_templates(make(rows), "findings", n=2)
    assert out["rank"].tolist() == [1, 2]
    assert out.loc[0, "template"] == NORMAL[0] and out.loc[0, "count"] == 7
    assert out.loc[0, "share"] == pytest.approx(0.7) and out.loc[0, "splits"] == "train 5, val 2"
    assert out.loc[0, "example_id"] == "train-00000"
    assert out.loc[1, "count"] == 2


def test_leakage_found_when_injected_with_template_exclusion() -> None:
    rows = [("train", *NORMAL)] * 5 + [("val", *NORMAL)]                      # template, seen 6 times
    rows += [("train", "Nốt mờ thùy trên phổi phải 12mm.", "Theo dõi u phổi.")]  # unique report ...
    rows += [("test", "nốt mờ thùy trên phổi phải 12mm", "theo dõi u phổi")]    # ... leaked to test (normalized)
    rows += [("val", "Tràn dịch màng phổi trái.", "TDMP trái.")]
    records = q.leakage(make(rows), template_min=5)
    by_pair = {tuple(r["splits"]): r for r in records}
    assert set(by_pair) == {("train", "val"), ("train", "test"), ("val", "test")}
    tv = by_pair[("train", "val")]
    assert tv["reports"] == 1 and tv["non_template_reports"] == 0
    assert tv["rows"] == {"train": 5, "val": 1} and tv["share"]["val"] == pytest.approx(0.5)
    tt = by_pair[("train", "test")]
    assert tt["reports"] == 1 and tt["non_template_reports"] == 1
    assert tt["examples"] == [["train-00005", "test-00000"]]
    assert by_pair[("val", "test")]["reports"] == 0 and by_pair[("val", "test")]["examples"] == []
    json.dumps(records)
    table = q.leakage_table(records)
    assert table["reports"].tolist() == [1, 1, 0]


def test_no_leakage_when_absent() -> None:
    rows = [("train", "Tim to.", "Tim to."), ("val", "Phổi sáng.", "Bình thường."), ("test", "", "")]
    assert all(r["reports"] == 0 for r in q.leakage(make(rows)))


def test_image_leakage_by_bytes_hash() -> None:
    df = make([("train", "a", "a"), ("train", "b", "b"), ("val", "c", "c"), ("test", "d", "d")])
    df["image"] = [{"bytes": b"\x89PNG same", "path": None}, {"bytes": b"other", "path": None},
                   {"bytes": b"\x89PNG same", "path": "x.png"}, None]
    records = {tuple(r["splits"]): r for r in q.image_leakage(df)}
    assert records[("train", "val")]["images"] == 1
    assert records[("train", "val")]["examples"] == [["train-00000", "val-00000"]]
    assert records[("train", "test")]["images"] == 0


def test_quality_log_table() -> None:
    df = pd.DataFrame({"a": [1]})
    df.attrs["quality"] = [{"check": "age_implausible", "column": "age", "rows": 2,
                            "examples": ["train-00001: 150", "val-00002: -3"], "detail": "set missing"}]
    out = q.quality_log_table(df)
    assert out.to_dict("records") == [{"check": "age_implausible", "column": "age", "rows": 2,
                                       "examples": "train-00001: 150; val-00002: -3", "detail": "set missing"}]
    assert q.quality_log_table(pd.DataFrame()).empty


def test_empty_reports_counts_rows_with_neither_findings_nor_impressions():
    df = pd.DataFrame({"split": ["train", "train", "test", "test"], "findings": ["Tim to.", "  ", None, "nan"],
                       "impressions": ["", None, "Bình thường.", ""]})
    counts = q.empty_reports(StatisticInputs(df, None, None, None))
    assert counts.to_dict("records") == [{"split": "test", "reports": 2, "empty": 1},
                                         {"split": "train", "reports": 2, "empty": 1}]
    table = compute_statistics(StatisticInputs(df, None, None, None))["empty_reports"]
    assert table.to_dict("records") == [
        {"split": "train", "reports": 2, "empty": 1, "share": 0.5},
        {"split": "test", "reports": 2, "empty": 1, "share": 0.5},
        {"split": "all", "reports": 4, "empty": 2, "share": 0.5},
    ]
