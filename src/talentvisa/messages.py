"""Validation messages in English and Chinese, from pydantic's error *type* and context.

pydantic words its messages in English only, and some show a regex. We never parse that
text: each error type (``missing``, ``greater_than_equal``, our own ``country_code``...) maps
to a template per language, filled from the error's ``ctx``. Our validators raise
``PydanticCustomError`` with a type listed here, so their messages exist in both languages.
A message is a ``Said``: a ``str`` (the English, as before) that also knows its Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic_core import ErrorDetails, PydanticCustomError

Lang = Literal["en", "zh"]


class Said(str):
    """A message in English that carries its Chinese, so it can travel where a str goes."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Said:
        said = super().__new__(cls, en)
        said.zh = zh
        return said

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


def in_lang(message: str, lang: str) -> str:
    """A message in the reader's language (a plain str is English only)."""
    return message.get(lang) if isinstance(message, Said) else str(message)


# Templates by error type: (English, Chinese), filled with the error's ctx.
TEMPLATES: Final[dict[str, tuple[str, str]]] = {
    "missing": ("this is required", "此项为必填"),
    "extra_forbidden": ("unknown field", "未知字段"),
    "int_parsing": ("enter a whole number, e.g. 29", "请输入整数，例如29"),
    "int_type": ("enter a whole number, e.g. 29", "请输入整数，例如29"),
    "int_from_float": ("enter a whole number, e.g. 29", "请输入整数，例如29"),
    "float_parsing": ("enter a number, e.g. 7.5", "请输入数字，例如7.5"),
    "float_type": ("enter a number, e.g. 7.5", "请输入数字，例如7.5"),
    "decimal_parsing": ("enter a number, e.g. 7.5", "请输入数字，例如7.5"),
    "decimal_type": ("enter a number, e.g. 7.5", "请输入数字，例如7.5"),
    "finite_number": ("enter a finite number", "请输入有限的数字"),
    "bool_parsing": ("answer yes or no", "请回答是或否"),
    "bool_type": ("answer yes or no", "请回答是或否"),
    "string_type": ("enter text", "请输入文字"),
    "list_type": ("give a list", "请填写列表"),
    "dict_type": ("give the parts of this entry", "请填写此项的各个部分"),
    "model_type": ("give the parts of this entry", "请填写此项的各个部分"),
    "model_attributes_type": ("give the parts of this entry", "请填写此项的各个部分"),
    "greater_than_equal": ("must be at least {ge}", "不能小于{ge}"),
    "greater_than": ("must be more than {gt}", "必须大于{gt}"),
    "less_than_equal": ("must be at most {le}", "不能大于{le}"),
    "less_than": ("must be less than {lt}", "必须小于{lt}"),
    "too_short": ("give at least {min_length}", "至少填写{min_length}项"),
    "too_long": ("give at most {max_length}", "最多填写{max_length}项"),
    "string_too_short": ("enter at least {min_length} characters", "至少输入{min_length}个字符"),
    "string_too_long": ("enter at most {max_length} characters", "最多输入{max_length}个字符"),
    "string_pattern_mismatch": ("is not written as expected", "格式不正确"),
    "enum": ("choose one of the listed answers", "请从所列选项中选择"),
    "literal_error": ("choose one of the listed answers", "请从所列选项中选择"),
    "date_parsing": (
        "a date is written YYYY-MM-DD, e.g. 1997-05-10",
        "日期格式为YYYY-MM-DD，例如1997-05-10",
    ),
    "date_from_datetime_parsing": (
        "a date is written YYYY-MM-DD, e.g. 1997-05-10",
        "日期格式为YYYY-MM-DD，例如1997-05-10",
    ),
    "date_from_datetime_inexact": ("give a date without a time", "请填写日期，不含时间"),
    "date_type": (
        "a date is written YYYY-MM-DD, e.g. 1997-05-10",
        "日期格式为YYYY-MM-DD，例如1997-05-10",
    ),
    "json_invalid": ("the request is not valid JSON", "请求不是有效的JSON"),
    # Our own validators (vocab.py, profile.py, inputs.py).
    "iso_date": (
        "a date is written YYYY-MM-DD, e.g. 1997-05-10",
        "日期格式为YYYY-MM-DD，例如1997-05-10",
    ),
    "country_code": (
        "'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. 'CN', 'IN')",
        "“{value}”不是国家代码（ISO 3166-1二位字母代码，例如CN、IN）；请从列表中选择国家",
    ),
    "currency_code": (
        "'{value}' is not an ISO 4217 currency code (e.g. 'EUR', 'USD')",
        "“{value}”不是币种代码（ISO 4217，例如EUR、USD）；请从列表中选择币种",
    ),
    "language_code": (
        "'{value}' is not an ISO 639-1 language code (e.g. 'en', 'de', 'zh')",
        "“{value}”不是语言代码（ISO 639-1，例如en、de、zh）；请从列表中选择语言",
    ),
    "isced_code": (
        "'{value}' is not an ISCED-F 2013 code (2, 3 or 4 digits, e.g. '0613')",
        "“{value}”不是ISCED-F 2013学科代码（2至4位数字，例如0613）；请从列表中选择学科",
    ),
    "isced_broad": (
        "'{value}': there is no ISCED-F broad field '{part}'",
        "“{value}”：ISCED-F中没有大类{part}",
    ),
    "isced_narrow": (
        "'{value}': there is no ISCED-F narrow field '{part}'",
        "“{value}”：ISCED-F中没有中类{part}",
    ),
    "isco_code": (
        "'{value}' is not an ISCO-08 code (not a group in the ILO's list){near}",
        "“{value}”不是ISCO-08职业代码（不在国际劳工组织的分类中）{near_zh}",
    ),
    "institution_id": (
        "'{value}' is not an institution of the register; pick the institution by its name, "
        "or leave the id out and give world_rank if it is not listed",
        "“{value}”不在院校名录中；请按名称选择院校，未列入名录的请不填代码并填写世界排名",
    ),
    "implied_flag": (
        "{given} is given but {flag} is false; drop one",
        "已填写{given_zh}，但{flag_zh}为否；请删去其一",
    ),
    "ongoing_with_end": (
        "an ongoing job has no end date; drop one of ongoing or end",
        "仍在进行的工作没有结束日期；请删去“目前仍在进行”或“结束日期”之一",
    ),
    "end_before_start": ("end is before start", "结束日期早于开始日期"),
    "ability_without_test": (
        "a listening, reading, writing or speaking score needs the test it comes from",
        "听力、阅读、写作或口语成绩须注明所参加的考试",
    ),
    "ability_off_scale": (
        "the {ability} score is not on the scale of {test}",
        "该{ability}成绩不在{test}的分数范围内",
    ),
    "no_nationality": (
        "list at least one nationality, e.g. [IN], or leave citizenships out if it is not "
        "known; the rules for stateless applicants are not encoded here",
        "请至少填写一个国籍（例如IN），不清楚则留空；本工具未编入无国籍申请人的规则",
    ),
    "birth_after_as_of": (
        "birth_date {born} is after the assessment date {as_of}",
        "出生日期{born}晚于评估日期{as_of}",
    ),
    "age_disagrees": (
        "age {age} disagrees with birth_date {born}: on {as_of}, the assessment date, that "
        "birth date gives age {years}; correct one of them, or give birth_date alone",
        "年龄{age}与出生日期{born}不符：按评估日期{as_of}计算应为{years}岁；请更正其一，或只填写出生日期",
    ),
}

# What a pattern-checked field looks like, said instead of the pattern.
PATTERN_HINTS: Final[dict[str, tuple[str, str]]] = {
    "us_soc": ("a US SOC code such as 15-1252", "美国SOC职业代码，例如15-1252"),
    "industry": (
        "a short lower-case name such as semiconductors",
        "简短的小写英文行业名，例如semiconductors",
    ),
}


def said_error(kind: str, **ctx: Any) -> PydanticCustomError:
    """An error of one of our types, for a validator to raise: pydantic words it with the
    English template; ``said`` gives the Chinese from the same type and ctx."""
    return PydanticCustomError(kind, TEMPLATES[kind][0], ctx)


def _fill(template: str, ctx: Mapping[str, Any]) -> str:
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].strip() or template


def said(err: ErrorDetails | Mapping[str, Any]) -> Said:
    """One pydantic error as a message in both languages; an unmapped type keeps pydantic's
    English and says in Chinese only that the value is not accepted."""
    kind = str(err["type"])
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    loc = tuple(err.get("loc") or ())
    leaf = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "string_pattern_mismatch":  # never the pattern itself
        if leaf in PATTERN_HINTS:
            en, zh = PATTERN_HINTS[leaf]
            return Said(f"write {en}", f"请填写{zh}")
        return Said(*TEMPLATES[kind])
    # English stays pydantic's wording (or our validator's own), which names no pattern.
    english = str(err.get("msg", "")).removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        return Said(english, _choices(leaf))
    if kind in TEMPLATES:
        return Said(english, _fill(TEMPLATES[kind][1], _zh_ctx(ctx)))
    return Said(english, "此项的值不被接受")


def _zh_ctx(ctx: Mapping[str, Any]) -> dict[str, Any]:
    from talentvisa.explain import field_label

    out = dict(ctx)
    for key in ("given", "flag"):
        if key in ctx:
            out[f"{key}_zh"] = field_label(str(ctx[key]), "zh")
    return out


def _choices(leaf: str) -> str:
    """The answers a coded field takes, in Chinese words with their codes."""
    from talentvisa.explain import FIELD_VOCAB, VALUE_ZH

    kind = FIELD_VOCAB.get(leaf)
    if kind is None or kind not in VALUE_ZH:
        return TEMPLATES["enum"][1]
    return "请选择：" + "、".join(VALUE_ZH[kind].values())


def N_(message: str) -> str:
    """Mark a message as a catalogue entry where it is defined, to be translated where it is
    shown (gettext's no-op marker, which the catalogue's extraction looks for)."""
    return message
