"""Builders of small on-disk sources in the real ViX-Ray schema, for tests."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

IMAGE_TYPE = pa.struct([("bytes", pa.binary()), ("path", pa.string())])


def png_bytes(side: int = 8, value: int = 128) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (side, side), value).save(buf, format="PNG")
    return buf.getvalue()


def rows(n: int, start: int = 0, **overrides: Any) -> dict[str, list]:
    """Columns of n plausible rows in the original schema (override any column by name)."""
    data = {
        "image": [{"bytes": png_bytes(), "path": f"{start + i}.png"} for i in range(n)],
        "findings": [f"Bóng tim không to. Hai phế trường sáng. Ca số {start + i}." for i in range(n)],
        "impressions": ["Chưa phát hiện bất thường."] * n,
        "Ages": [60 + (start + i) % 30 for i in range(n)],
        "sex": ["Nam" if (start + i) % 2 else "Nữ" for i in range(n)],
        "view": ["PA"] * n,
        "Ghi chú": ["Chụp X-quang ngực thẳng"] * n,
        "Kỹ thuật": ["Kỹ thuật số"] * n,
    }
    data.update(overrides)
    return data


def table(data: dict[str, list]) -> pa.Table:
    arrays = {k: pa.array(v, type=IMAGE_TYPE) if k == "image" else pa.array(v) for k, v in data.items()}
    return pa.table(arrays)


def write_parquet(path: Path, data: dict[str, list], row_group_size: int = 100) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table(data), path, row_group_size=row_group_size)
    return path


def hf_folder(root: Path, sizes: dict[str, int] | None = None) -> Path:
    """A folder in the Hugging Face layout: data/{split}-00000-of-00001.parquet."""
    sizes = sizes or {"train": 8, "val": 2, "test": 2}
    start = 0
    for split, n in sizes.items():
        write_parquet(root / "data" / f"{split}-00000-of-00001.parquet", rows(n, start))
        start += n
    return root
