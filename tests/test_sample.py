"""The synthetic sample: exact Hub schema and layout, determinism, and report text that looks like ViX-Ray."""
from __future__ import annotations

import hashlib
import io
import json
import math
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from PIL import Image

from vixray_eda.data.sample import (chest_png, old_tone_marks, sample_frame, sample_path, split_sizes,
                                    strip_tone_marks, write_sample)
from vixray_eda.errors import ParameterError

COLUMNS = ["image", "findings", "impressions", "Ages", "sex", "view", "Ghi chú", "Kỹ thuật"]
SPLITS = ("train", "val", "test")

#: Vietnamese surface phrases by which each required concept id (spec/concepts.md) shows up in the reports.
#: Kept here, independent of the generator's grammar and of the package lexicon.
CONCEPT_PHRASES: dict[str, tuple[str, ...]] = {
    # findings
    "cardiomegaly": ("bóng tim to", "chỉ số tim ngực", "ctr"),
    "interstitial_lung_disease": ("tổn thương mô kẽ", "tổn thương phổi kẽ", "bệnh phổi mô kẽ"),
    "fibrosis": ("xơ hóa", "dải xơ", "xơ phổi"),
    "infiltrate": ("thâm nhiễm", "mờ thâm nhiễm"),
    "consolidation": ("đông đặc",),
    "nodule": ("nốt mờ", "tổn thương dạng nốt"),
    "mass": ("khối mờ", "khối u"),
    "rib_fracture": ("gãy xương sườn", "gãy cung sau xương sườn"),
    "aortic_calcification": ("vôi hóa quai động mạch chủ", "calci hóa thành động mạch chủ", "quai đmc có vôi hóa"),
    "aortic_ectasia": ("quai động mạch chủ giãn", "quai đmc vồng", "quai động mạch chủ phình"),
    "pleural_effusion": ("tràn dịch màng phổi",),
    "pneumothorax": ("tràn khí màng phổi",),
    "pleural_thickening": ("dày dính màng phổi",),
    "pneumonia": ("viêm phổi",),
    "tuberculosis": ("lao phổi",),
    "atelectasis": ("xẹp phổi",),
    "emphysema": ("khí phế thũng", "ứ khí"),
    "bronchovascular_markings": ("tăng đậm phế huyết quản", "dày thành phế quản"),
    "pulmonary_edema": ("phù phổi",),
    "hilar_enlargement": ("rốn phổi hai bên đậm", "hai rốn phổi đậm"),
    "bronchiectasis": ("giãn phế quản",),
    "scoliosis": ("vẹo cột sống", "cột sống ngực vẹo"),
    "mediastinal_widening": ("trung thất giãn rộng",),
    "opacity": ("đám mờ",),
    # anatomy
    "heart": ("bóng tim", "tim không to"),
    "lung": ("phế trường", "nhu mô phổi", "hai phổi"),
    "rib": ("xương sườn",),
    "diaphragm": ("vòm hoành", "cơ hoành"),
    "hilum": ("rốn phổi",),
    "costophrenic_angle": ("góc sườn hoành",),
    "mediastinum": ("trung thất",),
    "trachea": ("khí quản",),
    "aorta": ("động mạch chủ", "quai động mạch chủ", "đmc"),
    "pleura": ("màng phổi",),
    "bronchus": ("phế quản",),
    "clavicle": ("xương đòn",),
    "spine": ("cột sống",),
    "soft_tissue": ("phần mềm",),
    "chest_wall": ("thành ngực", "lồng ngực"),
}
REQUIRED_IDS = {
    "cardiomegaly", "interstitial_lung_disease", "fibrosis", "infiltrate", "consolidation", "nodule", "mass",
    "rib_fracture", "aortic_calcification", "aortic_ectasia", "pleural_effusion", "pneumothorax",
    "pleural_thickening", "pneumonia", "tuberculosis", "atelectasis", "emphysema", "bronchovascular_markings",
    "pulmonary_edema", "hilar_enlargement", "bronchiectasis", "scoliosis", "mediastinal_widening", "opacity",
    "heart", "lung", "rib", "diaphragm", "hilum", "costophrenic_angle", "mediastinum", "trachea", "aorta",
    "pleura", "bronchus", "clavicle", "spine", "soft_tissue", "chest_wall",
}


def nfc_lower(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").lower()


def syllables(text: str | None) -> int:
    return sum(1 for t in nfc_lower(text).split() if any(ch.isalnum() for ch in t))


@pytest.fixture(scope="module")
def full() -> pd.DataFrame:
    return sample_frame(5400, seed=0)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("s") / "sample", rows=601, seed=3)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "data").iterdir())}


# ------------------------------------------------------------- layout, schema, determinism

def test_layout_and_schema(written: Path) -> None:
    assert sorted(p.name for p in (written / "data").iterdir()) == [f"{s}-00000-of-00001.parquet" for s in
                                                                    ("test", "train", "val")]
    assert "synthetic" in (written / "README.md").read_text(encoding="utf-8").lower()
    schema = pq.read_schema(written / "data" / "train-00000-of-00001.parquet")
    assert schema.names == COLUMNS
    assert all(unicodedata.is_normalized("NFC", n) for n in schema.names)
    assert schema.field("image").type == pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    assert schema.field("Ages").type == pa.int64()
    assert all(schema.field(c).type == pa.string() for c in COLUMNS[1:] if c != "Ages")
    features = json.loads(schema.metadata[b"huggingface"])["info"]["features"]
    assert list(features) == COLUMNS
    assert features["image"] == {"_type": "Image"}
    assert features["Ages"] == {"dtype": "int64", "_type": "Value"}
    assert features["Kỹ thuật"] == {"dtype": "string", "_type": "Value"}
    assert b"pandas" not in schema.metadata


def test_split_sizes_and_row_groups(written: Path) -> None:
    assert split_sizes(5400) == {"train": 4320, "val": 540, "test": 540}
    for rows in (3, 7, 601, 999, 1234):
        sizes = split_sizes(rows)
        assert sum(sizes.values()) == rows and min(sizes.values()) >= 1
        assert sizes["val"] == sizes["test"] == max(1, round(rows / 10 + 1e-9))
    with pytest.raises(ParameterError):
        split_sizes(2)
    expected = split_sizes(601)
    for split in SPLITS:
        meta = pq.ParquetFile(written / "data" / f"{split}-00000-of-00001.parquet").metadata
        assert meta.num_rows == expected[split]
        assert meta.num_row_groups == math.ceil(expected[split] / 100)
        assert meta.row_group(0).num_rows == min(100, expected[split])


def test_readable_by_pandas_and_arrow_dataset(written: Path) -> None:
    frame = pd.read_parquet(written / "data")
    assert list(frame.columns) == COLUMNS and len(frame) == 601
    assert ds.dataset(written / "data", format="parquet").count_rows() == 601
    text = pd.read_parquet(written / "data", columns=["findings", "Ages"])
    assert text["findings"].str.len().gt(0).all()
    image = frame["image"].iloc[0]
    assert image["path"].endswith(".png")
    decoded = Image.open(io.BytesIO(image["bytes"]))
    assert decoded.format == "PNG" and decoded.mode == "L" and decoded.size == (64, 64)


def test_deterministic_bytes(tmp_path: Path, written: Path) -> None:
    again = write_sample(tmp_path / "again", rows=601, seed=3)
    assert digests(again) == digests(written)
    other = write_sample(tmp_path / "other", rows=601, seed=4)
    assert all(a != b for a, b in zip(digests(other).values(), digests(written).values()))


def test_write_refuses_foreign_folder_and_replaces_old_sample(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(ParameterError):
        write_sample(foreign, rows=30)
    assert (foreign / "notes.txt").read_text() == "keep me"
    out = write_sample(tmp_path / "s", rows=30, seed=1)
    write_sample(out, rows=40, seed=1)
    assert pq.read_metadata(out / "data" / "train-00000-of-00001.parquet").num_rows == split_sizes(40)["train"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign", "s"]  # no temporary folders left


def test_sample_path_builds_once_and_survives_a_race(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIXRAY_EDA_CACHE", str(tmp_path))
    with ThreadPoolExecutor(3) as pool:
        paths = list(pool.map(lambda _: sample_path(rows=120, seed=5), range(3)))
    assert len(set(paths)) == 1
    folder = paths[0]
    assert folder.is_relative_to(tmp_path / "sample") and "120-5" in folder.name
    before = digests(folder)
    stamp = (folder / "data" / "train-00000-of-00001.parquet").stat().st_mtime_ns
    assert sample_path(rows=120, seed=5) == folder
    assert (folder / "data" / "train-00000-of-00001.parquet").stat().st_mtime_ns == stamp
    assert digests(folder) == before
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_bad_parameters() -> None:
    with pytest.raises(ParameterError):
        sample_frame(2)
    with pytest.raises(ParameterError):
        sample_frame(10, image_side=4)


# ------------------------------------------------------------- images

def test_images_are_grayscale_and_heart_follows_ratio() -> None:
    small = Image.open(io.BytesIO(chest_png(0, 7, 32, 0.45)))
    assert small.mode == "L" and small.size == (32, 32)
    normal = np.asarray(Image.open(io.BytesIO(chest_png(0, 7, 128, 0.42))), dtype=float)
    big = np.asarray(Image.open(io.BytesIO(chest_png(0, 7, 128, 0.64))), dtype=float)
    assert (big > 150).sum() > (normal > 150).sum() * 1.2
    assert normal[:, :8].mean() < 40 < normal[40:80, 20:40].mean() + 40  # dark surroundings, body brighter
    assert chest_png(0, 7, 64, 0.5) == chest_png(0, 7, 64, 0.5) != chest_png(0, 8, 64, 0.5)


def test_frame_images_are_distinct_png(full: pd.DataFrame) -> None:
    blobs = full["image"].head(50).map(lambda v: v["bytes"])
    assert blobs.map(lambda b: b[:8] == b"\x89PNG\r\n\x1a\n").all() and blobs.nunique() == 50


# ------------------------------------------------------------- text

def test_every_concept_is_produced(full: pd.DataFrame) -> None:
    assert set(CONCEPT_PHRASES) == REQUIRED_IDS
    corpus = "\n".join(nfc_lower(t) for t in pd.concat([full["findings"], full["impressions"]]))
    missing = {c: p for c, p in CONCEPT_PHRASES.items() if not all(phrase in corpus for phrase in p)}
    assert not missing


def test_report_lengths_match_published_means(full: pd.DataFrame) -> None:
    findings = full["findings"].map(syllables)
    impressions = full["impressions"].map(syllables)
    assert abs(findings.mean() - 46) < 2 and abs(impressions.mean() - 12.5) < 1.5
    for split, part in full.groupby("split"):
        assert abs(findings[part.index].mean() - 46) < 3, split
    by_split = impressions.groupby(full["split"]).mean()
    assert by_split["train"] < by_split["test"] and by_split["train"] < by_split["val"]  # published 12 / 14 / 13
    sentences = full["findings"].map(lambda t: t.count("."))
    assert sentences.min() >= 4
    assert full["impressions"].map(lambda t: t.count(". ") + 1 if t else 0).max() <= 4


def test_realistic_wording(full: pd.DataFrame) -> None:
    text = "\n".join(full["findings"].map(nfc_lower)) + "\n" + "\n".join(full["impressions"].map(nfc_lower))
    for cue in ("nghi ngờ", "theo dõi", "nghĩ đến", "gợi ý", "có thể", "chưa loại trừ",
                "không thấy tràn dịch, tràn khí màng phổi", "tim không to", "đmc", "ctr", "xq",
                "hai bên", "2 bên", "hiện tại chưa phát hiện bất thường trên phim xq ngực thẳng"):
        assert cue in text, cue
    assert re.search(r"0,\d\d", text) and re.search(r"0\.\d\d", text)
    normal = full["findings"].map(nfc_lower).value_counts()
    assert normal.iloc[0] >= 10  # the normal template repeats verbatim


def test_text_quirks(full: pd.DataFrame) -> None:
    raw = pd.concat([full["findings"], full["impressions"]])
    nfd_rows = (full["findings"] != full["findings"].map(lambda t: unicodedata.normalize("NFC", t))).mean()
    assert 0.03 < nfd_rows < 0.08
    nfc = "\n".join(raw.map(nfc_lower))
    assert "hoá" in nfc and "hóa" in nfc and "thuỳ" in nfc and "thùy" in nfc
    assert old_tone_marks("Xơ hóa thùy dưới, xóa góc, hoàn toàn") == "Xơ hoá thuỳ dưới, xoá góc, hoàn toàn"
    assert raw.str.contains("  ", regex=False).any() and raw.str.endswith(" ").any()
    empty = (full["impressions"] == "").mean()
    assert 0.003 < empty < 0.02


def test_impressions_follow_findings(full: pd.DataFrame) -> None:
    rows = full[full["impressions"] != ""]

    def typed(text: str) -> str:  # what survives typos, missing spaces and reports typed without marks
        return strip_tone_marks(nfc_lower(text)).replace(" ", "")

    findings, impressions = rows["findings"].map(typed), rows["impressions"].map(typed)
    for pattern in (r"tim to", r"lao phổi", r"viêm phổi", r"mô kẽ|phổi kẽ", r"trung thất (?:trên )?giãn rộng", r"phù phổi"):
        f, i = findings.str.contains(typed(pattern)), impressions.str.contains(typed(pattern))
        assert f.sum() > 0 and (f == i).all(), pattern
    normal = rows["impressions"].map(nfc_lower).str.contains("chưa phát hiện|chưa thấy bất thường|giới hạn bình thường")
    assert 0.25 < normal.mean() < 0.6


def test_prevalence_ranks_like_the_paper(full: pd.DataFrame) -> None:
    impressions = full["impressions"].map(nfc_lower).map(old_tone_marks)
    counts = {
        name: int(impressions.str.contains(pattern).sum()) for name, pattern in {
            "interstitial_lung_disease": r"mô kẽ|phổi kẽ", "cardiomegaly": r"tim to",
            "infiltrate_consolidation": r"thâm nhiễm|đông đặc", "rib_fracture": r"xương sườn",
            "aortic_calcification": r"vôi hoá|calci hoá", "fibrosis": r"xơ", "effusion": r"tràn dịch",
            "bronchovascular": r"phế huyết quản|dày thành phế quản", "opacity": r"đám mờ", "nodule": r"nốt",
            "hilum": r"rốn phổi",
        }.items()
    }
    ranked = sorted(counts, key=counts.get, reverse=True)
    assert ranked[:2] == ["interstitial_lung_disease", "cardiomegaly"]
    assert set(ranked[:5]) == {"interstitial_lung_disease", "cardiomegaly", "infiltrate_consolidation",
                               "rib_fracture", "aortic_calcification"}


def test_cardiomegaly_rises_with_age(full: pd.DataFrame) -> None:
    big_heart = full["findings"].map(nfc_lower).str.contains("tim to")
    ages = full["Ages"]
    assert big_heart[ages >= 78].mean() > big_heart[ages < 62].mean() * 1.3


# ------------------------------------------------------------- demographics and metadata

def test_ages(full: pd.DataFrame) -> None:
    ages = full["Ages"]
    assert str(ages.dtype) == "Int64"
    assert abs(ages.mean() - 69.5) < 1.5
    assert 18 <= ages.min() and ages.max() <= 100 and ages.std() > 8
    assert 0 < ages.isna().mean() < 0.005
    small = sample_frame(600, seed=11, image_side=16)["Ages"]
    assert abs(small.mean() - 69.5) < 1.5


def test_sex_labels_and_metadata(full: pd.DataFrame) -> None:
    counts = full["sex"].value_counts()
    assert counts.index[:2].tolist() in (["Nam", "Nữ"], ["Nữ", "Nam"])
    assert {"nam", "nữ", "M", "F", " Nam "} <= set(counts.index) and len(counts) >= 8
    female = full["sex"].str.strip().str.lower().isin(["nữ", "f", "female", "nu"]).mean()
    assert 0.35 < female < 0.6
    assert set(full["view"]) == {"PA"}
    assert full["Ghi chú"].str.contains("ngực thẳng").mean() > 0.9
    assert full["Kỹ thuật"].str.contains("DR|kV").mean() > 0.7
    assert full["split"].value_counts().to_dict() == {"train": 4320, "val": 540, "test": 540}
