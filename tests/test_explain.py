import io
from dataclasses import replace

import pytest
from click.testing import CliRunner

from cleaner import Config, run
from cleaner.cli import main
from cleaner.explain import Segment, part_starts, render_plain, rules_by_part, segments, show
from cleaner.normalise import PAGE_STEPS, normalise_text
from cleaner.records import Page, Part, Removal
from conftest import FIXTURES, SEED

SMALL = "荟聚奇文\n当前位置:文档之家› 讲话\n讲话\n篇一:春游记\n正文一。\n篇二:秋游记\n正文二。\n相关主题\n链接"

SMALL_PLAIN = (
    "# small.txt: 2 documents, page title 讲话, 29 characters removed\n"
    "[-荟聚奇文\n当前位置:文档之家› 讲话\n-]{breadcrumb}"
    "[-讲话\n-]{repeated-title}"
    "[=part 1: 篇一:=]春游记\n正文一。\n[=part 2: 篇二:=]秋游记\n正文二。\n"
    "[-相关主题\n链接-]{footer-related}\n"
    "# rules: breadcrumb 1, repeated-title 1, footer-related 1\n"
)


def test_plain_explanation_of_a_small_page_is_exact():
    assert render_plain(run(SMALL.encode("utf-8"), "small.txt")) == SMALL_PLAIN


@pytest.mark.parametrize("path", [SEED / "seed.utf-8.txt", *sorted((FIXTURES / "pages").glob("*.txt"))], ids=lambda p: p.name)
def test_segments_cover_the_input_exactly(path):
    """The input as strip received it: decoded, its characters repaired (the ``characters`` step)."""
    text = normalise_text(path.read_text("utf-8"), Config(normalise=PAGE_STEPS))
    assert "".join(segment.text for segment in segments(run(text.encode("utf-8"), path.name))) == text


def test_seed_shows_its_split_point_and_rules_per_part():
    page = run((SEED / "seed.utf-8.txt").read_bytes(), "seed")
    assert [s for s in segments(page) if s.part] == [Segment("篇二:", part=2)]
    assert rules_by_part(page) == [("breadcrumb", "repeated-title"), ("footer-related",)]


def test_a_part_without_a_marker_begins_at_its_title_lines():
    """A boundary found by repeated titles (360docs 合集): the part begins at the first title copy."""
    page = Page(
        source="合集.txt",
        text="安卓试题\n正文一,讲了活动。\n\n第一行代码\n\n第一行代码\n\n第一行代码知识点,讲了组件。\n",
        removals=(Removal("repeated-title", 0, "安卓试题\n"),),
        parts=(Part("安卓试题\n\n正文一,讲了活动。", "安卓试题"), Part("第一行代码\n\n第一行代码知识点，讲了组件。", "第一行代码")),
    )
    assert part_starts(page) == [0, 16]
    assert "讲了活动。\n\n[=part 2=]第一行代码\n" in render_plain(page)


def test_a_part_that_cannot_be_found_gets_the_pages_rules():
    page = run(SMALL.encode("utf-8"), "small.txt")
    lost = replace(page, parts=(page.parts[0], replace(page.parts[1], marker=None, title=None, text="别处的正文")))
    assert rules_by_part(lost) == [page.rules_fired, page.rules_fired]
    assert [s for s in segments(lost) if s.part] == [Segment("篇一:", part=1)]


def test_colour_rendering_strikes_removed_spans_and_has_a_legend():
    stream = io.StringIO()
    show(run(SMALL.encode("utf-8"), "small.txt"), stream, colour=True)
    out = stream.getvalue()
    assert "\x1b[9;31m荟聚奇文" in out, "struck through, in the first rule's colour"
    assert "\x1b[9;35m讲话" in out, "the second rule has the next colour"
    assert "part 2: 篇二:" in out and "breadcrumb 1" in out
    assert out.endswith("\n")


def test_clean_explain_is_plain_when_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.txt").write_text(SMALL, "utf-8")
    result = CliRunner().invoke(main, ["clean", "--explain", "small.txt", "missing.txt"])
    assert (result.exit_code, result.stdout) == (1, SMALL_PLAIN)
    assert result.stderr == "cleaner: missing.txt: no such file or directory\n"
    assert not list(tmp_path.glob("*.1.txt"))


def test_clean_explain_refuses_an_output_folder(tmp_path):
    (tmp_path / "small.txt").write_text(SMALL, "utf-8")
    result = CliRunner().invoke(main, ["clean", "--explain", str(tmp_path / "small.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--explain shows the cleaning on standard output" in result.stderr


def test_what_a_part_lost_when_stripped_as_a_document_of_its_own_is_shown():
    page = run("【篇1】当前位置:文档之家› 作文 › 春游记\n今天去春游。".encode("utf-8"), "p.txt")
    assert render_plain(page) == (
        "# p.txt: 1 document, 20 characters removed\n"
        "[=part 1: 【篇1】=]当前位置:文档之家› 作文 › 春游记\n今天去春游。\n"
        "# part 1 stripped as a document of its own: [-当前位置:文档之家› 作文 › 春游记\n-]{breadcrumb}\n"
        "# rules: breadcrumb 1\n"
    )
