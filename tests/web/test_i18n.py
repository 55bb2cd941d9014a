"""Every interface string has a Chinese translation; the language is negotiated sensibly."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from talentvisa.web.i18n import LOCALE_DIR, negotiate, translations

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "talentvisa" / "web" / "templates"


def template_strings() -> set[str]:
    found = extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    # Python that says things through the catalogue: the assistants' texts (for_the_user),
    # the portal form's field messages (_msg), and the case service's, the account rules',
    # the upload checks' and the app's (marked N_).
    spoken = [
        *extract_from_dir(
            str(TEMPLATES.parents[1] / "assistants"), method_map=[("**.py", "python")]
        ),
        *extract_from_dir(
            str(TEMPLATES.parent),
            method_map=[("cases_form.py", "python")],
            keywords={"_msg": None},
        ),
        *extract_from_dir(
            str(TEMPLATES.parents[1] / "casework"),
            method_map=[
                ("service.py", "python"),
                ("passwords.py", "python"),
                ("documents.py", "python"),
            ],
        ),
        *extract_from_dir(str(TEMPLATES.parent), method_map=[("app.py", "python")]),
    ]
    return {msg for _, _, msg, _, _ in [*found, *spoken] if isinstance(msg, str)}


def test_every_template_string_is_translated_and_none_is_stale() -> None:
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id: m.string for m in catalog if m.id}
    used = template_strings()
    untranslated = sorted(s for s in used if not translated.get(s))
    assert not untranslated, f"add Chinese for: {untranslated}"
    assert not sorted(set(translated) - used), "stale entries in messages.po"


def test_placeholders_survive_translation() -> None:
    zh = translations("zh")
    assert zh.gettext("%(n)s months") % {"n": 6} == "6个月"


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, None, "en-GB,en;q=0.9,zh;q=0.1", "en"),
        (None, None, "fr-FR,fr;q=0.9", "en"),
        (None, "zh", "en-US", "zh"),
        ("en", "zh", "zh-CN", "en"),
        ("xx", None, "zh-TW", "zh"),
        (None, None, "garbage;;q=abc", "en"),
    ],
)
def test_language_negotiation(
    query: str | None, cookie: str | None, header: str, expected: str
) -> None:
    assert negotiate(query, cookie, header) == expected
