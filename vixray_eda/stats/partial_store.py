"""A `Partial` as data: the cache of a chunk's counts, so a second run over the same archive only reads and merges.

An entry is a zip archive (stored, not compressed) of one ``meta.json`` (the dicts and lists of the partial) and one
parquet file per table; reading it back builds DataFrames and plain values only, so a planted or stale entry can
never run code (`cache.read_entry` checks its digest line; anything malformed is a miss). Entries are keyed by the
chunk's content (`chunk_key`), the package's code and libraries (`cache.code_version`) and the lexicon, so a change
to any of them is a miss.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from vixray_eda import __version__
from vixray_eda.cache import cache_dir, code_version, digest, read_entry, write_entry
from vixray_eda.stats.partials import Partial

__all__ = ["chunk_key", "read_partial", "write_partial"]

_TABLES = ("ages", "lengths", "terms", "normal", "consistency", "coverage", "gaps", "gap_firsts", "normalization",
           "column_counts", "phi")


def chunk_key(content: bytes, *context: str) -> str:
    """The cache key of a chunk: its raw content (as read from the source) and what else shapes its partial (its
    place among the chunks, the lexicon's version, the split filter)."""
    return digest(__version__, code_version(), content, *context)


def _path(key: str) -> Path | None:
    try:
        return cache_dir("partials") / f"{key}.zip"
    except OSError:
        return None


def _parquet(frame: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return sink.getvalue()


def _frame(data: bytes) -> pd.DataFrame:
    return pq.read_table(io.BytesIO(data)).to_pandas()


def to_bytes(p: Partial) -> bytes:
    """The partial as a zip archive of JSON and parquet (data only)."""
    meta: dict[str, Any] = {
        "rows": p.rows, "columns": p.columns, "normalized_texts": p.normalized_texts,
        "cooc_pairs": [[a, b, c] for (a, b), c in p.cooc_pairs.items()], "cooc_single": p.cooc_single,
        "phi_ids": p.phi_ids, "normalization_examples": p.normalization_examples, "log": p.log,
        "column_values": list(p.column_values), "texts": [list(k) for k in p.texts], "statistics": list(p.statistics),
    }
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("meta.json", json.dumps(meta, ensure_ascii=False))
        for name in _TABLES:
            archive.writestr(f"{name}.parquet", _parquet(getattr(p, name)))
        for i, column in enumerate(p.column_values):
            archive.writestr(f"column_values/{i}.parquet", _parquet(p.column_values[column]))
        for i, key in enumerate(p.texts):
            archive.writestr(f"texts/{i}.parquet", _parquet(p.texts[key]))
        for i, key in enumerate(p.statistics):
            archive.writestr(f"statistics/{i}.parquet", _parquet(p.statistics[key]))
    return sink.getvalue()


def from_bytes(data: bytes) -> Partial:
    """`to_bytes` reversed; malformed data raises."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        meta = json.loads(archive.read("meta.json"))
        tables = {name: _frame(archive.read(f"{name}.parquet")) for name in _TABLES}
        return Partial(
            rows={str(k): int(v) for k, v in meta["rows"].items()},
            columns=[str(c) for c in meta["columns"]],
            cooc_pairs={(str(a), str(b)): int(c) for a, b, c in meta["cooc_pairs"]},
            cooc_single={str(k): int(v) for k, v in meta["cooc_single"].items()},
            normalized_texts=int(meta["normalized_texts"]),
            column_values={str(c): _frame(archive.read(f"column_values/{i}.parquet"))
                           for i, c in enumerate(meta["column_values"])},
            texts={(str(f), str(k)): _frame(archive.read(f"texts/{i}.parquet")) for i, (f, k) in enumerate(meta["texts"])},
            statistics={str(k): _frame(archive.read(f"statistics/{i}.parquet")) for i, k in enumerate(meta["statistics"])},
            phi_ids=[(int(i), str(k), str(c), [str(x) for x in ids]) for i, k, c, ids in meta["phi_ids"]],
            normalization_examples=[(int(i), str(s), str(e)) for i, s, e in meta["normalization_examples"]],
            log=[(int(i), int(phase), dict(r)) for i, phase, r in meta["log"]],
            **tables,
        )


def read_partial(key: str) -> Partial | None:
    """The cached partial of `key`, or None (absent, altered or unreadable: a miss, never an error)."""
    path = _path(key)
    payload = read_entry(path) if path is not None else None
    try:
        return None if payload is None else from_bytes(payload)
    except Exception:  # foreign or stale data: recomputed
        return None


def write_partial(key: str, partial: Partial) -> None:
    """Store the partial of `key` (a failed write only means no entry)."""
    path = _path(key)
    if path is not None:
        write_entry(path, to_bytes(partial))
