"""Test scores mapped to CEFR levels, each mapping with the source it comes from.

Only mappings a test's own publisher states are here. Goethe, telc and ÖSD certificates
are named by their CEFR level, so a profile states that level directly. HSK and TOPIK have
no mapping their publishers state (HSK's own 2010 claim of 1-6 = A1-C2 is disputed by the
German Fachverband Chinesisch; TOPIK publishes none), so for them the applicant must state
a CEFR level and no level is ever guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

import yaml

from talentvisa.vocab import Cefr

D = Decimal


@dataclass(frozen=True, slots=True)
class Band:
    low: Decimal  # inclusive
    level: Cefr


@dataclass(frozen=True, slots=True)
class ScoreMapping:
    id: str
    test: str  # a LanguageTest value
    scale_max: Decimal  # scores above this are not on this scale
    scale_min: Decimal
    bands: tuple[Band, ...]  # highest first
    source: str
    href: str
    note: str

    def level(self, score: Decimal) -> Cefr | None:
        if not self.scale_min <= score <= self.scale_max:
            return None
        return next((b.level for b in self.bands if score >= b.low), None)


MAPPINGS: Final[tuple[ScoreMapping, ...]] = (
    ScoreMapping(
        id="ielts-overall",
        test="ielts",
        scale_min=D(0),
        scale_max=D(9),
        bands=(
            Band(D("8.5"), Cefr.C2),
            Band(D(7), Cefr.C1),
            Band(D("5.5"), Cefr.B2),
            Band(D(4), Cefr.B1),
        ),
        source="British Council, 'Common European Framework equivalencies' (overall band scores)",
        href="https://takeielts.britishcouncil.org/find-out-about-results/understand-your-ielts-scores/common-european-framework-equivalencies",
        note="Bands 4.0-5.0 B1, 5.5-6.5 B2, 7.0-8.0 C1, 8.5-9.0 C2; below 4.0 no level is mapped.",
    ),
    ScoreMapping(
        id="toefl-ibt-2026-bands",
        test="toefl_ibt",
        scale_min=D(1),
        scale_max=D(6),
        bands=(
            Band(D(6), Cefr.C2),
            Band(D(5), Cefr.C1),
            Band(D(4), Cefr.B2),
            Band(D(3), Cefr.B1),
            Band(D(2), Cefr.A2),
            Band(D(1), Cefr.A1),
        ),
        source="ETS, 'TOEFL Score Scale Update: A Guide for Institutions' (1-6 scale from 21 Jan 2026)",
        href="https://www.es.ets.org/india/toefl/institutions/ibt/score-scale-update.html",
        note="Scores of 1 to 6 are read on the band scale introduced on 21 January 2026.",
    ),
    ScoreMapping(
        id="toefl-ibt-0-120",
        test="toefl_ibt",
        scale_min=D(7),
        scale_max=D(120),
        bands=(Band(D(95), Cefr.C1), Band(D(72), Cefr.B2), Band(D(42), Cefr.B1)),
        source="ETS Research Memorandum RM-15-06, Papageorgiou et al. (2015), as tabulated in Language Testing in Asia 12 (2022), article s40468-022-00203-3",
        href="https://languagetestingasia.springeropen.com/articles/10.1186/s40468-022-00203-3",
        note="Total 42-71 B1, 72-94 B2, 95-120 C1. ETS states no C2 cut on this scale, so none is mapped.",
    ),
    ScoreMapping(
        id="pte-academic",
        test="pte_academic",
        scale_min=D(10),
        scale_max=D(90),
        bands=(
            Band(D(85), Cefr.C2),
            Band(D(76), Cefr.C1),
            Band(D(59), Cefr.B2),
            Band(D(43), Cefr.B1),
            Band(D(30), Cefr.A2),
            Band(D(10), Cefr.A1),
        ),
        source="Pearson, 'Understanding your PTE score'",
        href="https://www.pearsonpte.com/scoring/understand-your-pte-score",
        note="C2 85-90 and C1 76-84 from Pearson's page; B2 59, B1 43, A2 30, A1 10 are Pearson's score-report cut points as reproduced by secondary sites.",
    ),
)


def map_score(test: str, score: Decimal) -> tuple[Cefr, ScoreMapping] | None:
    """The CEFR level a published mapping gives this score, with the mapping; else None."""
    for mapping in MAPPINGS:
        if mapping.test == test:
            level = mapping.level(score)
            if level is not None:
                return level, mapping
    return None


# --- Canadian Language Benchmarks per ability (Canada's Express Entry) ---------------------
# The equivalence tables are data, with their sources: data/clb.yaml.

ABILITIES: Final = ("listening", "reading", "writing", "speaking")
CLB_FILE: Final = Path(str(resources.files("talentvisa") / "data" / "clb.yaml"))


@dataclass(frozen=True, slots=True)
class ClbTable:
    test: str  # a LanguageTest value
    name: str
    sources: tuple[str, ...]
    scale: dict[str, tuple[Decimal, Decimal]]  # ability -> (lowest, highest) score
    levels: tuple[tuple[int, dict[str, Decimal]], ...]  # highest level first

    def level(self, ability: str, score: Decimal) -> int:
        """The CLB/NCLC level of a score; 0 below the lowest level the table gives (CLB 4)."""
        return next((lv for lv, lows in self.levels if score >= lows[ability]), 0)


@cache
def clb_tables() -> dict[str, ClbTable]:
    doc = yaml.safe_load(CLB_FILE.read_text(encoding="utf-8"))
    out = {}
    for test, t in doc["tests"].items():
        levels = sorted(
            (
                (int(lv), {a: D(str(v)) for a, v in lows.items()})
                for lv, lows in t["levels"].items()
            ),
            reverse=True,
        )
        scale = {a: (D(str(lo)), D(str(hi))) for a, (lo, hi) in t["scale"].items()}
        out[test] = ClbTable(test, t["name"], tuple(t["sources"]), scale, tuple(levels))
    return out


def on_clb_scale(test: str, ability: str, score: Decimal) -> bool:
    """Whether a per-ability score can be read: a test with a CLB table and a score on its
    scale. Tests without a table (TEF Canada, not encoded) accept any score, mapped to none."""
    table = clb_tables().get(test)
    if table is None:
        return True
    low, high = table.scale[ability]
    return low <= score <= high


def clb_level(test: str, ability: str, score: Decimal) -> int | None:
    """The CLB/NCLC level IRCC's equivalence table gives; None for a test with no table."""
    table = clb_tables().get(test)
    return None if table is None else table.level(ability, score)
