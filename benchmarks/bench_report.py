"""Benchmark: end-to-end `vixray-eda report` and `vixray-eda figures` on the 5,400-row sample, the project against a
baseline (the code of git `BASE`, default `main`, exported to a temporary folder and put first on PYTHONPATH) in the
same run, cold (empty cache folder) and warm (cache filled by the cold run), plus ydata-profiling on the same 8
columns when it is installed in a side venv. A breakdown in one fresh process shows where the time goes: imports,
load, compute_results, the card's sections (which render every figure), write_outputs; then kernel start (papermill
on an empty notebook) and nbconvert. Targets on 2 cores: report warm ≤ 6 s, cold ≤ 12 s; figures warm ≤ 3 s.

    .venv/bin/python benchmarks/bench_report.py [--base main] [--repeat 1] [--ydata /tmp/ydata/bin/python]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
YDATA_HELP = "python -m venv /tmp/ydata && /tmp/ydata/bin/pip install ydata-profiling"
COLUMNS = ["split", "findings", "impressions", "age", "sex", "view", "note", "technique"]

BREAKDOWN = r"""
import json, sys, time
marks = {}
t = time.perf_counter()
import vixray_eda as vx
from vixray_eda.report.card import Card
from vixray_eda.report.sections import SECTIONS
marks["imports"] = time.perf_counter() - t; t = time.perf_counter()
df = vx.load("sample")
marks["load"] = time.perf_counter() - t; t = time.perf_counter()
results = vx.compute_results(df)
marks["compute_results"] = time.perf_counter() - t; t = time.perf_counter()
card = Card(results)
for key in SECTIONS:
    card.html(key)
marks["card sections (figures rendered)"] = time.perf_counter() - t; t = time.perf_counter()
card.write_outputs(sys.argv[1])
marks["write_outputs"] = time.perf_counter() - t
try:  # the card notebook's CachedCard (absent from older baselines): filled once, then timed as a hit
    from vixray_eda.report.cached_card import CachedCard
except ImportError:
    CachedCard = None
if CachedCard is not None:
    CachedCard(df, source="sample").write_outputs(sys.argv[1] + "-cached")
    t = time.perf_counter()
    cached = CachedCard(df, source="sample")
    for key in SECTIONS:
        cached.html(key)
    cached.write_outputs(sys.argv[1] + "-cached")
    marks["CachedCard hit (key, sections, files)"] = time.perf_counter() - t
print(json.dumps(marks))
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

EXPORT = r"""
import sys, vixray_eda as vx
vx.load("sample")[sys.argv[2:]].to_csv(sys.argv[1], index=False)
print(sys.argv[1])
"""

YDATA = r"""
import sys, time
t = time.perf_counter()
import pandas as pd
from ydata_profiling import ProfileReport
ProfileReport(pd.read_csv(sys.argv[1]), title="ViX-Ray", progress_bar=False).to_file(sys.argv[2])
print(time.perf_counter() - t)
"""


def timed(cmd: list[str], env: dict[str, str], repeat: int = 1, before=None) -> float:
    """Median wall seconds of `cmd` over `repeat` runs (`before` runs ahead of each, untimed), run outside the
    repository (`python -m` puts the current folder first on the path, see `output`)."""
    runs = []
    with tempfile.TemporaryDirectory() as elsewhere:
        for _ in range(repeat):
            if before is not None:
                before()
            start = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=elsewhere)
            runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def output(code: str, env: dict[str, str], *args: str, python: str = sys.executable) -> str:
    """The last line `code` prints, run outside the repository (`python -c` puts the current folder first on the
    path, where the project's package would shadow the baseline's)."""
    with tempfile.TemporaryDirectory() as elsewhere:
        out = subprocess.run([python, "-c", code, *args], env=env, check=True, capture_output=True, text=True,
                             cwd=elsewhere)
    return out.stdout.strip().splitlines()[-1]


def export_base(base: str, into: Path) -> Path:
    """The package as it is at git revision `base`, exported into `into`."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", base, "vixray_eda"], check=True,
                             capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measure(label: str, env: dict[str, str], work: Path, repeat: int) -> dict[str, float]:
    """Cold and warm report and figures runs of one code version, each with its own cache folder."""
    cache = work / f"cache-{label}"
    env = {**env, "VIXRAY_EDA_CACHE": str(cache)}
    subprocess.run([sys.executable, "-c", "import vixray_eda as vx; vx.sample_path()"], env=env, check=True)

    def empty_cache() -> None:  # the sample stays; everything else (text analyses, figures, cards, digests) goes
        for sub in cache.iterdir():
            if sub.name != "sample":
                subprocess.run(["rm", "-rf", str(sub)], check=True)

    cli = [sys.executable, "-m", "vixray_eda"]  # the code on PYTHONPATH, whatever entry point the venv's script names
    report = [*cli, "report", "--data", "sample", "-q", "--force", "--out", str(work / f"report-{label}")]
    figures = [*cli, "figures", "--data", "sample", "--force", "--out", str(work / f"figures-{label}")]
    return {"report cold": timed(report, env, repeat, before=empty_cache),
            "report warm": timed(report, env, repeat),
            "figures warm": timed(figures, env, repeat),
            "breakdown": json.loads(output(BREAKDOWN, env, str(work / f"outputs-{label}")))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="git revision of the baseline (default: main)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing; the median is printed")
    parser.add_argument("--ydata", default="/tmp/ydata/bin/python", help="python of a venv with ydata-profiling")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_dir = export_base(args.base, work / "base")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        base = measure("base", {**env, "PYTHONPATH": str(base_dir)}, work, args.repeat)
        project = measure("project", env, work, args.repeat)
        project_env = {**env, "VIXRAY_EDA_CACHE": str(work / "cache-project")}
        kernel = float(output(KERNEL, project_env, str(work)))
        convert = float(output(CONVERT, project_env, str(work / "report-project" / "dataset_card.ipynb")))
        ydata = None
        if Path(args.ydata).exists():
            frame = work / "sample.csv"
            output(EXPORT, project_env, str(frame), *COLUMNS)
            try:
                ydata = float(output(YDATA, env, str(frame), str(work / "ydata.html"), python=args.ydata))
            except subprocess.CalledProcessError as exc:
                ydata = (exc.stderr or "").strip().splitlines()[-1:] or ["failed"]
    cores = os.cpu_count()
    print(f"`vixray-eda report|figures --data sample` (5,400 reports, {cores} cores, median of {args.repeat})")
    print(f"  {'':14}{'base (' + args.base + ')':>14}{'project':>10}{'base/project':>14}   target")
    targets = {"report cold": "≤ 12 s", "report warm": "≤ 6 s", "figures warm": "≤ 3 s"}
    for key, target in targets.items():
        print(f"  {key:14}{base[key]:12.1f} s{project[key]:8.1f} s{base[key] / project[key]:13.2f}x   {target}")
    print("breakdown in one process, warm (base / project)")
    for stage, seconds in project["breakdown"].items():
        before = base["breakdown"].get(stage)
        print(f"  {stage:38}{'–' if before is None else f'{before:.2f}':>6} s / {seconds:5.2f} s")
    print(f"  {'kernel start (papermill, empty notebook)':45}{kernel:5.2f} s")
    print(f"  {'nbconvert to HTML':45}{convert:5.2f} s")
    if ydata is None:
        print(f"ydata-profiling: not measured (no {args.ydata}); make the side venv with: {YDATA_HELP}")
    elif isinstance(ydata, list):
        print(f"ydata-profiling failed in {args.ydata}: {ydata[0]}")
    else:
        print(f"ydata-profiling ProfileReport(...).to_file() on the same {len(COLUMNS)} columns: {ydata:.1f} s; "
              f"project report warm / ydata: {project['report warm'] / ydata:.2f}x, "
              f"cold / ydata: {project['report cold'] / ydata:.2f}x")


if __name__ == "__main__":
    main()
