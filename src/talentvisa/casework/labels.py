"""What case states, roles and pre-check results are called, in English and Chinese.

The workflow names states by code (``correction_requested``); people see these words. One
mapping serves the portal pages (the ``state_label``, ``role_label``, ``status_label`` and
``document_label`` Jinja filters), the API's problem details and the letters. The Chinese is our translation.
"""

from __future__ import annotations

from typing import Final

STATES: Final[dict[str, tuple[str, str]]] = {
    "draft": ("draft", "草稿"),
    "submitted": ("submitted", "已提交"),
    "preliminary_review": ("in preliminary review", "初审中"),
    "correction_requested": ("corrections requested", "需补正材料"),
    "passport_pending": ("waiting for the passport and biometrics", "待提交护照及生物信息"),
    "final_review": ("in final review", "终审中"),
    "refusal_pending": ("refusal awaiting a supervisor's signature", "拒签待主管签署"),
    "approved": ("approved", "已批准"),
    "refused": ("refused", "已拒签"),
    "issued": ("visa issued", "签证已签发"),
    "withdrawn": ("withdrawn", "已撤回"),
    "deemed_withdrawn": ("deemed withdrawn (a deadline passed)", "视为撤回（逾期未答复）"),
}
ROLES: Final[dict[str, tuple[str, str]]] = {
    "applicant": ("applicant", "申请人"),
    "officer": ("officer", "签证官"),
    "supervisor": ("supervisor", "主管"),
    "admin": ("administrator", "管理员"),
    "system": ("system", "系统"),
}
# What the rules' pre-check says of an application (an assessment's status).
STATUSES: Final[dict[str, tuple[str, str]]] = {
    "eligible": ("eligible", "符合条件"),
    "ineligible": ("ineligible", "不符合条件"),
    "undetermined": ("undetermined", "尚无法确定"),
    "not_in_force": ("not in force", "未生效"),
}


# The documents an applicant uploads (casework.documents.KINDS), by kind.
DOCUMENTS: Final[dict[str, tuple[str, str]]] = {
    "passport_scan": ("Passport scan", "护照扫描件"),
    "photo": ("Photo", "照片"),
    "degree_certificate": ("Degree certificate", "学位证书"),
    "transcript": ("Transcript", "成绩单"),
    "cv": ("CV", "简历"),
    "stem_proof": ("Proof of STEM teaching or research", "理工科教学或科研证明"),
}


def _label(table: dict[str, tuple[str, str]], code: object, lang: str) -> str:
    value = str(getattr(code, "value", code))
    pair = table.get(value)
    if pair is None:
        return value
    return pair[1] if lang == "zh" else pair[0]


def state_label(state: object, lang: str = "en") -> str:
    """``correction_requested`` -> "corrections requested" / 需补正材料."""
    return _label(STATES, state, lang)


def role_label(role: object, lang: str = "en") -> str:
    return _label(ROLES, role, lang)


def document_label(kind: object, lang: str = "en") -> str:
    """A document kind in words: ``passport_scan`` -> "Passport scan" / 护照扫描件."""
    return _label(DOCUMENTS, kind, lang)


def status_label(status: object, lang: str = "en") -> str:
    return _label(STATUSES, status, lang)
