import errno
import io
import json
import os
import signal
from pathlib import Path

import pytest

from batch_pages import files_under, make_pages, page_text, snapshot
from cleaner import batch, pipeline
from cleaner.batch import EMPTY_REASON, OptionsError, RunOptions, clean_paths
from cleaner.output import render
from cleaner.walk import Input


def expected_tree(folder, names) -> dict[str, bytes]:
    """What ``-o`` must hold: each input's documents, cleaned by the library one by one."""
    tree = {}
    for name in names:
        docs = pipeline.clean_bytes((folder / name).read_bytes(), str(folder / name))
        stem = name[: -len(".txt")]
        if len(docs) == 1:
            tree[f"{stem}.txt"] = render(docs, "txt").encode()
        else:
            tree.update({f"{stem}.{i}.txt": render([doc], "txt").encode() for i, doc in enumerate(docs, 1)})
    return tree


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of two files, so that a handful of inputs is spread over worker processes."""
    monkeypatch.setattr(batch, "CHUNK_FILES", 2)


def test_folder_run_writes_each_document_and_counts(tmp_path):
    names = make_pages(tmp_path / "in", 6)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    assert files_under(tmp_path / "out") == expected_tree(tmp_path / "in", names)
    assert (summary.files, summary.documents, summary.failures, summary.empty) == (6, 10, [], [])
    assert summary.encodings == {"gb18030": 3, "utf-8": 3}
    assert summary.rules == {"breadcrumb": 6, "repeated-title": 6, "footer-related": 6}
    assert summary.bytes_in == sum(len((tmp_path / "in" / n).read_bytes()) for n in names)
    assert summary.bytes_out == sum(len(data) for data in files_under(tmp_path / "out").values())


@pytest.mark.parametrize("fmt", ["txt", "jsonl"])
def test_output_is_the_same_whatever_the_number_of_jobs(tmp_path, small_chunks, fmt):
    make_pages(tmp_path / "in", 11)
    (tmp_path / "in" / "s1" / "empty.txt").write_bytes(b"")
    streams, trees = [], []
    for jobs in (1, 2, 3):
        stream = io.BytesIO()
        clean_paths([str(tmp_path / "in")], options=RunOptions(fmt=fmt, jobs=jobs), stdout=stream)
        streams.append(stream.getvalue())
        out = tmp_path / f"out{jobs}"
        clean_paths([str(tmp_path / "in")], options=RunOptions(output=out, fmt=fmt, jobs=jobs))
        trees.append(files_under(out))
    assert streams[0] == streams[1] == streams[2]
    assert trees[0] == trees[1] == trees[2]
    if fmt == "jsonl":
        sources = [json.loads(line)["metadata"]["source"] for line in streams[0].decode().splitlines()]
        assert sources == sorted(sources)  # input order, whichever worker finished first
        assert len(trees[0]) == 11


def test_stream_separates_inputs_like_documents(tmp_path):
    make_pages(tmp_path / "in", 2)
    stream = io.BytesIO()
    clean_paths([str(tmp_path / "in")], options=RunOptions(), stdout=stream)
    documents = stream.getvalue().decode().split("\n\f\n")
    expected = [doc.text for n in (0, 1) for doc in pipeline.clean_text(page_text(n))]
    assert documents[:-1] + [documents[-1].removesuffix("\n")] == expected


def test_check_writes_nothing_and_says_why_files_would_change(tmp_path):
    make_pages(tmp_path / "in", 2)
    (tmp_path / "in" / "clean.txt").write_text("干净的正文。\n", "utf-8")
    (tmp_path / "in" / "spaces.txt").write_text("干净的正文。  \n", "utf-8")
    (tmp_path / "in" / "blank.txt").write_text(" \n", "utf-8")
    before = snapshot(tmp_path)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(check=True))
    assert snapshot(tmp_path) == before
    base = str(tmp_path / "in")
    assert summary.changed == [
        (f"{base}/blank.txt", EMPTY_REASON),
        (f"{base}/s0/page0000.txt", "boilerplate: 33 characters (breadcrumb, repeated-title, footer-related); "
                                    "re-encoded from gb18030"),
        (f"{base}/s1/page0001.txt", "splits into 2 documents; boilerplate: 33 characters (breadcrumb, "
                                    "repeated-title, footer-related)"),
        (f"{base}/spaces.txt", "spacing, line ends or Unicode forms normalised"),
    ]
    assert (summary.files, summary.documents, summary.failures) == (5, 5, [])


def test_cleaned_output_checks_clean(tmp_path):
    make_pages(tmp_path / "in", 4)
    clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    summary = clean_paths([str(tmp_path / "out")], options=RunOptions(check=True))
    assert (summary.files, summary.changed, summary.failures) == (6, [], [])


def test_in_place_replaces_each_input_and_splits_pages(tmp_path):
    make_pages(tmp_path, 2)
    (tmp_path / "s0" / "empty.txt").write_bytes(b"")
    os.chmod(tmp_path / "s0" / "page0000.txt", 0o640)
    expected = expected_tree(tmp_path, ["s0/page0000.txt", "s1/page0001.txt"])
    summary = clean_paths([str(tmp_path)], options=RunOptions(in_place=True))
    assert files_under(tmp_path) == {**expected, "s0/empty.txt": b""}
    assert (tmp_path / "s0" / "page0000.txt").stat().st_mode & 0o777 == 0o640
    assert (summary.files, summary.documents, summary.empty) == (3, 3, [(str(tmp_path / "s0/empty.txt"), EMPTY_REASON)])
    again = clean_paths([str(tmp_path)], options=RunOptions(check=True))
    assert again.changed == [(str(tmp_path / "s0/empty.txt"), EMPTY_REASON)]


def test_in_place_through_a_link_cleans_the_file_it_leads_to(tmp_path):
    (tmp_path / "page.txt").write_text("正文。  \n", "utf-8")
    os.symlink("page.txt", tmp_path / "link.txt")
    clean_paths([str(tmp_path / "link.txt")], options=RunOptions(in_place=True))
    assert (os.readlink(tmp_path / "link.txt"), (tmp_path / "page.txt").read_text("utf-8")) == ("page.txt", "正文。\n")


def test_in_place_refuses_to_replace_another_file_with_a_part(tmp_path):
    make_pages(tmp_path, 2)
    (tmp_path / "s1" / "page0001.2.txt").write_text("另一个文件。\n", "utf-8")
    before = snapshot(tmp_path)
    summary = clean_paths([str(tmp_path / "s1" / "page0001.txt")], options=RunOptions(in_place=True))
    assert summary.failures == [
        (str(tmp_path / "s1/page0001.txt"), f"{tmp_path}/s1/page0001.2.txt exists (use --overwrite to replace it)")
    ]
    assert snapshot(tmp_path) == before


def test_existing_outputs_are_refused_then_overwritten_or_skipped(tmp_path):
    names = make_pages(tmp_path / "in", 3)
    options = RunOptions(output=tmp_path / "out")
    clean_paths([str(tmp_path / "in")], options=options)
    complete = files_under(tmp_path / "out")
    refused = clean_paths([str(tmp_path / "in")], options=options)
    assert [reason for _, reason in refused.failures] == [
        f"{tmp_path}/out/s0/page0000.txt exists (use --overwrite to replace it)",
        f"{tmp_path}/out/s1/page0001.1.txt exists (use --overwrite to replace it)",
        f"{tmp_path}/out/s2/page0002.1.txt exists (use --overwrite to replace it)",
    ]
    (tmp_path / "out" / "s1" / "page0001.1.txt").write_text("changed")
    (tmp_path / "out" / "s2" / "page0002.1.txt").unlink()
    (tmp_path / "out" / "s2" / "page0002.2.txt").unlink()
    resumed = clean_paths([str(tmp_path / "in")], options=options.__class__(output=tmp_path / "out", existing="skip"))
    assert (resumed.skipped, resumed.files, resumed.failures) == (2, 1, [])
    assert files_under(tmp_path / "out") == {**complete, "s1/page0001.1.txt": b"changed"}
    overwritten = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out", existing="overwrite"))
    assert (overwritten.files, overwritten.failures) == (3, [])
    assert files_under(tmp_path / "out") == complete == expected_tree(tmp_path / "in", names)


def test_two_inputs_with_one_output_name(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "page.txt").write_text("甲。\n", "utf-8")
    (tmp_path / "b" / "page.txt").write_text("乙。\n", "utf-8")
    (tmp_path / "b" / "page.md").write_text("丙。\n", "utf-8")
    summary = clean_paths([str(tmp_path / "a"), str(tmp_path / "b")],
                          options=RunOptions(output=tmp_path / "out", include=("*.txt", "*.md")))
    assert summary.failures == [
        (f"{tmp_path}/b/page.md", f"its output would have the same name as that of {tmp_path}/a/page.txt"),
        (f"{tmp_path}/b/page.txt", f"its output would have the same name as that of {tmp_path}/a/page.txt"),
    ]
    assert files_under(tmp_path / "out") == {"page.txt": "甲。\n".encode()}


def test_a_part_that_cannot_be_written_takes_the_others_with_it(tmp_path, monkeypatch):
    make_pages(tmp_path / "in", 2)
    real_write, calls = os.write, []

    def write(fd, data):
        calls.append(fd)
        if len(calls) == 3:  # page0000 has one document; page0001's part 2 is written, then part 1 fails
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    monkeypatch.undo()
    assert summary.failures == [
        (f"{tmp_path}/in/s1/page0001.txt", f"cannot write {tmp_path}/out/s1/page0001.1.txt: No space left on device")
    ]
    assert sorted(files_under(tmp_path / "out")) == ["s0/page0000.txt"]


def test_a_bug_fails_one_input_with_one_line_and_the_run_goes_on(tmp_path, monkeypatch):
    make_pages(tmp_path / "in", 3)
    real_run = pipeline.run

    def run(data, source, config):
        if source.endswith("page0001.txt"):
            raise ZeroDivisionError("boom")
        return real_run(data, source, config)

    monkeypatch.setattr(pipeline, "run", run)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    assert summary.failures == [
        (f"{tmp_path}/in/s1/page0001.txt", "internal error: ZeroDivisionError: boom (--debug shows the traceback)")
    ]
    assert summary.files == 3 and len(files_under(tmp_path / "out")) == 3
    debug = clean_paths([str(tmp_path / "in" / "s1")], options=RunOptions(check=True, debug=True))
    reason = debug.failures[0][1]
    assert reason.startswith("internal error: ZeroDivisionError: boom\nTraceback (most recent call last):\n")
    assert reason.endswith("ZeroDivisionError: boom")


def test_a_worker_that_dies_fails_its_file_and_the_run_goes_on(tmp_path, monkeypatch, small_chunks):
    names = make_pages(tmp_path / "in", 12)
    real_run = pipeline.run

    def run(data, source, config):
        if source.endswith("page0005.txt"):
            os._exit(9)  # as if killed (out of memory)
        return real_run(data, source, config)

    monkeypatch.setattr(pipeline, "run", run)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out", jobs=2))
    assert summary.failures == [(f"{tmp_path}/in/s2/page0005.txt", batch.DIED_REASON)]
    assert summary.files == 12
    assert files_under(tmp_path / "out") == expected_tree(tmp_path / "in", [n for n in names if "0005" not in n])


def test_a_worker_ended_by_sigterm_finishes_the_file_it_is_writing(tmp_path, monkeypatch, small_chunks):
    # When a worker dies, the process pool ends the others with SIGTERM, whatever they are doing. One
    # halfway through writing a file finishes that input's files first (none half written, no temporary
    # file), then ends; the input is cleaned again in a fresh pool and found written.
    names = make_pages(tmp_path / "in", 12)
    real_write_atomic, real_write = batch.write_atomic, os.write

    def write_atomic(path, data, *args):
        if not path.endswith("page0008.2.txt"):  # the first written of page 8's two parts
            return real_write_atomic(path, data, *args)

        def write(fd, chunk):
            os.kill(os.getpid(), signal.SIGTERM)  # the temporary file exists and is empty
            return real_write(fd, chunk)

        os.write = write
        try:
            return real_write_atomic(path, data, *args)
        finally:
            os.write = real_write

    monkeypatch.setattr(batch, "write_atomic", write_atomic)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out", jobs=2))
    assert (summary.failures, summary.files, summary.documents) == ([], 12, 20)
    assert files_under(tmp_path / "out") == expected_tree(tmp_path / "in", names)


def test_a_file_that_vanishes_is_one_failure(tmp_path, monkeypatch):
    make_pages(tmp_path / "in", 1)
    gone = Input("in/gone.txt", str(tmp_path / "in" / "gone.txt"), "gone.txt", 10)
    real_walk = batch.walk
    monkeypatch.setattr(batch, "walk", lambda paths, *args: iter([gone, *real_walk(paths, *args)]))
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    assert summary.failures == [("in/gone.txt", "cannot read: it vanished (no such file)")]
    assert summary.files == 2


@pytest.mark.parametrize(
    "options, paths, message",
    [
        (RunOptions(output=Path("in/out")), ["in"], "-o in/out is in input in: outputs would mix with or replace"),
        (RunOptions(output=Path("in")), ["in/a.txt"], "-o in is in input in/a.txt"),
        (RunOptions(output=Path("in/../in")), ["in"], "-o in/../in is in input in"),
        (RunOptions(in_place=True, output=Path("o")), ["in"], "-o and --in-place exclude each other"),
        (RunOptions(in_place=True, fmt="jsonl"), ["in"], "--in-place writes text"),
        (RunOptions(in_place=True), ["-"], "standard input (-) cannot be cleaned in place"),
        (RunOptions(check=True, output=Path("o")), ["in"], "check mode writes nothing"),
        (RunOptions(existing="skip"), ["in"], "--overwrite and --skip-existing need -o or --in-place"),
        (RunOptions(diff=True), ["in"], "--diff goes with check mode"),
        (RunOptions(jobs=0), ["in"], "--jobs must be at least 1"),
    ],
)
def test_options_that_do_not_go_together(tmp_path, monkeypatch, options, paths, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("x")
    with pytest.raises(OptionsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        options.validate(paths)


def test_output_beside_the_inputs_is_allowed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "a.txt").write_text("x")
    RunOptions(output=Path("out")).validate(["in", "a.txt"])  # out/ is next to in/, and under a.txt's folder
    RunOptions(output=Path("in")).validate(["other"])


def test_ctrl_c_during_a_write_lets_it_finish_then_stops(tmp_path, monkeypatch):
    names = make_pages(tmp_path / "in", 4)
    real_write = os.write

    def write(fd, data):
        monkeypatch.setattr(os, "write", real_write)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the first output is being written
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    assert (summary.stopped, summary.files, summary.unfinished) == ("interrupted", 1, 3)
    expected = expected_tree(tmp_path / "in", names[:1])
    assert files_under(tmp_path / "out") == expected  # whole, and no temporary file


def test_ctrl_c_while_cleaning_drops_that_file(tmp_path, monkeypatch):
    make_pages(tmp_path / "in", 4)
    real_run = pipeline.run

    def run(data, source, config):
        if source.endswith("page0001.txt"):  # the third: s0/page0000, s0/page0003, s1/page0001, s2/page0002
            os.kill(os.getpid(), signal.SIGINT)
        return real_run(data, source, config)

    monkeypatch.setattr(pipeline, "run", run)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    assert (summary.stopped, summary.files, summary.unfinished) == ("interrupted", 2, 2)
    assert sorted(files_under(tmp_path / "out")) == ["s0/page0000.txt", "s0/page0003.txt"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back after the run


# --- outputs of an earlier run ------------------------------------------------------------------------


def earlier_run(out, names: dict[str, bytes]) -> None:
    for name, data in names.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)


@pytest.mark.parametrize("earlier, page", [
    (["page0001.1.txt", "page0001.2.txt", "page0001.3.txt"], "page0001"),  # 3 parts then, 2 now
    (["page0001.txt"], "page0001"),  # one document then, it splits now
    (["page0000.1.txt", "page0000.2.txt"], "page0000"),  # it split then, one document now
])
def test_overwrite_removes_what_an_earlier_run_left_of_the_same_input(tmp_path, earlier, page):
    names = make_pages(tmp_path / "in", 2)
    folder = "s1" if page == "page0001" else "s0"
    earlier_run(tmp_path / "out", {f"{folder}/{name}": b"old\n" for name in earlier})
    others = {f"{folder}/{page}.x.txt": b"1", f"{folder}/{page}.02.txt": b"2", f"{folder}/{page}.2.md": b"3",
              f"{folder}/{page}x.1.txt": b"4", f"{folder}/{page}.0.txt": b"5"}  # not of its naming pattern
    earlier_run(tmp_path / "out", others)
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out", existing="overwrite"))
    assert summary.failures == []
    assert files_under(tmp_path / "out") == {**expected_tree(tmp_path / "in", names), **others}


def test_without_overwrite_an_earlier_part_is_refused(tmp_path):
    make_pages(tmp_path / "in", 2)
    # Left by a run stopped (killed) halfway through writing page 0 in parts; page 0 now gives one document.
    earlier_run(tmp_path / "out", {"s0/page0000.2.txt": b"old\n"})
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out"))
    assert summary.failures == [
        (f"{tmp_path}/in/s0/page0000.txt", f"{tmp_path}/out/s0/page0000.2.txt exists (use --overwrite to replace it)")
    ]
    assert sorted(files_under(tmp_path / "out")) == ["s0/page0000.2.txt", "s1/page0001.1.txt", "s1/page0001.2.txt"]


def test_the_output_of_an_input_beside_it_is_never_taken_for_an_earlier_part(tmp_path):
    # a.txt split into a.1.txt … a.3.txt once; a.3.txt is also the name of the input a.3.txt's output.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("一段正文。\n")
    (tmp_path / "in" / "a.3.txt").write_text("另一段正文。\n")
    earlier_run(tmp_path / "out", {"a.1.txt": b"old\n", "a.2.txt": b"old\n", "a.3.txt": b"kept\n"})
    options = RunOptions(output=tmp_path / "out", existing="overwrite")
    summary = clean_paths([str(tmp_path / "in" / "a.txt")], options=options)
    assert summary.failures == []
    assert files_under(tmp_path / "out") == {"a.txt": "一段正文。\n".encode(), "a.3.txt": b"kept\n"}


class Crash(BaseException):
    """The process dying: nothing after it runs, not even the clean-up of a failed write."""


def test_a_crash_while_overwriting_leaves_nothing_skip_existing_takes_for_done(tmp_path, monkeypatch):
    names = make_pages(tmp_path / "in", 2)
    earlier_run(tmp_path / "out", {"s0/page0000.txt": b"old\n", "s1/page0001.1.txt": b"old\n",
                                   "s1/page0001.2.txt": b"old\n", "s1/page0001.3.txt": b"old\n"})
    real_write_atomic, crashed = batch.write_atomic, []

    def write_atomic(path, data, *args):
        if path.endswith("page0001.1.txt"):  # the last written: part 2 is new, part 1 not yet
            crashed.append(path)
            raise Crash
        return real_write_atomic(path, data, *args)

    monkeypatch.setattr(batch, "write_atomic", write_atomic)
    monkeypatch.setattr(os, "unlink", lambda path, real=os.unlink: None if crashed else real(path))
    with pytest.raises(Crash):
        clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out", existing="overwrite"))
    monkeypatch.undo()
    assert sorted(files_under(tmp_path / "out")) == ["s0/page0000.txt", "s1/page0001.2.txt"]  # no first part
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(output=tmp_path / "out", existing="skip"))
    assert (summary.failures, summary.skipped, summary.files) == ([], 1, 1)
    assert files_under(tmp_path / "out") == expected_tree(tmp_path / "in", names)


@pytest.mark.parametrize("fmt", ["txt", "jsonl"])
def test_a_stream_counts_the_bytes_it_writes(tmp_path, fmt):
    make_pages(tmp_path / "in", 3)
    stream = io.BytesIO()
    summary = clean_paths([str(tmp_path / "in")], options=RunOptions(fmt=fmt), stdout=stream)
    assert summary.bytes_out == len(stream.getvalue()) - (2 * 2 if fmt == "txt" else 0)  # less the 2 "\f\n"
