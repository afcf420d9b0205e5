import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cleaner.cli import main
from cleaner.shard import WHOLE, Shard, parse_shard


@pytest.mark.parametrize("text, shard", [("0/1", Shard(0, 1)), ("3/4", Shard(3, 4)), ("07/10", Shard(7, 10))])
def test_parse_shard(text, shard):
    assert parse_shard(text) == shard


@pytest.mark.parametrize("text, message", [
    ("1/1", "shard 1/1 does not exist: shards of 1 are numbered 0 to 0"),
    ("5/4", "shard 5/4 does not exist: shards of 4 are numbered 0 to 3"),
    ("0/0", "shard 0/0: the number of shards must be at least 1"),
    ("-1/4", "'-1/4' is not a shard: write I/N with whole numbers, like 0/4 for the first of 4 shards"),
    ("1/2/3", "'1/2/3' is not a shard: write I/N with whole numbers, like 0/4 for the first of 4 shards"),
    ("1", "'1' is not a shard: write I/N with whole numbers, like 0/4 for the first of 4 shards"),
    ("١/٢", "'١/٢' is not a shard: write I/N with whole numbers, like 0/4 for the first of 4 shards"),
])
def test_bad_shards_say_why(text, message):
    with pytest.raises(ValueError) as caught:
        parse_shard(text)
    assert str(caught.value) == message


def test_item_i_goes_to_shard_i_mod_n():
    assert [list(Shard(i, 3).select(range(8))) for i in range(3)] == [[0, 3, 6], [1, 4, 7], [2, 5]]
    assert list(WHOLE.select(iter("abc"))) == ["a", "b", "c"]


@given(st.integers(0, 40), st.integers(1, 9))
def test_shards_are_disjoint_and_cover_every_item_once(length, count):
    items = list(range(length))
    shards = [list(Shard(index, count).select(iter(items))) for index in range(count)]
    assert sorted(item for shard in shards for item in shard) == items
    assert all(shard == sorted(shard) for shard in shards)  # each keeps the walk's order


def invoke(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """in/ with seven one-line pages, two of them in sub-folders, and a file the walk skips."""
    monkeypatch.chdir(tmp_path)
    names = ["a.txt", "b.txt", "c.txt", "d.txt", "sub/e.txt", "sub/deeper/f.txt", "z/g.txt"]
    for number, name in enumerate(names, 1):
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"第{number}篇的正文。".encode("gb18030"))
    (tmp_path / "in" / "notes.md").write_text("not walked")
    return tmp_path


def ids(output):
    return [json.loads(line)["id"] for line in output.splitlines()]


def test_cli_shards_follow_the_sorted_walk(tree):
    whole = invoke("clean", "--format", "jsonl", "in")
    assert whole.exit_code == 0
    walked = ids(whole.stdout)
    assert walked == ["in/a.txt", "in/b.txt", "in/c.txt", "in/d.txt", "in/sub/deeper/f.txt", "in/sub/e.txt",
                      "in/z/g.txt"]
    first = invoke("clean", "--format", "jsonl", "--shard", "0/3", "in")
    assert (first.exit_code, ids(first.stdout)) == (0, ["in/a.txt", "in/d.txt", "in/z/g.txt"])


@pytest.mark.parametrize("count", [1, 2, 3, 7, 10])
def test_cli_shards_are_disjoint_and_cover_every_file(tree, count):
    walked = ids(invoke("clean", "--format", "jsonl", "in").stdout)
    shards = [ids(invoke("clean", "--format", "jsonl", "--shard", f"{i}/{count}", "in").stdout)
              for i in range(count)]
    assert sorted(name for shard in shards for name in shard) == sorted(walked)
    assert sum(len(shard) for shard in shards) == len(walked)


def test_cli_shards_write_disjoint_output_trees(tree):
    for index in range(2):
        assert invoke("clean", "--shard", f"{index}/2", "in", "-o", "out").exit_code == 0
    written = sorted(p.relative_to(tree / "out").as_posix() for p in (tree / "out").rglob("*.txt"))
    assert written == ["a.txt", "b.txt", "c.txt", "d.txt", "sub/deeper/f.txt", "sub/e.txt", "z/g.txt"]


def test_a_missing_input_is_one_item_reported_by_its_shard(tree):
    first = invoke("clean", "--shard", "0/2", "missing.txt", "in/a.txt")
    assert (first.exit_code, first.stdout, first.stderr) == (1, "", "cleaner: missing.txt: no such file or directory\n")
    second = invoke("clean", "--shard", "1/2", "missing.txt", "in/a.txt")
    assert (second.exit_code, second.stdout, second.stderr) == (0, "第1篇的正文。\n", "")


def test_cli_bad_shard_is_a_usage_error(tree):
    result = invoke("clean", "--shard", "2/2", "in")
    assert result.exit_code == 2
    assert "Invalid value for '--shard': shard 2/2 does not exist: shards of 2 are numbered 0 to 1" in result.stderr
