"""Evaluation: finding + assertion extraction on labelled radiology sentences (JSON lines).

    python benchmarks/eval_mentions.py [PATH]     # default ../shared/spec/dev_sentences.jsonl beside the repo

Each line holds ``sentence``, ``findings`` (``[[concept, assertion], ...]``), optionally ``anatomy`` and
``abbreviation`` (``{short: expansion}``). Predicted and gold findings are compared per sentence as sets of
(concept, assertion) pairs (the labels list each pair once), over the finding ids that concepts.md requires (the
lexicon's extra ids, such as ``cavity``, are not labelled there). Printed for two settings, the shipped abbreviation table only and the shipped table plus a
user table built from the file's ``abbreviation`` fields (what a curator would add after reading the gap report):
per-assertion precision / recall / F1, the finding + assertion micro-F1, uncertain recall, fallback mentions, and the
list of sentences with errors.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from vixray_eda.text.abbreviations import ABBREVIATION_COLUMNS
from vixray_eda.text.lexicon import Lexicon, load_lexicon
from vixray_eda.text.pipeline import analyze_texts

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "spec" / "dev_sentences.jsonl"
ASSERTIONS = ("present", "absent", "uncertain")
REQUIRED = frozenset({
    "cardiomegaly", "interstitial_lung_disease", "fibrosis", "infiltrate", "consolidation", "nodule", "mass",
    "rib_fracture", "aortic_calcification", "aortic_ectasia", "pleural_effusion", "pneumothorax", "pleural_thickening",
    "pneumonia", "tuberculosis", "atelectasis", "emphysema", "bronchovascular_markings", "pulmonary_edema",
    "hilar_enlargement", "bronchiectasis", "scoliosis", "mediastinal_widening", "opacity",
})


def read_items(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def user_table(items: list[dict], folder: Path) -> Path:
    """An abbreviation CSV (the shipped table's header) with the ``abbreviation`` fields of `items`; a short form
    given two meanings ("kn": khả năng / khối nốt) is left out, as a curator would not expand it blindly."""
    meanings: dict[str, set[str]] = {}
    for it in items:
        for k, v in (it.get("abbreviation") or {}).items():
            meanings.setdefault(k, set()).add(v)
    pairs = sorted((k, v.pop()) for k, v in meanings.items() if len(v) == 1)
    path = folder / "user_abbreviations.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(ABBREVIATION_COLUMNS)
        for short, expansion in pairs:
            writer.writerow([short, expansion, "", "from the evaluation file"])
    return path


def evaluate(items: list[dict], lexicon: Lexicon) -> dict:
    """Counts per assertion, micro scores and the error list of `items` under `lexicon`."""
    analysis = analyze_texts([it["sentence"] for it in items], lexicon=lexicon, cache=False)
    m = analysis.mentions[analysis.mentions["concept"].isin(REQUIRED)]
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    errors = []
    for doc, it in enumerate(items):
        rows = m[m["doc"] == doc]
        pred = Counter(set(zip(rows["concept"], rows["assertion"])))
        gold = Counter({tuple(f) for f in it["findings"]})
        hit, extra, missed = pred & gold, pred - gold, gold - pred
        for counter, part in ((tp, hit), (fp, extra), (fn, missed)):
            for (_, assertion), n in part.items():
                counter[assertion] += n
        if extra or missed:
            errors.append((it["sentence"], sorted(extra.elements()), sorted(missed.elements())))
    fallback = int((analysis.mentions["match"] == "fallback").sum())
    return {"tp": tp, "fp": fp, "fn": fn, "errors": errors, "fallback": fallback}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(title: str, res: dict) -> None:
    print(f"== {title}")
    print(f"{'assertion':<10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for a in ASSERTIONS:
        p, r, f = prf(res["tp"][a], res["fp"][a], res["fn"][a])
        print(f"{a:<10} {p:6.2f} {r:6.2f} {f:6.2f} {res['tp'][a] + res['fn'][a]:5d}")
    p, r, f = prf(sum(res["tp"].values()), sum(res["fp"].values()), sum(res["fn"].values()))
    gold_u = res["tp"]["uncertain"] + res["fn"]["uncertain"]
    print(f"finding + assertion micro: P {p:.2f} R {r:.2f} F1 {f:.2f}")
    print(f"uncertain recall: {res['tp']['uncertain']} of {gold_u}"
          f" ({res['tp']['uncertain'] / gold_u if gold_u else 0:.2f})")
    print(f"fallback (tone-insensitive) mentions: {res['fallback']}")
    print(f"sentences with errors: {len(res['errors'])}")
    for sentence, extra, missed in res["errors"]:
        print(f"  - {sentence}")
        if extra:
            print(f"      extra:  {', '.join(f'{c}/{a}' for c, a in extra)}")
        if missed:
            print(f"      missed: {', '.join(f'{c}/{a}' for c, a in missed)}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT, help="labelled sentences (JSON lines)")
    args = parser.parse_args()
    if not args.path.is_file():
        sys.exit(f"eval_mentions: no such file {args.path}")
    items = read_items(args.path)
    print(f"{len(items)} sentences from {args.path}\n")
    report("shipped abbreviation table only", evaluate(items, load_lexicon()))
    with tempfile.TemporaryDirectory() as tmp:
        lexicon = load_lexicon([user_table(items, Path(tmp))])
        report("shipped table + user table from the file's abbreviation fields", evaluate(items, lexicon))


if __name__ == "__main__":
    main()
