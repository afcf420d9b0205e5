"""Search with many patterns faster: literal strings a pattern cannot match without, and the lines it can
match in. Used by the strip step (its rules) and the split step (its forms); results never change.

Most rules never match most pages, yet a regular expression that starts with ``^[^\\S\\n]*`` or an
alternation is tried at every position of the page. :func:`required_literals` reads a pattern (with the
parser of :mod:`re`) and derives clauses, sets of literal strings such that any text the pattern matches
in holds at least one string of every clause (lookaround text counts: it is in the text too).
:func:`line_literals` does the same for a pattern whose every match lies inside one line, for the line a
match starts in. :func:`finditer` then gives exactly ``pattern.finditer(text, 0, endpos)``: nothing when
the text lacks the literals (checked cheapest first: single characters at memchr speed), else the
pattern run only on the lines that hold them (``regex`` reads the real text before a window's start, and
nothing such a pattern matches or looks ahead at passes the newline that ends it). A :class:`Probe`
remembers one text's answers for many patterns; a :class:`Scanner` finds all the strings of many patterns
in one pass. A pattern this module cannot read with certainty (syntax of the ``regex`` module that
:mod:`re` does not share, case-insensitive letters that full case folding lets match other characters)
gives fewer clauses or none, so a pattern is only ever skipped where it cannot match;
``tests/test_prefilter.py`` checks every rule and form against plain ``finditer`` on pages, examples
and random texts.

>>> needs = required_literals(r"^[^\\S\\n]*(?:相关主题|相关推荐)[:：]?$", MULTILINE)
>>> [sorted(clause) for clause in needs]
[['相关'], ['相关主题', '相关推荐']]
>>> import regex
>>> pattern = regex.compile(r"^[^\\S\\n]*(?:相关主题|相关推荐)[:：]?$", regex.MULTILINE)
>>> may_match(pattern, "正文。\\n相关推荐\\n链接"), may_match(pattern, Probe("正文。"))
(True, False)
>>> required_literals(r"\\p{Han}+", 0) is None   # nothing literal: no test, the rule always runs
True
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import product
from typing import Iterator, NamedTuple

try:  # the parser of the re module: Python 3.11 names it re._parser
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MULTILINE = re.MULTILINE
#: Sets of exact strings larger than this are not tracked (a class of many characters is no literal).
MAX_EXACT = 64
#: A clause of more strings than this is not kept.
MAX_CLAUSE = 64
#: At most this many clauses are kept per pattern, the most selective first.
MAX_CLAUSES = 5
#: Looking for a string of several characters in a page costs about this many looks for one character
#: (memchr speed); of the clauses that cost no more than GATE_BUDGET looks (WHOLE_TEXT_BUDGET for a
#: pattern searched on the whole text, whose lines cannot be chosen), the GATE_CLAUSES most selective
#: are checked before searching, after the characters of each clause when they are MAX_CHARACTERS or fewer.
SCAN_COST = 10
GATE_BUDGET = 40
WHOLE_TEXT_BUDGET = 120
GATE_CLAUSES = 2
MAX_CHARACTERS = 12

Clause = frozenset  # of str
Needs = tuple  # of Clause

#: regex-module syntax that re would read differently without an error: fuzzy constraints and set
#: operations. A pattern holding them gets no clauses.
_UNSAFE = re.compile(r"\{[^}]*[a-z<=][^}]*\}|--|&&|\|\||~~")


class _Unreadable(Exception):
    """The pattern (or, for a line window, its reach) cannot be read with certainty."""


#: Lookbehinds are renamed groups inside lookaheads (re refuses variable-width lookbehinds, and a
#: lookbehind's text is in the text all the same); this prefix marks them.
_LOOKBEHIND = "_lookbehind"


def _translate(pattern: str, lookbehinds: list[int] | None = None) -> str:
    """The pattern in re's syntax for reading it; raises :class:`_Unreadable` when it uses what re lacks.

    ``\\p{Han}`` becomes ``\\w`` and ``\\P{Han}`` ``\\W`` (classes, not literals, neither holding or
    lacking a newline differently), other properties are refused; lookbehinds become lookaheads around a
    group marked :data:`_LOOKBEHIND`; other group names go (regex allows one name twice).
    """
    lookbehinds = [0] if lookbehinds is None else lookbehinds  # how many so far, shared with the nested calls
    out, index, in_class = [], 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escape = pattern[index : index + 2]
            if escape in ("\\p", "\\P"):
                if not pattern.startswith("{Han}", index + 2):
                    raise _Unreadable(escape)
                out.append("\\w" if escape == "\\p" else "\\W")
                index += 7
                continue
            out.append(escape)
            index += 2
            continue
        if in_class:
            if char == "[":  # a nested set (regex VERSION1): set operations re does not have
                raise _Unreadable(char)
            if char == "]":
                in_class = False
            out.append(char)
            index += 1
            continue
        if char == "[":
            in_class = True
            out.append(char)
            for literal in ("^]", "]", "^"):  # a ] right after [ or [^ is a literal ]
                if pattern.startswith(literal, index + 1):
                    out.append(literal)
                    index += len(literal)
                    break
            index += 1
            continue
        if pattern.startswith("(?<=", index) or pattern.startswith("(?<!", index):
            out.append(f"(?{pattern[index + 3]}(?P<{_LOOKBEHIND}{lookbehinds[0]}>")
            lookbehinds[0] += 1
            closing = _closing(pattern, index + 4)
            out += [_translate(pattern[index + 4 : closing], lookbehinds), "))"]
            index = closing + 1
            continue
        if pattern.startswith("(?P<", index) or pattern.startswith("(?<", index):
            end = pattern.find(">", index)
            if end < 0:
                raise _Unreadable("group name")
            out.append("(")
            index = end + 1
            continue
        out.append(char)
        index += 1
    text = "".join(out)
    if _UNSAFE.search(text):
        raise _Unreadable(text)
    return text


def _closing(pattern: str, index: int) -> int:
    """Index of the bracket that closes the group whose body starts at ``index``."""
    depth, in_class = 1, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            for literal in ("^]", "]", "^"):
                if pattern.startswith(literal, index + 1):
                    index += len(literal)
                    break
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise _Unreadable("unbalanced brackets")


#: Under case-insensitive matching, what each letter matches: its two cases (k also the Kelvin sign).
#: f, i, l, s and t also match other characters or spell the full case folding of one (ß is ss, ﬁ is
#: fi, İ is i, ſ is s): they are no literal. Other letters are parts of such foldings only with one of
#: FOLDING_MARKS (ŉ is ʼn): a pattern that holds one of them, or an escape that may stand for one,
#: gets no letter as a literal. (tests/test_prefilter.py checks both against the regex module.)
CASE_VARIANTS = {letter: frozenset({letter, letter.upper(), *("\u212a" if letter == "k" else "")})
                 for letter in "abcdeghjkmnopqruvwxyz"}
FOLDING_MARKS = "\u02bc\u02be\u0307\u0308\u030a\u030c\u0331"
_UNSAFE_FOR_LETTERS = re.compile(f"[{FOLDING_MARKS}]|\\\\[uUxN0-7]")


def _literal(code: int, ignore_case: bool, letters: bool = False) -> frozenset | None:
    """The characters a LITERAL matches, or ``None`` when they are not known to be few (``letters``: the
    pattern has nothing that lets a letter match inside a folding, see CASE_VARIANTS)."""
    char = chr(code)
    if not ignore_case:
        return frozenset(char)
    if code < 0x80:
        if not char.isalpha():
            return frozenset(char)
        return CASE_VARIANTS.get(char.lower()) if letters else None
    # letters of scripts without case (hanzi, kana) and CJK punctuation fold to nothing else
    return frozenset(char) if unicodedata.category(char) == "Lo" or 0x3000 <= code <= 0x303F else None


def _key(clause: Clause) -> tuple:
    """Higher is more selective and cheaper: the shortest string's weight (non-ASCII counts double,
    capped at two hanzi: longer strings are hardly rarer), then fewer strings; then the strings, so
    that the choice does not depend on set order."""
    weight = min(sum(1 + (ord(c) > 0x7F) for c in s) for s in clause)
    return (min(weight, 4), -len(clause), weight, sorted(clause))


class _Info:
    """What a piece of pattern can match: its exact strings (when few), strings every match starts with
    and ends with (when known: a repeated class starts with the class), and clauses on the text."""

    __slots__ = ("exact", "clauses", "_prefix", "_suffix")

    def __init__(self, exact: frozenset | None, clauses: list[Clause], prefix: frozenset | None = None,
                 suffix: frozenset | None = None) -> None:
        self.exact = exact
        self.clauses = clauses
        self._prefix, self._suffix = prefix, suffix

    @property
    def prefix(self) -> frozenset | None:
        return self.exact if self.exact is not None else self._prefix

    @property
    def suffix(self) -> frozenset | None:
        return self.exact if self.exact is not None else self._suffix

    def all_clauses(self) -> list[Clause]:
        own = [self.exact] if self.exact and "" not in self.exact and len(self.exact) <= MAX_CLAUSE else []
        return own + self.clauses


_ANYTHING = _Info(None, [])
_EMPTY = _Info(frozenset({""}), [])


def _known(strings: frozenset | None) -> frozenset | None:
    """``strings`` when they say something (none empty, not too many), else ``None``."""
    return strings if strings and "" not in strings and len(strings) <= MAX_EXACT else None


def _affix(infos: list[_Info], side: str) -> frozenset | None:
    """What every match of the items in a row starts with (``side`` "prefix", items in order) or ends
    with ("suffix", items in reverse): the exact items' strings, then the first inexact item's."""
    joined: frozenset | None = frozenset({""})
    for info in infos:
        strings = info.exact if info.exact is not None else getattr(info, side)
        if strings is None:
            break
        longer = _concat(joined, strings) if side == "prefix" else _concat(strings, joined)
        if longer is None:
            break
        joined = longer
        if info.exact is None:
            break
    return _known(joined)


def _concat(first: frozenset, second: frozenset) -> frozenset | None:
    if len(first) * len(second) > MAX_EXACT:
        return None
    return frozenset(a + b for a in first for b in second)


#: Character classes (re's categories) that hold a newline, and those that do not.
_NEWLINE_CATEGORIES = {_c.CATEGORY_SPACE: True, _c.CATEGORY_NOT_SPACE: False, _c.CATEGORY_DIGIT: False,
                       _c.CATEGORY_NOT_DIGIT: True, _c.CATEGORY_WORD: False, _c.CATEGORY_NOT_WORD: True}


class _Reader:
    """Reads a parsed pattern. With ``window``, also checks that a match, and what its lookaheads see,
    stays inside one line (no part of it can match a newline; ``^`` and ``$`` are line anchors), and
    leaves lookbehinds out of the clauses (they may look into the line before)."""

    def __init__(self, window: bool, lookbehinds: set[int], letters: bool) -> None:
        self.window = window
        self.lookbehinds = lookbehinds
        self.letters = letters

    def newline(self, possible: bool) -> None:
        if self.window and possible:
            raise _Unreadable("a match may hold a newline")

    def sequence(self, items, flags: int) -> _Info:
        clauses: list[Clause] = []
        exact: frozenset | None = frozenset({""})
        # the strings of each item of the current run of items that follow each other: exact items, and
        # at its ends what an inexact item starts or ends with
        run: list[frozenset] = []

        def flush() -> None:
            # every stretch of the run gives a clause: 一年级: gives 年级 too (fewer, cheaper strings)
            for first in range(len(run)):
                joined = frozenset({""})
                for item in run[first:]:
                    joined = _concat(joined, item)
                    if joined is None:
                        break
                    if "" not in joined and len(joined) <= MAX_CLAUSE:
                        clauses.append(joined)
            run.clear()

        infos = [self.node(op, av, flags) for op, av in items]
        for info in infos:
            clauses.extend(info.clauses)
            if info.exact is None:
                if _known(info.prefix):
                    run.append(info.prefix)
                flush()
                if _known(info.suffix):
                    run.append(info.suffix)
                exact = None
                continue
            run.append(info.exact)
            exact = _concat(exact, info.exact) if exact is not None else None
        flush()
        if exact is not None:
            return _Info(exact, clauses)
        return _Info(None, clauses, _affix(infos, "prefix"), _affix(infos[::-1], "suffix"))

    def branch(self, branches, flags: int) -> _Info:
        infos = [self.sequence(branch, flags) for branch in branches]
        exact = None
        if all(info.exact is not None for info in infos):
            union = frozenset().union(*(info.exact for info in infos))
            exact = union if len(union) <= MAX_EXACT else None
        options = [sorted(info.all_clauses(), key=_key, reverse=True) for info in infos]
        if not all(options):
            return _Info(exact, [], *self._affixes(infos))
        # (A1 and A2) or (B1 and B2) implies (A1 or B1), (A1 or B2), ...: a clause of each branch, joined
        width = 3
        while width > 1 and width ** len(options) > 64:
            width -= 1
        clauses = [frozenset().union(*combo) for combo in product(*(o[:width] for o in options))]
        return _Info(exact, [c for c in clauses if len(c) <= MAX_CLAUSE], *self._affixes(infos))

    @staticmethod
    def _affixes(infos: list[_Info]) -> tuple[frozenset | None, frozenset | None]:
        """What every match of one of the branches starts with and ends with."""
        ends = []
        for side in ("prefix", "suffix"):
            strings = [getattr(info, side) for info in infos]
            ends.append(_known(frozenset().union(*strings)) if all(map(_known, strings)) else None)
        return ends[0], ends[1]

    def klass(self, items, flags: int) -> _Info:
        ignore_case = bool(flags & re.IGNORECASE)
        chars, negated, newline, literal = set(), False, False, True
        for op, av in items:
            if op is _c.NEGATE:
                negated, literal = True, False
            elif op is _c.LITERAL:
                newline |= av == 10
                variants = _literal(av, ignore_case, self.letters)
                literal &= variants is not None
                chars |= variants or set()
            elif op is _c.RANGE:
                newline |= av[0] <= 10 <= av[1]
                literal &= av[1] - av[0] < MAX_EXACT
                for code in range(av[0], av[1] + 1) if literal else ():
                    variants = _literal(code, ignore_case, self.letters)
                    literal &= variants is not None
                    chars |= variants or set()
            elif op is _c.CATEGORY and av in _NEWLINE_CATEGORIES:
                newline |= _NEWLINE_CATEGORIES[av]
                literal = False
            else:
                if self.window:
                    raise _Unreadable(f"class item {op}")
                literal = False
        self.newline(newline != negated)
        if not literal or len(chars) > MAX_EXACT:
            return _ANYTHING
        return _Info(frozenset(chars), [])

    def node(self, op, av, flags: int) -> _Info:
        if op is _c.LITERAL:
            self.newline(av == 10)
            variants = _literal(av, bool(flags & re.IGNORECASE), self.letters)
            return _Info(variants, []) if variants is not None else _ANYTHING
        if op is _c.NOT_LITERAL:
            self.newline(av != 10)
            return _ANYTHING
        if op is _c.ANY:
            self.newline(bool(flags & re.DOTALL))
            return _ANYTHING
        if op is _c.IN:
            return self.klass(av, flags)
        if op is _c.AT:
            if self.window and av not in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY) and not (
                    av in (_c.AT_BEGINNING, _c.AT_END) and flags & re.MULTILINE):
                raise _Unreadable(f"anchor {av}")  # \\A, \\Z and ^, $ of the whole text
            return _EMPTY
        if op is _c.BRANCH:
            return self.branch(av[1], flags)
        if op is _c.SUBPATTERN:
            group, add_flags, del_flags, inner = av
            if group in self.lookbehinds and self.window:
                return _EMPTY  # it may see the line before: regex reads the whole text there, as without a window
            return self.sequence(inner, (flags | add_flags) & ~del_flags)
        if op is getattr(_c, "ATOMIC_GROUP", None):
            return self.sequence(av, flags)
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
            low, high, inner = av
            info = self.sequence(inner, flags)
            if low == 0:
                if high == 1 and info.exact is not None:
                    return _Info(info.exact | {""}, [])
                return _ANYTHING
            exact = None
            if info.exact is not None and low == high:
                exact = frozenset({""})
                for _ in range(low):
                    exact = _concat(exact, info.exact)
                    if exact is None:
                        break
            # a match starts with a match of the first repetition, and ends with one of the last
            return _Info(exact, info.all_clauses(), info.prefix, info.suffix)
        if op is _c.ASSERT:  # its text is in the text too
            return _Info(frozenset({""}), self.sequence(av[1], flags).all_clauses())
        if op is _c.ASSERT_NOT:
            self.sequence(av[1], flags)  # checked for newlines, says nothing of the text
            return _EMPTY
        if op is _c.GROUPREF:  # the same text as a group already read
            return _ANYTHING
        if self.window:
            raise _Unreadable(f"node {op}")
        return _ANYTHING  # GROUPREF_EXISTS, ...


def _parse(pattern: str, flags: int):
    """The pattern parsed by re (with :func:`_translate`), or ``None``."""
    if "(?#" in pattern or "#" in pattern and (flags & re.VERBOSE or re.search(r"\(\?[a-zA-Z]*x", pattern)):
        return None  # a comment, which _translate would read as pattern
    try:
        return _sre_parse.parse(_translate(pattern), flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE))
    except (_Unreadable, re.error, RecursionError, OverflowError, ValueError):
        return None


def _starts_with_literal(items, ignore_case: bool) -> bool:
    """Whether a match starts with a literal character (after zero-width assertions): the regex module
    then finds the candidates itself, at string-search speed."""
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op is _c.SUBPATTERN:
            return _starts_with_literal(av[3], (ignore_case or bool(av[1] & re.IGNORECASE)) and not av[2] & re.IGNORECASE)
        return op is _c.LITERAL and _literal(av, ignore_case) is not None
    return False


def _read(pattern: str, flags: int, window: bool) -> list[Clause] | None:
    parsed = _parse(pattern, flags)
    if parsed is None:
        return None
    lookbehinds = {index for name, index in parsed.state.groupdict.items() if name.startswith(_LOOKBEHIND)}
    try:
        letters = not _UNSAFE_FOR_LETTERS.search(pattern)
        return _Reader(window, lookbehinds, letters).sequence(parsed.data, parsed.state.flags).all_clauses()
    except (_Unreadable, RecursionError):
        return None


def _implies(stronger: Clause, weaker: Clause) -> bool:
    """Whether a text that satisfies ``stronger`` satisfies ``weaker``: each of its strings holds one of
    ``weaker``'s."""
    return all(any(short in long for short in weaker) for long in stronger)


def _simplest(clause: Clause) -> Clause:
    """The clause without the strings that hold another of its strings (they say nothing more)."""
    return frozenset(s for s in clause if not any(other != s and other in s for other in clause))


def _choose(clauses: list[Clause]) -> Needs:
    chosen: list[Clause] = []
    for clause in sorted(set(map(_simplest, clauses)), key=_key, reverse=True):
        if not any(_implies(kept, clause) for kept in chosen):  # a clause a kept one implies says nothing more
            chosen.append(clause)
        if len(chosen) == MAX_CLAUSES:
            break
    return tuple(chosen)


def _characters(clause: Clause) -> Clause:
    """A clause of single characters that ``clause`` implies: a few characters that together appear in
    each of its strings (looking for a character is many times faster than for a string)."""
    chosen: set[str] = set()
    left = [s for s in clause]
    while left:
        counts: dict[str, int] = {}
        for string in left:
            for char in set(string):
                counts[char] = counts.get(char, 0) + 1
        best = max(sorted(counts), key=lambda char: (counts[char], ord(char) > 0x7F))
        chosen.add(best)
        left = [s for s in left if best not in s]
    return frozenset(chosen)


def _cost(clause: Clause) -> int:
    """What looking for the clause costs, in looks for a character."""
    return sum(1 if len(s) == 1 else SCAN_COST for s in clause)


def _gate(needs: Needs | None, budget: int) -> Needs | None:
    """The clauses to check a text with, cheapest first: each clause's characters (when few), and the
    GATE_CLAUSES most selective clauses that cost no more than ``budget``."""
    if not needs:
        return None
    gate = set([clause for clause in needs if _cost(clause) <= budget][:GATE_CLAUSES])
    gate |= {chars for chars in map(_characters, needs) if len(chars) <= MAX_CHARACTERS}
    return tuple(sorted(gate, key=lambda clause: (_cost(clause), sorted(clause)))) or None


def required_literals(pattern: str, flags: int) -> Needs | None:
    """Clauses every text the pattern matches in satisfies, most selective first; ``None`` when none is known.

    ``flags`` are those the pattern is compiled with (IGNORECASE, MULTILINE, DOTALL and VERBOSE matter here).
    """
    clauses = _read(pattern, flags, window=False)
    return _choose(clauses) or None if clauses is not None else None


def line_literals(pattern: str, flags: int) -> Needs | None:
    """For a pattern whose every match lies inside one line (``None`` for any other): clauses that the
    line where a match starts satisfies, as a text of its own.

    Such a pattern finds the same matches when it is run line by line (``finditer(text, start,
    end + 1)``: regex reads the real text behind ``start``; nothing it matches, nor its lookaheads, can
    pass the newline), so only lines that satisfy the clauses need running.

    >>> [sorted(clause) for clause in line_literals(r"^[^\\S\\n]*(?:相关主题|相关推荐)[:：]?(?<=\\S)$", MULTILINE)]
    [['相关'], ['相关主题', '相关推荐']]
    >>> line_literals(r"^来源[:：][^\\n]*\\n标题", MULTILINE) is None   # a match holds a newline
    True
    >>> line_literals(r"^来源$", 0) is None   # ^ and $ of the whole text
    True
    """
    clauses = _read(pattern, flags, window=True)
    return _choose(clauses) or None if clauses is not None else None


#: A text is first looked through once per string; after this many strings, a set of its characters is
#: made (a tenth of a millisecond on a page), and a string is looked for only when each of its
#: characters is there.
SCANS_BEFORE_CHARSET = 24
#: A pattern whose matches lie inside lines is run on each line that may hold one, or on the stretch from
#: the first such line to the last when there are more than this many (one call instead of many).
WINDOW_LINES = 6
#: ... the stretches, rather: one more starts where candidate lines are further apart than this (a long
#: text is searched around its candidates, not from the first to the last).
WINDOW_GAP_LINES = 64
#: A clause that more lines than this hold is not used to choose the lines to search, nor more clauses
#: than LINE_CLAUSES.
SELECTIVE_LINES = 12
#: ... or than this share of a long text's lines.
SELECTIVE_SHARE = 1 / 32
LINE_CLAUSES = 5


class Scanner:
    """Finds, in one pass of :mod:`re`, where each of many strings (of two characters or more) starts in a
    text: the strings as a trie in one alternation, searched again one character after each start (a
    string may start inside another).

    >>> Scanner(["相关", "相关推荐", "推荐"]).occurrences("相关推荐,推荐")
    {'推荐': [2, 5], '相关': [0], '相关推荐': [0]}
    """

    def __init__(self, needles) -> None:
        self.needles = frozenset(needle for needle in needles if len(needle) > 1)
        self._pattern = re.compile(_trie(self.needles)) if self.needles else None
        self._parts: dict[Clause, tuple[Clause, Clause]] = {}

    def part(self, clause: Clause) -> tuple[Clause, Clause]:
        """The clause's strings this scanner finds, and the others."""
        parts = self._parts.get(clause)
        if parts is None:
            parts = self._parts[clause] = (clause & self.needles, clause - self.needles)
        return parts

    def occurrences(self, text: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        if self._pattern is None:
            return found
        search, needles, position = self._pattern.search, self.needles, 0
        # (search again one character on, not finditer over a zero-width lookahead: a pattern that starts
        # with a lookahead loses re's first-character skip, four times slower on pages)
        while match := search(text, position):
            start, string = match.start(), match.group()  # the longest string that starts there
            for length in range(2, len(string) + 1):
                if string[:length] in needles:
                    found.setdefault(string[:length], []).append(start)
            position = start + 1
        return dict(sorted(found.items()))


def _trie(strings) -> str:
    """An alternation of ``strings`` in which each character is tried once: 相(?:关(?:推荐)?)|推荐."""
    trie: dict = {}
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}

    def alternation(node: dict) -> str:
        branches = [re.escape(char) + alternation(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body  # greedy: the longest string that starts here

    return alternation(trie)


@lru_cache(maxsize=1024)
def _alternation(strings: frozenset) -> re.Pattern:
    """One pattern that finds any of ``strings`` (as a trie: each character tried once)."""
    return re.compile(_trie(strings))


@lru_cache(maxsize=16)
def scanner(patterns: tuple) -> Scanner:
    """A :class:`Scanner` for the strings :func:`finditer` and :func:`may_match` look for with these patterns."""
    needles = set()
    for pattern in patterns:
        gate, line_needs, direct = literals(pattern)
        if direct:
            continue
        for clause in (*(gate or ()), *(line_needs or ())[:1]):  # what the gate and windows look for
            needles |= clause
    return Scanner(needles)


class Probe:
    """One text's answers for :func:`may_match` and :func:`finditer`, remembered for the many patterns
    checked on it. With a :class:`Scanner`, the strings it knows are all found in one pass, when the
    first is asked for.

    >>> Probe("标题\\n相关推荐\\n推荐阅读").windows(line_literals(r"^相关推荐$", MULTILINE))
    [(3, 8, 7)]
    """

    def __init__(self, text: str, line_starts: list[int] | None = None, scanner: Scanner | None = None) -> None:
        self.text = text
        self._found: dict[str, bool] = {}
        self._line_starts = line_starts
        self._chars: set[str] | None = None
        self._scans = 0
        self._scanner = scanner
        self._occurrences: dict[str, list[int]] | None = None

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts, newline = [0], self.text.find("\n")
            while newline >= 0:
                starts.append(newline + 1)
                newline = self.text.find("\n", newline + 1)
            self._line_starts = starts
        return self._line_starts

    def _scanned(self, needle: str) -> list[int] | None:
        """Where ``needle`` starts, when the scanner knows it (``None`` when it does not)."""
        if self._scanner is None or needle not in self._scanner.needles:
            return None
        if self._occurrences is None:
            self._occurrences = self._scanner.occurrences(self.text)
        return self._occurrences.get(needle, [])

    def holds(self, needle: str) -> bool:
        """Whether the text holds ``needle``."""
        found = self._found.get(needle)
        if found is None:
            scanned = self._scanned(needle)
            if scanned is not None:
                found = bool(scanned)
            else:
                chars = self._chars
                if chars is None and len(needle) > 1:
                    self._scans += 1
                    if self._scans > SCANS_BEFORE_CHARSET:
                        chars = self._chars = set(self.text)
                found = needle in self.text if chars is None else chars.issuperset(needle) and needle in self.text
            self._found[needle] = found
        return found

    def _lines(self, clause: Clause, endpos: int) -> set[int] | None:
        """The lines that hold a string of ``clause`` entirely before ``endpos``; ``None`` when there are
        more than SELECTIVE_LINES or SELECTIVE_SHARE of the lines (a clause too common to narrow the search)."""
        text, starts = self.text, self.line_starts
        selective = max(SELECTIVE_LINES, int(len(starts) * SELECTIVE_SHARE))
        lines: set[int] = set()
        scanned, rest = self._scanner.part(clause) if self._scanner else ((), clause)
        if scanned:  # of the scanner's strings, only those in the text are looked at
            if self._occurrences is None:
                self._occurrences = self._scanner.occurrences(self.text)
            for needle in self._occurrences.keys() & scanned:
                lines.update(bisect_right(starts, position) - 1 for position in self._occurrences[needle]
                             if position + len(needle) <= endpos)
                if len(lines) > selective:
                    return None
        if rest:  # all of them in one pass, a line at a time (not a pass of the text per string)
            search = _alternation(rest).search
            match = search(text, 0, endpos)
            while match and len(lines) <= selective:
                index = bisect_right(starts, match.start()) - 1
                lines.add(index)
                if index + 1 == len(starts):
                    break
                match = search(text, starts[index + 1], endpos)
            if len(lines) > selective:
                return None
        return lines

    def windows(self, needs: Needs, endpos: int | None = None) -> list[tuple[int, int, int]]:
        """Where to search for a pattern whose matches lie inside lines, as (start, end, last start):
        the lines (from the first before ``endpos``) that satisfy every clause of ``needs`` (from
        :func:`line_literals`; of the first LINE_CLAUSES clauses, those that few lines satisfy, until
        the lines are few), each up to ``endpos`` or past its newline, where no match may start; or, when
        there are more than WINDOW_LINES of them, stretches from the first to the last (a new one after a
        gap of more than WINDOW_GAP_LINES); or, when no clause is satisfied by few lines, the whole text."""
        text, starts = self.text, self.line_starts
        endpos = len(text) if endpos is None else endpos
        candidates: set[int] | None = None
        for clause in needs[:LINE_CLAUSES]:
            lines = self._lines(clause, endpos)
            if lines is not None:
                candidates = lines if candidates is None else candidates & lines
                if len(candidates) <= WINDOW_LINES:  # few enough: another clause costs more than it saves
                    break
        if candidates is None:  # no clause narrows the search: all of it
            return [(0, endpos, endpos)]
        if not candidates:
            return []
        if len(candidates) > WINDOW_LINES:
            spans = []
            for index in sorted(candidates):
                if spans and index - spans[-1][1] <= WINDOW_GAP_LINES:
                    spans[-1] = (spans[-1][0], index)
                else:
                    spans.append((index, index))
        else:
            spans = [(index, index) for index in sorted(candidates)]
        windows = []
        for first_line, last_line in spans:
            start = starts[first_line]
            end = starts[last_line + 1] if last_line + 1 < len(starts) else len(text)
            last_start = end - 1 if text.endswith("\n", start, end) else end  # no match starts at the newline
            windows.append((start, min(end, endpos), last_start))
        return windows


class Literals(NamedTuple):
    """How :func:`finditer` searches with a pattern."""

    #: clauses to check a text with before searching it, cheapest first (``None``: nothing to check)
    gate: Needs | None
    #: :func:`line_literals`, to search only some lines
    lines: Needs | None
    #: the pattern starts with a literal: regex finds the candidates itself, no help needed
    direct: bool


@lru_cache(maxsize=None)
def literals(pattern) -> Literals:
    """How to search with a compiled pattern, read once."""
    parsed = _parse(pattern.pattern, pattern.flags)
    direct = parsed is not None and _starts_with_literal(parsed.data, bool(parsed.state.flags & re.IGNORECASE))
    line_needs = line_literals(pattern.pattern, pattern.flags)
    if line_needs:
        return Literals(_gate(line_needs, GATE_BUDGET), line_needs, direct)
    return Literals(_gate(required_literals(pattern.pattern, pattern.flags), WHOLE_TEXT_BUDGET), None, direct)


def finditer(pattern, probe: Probe, endpos: int | None = None) -> Iterator:
    """The matches of ``pattern.finditer(probe.text, 0, endpos)`` (a compiled ``regex`` or ``re``
    pattern), found faster: none when the text lacks the pattern's literals; when every match lies inside
    a line, only the lines that hold them are searched, each up to its newline, or, when they are many,
    the stretch from the first to the last.

    >>> import regex
    >>> pattern = regex.compile(r"^(?:相关|推荐)\\S*$", regex.MULTILINE)
    >>> [m[0] for m in finditer(pattern, Probe("标题\\n相关推荐\\n正文。\\n推荐阅读"))]
    ['相关推荐', '推荐阅读']
    """
    text = probe.text
    endpos = len(text) if endpos is None else endpos
    gate, line_needs, direct = literals(pattern)
    if direct:
        yield from pattern.finditer(text, 0, endpos)
        return
    if not _holds_all(gate, probe):
        return
    if line_needs is None:
        yield from pattern.finditer(text, 0, endpos)
        return
    for start, end, last_start in probe.windows(line_needs, endpos):
        for match in pattern.finditer(text, start, end):
            if match.start() > last_start:
                break
            yield match


def _holds_all(needs: Needs | None, probe: Probe) -> bool:
    """Whether the text holds a string of every clause (always when nothing is required)."""
    if needs is None:
        return True
    found, holds = probe._found, probe.holds
    for clause in needs:
        for needle in clause:
            hit = found.get(needle)
            if hit if hit is not None else holds(needle):
                break
        else:
            return False
    return True


def may_match(pattern, text: str | Probe) -> bool:
    """False when the compiled pattern cannot match anywhere in the text: it lacks the pattern's literals."""
    return _holds_all(literals(pattern)[0], text if isinstance(text, Probe) else Probe(text))
