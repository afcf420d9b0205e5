"""Step ``decode``: bytes to text with the detected codec, never silently corrupting it.

Undecodable bytes become U+FFFD under ``errors="replace"`` (and are counted), or fail the input under
``errors="strict"``. Line endings become ``\\n`` (CRLF and lone CR alike), so later steps see lines.

>>> decode_bytes(b"\\xd6\\xc7\\xbb\\xdb\\r\\n\\xb3\\xc7\\xca\\xd0\\xff", "gb18030")
('智慧\\n城市\\ufffd', 1)
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


def _count_and_replace(error: UnicodeDecodeError) -> tuple[str, int]:
    _local.bad += error.end - error.start
    return "\ufffd", error.end


codecs.register_error("cleaner-count", _count_and_replace)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode_bytes(data: bytes, encoding: str, errors: str = "replace") -> tuple[str, int]:
    """Decode ``data``; return the text and the number of undecodable bytes replaced."""
    if errors == "strict":
        try:
            return normalise_newlines(data.decode(encoding)), 0
        except UnicodeDecodeError as error:
            raise UndecodableError(
                f"byte {error.start} is not valid {encoding} ({error.reason}); --errors strict"
            ) from None
    _local.bad = 0
    text = data.decode(encoding, "cleaner-count")
    bad = _local.bad
    if bad > max(FEW_BAD_BYTES, MAX_BAD_SHARE * len(data)):
        raise UndecodableError(f"{bad} of {len(data)} bytes are not valid {encoding}; not text")
    return normalise_newlines(text), bad


def step(page: Page, config) -> Page:
    text, bad = decode_bytes(page.data, page.detection.encoding, config.errors)
    return replace(page, text=text, replaced=bad)
