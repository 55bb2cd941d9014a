"""YAML reading that remembers where every value came from.

Errors in profiles and programme files must name file, line and column. The composer keeps
marks on nodes; this module builds plain data from the node tree and a map from each value's
path to its position. Input is read as YAML 1.2 (ruamel.yaml), so ``NO`` is Norway and
``on``, ``1:20`` and ``012`` are not booleans, sexagesimals or octals (YAML 1.1 would read
``citizenships: [NO]`` as ``[false]``). It also refuses duplicate keys (which a YAML library
would silently accept, letting the second value win) and reads decimals as ``Decimal`` so
money is exact. Timestamps stay strings: pydantic parses them and reports impossible dates by
field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from talentvisa.messages import in_lang

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


class InputError(ValueError):
    """Bad input with a place: file, and where known, line, column and the field path."""

    def __init__(self, file: str, problems: Sequence[tuple[Position | None, str, str]]) -> None:
        self.file = file
        self.problems = list(problems)  # (position, dotted field path, message)
        super().__init__(self.render())

    def render(self, lang: str = "en") -> str:
        """One line per problem, ``file:line:col: field: message``, in ``lang`` where the
        message knows its Chinese (see ``talentvisa.messages.Said``)."""
        lines = []
        for pos, path, message in self.problems:
            where = f"{self.file}:{pos.line}:{pos.column}" if pos else self.file
            field = f" {path}:" if path else ""
            lines.append(f"{where}:{field} {in_lang(message, lang)}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Located:
    data: Any
    positions: dict[PathKey, Position]
    file: str

    def position_of(self, loc: Iterable[str | int]) -> tuple[Position | None, PathKey]:
        """The position of the deepest value along a pydantic error location that exists."""
        node = self.data
        path: PathKey = ()
        for part in loc:
            child = _child(node, part)
            if child is _ABSENT:
                continue  # a union tag or a missing key: stay on the parent
            node = child
            path = (*path, part)
        return self.positions.get(path), path


_ABSENT = object()


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part, _ABSENT)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return _ABSENT


def dotted(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _mark(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    value: str = node.value
    if "\x00" in value:
        raise _problem(node, "contains a NUL character")
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in ("true", "yes", "on")  # "yes"/"on" only under a %YAML 1.1 line
    if tag == "tag:yaml.org,2002:int":
        digits = value.replace("_", "")
        if ":" in digits or (len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()):
            return value  # a code such as 0713 keeps its zero (an int field still reads 12)
        try:
            return int(digits, 0)
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return Decimal(value.replace("_", ""))
        except InvalidOperation:
            raise _problem(node, f"{value!r} is not a finite number") from None
    return value  # str, and timestamps left as text


def _problem(node: Node, message: str) -> InputError:
    return InputError("", [(_mark(node), "", message)])


def _content_mark(node: Node) -> Position:
    """Where a scalar's text starts: after an opening quote, or on the line after | and >."""
    pos = _mark(node)
    style = getattr(node, "style", None)
    if style in ('"', "'"):
        return Position(pos.line, pos.column + 1)
    if style in ("|", ">"):
        return Position(pos.line + 1, pos.column)
    return pos


MAX_DEPTH = 64


def _build(
    node: Node,
    path: PathKey,
    positions: dict[PathKey, Position],
    seen: set[int] | None,
) -> Any:
    """Plain data from the node tree. ``seen`` (input from people) collects the nodes
    built so far, so an alias is refused: a person's input never needs one, and a few bytes
    of nested aliases would otherwise expand into gigabytes. Our own programme files pass
    None and may share parts through anchors."""
    if len(path) > MAX_DEPTH:
        raise _problem(node, f"nested more than {MAX_DEPTH} levels deep")
    if seen is not None:
        if id(node) in seen:  # the node's own mark is its anchor's: name the alias's path
            message = "aliases (*name) are not accepted; write the value out"
            raise InputError("", [(None, dotted(path), message)])
        seen.add(id(node))
    positions[path] = _content_mark(node)
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_build(child, (*path, i), positions, seen) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _problem(key_node, "keys must be plain values")
            key = _scalar(key_node)
            key = key if isinstance(key, str) else str(key)
            if key in out:
                raise _problem(key_node, f"duplicate key {key!r}")
            out[key] = _build(value_node, (*path, key), positions, seen)
        return out
    raise _problem(node, "unsupported YAML node")  # pragma: no cover


def _compose(text: str) -> Node | None:
    """The node tree of one document, YAML 1.2, safe and pure Python (a new reader per call:
    ruamel's reader keeps state, and the web app reads on several threads)."""
    reader = YAML(typ="safe", pure=True)
    reader.max_depth = MAX_DEPTH + 1  # the composer recurses; stop it before Python's stack does
    node: Node | None = reader.compose(text)
    return node


def _reader_position(text: str, offset: int) -> Position:
    before = text[:offset]
    return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def loads(text: str, file: str = "<input>", aliases: bool = False) -> Located:
    """Parse YAML (JSON is YAML) into plain data with positions; InputError on bad syntax."""
    try:
        root = _compose(text)
    except (RecursionError, MaxDepthExceededError):
        raise InputError(file, [(None, "", "not valid YAML/JSON: nested too deeply")]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        pos = Position(mark.line + 1, mark.column + 1) if mark else None
        raise InputError(file, [(pos, "", f"not valid YAML/JSON: {exc.problem}")]) from None
    except ReaderError as exc:
        pos = _reader_position(text, exc.position)
        code = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        reason = "a NUL character" if code == 0 else f"the character #x{code:04x}"
        raise InputError(
            file, [(pos, "", f"not valid YAML/JSON: {reason} is not allowed")]
        ) from None
    except YAMLError as exc:
        raise InputError(file, [(None, "", f"not valid YAML/JSON: {exc}")]) from None
    if root is None:
        return Located({}, {(): Position(1, 1)}, file)
    positions: dict[PathKey, Position] = {}
    try:
        data = _build(root, (), positions, None if aliases else set())
    except InputError as exc:
        raise InputError(file, exc.problems) from None
    return Located(data, positions, file)


def load(path: Path, aliases: bool = False, max_bytes: int | None = None) -> Located:
    """``aliases`` only for files we ship (programmes and their cases), never for input.
    ``max_bytes`` refuses a larger file before it is parsed (only that much is read)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(str(path), [(None, "", "no such file")]) from None
    except OSError as exc:
        raise InputError(str(path), [(None, "", exc.strerror or str(exc))]) from None
    if max_bytes is not None and len(raw) > max_bytes:
        limit = f"{max_bytes // 1024} KiB" if max_bytes % 1024 == 0 else f"{max_bytes} bytes"
        raise InputError(
            str(path),
            [
                (
                    None,
                    "",
                    f"too large: more than {limit}, the limit for this file (is it the right one?)",
                )
            ],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), [(None, "", f"not UTF-8 text ({exc.reason})")]) from None
    return loads(text, str(path), aliases)


def to_json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
