"""Exception types with one-line messages that name the file, column and row where they can (URLs redacted)."""
from __future__ import annotations

from vixray_eda.redact import redact


class VixrayError(Exception):
    """Base class: every error the package raises on bad input. `str(err)` is one line, credentials in any URL in
    it redacted."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(" ".join(str(message).split())))


class DataError(VixrayError):
    """The data source cannot be read as a ViX-Ray dataset (missing columns, unreadable file, empty, ...)."""


class SplitError(DataError):
    """A requested split does not exist in the source."""


class ParameterError(VixrayError):
    """A parameter (CLI flag, notebook parameter, output path) is invalid."""


class ReportError(VixrayError):
    """Building a report failed; the previous report, if any, was left intact."""
