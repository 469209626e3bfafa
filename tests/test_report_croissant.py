"""croissant.json: valid for mlcroissant, records readable from the files it names, types from the source."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from vixray_eda.data.provenance import source_columns, source_files
from vixray_eda.data.sample import write_sample
from vixray_eda.report.croissant import Feature, croissant_metadata, croissant_type

mlc = pytest.importorskip("mlcroissant")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("croissant") / "ds"
    write_sample(root, rows=60)
    files = {p.name.split("-")[0]: [str(p)] for p in sorted((root / "data").glob("*.parquet"))}
    facts = source_files(files, root=str(root))
    columns = source_columns(pq.read_schema(f) for paths in files.values() for f in paths)
    doc = croissant_metadata(name="ViX-Ray sample", description="Synthetic.", license="cc-by-nc-sa-4.0",
                             files=[f for f in facts], features=[Feature(c.name, croissant_type(c.arrow_type))
                                                                 for c in columns],
                             splits={"train": 48, "val": 6, "test": 6}, url="https://example.org/ds",
                             cite_as="@article{x}", version="1.0.0",
                             rai={"rai:dataLimitations": "Synthetic text."})
    (root / "croissant.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return root, doc


def test_mlcroissant_validates_and_reads_every_split(dataset):
    root, doc = dataset
    ds = mlc.Dataset(jsonld=str(root / "croissant.json"))
    assert "error" not in ds.metadata.issues.report().lower()
    records = list(ds.records(record_set="test"))
    assert len(records) == 6
    first = records[0]
    assert isinstance(first["test/findings"], bytes) and first["test/findings"].decode("utf-8")
    assert isinstance(first["test/Ages"], int)  # int64 in the source, not the cleaned frame's float
    assert "test/Ghi-chu" in first  # a Vietnamese column name gets a readable ASCII id
    assert doc["rai:dataLimitations"] == "Synthetic text."


def test_every_file_has_its_digest_and_the_split_sizes(dataset):
    _, doc = dataset
    files = doc["distribution"]
    assert [f["name"] for f in files] == [f"data/{s}-00000-of-00001.parquet" for s in ("test", "train", "val")]
    assert all(len(f["sha256"]) == 64 and f["encodingFormat"] == "application/x-parquet" for f in files)
    splits = next(r for r in doc["recordSet"] if r["@id"] == "splits")["data"]
    assert {s["splits/name"]: s["splits/examples"] for s in splits} == {"train": 48, "val": 6, "test": 6}


def test_a_file_without_digest_fails_validation_so_the_writer_must_check(dataset):
    _, doc = dataset
    broken = json.loads(json.dumps(doc))
    del broken["distribution"][0]["sha256"]
    with pytest.raises(mlc.ValidationError, match="md5', 'sha256"):
        mlc.Dataset(jsonld=broken)


@pytest.mark.parametrize("arrow, expected", [("string", "sc:Text"), ("int64", "sc:Integer"), ("double", "sc:Float"),
                                             ("struct<bytes: binary, path: string>", "sc:ImageObject"),
                                             ("bool", "sc:Boolean"), ("timestamp[ns]", "sc:Date")])
def test_croissant_types(arrow, expected):
    assert croissant_type(arrow) == expected
