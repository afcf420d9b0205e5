"""Step ``detect``: choose the codec that decodes an input's bytes.

Cheap certain checks first (byte order mark, strict UTF-8), then chardet, whose answer is mapped to the
codec that decodes that family best (the whole GB family decodes with ``gb18030``).

>>> detect("智慧城市".encode("gbk")).encoding
'gb18030'
>>> detect("\\ufeff智慧城市".encode("utf-8"))
Detection(encoding='utf-8-sig', confidence=1.0, method='bom', reason='UTF-8 byte order mark')
"""

from __future__ import annotations

import codecs
from dataclasses import replace

import chardet

from .records import Detection, Page

#: Bytes looked at: detection costs the same for a 100 MB file as for a 1 MB one.
SAMPLE_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE byte order mark"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE byte order mark"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 byte order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE byte order mark"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE byte order mark"),
)

#: chardet names mapped to the codec that decodes the family as browsers do.
_CODEC_FOR = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030"}


def _valid_utf8_prefix(sample: bytes, truncated: bool) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A sample cut inside a character is still UTF-8.
        return truncated and error.start >= len(sample) - 3 and error.reason == "unexpected end of data"
    return True


def detect(data: bytes) -> Detection:
    """Return the codec for ``data``, judged on a bounded sample."""
    for bom, encoding, reason in _BOMS:
        if data.startswith(bom):
            return Detection(encoding, 1.0, "bom", reason)
    sample = data[:SAMPLE_BYTES]
    if sample.isascii():
        return Detection("utf-8", 1.0, "ascii", "7-bit bytes only")
    if _valid_utf8_prefix(sample, truncated=len(data) > len(sample)):
        return Detection("utf-8", 0.99, "utf-8", "valid UTF-8 multi-byte sequences")
    guess = chardet.detect(sample)
    name = (guess.get("encoding") or "").lower()
    if not name:
        return Detection("utf-8", 0.0, "fallback", "chardet found no encoding")
    codec = codecs.lookup(_CODEC_FOR.get(name, name)).name
    return Detection(codec, round(float(guess.get("confidence") or 0.0), 3), "chardet", f"chardet: {name}")


def step(page: Page, config) -> Page:
    """Fill ``page.detection``; ``--encoding`` overrides detection."""
    if config.encoding:
        detection = Detection(codecs.lookup(config.encoding).name, 1.0, "given", "--encoding")
    else:
        detection = detect(page.data)
    return replace(page, detection=detection)
