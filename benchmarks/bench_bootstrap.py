"""Benchmark: the benchmark card's vectorized paired bootstrap versus a loop over resamples.

Both compute the same statistics (ROUGE-1 mean, four event rates, micro and macro label F1) for every resample of
the test split's 540 reports, on the two demo models of `make benchmark`:
  baseline: for each resample, index the per-report arrays with the drawn report numbers and compute the statistics
  project:  `vixray_eda.benchmark.bootstrap.statistics` on the (resamples × reports) count matrix, one product each
Checks that the intervals agree, then prints both times and the ratio.

    .venv/bin/python benchmarks/bench_bootstrap.py [--resamples 1000]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import vixray_eda as vx
from vixray_eda.benchmark import clinical
from vixray_eda.benchmark.bootstrap import RATES, interval, resample_weights, statistics
from vixray_eda.benchmark.perturb import demo_predictions


def loop_statistics(picks: np.ndarray, rouge: np.ndarray, scores: clinical.ClinicalScores) -> dict[str, np.ndarray]:
    out: dict[str, list[float]] = {"rouge1_syllables": [], "ce_micro_f1": [], "ce_macro_f1": [],
                                   **{name: [] for name in RATES}}
    for draw in picks:
        out["rouge1_syllables"].append(rouge[draw].mean())
        for name, event in RATES.items():
            out[name].append((scores.events[event][draw] > 0).mean())
        tp, fp, fn = scores.counts[draw].sum(axis=0)
        out["ce_micro_f1"].append(float(clinical.f1(tp, fp, fn)))
        per_concept = clinical.f1(*(m[draw].sum(axis=0) for m in scores.per_concept))
        out["ce_macro_f1"].append(float(np.nanmean(per_concept)) if np.isfinite(per_concept).any() else np.nan)
    return {k: np.asarray(v) for k, v in out.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    refs = vx.load("sample", splits="test")
    bench = vx.score(refs, demo_predictions(refs), resamples=1)
    n = bench.reports_scored()
    rng = np.random.default_rng(0)
    picks = rng.integers(0, n, size=(args.resamples, n))
    weights = np.bincount((np.arange(args.resamples)[:, None] * n + picks).ravel(),
                          minlength=args.resamples * n).reshape(args.resamples, n).astype(float)
    assert np.array_equal(weights, resample_weights(n, args.resamples, 0))
    timings = {"baseline": 0.0, "project": 0.0}
    for model in bench.models:
        pairs = bench.pairs[(bench.pairs["model"] == model) & (bench.pairs["field"] == "findings")]
        ids = bench.reports.loc[(bench.reports["model"] == model) & (bench.reports["field"] == "findings"), "id"]
        doc = {i: d for d, i in enumerate(ids)}
        scores = clinical.ClinicalScores.from_pairs(pairs.assign(doc=pairs["id"].map(doc)), n,
                                                    sorted(set(bench.pairs["concept"])))
        rouge = bench.reports.loc[(bench.reports["model"] == model) & (bench.reports["field"] == "findings"),
                                  "rouge1_syllables"].to_numpy()
        start = time.perf_counter()
        slow = loop_statistics(picks, rouge, scores)
        timings["baseline"] += time.perf_counter() - start
        start = time.perf_counter()
        fast = statistics(weights, {"rouge1_syllables": rouge}, scores)
        timings["project"] += time.perf_counter() - start
        for name, values in slow.items():
            assert np.allclose(interval(values), interval(fast[name])), name
    print(f"paired bootstrap, {len(bench.models)} models × {n} reports × {args.resamples} resamples:")
    print(f"  baseline (loop over resamples): {timings['baseline']:.3f} s")
    print(f"  project  (count-matrix products): {timings['project']:.3f} s")
    print(f"  ratio: {timings['baseline'] / timings['project']:.1f}× faster, same intervals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
