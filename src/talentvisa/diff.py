"""What changed in a programme between two dates: criteria, parameters, terms, fees, selection.

Criteria and fees are matched by id, terms by kind; parameters compare the value in force
on each date. Every change carries the citations of the side that holds it (the new side,
or the old one for something removed), so a reader can check it at the source. A rule whose
quoted passage (or ``no_text`` reason) changed is a change even when its condition did not,
and carries the quotes of both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from talentvisa.explain import show, value_label
from talentvisa.messages import Said
from talentvisa.rules.loader import criteria_in
from talentvisa.rules.model import (
    WORK_RIGHTS,
    Citation,
    Condition,
    Leaf,
    PointsNode,
    Program,
    Text,
    Version,
    condition_text,
)
from talentvisa.rules.words import condition_zh

Names = Mapping[str, Text]

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class Item:
    section: Literal["criterion", "parameter", "term", "fee", "selection"]
    id: str
    change: Change
    title: Text | None
    before: str | None
    after: str | None
    citations: tuple[Citation, ...]
    interpretation: bool = False  # the parameter is an interpretation, flagged to users
    quotes_before: tuple[Citation, ...] = ()  # the quoting citations of each side
    quotes_after: tuple[Citation, ...] = ()
    no_text_before: Text | None = None
    no_text_after: Text | None = None

    @property
    def quote_changed(self) -> bool:
        return self.change == "changed" and (
            self.quotes_before != self.quotes_after or self.no_text_before != self.no_text_after
        )


@dataclass(frozen=True, slots=True)
class ProgramDiff:
    program: Program
    date1: dt.date
    date2: dt.date
    version1: dt.date | None
    version2: dt.date | None
    items: tuple[Item, ...]


_Entry = tuple[Text | None, str, tuple[Citation, ...], Text | None]  # title, rule, cites, no_text


def _rule(c: Condition, names: Names) -> Said:
    """A condition as written, and in Chinese words; changes are found on the written one."""
    return Said(condition_text(c), condition_zh(c.node, names))


def _criteria(version: Version | None, names: Names) -> dict[str, _Entry]:
    out: dict[str, _Entry] = {}
    if version is None:
        return out
    for c in criteria_in(version.criteria):
        if isinstance(c, Leaf):
            out[c.id] = (c.title, _rule(c.when, names), c.sources, c.no_text)
        elif isinstance(c, PointsNode):
            p = c.points
            t = _rule(p.threshold, names)
            threshold = Said(f"points >= {t}", f"分数 ≥ {t.zh}")
            out[p.id] = (p.title, threshold, p.sources, p.no_text)
            for table in p.tables:
                for row in table.rows:
                    w = _rule(row.when, names)
                    text = Said(
                        f"{row.points} points if {w}", f"满足以下条件得{row.points}分：{w.zh}"
                    )
                    out[row.id] = (row.title, text, row.sources or p.sources, None)
    return out


def _fees(version: Version | None, names: Names) -> dict[str, _Entry]:
    if version is None:
        return {}
    out: dict[str, _Entry] = {}
    for f in version.fees:
        amount, when = _rule(f.amount, names), _rule(f.when, names)
        payer = value_label("Payer", f.payer.value, "zh")
        recurrence = value_label("Recurrence", f.recurrence.value, "zh")
        text = Said(
            f"{f.currency} {amount} paid by {f.payer.value}, {f.recurrence.value}"
            f"{', optional' if f.optional else ''}, when {when}",
            f"{f.currency} {amount.zh}，由{payer}支付，{recurrence}"
            f"{'，可选' if f.optional else ''}，适用条件：{when.zh}",
        )
        out[f.id] = (f.title, text, f.sources, f.no_text)
    return out


def _term_zh(value: object) -> str:
    if isinstance(value, str) and value in WORK_RIGHTS:
        return value_label("WorkRights", value, "zh")
    return show(value, "zh")


def _terms(version: Version | None) -> dict[str, _Entry]:
    if version is None:
        return {}
    return {
        t.kind.value: (
            None,
            Said(f"{show(t.value)}: {t.text.en}", f"{_term_zh(t.value)}：{t.text.zh}")
            if t.value is not None
            else Said(t.text.en, t.text.zh),
            t.sources,
            None,
        )
        for t in version.terms
    }


def _selection(version: Version | None, names: Names) -> dict[str, _Entry]:
    if version is None or version.selection is None:
        return {}
    s = version.selection
    rows = [(_rule(r.when, names), _rule(r.chance, names)) for r in s.rows]
    applies = _rule(s.applies, names)
    text = Said(
        f"when {applies}: " + "; ".join(f"{w} -> {c}" for w, c in rows),
        f"适用条件：{applies.zh}：" + "；".join(f"{w.zh} → {c.zh}" for w, c in rows),
    )
    return {s.id: (s.title, text, s.sources, None)}


def _compare(
    section: Literal["criterion", "term", "fee", "selection"],
    old: dict[str, _Entry],
    new: dict[str, _Entry],
) -> Iterator[Item]:
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is None and b is not None:
            yield Item(
                section,
                key,
                "added",
                b[0],
                None,
                b[1],
                b[2],
                quotes_after=_quoting(b[2]),
                no_text_after=b[3],
            )
        elif b is None and a is not None:
            yield Item(
                section,
                key,
                "removed",
                a[0],
                a[1],
                None,
                a[2],
                quotes_before=_quoting(a[2]),
                no_text_before=a[3],
            )
        elif a is not None and b is not None and _held(a) != _held(b):
            yield Item(
                section,
                key,
                "changed",
                b[0],
                a[1],
                b[1],
                b[2],
                quotes_before=_quoting(a[2]),
                quotes_after=_quoting(b[2]),
                no_text_before=a[3],
                no_text_after=b[3],
            )


def _held(entry: _Entry) -> tuple[object, ...]:
    """What a rule says and what it rests on: a change in either is a change."""
    return entry[1], _quoting(entry[2]), entry[3]


def _quoting(cites: tuple[Citation, ...]) -> tuple[Citation, ...]:
    """The citations that quote their passage: what a quote change is measured on."""
    return tuple(c for c in cites if c.quote is not None)


def diff(program: Program, date1: dt.date, date2: dt.date) -> ProgramDiff:
    v1, v2 = program.version_at(date1), program.version_at(date2)
    items: list[Item] = []
    names = {n: p.description for n, p in program.parameters.items()}
    if v1 is not v2:
        items.extend(_compare("criterion", _criteria(v1, names), _criteria(v2, names)))
        items.extend(_compare("term", _terms(v1), _terms(v2)))
        items.extend(_compare("fee", _fees(v1, names), _fees(v2, names)))
        items.extend(_compare("selection", _selection(v1, names), _selection(v2, names)))
    for name, param in sorted(program.parameters.items()):
        a, b = param.at(date1), param.at(date2)
        if a == b:
            continue
        change: Change = "added" if a is None else "removed" if b is None else "changed"
        interp = param.interpretation
        citations = tuple(dict.fromkeys(param.sources + (interp.sources if interp else ())))
        items.append(
            Item(
                "parameter",
                name,
                change,
                param.description,
                None if a is None else Said(show(a), show(a, "zh")),
                None if b is None else Said(show(b), show(b, "zh")),
                citations,
                interp is not None,
            )
        )
    return ProgramDiff(
        program,
        date1,
        date2,
        v1.from_ if v1 else None,
        v2.from_ if v2 else None,
        tuple(items),
    )
