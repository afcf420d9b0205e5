import codecs
import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.decode import decode_bytes
from cleaner.detect import SAMPLE_BYTES, WINDOW_BYTES, WINDOWS, _sample, detect
from cleaner.errors import BinaryInputError, UndecodableError
from conftest import FIXTURES, SEED

ENCODINGS = FIXTURES / "encodings"
with open(ENCODINGS / "MANIFEST.tsv", encoding="utf-8", newline="") as _stream:
    MANIFEST = list(csv.DictReader(_stream, delimiter="\t"))
SEED_TEXT = (SEED / "seed.utf-8.txt").read_text("utf-8")


@pytest.mark.parametrize("row", MANIFEST, ids=[f"{r['failure_mode']}:{r['file']}" for r in MANIFEST])
def test_real_file_gets_the_codec_that_gives_its_true_text(row):
    data = (ENCODINGS / row["file"]).read_bytes()
    found = detect(data)
    assert (found.encoding, found.method) == (row["encoding"], row["method"])
    assert data.decode(found.encoding, row["errors"]) == data.decode(row["truth_codec"], row["errors"])
    assert 0 <= found.confidence <= 1 and found.reason


def test_manifest_covers_every_failure_mode_of_issue_3():
    modes = {row["failure_mode"] for row in MANIFEST}
    assert modes >= {"stray", "sparse", "utf-16-no-bom", "short", "gb18030-reads-big5", "gb2312-punctuation",
                     "narrowest-big5", "not-chinese"}


def test_gb2312_punctuation_decodes_as_browsers_do():
    data = (ENCODINGS / "real-GB2312-gb2312-zh_msdn_sample.txt").read_bytes()
    assert b"\xa1\xa4" in data
    text = data.decode(detect(data).encoding)
    assert "·" in text and "\u30fb" not in text  # Python's gb2312 codec would give ・


@pytest.mark.parametrize("text,encoding,method", [
    ("智慧城市建设", "gb18030", "chinese-score"),
    ("臺灣的智慧城市建設", "big5", "chinese-score"),
    ("佢哋喺度食緊飯", "big5hkscs", "chinese-score"),
    ("镕喆", "gb18030", "chinese-score"),
])
def test_short_chinese(text, encoding, method):
    found = detect(text.encode(encoding))
    assert (found.encoding, found.method) == (encoding, method)


@pytest.mark.parametrize("data,encoding,method,reason", [
    (b"", "utf-8", "empty", "empty input"),
    (b"plain ASCII\n", "ascii", "ascii", "7-bit bytes only"),
    (codecs.BOM_UTF8 + "正文".encode("utf-8"), "utf-8-sig", "bom", "UTF-8 byte order mark"),
    (codecs.BOM_UTF16_BE + "正文".encode("utf-16-be"), "utf-16", "bom", "UTF-16 BE byte order mark"),
    (codecs.BOM_UTF32_LE + "正文".encode("utf-32-le"), "utf-32", "bom", "UTF-32 LE byte order mark"),
    ("正文。".encode("utf-8") + b"\xff", "utf-8", "utf-8", "UTF-8 but for 1 bad byte sequence"),
    ("café au lait, crème brûlée".encode("cp1252"), "cp1252", "latin", "Western European letters in single bytes"),
])
def test_certain_checks(data, encoding, method, reason):
    assert detect(data) == detect(data)  # no state between calls
    found = detect(data)
    assert (found.encoding, found.method, found.reason) == (encoding, method, reason)


_CHUNKS = [SEED_TEXT[i * 30 : (i + 1) * 30].encode("utf-8") for i in range(8)]


@pytest.mark.parametrize("data,expect", [
    # a long file whose only bytes that are not UTF-8 come at its end
    (SEED_TEXT[:3000].encode("utf-8") * 3 + b"\xff",
     ("utf-8", 0.99, "utf-8", "UTF-8 but for 1 bad byte sequence")),
    (b"Plain ASCII header line.\n" * 800 + SEED_TEXT[:300].encode("gb18030"),
     ("gb18030", 0.98, "chinese-score", "reads as Chinese in gb18030: 264/267 common hanzi or punctuation")),
    # few bad bytes right after the first one, more within the first kilobyte: not UTF-8 after all
    (b"\xff".join(_CHUNKS[:4]) + b"".join(_CHUNKS[4:]), ("utf-8", 0.99, "utf-8", "UTF-8 but for 3 bad byte sequences")),
    # long Big5, Korean and Japanese text: the candidates that are cut short or left out must not matter
    ("臺灣的智慧城市建設，讓生活更美好。".encode("big5") * 200,
     ("big5", 0.99, "chinese-score", "reads as Chinese in big5: 1024/1024 common hanzi or punctuation")),
    ("대한민국의 수도는 서울이다. 한국어 문장입니다. ".encode("euc-kr") * 40,
     ("euc_kr", 0.76, "chardet", "chardet: cp949, and the narrower euc_kr decodes it")),
    ("日本語の文章です。これはテストのための文章であります。".encode("shift_jis") * 40,
     ("shift_jis", 0.84, "chardet", "chardet: cp932, and the narrower shift_jis decodes it")),
])
def test_decisions_that_shortcuts_must_not_change(data, expect):
    found = detect(data)
    assert (found.encoding, found.confidence, found.method, found.reason) == expect


def test_bad_bytes_spread_over_the_first_kilobyte_are_not_utf8():
    with pytest.raises(UndecodableError):  # seven bad bytes, one per 30 characters: neither UTF-8 nor Chinese
        detect(b"\xff".join(_CHUNKS))


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_bom_less_utf16_and_utf32_from_their_zero_bytes(encoding):
    found = detect(SEED_TEXT[:300].encode(encoding))
    assert found.encoding == encoding and found.method.endswith("-pattern")


@pytest.mark.parametrize("text", ["abc", "一个一些一天", "Hello 世界 and more ASCII text"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bom_less_utf16_byte_order_when_zero_bytes_are_few_or_misleading(text, encoding):
    assert detect(text.encode(encoding)).encoding == encoding  # 一 is U+4E00: a zero byte in the text


@pytest.mark.parametrize("data", [b"\x00" * 1000, b"\x00\x00\x00\x00abc"])
def test_zero_bytes_alone_are_not_utf32(data):
    with pytest.raises(BinaryInputError):
        detect(data)


def test_utf16_without_bom_and_without_ascii_reads_as_chinese():
    text = "让城市更智慧让生活更美好在全区智慧城市建设工作会议上的讲话"
    for encoding in ("utf-16-le", "utf-16-be"):
        assert detect(text.encode(encoding)).encoding == encoding


def test_stray_byte_anywhere_in_long_utf8_and_gbk():
    body = SEED_TEXT.encode("utf-8")
    for position in (0, 1000, len(body) // 2, len(body) - 1):
        cut = body.rfind(b"\n", 0, position) + 1
        assert detect(body[:cut] + b"\xff" + body[cut:]).encoding == "utf-8"
    gbk = SEED_TEXT.encode("gb18030")
    assert detect(gbk[:2000] + b"\x80" + gbk[2000:]).encoding == "gb18030"
    assert detect(gbk[:-1]).encoding == "gb18030"  # truncated last character


def test_sample_is_bounded_and_reaches_past_an_ascii_head():
    chinese = ("让城市更智慧让生活更美好\n" * 200).encode("gb18030")
    data = b"an English preamble line\n" * 20_000 + chinese + b"and an English end\n" * 50
    sample, cut = _sample(data)
    assert len(sample) <= SAMPLE_BYTES + WINDOWS * WINDOW_BYTES and not cut
    assert detect(data).encoding == "gb18030"


def test_a_100_mb_file_costs_what_its_sample_costs():
    data = SEED_TEXT.encode("gb18030") * 2
    huge = data * (100_000_000 // len(data))
    assert detect(huge) == detect(huge[: SAMPLE_BYTES * 2])


def test_sample_cut_inside_a_character_is_still_utf8():
    line = "正" * ((SAMPLE_BYTES + 10) // 3)  # one long line, the sample ends inside a character
    assert detect(line.encode("utf-8")).encoding == "utf-8"


@pytest.mark.parametrize("data,kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
    (b"GIF89a\x01\x00\x01\x00", "GIF image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml", "ZIP archive or Office document"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "GZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "OLE2 document (doc/xls/ppt)"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "Windows executable"),
    (b"ab\x00cd\x00\x00\x01\x02xyz" * 20, "NUL bytes"),
    (bytes(range(1, 9)) * 100, "100% control bytes"),
])
def test_binary_is_refused_with_its_kind(data, kind):
    with pytest.raises(BinaryInputError) as raised:
        detect(data)
    assert str(raised.value) == f"binary file ({kind}), skipped"


def test_text_that_starts_like_a_weak_magic_number_is_text():
    assert detect("BMW 汽车的历史".encode("utf-8")).encoding == "utf-8"
    assert detect(b"MZ is a plain ASCII line\n").encoding == "ascii"


def test_bytes_that_are_no_text_are_undecodable():
    garbage = bytes(range(0x80, 0x100)) * 8
    with pytest.raises(UndecodableError) as raised:
        detect(garbage)
    assert str(raised.value) == "not text in any supported encoding"


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.text(max_size=100).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=50).map(
        lambda t: t.encode("gb18030")),
))
def test_any_bytes_give_a_codec_that_decodes_them_or_a_clear_refusal(data):
    try:
        found = detect(data)
    except (BinaryInputError, UndecodableError) as error:
        assert str(error)
        return
    decode_bytes(data, found.encoding)  # at most a few bad bytes: never UndecodableError
