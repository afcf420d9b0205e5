"""Step ``split``: cut a page that glues several documents together into its parts.

A candidate marker (``篇二:``, ``【篇2】`` ...) counts only when the numbers of all candidates form a
sequence (1, 2, 3 ... or 2, 3 ... when part 1 has no marker), so prose such as 诗篇 or 这篇一开始 does not
split. Each part gets a title: the one after its marker (given once even when the page repeats it), a
heading rule's match at its start, or the page title. A part whose text stops mid-sentence is flagged.

>>> parts = split_text("第一部分的正文,是篇二:第二篇标题第二篇标题第二部分正文。", page_title="总标题")
>>> [(p.title, p.text, p.marker, p.truncated) for p in parts]
[('总标题', '总标题\\n\\n第一部分的正文,是', None, True), ('第二篇标题', '第二篇标题\\n\\n第二部分正文。', '篇二:', False)]
>>> len(split_text("这篇一开始就写得很好。诗篇二:三节。"))
1
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from .records import Page, Part
from .rules import Rule, load_rules

CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

#: 篇 preceded by one of these is a word (诗篇, 这篇, 上一篇), not a marker.
_MARKER = regex.compile(
    r"""(?<![诗詩长長开開本一这這通短全每此上下那其某单單名])
        (?:【篇(?P<num>[一二三四五六七八九十]{1,3}|[0-9]{1,2})】
          |篇(?P<num>[一二三四五六七八九十]{1,3}|[0-9]{1,2})[:：])""",
    regex.VERBOSE | regex.VERSION1,
)

#: A title is at most this long; anything longer is body text.
MAX_TITLE_CHARS = 80
#: A part that ends with none of these stops mid-sentence.
SENTENCE_ENDS = set("。！？!?…”’」』）)】》.；;~～")


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    number: int
    text: str


def parse_number(numeral: str) -> int:
    """Value of a marker number, Arabic or Chinese (up to 99).

    >>> [parse_number(n) for n in ("2", "十一", "二十", "三十五")]
    [2, 11, 20, 35]
    """
    if numeral.isdigit():
        return int(numeral)
    tens, _, units = numeral.rpartition("十")
    if "十" not in numeral:
        return CHINESE_NUMERALS[numeral]
    return (CHINESE_NUMERALS.get(tens, 1) if tens else 1) * 10 + (CHINESE_NUMERALS[units] if units else 0)


def find_markers(text: str) -> list[Marker]:
    """Markers whose numbers run in sequence; an empty list when they do not."""
    found = [Marker(m.start(), m.end(), parse_number(m["num"]), m[0]) for m in _MARKER.finditer(text)]
    if not found:
        return []
    first = found[0].number
    implicit_first = text[: found[0].start].strip() != ""
    if first != 1 and not (first == 2 and implicit_first) and first <= 10:
        return []
    if any(b.number != a.number + 1 for a, b in zip(found, found[1:])):
        return []
    return found


def _doubled_title(text: str) -> str | None:
    """The longest prefix that the text repeats straight away (a title printed twice)."""
    for length in range(min(MAX_TITLE_CHARS, len(text) // 2), 3, -1):
        if text[:length] == text[length : 2 * length] and "\n" not in text[:length]:
            return text[:length]
    return None


def _heading(text: str, headings: tuple[Rule, ...]) -> str | None:
    for rule in headings:
        match = rule.pattern.match(text)
        if match and match["title"]:
            return match["title"]
    return None


def title_and_body(text: str, headings: tuple[Rule, ...], after_marker: bool) -> tuple[str | None, str]:
    """Split a part's title off the start of its text.

    >>> title_and_body("标题\\n\\n正文。", (), after_marker=True)
    ('标题', '正文。')
    """
    text = text.strip()
    doubled = _doubled_title(text)
    if doubled:
        return doubled.strip(), text[2 * len(doubled) :].strip()
    heading = _heading(text, headings)
    if heading:
        return heading.strip(), text[len(heading) :].strip()
    first_line, _, rest = text.partition("\n")
    if after_marker and rest and len(first_line) <= MAX_TITLE_CHARS and first_line[-1:] not in SENTENCE_ENDS:
        return first_line.strip(), rest.strip()
    return None, text


def _part(body: str, title: str | None, marker: str | None) -> Part | None:
    """The part, or ``None`` when it has no body (a title alone is not a document)."""
    body = body.strip()
    if not body:
        return None
    text = f"{title}\n\n{body}" if title else body
    return Part(text=text, title=title, marker=marker, truncated=body[-1] not in SENTENCE_ENDS)


def split_text(text: str, page_title: str | None = None, headings: tuple[Rule, ...] = ()) -> tuple[Part, ...]:
    markers = find_markers(text)
    bounds = [0, *(m.start for m in markers), len(text)]
    parts = []
    lead = text[: bounds[1]]
    if lead.strip() or not markers:
        title, body = title_and_body(lead, headings, after_marker=False)
        parts.append(_part(body, title or page_title, None))
    for marker, end in zip(markers, bounds[2:]):
        title, body = title_and_body(text[marker.end : end], headings, after_marker=True)
        parts.append(_part(body, title, marker.text))
    return tuple(p for p in parts if p)


def step(page: Page, config) -> Page:
    headings = tuple(r for r in load_rules(config.rule_files) if r.kind == "heading")
    return replace(page, parts=split_text(page.text, page.page_title, headings))
