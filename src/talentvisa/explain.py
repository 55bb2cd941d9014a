"""Plain-language reasons and labels, in English and Chinese, from evaluation results.

Reasons are built from the comparisons the evaluator actually made, so they always say
what was compared with what, and never drift from the rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal

from talentvisa.rules.evaluator import Check, CriterionResult
from talentvisa.rules.logic import Unknown

if TYPE_CHECKING:
    from talentvisa.rules.model import Text

Lang = Literal["en", "zh"]

_ENTRY: Final[dict[str, tuple[str, str]]] = {
    "education": ("qualification", "学历"),
    "work": ("job", "工作经历"),
    "languages": ("language result", "语言成绩"),
    "family": ("family member", "家庭成员"),
    "stays": ("stay", "居留"),
    "visas": ("visa", "签证"),
}

FIELD_LABELS: Final[dict[str, tuple[str, str]]] = {
    "age": ("age", "年龄"),
    "as_of": ("the assessment date", "评估日期"),
    "birth_date": ("date of birth", "出生日期"),
    "citizenships": ("citizenship", "国籍"),
    "residence": ("country of residence", "居住国"),
    "location": ("where you are when applying", "申请时所在国家"),
    "education": ("education", "教育经历"),
    "work": ("work history", "工作经历"),
    "job_offer": ("job offer", "工作邀约"),
    "has_job_offer": ("whether you have a job offer", "是否有工作邀约"),
    "languages": ("language results", "语言成绩"),
    "funds": ("funds", "资金"),
    "family": ("family", "家庭成员"),
    "stays": ("stays abroad", "境外居留"),
    "visas": ("visas held", "持有签证"),
    "registrations": ("occupational registrations", "职业注册"),
    "nzqf_level": ("NZQF level", "新西兰资格框架（NZQF）等级"),
    "skilled": ("skilled work (per that country's rules)", "技术工作（按该国规定）"),
    "training_years": ("years of training the registration requires", "注册所需培训年限"),
    "status": ("registration status", "注册状态"),
    "body": ("registration body", "注册机构"),
    "level": ("level", "层次"),
    "field": ("field", "专业领域"),
    "institution": ("institution", "院校"),
    "employer": ("employer", "雇主"),
    "world_rank": ("world rank", "世界排名"),
    "ranked": ("listed in a world ranking", "列入世界排名"),
    "research_institution": ("research institution", "科研机构"),
    "completed": ("completion date", "毕业日期"),
    "kind": ("kind of work", "工作类型"),
    "start": ("start date", "开始日期"),
    "end": ("end date", "结束日期"),
    "ongoing": ("still ongoing", "目前仍在进行"),
    "occupation": ("occupation (ISCO-08)", "职业（ISCO-08）"),
    "salary": ("salary", "薪酬"),
    "amount": ("amount", "金额"),
    "currency": ("currency", "币种"),
    "country": ("country", "国家"),
    "cefr": ("CEFR level", "欧框等级"),
    "language": ("language", "语言"),
    "score": ("score", "分数"),
    "test": ("test", "考试"),
    "recognition": ("recognition", "学历认可"),
    "hours_per_week": ("hours per week", "每周工时"),
    "accompanying": ("coming with you", "是否随行"),
    "accredited": ("accredited employer (NZ)", "认证雇主（新西兰）"),
    "applying_jointly": (
        "applying jointly and meeting the same conditions",
        "共同申请并满足相同条件",
    ),
    "cap_exempt": ("H-1B cap-exempt employer kind", "H-1B配额豁免雇主类型"),
    "category": ("visa category", "签证类别"),
    "cefr_basis": ("basis of the CEFR level", "欧框等级依据"),
    "duration_months": ("contract length in months", "合同期限（月）"),
    "duration_years": ("length of the programme in years", "学制（年）"),
    "h1b_l_share_over_half": (
        "over half of US staff on H-1B or L",
        "美国员工中H-1B或L签证持有人超过一半",
    ),
    "headcount": ("full-time staff", "全职员工人数"),
    "industry": ("industry", "行业"),
    "lawful": ("lawful stay", "合法居留"),
    "name": ("name", "名称"),
    "named_list": ("on the named list of equivalents", "是否列入指定名单"),
    "jp_jfind_list": ("on Japan's J-Find university list", "是否列入日本J-Find大学名单"),
    "jp_hsp_list": (
        "a university specified for Japan's HSP bonus",
        "是否为日本高度人才加分指定大学",
    ),
    "native": ("native speaker", "母语"),
    "nonprofit": ("non-profit", "非营利"),
    "period": ("per (year, month, week or hour)", "计算周期（年、月、周或小时）"),
    "purpose": ("purpose", "目的"),
    "ranking": ("ranking", "排名榜单"),
    "ranking_year": ("ranking year", "排名年份"),
    "relation": ("relation", "关系"),
    "shortage_occupation": ("shortage occupation", "紧缺职业"),
    "skill_level": ("ANZSCO skill level (1-5)", "ANZSCO技能等级（1-5）"),
    "state_recognised": ("recognised by the state where obtained", "获颁发国官方认可"),
    "taken": ("test date", "考试日期"),
    "us_soc": ("US SOC occupation code", "美国SOC职业代码"),
    "us_wage_level": ("US wage level (OEWS I-IV)", "美国工资等级（OEWS I-IV）"),
    "us_petition": ("what the H-1B petition asks USCIS for", "H-1B申请向移民局请求的事项"),
    "us_status": ("current US immigration status", "当前美国移民身份"),
    "uk_licensed_sponsor": ("UK licensed sponsor", "英国持牌担保方"),
    "uk_small_or_charitable": (
        "small or charitable sponsor (UK Immigration Skills Charge)",
        "小型或慈善担保方（英国移民技能费）",
    ),
    "uk_rqf_level": ("RQF skill level of the job (UK)", "职位的RQF技能等级（英国）"),
    "uk_going_rate": ("going rate for the occupation (UK)", "职业的行业标准薪资（英国）"),
    "uk_temporary_shortage_list": ("on the UK Temporary Shortage List", "列入英国临时紧缺清单"),
    "uk_isc_exempt": ("exempt from the UK Immigration Skills Charge", "免缴英国移民技能费"),
    "us_degree_equivalence": ("evaluated US degree equivalence", "经评估的美国学位同等学历"),
    "basis": ("who made the evaluation", "评估方"),
    "valid_from": ("valid from", "有效期自"),
    "valid_until": ("valid until", "有效期至"),
    "occupation_title": ("occupation", "职业"),
    "per_year": ("per year", "年薪"),
    "per_hour": ("per hour", "时薪"),
    "count": ("number", "数量"),
    "sum": ("total", "合计"),
    "points": ("points", "积分"),
    "period_unit": ("period", "计算周期"),
    # United Kingdom (uk-hpi, uk-global-talent)
    "uk_hpi_list": (
        "on the UK HPI Global Universities List for the award year",
        "是否列入英国HPI授予年份的全球大学名单",
    ),
    "uk_prior_graduate_des_hpi": (
        "whether you have held UK Graduate, Doctorate Extension or HPI permission",
        "是否曾持有英国毕业生签证、博士延期计划或HPI许可",
    ),
    "uk_talent_field": ("Global Talent field", "全球人才签证领域"),
    "uk_endorsement": ("Global Talent endorsement held", "已获得的全球人才签证背书"),
    "uk_talent_prize": (
        "whether you have won a prize on the Global Talent list",
        "是否获得全球人才签证名单上的奖项",
    ),
    # Canada (Express Entry)
    "listening": ("listening score", "听力成绩"),
    "reading": ("reading score", "阅读成绩"),
    "writing": ("writing score", "写作成绩"),
    "speaking": ("speaking score", "口语成绩"),
    "clb_listening": ("CLB/NCLC in listening", "听力CLB/NCLC等级"),
    "clb_reading": ("CLB/NCLC in reading", "阅读CLB/NCLC等级"),
    "clb_writing": ("CLB/NCLC in writing", "写作CLB/NCLC等级"),
    "clb_speaking": ("CLB/NCLC in speaking", "口语CLB/NCLC等级"),
    "ca_teer": ("Canadian TEER category", "加拿大TEER类别"),
    "ca_skilled_trade": ("skilled trade (Canada FSTP)", "技术工种（加拿大联邦技工项目）"),
    "canadian_or_pr": ("Canadian citizen or permanent resident", "加拿大公民或永久居民"),
    "education_level": ("highest education", "最高学历"),
    "ca_work_years": ("years of skilled work in Canada", "在加拿大的技术工作年数"),
}

# Chinese words for the codes of the profile's and the rules' own vocabularies, by enum and
# value (the same value means different things in two enums: "full" recognition, "full"
# registration). English keeps the code as the rule page writes it.
VALUE_ZH: Final[dict[str, dict[str, str]]] = {
    "EducationLevel": {
        "secondary": "高中",
        "vocational": "职业教育",
        "short_cycle": "专科",
        "bachelor": "学士",
        "master": "硕士",
        "doctorate": "博士",
    },
    "WorkKind": {
        "employment": "受雇工作",
        "teaching": "教学",
        "research": "科研",
        "postdoc": "博士后研究",
        "self_employment": "自雇",
    },
    "Recognition": {
        "full": "完全认可",
        "partial": "部分认可",
        "none": "未认可",
        "pending": "评估中",
    },
    "RegistrationStatus": {"full": "正式注册", "provisional": "临时注册", "pending": "申请中"},
    "Period": {"year": "每年", "month": "每月", "week": "每周", "hour": "每小时"},
    "Ranking": {"qs": "QS", "the": "THE", "arwu": "ARWU", "other": "其他排名"},
    "ListMembership": {"listed": "在名单上", "not_listed": "不在名单上", "not_said": "未说明"},
    "CapExempt": {
        "higher_education": "高等院校",
        "affiliated_nonprofit": "高校附属非营利机构",
        "nonprofit_research": "非营利科研机构",
        "government_research": "政府科研机构",
        "no": "不豁免",
    },
    "UsPetitionRequest": {
        "change_of_status": "身份变更",
        "extension": "延期",
        "amendment": "修改",
        "consular_notification": "通知领事馆",
        "port_of_entry_notification": "通知入境口岸",
        "pre_flight_inspection": "预检通知",
    },
    "LanguageTest": {
        "ielts": "IELTS（雅思）",
        "toefl_ibt": "托福网考",
        "pte_academic": "PTE学术英语",
        "ielts_general": "雅思培训类",
        "celpip_general": "CELPIP通用类",
        "tcf_canada": "加拿大法语水平测试（TCF Canada）",
        "goethe": "歌德学院证书",
        "telc": "TELC证书",
        "testdaf": "TestDaF德福",
        "hsk": "HSK汉语水平考试",
        "topik": "TOPIK韩国语能力考试",
        "jlpt_n1": "日语能力考试N1",
        "jlpt_n2": "日语能力考试N2",
        "jlpt_n3": "日语能力考试N3",
        "jlpt_n4": "日语能力考试N4",
        "jlpt_n5": "日语能力考试N5",
        "bjt": "BJT商务日语能力考试",
        "other": "其他考试",
    },
    "Relation": {
        "spouse": "配偶",
        "partner": "伴侣",
        "child": "子女",
        "parent": "父母",
        "sibling": "兄弟姐妹",
    },
    "StayPurpose": {
        "study": "学习",
        "work": "工作",
        "job_search": "求职",
        "family": "家庭团聚",
        "tourism": "旅游",
        "other": "其他",
    },
    "UsStatus": {
        "h1b": "H-1B",
        "f1": "F-1学生",
        "other_nonimmigrant": "其他非移民身份",
        "out_of_status": "未保持合法身份",
    },
    "EquivalenceBasis": {
        "college_official": "大学学分认定官员",
        "equivalency_exam": "同等学力考试",
        "credential_evaluation": "学历评估机构",
        "professional_body": "专业协会认证",
        "uscis": "美国移民局",
    },
    "Confidence": {
        "unconfirmed": "未经证实",
        "disagree": "来源有分歧",
        "interpretation": "本工具的理解",
    },
    "Reliability": {"official": "官方", "secondary": "二手来源", "unconfirmed": "未经证实"},
    "TermKind": {
        "sponsor": "担保",
        "activities": "允许的活动",
        "work_rights": "工作权利",
        "family": "家属",
        "validity": "有效期",
        "stay": "停留期限",
        "fees": "费用",
        "processing": "审理",
        "residence_path": "永久居留途径",
        "citizenship": "入籍",
        "language": "语言",
        "where_to_apply": "申请地点",
        "cap": "名额上限",
    },
    "Payer": {"applicant": "申请人", "employer": "雇主"},
    "WorkRights": {
        "any": "可自由工作",
        "restricted": "工作受限",
        "sponsor_only": "仅可为担保雇主工作",
        "unclear": "不明确",
    },
    "Recurrence": {"once": "一次性", "yearly": "每年", "per_renewal": "每次续签"},
    # United Kingdom (uk-global-talent)
    "UkTalentField": {
        "academia_research": "学术或研究",
        "arts_culture": "艺术与文化",
        "digital_technology": "数字技术",
    },
    "UkEndorsement": {
        "exceptional_talent": "卓越人才（领军人物）",
        "exceptional_promise": "卓越潜力（潜在领军人物）",
        "none": "未获背书",
    },
}

# Which of our vocabularies a field's codes come from, to say them in words.
FIELD_VOCAB: Final[dict[str, str]] = {
    "level": "EducationLevel",
    "kind": "WorkKind",
    "recognition": "Recognition",
    "status": "RegistrationStatus",
    "period": "Period",
    "ranking": "Ranking",
    "named_list": "ListMembership",
    "cap_exempt": "CapExempt",
    "us_petition": "UsPetitionRequest",
    "test": "LanguageTest",
    "relation": "Relation",
    "education_level": "EducationLevel",
    "purpose": "StayPurpose",
    "us_status": "UsStatus",
    "basis": "EquivalenceBasis",
    "uk_talent_field": "UkTalentField",
    "uk_endorsement": "UkEndorsement",
}
# Languages the profiles and rules name by ISO 639-1 code, in Chinese.
LANGUAGE_ZH: Final[dict[str, str]] = {
    "en": "英语",
    "de": "德语",
    "zh": "中文",
    "ko": "韩语",
    "ja": "日语",
    "fr": "法语",
    "es": "西班牙语",
    "hi": "印地语",
    "ru": "俄语",
    "ar": "阿拉伯语",
    "pt": "葡萄牙语",
    "it": "意大利语",
    "mi": "毛利语",
}


_UNIT_ZH: Final[dict[str, str]] = {
    "year": "年",
    "years": "年",
    "month": "个月",
    "months": "个月",
    "week": "周",
    "hour": "小时",
    "hours": "小时",
    "percent": "%",
    "points": "分",
    "CRS points": "CRS分",
    "yes/no": "是/否",
    "beneficiaries": "名受益人",
    "registrations": "项注册",
}


def unit_label(unit: str, lang: Lang = "en") -> str:
    """A parameter's unit (``KRW/year``, ``hours/week``) in the reader's words; currency
    codes stay codes."""
    if lang != "zh":
        return unit
    if unit in _UNIT_ZH:
        return _UNIT_ZH[unit]
    parts = unit.replace(" per ", "/").split("/")
    return "/".join(_UNIT_ZH.get(part, part) for part in parts)


def value_label(kind: str, value: str, lang: Lang = "en") -> str:
    """A code of one of our vocabularies (``kind`` is its enum's name) in the reader's words:
    ``value_label("EducationLevel", "master", "zh")`` is 硕士; English keeps the code."""
    if lang != "zh":
        return value
    return VALUE_ZH.get(kind, {}).get(value, value)


_LAST_YEARS = re.compile(r"^months_in_last_(\d+)_years$")
_IN_CURRENCY = re.compile(r"^(per_year|per_hour)_in_([a-z]{3})$")

# How the rules' comparison operators are written for readers, in every language.
OP_SYMBOLS: Final[dict[str, str]] = {
    "==": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "in": "∈",
    "not in": "∉",
    "within": "∈",
}

_SEGMENT = re.compile(r"^(?P<name>[a-z_]+)(\[(?P<index>\d+)\])?$")


@functools.lru_cache(maxsize=8192)  # the labels are constants; documents ask thousands
def field_label(path: str, lang: Lang = "en") -> str:
    """``education[0].institution.world_rank`` -> ``qualification 1: institution world rank``."""
    i = 1 if lang == "zh" else 0
    parts: list[str] = []
    head = ""
    for segment in path.split("."):
        computed = _computed(segment, lang)
        if computed is not None:
            parts.append(computed)
            continue
        m = _SEGMENT.match(segment)
        if m is None:
            parts.append(segment)
            continue
        name, index = m["name"], m["index"]
        if index is not None and name in _ENTRY:
            noun = _ENTRY[name][i]
            head = f"{noun}{int(index) + 1}" if lang == "zh" else f"{noun} {int(index) + 1}"
            continue
        parts.append(FIELD_LABELS.get(name, (name.replace("_", " "), name))[i])
    body = ("" if lang == "zh" else " ").join(parts)
    if head:
        return f"{head}：{body}" if lang == "zh" else f"{head}: {body}"
    return body


def _computed(segment: str, lang: Lang) -> str | None:
    """Labels the evaluator makes up for what it computed: ``months_in_last_5_years``."""
    if m := _LAST_YEARS.match(segment):
        n = m[1]
        return f"近{n}年内的工作月数" if lang == "zh" else f"months in the last {n} years"
    if m := _IN_CURRENCY.match(segment):
        per = FIELD_LABELS[m[1]][1 if lang == "zh" else 0]
        cur = m[2].upper()
        return f"{per}（折合{cur}）" if lang == "zh" else f"{per} in {cur}"
    return None


def show(value: Any, lang: Lang = "en") -> str:
    """A value as a reader sees it; Chinese gives the words for our vocabularies' codes."""
    if isinstance(value, Enum):
        return value_label(type(value).__name__, str(value.value), lang)
    if isinstance(value, bool):
        if lang == "zh":
            return "是" if value else "否"
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return "[" + ("、" if lang == "zh" else ", ").join(show(v, lang) for v in value) + "]"
    if isinstance(value, Unknown):
        return "未知" if lang == "zh" else value.value
    return str(value)


_BOUND_WORDS: Final = {"at least": "至少", "at most": "至多"}


def _side(
    label: str | None,
    value: Any,
    lang: Lang,
    bound: str | None = None,
    names: Mapping[str, Text] | None = None,
) -> str:
    if bound is not None:
        value = f"{_BOUND_WORDS[bound] if lang == 'zh' else bound + ' '}{show(value, lang)}"
    if label is None:
        return str(value) if bound else show(value, lang)
    shown = value if bound else show(value, lang)
    if label in FIELD_LABELS or "." in label or "[" in label:
        return f"{field_label(label, lang)} ({shown})"
    if lang == "zh" and names and label in names:
        return f"{names[label].zh} ({shown})"  # a parameter, by the description it has
    return f"{label} ({shown})"  # a parameter: as the rule page names it


_NEGATED: Final[dict[str, str]] = {
    "==": "!=",
    "!=": "==",
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "in": "not in",
    "not in": "in",
    "within": "not in",
}


def _coded(value: Any, other: str | None, lang: Lang) -> Any:
    """A code compared with a field, in the words of that field's vocabulary (``"en"``
    compared with a language is 英语)."""
    if lang != "zh" or other is None or not isinstance(value, str | tuple | list):
        return value
    if isinstance(value, tuple | list):
        return type(value)(_coded(v, other, lang) for v in value)
    if isinstance(value, Enum):
        return value
    leaf = other.rsplit(".", 1)[-1]
    if leaf == "language" or leaf.endswith("].language"):
        return LANGUAGE_ZH.get(value, value)
    kind = FIELD_VOCAB.get(leaf)
    return value_label(kind, value, lang) if kind else value


def check_text(check: Check, lang: Lang = "en", names: Mapping[str, Text] | None = None) -> str:
    """A comparison as it came out: a failed ``age <= 45`` reads ``age (46) > max_age (45)``."""
    if check.op == "judgement":
        return "需签证官判断" if lang == "zh" else "an officer's judgement"
    if check.op == "is empty":
        return (
            f"{field_label(check.left or '', lang)}：无"
            if lang == "zh"
            else (f"no {field_label(check.left or '', lang)} given")
        )
    if check.op == "is":
        label = field_label(check.left or "", lang)
        if lang == "zh":
            return f"{label}：{'是' if check.result is True else '否'}"
        return f"{label}: {'yes' if check.result is True else 'no'}"
    if check.op == "converted":
        return conversion_text(check.right_value, check.left_value, lang)
    if check.op == "no rate":
        if lang == "zh":
            return (
                f"没有评估日期或之前公布的欧洲央行{check.left_value}兑{check.right_value}汇率，"
                "需签证官换算"
            )
        return (
            f"no ECB rate from {check.left_value} to {check.right_value} published by the "
            "assessment date: an officer must convert the pay"
        )
    op = (
        OP_SYMBOLS[_NEGATED[check.op]]
        if check.result is False
        else OP_SYMBOLS.get(check.op, check.op)
    )
    left_value = _coded(check.left_value, check.left or check.right, lang)
    right_value = _coded(check.right_value, check.right or check.left, lang)
    left = _side(check.left, left_value, lang, check.left_bound, names)
    right = _side(check.right, right_value, lang, check.right_bound, names)
    return f"{left} {op} {right}"


def conversion_text(rate: Any, amount: Any = None, lang: Lang = "en") -> str:
    """``USD 60000 = EUR 53542.74 at the ECB rate of 2026-10-09 (1 EUR = 1.1206 USD)``."""
    legs = ("，" if lang == "zh" else ", ").join(f"1 EUR = {show(v)} {c}" for c, v, _ in rate.legs)
    days = ", ".join(d.isoformat() for d in rate.dates)
    if amount is None:
        if lang == "zh":
            return f"{rate.from_}按欧洲央行{days}参考汇率（{legs}）换算为{rate.to}"
        return f"{rate.from_} converted to {rate.to} at the ECB reference rate of {days} ({legs})"
    converted = show((Decimal(amount) * rate.value).quantize(Decimal("0.01")))
    original = show(Decimal(amount).quantize(Decimal("0.01")))
    if lang == "zh":
        return f"{rate.from_} {original}按欧洲央行{days}参考汇率（{legs}）折合{rate.to} {converted}"
    return (
        f"{rate.from_} {original} = {rate.to} {converted} at the ECB reference rate of "
        f"{days} ({legs})"
    )


def reason(c: CriterionResult, lang: Lang = "en") -> str:
    """One sentence on why a criterion came out as it did."""
    zh = lang == "zh"
    if c.finding is not None:
        met = c.finding
        if zh:
            return f"签证官认定：{'符合' if met else '不符合'}（{c.judgement.zh if c.judgement else ''}）"
        return f"Officer's finding: {'met' if met else 'not met'} ({c.judgement.en if c.judgement else ''})"
    if c.kind in ("all", "any", "not") and c.result == "judgement":
        return "其中一项需签证官判断" if zh else "An officer must judge at least one of these."
    if c.result == "unknown":
        wanted = (
            "、".join(field_label(m, lang) for m in c.missing)
            if zh
            else ", ".join(field_label(m, lang) for m in c.missing)
        )
        return f"尚无法判断，需要：{wanted}" if zh else f"Not yet known: we need {wanted}."
    relevant = [k for k in c.checks if k.op != "judgement"]
    if c.result in ("fail", "judgement"):
        # A conversion, or the lack of a rate, says what the pay was compared as.
        relevant = [k for k in relevant if k.result is False or k.op in ("converted", "no rate")]
    detail = ("；" if zh else "; ").join(check_text(k, lang, c.names) for k in relevant)
    if c.result == "judgement":
        what = c.judgement.get(lang) if c.judgement else ""
        if not what:
            return f"需签证官判断：{detail}" if zh else f"Needs an officer's judgement: {detail}."
        if zh:
            return f"需签证官判断：{what}" + (f"（{detail}）" if detail else "")
        return f"Needs an officer's judgement: {what}" + (f" ({detail})." if detail else ".")
    if c.kind in ("all", "any", "not", "points") and not detail:
        return _group_reason(c, zh)
    if c.result == "pass":
        return f"符合：{detail}" if zh else f"Met: {detail}."
    return f"不符合：{detail}" if zh else f"Not met: {detail}."


def _group_reason(c: CriterionResult, zh: bool) -> str:
    met = c.result == "pass"
    if c.kind == "all":
        return (
            ("全部条件均符合" if met else "有条件不符合")
            if zh
            else ("All of these are met." if met else "At least one of these is not met.")
        )
    if c.kind == "any":
        return (
            ("至少一项符合" if met else "没有一项符合")
            if zh
            else ("At least one of these is met." if met else "None of these is met.")
        )
    return ("符合" if met else "不符合") if zh else ("Met." if met else "Not met.")
