"""What gets published about a dataset: the synthetic mark survives a written sample, the Hugging Face card's
features, splits and configs describe the source's own files (whatever the analysis selected), in-memory frames and
`datasets` objects load like files, and croissant.json plus stats.json provenance name every file by its digest."""
from __future__ import annotations

import hashlib
import json
import logging
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

import vixray_eda as vx
from vixray_eda.data.sample import write_sample
from vixray_eda.report import hf_card
from vixray_eda.report.card import Card
from vixray_eda.report.outputs import write_outputs
from vixray_eda.report.stats_json import SCHEMA_VERSION
from vixray_eda.stats.summary import compute_results
from vixray_eda.text.lexicon import load_lexicon

from range_server import RangeServer

SPLITS = ("train", "val", "test")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    return write_sample(tmp_path_factory.mktemp("meta") / "ds", rows=60)


def _results(source, **kwargs):
    return compute_results(vx.load(source, splits=kwargs.get("splits")), source=str(source), **kwargs)


def _card_yaml(results) -> dict:
    text = hf_card.render(results, "t", {})
    return yaml.safe_load(text.split("---\n")[1])


def _write(results, out):
    written = write_outputs(results, out, formats=())  # no figure files: this module tests the metadata
    assert not (out / "figures").exists() and all(p.parent == out for p in written)
    return json.loads((out / "stats.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- defect 1: the synthetic mark

def test_written_sample_is_marked_in_every_shard_and_its_readme(sample_dir):
    for split in SPLITS:
        meta = pq.read_schema(sample_dir / "data" / f"{split}-00000-of-00001.parquet").metadata
        assert json.loads(meta[b"vixray_eda"])["synthetic"] is True
    head = yaml.safe_load((sample_dir / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    assert "synthetic" in head["tags"]


def test_synthetic_whatever_the_parquet_form_and_carried_to_every_output(sample_dir, tmp_path):
    copied = tmp_path / "copy.parquet"
    shutil.copy(sample_dir / "data" / "test-00000-of-00001.parquet", copied)
    for source in (sample_dir, sample_dir / "data" / "val-00000-of-00001.parquet", copied):
        assert vx.load(str(source)).attrs["synthetic"] is True, source
    results = _results(str(copied))
    stats = _write(results, tmp_path / "out")
    assert stats["synthetic"] is True  # the batch index tags a report from stats["synthetic"]
    assert "Synthetic data" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in Card(results).html("header")


def test_a_loaded_frame_still_writes_to_parquet(sample_dir, tmp_path):
    vx.load(str(sample_dir)).to_parquet(tmp_path / "copy.parquet")  # pandas writes attrs as JSON


def test_a_csv_export_says_nothing_either_way(sample_dir, tmp_path):
    vx.load(str(sample_dir)).to_csv(tmp_path / "export.csv", index=False)
    assert vx.load(str(tmp_path / "export.csv")).attrs["synthetic"] is False


# ---------------------------------------------------------------- defect 2: feature types from the source

def test_features_come_from_the_source_schema_never_the_cleaned_frame(sample_dir, tmp_path):
    features = {f["name"]: f["dtype"] for f in _card_yaml(_results(str(sample_dir)))["dataset_info"]["features"]}
    assert features["Ages"] == "int64" and features["image"] == "image" and features["Ghi chú"] == "string"
    table = pa.table({"findings": ["Bóng tim to."], "impressions": ["Tim to."], "Ages": [70.5]})
    pq.write_table(table, tmp_path / "train-00000-of-00001.parquet")
    floats = {f["name"]: f["dtype"] for f in _card_yaml(_results(str(tmp_path)))["dataset_info"]["features"]}
    assert floats == {"findings": "string", "impressions": "string", "Ages": "float64"}


def test_hub_feature_metadata_wins_over_the_arrow_type(tmp_path):
    table = pa.table({"findings": ["a"], "impressions": ["b"], "Ages": pa.array([70], pa.int32())})
    meta = {"huggingface": json.dumps({"info": {"features": {"findings": {"dtype": "string", "_type": "Value"},
                                                             "impressions": {"dtype": "string", "_type": "Value"},
                                                             "Ages": {"dtype": "int32", "_type": "Value"}}}})}
    pq.write_table(table.replace_schema_metadata(meta), tmp_path / "test-00000-of-00001.parquet")
    features = {f["name"]: f["dtype"] for f in _card_yaml(_results(str(tmp_path)))["dataset_info"]["features"]}
    assert features["Ages"] == "int32"


def test_jsonl_declares_no_types_and_says_why(tmp_path):
    rows = [{"findings": "Bóng tim to.", "impressions": "Tim to.", "Ages": 70}]
    (tmp_path / "train.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                          encoding="utf-8")
    results = _results(str(tmp_path))
    assert "features" not in _card_yaml(results).get("dataset_info", {})
    assert "Column types are not declared" in hf_card.render(results, "t", {})


# ---------------------------------------------------------------- defects 3, 4, 5: splits and configs

class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_datasets_reads_the_declared_splits(sample_dir, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = tmp_path / "published"
    shutil.copytree(sample_dir / "data", folder / "data")
    (folder / "README.md").write_text(hf_card.render(_results(str(sample_dir)), "t", {}), encoding="utf-8")
    ignored = _Records()
    logging.getLogger("datasets").addHandler(ignored)
    try:
        info = datasets.load_dataset_builder(str(folder)).info
    finally:
        logging.getLogger("datasets").removeHandler(ignored)
    assert not [m for m in ignored.messages if "Ignoring part of dataset_info" in m]  # the YAML form is accepted
    assert {name: s.num_examples for name, s in info.splits.items()} == {"train": 48, "val": 6, "test": 6}
    assert list(info.splits) == list(SPLITS) and str(info.features["Ages"].dtype) == "int64"


def test_written_sample_loads_in_split_order_with_val_kept(sample_dir, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    loaded = datasets.load_dataset(str(sample_dir))
    assert list(loaded) == list(SPLITS) and loaded["val"].num_rows == 6


def test_a_splits_filter_never_rewrites_the_declared_dataset(sample_dir):
    results = _results(str(sample_dir), splits=["train", "test"])
    head = _card_yaml(results)
    assert [s["split"] for s in head["configs"][0]["data_files"]] == list(SPLITS)
    assert [s["name"] for s in head["dataset_info"]["splits"]] == list(SPLITS)
    assert "Analysis scope: the tables below describe the splits train, test" in hf_card.render(results, "t", {})


# ---------------------------------------------------------------- defect 10: frames and datasets objects

def test_dataframe_and_datasets_objects_go_through_the_same_cleaning(sample_dir):
    from_files = vx.load(str(sample_dir))
    frame = pd.concat([pq.read_table(p).to_pandas().assign(split=p.name.split("-")[0])
                       for p in sorted((sample_dir / "data").glob("*.parquet"))], ignore_index=True)
    in_memory = vx.load(frame)
    assert in_memory["findings"].tolist() == from_files.set_index("id").loc[in_memory["id"], "findings"].tolist()
    assert "pandas DataFrame" in in_memory.attrs["source"]
    datasets = pytest.importorskip("datasets")
    shards = {s: str(sample_dir / "data" / f"{s}-00000-of-00001.parquet") for s in ("test", "train", "val")}
    dd = datasets.DatasetDict({s: datasets.Dataset.from_parquet(path) for s, path in shards.items()})
    loaded = vx.load(dd)
    assert loaded["split"].unique().tolist() == list(SPLITS) and len(loaded) == 60
    assert loaded["age"].equals(from_files["age"])
    assert vx.load(dd["val"], splits=None)["findings"].tolist() == from_files.loc[
        from_files["split"] == "val", "findings"].tolist()
    columns = {c["name"]: c["hf_dtype"] for c in loaded.attrs["provenance"]["columns"]}
    assert columns["Ages"] == "int64"


def test_an_unreadable_object_is_one_line_without_its_contents():
    with pytest.raises(vx.DataError, match="cannot read a builtins.list") as info:
        vx.load([{"findings": "x" * 200}])
    assert "x" * 50 not in str(info.value)


# ---------------------------------------------------------------- croissant.json and provenance

def test_croissant_written_with_the_report_and_readable_by_mlcroissant(sample_dir, tmp_path):
    mlc = pytest.importorskip("mlcroissant")
    _write(_results(str(sample_dir)), tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "croissant.json").read_text(encoding="utf-8"))
    assert {k for k in doc if k.startswith("rai:")} == {"rai:dataLimitations", "rai:personalSensitiveInformation",
                                                        "rai:dataBiases", "rai:dataCollection"}
    assert "Synthetic" in doc["rai:dataLimitations"] and "no data was collected" in doc["rai:dataCollection"]
    published = tmp_path / "published"  # croissant.json goes next to the data, like README.md
    shutil.copytree(sample_dir / "data", published / "data")
    shutil.copy(tmp_path / "out" / "croissant.json", published / "croissant.json")
    ds = mlc.Dataset(jsonld=str(published / "croissant.json"))
    assert "error" not in ds.metadata.issues.report().lower()
    records = list(ds.records(record_set="test"))
    assert len(records) == 6 and isinstance(records[0]["test/Ages"], int)


def test_stats_json_names_every_file_by_its_digest(sample_dir, tmp_path):
    stats = _write(_results(str(sample_dir), splits=["val"]), tmp_path / "out")
    assert stats["schema_version"] == SCHEMA_VERSION == "1.2.0"
    p = stats["provenance"]
    files = {f["path"]: f for f in p["files"]}
    assert sorted(files) == [f"data/{s}-00000-of-00001.parquet" for s in ("test", "train", "val")]
    for path, f in files.items():
        data = (sample_dir / path).read_bytes()
        assert f["sha256"] == hashlib.sha256(data).hexdigest() and f["size"] == len(data)
    assert files["data/train-00000-of-00001.parquet"]["rows"] == 48  # read from the footer, split not selected
    lexicon = load_lexicon()
    assert p["lexicon_digest"] == lexicon.version and p["abbreviations_digest"] == lexicon.abbreviations_version
    assert p["revision"] is None and p["croissant_withheld"] is None
    assert {c["name"]: c["hf_dtype"] for c in p["columns"]}["Ages"] == "int64"


def test_no_croissant_when_a_digest_cannot_be_known(sample_dir, tmp_path):
    with RangeServer(sample_dir) as server:
        url = f"{server.url}/data/test-00000-of-00001.parquet?token=secret"
        results = compute_results(vx.load(url), source=url)
    stats = _write(results, tmp_path / "out")
    assert not (tmp_path / "out" / "croissant.json").exists()
    reason = stats["provenance"]["croissant_withheld"]
    assert reason.startswith("croissant.json not written: the sha256 of 1 file(s)") and "secret" not in reason
    shown = (tmp_path / "out" / "README.md").read_text(encoding="utf-8").replace("\\", "")  # Markdown-escaped
    assert reason in shown
    assert "secret" not in json.dumps(stats)
