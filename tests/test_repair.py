import codecs
import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config
from cleaner.hanzi import profile
from cleaner.records import Page
from cleaner.repair import repair_text, step
from conftest import FIXTURES, SEED

ENCODINGS = FIXTURES / "encodings"
with open(ENCODINGS / "MANIFEST.tsv", encoding="utf-8", newline="") as _stream:
    MANIFEST = list(csv.DictReader(_stream, delimiter="\t"))


def _truth(row) -> str:
    data = (ENCODINGS / row["file"]).read_bytes()
    return data.decode(row["truth_codec"], row["errors"])


#: Every fixture's true text (Chinese, Japanese, Korean, Latin, markup) and the seed page: all clean.
CLEAN = {row["file"]: _truth(row) for row in MANIFEST} | {"seed": (SEED / "seed.utf-8.txt").read_text("utf-8")}
#: The Chinese ones, as passages of at most 1000 characters cut at a line end, with no U+FFFD.
CHINESE = {}
for _name, _text in CLEAN.items():
    _text = _text.replace("\ufffd", "")[:1000]
    _text = _text[: _text.rfind("\n")] if "\n" in _text else _text
    _p = profile(_text)
    if len(re.findall("[\u4e00-\u9fff]", _text)) >= 20 and _p.good >= 0.8 * _p.chars:
        CHINESE[_name] = _text


def _same_but_lost(truth: str, repaired: str) -> bool:
    """Identical but for U+FFFD where the damage lost a character (and up to two ASCII ones after it)."""
    pattern = ".[\\x00-\\x7f]{0,2}".join(re.escape(piece) for piece in repaired.split("\ufffd"))
    return re.fullmatch(pattern, truth, re.DOTALL) is not None


def _euro_for_0x80(error):
    return ("€" if error.object[error.start : error.end] == b"\x80" else "\ufffd"), error.end


codecs.register_error("test-euro-for-0x80", _euro_for_0x80)


def _as_browsers_read_windows_1252(data: bytes) -> str:
    """The five bytes that windows-1252 leaves undefined become C1 controls (WHATWG), not U+FFFD."""
    return "".join(bytes([b]).decode("cp1252", "replace").replace("\ufffd", chr(b)) for b in data)


LOSSLESS = {
    "mojibake: gbk read as latin-1": lambda t: t.encode("gb18030").decode("latin-1"),
    "mojibake: gbk read as latin-1 (windows-1252)": lambda t: _as_browsers_read_windows_1252(t.encode("gb18030")),
    "mojibake: big5 read as gbk": lambda t: t.encode("big5").decode("gb18030"),
    "mojibake: utf-8 read as latin-1": lambda t: t.encode("utf-8").decode("latin-1"),
}
LOSSY = {
    "mojibake: utf-8 read as gbk": lambda t: t.encode("utf-8").decode("gb18030", "replace"),
    "mojibake: utf-8 read as gbk (browser: 0x80 is €)": lambda t: t.encode("utf-8").decode("gb18030", "test-euro-for-0x80"),
}


#: Big5 read as GBK puts kana where Big5 has 中文: text of little else reads as Japanese, left alone.
KNOWN_FAILURES = {("mojibake: big5 read as gbk", "real-Big5-big5.txt")}


def _cases(damages):
    for label, damage in damages.items():
        repair = label.split(" (")[0]  # the same repair undoes every variant of a damage
        for name, text in CHINESE.items():
            try:
                damage(text)
            except UnicodeEncodeError:  # simplified text has no Big5 bytes
                continue
            marks = [pytest.mark.xfail(strict=True, reason="kana-only damage")] if (repair, name) in KNOWN_FAILURES else []
            yield pytest.param(text, damage, repair, id=f"{label[10:]}:{name}", marks=marks)


def test_the_real_passages_are_many_and_chinese():
    assert len(CHINESE) == 18


@pytest.mark.parametrize("text,damage,repair", list(_cases(LOSSLESS)))
def test_lossless_damage_is_undone_exactly(text, damage, repair):
    assert repair_text(damage(text)) == (text, (repair,))


@pytest.mark.parametrize("text,damage,repair", list(_cases(LOSSY)))
def test_lossy_damage_is_undone_but_for_the_lost_characters(text, damage, repair):
    repaired, repairs = repair_text(damage(text))
    assert repairs == (repair,)
    assert _same_but_lost(text, repaired)


@pytest.mark.parametrize("text,damage,repair", list(_cases(LOSSLESS | LOSSY)))
def test_a_damaged_line_inside_good_text_is_undone_alone(text, damage, repair):
    line = max((line[:60] for line in text.splitlines()), key=lambda line: len(re.findall("[\u4e00-\u9fff]", line)))
    before, after = "正文第一段保持原样，不应改动。\n", "\n正文最后一段也保持原样。"
    repaired, repairs = repair_text(before + damage(line) + after)
    assert repairs == (repair,)
    assert repaired.startswith(before) and repaired.endswith(after)
    assert _same_but_lost(line, repaired[len(before) : -len(after)])


@pytest.mark.parametrize("name", list(CLEAN))
def test_clean_text_is_never_repaired(name):
    assert repair_text(CLEAN[name]) == (CLEAN[name], ())


@pytest.mark.parametrize("text", [
    "アンケートにご協力ください。ありがとうございます。",  # kana sit where Big5 has common hanzi
    "한국어 텍스트는 그대로 둡니다. 감사합니다.",
    "Привет, как дела? Всё хорошо, спасибо.",  # GB2312 Cyrillic reads as Big5 hanzi
    "Ελληνικά κείμενα μένουν όπως είναι.",
    "Größe, Übermaß, ções, não, déjà vu, crème brûlée",
    "①②③④⑤ 步骤说明 ——「重要」……",
    "饕餮犰狳魑魅魍魉踟蹰耄耋",  # rare hanzi side by side
    "锟斤拷锟斤拷烫烫烫",  # mojibake of lost text: nothing to get back
    "二○○四年，學弟說﹕「不要忘記﹗﹗」──北島隨筆",
])
def test_text_in_other_scripts_and_odd_chinese_is_left_alone(text):
    assert repair_text(text) == (text, ())


def test_step_records_the_repair_on_the_page():
    page = Page(source="t", text="ÖÇ»Û³ÇÊÐ½¨Éè", repairs=("earlier",))
    repaired = step(page, Config())
    assert (repaired.text, repaired.repairs) == ("智慧城市建设", ("earlier", "mojibake: gbk read as latin-1"))


def test_step_leaves_a_page_with_nothing_to_repair_as_it_is():
    page = Page(source="t", text="智慧城市\n鑫淼", repairs=("earlier",))
    assert step(page, Config()) is page


_LONG_CLEAN = "\n".join(SEED.joinpath("seed.utf-8.txt").read_text("utf-8").splitlines()[:40])


@pytest.mark.parametrize("text,expect,repairs", [
    # only the last line is damaged: found by the one search over the text, the line alone repaired
    (_LONG_CLEAN + "\n鍦ㄥ叏鍖烘帹杩涙櫤鎱у煄甯傚缓璁俱€傛櫤鎱у煄甯傦紒", _LONG_CLEAN + "\n在全区推进智慧城市建设。智慧城市！",
     ("mojibake: utf-8 read as gbk",)),
    # Latin-1 damage at the very end of a long line, no line break after it
    (_LONG_CLEAN + "标题：ÖÇ»Û³ÇÊÐ", _LONG_CLEAN + "标题：智慧城市", ("mojibake: gbk read as latin-1",)),
    # the first pair the quick search meets (NBSP beside a rare hanzi) is no damage; the search goes on
    ("正文\u00a0鑫\n" + _LONG_CLEAN + "\n标题：ÖÇ»Û³ÇÊÐ。", "正文\u00a0鑫\n" + _LONG_CLEAN + "\n标题：智慧城市。",
     ("mojibake: gbk read as latin-1",)),
    # a Latin-1 token inside a long line of ASCII runs (read once, from each run's start)
    ("正文。\n" + "http://example.com/a/b?c=d&e=f " * 200 + "标题ÖÇ»Û³ÇÊÐ。" + "/x" * 300,
     "正文。\n" + "http://example.com/a/b?c=d&e=f " * 200 + "标题智慧城市。" + "/x" * 300, ("mojibake: gbk read as latin-1",)),
    # damaged runs between clean runs of the same line, and an unrepairable one left as it is
    ("正文。ÖÇ»Û³ÇÊÐ 拥酱蠛永锶ァ 智慧城市", "正文。智慧城市 拥酱蠛永锶ァ 智慧城市", ("mojibake: gbk read as latin-1",)),
])
def test_damage_anywhere_in_a_long_text_is_found(text, expect, repairs):
    assert repair_text(text) == (expect, repairs)


_MOJIBAKE_ALPHABET = st.sampled_from(list("智慧城市鍦ㄥ叏鍖€\ufffd\ue000ÖÇ»Ûäæ¸­ ,\n锟①いア한Жㄣ晱@ㄅ") + ["\x81", "\x9d", "a"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_MOJIBAKE_ALPHABET, max_size=200).map("".join)))
def test_repair_never_fails_and_a_repair_is_not_repaired_again(text):
    repaired, _ = repair_text(text)
    assert repair_text(repaired) == (repaired, ())
