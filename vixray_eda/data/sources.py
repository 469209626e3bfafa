"""Reading a ViX-Ray source into the canonical frame: the embedded sample, a local folder in the Hugging Face layout,
a single parquet/CSV/JSONL file, or a remote parquet location over fsspec (``hf://``, ``https://``).

Text statistics never touch the ``image`` column: parquet is read with column projection, and remote files are
read with HTTP range requests for the needed column chunks only.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from vixray_eda.data import clean
from vixray_eda.data.schema import CANONICAL_NAME, REQUIRED, SPLITS, canonical_column, split_order
from vixray_eda.errors import DataError, SplitError

SYNTHETIC_METADATA_KEY = b"vixray_eda"
UNSPLIT = "unsplit"
_DATA_SUFFIXES = (".parquet", ".csv", ".jsonl", ".json")
_REMOTE_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_SPLIT_FROM_NAME = re.compile(r"^(?P<split>[A-Za-z][A-Za-z0-9]*?)(?:[-_.]\d+(?:-of-\d+)?)?(?:[-_.].*)?$")
#: Columns `load` writes itself; a source column of the same name is kept under `source_<name>`.
GENERATED_COLUMNS = ("id", "age_raw", "sex_raw")
EXACT_NAMES = {*CANONICAL_NAME, *CANONICAL_NAME.values(), "split"}


@dataclass(frozen=True)
class Source:
    """Where the data is: its files per split (in reading order) and the filesystem that reads them."""

    description: str
    files: dict[str, list[str]]
    fs: Any = None  # an fsspec filesystem for remote sources, None for local paths
    synthetic: bool = False
    split_from_column: bool = field(default=False)

    def all_files(self) -> list[str]:
        return [f for split in self.files for f in self.files[split]]


def split_from_filename(path: str) -> str | None:
    """Split name from a Hugging Face shard name (``train-00000-of-00004.parquet`` → ``train``)."""
    stem = Path(path).name
    for suffix in _DATA_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    match = _SPLIT_FROM_NAME.match(stem)
    return match["split"].lower() if match else None


def group_by_split(paths: Sequence[str]) -> dict[str, list[str]]:
    """Shard paths per split (from their file names), splits in the package's order, paths sorted."""
    groups: dict[str, list[str]] = {}
    for path in sorted(paths):
        groups.setdefault(split_from_filename(path) or UNSPLIT, []).append(path)
    return {split: groups[split] for split in split_order(groups)}


def _single_file_split(path: str) -> str:
    split = split_from_filename(path)
    known = {*SPLITS, "validation", "dev"}
    return split if split in known else UNSPLIT


def _local_source(path: Path) -> Source:
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix.lower() not in _DATA_SUFFIXES:
            raise DataError(f"{path}: unsupported file type {path.suffix!r}; expected .parquet, .csv or .jsonl")
        return Source(str(path), {_single_file_split(str(path)): [str(path)]})
    folder = path / "data" if (path / "data").is_dir() else path
    files = [str(p) for p in folder.iterdir() if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES]
    parquet = [f for f in files if f.lower().endswith(".parquet")]
    if not files:
        raise DataError(f"{path}: no data files (*.parquet, *.csv, *.jsonl) found in {folder}")
    return Source(str(path), group_by_split(parquet or files))


def _remote_source(url: str) -> Source:
    import fsspec

    if url.startswith("hf://") and importlib.util.find_spec("huggingface_hub") is None:
        # fsspec finds huggingface_hub's HfFileSystem for hf:// by itself, when it is installed
        raise DataError(f"{url}: reading hf:// needs the 'hub' extra (pip install 'vixray-eda[hub]')")
    try:
        fs, path = fsspec.core.url_to_fs(url)
        if path.lower().endswith(_DATA_SUFFIXES):
            return Source(url, {_single_file_split(path): [path]}, fs=fs)
        shards = fs.glob(f"{path.rstrip('/')}/data/*.parquet") or fs.glob(f"{path.rstrip('/')}/*.parquet")
    except DataError:
        raise
    except Exception as exc:  # any transport error becomes one line naming the URL
        raise DataError(f"{url}: cannot be reached ({type(exc).__name__}: {exc})") from exc
    if not shards:
        raise DataError(f"{url}: no parquet shards found under data/")
    return Source(url, group_by_split(shards), fs=fs)


def resolve_source(source: str | Path = "sample") -> Source:
    """Find the files of a source without reading them."""
    if isinstance(source, str) and source == "sample":
        from vixray_eda.data.sample import sample_path

        found = _local_source(sample_path())
        return Source("embedded synthetic sample", found.files, synthetic=True)
    if isinstance(source, str) and _REMOTE_RE.match(source) and not source.startswith("file://"):
        return _remote_source(source)
    return _local_source(Path(str(source).removeprefix("file://")).expanduser())


def open_parquet(path: str, fs: Any) -> pq.ParquetFile:
    try:
        if fs is None:
            return pq.ParquetFile(path)
        # no read-ahead cache: every read is an exact HTTP range request for the footer or one column chunk
        return pq.ParquetFile(fs.open(path, "rb", cache_type="none"))
    except Exception as exc:
        raise DataError(f"{path}: not a readable parquet file ({type(exc).__name__}: {exc})") from exc


def _is_synthetic(schema: pa.Schema) -> bool:
    meta = schema.metadata or {}
    if SYNTHETIC_METADATA_KEY not in meta:
        return False
    return bool(json.loads(meta[SYNTHETIC_METADATA_KEY]).get("synthetic", False))


@dataclass
class _RawPart:
    frame: pd.DataFrame  # canonical column names, raw values
    path: str
    renamed: dict[str, str]
    extra: list[str]
    synthetic: bool = False
    unread: list[str] = field(default_factory=list)  # extra binary/nested columns, reported but not read


def _column_plan(path: str, names: Sequence[str], types: dict[str, pa.DataType] | None, images: bool):
    """Which source columns to read and under which canonical names; errors on missing required columns."""
    renamed: dict[str, str] = {}
    chosen: dict[str, str] = {}
    extra: list[str] = []
    for name in names:
        canon = canonical_column(name)
        if canon is None:
            extra.append(name)
            continue
        if canon in chosen.values():
            first = next(n for n, c in chosen.items() if c == canon)
            raise DataError(f"{path}: columns {first!r} and {name!r} both match the column {canon}; "
                            f"rename or drop one of them")
        chosen[name] = canon
        if name not in EXACT_NAMES:
            renamed[name] = canon
    missing = [col for col in REQUIRED if col not in chosen.values()]
    if missing:
        found = ", ".join(map(str, names)) or "none"
        raise DataError(f"{path}: missing required column(s) {', '.join(missing)}; found: {found}")
    read = [n for n, c in chosen.items() if images or c != "image"]
    readable_extra = [n for n in extra if types is None or not _is_heavy(types[n])]
    unread = [n for n in extra if n not in readable_extra]
    return read, chosen, renamed, readable_extra, unread


def _is_heavy(dtype: pa.DataType) -> bool:
    return pa.types.is_binary(dtype) or pa.types.is_large_binary(dtype) or pa.types.is_struct(dtype) or (
        pa.types.is_list(dtype) or pa.types.is_large_list(dtype)
    )


def _read_parquet(path: str, fs: Any, images: bool) -> _RawPart:
    pf = open_parquet(path, fs)
    schema = pf.schema_arrow
    types = {f.name: f.type for f in schema}
    if len(set(schema.names)) != len(schema.names):
        dupes = sorted({n for n in schema.names if schema.names.count(n) > 1})
        raise DataError(f"{path}: duplicated column name(s) {', '.join(dupes)}")
    read, chosen, renamed, extra, unread = _column_plan(path, schema.names, types, images)
    columns = read + extra
    try:
        if images:  # one row group at a time (iter_batches was measured to buffer the whole file)
            groups = [pf.read_row_group(i, columns=columns) for i in range(pf.num_row_groups)]
            table = pa.concat_tables(groups) if groups else pf.schema_arrow.empty_table().select(columns)
        else:
            table = pf.read(columns=columns)
    except Exception as exc:
        raise DataError(f"{path}: parquet data cannot be read ({type(exc).__name__}: {exc})") from exc
    frame = table.to_pandas(types_mapper=None).rename(columns=chosen)
    return _RawPart(frame, path, renamed, extra, _is_synthetic(schema), unread)


def _read_text_file(path: str, fs: Any, images: bool) -> _RawPart:
    opener = (lambda: fs.open(path, "rb")) if fs is not None else (lambda: open(path, "rb"))
    try:
        with opener() as handle:
            data = handle.read()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
                        f"re-save it as UTF-8") from exc
    try:
        if path.lower().endswith(".csv"):
            frame = _read_csv_text(path, text)
        else:
            frame = pd.read_json(io.StringIO(text), lines=path.lower().endswith(".jsonl"), dtype=False)
    except DataError:
        raise
    except Exception as exc:
        raise DataError(f"{path}: cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc
    if isinstance(frame, pd.Series) or not len(frame.columns):
        raise DataError(f"{path}: no columns found")
    read, chosen, renamed, extra, _ = _column_plan(path, [str(c) for c in frame.columns], None, images)
    frame.columns = [str(c) for c in frame.columns]
    return _RawPart(frame[read + extra].rename(columns=chosen), path, renamed, extra)


def csv_delimiter(header: str) -> str:
    """The delimiter of a CSV header line: the most frequent of , ; tab | outside quotes (``,`` on ties or none)."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv_text(path: str, text: str) -> pd.DataFrame:
    """A CSV export (hospital systems write ``;`` or tabs too); duplicated header names are refused, not renamed."""
    first = text.split("\n", 1)[0]
    delimiter = csv_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter), [])
    seen = [unicodedata.normalize("NFC", h.strip()) for h in header]
    dupes = sorted({h for h in seen if seen.count(h) > 1})
    if dupes:
        raise DataError(f"{path}: duplicated column name(s) {', '.join(map(repr, dupes))} in the header; "
                        f"rename or drop the copies")
    return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=object, keep_default_na=False, na_values=[])


def _read_part(path: str, fs: Any, images: bool) -> _RawPart:
    if path.lower().endswith(".parquet"):
        return _read_parquet(path, fs, images)
    return _read_text_file(path, fs, images)


def _empty_to_none(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None)


def _canonical(part: _RawPart, split: str | None) -> tuple[pd.DataFrame, list[clean.QualityRecord]]:
    """Clean one file's raw frame into canonical columns (ids are assigned later, per split)."""
    raw = part.frame
    n = len(raw)
    records: list[clean.QualityRecord] = []
    if "split" in raw.columns:
        blank = raw["split"].map(lambda v: not clean.as_text(v).strip()).astype(bool)
        splits = raw["split"].map(lambda v: clean.as_text(v).strip() or UNSPLIT)
        if blank.any():
            records.append(clean.record("split_missing", "split", blank.sum(), [f"row {i + 1}" for i in
                                        blank.to_numpy().nonzero()[0]],
                                        f"{part.path}: rows without a split name were put in '{UNSPLIT}'"))
    else:
        splits = pd.Series([split or UNSPLIT] * n, index=raw.index)
    out = pd.DataFrame({"split": splits.astype(str).values}, index=raw.index)
    for column in ("findings", "impressions", "age", "sex", "view", "note", "technique"):
        out[column] = _empty_to_none(raw[column]) if column in raw.columns else pd.Series([None] * n, dtype=object)
    for column in raw.columns:
        if column == "image" or column in ("split",) or column in out.columns:
            continue
        kept = f"source_{column}" if column in GENERATED_COLUMNS else column
        out[kept] = raw[column].values
        if kept != column:
            records.append(clean.record("column_renamed", kept, n, [f"{column!r} → {kept}"],
                                        f"{part.path}: source column {column!r} kept as {kept!r} (the package "
                                        f"writes its own {column!r})"))
    if "image" in raw.columns:
        out["image"] = raw["image"].values
    records += [
        clean.record("column_renamed", canon, n, [f"{name!r}{_form(name)} → {canon}"],
                     f"{part.path}: column name matched after NFC and case-folding")
        for name, canon in part.renamed.items()
    ]
    records += [
        clean.record("column_extra", name, n, [name], f"{part.path}: column not in the ViX-Ray schema, kept as is")
        for name in part.extra
    ]
    records += [
        clean.record("column_not_read", name, n, [name],
                     f"{part.path}: binary or nested column not in the ViX-Ray schema, left unread")
        for name in part.unread
    ]
    records += [
        clean.record("column_absent", column, n, [], f"{part.path}: optional column absent, filled with missing")
        for column in ("age", "sex", "view", "note", "technique")
        if column not in raw.columns
    ]
    return out, records


def _form(name: str) -> str:
    return "" if unicodedata.is_normalized("NFC", name) else " (NFD)"


def _assign_ids(frame: pd.DataFrame) -> pd.Series:
    position = frame.groupby("split", sort=False).cumcount()
    return frame["split"].astype(str) + "-" + position.map(lambda i: f"{i:05d}")


def _finish(frame: pd.DataFrame, records: list[clean.QualityRecord]) -> pd.DataFrame:
    """Clean values column by column, recording every change."""
    ids = frame["id"]
    out = pd.DataFrame({"id": ids.astype("string"), "split": frame["split"].astype("string")})
    for column in ("findings", "impressions"):
        out[column], recs = clean.clean_text(frame[column], ids, column)
        records += recs
    out["age"], recs = clean.clean_age(frame["age"], ids)
    records += recs
    out["sex"], recs = clean.clean_sex(frame["sex"], ids)
    records += recs
    for column in ("view", "note", "technique"):
        out[column] = clean.map_unique(frame[column], clean.as_text).astype("string")
    out["age_raw"] = clean.map_unique(frame["age"], clean.as_text).astype("string")
    out["sex_raw"] = clean.map_unique(frame["sex"], clean.as_text).astype("string")
    for column in frame.columns:
        if column not in out.columns and column != "image":
            out[column] = frame[column].values
    if "image" in frame.columns:
        out["image"] = frame["image"].values
    return out.reset_index(drop=True)


def _requested(splits: str | Sequence[str] | None) -> list[str] | None:
    if splits is None:
        return None
    return [splits] if isinstance(splits, str) else list(splits)


def load(
    source: str | Path = "sample",
    splits: str | Sequence[str] | None = None,
    images: bool = False,
    skip_corrupt: bool = False,
) -> pd.DataFrame:
    """Read a ViX-Ray source into the canonical frame.

    Columns: ``id, split, findings, impressions, age, sex, view, note, technique, age_raw, sex_raw`` (+ any extra
    source columns, + ``image`` when ``images=True``). ``df.attrs`` carries ``source``, ``synthetic`` and
    ``quality`` (the list of cleaning records; see :mod:`vixray_eda.data.clean`). ``skip_corrupt`` skips unreadable
    shards (each one recorded) instead of failing.
    """
    src = resolve_source(source)
    wanted = _requested(splits)
    by_name = {s: files for s, files in src.files.items()}
    if wanted is not None and UNSPLIT not in by_name:
        unknown = [s for s in wanted if s not in by_name]
        if unknown:
            raise SplitError(f"{src.description}: unknown split {', '.join(map(repr, unknown))}; "
                             f"available: {', '.join(by_name)}")
        by_name = {s: by_name[s] for s in wanted}
    frames, records, synthetic = [], [], src.synthetic
    for split, paths in by_name.items():
        for path in paths:
            try:
                part = _read_part(path, src.fs, images)
            except DataError as exc:
                if not skip_corrupt or "missing required column" in str(exc):
                    raise
                records.append(clean.record("shard_skipped", "*", 0, [Path(path).name], str(exc)))
                continue
            synthetic = synthetic or part.synthetic
            if not len(part.frame):
                records.append(clean.record("file_empty", "*", 0, [Path(path).name],
                                            f"{path}: the file has no rows"))
            frame, recs = _canonical(part, None if split == UNSPLIT else split)
            frames.append(frame)
            records += recs
    if not frames or sum(len(f) for f in frames) == 0:
        raise DataError(f"{src.description}: the dataset has no rows")
    frame = pd.concat(frames, ignore_index=True)
    present = set(frame["split"])
    records += [clean.record("split_empty", "split", 0, [name], f"{src.description}: split {name!r} has files "
                             f"but no rows; it is left out of every statistic")
                for name in by_name if name != UNSPLIT and name not in present]
    if wanted is not None and UNSPLIT in src.files:
        available = split_order(frame["split"])
        unknown = [s for s in wanted if s not in available]
        if unknown:
            raise SplitError(f"{src.description}: unknown split {', '.join(map(repr, unknown))}; "
                             f"available: {', '.join(available)}")
        frame = frame[frame["split"].isin(wanted)].reset_index(drop=True)
    ranks = {s: i for i, s in enumerate(split_order(frame["split"]))}
    frame = frame.iloc[frame["split"].map(ranks).to_numpy().argsort(kind="stable")].reset_index(drop=True)
    frame.insert(0, "id", _assign_ids(frame))
    out = _finish(frame, records)
    out.attrs.update(source=src.description, synthetic=synthetic, quality=clean.merge_records(records))
    return out


def quality_log(df: pd.DataFrame) -> pd.DataFrame:
    """The cleaning records of a loaded frame as a table (check, column, rows, examples, detail)."""
    columns = ["check", "column", "rows", "examples", "detail"]
    return pd.DataFrame(df.attrs.get("quality", []), columns=columns)
