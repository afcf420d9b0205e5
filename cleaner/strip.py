"""Step ``strip``: remove site boilerplate with the rules of ``cleaner/rules/*.toml``; find the page title.

Every rule runs on the text as the normalise step will leave it (in the pipeline, see
:mod:`cleaner.normalise.view`; and read without converter pinyin glosses, see :mod:`cleaner.rules`),
and the spans it removes are recorded at their place in the text as the step received it
(``Removal.start``); overlapping spans go to the rule that starts first (a site rule wins a tie with a
generic one). The page's *opening* is its lines before the body starts: the first long line or the
first line that ends a sentence, once the rules' lines are gone. There the title is looked for: a rule
names it, or the opening repeats a line, or a line is a file name. The page title's copies in the
opening (also its variants: with an extension, a ``(通用3篇)`` count, a ``【热门】`` tag, or the real title
inside an uploader's file name) are removed and the cleanest copy is kept as ``page_title``.

>>> from cleaner.rules import load_rules
>>> page = "当前位置:文档之家› 智慧城市发言稿\\n\\n智慧城市发言稿\\n\\n同志们:今天开会。\\n\\n相关主题\\n链接"
>>> result = strip_text(page, load_rules())
>>> result.text
'\\n\\n同志们:今天开会。\\n\\n'
>>> result.page_title, [r.rule for r in result.removals]
('智慧城市发言稿', ['breadcrumb', 'repeated-title', 'footer-related'])
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from itertools import islice, takewhile
from typing import Callable, Iterator

import regex

from .normalise import reader
from .normalise.view import View, view
from .prefilter import Probe, Scanner, finditer, may_match, scanner
from .records import Page, Removal
from .rules import Rule, load_rules

#: The opening is at most this many non-blank lines.
HEAD_LINES = 20
#: A line longer than this (once rules have taken their spans out) is body text and ends the opening.
BODY_LINE_CHARS = 60
#: A header block (kind ``drop-header``) ends within this many lines and holds no line longer than
#: HEADER_LINE_CHARS.
HEADER_LINES = 60
HEADER_LINE_CHARS = 100
#: A line longer than this is not a title.
MAX_TITLE_CHARS = 80
#: A shorter string is never taken for a title variant inside a longer one.
MIN_VARIANT_CHARS = 4
#: Stripping runs at most this many times on a page whose removals changed lines that stay.
STRIP_ROUNDS = 3
#: A fragment (kind ``remove-fragment``) is an injection only when the page holds it this many times.
FRAGMENT_REPEATS = 3
#: ... and only when the page holds this many different confirmed fragments.
FRAGMENT_KINDS = 2
#: Name under which the page title's copies are recorded.
TITLE_RULE = "repeated-title"

_SENTENCE_END = tuple("。！？!?…；;")
#: A pinyin gloss that a simplified-to-traditional converter put after a character: 網(wǎng).
_GLOSS = regex.compile(r"(?<=\p{Han})\([a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]{0,5}\)")
_EXTENSION = regex.compile(r"\.(?:docx?|pptx?|xlsx?|pdf|txt|wps|rtf)$", regex.IGNORECASE)
_COUNT = regex.compile(r"(?:[(（【\[][^()（）【】\[\]\s]{0,4}?)?(?<!第[ \t]?)[0-9一二三四五六七八九十两]{1,3}[ \t]?篇[)）】\]]?$")
_TAG = regex.compile(r"^[【\[][^】\]]{1,6}[】\]]")
_PAGE_CAPTION = regex.compile(r"_第\d+[页頁]$")
#: What separates a part's marker line from a title variant: numbering left over after the title.
_NUMBERING = regex.compile(r"[0-9０-９]|篇|[【(（〔][一二三四五六七八九十]{1,3}[】)）〕]|范[本文][一二三四五六七八九十]")


@dataclass(frozen=True)
class Stripped:
    text: str
    page_title: str | None
    removals: tuple[Removal, ...]
    #: the text's view when nothing was removed (the split step reads the same text: a long one is not read twice)
    reading: View | None = field(default=None, compare=False, repr=False)


def title_core(title: str) -> str:
    """A title without what pages add to it: extension, ``(通用3篇)`` count, ``【热门】`` tag, page caption.

    >>> [title_core(t) for t in ("乡愁读后感(优秀8篇)", "【必备】小学生日记三篇", "指引.docx", "主题句子 第一篇")]
    ['乡愁读后感', '小学生日记', '指引', '主题句子 第一篇']
    """
    core = title.strip()
    for pattern in (_EXTENSION, _PAGE_CAPTION, _COUNT, _TAG):
        core = pattern.sub("", core).strip()
    return core or title.strip()


def _variants(line: str, title: str) -> bool:
    """Whether ``line`` is a copy of ``title``: the same core, or one core inside the other with no
    numbering left over (``小学生日记 篇1`` is a marker line, not a copy).

    >>> _variants("深圳市企业技能人才评价工作指引", "深圳市企业技能人才评价工作指引双转移doc.docx")
    True
    >>> _variants("小学生日记 篇1", "【必备】小学生日记三篇")
    False
    """
    a, b = title_core(line), title_core(title)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_VARIANT_CHARS and short in long and not _NUMBERING.search(long.replace(short, "", 1))


def _cleanest(titles: list[str]) -> str:
    """The copy with no count or tag, shortest first; an extension is never kept."""
    bare = [_EXTENSION.sub("", t).strip() for t in titles]
    return min(bare, key=lambda t: (title_core(t) != t, len(t)))


def _is_subsequence(fragment: str, text: str) -> bool:
    chars = iter(text)
    return all(char in chars for char in fragment)


class _Shadow:
    """The text with pinyin glosses taken out, and the way back to offsets in the text."""

    def __init__(self, text: str) -> None:
        pieces, self._positions, self._shifts, reached, shift = [], [], [], 0, 0
        for match in _GLOSS.finditer(text):
            pieces.append(text[reached : match.start()])
            self._positions.append(match.start() - shift)
            shift += match.end() - match.start()
            self._shifts.append(shift)
            reached = match.end()
        pieces.append(text[reached:])
        self.text = "".join(pieces)

    def original(self, offset: int) -> int:
        """Offset in the text of the shadow's ``offset`` (glosses just before it are skipped over)."""
        count = bisect_right(self._positions, offset)
        return offset + (self._shifts[count - 1] if count else 0)


class _Page:
    """A page being stripped: its lines, the spans marked for removal so far, and title evidence."""

    def __init__(self, text: str, scanner: Scanner | None = None) -> None:
        self.text = text
        self.line_starts = array("q", [0])  # a long page has many lines: 8 bytes each, not 36
        newline = text.find("\n")
        while newline >= 0:
            self.line_starts.append(newline + 1)
            newline = text.find("\n", newline + 1)
        self.marked: list[tuple[int, int, str, int]] = []
        self.titles: list[tuple[int, str]] = []
        self.crumbs: list[tuple[int, str]] = []
        self.fallbacks: list[tuple[int, str]] = []
        self.keywords: list[str] = []
        self.echoes: list[tuple[str, str, int]] = []
        self._covered: list[tuple[int, int]] | None = None
        self._first: dict[str, regex.Match | None] = {}  # by rule name (a rule's hash reads all its fields)
        self.probe = Probe(text, self.line_starts, scanner)

    def matches(self, rule: Rule, endpos: int | None = None) -> Iterator[regex.Match]:
        """The matches of ``rule.pattern.finditer(self.text, 0, endpos)``, found faster
        (:func:`cleaner.prefilter.finditer`)."""
        return finditer(rule.pattern, self.probe, endpos)

    def first(self, rule: Rule) -> regex.Match | None:
        """The rule's first match (looked for once: a footer's is asked for before the rules run)."""
        if rule.name not in self._first:
            self._first[rule.name] = next(self.matches(rule), None)
        return self._first[rule.name]

    def cut(self, rules: tuple[Rule, ...]) -> int | None:
        """Where the first footer the rules find starts (its span runs to the end of the page)."""
        starts = (match.start() for rule in rules if rule.kind == "cut-footer" and (match := self.first(rule)))
        return min((start for start in starts if start < len(self.text)), default=None)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def line_span(self, index: int) -> tuple[int, int]:
        end = self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.text)
        return self.line_starts[index], end

    def widen(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) widened to whole lines, with the newline that ends the last one."""
        last = self.line_of(max(start, end - 1))
        return self.line_starts[self.line_of(start)], self.line_span(last)[1]

    def mark(self, start: int, end: int, rule: Rule | str, priority: int = 0) -> None:
        """Mark [start, end) for removal by a rule (or a step-made name such as TITLE_RULE)."""
        if start < end:
            name, priority = (rule, priority) if isinstance(rule, str) else (rule.name, int(rule.generic))
            self.marked.append((start, end, name, priority))
            self._covered = None

    def covered(self) -> list[tuple[int, int]]:
        """The marked spans merged into disjoint intervals, in order."""
        if self._covered is None:
            self._covered = []
            for start, end, _, _ in sorted(self.marked):
                if self._covered and start <= self._covered[-1][1]:
                    self._covered[-1] = (self._covered[-1][0], max(end, self._covered[-1][1]))
                else:
                    self._covered.append((start, end))
            self._covered_starts = [start for start, _ in self._covered]
        return self._covered

    def note_groups(self, match: regex.Match, rule: Rule) -> None:
        groups = match.groupdict()
        for key, store in (("title", self.titles), ("crumb", self.crumbs), ("fallback", self.fallbacks)):
            if groups.get(key) and groups[key].strip():
                store.append((match.start(), groups[key].strip()))
        if groups.get("keyword"):
            self.keywords.append(groups["keyword"])
        if groups.get("echo") and groups["echo"].strip():
            self.echoes.append((groups["echo"].strip(), rule.name, int(rule.generic)))

    def remaining(self, index: int) -> tuple[str, list[tuple[int, int]]]:
        """What the marked spans leave of a line (without its newline), as text and as pieces."""
        start, end = self.line_span(index)
        end -= self.text.endswith("\n", start, end)
        covered = self.covered()
        pieces, cursor = [], start
        for span_start, span_end in covered[max(bisect_right(self._covered_starts, start) - 1, 0) :]:
            if span_start >= end:
                break
            if span_start > cursor:
                pieces.append((cursor, span_start))
            cursor = max(cursor, span_end)
        if cursor < end:
            pieces.append((cursor, end))
        return "".join(self.text[a:b] for a, b in pieces), pieces

    def head(self) -> list[int]:
        """Indexes of the opening's non-blank lines: those before the first line of body text."""
        lines = []
        for index in range(len(self.line_starts)):
            text = self.remaining(index)[0].strip()
            if not text:
                continue
            if len(text) > BODY_LINE_CHARS or text.endswith(_SENTENCE_END) or len(lines) == HEAD_LINES:
                break
            lines.append(index)
        return lines


def _header_end(page: _Page, rule: Rule) -> int | None:
    """End of the header block that closes with the rule's last match among the first lines.

    The block stops short of body text: a line longer than HEADER_LINE_CHARS, or one that ends a
    sentence (with 。, or another sentence end after 20 characters: a header says 欢迎来到…!) without
    being the rule's own (a header's notice items end with 。 too). Lines that other rules remove do not
    count (cleaning the output again does not see them), nor blank lines.
    """
    if next(page.matches(rule), None) is None:
        return None
    lines = list(islice((i for i in range(len(page.line_starts)) if page.remaining(i)[0].strip()), HEADER_LINES))
    if not lines:  # other rules took every line
        return None
    end, checked = None, 0
    for match in page.matches(rule, page.line_span(lines[-1])[1]):
        for index in range(checked, page.line_of(match.start())):
            line = page.remaining(index)[0].strip()
            ends_sentence = line.endswith("。") or line.endswith(_SENTENCE_END) and len(line) > 20
            if len(line) > HEADER_LINE_CHARS or ends_sentence and not rule.pattern.search(line):
                return end
        checked = page.line_of(match.start())
        end = page.line_span(page.line_of(max(match.start(), match.end() - 1)))[1]
        page.note_groups(match, rule)
    return end


def _apply(page: _Page, rule: Rule, cut: int | None = None) -> None:
    """Mark what one rule (of any kind but the opening's and the fragments') removes; ``cut``: where a
    footer's span starts (see :func:`_needed_before`)."""
    if rule.kind == "drop-header":
        end = _header_end(page, rule)
        if end is not None:
            page.mark(0, end, rule)
        return
    if rule.kind == "cut-footer":
        match = page.first(rule)
        if match:
            page.mark(match.start(), len(page.text), rule)
        return
    needed_before = _needed_before(page, rule, cut)
    for match in page.matches(rule):
        if match.start() >= needed_before:
            break
        if match.start() == match.end():
            continue
        page.note_groups(match, rule)
        if rule.kind == "drop-line":
            page.mark(*page.widen(match.start(), match.end()), rule)
        else:
            page.mark(match.start(), match.end(), rule)


#: The named groups that :meth:`_Page.note_groups` records: they count wherever the match is.
_NOTED_GROUPS = frozenset({"title", "crumb", "fallback", "keyword", "echo"})


def _needed_before(page: _Page, rule: Rule, cut: int | None) -> int:
    """The offset from which on the rule's matches change nothing (past the page's end when every one
    counts); on a page that a footer cuts most of, most of the matches.

    A footer marks the page from ``cut`` to its end: a span that starts after ``cut``, or a line dropped
    that starts after it, is inside that span, and so covers nothing more and is dropped by
    :func:`_merge`. But a rule whose matches note groups is looked for everywhere.
    """
    if cut is None or not _NOTED_GROUPS.isdisjoint(rule.pattern.groupindex):
        return len(page.text) + 1
    if rule.kind == "drop-line":
        following = page.line_of(cut) + 1
        return page.line_starts[following] if following < len(page.line_starts) else len(page.text) + 1
    return cut + 1


def _apply_to_head(page: _Page, rule: Rule, head: list[int]) -> None:
    """Mark the opening's lines that the rule matches."""
    lines = set(head)
    for match in page.matches(rule, page.line_span(head[-1])[1] if head else 0):
        if match.start() < match.end() and page.line_of(match.start()) in lines:
            page.note_groups(match, rule)
            page.mark(*page.widen(match.start(), match.end()), rule)


def _page_title(page: _Page, head: list[tuple[int, str]]) -> tuple[str | None, list[int]]:
    """The page title and the opening's lines that are its copies."""
    texts = [text for _, text in head if len(text) <= MAX_TITLE_CHARS]
    seeds = [title for _, title in sorted(page.titles)]
    seeds += [crumb for _, crumb in sorted(page.crumbs) if any(_variants(text, crumb) for text in texts)]
    repeated = [text for text in dict.fromkeys(texts) if texts.count(text) > 1]
    # Different lines each repeated are a list (a blog roll's names, a feed's dates), not a title printed
    # twice: taking the first would leave the next one to a second cleaning.
    if any(not _variants(text, repeated[0]) for text in repeated[1:]):
        repeated = []
    seeds += [text for text in texts if text in repeated or _EXTENSION.search(text) and _EXTENSION.sub("", text).strip()]
    seeds += [title for _, title in sorted(page.fallbacks)]
    if not seeds:
        return None, []
    title = seeds[0]
    copies = [(index, text) for index, text in head if len(text) <= MAX_TITLE_CHARS and _variants(text, title)]
    return _cleanest([title, *(text for _, text in copies)]), [index for index, _ in copies]


def _apply_fragments(page: _Page, rule: Rule, sources: list[str]) -> None:
    """Mark every copy of the injected fragments the rule confirms (an injection scatters several)."""
    covered = page.covered()
    starts = [start for start, _ in covered]

    # copies are found in order: none from the start of a span marked to the end (a footer) is uncovered
    tail = covered[-1][0] if covered and covered[-1][1] == len(page.text) else len(page.text)

    def uncovered(match: regex.Match) -> bool:
        index = bisect_right(starts, match.start()) - 1
        return index < 0 or covered[index][1] <= match.start()

    copies: dict[str, list[regex.Match]] = {}
    for match in page.matches(rule):
        fragment = match["fragment"]
        if fragment in copies or not any(_is_subsequence(fragment, source) for source in sources):
            continue
        found = regex.finditer(regex.escape(fragment), page.text)
        found = [m for m in takewhile(lambda m: m.start() < tail, found) if uncovered(m)]
        if len(found) >= FRAGMENT_REPEATS:
            copies[fragment] = found
    if len(copies) >= FRAGMENT_KINDS:
        for found in copies.values():
            for match in found:
                page.mark(match.start(), match.end(), rule)


def _merge(marked: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, earliest first; a span inside an earlier one is dropped, touching spans of
    one rule are joined."""
    spans, reached = [], 0
    for start, end, rule, _ in sorted(marked, key=lambda s: (s[0], -s[1], s[3])):
        start = max(start, reached)
        if start >= end:
            continue
        if spans and spans[-1][1] == start and spans[-1][2] == rule:
            spans[-1] = (spans[-1][0], end, rule)
        else:
            spans.append((start, end, rule))
        reached = end
    return spans


def _mark_title_copies(page: _Page, opening: list[tuple[int, str]]) -> str | None:
    """Mark the page title's copies (what rules left of those lines, and their newlines); return the title."""
    page_title, copies = _page_title(page, opening)
    for index in copies:
        for start, end in page.remaining(index)[1]:
            page.mark(start, end, TITLE_RULE)
        line_end = page.line_span(index)[1]
        if page.text.endswith("\n", 0, line_end):
            page.mark(line_end - 1, line_end, TITLE_RULE)
    return page_title


def strip_text(text: str, rules: tuple[Rule, ...], read: Callable[[str], str] | None = None) -> Stripped:
    """``text`` less what the rules and the page title's copies take, the page title, and the removals.

    With ``read`` (the normalise step's, :func:`cleaner.normalise.reader`) the rules run on the text as
    it will be normalised, so that they decide alike when the output is cleaned again. When a removal
    changed a line that stays (a span cut out of it: ``还剩5页未读第1页共17页`` loses its page caption),
    the rules run again on what is left, as they would on the output (at most STRIP_ROUNDS times).
    """
    result = _strip_once(text, rules, read)
    for _ in range(STRIP_ROUNDS - 1):
        if not any(_changes_a_line(text, removal) for removal in result.removals):
            break
        again = _strip_once(result.text, rules, read)
        if not again.removals:
            break
        removals = sorted([*result.removals, *_in_text(again.removals, result.removals, text)], key=lambda r: r.start)
        result = Stripped(again.text, result.page_title or again.page_title, tuple(removals))
    return result


def _changes_a_line(text: str, removal: Removal) -> bool:
    """Whether the removal leaves part of a line (not only whole lines gone)."""
    at_line_start = removal.start == 0 or text[removal.start - 1] == "\n"
    return not (at_line_start and (removal.text.endswith("\n") or removal.end == len(text)))


def _in_text(removals: tuple[Removal, ...], earlier: tuple[Removal, ...], text: str) -> list[Removal]:
    """``removals`` made in ``text`` less ``earlier``, placed in ``text`` (split around the earlier ones)."""
    placed = []
    for removal in removals:
        start, shift, index = removal.start, 0, 0
        # earlier removals before the start shift it; those inside the span split it
        while index < len(earlier) and earlier[index].start - shift <= start:
            shift += len(earlier[index].text)
            index += 1
        start += shift
        end = start + len(removal.text)
        while index < len(earlier) and earlier[index].start < end:
            placed.append(Removal(removal.rule, start, text[start : earlier[index].start]))
            end += len(earlier[index].text)
            start = earlier[index].end
            index += 1
        placed.append(Removal(removal.rule, start, text[start:end]))
    return [removal for removal in placed if removal.text]


def _strip_once(text: str, rules: tuple[Rule, ...], read: Callable[[str], str] | None) -> Stripped:
    reading = view(text, read) if read else View(text, text)
    shadow = _Shadow(reading.text)
    page = _Page(shadow.text, scanner(tuple(rule.pattern for rule in rules)))
    rules = tuple(r for r in rules if r.kind != "heading"
                  and (r.when is None or may_match(r.when, page.probe) and r.when.search(page.text)))
    cut = page.cut(rules)
    # header blocks after the other rules' lines are marked: a header is judged without them
    for rule in sorted((r for r in rules if r.kind not in ("drop-head-line", "remove-fragment")),
                       key=lambda r: r.kind == "drop-header"):
        _apply(page, rule, cut)
    head = page.head()
    for rule in rules:
        if rule.kind == "drop-head-line":
            _apply_to_head(page, rule, head)
    opening = [(index, page.remaining(index)[0].strip()) for index in head]
    opening = [(index, line) for index, line in opening if line]
    page_title = _mark_title_copies(page, opening)
    for echo, name, priority in page.echoes:
        for index, line in opening:
            if line == echo:
                page.mark(*page.line_span(index), name, priority)
    keywords = [t for _, t in page.titles + page.crumbs + page.fallbacks] + page.keywords + [page_title or ""]
    for rule in rules:
        if rule.kind == "remove-fragment":
            _apply_fragments(page, rule, keywords)
    spans = [(rule, *reading.span(shadow.original(start), shadow.original(end)))
             for start, end, rule in _merge(page.marked)]
    if not spans:
        return Stripped(text, page_title, (), reading)
    del reading, shadow, page  # a long page's reading is let go before the removals copy their text
    return _cut(text, spans, page_title)


def _cut(text: str, spans: list[tuple[str, int, int]], page_title: str | None) -> Stripped:
    """``text`` less the (rule, start, end) spans, in order, and their removals."""
    removals = [Removal(rule, start, text[start:end]) for rule, start, end in spans]
    pieces, reached = [], 0
    for removal in removals:
        pieces.append(text[reached : removal.start])
        reached = removal.end
    pieces.append(text[reached:])
    return Stripped("".join(pieces), page_title, tuple(removals))


def step(page: Page, config) -> Page:
    result = strip_text(page.text, load_rules(config.rule_files), reader(config))
    return replace(page, text=result.text, page_title=result.page_title, removals=result.removals)
