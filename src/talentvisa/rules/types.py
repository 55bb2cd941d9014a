"""Static types for conditions, read off the profile schema.

Every name in a condition is resolved and every operator checked before a programme is
used, so a misspelt field or a comparison of a date with a number is a load error with a
position, not a wrong answer at run time.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Literal, get_args, get_origin

from pydantic import BaseModel

from talentvisa.profile import Money, Profile
from talentvisa.rules.expr import (
    Arith,
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
from talentvisa.rules.expr import Attr as AttrNode
from talentvisa.rules.expr import (
    Literal as Lit,
)
from talentvisa.vocab import OrderedEnum

Kind = Literal["bool", "number", "string", "date", "enum", "list", "record", "map", "any"]


@dataclass(frozen=True, slots=True)
class Ty:
    kind: Kind
    enum: type[Enum] | None = None
    elem: Ty | None = None
    model: type[BaseModel] | None = None

    def __str__(self) -> str:
        if self.kind == "enum" and self.enum is not None:
            return f"enum {self.enum.__name__}"
        if self.kind == "list":
            return f"list of {self.elem}"
        if self.kind == "map":
            return f"map of {self.elem}"
        if self.kind == "record" and self.model is not None:
            return self.model.__name__
        return self.kind


BOOL: Final = Ty("bool")
NUMBER: Final = Ty("number")
STRING: Final = Ty("string")
DATE: Final = Ty("date")
ANY: Final = Ty("any")


class ExprTypeError(ValueError):
    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.message = message
        self.line = node.line
        self.column = node.column


def unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...] | None`` -> ``X``: the type a profile field holds when known."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"unsupported union {annotation}")
        return unwrap(inner[0])
    return annotation


def ty_of_annotation(annotation: Any) -> Ty:
    """Map a pydantic field annotation to a condition type."""
    annotation = unwrap(annotation)
    origin = get_origin(annotation)
    if origin is list:
        return Ty("list", elem=ty_of_annotation(get_args(annotation)[0]))
    if origin is dict:
        return Ty("map", elem=ty_of_annotation(get_args(annotation)[1]))
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return BOOL
        if issubclass(annotation, Enum):
            return Ty("enum", enum=annotation)
        if issubclass(annotation, int | Decimal | float):
            return NUMBER
        if issubclass(annotation, str):
            return STRING
        if issubclass(annotation, dt.date):
            return DATE
        if issubclass(annotation, BaseModel):
            return Ty("record", model=annotation)
    raise TypeError(f"unsupported annotation {annotation!r}")


def record_fields(model: type[BaseModel]) -> dict[str, Ty]:
    return {name: ty_of_annotation(f.annotation) for name, f in model.model_fields.items()}


PROFILE_FIELDS: Final = record_fields(Profile)

# Names every condition may use besides the profile's fields and the programme's parameters.
DERIVED: Final[dict[str, Ty]] = {
    "as_of": DATE,  # the date the assessment is for
    "age": NUMBER,  # whole years at as_of, from birth_date (or the stated age)
    # The programme's points (its last points test): read by the selection only, as a
    # bound when rows are undetermined (certain points to points if they all held).
    "points": NUMBER,
}


@dataclass(frozen=True, slots=True)
class FunctionSig:
    # "list", "lambda_bool", "lambda_number", "money", "currency", or a kind
    params: tuple[str, ...]
    result: Ty
    doc: str
    optional: int = 0  # how many of the last params may be left out


FUNCTIONS: Final[dict[str, FunctionSig]] = {
    "any": FunctionSig(("list", "lambda_bool"), BOOL, "true if the condition holds for an entry"),
    "all": FunctionSig(("list", "lambda_bool"), BOOL, "true if it holds for every entry"),
    "count": FunctionSig(("list", "lambda_bool"), NUMBER, "how many entries satisfy it"),
    "sum": FunctionSig(("list", "lambda_number"), NUMBER, "sum over the entries"),
    "years_since": FunctionSig(("date",), NUMBER, "whole years from a date to as_of"),
    "years_between": FunctionSig(("date", "date"), NUMBER, "whole years between two dates"),
    "isced_in": FunctionSig(
        ("string", "list"), BOOL, "an ISCED-F field falls under one of the given codes"
    ),
    "months_between": FunctionSig(("date", "date"), NUMBER, "whole months between two dates"),
    "months_within": FunctionSig(
        ("list", "lambda_bool", "number"),
        NUMBER,
        "months covered by the matching entries (start to end, or to as_of if ongoing) "
        "in the given number of years before as_of; overlapping entries count once",
    ),
    "yearly": FunctionSig(
        ("money", "number", "currency"),
        NUMBER,
        "pay per year, from pay per hour/week/month/year and hours; in the given currency "
        "(converted at the ECB reference rate published on or before as_of) if one is given",
        optional=1,
    ),
    "hourly": FunctionSig(
        ("money", "number", "currency"),
        NUMBER,
        "pay per hour, from pay per hour/week/month/year and hours; in the given currency "
        "(converted at the ECB reference rate published on or before as_of) if one is given",
        optional=1,
    ),
}


@dataclass
class Scope:
    """What names mean while checking one programme's conditions."""

    parameters: dict[str, Ty]
    locals: dict[str, Ty]

    def lookup(self, name: str) -> Ty | None:
        if name in self.locals:
            return self.locals[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in DERIVED:
            return DERIVED[name]
        return PROFILE_FIELDS.get(name)

    def bind(self, name: str, ty: Ty) -> Scope:
        return Scope(self.parameters, {**self.locals, name: ty})


def check(node: Node, scope: Scope, expect: Ty | None = BOOL) -> Node:
    """Return the tree with a type on every node; raise ExprTypeError on the first problem."""
    typed = _check(node, scope)
    if expect is not None and not _fits(typed.ty, expect):
        raise ExprTypeError(f"this condition gives a {typed.ty}, not a {expect}", node)
    return typed


def _fits(actual: Ty | None, expected: Ty) -> bool:
    return actual is not None and (actual.kind == expected.kind or "any" in (actual.kind,))


def _typed(node: Node, ty: Ty, **changes: Any) -> Node:
    return replace(node, ty=ty, **changes)


def _check(node: Node, scope: Scope) -> Node:
    match node:
        case Lit(value=v):
            return _typed(node, _literal_ty(v))
        case Judgement():
            return _typed(node, BOOL)
        case Name(name=n):
            ty = scope.lookup(n)
            if ty is None:
                raise ExprTypeError(_unknown_name(n, scope), node)
            return _typed(node, ty)
        case AttrNode(obj=o, name=n):
            obj = _check(o, scope)
            assert obj.ty is not None
            if obj.ty.kind != "record" or obj.ty.model is None:
                raise ExprTypeError(f"{n!r}: a {obj.ty} has no fields", node)
            fields = record_fields(obj.ty.model)
            if n not in fields:
                known = ", ".join(sorted(fields))
                raise ExprTypeError(f"{obj.ty} has no field {n!r}; it has: {known}", node)
            return _typed(node, fields[n], obj=obj)
        case Index(obj=o):
            obj = _check(o, scope)
            assert obj.ty is not None
            if obj.ty.kind != "map" or obj.ty.elem is None:
                raise ExprTypeError(f"a {obj.ty} cannot be indexed with [...]", node)
            return _typed(node, obj.ty.elem, obj=obj)
        case Not(operand=o):
            return _typed(node, BOOL, operand=_need(o, scope, BOOL))
        case Neg(operand=o):
            return _typed(node, NUMBER, operand=_need(o, scope, NUMBER))
        case BoolOp(left=left, right=right):
            return _typed(
                node, BOOL, left=_need(left, scope, BOOL), right=_need(right, scope, BOOL)
            )
        case Arith(left=left, right=right):
            return _typed(
                node, NUMBER, left=_need(left, scope, NUMBER), right=_need(right, scope, NUMBER)
            )
        case Compare():
            return _check_compare(node, scope)
        case ListLit(items=items):
            typed_items = tuple(_check(i, scope) for i in items)
            kinds = {i.ty for i in typed_items}
            if len(kinds) > 1:
                raise ExprTypeError("list items must all have the same type", node)
            elem = typed_items[0].ty if typed_items else ANY
            return _typed(node, Ty("list", elem=elem), items=typed_items)
        case Call():
            return _check_call(node, scope)
        case Lambda():
            raise ExprTypeError("a lambda (x => ...) can only be a function argument", node)
    raise ExprTypeError(f"unsupported expression {type(node).__name__}", node)  # pragma: no cover


def _need(node: Node, scope: Scope, ty: Ty) -> Node:
    typed = _check(node, scope)
    if not _fits(typed.ty, ty):
        raise ExprTypeError(f"expected a {ty} here, found a {typed.ty}", node)
    return typed


def _literal_ty(value: Any) -> Ty:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | Decimal):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, dt.date):
        return DATE
    raise TypeError(value)  # pragma: no cover


def _unknown_name(name: str, scope: Scope) -> str:
    import difflib

    candidates = [*scope.locals, *scope.parameters, *DERIVED, *PROFILE_FIELDS]
    close = difflib.get_close_matches(name, candidates, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown name {name!r} (not a profile field, parameter or local){hint}"


def _enum_literal(enum: type[Enum], node: Node) -> None:
    if isinstance(node, Lit) and isinstance(node.value, str):
        allowed = [m.value for m in enum]
        if node.value not in allowed:
            raise ExprTypeError(
                f"{node.value!r} is not a {enum.__name__}; use one of {', '.join(allowed)}", node
            )


def _comparable(a: Ty, b: Ty, node: Node, right: Node, left: Node) -> None:
    if a.kind == "enum" and b.kind in ("string", "enum"):
        assert a.enum is not None
        if b.kind == "enum" and b.enum is not a.enum:
            raise ExprTypeError(f"cannot compare {a} with {b}", node)
        _enum_literal(a.enum, right)
        return
    if b.kind == "enum" and a.kind == "string":
        assert b.enum is not None
        _enum_literal(b.enum, left)
        return
    if a.kind != b.kind and "any" not in (a.kind, b.kind):
        raise ExprTypeError(f"cannot compare a {a} with a {b}", node)


def _check_compare(node: Compare, scope: Scope) -> Node:
    left = _check(node.left, scope)
    right = _check(node.right, scope)
    assert left.ty is not None and right.ty is not None
    if node.op in ("in", "not in"):
        if right.ty.kind != "list" or right.ty.elem is None:
            raise ExprTypeError(f"'{node.op}' needs a list on its right, found a {right.ty}", node)
        items = right.items if isinstance(right, ListLit) else ()
        for item in items or (right,):
            if item is right:
                _comparable(left.ty, right.ty.elem, node, Lit(value=None), left)
            else:
                assert item.ty is not None
                _comparable(left.ty, item.ty, item, item, left)
        return _typed(node, BOOL, left=left, right=right)
    _comparable(left.ty, right.ty, node, right, left)
    if node.op not in ("==", "!="):
        ordered = left.ty if left.ty.kind == "enum" else right.ty
        if ordered.kind == "enum":
            assert ordered.enum is not None
            if not issubclass(ordered.enum, OrderedEnum):
                raise ExprTypeError(f"{ordered} has no order; use == or in", node)
        elif left.ty.kind not in ("number", "date", "any"):
            raise ExprTypeError(f"'{node.op}' needs numbers, dates or an ordered enum", node)
    return _typed(node, BOOL, left=left, right=right)


def _has_period(ty: Ty | None) -> bool:
    return (
        ty is not None and ty.model is not None and {"start", "end"} <= set(ty.model.model_fields)
    )


def _check_currency(func: str, arg: Node) -> None:
    """The currency a rule reads pay in: a literal code with a published exchange rate."""
    from talentvisa import fx  # fx reads the rule model, which imports this module

    if not (isinstance(arg, Lit) and isinstance(arg.value, str)):
        raise ExprTypeError(f'{func}() needs a currency code such as "EUR" here', arg)
    known = fx.currencies(dt.date.max)
    if arg.value not in known:
        raise ExprTypeError(
            f"{arg.value!r} has no exchange rate in data/fx.yaml; known: {', '.join(known)}", arg
        )


def _check_call(node: Call, scope: Scope) -> Node:
    sig = FUNCTIONS.get(node.func)
    if sig is None:
        raise ExprTypeError(
            f"unknown function {node.func!r}; available: {', '.join(sorted(FUNCTIONS))}", node
        )
    least = len(sig.params) - sig.optional
    if not least <= len(node.args) <= len(sig.params):
        count = f"{least} or {len(sig.params)}" if sig.optional else f"{len(sig.params)}"
        raise ExprTypeError(f"{node.func}() takes {count} arguments", node)
    typed_args: list[Node] = []
    list_ty: Ty | None = None
    for arg, kind in zip(node.args, sig.params[: len(node.args)], strict=True):
        if kind.startswith("lambda"):
            if not isinstance(arg, Lambda):
                raise ExprTypeError(f"{node.func}() needs a lambda such as 'x => ...' here", arg)
            assert list_ty is not None and list_ty.elem is not None
            body_ty = BOOL if kind == "lambda_bool" else NUMBER
            body = check(arg.body, scope.bind(arg.param, list_ty.elem), expect=body_ty)
            typed_args.append(_typed(arg, body_ty, body=body))
            continue
        typed = _check(arg, scope)
        assert typed.ty is not None
        if kind == "list":
            if typed.ty.kind != "list":
                raise ExprTypeError(f"{node.func}() needs a list here, found a {typed.ty}", arg)
            list_ty = typed.ty
            if node.func == "months_within" and not _has_period(list_ty.elem):
                raise ExprTypeError(
                    f"months_within() needs a list of entries with start and end, found {typed.ty}",
                    arg,
                )
        elif kind == "currency":
            _check_currency(node.func, typed)
        elif kind == "money":
            if typed.ty.kind != "record" or typed.ty.model is not Money:
                raise ExprTypeError(f"{node.func}() needs an amount of money here", arg)
        elif typed.ty.kind not in (kind, "any"):
            raise ExprTypeError(f"{node.func}() needs a {kind} here, found a {typed.ty}", arg)
        typed_args.append(typed)
    return _typed(node, sig.result, args=tuple(typed_args))
