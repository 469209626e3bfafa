"""Which folders are ours, and writing a folder atomically without ever deleting what the package did not write.

A folder is **ours** when it holds `MARKER` (a JSON file naming the package, the kind of output and a manifest of
every file and sub-folder the package wrote, with sizes and SHA-256 digests) and every entry in the folder is one
listed there with the same contents. The shape of a folder never counts.

A folder is built in a temporary sibling ``.NAME.<purpose>-XXXX`` that records the creating process in
`TEMP_MARKER`; it is renamed into place when complete. A later run removes such a leftover only when it carries
that record and its process is gone, and logs one line saying so. Like `files`, this sits below every layer.
"""
from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vixray_eda.errors import ParameterError, ReportError
from vixray_eda.files import umask

PACKAGE = "vixray-eda"
MARKER = ".vixray-eda-output"
TEMP_MARKER = ".vixray-eda-temporary"
#: The temporary siblings the package makes: the output being built, and the previous output while it is replaced.
TEMP_PURPOSES = ("building", "previous")
log = logging.getLogger("vixray_eda")


def _digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """Every entry below `folder` (relative POSIX path → ``{"dir": true}`` or ``{"size", "sha256"}``), the top-level
    marker left out. A symbolic link is listed as such, so it never matches a manifest the package wrote."""
    entries: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(folder).rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name == MARKER:
            continue
        if path.is_symlink():
            entries[name] = {"symlink": os.readlink(path)}
        elif path.is_dir():
            entries[name] = {"dir": True}
        else:
            entries[name] = {"size": path.stat().st_size, "sha256": _digest(path)}
    return entries


def write_marker(folder: Path, info: dict[str, Any] | None = None) -> None:
    """Record `folder`'s current contents as ours (call it last, when nothing more will be written)."""
    body = {**(info or {}), "package": PACKAGE, "files": manifest(folder)}
    (Path(folder) / MARKER).write_text(json.dumps(body, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def _recorded(folder: Path) -> dict[str, Any] | None:
    try:
        body = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("package") != PACKAGE or not isinstance(body.get("files"), dict):
        return None
    return body["files"]


def foreign_entries(folder: Path) -> list[str]:
    """Entries of `folder` the package did not write (all of them when it holds no valid marker); [] when ours."""
    folder = Path(folder)
    recorded = _recorded(folder)
    if recorded is None or (folder / MARKER).is_symlink():
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    shallow = {}
    for path in sorted(folder.rglob("*")):  # names and sizes first: digests only when everything else matches
        name = path.relative_to(folder).as_posix()
        if name == MARKER:
            continue
        want = recorded.get(name)
        if path.is_symlink() or want is None or ("dir" in want) != path.is_dir() or (
                not path.is_dir() and want.get("size") != path.stat().st_size):
            shallow[name] = True
    if shallow:
        return sorted(shallow)
    actual = manifest(folder)
    return sorted(name for name, entry in actual.items() if recorded.get(name) != entry)


def is_ours(folder: Path) -> bool:
    """True when `folder` holds the package's marker and exactly the files that marker lists."""
    folder = Path(folder)
    return folder.is_dir() and (folder / MARKER).is_file() and not foreign_entries(folder)


def resolve_out(out: Path) -> Path:
    """The absolute output path; a symbolic link is followed (its target is what gets replaced, the link stays)."""
    out = Path(out).expanduser().absolute()
    if out.is_symlink():
        target = Path(os.path.realpath(out))
        if not target.exists():
            raise ParameterError(f"{out}: is a symbolic link to a missing folder ({target}); "
                                 f"create the folder or choose another output")
        return target
    return out


def check_target(out: Path, force: bool = False, force_hint: bool = True) -> None:
    """Refuse an output that is a file, or a non-empty folder that is not ours (unless `force`); the message
    mentions --force when `force_hint`."""
    out = resolve_out(out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"{out}: output path exists and is not a folder")
    if force or not out.is_dir() or not any(out.iterdir()):
        return
    foreign = foreign_entries(out)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise ParameterError(f"{out}: folder holds files vixray-eda did not write; "
                             f"choose another --out{' or pass --force' if force_hint else ''} (not ours: {shown})")


def temporary_folder(out: Path, purpose: str) -> Path:
    """A fresh sibling ``.NAME.<purpose>-XXXX`` of `out` recording this process (for a later clean-up)."""
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.{purpose}-"))
    os.chmod(tmp, 0o777 & ~umask())  # mkdtemp creates 0700; the output gets the usual permissions
    record = {"package": PACKAGE, "pid": os.getpid(), "host": socket.gethostname(), "folder": tmp.name}
    (tmp / TEMP_MARKER).write_text(json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")
    return tmp


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def clean_leftovers(out: Path) -> list[Path]:
    """Remove temporary siblings of `out` left by runs that were killed: only folders carrying this host's record
    of a process that no longer exists. Logs one line per folder removed; returns them."""
    removed = []
    for purpose in TEMP_PURPOSES:
        for found in sorted(out.parent.glob(f".{glob.escape(out.name)}.{purpose}-*")):
            try:
                record = json.loads((found / TEMP_MARKER).read_text(encoding="utf-8"))
                ours = (record.get("package") == PACKAGE and record.get("folder") == found.name
                        and record.get("host") == socket.gethostname() and isinstance(record.get("pid"), int))
            except (OSError, ValueError, AttributeError):
                continue
            if not ours or found.is_symlink() or record["pid"] == os.getpid() or not _process_gone(record["pid"]):
                continue
            shutil.rmtree(found, ignore_errors=True)
            removed.append(found)
            log.info("removed %s, left by an interrupted vixray-eda run (process %d, gone)", found, record["pid"])
    return removed


@contextmanager
def atomic_folder(out: Path, force: bool = False, info: dict[str, Any] | None = None, what: str = "output",
                  force_hint: bool = True) -> Iterator[Path]:
    """Yield an empty folder to fill; on success it replaces `out` atomically, on any error or interrupt it is
    removed and `out` is left untouched.

    `out` may be missing, empty or ours (replaced whole). With `force`, a folder of someone else's is written
    into instead: same-named files are replaced, theirs kept, and no marker is written, so it never becomes ours.
    A symbolic link is followed. An OSError becomes a ReportError naming `out`, never a temporary path.
    """
    out = resolve_out(out)
    check_target(out, force, force_hint)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        tmp = temporary_folder(out, "building")
    except OSError as exc:
        raise ReportError(f"{out}: cannot write here ({_reason(exc, None, out)})") from exc
    work = tmp / "output"
    try:
        work.mkdir()
        yield work
        if out.is_dir() and any(out.iterdir()) and not is_ours(out):
            if not force:  # someone else's files appeared while the output was being built
                check_target(out, force, force_hint)
            _merge(work, out)
        else:
            write_marker(work, info)
            _install(work, out)
    except OSError as exc:
        raise ReportError(f"{out}: the {what} could not be written ({_reason(exc, work, out)}); "
                          f"the previous {what}, if any, was kept") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _reason(exc: OSError, work: Path | None, out: Path) -> str:
    """The OSError in words, a temporary path shown as the output path it stands for."""
    where = f": {exc.filename}" if exc.filename else ""
    text = f"{exc.strerror or type(exc).__name__}{where}"
    return text.replace(str(work), str(out)) if work is not None else text


def _install(work: Path, out: Path) -> None:
    if not out.exists() or not any(out.iterdir()):
        if out.exists():
            out.rmdir()
        os.replace(work, out)
        return
    old = temporary_folder(out, "previous")
    try:
        os.replace(out, old / "output")
        try:
            os.replace(work, out)
        except BaseException:
            os.replace(old / "output", out)
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


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
