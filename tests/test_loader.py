"""Bad programme files fail to load as a whole, naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentvisa.rules.loader import load_program, program_files, program_from, unquoted_problems
from talentvisa.yamlpos import InputError, load

GOOD = Path(next(p for p in program_files() if Path(p).name == "cn-k.yaml")).read_text(
    encoding="utf-8"
)

UNQUOTED = """\
id: test-prog
country: CN
name: {en: Test, zh: 测试}
summary: {en: A test programme, zh: 测试项目}
verified: 2026-11-29
sources:
  src: {title: A source, href: "https://example.org", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}
parameters:
  limit:
    description: {en: A limit, zh: 上限}
    values: {2025-01-01: 40}
    sources: [src]
versions:
  - from: 2025-01-01
    criteria:
      id: c1
      title: {en: Young, zh: 年轻}
      when: age <= limit
      sources: [src]
"""

# The same programme, each rule resting on a quoted passage, as the loader requires.
MINIMAL = UNQUOTED.replace(
    "sources: [src]", 'sources: [{source: src, quote: {text: "Quoted passage.", lang: en}}]'
)


def load_text(tmp_path: Path, text: str) -> object:
    path = tmp_path / "prog.yaml"
    path.write_text(text, encoding="utf-8")
    return load_program(path)


def problem(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as info:
        load_text(tmp_path, text)
    return info.value.render()


def test_minimal_programme_loads(tmp_path: Path) -> None:
    program = load_text(tmp_path, MINIMAL)
    assert program.id == "test-prog"  # type: ignore[attr-defined]


def test_misspelt_profile_field_is_located(tmp_path: Path) -> None:
    text = MINIMAL.replace("when: age <= limit", "when: agee <= limit")
    msg = problem(tmp_path, text)
    assert "prog.yaml:18:13" in msg
    assert "unknown name 'agee'" in msg and "did you mean 'age'" in msg


def test_unknown_nested_field_lists_the_real_ones(tmp_path: Path) -> None:
    text = MINIMAL.replace("when: age <= limit", "when: any(education, e => e.rank <= limit)")
    msg = problem(tmp_path, text)
    assert "Education has no field 'rank'" in msg and "institution" in msg
    assert ":18:" in msg


def test_type_mismatch(tmp_path: Path) -> None:
    msg = problem(tmp_path, MINIMAL.replace("when: age <= limit", "when: birth_date <= limit"))
    assert "cannot compare a date with a number" in msg


def test_enum_literal_is_checked(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "when: age <= limit", 'when: any(education, e => e.level >= "bachelors")'
    )
    msg = problem(tmp_path, text)
    assert "'bachelors' is not a EducationLevel" in msg and "bachelor" in msg


def test_syntax_error_position(tmp_path: Path) -> None:
    msg = problem(tmp_path, MINIMAL.replace("when: age <= limit", "when: age <= limit and"))
    assert "prog.yaml:18:" in msg and "ends too early" in msg


def test_unknown_source_in_citation(tmp_path: Path) -> None:
    msg = problem(
        tmp_path, UNQUOTED.replace("      sources: [src]\n", "      sources: [nowhere]\n")
    )
    assert "cites unknown source 'nowhere'" in msg


def test_criterion_without_citation(tmp_path: Path) -> None:
    msg = problem(tmp_path, UNQUOTED.replace("      sources: [src]\n", ""))
    assert "versions[0].criteria" in msg and "sources" in msg


def test_missing_chinese_text(tmp_path: Path) -> None:
    msg = problem(tmp_path, MINIMAL.replace("title: {en: Young, zh: 年轻}", "title: {en: Young}"))
    assert "zh" in msg and "Field required" in msg


def test_parameter_without_value_on_version_start(tmp_path: Path) -> None:
    msg = problem(tmp_path, MINIMAL.replace("values: {2025-01-01: 40}", "values: {2025-06-01: 40}"))
    assert "has no value on 2025-01-01" in msg and "prog.yaml:11:" in msg


def test_version_gap_and_order(tmp_path: Path) -> None:
    two = MINIMAL.replace(
        "  - from: 2025-01-01\n", "  - from: 2025-01-01\n    until: 2025-03-01\n"
    ) + (MINIMAL.split("versions:\n")[1].replace("2025-01-01", "2025-04-01"))
    msg = problem(tmp_path, two)
    assert "gap between 2025-03-01 and the next version's start 2025-04-01" in msg


def test_duplicate_key(tmp_path: Path) -> None:
    msg = problem(tmp_path, MINIMAL.replace("country: CN\n", "country: CN\ncountry: US\n"))
    assert "duplicate key 'country'" in msg and "prog.yaml:3:1" in msg


def test_unknown_key(tmp_path: Path) -> None:
    msg = problem(tmp_path, MINIMAL.replace("country: CN\n", "country: CN\ncolour: red\n"))
    assert "unknown key 'colour'" in msg


def test_judgement_needs_its_question(tmp_path: Path) -> None:
    msg = problem(
        tmp_path, MINIMAL.replace("when: age <= limit", "when: age <= limit or judgement")
    )
    assert "what the officer must judge" in msg


def test_parameter_mixing_types(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "values: {2025-01-01: 40}", "values: {2025-01-01: 40, 2026-01-01: forty}"
    )
    assert "values mix types" in problem(tmp_path, text)


def test_parameter_shadowing_a_profile_field(tmp_path: Path) -> None:
    text = MINIMAL.replace("  limit:\n", "  age:\n").replace("age <= limit", "age <= 40")
    assert "shadows a profile field" in problem(tmp_path, text)


def test_not_yaml_at_all(tmp_path: Path) -> None:
    msg = problem(tmp_path, "id: [unclosed\n")
    assert "not valid YAML/JSON" in msg and "prog.yaml:2:" in msg


def test_builtin_programme_is_valid() -> None:
    assert "cn-k" in GOOD


def test_unquoted_rules_are_refused_at_their_lines(tmp_path: Path) -> None:
    """A rule resting on neither a quote nor a no_text reason does not load: a reader
    could not hold it against its source. Each one is named at its line in the file."""
    path = tmp_path / "prog.yaml"
    path.write_text(UNQUOTED, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_program(path)
    problems = err.value.problems
    assert [(pos.line if pos else None, where) for pos, where, _ in problems] == [
        (10, "parameters.limit"),
        (16, "versions[0] c1"),
    ]
    assert "prog.yaml:16:" in err.value.render()
    assert "no_text" in problems[0][2] and "quote" in problems[0][2]


def test_quoted_rules_and_no_text_reasons_satisfy_the_check(tmp_path: Path) -> None:
    text = UNQUOTED.replace(
        "    sources: [src]\nversions:",
        "    sources: [src]\n    no_text: {en: No text sets it., zh: 无文本规定。}\nversions:",
    ).replace(
        "      sources: [src]\n",
        '      sources:\n        - {source: src, at: "Art. 1", quote: {text: "Young.", lang: en}}\n',
    )
    path = tmp_path / "prog.yaml"
    path.write_text(text, encoding="utf-8")
    doc = load(path, aliases=True)
    assert unquoted_problems(program_from(doc), doc) == []


def test_a_quote_in_another_language_needs_its_translation(tmp_path: Path) -> None:
    text = UNQUOTED.replace(
        "      sources: [src]\n",
        '      sources:\n        - {source: src, quote: {text: "青年。", lang: zh}}\n',
    )
    assert "needs an English translation" in problem(tmp_path, text)


def test_only_a_selection_may_read_the_points(tmp_path: Path) -> None:
    """``points`` is the programme's total, counted from the criteria: a criterion that read
    it would read itself, so only the selection may (a ranking against cut-offs)."""
    msg = problem(tmp_path, MINIMAL.replace("when: age <= limit", "when: points >= limit"))
    assert "only the selection may read" in msg and "c1" in msg


def test_a_repeated_question_about_a_list_is_one_node() -> None:
    """Express Entry asks about an accompanying spouse in many rows. Loaded, each closed call
    over a list is one node, so one assessment computes it once."""
    from talentvisa.rules.expr import Node, source_text, takes_lambda
    from talentvisa.rules.loader import builtin_programs, children, version_conditions

    def closed_calls(node: Node) -> list[Node]:
        if takes_lambda(node):
            return [node]
        return [c for child in children(node) for c in closed_calls(child)]

    nodes: dict[str, set[int]] = {}
    uses: dict[str, int] = {}
    for version in builtin_programs()["ca-express-entry"].versions:
        for _, condition in version_conditions(version):
            for call in closed_calls(condition):
                text = source_text(call)
                nodes.setdefault(text, set()).add(id(call))
                uses[text] = uses.get(text, 0) + 1
    assert all(len(ids) == 1 for ids in nodes.values())
    assert max(uses.values()) >= 16, "the spouse question is read in many rows"
