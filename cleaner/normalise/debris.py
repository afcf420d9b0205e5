"""Step ``debris``: pinyin glosses that simplified→traditional converters leave after characters.

Converter pages gloss dozens of ordinary characters: ``千文網(wǎng)小編``, ``愛(ài)祖國(guó)``, doubled
``月(yue)(yue)`` or toneless ``黨(dang)``. A textbook-style text glosses a rare word once: ``瑟(sè)瑟发抖``.
The difference is density, so a document's glosses are removed only when there are at least
:data:`MIN_GLOSSES` of them and at least one per :data:`HAN_PER_GLOSS` Chinese characters; otherwise
every gloss is kept. A gloss is one pinyin syllable in brackets after a character (spaces between are removed with it) (``(activity)``
and ``(G2G)`` are not pinyin); a toneless one counts only after a Chinese character and with 2+ letters.
"""

from __future__ import annotations

from typing import Callable, Iterable

import regex

from .paragraphs import segments

#: Fewer glosses than this in a document are real glosses (a reading passage glossing a rare word).
MIN_GLOSSES = 3
#: Converter debris has at least one gloss per this many Chinese characters (the pages have 1 per 5 to 200).
HAN_PER_GLOSS = 500

_VOWELS = {"a": "aāáǎà", "o": "oōóǒò", "e": "eēéěè", "i": "iīíǐì", "u": "uūúǔù", "ü": "üǖǘǚǜv"}
_TONE_MARKS = "āáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜńňǹ"
_FINALS = ("iang iong uang ueng ang eng ing ong iao ian uai uan üan ai ei ao ou an en er ia ie iu in ua uo "
           "ui un üe ue ün a o e i u ü").split()


def _final(final: str) -> str:
    return "".join(f"[{_VOWELS[char]}]" if char in _VOWELS else char for char in final)


_SYLLABLE = rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:{'|'.join(map(_final, _FINALS))})|[ńňǹ]g?"  # ńg: 嗯
_GLOSS = rf"[(（](?:{_SYLLABLE})[)）]"
_TONED_GLOSS = rf"[(（](?=[^)）]{{0,6}}[{_TONE_MARKS}])(?:{_SYLLABLE})[)）]"
_TONELESS_GLOSS = rf"[(（](?=[a-zü]{{2}})(?:{_SYLLABLE})[)）]"

_COUNTED = regex.compile(rf"(?<=\p{{Han}})[ \t\u3000]*(?:{_TONED_GLOSS}|{_TONELESS_GLOSS})+", regex.VERSION1)
_REMOVED = regex.compile(
    rf"(?<=\p{{Han}})[ \t\u3000]*(?:{_TONED_GLOSS}|{_TONELESS_GLOSS})+|(?<=[^\s(（)）])(?:{_TONED_GLOSS})+",
    regex.VERSION1,
)
_NOT_HAN = regex.compile(r"\P{Han}+")


def count_glosses(text: str) -> int:
    """Characters followed by a pinyin gloss (a doubled gloss counts once).

    >>> count_glosses("愛(ài)祖國(guó)，活动(activity)，月(yue)(yue)")
    3
    """
    return sum(1 for _ in _COUNTED.finditer(text))


def dense(text: str) -> bool:
    """Whether the text's glosses are converter debris: at least MIN_GLOSSES, one per HAN_PER_GLOSS
    Chinese characters (the step's one decision for the whole text; its removals are line by line).

    >>> dense("千文網(wǎng)小編為你整理了愛(ài)祖國(guó)演講稿"), dense("把人们吹得瑟(sè)瑟发抖。")
    (True, False)
    """
    return dense_in(lambda: segments(text))


def dense_in(parts: Callable[[], Iterable[str]]) -> bool:
    """:func:`dense` of the text that ``parts()`` gives a piece at a time, each cut at the start of a line
    (no gloss crosses a line break): it is gone over again when the Chinese characters must be counted,
    so that a long text need not be held whole (see :meth:`cleaner.normalise._LineReader.in_segments`)."""
    glosses = length = 0
    for part in parts():
        length += len(part)
        if ")" in part or "）" in part:  # a gloss has one
            glosses += count_glosses(part)
    if glosses < MIN_GLOSSES:
        return False
    # glosses dense among all the characters are dense among the Chinese ones: no need to count those
    return glosses * HAN_PER_GLOSS >= length or glosses * HAN_PER_GLOSS >= sum(map(_han_count, parts()))


def _han_count(text: str) -> int:
    """The Chinese characters in the text, counted a segment at a time (a sub over a whole long text holds
    a piece per run of other characters: several times the text)."""
    return sum(len(_NOT_HAN.sub("", segment)) for segment in segments(text))


def remove_glosses(text: str) -> str:
    """Every gloss taken out (what the step does to a text whose glosses are :func:`dense`)."""
    return _REMOVED.sub("", text)


def remove_pinyin_glosses(text: str) -> str:
    """Remove converter pinyin glosses when they are dense; keep a rare real one.

    >>> remove_pinyin_glosses("千文網(wǎng)小編為你整理了愛(ài)祖國(guó)演講稿")
    '千文網小編為你整理了愛祖國演講稿'
    >>> remove_pinyin_glosses("冬天，风是个冷姑娘，把人们吹得瑟(sè)瑟发抖。")
    '冬天，风是个冷姑娘，把人们吹得瑟(sè)瑟发抖。'
    """
    return remove_glosses(text) if dense(text) else text
