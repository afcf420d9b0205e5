import pytest

from cleaner.rules import KINDS, RulesError, bundled_rules, load_rules, parse_rules
from cleaner.split import title_and_body
from cleaner.strip import strip_text


@pytest.mark.parametrize("rule", bundled_rules(), ids=lambda rule: rule.name)
def test_every_bundled_rule_does_what_its_example_says(rule):
    assert rule.example and rule.expect, f"{rule.name} needs an example and what it becomes"
    if rule.kind == "heading":
        assert title_and_body(rule.example, (rule,), after_marker=False)[0] == rule.expect
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
