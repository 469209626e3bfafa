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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vixray_eda.cache import cache_dir, digest

__all__ = ["SourceFile", "SourceColumn", "file_sha256", "source_files", "source_columns", "hf_dtype"]

_CHUNK = 8 << 20


@dataclass(frozen=True)
class SourceFile:
    """One data file of a source: `path` relative to the dataset folder (or the remote path), its split, size in
    bytes and sha256 (None when it cannot be known without reading a remote file)."""

    path: str
    split: str
    size: int | None
    sha256: str | None


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


def source_files(files: dict[str, list[str]], fs: Any = None, root: str | None = None) -> list[SourceFile]:
    """`SourceFile` of every file of a source (`files`: split → paths, as `resolve_source` finds them); local paths
    are given relative to `root` (the dataset folder)."""
    out = []
    for split, paths in files.items():
        for path in paths:
            if fs is None:
                size, sha = Path(path).stat().st_size, file_sha256(path)
                out.append(SourceFile(_relative(path, root), split, size, sha))
            else:
                size, sha = _remote_facts(path, fs)
                out.append(SourceFile(path, split, size, sha))
    return out


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
        for field in schema:
            seen = types.setdefault(field.name, [])
            if str(field.type) not in seen:
                seen.append(str(field.type))
        for name, dtype in _hf_features(schema.metadata).items():
            declared.setdefault(name, dtype)
    return [SourceColumn(name, " | ".join(t), declared.get(name)) for name, t in types.items()]
