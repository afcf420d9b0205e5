"""Part titles for the split step: what looks like a title, where a part's title stands, and its copies.

A part's title is taken from the text where it stands (a marker line, a title line, a title glued to
the first sentence) or, failing that, from the page title. Copies of the title printed again straight
after it (``TT正文``, a title line then the same title glued to the body) are cut, so the title is kept
once. Everything here works on offsets into the page text, so that the split step can record exactly
which characters it took out.

>>> text = "安卓开发试题及答案安卓开发试题及答案一、单选题"
>>> title_at(text, 0, len(text), page_title=None)
Title(text='安卓开发试题及答案', span=(0, 9), copies=((9, 18),))
>>> title_at("春游日记\\n今天去春游。", 0, 11, page_title=None, first_line=True).text
'春游日记'
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .rules import Rule
from .strip import title_core

#: A title is at most this long; a longer line is body text.
MAX_TITLE_CHARS = 80
#: A title printed before a marker on the same line is at most this long.
MAX_LINE_TITLE_CHARS = 40
#: The title is looked for in this many first lines of a part.
OPENING_LINES = 5
#: A title is at least this long (a shorter run before a number is a word, not a title).
MIN_TITLE_CHARS = 2
#: A part whose text ends with none of these stops mid-sentence.
SENTENCE_ENDS = frozenset("。！？!?…”’」』）)】》.；;~～")

#: Characters a title does not hold: sentence ends and clause commas belong to body text, <> to markup.
_NOT_IN_TITLE = regex.compile(r"[。！？!?；;,，<>\n]|https?:|www\.|\.com|\.cn", regex.IGNORECASE)
#: A title has a letter or a digit; marks alone (``)）``) are not one.
_WORD = regex.compile(r"[\p{L}\p{N}]")
#: A count on an umbrella title, also glued mid-line (工资管理系统设计2篇工资管理系统设计): 2篇, (通用3篇), 【6篇】.
#: A space beside the number is allowed: the spacing step removes it (``3 篇`` → ``3篇``), and a title
#: must read the same before and after.
_COUNT = regex.compile(r"(?:[(（【\[][^()（）【】\[\]\n]{0,4}?)?(?<!第[ \t]?)(?:[0-9]{1,3}[ \t]?|[二两三四五六七八九十]{1,3})篇[)）】\]]?")


@dataclass(frozen=True)
class Title:
    """A part's title: its text, where it stands in the page text (``None``: taken from the page title),
    and the spans of its copies that are cut."""

    text: str
    span: tuple[int, int] | None
    copies: tuple[tuple[int, int], ...] = ()


def is_title(line: str, limit: int = MAX_TITLE_CHARS, shortest: int = MIN_TITLE_CHARS) -> bool:
    """Whether a line can be a title: short, with a word in it, no sentence or clause punctuation, no web address.

    >>> [is_title(s) for s in ("小学生日记", "今天,我们去了春游。", "100字日記 www.ecjtubbs.com", "", ")）")]
    [True, False, False, False, False]
    """
    line = line.strip()
    return (shortest <= len(line) <= limit and not _NOT_IN_TITLE.search(line) and _WORD.search(line) is not None
            and (len(set(line)) > 1 or len(line) == 1))


def core(title: str | None) -> str | None:
    """An umbrella title without its count, tag or extension (:func:`cleaner.strip.title_core`): what
    each of its parts may repeat as its own title.

    >>> [core(t) for t in ("乡愁读后感(优秀8篇)", "【必备】小学生日记三篇", "工资管理系统设计2篇", None)]
    ['乡愁读后感', '小学生日记', '工资管理系统设计', None]
    """
    return title_core(title) if title else None


def has_count(text: str) -> bool:
    """Whether an umbrella title (or a line holding one) carries a count of its parts.

    >>> has_count("工资管理系统设计2篇工资管理系统设计"), has_count("写一篇文章")
    (True, False)
    """
    return bool(_COUNT.search(text))


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def copies_after(text: str, pos: int, end: int, title: str) -> tuple[tuple[int, int], ...]:
    """Spans of the copies of ``title`` that follow ``pos`` straight away (blank space between is allowed).

    >>> copies_after("标题\\n\\n标题\\n\\n标题正文", 2, 14, "标题")
    ((4, 6), (8, 10))
    """
    spans = []
    while True:
        start = _skip_space(text, pos, end)
        if not title or not text.startswith(title, start) or start + len(title) > end:
            return tuple(spans)
        spans.append((start, start + len(title)))
        pos = start + len(title)


def doubled(text: str, start: int, end: int) -> int:
    """Length of a title printed twice straight away at ``start`` (``TT正文``), or 0.

    >>> doubled("浅谈培训浅谈培训摘要", 0, 10)
    4
    """
    limit = min(MAX_TITLE_CHARS, (end - start) // 2)
    if limit < 4:
        return 0
    # a copy starts where the first character comes again: only those lengths are tried, longest first
    again = text.rfind(text[start], start + 4, start + limit + 1)
    while again >= 0:
        length = again - start
        head = text[start : start + length]
        if head == text[start + length : start + 2 * length] and is_title(head) and head.strip() == head:
            return length
        again = text.rfind(text[start], start + 4, again)
    return 0


def with_copies(text: str, span: tuple[int, int], end: int) -> Title:
    """The title standing at ``span``, with the copies that follow it."""
    title = text[span[0] : span[1]]
    return Title(title, span, copies_after(text, span[1], end, title))


def heading_at(text: str, start: int, end: int, headings: tuple[Rule, ...]) -> Title | None:
    """The title a heading rule finds glued to the first sentence at ``start``."""
    head = text[start:end]  # a rule's ^ is the start of the part, also when its marker stood mid-line
    for rule in headings:
        match = rule.pattern.match(head)
        if match and match["title"] and match.end("title") < len(head):
            return with_copies(text, strip_span(text, start + match.start("title"), start + match.end("title")), end)
    return None


def _printed_title(text: str, start: int, end: int, page_title: str | None, headings: tuple[Rule, ...]) -> Title | None:
    """A title printed at ``start``: twice (``TT正文``), the page title glued to the text, a heading rule's."""
    length = doubled(text, start, end)
    if length:
        return with_copies(text, (start, start + length), end)
    for candidate in dict.fromkeys(t for t in (page_title, core(page_title)) if t):
        if text.startswith(candidate, start) and start + len(candidate) < end:
            return with_copies(text, (start, start + len(candidate)), end)
    return heading_at(text, start, end, headings)


def _opening(text: str, start: int, end: int) -> list[int]:
    """Starts of the region's first lines, up to the first line of body length (site chrome the strip
    step left may stand before the title)."""
    starts = []
    while start < end and len(starts) < OPENING_LINES:
        start = _skip_space(text, start, end)
        if start >= end:
            break
        starts.append(start)
        line_end = text.find("\n", start, end)
        if line_end < 0 or line_end - start > MAX_TITLE_CHARS:
            break
        start = line_end
    return starts


def title_at(
    text: str,
    start: int,
    end: int,
    page_title: str | None,
    headings: tuple[Rule, ...] = (),
    first_line: bool = False,
) -> Title | None:
    """The title printed at the start of ``text[start:end]``, or the page title when none is printed.

    Looked for at each of the first short lines: a title printed twice (``TT正文``), the page title
    glued to the first sentence, a heading rule's ``title`` group; then, with ``first_line``, a first
    line that is a title followed by more text. ``None`` when there is no title at all.

    >>> page = "合集下载\\n安卓开发试题及答案一、单选题"
    >>> title_at(page, 0, len(page), "安卓开发试题及答案")
    Title(text='安卓开发试题及答案', span=(5, 14), copies=())
    """
    opening = _opening(text, start, end)
    for line_start in opening:
        printed = _printed_title(text, line_start, end, page_title, headings)
        if printed:
            return printed
    if first_line and opening:
        line_end = text.find("\n", opening[0], end)
        if line_end > 0 and is_title(text[opening[0] : line_end]) and text[line_end:end].strip():
            return with_copies(text, strip_span(text, opening[0], line_end), end)
    page_core = core(page_title)
    return Title(page_core, None) if page_core else None


def title_in_line(text: str, start: int, end: int, page_title: str | None) -> Title | None:
    """The title printed in ``text[start:end]`` on a marker's line, cleaned of an umbrella copy glued
    before it (``工资管理系统设计2篇工资管理系统设计``: the umbrella ``…2篇`` is a copy, cut).

    >>> t = "工资管理系统设计2篇工资管理系统设计"
    >>> title_in_line(t, 0, len(t), None)
    Title(text='工资管理系统设计', span=(10, 18), copies=((0, 10),))
    """
    start, end = strip_span(text, start, end)
    raw = text[start:end]
    if not is_title(raw, MAX_LINE_TITLE_CHARS):
        return None
    for count in _COUNT.finditer(raw):
        umbrella, rest = raw[: count.start()], raw[count.end() :].strip()
        if rest and core(umbrella) == rest:
            rest_start = end - len(rest)
            return Title(rest, (rest_start, end), ((start, rest_start),))
    length = doubled(text, start, end)
    if length and 2 * length == end - start:
        return Title(raw[:length], (start, start + length), ((start + length, end),))
    return Title(raw, (start, end))
