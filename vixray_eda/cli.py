"""Command line: `vixray-eda sample | summary | report | figures | validate`. Errors print one line, exit non-zero."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from vixray_eda import __version__
from vixray_eda.errors import VixrayError

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def _cmd_sample(args: argparse.Namespace) -> int:
    from vixray_eda.data.sample import write_sample

    out = write_sample(args.out, rows=args.rows, seed=args.seed, image_side=args.image_side)
    print(f"wrote a synthetic ViX-Ray sample of {args.rows} rows (seed {args.seed}) to {out}")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from vixray_eda.data.sources import load, quality_log

    df = load(args.data, splits=args.splits)
    kind = "SYNTHETIC sample" if df.attrs.get("synthetic") else "data"
    print(f"{df.attrs['source']} ({kind}): {len(df)} rows")
    print(df.groupby("split", sort=False).agg(rows=("id", "size"), mean_age=("age", "mean")).round(1).to_string())
    log = quality_log(df)
    if len(log):
        print("\ncleaning log:")
        print(log[["check", "column", "rows"]].to_string(index=False))
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vixray-eda",
        description="Exploratory analysis, dataset cards and paper figures for the ViX-Ray chest X-ray dataset.",
    )
    parser.add_argument("--version", action="version", version=f"vixray-eda {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sample = sub.add_parser("sample", help="write the synthetic sample in the Hugging Face layout",
                            description="Write a deterministic synthetic ViX-Ray sample (Hugging Face parquet layout).")
    sample.add_argument("--rows", type=_positive_int, default=5400, help="number of rows (default 5400)")
    sample.add_argument("--out", required=True, type=Path, help="output folder")
    sample.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sample.add_argument("--image-side", type=_positive_int, default=64, help="image width/height in pixels")
    sample.set_defaults(run=_cmd_sample)

    summary = sub.add_parser("summary", help="load a source and print rows per split and the cleaning log",
                             description="Load a source and print a short data summary.")
    summary.add_argument("--data", default="sample", help="'sample', a folder, a file, or hf:// / https:// URL")
    summary.add_argument("--splits", nargs="+", default=None, help="only these splits")
    summary.set_defaults(run=_cmd_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except VixrayError as exc:
        print(f"vixray-eda: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("vixray-eda: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
