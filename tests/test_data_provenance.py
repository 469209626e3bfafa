"""Provenance: file digests (local, cached; Hub LFS ids; unknown otherwise) and the source's own column types."""
from __future__ import annotations

import hashlib
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from vixray_eda.cache import cache_dir
from vixray_eda.data.provenance import SourceColumn, file_sha256, hf_dtype, source_columns, source_files
from vixray_eda.data.sample import ARROW_SCHEMA


def test_local_digest_is_sha256_and_cached_by_identity(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "train-00000-of-00001.parquet"
    path.write_bytes(b"x" * 100_000)
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert file_sha256(path) == expected
    entries = list(cache_dir("digests").glob("*.json"))
    assert len(entries) == 1 and json.loads(entries[0].read_text())["sha256"] == expected
    entries[0].write_text(json.dumps({"sha256": "0" * 64}))  # a cached value is used while the file is unchanged
    assert file_sha256(path) == "0" * 64
    path.write_bytes(b"y" * 100_001)  # a changed file is a new key
    assert file_sha256(path) == hashlib.sha256(b"y" * 100_001).hexdigest()
    for entry in cache_dir("digests").glob("*.json"):
        entry.write_text("not json")  # a broken entry is recomputed, never an error
    assert file_sha256(path) == hashlib.sha256(b"y" * 100_001).hexdigest()


class _HubLikeFS:
    """The listing an HfFileSystem gives for LFS files and for a small non-LFS one."""

    def info(self, path):
        if path.endswith("README.md"):
            return {"name": path, "size": 10, "lfs": None}
        if path.endswith("broken.parquet"):
            raise OSError("gone")
        return {"name": path, "size": 1234, "lfs": {"sha256": "a" * 64, "size": 1234}}


def test_remote_digests_come_from_the_listing_never_from_a_download(tmp_path):
    files = {"train": ["datasets/o/r/data/train-0.parquet"], "test": ["datasets/o/r/README.md",
                                                                      "datasets/o/r/broken.parquet"]}
    facts = source_files(files, fs=_HubLikeFS())
    assert [(f.split, f.size, f.sha256) for f in facts] == [("train", 1234, "a" * 64), ("test", 10, None),
                                                           ("test", None, None)]


def test_local_paths_are_relative_to_the_dataset(tmp_path, monkeypatch):
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path / "cache"))
    (tmp_path / "ds" / "data").mkdir(parents=True)
    shard = tmp_path / "ds" / "data" / "val-00000-of-00001.parquet"
    shard.write_bytes(b"PAR1")
    [fact] = source_files({"val": [str(shard)]}, root=str(tmp_path / "ds"))
    assert (fact.path, fact.split, fact.size) == ("data/val-00000-of-00001.parquet", "val", 4)


def test_column_types_come_from_the_schema_and_hub_metadata():
    hub = source_columns([ARROW_SCHEMA])
    by_name = {c.name: c for c in hub}
    assert by_name["Ages"] == SourceColumn("Ages", "int64", "int64")
    assert by_name["image"].hf_dtype == "image" and by_name["Ghi chú"].hf_dtype == "string"
    plain = pa.schema([("findings", pa.string()), ("Ages", pa.float64())])
    other = pa.schema([("findings", pa.string()), ("Ages", pa.int64())])
    cols = {c.name: c for c in source_columns([plain, other])}
    assert cols["Ages"] == SourceColumn("Ages", "double | int64", None)
    assert hf_dtype("double") == "float64" and hf_dtype("struct<bytes: binary, path: string>") == "image"


def test_written_sample_schema_round_trips(tmp_path):
    path = tmp_path / "s.parquet"
    pq.write_table(ARROW_SCHEMA.empty_table(), path)
    assert {c.name: c.hf_dtype for c in source_columns([pq.read_schema(path)])}["Ages"] == "int64"
