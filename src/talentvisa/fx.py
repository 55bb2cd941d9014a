"""Exchange rates for comparing costs, kept as dated, cited data and never fetched.

Rates are euro reference rates (units of a currency per euro) from ``data/fx.yaml``;
a conversion between two other currencies crosses through the euro. The rate used is the
latest one published on or before the assessment date (the earliest one for dates before
it), and every conversion says which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from talentvisa.rules.model import Parameter, Source
from talentvisa.yamlpos import InputError, dotted, load

FX_FILE = Path(str(resources.files("talentvisa") / "data" / "fx.yaml"))


class RateTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base: str = Field(pattern=r"^[A-Z]{3}$")
    sources: dict[str, Source] = Field(min_length=1)
    rates: dict[str, Parameter] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Rate:
    """How many ``to`` one ``from_`` buys, and the published rates it rests on."""

    from_: str
    to: str
    value: Decimal
    dates: tuple[dt.date, ...]
    sources: tuple[str, ...]
    # The published rates it rests on: (currency, units per euro, date published)
    legs: tuple[tuple[str, Decimal, dt.date], ...] = ()

    def convert(self, amount: Decimal) -> Decimal:
        """Rounded to whole cents, which is all a cost comparison needs."""
        return (amount * self.value).quantize(Decimal("0.01"))


class NoRate(LookupError):
    def __init__(self, currency: str, as_of: dt.date, published: bool = False) -> None:
        if published:
            message = f"no exchange rate for {currency} published on or before {as_of}"
        else:
            message = f"no exchange rate for {currency}; known: {', '.join(currencies(as_of))}"
        super().__init__(message)
        self.currency = currency


@cache
def rate_table(path: Path = FX_FILE) -> RateTable:
    doc = load(path)
    try:
        table = RateTable.model_validate(doc.data)
    except ValidationError as exc:
        problems = [
            (doc.position_of(e["loc"])[0], dotted(e["loc"]), e["msg"]) for e in exc.errors()
        ]
        raise InputError(str(path), problems) from None
    unknown = [
        (None, f"rates.{cur}", f"cites unknown source {c.source!r}")
        for cur, p in table.rates.items()
        for c in p.sources
        if c.source not in table.sources
    ]
    if unknown:
        raise InputError(str(path), unknown)
    return table


def currencies(as_of: dt.date) -> list[str]:
    table = rate_table()
    return sorted({table.base, *table.rates})


def _per_base(
    currency: str, as_of: dt.date, published: bool = False
) -> tuple[Decimal, dt.date | None, tuple[str, ...]]:
    table = rate_table()
    if currency == table.base:
        return Decimal(1), None, ()
    param = table.rates.get(currency)
    if param is None:
        raise NoRate(currency, as_of)
    earlier = [d for d in param.values if d <= as_of]
    if published and not earlier:
        raise NoRate(currency, as_of, published=True)
    # Before the first published rate, the earliest one is used; its date travels with it.
    day = max(earlier, default=min(param.values))
    value = param.values[day]
    assert isinstance(value, int | Decimal)
    cited = tuple(c.source for c in param.sources if table.sources[c.source].published == day)
    return Decimal(value), day, cited or tuple(c.source for c in param.sources)


def rate(from_: str, to: str, as_of: dt.date, published: bool = False) -> Rate:
    """``published``: only a rate published on or before ``as_of`` will do (an eligibility
    decision must not rest on a later rate); otherwise NoRate."""
    if from_ == to:
        return Rate(from_, to, Decimal(1), (), ())
    a, day_a, src_a = _per_base(from_, as_of, published)
    b, day_b, src_b = _per_base(to, as_of, published)
    dates = tuple(sorted({d for d in (day_a, day_b) if d is not None}))
    legs = tuple((c, v, d) for c, v, d in ((from_, a, day_a), (to, b, day_b)) if d is not None)
    return Rate(from_, to, b / a, dates, tuple(dict.fromkeys(src_a + src_b)), legs)


def convert(amount: Decimal, from_: str, to: str, as_of: dt.date) -> Decimal:
    return rate(from_, to, as_of).convert(amount)
