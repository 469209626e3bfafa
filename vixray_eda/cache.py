"""Where the package keeps what is expensive to rebuild (the synthetic sample, text-pipeline results, figure bytes,
cards).

The folder is `$VIXRAY_EDA_CACHE` when set, else `$XDG_CACHE_HOME/vixray-eda`, else `~/.cache/vixray-eda`.
Everything in it can be deleted at any time; it is rebuilt on demand.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from vixray_eda.files import write_bytes_atomic

ENV_VAR = "VIXRAY_EDA_CACHE"


def cache_dir(*parts: str) -> Path:
    """The cache folder (or a sub-folder of it), created if missing."""
    root = os.environ.get(ENV_VAR)
    if root:
        base = Path(root)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vixray-eda"
    path = base.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def digest(*parts: str | bytes) -> str:
    """A short, stable hex key for cache entries built from strings or bytes."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def read_entry(path: Path) -> bytes | None:
    """The payload of a cache entry written by `write_entry`, or None when it is absent, truncated or altered (a
    digest line that does not match its payload and file name is a miss, never an error)."""
    try:
        recorded, _, payload = path.read_bytes().partition(b"\n")
        return payload if recorded.decode("ascii") == digest(path.stem, payload) else None
    except (OSError, UnicodeDecodeError):
        return None


def write_entry(path: Path, payload: bytes) -> None:
    """Store `payload` atomically after a line holding its digest; a failed write (full or read-only disk) only
    means no entry."""
    try:
        write_bytes_atomic(path, digest(path.stem, payload).encode("ascii") + b"\n" + payload)
    except OSError:
        pass
