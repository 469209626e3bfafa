"""Split-balance tests checked against scipy called directly, plus the degenerate cases."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from vixray_eda.stats import balance as bl


@pytest.fixture()
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    splits = ["train"] * 40 + ["val"] * 20 + ["test"] * 20
    ages = np.concatenate([rng.normal(70, 10, 40), rng.normal(70, 10, 20), rng.normal(40, 5, 20)])
    sexes = (["M", "F"] * 20) + (["M", "F"] * 10) + (["M"] * 18 + ["F", None])
    return pd.DataFrame({"split": splits, "age": ages, "sex": pd.Series(sexes, dtype="string")})


def test_sex_chi_square_matches_scipy(frame: pd.DataFrame) -> None:
    out = bl.sex_balance(frame).iloc[0]
    table = np.array([[20, 20], [10, 10], [18, 1]])
    expected = stats.chi2_contingency(table)
    assert out["statistic"] == pytest.approx(expected.statistic)
    assert out["p_value"] == pytest.approx(expected.pvalue)
    assert out["splits"] == "train, val, test"
    assert out["verdict"].startswith("the splits differ")


def test_age_kruskal_and_pairwise_ks_match_scipy(frame: pd.DataFrame) -> None:
    out = bl.age_balance(frame)
    groups = [frame.loc[frame.split == s, "age"].to_numpy() for s in ("train", "val", "test")]
    kw = out[out.test == "Kruskal–Wallis"].iloc[0]
    assert kw["statistic"] == pytest.approx(stats.kruskal(*groups).statistic)
    ks = out[out.test == "Kolmogorov–Smirnov"].set_index("splits")
    assert list(ks.index) == ["train vs val", "train vs test", "val vs test"]
    expected = stats.ks_2samp(groups[0], groups[1])
    assert ks.loc["train vs val", "statistic"] == pytest.approx(expected.statistic)
    assert ks.loc["train vs val", "p_value"] == pytest.approx(expected.pvalue)
    assert ks.loc["train vs val", "verdict"].startswith("no evidence the splits differ (p=")
    assert ks.loc["train vs test", "verdict"].startswith("the splits differ")


def test_length_balance_per_field_and_unit() -> None:
    lengths = pd.DataFrame({
        "id": range(12), "split": ["train", "val", "test"] * 4,
        "field": ["findings"] * 6 + ["impressions"] * 6, "unit": "words",
        "length": [10, 12, 11, 13, 9, 14, 3, 3, 3, 3, 3, 3],
    })
    out = bl.length_balance(lengths)
    assert set(out.variable) == {"findings length (words)", "impressions length (words)"}
    kw = out[(out.test == "Kruskal–Wallis") & (out.variable == "findings length (words)")].iloc[0]
    assert kw["statistic"] == pytest.approx(stats.kruskal([10, 13], [12, 9], [11, 14]).statistic)
    constant = out[(out.test == "Kruskal–Wallis") & (out.variable == "impressions length (words)")].iloc[0]
    assert constant["verdict"] == "test not run: all values are identical" and math.isnan(constant["statistic"])


def test_finding_jsd_matches_scipy_and_is_zero_for_identical() -> None:
    df = pd.DataFrame({"split": ["train", "train", "val", "val", "test"]})
    mentions = pd.DataFrame([
        (0, "cardiomegaly", "finding", "present"), (1, "cardiomegaly", "finding", "present"),
        (1, "rib_fracture", "finding", "present"), (1, "rib_fracture", "finding", "present"),
        (2, "cardiomegaly", "finding", "present"), (3, "rib_fracture", "finding", "present"),
        (3, "cardiomegaly", "finding", "present"), (4, "pneumothorax", "finding", "present"),
        (4, "cardiomegaly", "finding", "absent"), (4, "heart", "anatomy", "present"),
    ], columns=["doc", "concept", "kind", "assertion"])
    out = bl.finding_balance(df, mentions).set_index("splits")
    assert out.loc["train vs val", "statistic"] == pytest.approx(0.0, abs=1e-12)  # both 2 cardio, 1 rib
    from scipy.spatial.distance import jensenshannon
    expected = jensenshannon([2, 0, 1], [0, 1, 0], base=2) ** 2  # cardio, pneumothorax, rib
    assert out.loc["train vs test", "statistic"] == pytest.approx(expected)
    assert math.isnan(out.loc["train vs test", "p_value"])
    assert out.loc["train vs val", "verdict"].startswith("negligible")
    assert out.loc["train vs test", "verdict"].startswith("large")


def test_degenerate_cases_do_not_crash() -> None:
    one = pd.DataFrame({"split": ["train"] * 3, "age": [60.0, 70.0, 80.0], "sex": ["M", "F", "M"]})
    out = bl.split_balance(one, mentions=pd.DataFrame(columns=["doc", "concept", "kind", "assertion"]))
    assert (out.verdict == "test not run: fewer than two splits").all() and len(out) == 3
    no_ages = pd.DataFrame({"split": ["train", "val"], "age": [np.nan, np.nan], "sex": ["M", "M"]})
    out = bl.split_balance(no_ages)
    assert out.set_index("test").loc["chi-square", "verdict"] == "test not run: every known sex is M"
    assert out.set_index("test").loc["Kruskal–Wallis", "verdict"] == "test not run: fewer than two splits have values"
    assert out.set_index("test").loc["Kolmogorov–Smirnov", "verdict"] == "test not run: no values in train"
    records = bl.balance_records(out)
    assert records[0]["p_value"] is None and records[0]["statistic"] is None
    json.dumps(records, allow_nan=False)


def test_p_verdict_wording() -> None:
    assert bl.p_verdict(0.4321).text("en") == "no evidence the splits differ (p=0.43)"
    assert bl.p_verdict(0.003).text("en") == "the splits differ (p=0.003)"
    assert bl.p_verdict(1e-9).text("en") == "the splits differ (p<0.001)"


def test_verdicts_and_variables_are_phrases_worded_in_each_language() -> None:
    df = pd.DataFrame({"split": ["train"] * 30 + ["test"] * 30, "sex": ["M", "F"] * 30,
                       "age": [float(a) for a in range(60)]})
    lengths = pd.DataFrame({"split": df["split"], "field": "findings", "unit": "words", "length": range(60)})
    out = bl.split_balance(df, lengths)
    assert list(out["verdict"]) == [p.text("en") for p in out["verdict_phrase"]]
    assert "findings length (words)" in set(out["variable"])
    vi = {p.text("vi") for p in out["variable_phrase"]} | {p.text("vi") for p in out["verdict_phrase"]}
    assert "độ dài mô tả (từ)" in vi and any(v.startswith("các tập khác nhau") for v in vi)
    assert list(bl.balance_records(out)[0]) == bl.COLUMNS  # stats.json keeps its English columns only
