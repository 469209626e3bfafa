"""Benchmark card: clinical correctness of generated Vietnamese chest X-ray reports.

    import vixray_eda as vx
    bench = vx.score(vx.load("sample", splits="test"), ["model_a.jsonl", "model_b.jsonl"])
    bench.leaderboard()

Modules: `inputs` (reading and aligning predictions), `text_metrics` (ROUGE/BLEU), `clinical` (extractor-based
labels and events), `bootstrap` (paired intervals), `score` (the `Benchmark`), `perturb` (demo predictions),
`figures`, `examples`, `card`, `stats_json`, `outputs` (atomic files). This subpackage sits above `report` in the
layering: cli → benchmark → report → plots/stats → text → data.
"""
