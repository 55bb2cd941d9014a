"""The condition language: grammar, syntax tree and parser.

Conditions are parsed by lark (LALR) into a tree of frozen dataclasses and never run as
Python. The grammar is small on purpose: comparisons, and/or/not, arithmetic, field access,
lists, and calls to a fixed set of functions (some taking a ``x => ...`` lambda).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

if TYPE_CHECKING:
    from talentvisa.rules.types import Ty

GRAMMAR = r"""
?start: expr

?expr: or_expr

?or_expr: and_expr
        | or_expr "or" and_expr          -> or_

?and_expr: not_expr
         | and_expr "and" not_expr       -> and_

?not_expr: comparison
         | "not" not_expr                -> not_

?comparison: sum
           | sum COMP_OP sum             -> compare
           | sum "in" sum                -> in_
           | sum "not" "in" sum          -> not_in

?sum: product
    | sum ADD_OP product                 -> arith

?product: unary
        | product MUL_OP unary           -> arith

?unary: postfix
      | "-" unary                        -> neg

?postfix: atom
        | postfix "." NAME               -> attr
        | postfix "[" STRING "]"         -> index

?atom: NUMBER                            -> number
     | STRING                            -> string
     | DATE                              -> date
     | "true"                            -> true
     | "false"                           -> false
     | "judgement"                       -> judgement
     | "[" [expr ("," expr)*] "]"        -> list_
     | NAME "(" [arg ("," arg)*] ")"     -> call
     | NAME                              -> name
     | "(" expr ")"

?arg: expr
    | NAME "=>" expr                     -> lambda_

COMP_OP: "==" | "!=" | "<=" | ">=" | "<" | ">"
ADD_OP: "+" | "-"
MUL_OP: "*" | "/"
DATE.2: /\d{4}-\d{2}-\d{2}/
NUMBER: /\d+(\.\d+)?/
STRING: /"[^"\\\n]*"/ | /'[^'\\\n]*'/
NAME: /[a-zA-Z_][a-zA-Z0-9_]*/

%import common.WS
%ignore WS
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    line: int = 1
    column: int = 1
    ty: Ty | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Literal(Node):
    value: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Judgement(Node):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Attr(Node):
    obj: Node
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Index(Node):
    obj: Node
    key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True, kw_only=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True, slots=True, kw_only=True)
class BoolOp(Node):
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True, slots=True, kw_only=True)
class Compare(Node):
    op: str  # == != < <= > >= in "not in"
    left: Node
    right: Node


@dataclass(frozen=True, slots=True, kw_only=True)
class Arith(Node):
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True, slots=True, kw_only=True)
class ListLit(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Lambda(Node):
    param: str
    body: Node


@dataclass(frozen=True, slots=True, kw_only=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


class ExprSyntaxError(ValueError):
    """A condition that does not parse; line and column are within the condition text."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _line(meta: Any) -> int:
    return int(getattr(meta, "line", 1))


def _col(meta: Any) -> int:
    return int(getattr(meta, "column", 1))


@v_args(meta=True)
class _ToAst(Transformer[Token, Node]):
    def number(self, meta: Any, c: list[Token]) -> Node:
        text = str(c[0])
        value: int | Decimal = Decimal(text) if "." in text else int(text)
        return Literal(value=value, line=_line(meta), column=_col(meta))

    def string(self, meta: Any, c: list[Token]) -> Node:
        return Literal(value=str(c[0])[1:-1], line=_line(meta), column=_col(meta))

    def date(self, meta: Any, c: list[Token]) -> Node:
        try:
            value = dt.date.fromisoformat(str(c[0]))
        except ValueError as exc:
            raise ExprSyntaxError(
                f"impossible date {c[0]!s}", c[0].line or 1, c[0].column or 1
            ) from exc
        return Literal(value=value, line=_line(meta), column=_col(meta))

    def true(self, meta: Any, c: list[Token]) -> Node:
        return Literal(value=True, line=_line(meta), column=_col(meta))

    def false(self, meta: Any, c: list[Token]) -> Node:
        return Literal(value=False, line=_line(meta), column=_col(meta))

    def judgement(self, meta: Any, c: list[Token]) -> Node:
        return Judgement(line=_line(meta), column=_col(meta))

    def list_(self, meta: Any, c: list[Node | None]) -> Node:
        return ListLit(
            items=tuple(i for i in c if i is not None), line=_line(meta), column=_col(meta)
        )

    def call(self, meta: Any, c: list[Any]) -> Node:
        return Call(
            func=str(c[0]),
            args=tuple(a for a in c[1:] if a is not None),
            line=_line(meta),
            column=_col(meta),
        )

    def lambda_(self, meta: Any, c: list[Any]) -> Node:
        return Lambda(param=str(c[0]), body=c[1], line=_line(meta), column=_col(meta))

    def name(self, meta: Any, c: list[Token]) -> Node:
        return Name(name=str(c[0]), line=_line(meta), column=_col(meta))

    def attr(self, meta: Any, c: list[Any]) -> Node:
        return Attr(obj=c[0], name=str(c[1]), line=_line(meta), column=_col(meta))

    def index(self, meta: Any, c: list[Any]) -> Node:
        return Index(obj=c[0], key=str(c[1])[1:-1], line=_line(meta), column=_col(meta))

    def not_(self, meta: Any, c: list[Node]) -> Node:
        return Not(operand=c[0], line=_line(meta), column=_col(meta))

    def neg(self, meta: Any, c: list[Node]) -> Node:
        return Neg(operand=c[0], line=_line(meta), column=_col(meta))

    def or_(self, meta: Any, c: list[Node]) -> Node:
        return BoolOp(op="or", left=c[0], right=c[1], line=_line(meta), column=_col(meta))

    def and_(self, meta: Any, c: list[Node]) -> Node:
        return BoolOp(op="and", left=c[0], right=c[1], line=_line(meta), column=_col(meta))

    def compare(self, meta: Any, c: list[Any]) -> Node:
        return Compare(op=str(c[1]), left=c[0], right=c[2], line=_line(meta), column=_col(meta))

    def in_(self, meta: Any, c: list[Node]) -> Node:
        return Compare(op="in", left=c[0], right=c[1], line=_line(meta), column=_col(meta))

    def not_in(self, meta: Any, c: list[Node]) -> Node:
        return Compare(op="not in", left=c[0], right=c[1], line=_line(meta), column=_col(meta))

    def arith(self, meta: Any, c: list[Any]) -> Node:
        return Arith(op=str(c[1]), left=c[0], right=c[2], line=_line(meta), column=_col(meta))


@cache
def _parser() -> Lark:
    """Built on first use: programmes read from the parsed-programme cache need none."""
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse(text: str) -> Node:
    """Parse a condition; raise ExprSyntaxError with the position of the first problem."""
    try:
        tree = _parser().parse(text)
    except UnexpectedEOF as exc:
        lines = text.splitlines() or [""]
        raise ExprSyntaxError(
            "the condition ends too early", len(lines), len(lines[-1]) + 1
        ) from exc
    except UnexpectedToken as exc:
        expected = ", ".join(sorted(exc.expected)[:6])
        if exc.token.type == "$END":
            message = f"the condition ends too early; expected one of {expected}"
        else:
            message = f"unexpected {str(exc.token)!r}; expected one of {expected}"
        raise ExprSyntaxError(message, exc.line, exc.column) from exc
    except UnexpectedCharacters as exc:
        raise ExprSyntaxError(f"unexpected character {exc.char!r}", exc.line, exc.column) from exc
    except UnexpectedInput as exc:  # pragma: no cover - lark raises one of the above
        raise ExprSyntaxError(str(exc), exc.line, exc.column) from exc
    try:
        node = _ToAst().transform(tree)
    except Exception as exc:  # lark wraps errors raised inside the transformer
        inner = exc.__context__ if isinstance(exc.__context__, ExprSyntaxError) else None
        if inner is not None:
            raise inner from exc
        raise
    assert isinstance(node, Node)
    return node


def _prec(node: Node) -> int:
    match node:
        case BoolOp(op="or"):
            return 1
        case BoolOp(op="and"):
            return 2
        case Not():
            return 3
        case Compare():
            return 4
        case Arith(op="+" | "-"):
            return 5
        case Arith():
            return 6
    return 9


def _wrap(child: Node, parent: int, strict: bool = False) -> str:
    text = source_text(child)
    prec = _prec(child)
    return f"({text})" if prec < parent or (strict and prec == parent) else text


def source_text(node: Node) -> str:
    """Render a tree back to condition text, for explanations and rule pages."""
    match node:
        case Literal(value=v):
            if isinstance(v, str):
                return f'"{v}"'
            if isinstance(v, bool):
                return "true" if v else "false"
            return str(v)
        case Judgement():
            return "judgement"
        case Name(name=n):
            return n
        case Attr(obj=o, name=n):
            return f"{_wrap(o, 9)}.{n}"
        case Index(obj=o, key=k):
            return f'{_wrap(o, 9)}["{k}"]'
        case Not(operand=o):
            return f"not {_wrap(o, 3)}"
        case Neg(operand=o):
            return f"-{_wrap(o, 7)}"
        case (
            BoolOp(op=op, left=left, right=right)
            | Compare(op=op, left=left, right=right)
            | Arith(op=op, left=left, right=right)
        ):
            p = _prec(node)
            return f"{_wrap(left, p)} {op} {_wrap(right, p, strict=True)}"
        case ListLit(items=items):
            return "[" + ", ".join(source_text(i) for i in items) + "]"
        case Lambda(param=p, body=b):
            return f"{p} => {source_text(b)}"
        case Call(func=f, args=args):
            return f"{f}(" + ", ".join(source_text(a) for a in args) + ")"
    raise TypeError(node)  # pragma: no cover


def takes_lambda(node: Node) -> bool:
    """A call over a list (``any``, ``count``, ``months_within``, ...): one with a lambda."""
    return isinstance(node, Call) and any(isinstance(a, Lambda) for a in node.args)


def shared_calls(node: Node, pool: dict[str, Node]) -> Node:
    """``node`` with each call over a list that no lambda encloses replaced by the first
    call of the same text in ``pool`` (where it is added if new).

    Conditions of one programme repeat such calls (Express Entry asks about a spouse in 64
    rows); as one node, the evaluator computes each once per assessment. A call inside a
    lambda may read the lambda's parameter, so only closed calls are shared.
    """
    if takes_lambda(node):
        return pool.setdefault(source_text(node), node)
    changes: dict[str, Any] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Node):
            node_ = shared_calls(value, pool)
            if node_ is not value:
                changes[f.name] = node_
        elif isinstance(value, tuple) and any(isinstance(v, Node) for v in value):
            items = tuple(shared_calls(v, pool) if isinstance(v, Node) else v for v in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.name] = items
    return replace(node, **changes) if changes else node
