"""Step ``repair``: undo mojibake, text that was decoded with the wrong codec before it reached us.

Each kind of damage is undone by encoding the text back with the codec that mis-decoded it and decoding
the bytes with the right one: UTF-8 read as GBK (``鍦ㄥ叏鍖`` for ``在全区``), GBK read as Latin-1 or
cp1252 (``ÖÇ»Û`` for ``智慧``), UTF-8 read as cp1252, Big5 read as GBK and GBK read as Big5. Whether
text is damaged, and whether an undo is a repair, is judged by the plausibility score detection uses
(:mod:`cleaner.hanzi`): a repair is applied only where the text reads badly (rare hanzi, private-use
characters, Latin letters where Chinese was meant) and the undone text reads clearly better. It is
tried on the whole text, then on each damaged line, each damaged run between ASCII and each damaged
span inside a run, so a mis-decoded title inside good text is repaired too. Good text is never touched:
clean text costs one regex search (no damaged-looking pair of characters, nothing to do).

>>> repair_text("鍦ㄥ叏鍖烘帹杩涙櫤鎱у煄甯傚缓璁俱€傛櫤鎱у煄甯傦紒")
('在全区推进智慧城市建设。智慧城市！', ('mojibake: utf-8 read as gbk',))
>>> repair_text("鍦ㄥ叏鍖烘帹杩涙櫤鎱у煄甯傚缓璁")  # the last byte of 设 went with the damage
('在全区推进智慧城市建\ufffd', ('mojibake: utf-8 read as gbk',))
>>> repair_text("ÖÇ»Û³ÇÊÐ")
('智慧城市', ('mojibake: gbk read as latin-1',))
>>> repair_text("标题：ÖÇ»Û³ÇÊÐ。")
('标题：智慧城市。', ('mojibake: gbk read as latin-1',))
>>> repair_text("标题：鍦ㄥ叏鍖烘帹杩涙櫤鎱у煄甯傚缓璁俱€傛")
('标题：在全区推进智慧城市建设。\ufffd', ('mojibake: utf-8 read as gbk',))
>>> repair_text("智慧城市")
('智慧城市', ())
"""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import replace
from typing import Callable, Iterator, NamedTuple

from .hanzi import CHINESE_PUNCT, COMMON_HANZI, HANGUL, KANA, Profile, plausibility, profile, profile_unless_below
from .normalise.paragraphs import replaced
from .records import Page

#: What cp1252 shows for bytes 0x80-0x9F; with Latin-1 for the rest, a mis-decoded byte string is
#: recovered from either codec's output.
_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_TO_CP1252_BYTE = {ord(char): char.encode("cp1252").decode("latin-1") for char in _CP1252_SPECIALS}
_CP1252_SPECIAL = re.compile(f"[{re.escape(_CP1252_SPECIALS)}]")
#: Characters a byte >= 0x80 becomes when read as Latin-1 or cp1252.
_HIGH = f"\\x80-\\xff{re.escape(_CP1252_SPECIALS)}"

#: Damaged-looking neighbours, the pre-check: two Latin-1 characters side by side (not counting the
#: quotes, dashes, ellipsis and middle dot that Chinese text uses), or two characters side by side that
#: are neither ASCII nor common hanzi nor Chinese punctuation (rare hanzi, private use, U+FFFD, letters
#: of other scripts). Two searches for a pair of character classes, several hundred MB/s each (an
#: alternation of the two would be several times slower).
_SUSPICIOUS = f"[^\\x00-\\x7f\\s{COMMON_HANZI}{CHINESE_PUNCT}]"
_SUSPICIOUS_PAIR = re.compile(_SUSPICIOUS * 2)  # written out twice: sre runs X{2} several times slower
_LATIN_PAIR = re.compile(f"[\\x80-\\xb6\\xb8-\\xff{re.escape('€‚ƒ„†‡ˆ‰Š‹ŒŽ•–˜™š›œžŸ')}]" * 2)


#: Either kind of pair, the first look at a text: a pair of characters that are suspicious or Latin-1
#: (the union of the two classes: the suspicious class without the two Latin-1 spaces, NEL and NBSP).
#: One search where two would be needed; only text that has such a pair is searched for the two kinds.
_SPACES_NOT_LATIN = "".join(char for char in map(chr, range(0x3001)) if char.isspace() and char not in "\x85\xa0")
_EITHER = f"[^\\x00-\\x7f{re.escape(_SPACES_NOT_LATIN)}{COMMON_HANZI}{CHINESE_PUNCT}]"
_EITHER_PAIR = re.compile(_EITHER * 2)


def _looks_damaged(text: str, start: int = 0, end: int | None = None) -> bool:
    """``text[start:end]`` holds a damaged-looking pair (pairs lie inside a line: no line break in them)."""
    end = len(text) if end is None else end
    return bool(_SUSPICIOUS_PAIR.search(text, start, end) or _LATIN_PAIR.search(text, start, end))


def _damaged_lines(text: str) -> Iterator[tuple[int, int]]:
    """The start and end of each line of ``text`` that looks damaged, in order: one search for either pair
    over the text, the two exact searches only on the lines where it finds one."""
    position = 0
    while found := _EITHER_PAIR.search(text, position):
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        if _looks_damaged(text, found.start(), end):  # no pair of either kind starts before the first one
            yield start, end
        position = end + 1


#: Fewer damaged-looking characters than this are too little evidence to repair (一○○ and 忡忡 are good).
MIN_CHARS = 4
#: A token that may be bytes read as Latin-1: a whole run of printable ASCII and Latin-1 characters, two
#: of them high. (From the run's start and without backtracking: a long run of ASCII is read once.)
_LATIN_TOKEN = re.compile(f"(?<![\\x21-\\x7e\\ufffd{_HIGH}])[\\x21-\\x7e\\ufffd]*+[{_HIGH}][\\x21-\\x7e\\ufffd]*+[{_HIGH}]"
                          f"[\\x21-\\x7e\\ufffd{_HIGH}]*+")
#: A run of non-ASCII characters (no whitespace) that holds a suspicious one: where a mis-decoded
#: multi-byte text sits. (From the run's start, not inside one; the lazy repeat keeps it linear.) A run of
#: fewer than MIN_CHARS characters is left out: no span of it could be repaired.
_DAMAGED_RUN = re.compile(
    f"(?<![^\\x00-\\x7f\\s])(?=[^\\x00-\\x7f\\s]{{{MIN_CHARS}}})[^\\x00-\\x7f\\s]*?{_SUSPICIOUS}[^\\x00-\\x7f\\s]*+"
)
#: Inside a run: a span from a suspicious character to a suspicious one, at most a few good ones between.
_GOOD = f"[{COMMON_HANZI}{CHINESE_PUNCT}]"
_SPAN = re.compile(f"{_SUSPICIOUS}(?:{_GOOD}{{0,4}}{_SUSPICIOUS})*")
#: Letters of scripts whose text reads badly as Chinese without being damaged: kana, hangul, Greek,
#: Cyrillic, accented Latin (GB2312 has them all; some "repair" into Chinese through Big5).
_LETTERS_OF_OTHER_SCRIPTS = re.compile(f"[{KANA}{HANGUL}\\u0370-\\u03ff\\u0400-\\u04ff\\u00c0-\\u024f]")

#: Text that reads at least this well as Chinese is left alone.
READS_WELL = 0.75
#: A repair must read at least this well, and this much better than the text it replaces.
GOOD_ENOUGH = 0.8
BETTER_BY = 0.25


def _latin_bytes(text: str) -> bytes:
    """The bytes that Latin-1 or cp1252 decoded into ``text``.

    cp1252's characters are put back as their bytes only in text that holds one, which the encoder's first
    complaint shows (a character it names that is none of them fails the text either way).
    """
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as error:
        if ord(text[error.start]) not in _TO_CP1252_BYTE:
            raise
    return _CP1252_SPECIAL.sub(lambda match: _TO_CP1252_BYTE[ord(match[0])], text).encode("latin-1")


def _gb18030_bytes(text: str) -> bytes:
    return text.encode("gb18030")


def _gbk_pieces_of_utf8(text: str) -> list[bytes]:
    """The UTF-8 bytes that GBK decoded into ``text``, in pieces between lost bytes (U+FFFD).

    Browsers and Windows read a lone 0x80 as €, GB18030 reads A2E3 as €: each € is put back as whichever
    of the two continues the UTF-8 around it better (a lost byte counts as a continuation byte there).
    """
    if "€" not in text and "\ufffd" not in text:
        return [text.encode("gb18030")]
    tokens = [token for token in re.split("([€\ufffd])", text) if token]
    encoded = [b"\x80" if token in "€\ufffd" else token.encode("gb18030") for token in tokens]
    pieces, piece = [], bytearray()
    for index, token in enumerate(tokens):
        if token == "\ufffd":
            pieces.append(bytes(piece))
            piece = bytearray()
            continue
        if token == "€":
            before = b"".join(encoded[max(0, index - 3) : index])[-6:]
            after = b"".join(encoded[index + 1 : index + 4])[:6]
            final = index + 1 == len(tokens)
            misses = {
                reading: codecs.getincrementaldecoder("utf-8")("replace").decode(before + reading + after, final)
                .count("\ufffd")
                for reading in (b"\xa2\xe3", b"\x80")
            }
            encoded[index] = min(misses, key=misses.get)  # a tie keeps A2E3
        piece += encoded[index]
    return pieces + [bytes(piece)]


def _big5_bytes(text: str) -> bytes:
    """The bytes that Big5 (or Big5-HKSCS, where the two differ) decoded into ``text``."""
    try:
        return text.encode("big5")
    except UnicodeEncodeError:
        return text.encode("big5hkscs")


def _utf8_text(pieces: list[bytes]) -> str:
    """UTF-8 resynchronises by itself: a lost byte costs only the character it was part of. (The lost byte
    is not guessed: one U+FFFD of GBK may stand for one byte or two.)"""
    return b"".join(pieces).decode("utf-8", "replace")


def _double_byte_text(pieces: list[bytes], codec: str) -> str:
    """Each piece decoded alone, joined by one U+FFFD for the character that a lost byte was part of.

    A lost byte was a trail byte when the piece before ends inside a character; otherwise it was a lead
    byte and its trail byte starts the next piece, where it is skipped. Either way the rest stays aligned.
    """
    texts: list[str] = []
    carry = skip = False
    for index, piece in enumerate(pieces):
        if index:  # a byte was lost between the previous piece and this one
            if skip:  # the trail byte that was to be skipped: its character is counted already
                skip = False
            else:
                texts.append("\ufffd")
                skip = not carry  # nothing pending: the lost byte was a lead, its trail starts this piece
        if skip and piece:
            piece, skip = piece[1:], False
        decoder = codecs.getincrementaldecoder(codec)("replace")
        texts.append(decoder.decode(piece, final=False))
        carry = bool(decoder.getstate()[0])
    if carry:
        texts.append("\ufffd")
    return "".join(texts)


def _big5_text(pieces: list[bytes]) -> str:
    """Big5, or Big5-HKSCS where plain Big5 lacks characters (the narrowest codec that decodes)."""
    try:
        for piece in pieces:
            piece.decode("big5")
    except UnicodeDecodeError:
        return _double_byte_text(pieces, "big5hkscs")
    return _double_byte_text(pieces, "big5")


class Damage(NamedTuple):
    """A way text gets mis-decoded, named "<the right codec> read as <the wrong one>".

    ``encode`` gets those bytes back from the damaged text, in pieces: U+FFFD in the damaged text stands
    for a byte that was lost when it was damaged. ``decode`` reads the pieces right. Either raises
    UnicodeError when the text cannot have come from this damage.
    """

    name: str
    encode: Callable[[str], list[bytes]]
    decode: Callable[[list[bytes]], str]
    latin: bool  # the damaged text is Latin-1 letters (else CJK characters, see _reads_damaged)


def _in_pieces(encode: Callable[[str], bytes]) -> Callable[[str], list[bytes]]:
    """Encode the pieces of a text between its U+FFFD (bytes lost in the damage) each on its own."""
    return lambda text: [encode(piece) for piece in text.split("\ufffd")]


#: One function per wrong codec, shared by the damages it made: :func:`_undo` encodes a text back once per
#: wrong codec.
_LATIN_PIECES = _in_pieces(_latin_bytes)
DAMAGES = (
    Damage("utf-8 read as gbk", _gbk_pieces_of_utf8, _utf8_text, latin=False),
    Damage("big5 read as gbk", _in_pieces(_gb18030_bytes), _big5_text, latin=False),
    Damage("gbk read as big5", _in_pieces(_big5_bytes), lambda pieces: _double_byte_text(pieces, "gb18030"), latin=False),
    Damage("gbk read as latin-1", _LATIN_PIECES, lambda pieces: _double_byte_text(pieces, "gb18030"), latin=True),
    Damage("utf-8 read as latin-1", _LATIN_PIECES, _utf8_text, latin=True),
    Damage("big5 read as latin-1", _LATIN_PIECES, _big5_text, latin=True),
)


def _reads_damaged(before: Profile, text: str) -> bool:
    """Carries the marks of a wrong CJK decoding: rare hanzi, private-use characters, U+FFFD, at least a
    fifth of its characters and more of them than letters of other scripts.

    Text in another script (Japanese, Korean, Greek, Russian, accented Latin) and symbols (①②③) read
    badly as Chinese too, and some of them "repair" into Chinese (GB2312 has kana and Cyrillic where
    Big5 has common hanzi, HKSCS has ① where GB2312 has 情); but they have no rare hanzi.
    """
    evidence = before.rare + before.bad
    return evidence >= 0.2 * before.chars and len(_LETTERS_OF_OTHER_SCRIPTS.findall(text)) <= evidence


def _repaired_profile(repaired: str, lost: int, per_lost: int = 2, alone: bool = True,
                      ceiling: float | None = None) -> Profile | None:
    """The profile of a repair, less the U+FFFD that bytes lost in the damage cost it (``per_lost`` each:
    one character, two orphan bytes in UTF-8), and those for a character cut at either end of the
    damaged text: no fault of the repair. A short text judged ``alone`` is forgiven only its ends.

    With ``ceiling``, None when the repair cannot read that well (see :func:`profile_unless_below`)."""
    cut = repaired.startswith("\ufffd") + repaired.endswith("\ufffd")
    if ceiling is None:
        after = profile(repaired)
    else:
        after = profile_unless_below(repaired, ceiling, forgiven=per_lost * lost + cut)
        if after is None:
            return None
    allowed = cut if alone and after.chars < 8 else per_lost * lost + cut
    forgiven = min(repaired.count("\ufffd"), allowed)
    return after._replace(chars=after.chars - forgiven, bad=after.bad - forgiven)


class Repair(NamedTuple):
    score: float
    text: str
    damage: str


def _undo(text: str) -> Repair | None:
    """The best repair of ``text``, or None when no undo reads clearly better than ``text`` itself.

    Of repairs that read equally well, the one with fewer U+FFFD wins: it lost fewer characters.
    """
    if len(text) < MIN_CHARS:  # fewer characters still: no need to count them
        return None
    before = profile(text)
    if before.chars < MIN_CHARS or plausibility(before) >= READS_WELL:
        return None
    cjk_allowed = _reads_damaged(before, text)
    floor = plausibility(before) + BETTER_BY
    lost = text.count("\ufffd")  # bytes lost in the damage
    best, best_rank = None, None
    encoded: dict[Callable, list[bytes] | None] = {}  # None: the text cannot come from that codec
    for damage in DAMAGES:
        if not (damage.latin or cjk_allowed):
            continue
        if damage.encode not in encoded:
            try:
                encoded[damage.encode] = damage.encode(text)
            except UnicodeError:
                encoded[damage.encode] = None
        pieces = encoded[damage.encode]
        if pieces is None:
            continue
        try:
            repaired = damage.decode(pieces)
        except UnicodeError:
            continue
        if len(repaired) - repaired.count("\ufffd") < max(2, before.good + 1):
            continue  # too few characters left to bring back the common hanzi asked below
        # a repair reads at least GOOD_ENOUGH and better than the floor (less a margin for float rounding)
        after = _repaired_profile(repaired, lost, 2 if damage.decode is _utf8_text else 1,
                                  ceiling=max(GOOD_ENOUGH, floor) - 1e-9)
        if after is None:
            continue
        score = plausibility(after)
        few = after.chars < 8
        rank = (score, -repaired.count("\ufffd"))
        if (
            after.good >= max(2, before.good + 1)  # a repair brings back common hanzi
            and score >= (0.9 if few else GOOD_ENOUGH)
            and score > floor
            and after.bad <= (0 if few else after.chars // 20)
            and (best_rank is None or rank > best_rank)
        ):
            best, best_rank = Repair(score, repaired, "mojibake: " + damage.name), rank
    return best


def repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Return the repaired text and the names of the repairs applied (each once, in order)."""
    damaged = _damaged_lines(text)
    first = next(damaged, None)
    if not first:
        return text, ()
    whole = _undo(text) if "\n" in text else None  # a single line is tried below
    if whole and _no_line_worse(text, whole.text):
        return whole.text, (whole.damage,)
    applied: list[str] = []
    fixes = []
    for start, end in itertools.chain([first], damaged):  # the other lines stay as they are
        line = text[start:end]
        fixed = _fix(line, applied)
        if fixed == line:  # damage inside a good line: tokens of Latin-1, runs of CJK characters
            fixed = _LATIN_TOKEN.sub(lambda match: _fix(match.group(), applied), line)
            fixed = _DAMAGED_RUN.sub(lambda match: _fix_run(match.group(), applied), fixed)
        if fixed != line:
            fixes.append((start, end, fixed))
    return replaced(text, fixes), tuple(dict.fromkeys(applied))


def _no_line_worse(text: str, repaired: str) -> bool:
    """A repair of the whole text must not make any line that could be judged on its own read worse."""
    before, after = text.split("\n"), repaired.split("\n")
    if len(before) != len(after):
        return False
    for old, new in zip(before, after):
        if old != new:
            old_profile = profile(old)
            new_profile = _repaired_profile(new, old.count("\ufffd"), alone=False)
            if old_profile.chars >= MIN_CHARS and plausibility(new_profile) < plausibility(old_profile):
                return False
    return True


def _fix(span: str, applied: list[str]) -> str:
    found = _undo(span)
    if not found:
        return span
    applied.append(found.damage)
    return found.text


def _fix_run(run: str, applied: list[str]) -> str:
    """Repair a whole run of CJK characters, or failing that the damaged spans inside it.

    A span is widened by up to two characters on each side when that repairs it better: a mis-decoded
    character can happen to be a good one, and then the span would start or end inside the damage.
    """
    fixed = _fix(run, applied)
    if fixed != run:
        return fixed
    pieces, position = [], 0
    for match in _SPAN.finditer(run):
        start, end = match.span()
        if start < position or end - start < MIN_CHARS - 2:
            continue
        best = None
        for left in range(max(position, start - 2), start + 1):
            for right in range(end, min(len(run), end + 2) + 1):
                if left == 0 and right == len(run):  # the whole run: it has no repair (tried above)
                    continue
                found = _undo(run[left:right])
                if found and (best is None or found.score > best[0].score):
                    best = (found, left, right)
        if best:
            found, left, right = best
            pieces += [run[position:left], found.text]
            applied.append(found.damage)
            position = right
    return "".join(pieces) + run[position:]


def step(page: Page, config) -> Page:
    text, repairs = repair_text(page.text)
    if not repairs:  # nothing repaired: the text is the same (copying the record costs more than the check)
        return page
    return replace(page, text=text, repairs=page.repairs + repairs)
