"""The pipeline in one place: detect → decode → characters → repair → strip → split → normalise (→ write).

Each step is ``step(page, config) -> page`` in its own module; adding a step touches that module and
:data:`STEPS`. Writing is done by :mod:`cleaner.output` from the documents.

>>> [doc.text for doc in clean_bytes("当前位置:文档之家› 标题\\n标题\\n正文。".encode("gb18030"))]
['标题\\n\\n正文。']
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from . import decode, detect, normalise, repair, split, strip
from .config import Config
from .explain import rules_by_part
from .records import Document, Page

Step = Callable[[Page, Config], Page]

STEPS: tuple[tuple[str, Step], ...] = (
    ("detect", detect.step),
    ("decode", decode.step),
    ("characters", normalise.page_step),
    ("repair", repair.step),
    ("strip", strip.step),
    ("split", split.step),
    ("normalise", normalise.step),
)


def run(data: bytes, source: str = "<bytes>", config: Config = Config()) -> Page:
    """Run every step on one input; raises :class:`cleaner.errors.CleanerError` for a bad input.

    Once decoded, the bytes are let go (``Page.data`` is emptied), so that a caller who passed on its
    only reference (``run(read(), ...)``) does not hold a large input twice, as bytes and as text.
    """
    page = Page(source=source, data=data, size=len(data))
    del data
    for name, step in STEPS:
        page = step(page, config)
        if name == "decode":
            page = replace(page, data=b"")
    return page


def documents(page: Page) -> list[Document]:
    """The page's parts as documents with their metadata."""
    detection = page.detection
    count = len(page.parts)
    rules = rules_by_part(page)
    return [
        Document(
            id=page.source if count == 1 else f"{page.source}#{index}",
            text=part.text,
            metadata={
                "source": page.source,
                "part": index,
                "parts": count,
                "title": part.title,
                "page_title": page.page_title,
                "marker": part.marker,
                "truncated": part.truncated,
                "encoding": detection.encoding,
                "encoding_confidence": detection.confidence,
                "encoding_method": detection.method,
                "encoding_reason": detection.reason,
                "replaced_bytes": page.replaced,
                "repairs": list(page.repairs),
                "rules": list(dict.fromkeys([*rules[index - 1], *(r.rule for r in part.removals)])),
                "removed_chars": page.removed_chars,
                "normalise": list(page.normalised),
                "punct": page.punct,
            },
        )
        for index, part in enumerate(page.parts, 1)
    ]


def clean_bytes(data: bytes, source: str = "<bytes>", config: Config = Config()) -> list[Document]:
    """Clean one input's bytes into its documents (none when it holds only boilerplate)."""
    return documents(run(data, source, config))


def clean_text(text: str, source: str = "<text>", config: Config = Config()) -> list[Document]:
    """Clean text that is already decoded."""
    return clean_bytes(text.encode("utf-8"), source, config.with_(encoding="utf-8"))
