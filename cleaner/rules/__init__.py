"""Site knowledge as data: the rules in ``cleaner/rules/*.toml`` and a user's ``--rules`` files.

A rules file holds a ``[[rules]]`` table per rule::

    [[rules]]
    name = "breadcrumb"                 # unique; recorded in metadata when it fires
    kind = "drop-header"                # see KINDS
    pattern = '^当前位置[:：].*$'
    when = '文档之家'                    # optional: the rule runs only on pages where this matches
    comment = "what it removes and why"
    example = "当前位置:文档之家› 标题\\n正文"   # checked by the tests:
    expect = "正文"                             # strip(example) == expect

Patterns are Python ``regex`` (``^``/``$`` match at line ends; write ``[^\\S\\n]`` for a space inside a
line, which also takes the U+3000 and no-break-space indents of scraped pages). They are matched against
the page with converter pinyin glosses taken out (``網(wǎng)`` reads as ``網``), so one pattern serves both.
Named groups give the strip step more than a span to remove:

* ``title``: the page title (a breadcrumb's last crumb, a ``《TITLE.docx》由会员分享`` line, an
  umbrella title with its count), kept as ``page_title``;
* ``crumb``: a page-title candidate, used only when a line near the top of the page repeats it
  (the last crumb of ``首页 > 阅读 > 更多作文`` is a category, not a title);
* ``fallback``: a page title used only when the page gives no other (a 360docs collection title,
  often a file name, names the page only when no upload title repeats);
* ``echo``: text that the page also prints on a line of its own near the top (a category named in a
  metadata line); that line goes too, under the same rule;
* ``fragment`` (kind ``remove-fragment`` only): see :data:`KINDS`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import regex

from ..errors import CleanerError

#: What a rule does with what its pattern matches.
KINDS = {
    "drop-line": "remove each whole line the pattern matches",
    "drop-head-line": "remove each whole line the pattern matches among the page's opening lines (before the body starts)",
    "drop-header": "remove the page's opening through the last line the pattern matches there (a site header block)",
    "cut-footer": "remove from the first match to the end of the page (anchor with ^ to cut at a line start)",
    "remove-span": "remove each match inside the text, joining what stood either side",
    "remove-fragment": "group `fragment` caught where no word can stand (between a sentence end and a closing quote or "
    "the line end): if the page repeats it (3+ times) and it is spelt from the page keyword, remove it everywhere",
    "heading": "a part's title glued to its first sentence: group `title` is split off as the title",
}

_SPAN_KINDS = {"remove-span", "remove-fragment"}

#: Rules from this file are the generic set; a site file's or a user's rule wins a tie with them.
GENERIC_FILE = "generic.toml"


class RulesError(CleanerError):
    """A rules file is malformed."""


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: regex.Pattern
    example: str = ""
    expect: str = ""
    comment: str = ""
    origin: str = ""
    when: regex.Pattern | None = None

    def __repr__(self) -> str:
        return f"Rule({self.name!r}, {self.kind!r}, {self.pattern.pattern!r})"

    @property
    def generic(self) -> bool:
        return self.origin == GENERIC_FILE


def _compile(kind: str, pattern: str) -> regex.Pattern:
    flags = regex.VERSION1 if kind in _SPAN_KINDS else regex.MULTILINE | regex.VERSION1
    return regex.compile(pattern, flags)


def parse_rules(text: str, origin: str) -> tuple[Rule, ...]:
    """Parse one rules file's TOML text.

    >>> parse_rules('[[rules]]\\nname = "x"\\nkind = "drop-line"\\npattern = "^广告$"', "t.toml")[0].kind
    'drop-line'
    """
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{origin}: not valid TOML: {error}") from None
    rules = []
    for index, entry in enumerate(table.get("rules", ()), 1):
        where = f"{origin}: rule {index}"
        missing = {"name", "kind", "pattern"} - entry.keys()
        if missing:
            raise RulesError(f"{where}: missing {', '.join(sorted(missing))}")
        if entry["kind"] not in KINDS:
            raise RulesError(f"{where} ({entry['name']}): unknown kind {entry['kind']!r}; kinds: {', '.join(KINDS)}")
        try:
            pattern = _compile(entry["kind"], entry["pattern"])
            when = regex.compile(entry["when"], regex.MULTILINE | regex.VERSION1) if "when" in entry else None
        except regex.error as error:
            raise RulesError(f"{where} ({entry['name']}): bad pattern: {error}") from None
        if entry["kind"] == "remove-fragment" and "fragment" not in pattern.groupindex:
            raise RulesError(f"{where} ({entry['name']}): a remove-fragment pattern needs a group named fragment")
        rules.append(
            Rule(
                name=entry["name"],
                kind=entry["kind"],
                pattern=pattern,
                example=entry.get("example", ""),
                expect=entry.get("expect", ""),
                comment=entry.get("comment", ""),
                origin=origin,
                when=when,
            )
        )
    return tuple(rules)


@lru_cache(maxsize=None)
def bundled_rules() -> tuple[Rule, ...]:
    """The rules shipped with cleaner: ``generic.toml`` first, then the site files by name."""
    folder = resources.files(__package__)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: (f.name != GENERIC_FILE, f.name))
    return tuple(rule for f in files for rule in parse_rules(f.read_text("utf-8"), f.name))


@lru_cache(maxsize=32)
def load_rules(extra_files: tuple[Path, ...] = ()) -> tuple[Rule, ...]:
    """Bundled rules plus the user's files, refusing two rules with one name."""
    rules = list(bundled_rules())
    for path in extra_files:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise RulesError(f"{path}: cannot read rules file: {error}") from None
        rules.extend(parse_rules(text, str(path)))
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.name in seen:
            raise RulesError(f"{rule.origin}: rule name {rule.name!r} is already used in {seen[rule.name]}")
        seen[rule.name] = rule.origin
    return tuple(rules)
