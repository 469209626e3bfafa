"""Issue 10, item 13: YAML aliases (the alias-bomb vector) are refused before anything is expanded."""
from __future__ import annotations

import time

import pytest

from vixray_eda.cli import main
from vixray_eda.errors import ParameterError
from vixray_eda.report.run import parse_parameter, read_batch, read_parameter_file

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def test_an_alias_bomb_in_a_parameter_file_is_refused_at_once(tmp_path, capsys):
    params = tmp_path / "params.yaml"
    params.write_text(BOMB)
    started = time.monotonic()
    code = main(["report", "--data", "sample", "--out", str(tmp_path / "card"), "-f", str(params), "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "alias" in err and err.count("\n") == 1
    assert time.monotonic() - started < 10 and not (tmp_path / "card").exists()


def test_even_a_harmless_alias_is_refused_in_parameter_and_batch_files(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("n: &n 5\ntop_n: *n\n")
    with pytest.raises(ParameterError, match=r"params.yaml: .*alias.*line 2"):
        read_parameter_file(params)
    batch = tmp_path / "batch.yaml"
    batch.write_text("- name: a\n  data: &d sample\n- name: b\n  data: *d\n")
    with pytest.raises(ParameterError, match=r"batch.yaml: .*alias"):
        read_batch(batch)
    with pytest.raises(ParameterError, match=r"alias"):
        parse_parameter("splits=[&s train, *s]")
