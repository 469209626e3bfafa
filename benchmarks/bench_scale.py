"""Benchmark: stats.json of 54k / 540k / 5.4M reports in constant memory, chunk by chunk, against the whole-frame path.

Datasets of the sample's kind (its text and metadata columns repeated, in Hub-layout parquet shards of row groups of
10,000 rows) and a worst case with a unique sentence in every report are written once under ``--data-dir``. For
each size the script runs, in fresh processes, `vixray-eda stats` cold (empty cache folder) and warm (the cache the
cold run filled), and the whole-frame baseline (``load`` + ``compute_results`` + ``build_stats``, what `report`
computes) up to ``--baseline-max`` rows. It prints wall time, reports per second and peak RSS of each, the ratios,
and checks that the streamed document equals the baseline's byte for byte where both ran.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 54000 540000 5400000] [--unique 540000] [--engine local]

Targets (issue 13): peak RSS < 4 GiB at every size, time linear in rows, ≥ 40k reports/s warm on the repetitive data.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ["findings", "impressions", "age", "sex", "view", "note", "technique"]
ROW_GROUP = 10_000
SHARD_ROWS = 500_000

BASELINE = r"""
import sys
import vixray_eda as vx
from vixray_eda.report.stats_json import build_stats, dumps
df = vx.load(sys.argv[1])
open(sys.argv[2], "w", encoding="utf-8").write(dumps(build_stats(vx.compute_results(df))))
"""


def _sample_tables() -> dict[str, pa.Table]:
    import vixray_eda as vx
    from vixray_eda.data.sources import resolve_source

    src = resolve_source("sample")
    out = {}
    for split, paths in src.files.items():
        names = [n for n in pq.read_schema(paths[0]).names if n != "image"]
        out[split] = pa.concat_tables([pq.read_table(p, columns=names) for p in paths])
    assert vx  # the package is importable from this interpreter
    return out


def make_dataset(root: Path, rows: int, unique: bool) -> Path:
    """`rows` reports of the sample's kind (its splits in proportion), written once; with `unique`, every
    findings text ends with a sentence of its own (the worst case for the text layer and the digest tables)."""
    folder = root / f"{'unique' if unique else 'repeated'}-{rows}"
    done = folder / ".complete"
    if done.exists():
        return folder
    tables = _sample_tables()
    total = sum(t.num_rows for t in tables.values())
    written = 0
    for split, table in tables.items():
        want = rows * table.num_rows // total if split != list(tables)[-1] else rows - written
        written += want
        shards = max(1, -(-want // SHARD_ROWS))
        for shard in range(shards):
            n = min(SHARD_ROWS, want - shard * SHARD_ROWS)
            start = shard * SHARD_ROWS
            reps = -(-n // table.num_rows)
            part = pa.concat_tables([table] * reps).slice(0, n)
            if unique:
                findings = part.column("findings").to_pylist()
                part = part.set_column(part.schema.get_field_index("findings"), "findings", pa.array(
                    [f"{text} Nốt vôi hóa số {start + i} kích thước {(start + i) % 97} mm." for i, text in
                     enumerate(findings)]))
            path = folder / "data" / f"{split}-{shard:05d}-of-{shards:05d}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(part, path, row_group_size=ROW_GROUP)
    done.write_text("ok")
    return folder


def run(argv: list[str], cache: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (GiB) and exit code of one fresh process."""
    env = {**os.environ, "VIXRAY_EDA_CACHE": str(cache), "XDG_CACHE_HOME": str(cache)}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code:
        print(proc.stderr.read().decode()[-2000:], file=sys.stderr)
    return wall, usage.ru_maxrss / 2**20, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[54_000, 540_000, 5_400_000])
    parser.add_argument("--unique", nargs="*", type=int, default=[540_000], help="sizes of the unique-text worst case")
    parser.add_argument("--baseline-max", type=int, default=540_000, help="largest size the whole-frame path runs")
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    parser.add_argument("--engine", default="local", choices=("local", "dask"))
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "vixray-scale")
    args = parser.parse_args()
    cases = [(n, False) for n in args.sizes] + [(n, True) for n in args.unique]
    print(f"{'data':>18} {'run':>9} {'wall s':>8} {'reports/s':>10} {'peak GiB':>9}")
    for rows, unique in cases:
        data = make_dataset(args.data_dir, rows, unique)
        label = f"{'unique' if unique else 'repeated'} {rows:,}"
        with tempfile.TemporaryDirectory() as tmp:
            cache, out = Path(tmp) / "cache", Path(tmp) / "stream.json"
            stats = [sys.executable, "-m", "vixray_eda", "stats", "--data", str(data), "--out", str(out), "--chunk-rows",
                     str(args.chunk_rows), "--engine", args.engine]
            results = {"stream cold": run(stats, cache), "stream warm": run(stats, cache)}
            if rows <= args.baseline_max:
                base_out = Path(tmp) / "whole.json"
                results["whole"] = run([sys.executable, "-c", BASELINE, str(data), str(base_out)], cache)
            for name, (wall, rss, code) in results.items():
                state = "" if code == 0 else f"  (exit {code})"
                print(f"{label:>18} {name:>11} {wall:8.1f} {rows / wall:10,.0f} {rss:9.2f}{state}")
            if "whole" in results and results["whole"][2] == 0:
                same = out.read_bytes() == (Path(tmp) / "whole.json").read_bytes()
                w, s = results["whole"], results["stream warm"]
                print(f"{label:>18}   streamed == whole: {same}; whole/stream-warm time {w[0] / s[0]:.2f}x, "
                      f"peak RSS whole/stream {w[1] / max(results['stream cold'][1], 1e-9):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
