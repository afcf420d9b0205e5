import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleaner.rules
from cleaner.cli import main
from cleaner.rules import KINDS, RulesError, bundled_rules, load_rules, parse_rules
from cleaner.titles import title_at
from cleaner.strip import strip_text


@pytest.mark.parametrize("rule", bundled_rules(), ids=lambda rule: rule.name)
def test_every_bundled_rule_does_what_its_example_says(rule):
    assert rule.example and rule.expect, f"{rule.name} needs an example and what it becomes"
    if rule.kind == "heading":
        title = title_at(rule.example, 0, len(rule.example), None, (rule,), first_line=False)
        assert title is not None and title.text == rule.expect
    else:
        assert strip_text(rule.example, (rule,)).text == rule.expect


def test_user_rules_file_is_added(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[rules]]\nname = "my-ad"\nkind = "drop-line"\npattern = "^广告.*$"\n', "utf-8")
    rules = load_rules((extra,))
    assert rules[-1].name == "my-ad" and rules[-1].origin == str(extra)
    assert strip_text("广告:买它\n正文。", rules).text == "正文。"


@pytest.mark.parametrize(
    "toml,message",
    [
        ('[[rules]]\nname = "x"\nkind = "drop-line"', "t.toml: rule 1: missing pattern"),
        ('[[rules]]\nname = "x"\nkind = "zap"\npattern = "a"', "t.toml: rule 1 (x): unknown kind 'zap'; kinds: " + ", ".join(KINDS)),
        ('[[rules]]\nname = "x"\nkind = "drop-line"\npattern = "("', "t.toml: rule 1 (x): bad pattern: missing ) at position 1"),
        ("[[rules]\n", "t.toml: not valid TOML: "),
    ],
)
def test_malformed_rules_are_reported_with_their_place(toml, message):
    with pytest.raises(RulesError) as error:
        parse_rules(toml, "t.toml")
    assert str(error.value).startswith(message)


def test_duplicate_rule_names_are_refused(tmp_path):
    extra = tmp_path / "dup.toml"
    extra.write_text('[[rules]]\nname = "breadcrumb"\nkind = "drop-line"\npattern = "^x$"\n', "utf-8")
    with pytest.raises(RulesError, match="rule name 'breadcrumb' is already used in generic.toml"):
        load_rules((extra,))


@pytest.mark.parametrize(
    "toml,message",
    [
        ('[[rules]]\nname = "f"\nkind = "remove-fragment"\npattern = "x"', "t.toml: rule 1 (f): a remove-fragment pattern needs a group named fragment"),
        ('[[rules]]\nname = "w"\nkind = "drop-line"\npattern = "x"\nwhen = "("', "t.toml: rule 1 (w): bad pattern: missing ) at position 1"),
    ],
)
def test_malformed_new_fields_are_reported(toml, message):
    with pytest.raises(RulesError) as error:
        parse_rules(toml, "t.toml")
    assert str(error.value) == message


def test_every_bundled_rules_file_holds_rules_and_generic_comes_first():
    origins = [rule.origin for rule in bundled_rules()]
    assert origins[0] == "generic.toml"
    files = sorted(p.name for p in (Path(cleaner.rules.__file__).parent).glob("*.toml"))
    assert sorted(set(origins)) == files
    assert all(rule.comment for rule in bundled_rules())


def test_cleaner_rules_lists_name_kind_origin_and_comment(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[rules]]\nname = "my-ad"\nkind = "drop-line"\npattern = "^广告.*$"\ncomment = "ads"\n', "utf-8")
    result = CliRunner().invoke(main, ["rules", "--rules", str(extra)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(bundled_rules()) + 2
    name_width = max(len(rule.name) for rule in load_rules((extra,)))
    assert lines[0].split() == ["NAME", "KIND", "ORIGIN", "COMMENT"]
    assert lines[1].startswith("breadcrumb".ljust(name_width) + "  drop-header")
    assert lines[-1].split() == ["my-ad", "drop-line", str(extra), "ads"]


def test_cleaner_rules_json():
    result = CliRunner().invoke(main, ["rules", "--json"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["name"] for r in records] == [rule.name for rule in bundled_rules()]
    assert records[0] == {
        "name": "breadcrumb", "kind": "drop-header", "origin": "generic.toml",
        "comment": bundled_rules()[0].comment, "pattern": bundled_rules()[0].pattern.pattern,
    }


def test_cleaner_rules_refuses_a_bad_file_as_usage_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rules]]\nname = "x"\nkind = "zap"\npattern = "a"\n', "utf-8")
    result = CliRunner().invoke(main, ["rules", "--rules", str(bad)])
    assert result.exit_code == 2 and f"{bad}: rule 1 (x): unknown kind 'zap'" in result.stderr
