"""What changed between two `stats.json` documents (two releases of a dataset, or two runs): `diff_stats`.

Both documents are flattened into ``path → value``: objects by key, lists of records by the fields that name a record
(split, field, unit, concept, ...), so that a reordered or extended table compares row by row instead of by position.
Each difference is one `Change`: added, removed, or changed (with the numeric difference where both sides are numbers).
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vixray_eda.errors import ParameterError

__all__ = ["Change", "diff_stats", "format_changes", "read_stats"]

#: Fields that name a record in stats.json's tables, in the order they are shown in a path.
RECORD_KEYS = ("split", "splits", "field", "unit", "kind", "concept", "concept_a", "concept_b", "group", "step",
               "check", "column", "test", "variable", "n", "ngram", "source")


@dataclass(frozen=True)
class Change:
    """One difference: `kind` is "added", "removed" or "changed"; `before`/`after` are None where absent."""

    path: str
    kind: str
    before: Any = None
    after: Any = None

    @property
    def delta(self) -> float | None:
        """after − before where both are numbers (booleans are not)."""
        numbers = [v for v in (self.before, self.after) if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return self.after - self.before if self.kind == "changed" and len(numbers) == 2 else None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "before": self.before, "after": self.after, "delta": self.delta}


def read_stats(path: str | Path) -> dict[str, Any]:
    """A stats.json document from its path or the report folder holding it; one-line errors for anything else."""
    path = Path(path)
    if path.is_dir():
        path = path / "stats.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"{path}: no such file (give a stats.json or a report folder)") from None
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ParameterError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(document, dict) or "schema_version" not in document:
        raise ParameterError(f"{path}: not a vixray-eda stats.json (no schema_version)")
    return document


def _record_name(record: Mapping[str, Any]) -> str | None:
    """``[split=all, field=findings, ...]`` from the naming fields a record has, or None if it has none."""
    parts = []
    for key in RECORD_KEYS:
        value = record.get(key)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "|".join(value)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            parts.append(f"{key}={value}")
    return f"[{', '.join(parts)}]" if parts else None


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, scalar or list of scalars) for every leaf of a JSON document."""
    if isinstance(value, Mapping):
        for key in value:
            yield from _flatten(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        names = [_record_name(v) for v in value]
        if None in names or len(set(names)) != len(names):  # no unique names: compare by position
            names = [f"[{i}]" for i in range(len(value))]
        for name, record in zip(names, value):
            naming = {k for k in RECORD_KEYS if k in record}
            yield from _flatten({k: v for k, v in record.items() if k not in naming}, f"{path}{name}")
    else:
        yield path, value


def diff_stats(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every difference between two stats documents, in the order of `before` then what only `after` has."""
    old, new = dict(_flatten(before)), dict(_flatten(after))
    changes = []
    for path, value in old.items():
        if path not in new:
            changes.append(Change(path, "removed", before=value))
        elif new[path] != value:
            changes.append(Change(path, "changed", before=value, after=new[path]))
    changes += [Change(path, "added", after=value) for path, value in new.items() if path not in old]
    return changes


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def format_changes(changes: list[Change], limit: int | None = None) -> str:
    """One line per change (``~`` changed, ``+`` added, ``-`` removed), the numeric difference after a changed
    number; at most `limit` lines and a count of the rest."""
    lines = []
    for change in changes[:limit]:
        if change.kind == "changed":
            line = f"~ {change.path}: {_show(change.before)} → {_show(change.after)}"
            if change.delta is not None:
                line += f" ({change.delta:+.6g})"
        elif change.kind == "added":
            line = f"+ {change.path}: {_show(change.after)}"
        else:
            line = f"- {change.path}: {_show(change.before)}"
        lines.append(line)
    if limit is not None and len(changes) > limit:
        lines.append(f"… and {len(changes) - limit} more (use --limit 0 to show all)")
    return "\n".join(lines)
