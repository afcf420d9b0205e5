"""Site knowledge as data: the rules in ``cleaner/rules/*.toml`` and a user's ``--rules`` files.

A rules file holds a ``[[rules]]`` table per rule::

    [[rules]]
    name = "doczj-breadcrumb"          # unique; recorded in metadata when it fires
    kind = "drop-line"                 # see KINDS
    pattern = '^当前位置:文档之家›\\s*(?P<title>.+)$'
    example = "当前位置:文档之家› 智慧城市发言稿\\n正文"   # checked by the tests:
    expect = "正文"                                      # strip(example) == expect

A named group ``title`` in a line rule gives the page title (kept as ``page_title`` metadata).
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
    "cut-footer": "remove the first line the pattern matches and everything after it",
    "remove-span": "remove each match inside the text, joining what stood either side",
    "heading": "a part's title glued to its first sentence: group `title` is split off as the title",
}

_LINE_KINDS = {"drop-line", "cut-footer", "heading"}


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

    def __repr__(self) -> str:
        return f"Rule({self.name!r}, {self.kind!r}, {self.pattern.pattern!r})"


def _compile(name: str, kind: str, pattern: str) -> regex.Pattern:
    flags = regex.MULTILINE | regex.VERSION1 if kind in _LINE_KINDS else regex.VERSION1
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
            pattern = _compile(entry["name"], entry["kind"], entry["pattern"])
        except regex.error as error:
            raise RulesError(f"{where} ({entry['name']}): bad pattern: {error}") from None
        rules.append(
            Rule(
                name=entry["name"],
                kind=entry["kind"],
                pattern=pattern,
                example=entry.get("example", ""),
                expect=entry.get("expect", ""),
                comment=entry.get("comment", ""),
                origin=origin,
            )
        )
    return tuple(rules)


@lru_cache(maxsize=None)
def bundled_rules() -> tuple[Rule, ...]:
    """The rules shipped with cleaner: ``generic.toml`` first, then the site files by name."""
    folder = resources.files(__package__)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: (f.name != "generic.toml", f.name))
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
