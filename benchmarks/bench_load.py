"""Benchmark: text-only `vixray_eda.load` versus `pandas.read_parquet` of the whole shard.

Builds a sample shard with realistically large images (540 rows of ~3 MB each by default: incompressible noise inside
valid PNGs, row groups of 100 rows, no dictionary encoding so every image is stored whole), then measures, each in a
fresh subprocess, wall time and peak RSS of
  baseline: pandas.read_parquet(shard)            (what a user writes first: reads every column, images included)
  project:  vixray_eda.load(folder)               (column projection: text and demographics only)
and an import-only floor. Prints the ratios. Target: >= 20x faster and >= 20x less peak memory (over the floor).
Then it serves the folder over HTTP on 127.0.0.1 (range requests, bytes counted) and reports the share of the
shard's bytes that `load` and `vixray-eda stats` (local engine, and Dask with a local cluster of 2 worker
processes when the `dask` extra is installed) move for text statistics. Target: < 0.1%.

    .venv/bin/python benchmarks/bench_load.py [--rows 540] [--image-mb 3]
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from vixray_eda.data.sample import sample_frame

CHILD = r"""
import json, re, sys, time
t0 = time.perf_counter()
import pandas as pd, pyarrow.parquet, vixray_eda
import vixray_eda.data.sources  # both sides import their readers before the clock starts: only the reading is timed
mode, path = sys.argv[1], sys.argv[2]
t1 = time.perf_counter()
if mode == "baseline":
    rows = len(pd.read_parquet(path))
elif mode == "project":
    rows = len(vixray_eda.load(path))
else:
    rows = 0
t2 = time.perf_counter()
# VmHWM (unlike ru_maxrss) starts afresh at exec, so the parent's memory does not leak into the reading
hwm = int(re.search(r"VmHWM:\s+(\d+) kB", open("/proc/self/status").read()).group(1))
print(json.dumps({"rows": rows, "seconds": t2 - t1, "peak_mb": hwm / 1024}))
"""


def noise_png(rng: np.random.Generator, megabytes: float) -> bytes:
    side = int((megabytes * 1_000_000) ** 0.5)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (side, side), dtype=np.uint8), mode="L").save(buf, format="PNG",
                                                                                      compress_level=0)
    return buf.getvalue()


def build(folder: Path, rows: int, image_mb: float) -> Path:
    frame = sample_frame(rows=rows, seed=7).drop(columns="split")
    rng = np.random.default_rng(0)
    distinct = [noise_png(rng, image_mb) for _ in range(16)]  # reused: without dictionary encoding, stored per row
    frame["image"] = [{"bytes": distinct[i % 16], "path": f"{i:05d}.png"} for i in range(rows)]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    path = folder / "data" / "test-00000-of-00001.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path, row_group_size=100,
                   use_dictionary=[c for c in table.column_names if c != "image"])
    return path


def measure(mode: str, path: Path, repeats: int) -> dict:
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
    return {"rows": runs[0]["rows"], "seconds": min(r["seconds"] for r in runs),
            "peak_mb": min(r["peak_mb"] for r in runs)}


def remote_shares(folder: Path, shard: Path) -> dict[str, float]:
    """Share of the shard's bytes each reader moves over HTTP (text statistics only)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from range_server import RangeServer

    import vixray_eda
    from vixray_eda.report.engines import source_stats

    readers = {"load": lambda url: vixray_eda.load(url),
               "stats (local engine)": lambda url: source_stats(url, chunk_rows=100, cache=False)}
    if importlib.util.find_spec("distributed") is not None:
        readers["stats (dask, 2 workers)"] = lambda url: source_stats(url, chunk_rows=100, cache=False,
                                                                      engine="dask")
    else:
        print("dask extra not installed: the Dask engine is not measured")
    shares = {}
    for name, read in readers.items():
        with RangeServer(folder) as server:
            read(f"{server.url}/data/{shard.name}")
            shares[name] = server.bytes_served / shard.stat().st_size
    return shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=540)
    parser.add_argument("--image-mb", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        shard = build(Path(tmp), args.rows, args.image_mb)
        size_mb = shard.stat().st_size / 1e6
        print(f"built {args.rows} rows, {size_mb:,.0f} MB shard in {time.perf_counter() - t:.1f} s")
        floor = measure("floor", shard, args.repeats)
        base = measure("baseline", shard, args.repeats)
        proj = measure("project", Path(tmp), args.repeats)
        shares = remote_shares(Path(tmp), shard)
    assert base["rows"] == proj["rows"] == args.rows
    print(f"{'':22}{'seconds':>10}{'peak RSS MB':>14}")
    print(f"{'import-only floor':22}{'':>10}{floor['peak_mb']:>14,.0f}")
    print(f"{'pandas.read_parquet':22}{base['seconds']:>10.3f}{base['peak_mb']:>14,.0f}")
    print(f"{'vixray_eda.load':22}{proj['seconds']:>10.3f}{proj['peak_mb']:>14,.0f}")
    speed = base["seconds"] / proj["seconds"]
    mem_total = base["peak_mb"] / proj["peak_mb"]
    mem_over_floor = (base["peak_mb"] - floor["peak_mb"]) / max(proj["peak_mb"] - floor["peak_mb"], 1.0)
    print(f"speed-up: {speed:.1f}x   peak memory: {mem_total:.1f}x total, {mem_over_floor:.1f}x above the "
          f"import floor   (targets: 20x, 20x)")
    for name, share in shares.items():
        print(f"over HTTP, {name}: {share:.4%} of the shard's bytes moved (target < 0.1%)")


if __name__ == "__main__":
    main()
