"""Every programme for one person on one page: ranked by their preferences, Pareto-marked.

Each preference turns a programme's cited terms, fees and selection chance into a key
(lower is better; unknown sorts after anything known, because an unknown is not a
promise). Programmes are ranked by eligibility first, then by the preferences in the order
the person gave them; an option that may be open to the person (eligible or undetermined)
is marked *unbeaten* when no other option is at least as good on eligibility and every
preference and better on one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from talentvisa import fx
from talentvisa.profile import Profile
from talentvisa.rules import core
from talentvisa.rules.costs import Chance, FeeResult, chance_for, fees_for
from talentvisa.rules.evaluator import Assessment, Result, Status, evaluate
from talentvisa.rules.model import Payer, Program, Recurrence, Term, TermKind, Text

STATUS_ORDER: Final[dict[Status, int]] = {
    "eligible": 0,
    "undetermined": 1,
    "ineligible": 2,
    "not_in_force": 3,
}
# Unknown ranks after every known value (an unknown is not a promise); "no path at all"
# ranks after unknown, since an unknown may still turn out to be a path.
UNKNOWN_KEY: Final = Decimal(10) ** 15


@dataclass(frozen=True, slots=True)
class Cost:
    """Fees one payer bears, converted into the comparison currency."""

    certain: Decimal
    possible: Decimal  # includes fees that may be due; the figure a careful person plans for
    recurring: Decimal  # yearly fees within ``possible``
    complete: bool  # False when a fee that may be due has an amount we cannot work out


@dataclass(frozen=True, slots=True)
class Option:
    program: Program
    assessment: Assessment
    fees: tuple[FeeResult, ...]
    chance: Chance | None
    costs: dict[Payer, Cost]
    terms: dict[TermKind, Term]
    rates: tuple[fx.Rate, ...]

    @property
    def status(self) -> Status:
        return self.assessment.status


TermsKey = Callable[[Mapping[TermKind, Term]], Decimal]


@dataclass(frozen=True, slots=True)
class Preference:
    name: str
    title: Text
    key: Callable[[Option], Decimal]  # lower is better; UNKNOWN_KEY when not known
    better: Text  # "needs no sponsor", said of the option that wins on it
    # Set when the key reads only the programme's terms, the same for everyone: the
    # population path computes it once per programme instead of once per person.
    terms_key: TermsKey | None = None


def _term_value(
    terms: Mapping[TermKind, Term], kind: TermKind
) -> bool | int | Decimal | str | None:
    term = terms.get(kind)
    return None if term is None else term.value


def _flag_key(kind: TermKind, good: bool) -> TermsKey:
    def key(terms: Mapping[TermKind, Term]) -> Decimal:
        v = _term_value(terms, kind)
        if not isinstance(v, bool):
            return UNKNOWN_KEY
        return Decimal(0 if v is good else 1)

    return key


def _years_key(kind: TermKind, none_is: Decimal) -> TermsKey:
    def key(terms: Mapping[TermKind, Term]) -> Decimal:
        v = _term_value(terms, kind)
        if v is False:
            return none_is
        if isinstance(v, int | Decimal) and not isinstance(v, bool):
            return Decimal(v)
        return UNKNOWN_KEY

    return key


def _cost_key(payer: Payer) -> Callable[[Option], Decimal]:
    """No published fees at all is unknown, not free."""

    def key(o: Option) -> Decimal:
        cost = o.costs.get(payer)
        if cost is None:
            return Decimal(0) if o.fees else UNKNOWN_KEY
        return cost.possible if cost.complete else UNKNOWN_KEY

    return key


def _chance_key(o: Option) -> Decimal:
    if o.chance is None:
        return Decimal(-1)  # no lottery: certain once eligible
    if o.chance.low is None:
        return UNKNOWN_KEY
    return -o.chance.low


_WORK_RIGHTS: Final = {"any": 0, "restricted": 1, "sponsor_only": 2, "unclear": 3}


def _work_key(terms: Mapping[TermKind, Term]) -> Decimal:
    v = _term_value(terms, TermKind.work_rights)
    return Decimal(_WORK_RIGHTS[v]) if isinstance(v, str) and v in _WORK_RIGHTS else UNKNOWN_KEY


def _validity_key(terms: Mapping[TermKind, Term]) -> Decimal:
    v = _term_value(terms, TermKind.validity)
    if isinstance(v, int | Decimal) and not isinstance(v, bool):
        return -Decimal(v)
    return UNKNOWN_KEY


def _on_terms(name: str, title: Text, key: TermsKey, better: Text) -> Preference:
    return Preference(name, title, lambda o: key(o.terms), better, terms_key=key)


NO_PATH: Final = Decimal("Infinity")

PREFERENCES: Final[dict[str, Preference]] = {
    p.name: p
    for p in (
        _on_terms(
            "no-sponsor",
            Text(en="No sponsor needed", zh="无需担保"),
            _flag_key(TermKind.sponsor, good=False),
            Text(en="needs no employer or sponsor", zh="无需雇主或担保人"),
        ),
        Preference(
            "low-cost",
            Text(en="Low cost to you", zh="个人费用低"),
            _cost_key(Payer.applicant),
            Text(en="costs you less in government fees", zh="个人承担的政府费用更低"),
        ),
        Preference(
            "low-employer-cost",
            Text(en="Low cost to the employer", zh="雇主费用低"),
            _cost_key(Payer.employer),
            Text(en="costs an employer less", zh="雇主承担的费用更低"),
        ),
        Preference(
            "likely",
            Text(en="No lottery", zh="无需抽签"),
            _chance_key,
            Text(en="has a better chance of selection", zh="获选机会更大"),
        ),
        _on_terms(
            "pr-path",
            Text(en="Path to permanent residence", zh="永久居留途径"),
            _years_key(TermKind.residence_path, NO_PATH),
            Text(en="leads to permanent residence sooner", zh="更快获得永久居留"),
        ),
        _on_terms(
            "family",
            Text(en="Family can come", zh="家属可随行"),
            _flag_key(TermKind.family, good=True),
            Text(en="lets your family come with you", zh="家属可随行"),
        ),
        _on_terms(
            "fast",
            Text(en="Fast decision", zh="审理快"),
            _years_key(TermKind.processing, NO_PATH),
            Text(en="decides faster", zh="审理更快"),
        ),
        _on_terms(
            "work-rights",
            Text(en="Freedom to work", zh="工作自由"),
            _work_key,
            Text(en="leaves you freer to work", zh="工作限制更少"),
        ),
        _on_terms(
            "long-stay",
            Text(en="Long first grant", zh="首次签发期限长"),
            _validity_key,
            Text(en="is granted for longer", zh="首次签发期限更长"),
        ),
        _on_terms(
            "citizenship",
            Text(en="Path to citizenship", zh="入籍途径"),
            _years_key(TermKind.citizenship, NO_PATH),
            Text(en="leads to citizenship sooner", zh="更快入籍"),
        ),
    )
}
DEFAULT_PREFERENCES: Final = ("no-sponsor", "low-cost", "likely", "pr-path", "family")


class UnknownPreference(ValueError):
    pass


def parse_preferences(text: str | None) -> tuple[str, ...]:
    if not text:
        return DEFAULT_PREFERENCES
    names = tuple(p.strip() for p in text.split(",") if p.strip())
    unknown = [n for n in names if n not in PREFERENCES]
    if unknown:
        raise UnknownPreference(
            f"unknown preference {', '.join(unknown)}; choose from {', '.join(PREFERENCES)}"
        )
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class Ranked:
    option: Option
    rank: int
    unbeaten: bool
    keys: tuple[Decimal, ...]  # status, then one per preference
    why: tuple[str, Text | None]  # the option ranked next, and what puts this one above it
    beaten_by: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Comparison:
    as_of: dt.date
    currency: str
    preferences: tuple[str, ...]
    ranked: tuple[Ranked, ...]


def option_for(program: Program, profile: Profile, as_of: dt.date, currency: str) -> Option:
    assessment = evaluate(profile, program, as_of)
    version = program.version_at(as_of)
    if version is None:
        return Option(program, assessment, (), None, {}, {}, ())
    fees, chance, costs, rates = priced(program, profile, as_of, currency)
    terms = {t.kind: t for t in version.terms}
    return Option(program, assessment, fees, chance, costs, terms, rates)


def priced(
    program: Program, profile: Profile, as_of: dt.date, currency: str
) -> tuple[tuple[FeeResult, ...], Chance | None, dict[Payer, Cost], tuple[fx.Rate, ...]]:
    """A programme's fees, lottery chance and totals per payer for one person: what the
    cost and lottery preferences read (``simulate`` compiles the same keys)."""
    version = program.version_at(as_of)
    if version is None:
        return (), None, {}, ()
    fees = fees_for(profile, program, version, as_of)
    chance = (
        chance_for(profile, program, version.selection, as_of)
        if version.selection is not None
        else None
    )
    costs, rates = _costs(fees, as_of, currency)
    return fees, chance, costs, rates


def _costs(
    fees: tuple[FeeResult, ...], as_of: dt.date, currency: str
) -> tuple[dict[Payer, Cost], tuple[fx.Rate, ...]]:
    """Totals per payer: certain fees, and the most that may be due.

    Alternatives (one fee for large employers, another for small ones) count once: the
    one that is due, or the largest of those that may be. That choice is ``core``'s
    ``fee_totals``, whose possible total is the ``cost`` that ``simulate`` compiles, so one
    person's comparison and a population's agree by construction. A payer is listed when
    a fee may be due from them.
    """
    rates: dict[str, fx.Rate] = {}
    groups: dict[Payer, dict[str, list[tuple[bool | None, Decimal | None, bool]]]] = {}
    for r in fees:
        if r.fee.optional or not r.possible:
            continue
        amount = None
        if r.amount is not None:
            if r.fee.currency not in rates:
                rates[r.fee.currency] = fx.rate(r.fee.currency, currency, as_of)
            amount = rates[r.fee.currency].convert(r.amount)
        member = (_DUE[r.applies], amount, r.fee.recurrence == Recurrence.yearly)
        groups.setdefault(r.fee.payer, {}).setdefault(r.fee.alternatives or r.fee.id, [])
        groups[r.fee.payer][r.fee.alternatives or r.fee.id].append(member)
    costs = {}
    for payer, alternatives in groups.items():
        t = core.fee_totals(list(alternatives.values()))
        costs[payer] = Cost(
            Decimal(t.certain), Decimal(t.possible), Decimal(t.recurring), t.complete
        )
    return costs, tuple(r for r in rates.values() if r.from_ != r.to)


# A fee's result as the core's Kleene value: unknown and judgement are "may be due".
_DUE: Final[dict[Result, bool | None]] = {
    "pass": True,
    "fail": False,
    "unknown": None,
    "judgement": None,
}


def compare(
    profile: Profile,
    programs: Sequence[Program],
    as_of: dt.date,
    currency: str = "USD",
    preferences: Sequence[str] = DEFAULT_PREFERENCES,
) -> Comparison:
    options = [option_for(p, profile, as_of, currency) for p in programs]
    prefs = [PREFERENCES[n] for n in preferences]
    keyed = [(o, (Decimal(STATUS_ORDER[o.status]), *(p.key(o) for p in prefs))) for o in options]
    keyed.sort(key=lambda ok: (ok[1], ok[0].program.id))
    ranked: list[Ranked] = []
    for i, (option, keys) in enumerate(keyed):
        beaten_by = tuple(
            other.program.id for other, k in keyed if other is not option and _dominates(k, keys)
        )
        open_to_you = option.status in ("eligible", "undetermined")
        why: tuple[str, Text | None] = ("", None)
        if i + 1 < len(keyed):
            nxt, nkeys = keyed[i + 1]
            why = (nxt.program.id, _first_difference(keys, nkeys, prefs))
        ranked.append(Ranked(option, i + 1, open_to_you and not beaten_by, keys, why, beaten_by))
    return Comparison(as_of, currency, tuple(preferences), tuple(ranked))


def _dominates(a: tuple[Decimal, ...], b: tuple[Decimal, ...]) -> bool:
    return all(x <= y for x, y in zip(a, b, strict=True)) and a != b


_STATUS_BETTER: Final = Text(en="is more certainly open to you", zh="对你更确定可行")


def _first_difference(
    a: tuple[Decimal, ...], b: tuple[Decimal, ...], prefs: Sequence[Preference]
) -> Text | None:
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x < y:
            return _STATUS_BETTER if i == 0 else prefs[i - 1].better
        if x > y:
            return None  # tied before; ranked above only by name
    return None
