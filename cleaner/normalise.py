"""Step ``normalise``: tidy each document's text.

>>> normalise_text("　　标题  \\n\\n\\n\\n正文。 \\n")
'标题\\n\\n正文。'
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import regex

from .records import Page

_TRAILING_SPACE = regex.compile(r"[ \t\u3000]+$", regex.MULTILINE)
_LEADING_INDENT = regex.compile(r"^[ \t\u3000]+", regex.MULTILINE)
_BLANK_RUNS = regex.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """NFC, no indents or trailing spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", _LEADING_INDENT.sub("", text))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def step(page: Page, config) -> Page:
    parts = tuple(replace(part, text=normalise_text(part.text)) for part in page.parts)
    return replace(page, parts=tuple(part for part in parts if part.text))
