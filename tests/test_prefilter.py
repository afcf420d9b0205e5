import re
import string

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.prefilter import CASE_VARIANTS, FOLDING_MARKS, MULTILINE, SELECTIVE_LINES, SELECTIVE_SHARE, Probe, Scanner, finditer, line_literals, may_match, required_literals, scanner
from cleaner.rules import bundled_rules
from cleaner.split import BOUNDARY_FORMS, MARKER_FORMS
from conftest import FIXTURES, SEED

RULES = bundled_rules()
#: The patterns the steps search with: the rules' and the split step's.
PATTERNS = {**{rule.name: rule.pattern for rule in RULES},
            **{form.name: form.pattern for form in MARKER_FORMS + BOUNDARY_FORMS if form.pattern}}
PAGES = [SEED / "seed.utf-8.txt", *sorted((FIXTURES / "pages").glob("*.txt"))]


def _sorted(needs):
    return None if needs is None else [sorted(clause) for clause in needs]


@pytest.mark.parametrize(
    "pattern,flags,expected",
    [
        (r"^[^\S\n]*合集下载[^\S\n]*$", MULTILINE, [["合集下载"]]),
        (r"本文[语語]音版", 0, [["音版"], ["本文"], ["本文語音版", "本文语音版"]]),
        # a lookahead's and a lookbehind's text are in the text too
        (r"(?<=标题)(?=[^\n]*——)x", 0, [["标题"], ["——"], ["x"]]),
        # an optional piece requires nothing; a repeated one requires itself
        (r"(?:小编)?推荐", 0, [["推荐"]]),
        (r"(?:第\d+页){2,}", 0, [["页"], ["第"]]),
        # branches: one clause of each, joined
        (r"甲乙|丙丁", 0, [["丙丁", "甲乙"]]),
        # a repeated or alternated piece starts and ends with known strings: 篇 is followed by a digit
        (r"篇(?:[1-3]{1,2}|[一二])[:：]", 0,
         [["篇1", "篇2", "篇3", "篇一", "篇二"], ["1:", "1：", "2:", "2：", "3:", "3：", "一:", "一：", "二:", "二："]]),
        # case-insensitive letters that also match other characters are no literal
        (r"(?i:sit)\.网", 0, [[".网"]]),
        # ... but for the few that match only their two cases
        (r"(?i:\.com)", 0, [[".COM", ".COm", ".CoM", ".Com", ".cOM", ".cOm", ".coM", ".com"]]),
        # verbose: spaces are not text
        ("相 关 \n 推荐", re.VERBOSE, [["相关推荐"]]),
        ("(?x) 相 关", 0, [["相关"]]),
    ],
)
def test_required_literals(pattern, flags, expected):
    assert _sorted(required_literals(pattern, flags)) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\p{Han}+",  # nothing literal
        r"(?i)fist",  # letters that case folding lets match others (ﬁ, İ, ß, ſ, ﬆ ...)
        r"\p{L}甲",  # a property other than Han
        r"[[a-z]--[aeiou]]甲",  # regex set operations
        r"(?:甲乙){e<=1}",  # fuzzy matching
        r"(?P<x>甲)(?P=x",  # not a pattern re can read
        "(?x)甲 # a comment (?<=乙",  # a verbose comment
        "甲(?#(?<=乙)",  # a comment
    ],
)
def test_patterns_it_cannot_read_require_nothing(pattern):
    assert required_literals(pattern, 0) is None


@pytest.mark.parametrize(
    "pattern,flags,expected",
    [
        (r"^[^\S\n]*(?:相关主题|相关推荐)$", MULTILINE, [["相关"], ["相关主题", "相关推荐"]]),
        # a lookbehind may see the line before: it is left out
        (r"(?<=\s)网站", 0, [["网站"]]),
        (r"^来源[:：][^\n]*\n标题", MULTILINE, None),  # a newline inside the match
        (r"来源\s", 0, None),  # \s holds the newline
        (r"来源(?=[^\n]*\n标题)", 0, None),  # the lookahead sees the next line
        (r"^来源$", 0, None),  # ^ and $ of the whole text
        (r"\A来源", MULTILINE, None),
        (r"来源.", re.DOTALL, None),
    ],
)
def test_line_literals(pattern, flags, expected):
    assert _sorted(line_literals(pattern, flags)) == expected


def test_windows_are_the_lines_that_few_clauses_narrow_down_or_a_stretch_when_they_are_many():
    text = "相关\n推荐\n相关推荐\n相关 推荐\n相关推荐"
    needs = (frozenset({"相关"}), frozenset({"推荐"}))
    assert Probe(text).windows(needs) == [(0, 3, 2), (6, 11, 10), (11, 17, 16), (17, 21, 21)]
    assert Probe(text).windows(needs, endpos=11) == [(0, 3, 2), (6, 11, 10)]
    # a clause that many lines satisfy is passed over for the next
    common = "相关\n" * 20 + "相关推荐\n正文"
    assert Probe(common).windows(needs) == [(60, 65, 64)]
    # many lines: the stretch from the first to the last
    many = "相关推荐\n" * 8 + "正文"
    assert Probe(many).windows(needs) == [(0, 40, 39)]
    # no clause narrows: the whole text
    assert Probe("相关推荐\n" * 20).windows(needs) == [(0, 100, 100)]


def _texts():
    pages = [path.read_text("utf-8") for path in PAGES]
    return pages + [rule.example for rule in RULES] + [form.example.replace("\\n", "\n") for form in MARKER_FORMS + BOUNDARY_FORMS]


#: A scanner for every pattern, as the strip step uses one for its rules.
SCANNER = scanner(tuple(PATTERNS.values()))


def _same_matches(pattern, text):
    for probe in (Probe(text), Probe(text, scanner=SCANNER)):
        for endpos in (None, 0, len(text), *probe.line_starts[::3], *range(0, len(text), max(7, len(text) // 25))):
            found = pattern.finditer(text) if endpos is None else pattern.finditer(text, 0, endpos)
            assert [(m.span(), m.groups()) for m in finditer(pattern, probe, endpos)] == [(m.span(), m.groups()) for m in found]
    if pattern.search(text):
        assert may_match(pattern, text)


@pytest.mark.parametrize("name", PATTERNS)
def test_every_pattern_finds_the_same_matches_on_the_pages_and_examples(name):
    for text in _texts():
        _same_matches(PATTERNS[name], text)


#: Characters of the rules' examples and pages, so that random texts come near matching.
_ALPHABET = sorted(set("".join(rule.example for rule in RULES)) | set(" \n\u3000:：|-0123456789篇第一二【】()"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([rule.example for rule in RULES]), st.text(_ALPHABET, max_size=30)),
                max_size=6))
def test_random_mixes_of_rule_examples_give_the_same_matches(pieces):
    text = "".join(pieces)
    for pattern in PATTERNS.values():
        _same_matches(pattern, text)


def test_a_pattern_it_cannot_read_still_runs_everywhere():
    pattern = regex.compile(r"(?i)^list$", regex.MULTILINE)
    assert required_literals(pattern.pattern, pattern.flags) is None and line_literals(pattern.pattern, pattern.flags) is None
    assert may_match(pattern, "") and [m.span() for m in finditer(pattern, Probe("x\nLIST"))] == [(2, 6)]
    copyright = regex.compile(r"(?i)^Copyright$", regex.MULTILINE)
    assert [m.span() for m in finditer(copyright, Probe("x\nCOPYRIGHT"))] == [(2, 11)]


def test_a_pattern_that_cannot_match_is_not_run():
    pattern = regex.compile(r"^相关推荐$", regex.MULTILINE)
    assert not may_match(pattern, "相关\n推荐") and list(finditer(pattern, Probe("相关\n推荐"))) == []


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text("相关推荐a.(、", min_size=1, max_size=4), max_size=8), st.text("相关推荐a.(、\n", max_size=40))
def test_scanner_finds_every_start_of_every_string(needles, text):
    scanner = Scanner(needles)
    expected = {}
    for needle in scanner.needles:
        starts = [i for i in range(len(text)) if text.startswith(needle, i)]
        if starts:
            expected[needle] = starts
    assert scanner.occurrences(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text("相关推荐a.", min_size=1, max_size=3), min_size=1, max_size=6),
       st.text("相关推荐a.\n", max_size=120), st.integers(0, 120))
def test_the_lines_of_a_clause_are_those_that_hold_one_of_its_strings(needles, text, endpos):
    # one pass for all the strings must give what a look for each string gives; too many lines: None
    endpos = min(endpos, len(text))
    probe = Probe(text)
    starts = probe.line_starts
    expected = {text.count("\n", 0, i) for needle in needles for i in range(endpos) if text.startswith(needle, i)
                and i + len(needle) <= endpos}
    selective = max(SELECTIVE_LINES, int(len(starts) * SELECTIVE_SHARE))
    assert probe._lines(frozenset(needles), endpos) == (None if len(expected) > selective else expected)


def test_a_probe_with_a_scanner_answers_alike():
    text = "标题\n相关推荐\n正文。推荐阅读"
    plain, scanned = Probe(text), Probe(text, scanner=Scanner(["相关推荐", "推荐阅读", "相关文章"]))
    for needle in ("相关推荐", "推荐阅读", "相关文章", "正文", "读"):
        assert plain.holds(needle) == scanned.holds(needle)
    needs = (frozenset({"推荐阅读", "相关推荐"}),)
    assert plain.windows(needs) == scanned.windows(needs) == [(3, 8, 7), (8, 15, 15)]


def test_the_case_variants_are_all_that_a_case_insensitive_letter_matches():
    every_character = "".join(map(chr, range(0x110000))).replace("\n", "")
    foldings = {char: char.casefold() for char in every_character if len(char.casefold()) > 1}
    for letter, variants in CASE_VARIANTS.items():
        assert set(regex.compile(f"(?i){letter}", regex.VERSION1).findall(every_character)) == variants, letter
        # a folding of several characters that holds the letter holds a mark too, and is matched only with it
        for char, folding in foldings.items():
            if letter in folding:
                assert set(folding) - set(string.ascii_lowercase) <= set(FOLDING_MARKS), (letter, folding)
                mark = next(c for c in folding if c in FOLDING_MARKS)
                for stand_in in (".", "\\S", "[^x]"):
                    assert not regex.compile(f"(?i){folding.replace(mark, stand_in)}", regex.VERSION1).search(char)


def test_letters_are_no_literal_beside_a_folding_mark():
    assert required_literals("(?i)\u02bcne", 0) is None
    assert _sorted(required_literals("(?i)ne网", 0)) == [["NE网", "Ne网", "nE网", "ne网"]]
