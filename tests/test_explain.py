"""Rule pages as a statute annotator writes them: the quoted passage above each rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from talentvisa.cli import app
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from talentvisa.rules.render import program_markdown
from tests.quoted import QUOTED
from tests.test_points import PROGRAM as POINTS

DAY = dt.date(2026, 3, 1)  # within the horizon of the test programme's verified date


@pytest.fixture
def quoted(make_program: Callable[[str], Program]) -> Program:
    return make_program(QUOTED)


def block(text: str, criterion_id: str) -> str:
    """The lines of one criterion, from its title to its sources."""
    start = text.index(f"(`{criterion_id}`)")
    return text[start : text.index("Sources:", start)]


def test_the_quote_stands_above_the_condition_with_translation_and_pinpoint(
    quoted: Program,
) -> None:
    text = block(program_markdown(quoted, DAY, "en"), "young")
    original = text.index("外国青年科技人才")
    translation = text.index("*English translation:* Young foreign science")
    pinpoint = text.index("— [decree](https://example.org/decree), Art. 6(6)")
    condition = text.index("`age <= max_age`")
    assert original < translation < pinpoint < condition


def test_an_english_quote_has_no_translation(quoted: Program) -> None:
    text = block(program_markdown(quoted, DAY, "en"), "adult")
    assert "An applicant must be an adult." in text and "translation" not in text


def test_chinese_view_keeps_a_chinese_original_alone_and_labels_other_translations(
    quoted: Program,
) -> None:
    zh = program_markdown(quoted, DAY, "zh")
    young = zh[zh.index("(`young`)") : zh.index("(`adult`)")]
    assert "外国青年科技人才" in young and "英文译文" not in young
    fee = zh[zh.index("(`visa`)") :]
    assert "Die Gebühr beträgt 75 Euro." in fee
    assert fee.index("Die Gebühr") < fee.index("*英文译文:* The fee is 75 euros.")
    assert "由申请人支付" in fee


def test_no_text_is_marked_as_an_interpretation_in_both_languages(quoted: Program) -> None:
    en = program_markdown(quoted, DAY, "en")
    foreign = block(en, "foreign")
    assert foreign.index("**No published text: interpretation** — The decree says") < (
        foreign.index('`"CN" not in citizenships`')
    )
    assert "No published text: interpretation** — No official text sets an upper age" in en
    zh = program_markdown(quoted, DAY, "zh")
    assert "**无公开条文：属解释性设定** — 没有官方文本规定年龄上限。" in zh


def test_fees_are_shown_with_their_quote(quoted: Program) -> None:
    text = program_markdown(quoted, DAY, "en")
    fee = text[text.index("## Fees") :]
    assert fee.index("Die Gebühr beträgt 75 Euro.") < fee.index("EUR `75`: paid by the applicant")


def test_quoted_text_cannot_turn_into_markup(quoted: Program) -> None:
    html = MarkdownIt("commonmark", {"html": False}).render(program_markdown(quoted, DAY, "en"))
    assert "外国青年科技人才 *可以* 申请K字签证。" in html
    assert "<p>1. An applicant must be an adult.</p>" in html  # not a numbered list
    assert "<blockquote>" in html


def test_verified_dates_and_the_staleness_warning(quoted: Program) -> None:
    within = program_markdown(quoted, dt.date(2026, 6, 30), "en")  # verified + 180 days
    assert "*Rules verified on: 2026-01-01*" in within and "Warning" not in within
    assert "retrieved 2025-06-01, verified 2025-06-01" in within
    beyond = program_markdown(quoted, dt.date(2026, 7, 1), "en")
    assert "> **Warning:** The rules of Quoted test were last verified" in beyond
    assert "may have changed since" in beyond
    zh = program_markdown(quoted, dt.date(2026, 7, 1), "zh")
    assert "规则核对日期: 2026-01-01" in zh and "此后规则可能已有变化" in zh


def test_explain_on_the_command_line(monkeypatch: pytest.MonkeyPatch, quoted: Program) -> None:
    monkeypatch.setattr("talentvisa.cli.builtin_programs", lambda: {"quoted": quoted})
    runner = CliRunner()
    result = runner.invoke(app, ["explain", "quoted", "--as-of", "2026-03-01"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("外国青年科技人才") < out.index("age <= max_age")
    assert "No published text: interpretation" in out
    raw = runner.invoke(app, ["explain", "quoted", "--markdown", "--lang", "zh"]).stdout
    assert "无公开条文：属解释性设定" in raw


def test_shipped_programmes_render_with_their_verified_date() -> None:
    for program in builtin_programs().values():
        text = program_markdown(program, program.verified, "en")
        assert f"*Rules verified on: {program.verified}*" in text
        for key, source in program.sources.items():
            assert f"`{key}` ({source.reliability.value})" in text
            assert f"verified {source.verified}" in text


def test_a_points_test_and_a_quoted_row_show_their_passages(
    make_program: Callable[[str], Program],
) -> None:
    text = POINTS.replace(
        'sources: [{source: annex, at: "items 1-3", quote: {text: "Quoted passage.", lang: en}}]',
        'sources: [{source: annex, at: "items 1-3", quote: {text: "Six points are needed.", lang: en}}]',
    ).replace(
        "points: 3, when:",
        'points: 3, sources: [{source: annex, at: "item 2", quote: {text: "B2: 3 points.", lang: en}}], when:',
    )
    md = program_markdown(make_program(text), dt.date(2026, 1, 1), "en")
    assert md.index("Six points are needed.") < md.index("Points needed: `pass_mark`")
    row = md[md.index("3 points: B2") :]
    assert row.index("B2: 3 points.") < row.index("`any(languages")
    assert "1 points: A2 `any(languages" in md  # an unquoted row stays on one line
