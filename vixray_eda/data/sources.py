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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from vixray_eda.data import clean, provenance
from vixray_eda.data.schema import CANONICAL_NAME, REQUIRED, SYNTHETIC_METADATA_KEY, canonical_column, split_order
from vixray_eda.errors import DataError, SplitError
from vixray_eda.ownership import MARKER
from vixray_eda.redact import redact

UNSPLIT = "unsplit"
#: The source description of the embedded synthetic sample (the card words it in its own language).
SAMPLE_DESCRIPTION = "embedded synthetic sample"
#: The split key the statistics use for all splits together: a data split of that name is refused.
AGGREGATE = "all"
_DATA_SUFFIXES = (".parquet", ".csv", ".jsonl", ".json")
#: Data files the package cannot read: named in the quality log when found in a source folder, never skipped silently.
_OTHER_DATA_SUFFIXES = (".arrow", ".tsv", ".txt", ".feather", ".xlsx", ".xls", ".gz", ".zip", ".bz2", ".xz",
                        ".zst", ".tar", ".avro", ".orc")
#: Metadata files of `datasets.save_to_disk` / the Hub, never data.
_METADATA_FILES = ("dataset_info.json", "dataset_infos.json", "dataset_dict.json", "state.json")
_REMOTE_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
#: The Hub's split keywords (train, validation and test groups, in its order of precedence): a keyword counts
#: when delimited by the start or end of the name or by one of ``- . _ space 0-9``.
SPLIT_KEYWORDS: tuple[tuple[str, ...], ...] = (("train", "training"), ("validation", "valid", "val", "dev"),
                                               ("test", "testing", "eval", "evaluation"))
_KEYWORD_RES = [re.compile(rf"(?:^|[-._ 0-9])({'|'.join(group)})(?=$|[-._ 0-9])", re.IGNORECASE)
                for group in SPLIT_KEYWORDS]
#: The Hub's sharded naming for any split name: ``NAME-00000-of-00004`` (NAME in word characters).
_SHARDED_RE = re.compile(r"^(\w+)-\d{5}-of-\d{5}")
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
    unread: tuple[str, ...] = ()  # data files found in a source folder but not read (relative paths)
    root: str | None = None  # the local folder paths are given relative to
    tables: Mapping[str, tuple[pd.DataFrame, pa.Schema | None]] = field(default_factory=dict)  # in-memory "files"

    def all_files(self) -> list[str]:
        return [f for split in self.files for f in self.files[split]]


def split_name(raw: Any) -> str:
    """The one normalisation of split names (column values, file and folder names, requested splits): NFC,
    surrounding spaces removed, case-folded."""
    return unicodedata.normalize("NFC", str(raw)).strip().casefold()


def url_name(path: str) -> str:
    """The file name of a local path or a URL (a signed URL's query string left out)."""
    return PurePosixPath(urlsplit(path).path if "://" in path or "?" in path else path).name


def _stem(path: str) -> str:
    name = url_name(path)
    for suffix in _DATA_SUFFIXES + _OTHER_DATA_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _keyword_split(name: str) -> str | None:
    for pattern in _KEYWORD_RES:
        match = pattern.search(name)
        if match:
            return split_name(match[1])
    return None


def split_from_filename(path: str) -> str | None:
    """Split of a data file from its name, the Hub's way: ``NAME-00000-of-00004.*`` → NAME, else a split keyword
    delimited by non-word characters (``my_train_file.csv`` → train, ``trainset.csv`` → None)."""
    stem = _stem(path)
    sharded = _SHARDED_RE.match(stem)
    return split_name(sharded[1]) if sharded else _keyword_split(stem)


def group_by_split(paths: Sequence[str]) -> dict[str, list[str]]:
    """Shard paths per split (from their file names), splits in the package's order, paths sorted."""
    groups: dict[str, list[str]] = {}
    for path in sorted(paths):
        groups.setdefault(split_from_filename(path) or UNSPLIT, []).append(path)
    return {split: groups[split] for split in split_order(groups)}


def _layout_split(parts: tuple[str, ...]) -> tuple[bool, str | None]:
    """Whether a file at relative path `parts` is where the Hub's layouts put data, and its split: files at the top,
    in ``data/``, in a split-named folder, or in ``data/<folder>/`` (split from the folder when it names one)."""
    name = parts[-1]
    if len(parts) == 1 or (len(parts) == 2 and parts[0] == "data"):
        return True, split_from_filename(name)
    folder = parts[-2]
    if (len(parts) == 2 or (len(parts) == 3 and parts[0] == "data")) and (
            _keyword_split(folder) is not None or parts[0] == "data"):
        return True, _keyword_split(folder) or split_from_filename(name)
    return False, None


def _in_our_output(root: Path, path: Path) -> bool:
    """True for a file inside a sub-folder the package wrote (a report written into the source folder)."""
    return any((parent / MARKER).is_file() for parent in path.parents if root in parent.parents)


def _local_files(root: Path) -> tuple[dict[str, list[str]], list[str]]:
    """The data files of a source folder per split, and the data files it holds that are not read (relative)."""
    groups: dict[str, list[str]] = {}
    unread: list[str] = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") for p in parts) or not path.is_file() or path.name.lower() in _METADATA_FILES:
            continue
        lower = path.name.lower()
        if not lower.endswith(_DATA_SUFFIXES + _OTHER_DATA_SUFFIXES) or _in_our_output(root, path):
            continue
        accepted, split = _layout_split(parts)
        if accepted and lower.endswith(_DATA_SUFFIXES):
            groups.setdefault(split or UNSPLIT, []).append(str(path))
        else:
            unread.append(PurePosixPath(*parts).as_posix())
    return {split: groups[split] for split in split_order(groups)}, unread


def _local_source(path: Path) -> Source:
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_file():
        if not path.name.lower().endswith(_DATA_SUFFIXES):
            raise DataError(f"{path}: unsupported file type {path.suffix!r}; expected .parquet, .csv or .jsonl")
        return Source(str(path), {split_from_filename(str(path)) or UNSPLIT: [str(path)]}, root=str(path.parent))
    files, unread = _local_files(path)
    if not files:
        raise DataError(f"{path}: no data files (*.parquet, *.csv, *.jsonl) found at the top, in data/ or in "
                        f"split folders" + (f"; not read: {', '.join(unread[:5])}" if unread else ""))
    return Source(str(path), files, unread=tuple(unread), root=str(path))


def _remote_source(url: str) -> Source:
    import fsspec

    if url.startswith("hf://") and importlib.util.find_spec("huggingface_hub") is None:
        # fsspec finds huggingface_hub's HfFileSystem for hf:// by itself, when it is installed
        raise DataError(f"{url}: reading hf:// needs the 'hub' extra (pip install 'vixray-eda[hub]')")
    try:
        fs, path = fsspec.core.url_to_fs(url)
        if url_name(path).lower().endswith(_DATA_SUFFIXES):
            return Source(redact(url), {split_from_filename(path) or UNSPLIT: [path]}, fs=fs)
        shards = fs.glob(f"{path.rstrip('/')}/data/*.parquet") or fs.glob(f"{path.rstrip('/')}/*.parquet")
    except DataError:
        raise
    except Exception as exc:  # any transport error becomes one line naming the URL
        raise DataError(f"{url}: cannot be reached ({type(exc).__name__}: {exc})") from exc
    if not shards:
        raise DataError(f"{url}: no parquet shards found under data/")
    return Source(redact(url), group_by_split(shards), fs=fs)


def _dataset_like(value: Any) -> bool:
    """A `datasets.Dataset` (duck-typed: the package does not need `datasets` to read files)."""
    return type(value).__module__.split(".")[0] == "datasets" and hasattr(value, "to_pandas") and hasattr(
        value, "features")


def _dataset_table(ds: Any, images: bool) -> tuple[pd.DataFrame, pa.Schema | None]:
    """A Dataset's rows (the image column only when `images`) and its Arrow schema with its feature metadata."""
    keep = [c for c in ds.column_names if images or canonical_column(c) != "image"]
    try:
        schema = ds.features.arrow_schema
    except AttributeError:  # older `datasets`: the table's schema carries the same metadata
        schema = ds.data.schema
    return ds.select_columns(keep).to_pandas(), schema


def _frame_schema(frame: pd.DataFrame) -> pa.Schema | None:
    try:
        return pa.Schema.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, ValueError, TypeError):  # mixed object columns: types not known
        return None


def _memory_source(source: Any, images: bool) -> Source:
    """A pandas DataFrame, a `datasets.Dataset` or a `DatasetDict` (split names from its keys) as a source whose
    "files" are tables in memory, read through the same cleaning as files."""
    if isinstance(source, pd.DataFrame):
        tables = {"DataFrame": (source, _frame_schema(source))}
        files = {UNSPLIT: ["DataFrame"]}
        description = f"pandas DataFrame ({len(source):,} rows)"
        synthetic = source.attrs.get("synthetic") is True
    elif _dataset_like(source):
        split = split_name(source.split) if getattr(source, "split", None) is not None else UNSPLIT
        tables = {f"Dataset[{split}]": _dataset_table(source, images)}
        files = {split: [f"Dataset[{split}]"]}
        description = f"datasets.Dataset ({source.num_rows:,} rows)"
        synthetic = False
    elif isinstance(source, Mapping) and source and all(_dataset_like(v) for v in source.values()):
        tables = {f"DatasetDict[{key}]": _dataset_table(ds, images) for key, ds in source.items()}
        files = {}
        for key in source:
            files.setdefault(split_name(key), []).append(f"DatasetDict[{key}]")
        files = {s: files[s] for s in split_order(files)}
        description = f"datasets.DatasetDict ({', '.join(map(str, source))})"
        synthetic = False
    else:
        raise DataError(f"cannot read a {type(source).__module__}.{type(source).__name__}: give 'sample', a folder, "
                        f"a file, a URL, a pandas DataFrame or a datasets Dataset/DatasetDict")
    return Source(description, files, synthetic=synthetic, tables=tables)


def resolve_source(source: str | Path = "sample") -> Source:
    """Find the files of a source without reading them."""
    if not isinstance(source, (str, Path)):
        raise DataError(f"cannot resolve a {type(source).__name__} as a data source: give 'sample', a folder, a file "
                        f"or a URL")
    if not str(source).strip():
        raise DataError("the data source is empty; give 'sample', a folder, a file or a URL")
    if isinstance(source, str) and source == "sample":
        from vixray_eda.data.sample import sample_path

        found = _local_source(sample_path())
        return Source(SAMPLE_DESCRIPTION, found.files, synthetic=True, root=found.root)
    if isinstance(source, str) and _REMOTE_RE.match(source) and not source.startswith("file://"):
        return _remote_source(source)
    return _local_source(Path(str(source).removeprefix("file://")).expanduser())


def open_parquet(path: str, fs: Any, metadata: pq.FileMetaData | None = None) -> pq.ParquetFile:
    """A parquet file, local or remote. Remote reads are exact HTTP range requests for the footer (not read again
    when its `metadata` is given) and the needed column chunks; a server without range support is read whole."""
    try:
        if fs is None:
            return pq.ParquetFile(path, metadata=metadata)
        try:  # no read-ahead cache: every read is an exact range request for the footer or one column chunk
            return pq.ParquetFile(fs.open(path, "rb", cache_type="none"), metadata=metadata)
        except (ValueError, OSError):  # e.g. "The HTTP server doesn't appear to support range requests"
            return pq.ParquetFile(pa.BufferReader(fs.cat_file(path)))
    except Exception as exc:
        raise DataError(f"{path}: not a readable parquet file ({type(exc).__name__}: {exc})") from exc


def _footer_rows(path: str, fs: Any) -> int | None:
    """Rows a parquet file's footer declares, None when the footer cannot be read."""
    try:
        return open_parquet(path, fs).metadata.num_rows
    except DataError:
        return None


def is_synthetic(schema: pa.Schema) -> bool:
    """Whether a parquet file carries the package's synthetic marker (`SYNTHETIC_METADATA_KEY`)."""
    try:
        marker = json.loads((schema.metadata or {})[SYNTHETIC_METADATA_KEY])
    except (KeyError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("synthetic") is True


@dataclass
class RawPart:
    frame: pd.DataFrame  # canonical column names, raw values
    path: str
    renamed: dict[str, str]
    extra: list[str]
    synthetic: bool = False
    unread: list[str] = field(default_factory=list)  # extra binary/nested columns, reported but not read
    records: list[clean.QualityRecord] = field(default_factory=list)  # what reading the file changed or found
    schema: pa.Schema | None = None  # the file's own Arrow schema (parquet footer), None for text files
    source_names: list[str] = field(default_factory=list)  # every column name as the file spells it


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


def read_parquet_part(path: str, fs: Any, images: bool, row_groups: Sequence[int] | None = None,
                  metadata: pq.FileMetaData | None = None) -> RawPart:
    pf = open_parquet(path, fs, metadata)
    schema = pf.schema_arrow
    types = {f.name: f.type for f in schema}
    if len(set(schema.names)) != len(schema.names):
        dupes = sorted({n for n in schema.names if schema.names.count(n) > 1})
        raise DataError(f"{path}: duplicated column name(s) {', '.join(dupes)}")
    read, chosen, renamed, extra, unread = _column_plan(path, schema.names, types, images)
    columns = read + extra
    try:
        if row_groups is not None:  # one chunk of the file (`data.chunks`)
            table = (pf.read_row_groups(list(row_groups), columns=columns) if row_groups
                     else pf.schema_arrow.empty_table().select(columns))
        elif images:  # one row group at a time (iter_batches was measured to buffer the whole file)
            groups = [pf.read_row_group(i, columns=columns) for i in range(pf.num_row_groups)]
            table = pa.concat_tables(groups) if groups else pf.schema_arrow.empty_table().select(columns)
        else:
            table = pf.read(columns=columns)
    except Exception as exc:
        raise DataError(f"{path}: parquet data cannot be read ({type(exc).__name__}: {exc})") from exc
    frame = table.to_pandas(types_mapper=None).rename(columns=chosen)
    records = [_not_image(path, name, str(types[name]), pf.metadata.num_rows)
               for name, canon in chosen.items() if canon == "image" and not _is_image_type(types[name])]
    return RawPart(frame, path, renamed, extra, is_synthetic(schema), unread, records, schema)


def _is_image_type(dtype: pa.DataType) -> bool:
    return pa.types.is_struct(dtype) or pa.types.is_binary(dtype) or pa.types.is_large_binary(dtype)


def _not_image(path: str, column: str, kind: str, rows: int) -> clean.QualityRecord:
    return clean.record("image_not_image", "image", rows, [f"{column}: {kind}"],
                        f"{path}: column {column!r} holds {kind} values, not images (a struct of bytes and path, or "
                        f"binary); every image is counted as missing")


def _read_text_file(path: str, fs: Any, images: bool) -> RawPart:
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
    name = url_name(path).lower()
    replaced: dict[str, list[int]] = {}
    try:
        if name.endswith(".csv"):
            frame = _read_csv_text(path, text)
        elif name.endswith(".jsonl"):
            frame, replaced = _read_jsonl_text(path, text)
        else:
            frame = pd.read_json(io.StringIO(text), dtype=False)
    except DataError:
        raise
    except Exception as exc:
        raise DataError(f"{path}: cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc
    if isinstance(frame, pd.Series) or not len(frame.columns):
        raise DataError(f"{path}: no columns found")
    return _frame_part(frame, path, images, replaced, image_kind="text")


def _frame_part(frame: pd.DataFrame, path: str, images: bool, replaced: dict[str, list[int]] | None = None,
                image_kind: str | None = None, schema: pa.Schema | None = None) -> RawPart:
    """One table already in memory (a text file's, a DataFrame's, a Dataset's) as a raw part; `image_kind` names
    what an `image` column holds when it cannot hold images (text files)."""
    names = [str(c) for c in frame.columns]
    read, chosen, renamed, extra, _ = _column_plan(path, names, None, images)
    frame = frame.set_axis(names, axis=1)
    frame = frame[read + extra].rename(columns=chosen)
    records = _surrogate_records(path, replaced or {}, chosen)
    if image_kind is not None:
        records += [_not_image(path, name, image_kind, len(frame)) for name, canon in chosen.items()
                    if canon == "image"]
    return RawPart(frame, path, renamed, extra, records=records, schema=schema, source_names=names)


def json_objects(path: str, lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank line of a JSON Lines file; a line that is not a JSON object is one
    error naming `path` and the line. Integers of any size are kept."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: line {number}: not valid JSON ({exc.msg} at character {exc.colno})") from exc
        if not isinstance(value, dict):
            raise DataError(f"{path}: line {number}: expected a JSON object, found {type(value).__name__}")
        yield number, value


def _read_jsonl_text(path: str, text: str) -> tuple[pd.DataFrame, dict[str, list[int]]]:
    """JSON Lines (`json_objects`). Lone surrogates (escapes such as ``\\ud800`` that encode no character) become
    U+FFFD; returns the line numbers where that happened, per column."""
    records, replaced = [], {}
    for number, value in json_objects(path, text.split("\n")):
        for key, item in value.items():
            if isinstance(item, str) and _SURROGATE.search(item):
                value[key] = _SURROGATE.sub("\ufffd", item)
                replaced.setdefault(key, []).append(number)
        records.append(value)
    return (pd.DataFrame.from_records(records) if records else pd.DataFrame()), replaced


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_records(path: str, replaced: dict[str, list[int]], chosen: dict[str, str]) -> list[clean.QualityRecord]:
    return [clean.record("surrogate_replaced", chosen.get(column, column), len(lines),
                         [f"line {n}" for n in lines],
                         f"{path}: lone surrogates (escapes that encode no character) replaced by U+FFFD")
            for column, lines in replaced.items()]


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


def read_part(path: str, fs: Any, images: bool) -> RawPart:
    if url_name(path).lower().endswith(".parquet"):
        return read_parquet_part(path, fs, images)
    return _read_text_file(path, fs, images)


def row_splits(values: pd.Series) -> pd.Series:
    """The split of each row from a split column: `split_name` of the value, `UNSPLIT` when blank or missing."""
    return values.map(lambda v: split_name(clean.as_text(v)) or UNSPLIT)


def _empty_to_none(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None)


def canonical_part(part: RawPart, split: str | None, first_row: int = 0
               ) -> tuple[pd.DataFrame, list[clean.QualityRecord]]:
    """Clean one file's raw frame (or a chunk of it starting at row `first_row`) into canonical columns (ids are
    assigned later, per split)."""
    raw = part.frame
    n = len(raw)
    records: list[clean.QualityRecord] = list(part.records)
    if "split" in raw.columns:
        given = raw["split"].map(clean.as_text)
        blank = given.map(lambda v: not v.strip()).astype(bool)
        splits = row_splits(raw["split"])
        renamed = ~blank & (splits != given)
        if blank.any():
            records.append(clean.record("split_missing", "split", blank.sum(), [f"row {first_row + i + 1}" for i in
                                        blank.to_numpy().nonzero()[0]],
                                        f"{part.path}: rows without a split name were put in '{UNSPLIT}'"))
        if renamed.any():
            changes = sorted({f"{a!r} → {b!r}" for a, b in zip(given[renamed], splits[renamed])})
            records.append(clean.record("split_renamed", "split", renamed.sum(), changes,
                                        f"{part.path}: split names normalised (spaces trimmed, case-folded)"))
    else:
        splits = pd.Series([split or UNSPLIT] * n, index=raw.index)
        if split is None:
            records.append(clean.record("file_unsplit", "split", n, [url_name(part.path)],
                                        f"{part.path}: the file name names no split the Hub's way (a train, "
                                        f"validation or test keyword, or NAME-00000-of-00001) and the file has no "
                                        f"split column; its rows are read as '{UNSPLIT}'"))
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


def format_id(split: str, position: int) -> str:
    """The id of the row at `position` within `split` (``train-00042``)."""
    return f"{split}-{position:05d}"


def assign_ids(frame: pd.DataFrame, offsets: Mapping[str, int] | None = None) -> list[str]:
    """Ids of a frame sorted by split: each split's rows numbered from `offsets[split]` (0 by default)."""
    position = frame.groupby("split", sort=False).cumcount().to_numpy()
    start = frame["split"].map(lambda s: (offsets or {}).get(s, 0)).to_numpy()
    return [format_id(s, int(p)) for s, p in zip(frame["split"].astype(str), position + start)]


def clean_frame(frame: pd.DataFrame, records: list[clean.QualityRecord]) -> pd.DataFrame:
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
    out["age_raw"] = clean.map_unique(frame["age"], clean.raw_text).astype("string")
    out["sex_raw"] = clean.map_unique(frame["sex"], clean.raw_text).astype("string")
    for column in frame.columns:
        if column not in out.columns and column != "image":
            out[column] = frame[column].values
    if "image" in frame.columns:
        out["image"] = frame["image"].values
    return out.reset_index(drop=True)


def requested_splits(splits: str | Sequence[str] | None) -> list[str] | None:
    if splits is None:
        return None
    return [split_name(s) for s in ([splits] if isinstance(splits, str) else splits)]


def skipped_record(path: str, fs: Any, exc: DataError) -> clean.QualityRecord:
    """The record of one unreadable shard left out: its rows when its footer says, else "rows unknown"."""
    rows = _footer_rows(path, fs)
    lost = f"{rows:,} rows dropped" if rows is not None else "rows unknown (the file's footer cannot be read)"
    return clean.record("shard_skipped", "*", rows or 0, [url_name(path)], f"{exc}; {lost}")


def _refuse_aggregate_name(description: str, splits: Sequence[str]) -> None:
    if AGGREGATE in splits:
        raise SplitError(f"{description}: a split named {AGGREGATE!r} is the name the card gives all splits "
                         f"together; rename that split (e.g. 'all_rows')")


def selected_files(src: Source, wanted: list[str] | None) -> dict[str, list[str]]:
    """The source's files per split, limited to the `wanted` splits when the layout names them (an unknown split
    is one line); a split named like the aggregate "all" is refused."""
    by_name = dict(src.files)
    _refuse_aggregate_name(src.description, list(by_name))
    if wanted is not None and UNSPLIT not in by_name:
        unknown = [s for s in wanted if s not in by_name]
        if unknown:
            raise SplitError(f"{src.description}: unknown split {', '.join(map(repr, unknown))}; "
                             f"available: {', '.join(by_name)}")
        by_name = {s: by_name[s] for s in wanted}
    return by_name


def source_records(src: Source, by_name: Mapping[str, list[str]], present: set[str], wanted: list[str] | None
                   ) -> list[clean.QualityRecord]:
    """What the source itself tells once its rows were read (`present`: the splits that have rows): files not read
    and splits without rows; a wanted split found in no split column is one line."""
    _refuse_aggregate_name(src.description, list(present))
    records = []
    if src.unread:
        records.append(clean.record("file_not_read", "*", len(src.unread), list(src.unread),
                                    f"{src.description}: data files outside the Hub's layouts (top level, data/, "
                                    f"split folders) or of a format the package cannot read were not read"))
    records += [clean.record("split_empty", "split", 0, [name], f"{src.description}: split {name!r} has files "
                             f"but no rows; it is left out of every statistic")
                for name in by_name if name != UNSPLIT and name not in present]
    if wanted is not None and UNSPLIT in src.files:
        available = split_order(present)
        unknown = [s for s in wanted if s not in available]
        if unknown:
            raise SplitError(f"{src.description}: unknown split {', '.join(map(repr, unknown))}; "
                             f"available: {', '.join(available)}")
    return records


def load(
    source: Any = "sample",
    splits: str | Sequence[str] | None = None,
    images: bool = False,
    skip_corrupt: bool = False,
) -> pd.DataFrame:
    """Read a ViX-Ray source into the canonical frame.

    Columns: ``id, split, findings, impressions, age, sex, view, note, technique, age_raw, sex_raw`` (+ any extra
    source columns, + ``image`` when ``images=True``). ``df.attrs`` carries ``source``, ``synthetic``, ``quality``
    (the list of cleaning records; see :mod:`vixray_eda.data.clean`) and ``provenance`` (the source's files and
    column types: a `vixray_eda.data.provenance.Provenance` as a dict, read back by `Provenance.from_dict`).
    ``skip_corrupt`` skips unreadable shards (each one recorded) instead of failing. `source` may also be a pandas
    DataFrame, a `datasets.Dataset` or a `DatasetDict` (split names from its keys): the same cleaning applies.
    """
    src = resolve_source(source) if isinstance(source, (str, Path)) else _memory_source(source, images)
    wanted = requested_splits(splits)
    by_name = selected_files(src, wanted)
    frames, records, synthetic, read = [], [], src.synthetic, {}
    for split, paths in by_name.items():
        for path in paths:
            try:
                part = (_frame_part(src.tables[path][0], path, images, schema=src.tables[path][1])
                        if path in src.tables else read_part(path, src.fs, images))
            except DataError as exc:
                if not skip_corrupt or "missing required column" in str(exc):
                    raise
                records.append(skipped_record(path, src.fs, exc))
                continue
            read[path] = part
            synthetic = synthetic or part.synthetic
            if not len(part.frame):
                records.append(clean.record("file_empty", "*", 0, [Path(path).name],
                                            f"{path}: the file has no rows"))
            frame, recs = canonical_part(part, None if split == UNSPLIT else split)
            frames.append(frame)
            records += recs
    if not frames or sum(len(f) for f in frames) == 0:
        raise DataError(f"{src.description}: the dataset has no rows")
    frame = pd.concat(frames, ignore_index=True)
    records += source_records(src, by_name, set(frame["split"]), wanted)
    if wanted is not None and UNSPLIT in src.files:
        frame = frame[frame["split"].isin(wanted)].reset_index(drop=True)
    ranks = {s: i for i, s in enumerate(split_order(frame["split"]))}
    frame = frame.iloc[frame["split"].map(ranks).to_numpy().argsort(kind="stable")].reset_index(drop=True)
    frame.insert(0, "id", assign_ids(frame))
    out = clean_frame(frame, records)
    out.attrs.update(source=src.description, synthetic=synthetic, quality=clean.merge_records(records),
                     provenance=asdict(source_provenance(src, read)))
    return out


def source_provenance(src: Source, read: Mapping[str, RawPart]) -> provenance.Provenance:
    """The source's files (every split, whatever was selected) and column types, from the parts read and the
    footers of the parquet files that were not; in-memory tables are no files (their columns still count)."""
    rows: dict[str, int | None] = {}
    schemas: list[pa.Schema] = [schema for _, schema in src.tables.values() if schema is not None]
    text: list[provenance.SourceColumn] = []
    for path in src.all_files():
        part = read.get(path)
        if path in src.tables:
            continue
        if part is not None:
            rows[path] = len(part.frame)
            if part.schema is not None:
                schemas.append(part.schema)
            else:
                text += provenance.text_columns(part.source_names, url_name(path).lower().rsplit(".", 1)[-1])
        elif url_name(path).lower().endswith(".parquet"):
            try:
                footer = open_parquet(path, src.fs)
            except DataError:  # a skipped corrupt shard: its rows and types stay unknown
                continue
            rows[path] = footer.metadata.num_rows
            schemas.append(footer.schema_arrow)
    columns = provenance.source_columns(schemas)
    for column in text:
        if all(column.name != c.name for c in columns):
            columns.append(column)
    files = () if src.tables else tuple(provenance.file_facts(src.files, src.fs, src.root, rows))
    return provenance.Provenance(source=src.description, revision=provenance.hub_revision(src.description),
                                 files=files, columns=tuple(columns),
                                 split_column=any(split_name(c.name) == "split" for c in columns))


def quality_log(df: pd.DataFrame) -> pd.DataFrame:
    """The cleaning records of a loaded frame as a table (check, column, rows, examples, detail)."""
    columns = ["check", "column", "rows", "examples", "detail"]
    return pd.DataFrame(df.attrs.get("quality", []), columns=columns)
