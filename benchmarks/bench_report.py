"""Benchmark: end-to-end `vixray-eda report` on the 5,400-row sample, cold (empty text cache) and warm (cache filled),
with a breakdown: kernel start (papermill on an empty notebook), computation (load + compute_results + figures, in a
fresh process), and nbconvert (HTML conversion of the executed card). Targets on 2 cores: cold < 60 s, warm < 20 s.
The ratio printed is cold / warm: what the on-disk cache buys.

    .venv/bin/python benchmarks/bench_report.py
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent

COMPUTE = r"""
import time
t = time.perf_counter()
import vixray_eda as vx
from vixray_eda.report.card import Card
results = vx.compute_results(vx.load("sample"))
Card(results).figures.all()
print(time.perf_counter() - t)
"""

KERNEL = r"""
import nbformat, papermill, sys, time
from nbformat.v4 import new_code_cell, new_notebook
nb = new_notebook(cells=[new_code_cell("1")])
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbformat.write(nb, sys.argv[1] + "/empty.ipynb")
t = time.perf_counter()
papermill.execute_notebook(sys.argv[1] + "/empty.ipynb", sys.argv[1] + "/out.ipynb", progress_bar=False)
print(time.perf_counter() - t)
"""

CONVERT = r"""
import nbformat, sys, time
from vixray_eda.report.run import to_html
nb = nbformat.read(sys.argv[1], as_version=4)
t = time.perf_counter()
to_html(nb)
print(time.perf_counter() - t)
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def seconds(code: str, env: dict[str, str], *args: str) -> float:
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "VIXRAY_EDA_CACHE": str(work / "cache")}
        subprocess.run([sys.executable, "-c", "import vixray_eda as vx; vx.sample_path()"], env=env, check=True)
        report = [str(BIN / "vixray-eda"), "report", "--data", "sample", "-q"]

        def clear_text_cache() -> None:
            shutil.rmtree(work / "cache" / "text", ignore_errors=True)

        clear_text_cache()
        cold = timed(report + ["--out", str(work / "cold")], env)
        warm = timed(report + ["--out", str(work / "warm")], env)
        clear_text_cache()
        compute_cold = seconds(COMPUTE, env)
        compute_warm = seconds(COMPUTE, env)
        kernel = seconds(KERNEL, env, str(work))
        convert = seconds(CONVERT, env, str(work / "warm" / "dataset_card.ipynb"))
    print("end-to-end `vixray-eda report --data sample` (5,400 reports, 2 cores)")
    print(f"  cold (empty text cache): {cold:6.1f} s   target < 60 s")
    print(f"  warm (text cache filled): {warm:5.1f} s   target < 20 s")
    print(f"  cold / warm ratio: {cold / warm:.2f}x")
    print("breakdown")
    print(f"  kernel start (papermill, empty notebook): {kernel:5.1f} s")
    print(f"  computation + figures, cold / warm:       {compute_cold:5.1f} s / {compute_warm:.1f} s")
    print(f"  nbconvert to HTML:                         {convert:5.1f} s")


if __name__ == "__main__":
    main()
