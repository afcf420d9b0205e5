import json

import pytest

from cleaner import Config, STEPS, clean_bytes, clean_text
from cleaner.normalise import normalise_text
from conftest import SEED, SEED_VARIANTS

SEED_TEXT = (SEED / "seed.utf-8.txt").read_text("utf-8")
EXPECTED_TEXTS = (SEED / "expected" / "seed.txt").read_text("utf-8")[:-1].split("\n\f\n")


def test_steps_are_the_documented_pipeline():
    assert [name for name, _ in STEPS] == ["detect", "decode", "characters", "repair", "strip", "split", "normalise"]


@pytest.mark.parametrize("name,encoding", SEED_VARIANTS.items())
def test_seed_in_every_encoding_gives_the_same_two_documents(name, encoding):
    docs = clean_bytes((SEED / name).read_bytes(), source=name)
    assert [d.text for d in docs] == EXPECTED_TEXTS
    assert [d.metadata["encoding"] for d in docs] == [encoding, encoding]


def test_seed_documents_titles_and_flags():
    first, second = clean_bytes((SEED / "seed.gb18030.txt").read_bytes(), source="seed")
    assert first.title == "让城市更智慧让生活更美好——在全区智慧城市建设工作会议上的讲话"
    assert second.title == "郭理桥：智慧城市推进方略——在智慧地推进新型城镇化建设创新会议上的讲话"
    assert first.metadata["page_title"] == second.metadata["page_title"] == "智慧城市发言稿"
    assert (first.metadata["part"], first.metadata["parts"], first.metadata["truncated"]) == (1, 2, True)
    assert (second.metadata["part"], second.metadata["marker"], second.metadata["truncated"]) == (2, "篇二:", False)
    assert first.text.endswith("而是既有前瞻性、又有实战性的发展路径，是")
    assert first.text.startswith(first.title + "\n\n毛春阳（二〇一一年九月二十八日）同志们：今天")
    assert second.text.startswith(second.title + "\n\n2014年11月7日，由国家发改委")
    assert second.text.endswith("尽可能的建立bim系统来予以辅助。")
    assert second.text.count(second.title) == 1


def test_seed_boilerplate_and_marker_are_gone():
    text = "".join(d.text for d in clean_bytes(SEED_TEXT.encode("utf-8")))
    for gone in ("当前位置", "文档之家", "相关主题", "篇二:"):
        assert gone not in text
    assert "\n智慧城市发言稿\n" not in text


def test_seed_loses_no_body_paragraph():
    """Every seed paragraph is in the output (normalised), less only the boilerplate, the marker and the title's copy."""
    out = "".join(d.text for d in clean_bytes(SEED_TEXT.encode("utf-8"))).replace("\n", "")
    boilerplate = {"当前位置:文档之家› 智慧城市发言稿", "智慧城市发言稿", "相关主题"}
    paragraphs = [p for p in SEED_TEXT.split("\n") if p.strip() and p not in boilerplate]
    assert len(paragraphs) == 62
    title2 = "郭理桥:智慧城市推进方略——在智慧地推进新型城镇化建设创新会议上的讲话"
    for paragraph in paragraphs:
        assert normalise_text(paragraph.replace("篇二:" + title2, "")) in out
    assert out.count(normalise_text(title2)) == 1


def test_clean_text_matches_clean_bytes():
    assert [d.text for d in clean_text(SEED_TEXT)] == EXPECTED_TEXTS


def test_jsonl_golden_metadata():
    golden = [json.loads(line) for line in (SEED / "expected" / "seed.gb18030.jsonl").read_text("utf-8").splitlines()]
    docs = clean_bytes((SEED / "seed.gb18030.txt").read_bytes(), source="seed.gb18030.txt")
    assert [d.to_json() for d in docs] == golden


def test_only_boilerplate_gives_no_document():
    assert clean_bytes("当前位置:文档之家› 标题\n\n标题\n\n相关主题\n".encode("utf-8")) == []
    assert clean_bytes(b"") == []
    assert clean_bytes(b" \n\t\n") == []


def test_given_encoding_overrides_detection():
    (doc,) = clean_bytes("正文。".encode("gbk"), config=Config(encoding="gbk"))
    assert (doc.text, doc.metadata["encoding"], doc.metadata["encoding_method"]) == ("正文。", "gbk", "given")


def test_the_bytes_are_let_go_once_decoded(monkeypatch):
    from cleaner import pipeline

    seen = {}

    def spy(page, config):
        seen[len(seen)] = (page.data, page.size)
        return page

    monkeypatch.setattr(pipeline, "STEPS", (*pipeline.STEPS[:2], ("spy", spy), *pipeline.STEPS[2:]))
    data = (SEED / "seed.gb18030.txt").read_bytes()
    page = pipeline.run(data, "seed.gb18030.txt")
    assert seen == {0: (b"", len(data))}
    assert (page.data, page.size) == (b"", len(data))
