"""Steps ``paragraphs`` and ``reflow``: line endings, blank lines, and lines hard-wrapped by PDF extraction.

``paragraphs`` turns CRLF and CR into LF, leaves exactly one blank line where paragraphs are separated by
one or more (lines of only spaces count as blank), and drops blank lines at the start and end. Single
line breaks are kept: they may be verse, list items or table rows.

``reflow`` (opt-in) joins a line to the next when the line was cut by the page width: it is as wide
as the page (the width most long lines share, within a character), does not end a sentence or
introduce a list (``。！？…：；``), and the next line does not start a heading or a list item (``一、``
``（二）`` ``3.`` ``⑴`` ``第五章`` ``•``). Lines narrower than 20 Chinese characters (headings, verse)
are never joined, nor lines across a blank line. Widths are measured as the punctuation and spacing
steps will leave the line (marks beside Chinese full-width, no spaces beside Chinese), so that running
the steps again finds the same page width.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

import regex

from .punctuation import to_ascii

_CRLF = regex.compile(r"\r\n?")
_BLANK_RUN = regex.compile(r"\n(?:[ \t\u3000]*\n)+")
_LEADING_BLANK = regex.compile(r"\A(?:[ \t\u3000]*\n)+")
_TRAILING_BLANK = regex.compile(r"(?:\n[ \t\u3000]*)+\Z")
#: Where a long text may be cut into segments: at the start of a line that is not blank (spaces may
#: indent it: pages of indented paragraphs have no other cut), nor ends blank at a carriage return.
_SEGMENT_END = regex.compile(r"\n(?=[ \t\u3000]*\S)")
#: A long text is worked on in segments of about this many characters.
SEGMENT_CHARS = 1 << 20

#: A wrapped line is at least this wide (in columns: a Chinese character is 2): verse and headings are not.
MIN_WRAP_COLUMNS = 40
#: A wrapped line is as wide as the page, less at most this many columns (a Chinese character).
WRAP_SLACK = 2
#: A line ending in one of these ends a sentence, or introduces what follows: never joined.
_ENDS = regex.compile(r"[。！？!?…；;：:”」』）)】》\"]$")
#: A line starting like this is a heading or list item: never joined to the line before.
_STARTS_ITEM = regex.compile(
    r"""^(?:第[一二三四五六七八九十百零〇\d]+[章节篇部条页]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]
        |\d+(?:\.\d+)*[、.．)）\s]|[A-Za-z][.、)）]\s?|[⑴-⒇①-⑳⒈-⒛❶-❿]|[•·\-*★☆◇◆○●■□▪>#])""",
    regex.VERBOSE,
)
_WIDE = regex.compile(r"[\p{East_Asian_Width=W}\p{East_Asian_Width=F}]")
_LATIN_END = regex.compile(r"[A-Za-z0-9,]$")
_LATIN_START = regex.compile(r"^[A-Za-z0-9]")


def fix_paragraphs(text: str) -> str:
    """LF line endings and one blank line between paragraphs (a long text a segment at a time, cut where
    no blank run can cross: a regex sub over a whole long text holds a piece per match).

    >>> fix_paragraphs("\\r\\n标题\\r\\n\\r\\n\\r\\n  \\n第一段。\\r第二行\\n\\n\\n")
    '标题\\n\\n第一段。\\n第二行'
    """
    return "".join([fix_paragraphs_segment(*segment) for segment in segments_at_ends(text)])


def fix_paragraphs_segment(segment: str, first: bool = True, last: bool = True) -> str:
    """:func:`fix_paragraphs` of one of a text's :func:`segments` (its pieces joined are the step's
    result): the blank lines at the text's ends are in its first and its last.

    >>> fix_paragraphs_segment("\\n\\n甲\\n\\n\\n乙\\n", first=True, last=False)
    '甲\\n\\n乙\\n'
    """
    if "\r" in segment:
        segment = _CRLF.sub("\n", segment)
    segment = _BLANK_RUN.sub("\n\n", segment)
    if first:
        segment = _LEADING_BLANK.sub("", segment)
    return _TRAILING_BLANK.sub("", segment) if last else segment


def segments_at_ends(text: str) -> Iterator[tuple[str, bool, bool]]:
    """The text's :func:`segments`, each with whether it is the first and whether it is the last.

    >>> list(segments_at_ends("甲"))
    [('甲', True, True)]
    """
    pieces = segments(text)
    segment, first = next(pieces), True
    for following in pieces:
        yield segment, first, False
        segment, first = following, False
    yield segment, first, True


def segments(text: str) -> Iterator[str]:
    """The text in pieces of about SEGMENT_CHARS characters, each cut before a line that holds more than
    spaces before its first line break or carriage return (so no blank run, CRLF or line of spaces crosses
    a cut: the run before ends there).

    >>> list(segments("甲\\n\\n乙\\n丙")), SEGMENT_CHARS
    (['甲\\n\\n乙\\n丙'], 1048576)
    """
    start, size = 0, SEGMENT_CHARS
    while len(text) - start > size and (cut := _SEGMENT_END.search(text, start + size)):
        yield text[start : cut.end()]
        start = cut.end()
    yield text[start:]


def replaced(text: str, fixes: list[tuple[int, int, str]]) -> str:
    """``text`` with each of the (start, end) spans, in order, replaced by its fix; the text itself when
    there is none (so that a step that changes nothing on a long page does not copy it).

    >>> replaced("甲乙丙", [(1, 2, "二")]), replaced("甲乙丙", [])
    ('甲二丙', '甲乙丙')
    """
    if not fixes:
        return text
    pieces, position = [], 0
    for start, end, fixed in fixes:
        pieces += [text[position:start], fixed]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


#: Spaces the spacing step may remove: beside a non-ASCII character, before , : ; ? ! ( ) and after (.
_REMOVABLE_SPACES = regex.compile(r"(?<=[^\x00-\x7f(])[ \t\u3000]+|[ \t\u3000]+(?=[^\x00-\x7f,:;?!()])")
#: A mark beside a Chinese character is (or will be) full-width: two columns.
_CHINESE_MARK = regex.compile(r"(?<=[^\x00-\x7f])[,:;?!()]|[,:;?!()](?=[^\x00-\x7f])")


def _canonical(line: str) -> str:
    """The line as the punctuation and spacing steps leave its width: ASCII marks, no removable spaces."""
    return _REMOVABLE_SPACES.sub("", to_ascii(line))


def _columns(line: str) -> int:
    """Display width of a canonical line: a Chinese character or mark is two columns."""
    return len(line) + len(_WIDE.findall(line)) + len(_CHINESE_MARK.findall(line))


def _page_width(lines: list[str]) -> int | None:
    """The width most distinct lines of at least MIN_WRAP_COLUMNS share (two at least), or None."""
    counts = Counter(width for width in map(_columns, set(lines)) if width >= MIN_WRAP_COLUMNS)
    if not counts:
        return None
    width, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return width if count >= 2 else None


def _reflow_once(text: str) -> str:
    raw_lines = text.split("\n")
    lines = [line.strip() for line in raw_lines]
    canonical = [_canonical(line) for line in lines]
    width = _page_width(canonical)
    if width is None:
        return text
    out = raw_lines[:1]
    for index, line in enumerate(lines[1:], 1):
        previous = lines[index - 1]
        if (line and width - WRAP_SLACK <= _columns(canonical[index - 1]) <= width
                and not _ENDS.search(previous) and not _STARTS_ITEM.match(line)):
            space = " " if _LATIN_END.search(previous) and _LATIN_START.match(line) else ""
            out[-1] = out[-1].rstrip() + space + line
        else:
            out.append(raw_lines[index])
    return "\n".join(out)


def reflow(text: str) -> str:
    """Join lines that PDF extraction cut at the page width; keep headings, list items and short lines.

    >>> reflow("三、主要做法\\n过去五年，我们在加快推进都市城区、新型镇村建\\n设的同时，致力构建城乡一体的现代化基础设施网\\n"
    ...        "络，不仅打造路网、电网、供水网，同时还积极打\\n造信息高速公路网。\\n四、存在问题")
    '三、主要做法\\n过去五年，我们在加快推进都市城区、新型镇村建设的同时，致力构建城乡一体的现代化基础设施网络，不仅打造路网、电网、供水网，同时还积极打造信息高速公路网。\\n四、存在问题'
    """
    while (joined := _reflow_once(text)) != text:  # a joined line changes the page width: again, till stable
        text = joined
    return text
