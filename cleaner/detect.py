"""Step ``detect``: choose the codec that decodes an input's bytes, and say how it was decided.

Cheap certain checks come first: magic numbers of binary formats, byte order marks, the NUL pattern of
UTF-16/32, 7-bit text, UTF-8 (tolerating a few bad bytes and a sample cut inside a character). Bytes
that are none of these are decoded as GB18030, Big5 and (when the byte pattern allows) BOM-less UTF-16,
and the decoding that reads most like Chinese wins (:mod:`cleaner.hanzi`). chardet decides only where
that evidence is weak or the text is not Chinese (Japanese, Korean, most Latin): it is slow, and one bad
byte in a long GBK file makes it answer a single-byte codec that "decodes" anything.

Everything is judged on a bounded sample (the head of the file plus a few line-aligned windows further
on), so a 100 MB file costs no more to detect than a 1 MB one.

>>> detect("智慧城市建设".encode("gbk"))
Detection(encoding='gb18030', confidence=0.66, method='chinese-score', reason='reads as Chinese in gb18030: 6/6 common hanzi or punctuation')
>>> detect("智慧城市".encode("big5")).encoding
'big5'
>>> detect("\\ufeff智慧城市".encode("utf-8"))
Detection(encoding='utf-8-sig', confidence=1.0, method='bom', reason='UTF-8 byte order mark')
>>> detect("正文。".encode("utf-8") + b"\\xff").reason
'UTF-8 but for 1 bad byte sequence'
>>> detect(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
Traceback (most recent call last):
  ...
cleaner.errors.BinaryInputError: binary file (PNG image), skipped
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from typing import NamedTuple

import chardet

from .errors import BinaryInputError, UndecodableError
from .hanzi import Profile, plausibility, profile, profile_unless_below
from .records import Detection, Page

#: Bytes of the head that detection looks at; a longer file adds a few windows from further on.
SAMPLE_BYTES = 64 * 1024
WINDOW_BYTES = 4 * 1024
WINDOWS = 3
#: Bytes of the sample that candidate decodings are scored on (see :func:`_excerpt`).
EXCERPT_BYTES = 2 * 1024
#: Bytes of the excerpt looked at to tell Japanese or Korean from Chinese.
FOREIGN_BYTES = 1024

#: A decoding this plausible (see :func:`cleaner.hanzi.plausibility`) is Chinese without asking chardet.
CHINESE = 0.5
#: A candidate below this is no rival to one above CHINESE: it cannot change the choice or the confidence
#: (which counts a second-best candidate only above CHINESE; the margin keeps float rounding out of it).
UNCONTESTED = CHINESE - 0.01
#: chardet's own "do not trust this" level; below its no-match level (0.10) it is guessing at garbage
#: (random bytes get 0.02-0.06, short real Greek or Russian text 0.2-0.4).
CHARDET_TRUSTED = 0.2
CHARDET_NO_MATCH = 0.1
#: Above this share of bad characters in the best decoding, the bytes are not text.
MAX_BAD_SHARE = 0.05

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE byte order mark"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE byte order mark"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 byte order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE byte order mark"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE byte order mark"),
)

#: Leading bytes of binary formats that turn up named ``.txt`` in scraped folders.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "GZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 document (doc/xls/ppt)"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"BZh", "BZIP2 archive"),
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"RIFF", "RIFF media (WAV/AVI/WebP)"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x00\x00\x01\x00", "ICO image"),
    (b"BM", "BMP image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"wOFF", "WOFF font"),
)
#: Formats whose magic is also plain text ("MZ", "BM", "ID3", "RIFF" can start a sentence): these count
#: only when a NUL or control byte follows soon after.
_WEAK_MAGIC = frozenset({b"MZ", b"BM", b"ID3", b"RIFF", b"BZh"})

#: Control bytes that text does not contain (tab, line feed, vertical tab, form feed, carriage return and
#: escape are left out; NUL is judged separately).
_CONTROL_BYTES = bytes(range(0x01, 0x09)) + bytes(range(0x0E, 0x1B)) + bytes(range(0x1C, 0x20)) + b"\x7f"
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
MAX_CONTROL_SHARE = 0.2

#: High bytes of UTF-16 code units of Chinese text: general and CJK punctuation, ideographs, full-width forms.
_UTF16_HIGH_CHINESE = bytes([0x20, 0x30]) + bytes(range(0x4E, 0xA0)) + bytes([0xFF])
_ASCII_BYTES = bytes(range(0x80))
_ASCII_RUN_TAIL = re.compile(rb"(?<=[\x00-\x7f])[\x00-\x7f]+")

#: Letters and punctuation of Western European text in cp1252, the evidence for :func:`_latin`.
_LATIN_LETTERS = re.compile(
    "[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u00a1\u00a3\u00a7\u00a9\u00ab\u00ae\u00b0\u00b7\u00bb\u00bf\u20ac\u2013\u2014\u2018\u2019\u201c\u201d\u2026]"
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")

#: chardet names whose family decodes with another codec (browsers decode the GB family as GB18030).
_CODEC_FOR = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030"}
#: Vendor supersets and the standard codec to prefer when it decodes the bytes too (the narrowest that
#: decodes: the supersets map some shared bytes differently).
_NARROWER = {"cp932": "shift_jis", "cp949": "euc_kr", "cp950": "big5"}


class Candidate(NamedTuple):
    encoding: str
    text: str
    profile: Profile

    @property
    def score(self) -> float:
        return plausibility(self.profile)


def detect(data: bytes) -> Detection:
    """Return the codec for ``data``, judged on a bounded sample.

    Raises :class:`BinaryInputError` for a binary file and :class:`UndecodableError` for bytes that are
    not text in any supported encoding.
    """
    if not data:
        return Detection("utf-8", 1.0, "empty", "empty input")
    head = data[:SAMPLE_BYTES]
    _refuse_binary_magic(head)
    for bom, encoding, reason in _BOMS:
        if head.startswith(bom):
            return Detection(encoding, 1.0, "bom", reason)
    if b"\x00" in head:
        return _by_nul_pattern(head)
    controls = len(head.translate(None, _NOT_CONTROL))
    if controls > MAX_CONTROL_SHARE * len(head):
        raise BinaryInputError(f"binary file ({controls / len(head):.0%} control bytes), skipped")
    sample, cut = _sample(data)
    if sample.isascii():
        return _seven_bit(sample, whole=len(sample) == len(data))
    return _utf8(sample, cut) or _legacy(sample, head, cut)


#: The formats of :data:`_MAGIC` by their first byte, in order: most text starts with none of them.
_MAGIC_BY_FIRST_BYTE: dict[int, list[tuple[bytes, str]]] = {}
for _magic, _kind in _MAGIC:
    _MAGIC_BY_FIRST_BYTE.setdefault(_magic[0], []).append((_magic, _kind))
del _magic, _kind


def _refuse_binary_magic(head: bytes) -> None:
    for magic, kind in _MAGIC_BY_FIRST_BYTE.get(head[0], ()):
        if head.startswith(magic):
            if magic in _WEAK_MAGIC and not _has_binary_bytes(head[:64]):
                continue
            raise BinaryInputError(f"binary file ({kind}), skipped")


def _has_binary_bytes(data: bytes) -> bool:
    return b"\x00" in data or bool(data.translate(None, _NOT_CONTROL))


def _by_nul_pattern(head: bytes) -> Detection:
    """UTF-32 or BOM-less UTF-16 recognised by where the zero bytes are; other NUL bytes mean binary."""
    usable = len(head) // 4 * 4
    quarters = [head[i:usable:4] for i in range(4)]
    for encoding, zeros, mostly_zero, order in (
        ("utf-32-le", quarters[3], quarters[2], "LE"),
        ("utf-32-be", quarters[0], quarters[1], "BE"),
    ):
        if zeros and zeros.count(0) == len(zeros) and mostly_zero.count(0) >= 0.9 * len(mostly_zero):
            if _clean(_candidate(head[: min(usable, EXCERPT_BYTES)], encoding, cut=True)):
                return Detection(encoding, 0.99, "utf-32-pattern", f"zero bytes of UTF-32 {order} code units")
    even_length = head[: min(len(head), EXCERPT_BYTES) // 2 * 2]
    decodings = [c for c in (_candidate(even_length, e, cut=True) for e in ("utf-16-le", "utf-16-be")) if _clean(c)]
    even, odd = even_length[0::2].count(0), even_length[1::2].count(0)
    best = max(decodings, key=lambda c: c.score, default=None)
    for found in decodings:  # ASCII in UTF-16: zero bytes in one place of one code unit in ten or more
        here, there = (odd, even) if found.encoding == "utf-16-le" else (even, odd)
        # unless what is not ASCII reads as garbage and the other order as Chinese (一 is U+4E00)
        garbage = found.profile.chars and found.score < CHINESE and best.score >= CHINESE
        if here > 3 * there and here >= 0.1 * len(even_length) / 2 and not garbage:
            return Detection(found.encoding, 0.99, "utf-16-pattern", f"UTF-16 {found.encoding[-2:].upper()} "
                             "without byte order mark: zero bytes in every other place")
    if best and best.score >= CHINESE and all(best.score > c.score for c in decodings if c is not best):
        return Detection(best.encoding, 0.99, "utf-16-pattern", f"UTF-16 {best.encoding[-2:].upper()} without "
                         "byte order mark: zero bytes in code units, and reads as Chinese")
    raise BinaryInputError("binary file (NUL bytes), skipped")


def _clean(found: Candidate) -> bool:
    """At most a few bad sequences, almost no control characters and no NUL (wrong byte orders and
    binary data give them)."""
    text = found.text
    controls = len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_CONTROL))
    return "\x00" not in text and text.count("\ufffd") <= 2 + len(text) // 1000 and controls <= 0.01 * len(text) + 1


def _sample(data: bytes) -> tuple[bytes, bool]:
    """The bytes to judge and whether they end inside a character of ``data``.

    A long file gives its head plus a few windows spread over the rest, each cut to whole lines so that
    no window starts or ends inside a character (a long file with no line ends gives its head only).
    """
    if len(data) <= SAMPLE_BYTES:
        return data, False
    head = data[:SAMPLE_BYTES]
    line_end = head.rfind(b"\n", SAMPLE_BYTES - WINDOW_BYTES)
    if line_end < 0:
        return head, True
    pieces = [head[: line_end + 1]]
    stride = (len(data) - SAMPLE_BYTES) // WINDOWS
    for index in range(1, WINDOWS + 1):
        end = SAMPLE_BYTES + index * stride
        window = data[max(SAMPLE_BYTES, end - WINDOW_BYTES) : end]
        first, last = window.find(b"\n"), window.rfind(b"\n")
        if first < last:
            pieces.append(window[first + 1 : last + 1])
    return b"".join(pieces), False


def _seven_bit(sample: bytes, whole: bool) -> Detection:
    if b"~{" in sample:  # HZ: GB2312 shifted into 7 bits between ~{ and ~}
        try:
            found = _candidate(sample, "hz", cut=False)
        except UnicodeDecodeError:
            found = None
        if found and found.profile.chars and found.score >= CHINESE:
            return Detection("hz", _confidence(found.score, found.profile.chars), "hz",
                             "GB2312 text between HZ escapes ~{ ~}")
    if b"\x1b" in sample:  # ISO-2022 escape sequences: chardet knows them
        guess, _ = _chardet(sample, cut=False)
        if guess:
            return guess
    if whole:
        return Detection("ascii", 1.0, "ascii", "7-bit bytes only")
    return Detection("utf-8", 1.0, "ascii", "7-bit bytes in the sample; UTF-8 reads them the same")


def _utf8(sample: bytes, cut: bool) -> Detection | None:
    """UTF-8 when the sample is valid UTF-8, or is but for a few bad sequences among many good ones."""
    try:
        sample.decode("utf-8")
        return Detection("utf-8", 0.99, "utf-8", "valid UTF-8")
    except UnicodeDecodeError as error:
        if cut and error.reason == "unexpected end of data" and _valid_utf8(sample[: error.start]):
            return Detection("utf-8", 0.99, "utf-8", "valid UTF-8")
        first_error = error.start
    # Quick answer for other encodings: many bad sequences straight away (often in the first few bytes).
    if _decoded(sample[first_error : first_error + 64], "utf-8", cut=True).count("\ufffd") > 4:
        return None
    if sample[: first_error + 1024].decode("utf-8", "replace").count("\ufffd") > 4:
        return None
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=not cut)
    bad = text.count("\ufffd")
    multibyte = _non_ascii(text) - bad
    if bad <= 4 + multibyte // 200 and multibyte >= 3 * bad:
        confidence = round(min(0.99, 1 - bad / (multibyte + 1)), 2)
        plural = "s" if bad > 1 else ""
        return Detection("utf-8", confidence, "utf-8", f"UTF-8 but for {bad} bad byte sequence{plural}")
    return None


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii(text: str) -> int:
    return sum(map(len, _NON_ASCII_RUN.findall(text)))


def _decoded(data: bytes, encoding: str, cut: bool) -> str:
    return codecs.getincrementaldecoder(encoding)("replace").decode(data, final=not cut)


def _ascii_chars(text: str) -> int:
    return len(text.encode("ascii", "ignore"))


def _candidate(data: bytes, encoding: str, cut: bool, scripts: bool = False) -> Candidate:
    text = _decoded(data, encoding, cut)
    return Candidate(encoding, text, profile(text, scripts))


def _legacy(sample: bytes, head: bytes, cut: bool) -> Detection:
    """Neither ASCII nor UTF-8: the candidate decoding that reads most like Chinese, or chardet's answer."""
    excerpt, excerpt_cut = _excerpt(sample, cut)
    gb = _candidate(excerpt, "gb18030", excerpt_cut, scripts=True)
    candidates = [gb]
    big5_encoding, big5_text = _big5(excerpt, excerpt_cut, gb)
    # Where GB18030 reads as Chinese, a Big5 reading that scores below UNCONTESTED can neither win nor
    # lower the confidence (see _chinese): its profile is left unfinished once that is certain.
    big5_profile = profile_unless_below(big5_text, UNCONTESTED) if gb.score >= CHINESE else profile(big5_text)
    if big5_profile:
        candidates.append(Candidate(big5_encoding, big5_text, big5_profile))
    for encoding in _utf16_orders(head):
        candidates.append(_candidate(head[: min(len(head), EXCERPT_BYTES) // 2 * 2], encoding, cut=True))
    best = max(candidates, key=lambda c: c.score)  # max keeps the first of equals: gb18030 before big5
    second = max((c.score for c in candidates if c is not best), default=0.0)
    foreign = _foreign_language(excerpt, excerpt_cut, gb)
    if foreign:  # chardet knows Japanese and Korean; it must agree before we leave Chinese
        guess, language = _chardet(sample, cut)
        if guess and language == foreign:
            return guess
    if best.score >= CHINESE:
        return _chinese(best, second)
    latin = _latin(excerpt)
    if latin:
        return latin
    guess, _ = _chardet(sample, cut)
    if guess and guess.confidence >= CHARDET_TRUSTED:
        return guess
    if best.score > 0 and best.profile.bad <= MAX_BAD_SHARE * best.profile.chars:
        return _chinese(best, second)
    if guess and guess.confidence >= CHARDET_NO_MATCH:
        return guess
    raise UndecodableError("not text in any supported encoding")


def _excerpt(sample: bytes, cut: bool) -> tuple[bytes, bool]:
    """Up to :data:`EXCERPT_BYTES` of the sample's non-ASCII text, and whether it ends inside a character.

    Candidates are scored on this only. Where the head is mostly ASCII (English with a few Chinese
    words, markup), ASCII runs are shortened to their first byte: that keeps every multi-byte character
    whole (a trail byte in the ASCII range directly follows its lead byte) and brings the non-ASCII text
    of the sample together.
    """
    excerpt = sample[:EXCERPT_BYTES]
    high = len(excerpt.translate(None, _ASCII_BYTES))
    if high >= len(excerpt) // 2:
        return excerpt, cut or len(excerpt) < len(sample)
    source = sample if high < len(excerpt) // 8 else sample[: 4 * EXCERPT_BYTES]
    compact = _ASCII_RUN_TAIL.sub(b"", source)
    return compact[:EXCERPT_BYTES], cut or len(source) < len(sample) or len(compact) > EXCERPT_BYTES


def _big5(sample: bytes, cut: bool, gb: Candidate | None = None) -> tuple[str, str]:
    """Big5, or Big5-HKSCS when that decodes more of the bytes (the narrowest codec that decodes), and the
    decoded text.

    HKSCS is not tried when GB18030 reads the bytes cleanly as Chinese already.
    """
    big5 = _decoded(sample, "big5", cut)
    bad = big5.count("\ufffd")
    if bad and not (gb and gb.score >= 0.9 and not gb.profile.bad):
        hkscs = _decoded(sample, "big5hkscs", cut)
        if hkscs.count("\ufffd") < bad:
            return "big5hkscs", hkscs
    return "big5", big5


def _utf16_orders(head: bytes) -> list[str]:
    """BOM-less UTF-16 byte orders worth scoring: most high bytes are those of Chinese code units, and the
    low bytes are not mostly ASCII (as they are in ASCII or Latin text, whose letters look like high bytes).
    """
    head = head[:EXCERPT_BYTES]
    if len(head) < 4:
        return []
    orders = []
    for encoding, high_bytes, low_bytes in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        others = len(high_bytes.translate(None, _UTF16_HIGH_CHINESE))
        if others <= 0.15 * len(high_bytes) and len(low_bytes.translate(None, _ASCII_BYTES)) >= 0.25 * len(low_bytes):
            orders.append(encoding)
    return orders


def _foreign_language(excerpt: bytes, cut: bool, gb: Candidate) -> str:
    """The language (``ja``, ``ko``) the bytes may be in rather than Chinese, else ''.

    EUC-KR hangul sit where GB2312 has common hanzi, EUC-JP kana where Big5 has common hanzi (and where
    GB2312 has its kana), Shift_JIS kanji where GBK has rare hanzi: a Chinese score alone cannot tell. A
    clean decoding that is mostly kana or hangul can.
    """
    checks = [("euc-kr", "ko", 0.8), ("shift_jis", "ja", 0.3)]
    if gb.profile.kana >= 0.3 * gb.profile.chars:
        checks.append(("euc-jp", "ja", 0.3))
    piece = excerpt[:FOREIGN_BYTES]
    high_bytes = len(piece.translate(None, _ASCII_BYTES))
    for encoding, language, share in checks:
        # More bad characters than allowed below, whatever the profile (U+FFFD are bad), is often clear from
        # the first bytes: these codecs read ASCII bytes as ASCII, so every other character takes a high byte.
        if _decoded(piece[: FOREIGN_BYTES // 4], encoding, cut=True).count("\ufffd") > 0.01 * high_bytes:
            continue
        text = _decoded(piece, encoding, cut=True)
        if text.count("\ufffd") > 0.01 * (len(text) - _ascii_chars(text)):
            continue
        p = profile(text, scripts=True)
        letters = p.kana if language == "ja" else p.hangul
        if p.chars >= 2 and p.bad <= 0.01 * p.chars and letters >= share * p.chars:
            return language
    return ""


def _chinese(best: Candidate, second: float) -> Detection:
    p = best.profile
    score = best.score
    confidence = _confidence(min(score, 0.5 + score - max(second, 0.0)), p.chars)
    return Detection(best.encoding, confidence, "chinese-score",
                     f"reads as Chinese in {best.encoding}: {p.good}/{p.chars} common hanzi or punctuation")


def _confidence(score: float, chars: int) -> float:
    """Plausibility scaled down for little evidence: a few characters are never certain."""
    return round(max(0.0, min(0.99, score)) * chars / (chars + 2), 2)


def _latin(sample: bytes) -> Detection | None:
    """cp1252 when every non-ASCII byte is a Western European letter or quote, standing alone in words."""
    text = sample.decode("cp1252", "replace")
    runs = _NON_ASCII_RUN.findall(text)
    chars = sum(map(len, runs))
    if not runs or max(map(len, runs)) > 3:
        return None
    letters = len(_LATIN_LETTERS.findall(text))
    if letters < chars:
        return None
    return Detection("cp1252", _confidence(1.0, chars), "latin", "Western European letters in single bytes")


def _decodes(data: bytes, encoding: str, cut: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=not cut)
    except UnicodeDecodeError:
        return False
    return True


def _chardet(sample: bytes, cut: bool) -> tuple[Detection | None, str]:
    """chardet's answer as a codec that decodes the sample (None when it has none), and its language."""
    guess = chardet.detect(sample)
    name = (guess.get("encoding") or "").lower()
    try:
        codec = codecs.lookup(_CODEC_FOR.get(name, name)).name if name else None
    except LookupError:
        codec = None
    if not codec:
        return None, ""
    reason = f"chardet: {name}"
    if codec in ("big5", "big5hkscs"):
        codec = _big5(sample, cut)[0]
    elif codec in _NARROWER and _decodes(sample, _NARROWER[codec], cut):
        codec = _NARROWER[codec]
        reason += f", and the narrower {codec} decodes it"
    confidence = round(float(guess.get("confidence") or 0.0), 2)
    return Detection(codec, confidence, "chardet", reason), guess.get("language") or ""


def step(page: Page, config) -> Page:
    """Fill ``page.detection``; ``--encoding`` overrides detection."""
    if config.encoding:
        detection = Detection(codecs.lookup(config.encoding).name, 1.0, "given", "--encoding")
    else:
        detection = detect(page.data)
    return replace(page, detection=detection)
