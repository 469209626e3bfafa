"""The one atomic writer shared by the cache, the figures and the reports."""
from __future__ import annotations

import os
import stat

import pytest

from vixray_eda.files import write_bytes_atomic, write_text_atomic


def test_writes_with_the_usual_permissions_and_replaces_whole_files(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text_atomic(tmp_path / "a" / "b.txt", "tràn dịch")
    finally:
        os.umask(old)
    assert path.read_text(encoding="utf-8") == "tràn dịch"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    write_bytes_atomic(path, b"new")
    assert path.read_bytes() == b"new" and [p.name for p in path.parent.iterdir()] == ["b.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = write_bytes_atomic(tmp_path / "x.bin", b"old")
    with pytest.raises(TypeError):
        write_bytes_atomic(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["x.bin"]
