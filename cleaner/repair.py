"""Step ``repair``: undo damage done before the file reached us (mojibake).

The foundation repairs nothing yet; it is the place where mojibake repair records what it changed.

>>> repair_text("智慧城市")
('智慧城市', ())
"""

from __future__ import annotations

from dataclasses import replace

from .records import Page


def repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Return the repaired text and the names of the repairs applied."""
    return text, ()


def step(page: Page, config) -> Page:
    text, repairs = repair_text(page.text)
    return replace(page, text=text, repairs=page.repairs + repairs)
