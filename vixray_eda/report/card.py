"""The dataset card, section by section: `Card(results).show("lengths")` displays one section in a notebook.

Each section is HTML built from a `Results` bundle with every text escaped; figures are inline PNGs drawn once and
reused when `write_outputs` saves the paper's figure files. The notebook stays thin: one call per section.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from vixray_eda import __version__, published
from vixray_eda.plots.figures import PAPER_FIGURES, FigureResults
from vixray_eda.plots.save import METADATA, as_formats
from vixray_eda.plots.style import concept_labels, paper_style
from vixray_eda.report.html import (banner, definition_list, esc, heading, image, integer, number, para, percent,
                                    table, tag)
from vixray_eda.report.text import LABELS, label
from vixray_eda.stats.summary import Results

CARD_DPI = 110
SECTIONS = ("header", "overview", "splits", "fields", "lengths", "vocabulary", "terms", "cooccurrence",
            "demographics", "balance", "quality", "leakage", "images", "figures", "citation", "limitations")


def figure_results(results: Results, lang: str = "en") -> FigureResults:
    """The bundle the paper figures are drawn from."""
    words = results.vocabulary.word_counts if results.vocabulary is not None else {}
    return FigureResults(
        frame=results.frame, lengths=results.report_lengths, sex_counts=results.sex, age_sex=results.age_sex,
        terms=results.terms, cooccurrence=results.cooccurrence, prevalence_age=results.prevalence_age,
        words_findings=words.get("findings"), words_impressions=words.get("impressions"),
        images=results.images.images if results.images is not None else None,
        contact_sheet=results.contact_sheet, labels=results.lexicon, lang="both" if lang == "en" else "vi",
        top_n=int(results.parameters.get("top_n", 15)),
    )


def png_bytes(fig: Figure, dpi: int = CARD_DPI) -> bytes:
    """PNG of a figure with fixed metadata (byte-identical from run to run)."""
    buffer = io.BytesIO()
    with paper_style():
        fig.savefig(buffer, format="png", dpi=dpi, metadata=METADATA["png"])
    return buffer.getvalue()


class Card:
    """A dataset card over one `Results` bundle. `show(section)` displays it; `html(section)` returns it."""

    def __init__(self, results: Results, title: str = "ViX-Ray dataset card", lang: str = "en") -> None:
        if lang not in LABELS:
            from vixray_eda.errors import ParameterError

            raise ParameterError(f"lang must be one of {', '.join(LABELS)}, not {lang!r}")
        self.results = results
        self.title = title
        self.lang = lang
        self._figure_cache: dict[str, Figure] = {}
        self._bundle = figure_results(results, lang)
        self._labels = concept_labels(results.lexicon)

    # -- plumbing -------------------------------------------------------------------------------------------
    def t(self, key: str, **values: Any) -> str:
        return label(key, self.lang, **values)

    def figure(self, stem: str) -> Figure | None:
        """The paper figure `stem`, drawn once (None when its results are absent, e.g. images not read)."""
        if stem not in self._figure_cache:
            entry = PAPER_FIGURES[stem]
            if any(getattr(self._bundle, need) is None for need in entry.needs):
                return None
            self._figure_cache[stem] = entry.build(self._bundle)
        return self._figure_cache[stem]

    def _figure_html(self, stem: str, alt: str) -> str:
        fig = self.figure(stem)
        return image(png_bytes(fig), alt) if fig is not None else ""

    def term(self, concept: str) -> str:
        vi, en = self._labels.get(concept, (concept, concept))
        return f"{vi} ({en})" if self.lang == "en" else vi

    def html(self, section: str) -> str:
        if section not in SECTIONS:
            from vixray_eda.errors import ParameterError

            raise ParameterError(f"unknown card section {section!r}; sections: {', '.join(SECTIONS)}")
        return getattr(self, f"_{section}")()

    def show(self, section: str) -> None:
        from IPython.display import HTML, display

        display(HTML(self.html(section)))

    def write_outputs(self, output_dir: str | Path, formats: str | Sequence[str] = ("pdf", "svg", "png")):
        """Write stats.json, README.md (Hugging Face card) and the paper figures into `output_dir`."""
        from vixray_eda.report.outputs import write_outputs

        return write_outputs(self.results, Path(output_dir), formats=as_formats(formats), figures=self._figures_all(),
                             title=self.title)

    def _figures_all(self) -> dict[str, Figure]:
        return {stem: fig for stem in PAPER_FIGURES if (fig := self.figure(stem)) is not None}

    # -- sections -------------------------------------------------------------------------------------------
    def _header(self) -> str:
        r = self.results
        parts = [tag("h1", esc(self.title))]
        if r.synthetic:
            parts.append(banner(self.t("synthetic_banner"), "warn"))
        parts.append(definition_list({
            self.t("source"): r.source,
            self.t("rows"): f"{len(r.frame):,}",
            self.t("splits"): ", ".join(f"{s} {n:,}" for s, n in zip(r.split_sizes["split"], r.split_sizes["rows"])),
            self.t("generated_by"): f"vixray-eda {__version__}",
        }))
        toc = "".join(tag("li", tag("a", esc(self.t(f"h_{s}")), href=f"#{s}")) for s in SECTIONS[1:])
        parts.append(tag("nav", tag("ol", toc), class_="toc"))
        return "".join(parts)

    def _overview(self) -> str:
        r = self.results
        normal = r.normal_share.set_index("split").loc["all"]
        top = r.top_findings.head(5)["concept"].tolist()
        items = [
            para(self.t("overview_text")),
            definition_list({
                self.t("hub_id"): published.HUB_ID,
                self.t("paper"): published.PAPER,
                self.t("license"): f"{published.LICENSE_TEXT} ({self.t('license_yaml')}: {published.LICENSE_YAML})",
                self.t("normal_reports"): f"{percent(normal['share'])} ({integer(normal['normal'])} / "
                                          f"{integer(normal['reports'])})",
                self.t("top_findings"): ", ".join(self.term(c) for c in top),
            }),
        ]
        return heading(self.t("h_overview"), anchor="overview") + "".join(items)

    def _splits(self) -> str:
        r = self.results
        checks = r.metadata_checks
        flagged = checks[checks["status"].isin(["mismatch", "not published"])]
        parts = [heading(self.t("h_splits"), anchor="splits"),
                 table(r.split_sizes, {"split": self.t("split"), "rows": self.t("rows"), "share": self.t("share"),
                                       "declared": self.t("declared")},
                       {"share": percent, "declared": integer, "rows": integer})]
        for rec in flagged.itertuples():
            parts.append(banner(self._check_text(rec), "bad" if rec.status == "mismatch" else "info"))
        return "".join(parts)

    def _check_text(self, rec: Any) -> str:
        """A metadata check in the card's language (stats.json keeps the English `detail`)."""
        if rec.check == "license":
            return self.t("check_license", yaml=published.LICENSE_YAML, text=published.LICENSE_TEXT)
        split = rec.check.removeprefix("split ")
        rows = int(self.results.split_sizes.set_index("split").loc[split, "rows"])
        if rec.status == "not published":
            return self.t("check_split_unpublished", split=split, rows=rows)
        declared = published.SPLIT_SIZES[split]
        return self.t("check_split_size", split=split, rows=rows, declared=declared)

    def _fields(self) -> str:
        return (heading(self.t("h_fields"), anchor="fields") + para(self.t("fields_text"))
                + table(self.results.fields, {"column": self.t("column"), "source_name": self.t("source_name"),
                                              "dtype": "dtype", "missing": self.t("missing"),
                                              "distinct": self.t("distinct"), "examples": self.t("examples")},
                        {"examples": lambda v: " | ".join(str(x)[:90] for x in v)}))

    def _lengths(self) -> str:
        r = self.results
        audit = r.normalization
        changed = {rec.step: rec.changed for rec in audit.itertuples()}
        comparison = r.published_lengths
        best = comparison.attrs.get("best_unit") or (comparison["best_unit"].mode().iat[0] if len(comparison) else "")
        lengths = r.lengths[r.lengths["unit"].isin(["syllables", "words"])]
        fmt1 = {c: (lambda v: number(v, 1)) for c in ("mean", "sd", "median", "p5", "p95")}
        return "".join([
            heading(self.t("h_lengths"), anchor="lengths"),
            para(self.t("normalization_text", nfd=changed.get("nfd", 0), old=changed.get("old_tone_placement", 0),
                        ws=changed.get("whitespace", 0), any=changed.get("any", 0))),
            table(audit, {"step": self.t("step"), "changed": self.t("texts_changed"), "share": self.t("share"),
                          "examples": self.t("examples")}, {"share": percent, "changed": integer}),
            para(self.t("units_text")),
            table(lengths, ["split", "field", "unit", "n", "mean", "sd", "median", "p5", "p95", "min", "max"],
                  {**fmt1, "n": integer, "min": integer, "max": integer}),
            heading(self.t("h_published_lengths"), 3),
            para(self.t("published_lengths_text", unit=best)),
            table(comparison, ["split", "field", "published", "syllables", "words", "chars", "best_unit"],
                  {c: (lambda v: number(v, 1)) for c in ("published", "syllables", "words", "chars")}),
            self._figure_html("fig_lengths", self.t("h_lengths")),
        ])

    def _vocabulary(self) -> str:
        vocab = self.results.vocabulary
        parts = [heading(self.t("h_vocabulary"), anchor="vocabulary")]
        if vocab is None:
            return "".join(parts + [para(self.t("not_computed"), "muted")])
        parts.append(para(self.t("vocabulary_text")))
        parts.append(table(vocab.summary, {"field": self.t("field"), "level": self.t("unit"),
                                           "tokens": self.t("tokens"), "types": self.t("types"), "ttr": "TTR",
                                           "hapax": "hapax", "hapax_share": self.t("hapax_share")},
                           {"ttr": lambda v: number(v, 4), "hapax_share": percent}))
        parts.append(heading(self.t("h_ngrams"), 3))
        parts.append(para(self.t("ngrams_text")))
        for field_name in ("findings", "impressions"):
            part = vocab.ngrams[vocab.ngrams["field"] == field_name]
            wide = pd.DataFrame({f"{n}-gram": part.loc[part["n"] == n, "ngram"].reset_index(drop=True)
                                 .str.cat(part.loc[part["n"] == n, "count"].reset_index(drop=True)
                                          .map(lambda c: f" ({c:,})"))
                                 for n in (1, 2, 3)})
            parts.append(table(wide, caption=field_name))
        parts.append(heading(self.t("h_templated"), 3))
        parts.append(para(self.t("templated_text")))
        parts.append(table(vocab.templates, {"field": self.t("field"), "kind": self.t("kind"),
                                             "reports": self.t("reports"), "share": self.t("share"),
                                             "groups": self.t("groups")}, {"share": percent}))
        for stem in ("fig_wordcloud_findings", "fig_wordcloud_impressions"):
            parts.append(self._figure_html(stem, self.t("h_vocabulary")))
        return "".join(parts)

    def _term_table(self, frame: pd.DataFrame) -> str:
        shown = frame.assign(term=frame["concept"].map(self.term))
        return table(shown, {"term": self.t("term"), "reports": self.t("reports"), "share": self.t("share"),
                             "present": self.t("present"), "absent": self.t("absent"),
                             "uncertain": self.t("uncertain")},
                     {"share": percent, "reports": integer, "present": integer, "absent": integer,
                      "uncertain": integer})

    def _terms(self) -> str:
        r = self.results
        normal = r.normal_share
        consistency = r.consistency[r.consistency["concept"] == "all"]
        return "".join([
            heading(self.t("h_terms"), anchor="terms"),
            para(self.t("terms_text")),
            heading(self.t("h_top_findings"), 3),
            self._term_table(r.top_findings),
            self._figure_html("fig_terms_findings", self.t("h_top_findings")),
            heading(self.t("h_top_anatomy"), 3),
            self._term_table(r.top_anatomy),
            self._figure_html("fig_terms_anatomy", self.t("h_top_anatomy")),
            heading(self.t("h_normal"), 3),
            para(self.t("normal_text")),
            table(normal, {"split": self.t("split"), "reports": self.t("reports"), "normal": self.t("normal"),
                           "share": self.t("share")}, {"share": percent, "reports": integer, "normal": integer}),
            heading(self.t("h_consistency"), 3),
            para(self.t("consistency_text")),
            table(consistency, {"split": self.t("split"), "impression_reports": self.t("impression_reports"),
                                "also_in_findings": self.t("also_in_findings"), "share": self.t("share")},
                  {"share": percent}),
        ])

    def _cooccurrence(self) -> str:
        r = self.results
        pairs = r.cooccurrence.assign(a=r.cooccurrence["concept_a"].map(self.term),
                                      b=r.cooccurrence["concept_b"].map(self.term))
        af = r.anatomy_finding.assign(anatomy_t=r.anatomy_finding["anatomy"].map(self.term),
                                      finding_t=r.anatomy_finding["finding"].map(self.term))
        return "".join([
            heading(self.t("h_cooccurrence"), anchor="cooccurrence"),
            para(self.t("cooccurrence_text")),
            table(pairs, {"a": self.t("finding"), "b": self.t("finding"), "reports": self.t("reports"),
                          "share": self.t("share"), "lift": "lift"},
                  {"share": percent, "lift": lambda v: number(v, 2)}, limit=15),
            self._figure_html("fig_cooccurrence", self.t("h_cooccurrence")),
            heading(self.t("h_anatomy_finding"), 3),
            table(af, {"anatomy_t": self.t("anatomy"), "finding_t": self.t("finding"),
                       "sentences": self.t("sentences"), "reports": self.t("reports")}, limit=15),
        ])

    def _demographics(self) -> str:
        r = self.results
        age_cols = ["split", "n", "missing", "mean", "sd", "median", "q1", "q3", "min", "max"]
        fmt = {c: (lambda v: number(v, 1)) for c in ("mean", "sd", "median", "q1", "q3", "min", "max")}
        by_sex = r.age_by_sex
        prevalence = r.prevalence_sex[r.prevalence_sex["reports"] > 0]
        prevalence = prevalence.assign(term=prevalence["concept"].map(self.term))
        return "".join([
            heading(self.t("h_demographics"), anchor="demographics"),
            heading(self.t("h_age"), 3),
            table(r.age, age_cols, fmt),
            table(r.age_published, {"split": self.t("split"), "n": "n", "mean": self.t("mean"),
                                    "published": self.t("published"), "verdict": self.t("verdict")},
                  {"mean": lambda v: number(v, 1)}),
            table(by_sex, [c for c in ["split", "sex", *age_cols[1:]] if c in by_sex.columns], fmt),
            self._implausible(),
            self._figure_html("fig_age_histogram", self.t("h_age")),
            self._figure_html("fig_age_sex", self.t("h_age")),
            heading(self.t("h_sex"), 3),
            table(r.sex, {"split": self.t("split"), "sex": self.t("sex"), "count": self.t("reports"),
                          "share": self.t("share")}, {"share": percent}),
            self._figure_html("fig_sex_split", self.t("h_sex")),
            heading(self.t("h_prevalence"), 3),
            para(self.t("prevalence_text")),
            self._figure_html("fig_prevalence_age", self.t("h_prevalence")),
            table(prevalence.sort_values(["concept", "group"]),
                  {"term": self.t("finding"), "group": self.t("sex"), "reports": self.t("reports"),
                   "n_group": "n", "share": self.t("share")}, {"share": percent}, limit=30),
        ])

    def _implausible(self) -> str:
        bad = self.results.implausible_ages
        if bad.empty:
            return ""
        return para(self.t("implausible_text", n=len(bad)), "muted") + table(bad, limit=10)

    def _balance(self) -> str:
        b = self.results.balance
        return "".join([
            heading(self.t("h_balance"), anchor="balance"),
            para(self.t("balance_text")),
            table(b, {"test": self.t("test"), "variable": self.t("variable"), "splits": self.t("splits"),
                      "statistic": self.t("statistic"), "p_value": "p", "verdict": self.t("verdict")},
                  {"statistic": lambda v: number(v, 3),
                   "p_value": lambda v: "–" if v is None or pd.isna(v) else (f"{v:.3g}" if v >= 0.001 else "<0.001")}),
        ])

    def _quality(self) -> str:
        r = self.results
        log = r.quality_log
        phi = r.phi[r.phi["rows"] > 0]
        return "".join([
            heading(self.t("h_quality"), anchor="quality"),
            heading(self.t("h_cleaning"), 3),
            para(self.t("cleaning_text") if len(log) else self.t("cleaning_none")),
            table(log, {"check": self.t("check"), "column": self.t("column"), "rows": self.t("rows"),
                        "examples": self.t("examples"), "detail": self.t("detail")},
                  {"examples": lambda v: "; ".join(map(str, v))[:300]}) if len(log) else "",
            heading(self.t("h_columns"), 3),
            table(r.columns, formats={"top_share": percent, "top_value": lambda v: str(v)[:60]}),
            heading(self.t("h_duplicates"), 3),
            table(r.duplicates, formats={"share": percent}),
            heading(self.t("h_templates"), 3),
            "".join(table(t, caption=f, formats={"share": percent}) for f, t in r.templates.items()),
            heading(self.t("h_phi"), 3),
            para(self.t("phi_text") if phi.empty else self.t("phi_found", n=int(phi["rows"].sum()))),
            table(phi, {"kind": self.t("kind"), "column": self.t("column"), "rows": self.t("rows"),
                        "ids": self.t("row_ids")}, {"ids": lambda v: ", ".join(list(v)[:20])}) if len(phi) else "",
        ])

    def _leakage(self) -> str:
        from vixray_eda.stats.quality import leakage_table

        r = self.results
        parts = [heading(self.t("h_leakage"), anchor="leakage"), para(self.t("leakage_text"))]
        parts.append(table(leakage_table(r.leakage), formats={"share_a": percent, "share_b": percent}))
        if r.image_leakage is not None:
            parts.append(heading(self.t("h_image_leakage"), 3))
            parts.append(table(leakage_table(r.image_leakage)))
        return "".join(parts)

    def _images(self) -> str:
        r = self.results
        parts = [heading(self.t("h_images"), anchor="images")]
        if r.images is None:
            return "".join(parts + [para(self.t("images_not_read"), "muted")])
        stats = r.images
        corrupt = stats.corrupt_ids
        parts.append(table(stats.summary))
        parts.append(table(stats.counts))
        if corrupt:
            parts.append(banner(self.t("corrupt_images", n=len(corrupt), ids=", ".join(corrupt[:20])), "bad"))
        parts.append(self._figure_html("fig_image_sizes", self.t("h_images")))
        parts.append(self._figure_html("fig_contact_sheet", self.t("h_images")))
        return "".join(parts)

    def _figures(self) -> str:
        stems = [s for s in PAPER_FIGURES if self.figure(s) is not None]
        items = "".join(tag("li", tag("code", esc(f"figures/{s}.{{pdf,svg,png}}"))) for s in stems)
        return heading(self.t("h_figures"), anchor="figures") + para(self.t("figures_text")) + tag("ul", items)

    def _citation(self) -> str:
        return heading(self.t("h_citation"), anchor="citation") + para(self.t("citation_text")) + tag(
            "pre", esc(published.CITATION))

    def _limitations(self) -> str:
        items = [self.t("limit_lexicon"), self.t("limit_tokens"), self.t("limit_templates")]
        if self.results.synthetic:
            items.insert(0, self.t("synthetic_banner"))
        return heading(self.t("h_limitations"), anchor="limitations") + tag(
            "ul", "".join(tag("li", esc(i)) for i in items))
