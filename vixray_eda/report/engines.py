"""stats.json chunk by chunk, in this process or on a Dask cluster: constant memory for any archive.

Both engines run the same three steps (`stats.partials`): each chunk of rows becomes a `Partial` of counts, the
partials are merged, the merged counts are finished into the tables of stats.json. ``local`` reads and merges the
chunks one after the other in this process, so memory holds one chunk plus the merged counts (which grow with
distinct texts, not rows). ``dask`` maps the chunks over a Dask cluster (`dask.bag`) and merges the partials in a
tree: without `scheduler`, a local cluster of worker processes on this machine; with a scheduler address
(``tcp://host:8786``), the workers of a real cluster, each reading its chunks straight from the source (a shared
folder, ``https://`` or ``hf://``), only the text columns of its row groups. The document is the same whatever the
engine and the chunk size, byte for byte, and the same as `report`'s stats.json.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial as bind
from pathlib import Path
from typing import Any

import pandas as pd

from vixray_eda.data.chunks import CHUNK_ROWS, ChunkPlan, ChunkSpec, fingerprint, plan_chunks, read_chunk, read_raw
from vixray_eda.data.sources import format_id
from vixray_eda.data.schema import split_order
from vixray_eda.errors import ParameterError, ReportError
from vixray_eda.files import write_text_atomic
from vixray_eda.redact import redact
from vixray_eda.report.stats_json import dumps, stats_document, validate_stats
from vixray_eda.stats.digests import FrameLookup
from vixray_eda.stats.partial_store import chunk_key, read_partial, write_partial
from vixray_eda.stats.partials import Partial, chunk_partial, finish, loading_log, merge_partials
from vixray_eda.stats.summary import provenance_from, run_parameters
from vixray_eda.text.lexicon import load_lexicon

__all__ = ["ENGINES", "frame_stats", "source_stats", "write_stats", "SourceLookup"]

ENGINES = ("local", "dask")
#: Worker processes of the local Dask cluster started when no scheduler address is given (this machine's cores).
LOCAL_WORKERS = 2
SCHEDULER_TIMEOUT = "10s"


def _lexicon(paths: Sequence[str] | None) -> Any:
    return load_lexicon(list(paths) if paths else None)


def _run(items: Sequence[Any], compute: Callable[[Any], Partial], engine: str, scheduler: str | None) -> Partial:
    """Merge `compute(item)` over `items` with the chosen engine."""
    if engine not in ENGINES:
        raise ParameterError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "local":
        merged: Partial | None = None
        for item in items:
            part = compute(item)
            merged = part if merged is None else merge_partials([merged, part])
        assert merged is not None
        return merged
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ParameterError("--engine dask needs the 'dask' extra (pip install 'vixray-eda[dask]')") from exc
    bag = db.from_sequence(list(items), npartitions=len(items)).map(compute)
    merge = bag.reduction(_merge_list, _merge_list, split_every=8)
    if scheduler is not None:
        try:
            client = Client(scheduler, set_as_default=False, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ReportError(f"dask scheduler {redact(scheduler)}: cannot be reached within {SCHEDULER_TIMEOUT} "
                              f"({type(exc).__name__})") from exc
        with client:
            return client.compute(merge).result()
    with LocalCluster(n_workers=LOCAL_WORKERS, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster, set_as_default=False) as client:
        return client.compute(merge).result()


def _merge_list(parts: Any) -> Partial:
    return merge_partials(list(parts))


def _frame_chunk(frame: pd.DataFrame, lexicon_paths: Sequence[str] | None, workers: int | None,
                 item: tuple[int, int, int, dict[str, int]]) -> Partial:
    index, start, stop, before = item
    return chunk_partial(frame.iloc[start:stop], _lexicon(lexicon_paths), index=index, offsets=before,
                         workers=workers)


def _workers(engine: str) -> int | None:
    """Text-analysis processes per chunk: the default (both cores) in process, 1 in a Dask worker (a worker is
    already one process per core, and its daemonic process may not start others)."""
    return 1 if engine == "dask" else None


def frame_stats(df: pd.DataFrame, chunk_rows: int = CHUNK_ROWS, lexicon_paths: Sequence[str] | None = None,
                top_n: int = 20, engine: str = "local", scheduler: str | None = None) -> dict[str, Any]:
    """stats.json of a frame from `load`, computed `chunk_rows` rows at a time (equal to `report`'s)."""
    if chunk_rows < 1:
        raise ParameterError(f"chunk_rows must be at least 1, not {chunk_rows}")
    frame = df.drop(columns=["image"], errors="ignore")
    items, seen = [], Counter()  # each chunk with the rows of each split before it
    for i, start in enumerate(range(0, len(frame), chunk_rows)):
        stop = min(start + chunk_rows, len(frame))
        items.append((i, start, stop, dict(seen)))
        seen.update(frame["split"].iloc[start:stop].astype(str).tolist())
    merged = _run(items, bind(_frame_chunk, frame, lexicon_paths, _workers(engine)), engine, scheduler)
    lexicon = _lexicon(lexicon_paths)
    source = redact(str(df.attrs.get("source") or ""))
    summary = finish(merged, FrameLookup(frame), synthetic=bool(df.attrs.get("synthetic", False)),
                     log=df.attrs.get("quality", []) or [])
    return stats_document(summary, source=source, synthetic=bool(df.attrs.get("synthetic", False)),
                          parameters=run_parameters(lexicon_paths, top_n, False, None, False),
                          provenance=provenance_from(df.attrs.get("provenance"), lexicon, source))


def _source_chunk(plan: ChunkPlan, lexicon_paths: Sequence[str] | None, cache: bool, workers: int | None,
                  spec: ChunkSpec) -> Partial:
    """The partial of one chunk: from the cache when the same content was counted before in the same place."""
    lexicon = _lexicon(lexicon_paths)
    raw = read_raw(plan.source, spec.path, spec.row_groups)
    key = chunk_key(fingerprint(raw), spec.path, repr(spec), repr(plan.wanted), lexicon.version) if cache else None
    cached = read_partial(key) if key is not None else None
    if cached is not None:
        return cached
    frame, reading, cleaning = read_chunk(plan, spec, raw)
    log = [(0, r) for r in reading] + [(1, r) for r in cleaning]
    partial = chunk_partial(frame, lexicon, index=spec.index, offsets=dict(spec.offsets), log=log, workers=workers)
    if key is not None:
        write_partial(key, partial)
    return partial


class SourceLookup:
    """`stats.digests.Lookup` over a chunked source. Ids are formatted as `data.chunks.read_chunk` assigns them
    (split and position within it); other values are read back from the chunk that holds the row (the last few
    chunks read are kept)."""

    KEPT = 4

    def __init__(self, plan: ChunkPlan) -> None:
        self.plan = plan
        self._frames: dict[int, FrameLookup] = {}

    def __call__(self, column: str, split: str, first: int) -> Any:
        if column == "id":
            return format_id(split, first)
        for spec in self.plan.chunks:
            start, rows = dict(spec.offsets).get(split, 0), dict(spec.rows).get(split, 0)
            if start <= first < start + rows:
                if spec.index not in self._frames:
                    if len(self._frames) >= self.KEPT:
                        self._frames.pop(next(iter(self._frames)))
                    self._frames[spec.index] = FrameLookup(read_chunk(self.plan, spec)[0])
                return self._frames[spec.index](column, split, first - start)
        raise KeyError(f"row {first} of split {split!r} is in no chunk")

    def first_split(self) -> str:
        present = {s for spec in self.plan.chunks for s, n in spec.rows if n}
        return split_order(present)[0]


def source_stats(source: Any = "sample", *, splits: Sequence[str] | None = None, chunk_rows: int = CHUNK_ROWS,
                 lexicon_paths: Sequence[str] | None = None, top_n: int = 20, skip_corrupt: bool = False,
                 engine: str = "local", scheduler: str | None = None, cache: bool = True) -> dict[str, Any]:
    """stats.json of a source read chunk by chunk (row groups of about `chunk_rows` rows): the same document as
    `vixray-eda report` writes for it, in memory that does not grow with rows. Each chunk's counts are cached
    (`stats.partial_store`): a second run over the same archive reads, looks up and merges; `cache=False` neither
    reads nor writes the cache."""
    if chunk_rows < 1:
        raise ParameterError(f"chunk_rows must be at least 1, not {chunk_rows}")
    plan = plan_chunks(source, list(splits) if splits else None, chunk_rows, skip_corrupt)
    merged = _run(plan.chunks, bind(_source_chunk, plan, lexicon_paths, cache, _workers(engine)), engine, scheduler)
    lexicon = _lexicon(lexicon_paths)
    described = redact(plan.source.description)
    summary = finish(merged, SourceLookup(plan), synthetic=plan.synthetic, log=loading_log(merged, plan.records))
    return stats_document(summary, source=described, synthetic=plan.synthetic,
                          parameters=run_parameters(lexicon_paths, top_n, False, splits, skip_corrupt),
                          provenance=provenance_from(plan.provenance, lexicon, described))


def write_stats(source: Any, out: str | Path, **options: Any) -> Path:
    """`source_stats` written atomically to `out`. An existing file is replaced only when it is a stats.json this
    package wrote (its ``generator`` names vixray-eda and it matches the schema); anything else is refused."""
    out = Path(out)
    if out.exists():
        _refuse_foreign(out)
    if options.get("scheduler") is not None and options.get("engine", "local") != "dask":
        raise ParameterError("--scheduler needs --engine dask")
    document = source_stats(source, **options)
    return write_text_atomic(out, dumps(document))


def _refuse_foreign(path: Path) -> None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        validate_stats(found)
        ours = found.get("generator", {}).get("name") == "vixray-eda"
    except (OSError, ValueError, ReportError, AttributeError):
        ours = False
    if not ours:
        raise ReportError(f"{path}: exists and is not a stats.json written by vixray-eda; choose another --out")
