"""Hostile and messy sources at the loader: a clear one-line error, or every oddity counted in the quality log."""
from __future__ import annotations

import unicodedata

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builders import hf_folder, rows, table, write_parquet
from vixray_eda.data.sources import csv_delimiter, load, quality_log
from vixray_eda.errors import DataError


def _log(df: pd.DataFrame) -> dict[str, int]:
    return {f"{r['check']}:{r['column']}": r["rows"] for r in df.attrs["quality"]}


def _text_rows(n: int, **overrides) -> pd.DataFrame:
    data = rows(n, **overrides)
    data.pop("image")
    return pd.DataFrame(data)


def _one_line_error(source, match: str, **kwargs) -> DataError:
    with pytest.raises(DataError, match=match) as info:
        load(source, **kwargs)
    assert "\n" not in str(info.value)
    return info.value


def test_missing_required_column_names_file_and_columns(tmp_path):
    data = rows(2)
    data.pop("impressions")
    write_parquet(tmp_path / "train.parquet", data)
    _one_line_error(tmp_path / "train.parquet", r"train.parquet: missing required column\(s\) impressions; found: image")


def test_extra_columns_kept_and_binary_ones_reported_unread(tmp_path):
    data = rows(3, hospital=["A", "B", "C"], scan=[b"\x00", b"\x01", b"\x02"])
    write_parquet(tmp_path / "train.parquet", data)
    df = load(tmp_path / "train.parquet")
    assert df["hospital"].tolist() == ["A", "B", "C"] and "scan" not in df.columns
    assert _log(df)["column_extra:hospital"] == 3 and _log(df)["column_not_read:scan"] == 3


def test_case_and_nfd_renames_are_matched_and_logged(tmp_path):
    frame = _text_rows(2).rename(columns={"findings": "FINDINGS", "Ghi chú": unicodedata.normalize("NFD", "GHI CHÚ")})
    frame.to_csv(tmp_path / "export.csv", index=False)
    df = load(tmp_path / "export.csv")
    assert df["findings"].str.startswith("Bóng tim").all() and df["note"].iloc[0] == "Chụp X-quang ngực thẳng"
    assert {"column_renamed:findings", "column_renamed:note"} <= set(_log(df))


def test_duplicated_csv_header_is_refused_not_mangled(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("findings,impressions,sex,sex\nBóng tim to,Tim to,Nam,Nữ\n", encoding="utf-8")
    _one_line_error(path, r"export.csv: duplicated column name\(s\) 'sex' in the header")


def test_duplicated_parquet_column_is_refused(tmp_path):
    arrays = [pa.array(["a"]), pa.array(["b"]), pa.array(["c"])]
    pq.write_table(pa.Table.from_arrays(arrays, names=["findings", "impressions", "findings"]), tmp_path / "t.parquet")
    _one_line_error(tmp_path / "t.parquet", r"t.parquet: duplicated column name\(s\) findings")


def test_two_spellings_of_one_column_are_refused(tmp_path):
    frame = _text_rows(2).assign(Findings=["x", "y"])
    frame.to_csv(tmp_path / "export.csv", index=False)
    _one_line_error(tmp_path / "export.csv", r"columns 'findings' and 'Findings' both match the column findings")


def test_hospital_csv_with_semicolons_and_messy_values(tmp_path):
    frame = _text_rows(8, Ages=["69 tuổi", "70,5", "-4", "999", "", "tám mươi", "45.0", "61y"],
                       sex=["0", "1", "NAM", "nữ", "khác", "", "F", "Male"])
    frame.to_csv(tmp_path / "his.csv", index=False, sep=";")
    df = load(tmp_path / "his.csv")
    assert len(df) == 8
    assert df["age"].tolist()[:2] == [69.0, 70.5] and df["age"].iloc[6] == 45.0 and df["age"].iloc[7] == 61.0
    assert df["age"].iloc[2:6].isna().all() and df["age_raw"].iloc[3] == "999"
    assert df["sex"].fillna("-").tolist() == ["-", "-", "M", "F", "-", "-", "F", "M"]
    log = _log(df)
    assert log["age_implausible:age"] == 2 and log["age_unparseable:age"] == 1 and log["age_missing:age"] == 1
    assert log["sex_unrecognized:sex"] == 3 and log["sex_missing:sex"] == 1


@pytest.mark.parametrize("header, delimiter", [
    ("findings,impressions", ","), ("findings;impressions;Ghi chú", ";"), ("findings\timpressions", "\t"),
    ('"a;b",impressions', ","), ("findings", ","),
])
def test_csv_delimiter(header, delimiter):
    assert csv_delimiter(header) == delimiter


def test_non_utf8_csv_is_one_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("findings,impressions\nBóng tim to,Tim to\n".encode("utf-16"))
    _one_line_error(path, r"export.csv: not UTF-8 text \(byte 0: .*re-save it as UTF-8")


def test_typed_oddities_in_parquet(tmp_path):
    write_parquet(tmp_path / "train.parquet", rows(4, Ages=[60.5, -3.0, 999.0, None], sex=[0, 1, 1, 0],
                                                  findings=[1.5, 2.0, None, 3.0]))
    df = load(tmp_path / "train.parquet")
    assert df["age"].tolist()[0] == 60.5 and df["age"].iloc[1:].isna().all()
    assert df["sex"].isna().all() and df["findings"].tolist() == ["1.5", "2.0", "", "3.0"]
    log = _log(df)
    assert log["findings_not_text:findings"] == 3 and log["findings_missing:findings"] == 1
    assert log["age_implausible:age"] == 2 and log["sex_unrecognized:sex"] == 4


def test_empty_dataset_and_empty_split(tmp_path):
    write_parquet(tmp_path / "empty" / "train.parquet", rows(0))
    _one_line_error(tmp_path / "empty", r"the dataset has no rows")
    hf_folder(tmp_path / "hf")
    write_parquet(tmp_path / "hf" / "data" / "val-00000-of-00001.parquet", rows(0))
    df = load(tmp_path / "hf")
    assert set(df["split"]) == {"train", "test"}
    assert _log(df)["split_empty:split"] == 0
    empty = quality_log(df).query("check == 'split_empty'")
    assert empty["examples"].iloc[0] == ["val"] and "no rows" in empty["detail"].iloc[0]


def test_split_only_in_one_file_and_rows_without_split(tmp_path):
    _text_rows(4).assign(split=["train", "train", "test", "test"]).to_csv(tmp_path / "a.csv", index=False)
    _text_rows(3).assign(split=["train", "val", ""]).to_csv(tmp_path / "b.csv", index=False)
    df = load(tmp_path)
    assert df.groupby("split", sort=False).size().to_dict() == {"train": 3, "val": 1, "test": 2, "unsplit": 1}
    assert _log(df)["split_missing:split"] == 1


def test_all_ages_missing_and_all_impressions_empty(tmp_path):
    write_parquet(tmp_path / "train.parquet", rows(5, Ages=[None] * 5, impressions=["", " ", "", "", "\n"]))
    df = load(tmp_path / "train.parquet")
    assert df["age"].isna().all() and len(df) == 5
    assert _log(df)["age_missing:age"] == 5 and _log(df)["impressions_empty:impressions"] == 5


def test_invisible_characters_are_counted_and_kept(tmp_path):
    texts = ["Bóng tim\u200b to.", "\u200fPhổi\u202e sáng", "ctrl\x00\x07", "emoji 😷🫁 ổn", "tab\tvà\ndòng"]
    write_parquet(tmp_path / "train.parquet", rows(5, findings=texts))
    df = load(tmp_path / "train.parquet")
    assert df["findings"].tolist() == texts
    rec = quality_log(df).set_index("check").loc["findings_invisible_characters"]
    assert rec["rows"] == 3 and rec["examples"][0] == "train-00000: U+200B"
    assert rec["examples"][1] == "train-00001: U+200F, U+202E"


def test_truncated_shard_named_then_skipped_and_counted(tmp_path):
    hf_folder(tmp_path)
    good = (tmp_path / "data" / "test-00000-of-00001.parquet").read_bytes()
    (tmp_path / "data" / "test-00001-of-00002.parquet").write_bytes(good[: len(good) // 2])
    _one_line_error(tmp_path, r"test-00001-of-00002.parquet: not a readable parquet file")
    df = load(tmp_path, skip_corrupt=True)
    assert len(df) == 12
    assert quality_log(df).query("check == 'shard_skipped'")["examples"].iloc[0] == ["test-00001-of-00002.parquet"]


def test_skip_corrupt_never_hides_a_schema_error(tmp_path):
    hf_folder(tmp_path)
    pq.write_table(table({"text": ["x"]}), tmp_path / "data" / "train-00001-of-00002.parquet")
    _one_line_error(tmp_path, r"missing required column", skip_corrupt=True)
