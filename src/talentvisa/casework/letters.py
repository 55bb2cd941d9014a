"""Decision letters as PDF (WeasyPrint), in English and Chinese.

Chinese text needs a CJK font: the letter embeds the subset of Noto Sans SC shipped in the
package (talentvisa.fonts), so it renders after a plain pip install, with no system font.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from talentvisa.casework.grounds import GROUNDS, NO_REASONS, SOURCE
from talentvisa.casework.models import Application, Decision
from talentvisa.fonts import STACK, font_face_css

Lang = Literal["en", "zh"]
TEXT: Final = {
    "en": {
        "title": "Decision on your K visa application",
        "date": "Date of decision",
        "applicant": "Applicant",
        "passport": "passport",
        "reference": "Reference",
        "dear": "Dear",
        "approved": "Your application for a K visa has been approved.",
        "approved_next": "The visa will be issued to the passport you submitted; "
        "you will be told when it is ready.",
        "refused": "Your application for a K visa has been refused.",
        "grounds": "The grounds for the refusal (Exit and Entry Administration Law, Art. 21):",
        "no_reasons": NO_REASONS[0],
        "legal": f"Grounds as defined in: {SOURCE}.",
    },
    "zh": {
        "title": "K字签证申请决定书",
        "date": "决定日期",
        "applicant": "申请人",
        "passport": "护照号码",
        "reference": "编号",
        "dear": "尊敬的",
        "approved": "您的K字签证申请已获批准。",
        "approved_next": "签证将签发至您提交的护照，准备就绪后将通知您。",
        "refused": "您的K字签证申请不予签发。",
        "grounds": "不予签发的理由（《中华人民共和国出境入境管理法》第二十一条）：",
        "no_reasons": NO_REASONS[1],
        "legal": "理由依据：《中华人民共和国出境入境管理法》（2012年）第二十一条。",
    },
}
_ENV = Environment(
    loader=PackageLoader("talentvisa.casework", "templates"), autoescape=select_autoescape()
)


def letter_html(app: Application, decision: Decision, lang: Lang, show_reasons: bool) -> str:
    reasons = []
    if decision.outcome == "refuse" and show_reasons:
        reasons = [getattr(GROUNDS[code], lang) for code in decision.reasons]
    decided = decision.signed_at or decision.created_at
    name = " ".join(x for x in (app.given_names, app.surname) if x)
    return _ENV.get_template("letter.html").render(
        lang=lang,
        t=TEXT[lang],
        app=app,
        name=name,
        approved=decision.outcome == "approve",
        reasons=reasons,
        decided=_day(decided),
        font_faces=font_face_css(),
        font_stack=STACK,
    )


def letter_pdf(app: Application, decision: Decision, lang: Lang, show_reasons: bool) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=letter_html(app, decision, lang, show_reasons)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _day(at: dt.datetime) -> str:
    return at.date().isoformat()
