"""A small programme whose rules quote their sources, for the provenance surfaces' tests.

It quotes in Chinese (with a translation), English (none needed) and German, carries
Markdown-like characters in a quote, a ``no_text`` parameter and criterion, and a fee.
"""

from __future__ import annotations

QUOTED = """\
id: quoted
country: CN
name: {en: Quoted test, zh: 引文测试}
summary: {en: A programme that quotes its sources, zh: 引用来源原文的测试项目}
verified: 2026-01-01
sources:
  decree:
    title: A decree
    href: "https://example.org/decree"
    retrieved: 2025-12-01
    verified: 2026-01-01
    reliability: official
  guide:
    title: A guide
    href: "https://example.org/guide"
    retrieved: 2025-06-01
    verified: 2025-06-01
    reliability: secondary
parameters:
  max_age:
    description: {en: Upper age limit, zh: 年龄上限}
    unit: years
    values: {2025-01-01: 45}
    sources: [guide]
    no_text: {en: No official text sets an upper age limit., zh: 没有官方文本规定年龄上限。}
versions:
  - from: 2025-01-01
    criteria:
      id: all
      all:
        - id: young
          title: {en: Young, zh: 年轻}
          when: age <= max_age
          sources:
            - source: decree
              at: "Art. 6(6)"
              quote:
                text: "外国青年科技人才 *可以* 申请K字签证。"
                lang: zh
                en: "Young foreign science and technology talent *may* apply for a K visa."
        - id: adult
          title: {en: Adult, zh: 成年}
          when: age >= 18
          sources:
            - source: guide
              at: "s. 2"
              quote: {text: "1. An applicant must be an adult.", lang: en}
        - id: foreign
          title: {en: Foreign national, zh: 外国国籍}
          when: '"CN" not in citizenships'
          sources: [decree]
          no_text: {en: The decree says foreign talent but defines no test., zh: 决定仅称外国人才，未规定判断标准。}
    fees:
      - id: visa
        title: {en: Visa fee, zh: 签证费}
        amount: 75
        currency: EUR
        payer: applicant
        sources:
          - source: guide
            at: "Gebühren"
            quote: {text: "Die Gebühr beträgt 75 Euro.", lang: de, en: "The fee is 75 euros."}
"""
