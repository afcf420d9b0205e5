"""How Chinese a text looks: character tiers and a plausibility score, at C speed.

Detection (which codec gives real Chinese?) and mojibake repair (is the repaired run better?) ask the same
question, so both use :func:`profile` and :func:`plausibility` from here.

The "common hanzi" tier needs no frequency list: it is the union of GB2312 level 1 (rows 0xB0–0xD7, the
3755 most used simplified characters) and Big5 常用字 (0xA440–0xC67E, 5401 common traditional ones),
generated from Python's own codecs at import time, plus the few dozen characters of written Cantonese
that only Big5-HKSCS has. Other ideographs are "rare"; U+FFFD, private-use
characters and C1 controls are "bad": a wrong decoding produces them, a right one almost never does.
Counting is done with compiled character classes (``re.sub`` of runs), not a per-character loop, but
for a text of a few characters.

>>> profile("智慧城市,建设。鍦ㄥ叏\ufffd")
Profile(chars=11, good=7, rare=2, bad=1, kana=0, hangul=0)
>>> plausibility(profile("智慧城市,建设。")) > 0.9
True
>>> plausibility(profile("鍦ㄥ叏鍖烘帹杩涙櫤鎱у煄甯傚缓璁")) < 0.5
True
"""

from __future__ import annotations

import re
from typing import NamedTuple


def _decodable_pairs(codec: str, leads: range, trails: tuple[range, ...]) -> list[str]:
    chars = []
    for lead in leads:
        for trail_range in trails:
            for trail in trail_range:
                try:
                    chars.append(bytes((lead, trail)).decode(codec))
                except UnicodeDecodeError:
                    pass
    return chars


def _class_of(chars) -> str:
    """A regex character class body for ``chars``, with consecutive code points folded into ranges."""
    points = sorted(set(map(ord, chars)))
    parts = []
    start = previous = points[0]
    for point in points[1:] + [-1]:
        if point != previous + 1:
            parts.append(re.escape(chr(start)) + ("" if start == previous else "-" + re.escape(chr(previous))))
            start = point
        previous = point
    return "".join(parts)


_GB2312_LEVEL1 = _decodable_pairs("gb2312", range(0xB0, 0xD8), (range(0xA1, 0xFF),))
_BIG5_COMMON = [
    char
    for char in _decodable_pairs("big5", range(0xA4, 0xC7), (range(0x40, 0x7F), range(0xA1, 0xFF)))
    if "\u4e00" <= char <= "\u9fff"
]
#: Characters of written Cantonese that every Hong Kong text uses and Big5 lacks (Big5-HKSCS has them).
CANTONESE = "佢冇嗰喺啱嚟哋嘅咗㗎嘢啲咁噉嘞喎嘥乜睇攞揾搵瞓諗冚嚿啩噃氹嬲嗌啫吖喐噚揸"
#: The common-hanzi tier (simplified, traditional, Cantonese), as a character class body.
COMMON_HANZI = _class_of(_GB2312_LEVEL1 + _BIG5_COMMON + list(CANTONESE))
#: Punctuation that Chinese text uses all the time: CJK and full-width forms, curly quotes, dashes, the
#: small forms that Big5 text writes for ，、。；：？！ (﹐﹑﹒﹔﹕﹖﹗), ── (Big5's dash) and ○ (as zero).
#: Not the other small forms, bullets and stars: GB2312 punctuation read as Big5 turns into those.
CHINESE_PUNCT = (
    "\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e"
    "\uffe0-\uffe5\ufe50-\ufe57"
    "\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u2027\u2500\u25cb"
)
#: Every other ideograph: CJK extension A, unified block, compatibility ideographs, planes 2 and 3.
HANZI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: Full-width digits and letters: as neutral as ASCII (Big5 and GB2312 both have them, in other places).
FULL_WIDTH_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
#: What wrong decodings produce: replacement character, private use, C1 controls, non-characters.
BAD = "\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x80-\x9f\ufffe\uffff"
#: Hiragana and katakana (not the half-width katakana, which Shift_JIS makes of any byte 0xA1-0xDF).
KANA = "\u3040-\u30ff\u31f0-\u31ff"
HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"

#: ASCII is neutral and removed in the same pass as the good characters.
_ASCII_OR_GOOD = re.compile(f"[\\x00-\\x7f{COMMON_HANZI}{CHINESE_PUNCT}]+")
_FULL_WIDTH_ALNUM = re.compile(f"[{FULL_WIDTH_ALNUM}]+")
_RARE = re.compile(f"[{HANZI}]+")
_BAD = re.compile(f"[{BAD}]+")
_KANA = re.compile(f"[{KANA}]+")
_HANGUL = re.compile(f"[{HANGUL}]+")


class Profile(NamedTuple):
    """Counts of the non-ASCII characters of a text by tier (ASCII and full-width digits and letters are
    neutral and not counted)."""

    chars: int
    good: int
    rare: int
    bad: int
    kana: int = 0
    hangul: int = 0

    @property
    def other(self) -> int:
        """Letters and symbols of other scripts (Latin-1, Greek, box drawing, ...)."""
        return self.chars - self.good - self.rare - self.bad - self.kana - self.hangul


def _removed(pattern: re.Pattern, text: str) -> tuple[int, str]:
    rest = pattern.sub("", text)
    return len(text) - len(rest), rest


#: Tiers of :func:`_tier`, indexes into the counts of :func:`_short_profile`.
_T_ASCII, _T_GOOD, _T_NEUTRAL, _T_RARE, _T_BAD, _T_KANA, _T_HANGUL, _T_OTHER = range(8)
#: Texts this short are counted character by character (see :func:`profile`).
SHORT = 16
#: The tier of each character met in a short text (at most :data:`_MAX_KNOWN` are kept).
_known_tiers: dict[str, int] = {}
_MAX_KNOWN = 1 << 16


def _tier(char: str) -> int:
    """The first class of :func:`profile`'s passes that holds ``char``."""
    if char.isascii():
        return _T_ASCII
    for tier, pattern in ((_T_GOOD, _ASCII_OR_GOOD), (_T_NEUTRAL, _FULL_WIDTH_ALNUM), (_T_RARE, _RARE),
                          (_T_BAD, _BAD), (_T_KANA, _KANA), (_T_HANGUL, _HANGUL)):
        if pattern.match(char):
            return tier
    return _T_OTHER


def _short_profile(text: str, scripts: bool) -> Profile:
    counts = [0] * 8
    for char in text:
        tier = _known_tiers.get(char)
        if tier is None:
            tier = _tier(char)
            if len(_known_tiers) < _MAX_KNOWN:
                _known_tiers[char] = tier
        counts[tier] += 1
    return Profile(len(text) - counts[_T_ASCII] - counts[_T_NEUTRAL], counts[_T_GOOD], counts[_T_RARE], counts[_T_BAD],
                   counts[_T_KANA] if scripts else 0, counts[_T_HANGUL] if scripts else 0)


def profile(text: str, scripts: bool = False) -> Profile:
    """Count ``text``'s non-ASCII characters per tier; with ``scripts``, count kana and hangul too.

    Each pass only sees what earlier passes left, so on real Chinese text the passes after the first cost
    almost nothing. A text of :data:`SHORT` characters or fewer (mojibake repair scores many small
    spans) is counted character by character, each character's tier looked up once: a regular expression
    pass costs more than that loop there.
    """
    if len(text) <= SHORT:
        return _short_profile(text, scripts)
    return _profile(text, scripts, None)


def profile_unless_below(text: str, ceiling: float, scripts: bool = False, forgiven: int = 0) -> Profile | None:
    """:func:`profile` of ``text``, or None when the first pass shows that its :func:`plausibility` is
    below ``ceiling`` whatever the other characters are (saving the other passes), even with up to
    ``forgiven`` U+FFFD left out of the count.

    >>> profile_unless_below("鍦ㄥ\ufffd\ufffd\ufffd叏鍖烘帹杩涙櫤鎱у煄甯傚缓璁", 0.5) is None
    True
    >>> profile_unless_below("智慧城市,建设。", 0.5)
    Profile(chars=7, good=7, rare=0, bad=0, kana=0, hangul=0)
    """
    if len(text) <= SHORT:
        return _short_profile(text, scripts)
    return _profile(text, scripts, ceiling, forgiven)


def _most_plausible(good: int, replaced: int, unknown: int) -> float:
    """The highest :func:`plausibility` of a text with ``good`` good characters, ``replaced`` U+FFFD (bad)
    and ``unknown`` other non-ASCII characters that are not good: each of those adds at most what a rare
    hanzi adds (a quarter), or nothing (neutral), so the best is all of them rare or all neutral."""
    known = good + replaced
    scores = [(good + 0.25 * unknown - 3 * replaced) / (known + unknown)] if known + unknown else [0.0]
    scores.append((good - 3 * replaced) / known if known else 0.0)
    return max(scores)


def _profile(text: str, scripts: bool, ceiling: float | None, forgiven: int = 0) -> Profile | None:
    ascii_chars = len(text.encode("ascii", "ignore"))
    removed, rest = _removed(_ASCII_OR_GOOD, text)
    good = removed - ascii_chars
    if ceiling is not None:
        replaced = rest.count("\ufffd")
        if _most_plausible(good, max(0, replaced - forgiven), len(rest) - replaced) < ceiling:
            return None
    neutral, rest = _removed(_FULL_WIDTH_ALNUM, rest) if rest else (0, rest)
    rare, rest = _removed(_RARE, rest) if rest else (0, rest)
    bad, rest = _removed(_BAD, rest) if rest else (0, rest)
    kana, rest = _removed(_KANA, rest) if rest and scripts else (0, rest)
    hangul, rest = _removed(_HANGUL, rest) if rest and scripts else (0, rest)
    return Profile(len(text) - ascii_chars - neutral, good, rare, bad, kana, hangul)


def plausibility(p: Profile) -> float:
    """How much ``p`` looks like Chinese text, from about -3 (garbage) to 1 (all common hanzi/punctuation).

    Rare hanzi count a little (real text has some), other scripts count against, bad characters much more.
    A text with no non-ASCII characters scores 0: there is no evidence either way.
    """
    if not p.chars:
        return 0.0
    return (p.good + 0.25 * p.rare - 0.5 * (p.other + p.kana + p.hangul) - 3 * p.bad) / p.chars
