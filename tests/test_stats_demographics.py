"""Demographics checked against independent computations (statistics module, numpy, counting by hand)."""
from __future__ import annotations

import json
import math
import statistics

import numpy as np
import pandas as pd
import pytest

from vixray_eda.errors import DataError, ParameterError
from vixray_eda.stats import demographics as dm


@pytest.fixture()
def frame() -> pd.DataFrame:
    ages = [70, 65, 82, np.nan, 39, 90, 55, 71, 68, np.nan, 44, 77]
    sexes = ["M", "F", "M", "F", None, "M", "F", "F", "M", "M", "F", None]
    splits = ["train"] * 6 + ["val"] * 3 + ["test"] * 3
    raw = [str(a) if not math.isnan(a) else "" for a in ages]
    raw[3] = "150"  # implausible, set missing by the loader
    raw[9] = "abc"  # unparseable
    return pd.DataFrame({
        "id": [f"{s}-{i:05d}" for i, s in enumerate(splits)],
        "split": splits,
        "age": pd.Series(ages, dtype="float64"),
        "sex": pd.Series(sexes, dtype="string"),
        "age_raw": raw,
    })


def test_age_band_edges_and_order() -> None:
    bands = dm.age_band([39.9, 40, 49.5, 50, 89.9, 90, 104, np.nan])
    assert list(bands.astype(object).where(bands.notna(), None)) == [
        "<40", "40–49", "40–49", "50–59", "80–89", "≥90", "≥90", None]
    assert bands.cat.ordered and list(bands.cat.categories) == list(dm.AGE_BANDS)


def test_age_summary_matches_statistics_module(frame: pd.DataFrame) -> None:
    out = dm.age_summary(frame)
    assert list(out["split"]) == ["train", "val", "test", "all"]
    for split in ["train", "val", "test", "all"]:
        sel = frame if split == "all" else frame[frame.split == split]
        vals = sel["age"].dropna().tolist()
        row = out.set_index("split").loc[split]
        assert row["n"] == len(vals) and row["missing"] == sel["age"].isna().sum()
        assert row["mean"] == pytest.approx(statistics.fmean(vals))
        assert row["sd"] == pytest.approx(statistics.stdev(vals))
        assert row["median"] == pytest.approx(statistics.median(vals))
        q1, _, q3 = statistics.quantiles(vals, n=4, method="inclusive")
        assert (row["q1"], row["q3"]) == (pytest.approx(q1), pytest.approx(q3))
        assert row["iqr"] == pytest.approx(q3 - q1)
        assert (row["min"], row["max"]) == (min(vals), max(vals))


def test_age_summary_by_split_and_sex_has_all_margins(frame: pd.DataFrame) -> None:
    out = dm.age_summary(frame, by=("split", "sex"))
    cell = out[(out.split == "train") & (out.sex == "M")].iloc[0]
    assert cell["mean"] == pytest.approx(statistics.fmean([70, 82, 90]))
    margin = out[(out.split == "all") & (out.sex == "F")].iloc[0]
    assert margin["n"] == 4 and margin["missing"] == 1  # F ages 65, 55, 71, 44 + one missing
    missing_sex = out[(out.split == "all") & (out.sex == "missing")].iloc[0]
    assert missing_sex["n"] == 2
    assert out.iloc[-1][["split", "sex"]].tolist() == ["all", "all"]
    assert out.iloc[-1]["n"] == frame["age"].notna().sum()


def test_age_summary_degenerate_single_value_and_all_missing() -> None:
    df = pd.DataFrame({"split": ["train", "val"], "age": [50.0, np.nan]})
    out = dm.age_summary(df).set_index("split")
    assert out.loc["train", "n"] == 1 and math.isnan(out.loc["train", "sd"])
    assert out.loc["val", "n"] == 0 and math.isnan(out.loc["val", "mean"])


def test_implausible_ages_flags_raw_values(frame: pd.DataFrame) -> None:
    out = dm.implausible_ages(frame)
    assert out[["id", "age_raw", "reason"]].values.tolist() == [
        ["train-00003", "150", "implausible"], ["test-00009", "abc", "unparseable"]]


def test_sex_counts_and_shares(frame: pd.DataFrame) -> None:
    out = dm.sex_counts(frame)
    train = out[out.split == "train"].set_index("sex")
    assert train["count"].to_dict() == {"M": 3, "F": 2, "missing": 1}
    assert train["share"].sum() == pytest.approx(1.0)
    total = out[out.split == "all"].set_index("sex")["count"]
    assert total.to_dict() == {"M": 5, "F": 5, "missing": 2}
    assert dm.sex_json(dm.sex_counts(frame))["all"] == {"M": 5, "F": 5, "missing": 2}
    assert dm.sex_json(dm.sex_counts(frame))["val"] == {"M": 1, "F": 2, "missing": 0}


def test_age_sex_table_counts(frame: pd.DataFrame) -> None:
    out = dm.age_sex_table(frame)
    assert len(out) == 4 * len(dm.AGE_BANDS) * 2  # train, val, test, all × bands × M/F, zeros included
    allrows = out[out.split == "all"]
    known = frame.dropna(subset=["age", "sex"])
    assert allrows["count"].sum() == len(known)
    f70 = allrows[(allrows.band == "70–79") & (allrows.sex == "F")]["count"].item()
    assert f70 == ((known.sex == "F") & known.age.between(70, 79.999)).sum()


def test_prevalence_by_group_counts_present_findings_once_per_report(frame: pd.DataFrame) -> None:
    mentions = pd.DataFrame([
        (0, "cardiomegaly", "finding", "present"), (0, "cardiomegaly", "finding", "present"),  # twice: counted once
        (1, "cardiomegaly", "finding", "absent"),  # negated: not counted
        (2, "cardiomegaly", "finding", "present"), (2, "heart", "anatomy", "present"),
        (5, "rib_fracture", "finding", "present"),
    ], columns=["doc", "concept", "kind", "assertion"])
    out = dm.prevalence_by_group(frame, mentions, by="sex")
    assert set(out.concept) == {"cardiomegaly", "rib_fracture"}
    male = out[(out.group == "M") & (out.concept == "cardiomegaly")].iloc[0]
    assert (male["reports"], male["n_group"]) == (2, 5) and male["share"] == pytest.approx(0.4)
    female = out[(out.group == "F") & (out.concept == "cardiomegaly")].iloc[0]
    assert female["reports"] == 0 and female["n_group"] == 5
    bands = dm.prevalence_by_group(frame, mentions, by="age_band")
    b90 = bands[(bands.group == "≥90") & (bands.concept == "rib_fracture")].iloc[0]
    assert (b90["reports"], b90["n_group"]) == (1, 1)
    assert "missing" in set(bands.group)
    with pytest.raises(DataError):
        dm.prevalence_by_group(frame, mentions.assign(doc=99), by="sex")
    with pytest.raises(ParameterError):
        dm.prevalence_by_group(frame, mentions, by="view")


def test_published_age_comparison_verdicts() -> None:
    summary = pd.DataFrame({"split": ["train", "val", "test", "all"], "n": [1, 1, 1, 0],
                            "mean": [69.4, 70.8, 60.0, np.nan]})
    out = dm.published_age_comparison(summary).set_index("split")
    assert out.loc["train", "verdict"].startswith("consistent") and out.loc["train", "difference"] == 0
    assert out.loc["val", "verdict"].startswith("close") and out.loc["val", "difference"] == pytest.approx(0.8)
    assert out.loc["test", "verdict"].startswith("differs") and out.loc["test", "difference"] == pytest.approx(-9)
    assert out.loc["all", "verdict"] == "no ages to compare"


def test_age_json_is_rounded_and_json_ready(frame: pd.DataFrame) -> None:
    out = dm.age_json(dm.age_summary(frame))
    assert set(out) == {"train", "val", "test", "all"}
    vals = frame["age"].dropna()
    assert out["all"] == {"n": len(vals), "mean": round(vals.mean(), 4), "sd": round(vals.std(), 4),
                          "median": round(vals.median(), 4)}
    json.dumps(out, allow_nan=False)
    single = dm.age_json(dm.age_summary(pd.DataFrame({"split": ["train"], "age": [np.nan]})))
    assert single["train"] == {"n": 0, "mean": None, "sd": None, "median": None}
