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
from vixray_eda.labels import label
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


def t(key: str, **values: Any) -> str:
    """A label of the Hugging Face card (``hf.<key>`` in labels.csv; the Hub card is written in English)."""
    return label(f"hf.{key}", "en", **values)


def _cleaning_line(log: pd.DataFrame) -> str:
    """What loading changed: values relabelled or set missing, and every shard skipped (with the rows it held, or
    "rows unknown" when its footer could not be read)."""
    changed = int(log.loc[log["check"].isin(VALUE_CHANGES), "rows"].sum())
    skipped = log[log["check"] == "shard_skipped"]
    if not len(skipped):
        return t("cleaning", changed=changed) + t("no_row_dropped") + t("details")
    unknown = int(skipped["detail"].str.contains("rows unknown").sum())
    return t("cleaning", changed=changed) + t("shards_skipped", skipped=len(skipped), rows=int(skipped["rows"].sum()),
                                              unknown=t("rows_unknown", unknown=unknown) if unknown else "") + t("details")


def body(results: Results, title: str, labels: dict[str, tuple[str, str]]) -> str:
    """The Markdown body: summary, splits, lengths vs published, top terms, demographics, quality, citation."""
    r = results
    term = lambda c: f"{labels.get(c, (c, c))[0]} ({labels.get(c, (c, c))[1]})"  # noqa: E731
    lengths = r.lengths.published
    age = r.demographics.age_summary.set_index("split")
    leak = [t("leakage", a=a, b=b, reports=rec["reports"], non_template=rec.get("non_template_reports", 0))
            for rec in r.quality.leakage for a, b in [rec["splits"]]]
    checks = r.metadata_checks[r.metadata_checks["status"] == "mismatch"]
    parts = [f"# {md_cell(title)}", ""]
    if r.synthetic:
        parts += [t("synthetic_note"), ""]
    parts += [
        t("intro"), "",
        f"- {t('paper')}: {published.PAPER}", f"- {t('source')}: {md_cell(r.source)}",
        f"- {t('license')}: {published.LICENSE_TEXT}", "",
        f"## {t('h_splits')}", "",
        md_table(r.split_sizes, {"split": t("split"), "rows": t("rows"), "share": t("share")}, {"share": _pct}), "",
        f"## {t('h_lengths')}", "",
        t("lengths_text"), "",
        md_table(lengths, {"split": t("split"), "field": t("field"), "published": t("published_tokens"),
                           "syllables": t("syllables"), "words": t("words"), "best_unit": t("closest_unit")},
                 {"published": _f1, "syllables": _f1, "words": _f1}), "",
        f"## {t('h_findings')}", "",
        md_table(r.terms.top_findings.head(10).assign(term=r.terms.top_findings["concept"].map(term)),
                 {"term": t("finding"), "present": t("present"), "absent": t("absent"),
                  "uncertain": t("uncertain")}), "",
        f"## {t('h_anatomy')}", "",
        md_table(r.terms.top_anatomy.head(10).assign(term=r.terms.top_anatomy["concept"].map(term)),
                 {"term": t("anatomy"), "reports": t("reports"), "share": t("share")}, {"share": _pct}), "",
        f"## {t('h_demographics')}", "",
        md_table(r.demographics.age_summary,
                 {"split": t("split"), "n": "n", "mean": t("mean_age"), "sd": t("sd"), "median": t("median")},
                 {"mean": _f1, "sd": _f1, "median": _f1}), "",
        t("mean_age_all", mean=_f1(age.loc["all", "mean"]) if "all" in age.index else "–"), "",
        f"## {t('h_quality')}", "",
        *(f"- {md_cell(x)}" for x in leak), *(f"- {md_cell(c)}: {md_cell(d)}" for c, d in zip(checks["check"],
                                                                                               checks["detail"])),
        f"- {_cleaning_line(r.quality.log)}", "",
        f"## {t('h_citation')}", "", "```bibtex", published.CITATION, "```", "",
        f"<sub>{t('generated_by', version=__version__)}</sub>", "",
    ]
    return "\n".join(parts)


def render(results: Results, title: str, labels: dict[str, tuple[str, str]]) -> str:
    """The whole README.md: YAML front matter then the Markdown body."""
    head = yaml.safe_dump(metadata(results, title), allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{body(results, title, labels)}"
