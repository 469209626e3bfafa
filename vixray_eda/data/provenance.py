"""Where the data came from, exactly: each source file with its size and sha256, and the source's own column types.

- Local files are hashed in one sequential pass of raw bytes (no parquet decoding, nothing kept in memory) and the
  digest is cached under ``cache_dir("digests")`` keyed by the file's real path, size and modification time, so a
  17 GB export is hashed once, not on every report.
- Remote files on the Hugging Face Hub carry the sha256 of their LFS object in the listing: it is taken from there and
  nothing is downloaded. Other remote files have no digest we could trust without reading them, so it stays unknown
  (None), and what needs one (Croissant) says so.
- Column types come from the parquet footer (Arrow schema) and the ``huggingface`` feature metadata the Hub writes
  into it, never from the cleaned frame (whose `age` is always float).

The cache holds JSON data only; an entry that does not parse is recomputed.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vixray_eda.cache import cache_dir, digest
from vixray_eda.redact import redact

__all__ = ["SourceFile", "SourceColumn", "Provenance", "file_sha256", "file_facts", "with_digests", "source_files",
           "source_columns", "text_columns", "hf_dtype", "hub_revision", "HUB_DTYPES"]

_CHUNK = 8 << 20


@dataclass(frozen=True)
class SourceFile:
    """One data file of a source: `path` relative to the dataset folder (or the remote path), its split, size in
    bytes and sha256 (None when it cannot be known without reading a remote file)."""

    path: str
    split: str
    size: int | None
    sha256: str | None
    rows: int | None = None  # rows the file holds (parquet footer, or as read), None when not known exactly
    local: str | None = field(default=None, repr=False, compare=False)  # absolute local path (hashing only)


@dataclass(frozen=True)
class SourceColumn:
    """One column as the source declares it: name as spelled, Arrow type as text, Hugging Face dtype when the
    shards carry Hugging Face feature metadata (``"int64"``, ``"image"``, ...), else None."""

    name: str
    arrow_type: str
    hf_dtype: str | None


def file_sha256(path: str | os.PathLike[str]) -> str:
    """sha256 of a local file, cached by (real path, size, modification time)."""
    real = Path(path).resolve()
    stat = real.stat()
    entry = cache_dir("digests") / f"{digest(str(real), str(stat.st_size), str(stat.st_mtime_ns))}.json"
    try:
        cached = json.loads(entry.read_text(encoding="utf-8"))
        if isinstance(cached, dict) and isinstance(cached.get("sha256"), str) and len(cached["sha256"]) == 64:
            return cached["sha256"]
    except (OSError, ValueError):
        pass
    h = hashlib.sha256()
    with open(real, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            h.update(chunk)
    value = h.hexdigest()
    try:
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"path": str(real), "sha256": value}), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:  # a read-only cache is a miss next time, never an error
        pass
    return value


def _remote_facts(path: str, fs: Any) -> tuple[int | None, str | None]:
    """(size, sha256) of a remote file from its listing: the Hub's LFS object id is its sha256."""
    try:
        info = fs.info(path)
    except Exception:  # the listing is optional provenance: the data itself was already read
        return None, None
    lfs = info.get("lfs") or {}
    sha = lfs.get("sha256") or lfs.get("oid")
    size = lfs.get("size", info.get("size"))
    return (int(size) if size is not None else None), (sha if isinstance(sha, str) and len(sha) == 64 else None)


def _relative(path: str, root: str | None) -> str:
    if root is None:
        return Path(path).name
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).name


#: A file of a Hub dataset repository as HfFileSystem names it: ``datasets/OWNER/NAME[@REVISION]/PATH``.
_HUB_PATH = re.compile(r"^datasets/[^/]+/[^/@]+(?:@([^/]+))?/(.+)$")


def hub_revision(location: str) -> str | None:
    """The revision named in a Hub location (``hf://datasets/o/n@v1.0/data``, ``datasets/o/n@abc/x``), else None."""
    match = _HUB_PATH.match(location.removeprefix("hf://"))
    return match[1] if match else None


def _remote_path(path: str) -> str:
    """A remote file's path inside its dataset (Hub: relative to the repository), its URL redacted otherwise."""
    match = _HUB_PATH.match(path)
    return match[2] if match else redact(path)


def file_facts(files: Mapping[str, list[str]], fs: Any = None, root: str | None = None,
               rows: Mapping[str, int | None] | None = None) -> list[SourceFile]:
    """`SourceFile` of every file of a source (`files`: split → paths, as `resolve_source` finds them) without
    reading any data: local files get their size (their digest is `with_digests`'s job), remote ones the size and
    sha256 of their listing. Local paths are given relative to `root` (the dataset folder)."""
    rows = rows or {}
    out = []
    for split, paths in files.items():
        for path in paths:
            if fs is None:
                out.append(SourceFile(_relative(path, root), split, Path(path).stat().st_size, None, rows.get(path),
                                      str(Path(path).resolve())))
            else:
                size, sha = _remote_facts(path, fs)
                out.append(SourceFile(_remote_path(path), split, size, sha, rows.get(path)))
    return out


def with_digests(files: Iterable[SourceFile]) -> list[SourceFile]:
    """The files with the sha256 of every local one (`file_sha256`, cached)."""
    return [replace(f, sha256=file_sha256(f.local)) if f.local is not None and f.sha256 is None else f
            for f in files]


def source_files(files: Mapping[str, list[str]], fs: Any = None, root: str | None = None) -> list[SourceFile]:
    """`file_facts` with the digests of local files."""
    return with_digests(file_facts(files, fs, root))


#: The Hugging Face `dtype`s a card may declare for a column (`datasets.Value` types and `image`).
HUB_DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16",
                        "float32", "float64", "string", "large_string", "binary", "large_binary", "image"})


def hf_dtype(arrow_type: str) -> str:
    """The Hugging Face `dtype` of an Arrow type given as text, for columns without Hub feature metadata."""
    t = arrow_type.lower()
    if t.startswith("struct") and "bytes" in t:
        return "image"
    return {"double": "float64", "float": "float32", "halffloat": "float16", "utf8": "string",
            "large_string": "large_string", "bool": "bool"}.get(t, t)


def _hf_features(metadata: dict[bytes, bytes] | None) -> dict[str, str]:
    """column → dtype from the ``huggingface`` key of a parquet schema's metadata (``{"info": {"features": ...}}``)."""
    try:
        features = json.loads((metadata or {}).get(b"huggingface", b"{}"))["info"]["features"]
    except (KeyError, TypeError, ValueError):
        return {}
    out = {}
    for name, spec in features.items() if isinstance(features, dict) else ():
        if isinstance(spec, dict):
            kind = spec.get("_type")
            out[name] = spec.get("dtype") if kind == "Value" else str(kind).lower() if kind else None
    return {k: v for k, v in out.items() if v}


def source_columns(schemas: Iterable[Any]) -> list[SourceColumn]:
    """The columns of a source from the Arrow schemas of its parquet files (first spelling and type win; a column
    whose type differs between files is reported with the types joined by " | ")."""
    types: dict[str, list[str]] = {}
    declared: dict[str, str] = {}
    for schema in schemas:
        for column in schema:
            seen = types.setdefault(column.name, [])
            if str(column.type) not in seen:
                seen.append(str(column.type))
        for name, dtype in _hf_features(schema.metadata).items():
            declared.setdefault(name, dtype)
    return [SourceColumn(name, " | ".join(t), declared.get(name)) for name, t in types.items()]


def text_columns(names: Iterable[str], kind: str) -> list[SourceColumn]:
    """The columns of a text file: a CSV holds text in every cell (``string``); a JSON file's types are not declared
    anywhere, so they stay unknown (empty `arrow_type`)."""
    return [SourceColumn(name, "string" if kind == "csv" else "", None) for name in names]


@dataclass(frozen=True)
class Provenance:
    """Where the data came from: the (redacted) source, its revision when named, every data file of the source (all
    splits, whatever the analysis selected) and the columns as the source declares them. `split_column`: some file
    holds a `split` column, so splits are not one per file."""

    source: str
    revision: str | None
    files: tuple[SourceFile, ...]
    columns: tuple[SourceColumn, ...]
    split_column: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        """The inverse of `dataclasses.asdict` (a loaded frame keeps its provenance as JSON-ready data in `attrs`,
        since pandas writes `attrs` as JSON, e.g. in `to_parquet`)."""
        return cls(source=data["source"], revision=data["revision"],
                   files=tuple(SourceFile(**f) for f in data["files"]),
                   columns=tuple(SourceColumn(**c) for c in data["columns"]), split_column=data["split_column"])

    def split_rows(self) -> dict[str, int] | None:
        """Rows per split as the files hold them, when every file names its split and its rows are known exactly."""
        if not self.files or self.split_column or any(f.rows is None or f.split == "unsplit" for f in self.files):
            return None
        out: dict[str, int] = {}
        for f in self.files:
            out[f.split] = out.get(f.split, 0) + int(f.rows or 0)
        return out

    def split_paths(self) -> dict[str, list[str]] | None:
        """Data files per split (paths inside the dataset) when every file names its split, else None."""
        if not self.files or self.split_column or any(f.split == "unsplit" for f in self.files):
            return None
        out: dict[str, list[str]] = {}
        for f in self.files:
            out.setdefault(f.split, []).append(f.path)
        return out

    def missing_digest(self) -> str | None:
        """Why the files cannot all be named by their sha256 (None when they can)."""
        if not self.files:
            return "the data was given in memory, not as files"
        unknown = [f.path for f in self.files if f.sha256 is None]
        if unknown:
            return (f"the sha256 of {len(unknown)} file(s) ({unknown[0]}{', ...' if len(unknown) > 1 else ''}) is "
                    f"not known without downloading them (only local files and Hub LFS files have one)")
        return None
