"""Step ``split``: cut a page that glues several documents together into its parts.

Two small tables say where a part may start. :data:`MARKER_FORMS` are numbered markers (``篇二:``,
``【篇1】``, ``TITLE篇一``, ``第一篇:``, ``范文(一)``, ``TITLE【一】``, ``TITLE1``, ``2.TITLE`` ...); one
validator, :func:`choose_markers`, keeps them only when their numbers run in sequence (1, 2, 3 ...;
2, 3 ... after an unmarked part 1; 11, 12 ... on a later page of a list), one form throughout, each
where a part can start and each with a body after it, so prose such as 诗篇, 这篇一开始, a list item
``2、`` or a table of contents never splits. Bare numbers (``TITLE1``) also need their titles to agree. Pages with no numbered markers may
still be cut at :data:`BOUNDARY_FORMS`: a title printed twice on lines of its own and a third time
(or a variant of it) at the start of the body (360docs 合集), a
title line over a ``文/NAME`` byline, a pupil's byline or signature that ends an entry, a short
title line of a kind of writing (``…日记``) between two texts.

Each part gets its title once (from its marker line, its title line, a title glued to its first
sentence, or the page title) and loses its marker and the copies of its title printed straight after
it; nothing else is taken out (:func:`plan_split` lists exactly what is). A part whose text stops
mid-sentence is kept whole and flagged ``truncated``.

In the pipeline (:func:`step`) the split is decided on the text as the normalise step will leave it, and
each part it made is then cleaned as a document of its own (:func:`settle`), so that cleaning a
document again changes nothing.

Before → after (the seed's shape: part 1 cut mid-sentence, ``篇二:`` glued on, part 2's title printed twice):

>>> parts = split_text("第一部分的正文写到这里,被截断了是篇二:第二篇标题第二篇标题第二部分正文。", page_title="总标题")
>>> [(p.title, p.text, p.marker, p.truncated) for p in parts]
[('总标题', '总标题\\n\\n第一部分的正文写到这里,被截断了是', None, True), ('第二篇标题', '第二篇标题\\n\\n第二部分正文。', '篇二:', False)]

A title line with a number after the umbrella title; the intro before part 1 stays with part 1:

>>> page = "以下是小编整理的日记。\\n中秋节的日记篇一\\n今天赏月。\\n中秋节的日记篇二\\n今天吃月饼。"
>>> [p.text for p in split_text(page)]
['以下是小编整理的日记。\\n\\n中秋节的日记\\n\\n今天赏月。', '中秋节的日记\\n\\n今天吃月饼。']

Prose is not a marker:

>>> len(split_text("这篇一开始就写得很好。诗篇二:三节。"))
1
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

import regex

from .normalise import reader
from .normalise.view import View, view
from .prefilter import Probe, finditer, scanner
from .records import Page, Part
from .rules import Rule, load_rules
from .strip import strip_text
from .titles import (
    MAX_LINE_TITLE_CHARS,
    SENTENCE_ENDS,
    Title,
    copies_after,
    core,
    doubled,
    heading_at,
    has_count,
    is_title,
    strip_span,
    title_at,
    title_in_line,
)

ARABIC_DIGITS = frozenset("0123456789０１２３４５６７８９")
CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

_CN = "[一二三四五六七八九十]{1,3}"
#: A Chinese numeral up to 99 (the marker patterns take any three numeral characters; this says which are numbers).
_CHINESE_NUMBER = regex.compile("(?:([一二三四五六七八九])?十([一二三四五六七八九])?|([一二三四五六七八九]))")
_AR = "[0-9０-９]{1,2}"
_NUM = f"(?P<num>{_CN}|{_AR})"
#: 篇 after one of these is a word (诗篇, 长篇, 这篇, 上一篇, 千篇一律, 几篇), not a marker.
_WORD_BEFORE_PIAN = "诗詩长長开開本一这這通短全每此上下那其某单單名千翻几幾哪"
#: A title before a marker on its line (checked with :func:`cleaner.titles.is_title`).
_PRE = rf"(?P<pre>[^\n]{{2,{MAX_LINE_TITLE_CHARS}}}?)"
_PRE_OPTIONAL = rf"(?P<pre>[^\n]{{0,{MAX_LINE_TITLE_CHARS}}}?)"
#: Words that name a kind of writing: a title ending in one is a document's title.
DOC_WORDS = "日记|日記|周记|週記|作文|读后感|讀后感|讀後感|观后感|觀后感|觀後感|有感|心得|心得体会|心得體會|随笔|隨筆|演讲稿|演講稿|倡议书|倡議書|范文|範文|诗|詩"
_DOC_WORD_END = regex.compile(rf"(?:{DOC_WORDS})(?:[0-9]{{1,4}}字?)?$")


@dataclass(frozen=True)
class MarkerForm:
    """One way pages number their parts.

    ``pattern`` has a group ``num`` (the part number) and a group ``marker`` (what is cut) and may have
    ``pre`` (a title before the marker on its line) and ``post`` (a title inside the marker).
    ``anywhere``: the marker may stand mid-line, glued to the previous part's last sentence.
    ``title_after``: the rest of the marker's line, if it is a title, is the part's title.
    ``lone``: when one marker numbered 1, with no other, still counts: ``always``; ``line-start`` (it
    starts its line); ``title`` (its title is the page title or carries the umbrella count).
    ``bare``: a number with no word (``TITLE1``, ``TITLE(一)``), so it also needs its title confirmed.
    ``works``: a number before a title (``2.我認為``) looks like a list item, so every part must show it is
    a work: its title names a kind of writing (…的詩), or an author's byline follows the title.
    """

    name: str
    pattern: regex.Pattern | None
    example: str
    anywhere: bool = False
    title_after: bool = False
    lone: str = "title"
    bare: bool = False
    works: bool = False


def _form(name: str, pattern: str | None, example: str, **options) -> MarkerForm:
    compiled = regex.compile(pattern, regex.MULTILINE | regex.VERSION1) if pattern else None
    return MarkerForm(name, compiled, example, **options)


#: The numbered markers seen on doc-farm, 范文 and 作文 pages, strongest first.
MARKER_FORMS: tuple[MarkerForm, ...] = (
    _form("pian-colon", rf"(?P<marker>(?<![{_WORD_BEFORE_PIAN}【])篇{_NUM}[:：])", "…发展路径,是篇二:郭理桥:智慧城市推进方略",
          anywhere=True, title_after=True, lone="line-start"),
    _form("pian-bracket", rf"(?P<marker>【篇{_NUM}(?:[:：](?P<post>[^】\n]{{1,60}}))?】)", "图书读后感【篇1】 / 【篇二:中秋節晚飯!】",
          anywhere=True, title_after=True, lone="always"),
    _form("di-pian-bracket", rf"(?P<marker>【第{_NUM}篇】)", "【第2篇】100字日記",
          anywhere=True, title_after=True, lone="always"),
    _form("di-pian", rf"^{_PRE_OPTIONAL}[ \t]*(?P<marker>第{_NUM}篇(?:[:：]|(?=[ \t]*$)))", "第一篇:愛祖國愛家鄉愛學校演講稿 / 主题句子 第一篇",
          title_after=True, lone="always"),
    _form("title-pian", rf"^{_PRE}[ \t]*(?P<marker>(?<![{_WORD_BEFORE_PIAN}])篇{_NUM})(?![:：》」”』])", "乡愁读后感篇一 / 小学生日记 篇1 / 说明书篇1⑴熟识本组"),
    _form("kind-word", rf"^{_PRE_OPTIONAL}(?P<marker>(?:范文|范本|范例|例文|範文|範本)[(（]?{_NUM}[)）]?(?:[:：]|(?=[ \t]*$)))",
          "建军节演讲稿范文(一) / 有关福建的心得体会范本一 / 優秀的中秋節日記范文1", title_after=True),
    _form("content-label", rf"^(?P<marker>\p{{Han}}{{0,6}}(?:内容|內容){_NUM}[:：])", "手抄报内容一:元旦的由来与意义",
          title_after=True),
    _form("bare-bracket", rf"^{_PRE}[ \t]*(?P<marker>[【\[]{_NUM}[】\]])(?=[ \t]*$)", "春天一年级作文50字【一】", bare=True),
    _form("bare-paren", rf"^{_PRE}[ \t]*(?P<marker>[(（]{_NUM}[)）])", "工资管理系统设计(一)随着", bare=True),
    _form("bare-digit", None, "关于背书的作文1 / 春天的花园作文100字1春天", bare=True),
    _form("numbered-title", r"^[ \t]*(?P<marker>(?P<num>[0-9０-９]{1,2})[.．、][ \t]*)(?=[^\n。！？!?,，;；:：]{1,30}$)",
          "2.我認為 / 3.獻給六壹兒童節的詩", title_after=True, works=True),
)
_FORM_RANK = {form.name: rank for rank, form in enumerate(MARKER_FORMS)}

#: A title ending in one of these is another form's marker word (篇1, 第1, 范文1), not a title.
_NUMBER_WORD_END = regex.compile(r"(?:篇|第|范文|范本|范例|例文|範文|範本|内容|內容)$")
_DIGIT_RUN = regex.compile(r"(?<![0-9０-９])[0-9０-９]+(?![0-9０-９])")
_SENTENCE_END = regex.compile(r"[。！？!?…]")
#: Ten Chinese characters and a clause comma: prose, even when cut before its sentence ends.
_PROSE_CLAUSE = regex.compile(r"(?=(?:[^\n]*?\p{Han}){10})[^\n]*[,，]", regex.VERSION1)
#: What may follow a bare number that ends a title: the line end, the body's first character.
_AFTER_BARE_DIGIT = regex.compile(r"$|[ \t]|[\p{Han}A-Za-z“「《(（⑴]", regex.VERSION1)
#: An author's byline: the line after a work's title (作者高洪波, 作者:冰心, 文/張天池).
_BYLINE = regex.compile(r"[ \t]*(?:作者|文[/／])")
#: A title ending in one of these runs on into the number (2005-08-|26, 第3.|1): a code or date, not a title.
_NUMBER_JOINERS = set("-－_/／.．:：~～#")
#: A number followed by one of these is a date, an amount or a list item, not a part number.
_UNIT_AFTER = set("年月日号號个個岁歲次名位元角分秒点點时時章节節课課页頁条條项項届屆期班级級")
#: A bare number's title holds at least this many characters that are not digits (第100|1 is no title).
BARE_TITLE_CHARS = 4
#: A part is stripped and split again at most this many times (:func:`settle`); each time it changed.
SETTLE_ROUNDS = 16
_DIGITS_AND_SPACES = regex.compile(r"[0-9０-９\s]")
_CLAUSE_MARK = regex.compile(r"[。,，！？!?；;]")


@dataclass(frozen=True)
class BoundaryForm:
    """An unnumbered place where one document ends and the next starts.

    ``role``: ``starts`` (a part starts at the match; group ``title`` is its title, group ``copy`` a
    copy of it that is cut) or ``ends`` (the match is the last line of a part).
    ``prose_around``: the line before and the line after the match must be body text.
    ``confirm``: at least one match on the page must match this too.
    ``shortest_title``: the fewest characters its title may have.
    ``min_body``: the fewest characters (spaces aside) each part it starts must hold after its title
    (a blog roll repeats short names too).
    ``guard``: a quick test that every page the pattern matches in passes (for speed only).
    """

    name: str
    pattern: regex.Pattern
    role: str
    example: str
    prose_around: bool = False
    confirm: regex.Pattern | None = None
    shortest_title: int = 2
    min_body: int = 0
    guard: Callable[[str], bool] | None = None


def _boundary(name: str, pattern: str, role: str, example: str, confirm: str | None = None, **options) -> BoundaryForm:
    flags = regex.MULTILINE | regex.VERSION1
    return BoundaryForm(name, regex.compile(pattern, flags), role, example,
                        confirm=regex.compile(confirm, flags) if confirm else None, **options)


def _repeats_a_line(text: str) -> bool:
    """Whether two lines are the same but for spaces and tabs at their ends (a title printed twice)."""
    lines = [line for line in (line.strip(" \t") for line in text.split("\n")) if line]
    return len(set(lines)) < len(lines)


_DATE_LINE = r"(?:[0-9]{4}年)?[0-9]{1,2}月[0-9]{1,2}日"
#: Unnumbered boundaries, used only on pages where no numbered markers were found.
BOUNDARY_FORMS: tuple[BoundaryForm, ...] = (
    _boundary("repeated-title-lines", r"^[ \t]*(?P<title>(?=[^\n]*\p{Han}[^\n]*\p{Han})(?P<head>\S{3})[^\n]{0,77}?)[ \t]*\n(?:[ \t]*\n)*"
              r"[ \t]*(?P<copy>(?P=title))[ \t]*\n(?:[ \t]*\n)*[ \t]*(?=(?P=head))",
              "starts", "安卓开发试题及答案\\n\\n安卓开发试题及答案\\n\\n安卓开发试题及答案一、单选题", min_body=100,
              guard=_repeats_a_line),
    _boundary("title-over-byline", r"^[ \t]*(?P<title>[^\n:：]{1,40}?)[ \t]*\n(?:[ \t]*\n)*[ \t]*(?=(?:文|作者)[/／:：]|[一二三四五六七八九][年][级級][/／])",
              "starts", "快樂的小雨點\\n文/張天池(上海市適存小學二二班)", shortest_title=1),
    _boundary("grade-byline", r"^[ \t]*[一二三四五六七八九]年[级級][:：][ \t]*\p{Han}{2,4}[ \t]*$", "ends", "三年级:丁一非"),
    _boundary("signature-before-date", rf"^[ \t]*(?:——)?[ \t]*\p{{Han}}{{2,4}}[ \t]*$(?=(?:\n[ \t]*)+{_DATE_LINE})",
              "ends", "——刘博文\\n\\n9月24日星期日雨", confirm=r"^[ \t]*——"),
    _boundary("title-line", rf"^[ \t]*(?P<title>[^\n]{{2,38}}?(?:{DOC_WORDS})。?)[ \t]*$", "starts", "小学一年级春游日记。",
              prose_around=True),
)


@dataclass(frozen=True)
class Marker:
    """A numbered marker found in the text (a candidate until :func:`choose_markers` keeps it)."""

    form: str
    start: int  # where its part starts: the line start when a title stands before the marker
    cut: tuple[int, int]  # the marker itself, taken out of the text
    number: int
    title: Title | None
    line: int
    glued: bool  # the body follows on the marker's line
    confirmed: bool  # its title is the page title, or carries the umbrella count


@dataclass(frozen=True)
class Cut:
    """Characters the split step takes out: a marker, or a copy of a part's title."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Piece:
    """One part as a region of the page text: its title (``span`` ``None`` when it comes from the page
    title), what is cut from the region, and the marker or boundary that started it."""

    start: int
    end: int
    title: Title | None
    cuts: tuple[Cut, ...]
    marker: str | None


def parse_number(numeral: str) -> int:
    """Value of a marker number, Arabic (also full-width) or Chinese (up to 99).

    0 for what is not a number (一二, 十十): no marker has it.

    >>> [parse_number(n) for n in ("2", "１２", "十一", "二十", "三十五", "二一", "十十")]
    [2, 12, 11, 20, 35, 0, 0]
    """
    if numeral[0] in ARABIC_DIGITS:
        return _arabic(numeral)
    match = _CHINESE_NUMBER.fullmatch(numeral)
    if match is None:
        return 0
    tens, units, digit = match.groups()
    if digit:
        return CHINESE_NUMERALS[digit]
    return (CHINESE_NUMERALS[tens] if tens else 1) * 10 + (CHINESE_NUMERALS[units] if units else 0)


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _confirmed(title: Title | None, raw_pre: str, page_title: str | None) -> bool:
    page_core = core(page_title)
    return bool(title and (has_count(raw_pre) or (page_core and title.text in (page_title, page_core))))


def _arabic(numeral: str) -> int:
    return int(numeral)  # int reads full-width digits too


def _number_ends(text: str, start: int, end: int) -> list[int]:
    """Where a marker's number may end. An Arabic number glued to more digits is read both ways
    (``篇12014年`` is 篇1 + 2014年 or 篇12 + 014年); the sequence decides."""
    if text[start] not in ARABIC_DIGITS:
        return [end]
    run_end = start
    while run_end < len(text) and text[run_end] in ARABIC_DIGITS:
        run_end += 1
    return [start + length for length in (1, 2) if start + length <= run_end and (length == 1 or text[start] not in "0０")]


def _markers(text: str, form: MarkerForm, match, page_title: str | None, headings: tuple[Rule, ...]) -> list[Marker]:
    """The candidate markers one match of a form stands for (one per reading of its number)."""
    cut_start, cut_end = match.span("marker")
    num_start, num_end = match.span("num")
    ends = _number_ends(text, num_start, num_end) if num_end == cut_end else [num_end]
    readings = (((cut_start, end if num_end == cut_end else cut_end), text[num_start:end]) for end in ends)
    return [marker for cut, numeral in readings if (marker := _marker(text, form, match, cut, numeral, page_title, headings))]


def _marker(text: str, form: MarkerForm, match, cut: tuple[int, int], numeral: str, page_title, headings) -> Marker | None:
    cut_start, cut_end = cut
    line_start, line_end = _line_bounds(text, cut_start)
    number = parse_number(numeral)
    if number == 0:
        return None
    pre_start, pre_end = match.span("pre") if match.groupdict().get("pre") is not None else (line_start, cut_start)
    raw_pre = text[pre_start:pre_end]
    title = None
    if match.groupdict().get("post"):
        title = Title(match["post"].strip(), strip_span(text, *match.span("post")))
    elif form.title_after:
        after = text[cut_end:line_end]
        twice = doubled(text, cut_end, line_end)
        if is_title(after) and text[line_end:].strip():
            title = Title(after.strip(), strip_span(text, cut_end, line_end))
        elif twice:
            title = Title(text[cut_end : cut_end + twice], (cut_end, cut_end + twice))
        else:
            title = heading_at(text, cut_end, line_end, headings)
    start = cut_start
    if raw_pre.strip():
        pre_title = title_in_line(text, pre_start, pre_end, page_title)
        if pre_title is None and not form.anywhere:
            return None
        if title is None and pre_title is not None:
            start, title = line_start, pre_title
        elif not form.anywhere:
            start = line_start
    body_from = title.span[1] if title and title.span and title.span[0] >= cut_end else cut_end
    if title is not None:
        title = replace(title, copies=title.copies + copies_after(text, body_from, len(text), title.text))
    line = bisect_right(_probe(text).line_starts, cut_start) - 1  # (a count from 0 per marker is quadratic)
    return Marker(form.name, start, (cut_start, cut_end), number, title, line,
                  glued=bool(text[body_from:line_end].strip()), confirmed=_confirmed(title, raw_pre, page_title))


def _bare_digit_markers(text: str, page_title: str | None) -> list[Marker]:
    """``TITLE1`` / ``TITLE 1`` markers: the last one or two digits of a run at a title's end, each
    reading (a title of a kind of writing may itself end in digits: 作文300|1); the sequence decides."""
    found, offset = [], 0
    for number_of_line, line in enumerate(text.split("\n")):
        for run in _DIGIT_RUN.finditer(line, 0, MAX_LINE_TITLE_CHARS + 4):
            if line[run.end() : run.end() + 1] in _UNIT_AFTER or not _AFTER_BARE_DIGIT.match(line, run.end()):
                continue
            for first in range(max(0, len(run[0]) - 2), len(run[0])):
                marker = _bare_digit(text, offset, line, run, first, number_of_line, page_title)
                if marker:
                    found.append(marker)
        offset += len(line) + 1
    return found


def _bare_digit(text, offset, line, run, first, number_of_line, page_title) -> Marker | None:
    """The marker when the number is the digit run from ``first`` on, or ``None``."""
    numeral = run[0][first:]
    cut = (offset + run.start() + first, offset + run.end())
    title = title_in_line(text, offset, cut[0], page_title)
    if (numeral[0] in "0０" or title is None or _NUMBER_WORD_END.search(title.text) or title.text[-1] in _NUMBER_JOINERS
            or len(_DIGITS_AND_SPACES.sub("", title.text)) < BARE_TITLE_CHARS
            or (title.text[-1] in ARABIC_DIGITS and not _DOC_WORD_END.search(title.text))):
        return None
    copies = copies_after(text, cut[1], len(text), title.text)
    return Marker("bare-digit", offset, cut, _arabic(numeral), replace(title, copies=title.copies + copies),
                  number_of_line, glued=bool(line[cut[1] - offset :].strip()),
                  confirmed=_confirmed(title, text[offset : cut[0]], page_title))


@lru_cache(maxsize=1)
def _probe(text: str) -> Probe:
    """The page's literals, found once for the marker and the boundary forms (:mod:`cleaner.prefilter`)."""
    return Probe(text, scanner=scanner(tuple(form.pattern for form in (*MARKER_FORMS, *BOUNDARY_FORMS) if form.pattern)))


def find_markers(text: str, page_title: str | None = None, headings: tuple[Rule, ...] = ()) -> list[Marker]:
    """Every candidate marker of every form, in text order (not yet checked for sequence).

    >>> [(m.form, m.number, m.title and m.title.text) for m in find_markers("小学生日记 篇1\\n正文。")]
    [('title-pian', 1, '小学生日记')]
    """
    found, probe = [], _probe(text)
    for form in MARKER_FORMS:
        if form.pattern is None:
            continue
        for match in finditer(form.pattern, probe):
            found.extend(_markers(text, form, match, page_title, headings))
    found.extend(_bare_digit_markers(text, page_title))
    return sorted(found, key=lambda m: (m.cut[0], _FORM_RANK[m.form]))


def _follows(previous: Marker, marker: Marker) -> bool:
    """Whether ``marker`` can be the next part's marker after ``previous`` in one sequence."""
    if previous.form != marker.form or marker.number != previous.number + 1 or marker.start < previous.cut[1]:
        return False
    form = MARKER_FORMS[_FORM_RANK[marker.form]]
    if form.anywhere:
        return True
    if marker.line <= previous.line or (marker.glued != previous.glued and not form.title_after):
        return False
    return not (form.bare and marker.glued and previous.title.text != marker.title.text)


def _has_body(text: str) -> bool:
    """Whether the text holds body text (a part of its own), not just a page's opening: a line that is
    no title and ends a sentence, or holds a clause of prose (a breadcrumb or a date line does not)."""
    return any(not is_title(line) and (_SENTENCE_END.search(line) or _PROSE_CLAUSE.search(line))
               for line in text.splitlines() if line.strip())


def _sequence_holds(run: list[Marker], text: str) -> bool:
    first = run[0]
    form = MARKER_FORMS[_FORM_RANK[first.form]]
    if form.bare and not (all(m.confirmed for m in run) or _bare_titles_agree(run)):
        return False
    if first.number == 2:
        return _has_body(text[: first.start])
    if first.number != 1:
        return len(run) >= 2
    if len(run) >= 2:
        return True
    if form.lone == "always":
        return True
    if form.lone == "line-start":
        return not text[_line_bounds(text, first.cut[0])[0] : first.cut[0]].strip()
    return first.confirmed


def _is_work(marker: Marker, text: str) -> bool:
    """Whether a numbered title is a work's: it names a kind of writing, or a byline follows it."""
    if marker.title is None or marker.title.span is None:
        return False
    next_line = text[marker.title.span[1] :].lstrip("\n")
    return bool(_DOC_WORD_END.search(marker.title.text) or _BYLINE.match(next_line))


def _bare_titles_agree(run: list[Marker]) -> bool:
    """Bare numbers need a title that shows a document: the same title for every part, or (on lines of
    their own) titles that each name a kind of writing."""
    if len(run) < 2:
        return False
    if len({m.title.text for m in run}) == 1:
        return True
    return not run[0].glued and all(_DOC_WORD_END.search(m.title.text) for m in run)


def _runs(candidates: list[Marker]) -> list[list[Marker]]:
    """The longest sequence ending at each candidate, longest first (ties: stronger form, then earlier)."""
    best: list[list[Marker]] = []
    ending: dict[tuple[str, int], list[int]] = {}  # (form, number) -> indexes of the candidates so far
    for index, marker in enumerate(candidates):
        chain = [marker]
        for earlier in ending.get((marker.form, marker.number - 1), ()):
            if _follows(candidates[earlier], marker) and len(best[earlier]) + 1 > len(chain):
                chain = [*best[earlier], marker]
        best.append(chain)
        ending.setdefault((marker.form, marker.number), []).append(index)
    return sorted(best, key=lambda run: (-len(run), _FORM_RANK[run[0].form], run[0].start))


def choose_markers(candidates: list[Marker], text: str) -> list[Marker]:
    """The markers that split the page: the longest valid sequence of one form, or none.

    A marker whose part would hold no body (a table of contents line, a title alone) is dropped and the
    choice made again.
    """
    candidates = [m for m in candidates if not MARKER_FORMS[_FORM_RANK[m.form]].works or _is_work(m, text)]
    while True:
        # a marker alone holds only when no other line holds one of its form and number: the same 篇1: on
        # many lines starts no part (taking the first would leave the next one to the next cleaning, and so
        # on; 篇一:篇一: printed twice on one line is still one)
        repeated = Counter((form, number) for form, number, _ in {(m.form, m.number, m.line) for m in candidates})
        run = next((run for run in _runs(candidates)
                    if (len(run) > 1 or repeated[run[0].form, run[0].number] == 1) and _sequence_holds(run, text)), [])
        empty = next((m for m, end in zip(run, [*(m.start for m in run[1:]), len(text)]) if not _body_after(m, end, text)), None)
        if empty is None:
            return run
        candidates.remove(empty)


def _body_after(marker: Marker, end: int, text: str) -> bool:
    reached = max([marker.cut[1], *(e for _, e in ((marker.title.span,) if marker.title and marker.title.span else ())),
                   *(e for _, e in (marker.title.copies if marker.title else ()))])
    return bool(text[reached:end].strip())


def _pieces_from_markers(run: list[Marker], text: str, page_title, headings) -> list[Piece]:
    pieces = []
    first = run[0]
    lead_is_part = first.number == 2 and first.start > 0
    if lead_is_part:
        title = title_at(text, 0, first.start, page_title, headings)
        pieces.append(Piece(0, first.start, title, _copy_cuts(title), None))
    for marker, end in zip(run, [*(m.start for m in run[1:]), len(text)]):
        start = marker.start if (lead_is_part or marker is not first) else 0
        title = marker.title or title_at(text, marker.cut[1], end, page_title, headings, first_line=True)
        marker_cuts = _around(marker.cut, title.span if title else None)
        cuts = (*(Cut(*span, "marker") for span in marker_cuts), *_copy_cuts(title, end))
        pieces.append(Piece(start, end, title, cuts, text[marker.cut[0] : marker.cut[1]]))
    return pieces


def _around(span: tuple[int, int], inner: tuple[int, int] | None) -> list[tuple[int, int]]:
    """``span`` less ``inner`` when it lies inside (a title inside its marker: 【篇二:TITLE】 cuts 【篇二: and 】)."""
    if inner is None or not (span[0] <= inner[0] and inner[1] <= span[1]):
        return [span]
    return [(s, e) for s, e in ((span[0], inner[0]), (inner[1], span[1])) if s < e]


def _copy_cuts(title: Title | None, end: int | None = None) -> tuple[Cut, ...]:
    if title is None:
        return ()
    return tuple(Cut(s, e, "title-copy") for s, e in title.copies if end is None or e <= end)


def _prose(line: str) -> bool:
    return len(line.strip()) >= 30 and "|" not in line and bool(_CLAUSE_MARK.search(line))


def _neighbour_lines(text: str, start: int, end: int) -> tuple[str, str]:
    before = [line for line in text[:start].splitlines() if line.strip()]
    after = [line for line in text[end:].splitlines() if line.strip()]
    return (before[-1] if before else ""), (after[0] if after else "")


def find_boundaries(text: str, page_title: str | None = None) -> list[tuple[int, Title | None, str]]:
    """Unnumbered part starts: (offset, title, form name), in text order.

    >>> page = "第一篇的正文。\\n\\n第二篇文章\\n\\n第二篇文章\\n\\n" + "第二篇的正文很长。" * 12
    >>> [(at, title.text, form) for at, title, form in find_boundaries(page)]
    [(9, '第二篇文章', 'repeated-title-lines')]
    """
    page_titles = {t for t in (page_title, core(page_title)) if t}
    found, probe = {}, _probe(text)
    for form in BOUNDARY_FORMS:
        if form.guard and not form.guard(text):
            continue
        matches = [boundary for match in finditer(form.pattern, probe) if (boundary := _boundary_at(text, form, match, page_titles))]
        if form.confirm and not any(form.confirm.match(text, match_start) for match_start, _, _ in matches):
            continue
        for _, at, title in matches:
            if at < len(text) and text[at:].strip():
                found.setdefault(at, (title, form))
    bounds = sorted(found.items())
    while short := [i for i, (at, (title, form)) in enumerate(bounds) if form.min_body and not _long_enough(text, bounds, i)]:
        del bounds[short[0]]
    return [(at, title, form.name) for at, (title, form) in bounds]


def _long_enough(text: str, bounds: list, index: int) -> bool:
    """Whether the part the boundary at ``index`` starts holds its form's ``min_body`` characters."""
    at, (title, form) = bounds[index]
    end = bounds[index + 1][0] if index + 1 < len(bounds) else len(text)
    reached = max(e for _, e in (title.span, *title.copies)) if title else at
    return len("".join(text[reached:end].split())) >= form.min_body


def _boundary_at(text: str, form: BoundaryForm, match, page_titles: set[str]) -> tuple[int, int, Title | None] | None:
    """(match start, part start, title) for one match of a boundary form, or ``None`` if it does not hold."""
    if form.role == "ends":
        return match.start(), match.end() + 1, None
    raw = match["title"].strip()
    if not is_title(raw.rstrip("。"), shortest=form.shortest_title) or raw.rstrip("。") in page_titles:
        return None
    if form.prose_around:
        before, after = _neighbour_lines(text, match.start(), match.end())
        if not _prose(before) or not after.strip() or is_title(after):
            return None
    span = strip_span(text, *match.span("title"))
    copies = (match.span("copy"),) if match.groupdict().get("copy") else ()
    reached = copies[-1][1] if copies else span[1]
    title = Title(text[span[0] : span[1]], span, copies + copies_after(text, reached, len(text), text[span[0] : span[1]]))
    return match.start(), _line_bounds(text, span[0])[0], title


def _pieces_from_boundaries(bounds, text: str, page_title, headings) -> list[Piece]:
    """Pieces cut at unnumbered boundaries; text before the first one is a part only if it holds body
    text (otherwise it is the page's opening and stays with the first part)."""
    starts = [at for at, _, _ in bounds]
    pieces = []
    if _has_body(text[: starts[0]]):
        title = title_at(text, 0, starts[0], page_title, headings)
        pieces.append(Piece(0, starts[0], title, _copy_cuts(title, starts[0]), None))
    else:
        starts[0] = 0
    for start, (at, title, _), end in zip(starts, bounds, [*starts[1:], len(text)]):
        title = title or title_at(text, at, end, page_title, headings)
        pieces.append(Piece(start, end, title, _copy_cuts(title, end), None))
    return pieces


def _kept(text: str, piece: Piece) -> tuple[str, str]:
    """The piece's text before and after its title, with its cuts taken out."""
    holes = sorted((c.start, c.end) for c in piece.cuts)
    title_span = piece.title.span if piece.title and piece.title.span else (piece.start, piece.start)
    before, after, reached = [], [], piece.start
    for start, end in [*holes, (piece.end, piece.end)]:
        for lo, hi in ((reached, min(start, title_span[0])), (max(reached, title_span[1]), start)):
            if lo < hi:
                (before if hi <= title_span[0] else after).append(text[lo:hi])
        reached = max(reached, end)
    return "".join(before).strip(), "".join(after).strip()


def render(text: str, piece: Piece) -> Part | None:
    """The part, or ``None`` when it has no body (a title alone is not a document)."""
    before, after = _kept(text, piece)
    if not before and not after:
        return None
    title = piece.title.text if piece.title else None
    # one join, no body apart from the part (a long page is not copied more than it must be)
    order = (before, title, after) if title and piece.title.span else (title, before, after)
    return Part(text="\n\n".join(p for p in order if p), title=title, marker=piece.marker,
                truncated=(after or before)[-1] not in SENTENCE_ENDS)


def plan_split(text: str, page_title: str | None = None, headings: tuple[Rule, ...] = (),
               read: Callable[[str], str] | None = None, reading: View | None = None) -> list[Piece]:
    """Where the page splits: its parts as regions of ``text`` with their titles and cuts.

    With ``read`` (the normalise step's, :func:`cleaner.normalise.reader`) the split is decided on the
    text as it will be normalised (so alike when the output is cleaned again), and placed in ``text``.
    ``reading``: ``view(text, read)`` when the caller has it already.
    """
    if read is None:
        return _plan(text, page_title, headings)
    reading = reading if reading is not None else view(text, read)
    return [_placed(piece, reading, text) for piece in _plan(reading.text, page_title, headings)]


def _placed(piece: Piece, reading: View, text: str) -> Piece:
    """A piece planned on the reading, in offsets of ``text`` (a title that stands there as it
    stands there, so that the part holds its characters)."""
    title = piece.title
    if title is not None:
        span = title.span and reading.tight(*title.span)
        title = Title(text[span[0] : span[1]] if span else title.text, span,
                      tuple(reading.tight(*copy) for copy in title.copies))
    cuts = tuple(Cut(*reading.tight(cut.start, cut.end), cut.reason) for cut in piece.cuts)
    marked = [cut for cut in cuts if cut.reason == "marker"]
    marker = text[marked[0].start : marked[-1].end] if marked else piece.marker
    start = reading.original(piece.start) if piece.start else 0
    return Piece(start, reading.original(piece.end), title, cuts, marker)


def _plan(text: str, page_title: str | None, headings: tuple[Rule, ...]) -> list[Piece]:
    run = choose_markers(find_markers(text, page_title, headings), text)
    if run:
        pieces = _pieces_from_markers(run, text, page_title, headings)
    else:
        bounds = find_boundaries(text, page_title)
        if bounds:
            pieces = _pieces_from_boundaries(bounds, text, page_title, headings)
        else:
            title = title_at(text, 0, len(text), page_title, headings)
            pieces = [Piece(0, len(text), title, _copy_cuts(title), None)]
    _probe.cache_clear()  # it holds the text: not past the plan (a long part, through the next round)
    return pieces


def split_text(text: str, page_title: str | None = None, headings: tuple[Rule, ...] = (),
               read: Callable[[str], str] | None = None, reading: View | None = None) -> tuple[Part, ...]:
    """The page's parts, each with its title once and without its marker (``reading``: see :func:`plan_split`)."""
    parts = (render(text, piece) for piece in plan_split(text, page_title, headings, read, reading))
    return tuple(part for part in parts if part)


def settle(part: Part, rules: tuple[Rule, ...], headings: tuple[Rule, ...], read: Callable[[str], str] | None = None,
           rounds: int = SETTLE_ROUNDS) -> list[Part]:
    """The part as the document(s) it is: stripped and split again as a page of its own until that
    changes nothing, which is what cleaning the output again would do.

    A cut gives text new neighbours and a part a new opening: a marker the validator passed over because
    another was chosen (the second 【篇1】) is judged again in its part, and boilerplate that only a cut
    marker brought to a line start (``【篇1】当前位置:…``) is stripped. What the part's stripping removed is
    recorded with the first of its parts (``Removal.start`` is in the part's text).

    >>> [p.text for p in settle(Part("【篇1】市场。"), load_rules(), ())]
    ['市场。']
    """
    settled: list[Part] = []
    # depth first, as a stack: a part's text is let go once its parts are made (a long page is not held
    # once per round)
    pending = [(part, rounds)]
    while pending:
        part, left = pending.pop()
        stripped = strip_text(part.text, rules, read)
        again = split_text(stripped.text, stripped.page_title, headings, read, stripped.reading)
        removals = stripped.removals
        del stripped  # and its reading, before the next round reads
        if left == 0 or not removals and len(again) == 1 and again[0].text == part.text:
            del again  # (a copy of the part)
            settled.append(part)
            continue
        subs = []
        for index, sub in enumerate(again):
            inherited = index == 0 and part.title and sub.text.startswith(part.title)
            subs.append(replace(sub, title=sub.title or (part.title if inherited else None),
                                marker=part.marker if index == 0 and part.marker else sub.marker,
                                removals=part.removals + removals if index == 0 else ()))
        del part, again
        pending += [(sub, left - 1) for sub in reversed(subs)]
        del subs
    return settled


def _lines(text: str) -> list[str]:
    """The text's lines with their spaces collapsed, a blank line between paragraphs (as normalised)."""
    lines: list[str] = []
    for line in text.strip().splitlines():
        line = " ".join(line.split())
        if line or lines[-1]:
            lines.append(line)
    return lines


def step(page: Page, config) -> Page:
    """Split the page; settle (:func:`settle`) each part, unless the page stays whole with its lines and
    paragraphs as they were: then the part is the stripped page, which stripping again leaves alone. (A
    title added on top, or a blank line put under a title, changes the opening: such a part is settled.)"""
    rules = load_rules(config.rule_files)
    headings = tuple(r for r in rules if r.kind == "heading")
    read = reader(config)
    pieces = plan_split(page.text, page.page_title, headings, read)
    parts = []
    for piece in pieces:
        part = render(page.text, piece)
        if part is None:
            continue
        if len(pieces) == 1 and not piece.cuts and _lines(part.text) == _lines(page.text[piece.start : piece.end]):
            parts.append(part)
            continue
        # settle lets a part go once its parts are made; this loop must not hold it meanwhile (a long part)
        handed = [part]
        del part
        parts += settle(handed.pop(), rules, headings, read)
    return replace(page, parts=tuple(parts))
