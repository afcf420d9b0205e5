"""Steps ``characters`` and ``nfc``: one right code point for each character.

``characters`` replaces what PDF/Word extraction and converters put in place of a character: Kangxi
radicals (``⼈`` U+2F08), CJK compatibility ideographs, full-width Latin letters and digits,
non-breaking and other odd spaces; it removes zero-width and control characters and stray BOMs, and
applies the site-specific table ``cleaner/data/characters.toml`` (``布臵`` → ``布置``). Full-width
punctuation (，：（）) and enclosed numerals (⑴ ⒈) are left alone: they are the right characters.

``nfc`` puts the text in Unicode NFC. Never NFKC on the whole text: it would turn ，into , and ⑴ into (1).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import regex

from ..prefilter import required_literals

#: Zero-width and invisible format characters (soft hyphen, zero-width space and non-joiner, direction
#: marks and embeddings, word joiner, invisible operators) and byte order marks anywhere in the text.
#: The zero-width joiner U+200D stays: emoji sequences need it.
INVISIBLE = ("\u00ad\u180e\u200b\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufffe")
#: Spaces that are not U+0020 (U+3000, the ideographic space, is a Chinese character and is kept).
ODD_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
#: Control characters that stand for a line break.
LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028"


def _unicode_table() -> dict[str, str]:
    """What ``unicodedata`` says about the characters this step replaces."""
    table: dict[str, str] = {}
    for code in (*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):  # CJK compatibility ideographs
        char = chr(code)
        if unicodedata.decomposition(char):  # a canonical singleton: the unified ideograph
            table[char] = unicodedata.normalize("NFC", char)
    for code in (*range(0x2F00, 0x2FD6), *range(0x2E80, 0x2EF4)):  # Kangxi radicals, radicals supplement
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code):
            table[chr(code)] = folded
    for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ ０-９
        table[chr(code)] = chr(code - 0xFEE0)
    table.update(dict.fromkeys(ODD_SPACES, " "))
    table.update(dict.fromkeys(LINE_BREAKS, "\n"))
    table["\u2029"] = "\n\n"  # PARAGRAPH SEPARATOR
    controls = [chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0x85), *range(0x86, 0xA0))]
    table.update(dict.fromkeys(controls + list(INVISIBLE), ""))
    return table


def _ranges(codes: list[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) runs."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return [(first, last) for first, last in runs]


@lru_cache(maxsize=1)
def character_data() -> dict:
    """The parsed ``cleaner/data/characters.toml``."""
    return tomllib.loads(resources.files("cleaner").joinpath("data/characters.toml").read_text("utf-8"))


def _run_of(codes: list[int]) -> re.Pattern:
    """A run of the characters ``codes``, written ``[X][X]*``: sre scans fast for the first character only
    of a pattern that starts with a single class (``[X]+`` is tried at every position, several times slower)."""
    one = "[" + "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in _ranges(codes)) + "]"
    return re.compile(one + one + "*")


class _InContext(NamedTuple):
    """An in-context entry, with the strings its pattern cannot match without (see
    :func:`cleaner.prefilter.required_literals`): text without them is not searched."""

    pattern: regex.Pattern
    replace: str
    needs: tuple[frozenset[str], ...]


class _Wanted(NamedTuple):
    """Runs of the characters the table replaces and of the ``gates``, a character of which every text
    that an in-context entry changes holds (one of each entry's first needs, see :class:`_InContext`): so
    the one search finds both. ``gated``: whether a text without gates can skip the in-context entries
    (every entry has needs, and no replacement of the table brings a gate in)."""

    run: re.Pattern
    gates: frozenset[str]
    gated: bool


@lru_cache(maxsize=1)
def _compiled() -> tuple[dict[str, str], _Wanted, tuple[_InContext, ...]]:
    data = character_data()
    table = _unicode_table()
    for entry in (*data["mismapped"], *data["radicals"]):
        table[entry["wrong"]] = entry["right"]
    in_context = tuple(_InContext(regex.compile(e["pattern"], regex.VERSION1), e["replace"],
                                  required_literals(e["pattern"], 0) or ()) for e in data["in-context"])
    gates = frozenset(needed[0] for entry in in_context for clause in entry.needs[:1] for needed in clause)
    gated = all(entry.needs for entry in in_context) and not any(gates.intersection(v) for v in table.values())
    # \t \n \r are kept: \r is the paragraphs step's business (CRLF), tabs the spacing step's. The class
    # is written as ranges for the standard `re`, which scans it many times faster than `regex` does.
    wanted = _Wanted(_run_of(sorted(map(ord, set(table) | gates))), gates, gated)
    return table, wanted, in_context


def fix_characters(text: str) -> str:
    """Replace look-alike, compatibility and invisible characters by the right ones.

    >>> fix_characters("⼈民（ＡＢＣ１２３）已经做了具体布臵\\u200b。⑴ ⒈ 〈〉")
    '人民（ABC123）已经做了具体布置。⑴ ⒈ 〈〉'
    >>> fix_characters("二○一八年\\u00a0\\ufeff第\\x0c页")
    '二〇一八年 第\\n页'
    """
    table, wanted, _ = _compiled()
    gates_met = not wanted.gated

    def replace(match: re.Match) -> str:
        nonlocal gates_met
        gates_met = gates_met or not wanted.gates.isdisjoint(match[0])
        return "".join(table.get(char, char) for char in match[0])  # a gate stays as it is

    text = wanted.run.sub(replace, text)
    return fix_in_context(text) if gates_met else text


def fix_in_context(text: str) -> str:
    """The table's in-context entries alone: look-alikes that are wrong only beside certain characters
    (the normalise step runs them again on each part, whose cuts give characters new neighbours).

    >>> fix_in_context("二○一八年，○ 选项")
    '二〇一八年，○ 选项'
    """
    for pattern, replacement, needs in _compiled()[2]:
        for clause in needs:
            if not any(string in text for string in clause):
                break
        else:
            text = pattern.sub(replacement, text)
    return text


def to_nfc(text: str) -> str:
    """Unicode NFC (composed characters); compatibility characters such as ⑴ ⒈ 〈 and ，stay.

    >>> to_nfc("cafe\\u0301 ⑴ ⒈ 〈书〉，")
    'café ⑴ ⒈ 〈书〉，'
    """
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
