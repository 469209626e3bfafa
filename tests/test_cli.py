"""The command line never shows a traceback: one line on stderr and an exit code (0 ok, 1 problems, 2 error)."""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from builders import hf_folder, rows, write_parquet
from vixray_eda.cli import main
from vixray_eda.report.run import card_exporter, page_metadata, parse_parameter, ready_card_exporter, to_html


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, err


def test_validate_exit_codes(tmp_path, capsys):
    hf_folder(tmp_path / "clean")
    code, out, _ = _run(capsys, "validate", "--data", str(tmp_path / "clean"))
    assert code == 0 and out.strip().endswith("result: clean")
    write_parquet(tmp_path / "messy" / "train.parquet", rows(3, Ages=["999", "70", "71"]))
    code, out, _ = _run(capsys, "validate", "--data", str(tmp_path / "messy"))
    assert code == 1 and "age_implausible" in out
    code, out, err = _run(capsys, "validate", "--data", str(tmp_path / "nowhere"))
    assert code == 2 and out == ""
    _assert_one_line_error(err, "unreadable", "nowhere: no such file or folder")


def test_validate_skip_corrupt_counts_the_shard_as_a_problem(tmp_path, capsys):
    hf_folder(tmp_path)
    (tmp_path / "data" / "val-00001-of-00002.parquet").write_bytes(b"PAR1 half a shard")
    code, _, err = _run(capsys, "validate", "--data", str(tmp_path))
    assert code == 2
    _assert_one_line_error(err, "val-00001-of-00002.parquet: not a readable parquet file")
    code, out, _ = _run(capsys, "validate", "--data", str(tmp_path), "--skip-corrupt")
    assert code == 1 and "shard_skipped" in out and "val-00001-of-00002.parquet" in out


@pytest.mark.parametrize("argv, needles", [
    (["summary", "--data", "{tmp}/nope.csv"], ["nope.csv: no such file or folder"]),
    (["summary", "--data", "{tmp}/dup.csv"], ["duplicated column name(s) 'sex'"]),
    (["summary", "--data", "sample", "--splits", "validation"], ["unknown split 'validation'"]),
    (["report", "--data", "sample", "--out", "{tmp}/r", "-p", "colour=red"], ["unknown parameter(s) colour"]),
    (["report", "--data", "sample", "--out", "{tmp}/r", "-p", "nonsense"], ["expected key=value"]),
    (["report", "--data", "{tmp}", "--out", "{tmp}", "--force"], ["would contain the input data"]),
    (["report", "--data", "{tmp}/dup.csv", "--out", "{tmp}"], ["would contain the input data"]),
    (["report", "--data", "sample", "--out", "{tmp}/dup.csv"], ["exists and is not a folder"]),
    (["report", "--data", "sample", "--out", "{tmp}/dup.csv/card"], ["dup.csv/card: cannot write here (File exists"]),
    (["figures", "--data", "sample", "--out", "{tmp}/f", "--formats", "gif"], ["unknown format(s) gif"]),
])
def test_errors_are_one_line_with_exit_2(tmp_path, capsys, argv, needles):
    (tmp_path / "dup.csv").write_text("findings,impressions,sex,sex\na,b,Nam,Nữ\n", encoding="utf-8")
    code, _, err = _run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2
    _assert_one_line_error(err, *needles)
    assert not (tmp_path / "r").exists() and not [p for p in tmp_path.iterdir() if ".building-" in p.name]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_output_folder_is_one_line(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = _run(capsys, "report", "--data", "sample", "--out", str(locked / "card"), "-q")
    finally:
        locked.chmod(0o700)
    assert code == 2
    _assert_one_line_error(err, "cannot write here", "Permission denied")


def test_os_and_unexpected_errors_are_one_line(monkeypatch, capsys):
    import vixray_eda.data.sources as sources

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device", "/data/x.parquet")

    monkeypatch.setattr(sources, "load", disk_full)
    code, _, err = _run(capsys, "summary", "--data", "sample")
    assert code == 2
    _assert_one_line_error(err, "No space left on device: /data/x.parquet")

    def bug(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(sources, "load", bug)
    code, _, err = _run(capsys, "summary", "--data", "sample")
    assert code == 2
    _assert_one_line_error(err, "internal error: ZeroDivisionError: division by zero", "VIXRAY_EDA_DEBUG")


def test_python_dash_m_prints_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "vixray_eda", "summary", "--data", str(tmp_path / "missing dữ liệu")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    _assert_one_line_error(proc.stderr, "missing dữ liệu: no such file or folder")


@pytest.mark.parametrize("text, value", [
    ("title=Thẻ \"ViX-Ray\" của tôi", "Thẻ \"ViX-Ray\" của tôi"),
    ("title=Card #2: draft", "Card #2: draft"),
    ("title='quoted: yes'", "quoted: yes"),
    ("top_n=5", 5),
    ("splits=[train, test]", ["train", "test"]),
    ("read_images=true", True),
])
def test_parameter_values(text, value):
    assert parse_parameter(text) == (text.split("=")[0], value)


def test_figures_flags_are_refused_as_parameters(tmp_path):
    out = subprocess.run([sys.executable, "-m", "vixray_eda", "figures", "--out", str(tmp_path), "-p", "formats=png"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "formats are --data, --out and --formats" in out.stderr


def test_page_metadata_reaches_the_page_title_and_language():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x")])
    nb.metadata["vixray_eda"] = page_metadata({"title": 'Thẻ "ViX-Ray" <b>1</b>', "lang": "vi", "top_n": 5})
    page = to_html(nb)
    assert '<html lang="vi">' in page and "<title>Thẻ \"ViX-Ray\" &lt;b&gt;1&lt;/b&gt;</title>" in page
    assert page_metadata({}) == {"title": "ViX-Ray dataset card", "lang": "en"}


def test_the_exporter_made_while_the_cells_run_has_its_templates_compiled_and_converts_alike():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Tràn dịch <màng> phổi")])
    nb.metadata["vixray_eda"] = page_metadata({"title": "Thẻ", "lang": "vi"})
    ready = ready_card_exporter()
    assert len(ready.environment.cache) > 0 and len(card_exporter().environment.cache) == 0
    assert to_html(nb, ready) == to_html(nb)  # the warm-up conversion leaves nothing behind


def _entry(code: str, *argv: str) -> subprocess.CompletedProcess:
    """Run `code`, then the command's entry point with `argv`, in a fresh interpreter whose output is buffered."""
    script = f"import sys\n{code}\nsys.argv = ['vixray-eda', *{list(argv)!r}]\nfrom vixray_eda.cli import entry\nentry()\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)


def test_the_command_exits_at_once_yet_flushes_its_streams_and_runs_atexit_handlers():
    proc = _entry("import atexit\nsys.stdout.write('x' * 200_000)\natexit.register(print, 'atexit ran')", "--version")
    assert proc.returncode == 0
    assert proc.stdout == "x" * 200_000 + "vixray-eda " + __import__("vixray_eda").__version__ + "\natexit ran\n"
    failed = _entry("", "summary", "--data", "/no/such/folder")
    assert failed.returncode == 2 and failed.stderr.count("\n") == 1 and "/no/such/folder" in failed.stderr


def test_the_command_waits_for_a_running_thread_before_it_exits(tmp_path):
    done = tmp_path / "done"
    proc = _entry(f"import threading, time, pathlib\nthreading.Thread(target=lambda: (time.sleep(0.5), "
                  f"pathlib.Path({str(done)!r}).write_text('ok'))).start()", "--version")
    assert proc.returncode == 0 and done.read_text() == "ok"
