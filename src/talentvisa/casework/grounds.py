"""Refusal grounds: Article 21 of the Exit and Entry Administration Law of the PRC (2012).

A refusal names one or more of these codes. The law's last paragraph lets the visa
authority refuse without stating reasons, so whether the applicant sees them is a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SOURCE: Final = (
    "Exit and Entry Administration Law of the People's Republic of China (2012), Art. 21 "
    "(bilingual text as published by the Ministry of Public Security, mirrored at "
    "http://www.etogether.net/htm/policy/20180614/5619_8.html)"
)


@dataclass(frozen=True, slots=True)
class Ground:
    code: str
    en: str
    zh: str


GROUNDS: Final = {
    g.code: g
    for g in (
        Ground(
            "art21-1",
            "Was deported, or repatriated upon decision, and the no-entry period has not expired",
            "被处驱逐出境或者被决定遣送出境，未满不准入境规定年限的",
        ),
        Ground(
            "art21-2",
            "Suffers from a serious mental disorder, infectious tuberculosis or another "
            "infectious disease that may severely jeopardise public health",
            "患有严重精神障碍、传染性肺结核病或者有可能对公共卫生造成重大危害的其他传染病的",
        ),
        Ground(
            "art21-3",
            "May endanger China's national security or interests, disrupt social and public "
            "order, or engage in other illegal or criminal activities",
            "可能危害中国国家安全和利益、破坏社会公共秩序或者从事其他违法犯罪活动的",
        ),
        Ground(
            "art21-4",
            "Resorted to fraud in the visa application, or cannot guarantee the expenses of "
            "the stay in China",
            "在申请签证过程中弄虚作假或者不能保障在中国境内期间所需费用的",
        ),
        Ground(
            "art21-5",
            "Failed to submit the documents the visa authority required",
            "不能提交签证机关要求提交的相关材料的",
        ),
        Ground(
            "art21-6",
            "Other circumstances in which the visa authority considers a visa inappropriate",
            "签证机关认为不宜签发签证的其他情形",
        ),
    )
}
NO_REASONS: Final = (
    "The visa authority may refuse without stating reasons (Art. 21, last paragraph).",
    "对不予签发签证的，签证机关可以不说明理由。",
)
