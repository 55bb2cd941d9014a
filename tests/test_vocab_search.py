"""People type words; the vocabularies give the code, in English or Chinese."""

from __future__ import annotations

from talentvisa.vocab import check_isced_f, isced_fields, isco_titles
from talentvisa.vocab_search import label, resolve, search


def _first(kind: str, q: str, lang: str = "en") -> str:
    return search(kind, q, lang)[0].code  # type: ignore[arg-type]


def test_titles_people_type_find_the_isco_group() -> None:
    assert _first("occupations", "software developer") == "2512"
    assert _first("occupations", "Software engineer") == "2512"  # an ILO example title
    assert _first("occupations", "软件", "zh") == "2512"
    assert resolve("occupations", "程序员") == "2512"
    assert _first("occupations", "data scientist") == "2511"


def test_subjects_people_type_find_the_isced_field() -> None:
    assert _first("fields", "computer science") == "0613"
    assert _first("fields", "计算机科学", "zh") == "0613"
    assert _first("fields", "electrical engineering") == "0713"
    assert _first("fields", "physics") == "0533"
    assert label("fields", "0613", "zh") == "软件和应用程序开发与分析"


def test_institutions_are_found_by_any_of_their_names_with_their_country() -> None:
    hit = search("institutions", "IIT Bombay")[0]
    assert (hit.code, hit.detail) == ("iit-bombay", "India")
    assert _first("institutions", "서울대학교") == "snu"
    assert _first("institutions", "清华大学", "zh") == "tsinghua"


def test_every_isced_f_detailed_field_is_there_and_still_accepted() -> None:
    fields = isced_fields()
    detailed = [c for c, f in fields.items() if f["level"] == "detailed" and "kind" not in f]
    assert len(detailed) == 80
    assert fields["0712"]["en"] == "Environmental protection technology"
    for code, field in fields.items():
        if field.get("kind") != "unknown":  # 9999 "field unknown" is not a field to state
            assert check_isced_f(code) == code


def test_every_major_and_sub_major_isco_group_has_a_chinese_label() -> None:
    groups = isco_titles()
    assert all("zh" in t for c, t in groups.items() if len(c) <= 2)
    stem = [
        c for c in groups if len(c) == 4 and c[:2] in {"13", "21", "22", "23", "25", "31", "35"}
    ]
    assert all("zh" in groups[c] for c in stem)
