"""Issue 10, items 1-5: never delete or overwrite what the package did not write.

"Ours" is a marker only the package writes plus every file in the folder being one it listed there with the same
contents; never the shape of a folder.
"""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import hf_folder
from report_helpers import small_dataset
from vixray_eda.cli import main
from vixray_eda.data.sample import write_sample
from vixray_eda.errors import ParameterError, ReportError
from vixray_eda.report.atomic import building
from vixray_eda.report.run import build_figures

ROWS = dict(rows=30, image_side=16)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _real_dataset(folder: Path) -> Path:
    """The ordinary one-shard Hugging Face layout of a real dataset, plus a file of the user's."""
    hf_folder(folder)
    (folder / "README.md").write_text("# my hospital's only export\n")
    (folder / "annotations").mkdir()
    (folder / "annotations" / "labels.csv").write_text("id,label\n1,x\n")
    return folder


# ------------------------------------------------------------------ item 1: sample --out over a real dataset

def test_sample_refuses_a_real_dataset_in_the_hub_layout(tmp_path, capsys):
    data = _real_dataset(tmp_path / "export")
    before = _tree(data)
    code = main(["sample", "--rows", "30", "--image-side", "16", "--out", str(data)])
    err = capsys.readouterr().err
    assert code == 2 and "did not write" in err and err.count("\n") == 1
    assert _tree(data) == before


def test_sample_refuses_the_bare_hub_layout_without_our_marker(tmp_path):
    data = hf_folder(tmp_path / "export")
    (data / "README.md").write_text("# a real dataset card\n")
    before = _tree(data)
    with pytest.raises(ParameterError, match="did not write"):
        write_sample(data, **ROWS)
    assert _tree(data) == before


def test_sample_replaces_its_own_sample_but_not_one_a_user_added_to(tmp_path):
    out = write_sample(tmp_path / "s", rows=30, seed=1, image_side=16)
    write_sample(out, rows=30, seed=2, image_side=16)  # ours: replaced
    assert "seed 2" in (out / "README.md").read_text()
    (out / "annotations").mkdir()
    (out / "annotations" / "labels.csv").write_text("id,label\n")
    with pytest.raises(ParameterError, match="annotations"):
        write_sample(out, **ROWS)
    assert (out / "annotations" / "labels.csv").exists()


def test_a_changed_file_makes_the_folder_not_ours(tmp_path):
    out = write_sample(tmp_path / "s", **ROWS)
    (out / "README.md").write_text("# edited by hand\n")
    with pytest.raises(ParameterError, match="README.md"):
        write_sample(out, **ROWS)
    assert (out / "README.md").read_text() == "# edited by hand\n"


# ------------------------------------------------------------------ item 2: --force never makes a folder ours

def _build(out: Path, text: str, **kw) -> None:
    with building(out, **kw) as tmp:
        (tmp / "index.html").write_text(text)


def test_force_keeps_user_files_and_never_turns_their_folder_into_ours(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("the user's")
    _build(out, "card", force=True)
    assert (out / "notes.txt").read_text() == "the user's" and (out / "index.html").read_text() == "card"
    with pytest.raises(ParameterError, match="did not write"):
        _build(out, "card 2")
    assert (out / "notes.txt").read_text() == "the user's"


def test_a_report_of_ours_is_replaced_whole(tmp_path):
    out = tmp_path / "card"
    with building(out) as tmp:
        (tmp / "old-only.txt").write_text("old")
    _build(out, "new")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["card"]


# ------------------------------------------------------------------ item 3: --out given as a symlink

def test_symlinked_out_updates_the_link_target_atomically(tmp_path):
    target = tmp_path / "real"
    _build(target, "old")
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    _build(link, "new")
    assert link.is_symlink() and (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_symlink_to_an_empty_folder_and_a_dangling_one(tmp_path):
    (tmp_path / "empty").mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "empty", target_is_directory=True)
    _build(link, "card")
    assert link.is_symlink() and (tmp_path / "empty" / "index.html").read_text() == "card"
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "missing")
    with pytest.raises(ParameterError, match="symbolic link"):
        _build(dangling, "card")


def test_sample_out_through_a_symlink(tmp_path):
    (tmp_path / "real").mkdir()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "real", target_is_directory=True)
    write_sample(link, **ROWS)
    assert link.is_symlink() and (tmp_path / "real" / "data" / "train-00000-of-00001.parquet").is_file()


# ------------------------------------------------------------------ item 4: figures is atomic

@pytest.mark.slow
def test_failed_figures_run_keeps_the_previous_figures_and_names_no_temp_file(tmp_path, monkeypatch):
    data = small_dataset(tmp_path / "data", rows=60)
    out = tmp_path / "figures"
    build_figures(data, out, formats=["svg"])
    before = _tree(out)
    import vixray_eda.plots.save as save

    calls = []
    real = save.write_bytes_atomic

    def failing(path, content):
        calls.append(path)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, b"changed" + content)

    monkeypatch.setattr(save, "write_bytes_atomic", failing)
    with pytest.raises(ReportError) as err:
        build_figures(data, out, formats=["svg"])
    assert _tree(out) == before, "old and new figures mixed"
    assert ".building-" not in str(err.value) and ".tmp" not in str(err.value)
    assert [p.name for p in tmp_path.iterdir()] == ["data", "figures"] or sorted(
        p.name for p in tmp_path.iterdir()) == ["data", "figures"]


def test_figures_refuse_a_folder_of_user_files_without_force(tmp_path, monkeypatch):
    out = tmp_path / "paper"
    out.mkdir()
    (out / "paper.tex").write_text("\\documentclass{article}")
    with pytest.raises(ParameterError, match="did not write"):
        build_figures("sample", out, formats=["svg"])


# ------------------------------------------------------------------ item 5: interrupted runs and their leftovers

_HOLD = """
import sys, time
from pathlib import Path
from vixray_eda.report.atomic import building
with building(Path(sys.argv[1])) as tmp:
    (tmp / "half.html").write_text("half")
    print("ready", flush=True)
    time.sleep(60)
"""


def _killed_build(out: Path) -> list[Path]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    proc.kill()
    proc.wait()
    return [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


def test_leftover_of_a_killed_run_is_removed_by_the_next_run_with_one_line(tmp_path, caplog):
    out = tmp_path / "card"
    leftovers = _killed_build(out)
    assert leftovers, "the killed run left its temporary folder (as SIGKILL does)"
    foreign = tmp_path / ".card.building-users"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours: no marker")
    with caplog.at_level("INFO", logger="vixray_eda"):
        _build(out, "card")
    assert not any(p.exists() for p in leftovers)
    assert (foreign / "keep.txt").exists(), "a folder without our marker is never removed"
    lines = [r.getMessage() for r in caplog.records if "interrupted" in r.getMessage()]
    assert len(lines) == len(leftovers) and all("\n" not in line for line in lines)


def test_leftover_of_a_live_process_is_kept(tmp_path):
    out = tmp_path / "card"
    with building(out) as tmp:
        with building(out, force=True) as inner:  # a second run while the first is still working
            (inner / "index.html").write_text("x")
        assert tmp.exists(), "the running build's folder was removed"
        (tmp / "index.html").write_text("y")


def test_sigterm_during_sample_is_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "s"
    cmd = [sys.executable, "-m", "vixray_eda", "sample", "--rows", "3000", "--out", str(out)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".s.") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert err.count("\n") == 1 and "terminated" in err
    assert list(tmp_path.iterdir()) == []


def test_the_cli_says_in_one_line_that_it_removed_a_leftover(tmp_path, capsys):
    out = tmp_path / "s"
    [leftover] = _killed_build(out)
    assert main(["sample", "--rows", "30", "--image-side", "16", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"removed {leftover}" in err and "interrupted" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
