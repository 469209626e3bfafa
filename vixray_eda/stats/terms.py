"""Concept frequencies, co-occurrence, consistency and keyword-in-context, from `analyze_frame` mentions.

Counts are numbers of REPORTS (rows) with at least one mention, never numbers of mentions. Field "all" counts a
report once over all fields; split "all" pools the splits.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd

from vixray_eda.errors import ParameterError
from vixray_eda.data.schema import require_columns, split_order
from vixray_eda.text.lexicon import Lexicon, load_lexicon
from vixray_eda.text.pipeline import FieldAnalysis, analyze_fields

__all__ = ["TERM_COLUMNS", "frame_mentions", "term_counts", "term_table", "term_table_from_counts", "top_terms",
           "cooccurrence_counts", "cooccurrence", "cooccurrence_from_counts", "anatomy_finding", "consistency_counts",
           "consistency", "consistency_from_counts", "normal_counts", "normal_share", "normal_share_from_counts",
           "kwic", "kwic_html"]

TERM_COLUMNS = ["split", "field", "concept", "kind", "reports", "share", "present", "absent", "uncertain"]
ASSERTIONS = ("present", "absent", "uncertain")


def frame_mentions(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                   lexicon: Lexicon | None = None, analysis: FieldAnalysis | None = None) -> pd.DataFrame:
    """Mentions of every field of `df`: ``row, id, split, field, sentence, start, end, surface, concept, kind,
    assertion`` (``row`` is the position in `df`; offsets index the original text of that field). `analysis` is
    `analyze_fields(df, ...)` when the caller already has it."""
    fields = list(fields)
    require_columns(df, fields)
    a, ranges = analysis if analysis is not None else analyze_fields(df, fields, lexicon)
    n = len(df)
    analyzed = np.asarray(list(ranges), dtype=object)
    m = a.mentions
    if n:
        m = m[np.isin(analyzed[m["doc"].to_numpy() // n], fields)]
    row = (m["doc"] % n).to_numpy() if n else m["doc"].to_numpy()
    ids = df["id"].to_numpy() if "id" in df.columns else pd.RangeIndex(n).to_numpy()
    out = pd.DataFrame({
        "row": row,
        "id": ids[row] if n else [],
        "split": df["split"].astype(str).to_numpy()[row] if n else [],
        "field": analyzed[m["doc"].to_numpy() // n] if n else [],
    })
    for col in ("sentence", "start", "end", "surface", "concept", "kind", "assertion"):
        out[col] = m[col].to_numpy()
    return out


def _with_all(m: pd.DataFrame) -> pd.DataFrame:
    """Stack the mention rows under split "all" and field "all" as well."""
    return pd.concat([m, m.assign(split="all"), m.assign(field="all"), m.assign(split="all", field="all")],
                     ignore_index=True)


TERM_COUNTS = ["split", "field", "concept", "kind", "reports", *ASSERTIONS]


def term_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mergeable form of `term_table`: ``split, field, concept, kind, reports, present, absent, uncertain``
    (split and field "all" included) from `frame_mentions`. Chunks are merged by adding the counts."""
    m = mentions[["row", "split", "field", "concept", "kind", "assertion"]]
    parts = []
    # a row belongs to one split, so split "all" adds the splits' counts; field "all" counts a row once over fields
    for per_field in (True, False):
        keys = ["row", "field", "concept"] if per_field else ["row", "concept"]
        base = m.drop_duplicates(keys)
        asserted = m.drop_duplicates([*keys, "assertion"])
        if not per_field:
            base, asserted = base.assign(field="all"), asserted.assign(field="all")
        groups = ["split", "field", "concept", "kind"]
        counts = pd.concat([base.groupby(groups).size().rename("reports"),
                            asserted.groupby([*groups, "assertion"]).size().unstack("assertion", fill_value=0)
                            .reindex(columns=list(ASSERTIONS), fill_value=0)], axis=1).fillna(0)
        parts += [counts, counts.groupby(level=["field", "concept", "kind"]).sum().assign(split="all")
                  .set_index("split", append=True).reorder_levels(groups)]
    out = pd.concat(parts).reset_index() if parts else pd.DataFrame(columns=TERM_COUNTS)
    for col in ("reports", *ASSERTIONS):
        out[col] = out[col].astype("int64")
    return out.reindex(columns=TERM_COUNTS)


def term_table(df: pd.DataFrame, mentions: pd.DataFrame | None = None,
               fields: Sequence[str] = ("findings", "impressions"), lexicon: Lexicon | None = None) -> pd.DataFrame:
    """``split, field, concept, kind, reports, share, present, absent, uncertain`` (split/field may be "all").

    ``reports``: reports with ≥1 mention of the concept; ``present``/``absent``/``uncertain``: reports with ≥1
    mention with that assertion; ``share`` = reports / reports in the split. `mentions` is a `frame_mentions` result
    (computed when None). Sorted by split, field, then reports descending and concept.
    """
    fields = list(fields)
    m = frame_mentions(df, fields, lexicon) if mentions is None else mentions
    sizes = df["split"].astype(str).value_counts().to_dict()
    return term_table_from_counts(term_counts(m), sizes, fields)


def term_table_from_counts(counts: pd.DataFrame, sizes: dict[str, int], fields: Sequence[str]) -> pd.DataFrame:
    """`term_table` from merged `term_counts` and the rows per split (`sizes`, without "all")."""
    out = counts.groupby(["split", "field", "concept", "kind"], sort=True)[["reports", *ASSERTIONS]].sum().reset_index()
    total = {**sizes, "all": sum(sizes.values())}
    out["share"] = [r / total.get(s, 0) if total.get(s) else 0.0 for r, s in zip(out["reports"], out["split"])]
    s_order = {s: i for i, s in enumerate(split_order(sizes) + ["all"])}
    f_order = {f: i for i, f in enumerate(list(fields) + ["all"])}
    out = out.assign(_s=out["split"].map(s_order), _f=out["field"].map(f_order), _r=-out["reports"])
    out = out.sort_values(["_s", "_f", "_r", "concept"], kind="stable").drop(columns=["_s", "_f", "_r"])
    return out[TERM_COLUMNS].reset_index(drop=True)


def top_terms(table: pd.DataFrame, kind: str = "finding", n: int = 10, assertion: str | None = "present",
              split: str = "all", field: str = "all", lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Top `n` concepts of `kind` from a `term_table`, ranked by reports with a `assertion` mention (None: any),
    with the lexicon's ``en_label`` and ``vi_canonical`` joined."""
    if assertion is not None and assertion not in ASSERTIONS:
        raise ParameterError(f"assertion must be one of {', '.join(ASSERTIONS)} or None, not {assertion!r}")
    key = assertion or "reports"
    sel = table[(table["kind"] == kind) & (table["split"] == split) & (table["field"] == field) & (table[key] > 0)]
    sel = sel.assign(_k=-sel[key]).sort_values(["_k", "concept"], kind="stable").drop(columns="_k").head(n)
    labels = (lexicon or load_lexicon()).concepts[["concept", "en_label", "vi_canonical"]]
    return sel.merge(labels, on="concept", how="left").reset_index(drop=True)


def _field_mentions(df: pd.DataFrame, fields: Sequence[str], lexicon: Lexicon | None,
                    mentions: pd.DataFrame | None) -> pd.DataFrame:
    """`frame_mentions` of `fields`, taken from `mentions` (a `frame_mentions` of more fields) when given."""
    if mentions is None:
        return frame_mentions(df, fields, lexicon)
    return mentions[mentions["field"].isin(list(fields))]


def _present_sets(df: pd.DataFrame, fields: Sequence[str], lexicon: Lexicon | None,
                  mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    m = _field_mentions(df, fields, lexicon, mentions)
    return m[(m["kind"] == "finding") & (m["assertion"] == "present")]


def cooccurrence_counts(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                        lexicon: Lexicon | None = None, mentions: pd.DataFrame | None = None
                        ) -> tuple[dict[tuple[str, str], int], dict[str, int], int]:
    """The mergeable form of `cooccurrence`: reports per pair of present findings, reports per finding, reports."""
    p = _present_sets(df, fields, lexicon, mentions).drop_duplicates(["row", "concept"])[["row", "concept"]]
    single = {str(k): int(v) for k, v in p["concept"].value_counts().items()}
    both = p.merge(p, on="row", suffixes=("_a", "_b"))
    both = both[both["concept_a"] < both["concept_b"]]
    pairs = {(str(a), str(b)): int(c) for (a, b), c in both.groupby(["concept_a", "concept_b"]).size().items()}
    return pairs, single, len(df)


def cooccurrence(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"), min_count: int = 1,
                 lexicon: Lexicon | None = None, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs of findings present in the same report: ``concept_a, concept_b, reports, share, lift``.

    ``lift`` = P(a and b) / (P(a) P(b)) over all reports; pairs with fewer than `min_count` reports are dropped.
    `mentions` (a `frame_mentions` result) is computed when None, here and in the functions below.
    """
    return cooccurrence_from_counts(*cooccurrence_counts(df, fields, lexicon, mentions), min_count=min_count)


def cooccurrence_from_counts(pairs: dict[tuple[str, str], int], single: dict[str, int], n: int,
                             min_count: int = 1) -> pd.DataFrame:
    """`cooccurrence` from merged `cooccurrence_counts`."""
    rows = [(a, b, c, c / n, (c / n) / ((single[a] / n) * (single[b] / n)))
            for (a, b), c in sorted(pairs.items()) if c >= min_count]
    out = pd.DataFrame(rows, columns=["concept_a", "concept_b", "reports", "share", "lift"])
    return out.sort_values(["reports", "concept_a", "concept_b"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def anatomy_finding(df: pd.DataFrame, fields: Sequence[str] = ("findings",), lexicon: Lexicon | None = None,
                    mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Anatomy and present finding mentioned in the same sentence: ``anatomy, finding, sentences, reports``."""
    m = _field_mentions(df, fields, lexicon, mentions)
    key = ["row", "field", "sentence"]
    anat = m[m["kind"] == "anatomy"][key + ["concept"]].rename(columns={"concept": "anatomy"})
    find = m[(m["kind"] == "finding") & (m["assertion"] == "present")][key + ["concept"]].rename(
        columns={"concept": "finding"})
    pairs = anat.merge(find, on=key).drop_duplicates(key + ["anatomy", "finding"])
    out = pairs.groupby(["anatomy", "finding"]).agg(sentences=("sentence", "size"), reports=("row", "nunique"))
    out = out.reset_index()
    return out.sort_values(["sentences", "anatomy", "finding"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


CONSISTENCY_COUNTS = ["split", "concept", "impression_reports", "also_in_findings"]


def consistency_counts(df: pd.DataFrame, lexicon: Lexicon | None = None, mentions: pd.DataFrame | None = None
                       ) -> pd.DataFrame:
    """The mergeable form of `consistency`: ``split, concept, impression_reports, also_in_findings`` (split and
    concept "all" included)."""
    p = _present_sets(df, ("findings", "impressions"), lexicon, mentions).drop_duplicates(["row", "field", "concept"])
    imp = p[p["field"] == "impressions"][["row", "split", "concept"]]
    fnd = set(zip(p.loc[p["field"] == "findings", "row"], p.loc[p["field"] == "findings", "concept"]))
    imp = imp.assign(hit=[(r, c) in fnd for r, c in zip(imp["row"], imp["concept"])])
    stacked = pd.concat([imp, imp.assign(split="all"), imp.assign(concept="all"), imp.assign(split="all", concept="all")])
    out = stacked.groupby(["split", "concept"]).agg(impression_reports=("hit", "size"), also_in_findings=("hit", "sum"))
    out = out.reset_index()
    out["also_in_findings"] = out["also_in_findings"].astype("int64")
    return out[CONSISTENCY_COUNTS]


def consistency(df: pd.DataFrame, lexicon: Lexicon | None = None, mentions: pd.DataFrame | None = None
                ) -> pd.DataFrame:
    """Findings ↔ impressions: for each split (and "all") and concept (and "all"), ``impression_reports`` with the
    finding present in the impressions, ``also_in_findings`` of those with it present in the findings too, ``share``."""
    return consistency_from_counts(consistency_counts(df, lexicon, mentions), split_order(df["split"].astype(str)))


def consistency_from_counts(counts: pd.DataFrame, splits: Sequence[str]) -> pd.DataFrame:
    """`consistency` from merged `consistency_counts`."""
    out = counts.groupby(["split", "concept"], sort=True)[["impression_reports", "also_in_findings"]].sum()
    out = out.reset_index()
    out["share"] = out["also_in_findings"] / out["impression_reports"]
    s_order = {s: i for i, s in enumerate(list(splits) + ["all"])}
    out = out.assign(_s=out["split"].map(s_order), _a=out["concept"] != "all", _n=-out["impression_reports"])
    return out.sort_values(["_s", "_a", "_n", "concept"], kind="stable").drop(columns=["_s", "_a", "_n"]).reset_index(
        drop=True)


def normal_counts(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                  lexicon: Lexicon | None = None, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The mergeable form of `normal_share`: ``split, reports, normal`` per split (no "all" row)."""
    p = _present_sets(df, fields, lexicon, mentions)
    abnormal = np.zeros(len(df), dtype=bool)
    abnormal[p["row"].to_numpy(dtype=np.int64)] = True
    frame = pd.DataFrame({"split": df["split"].astype(str).to_numpy(), "normal": ~abnormal})
    out = frame.groupby("split", sort=True).agg(reports=("normal", "size"), normal=("normal", "sum")).reset_index()
    out["normal"] = out["normal"].astype("int64")
    return out


def normal_share(df: pd.DataFrame, fields: Sequence[str] = ("findings", "impressions"),
                 lexicon: Lexicon | None = None, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Reports with no present finding in any of `fields`: ``split, reports, normal, share`` (plus split "all")."""
    return normal_share_from_counts(normal_counts(df, fields, lexicon, mentions))


def normal_share_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """`normal_share` from merged `normal_counts`."""
    per = counts.groupby("split")[["reports", "normal"]].sum()
    rows = []
    for split in split_order(per.index) + ["all"]:
        total = int(per["reports"].sum() if split == "all" else per.at[split, "reports"])
        normal = int(per["normal"].sum() if split == "all" else per.at[split, "normal"])
        rows.append((split, total, normal, normal / total if total else 0.0))
    return pd.DataFrame(rows, columns=["split", "reports", "normal", "share"])


def kwic(df: pd.DataFrame, concept: str, field: str = "findings", width: int = 40, assertion: str | None = None,
         limit: int = 20, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Keyword in context for `concept`: ``id, split, left, match, right, assertion`` from the original text,
    in row order, at most `limit` rows (None: all). `kwic_html` renders it with the match highlighted."""
    if assertion is not None and assertion not in ASSERTIONS:
        raise ParameterError(f"assertion must be one of {', '.join(ASSERTIONS)} or None, not {assertion!r}")
    m = frame_mentions(df, [field], lexicon)
    m = m[m["concept"] == concept]
    if assertion is not None:
        m = m[m["assertion"] == assertion]
    m = m.sort_values(["row", "start"], kind="stable")
    if limit is not None:
        m = m.head(limit)
    texts = df[field].tolist()
    rows = []
    for r, i, split, s, e, a in zip(m["row"], m["id"], m["split"], m["start"], m["end"], m["assertion"]):
        text = texts[r] if isinstance(texts[r], str) else ""
        rows.append((i, split, text[max(0, s - width):s], text[s:e], text[e:e + width], a))
    return pd.DataFrame(rows, columns=["id", "split", "left", "match", "right", "assertion"])


def kwic_html(table: pd.DataFrame) -> str:
    """An HTML table of a `kwic` result, text escaped, the match in ``<mark>`` (right-aligned left context)."""
    cells = []
    for i, split, left, match, right, a in table[["id", "split", "left", "match", "right", "assertion"]].itertuples(
            index=False):
        cells.append(
            f"<tr><td>{html.escape(str(i))}</td><td>{html.escape(str(split))}</td>"
            f"<td style='text-align:right'>{html.escape(left)}</td>"
            f"<td><mark class='kwic-{html.escape(a)}'>{html.escape(match)}</mark></td>"
            f"<td style='text-align:left'>{html.escape(right)}</td><td>{html.escape(a)}</td></tr>")
    head = "<tr><th>id</th><th>split</th><th></th><th>match</th><th></th><th>assertion</th></tr>"
    return f"<table class='vixray-kwic'>{head}{''.join(cells)}</table>"
