"""Reading YAML the user gives (parameter files, batch files, `-p` values) without aliases.

A YAML alias (``*name``) repeats an anchored node; nested aliases expand exponentially (the "billion laughs" alias
bomb: a few hundred bytes become gigabytes once serialized for the notebook). The loader refuses the first alias it
meets, before anything is expanded or passed on.
"""
from __future__ import annotations

from typing import Any

import yaml


class AliasRefused(yaml.composer.ComposerError):
    """The YAML holds an alias."""


class _NoAliasLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that raises `AliasRefused` on any alias."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise AliasRefused(
                None, None, f"YAML aliases (*{event.anchor}) are not allowed (line {event.start_mark.line + 1})",
                event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load` of `text`, refusing aliases (`AliasRefused`, a yaml.YAMLError naming the line)."""
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error as one line (the alias refusal reads as written, others as PyYAML puts them)."""
    if isinstance(exc, AliasRefused):
        return str(exc.problem)
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"
