"""Read a YAML file into plain data while keeping the line and column of every node."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pressexport.errors import Problem
from pressexport.sourcefile import RefusedFile, read_bounded

MAX_BYTES = 1024 * 1024
#: Lists and mappings inside each other: a release needs 3 levels (media, an item, its fields).
MAX_DEPTH = 20
_NULL_TAG = "tag:yaml.org,2002:null"
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A YAML file's data (every scalar a string, or None) and where each value stands."""

    file: str
    data: Any = None
    raw: bytes = b""
    text_lines: list[str] = field(default_factory=list)
    value_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: Where each scalar ends: (line, column), counted from 0 as YAML's marks are.
    value_end: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def positions(self) -> YamlDocument:
        """The document without its data and text: enough to locate a problem."""
        return YamlDocument(self.file, value_at=self.value_at, key_at=self.key_at)

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        """A problem located at `path` (its key when `key`), or at its nearest located parent."""
        table = self.key_at if key else self.value_at
        probe = path
        while probe not in table and probe:
            probe = probe[:-1]
            table = self.value_at
        line, col = table.get(probe, (1, 1))
        return Problem(self.file, line, col, dotted(path), message)

    def markdown_position(self, path: Path_, text: str, line: int, col: int) -> tuple[int, int]:
        """File position of `line`, `col` (from 0) in `text`, the string at `path`.

        Whatever the scalar's style (literal, folded, plain, quoted), YAML changes the line
        breaks and indentation around the words, never the words: they are found in order in
        the file. Where one is not (an escape sequence), the scalar's own position is given.
        """
        start = self.value_at.get(path, (1, 1))
        end = self.value_end.get(path)
        lines = text.split("\n")
        if end is None or line >= len(lines):
            return start
        before = " ".join([*lines[:line], lines[line][:col]]).split()
        target = lines[line][col:].split()[:1]
        position = (start[0] - 1, start[1] - 1)
        for number, word in enumerate([*before, *target]):
            found = self._find(word, position, end)
            if found is None:
                return start
            position = found if number == len(before) else (found[0], found[1] + len(word))
        return position[0] + 1, position[1] + 1

    def _find(self, word: str, start: tuple[int, int],
              end: tuple[int, int]) -> tuple[int, int] | None:
        """(line, column) of `word` in the file between `start` and `end`, counted from 0."""
        for number in range(start[0], min(end[0] + 1, len(self.text_lines))):
            text = self.text_lines[number][: end[1] if number == end[0] else None]
            found = text.find(word, start[1] if number == start[0] else 0)
            if found >= 0:
                return number, found
        return None


def dotted(path: Path_) -> str:
    """`('media', 0, 'caption')` → `media[0].caption`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path, display: str) -> YamlDocument:
    """Read `path` into a YamlDocument; problems are recorded on it, never raised."""
    try:
        raw = read_bounded(path, MAX_BYTES)
    except RefusedFile as exc:
        doc = YamlDocument(display)
        doc.problems.append(Problem(display, 1, 1, "", f"file {exc}"))
        return doc
    return parse_yaml(raw, display)


def parse_yaml(raw: bytes, display: str) -> YamlDocument:
    """The YamlDocument of a file's bytes (`display`: the file's name in problems)."""
    doc = YamlDocument(display, raw=raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        doc.problems.append(Problem(display, 1, 1, "", f"not UTF-8 text ({exc.reason})"))
        return doc
    doc.text_lines = text.splitlines()
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        doc.problems.append(Problem(display, line, col, "", f"YAML syntax: {exc.problem}"))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(display, 1, 1, "", f"YAML: {exc}"))
        return doc
    except RecursionError:  # the pure-Python composer (no libyaml): libyaml stops at 1000 levels
        doc.problems.append(Problem(display, 1, 1, "", f"nested more than {MAX_DEPTH} levels "
                                                       "deep: refused"))
        return doc
    if node is None:
        doc.problems.append(Problem(display, 1, 1, "", "file is empty"))
        return doc
    doc.data = _Converter(doc).convert(node, ())
    return doc


class _Converter:
    """Turns composed nodes into data; refuses aliases, odd tags and duplicate keys."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.seen: set[int] = set()
        self.reported: set[int] = set()

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.doc.value_at[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(path) > MAX_DEPTH and isinstance(node, yaml.CollectionNode):
            # Converting (and validating) recurses once per level: refuse before the stack ends.
            message = f"nested more than {MAX_DEPTH} levels deep: refused"
            self.doc.problems.append(Problem(self.doc.file, *self.doc.value_at[path], "", message))
            return None
        if id(node) in self.seen:
            # An alias: refusing it outright is what makes alias bombs harmless. The composer
            # shares one node for all its aliases, so each anchor is reported once.
            if id(node) not in self.reported:
                self.reported.add(id(node))
                message = "YAML anchors and aliases are not allowed"
                self.doc.problems.append(self.doc.problem(path, message))
            return None
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            message = f"YAML tag '{node.tag}' is not allowed"
            self.doc.problems.append(self.doc.problem(path, message))
            return None
        if isinstance(node, yaml.ScalarNode):
            self.doc.value_end[path] = (node.end_mark.line, node.end_mark.column)
            # Every scalar stays a string ('no', '1.0', 'on' are text); the model converts.
            return None if node.tag == _NULL_TAG and node.style is None else node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL_TAG:
                self.doc.problems.append(
                    Problem(self.doc.file, *where, dotted(path), "keys must be plain text")
                )
                continue
            key = key_node.value
            if key == "<<":
                self.doc.problems.append(
                    Problem(self.doc.file, *where, dotted(path), "YAML merge keys are not allowed")
                )
                continue
            if key in out:
                self.doc.problems.append(
                    Problem(self.doc.file, *where, dotted((*path, key)), "duplicate key")
                )
                continue
            self.doc.key_at[(*path, key)] = where
            out[key] = self.convert(value_node, (*path, key))
        return out
