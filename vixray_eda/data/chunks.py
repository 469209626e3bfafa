"""Reading a source chunk by chunk, as `load` reads it whole: the same columns, cleaning, ids and records.

`plan_chunks` opens every parquet footer (no data) and cuts the source into chunks of whole row groups, about
`chunk_rows` rows each; a text file (CSV, JSON Lines) is one chunk. Each `ChunkSpec` is small and self-contained
(path, row groups, and per split the rows of earlier chunks, from which ids continue), so any process can read
it: the in-process engine and Dask workers alike. `read_chunk` reads only the text and metadata columns of its row
groups (never images), cleans them with `load`'s functions and returns the canonical frame and its records.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from vixray_eda.data import clean
from vixray_eda.data import sources as src_mod
from vixray_eda.data.schema import canonical_column, split_order
from vixray_eda.errors import DataError

__all__ = ["ChunkSpec", "ChunkPlan", "plan_chunks", "read_raw", "fingerprint", "read_chunk"]

CHUNK_ROWS = 50_000
_FOOTERS: dict[tuple[str, int, int], pq.FileMetaData] = {}  # a file's footer is read once per process
_FOOTERS_KEPT = 256


def _open(source: src_mod.Source, path: str) -> pq.ParquetFile:
    """`open_parquet` with the footer read once per process (a remote footer read costs a 64 KiB request; a local
    file is known by its size and modification time, so a rewritten file is read again)."""
    stat = Path(path).stat() if source.fs is None else None
    key = (path, stat.st_size, stat.st_mtime_ns) if stat is not None else (path, -1, -1)
    pf = src_mod.open_parquet(path, source.fs, _FOOTERS.get(key))
    if key not in _FOOTERS:
        if len(_FOOTERS) >= _FOOTERS_KEPT:
            _FOOTERS.pop(next(iter(_FOOTERS)))
        _FOOTERS[key] = pf.metadata
    return pf


@dataclass(frozen=True)
class ChunkSpec:
    """One chunk: `row_groups` of the parquet file `path` (None: the whole text file), the split its file name
    gives (None: a split column, or unsplit), the row of the file it starts at, and per split the rows of that
    split in earlier chunks."""

    index: int
    path: str
    split: str | None
    row_groups: tuple[int, ...] | None
    first_row: int
    offsets: tuple[tuple[str, int], ...]
    rows: tuple[tuple[str, int], ...]  # rows per split in this chunk (after the split filter)


@dataclass
class ChunkPlan:
    """The chunks of a source, with what describes the whole: the source, whether it is the synthetic sample,
    the records of the source itself (files not read, empty splits) and the provenance of its files."""

    source: src_mod.Source
    chunks: list[ChunkSpec]
    wanted: list[str] | None
    synthetic: bool
    records: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)


def _parquet(path: str) -> bool:
    return src_mod.url_name(path).lower().endswith(".parquet")


def _split_counts(source: src_mod.Source, path: str, split: str | None, groups: tuple[int, ...] | None,
                  wanted: list[str] | None, parts: dict[str, Any]) -> Counter:
    """Rows per split in one future chunk: from the footer when the file name gives the split, else from the
    split column alone (a text file is read whole, and kept in `parts` for the provenance)."""
    if groups is None:
        frame, _ = _canonical_part(source, path, split, groups, 0, wanted, parts)
        return Counter(frame["split"].astype(str).tolist())
    pf = _open(source, path)
    if split is not None:
        return Counter({split: sum(pf.metadata.row_group(g).num_rows for g in groups)})
    column = next((name for name in pf.schema_arrow.names if canonical_column(name) == "split"), None)
    if column is None or not groups:
        splits = pd.Series([src_mod.UNSPLIT] * sum(pf.metadata.row_group(g).num_rows for g in groups), dtype=object)
    else:
        splits = src_mod.row_splits(pf.read_row_groups(list(groups), columns=[column]).column(0).to_pandas())
    if wanted is not None:
        splits = splits[splits.isin(wanted)]
    return Counter(splits.astype(str).tolist())


def plan_chunks(source: Any = "sample", splits: str | list[str] | None = None, chunk_rows: int = CHUNK_ROWS,
                skip_corrupt: bool = False) -> ChunkPlan:
    """Cut `source` into chunks of whole row groups of about `chunk_rows` rows (see the module's docstring)."""
    src = src_mod.resolve_source(source)
    wanted = src_mod.requested_splits(splits)
    by_name = src_mod.selected_files(src, wanted)
    records: list[dict[str, Any]] = []
    synthetic = src.synthetic
    pieces: list[tuple[str, str | None, tuple[int, ...] | None]] = []
    for split, paths in by_name.items():
        layout = None if split == src_mod.UNSPLIT else split
        for path in paths:
            if not _parquet(path):
                pieces.append((path, layout, None))
                continue
            try:
                pf = _open(src, path)
            except DataError as exc:
                if not skip_corrupt:
                    raise
                records.append(src_mod.skipped_record(path, src.fs, exc))
                continue
            synthetic = synthetic or src_mod.is_synthetic(pf.schema_arrow)
            if pf.metadata.num_rows == 0:
                records.append(clean.record("file_empty", "*", 0, [Path(path).name], f"{path}: the file has no rows"))
            group: list[int] = []
            size = 0
            for g in range(pf.num_row_groups):
                group.append(g)
                size += pf.metadata.row_group(g).num_rows
                if size >= chunk_rows:
                    pieces.append((path, layout, tuple(group)))
                    group, size = [], 0
            if group or not pf.num_row_groups:
                pieces.append((path, layout, tuple(group)))
    seen: Counter = Counter()
    text_parts: dict[str, Any] = {}  # text files are read whole: their rows and columns describe the source
    chunks = []
    file_rows: Counter = Counter()
    for index, (path, layout, groups) in enumerate(pieces):
        counts = _split_counts(src, path, layout, groups, wanted, text_parts)
        chunks.append(ChunkSpec(index, path, layout, groups, file_rows[path], tuple(sorted(seen.items())),
                                tuple(sorted(counts.items()))))
        file_rows[path] += _file_rows(src, path, groups, counts)
        seen.update(counts)
    if not seen:
        raise DataError(f"{src.description}: the dataset has no rows")
    records += src_mod.source_records(src, by_name, set(seen), wanted)
    return ChunkPlan(src, chunks, wanted, synthetic, records, asdict(src_mod.source_provenance(src, text_parts)))


def _file_rows(source: src_mod.Source, path: str, groups: tuple[int, ...] | None, counts: Counter) -> int:
    if groups is None:
        return sum(counts.values())
    meta = _open(source, path).metadata
    return sum(meta.row_group(g).num_rows for g in groups)


def read_raw(source: src_mod.Source, path: str, groups: tuple[int, ...] | None,
             parts: dict[str, Any] | None = None) -> src_mod.RawPart:
    """The raw columns of one chunk (text and metadata columns only; a text file whole)."""
    if groups is None:
        part = src_mod.read_part(path, source.fs, images=False)
        if parts is not None:
            parts[path] = part
        return part
    return src_mod.read_parquet_part(path, source.fs, images=False, row_groups=groups, metadata=_open(source, path).metadata)


def fingerprint(raw: src_mod.RawPart) -> bytes:
    """The content of a raw chunk as bytes to hash: every value as text, the type of every value, column names
    and types (so 73 and "73", which clean differently, differ)."""
    frame = raw.frame
    values = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes()
    kinds = pd.util.hash_pandas_object(frame.apply(lambda col: clean.map_unique(col, lambda v: type(v).__name__)),
                                       index=False).to_numpy().tobytes()
    names = repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode("utf-8")
    return values + kinds + names


def _canonical_part(source: src_mod.Source, path: str, split: str | None, groups: tuple[int, ...] | None,
                    first_row: int, wanted: list[str] | None, parts: dict[str, Any] | None = None,
                    raw: src_mod.RawPart | None = None) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    part = raw if raw is not None else read_raw(source, path, groups, parts)
    frame, records = src_mod.canonical_part(part, split, first_row=first_row)
    if wanted is not None:
        frame = frame[frame["split"].isin(wanted)]
    return frame.reset_index(drop=True), records


def read_chunk(plan: ChunkPlan, spec: ChunkSpec, raw: src_mod.RawPart | None = None
               ) -> tuple[pd.DataFrame, list[dict[str, Any]], list[dict[str, Any]]]:
    """The canonical frame of one chunk (rows in `load`'s order: by split, then as read; ids continuing from
    `spec.offsets`), the records of reading its file and those of cleaning its values. `raw`: the chunk's
    `read_raw`, when already read."""
    frame, records = _canonical_part(plan.source, spec.path, spec.split, spec.row_groups, spec.first_row,
                                     plan.wanted, raw=raw)
    ranks = {s: i for i, s in enumerate(split_order(frame["split"]))}
    frame = frame.iloc[frame["split"].map(ranks).to_numpy().argsort(kind="stable")].reset_index(drop=True)
    frame.insert(0, "id", src_mod.assign_ids(frame, dict(spec.offsets)))
    cleaning: list[dict[str, Any]] = []
    out = src_mod.clean_frame(frame, cleaning)
    return out, records, cleaning
