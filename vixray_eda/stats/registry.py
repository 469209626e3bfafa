"""Statistics as a registry: a function registered with `@statistic` is computed by `compute_results` (into
`Results.statistics[key]`), written to stats.json (``statistics.<key>``) and shown as a table in its card section,
headed by the label ``<key>`` and explained by ``<key>_text`` of ``labels.csv``; its columns are labelled by the
label of the same name when there is one. Adding a statistic: one registered function and its label rows.

Statistics are computed chunk by chunk (`vixray_eda.stats.partials`): the registered function returns the chunk's
*counts*, a table of its `keys` columns and summable number columns; the chunks' tables are added up per key and
`finish` (when given) turns the sums into the shown table (ratios, an "all" row, order)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from vixray_eda.stats.counts import sum_by
from vixray_eda.text.lexicon import Lexicon
from vixray_eda.text.pipeline import FieldAnalysis

#: How a column is shown in the card.
COLUMN_FORMATS = ("percent", "integer", "number")


@dataclass(frozen=True)
class StatisticInputs:
    """What a registered statistic may read: the canonical frame (no image column), the lexicon, the run's one text
    analysis (`analyze_fields` of findings and impressions) and its mentions (`stats.terms.frame_mentions`)."""

    frame: pd.DataFrame
    lexicon: Lexicon
    analysis: FieldAnalysis
    mentions: pd.DataFrame


@dataclass(frozen=True)
class Statistic:
    """One registered statistic: a table computed from `StatisticInputs`, shown in card section `section`."""

    key: str
    section: str
    compute: Callable[[StatisticInputs], pd.DataFrame]
    formats: Mapping[str, str] = field(default_factory=dict)
    keys: tuple[str, ...] = ("split",)
    finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None


#: Registered statistics by key, in registration order.
STATISTICS: dict[str, Statistic] = {}


def statistic(key: str, section: str, formats: Mapping[str, str] | None = None, keys: tuple[str, ...] = ("split",),
              finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> Callable:
    """Register the decorated function (`StatisticInputs` → a chunk's counts per `keys`) as statistic `key` of card
    section `section`; `finish` turns the summed counts into the shown table; `formats` maps columns to one of
    `COLUMN_FORMATS`."""
    formats = dict(formats or {})
    unknown = sorted(set(formats.values()) - set(COLUMN_FORMATS))
    if unknown:
        raise ValueError(f"statistic {key!r}: unknown column format(s) {', '.join(unknown)}")

    def register(compute: Callable[[StatisticInputs], pd.DataFrame]) -> Callable[[StatisticInputs], pd.DataFrame]:
        if key in STATISTICS:
            raise ValueError(f"statistic {key!r} is registered twice")
        STATISTICS[key] = Statistic(key, section, compute, formats, tuple(keys), finish)
        return compute
    return register


def statistic_counts(inputs: StatisticInputs) -> dict[str, pd.DataFrame]:
    """key → one chunk's counts for every registered statistic."""
    return {key: entry.compute(inputs) for key, entry in STATISTICS.items()}


def merge_statistic_counts(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """The chunks' counts of every statistic, summed per key (keys sorted)."""
    merged = {}
    for key, entry in STATISTICS.items():
        merged[key] = sum_by((p[key] for p in parts if key in p), entry.keys)
    return merged


def finish_statistics(counts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """key → shown table, from the summed counts."""
    return {key: entry.finish(counts[key]) if entry.finish else counts[key] for key, entry in STATISTICS.items()
            if key in counts}


def compute_statistics(inputs: StatisticInputs) -> dict[str, pd.DataFrame]:
    """key → table for every registered statistic, from one frame."""
    return finish_statistics(merge_statistic_counts([statistic_counts(inputs)]))
