"""Per-distinct-text state in fixed size: 64-bit digests, counts and first rows, mergeable across chunks.

Duplicates, templates, leakage and distinct counts need to know, for each distinct text, how often it occurs in
each split and where it first occurs. A *digest table* keeps exactly that: ``digest`` (uint64, pandas'
`hash_pandas_object`: deterministic across processes and runs), ``split``, ``count`` and ``first`` (the row's
position within its split). One row costs about 40 bytes in memory per distinct text and split, whatever the
text's length. Two different texts share a digest with probability about d²/2⁶⁵ for d distinct texts (≈ 10⁻⁶ at
5 million), in which case they are counted as one.

Rows are ordered by (split in the package's order, position within the split): the order of `load`'s frame, so
"first" means the same thing whether the rows arrived at once or chunk by chunk.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from vixray_eda.data.schema import split_order

__all__ = ["DIGEST_COLUMNS", "Lookup", "FrameLookup", "positions", "digest_table", "merge_digests", "by_text",
           "split_ranks"]

DIGEST_COLUMNS = ["digest", "split", "count", "first"]


def positions(splits: np.ndarray, offsets: dict[str, int] | None = None) -> np.ndarray:
    """Each row's position within its split: `offsets[split]` (rows of that split in earlier chunks) plus its
    rank among this chunk's rows of the same split."""
    frame = pd.Series(splits)
    pos = frame.groupby(frame, sort=False).cumcount().to_numpy(dtype="int64")
    if offsets:
        pos = pos + frame.map(lambda s: offsets.get(s, 0)).to_numpy(dtype="int64")
    return pos


def digest_table(keys: pd.Series, splits: np.ndarray, pos: np.ndarray) -> pd.DataFrame:
    """The digest table of non-empty `keys` (texts; "" and missing are left out)."""
    keys = keys.reset_index(drop=True)
    keep = (keys.notna() & (keys.astype("string") != "")).to_numpy(dtype=bool)
    if not keep.any():
        return pd.DataFrame({"digest": np.zeros(0, "uint64"), "split": np.zeros(0, object),
                             "count": np.zeros(0, "int64"), "first": np.zeros(0, "int64")})
    hashed = pd.util.hash_pandas_object(keys[keep].astype(str), index=False).to_numpy()
    frame = pd.DataFrame({"digest": hashed, "split": splits[keep].astype(object), "first": pos[keep]})
    return _collapse(frame.assign(count=1))


def _collapse(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.groupby(["digest", "split"], sort=True).agg(count=("count", "sum"), first=("first", "min"))
    return out.reset_index()[DIGEST_COLUMNS]


def merge_digests(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One digest table from several (counts added, the earliest first row kept)."""
    return _collapse(pd.concat(tables, ignore_index=True))


def split_ranks(splits: Iterable[str]) -> dict[str, int]:
    """split → rank in the package's order (train, val, test, then the others alphabetically)."""
    return {s: i for i, s in enumerate(split_order(splits))}


def by_text(table: pd.DataFrame) -> pd.DataFrame:
    """One row per digest over all splits: ``digest, count, split, first`` where (split, first) is the text's first
    row in the package's row order."""
    ranks = split_ranks(table["split"].unique())
    ordered = table.assign(_rank=table["split"].map(ranks)).sort_values(["digest", "_rank", "first"], kind="stable")
    firsts = ordered.drop_duplicates("digest")[["digest", "split", "first"]]
    counts = table.groupby("digest", sort=True)["count"].sum().rename("count").reset_index()
    return counts.merge(firsts, on="digest", how="left")


class Lookup(Protocol):
    """Reads one value back by its row's order key: the few texts and ids a finished statistic shows (the most
    common value of a column, the ids of leaked reports) are looked up rather than kept for every distinct text."""

    def __call__(self, column: str, split: str, first: int) -> Any: ...

    def first_split(self) -> str: ...


class FrameLookup:
    """`Lookup` over an in-memory frame (``id`` falls back to the index when the frame has no id column)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.splits = (frame["split"].astype(str).to_numpy(dtype=object) if "split" in frame.columns
                       else np.full(len(frame), "", object))
        self._rows: dict[str, np.ndarray] = {}

    def __call__(self, column: str, split: str, first: int) -> Any:
        if split not in self._rows:
            self._rows[split] = np.flatnonzero(self.splits == split)
        row = int(self._rows[split][first])
        if column == "id" and "id" not in self.frame.columns:
            return self.frame.index[row]
        return self.frame[column].iloc[row]

    def first_split(self) -> str:
        return split_order(self.splits)[0] if len(self.splits) else ""
