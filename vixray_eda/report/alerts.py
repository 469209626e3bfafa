"""What to look at first: the card's alerts, computed from `Results` by one pure function.

Each alert is a `Phrase` (worded in the card's language), a level (``bad`` for what can invalidate a result,
``warn`` for what deserves a look) and the anchor of the card section that explains it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vixray_eda.labels import Phrase, phrase
from vixray_eda.stats.summary import Results

__all__ = ["COVERAGE_ALERT", "Alert", "alerts"]

#: Share of a field's reports without any concept from which the lexicon's coverage is flagged.
COVERAGE_ALERT = 0.05
#: Balance verdicts that say the splits differ.
_DIFFERENT = ("balance.differ", "balance.jsd.moderate", "balance.jsd.large")


@dataclass(frozen=True)
class Alert:
    level: str  # "bad" or "warn"
    text: Phrase
    anchor: str  # the card section that explains it


def _pct(share: float) -> str:
    return f"{100 * share:.1f}%"


def _leakage(r: Results) -> list[Alert]:
    out = []
    shared = sum(int(rec.get("non_template_reports", 0)) for rec in r.quality.leakage)
    if shared:
        pairs = ", ".join(" / ".join(rec["splits"]) for rec in r.quality.leakage if rec.get("non_template_reports"))
        out.append(Alert("bad", phrase("alert.leakage", n=f"{shared:,}", pairs=pairs), "leakage"))
    images = sum(int(rec.get("images", 0)) for rec in r.quality.image_leakage or [])
    if images:
        out.append(Alert("bad", phrase("alert.image_leakage", n=f"{images:,}"), "leakage"))
    return out


def _metadata(r: Results) -> list[Alert]:
    checks = r.metadata_checks
    out = []
    if ((checks["check"] == "license") & (checks["status"] == "mismatch")).any():
        out.append(Alert("warn", phrase("alert.license"), "splits"))
    sizes = checks[checks["check"].str.startswith("split ") & (checks["status"] == "mismatch")]
    if len(sizes):
        out.append(Alert("warn", phrase("alert.split_sizes", splits=", ".join(sizes["check"].str[6:])), "splits"))
    return out


def _ages(r: Results) -> list[Alert]:
    summary = r.demographics.age_summary.set_index("split")
    if "all" not in summary.index:
        return []
    missing, n = int(summary.loc["all", "missing"]), len(r.frame)
    if not missing:
        return []
    return [Alert("warn", phrase("alert.missing_ages", n=f"{missing:,}", share=_pct(missing / n)), "demographics")]


def _coverage(r: Results) -> list[Alert]:
    table = r.coverage.table
    table = table[table["split"] == "all"] if (table["split"] == "all").any() else table
    shares = (table["reports_without_concept"] / table["reports"].where(table["reports"] > 0)).dropna()
    out = []
    if len(shares) and shares.max() >= COVERAGE_ALERT:
        out.append(Alert("warn", phrase("alert.coverage", share=_pct(float(shares.max()))), "coverage"))
    if len(r.coverage.gaps):
        out.append(Alert("warn", phrase("alert.gaps", n=f"{len(r.coverage.gaps):,}"), "coverage"))
    return out


def _balance(r: Results) -> list[Alert]:
    verdicts = r.balance.get("verdict_phrase", pd.Series(dtype=object))
    differ = sum(1 for v in verdicts if isinstance(v, Phrase) and v.key in _DIFFERENT)
    if not differ:
        return []
    return [Alert("warn", phrase("alert.balance", n=differ, total=len(r.balance)), "balance")]


def _quality(r: Results) -> list[Alert]:
    out = []
    phi = int(r.quality.phi_matches["rows"].sum()) if len(r.quality.phi_matches) else 0
    if phi:
        out.append(Alert("bad", phrase("alert.phi", n=f"{phi:,}"), "quality"))
    skipped = r.quality.log[r.quality.log["check"] == "shard_skipped"]
    if len(skipped):
        out.append(Alert("bad", phrase("alert.shards", n=len(skipped)), "quality"))  # rows may be unknown
    return out


def alerts(results: Results) -> list[Alert]:
    """The alerts of `results`, most serious first (leakage, PHI, skipped shards), then in card order."""
    found = [*_leakage(results), *_metadata(results), *_ages(results), *_coverage(results), *_balance(results),
             *_quality(results)]
    return sorted(found, key=lambda a: a.level != "bad")
