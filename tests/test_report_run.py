"""How `vixray-eda report` runs its notebook fast: a lean command-line process, a kernel started first that loads the
card's modules while papermill loads, the page's exporter made in the background, the kernel stopped at the end."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from report_helpers import alive
from vixray_eda.report.run import InBackground, start_kernel, stop_kernel


def test_the_command_line_process_loads_no_plotting_or_data_stack():
    code = ("import sys, vixray_eda.cli, vixray_eda.report.run; "
            "print(json.dumps(sorted(m for m in ('matplotlib', 'pandas', 'numpy', 'scipy', 'nbformat', 'nbconvert') "
            "if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == []


@pytest.mark.slow
def test_the_kernel_has_loaded_the_card_before_the_first_cell_and_is_stopped(tmp_path):
    from jupyter_core.utils import run_sync

    km = start_kernel(tmp_path)
    try:
        printed = _printed(km, "import os, sys; print('vixray_eda.report.cached_card' in sys.modules, os.getcwd(), "
                               "sys.modules['underthesea.pipeline.word_tokenize'].word_tokenize_model is not None, "
                               "'scipy.stats' in sys.modules)")
        # the segmenter's model is loaded already; scipy.stats, which only a card computed afresh needs, is not
        assert printed.split() == ["True", str(tmp_path), "True", "False"]
    finally:
        stop_kernel(km)
    assert not run_sync(km.is_alive)()


def _printed(km, code: str) -> str:
    """What `code` prints when run in the kernel of `km` (waits until the kernel is idle again)."""
    from jupyter_core.utils import run_sync

    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=60)
        msg_id = kc.execute(code)
        printed = ""
        while True:
            msg = run_sync(kc.get_iopub_msg)(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed += msg["content"]["text"]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return printed
    finally:
        kc.stop_channels()


def test_in_background_runs_once_and_hands_back_the_result_or_the_error():
    calls: list[int] = []
    job = InBackground(lambda: calls.append(1) or "made")
    job.start()
    job.start()
    assert job.result() == "made" and job.result() == "made" and calls == [1]
    assert InBackground(lambda: "never started").result() == "never started"

    def fail() -> None:
        raise ValueError("broken exporter")

    with pytest.raises(ValueError, match="broken exporter"):
        InBackground(fail).result()


def test_a_kernel_that_cannot_start_is_a_one_line_error(monkeypatch, tmp_path):
    from vixray_eda.errors import ReportError
    from vixray_eda.report import run

    def no_kernel(cwd):
        raise RuntimeError("No such kernel named python3\nthe kernel specs searched: ...")

    monkeypatch.setattr(run, "start_kernel", no_kernel)
    with pytest.raises(ReportError) as caught:
        run.execute(run.notebook_path(run.CARD_NOTEBOOK), tmp_path / "out.ipynb", {})
    assert str(caught.value) == ("dataset_card.ipynb: the notebook could not be run (RuntimeError: No such kernel "
                                 "named python3); the previous report was kept")


@pytest.mark.slow
def test_stopping_the_kernel_stops_the_processes_it_forked(tmp_path):
    """A card computed afresh draws its figures in processes forked by the kernel: they stop with it."""
    km = start_kernel(tmp_path)
    try:
        printed = _printed(km, "import subprocess, sys; child = subprocess.Popen([sys.executable, '-c', "
                               "'import time; time.sleep(60)']); print(child.pid)")
    finally:
        stop_kernel(km)
    child = int(printed.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(child):
        time.sleep(0.1)
    assert not alive(child), "a process the kernel started survived it"


@pytest.mark.slow
def test_the_executed_notebook_is_written_once_not_after_every_cell(tmp_path, monkeypatch):
    """papermill would save the whole notebook before and after each cell (the card has 25); it is written at the end,
    into the run's temporary folder, which is renamed into place only when every cell has run."""
    import nbformat
    from papermill.iorw import papermill_io

    from vixray_eda.report import run

    notebook = tmp_path / "three.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print({i})") for i in range(3)])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, notebook)
    writes: list[str] = []
    original = papermill_io.write
    monkeypatch.setattr(papermill_io, "write", lambda buf, path, *a, **kw: writes.append(str(path)) or original(
        buf, path, *a, **kw))
    executed = run.execute(notebook, tmp_path / "out.ipynb", {}, progress=False)
    assert writes == [str(tmp_path / "out.ipynb")]
    assert [c.outputs[0]["text"] for c in executed.cells] == ["0\n", "1\n", "2\n"]
