"""Claim: `image_stats` peak memory stays flat as the number of rows grows; reading the whole file does not.

Writes parquet shards of incompressible-noise PNGs (~3 MB each, row groups of 100 rows, no parquet compression or
dictionary) in a temporary folder, then measures, each in a fresh subprocess, the peak resident memory
(`resource.getrusage` ru_maxrss) of

- streaming: ``vixray_eda.stats.images.image_stats(files)`` (one batch of one row group at a time), and
- naive:     ``pd.read_parquet(file)`` of the whole file, then the same per-image decoding,

(``/proc/self/status`` VmHWM is printed alongside as a cross-check; the shards are written by a subprocess too,
because on Linux ru_maxrss carries the parent's peak across fork and exec),

for each row count, and prints the figures and ratios. The naive run is skipped for sizes whose estimated memory
(rows × image size × 2.5) exceeds --naive-budget-gb, to keep the shared machine alive.

    .venv/bin/python benchmarks/bench_images.py                     # 540, 1080, 2160 rows of ~3 MB
    .venv/bin/python benchmarks/bench_images.py --rows 100 400 --image-mb 0.5
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def noise_png(side: int, seed: int) -> bytes:
    """A grayscale PNG of uniform noise: incompressible, so its size is ~side² bytes."""
    from PIL import Image

    pixels = np.random.default_rng(seed).integers(0, 256, (side, side), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def write_shard(path: Path, rows: int, image_mb: float, row_group: int, distinct: int) -> float:
    """Write `rows` rows (image struct + a short text column) in row groups of `row_group`; return file MB."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    side = int((image_mb * 1e6) ** 0.5)
    pngs = [noise_png(side, seed) for seed in range(distinct)]
    image_type = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    schema = pa.schema([("image", image_type), ("findings", pa.string())])
    with pq.ParquetWriter(path, schema, compression="none", use_dictionary=False) as writer:
        for start in range(0, rows, row_group):
            n = min(row_group, rows - start)
            images = pa.array([{"bytes": pngs[(start + i) % distinct], "path": None} for i in range(n)],
                              type=image_type)
            writer.write_table(pa.table({"image": images, "findings": ["Bóng tim to."] * n}, schema=schema))
    return path.stat().st_size / 1e6


def _vm_hwm_mb() -> float:
    """Peak RSS of this process image from /proc (reset by exec, unlike ru_maxrss), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(mode: str, path: str, *spec: str) -> None:
    """Run one step in this (fresh) process; measurements print a JSON line."""
    if mode == "write":
        rows, image_mb, row_group, distinct = spec
        file_mb = write_shard(Path(path), int(rows), float(image_mb), int(row_group), int(distinct))
        print(json.dumps({"file_mb": file_mb}))
        return
    from vixray_eda.stats.images import describe_image, image_stats

    start = time.perf_counter()
    if mode == "stream":
        result = image_stats([path])
        n, ok = len(result.images), int((result.images["status"] == "ok").sum())
    elif mode == "naive":
        import pandas as pd

        frame = pd.read_parquet(path)
        described = [describe_image(value) for value in frame["image"]]
        n, ok = len(described), sum(d["status"] == "ok" for d in described)
    else:  # idle: the interpreter with the package imported, for reference
        n = ok = 0
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps({"mode": mode, "rows": n, "ok": ok, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1),
                      "hwm_mb": round(_vm_hwm_mb(), 1)}))


def measure(mode: str, path: Path, *spec: object) -> dict:
    """Run a child step. ru_maxrss survives exec on Linux, so the parent stays small: it never holds images."""
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path), *map(str, spec)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[540, 1080, 2160])
    parser.add_argument("--image-mb", type=float, default=3.0)
    parser.add_argument("--row-group", type=int, default=100)
    parser.add_argument("--distinct", type=int, default=16, help="distinct noise images, repeated in turn")
    parser.add_argument("--naive-budget-gb", type=float, default=9.0)
    parser.add_argument("--child", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    folder = Path(tempfile.mkdtemp(prefix="bench_images_"))
    try:
        idle = measure("idle", folder)
        print(f"interpreter + vixray_eda imported: peak {idle['peak_mb']:.0f} MB")
        print(f"{'rows':>6} {'file MB':>8} {'stream MB':>10} {'(VmHWM)':>8} {'stream s':>9} {'naive MB':>9} "
              f"{'(VmHWM)':>8} {'naive s':>8} {'naive/stream':>13}", flush=True)
        results = []
        for rows in args.rows:
            path = folder / f"rows{rows}" / "train-00000-of-00001.parquet"
            path.parent.mkdir()
            file_mb = measure("write", path, rows, args.image_mb, args.row_group, args.distinct)["file_mb"]
            stream = measure("stream", path)
            assert stream["ok"] == rows, stream
            naive = None
            if rows * args.image_mb * 2.5 / 1e3 <= args.naive_budget_gb:
                naive = measure("naive", path)
            results.append((rows, stream, naive))
            ratio = f"{naive['peak_mb'] / stream['peak_mb']:.1f}x" if naive else "skipped"
            naive_cols = (f"{naive['peak_mb']:>9.0f} {naive['hwm_mb']:>8.0f} {naive['seconds']:>8.1f}" if naive
                          else f"{'-':>9} {'-':>8} {'-':>8}")
            print(f"{rows:>6} {file_mb:>8.0f} {stream['peak_mb']:>10.0f} {stream['hwm_mb']:>8.0f} "
                  f"{stream['seconds']:>9.1f} {naive_cols} "
                  f"{ratio:>13}", flush=True)
            path.unlink()
        (small, s_small, _), (large, s_large, _) = results[0], results[-1]
        print(f"streaming peak, {large} vs {small} rows: {s_large['peak_mb'] / s_small['peak_mb']:.2f}x "
              f"(rows grew {large / small:.1f}x)")
        naive_runs = [(r, n) for r, _, n in results if n]
        if len(naive_runs) >= 2:
            (r0, n0), (r1, n1) = naive_runs[0], naive_runs[-1]
            print(f"naive peak, {r1} vs {r0} rows: {n1['peak_mb'] / n0['peak_mb']:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
