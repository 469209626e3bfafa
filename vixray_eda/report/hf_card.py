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
from vixray_eda.data.provenance import HUB_DTYPES, Provenance, hf_dtype
from vixray_eda.labels import label
from vixray_eda.report.croissant import withheld
from vixray_eda.stats.summary import Results

#: The license the card's text states (the YAML metadata of the published card disagrees; see metadata checks).
LICENSE = "cc-by-nc-sa-4.0"


def size_category(n: int) -> str:
    """Hugging Face `size_categories` bucket for n examples."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M")]
    return next((name for bound, name in bounds if n < bound), "n>10M")


def declared_features(found: Provenance) -> list[dict[str, str]] | None:
    """Every column with its Hugging Face dtype, from the source's own schema (its `huggingface` feature metadata
    when present, else its Arrow type); None when any column's type is not known (a partial list would make
    `datasets` fail)."""
    features = [{"name": c.name, "dtype": c.hf_dtype or hf_dtype(c.arrow_type)} for c in found.columns]
    if not features or any(not c.arrow_type for c in found.columns) or any(
            f["dtype"] not in HUB_DTYPES for f in features):
        return None
    return features


def metadata(results: Results, title: str) -> dict[str, Any]:
    """The YAML header. It describes the dataset, not the analysis: features, splits and configs come from the
    source's files (every split, whatever `splits` selected), each declared only when known exactly."""
    found = _provenance(results)
    tags = ["medical", "radiology", "chest-x-ray", "vietnamese", "vision-language"]
    if results.synthetic:
        tags.append("synthetic")
    rows = found.split_rows()
    total = sum(rows.values()) if rows else int(results.split_sizes["rows"].sum())
    info: dict[str, Any] = {}
    features = declared_features(found)
    if features:
        info["features"] = features
    if rows:  # `datasets` requires num_bytes; 0 is its "not computed" (the Arrow size needs the images read)
        info["splits"] = [{"name": s, "num_bytes": 0, "num_examples": n} for s, n in rows.items()]
    if found.files and all(f.size is not None for f in found.files):
        info["download_size"] = sum(int(f.size or 0) for f in found.files)
    head: dict[str, Any] = {
        "language": ["vi"],
        "license": LICENSE,
        "pretty_name": title,
        "task_categories": ["image-to-text", "visual-question-answering"],
        "tags": tags,
        "size_categories": [size_category(total)],
    }
    if info:
        head["dataset_info"] = info
    paths = found.split_paths()
    if paths:
        head["configs"] = [{"config_name": "default",
                            "data_files": [{"split": s, "path": p[0] if len(p) == 1 else p}
                                           for s, p in paths.items()]}]
    return head


def _provenance(results: Results) -> Provenance:
    if results.provenance is not None:
        return results.provenance.source
    return Provenance(source=results.source, revision=None, files=(), columns=())


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
        *_scope_lines(r),
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


def _scope_lines(results: Results) -> list[str]:
    """What the metadata could not declare, why croissant.json is missing, and the analysis scope, one line each."""
    found = _provenance(results)
    lines = []
    if found.columns and declared_features(found) is None:
        kinds = sorted({f.path.rsplit(".", 1)[-1] for f in found.files}) or ["in memory"]
        lines.append(t("no_features", kind=", ".join(kinds)))
    if found.split_rows() is None:
        lines.append(t("no_splits"))
    reason = withheld(results)
    if reason:
        lines.append(md_cell(reason))
    chosen = results.parameters.get("splits")
    if chosen:
        lines.append(t("scope", splits=", ".join(md_cell(s) for s in chosen)))
    return [x for line in lines for x in (line, "")]


def render(results: Results, title: str, labels: dict[str, tuple[str, str]]) -> str:
    """The whole README.md: YAML front matter then the Markdown body."""
    head = yaml.safe_dump(metadata(results, title), allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{body(results, title, labels)}"
