"""Tests for cleaner/split.py and cleaner/titles.py: marker forms, the sequence validator, titles, and
the property that splitting loses nothing."""

import random
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.config import Config
from cleaner.normalise import reader
from cleaner.normalise.view import KEPT_CHARS, View
from cleaner.normalise.punctuation import to_ascii
from cleaner.records import Page, Part
from cleaner.rules import load_rules
from cleaner.split import (
    BOUNDARY_FORMS,
    MARKER_FORMS,
    choose_markers,
    find_boundaries,
    find_markers,
    parse_number,
    plan_split,
    render,
    settle,
    split_text,
    step,
)
from cleaner.titles import core, title_at
from conftest import FIXTURES, SEED

HEADINGS = tuple(rule for rule in load_rules() if rule.kind == "heading")
#: Text, markers of every form and titles, for the property that splitting loses nothing.
PAGE_PIECES = st.sampled_from(
    list("智慧城市建设工作会议讲话同志们今天我们的是一二三十篇章诗这本，。：,.:!（）() \n\n\t　")
    + ["篇一:", "篇二:", "【篇1】", "【篇2】", "第一篇", "【第2篇】", "范文1", "(一)", "1.", "篇1", "篇2", "作文", "日记",
       "文/", "3篇", "智慧城市发言稿", "——在会议上的讲话", "标题:"]
)
SEED_TEXT = (SEED / "seed.utf-8.txt").read_text("utf-8")
CASES = tomllib.loads((FIXTURES / "cases" / "split.toml").read_text("utf-8"))["cases"]
CASE_INPUTS = [case["input"] for case in CASES]


def texts(page, page_title=None):
    return [part.text for part in split_text(page, page_title, HEADINGS)]


@pytest.mark.parametrize("form", MARKER_FORMS, ids=lambda form: form.name)
def test_every_marker_form_finds_its_examples(form):
    for example in form.example.split(" / "):
        page = f"{example}\n正文第一句。"
        assert form.name in {marker.form for marker in find_markers(page)}, example


def test_a_marker_knows_its_line():
    # (found from the line starts: counting line breaks from the start for every marker was quadratic)
    page = "\n".join(CASE_INPUTS + [SEED_TEXT])
    markers = find_markers(page)
    assert len(markers) > 50
    assert [marker.line for marker in markers] == [page.count("\n", 0, marker.cut[0]) for marker in markers]


@pytest.mark.parametrize("form", BOUNDARY_FORMS, ids=lambda form: form.name)
def test_every_boundary_form_matches_its_example(form):
    assert form.pattern.search(form.example.replace("\\n", "\n")), form.example


def test_numbers_in_every_notation():
    assert [parse_number(n) for n in ("1", "11", "１２", "一", "十", "十一", "二十", "九十九")] == [1, 11, 12, 1, 10, 11, 20, 99]


@pytest.mark.parametrize(
    "page,parts",
    [
        ("小学生日记 篇1\n今天晴。\n小学生日记 篇2\n今天雨。", 2),  # 1, 2
        ("第一部分的正文,写了一些内容。\n小学生日记 篇2\n今天晴。\n小学生日记 篇3\n今天雨。", 3),  # 2, 3 after an unmarked part 1
        ("捐书倡议书篇11\n捐出一本书。\n捐书倡议书篇12\n传递温暖。", 2),  # a later page of a list
        ("前文是一段完整的正文,写到这里。篇二:后一篇的标题\n后一篇的正文。", 2),  # a lone 篇二 after part 1 (the seed)
        ("篇二:日志\n正文。", 1),  # a lone 篇二 with no part 1 before it
        ("捐书倡议书篇11\n捐出一本书。", 1),  # a lone 篇11
        ("小学生日记 篇1\n今天晴。\n小学生日记 篇3\n今天雨。", 1),  # a gap
        ("小学生日记 篇2\n今天晴。\n小学生日记 篇1\n今天雨。", 1),  # backwards
        ("篇1:春天\n今天晴。\n【篇2】\n今天雨。", 1),  # two forms do not make one sequence
        ("关于背书的作文1\n今天背书。\n关于读书的作文2\n今天读书。", 2),  # own lines, titles that name a kind of writing
        ("实验步骤说明1\n先加水。\n实验步骤说明2\n再加盐。", 2),  # the same title on each part
        ("实验步骤说明1\n先加水。\n注意事项说明2\n再加盐。", 1),  # bare numbers, titles differ and name no kind of writing
        ("春天的花园1春天来了。\n夏天的花园2夏天来了。", 1),  # glued bare numbers need the same title
        ("第1章总则\n内容。\n第2章分则\n内容。", 1),  # chapters
        ("二、课程设计的要求(一)设计要求课程\n(二)操作要求", 1),  # sub-headings
        ("2017年9月23日星期六\n种菜。\n2017年9月24日星期日\n浇水。", 1),  # dates
    ],
)
def test_markers_count_only_in_sequence_at_a_boundary(page, parts):
    assert len(split_text(page)) == parts


@pytest.mark.parametrize("case", [c for c in CASES if c["label"].startswith("no-split")], ids=lambda c: c["label"])
def test_false_split_traps_stay_one_part_before_any_stripping(case):
    """The golden no-split cases go through the strip step too, which may remove a trap line (上一篇:);
    the split step alone must not cut them either."""
    assert len(split_text(case["input"], None, HEADINGS)) == 1


def test_part_titles_come_from_marker_line_title_line_or_page_title():
    page = "以下是小编整理的日记。\n篇1:赏月\n今天赏月。\n篇2:\n今天吃月饼。"
    assert [p.title for p in split_text(page, "中秋节的日记(优秀10篇)")] == ["赏月", "中秋节的日记"]
    page = "【篇一:中秋節賞月】\n今天賞月。\n【篇二:中秋節晚飯!】\n今天吃晚飯。"
    assert [(p.title, p.marker) for p in split_text(page)] == [("中秋節賞月", "【篇一:中秋節賞月】"), ("中秋節晚飯!", "【篇二:中秋節晚飯!】")]
    page = "中秋节的日记篇一\n今天赏月。\n中秋节的日记篇二\n今天吃月饼。"
    assert [p.title for p in split_text(page)] == ["中秋节的日记", "中秋节的日记"]
    page = "【第1篇】\n今天赏月,很开心。\n【第2篇】\n今天吃月饼,很开心。"
    assert [p.title for p in split_text(page, "中秋节日记(3篇)")] == ["中秋节日记", "中秋节日记"]
    assert texts(page, "中秋节日记(3篇)") == ["中秋节日记\n\n今天赏月,很开心。", "中秋节日记\n\n今天吃月饼,很开心。"]


def test_title_copies_after_the_title_are_cut_once_kept_once():
    page = "中秋节的日记篇一\n中秋节的日记\n中秋节的日记今天赏月。\n中秋节的日记篇二\n中秋节的日记今天吃月饼。"
    assert texts(page) == ["中秋节的日记\n\n今天赏月。", "中秋节的日记\n\n今天吃月饼。"]
    # a later mention of the title in the body is text, not a copy
    assert texts("小学生日记 篇1\n我写小学生日记。\n小学生日记 篇2\n今天晴。")[0] == "小学生日记\n\n我写小学生日记。"


def test_marker_and_truncation_are_recorded():
    parts = split_text("第一部分的正文,写到这里被截断了是篇二:第二部分标题\n第二部分的正文。")
    assert [(p.marker, p.truncated) for p in parts] == [(None, True), ("篇二:", False)]


def test_intro_before_part_one_stays_with_part_one():
    page = "下面是小编整理的范文,欢迎阅读。\n乡愁读后感篇一\n读了《乡愁》。\n乡愁读后感篇二\n我很感动。"
    assert texts(page) == ["下面是小编整理的范文,欢迎阅读。\n\n乡愁读后感\n\n读了《乡愁》。", "乡愁读后感\n\n我很感动。"]


def test_table_of_contents_markers_do_not_make_parts():
    page = "中秋节日记 篇1中秋节日记 篇2\n中秋节日记 篇1\n今天是中秋节。\n中秋节日记 篇2\n晚上看月亮。"
    run = choose_markers(find_markers(page), page)
    assert [page.count("\n", 0, m.cut[0]) for m in run] == [1, 3]


def test_unnumbered_boundaries_only_when_no_marker_sequence():
    page = "春游的正文,写了很多很多的内容,写到这里才结束了。\n\n第二篇文章\n\n第二篇文章\n\n" + "第二篇的正文。" * 20
    assert [(title.text, form) for _, title, form in find_boundaries(page)] == [("第二篇文章", "repeated-title-lines")]
    # ... but not over a blog roll's one-line descriptions
    assert find_boundaries("春游的正文。\n\n第二篇文章\n\n第二篇文章\n\n第二篇的正文。") == []
    # a pupil's signature before a date line ends an entry only on a page that signs with a dash somewhere
    assert len(split_text("9月1日\n今天开学。\n王小明\n9月2日\n今天上课。")) == 1
    assert len(split_text("9月1日\n今天开学。\n——王小明\n9月2日\n今天上课。\n李华\n9月3日\n下雨。")) == 3


def test_umbrella_core_and_title_at():
    assert core("【热门】春天风景的作文三篇") == "春天风景的作文"
    title = title_at("合集下载\n浅谈培训浅谈培训摘要", 0, 16, None)
    assert (title.text, title.span, title.copies) == ("浅谈培训", (5, 9), ((9, 13),))


def _without_spaces(text):
    return "".join(text.split())


def _folded(text, read):
    """``text`` as the split compares it: as read (with ``read``: normalised; marks in ASCII), without spaces."""
    return _without_spaces(to_ascii(read(text)) if read else text)


def _joined_parts(text, page_title, read=None):
    """The parts' texts joined, less the titles that were added from the page title; a piece that holds
    only its title, markers and title copies is no part."""
    shown = []
    for piece in plan_split(text, page_title, HEADINGS, read):
        part = render(text, piece)
        if part is None:
            left = _folded(_less_cuts(text, piece), read).replace(_folded(piece.title.text, read) if piece.title else "", "")
            assert not left, f"a piece with more than its title was dropped: {left}"
            continue
        added = piece.title and piece.title.span is None
        shown.append(part.text[len(part.title) :] if added else part.text)
    return "".join(shown)


def _bare(title):
    """The title without all its counts, tags and extension (an umbrella copy may carry two: 慧一篇1篇)."""
    while (bare := core(title)) != title:
        title = bare
    return title


def _less_cuts(text, piece):
    holes = sorted((cut.start, cut.end) for cut in piece.cuts)
    kept, reached = [], piece.start
    for start, end in holes:
        kept.append(text[reached:start])
        reached = end
    return "".join(kept) + text[reached : piece.end]


def _kept(text, page_title, read=None):
    """The page text less what the split step cut, checking that it cut only markers and title copies
    (with ``read``, as the split read them: normalised), and less the pieces that are no part."""
    pieces = plan_split(text, page_title, HEADINGS, read)
    reading = read(text) if read else text
    markers = [_folded(reading[m.cut[0] : m.cut[1]], read) for m in find_markers(reading, page_title, HEADINGS)]
    bounds = [piece.start for piece in pieces] + [pieces[-1].end]
    assert bounds[0] == 0 and bounds[-1] == len(text) and [p.end for p in pieces] == bounds[1:], "pieces cover the page"
    kept = []
    for piece in pieces:
        reached = piece.start
        for start, end, reason in sorted((cut.start, cut.end, cut.reason) for cut in piece.cuts):
            assert piece.start <= reached <= start and end <= piece.end, "cuts overlap or leave their piece"
            if reason == "title-copy":
                assert _bare(_folded(text[start:end], read)) == _bare(_folded(piece.title.text, read))
            else:
                assert reason == "marker" and any(_folded(text[start:end], read) in marker for marker in markers)
            reached = end
        if render(text, piece) is not None:
            kept.append(_less_cuts(text, piece))
    return "".join(kept)


@pytest.mark.parametrize("text", [SEED_TEXT, *CASE_INPUTS], ids=lambda t: t[:12])
@pytest.mark.parametrize("page_title", [None, "智慧城市发言稿"])
def test_splitting_loses_nothing(text, page_title):
    """Joining a page's parts gives back its text less the markers and the title copies (in order)."""
    assert _without_spaces(_joined_parts(text, page_title)) == _without_spaces(_kept(text, page_title))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PAGE_PIECES, max_size=40).map("".join), st.sampled_from([None, "智慧城市发言稿"]), st.booleans())
def test_splitting_loses_nothing_on_any_text(text, page_title, normalised):
    """Also when the split is decided on the text as it will be normalised (the pipeline's way)."""
    read = reader(Config()) if normalised else None
    assert _without_spaces(_joined_parts(text, page_title, read)) == _without_spaces(_kept(text, page_title, read))


def test_splitting_loses_nothing_on_random_joins_of_seed_paragraphs():
    paragraphs = [p for p in SEED_TEXT.split("\n") if len(p) > 20]
    forms = ["篇{cn}:{title}\n", "{title}篇{cn}\n", "{title}【篇{n}】\n", "【第{n}篇】", "{title}范文{n}\n", "{title}{n}", "{title}\n\n{title}\n\n"]
    rng = random.Random(0)
    for _ in range(60):
        form = rng.choice(forms)
        pieces = [form.format(title="智慧城市建设讲话稿", n=n, cn="一二三四五"[n - 1]) + rng.choice(paragraphs) for n in range(1, rng.randint(2, 5))]
        page = rng.choice(["", rng.choice(paragraphs) + "\n"]) + "\n".join(pieces)
        assert _without_spaces(_joined_parts(page, None)) == _without_spaces(_kept(page, None)), page[:80]


def test_step_fills_the_parts_of_a_page():
    page = Page(source="p.txt", text="小学生日记 篇1\n今天晴。\n小学生日记 篇2\n今天雨", page_title="小学生日记")
    parts = step(page, Config()).parts
    assert [(p.title, p.marker, p.truncated) for p in parts] == [("小学生日记", "篇1", False), ("小学生日记", "篇2", True)]


def test_a_long_part_that_stripping_leaves_is_read_once_per_round():
    # the strip step hands its reading to the split step: a long text (not kept by the reader) is not
    # read twice; and the split is the same as with a reading of its own
    text = "\n".join(["这是正文的一句话，没有什么可以去掉的。"] * 12_000)  # over KEPT_CHARS
    assert len(text) > KEPT_CHARS
    read, calls = reader(Config()), []

    def counting(text: str) -> str:
        calls.append(len(text))
        return read(text)

    settled = settle(Part(text), load_rules(), HEADINGS, counting)
    assert [part.text for part in settled] == [text] and calls == [len(text)]
    assert plan_split(text, None, HEADINGS, read, View(text, read(text))) == plan_split(text, None, HEADINGS, read)


def test_each_part_is_settled_as_a_document_of_its_own():
    """Stripped and split again: the breadcrumb that the cut marker brought to a line start goes (its
    removal recorded with the part), and so does a marker printed twice."""
    settled = step(Page(source="p.txt", text="【篇1】当前位置:文档之家› 作文 › 春游记\n今天去春游。"), Config()).parts
    assert [(p.text, p.marker, [r.rule for r in p.removals]) for p in settled] == [("今天去春游。", "【篇1】", ["breadcrumb"])]
    twice = step(Page(source="p.txt", text="篇一:篇一:春游记\n今天去春游。"), Config()).parts
    assert [(p.text, p.title, p.marker) for p in twice] == [("春游记\n\n今天去春游。", "春游记", "篇一:")]
