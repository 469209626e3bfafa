"""Benchmark: the text pipeline (normalize + segment + mentions + lengths) against a naive per-report loop.

    python benchmarks/bench_text.py                      # sample, worst case, scaling 5.4k / 54k / 540k
    python benchmarks/bench_text.py --max-rows 54000     # shorter scaling run

Claims checked (printed as ratios measured in the same run):
1. On the 5,400-row synthetic sample (findings + impressions), `analyze_texts` is at least 5× faster than the
   baseline: underthesea ``word_tokenize`` per report plus one regex lookup of every lexicon surface per report.
2. Worst case, every sentence unique (a distinct case number appended to each sentence): the ratio is reported too.
3. Scaling: time and peak memory (``ru_maxrss`` of a fresh subprocess) at 5.4k, 54k, 540k reports grow linearly;
   peak memory at 540k stays under 4 GiB. Larger frames repeat the sample with every number perturbed, so the
   template mix stays realistic while the number of unique sentences grows.
No cache is used anywhere (``cache=False``): the timings are the work itself.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time

SCALES = (5_400, 54_000, 540_000)


def sample_texts(rows: int, seed: int = 0) -> list[str]:
    """Findings and impressions of `rows` synthetic reports (the sample, then perturbed repeats)."""
    import random

    from vixray_eda.data.sample import sample_frame

    base = sample_frame(min(rows, 5_400), seed)
    findings, impressions = base["findings"].tolist(), base["impressions"].tolist()
    rng = random.Random(seed)
    out_f, out_i = [], []
    number = re.compile(r"\d+")
    while len(out_f) < rows:
        first = not out_f
        for f, i in zip(findings, impressions):
            if len(out_f) >= rows:
                break
            if first:
                out_f.append(f)
                out_i.append(i)
            else:
                out_f.append(number.sub(lambda m: str(rng.randint(1, 12)), f))
                out_i.append(i)
    return out_f + out_i


def unique_sentence_texts(texts: list[str]) -> list[str]:
    """Worst case: every sentence gets a distinct case number, so nothing can be memoized."""
    counter = iter(range(10**9))
    return [re.sub(r"([.;])(\s|$)", lambda m: f" ca {next(counter)}{m.group(1)}{m.group(2)}", t) for t in texts]


def baseline(texts: list[str]) -> tuple[float, int]:
    """Naive: per report, underthesea word_tokenize and one big regex over every lexicon surface."""
    from underthesea import word_tokenize

    from vixray_eda.text.lexicon import load_lexicon

    lex = load_lexicon()
    terms = sorted({s.lower() for s, k in zip(lex.rows["surface"], lex.rows["kind"]) if k in ("finding", "anatomy")},
                   key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)")
    word_tokenize("khởi động")
    start = time.perf_counter()
    found = 0
    for text in texts:
        tokens = word_tokenize(text)
        found += len(pattern.findall(text.lower())) + 0 * len(tokens)
    return time.perf_counter() - start, found


def pipeline(texts: list[str], workers: int | None = None) -> tuple[float, int]:
    from vixray_eda.text.pipeline import analyze_texts

    analyze_texts(["Bóng tim to."], cache=False)  # load the CRF model outside the timing, as the baseline does
    start = time.perf_counter()
    result = analyze_texts(texts, cache=False, workers=workers)
    _ = result.docs[["chars", "syllables", "words", "sentences"]].mean()  # the lengths
    return time.perf_counter() - start, len(result.mentions)


def scale_child(rows: int) -> None:
    """Run in a subprocess: print JSON with seconds and peak RSS for `rows` reports."""
    import resource

    texts = sample_texts(rows)
    seconds, mentions = pipeline(texts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    for child in (resource.RUSAGE_CHILDREN,):
        peak = max(peak, resource.getrusage(child).ru_maxrss * 1024)
    print(json.dumps({"rows": rows, "texts": len(texts), "seconds": seconds, "peak_bytes": peak,
                      "mentions": mentions}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-rows", type=int, default=SCALES[-1], help="largest scaling run (reports)")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        scale_child(args.child)
        return

    texts = sample_texts(5_400)
    t_base, n_base = baseline(texts)
    t_pipe, n_pipe = pipeline(texts)
    print(f"sample 5,400 reports ({len(texts)} texts): baseline {t_base:.2f} s, pipeline {t_pipe:.2f} s, "
          f"speed-up {t_base / t_pipe:.1f}x (target >= 5x); mentions {n_pipe} (baseline regex hits {n_base})")

    worst = unique_sentence_texts(texts)
    t_base_w, _ = baseline(worst)
    t_pipe_w, _ = pipeline(worst)
    print(f"worst case, every sentence unique: baseline {t_base_w:.2f} s, pipeline {t_pipe_w:.2f} s, "
          f"speed-up {t_base_w / t_pipe_w:.1f}x")

    if args.skip_scaling:
        return
    results = []
    for rows in [r for r in SCALES if r <= args.max_rows]:
        out = subprocess.run([sys.executable, __file__, "--child", str(rows)], check=True, capture_output=True,
                             text=True).stdout
        res = json.loads(out.strip().splitlines()[-1])
        results.append(res)
        per_k = res["seconds"] / rows * 1000
        print(f"scaling {rows:>7,} reports: {res['seconds']:7.2f} s ({per_k:.2f} s per 1k reports), "
              f"peak memory {res['peak_bytes'] / 2**30:.2f} GiB")
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = (last["seconds"] / first["seconds"]) / (last["rows"] / first["rows"])
        print(f"time growth relative to linear from {first['rows']:,} to {last['rows']:,}: {growth:.2f} "
              f"(1.0 = linear; < 1 means better than linear thanks to memoization)")
        print(f"peak memory at {last['rows']:,}: {last['peak_bytes'] / 2**30:.2f} GiB (target < 4 GiB)")


if __name__ == "__main__":
    main()
