"""Step ``strip``: remove site boilerplate with the rules of ``cleaner/rules/*.toml``.

Every rule runs on the text as decoded, so the spans it removes are recorded at their place in that
text (``Removal.start``); overlapping spans go to the rule that starts first. Copies of the page title
on lines of their own are removed too (the title is kept as ``page_title``).

>>> from cleaner.rules import load_rules
>>> page = "当前位置:文档之家› 智慧城市发言稿\\n\\n智慧城市发言稿\\n\\n同志们:今天开会。\\n\\n相关主题\\n链接"
>>> result = strip_text(page, load_rules())
>>> result.text
'\\n\\n同志们:今天开会。\\n\\n'
>>> result.page_title, [r.rule for r in result.removals]
('智慧城市发言稿', ['breadcrumb', 'repeated-title', 'footer-related'])
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .records import Page, Removal
from .rules import Rule, load_rules

#: The page title is looked for in this many first non-blank lines when no rule names it.
TITLE_LINES = 3
#: A line longer than this is body text, not a title.
MAX_TITLE_CHARS = 80


@dataclass(frozen=True)
class Stripped:
    text: str
    page_title: str | None
    removals: tuple[Removal, ...]


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole lines, with the newline that ends the last one."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end + 1


def _rule_spans(text: str, rule: Rule) -> tuple[list[tuple[int, int]], str | None]:
    """Spans the rule removes from ``text`` and the page title it names, if any."""
    spans, title = [], None
    if rule.kind == "cut-footer":
        match = rule.pattern.search(text)
        return ([(_line_span(text, match.start(), match.start())[0], len(text))] if match else []), None
    for match in rule.pattern.finditer(text):
        if match.start() == match.end():
            continue
        if rule.kind == "drop-line":
            spans.append(_line_span(text, match.start(), match.end()))
            if title is None and "title" in match.groupdict() and match["title"]:
                title = match["title"].strip()
        elif rule.kind == "remove-span":
            spans.append((match.start(), match.end()))
    return spans, title


def _title_lines(text: str, title: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip() == title:
            spans.append((offset, offset + len(line)))
        offset += len(line)
    return spans


def _first_line_title(text: str) -> str | None:
    """A short first line that the page repeats on a line of its own is the page title."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for candidate in lines[:TITLE_LINES]:
        if len(candidate) <= MAX_TITLE_CHARS and lines.count(candidate) > 1:
            return candidate
    return None


def _merge(text: str, marked: list[tuple[int, int, str]]) -> tuple[Removal, ...]:
    """Non-overlapping removals, earliest first; a span inside an earlier one is dropped."""
    removals, reached = [], 0
    for start, end, rule in sorted(marked, key=lambda s: (s[0], -s[1])):
        start = max(start, reached)
        if start < end:
            removals.append(Removal(rule, start, text[start:end]))
            reached = end
    return tuple(removals)


def strip_text(text: str, rules: tuple[Rule, ...]) -> Stripped:
    marked: list[tuple[int, int, str]] = []
    page_title = None
    for rule in rules:
        if rule.kind == "heading":  # used by the split step
            continue
        spans, title = _rule_spans(text, rule)
        marked.extend((start, end, rule.name) for start, end in spans)
        page_title = page_title or title
    page_title = page_title or _first_line_title(text)
    if page_title:
        marked.extend((start, end, "repeated-title") for start, end in _title_lines(text, page_title))
    removals = _merge(text, marked)
    pieces, reached = [], 0
    for removal in removals:
        pieces.append(text[reached : removal.start])
        reached = removal.end
    pieces.append(text[reached:])
    return Stripped("".join(pieces), page_title, removals)


def step(page: Page, config) -> Page:
    result = strip_text(page.text, load_rules(config.rule_files))
    return replace(page, text=result.text, page_title=result.page_title, removals=result.removals)
