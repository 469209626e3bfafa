"""Image statistics with bounded memory: one parquet row group of the image column at a time.

Only the ``image`` column is read (parquet column projection), one row group at a time with ``read_row_group``
(``iter_batches`` was measured to keep the whole file's buffers alive), and turned into Python bytes in batches
of `batch_rows` rows. Each image is described from its header (format, mode, bit depth, width, height;
`PIL.Image.open` does not decode pixels) and from a thumbnail no larger than `thumb_size` pixels (JPEG ``draft``
decodes at reduced scale; other formats are decoded once and reduced). Intensity statistics (mean, std, p1, p99)
are fractions of the full scale of the image's bit depth (0 = black, 1 = white), so 8- and 16-bit images compare.
An image that cannot be read is counted as ``corrupt`` with its row id, a row without bytes as ``missing``;
neither stops the scan.

Row ids are ``<split>-<position in split, 5 digits>``, the ids `vixray_eda.load` gives the same rows: splits come
from a file's split column when it has one, else from its name, and files are read in `load`'s order.
"""
from __future__ import annotations

import hashlib
import io
import re
import warnings
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from vixray_eda.data.schema import canonical_column
from vixray_eda.data.sources import UNSPLIT, group_by_split, open_parquet, resolve_source, row_splits, split_name
from vixray_eda.errors import DataError, ParameterError
from vixray_eda.data.schema import split_order

__all__ = ["ImageStats", "describe_image", "image_stats", "image_stats_frame", "contact_sheet_images"]

IMAGE_COLUMNS = ["id", "split", "file", "row", "status", "error", "format", "mode", "bit_depth", "width",
                 "height", "bytes", "sha256", "mean", "std", "p1", "p99"]
_MODE_BITS = {"1": 1, "L": 8, "LA": 8, "P": 8, "PA": 8, "RGB": 8, "RGBA": 8, "RGBX": 8, "CMYK": 8, "YCbCr": 8,
              "LAB": 8, "HSV": 8, "I;16": 16, "I;16L": 16, "I;16B": 16, "I;16N": 16, "I": 32, "F": 32}
_DEEP_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")
_OBJECT_ADDRESS = re.compile(r"\s*<[^<>]* at 0x[0-9a-fA-F]+>")


@dataclass(frozen=True)
class ImageStats:
    """Per-image rows (`images`, columns `IMAGE_COLUMNS`), a per-split `summary` and value `counts`."""

    images: pd.DataFrame
    summary: pd.DataFrame
    counts: pd.DataFrame

    @property
    def corrupt_ids(self) -> list[str]:
        """Row ids of images that could not be read."""
        return self.images.loc[self.images["status"] == "corrupt", "id"].tolist()


def _image_bytes(value: Any) -> bytes | None:
    data = value.get("bytes") if isinstance(value, dict) else value
    if isinstance(data, (bytes, bytearray, memoryview)) and len(data):
        return bytes(data)
    return None


def _bit_depth(im: Image.Image, data: bytes) -> int | None:
    if im.format == "PNG" and data[12:16] == b"IHDR":
        return int(data[24])
    bits = getattr(im, "bits", None)
    return int(bits) if isinstance(bits, int) else _MODE_BITS.get(im.mode)


def _thumbnail(im: Image.Image, size: int) -> tuple[Image.Image, float]:
    """A grayscale thumbnail (longest side ≤ size) and the full-scale value of its pixel values."""
    im.draft("L", (size, size))
    if im.mode in _DEEP_MODES:
        small = im.convert("I") if im.mode.startswith("I;16") else im
    else:
        small = im.convert("L")
    small.thumbnail((size, size))
    return small, 255.0 if small.mode == "L" else 0.0


def describe_image(data: Any, thumb_size: int = 256) -> dict[str, Any]:
    """Header facts and thumbnail intensity statistics of one image (bytes or a ``{bytes, path}`` dict).

    Keys: status (ok/corrupt/missing), error, format, mode, bit_depth, width, height, bytes, sha256 (of the bytes,
    for cross-split image leakage), mean, std, p1, p99.
    """
    row: dict[str, Any] = dict.fromkeys(IMAGE_COLUMNS[4:])
    raw = _image_bytes(data)
    if raw is None:
        return row | {"status": "missing", "error": "no image bytes"}
    row["bytes"] = len(raw)
    row["sha256"] = hashlib.sha256(raw).hexdigest()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(raw))
            row |= {"format": im.format, "mode": im.mode, "width": im.width, "height": im.height,
                    "bit_depth": _bit_depth(im, raw)}
            small, scale = _thumbnail(im, thumb_size)
            pixels = np.asarray(small, dtype="float64")
    except Exception as exc:  # a corrupt image is a finding, not a crash
        message = _OBJECT_ADDRESS.sub("", f"{type(exc).__name__}: {exc}")  # deterministic text
        return row | {"status": "corrupt", "error": message[:200]}
    if not scale:
        depth = row["bit_depth"] if row["bit_depth"] and row["bit_depth"] <= 16 else 16
        scale = float(2 ** depth - 1) if small.mode != "F" else max(float(pixels.max()), 1.0)
    values = pixels / scale
    p1, p99 = np.percentile(values, [1, 99])
    return row | {"status": "ok", "mean": float(values.mean()), "std": float(values.std()),
                  "p1": float(p1), "p99": float(p99)}


# --- sources ----------------------------------------------------------------------------------------------
def _files_by_split(source: Any, splits: Sequence[str] | None, skip_corrupt: bool = False
                    ) -> tuple[dict[str, list[str]], Any, list[str] | None]:
    """Parquet files per split (from their names), the filesystem and the wanted splits (normalised), choosing
    files as `load` does: with `skip_corrupt`, unreadable shards are left out (so row ids stay the same), else the
    first one is an error naming it."""
    if isinstance(source, (list, tuple)):
        files, fs = group_by_split([str(p) for p in source]), None
    else:
        resolved = resolve_source(source)
        files, fs = resolved.files, resolved.fs
    wanted = None if splits is None else [split_name(s) for s in ([splits] if isinstance(splits, str) else splits)]
    if wanted is not None and UNSPLIT not in files:  # as `load`: files of other splits are not read
        files = {s: files[s] for s in files if s in wanted}
    parquet = {s: [p for p in paths if p.lower().endswith(".parquet") and _readable(p, fs, skip_corrupt)]
               for s, paths in files.items()}
    if not any(parquet.values()):
        raise DataError(f"{source}: no parquet files with images")
    return parquet, fs, wanted


def _readable(path: str, fs: Any, skip_corrupt: bool) -> bool:
    if not skip_corrupt:
        return True
    try:
        _open(path, fs)
    except DataError:
        return False
    return True


def _open(path: str, fs: Any) -> tuple[pq.ParquetFile, str, str | None]:
    """The file, its image column and its split column (None when the file has none)."""
    pf = open_parquet(path, fs)
    names = [n for n in pf.schema_arrow.names if canonical_column(n) == "image"]
    if not names:
        raise DataError(f"{path}: no image column")
    split_columns = [n for n in pf.schema_arrow.names if canonical_column(n) == "split"]
    return pf, names[0], split_columns[0] if split_columns else None


def _row_ids(files: dict[str, list[str]], fs: Any, wanted: list[str] | None
             ) -> Iterator[tuple[str, pq.ParquetFile, str, int, list[tuple[str, int] | None]]]:
    """Per file and row group: (path, file, image column, row group, [(split, position in split) or None when the
    split is not wanted] per row). Splits come from a split column when the file has one, else from the file name;
    positions count rows of each split in reading order: exactly the ids `load` gives."""
    positions: dict[str, int] = {}
    for file_split, paths in files.items():
        for path in paths:
            pf, column, split_column = _open(path, fs)
            for group in range(pf.num_row_groups):
                if split_column is None:
                    splits = [file_split] * pf.metadata.row_group(group).num_rows
                else:
                    values = pf.read_row_group(group, columns=[split_column]).column(0).to_pandas()
                    splits = row_splits(values).tolist()
                rows = []
                for split in splits:
                    rows.append((split, positions.get(split, 0)) if wanted is None or split in wanted else None)
                    positions[split] = positions.get(split, 0) + 1
                yield path, pf, column, group, rows


def _bytes_values(column: pa.Array | pa.ChunkedArray) -> Iterator[bytes | None]:
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        values = chunk.field("bytes") if pa.types.is_struct(chunk.type) else chunk
        for i in range(len(values)):
            yield values[i].as_py() if values[i].is_valid else None


def _iter_rows(files: dict[str, list[str]], fs: Any, batch_rows: int, wanted: list[str] | None
               ) -> Iterator[tuple[str, int, str, int, bytes | None]]:
    """(split, position in split, file name, row in file, image bytes), one batch of one row group at a time."""
    row = {}
    for path, pf, column, group, ids in _row_ids(files, fs, wanted):
        start_row = row.get(path, 0)
        row[path] = start_row + len(ids)
        if not any(ids):
            continue
        # read_row_group keeps memory at one row group; iter_batches was measured to buffer the whole file
        images = pf.read_row_group(group, columns=[column], use_threads=False).column(0)
        for start in range(0, len(images), batch_rows):
            batch = _bytes_values(images.slice(start, batch_rows))
            for offset, data in enumerate(batch, start=start):
                if ids[offset] is not None:
                    yield ids[offset][0], ids[offset][1], Path(path).name, start_row + offset, data
        del images  # before reading the next row group: never two alive at once


def _summarize(images: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, counts = [], []
    for split in [*split_order(images["split"]), "all"]:
        part = images if split == "all" else images[images["split"] == split]
        ok = part[part["status"] == "ok"]
        sizes = pd.to_numeric(part["bytes"], errors="coerce")
        means = pd.to_numeric(ok["mean"], errors="coerce")
        rows.append({
            "split": split, "n": len(part), "ok": len(ok), "corrupt": int((part["status"] == "corrupt").sum()),
            "missing": int((part["status"] == "missing").sum()),
            "width_median": ok["width"].median(), "width_min": ok["width"].min(), "width_max": ok["width"].max(),
            "height_median": ok["height"].median(), "height_min": ok["height"].min(),
            "height_max": ok["height"].max(), "megabytes_mean": sizes.mean() / 1e6,
            "megabytes_total": sizes.sum() / 1e6, "intensity_mean": means.mean(),
            "intensity_sd": means.std(ddof=1) if len(means) > 1 else np.nan,
        })
        for attribute in ("format", "mode", "bit_depth"):
            values = part[attribute].dropna().astype(str).value_counts()
            for value in sorted(values.index, key=lambda v: (-values[v], v)):
                counts.append({"split": split, "attribute": attribute, "value": value, "count": int(values[value])})
    return pd.DataFrame(rows), pd.DataFrame(counts, columns=["split", "attribute", "value", "count"])


def _result(records: list[dict[str, Any]]) -> ImageStats:
    images = pd.DataFrame(records, columns=IMAGE_COLUMNS)
    for col in ("bit_depth", "width", "height", "bytes"):
        images[col] = images[col].astype("Int64")
    summary, counts = _summarize(images)
    return ImageStats(images, summary, counts)


def image_stats(source: str | Path | Sequence[str | Path] = "sample", splits: Sequence[str] | None = None,
                thumb_size: int = 256, batch_rows: int = 16, skip_corrupt: bool = False) -> ImageStats:
    """Stream the image column of parquet shards (a source as for `load`, or a list of parquet files).

    Memory holds one row group of the image column, `batch_rows` images as Python bytes and one decoded image.
    `skip_corrupt` leaves out unreadable shards, as `load(..., skip_corrupt=True)` does.
    """
    if batch_rows < 1 or thumb_size < 8:
        raise ParameterError("image_stats: batch_rows must be ≥ 1 and thumb_size ≥ 8")
    files, fs, wanted = _files_by_split(source, splits, skip_corrupt)
    records = [{"id": f"{split}-{pos:05d}", "split": split, "file": name, "row": row,
                **describe_image(data, thumb_size)}
               for split, pos, name, row, data in _iter_rows(files, fs, batch_rows, wanted)]
    return _result(records)


def image_stats_frame(df: pd.DataFrame, thumb_size: int = 256) -> ImageStats:
    """`image_stats` for a frame that already holds the ``image`` column (e.g. ``load(..., images=True)``)."""
    if "image" not in df.columns:
        raise DataError("image_stats_frame: the frame has no image column (load with images=True)")
    ids = df["id"].astype(str) if "id" in df.columns else pd.Series(df.index.astype(str), index=df.index)
    splits = df["split"].astype(str) if "split" in df.columns else pd.Series(UNSPLIT, index=df.index)
    records = [{"id": i, "split": s, "file": None, "row": row, **describe_image(value, thumb_size)}
               for row, (i, s, value) in enumerate(zip(ids, splits, df["image"]))]
    return _result(records)


# --- contact sheet ----------------------------------------------------------------------------------------
def _choose(split: str, count: int, n: int, seed: int) -> list[int]:
    rng = np.random.default_rng([seed, zlib.crc32(split.encode())])
    return sorted(int(i) for i in rng.choice(count, size=min(n, count), replace=False)) if count else []


def _sheet_thumbnail(data: bytes | None, size: int) -> np.ndarray | None:
    """An 8-bit grayscale thumbnail: 8-bit images as stored, deeper images stretched from their min to max."""
    if data is None:
        return None
    try:
        small, _ = _thumbnail(Image.open(io.BytesIO(data)), size)
        pixels = np.asarray(small, dtype="float64")
    except Exception:
        return None
    if small.mode != "L":
        low, high = float(pixels.min()), float(pixels.max())
        pixels = (pixels - low) / (high - low or 1.0) * 255.0
    return np.clip(np.rint(pixels), 0, 255).astype(np.uint8)


def contact_sheet_images(source: pd.DataFrame | str | Path | Sequence[str | Path] = "sample",
                         n_per_split: int = 8, seed: int = 0, size: int = 256, splits: Sequence[str] | None = None,
                         skip_corrupt: bool = False) -> pd.DataFrame:
    """A reproducible random pick of `n_per_split` images per split, as thumbnails for a contact sheet.

    `source` is a frame with an ``image`` column or a parquet source (only the row groups holding picked rows are
    read). Returns split, id, thumbnail (2-D uint8 array, longest side ≤ `size`; None when unreadable), ordered by
    split then id. The pick depends only on `seed`, the split name and the number of rows in the split.
    """
    rows = []
    if isinstance(source, pd.DataFrame):
        if "image" not in source.columns:
            raise DataError("contact_sheet_images: the frame has no image column (load with images=True)")
        splits = source["split"].astype(str)
        for split in split_order(splits):
            part = source[(splits == split).to_numpy()]
            for pos in _choose(split, len(part), n_per_split, seed):
                row_id = str(part["id"].iloc[pos]) if "id" in part.columns else f"{split}-{pos:05d}"
                rows.append({"split": split, "id": row_id,
                             "thumbnail": _sheet_thumbnail(_image_bytes(part["image"].iloc[pos]), size)})
        return pd.DataFrame(rows, columns=["split", "id", "thumbnail"])
    files, fs, wanted = _files_by_split(source, splits, skip_corrupt)
    located: dict[str, list[tuple[pq.ParquetFile, str, int, int]]] = {}  # split → (file, column, group, row)
    for _, pf, column, group, ids in _row_ids(files, fs, wanted):
        for offset, found in enumerate(ids):
            if found is not None:
                located.setdefault(found[0], []).append((pf, column, group, offset))
    for split in split_order(located):
        places = located[split]
        picks = _choose(split, len(places), n_per_split, seed)
        by_group: dict[tuple[int, int], list[int]] = {}
        for p in picks:
            pf, column, group, offset = places[p]
            by_group.setdefault((id(pf), group), []).append(p)
        for key in sorted(by_group, key=lambda k: by_group[k][0]):
            pf, column, group, _ = places[by_group[key][0]]
            table = pf.read_row_group(group, columns=[column])
            values = list(_bytes_values(table.column(0).take([places[p][3] for p in by_group[key]])))
            rows += [{"split": split, "id": f"{split}-{p:05d}", "thumbnail": _sheet_thumbnail(v, size)}
                     for p, v in zip(by_group[key], values)]
            del table
    return pd.DataFrame(rows, columns=["split", "id", "thumbnail"])
