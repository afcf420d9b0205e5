import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.prefilter import MULTILINE, Probe, line_literals, may_match, required_literals
from cleaner.rules import bundled_rules
from cleaner.strip import _Page
from conftest import FIXTURES, SEED

RULES = bundled_rules()
PAGES = [SEED / "seed.utf-8.txt", *sorted((FIXTURES / "pages").glob("*.txt"))]


def _sorted(needs):
    return None if needs is None else [sorted(clause) for clause in needs]


@pytest.mark.parametrize(
    "pattern,flags,expected",
    [
        (r"^[^\S\n]*合集下载[^\S\n]*$", MULTILINE, [["合集下载"]]),
        (r"本文[语語]音版", 0, [["本文語音版", "本文语音版"]]),
        # a lookahead's and a lookbehind's text are in the text too
        (r"(?<=标题)(?=[^\n]*——)x", 0, [["标题"], ["——"], ["x"]]),
        # an optional piece requires nothing; a repeated one requires itself
        (r"(?:小编)?推荐", 0, [["小编推荐", "推荐"]]),
        (r"(?:第\d+页){2,}", 0, [["页"], ["第"]]),
        # branches: one clause of each, joined
        (r"甲乙|丙丁", 0, [["丙丁", "甲乙"]]),
        # case-insensitive letters are no literal; other characters still are
        (r"(?i:www)\.网", 0, [[".网"]]),
    ],
)
def test_required_literals(pattern, flags, expected):
    assert _sorted(required_literals(pattern, flags)) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\p{Han}+",  # nothing literal
        r"(?i)abc",  # letters that case folding lets match others (ſ, K, ﬀ ...)
        r"\p{L}甲",  # a property other than Han
        r"[[a-z]--[aeiou]]甲",  # regex set operations
        r"(?:甲乙){e<=1}",  # fuzzy matching
        r"(?P<x>甲)(?P=x",  # not a pattern re can read
    ],
)
def test_patterns_it_cannot_read_require_nothing(pattern):
    assert required_literals(pattern, 0) is None
    assert may_match(required_literals(pattern, 0), "")


@pytest.mark.parametrize(
    "pattern,flags,expected",
    [
        (r"^[^\S\n]*(?:相关主题|相关推荐)$", MULTILINE, [["相关主题", "相关推荐"], ["主题", "推荐"]]),
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


def test_probe_lines_satisfy_every_clause_within_the_line():
    probe = Probe("相关\n推荐\n相关推荐\n相关 推荐\n相关推荐")
    needs = (frozenset({"相关"}), frozenset({"推荐"}))
    assert probe.lines(needs) == [2, 3, 4]
    assert probe.lines(needs, endpos=len("相关\n推荐\n相关推荐\n")) == [2]


def _texts():
    pages = [path.read_text("utf-8") for path in PAGES]
    return pages + [rule.example for rule in RULES]


def _same_matches(rule, text):
    page = _Page(text)
    for endpos in (None, 0, len(text), *page.line_starts[::5]):
        found = rule.pattern.finditer(text) if endpos is None else rule.pattern.finditer(text, 0, endpos)
        assert [(m.span(), m.groups()) for m in page.matches(rule, endpos)] == [(m.span(), m.groups()) for m in found]
    if rule.pattern.search(text):
        assert rule.may_match(text)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_every_rule_finds_the_same_matches_on_the_pages_and_examples(rule):
    for text in _texts():
        _same_matches(rule, text)


#: Characters of the rules' examples and pages, so that random texts come near matching.
_ALPHABET = sorted(set("".join(rule.example for rule in RULES)) | set(" \n\u3000:：|-0123456789"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([rule.example for rule in RULES]), st.text(_ALPHABET, max_size=30)),
                max_size=6))
def test_random_mixes_of_rule_examples_give_the_same_matches(pieces):
    text = "".join(pieces)
    for rule in RULES:
        _same_matches(rule, text)


def test_a_user_rule_with_a_pattern_it_cannot_read_still_runs_everywhere():
    rule = regex.compile(r"(?i)Copyright")
    assert required_literals(rule.pattern, rule.flags) is None and line_literals(rule.pattern, rule.flags) is None
