"""Conditions in Chinese words, for readers who do not read the rule language.

English rule pages show a condition as the rule file writes it (``age <= max_age``); the
Chinese pages say the same tree in Chinese: fields by their labels, parameters by their
descriptions, our vocabularies' codes by their words, ``and``/``or``/``not`` and the functions
as phrases. Codes (countries, ISCED-F and ISCO-08 numbers, currencies) stay codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from talentvisa.explain import (
    _ENTRY,
    FIELD_LABELS,
    FIELD_VOCAB,
    LANGUAGE_ZH,
    OP_SYMBOLS,
    value_label,
)
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
    Literal,
    Name,
    Neg,
    Node,
    Not,
)
from talentvisa.rules.model import Text

_PREC: Final = {"or": 1, "and": 2}


class _Say:
    def __init__(self, names: Mapping[str, Text]) -> None:
        self.names = names
        self.local: dict[str, str] = {}  # lambda parameter -> the list it ranges over

    def _prec(self, node: Node) -> int:
        match node:
            case BoolOp(op=op):
                return _PREC[op]
            case Not():
                return 3
            case Compare():
                return 4
            case Arith():
                return 5
        return 9

    def wrap(self, node: Node, parent: int) -> str:
        text = self.say(node)
        return f"（{text}）" if self._prec(node) < parent else text

    def path(self, node: Node) -> list[str] | None:
        """Field names along an access path, the lambda parameter left out."""
        match node:
            case Name(name=n):
                return [] if n in self.local else [n]
            case Attr(obj=o, name=n):
                head = self.path(o)
                return None if head is None else [*head, n]
        return None

    def label(self, parts: list[str]) -> str:
        return "".join(FIELD_LABELS.get(p, (p, p))[1] for p in parts)

    def value(self, node: Node, other: Node | None) -> str:
        """A literal, in the words of the vocabulary the other side of a comparison uses."""
        if isinstance(node, ListLit):
            return "[" + "、".join(self.value(i, other) for i in node.items) + "]"
        if isinstance(node, Literal) and isinstance(node.value, str):
            parts = self.path(other) if other is not None else None
            if parts and parts[-1] == "language":
                return LANGUAGE_ZH.get(node.value, node.value)
            kind = FIELD_VOCAB.get(parts[-1]) if parts else None
            if isinstance(other, Index):
                inner = self.path(other.obj)
                kind = FIELD_VOCAB.get(inner[-1]) if inner else kind
            return value_label(kind, node.value, "zh") if kind else node.value
        return self.say(node)

    def say(self, node: Node) -> str:
        match node:
            case Literal(value=v):
                if isinstance(v, bool):
                    return "是" if v else "否"
                return str(v)
            case Judgement():
                return "签证官判断符合"
            case Name(name=n):
                if n in self.local:
                    return self.local[n]
                if n in self.names:
                    return f"{self.names[n].zh}"
                return FIELD_LABELS.get(n, (n, n))[1]
            case Attr():
                parts = self.path(node)
                if parts is not None:
                    return self.label(parts) if parts else self.say(node.obj)
                return f"{self.wrap(node.obj, 9)}{FIELD_LABELS.get(node.name, ('', node.name))[1]}"
            case Index(obj=o, key=k):
                return f"{self.wrap(o, 9)}（{k}）"
            case Not(operand=o):
                return f"并非{self.wrap(o, 9)}"
            case Neg(operand=o):
                return f"-{self.wrap(o, 9)}"
            case BoolOp(op=op, left=left, right=right):
                p = _PREC[op]
                word = "且" if op == "and" else "或"
                return f"{self.wrap(left, p)} {word} {self.wrap(right, p + 1)}"
            case Compare(op=op, left=left, right=right):
                lhs = self.value(left, right) if isinstance(left, Literal | ListLit) else None
                rhs = self.value(right, left) if isinstance(right, Literal | ListLit) else None
                lhs = lhs or self.wrap(left, 5)
                rhs = rhs or self.wrap(right, 5)
                return f"{lhs} {OP_SYMBOLS[op]} {rhs}"
            case Arith(op=op, left=left, right=right):
                return f"{self.wrap(left, 5)} {op} {self.wrap(right, 6)}"
            case ListLit(items=items):
                return "[" + "、".join(self.say(i) for i in items) + "]"
            case Call(func=f, args=args):
                return self.call(f, args)
            case Lambda(body=b):
                return self.say(b)
        raise TypeError(node)  # pragma: no cover

    def _over(self, lst: Node, fn: Node) -> tuple[str, str]:
        """The entries' noun and the condition on one of them."""
        parts = self.path(lst) or []
        noun = _ENTRY.get(parts[-1], ("", self.say(lst)))[1] if parts else self.say(lst)
        if isinstance(fn, Lambda):
            self.local[fn.param] = noun
            return noun, self.say(fn.body)
        return noun, self.say(fn)

    def call(self, f: str, args: tuple[Node, ...]) -> str:
        match f, args:
            case "any", (lst, fn):
                noun, body = self._over(lst, fn)
                return f"有一项{noun}满足：{body}"
            case "all", (lst, fn):
                noun, body = self._over(lst, fn)
                return f"每项{noun}均满足：{body}"
            case "count", (lst, fn):
                noun, body = self._over(lst, fn)
                return f"满足“{body}”的{noun}数"
            case "sum", (lst, fn):
                noun, body = self._over(lst, fn)
                return f"各项{noun}的{body}之和"
            case "months_within", (lst, fn, years):
                noun, body = self._over(lst, fn)
                when = "" if body == "是" else f"满足“{body}”的"
                return f"近{self.say(years)}年内{when}{noun}月数"
            case "years_since", (d,):
                return f"自{self.say(d)}起的整年数"
            case "years_between", (a, b):
                return f"{self.say(a)}至{self.say(b)}的整年数"
            case "months_between", (a, b):
                return f"{self.say(a)}至{self.say(b)}的整月数"
            case "isced_in", (code, fields):
                return f"{self.say(code)}属于{self.say(fields)}"
            case (("yearly" | "hourly"), (money, *rest)):
                per = "年薪" if f == "yearly" else "时薪"
                cur = (
                    f"（折合{rest[1].value}）"
                    if len(rest) > 1 and isinstance(rest[1], Literal)
                    else ""
                )
                return f"{self.say(money)}{per}{cur}"
        return f"{f}(" + "，".join(self.say(a) for a in args) + ")"


def condition_zh(node: Node, names: Mapping[str, Text]) -> str:
    """A condition tree in Chinese; ``names`` are the programme's parameter descriptions."""
    return _Say(names).say(node)
