"""The figure file formats, their reproducible metadata and `as_formats`; without matplotlib, so that the command
line (`vixray-eda report` only runs a kernel) and the parameter declarations load none of the plotting stack."""
from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["FORMATS", "METADATA", "as_formats"]

FORMATS: tuple[str, ...] = ("pdf", "svg", "png")
#: Per format, metadata without timestamps or creator versions (None removes a key the backend would add).
METADATA: dict[str, dict[str, None]] = {
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "svg": {"Creator": None, "Date": None},
    "png": {"Software": None},
}


def as_formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    """Formats as a tuple; text such as "png", "pdf,svg" or '["png"]' (how papermill's -p passes a list) is split."""
    if isinstance(formats, str):
        return tuple(f.lower() for f in re.split(r"[\s,\[\]\"']+", formats) if f)
    return tuple(formats)
