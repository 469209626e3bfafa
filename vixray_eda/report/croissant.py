"""Croissant metadata (`croissant.json`, JSON-LD, Croissant 1.0 + its Responsible-AI vocabulary) of a dataset.

Pure: `croissant_metadata` turns facts the loader and the statistics already know (files with their digests, the
source's own column types, split sizes, what the checks found) into the document; nothing is read here. Every file is
one `cr:FileObject` with its sha256 when it is known; columns keep their source spelling (`Ghi chú`), and their
`dataType` comes from the source schema, never from the cleaned frame.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from vixray_eda import published
from vixray_eda.data.clean import VALUE_CHANGES
from vixray_eda.stats.balance import ALPHA
from vixray_eda.stats.summary import ProvenanceResults, Results

__all__ = ["CONTEXT", "DataFile", "Feature", "croissant_metadata", "croissant_type", "rai_fields", "withheld",
           "results_croissant"]

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
#: The JSON-LD context of Croissant 1.0 (as in the specification), with the RAI namespace.
CONTEXT: dict[str, Any] = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "examples": {"@id": "cr:examples", "@type": "@json"},
    "equivalentProperty": "cr:equivalentProperty", "extract": "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
    "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated",
    "replace": "cr:replace", "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}
ENCODINGS = {".parquet": "application/x-parquet", ".csv": "text/csv", ".jsonl": "application/jsonlines",
             ".json": "application/json"}


@dataclass(frozen=True)
class DataFile:
    """One data file: its path inside the dataset (``data/train-00000-of-00001.parquet``) or URL, its split, and
    its sha256 and size when known."""

    path: str
    split: str
    sha256: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Feature:
    """One source column: name as spelled in the source, Croissant `dataType`, description."""

    name: str
    data_type: str
    description: str = ""


def croissant_type(arrow_type: str) -> str:
    """Croissant `dataType` of an Arrow type given as text (``string``, ``int64``, ``struct<bytes: binary, ...>``)."""
    t = arrow_type.lower()
    if t.startswith("struct") and "bytes" in t:
        return "sc:ImageObject"
    if t in ("string", "large_string", "utf8", "large_utf8"):
        return "sc:Text"
    if re.fullmatch(r"u?int(8|16|32|64)", t):
        return "sc:Integer"
    if t in ("float", "double", "halffloat") or t.startswith(("float", "decimal")):
        return "sc:Float"
    if t in ("bool", "boolean"):
        return "sc:Boolean"
    if t.startswith(("timestamp", "date")):
        return "sc:Date"
    return "sc:Text"


def _id(text: str) -> str:
    """A JSON-LD @id from any text (a file path, a Vietnamese column name): tone marks dropped ("Ghi chú" →
    "Ghi-chu"), then ASCII letters, digits, '_', '.', '-'."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
                    if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", plain).strip("-") or "x"


def _file_object(f: DataFile) -> dict[str, Any]:
    suffix = next((s for s in ENCODINGS if f.path.lower().endswith(s)), ".parquet")
    entry: dict[str, Any] = {"@type": "cr:FileObject", "@id": _id(f.path), "name": f.path,
                             "description": f"Split {f.split}.", "contentUrl": f.path,
                             "encodingFormat": ENCODINGS[suffix]}
    if f.sha256:
        entry["sha256"] = f.sha256
    if f.size is not None:
        entry["contentSize"] = f"{f.size} B"
    return entry


def _field(record_set: str, feature: Feature, file_ids: Sequence[str]) -> dict[str, Any]:
    source: dict[str, Any] = {"extract": {"column": feature.name}}
    if feature.data_type == "sc:ImageObject":
        source["transform"] = {"jsonPath": "bytes"}
    field = {"@type": "cr:Field", "@id": f"{record_set}/{_id(feature.name)}", "name": feature.name,
             "description": feature.description or f"Column {feature.name} of the source files.",
             "dataType": feature.data_type}
    return {**field, "source": [{"fileObject": {"@id": i}, **source} for i in file_ids]
            if len(file_ids) > 1 else {"fileObject": {"@id": file_ids[0]}, **source}}


def croissant_metadata(*, name: str, description: str, license: str, files: Sequence[DataFile],
                       features: Sequence[Feature], splits: Mapping[str, int], url: str | None = None,
                       cite_as: str | None = None, version: str | None = None,
                       rai: Mapping[str, str] | None = None, keywords: Sequence[str] = ()) -> dict[str, Any]:
    """The Croissant document: one FileObject per file, a `splits` record set, and one record set per split whose
    fields read the source columns of that split's files. `rai` holds Responsible-AI properties (``rai:...``)."""
    doc: dict[str, Any] = {"@context": CONTEXT, "@type": "sc:Dataset", "name": name, "description": description,
                           "conformsTo": CONFORMS_TO, "license": license}
    if url:
        doc["url"] = url
    if cite_as:
        doc["citeAs"] = cite_as
    if version:
        doc["version"] = version
    if keywords:
        doc["keywords"] = list(keywords)
    doc.update(dict(rai or {}))
    doc["distribution"] = [_file_object(f) for f in files]
    split_set = {"@type": "cr:RecordSet", "dataType": "cr:Split", "@id": "splits", "name": "splits",
                 "description": "The dataset's splits and their number of examples.", "key": {"@id": "splits/name"},
                 "field": [{"@type": "cr:Field", "@id": "splits/name", "name": "name", "dataType": "sc:Text",
                            "description": "Split name."},
                           {"@type": "cr:Field", "@id": "splits/examples", "name": "examples",
                            "dataType": "sc:Integer", "description": "Number of examples."}],
                 "data": [{"splits/name": s, "splits/examples": int(n)} for s, n in splits.items()]}
    record_sets = [split_set]
    for split in splits:
        ids = [_id(f.path) for f in files if f.split == split]
        if not ids:
            continue
        record_sets.append({"@type": "cr:RecordSet", "@id": _id(split), "name": split,
                            "description": f"The {split} split: one record per report.",
                            "field": [_field(_id(split), feature, ids) for feature in features]})
    doc["recordSet"] = record_sets
    return doc


_HUB_REPO = re.compile(r"^hf://datasets/([^/@]+/[^/@]+)")


def withheld(results: Results) -> str | None:
    """Why no croissant.json can be written for these results (one line), None when it can: every file needs its
    sha256, every split its exact number of rows, every column a known type."""
    return withheld_reason(results.provenance)


def withheld_reason(provenance: ProvenanceResults | None) -> str | None:
    """`withheld` from the provenance of a run."""
    found = provenance.source if provenance is not None else None
    if found is None:
        return "the data was not read from files"
    reason = found.missing_digest()
    if reason is None and found.split_rows() is None:
        reason = ("the split of every file and its exact rows are not known (a split column, files without a "
                  "split in their name, or shards whose footer cannot be read)")
    if reason is None and not any(c.arrow_type for c in found.columns):
        reason = "the source declares no column types"
    return f"croissant.json not written: {reason}" if reason else None


def _shares(counts: pd.DataFrame) -> str:
    return ", ".join(f"{r.sex} {r.share:.1%}" for r in counts.itertuples() if r.count)


def rai_fields(results: Results) -> dict[str, str]:
    """The Responsible-AI properties the data supports: limitations, sensitive information (from the PHI scan),
    biases (age, sex and split balance) and collection (the published card's words; the generator for the
    synthetic sample). Nothing is stated that the data or the card does not say."""
    r = results
    rows = int(r.split_sizes["rows"].sum())
    limits = []
    if r.synthetic:
        limits.append("Synthetic sample: generated text and drawn images, not real patients; statistics describe "
                      "the generator.")
    checks = r.metadata_checks[r.metadata_checks["status"] == "mismatch"]
    limits += [f"{c}: {d}." for c, d in zip(checks["check"], checks["detail"])]
    leaked = sum(int(rec["reports"]) for rec in r.quality.leakage)
    limits.append(f"{leaked:,} normalized reports appear in more than one split.")
    changed = int(r.quality.log.loc[r.quality.log["check"].isin(VALUE_CHANGES), "rows"].sum())
    limits.append(f"{changed:,} of {rows:,} rows had a value relabelled or set missing on loading (sex spellings, "
                  f"ages written as text, implausible ages).")
    phi = r.quality.phi_matches.groupby("kind", sort=False)["rows"].sum()
    hits = ", ".join(f"{kind} {int(n):,}" for kind, n in phi.items() if n) or "none"
    sensitive = (f"Each row holds the patient's age and sex. A pattern scan for residual PHI "
                 f"({', '.join(phi.index)}) found matches in: {hits}.")
    age = r.demographics.age_summary.set_index("split")
    sex = r.demographics.sex_counts
    biases = []
    if "all" in age.index and pd.notna(age.loc["all", "mean"]):
        biases.append(f"Ages: mean {age.loc['all', 'mean']:.1f} (sd {age.loc['all', 'sd']:.1f}, "
                      f"{int(age.loc['all', 'missing']):,} missing).")
    biases.append(f"Sex: {_shares(sex[sex['split'] == 'all'])}.")
    tested = r.balance.dropna(subset=["p_value"])
    differ = tested[tested["p_value"] < ALPHA]
    biases.append(f"Split balance: {len(differ)} of {len(tested)} tests find the splits differ at p<{ALPHA}"
                  + (f" ({', '.join(sorted(set(differ['variable'])))})." if len(differ) else "."))
    collection = ("Generated by `vixray-eda sample`; no data was collected." if r.synthetic
                  else published.COLLECTION)
    return {"rai:dataLimitations": " ".join(limits), "rai:personalSensitiveInformation": sensitive,
            "rai:dataBiases": " ".join(biases), "rai:dataCollection": collection}


def results_croissant(results: Results, title: str, license: str) -> dict[str, Any]:
    """The Croissant document of the dataset these results were computed from (check `withheld` first): every file
    of the source with its digest, the source's own column types, every split with its exact rows."""
    found = results.provenance.source
    files = [DataFile(f.path, f.split, f.sha256, f.size) for f in found.files]
    features = [Feature(c.name, croissant_type(c.arrow_type)) for c in found.columns if c.arrow_type]
    hub = _HUB_REPO.match(found.source)
    return croissant_metadata(
        name=title, description=(f"{published.TITLE}." if not results.synthetic else
                                 "Synthetic sample in the schema and layout of ViX-Ray (no real patients)."),
        license=license, files=files, features=features, splits=found.split_rows() or {},
        url=f"https://huggingface.co/datasets/{hub[1]}" if hub else None,
        cite_as=None if results.synthetic else published.CITATION,
        rai=rai_fields(results), keywords=("medical", "radiology", "chest x-ray", "Vietnamese"))
