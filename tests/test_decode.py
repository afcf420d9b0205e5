import pytest

from cleaner import Config, clean_bytes
from cleaner.decode import bad_byte_limit, decode_bytes
from cleaner.errors import BinaryInputError, UndecodableError
from conftest import FIXTURES, SEED

ENCODINGS = FIXTURES / "encodings"
SEED_TEXT = (SEED / "seed.utf-8.txt").read_text("utf-8")


@pytest.mark.parametrize("name,encoding,bad", [
    ("gen-gbk-stray-2000_0.txt", "gb18030", 1),  # a stray 0x80
    ("gen-gbk-stray-2000_3.txt", "gb18030", 1),  # a stray 0xff
    ("gen-big5-stray-2000_1.txt", "big5", 1),
    ("gen-utf-8-stray-2000_0.txt", "utf-8", 2),  # a 3-byte character cut to 2 bytes
    ("gen-utf-8-stray-2000_1.txt", "utf-8", 1),  # a Latin-1 é
])
def test_stray_bytes_become_one_replacement_and_nothing_else_changes(name, encoding, bad):
    data = (ENCODINGS / name).read_bytes()
    text, replaced = decode_bytes(data, encoding)
    assert replaced == bad
    assert text == data.decode(encoding, "replace").replace("\r\n", "\n").replace("\r", "\n")
    assert text.count("\ufffd") == 1


def test_stray_byte_file_through_the_pipeline_counts_its_bytes():
    data = (ENCODINGS / "gen-gbk-stray-2000_3.txt").read_bytes()
    docs = clean_bytes(data, source="stray.txt")
    assert {doc.metadata["replaced_bytes"] for doc in docs} == {1}
    assert {doc.metadata["encoding"] for doc in docs} == {"gb18030"}


@pytest.mark.parametrize("data,encoding,expected", [
    ("正文".encode("utf-8")[:-1], "utf-8", ("正\ufffd", 2)),  # truncated last character
    ("正文".encode("gbk")[:-1], "gb18030", ("正\ufffd", 1)),
    (b"line one\r\nline two\rline three\n", "ascii", ("line one\nline two\nline three\n", 0)),
    ("\ufeff正文".encode("utf-8"), "utf-8-sig", ("正文", 0)),
])
def test_decode(data, encoding, expected):
    assert decode_bytes(data, encoding) == expected


def test_strict_fails_at_the_first_bad_byte():
    with pytest.raises(UndecodableError) as raised:
        decode_bytes("正文".encode("gbk") + b"\xff" + "。".encode("gbk"), "gb18030", errors="strict")
    assert str(raised.value) == "byte 4 is not valid gb18030 (illegal multibyte sequence); --errors strict"


def test_too_many_bad_bytes_is_not_text_in_that_codec():
    data = SEED_TEXT.encode("gb18030")
    assert bad_byte_limit(len(data)) == len(data) // 20
    with pytest.raises(UndecodableError) as raised:
        decode_bytes(data, "utf-8")
    assert str(raised.value) == f"more than {len(data) // 20} of {len(data)} bytes are not valid utf-8"


def test_a_good_head_and_a_garbage_tail_is_not_text_in_any_encoding():
    head = SEED_TEXT.encode("utf-8") * 8  # more than the detection sample
    data = head + bytes(range(0x80, 0x100)) * 1000
    with pytest.raises(UndecodableError) as raised:
        clean_bytes(data)
    limit = len(data) // 20
    assert str(raised.value) == (
        f"not text in any supported encoding (more than {limit} of {len(data)} bytes are not valid utf-8)"
    )


def test_given_encoding_names_the_codec_in_the_error():
    with pytest.raises(UndecodableError) as raised:
        clean_bytes(SEED_TEXT.encode("gb18030"), config=Config(encoding="utf-8"))
    assert str(raised.value).endswith("bytes are not valid utf-8")


def test_binary_input_fails_the_pipeline_with_its_kind():
    with pytest.raises(BinaryInputError) as raised:
        clean_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert str(raised.value) == "binary file (PDF document), skipped"
