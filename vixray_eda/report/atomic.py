"""Writing report folders atomically: the report layer's door to `vixray_eda.ownership`.

A report is built in a temporary sibling folder and renamed into place only when complete, so a failed or
interrupted run leaves the previous report (if any) exactly as it was and no half-written folder behind; a folder
is replaced only when it is ours (marker plus contents, see `vixray_eda.ownership`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vixray_eda.ownership import MARKER, atomic_folder

__all__ = ["MARKER", "building"]


@contextmanager
def building(out: Path, force: bool = False, info: dict | None = None, what: str = "report") -> Iterator[Path]:
    """Yield an empty folder to fill; on success it replaces `out` atomically (see `ownership.atomic_folder`).

    A previous output of the package is replaced whole. With `force`, a folder holding other files is written
    into (same-named files replaced, theirs kept) and never marked as ours. An OSError (read-only folder, disk
    full) becomes a ReportError naming `out`.
    """
    with atomic_folder(out, force=force, info=info, what=what) as tmp:
        yield tmp
