"""`vixray_eda.load` on every source form, with column projection, name matching and one-line errors."""
from __future__ import annotations

import json
import os
import unicodedata

import pandas as pd
import pyarrow.parquet as pq
import pytest

from builders import hf_folder, rows, write_parquet
from range_server import RangeServer
from vixray_eda.data.sources import load, quality_log, split_from_filename
from vixray_eda.errors import DataError, SplitError

CANONICAL = ["id", "split", "findings", "impressions", "age", "sex", "view", "note", "technique", "age_raw", "sex_raw"]


def test_hf_folder_layout(tmp_path):
    df = load(hf_folder(tmp_path))
    assert list(df.columns) == CANONICAL
    assert df.groupby("split", sort=False).size().to_dict() == {"train": 8, "val": 2, "test": 2}
    assert df["id"].iloc[0] == "train-00000" and df["id"].iloc[8] == "val-00000"
    assert set(df["sex"]) == {"M", "F"} and df["age"].dtype == "float64"
    assert df.attrs["synthetic"] is False and df.attrs["source"] == str(tmp_path)


def test_multiple_shards_are_concatenated_in_order(tmp_path):
    write_parquet(tmp_path / "data" / "train-00001-of-00002.parquet", rows(3, start=100))
    write_parquet(tmp_path / "data" / "train-00000-of-00002.parquet", rows(2, start=0))
    df = load(tmp_path)
    assert df["findings"].str.extract(r"Ca số (\d+)")[0].astype(int).tolist() == [0, 1, 100, 101, 102]
    assert df["id"].tolist()[-1] == "train-00004"


def test_split_selection_and_unknown_split(tmp_path):
    hf_folder(tmp_path)
    assert set(load(tmp_path, splits=["val", "test"])["split"]) == {"val", "test"}
    assert set(load(tmp_path, splits="test")["split"]) == {"test"}
    with pytest.raises(SplitError, match=r"unknown split 'validation'; available: train, val, test"):
        load(tmp_path, splits="validation")


@pytest.mark.parametrize("suffix", ["parquet", "csv", "jsonl"])
def test_single_file_with_split_column(tmp_path, suffix):
    data = rows(6)
    data.pop("image")
    frame = pd.DataFrame(data).assign(split=["train"] * 4 + ["test"] * 2)
    path = tmp_path / f"export.{suffix}"
    if suffix == "parquet":
        frame.to_parquet(path)
    elif suffix == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    df = load(path)
    assert df.groupby("split", sort=False).size().to_dict() == {"train": 4, "test": 2}
    assert df["age"].tolist()[:2] == [60.0, 61.0]
    assert df["note"].iloc[0] == "Chụp X-quang ngực thẳng"
    assert load(path, splits="test")["id"].tolist() == ["test-00000", "test-00001"]


def test_single_file_without_split_column(tmp_path):
    data = rows(3)
    data.pop("image")
    pd.DataFrame(data).to_csv(tmp_path / "reports.csv", index=False)
    pd.DataFrame(data).to_csv(tmp_path / "test.csv", index=False)
    assert set(load(tmp_path / "reports.csv")["split"]) == {"unsplit"}
    assert set(load(tmp_path / "test.csv")["split"]) == {"test"}


def test_column_names_matched_after_nfc_and_casefold(tmp_path):
    data = rows(4)
    renamed = {
        "Ages": "ages", "Ghi chú": unicodedata.normalize("NFD", "Ghi chú"),
        "Kỹ thuật": unicodedata.normalize("NFD", "KỸ THUẬT"), "findings": "Findings",
    }
    write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet", {renamed.get(k, k): v for k, v in data.items()})
    df = load(tmp_path)
    assert df["note"].iloc[0] == "Chụp X-quang ngực thẳng" and df["technique"].iloc[0] == "Kỹ thuật số"
    assert df["age"].notna().all()
    renames = quality_log(df).query("check == 'column_renamed'")
    assert sorted(renames["column"]) == ["age", "findings", "note", "technique"]
    assert any("(NFD)" in e[0] for e in renames["examples"])


def test_extra_columns_kept_and_absent_optional_columns_reported(tmp_path):
    data = rows(3)
    data.pop("Ages")
    data["hospital_code"] = ["A", "B", "C"]
    write_parquet(tmp_path / "train.parquet", data)
    df = load(tmp_path / "train.parquet")
    assert df["hospital_code"].tolist() == ["A", "B", "C"]
    assert df["age"].isna().all()
    log = quality_log(df).set_index("check")
    assert log.loc["column_extra", "column"] == "hospital_code"
    assert log.loc["column_absent", "column"] == "age"


def test_messy_values_are_cleaned_and_counted(tmp_path):
    data = rows(6, Ages=["69 tuổi", "70", None, "-1", "999", "71.0"],
                sex=["Nam", " nữ ", "Male", "F", "khác", None])
    write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet", data)
    df = load(tmp_path)
    assert df["age"].tolist()[:2] == [69.0, 70.0] and df["age"].iloc[5] == 71.0 and df["age"].iloc[2:5].isna().all()
    assert df["age_raw"].tolist()[0] == "69 tuổi"
    assert df["sex"].fillna("NA").tolist() == ["M", "F", "M", "F", "NA", "NA"]
    assert df["sex_raw"].tolist()[1] == " nữ "
    counts = dict(zip(quality_log(df)["check"], quality_log(df)["rows"]))
    assert counts["age_implausible"] == 2 and counts["sex_unrecognized"] == 1 and counts["age_missing"] == 1


@pytest.mark.parametrize("make, message", [
    (lambda p: write_parquet(p / "train.parquet", {"text": ["a"], "Ages": [1]}),
     r"train.parquet: missing required column\(s\) findings, impressions; found: text, Ages"),
    (lambda p: (p / "train.parquet").write_bytes(b"not parquet at all"), r"train.parquet: not a readable parquet file"),
    (lambda p: write_parquet(p / "train.parquet", rows(0)), r"the dataset has no rows"),
    (lambda p: (p / "notes.txt").write_text("x"), r"notes.txt: unsupported file type"),
])
def test_clear_one_line_errors(tmp_path, make, message):
    make(tmp_path)
    target = next(tmp_path.iterdir())
    with pytest.raises(DataError, match=message) as info:
        load(target)
    assert "\n" not in str(info.value)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(DataError, match="no such file or folder"):
        load(tmp_path / "nope")
    with pytest.raises(DataError, match="no data files"):
        load(tmp_path)


def _corrupt_column(path, column_name):
    """Overwrite every data page of one column with garbage; returns the number of bytes destroyed."""
    meta = pq.ParquetFile(path).metadata
    raw = bytearray(path.read_bytes())
    destroyed = 0
    for rg in range(meta.num_row_groups):
        for ci in range(meta.num_columns):
            chunk = meta.row_group(rg).column(ci)
            if meta.schema.column(ci).path.split(".")[0] != column_name:
                continue
            start = chunk.dictionary_page_offset or chunk.data_page_offset
            raw[start:start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size
            destroyed += chunk.total_compressed_size
    path.write_bytes(bytes(raw))
    return destroyed


def test_text_load_never_reads_the_image_column(tmp_path):
    path = write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet", rows(30), row_group_size=10)
    assert _corrupt_column(path, "image") > 0
    df = load(tmp_path)  # would fail if any image page were decoded
    assert len(df) == 30 and "image" not in df.columns
    with pytest.raises(DataError, match="parquet data cannot be read"):
        load(tmp_path, images=True)


def test_images_true_adds_the_image_struct(tmp_path):
    df = load(hf_folder(tmp_path), images=True)
    assert list(df.columns)[-1] == "image"
    assert df["image"].iloc[0]["bytes"].startswith(b"\x89PNG")


def test_skip_corrupt_shard_is_counted(tmp_path):
    hf_folder(tmp_path)
    (tmp_path / "data" / "train-00001-of-00002.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(DataError, match=r"train-00001-of-00002.parquet: not a readable parquet file"):
        load(tmp_path)
    df = load(tmp_path, skip_corrupt=True)
    assert len(df) == 12
    skipped = quality_log(df).query("check == 'shard_skipped'")
    assert skipped["examples"].iloc[0] == ["train-00001-of-00002.parquet"]


@pytest.mark.parametrize("name, split", [
    ("train-00000-of-00009.parquet", "train"), ("val-00002-of-00003.parquet", "val"), ("test.csv", "test"),
    ("validation-00000-of-00001-abc.parquet", "validation"),
])
def test_split_from_filename(name, split):
    assert split_from_filename(name) == split


def test_remote_parquet_reads_only_text_column_chunks(tmp_path):
    big = [{"bytes": os.urandom(40_000), "path": f"{i}.png"} for i in range(200)]
    path = write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet", rows(200, image=big), row_group_size=50)
    size = path.stat().st_size
    with RangeServer(tmp_path) as server:
        df = load(f"{server.url}/data/train-00000-of-00001.parquet")
        text_bytes = server.bytes_served
    assert len(df) == 200 and df["split"].iloc[0] == "train"
    assert text_bytes < 0.05 * size, f"fetched {text_bytes} of {size} bytes"
    local = load(tmp_path)
    pd.testing.assert_frame_equal(df.drop(columns="id"), local.drop(columns="id"))


def test_remote_unreachable_is_one_line(tmp_path):
    with pytest.raises(DataError, match=r"127.0.0.1:9/.*(cannot be reached|not a readable)"):
        load("http://127.0.0.1:9/data/train-00000-of-00001.parquet")


def test_metadata_marks_synthetic(tmp_path):
    path = write_parquet(tmp_path / "train.parquet", rows(2))
    table = pq.read_table(path)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"vixray_eda": json.dumps({"synthetic": True}).encode()})
    pq.write_table(table, path)
    assert load(path).attrs["synthetic"] is True


def test_hf_urls_need_the_hub_extra(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "huggingface_hub" else real(name, *a))
    with pytest.raises(DataError, match=r"needs the 'hub' extra"):
        load("hf://datasets/MilitaryHospital175/VNMedical_bv175")
