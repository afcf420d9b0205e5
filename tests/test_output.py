import errno
import os

import pytest

from cleaner.errors import OutputError
from cleaner.output import TEMPORARY_PREFIX, output_names, output_stem, render, write_atomic
from cleaner.records import Document


def leftovers(folder):
    return [name for _, _, names in os.walk(folder) for name in names if name.startswith(TEMPORARY_PREFIX)]


@pytest.mark.parametrize(
    "relative, stem",
    [("a/page.txt", "a/page"), ("page", "page"), ("a.b/page", "a.b/page"), (".profile", ".profile"),
     ("a/.profile", "a/.profile"), ("notes.", "notes."), ("x.tar.gz", "x.tar")],
)
def test_output_stem_follows_pathlib_suffix(relative, stem):
    from pathlib import PurePosixPath

    assert output_stem(relative) == stem
    path = PurePosixPath(relative)
    assert stem == str(path.with_name(path.stem if path.suffix else path.name))


def test_output_names():
    assert output_names("a/page.md", 1, "txt") == ["a/page.txt"]
    assert output_names("page.txt", 3, "txt") == ["page.1.txt", "page.2.txt", "page.3.txt"]
    assert output_names("page.txt", 3, "jsonl") == ["page.jsonl"]


def test_render_jsonl_has_one_record_per_document():
    docs = [Document("a", "一", {"part": 1}), Document("a#2", "二\n三", {"part": 2})]
    assert render(docs, "jsonl") == (
        '{"id": "a", "text": "一", "metadata": {"part": 1}}\n{"id": "a#2", "text": "二\\n三", "metadata": {"part": 2}}\n'
    )
    assert render([], "txt") == render([], "jsonl") == ""


def test_write_atomic_makes_folders_replaces_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(os.listdir(target.parent)) == ["out.txt"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_write_atomic_without_replace_refuses_an_existing_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match=r"out.txt exists \(use --overwrite to replace it\)$"):
        write_atomic(target, b"new", replace=False)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []
    write_atomic(tmp_path / "new.txt", b"new", replace=False, mode=0o600)
    assert (tmp_path / "new.txt").read_bytes() == b"new"
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o600


def test_a_full_disk_fails_the_write_and_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OutputError, match=r"^cannot write .*out.txt: No space left on device$"):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_short_write_is_completed(tmp_path, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:3])))
    write_atomic(tmp_path / "out.txt", b"0123456789")
    monkeypatch.undo()
    assert (tmp_path / "out.txt").read_bytes() == b"0123456789"


def test_an_unwritable_folder_fails_cleanly(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError, match=r"^cannot write .*file/out.txt: (Not a directory|File exists)$"):
        write_atomic(tmp_path / "file" / "out.txt", b"x")


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(fd, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.txt", b"x")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def test_large_text_is_encoded_and_written_a_slice_at_a_time(tmp_path, monkeypatch):
    from cleaner import output

    monkeypatch.setattr(output, "ENCODE_CHARS", 4)
    pieces = ["一二三四五六七八九", "\n\f\n", "ab", "\n"]
    assert list(output.encode_pieces(pieces)) == [
        "一二三四".encode(), "五六七八".encode(), "九".encode(), b"\n\x0c\n", b"ab\n"  # small ones together
    ]
    assert write_atomic(tmp_path / "a.txt", output.encode_pieces(pieces)) == 9 * 3 + 3 + 2 + 1
    assert (tmp_path / "a.txt").read_bytes() == "".join(pieces).encode()
    assert render([Document("a", pieces[0]), Document("b", "ab")], "txt") == "".join(pieces)
