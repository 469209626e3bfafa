"""Length tables: units named, per split/field plus "all", statistics right, published comparison."""
from __future__ import annotations

import pandas as pd
import pytest

from vixray_eda.errors import DataError
from vixray_eda.stats.lengths import UNITS, length_table, published_comparison, report_lengths

DF = pd.DataFrame({
    "id": ["a", "b", "c", "d"],
    "split": ["train", "train", "val", "test"],
    "findings": ["Bóng tim to. Vôi hoá quai ĐMC.", "Tim  không to.", "Phổi sáng.", ""],
    "impressions": ["Tim to.", "Bình thường.", "Bình thường.", "Chỉ số tim ngực 0,55."],
})


def test_report_lengths_long_form():
    long = report_lengths(DF)
    assert list(long.columns) == ["id", "split", "field", "unit", "length"]
    assert set(long["unit"]) == set(UNITS)
    get = long.set_index(["id", "field", "unit"])["length"]
    assert get[("a", "findings", "syllables")] == 7
    assert get[("a", "findings", "sentences")] == 2
    assert get[("b", "findings", "chars")] == len("Tim không to.")  # normalized: one space
    assert get[("d", "impressions", "syllables")] == 5  # "0,55" is one syllable
    assert ("d", "findings", "chars") not in get.index  # empty text is not a length


def test_length_table_rows_and_statistics():
    t = length_table(DF)
    assert list(t.columns) == ["split", "field", "unit", "n", "mean", "sd", "median", "p5", "p95", "min", "max"]
    assert list(dict.fromkeys(t["split"])) == ["train", "val", "test", "all"]
    assert len(t) == 4 * 2 * len(UNITS)
    row = t[(t["split"] == "train") & (t["field"] == "findings") & (t["unit"] == "syllables")].iloc[0]
    assert row["n"] == 2 and row["mean"] == pytest.approx(5.0) and row["min"] == 3 and row["max"] == 7
    assert row["sd"] == pytest.approx(pd.Series([7, 3]).std())
    empty = t[(t["split"] == "test") & (t["field"] == "findings")]
    assert (empty["n"] == 0).all() and empty["mean"].isna().all()


def test_published_comparison_names_the_closest_unit():
    t = length_table(DF)
    rows = []
    for split, f, syl in [("train", "findings", 46), ("val", "findings", 45), ("test", "findings", 46),
                          ("train", "impressions", 12), ("val", "impressions", 14), ("test", "impressions", 13)]:
        for unit, mean in [("chars", syl * 4.8), ("syllables", syl + 0.5), ("words", syl * 0.6), ("sentences", 3)]:
            rows.append({"split": split, "field": f, "unit": unit, "mean": mean})
    cmp = published_comparison(pd.DataFrame(rows))
    assert list(cmp.columns) == ["split", "field", "published", *UNITS, "best_unit"]
    assert set(cmp["best_unit"]) == {"syllables"} and cmp.attrs["best_unit"] == "syllables"
    assert len(published_comparison(t)) == 5  # test/findings has no text → no row


def test_missing_column_is_a_data_error():
    with pytest.raises(DataError, match="impressions"):
        length_table(DF.drop(columns="impressions"))
