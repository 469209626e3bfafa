"""Where the package keeps what is expensive to rebuild (the synthetic sample, text-pipeline results, figure bytes,
cards).

The folder is `$VIXRAY_EDA_CACHE` when set, else `$XDG_CACHE_HOME/vixray-eda`, else `~/.cache/vixray-eda`.
Everything in it can be deleted at any time; it is rebuilt on demand.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sys
from functools import lru_cache
from pathlib import Path

from vixray_eda.files import write_bytes_atomic

ENV_VAR = "VIXRAY_EDA_CACHE"
_PACKAGE = Path(__file__).resolve().parent
#: The libraries whose versions shape cached numbers, words and figure bytes.
LIBRARIES = ("numpy", "pandas", "scipy", "matplotlib", "pillow", "fonttools", "wordcloud", "underthesea", "pyarrow")


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


def _package_files() -> list[Path]:
    return sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix not in (".pyc", ".pyo"))


@lru_cache(maxsize=1)
def code_version() -> str:
    """Digest of every file of the package, Python's version and the `LIBRARIES`' versions: the part of a cache
    key that makes any change to the code or its libraries a miss (the card cache, the chunk-count cache)."""
    return digest(sys.version, *(importlib.metadata.version(name) for name in LIBRARIES),
                  *(part for p in _package_files() for part in (p.relative_to(_PACKAGE).as_posix(), p.read_bytes())))
