"""Properties that hold for any input (issue 6), checked with hypothesis on bounded examples.

benchmarks/fuzz.py runs the same properties for minutes with many more examples.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import CleanerError, clean_bytes, clean_text

#: Chinese text, scraped-page debris and the characters the pipeline treats specially.
PAGE_ALPHABET = st.sampled_from(
    list("智慧城市建设工作会议讲话同志们今天我们的是一二三十篇章诗这本")
    + list("，。：；？！、“”《》（）【】,.:;?!()[] \n\n\t\u3000")
    + ["篇一:", "篇二:", "【篇1】", "【篇2】", "当前位置:文档之家› ", "相关主题", "——在会议上的讲话"]
    + list("0123456789abcXYZ\r\x00\x0c\ufeff\u200b\ufffd")
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
def test_cleaning_clean_output_changes_nothing(text):
    for doc in clean_text(text):
        assert [again.text for again in clean_text(doc.text)] == [doc.text]
