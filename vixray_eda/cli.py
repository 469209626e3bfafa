"""Command line: `vixray-eda sample | summary | report | render | figures | validate | diff`. Errors print one line, exit non-zero."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from vixray_eda import __version__
from vixray_eda.errors import ParameterError, VixrayError

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def _cmd_sample(args: argparse.Namespace) -> int:
    from vixray_eda.data.sample import write_sample

    out = write_sample(args.out, rows=args.rows, seed=args.seed, image_side=args.image_side)
    print(f"wrote a synthetic ViX-Ray sample of {args.rows} rows (seed {args.seed}) to {out}")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from vixray_eda.data.sources import load, quality_log

    df = load(args.data, splits=args.splits, skip_corrupt=args.skip_corrupt)
    kind = "SYNTHETIC sample" if df.attrs.get("synthetic") else "data"
    print(f"{df.attrs['source']} ({kind}): {len(df)} rows")
    print(df.groupby("split", sort=False).agg(rows=("id", "size"), mean_age=("age", "mean")).round(1).to_string())
    log = quality_log(df)
    if len(log):
        print("\ncleaning log:")
        print(log[["check", "column", "rows"]].to_string(index=False))
    return 0


def _parameters(args: argparse.Namespace) -> dict:
    from vixray_eda.report.run import parse_parameter, read_parameter_file

    params: dict = {}
    for path in args.parameters_file or []:
        params.update(read_parameter_file(path))
    params.update(dict(parse_parameter(p) for p in args.parameter or []))
    if getattr(args, "skip_corrupt", False):
        params["skip_corrupt"] = True
    return params


def _cmd_report(args: argparse.Namespace) -> int:
    from vixray_eda.report.run import build_batch, build_report, progress_enabled, read_batch

    progress = progress_enabled() and not args.quiet
    if args.batch:
        out = build_batch(read_batch(args.batch), args.out, force=args.force, progress=progress)
        print(f"wrote the batch of reports to {out} (open {out / 'index.html'})")
        return 0
    if not args.data:
        raise ParameterError("report: --data is required unless --batch is given")
    out = build_report(args.data, args.out, _parameters(args), force=args.force, progress=progress)
    print(f"wrote the dataset card to {out} (open {out / 'index.html'})")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from vixray_eda.report.render import render_notebook

    out = render_notebook(args.notebook, args.out, force=args.force)
    print(f"wrote the dataset card to {out} (open {out / 'index.html'})")
    return 0


def _cmd_figures(args: argparse.Namespace) -> int:
    from vixray_eda.report.run import build_figures

    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    bad = sorted(set(formats) - {"pdf", "svg", "png"})
    if bad or not formats:
        raise ParameterError(f"--formats: unknown format(s) {', '.join(bad) or '(none)'}; choose from pdf, svg, png")
    paths = build_figures(args.data, args.out, formats=formats, parameters=_parameters(args))
    print(f"wrote {len(paths)} figure files to {args.out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from vixray_eda.report.validate import validate

    try:
        table, problems = validate(args.data, splits=args.splits, skip_corrupt=args.skip_corrupt)
    except VixrayError as exc:
        print(f"vixray-eda: unreadable: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(table)
    return 1 if problems else 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from vixray_eda.report.diff import diff_stats, format_changes, read_stats

    before, after = read_stats(args.before), read_stats(args.after)
    changes = diff_stats(before, after)
    if args.json:
        import json

        print(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=2))
    elif changes:
        print(format_changes(changes, args.limit or None))
        counts = {kind: sum(c.kind == kind for c in changes) for kind in ("changed", "added", "removed")}
        print(f"{len(changes)} differences: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    else:
        print("no differences")
    return 1 if changes else 0


def _add_parameter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-p", "--parameter", action="append", metavar="KEY=VALUE",
                        help="notebook parameter (value read as YAML: 20, true, [train, val]); repeatable")
    parser.add_argument("-f", "--parameters-file", action="append", type=Path, metavar="PARAMS.YAML",
                        help="YAML file of notebook parameters; -p values override it")


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (the usage is one `--help` away)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    summary.add_argument("--skip-corrupt", action="store_true", help="skip unreadable shards (listed in the log)")
    summary.set_defaults(run=_cmd_summary)

    report = sub.add_parser("report", help="build the HTML dataset card, Hugging Face README.md, stats.json, figures",
                            description="Run the dataset-card notebook with papermill and convert it to a "
                                        "self-contained HTML card. The output folder is replaced atomically.")
    report.add_argument("--data", help="'sample', a folder, a file, or hf:// / https:// URL")
    report.add_argument("--out", required=True, type=Path, help="output folder (replaced atomically)")
    report.add_argument("--batch", type=Path, help="YAML file listing several reports (name, data, parameters)")
    report.add_argument("--force", action="store_true",
                        help="write into a folder that holds files vixray-eda did not write (they are kept)")
    report.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    report.add_argument("--skip-corrupt", action="store_true",
                        help="skip unreadable parquet shards; each one is counted in the card's data-quality section")
    _add_parameter_options(report)
    report.set_defaults(run=_cmd_report)

    render = sub.add_parser("render", help="the HTML card from a card notebook you executed with papermill",
                            description="Convert an executed dataset_card.ipynb (e.g. from `papermill "
                                        "dataset_card.ipynb out.ipynb -p data SRC`) into the HTML card, with the "
                                        "same template and guarantees as `report`. The output folder is replaced "
                                        "atomically.")
    render.add_argument("notebook", type=Path, help="the executed card notebook")
    render.add_argument("--out", required=True, type=Path, help="output folder (replaced atomically)")
    render.add_argument("--force", action="store_true",
                        help="write into a folder that holds files vixray-eda did not write (they are kept)")
    render.set_defaults(run=_cmd_render)

    figures = sub.add_parser("figures", help="regenerate the paper's figure files",
                             description="Write exactly the paper's figure files, byte-identical when nothing changed.")
    figures.add_argument("--data", default="sample", help="'sample', a folder, a file, or hf:// / https:// URL")
    figures.add_argument("--out", required=True, type=Path, help="output folder for the figure files")
    figures.add_argument("--formats", default="pdf,svg,png", help="comma-separated: pdf,svg,png (default all)")
    figures.add_argument("--skip-corrupt", action="store_true", help="skip unreadable parquet shards")
    _add_parameter_options(figures)
    figures.set_defaults(run=_cmd_figures)

    validate = sub.add_parser("validate", help="check a source: loading and data-quality checks only",
                              description="Load a source and run the data-quality checks. Exit 0 clean, "
                                          "1 problems found, 2 unreadable.")
    validate.add_argument("--data", default="sample", help="'sample', a folder, a file, or hf:// / https:// URL")
    validate.add_argument("--splits", nargs="+", default=None, help="only these splits")
    validate.add_argument("--skip-corrupt", action="store_true", help="skip unreadable shards (counted as problems)")
    validate.set_defaults(run=_cmd_validate)

    diff = sub.add_parser("diff", help="what changed between two stats.json files (two releases or two runs)",
                          description="Compare two stats.json files (or report folders) table row by table row. "
                                      "Exit 0 identical, 1 different, 2 unreadable.")
    diff.add_argument("before", type=Path, help="the earlier stats.json or report folder")
    diff.add_argument("after", type=Path, help="the later stats.json or report folder")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON records")
    diff.add_argument("--limit", type=int, default=200, help="lines shown at most (0: all; default 200)")
    diff.set_defaults(run=_cmd_diff)
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
    except OSError as exc:  # a folder or file the user named cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        print(f"vixray-eda: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line, the traceback on request
        if os.environ.get("VIXRAY_EDA_DEBUG"):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"vixray-eda: internal error: {type(exc).__name__}: {first} "
              f"(set VIXRAY_EDA_DEBUG=1 to see the traceback; please report it)", file=sys.stderr)
        return EXIT_ERROR
