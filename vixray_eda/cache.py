"""Where the package keeps what is expensive to rebuild (the synthetic sample, text-pipeline results).

The folder is `$VIXRAY_EDA_CACHE` when set, else `$XDG_CACHE_HOME/vixray-eda`, else `~/.cache/vixray-eda`.
Everything in it can be deleted at any time; it is rebuilt on demand.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

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
