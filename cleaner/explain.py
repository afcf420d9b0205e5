"""Explain a cleaning: the input with every removed span marked with its rule, and the split points.

A :class:`~cleaner.records.Page` holds all it takes: the stripped text, the removals (each with its
place in the input) and the parts with their markers. Plain rendering marks a removed span
``[-TEXT-]{rule}`` and a split point ``[=part N: MARKER=]`` (the marker's text goes with the split;
``[=part N=]`` where a part begins without a marker, at a repeated title);
the rich rendering strikes removed spans through in one colour per rule, with a legend. What a part
lost when it was stripped again as a document of its own (:func:`cleaner.split.settle`) is listed after
the text, under its part's number.

>>> from cleaner import run
>>> page = run("当前位置:文档之家› 讲话\\n讲话\\n篇一:春游记\\n正文一。\\n篇二:秋游记\\n正文二。".encode(), "p.txt")
>>> print(render_plain(page), end="")
# p.txt: 2 documents, page title 讲话, 17 characters removed
[-当前位置:文档之家› 讲话
-]{breadcrumb}[-讲话
-]{repeated-title}[=part 1: 篇一:=]春游记
正文一。
[=part 2: 篇二:=]秋游记
正文二。
# rules: breadcrumb 1, repeated-title 1
>>> rules_by_part(page)
[('breadcrumb', 'repeated-title'), ()]
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

import regex

from .records import Page, Removal

#: Colours given to rules in the order they first fire (rich rendering).
PALETTE = ("red", "magenta", "yellow", "cyan", "blue", "green", "bright_red", "bright_magenta", "bright_yellow",
           "bright_cyan", "bright_blue", "bright_green")
#: How much of a part's first line is looked for to place a part that has no marker.
PROBE_CHARS = 30


@dataclass(frozen=True)
class Segment:
    """A stretch of the input: kept (``rule`` and ``part`` None), removed by ``rule``, or the marker
    text where ``part`` begins."""

    text: str
    rule: str | None = None
    part: int | None = None


def _pattern(probe: str) -> regex.Pattern:
    """``probe`` as a pattern that any punctuation mark and any run of spaces can match (normalising may
    have changed their width)."""
    pieces = [r"\s*" if c.isspace() else regex.escape(c) if c.isalnum() else r"[^\w\s]" for c in probe]
    return regex.compile("".join(pieces))


def _place(text: str, part, cursor: int) -> int:
    """Where a part begins at or after ``cursor``; -1 when it cannot be found.

    A marker is looked for after the part's title (``关于背书的作文1``), then at a line start, then
    anywhere. A part without one begins at its body's first line, or at the first of the title lines
    (and blank lines) that stand right before it.
    """
    if part.marker:
        marker = regex.escape(part.marker)
        title = _pattern(part.title).pattern + r"[^\S\n]*" if part.title else None
        for pattern in filter(None, (title and f"(?<={title}){marker}", rf"(?m)(?<=^[^\S\n]*){marker}", marker)):
            found = regex.compile(pattern).search(text, cursor)
            if found:
                return found.start()
        return -1
    body = part.text[len(part.title) :] if part.title and part.text.startswith(part.title) else part.text
    opening = body.strip().partition("\n")[0][:PROBE_CHARS]
    found = _pattern(opening).search(text, cursor) if opening else None
    if not found:
        return -1
    if part.title:
        title = _pattern(part.title)
        for line in regex.compile(r"(?m)^[^\S\n]*" + title.pattern).finditer(text, cursor, found.start()):
            if not title.sub("", text[line.start() : found.start()]).strip():
                return line.start()
    return found.start()


def part_starts(page: Page) -> list[int | None]:
    """Where each part begins in the stripped text (see :func:`_place`); the first part at 0 unless its
    marker is found. ``None`` when a later part cannot be found."""
    starts: list[int | None] = []
    cursor = 0
    for index, part in enumerate(page.parts):
        found = _place(page.text, part, cursor) if index or part.marker else 0
        starts.append(found if found >= 0 else None)
        cursor = max(cursor, found + 1)
    return starts


def _output_positions(page: Page) -> list[int]:
    """Each removal's place in the stripped text."""
    positions, removed = [], 0
    for removal in page.removals:
        positions.append(removal.start - removed)
        removed += len(removal.text)
    return positions


def rules_by_part(page: Page) -> list[tuple[str, ...]]:
    """The rules that removed something from each part's stretch of the page, in first-fired order.

    The opening (before the first part) belongs to the first part, a footer to the last. When a part's
    place is unknown, every part gets the page's rules.
    """
    starts = part_starts(page)
    if not starts or None in starts:
        return [page.rules_fired] * len(page.parts)
    starts[0] = 0
    fired: list[dict[str, None]] = [{} for _ in page.parts]
    for removal, position in zip(page.removals, _output_positions(page)):
        fired[bisect_right(starts, position) - 1][removal.rule] = None
    return [tuple(rules) for rules in fired]


def segments(page: Page) -> list[Segment]:
    """The whole input, in order, cut into kept, removed and marker segments."""
    splits = {}
    for number, (start, part) in enumerate(zip(part_starts(page), page.parts), 1):
        if start is not None and (number > 1 or part.marker):
            splits.setdefault(start, (number, part.marker or ""))
    out: list[Segment] = []

    def keep(start: int, end: int) -> None:
        """Stripped text [start, end), cut at the split points inside it."""
        for split in sorted(s for s in splits if start <= s < end):
            number, marker = splits.pop(split)
            if split > start:
                out.append(Segment(page.text[start:split]))
            out.append(Segment(marker, part=number))
            start = split + len(marker)
        if start < end:
            out.append(Segment(page.text[start:end]))

    reached = 0
    for removal, position in zip(page.removals, _output_positions(page)):
        keep(reached, position)
        out.append(Segment(removal.text, rule=removal.rule))
        reached = max(reached, position)
    keep(reached, len(page.text))
    return out


def _summary(page: Page) -> tuple[str, str]:
    count = len(page.parts)
    head = f"{page.source}: {count} document{'s' * (count != 1)}"
    if page.page_title:
        head += f", page title {page.page_title}"
    head += f", {page.removed_chars} characters removed"
    counts = Counter(r.rule for r in page.all_removals)
    legend = ", ".join(f"{rule} {counts[rule]}" for rule in page.rules_fired) or "none fired"
    return head, legend


def render_plain(page: Page) -> str:
    """The explanation as plain text (for NO_COLOR, pipes and files)."""
    head, legend = _summary(page)
    body = []
    for segment in segments(page):
        if segment.part is not None:
            body.append(f"[=part {segment.part}: {segment.text}=]" if segment.text else f"[=part {segment.part}=]")
        elif segment.rule is not None:
            body.append(f"[-{segment.text}-]{{{segment.rule}}}")
        else:
            body.append(segment.text)
    text = "".join(body)
    settled = "".join(f"# part {number} stripped as a document of its own: [-{removal.text}-]{{{removal.rule}}}\n"
                      for number, removal in _settled(page))
    return f"# {head}\n{text}{'' if text.endswith(chr(10)) else chr(10)}{settled}# rules: {legend}\n"


def _settled(page: Page) -> list[tuple[int, Removal]]:
    """What stripping each part as a document of its own removed (text the page's cuts brought together)."""
    return [(number, removal) for number, part in enumerate(page.parts, 1) for removal in part.removals]


def render_rich(page: Page):
    """The explanation as a rich ``Text``: removed spans struck through, one colour per rule, and a legend."""
    from rich.text import Text

    colours = {rule: PALETTE[index % len(PALETTE)] for index, rule in enumerate(page.rules_fired)}
    head, _ = _summary(page)
    text = Text()
    text.append(f"# {head}\n", style="bold")
    for segment in segments(page):
        if segment.part is not None:
            label = f" part {segment.part}" + (f": {segment.text} " if segment.text else " ")
            text.append(label, style="bold reverse")
        elif segment.rule is not None:
            text.append(segment.text, style=f"strike {colours[segment.rule]}")
        else:
            text.append(segment.text)
    if not text.plain.endswith("\n"):
        text.append("\n")
    for number, removal in _settled(page):
        text.append(f"# part {number} stripped as a document of its own: ", style="bold")
        text.append(removal.text, style=f"strike {colours[removal.rule]}")
        text.append("\n")
    text.append("# rules: ", style="bold")
    counts = Counter(r.rule for r in page.all_removals)
    for index, rule in enumerate(page.rules_fired):
        text.append(", " if index else "")
        text.append(f"{rule} {counts[rule]}", style=colours[rule])
    text.append("\n" if page.rules_fired else "none fired\n")
    return text


def show(page: Page, stream, colour: bool) -> None:
    """Write the explanation of one page to ``stream``: rich styles when ``colour``, else plain text."""
    if colour:
        from rich.console import Console

        Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True).print(render_rich(page), end="")
    else:
        stream.write(render_plain(page))
