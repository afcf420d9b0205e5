"""The normalisation steps: each one on its table of real cases, then together on real pages."""

import json
import tomllib

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, clean_bytes, clean_text
from cleaner.cli import main
from cleaner.normalise import DEFAULT_STEPS, STEP_NAMES, STEPS, _apply, _part_runs, normalise_text, reader
from cleaner.normalise.characters import character_data, fix_characters
from cleaner.normalise.debris import HAN_PER_GLOSS, MIN_GLOSSES, count_glosses
from cleaner.normalise.paragraphs import fix_paragraphs
from cleaner.normalise.punctuation import to_ascii
from cleaner.records import Page
from cleaner.normalise.view import View
from conftest import FIXTURES, SEED

STEP_CASES = tomllib.loads((FIXTURES / "normalise" / "steps.toml").read_text("utf-8"))
RUNS = {step.name: step.run for step in STEPS} | {"punctuation-ascii": to_ascii}
PAGES = sorted((FIXTURES / "normalise" / "pages").glob("*.txt"))
EVERY_STEP = Config(normalise=STEP_NAMES)


def _cases():
    for table, cases in STEP_CASES.items():
        for case in cases:
            yield pytest.param(table, case, id=f"{table}:{case['label']}")


@pytest.mark.parametrize("table,case", list(_cases()))
def test_step_case(table, case):
    run = RUNS[table]
    assert run(case["input"]) == case["expect"], case["comment"]
    assert run(case["expect"]) == case["expect"], "the step must leave its own output alone"


@pytest.mark.parametrize("table", sorted(RUNS))
def test_every_step_has_eight_cases_with_some_left_alone(table):
    cases = STEP_CASES[table]
    changed = [case for case in cases if case["input"] != case["expect"]]
    assert len(cases) >= 8
    assert changed and len(changed) < len(cases)


def test_steps_order_and_defaults():
    assert STEP_NAMES == ("characters", "nfc", "paragraphs", "debris", "reflow", "punctuation", "spacing")
    assert DEFAULT_STEPS == tuple(name for name in STEP_NAMES if name != "reflow")
    assert Config().normalise == DEFAULT_STEPS and Config().punct == "fullwidth"


def test_character_table_examples():
    data = character_data()
    for entry in (*data["mismapped"], *data["in-context"]):
        assert fix_characters(entry["example"]) == entry["expect"], entry.get("name", entry.get("wrong"))
    for entry in data["radicals"]:
        assert fix_characters(entry["wrong"]) == entry["right"]


def test_characters_beyond_the_bmp_and_in_context_gates():
    # The run of characters to replace is searched from its first character: one beyond U+FFFF starts one too.
    assert fix_characters("\U0002f800\uf900Ａ\U00020000") == "丽豈A\U00020000"
    assert fix_characters("\uf900Ａ１") == "豈A1"
    # an in-context entry runs only where its characters are, and then exactly as before
    assert fix_characters("二○一八年，○ 选项") == "二〇一八年，○ 选项"
    assert fix_characters("选项○，一") == "选项○，一"


def test_debris_threshold_is_density():
    gloss = "網(wǎng)"
    assert count_glosses(gloss * MIN_GLOSSES) == MIN_GLOSSES
    filler = "的" * (HAN_PER_GLOSS * MIN_GLOSSES - MIN_GLOSSES)  # exactly one gloss per HAN_PER_GLOSS
    assert RUNS["debris"]((gloss + "，") * MIN_GLOSSES + filler) == "網，" * MIN_GLOSSES + filler
    assert RUNS["debris"]((gloss + "，") * MIN_GLOSSES + filler + "的") == (gloss + "，") * MIN_GLOSSES + filler + "的"
    assert RUNS["debris"]((gloss + "，") * (MIN_GLOSSES - 1)) == (gloss + "，") * (MIN_GLOSSES - 1)


@pytest.mark.parametrize("config", [Config(), EVERY_STEP, Config(punct="ascii")], ids=["default", "reflow", "ascii"])
@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_normalising_real_pages_is_idempotent(page, config):
    once = normalise_text(page.read_text("utf-8"), config)
    assert normalise_text(once, config) == once


def test_idempotent_on_the_seed_and_the_case_expectations():
    texts = [doc.text for doc in clean_bytes((SEED / "seed.utf-8.txt").read_bytes())]
    for table in sorted((FIXTURES / "cases").glob("*.toml")):
        texts += [text for case in tomllib.loads(table.read_text("utf-8"))["cases"] for text in case["expect"]]
    for text in texts:
        assert normalise_text(text) == text


def test_real_pages_keep_what_must_stay():
    text = {path.stem[:3]: normalise_text(path.read_text("utf-8")) for path in PAGES}
    assert "⑴国家信息化体系包括" in text["003"] and "9:00-18:30" in text["003"]
    assert "瑟(sè)瑟發抖" in text["053"].replace("（", "(").replace("）", ")")
    assert "(wǎng)" not in text["025"] and "千文網小編為你整理" in text["025"]
    assert "Food prices, clothing costs, housing expenses, and tuition fees" in text["007"]
    assert "不从恶人的计谋，\n不与罪人为伍，\n" in text["055"]
    assert "(二〇一八年十二月二十九日)" in text["019"].replace("（", "(").replace("）", ")")


def test_never_nfkc():
    kept = "⑴⒈〈〉，：；？！（）…℃　"
    assert normalise_text(kept) == kept.strip("　")


def test_config_chooses_steps_and_direction():
    text = "　　同志们:今天 52 万户"
    assert normalise_text(text, Config(normalise=())) == text
    assert normalise_text(text, Config(normalise=("punctuation",))) == "　　同志们：今天 52 万户"
    assert normalise_text("同志们：今天", Config(punct="ascii")) == "同志们:今天"
    assert normalise_text(text, Config(normalise=("spacing",))) == "同志们:今天52万户"


@pytest.mark.parametrize("changes,message", [
    ({"normalise": ("nfkc",)}, "unknown normalisation step 'nfkc'; the steps are characters, nfc, paragraphs, "
                               "debris, reflow, punctuation, spacing"),
    ({"punct": "half"}, "punct must be one of fullwidth, ascii, not 'half'"),
])
def test_config_rejects_unknown_choices(changes, message):
    with pytest.raises(ValueError) as error:
        Config(**changes)
    assert str(error.value) == message


def test_choice_is_recorded_in_metadata():
    (doc,) = clean_text("同志们:今天开会。")
    assert (doc.text, doc.metadata["normalise"], doc.metadata["punct"]) == ("同志们：今天开会。", list(DEFAULT_STEPS), "fullwidth")
    (doc,) = clean_text("同志们:今天开会。", config=Config(normalise=("spacing", "reflow")))
    assert (doc.text, doc.metadata["normalise"], doc.metadata["punct"]) == ("同志们:今天开会。", ["reflow", "spacing"], None)


def test_titles_are_normalised_like_the_text():
    first, second = clean_bytes((SEED / "seed.gb18030.txt").read_bytes())
    assert second.title == "郭理桥：智慧城市推进方略——在智慧地推进新型城镇化建设创新会议上的讲话"
    assert second.text.startswith(second.title + "\n\n")
    assert first.text.startswith(first.title + "\n\n")


# --- the command line: `cleaner steps` and the normalisation options of `clean` ---------------------------

def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_steps_command_lists_name_default_and_example():
    result = invoke("steps")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        r"NAME         DEFAULT  EXAMPLE",
        r"characters   on       ⼈民布臵\u200bＡＢＣ１２３\u00a0二○一八年 → 人民布置ABC123 二〇一八年",
        r"nfc          on       cafe\u0301 ⑴⒈〈〉 → café ⑴⒈〈〉",
        r"paragraphs   on       第一段。\r\n\r\n\r\n\r\n第二段。\n\n → 第一段。\n\n第二段。",
        r"debris       on       千文網(wǎng)為你整理愛(ài)祖國(guó)演講稿 → 千文網為你整理愛祖國演講稿",
        r"reflow       off      过去五年，我们在加快推进都市城区、新型镇村建\n设的同时，致力构建城乡一体的现代化基础设施网\n"
        r"络，不仅打造路网。 → 过去五年，我们在加快推进都市城区、新型镇村建设的同时，致力构建城乡一体的现代化基础设施网络，不仅打造路网。",
        r"punctuation  on       同志们:今天,时间12:30(周三) Hello, world → 同志们：今天，时间12:30（周三） Hello, world",
        r"spacing      on       \u3000\u3000用户数52 万户，达到100% ，推 进。 → 用户数52万户，达到100%，推进。",
        r"                      --punct ascii: 同志们：今天，时间12:30（周三） Hello, world → 同志们:今天,时间12:30(周三) Hello, world",
    ]


PAGE = "同志们:今天 52 万户,千文網(wǎng)愛(ài)祖國(guó)。\n"


@pytest.mark.parametrize("options,text", [
    ([], "同志们：今天52万户，千文網愛祖國。\n"),
    (["--no-punctuation"], "同志们:今天52万户,千文網愛祖國。\n"),
    (["--skip", "punctuation,debris"], "同志们:今天52万户,千文網(wǎng)愛(ài)祖國(guó)。\n"),
    (["--steps", "spacing"], "同志们:今天52万户,千文網(wǎng)愛(ài)祖國(guó)。\n"),
    (["--steps", "punctuation,spacing", "--punct", "ascii"], PAGE.replace(" 52 ", "52")),
    (["--punct", "ascii"], "同志们:今天52万户,千文網愛祖國。\n"),
])
def test_clean_options_choose_the_steps(options, text):
    result = invoke("clean", "-", *options, input=PAGE.encode("utf-8"))
    assert (result.exit_code, result.stdout, result.stderr) == (0, text, "")


def test_clean_reflow_and_metadata():
    wrapped = "过去五年，我们在加快推进都市城区、新型镇村建\n设的同时，致力构建城乡一体的现代化基础设施网\n络，不仅打造路网。\n"
    result = invoke("clean", "-", "--reflow", "--no-nfc", "--format", "jsonl", input=wrapped.encode("utf-8"))
    record = json.loads(result.stdout)
    assert result.exit_code == 0
    assert record["text"] == wrapped.replace("\n", "")
    assert (record["metadata"]["normalise"], record["metadata"]["punct"]) == (
        ["characters", "paragraphs", "debris", "reflow", "punctuation", "spacing"], "fullwidth")


@pytest.mark.parametrize("options,message", [
    (["--steps", "nfc,nfkc"], "Error: Invalid value for --steps: unknown step 'nfkc' (the steps are characters, nfc, "
                              "paragraphs, debris, reflow, punctuation, spacing)"),
    (["--skip", "quotes"], "Error: Invalid value for --skip: unknown step 'quotes' (the steps are characters, nfc, "
                           "paragraphs, debris, reflow, punctuation, spacing)"),
    (["--punct", "ascii", "--no-punctuation"], "Error: --punct ascii needs the punctuation step, which is skipped"),
])
def test_clean_rejects_bad_step_choices(options, message):
    result = invoke("clean", "-", *options, input=b"")
    assert (result.exit_code, result.stdout, result.stderr.splitlines()[-1]) == (2, "", message)


def test_readme_before_and_after_is_the_seed_output():
    readme = (FIXTURES.parent / "README.md").read_text("utf-8")
    section = readme[readme.index("## Normalisation"):]
    before, after = (block.strip() for block in section.split("```text\n")[1:3])
    after = after[: after.index("```")].strip()
    before = before[: before.index("```")].strip()
    assert before in (SEED / "seed.utf-8.txt").read_text("utf-8")
    assert (SEED / "expected" / "seed.txt").read_text("utf-8").startswith(after + "\n\n")


_PIECES = st.sampled_from(
    list("中文的推进万户年日,:;?!()（），。：“”\"' \n\u3000ab19%.-") +
    ["http://a.b/c?d=1", "(wǎng)", "(sè)", "網(wǎng)", "○", "…", "A.", "一、", "12:30", "1,000", "Hello, world",
     "f(x)", "\r\n", "\u200b", "Ａ", "⼈", "臵", "江 西 省 地", "52 万户", "100% ,", "。 ", "免责声明:", "&gt;"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_normalising_twice_changes_nothing(text):
    for config in (Config(), EVERY_STEP, Config(punct="ascii")):
        once = normalise_text(text, config)
        assert normalise_text(once, config) == once


VIEW_TEXT = st.lists(st.sampled_from(list("同志们今天开会，。：,:;?!() \t\u3000\n\nabc12") + ["(ài)", "(wǎng)", "52 万户", "　　"]),
                     max_size=50).map("".join)


@settings(deadline=None)
@given(VIEW_TEXT, st.sampled_from(["fullwidth", "ascii"]), st.booleans())
def test_view_places_every_character_of_the_reading_in_the_text(text, punct, reflow):
    """Each character of the normalised reading stands at its offset in the text (as itself, or as the
    other width of a mark), in order; the reading's end is the text's."""
    config = Config(punct=punct, normalise=STEP_NAMES if reflow else DEFAULT_STEPS)
    read = reader(config)
    reading = View(text, read(text))
    fold = str.maketrans("，：；？！（）", ",:;?!()")
    for offset, char in enumerate(reading.text):
        if not (reflow and char in " \n"):  # reflow inserts a space where it joins Latin lines
            assert text[reading.original(offset)].translate(fold) == char.translate(fold), offset
    offsets = [reading.original(offset) for offset in range(len(reading.text) + 1)]
    assert offsets == sorted(offsets) and offsets[-1] == len(text)


@pytest.mark.parametrize("config", [Config(), Config(punct="ascii"), Config(normalise=("debris", "spacing"))],
                         ids=["default", "ascii", "debris-spacing"])
def test_a_reader_reads_any_run_of_lines_as_the_steps_do_on_it_alone(config):
    """The reader keeps lines it read (cleaner.normalise.LINE_STEPS): a line must come out the same in
    any text, whatever the other lines and whatever was read before."""
    read = reader(config)
    runs = _part_runs(config)
    for path in PAGES + sorted((FIXTURES / "pages").glob("*.txt"))[:12]:
        lines = path.read_text("utf-8").split("\n")
        for start in range(0, len(lines), 7):
            for end in (start + 1, start + 9, len(lines)):
                text = "\n".join(lines[start:end])
                assert read(text) == _apply(text, runs), (path.name, start, end)


@pytest.mark.parametrize("block", [4, 7, 64])
def test_a_text_is_aligned_alike_in_ascii_blocks_of_any_size(monkeypatch, block):
    """A long text and its reading are compared in ASCII form a block at a time (view.ASCII_BLOCK): with
    blocks of a few characters the offsets must be those of one block for the whole text."""
    import cleaner.normalise.view as view_module

    read = reader(Config())
    pages = [path.read_text("utf-8") for path in PAGES + sorted((FIXTURES / "pages").glob("*.txt"))]
    pages.append("标题 ,内容：(wǎng)  甲\n\n\n乙, 丙；" * 40)
    assert all(len(text) < view_module.ASCII_BLOCK for text in pages)
    for text in pages:
        reading = read(text)
        whole = View(text, reading)
        monkeypatch.setattr(view_module, "ASCII_BLOCK", block)
        blocks = View(text, reading)
        monkeypatch.undo()
        offsets = range(len(reading) + 1)
        assert [blocks.original(k) for k in offsets] == [whole.original(k) for k in offsets]


@pytest.mark.parametrize("config", [Config(), Config(punct="ascii")], ids=["default", "ascii"])
def test_a_long_text_read_in_segments_reads_as_a_whole(config, monkeypatch):
    """A long text goes through the steps a segment of lines at a time (paragraphs.segments): the reading,
    the paragraphs step and the page steps must give what they give on the text in one piece."""
    import cleaner.normalise as normalise_module
    from cleaner.normalise import paragraphs

    runs = _part_runs(config)
    lines = normalise_module._LineReader(runs)
    texts = [path.read_text("utf-8") for path in PAGES + sorted((FIXTURES / "pages").glob("*.txt"))]
    texts += ["\r\n\r\n标题\r\n\r\n  \n第一段。\r第二行\n\n\n" * 9, "  \n\n甲\n" + "乙\n\n\n丙\r" * 20 + "\n \n"]
    # glosses dense over the whole text but not in each segment; a combining mark and in-context entries
    texts += ["千文網(wǎng)小編\n\n" + "为你整理了演讲稿全文内容。\n" * 12 + "愛(ài)祖國(guó)\n\n" * 2,
              "cafe\u0301\n\u0301二○一八年\n‚心得体会‛\n\n" * 10]
    # indented paragraphs (cut before the indent), and lines that a carriage return leaves blank (not cut)
    texts += ["\u3000\u3000第一段, 内容。\n\n  第二段:内容\n\t第三段\n" * 12, "甲\n\u3000\u3000\r正文\n \r\n\n乙\n" * 12]
    whole = [(_apply(text, runs), fix_paragraphs(text), normalise_module.page_step(Page("p", text=text), config).text)
             for text in texts]
    monkeypatch.setattr(paragraphs, "SEGMENT_CHARS", 16)
    assert any(len(list(paragraphs.segments(text))) > 5 for text in texts)
    for text, (reading, paragraphed, page_text) in zip(texts, whole):
        assert lines.in_segments(text) == reading
        assert fix_paragraphs(text) == paragraphed
        assert normalise_module.page_step(Page("p", text=text), config).text == page_text


def test_a_long_text_the_page_steps_leave_as_it_is_is_not_copied(monkeypatch):
    """The page steps keep only the segments they change: a long page they leave comes back itself."""
    import cleaner.normalise as normalise_module
    from cleaner.normalise import paragraphs

    monkeypatch.setattr(paragraphs, "SEGMENT_CHARS", 16)
    clean = "".join(f"同志们：今天第{number}次开会。\n" for number in range(30))
    assert normalise_module.page_step(Page("p", text=clean), Config()).text is clean
    fixed = normalise_module.page_step(Page("p", text=clean + "⼈民\n" + clean), Config()).text
    assert fixed == clean + "人民\n" + clean


def test_chinese_characters_are_counted_alike_in_segments(monkeypatch):
    """The gloss density counts Chinese characters a segment at a time: the count must not change."""
    from cleaner.normalise import debris, paragraphs

    texts = [path.read_text("utf-8") for path in PAGES + sorted((FIXTURES / "pages").glob("*.txt"))]
    whole = [len(debris._NOT_HAN.sub("", text)) for text in texts]
    monkeypatch.setattr(paragraphs, "SEGMENT_CHARS", 16)
    assert [debris._han_count(text) for text in texts] == whole
    assert sum(whole) > 10_000
