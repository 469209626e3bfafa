"""Command line: `vixray-eda sample | summary | report | stats | render | figures | validate | diff | score |
sample-predictions`. Errors print one line, exit non-zero."""
from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from vixray_eda import __version__
from vixray_eda.errors import ParameterError, VixrayError
from vixray_eda.interrupt import Terminated, sigterm_as_interrupt
from vixray_eda.redact import redact

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_BROKEN_PIPE = 141  # as a tool killed by SIGPIPE: the reader stopped reading (`validate | head`)


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


def _check_utf8(name: str, value: object) -> None:
    """Refuse text that is not valid UTF-8 (Python keeps such command-line bytes as lone surrogates)."""
    texts = value if isinstance(value, (list, tuple)) else [value]
    for text in texts:
        if isinstance(text, str) and any("\ud800" <= ch <= "\udfff" for ch in text):
            raise ParameterError(f"parameter {name}: not valid UTF-8 text; check the terminal's encoding")


def _parameters(args: argparse.Namespace) -> dict:
    from vixray_eda.report.run import parse_parameter, read_parameter_file

    params: dict = {}
    for path in args.parameters_file or []:
        params.update(read_parameter_file(path))
    params.update(dict(parse_parameter(p) for p in args.parameter or []))
    for name, value in {**params, "--data": getattr(args, "data", None)}.items():
        _check_utf8(name, value)
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


def _cmd_stats(args: argparse.Namespace) -> int:
    from vixray_eda.report.engines import write_stats

    out = write_stats(args.data, args.out, splits=args.splits, chunk_rows=args.chunk_rows,
                      lexicon_paths=args.lexicon, skip_corrupt=args.skip_corrupt, engine=args.engine,
                      scheduler=args.scheduler)
    print(f"wrote {out} ({args.engine} engine, chunks of about {args.chunk_rows:,} rows)")
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
    paths = build_figures(args.data, args.out, formats=formats, parameters=_parameters(args), force=args.force)
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


def _cmd_score(args: argparse.Namespace) -> int:
    from vixray_eda.benchmark.outputs import build_benchmark

    out = build_benchmark(args.data, args.preds, args.out, key=args.key, uncertain=args.uncertain, split=args.split,
                          force=args.force, resamples=args.resamples, seed=args.seed)
    print(f"wrote the benchmark card to {out} (open {out / 'index.html'})")
    return 0


def _rate(text: str) -> tuple[str, float]:
    event, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError(text)
        return event.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected EVENT=RATE, e.g. omission=0.2, got {text!r}") from None


def _cmd_sample_predictions(args: argparse.Namespace) -> int:
    from vixray_eda.benchmark.outputs import write_sample_predictions

    path = write_sample_predictions(args.data, args.model, args.out, seed=args.seed, split=args.split,
                                    rates=dict(args.rate or []))
    print(f"wrote predictions of {args.model!r} (references perturbed at known rates, seed {args.seed}) to {path}")
    return 0


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


def _source_options(parser: argparse.ArgumentParser, skipped: str) -> None:
    """--data, --splits and --skip-corrupt (`skipped` says what becomes of a skipped shard)."""
    parser.add_argument("--data", default="sample", help="'sample', a folder, a file, or hf:// / https:// URL")
    parser.add_argument("--splits", nargs="+", default=None, help="only these splits")
    parser.add_argument("--skip-corrupt", action="store_true", help=f"skip unreadable shards ({skipped})")


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
    _source_options(summary, skipped="listed in the log")
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
    figures.add_argument("--force", action="store_true",
                         help="write into a folder that holds files vixray-eda did not write (they are kept)")
    _add_parameter_options(figures)
    figures.set_defaults(run=_cmd_figures)

    stats = sub.add_parser("stats", help="stats.json of any archive, chunk by chunk, in this process or on Dask",
                           description="Compute stats.json (the same document `report` writes) reading the source "
                                       "a chunk of row groups at a time, so memory does not grow with rows. "
                                       "--engine dask runs the chunks on a local Dask cluster of 2 worker "
                                       "processes, or on the cluster at --scheduler.")
    _source_options(stats, skipped="each one recorded")
    stats.add_argument("--out", type=Path, required=True, help="the stats.json file to write")
    stats.add_argument("--lexicon", nargs="+", default=None, help="extra lexicon or abbreviation CSV files")
    stats.add_argument("--chunk-rows", type=int, default=50_000, help="rows per chunk, in whole row groups "
                                                                       "(default 50,000)")
    stats.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local: chunks one after the other in this process (default); dask: on a Dask cluster")
    stats.add_argument("--scheduler", default=None, help="a Dask scheduler address (tcp://host:8786); "
                                                         "default: a local cluster of 2 worker processes")
    stats.set_defaults(run=_cmd_stats)

    validate = sub.add_parser("validate", help="check a source: loading and data-quality checks only",
                              description="Load a source and run the data-quality checks. Exit 0 clean, "
                                          "1 problems found, 2 unreadable.")
    _source_options(validate, skipped="counted as problems")
    validate.set_defaults(run=_cmd_validate)

    score = sub.add_parser("score", help="benchmark card: text and clinical metrics of generated reports",
                           description="Score generated reports against the references of a source (ROUGE/BLEU on "
                                       "syllables and words; clinical F1, hallucinations, omissions and negation "
                                       "flips from the negation-aware extractor; paired bootstrap 95% intervals) "
                                       "and write index.html, stats.json and figures/ atomically.")
    score.add_argument("--data", default="sample", help="references: 'sample', a folder, a file, or a URL")
    score.add_argument("--preds", action="append", required=True, metavar="FILE",
                       help="predictions (JSONL/CSV/parquet: key, findings and/or impressions; model name from the "
                            "file name or a 'model' column); repeat for each model")
    score.add_argument("--out", required=True, type=Path, help="output folder (replaced atomically)")
    score.add_argument("--key", default="id", help="column matching predictions to references (default: id, the "
                                                   "id vx.load gives each row, e.g. test-00042)")
    score.add_argument("--uncertain", default="positive", choices=["positive", "negative", "exclude"],
                       help="how an uncertain finding counts in the label F1 (default positive)")
    score.add_argument("--split", default="test", help="reference split (default test; 'all' for every split)")
    score.add_argument("--resamples", type=_positive_int, default=1000, help="bootstrap resamples (default 1000)")
    score.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    score.add_argument("--force", action="store_true",
                       help="write into a folder that holds files vixray-eda did not write (they are kept)")
    score.set_defaults(run=_cmd_score)

    predictions = sub.add_parser("sample-predictions", help="demo predictions: references perturbed at known rates",
                                 description="Write OUT/MODEL.jsonl: the references with findings dropped, "
                                             "negations flipped, findings added and terms paraphrased at known "
                                             "rates (listed per row under 'planted').")
    predictions.add_argument("--data", default="sample", help="references: 'sample', a folder, a file, or a URL")
    predictions.add_argument("--model", required=True, help="model name (the file is OUT/MODEL.jsonl)")
    predictions.add_argument("--out", required=True, type=Path, help="output folder")
    predictions.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    predictions.add_argument("--split", default="test", help="reference split (default test; 'all' for every split)")
    predictions.add_argument("--rate", action="append", type=_rate, metavar="EVENT=RATE",
                             help="omission, negation_flip, hallucination or paraphrase with a rate in [0, 1] "
                                  "(defaults 0.2, 0.15, 0.15, 0.5); repeatable")
    predictions.set_defaults(run=_cmd_sample_predictions)


    diff = sub.add_parser("diff", help="what changed between two stats.json files (two releases or two runs)",
                          description="Compare two stats.json files (or report folders) table row by table row. "
                                      "Exit 0 identical, 1 different, 2 unreadable.")
    diff.add_argument("before", type=Path, help="the earlier stats.json or report folder")
    diff.add_argument("after", type=Path, help="the later stats.json or report folder")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON records")
    diff.add_argument("--limit", type=int, default=200, help="lines shown at most (0: all; default 200)")
    diff.set_defaults(run=_cmd_diff)
    return parser


class _StderrLines(logging.Handler):
    """The package's notes (e.g. a leftover folder removed) as one `vixray-eda: ...` line each on the current
    sys.stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"vixray-eda: {record.getMessage()}", file=sys.stderr)


def _log_to_stderr() -> None:
    logger = logging.getLogger("vixray_eda")
    if not any(isinstance(h, _StderrLines) for h in logger.handlers):
        logger.addHandler(_StderrLines())
        logger.setLevel(logging.INFO)


def _quiet_broken_pipe() -> int:
    """The reader of stdout went away: no message, no second error when Python flushes stdout at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stdout without a file descriptor (e.g. captured): nothing to do
        pass
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to_stderr()
    try:
        with sigterm_as_interrupt():
            code = args.run(args)
            sys.stdout.flush()
            return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except VixrayError as exc:
        print(f"vixray-eda: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Terminated:
        print("vixray-eda: terminated; nothing half-written was left behind", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("vixray-eda: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # a folder or file the user named cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        print(redact(f"vixray-eda: error: {exc.strerror or exc}{where}"), file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line, the traceback on request
        if os.environ.get("VIXRAY_EDA_DEBUG"):
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(redact(f"vixray-eda: internal error: {type(exc).__name__}: {first} "
                     f"(set VIXRAY_EDA_DEBUG=1 to see the traceback; please report it)"), file=sys.stderr)
        return EXIT_ERROR


def entry() -> NoReturn:
    """The `vixray-eda` command (and ``python -m vixray_eda``): `main()`, then `exit_at_once` with its code."""
    try:
        code: object = main()
    except SystemExit as exc:  # argparse's --help, --version and usage errors
        code = exc.code
    exit_at_once(code)


def exit_at_once(code: object) -> NoReturn:
    """Exit with `code` as Python would, without the interpreter's teardown (freeing every module and object: about
    0.4 s after a report, a tenth of a warm one). The atexit handlers run and the standard streams are flushed first;
    while a thread that is not a daemon is still running, or for a code that is not a number, Python exits as usual."""
    code = 0 if code is None else code
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if others or not isinstance(code, int):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(code & 0xFF)
