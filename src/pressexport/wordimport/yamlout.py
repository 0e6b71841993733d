"""A release as YAML that reads like one a person wrote: the README's key order, block scalars
for Markdown, no tags, Unicode as is, lines wrapped near 88 columns."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import yaml

WIDTH = 88
MARKDOWN = frozenset({"body", "correction", "notes_to_editors", "boilerplate"})


class _Literal(str):
    """A string written as a `|` block scalar."""


class _Dumper(yaml.SafeDumper):
    """Block scalars for Markdown, ISO dates plain, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


def _moment(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    # Written as text (`2024-11-20T10:00`), which the release loader reads as a date-time.
    return dumper.represent_str(value.isoformat(timespec="minutes" if not value.second
                                                else "seconds"))


_Dumper.add_representer(_Literal, _literal)
_Dumper.add_representer(datetime, _moment)


def dump(fields: Mapping[str, Any]) -> str:
    """`fields` (already in the README's order) as YAML text."""
    data = {key: _Literal(value.rstrip("\n") + "\n") if key in MARKDOWN else value
            for key, value in fields.items()}
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH,
                     default_flow_style=False)
