"""Load a programme file: parse, validate, type-check and cross-check, or fail whole.

A programme either loads completely or raises ``InputError`` listing every problem found
with its file, line and column; nothing half-loaded is ever returned.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import lark
import pydantic
import pydantic_core
import ruamel.yaml
from pydantic import TypeAdapter, ValidationError

from talentvisa.rules.expr import (
    Arith,
    Attr,
    BoolOp,
    Call,
    Compare,
    Index,
    Judgement,
    Lambda,
    ListLit,
    Name,
    Neg,
    Node,
    Not,
)
from talentvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Criterion,
    Leaf,
    NoneOf,
    Parameter,
    Points,
    PointsNode,
    Program,
    Quoted,
    Version,
    is_quoted,
)
from talentvisa.rules.types import DERIVED, PROFILE_FIELDS, Scope
from talentvisa.yamlpos import InputError, Located, Position, dotted, load, loads

_PARAMS = TypeAdapter(dict[str, Parameter])

Problem = tuple[Position | None, str, str]


def pydantic_problems(
    exc: ValidationError, doc: Located, prefix: tuple[str | int, ...]
) -> list[Problem]:
    problems: list[Problem] = []
    errors = exc.errors()
    locs = [tuple(e["loc"]) for e in errors]
    for err in errors:
        here = tuple(err["loc"])
        if any(len(other) > len(here) and other[: len(here)] == here for other in locs):
            continue  # a consequence of a deeper error that is reported itself
        loc = (*prefix, *err["loc"])
        pos, path = doc.position_of(loc)
        ctx = err.get("ctx") or {}
        if err["type"] == "condition" and pos is not None and "line" in ctx:
            line, col = int(ctx["line"]), int(ctx["column"])
            pos = Position(pos.line + line - 1, (pos.column + col - 1) if line == 1 else col)
        where = dotted(loc) if err["type"] in ("missing", "extra_forbidden") else dotted(path)
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}"
        problems.append((pos, where, message))
    return problems


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in children(node):
        yield from walk(child)


def children(node: Node) -> tuple[Node, ...]:
    """A node's direct operands."""
    match node:
        case Attr(obj=o) | Index(obj=o) | Not(operand=o) | Neg(operand=o) | Lambda(body=o):
            return (o,)
        case (
            BoolOp(left=left, right=right)
            | Compare(left=left, right=right)
            | Arith(left=left, right=right)
        ):
            return (left, right)
        case ListLit(items=items):
            return items
        case Call(args=args):
            return args
    return ()


def criteria_in(node: Criterion) -> Iterator[Criterion]:
    """Every criterion in a tree, parents before children."""
    yield node
    match node:
        case AllOf(all=items) | AnyOf(any=items):
            for item in items:
                yield from criteria_in(item)
        case NoneOf(not_=inner):
            yield from criteria_in(inner)


def conditions_in(node: Criterion) -> Iterator[tuple[str, Node]]:
    for c in criteria_in(node):
        if isinstance(c, Leaf):
            yield c.id, c.when.node
        elif isinstance(c, PointsNode):
            p: Points = c.points
            yield p.id, p.threshold.node
            for table in p.tables:
                for row in table.rows:
                    yield row.id, row.when.node


def version_conditions(version: Version) -> Iterator[tuple[str, Node]]:
    """Every condition of a version: criteria, fees and the selection."""
    yield from conditions_in(version.criteria)
    for fee in version.fees:
        yield fee.id, fee.when.node
        yield fee.id, fee.amount.node
    if version.selection is not None:
        yield version.selection.id, version.selection.applies.node
        for row in version.selection.rows:
            yield row.id, row.when.node
            yield row.id, row.chance.node


def citations_in(program: Program) -> Iterator[tuple[str, Citation]]:
    for name, param in program.parameters.items():
        for c in param.sources:
            yield f"parameters.{name}", c
        if param.interpretation:
            for c in param.interpretation.sources:
                yield f"parameters.{name}.interpretation", c
    for i, version in enumerate(program.versions):
        for crit in criteria_in(version.criteria):
            sources: tuple[Citation, ...] = ()
            if isinstance(crit, Leaf):
                sources = crit.sources
            elif isinstance(crit, PointsNode):
                sources = crit.points.sources + tuple(
                    c for t in crit.points.tables for r in t.rows for c in r.sources
                )
            for c in sources:
                yield f"versions[{i}] {getattr(crit, 'id', '')}", c
        for term in version.terms:
            for c in term.sources:
                yield f"versions[{i}].terms.{term.kind}", c
        for fee in version.fees:
            for c in fee.sources:
                yield f"versions[{i}].fees.{fee.id}", c
        if version.selection is not None:
            for c in version.selection.sources:
                yield f"versions[{i}].selection", c


def quotable_in(program: Program) -> Iterator[tuple[str, Quoted]]:
    """Everything that must rest on a quoted passage: parameters, criteria, points tests, fees."""
    for name, param in program.parameters.items():
        yield f"parameters.{name}", param
    for i, version in enumerate(program.versions):
        for crit in criteria_in(version.criteria):
            if isinstance(crit, Leaf):
                yield f"versions[{i}] {crit.id}", crit
            elif isinstance(crit, PointsNode):
                yield f"versions[{i}] {crit.points.id}", crit.points
        for fee in version.fees:
            yield f"versions[{i}].fees.{fee.id}", fee


def unquoted_in(program: Program) -> list[str]:
    """Where a programme states a rule with neither a quoted passage nor a ``no_text`` reason."""
    return [where for where, item in quotable_in(program) if not is_quoted(item)]


def _quotable_at(program: Program) -> Iterator[tuple[tuple[str | int, ...], str, Quoted]]:
    """What ``quotable_in`` lists, each with its place in the file."""
    for name, param in program.parameters.items():
        yield ("parameters", name), f"parameters.{name}", param

    def tree(node: Criterion, loc: tuple[str | int, ...], i: int) -> Iterator[Any]:
        match node:
            case Leaf():
                yield loc, f"versions[{i}] {node.id}", node
            case PointsNode(points=p):
                yield (*loc, "points"), f"versions[{i}] {p.id}", p
            case AllOf(all=items) | AnyOf(any=items):
                key = "all" if isinstance(node, AllOf) else "any"
                for k, item in enumerate(items):
                    yield from tree(item, (*loc, key, k), i)
            case NoneOf(not_=inner):
                yield from tree(inner, (*loc, "not"), i)

    for i, version in enumerate(program.versions):
        yield from tree(version.criteria, ("versions", i, "criteria"), i)
        for j, fee in enumerate(version.fees):
            yield ("versions", i, "fees", j), f"versions[{i}].fees.{fee.id}", fee


def unquoted_problems(program: Program, doc: Located) -> list[Problem]:
    """Every rule resting on neither a quoted passage nor a ``no_text`` reason, located in the
    file, so that loading can refuse a programme whose rules a reader cannot check."""
    return [
        (
            doc.position_of(loc)[0],
            where,
            "rests on no quoted passage: add a quote (text, lang, en) to one of its sources, "
            "or no_text {en, zh} saying why there is no published text",
        )
        for loc, where, item in _quotable_at(program)
        if not is_quoted(item)
    ]


def _cross_check(program: Program, doc: Located) -> list[Problem]:
    problems: list[Problem] = []

    def at(*loc: str | int) -> Position | None:
        return doc.position_of(loc)[0]

    for where, citation in citations_in(program):
        if citation.source not in program.sources:
            problems.append((None, where, f"cites unknown source {citation.source!r}"))

    for i, version in enumerate(program.versions):
        if version.until is not None and version.until <= version.from_:
            problems.append(
                (at("versions", i, "until"), f"versions[{i}]", "until is not after from")
            )
        if i + 1 < len(program.versions):
            nxt = program.versions[i + 1]
            if nxt.from_ <= version.from_:
                problems.append(
                    (
                        at("versions", i + 1, "from"),
                        f"versions[{i + 1}]",
                        "versions must be in date order",
                    )
                )
            elif version.until is not None and version.until != nxt.from_:
                kind = "gap" if version.until < nxt.from_ else "overlap"
                problems.append(
                    (
                        at("versions", i, "until"),
                        f"versions[{i}]",
                        f"{kind} between {version.until} and the next version's start {nxt.from_}",
                    )
                )
        problems.extend(_check_version(program, version, i, at))
    return problems


def _check_version(program: Program, version: Version, i: int, at: Any) -> list[Problem]:
    problems: list[Problem] = []
    ids = [getattr(c, "id", None) or c.points.id for c in criteria_in(version.criteria)]  # type: ignore[union-attr]
    dupes = sorted({x for x in ids if ids.count(x) > 1})
    if dupes:
        problems.append((at("versions", i), f"versions[{i}]", f"duplicate criterion ids: {dupes}"))
    for crit in criteria_in(version.criteria):
        if (
            isinstance(crit, Leaf)
            and crit.judgement is None
            and any(isinstance(n, Judgement) for n in walk(crit.when.node))
        ):
            problems.append(
                (
                    None,
                    f"versions[{i}] {crit.id}",
                    "uses 'judgement' but says nothing under judgement: what the officer must judge",
                )
            )
        if (
            isinstance(crit, PointsNode)
            and crit.points.judgement is None
            and any(
                isinstance(n, Judgement)
                for t in crit.points.tables
                for r in t.rows
                for n in walk(r.when.node)
            )
        ):
            problems.append(
                (
                    None,
                    f"versions[{i}] {crit.points.id}",
                    "a row uses 'judgement' but the points test says nothing under judgement",
                )
            )
    selection_ids = (
        {version.selection.id, *(r.id for r in version.selection.rows)}
        if version.selection is not None
        else set()
    )
    for crit_id, node in version_conditions(version):
        if crit_id not in selection_ids and any(
            isinstance(n, Name) and n.name == "points" for n in walk(node)
        ):
            problems.append(
                (
                    None,
                    f"versions[{i}] {crit_id}",
                    "reads 'points', which only the selection may read (the points a "
                    "criterion or fee would read are still being counted)",
                )
            )
    for crit_id, node in version_conditions(version):
        for n in walk(node):
            if (
                isinstance(n, Name)
                and n.name in program.parameters
                and program.parameters[n.name].at(version.from_) is None
            ):
                first = min(program.parameters[n.name].values)
                problems.append(
                    (
                        at("parameters", n.name, "values"),
                        f"parameters.{n.name}",
                        f"has no value on {version.from_} (first value {first}), "
                        f"but {crit_id!r} of the version from {version.from_} uses it",
                    )
                )
    return problems


def load_program(path: Path) -> Program:
    doc = load(path, aliases=True)  # programme files share criteria
    return program_from(doc)


# ------------------------------------------------------------------ parsed-programme cache
# Parsing the shipped programmes (pure-Python YAML, then the condition grammar) takes seconds;
# unpickling them takes tens of milliseconds. An entry is keyed by the file's bytes and by
# everything that could parse them differently (this package's code and data, Python and the
# parsing libraries), so a stale entry is never found, only missed. A damaged entry fails its
# checksum and is parsed again; writers replace entries atomically.

CACHE_ENV = "TALENTVISA_CACHE_DIR"  # a directory, or "off" to parse every time
_MAGIC = b"tvprog1\n"
_KEEP = 64  # entries kept: a few code versions of every shipped programme


def cache_dir() -> Path | None:
    """Where parsed programmes are kept: ``$TALENTVISA_CACHE_DIR``, else the platform's user
    cache directory; ``None`` when caching is off."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "talentvisa" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "talentvisa"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "talentvisa"


@cache
def _code_fingerprint() -> bytes:
    """What, besides a file's bytes, decides what it parses to: every module and data file
    of this package, and the versions of Python and the parsing libraries."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    digest.update(
        f"{sys.version}|{pydantic.VERSION}|{pydantic_core.__version__}|{lark.__version__}|"
        f"{ruamel.yaml.__version__}".encode()
    )
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for path in sorted((root / "data").rglob("*")):
        if path.is_file():
            st = path.stat()
            digest.update(f"{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return digest.digest()


def _usable(directory: Path) -> bool:
    """Only a directory of our own that others cannot write to: entries are unpickled."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = directory.stat()
    except OSError:
        return False
    if os.name != "posix":
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _read_entry(path: Path) -> Program | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head, digest, payload = blob[: len(_MAGIC)], blob[len(_MAGIC) : len(_MAGIC) + 32], blob[40:]
    if head != _MAGIC or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        program = pickle.loads(payload)
    except Exception:  # a damaged entry is a miss, whatever unpickling trips over
        return None
    return program if isinstance(program, Program) else None


def _write_entry(directory: Path, path: Path, program: Program) -> None:
    payload = pickle.dumps(program, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as stream:
            stream.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)  # readers see the old entry or the whole new one
        entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-_KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # a cache we cannot write only costs time


def cached_program(path: Path) -> Program:
    """``load_program``, through the parsed-programme cache when there is one."""
    directory = cache_dir()
    if directory is None or not _usable(directory):
        return load_program(path)
    try:
        raw = path.read_bytes()
    except OSError:
        return load_program(path)  # reports the problem as loading does
    key = hashlib.sha256(_MAGIC + _code_fingerprint() + raw).hexdigest()
    entry = directory / f"{key}.pickle"
    program = _read_entry(entry)
    if program is None:
        program = program_from(_parsed(raw, path))
        _write_entry(directory, entry, program)
    return program


def _parsed(raw: bytes, path: Path) -> Located:
    """The programme's YAML from the very bytes its key was made of (as ``load`` reads it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), [(None, "", f"not UTF-8 text ({exc.reason})")]) from None
    return loads(text, str(path), aliases=True)


def program_from(doc: Located) -> Program:
    if not isinstance(doc.data, dict):
        raise InputError(doc.file, [(None, "", "a programme file must be a mapping")])
    raw_params = doc.data.get("parameters", {})
    try:
        params = _PARAMS.validate_python(raw_params)
    except ValidationError as exc:
        raise InputError(doc.file, pydantic_problems(exc, doc, ("parameters",))) from None
    clashes = [n for n in params if n in PROFILE_FIELDS or n in DERIVED]
    if clashes:
        raise InputError(
            doc.file,
            [
                (
                    doc.position_of(("parameters", n))[0],
                    f"parameters.{n}",
                    "shadows a profile field",
                )
                for n in clashes
            ],
        )
    scope = Scope({name: p.ty for name, p in params.items()}, {})
    try:
        program = Program.model_validate(doc.data, context={"scope": scope, "shared": {}})
    except ValidationError as exc:
        raise InputError(doc.file, pydantic_problems(exc, doc, ())) from None
    problems = _cross_check(program, doc) + unquoted_problems(program, doc)
    if problems:
        raise InputError(doc.file, problems)
    return program


PROGRAMS_DIR = resources.files("talentvisa") / "programs"


def program_files() -> list[Path]:
    base = Path(str(PROGRAMS_DIR))
    return sorted(p for p in base.glob("*.yaml") if not p.name.endswith(".cases.yaml"))


@cache
def builtin_programs() -> dict[str, Program]:
    """Every programme shipped with talentvisa, by id (loaded once per process)."""
    programs = [cached_program(p) for p in program_files()]
    return {p.id: p for p in sorted(programs, key=lambda p: p.id)}
