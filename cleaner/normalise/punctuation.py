"""Step ``punctuation``: the ASCII ``, : ; ? ! ( )`` that doc-farm sites put into Chinese text go back
to full-width (，：；？！（）); ``--punct ascii`` is the reverse, for users who want ASCII.

A mark is Chinese when the nearest character before it, or after it, is Chinese (Han, kana, CJK
punctuation), looking past spaces, quotes, brackets, other marks and, before it, digits and ``%``:
``达到100% ,2家`` is Chinese, ``Hello, world`` and ``Example 1: Two`` are not. Brackets go as a pair:
``镇乡(街道)`` → ``镇乡（街道）``, while ``f(x)`` and ``Activity()`` stay. ``“”`` are already the right
quotes and are kept. Never touched: marks between digits (``1,000``, ``12:30``), URLs, e-mail
addresses, HTML entities (``&gt;``), ```code``` and lines that look like code, and runs of ``??``,
``?/p>`` and ``?yàn)`` (what mojibake left of a character, of markup and of a gloss)."""

from __future__ import annotations

import re
from functools import lru_cache

import regex

FULLWIDTH = str.maketrans(",:;?!()", "，：；？！（）")
ASCII_PAIRS = tuple(zip("，：；？！（）", ",:;?!()"))

#: Chinese context: Han, kana, bopomofo, CJK punctuation (not U+3000) and full-width forms.
_CJK = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
#: What is looked past before a mark (spaces, digits, %, quotes, closing brackets, other marks) ...
_SKIP_BEFORE = r"""(?:[^\S\n]|[0-9%‰"'“”‘’)\]},:;?!])"""
#: ... and after it (spaces, quotes, opening brackets, other marks).
_SKIP_AFTER = r"""(?:[^\S\n]|["'“”‘’(\[{,:;?!])"""
_CJK_BEFORE = rf"(?<={_CJK}{_SKIP_BEFORE}*)"
_CJK_AFTER = rf"(?={_SKIP_AFTER}*{_CJK})"

#: What mojibake leaves of a pinyin gloss after ?: 因?yàn) (為(wèi) with its bracket eaten).
_GLOSS_REST = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)"
_URL = r"(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9\-_~/#@$&*+=%]"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
_CODE_SPAN = r"`[^`\n]+`"
_HTML_ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6});"
#: A line of program text: a preprocessor line, import, keyword statement, comment, or a statement
#: that starts with an identifier, calls or assigns, and ends in ; or {. Never past its line (the step works
#: line by line, see cleaner.normalise.LINE_STEPS).
_CODE_LINE = r"""(?m:^[ \t]*(?:\#[ \t]*(?:include|define)\b|import[ \t]+[A-Za-z_]|from[ \t]+\S+[ \t]+import[ \t]
                    |(?:for|if|while|switch)[ \t]*\(|(?:def|class)[ \t]+[A-Za-z_]\w*[ \t]*[(:{]
                    |(?:public|private|protected|static)[ \t]|return\b[^\n]*;[ \t]*$|//|/\*)[^\n]*$
                  |^[ \t]*[A-Za-z_$][A-Za-z0-9_$.\[\]*&<> ]*(?:\([^\n]*\)|=[^\n]*)[ \t]*[;{][ \t]*$)"""
#: Spans never touched, each looked for only when a cheap test says it may be there.
_PROTECTED_KINDS = ((("://", "www."), _URL), (("@",), _EMAIL), (("`",), _CODE_SPAN), (("&",), _HTML_ENTITY),
                    ((), _CODE_LINE))

#: (Each alternative starts with its bracket, lookbehinds after it: the engine then looks for brackets.)
_PARENS = regex.compile(
    rf"""\((?P<inner>[^()（）\n]*)\)(?P<after>{_CJK_AFTER})?
       | \((?<![A-Za-z0-9_]\()(?={_SKIP_AFTER}*{_CJK})
       | \)(?<={_CJK}{_SKIP_BEFORE}*\))""",
    regex.VERSION1 | regex.VERBOSE,
)
#: What keeps each mark ASCII whatever its context: , and : between digits; a run of ?, or ? before
#: markup or a gloss's rest.
_KEEP = {",": r"(?<=\d,)(?=\d)", ":": r"(?<=\d:)(?=\d)",
         "?": rf"(?<=\?\?)|(?=\?|/?[A-Za-z]+>|{_GLOSS_REST})"}
#: One pattern per mark, so that each is replaced by a plain string (no Python call per match): a mark
#: with Chinese before or after it, unless kept. Converting one kind first does not change another's
#: context: a mark converted had Chinese on the side where it stands between the other and that Chinese.
_MARKS = tuple(
    (mark, fullwidth, regex.compile(
        rf"""{regex.escape(mark)}(?!{_KEEP.get(mark, "(?!)")})
             (?:(?<={_CJK}{_SKIP_BEFORE}*.)|{_CJK_AFTER})""",
        regex.VERSION1 | regex.VERBOSE,
    ))
    for mark, fullwidth in zip(",:;?!", "，：；？！")
)
_HAS_CJK = regex.compile(_CJK)
_WORD_CHAR = regex.compile(r"[A-Za-z0-9_]")
_CJK_BEFORE_PAREN = regex.compile(rf"{_CJK}{_SKIP_BEFORE}*\Z", regex.VERSION1)


@lru_cache(maxsize=16)
def _protected_pattern(alternatives: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(alternatives), re.VERBOSE)


def _protected_spans(text: str) -> list[tuple[int, int]]:
    alternatives = tuple(pattern for needles, pattern in _PROTECTED_KINDS
                         if not needles or any(needle in text for needle in needles))
    return [match.span() for match in _protected_pattern(alternatives).finditer(text)]


def _paren(match: regex.Match) -> str:
    if match["inner"] is None:  # a lone bracket with Chinese beside it
        return match[0].translate(FULLWIDTH)
    inner, start = match["inner"], match.start()
    if not inner.strip():
        return match[0]  # Activity(), ( )
    chinese = _HAS_CJK.search(inner) is not None
    if not chinese and not _WORD_CHAR.match(match.string, start - 1 if start else 0, start):
        # not f(x): Chinese on either side makes the brackets Chinese
        before = _CJK_BEFORE_PAREN.search(match.string, max(0, start - 40), start)
        chinese = match["after"] is not None or before is not None
    return f"（{inner}）" if chinese else match[0]


def to_fullwidth(text: str) -> str:
    """ASCII punctuation inside Chinese text becomes full-width; numbers, URLs, Latin text and code keep theirs.

    >>> to_fullwidth("同志们:今天我们开会,时间12:30,人数1,000。")
    '同志们：今天我们开会，时间12:30，人数1,000。'
    >>> to_fullwidth("镇乡(街道)联网;规上企业达到100% ,2家企业入选!")
    '镇乡（街道）联网；规上企业达到100% ，2家企业入选！'
    >>> to_fullwidth("Hello, world: 见 http://a.b/c?d=1 或 f(x)。")
    'Hello, world： 见 http://a.b/c?d=1 或 f(x)。'
    """
    pieces, done = [], 0
    for start, end in _protected_spans(text):
        pieces += [_convert(text[done:start]), text[start:end]]
        done = end
    return "".join(pieces) + _convert(text[done:])


def _convert(text: str) -> str:
    while "(" in text or ")" in text:  # again while it changes: a converted （）is context for the next pair
        converted = _PARENS.sub(_paren, text)
        if converted == text:
            break
        text = converted
    for mark, fullwidth, pattern in _MARKS:
        if mark in text:
            text = pattern.sub(fullwidth, text)
    return text


def to_ascii(text: str) -> str:
    """The reverse: full-width ，：；？！（） become ASCII; 。、“”《》 stay.

    >>> to_ascii("同志们：今天（周三）开会，好吗？“好！”。")
    '同志们:今天(周三)开会,好吗?“好!”。'
    """
    for fullwidth, ascii in ASCII_PAIRS:  # str.replace: many times faster than str.translate here
        text = text.replace(fullwidth, ascii)
    return text
