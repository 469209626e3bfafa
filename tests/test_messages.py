"""Issue 10, items 15 and 17: one-line messages for odd input, quiet broken pipes, readable quality examples."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import vixray_eda as vx
from builders import hf_folder
from vixray_eda.cli import main
from vixray_eda.data.sources import load
from vixray_eda.errors import DataError, ParameterError
from vixray_eda.report.card import Card
from vixray_eda.report.run import read_batch


def _one_line_error(capsys, argv: list[str], *needles: str) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "internal error" not in err, err
    assert all(n in err for n in needles), err
    return err


def test_negative_seed_is_a_parameter_error(tmp_path, capsys):
    _one_line_error(capsys, ["sample", "--rows", "30", "--seed", "-1", "--out", str(tmp_path / "s")], "seed")
    assert not (tmp_path / "s").exists()


def test_nul_or_control_character_in_a_batch_name_is_refused(tmp_path):
    batch = tmp_path / "batch.yaml"
    batch.write_text('- name: "a\\0b"\n  data: sample\n')
    with pytest.raises(ParameterError, match=r"entry 1 has an invalid name"):
        read_batch(batch)


def test_invalid_utf8_in_a_parameter_is_one_line(tmp_path, capsys):
    title = b"Th\xff".decode("utf-8", "surrogateescape")  # what Python makes of such a command-line argument
    _one_line_error(capsys, ["report", "--data", "sample", "--out", str(tmp_path / "c"), "-p", f"title={title}"],
                    "title", "UTF-8")


def test_empty_data_is_refused_not_read_as_the_current_folder(tmp_path, monkeypatch, capsys):
    hf_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError, match="empty"):
        load("")
    _one_line_error(capsys, ["validate", "--data", ""], "empty")


def test_validate_into_a_closed_pipe_exits_quietly(tmp_path):
    hf_folder(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "vixray_eda", "validate", "--data", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    proc.stdout.close()  # `| head` that has already stopped reading
    _, err = proc.communicate(timeout=120)
    assert err == b"" and proc.returncode == 141


def test_quality_examples_are_shown_whole_not_split_into_characters(tmp_path):
    results = vx.compute_results(vx.load(hf_folder(tmp_path)))
    page = Card(results).html("quality")
    assert "N; a; m" not in page
    assert "&#x27;Nam&#x27; → M; &#x27;Nữ&#x27; → F" in page
