"""What counts as English left in a Chinese screen: runs of Latin words that are not a code,
a name or a quoted source.

The definition, precisely:

- A *Latin word* is two or more ASCII letters (``[A-Za-z]{2,}``, with inner ``'`` or ``-``).
  Single letters (the K in K字签证) are not words.
- *Codes* are not words: a token with a digit or an underscore (``H-1B``, ``ISCO-08``, ``2512``,
  ``min_age``), an all-capitals abbreviation (``USD``, ``ISCED``, ``STEM``, ``CEFR``), a URL,
  an e-mail address, and the identifiers the rule files define (programme, source, criterion,
  fee and parameter ids, e.g. ``cn-k``, ``decree-814``).
- *Names* are not words: the proper names the rule files carry in their original language
  (source titles and publishers), the product name, and what the person typed themselves
  (an employer's or institution's name comes back as written).
- *Quoted sources* are not words: a citation's pinpoint (``Art. 6(6): ...``), a quoted passage
  and its English translation (the rule files give no Chinese one for non-Chinese originals),
  markdown block quotes (lines starting ``>``), and in HTML every element marked with a
  ``lang`` other than ``zh`` (the pages mark quotes so) and ``<blockquote>``.
- A *run* is a maximal sequence of Latin words separated only by spaces or ASCII punctuation;
  each run is one finding, however long.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser

_URL = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_CODE = re.compile(
    r"[A-Za-z0-9§.\-/:+'_]*[\d_][A-Za-z0-9§.\-/:+'_]*"
    r"|(?<![A-Za-z])[A-Z][A-Z&]+s?(?![A-Za-z])"
    r"|talentvisa [a-z]+"  # a command, as typed
    r"|“[^”]*”"  # a quotation in a Chinese sentence: what the person typed, or a source's words
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# Words with only spaces and ASCII punctuation between them form one run.
_RUN = re.compile(
    r"[A-Za-z][A-Za-z'’-]*[A-Za-z](?:[\s,;:.()/&'\"!?-]+[A-Za-z][A-Za-z'’-]*[A-Za-z])*"
)
NAMES = frozenset({"talentvisa"})
_SPACES = re.compile(r"[ \t\u00a0]+")
# A code span holding one identifier (a criterion id such as `young`) names it, as code.
_CODE_SPAN = re.compile(r"`[A-Za-z0-9_.\-\[\]]+`")
# Latin text inside a Chinese sentence, as written (digits and punctuation included).
_SPAN = re.compile(r"[A-Za-z][A-Za-z0-9\s,;:.()/&'’\"!?§-]*[A-Za-z0-9.)]|[A-Za-z]")


def latin_spans(text: str) -> list[str]:
    """The Latin stretches of a Chinese text as written: names it keeps in their own spelling."""
    return [m.group().strip() for m in _SPAN.finditer(text)]


@cache
def _phrases(candidates: frozenset[str]) -> re.Pattern[str]:
    """Whole phrases only, longest first, never the inside of a longer word; a name may be
    wrapped over two lines of a table cell."""
    phrases = sorted(candidates, key=len, reverse=True)
    alternatives = "|".join(r"[\s│┃]+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(r"(?<![A-Za-z])(?:" + alternatives + r")(?![A-Za-z])")


def latin_runs(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The runs of Latin words in ``text`` once codes, names and quotes are taken out."""
    lines = [
        _SPACES.sub(" ", line).strip()
        for line in text.splitlines()
        if not line.lstrip().startswith((">", "▌"))  # a block quote, as markdown or rich shows it
    ]
    rest = _CODE_SPAN.sub(" ", _URL.sub(" ", "\n".join(lines)))
    # Only the phrases whose first word occurs: one alternation of hundreds is slow.
    candidates = frozenset(a for a in allowed if _WORD.search(a) and a.split()[0] in rest)
    if candidates:
        rest = _phrases(candidates).sub(" ", rest)
    rest = _CODE.sub(" ", rest)
    out = []
    for m in _RUN.finditer(rest):
        if any(w.lower() not in NAMES for w in _WORD.findall(m.group())):
            out.append(m.group())
    return out


class _Visible(HTMLParser):
    """The text of a page a person sees or hears: text nodes and the attributes read aloud,
    minus scripts, styles and elements marked as being in another language."""

    SKIP = frozenset({"script", "style", "template", "blockquote"})
    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"})
    READ = ("title", "alt", "placeholder", "aria-label", "aria-description")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: hidden from the check
        self.chunks: list[str] = []

    def _hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "code":
            self.chunks.append("`")  # a code span stays one, as in markdown
        a = dict(attrs)
        lang = a.get("lang")
        hide = tag in self.SKIP or (lang is not None and not lang.startswith("zh"))
        if tag == "html":
            hide = False
        if not self._hidden() and not hide:
            self.chunks.extend(v for k in self.READ if (v := a.get(k)))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.chunks.append(a["value"] or "")
        if tag not in self.VOID:
            self.stack.append(hide)

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self.chunks.append("`")
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.chunks.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    text = "\n".join(c.strip() for c in parser.chunks if c.strip())
    return text.replace("`\n", "`").replace("\n`", "`")
