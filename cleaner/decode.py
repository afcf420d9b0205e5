"""Step ``decode``: bytes to text with the detected codec, never silently corrupting it.

Under ``errors="replace"`` each run of undecodable bytes becomes one U+FFFD and the bytes are counted
(``replaced_bytes`` in the metadata); nothing else in the text changes. Under ``errors="strict"`` the
first bad byte fails the input. Bytes with more bad bytes than a few stray ones are not text in that
codec and fail the input either way. Line endings become ``\\n`` (CRLF and lone CR alike), so later steps
see lines. Valid input is decoded by the codec alone, at its own speed.

>>> decode_bytes(b"\\xd6\\xc7\\xbb\\xdb\\r\\n\\xb3\\xc7\\xca\\xd0\\xff", "gb18030")
('智慧\\n城市\\ufffd', 1)
>>> decode_bytes("正文".encode("utf-8")[:-1], "utf-8")
('正\\ufffd', 2)
"""

from __future__ import annotations

import codecs
import threading
from dataclasses import replace

from .errors import UndecodableError
from .records import Page

#: Above this share of undecodable bytes (and more than a few) the input is not text in that codec.
MAX_BAD_SHARE = 0.05
FEW_BAD_BYTES = 4

_local = threading.local()


class _TooManyBadBytes(Exception):
    pass


def _count_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    _local.bad += error.end - error.start
    if _local.bad > _local.limit:  # garbage: stop at once instead of replacing it all
        raise _TooManyBadBytes
    return "\ufffd", error.end


codecs.register_error("cleaner-count", _count_and_replace)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def bad_byte_limit(size: int) -> int:
    """The most undecodable bytes that ``size`` bytes of text may hold: a few stray ones, or 5%."""
    return max(FEW_BAD_BYTES, int(MAX_BAD_SHARE * size))


def decode_bytes(data: bytes, encoding: str, errors: str = "replace") -> tuple[str, int]:
    """Decode ``data``; return the text and the number of undecodable bytes replaced."""
    if errors == "strict":
        try:
            return normalise_newlines(data.decode(encoding)), 0
        except UnicodeDecodeError as error:
            raise UndecodableError(
                f"byte {error.start} is not valid {encoding} ({error.reason}); --errors strict"
            ) from None
    _local.bad, _local.limit = 0, bad_byte_limit(len(data))
    try:
        text = data.decode(encoding, "cleaner-count")
    except _TooManyBadBytes:
        raise UndecodableError(f"more than {_local.limit} of {len(data)} bytes are not valid {encoding}") from None
    return normalise_newlines(text), _local.bad


def step(page: Page, config) -> Page:
    try:
        text, bad = decode_bytes(page.data, page.detection.encoding, config.errors)
    except UndecodableError as error:
        if page.detection.method == "given" or config.errors == "strict":
            raise
        raise UndecodableError(f"not text in any supported encoding ({error})") from None
    return replace(page, text=text, replaced=bad)
