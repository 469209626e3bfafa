"""Image statistics: header facts and intensities against numpy, corrupt images counted, streaming from parquet."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from vixray_eda.errors import DataError
from vixray_eda.stats.images import contact_sheet_images, describe_image, image_stats, image_stats_frame

RNG = np.random.default_rng(7)
GRAY8 = RNG.integers(0, 256, (40, 30), dtype=np.uint8)
GRAY16 = RNG.integers(0, 4096, (20, 50), dtype=np.uint16)


def encode(array: np.ndarray, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, fmt)
    return buf.getvalue()


PNG8, PNG16 = encode(GRAY8), encode(GRAY16)
CORRUPT = {"truncated": PNG8[: len(PNG8) // 2], "not_image": b"this is not an image at all"}


def test_describe_8bit_png_matches_numpy() -> None:
    out = describe_image(PNG8)
    assert (out["status"], out["format"], out["mode"], out["bit_depth"]) == ("ok", "PNG", "L", 8)
    assert (out["width"], out["height"], out["bytes"]) == (30, 40, len(PNG8))
    values = GRAY8 / 255.0
    assert out["mean"] == pytest.approx(values.mean()) and out["std"] == pytest.approx(values.std())
    assert out["p1"] == pytest.approx(np.percentile(values, 1))
    assert out["p99"] == pytest.approx(np.percentile(values, 99))


def test_describe_16bit_png_uses_full_16bit_scale() -> None:
    out = describe_image({"bytes": PNG16, "path": "x.png"})
    assert out["bit_depth"] == 16 and (out["width"], out["height"]) == (50, 20)
    assert out["mean"] == pytest.approx((GRAY16 / 65535.0).mean())


def test_describe_thumbnail_of_large_image_approximates_mean() -> None:
    big = np.full((600, 800), 200, dtype=np.uint8)
    big[:, :400] = 50
    out = describe_image(encode(big, "JPEG"), thumb_size=64)
    assert (out["format"], out["width"], out["height"], out["bit_depth"]) == ("JPEG", 800, 600, 8)
    assert out["mean"] == pytest.approx(125 / 255, abs=0.02)


@pytest.mark.parametrize("data,status", [(CORRUPT["truncated"], "corrupt"), (CORRUPT["not_image"], "corrupt"),
                                         (None, "missing"), ({"bytes": None, "path": "a.png"}, "missing")])
def test_corrupt_and_missing_do_not_crash(data: object, status: str) -> None:
    out = describe_image(data)
    assert out["status"] == status and out["mean"] is None and out["error"]


def write_shards(folder: Path) -> list[Path]:
    """train: 5 rows in 2 row groups incl. 2 corrupt and 1 missing; val: 2 good rows."""
    images = {
        "train": [PNG8, CORRUPT["truncated"], None, PNG16, CORRUPT["not_image"]],
        "val": [PNG16, PNG8],
    }
    paths = []
    for split, values in images.items():
        struct = pa.array([{"bytes": v, "path": None} for v in values],
                          type=pa.struct([("bytes", pa.binary()), ("path", pa.string())]))
        table = pa.table({"image": struct, "findings": ["x"] * len(values)})
        path = folder / f"{split}-00000-of-00001.parquet"
        pq.write_table(table, path, row_group_size=3)
        paths.append(path)
    return paths


def test_image_stats_streams_shards_and_counts_corrupt(tmp_path: Path) -> None:
    paths = write_shards(tmp_path)
    result = image_stats(paths, batch_rows=2)
    images = result.images
    assert images["id"].tolist() == ["train-00000", "train-00001", "train-00002", "train-00003", "train-00004",
                                     "val-00000", "val-00001"]
    assert images["status"].tolist() == ["ok", "corrupt", "missing", "ok", "corrupt", "ok", "ok"]
    assert result.corrupt_ids == ["train-00001", "train-00004"]
    summary = result.summary.set_index("split")
    assert summary.loc["train", ["n", "ok", "corrupt", "missing"]].tolist() == [5, 2, 2, 1]
    assert summary.loc["all", "ok"] == 4
    assert summary.loc["all", "width_max"] == 50 and summary.loc["all", "height_min"] == 20
    counts = result.counts[(result.counts.split == "all") & (result.counts.attribute == "bit_depth")]
    assert dict(zip(counts.value, counts["count"])) == {"8": 3, "16": 2}  # truncated PNG keeps its header
    folder_result = image_stats(tmp_path, splits=["val"])
    assert folder_result.images["id"].tolist() == ["val-00000", "val-00001"]


def test_image_stats_frame_equals_streamed(tmp_path: Path) -> None:
    paths = write_shards(tmp_path)
    frame = pd.concat([pq.read_table(p).to_pandas().assign(split=p.name.split("-")[0]) for p in paths],
                      ignore_index=True)
    frame.insert(0, "id", ["train-00000", "train-00001", "train-00002", "train-00003", "train-00004",
                           "val-00000", "val-00001"])
    from_frame = image_stats_frame(frame).images.drop(columns=["file", "row"])
    streamed = image_stats(paths).images.drop(columns=["file", "row"])
    pd.testing.assert_frame_equal(from_frame, streamed)
    with pytest.raises(DataError):
        image_stats_frame(frame.drop(columns="image"))


def test_contact_sheet_is_reproducible_and_same_for_frame_and_files(tmp_path: Path) -> None:
    paths = write_shards(tmp_path)
    first = contact_sheet_images(paths, n_per_split=2, seed=3, size=16)
    again = contact_sheet_images(paths, n_per_split=2, seed=3, size=16)
    assert first["id"].tolist() == again["id"].tolist()
    assert first.groupby("split").size().to_dict() == {"train": 2, "val": 2}
    for thumb in first["thumbnail"]:
        assert thumb is None or (thumb.dtype == np.uint8 and max(thumb.shape) <= 16)
    frame = pd.concat([pq.read_table(p).to_pandas().assign(split=p.name.split("-")[0]) for p in paths],
                      ignore_index=True)
    frame.insert(0, "id", [f"train-{i:05d}" for i in range(5)] + [f"val-{i:05d}" for i in range(2)])
    from_frame = contact_sheet_images(frame, n_per_split=2, seed=3, size=16)
    assert from_frame["id"].tolist() == first["id"].tolist()
    for a, b in zip(from_frame["thumbnail"], first["thumbnail"]):
        assert (a is None and b is None) or np.array_equal(a, b)
    val16 = contact_sheet_images(paths, n_per_split=5, seed=0, size=64)
    thumb = val16.set_index("id").loc["val-00000", "thumbnail"]
    assert thumb.shape == (20, 50) and thumb.min() == 0 and thumb.max() == 255  # 16-bit stretched to 8-bit


def test_skip_corrupt_and_splits_match_load(tmp_path):
    from builders import hf_folder

    import vixray_eda as vx
    from vixray_eda.errors import DataError
    from vixray_eda.stats.images import contact_sheet_images, image_stats

    folder = hf_folder(tmp_path, {"train": 4, "val": 2, "test": 2})
    (folder / "data" / "train-00001-of-00002.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(DataError, match="train-00001-of-00002.parquet"):
        image_stats(folder)
    stats = image_stats(folder, skip_corrupt=True)
    assert stats.images["id"].tolist() == vx.load(folder, skip_corrupt=True)["id"].tolist()
    sheet = contact_sheet_images(folder, n_per_split=2, splits=["val"], skip_corrupt=True)
    assert set(sheet["split"]) == {"val"}
