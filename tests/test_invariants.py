"""Properties that hold for any input (issue 6), checked with hypothesis on bounded examples.

benchmarks/fuzz.py runs the same properties for minutes with many more examples.
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import CleanerError, Config, clean_bytes, clean_text
from cleaner.normalise import STEP_NAMES
from cleaner.normalise.characters import _compiled, character_data
from cleaner.normalise.punctuation import FULLWIDTH
from cleaner.pipeline import STEPS
from cleaner.records import Page
from conftest import FIXTURES, SEED

#: Chinese text, scraped-page debris and the characters the pipeline treats specially: part markers of
#: several forms, boilerplate of several rules, titles, and what the character, spacing, punctuation
#: and debris steps change.
PAGE_ALPHABET = st.sampled_from(
    list("智慧城市建设工作会议讲话同志们今天我们的是一二三十篇章诗这本")
    + list("，。：；？！、“”《》（）【】,.:;?!()[] \n\n\t\u3000")
    + ["篇一:", "篇二:", "【篇1】", "【篇2】", "当前位置:文档之家› ", "相关主题", "——在会议上的讲话"]
    + ["第一篇", "【第2篇】", "范文1", "(一)", "1.", "篇1", "篇2", "作文", "日记", "作者:", "文/", "首页", " > ", "3篇",
       "下载本文档", "2020-12-30", "以下是小编整理的", "还剩5页未读", "(ài)", "e", "\u0301", "Ａ１", "⼈", "○"]
    + ["上一篇:", "下载 相关 举报", "合集下载", "……此处隐藏1546个字……", "全文约578字", "人气:3.09W", "——王小明",
       "9月24日星期日", "三年级:丁一非", "发布时间:2021-01-29", "标题:", "内容导航", "_第1页", "第1页共17页",
       "相关文章:", "版权说明:本文档由用户提供并上传", "荟聚奇文", "文档之家", ".docx", "(通用3篇)", "【热门】", "乡愁读后感"]
    + list("0123456789abcXYZ\r\x00\x0c\ufeff\u200b\ufffd\u00a0\u2029")
)
page_texts = st.lists(PAGE_ALPHABET, max_size=60).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"])
#: The number of examples comes from the hypothesis profile (tests/conftest.py): "ci" by default, "fuzz" for
#: benchmarks/fuzz.py.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_output_text(text: str) -> None:
    text.encode("utf-8")  # raises on a lone surrogate
    assert "\x00" not in text
    assert text == text.strip() and text, "documents are trimmed and never empty"
    assert unicodedata.is_normalized("NFC", text)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_clean_or_fail_cleanly(data):
    try:
        docs = clean_bytes(data, source="fuzz")
    except CleanerError as error:
        assert str(error) and "\n" not in str(error)
        return
    for doc in docs:
        check_output_text(doc.text)


@SETTINGS
@given(page_texts, ENCODINGS)
def test_pages_in_any_encoding_clean_to_valid_text(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    try:
        docs = clean_bytes(data, source="fuzz")
    except CleanerError:
        return
    for doc in docs:
        check_output_text(doc.text)


@SETTINGS
@given(page_texts)
@example("(ài))\ufeff慧\ufffd\ufffd")  # found by benchmarks/fuzz.py: a BOM hid mojibake from repair until pass 2
def test_cleaning_clean_output_changes_nothing(text):
    for doc in clean_text(text):
        assert [again.text for again in clean_text(doc.text)] == [doc.text]


@SETTINGS
@given(page_texts, st.sampled_from(["fullwidth", "ascii"]))
def test_cleaning_clean_output_changes_nothing_with_ascii_punctuation_and_reflow(text, punct):
    config = Config(punct=punct, normalise=STEP_NAMES)
    for doc in clean_text(text, config=config):
        assert [again.text for again in clean_text(doc.text, config=config)] == [doc.text]


@lru_cache(maxsize=1)
def documented_changes() -> dict[str, set[str]]:
    """What the normalise steps may turn a character into, besides itself (line breaks aside: they may
    be added anywhere, between a title and its text or for a form feed).

    From the ``characters`` step's table (Kangxi radicals, compatibility ideographs, full-width letters
    and digits, odd spaces, the mismapped characters of ``characters.toml``) and its in-context entries
    (○ → 〇 in a year); from the punctuation step (, ↔ ，). NFC composes what it finds and decomposes a
    few characters (क़), so a character also comes from the canonical parts of the input's.
    """
    changes: dict[str, set[str]] = {}
    table, _, _ = _compiled()
    for wrong, right in table.items():
        changes.setdefault(wrong, set()).update(right)
    for entry in character_data()["in-context"]:
        for wrong, right in zip(entry["example"], entry["expect"]):
            if wrong != right:
                changes.setdefault(wrong, set()).add(right)
    for ascii, fullwidth in zip(",:;?!()", ",:;?!()".translate(FULLWIDTH)):
        changes.setdefault(ascii, set()).add(fullwidth)
        changes.setdefault(fullwidth, set()).add(ascii)
    return changes


def _may_come_from(char: str, sources: set[str]) -> bool:
    if char in sources or char == "\n":
        return True
    decomposed = unicodedata.normalize("NFD", char)  # NFC composed it from its parts
    return len(decomposed) > 1 and all(_may_come_from(part, sources) for part in decomposed)


def repaired_page_text(text: str) -> str:
    """The page text as the repair step leaves it (after the character repairs before it)."""
    page, config = Page(source="t", data=text.encode("utf-8", "surrogatepass")), Config(encoding="utf-8")
    for name, step in STEPS:
        page = step(page, config)
        if name == "repair":
            return page.text
    raise AssertionError("the pipeline has no repair step")


@SETTINGS
@given(st.one_of(page_texts, st.text(max_size=200)))
@example("\x81¡¡¡®")  # found by benchmarks/fuzz.py: repaired once the control character was gone
@example("\x8bü¤¡")  # found by benchmarks/fuzz.py: repaired as GBK read as Latin-1 (户丑)
def test_every_output_character_comes_from_the_input(text):
    """Cleaning removes and moves text; what it writes that the input does not hold is a documented change.

    Mojibake repair is one: its output comes from the text it repaired (``\x8bü¤¡`` is GBK read as Latin-1).
    """
    changes = documented_changes()
    text_and_repair = text + repaired_page_text(text)
    sources = set(text_and_repair).union(*(changes.get(char, ()) for char in set(text_and_repair)))
    sources.update(*(unicodedata.normalize("NFD", char) for char in set(text_and_repair)))  # NFC may decompose (क़)
    for doc in clean_text(text):
        strays = {char for char in doc.text if not _may_come_from(char, sources)}
        assert not strays, f"{strays} in {doc.text!r}"


def _golden_documents():
    for table in sorted((FIXTURES / "cases").glob("*.toml")):
        for case in tomllib.loads(table.read_text("utf-8"))["cases"]:
            if case.get("status") != "known-failure":
                yield from (pytest.param(text, id=f"{table.stem}:{case['label']}") for text in case["expect"])
    for jsonl in sorted((FIXTURES / "pages" / "expected").glob("*.jsonl")):
        for line in jsonl.read_text("utf-8").splitlines():
            record = json.loads(line)
            yield pytest.param(record["text"], id=record["id"])
    for index, text in enumerate((SEED / "expected" / "seed.txt").read_text("utf-8")[:-1].split("\n\f\n"), 1):
        yield pytest.param(text, id=f"seed#{index}")


@pytest.mark.parametrize("text", list(_golden_documents()))
def test_every_golden_document_cleans_to_itself(text):
    """Real pages' documents (the case tables, the page goldens, the seed) are what cleaning them again gives."""
    assert [doc.text for doc in clean_text(text)] == [text]
