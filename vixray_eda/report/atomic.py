"""Writing output folders and files atomically, and refusing to overwrite folders the package did not write.

A report is built in a temporary sibling folder and renamed into place only when complete, so a failed or
interrupted run leaves the previous report (if any) exactly as it was and no half-written folder behind.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vixray_eda.errors import ParameterError, ReportError
from vixray_eda.files import umask

MARKER = ".vixray-eda-report"


def is_package_output(folder: Path) -> bool:
    """True when the folder holds a report this package wrote (it carries the marker file)."""
    return (folder / MARKER).is_file()


def check_target(out: Path, force: bool = False) -> None:
    """Refuse an output folder that holds files the package did not write (unless `force`), or a file."""
    if out.exists() and not out.is_dir():
        raise ParameterError(f"{out}: output path exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not is_package_output(out) and not force:
        raise ParameterError(f"{out}: folder holds files vixray-eda did not write; choose another --out or pass --force")


@contextmanager
def building(out: Path, force: bool = False, info: dict | None = None) -> Iterator[Path]:
    """Yield a fresh temporary folder beside `out`; on success it replaces `out` atomically, on any error or interrupt
    it is removed and `out` is left untouched.

    A previous report of this package is replaced whole. With `force`, a folder holding other files is not
    deleted: the new report's files are moved into it, replacing only files of the same name (sub-folders are
    merged). An OSError (read-only folder, disk full) becomes a ReportError naming the folder.
    """
    out = Path(out).absolute()
    check_target(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.building-"))
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp creates 0700; the report folder gets the usual permissions
    except OSError as exc:
        raise ReportError(f"{out}: cannot write here ({_reason(exc)})") from exc
    try:
        yield tmp
        (tmp / MARKER).write_text(json.dumps(info or {}, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        _install(tmp, out)
    except OSError as exc:
        raise ReportError(f"{out}: the report could not be written ({_reason(exc)}); "
                          f"the previous report, if any, was kept") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _reason(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or type(exc).__name__}{where}"


def _install(tmp: Path, out: Path) -> None:
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
        return
    if is_package_output(out):
        old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.previous-"))
        os.replace(out, old / "report")
        try:
            os.replace(tmp, out)
        except BaseException:
            os.replace(old / "report", out)
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)
        return
    _merge(tmp, out)


def _merge(source: Path, target: Path) -> None:
    """Move `source`'s entries into the foreign folder `target`, replacing same-named files only: a folder of the
    user's (e.g. their own figures/) is merged into, never deleted; a same-named entry of the other kind is an error."""
    for item in sorted(source.iterdir()):
        dest = target / item.name
        if item.is_dir() and dest.is_dir() and not dest.is_symlink():
            _merge(item, dest)
        elif item.is_dir() == dest.is_dir() or not dest.exists():
            os.replace(item, dest)
        else:
            raise ParameterError(f"{dest}: exists as a {'folder' if dest.is_dir() else 'file'} that vixray-eda "
                                 f"did not write; move it away")
