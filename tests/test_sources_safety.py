"""Issue 10, items 6-10, 15 and 16 at the loader: no row dropped or misplaced silently, readable odd sources."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builders import hf_folder, rows, write_parquet
from range_server import RangeServer
from vixray_eda.data.sources import load, quality_log, split_from_filename
from vixray_eda.errors import DataError, SplitError
from vixray_eda.report.hf_card import _cleaning_line
from vixray_eda.report.validate import validation_table
from vixray_eda.stats.quality import quality_log_table
from vixray_eda.stats.images import image_stats


def _text(n: int, start: int = 0, **overrides) -> pd.DataFrame:
    data = rows(n, start, **overrides)
    data.pop("image")
    return pd.DataFrame(data)


def _checks(df: pd.DataFrame) -> dict[str, dict]:
    return {f"{r['check']}:{r['column']}": r for r in df.attrs["quality"]}


# ------------------------------------------------------------------ item 6: every layout the Hub accepts

def test_every_hub_layout_in_one_folder_is_read(tmp_path):
    hf_folder(tmp_path, {"train": 10, "val": 5, "test": 5})                          # data/*.parquet: 20
    _text(7, 100).to_csv(tmp_path / "data" / "train-00001-of-00002.csv", index=False)  # csv beside parquet: 7
    _text(4, 200).to_json(tmp_path / "data" / "test-extra.jsonl", orient="records", lines=True,
                          force_ascii=False)                                          # jsonl beside parquet: 4
    write_parquet(tmp_path / "data" / "val" / "part-0.parquet", rows(6, 300))       # data/<split>/: 6
    write_parquet(tmp_path / "train-00000-of-00001.parquet", rows(3, 400))           # next to data/: 3
    df = load(tmp_path)
    assert len(df) == 40
    assert df.groupby("split", sort=False).size().to_dict() == {"train": 20, "val": 11, "test": 9}


def test_files_not_read_are_named_and_are_a_validate_problem(tmp_path):
    hf_folder(tmp_path)
    (tmp_path / "data" / "train-00001-of-00002.arrow").write_bytes(b"arrow")
    write_parquet(tmp_path / "archive" / "old" / "train.parquet", rows(2))
    df = load(tmp_path)
    rec = _checks(df)["file_not_read:*"]
    assert rec["rows"] == 2 and sorted(rec["examples"]) == ["archive/old/train.parquet",
                                                             "data/train-00001-of-00002.arrow"]
    table = validation_table(df)
    assert (table.query("check == 'file_not_read'")["status"] == "problem").all()


# ------------------------------------------------------------------ item 7: every skipped shard counted

def test_every_skipped_shard_is_named_and_unknown_rows_are_said(tmp_path):
    hf_folder(tmp_path)
    good = (tmp_path / "data" / "test-00000-of-00001.parquet").read_bytes()
    (tmp_path / "data" / "test-00001-of-00003.parquet").write_bytes(good[: len(good) // 2])
    (tmp_path / "data" / "test-00002-of-00003.parquet").write_bytes(b"")
    df = load(tmp_path, skip_corrupt=True)
    skipped = quality_log(df).query("check == 'shard_skipped'")
    assert len(skipped) == 2
    assert sorted(e for ex in skipped["examples"] for e in ex) == ["test-00001-of-00003.parquet",
                                                                   "test-00002-of-00003.parquet"]
    assert skipped["detail"].str.contains("rows unknown").all()
    line = _cleaning_line(quality_log_table(df))
    assert "2 unreadable shard(s) skipped" in line and "rows of 2 unknown" in line and "no row dropped" not in line


def test_skipped_shard_with_a_readable_footer_counts_its_rows(tmp_path):
    hf_folder(tmp_path)
    path = write_parquet(tmp_path / "data" / "train-00001-of-00002.parquet", rows(7), row_group_size=7)
    group = pq.ParquetFile(path).metadata.row_group(0)
    chunk = next(group.column(i) for i in range(group.num_columns) if group.column(i).path_in_schema == "findings")
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(path.read_bytes())
    data[start:start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size  # footer intact
    path.write_bytes(bytes(data))
    df = load(tmp_path, skip_corrupt=True)
    rec = quality_log(df).query("check == 'shard_skipped'").iloc[0]
    assert rec["rows"] == 7 and "7 rows dropped" in rec["detail"]


# ------------------------------------------------------------------ item 8: one split-name normalisation

def test_split_column_is_case_folded_and_logged(tmp_path):
    _text(6).assign(split=["train", "Train", "TRAIN", " test", "Test", "test"]).to_csv(tmp_path / "x.csv",
                                                                                       index=False)
    df = load(tmp_path / "x.csv")
    assert df.groupby("split").size().to_dict() == {"test": 3, "train": 3}
    rec = _checks(df)["split_renamed:split"]
    assert rec["rows"] == 4 and "'Train' → 'train'" in rec["examples"]
    assert load(tmp_path / "x.csv", splits=["TEST"])["split"].unique().tolist() == ["test"]


@pytest.mark.parametrize("name, split", [
    ("train-00000-of-00009.parquet", "train"), ("val-00002-of-00003.parquet", "val"), ("test.csv", "test"),
    ("validation-00000-of-00001-abc.parquet", "validation"), ("ViX-Ray_full.parquet", None),
    ("my_train_file.csv", "train"), ("Train.parquet", "train"), ("trainset.csv", None), ("data.csv", None),
    ("pretraining.jsonl", None), ("fold_2-00000-of-00001.parquet", "fold_2"), ("dev-v2.jsonl", "dev"),
])
def test_split_from_file_names_follows_the_hub(name, split):
    assert split_from_filename(name) == split


def test_a_file_name_that_names_no_split_is_unsplit_and_logged(tmp_path):
    write_parquet(tmp_path / "ViX-Ray_full.parquet", rows(3))
    df = load(tmp_path / "ViX-Ray_full.parquet")
    assert df["split"].unique().tolist() == ["unsplit"]
    assert "ViX-Ray_full.parquet" in _checks(df)["file_unsplit:split"]["examples"]


@pytest.mark.parametrize("where", ["column", "file"])
def test_a_split_named_like_the_aggregate_is_refused(tmp_path, where):
    if where == "column":
        _text(2).assign(split=["train", "All"]).to_csv(tmp_path / "x.csv", index=False)
        source = tmp_path / "x.csv"
    else:
        write_parquet(tmp_path / "data" / "all-00000-of-00001.parquet", rows(2))
        source = tmp_path
    with pytest.raises(SplitError, match=r"split named 'all'.*rename"):
        load(source)


# ------------------------------------------------------------------ item 9: image ids are load's row ids

def test_image_ids_from_a_single_file_with_a_split_column_are_loads_ids(tmp_path):
    data = rows(6)
    data["split"] = ["train", "test", "train", "val", "test", "train"]
    path = write_parquet(tmp_path / "all_rows.parquet", data)
    df = load(path)
    stats = image_stats(path)
    assert sorted(stats.images["id"]) == sorted(df["id"])
    by_id = dict(zip(stats.images["id"], stats.images["split"]))
    assert all(by_id[i] == s for i, s in zip(df["id"], df["split"]))
    test = image_stats(path, splits=["test"])
    assert sorted(test.images["id"]) == sorted(df.loc[df["split"] == "test", "id"])


# ------------------------------------------------------------------ item 10 and 15: JSONL

def _jsonl(path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line(**overrides) -> str:
    record = {"findings": "Bóng tim to.", "impressions": "Tim to.", "Ages": 70, "sex": "Nam"} | overrides
    return json.dumps(record, ensure_ascii=True)


def test_lone_surrogates_in_jsonl_are_replaced_and_counted(tmp_path):
    path = _jsonl(tmp_path / "train.jsonl", [_line(), _line(findings="Tim \ud800 to."),
                                             _line(impressions="x\udfff\ud83d")])
    df = load(path)
    assert len(df) == 3 and df["findings"][1] == "Tim \ufffd to."
    assert _checks(df)["surrogate_replaced:findings"]["rows"] == 1
    assert _checks(df)["surrogate_replaced:impressions"]["rows"] == 1


def test_a_bad_jsonl_line_is_located_by_line_number(tmp_path):
    path = _jsonl(tmp_path / "train.jsonl", [_line(), _line(), '{"findings": "x", oops}'])
    with pytest.raises(DataError, match=r"train.jsonl: line 3: not valid JSON"):
        load(path)


def test_a_21_digit_integer_does_not_make_jsonl_unreadable(tmp_path):
    path = _jsonl(tmp_path / "train.jsonl", [_line(), _line(Ages=123456789012345678901, patient=10 ** 20)])
    df = load(path)
    assert len(df) == 2 and pd.isna(df["age"][1])
    assert str(df["patient"][1]) == "100000000000000000000"


# ------------------------------------------------------------------ item 16: odd image columns and servers

@pytest.mark.parametrize("values", [["a.png", "b.png"], [1, 2]])
def test_image_column_of_the_wrong_type_is_in_the_quality_log(tmp_path, values):
    path = tmp_path / "train.parquet"
    pq.write_table(pa.table(rows(2) | {"image": values}), path)
    df = load(path)
    rec = _checks(df)["image_not_image:image"]
    assert rec["rows"] == 2 and "train.parquet" in rec["detail"]


def test_server_without_range_support_is_readable(tmp_path):
    write_parquet(tmp_path / "train-00000-of-00001.parquet", rows(5))
    with RangeServer(tmp_path, ranges=False) as server:
        df = load(f"{server.url}/train-00000-of-00001.parquet")
    assert len(df) == 5 and df["split"][0] == "train"


def test_signed_url_with_a_query_string_is_readable(tmp_path):
    write_parquet(tmp_path / "test-00000-of-00001.parquet", rows(4))
    with RangeServer(tmp_path) as server:
        df = load(f"{server.url}/test-00000-of-00001.parquet?X-Amz-Signature=abc123&X-Amz-Expires=60")
    assert len(df) == 4 and df["split"][0] == "test"
