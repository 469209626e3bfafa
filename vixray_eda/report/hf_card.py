"""The Hugging Face dataset card (`README.md`): YAML metadata generated from the data, and a Markdown body with the
key tables. Every value that comes from the data is escaped for Markdown tables and HTML."""
from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import yaml

from vixray_eda import __version__, published
from vixray_eda.data.clean import VALUE_CHANGES
from vixray_eda.stats.summary import Results

#: Hugging Face `dtype` of each original column.
FEATURES: dict[str, str] = {"image": "image", "findings": "string", "impressions": "string", "Ages": "int64",
                            "sex": "string", "view": "string", "Ghi chú": "string", "Kỹ thuật": "string"}
#: The license the card's text states (the YAML metadata of the published card disagrees; see metadata checks).
LICENSE = "cc-by-nc-sa-4.0"


def size_category(n: int) -> str:
    """Hugging Face `size_categories` bucket for n examples."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M")]
    return next((name for bound, name in bounds if n < bound), "n>10M")


def metadata(results: Results, title: str) -> dict[str, Any]:
    """The YAML header, generated from the data (split sizes, features, size category)."""
    sizes = results.split_sizes
    tags = ["medical", "radiology", "chest-x-ray", "vietnamese", "vision-language"]
    if results.synthetic:
        tags.append("synthetic")
    return {
        "language": ["vi"],
        "license": LICENSE,
        "pretty_name": title,
        "task_categories": ["image-to-text", "visual-question-answering"],
        "tags": tags,
        "size_categories": [size_category(int(sizes["rows"].sum()))],
        "dataset_info": {
            "features": [{"name": name, "dtype": dtype} for name, dtype in FEATURES.items()],
            "splits": [{"name": s, "num_examples": int(n)} for s, n in zip(sizes["split"], sizes["rows"])],
        },
        "configs": [{"config_name": "default",
                     "data_files": [{"split": s, "path": f"data/{s}-*"} for s in sizes["split"]]}],
    }


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_cell(value: Any) -> str:
    """Text shown literally in Markdown (table cells, headings, list items): on one line, HTML escaped, and every
    Markdown metacharacter backslash-escaped, so links, images, emphasis and `|` in data cannot take effect."""
    text = "–" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def md_table(frame: pd.DataFrame, columns: dict[str, str], formats: dict[str, Any] | None = None) -> str:
    formats = formats or {}
    head = "| " + " | ".join(md_cell(h) for h in columns.values()) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    rows = ["| " + " | ".join(md_cell(formats[c](r[c]) if c in formats else r[c]) for c in columns) + " |"
            for _, r in frame.iterrows()]
    return "\n".join([head, rule, *rows])


def _pct(v: Any) -> str:
    return "–" if v is None or pd.isna(v) else f"{100 * float(v):.1f}%"


def _f1(v: Any) -> str:
    return "–" if v is None or pd.isna(v) else f"{float(v):.1f}"


def _cleaning_line(log: pd.DataFrame) -> str:
    """What loading changed: values relabelled or set missing, and every shard skipped (with the rows it held, or
    "rows unknown" when its footer could not be read)."""
    changed = int(log.loc[log["check"].isin(VALUE_CHANGES), "rows"].sum())
    skipped = log[log["check"] == "shard_skipped"]
    text = f"Cleaning on load: {changed:,} values changed (sex labels, ages, non-text values)"
    if not len(skipped):
        return text + "; no row dropped (details in stats.json)."
    unknown = int(skipped["detail"].str.contains("rows unknown").sum())
    dropped = f"{int(skipped['rows'].sum()):,} rows dropped" + (
        f", rows of {unknown} unknown" if unknown else "")
    return text + f"; {len(skipped)} unreadable shard(s) skipped ({dropped}) (details in stats.json)."


def body(results: Results, title: str, labels: dict[str, tuple[str, str]]) -> str:
    """The Markdown body: summary, splits, lengths vs published, top terms, demographics, quality, citation."""
    r = results
    term = lambda c: f"{labels.get(c, (c, c))[0]} ({labels.get(c, (c, c))[1]})"  # noqa: E731
    lengths = r.published_lengths
    age = r.age.set_index("split")
    leak = [f"{a} / {b}: {rec['reports']} shared reports ({rec.get('non_template_reports', 0)} not common templates)"
            for rec in r.leakage for a, b in [rec["splits"]]]
    checks = r.metadata_checks[r.metadata_checks["status"] == "mismatch"]
    parts = [f"# {md_cell(title)}", ""]
    if r.synthetic:
        parts += ["> **Synthetic data.** This card was generated from the synthetic sample embedded in vixray-eda, "
                  "not from the real ViX-Ray data; the numbers describe the generator.", ""]
    parts += [
        "ViX-Ray pairs posterior–anterior chest radiographs of Vietnamese patients with Vietnamese findings and "
        "impressions written by radiologists, plus age and sex.", "",
        f"- Paper: {published.PAPER}", f"- Source of these statistics: {md_cell(r.source)}",
        f"- License: {published.LICENSE_TEXT}", "",
        "## Splits", "",
        md_table(r.split_sizes, {"split": "Split", "rows": "Rows", "share": "Share"}, {"share": _pct}), "",
        "## Report lengths", "",
        "Mean length per report; the paper's \"tokens\" beside syllables and segmented words.", "",
        md_table(lengths, {"split": "Split", "field": "Field", "published": "Published tokens",
                           "syllables": "Syllables", "words": "Words", "best_unit": "Closest unit"},
                 {"published": _f1, "syllables": _f1, "words": _f1}), "",
        "## Most frequent findings (present, negation-aware)", "",
        md_table(r.top_findings.head(10).assign(term=r.top_findings["concept"].map(term)),
                 {"term": "Finding", "present": "Present", "absent": "Absent", "uncertain": "Uncertain"}), "",
        "## Most mentioned anatomy", "",
        md_table(r.top_anatomy.head(10).assign(term=r.top_anatomy["concept"].map(term)),
                 {"term": "Anatomy", "reports": "Reports", "share": "Share"}, {"share": _pct}), "",
        "## Demographics", "",
        md_table(r.age, {"split": "Split", "n": "n", "mean": "Mean age", "sd": "SD", "median": "Median"},
                 {"mean": _f1, "sd": _f1, "median": _f1}), "",
        f"Mean age over all splits: {_f1(age.loc['all', 'mean']) if 'all' in age.index else '–'} "
        "(published: about 69–70).", "",
        "## Data quality", "",
        *(f"- {md_cell(x)}" for x in leak), *(f"- {md_cell(c)}: {md_cell(d)}" for c, d in zip(checks["check"],
                                                                                               checks["detail"])),
        f"- {_cleaning_line(r.quality_log)}", "",
        "## Citation", "", "```bibtex", published.CITATION, "```", "",
        f"<sub>Generated by vixray-eda {__version__}.</sub>", "",
    ]
    return "\n".join(parts)


def render(results: Results, title: str, labels: dict[str, tuple[str, str]]) -> str:
    """The whole README.md: YAML front matter then the Markdown body."""
    head = yaml.safe_dump(metadata(results, title), allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{body(results, title, labels)}"
