"""`vixray-eda validate`: the loading and data-quality checks alone, as a short table and a yes/no for pipelines.

No text pipeline, no figures, no notebook: `load` (with its cleaning log), then `column_quality`, `duplicates`,
`leakage` and the PHI scan.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

#: Cleaning records that only relabel or re-spell what the source says: never problems.
COSMETIC_CHECKS: frozenset[str] = frozenset({
    "column_renamed",        # `Ages` matched as `ages` or `Ghi chú` in NFD: same column, other spelling
    "column_extra",          # a column outside the schema, kept as is
    "column_not_read",       # a binary/nested column outside the schema, left unread
    "sex_relabelled",        # `Nam`/`Nữ`/`Male` written as M/F
    "age_parsed_from_text",  # "69 tuổi" read as 69
    "split_renamed",         # `Train` read as `train`: one normalisation of split names
    "file_unsplit",          # a file whose name names no split: its rows are `unsplit` (the Hub's basic layout)
})
COLUMNS = ["status", "check", "column", "rows", "detail"]


def validation_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per finding about a loaded frame: status (problem/note), check, column, rows, detail.

    **Problems** (any one makes the source fail validation):

    - every record of the cleaning log (`df.attrs["quality"]`) except the cosmetic ones in `COSMETIC_CHECKS`:
      skipped or empty shards, data files not read, empty splits, rows without a split, missing or empty findings/impressions, non-text
      values, missing/unparseable/implausible ages, missing/unrecognized sex labels, absent optional columns,
      control or invisible characters in the text;
    - placeholder texts (``-``, ``không``, ``n/a`` …) standing for a whole findings or impressions cell;
    - leakage: a normalized report in two splits that is not a common template (`non_template_reports` > 0);
    - possible residual PHI (dates, phone numbers, ids, names after a title, e-mail addresses) in any row.

    **Notes** (shown, never problems): cosmetic relabelling, duplicate reports within a split and templated
    reports shared between splits — normal in radiology, where many reports are the same normal template.
    """
    from vixray_eda.stats import phi, quality

    rows = []
    for rec in df.attrs.get("quality", []) or []:
        status = "note" if rec["check"] in COSMETIC_CHECKS else "problem"
        rows.append([status, rec["check"], rec["column"], int(rec["rows"]), _detail(rec)])
    columns = quality.column_quality(df).set_index("column")
    for field in ("findings", "impressions"):
        if columns.loc[field, "placeholder"]:
            rows.append(["problem", "placeholder_text", field, int(columns.loc[field, "placeholder"]),
                         "whole-cell placeholders such as '-' or 'không' instead of a report"])
    for rec in quality.leakage(df):
        pair = " / ".join(rec["splits"])
        if rec["non_template_reports"]:
            rows.append(["problem", "leakage", "report", rec["non_template_reports"],
                         f"{pair}: reports in both splits that are not common templates "
                         f"(e.g. {'; '.join(' = '.join(e) for e in rec['examples'][:2])})"])
        elif rec["reports"]:
            rows.append(["note", "template_shared", "report", rec["reports"],
                         f"{pair}: common template reports found in both splits"])
    dupes = quality.duplicates(df)
    for rec in dupes[(dupes["split"] != "all") & (dupes["field"] == "report") & (dupes["kind"] == "exact")
                     & (dupes["duplicate_rows"] > 0)].itertuples():
        rows.append(["note", "duplicates", "report", int(rec.duplicate_rows),
                     f"{rec.split}: rows repeating an earlier report of the split word for word"])
    scan = phi.phi_scan(df)
    for rec in scan[scan["rows"] > 0].itertuples():
        rows.append(["problem", f"phi_{rec.kind}", rec.column, int(rec.rows),
                     f"possible {rec.kind.replace('_', ' ')} in the text (e.g. rows {', '.join(rec.ids[:3])})"])
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values("status", kind="stable", key=lambda s: s != "problem").reset_index(drop=True)


def _detail(rec: dict) -> str:
    examples = "; ".join(str(e) for e in rec.get("examples", [])[:3])
    return f"{rec['detail']} (e.g. {examples})" if examples else str(rec["detail"])


def format_table(df: pd.DataFrame, table: pd.DataFrame, width: int = 110) -> str:
    """The text `vixray-eda validate` prints: a header line, rows per split, the findings, the verdict."""
    kind = "synthetic sample" if df.attrs.get("synthetic") else "data"
    sizes = df["split"].astype(str).value_counts(sort=False)
    lines = [f"{df.attrs.get('source', '')} ({kind}): {len(df):,} rows ("
             + ", ".join(f"{s} {n:,}" for s, n in sizes.items()) + ")"]
    if len(table):
        cells = [COLUMNS] + [[str(v) for v in row] for row in table[COLUMNS].itertuples(index=False)]
        widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS) - 1)]
        for row in cells:
            detail = row[-1] if len(row[-1]) <= width else row[-1][:width - 1] + "…"
            lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + detail)
    problems = int((table["status"] == "problem").sum())
    lines.append(f"result: {problems} problem(s) found" if problems else "result: clean")
    return "\n".join(lines)


def validate(data: str | Path, splits: str | Sequence[str] | None = None,
             skip_corrupt: bool = False) -> tuple[str, bool]:
    """Load `data` and run the data-quality checks: (the table to print, whether problems were found).

    "Problems" are defined in `validation_table`. Raises the loader's DataError/SplitError when the source cannot
    be read (the CLI exits 2 then; 1 when problems were found; 0 when clean). The embedded synthetic sample has
    problems by design, like the real data: empty impressions, missing ages and a few non-template reports shared
    between splits, so it validates with exit 1.
    """
    from vixray_eda.data.sources import load

    df = load(data, splits=splits, skip_corrupt=skip_corrupt)
    table = validation_table(df)
    return format_table(df, table), bool((table["status"] == "problem").any())
