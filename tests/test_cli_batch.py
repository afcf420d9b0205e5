"""The ``clean`` and ``check`` commands on folders: hostile inputs, Ctrl-C, resuming, parallel runs, CI mode,
what standard error shows on a terminal and in a pipe."""

import errno
import json
import os
import pty
import random
import re
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from batch_pages import files_under, make_pages, snapshot
from cleaner import batch
from cleaner.batch import EMPTY_REASON
from cleaner.cli import main
from cleaner.output import TEMPORARY_PREFIX

# The installed console script (beside this Python), as a user runs it.
_SCRIPT = os.path.join(os.path.dirname(sys.executable), "cleaner")
CLEANER = [_SCRIPT] if os.path.exists(_SCRIPT) else [sys.executable, "-m", "cleaner"]


def invoke(*args, input=None):
    result = CliRunner().invoke(main, [str(arg) for arg in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # no crash
    return result


def output_count(folder):
    return sum(not name.startswith(TEMPORARY_PREFIX) for _, _, names in os.walk(folder) for name in names)


def temporary_files(folder):
    return [name for _, _, names in os.walk(folder) for name in names if name.startswith(TEMPORARY_PREFIX)]


# --- hostile input (issue 6) ------------------------------------------------------------------------


def hostile_folder(root):
    """A folder with every kind of bad input beside good ones."""
    folder = root / "in"
    make_pages(folder, 2)  # s0/page0000.txt (one document), s1/page0001.txt (two)
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.txt").write_text("正文。\n", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(2000))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t\n\u3000\n", "utf-8")
    (folder / "boilerplate.txt").write_text("当前位置:文档之家> 标题\n\n标题\n\n相关主题\n标题范文\n", "utf-8")
    (folder / "badbytes.txt").write_bytes("正文。".encode("utf-8") * 50 + b"\xff")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as stream:
        stream.write("咖啡。\n".encode("utf-8"))
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink("..", folder / "loop")
    (folder / "unreadable.txt").write_text("不可读。\n", "utf-8")
    (folder / "disk").mkdir()
    (folder / "disk" / "full.txt").write_text("满了。\n", "utf-8")
    (folder / "locked").mkdir()
    (folder / "locked" / "page.txt").write_text("锁了。\n", "utf-8")
    return folder


def simulate_file_system_faults(monkeypatch, root):
    """unreadable.txt cannot be read (chmod 000 does not stop root), out/locked/ refuses new files, and the
    disk is full for out/disk/. Worker processes are forked, so they inherit these patches."""
    out = str(root / "out")
    os.chmod(root / "in" / "unreadable.txt", 0)
    real_open, real_os_open, real_write = open, os.open, os.write

    def read_open(path, *args, **kwargs):
        if str(path).endswith("unreadable.txt"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, *args, **kwargs)

    def os_open(path, *args, **kwargs):
        if os.path.abspath(os.fsdecode(path)).startswith(f"{out}/locked/"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_os_open(path, *args, **kwargs)

    def write(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(f"{out}/disk/"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(batch, "open", read_open, raising=False)
    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("follow", [False, True])
def test_hostile_folder(tmp_path, monkeypatch, jobs, follow):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(batch, "CHUNK_FILES", 3)  # so that -j2 spreads this folder over two workers
    hostile_folder(tmp_path)
    before = snapshot(tmp_path / "in")
    simulate_file_system_faults(monkeypatch, tmp_path)
    result = invoke("clean", "in", "-o", "out", "-j", jobs, *(["--follow-symlinks"] if follow else []))
    monkeypatch.undo()
    os.chmod(tmp_path / "in" / "unreadable.txt", 0o644)

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(tmp_path / "in") == before
    lines = result.stderr.splitlines()
    # The bad-bytes page is cleaned or named, depending on how detection treats one stray byte.
    written = files_under(tmp_path / "out")
    named = [line for line in lines if line.startswith("cleaner: in/badbytes.txt: ")]
    assert (len(named), "badbytes.txt" in written) in ((1, False), (0, True))
    lines = [line for line in lines if line not in named]
    assert lines[0].startswith("cleaner: in/binary.txt: ")  # binary: the reason is the detector's
    dangling, loop = (
        ("dangling symbolic link (to missing.txt)", "symbolic link loop: leads to a folder that holds the one walked")
        if follow else
        ("dangling symbolic link (to missing.txt), not followed",
         "symbolic link to a folder, not followed (use --follow-symlinks)")
    )
    assert lines[1:] == [
        f"cleaner: in/blank.txt: {EMPTY_REASON}",
        f"cleaner: in/boilerplate.txt: {EMPTY_REASON}",
        f"cleaner: in/dangling.txt: {dangling}",
        "cleaner: in/disk/full.txt: cannot write out/disk/full.txt: No space left on device",
        f"cleaner: in/empty.txt: {EMPTY_REASON}",
        "cleaner: in/locked/page.txt: cannot write out/locked/page.txt: Permission denied",
        f"cleaner: in/loop: {loop}",
        "cleaner: in/unreadable.txt: cannot read: Permission denied",
    ]
    assert sorted(name for name in written if name != "badbytes.txt") == [
        "caf\udce9.txt", "s0/page0000.txt", "s1/page0001.1.txt", "s1/page0001.2.txt", "sub/nested.txt",
    ]
    assert os.path.exists(os.fsencode(tmp_path) + b"/out/caf\xe9.txt")  # mirrored byte for byte
    assert written["caf\udce9.txt"] == "咖啡。\n".encode()
    assert written["sub/nested.txt"] == "正文。\n".encode()
    assert temporary_files(tmp_path / "out") == []
    assert os.listdir(tmp_path / "out" / "disk") == []


def test_debug_shows_the_traceback_of_a_bug(seed_dir, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(batch.pipeline, "run", broken)
    plain = invoke("clean", "seed.utf-8.txt", "seed.gbk.txt")
    assert plain.exit_code == 1
    assert plain.stderr == (
        "cleaner: seed.utf-8.txt: internal error: ZeroDivisionError: boom (--debug shows the traceback)\n"
        "cleaner: seed.gbk.txt: internal error: ZeroDivisionError: boom (--debug shows the traceback)\n"
    )
    debug = invoke("clean", "--debug", "seed.utf-8.txt")
    assert debug.exit_code == 1
    assert "Traceback (most recent call last):" in debug.stderr and 'raise ZeroDivisionError("boom")' in debug.stderr


# --- Ctrl-C, resuming, parallel runs (real processes) -----------------------------------------------


def reference_tree(tmp_path, folder):
    out = tmp_path / "reference"
    assert invoke("clean", folder, "-o", out, "-j", "1").exit_code == 0
    return files_under(out)


@pytest.mark.parametrize("jobs, whole_group, signum", [
    (2, True, signal.SIGINT),  # Ctrl-C in a terminal: the main process and its workers get SIGINT
    (1, False, signal.SIGINT),
    (2, False, signal.SIGTERM),  # kill PID
    (2, True, signal.SIGTERM),  # a service manager stopping the whole group
])
def test_a_stop_signal_leaves_only_whole_files_and_skip_existing_resumes(tmp_path, jobs, whole_group, signum):
    make_pages(tmp_path / "in", 300)
    reference = reference_tree(tmp_path, tmp_path / "in")
    out = tmp_path / "out"
    process = subprocess.Popen([*CLEANER, "clean", tmp_path / "in", "-o", out, "-j", str(jobs)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    while output_count(out) < 6:
        assert process.poll() is None, process.communicate()
        time.sleep(0.005)
    if whole_group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)
    stderr = stderr.decode()
    assert process.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    word = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}[signum]
    finished = re.fullmatch(rf"cleaner: {word}: (\d+) files finished, [\d,]+ in hand were not; "
                            r"run again with --skip-existing to resume\n", stderr)
    assert finished, stderr
    assert temporary_files(out) == []
    partial = files_under(out)
    assert int(finished[1]) == len({name.split(".")[0] for name in partial})  # what was finished, exactly
    assert 0 < len(partial) < len(reference)
    assert all(reference[name] == data for name, data in partial.items())  # every file whole
    resumed = subprocess.run([*CLEANER, "clean", tmp_path / "in", "-o", out, "--skip-existing", "--report",
                              tmp_path / "report.json"], capture_output=True)
    assert (resumed.returncode, resumed.stderr) == (0, b"")
    assert files_under(out) == reference
    report = json.loads((tmp_path / "report.json").read_text())
    # A page whose first part was written before the interrupt is complete (parts are written last first).
    assert report["skipped_existing"] + report["files"] == 300
    assert report["skipped_existing"] == len({name.split(".")[0] for name in partial})


def test_parallel_runs_give_the_same_output(tmp_path):
    make_pages(tmp_path / "in", 70)
    outputs = {}
    for jobs in ("1", "2"):
        run = subprocess.run([*CLEANER, "clean", tmp_path / "in", "-o", tmp_path / f"out{jobs}", "-j", jobs],
                             capture_output=True)
        assert (run.returncode, run.stderr) == (0, b"")
        stream = subprocess.run([*CLEANER, "clean", "--format", "jsonl", tmp_path / "in", "-j", jobs],
                                capture_output=True)
        outputs[jobs] = (files_under(tmp_path / f"out{jobs}"), stream.stdout)
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"][0]) == 70 + 46 and len(outputs["1"][1].splitlines()) == 70 + 46


def test_a_reader_that_goes_away_stops_the_run_quietly(tmp_path):
    make_pages(tmp_path / "in", 150)
    process = subprocess.Popen([*CLEANER, "clean", tmp_path / "in", "-j", "2"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=30) == 141
    assert process.stderr.read() == b""


# --- standard error: progress only on a terminal ------------------------------------------------------


def test_piped_standard_error_has_no_progress_and_no_table(tmp_path):
    make_pages(tmp_path / "in", 70)
    run = subprocess.run([*CLEANER, "clean", tmp_path / "in", "-o", tmp_path / "out"], capture_output=True,
                         env={**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert (run.returncode, run.stdout, run.stderr) == (0, b"", b"")


def run_on_a_terminal(args, env):
    """Run with standard error on a pseudo-terminal; return what the terminal got."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=terminal,
                               env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", **env})
    os.close(terminal)
    seen = b""
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:  # the terminal closed
            break
        if not data:
            break
        seen += data
    os.close(controller)
    assert process.wait(timeout=30) == 0
    return seen.decode("utf-8", "replace")


def plain_text(terminal_output):
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal_output)


def color_codes(text):
    """The colour parameters of the SGR escape sequences in ``text``."""
    codes = []
    for params in re.findall(r"\x1b\[([0-9;]*)m", text):
        codes += [p for p in params.split(";") if p and (30 <= int(p) <= 49 or 90 <= int(p) <= 107)]
    return codes


def test_a_terminal_gets_the_progress_bar_and_the_summary(tmp_path):
    make_pages(tmp_path / "in", 70)
    seen = run_on_a_terminal([*CLEANER, "clean", tmp_path / "in", "-o", tmp_path / "out"], {})
    assert re.search(r"/70 files", seen)  # the bar: files done of the total
    assert "MB/s" in seen
    assert re.search(r"files read\s*│\s*70", plain_text(seen)) and "documents written" in seen
    assert color_codes(seen)
    plain = run_on_a_terminal([*CLEANER, "clean", tmp_path / "in", "-o", tmp_path / "out2"], {"NO_COLOR": "1"})
    assert re.search(r"files read\s*│\s*70", plain_text(plain))
    assert color_codes(plain) == []
    quiet = run_on_a_terminal([*CLEANER, "clean", "-q", tmp_path / "in", "-o", tmp_path / "out3"], {})
    assert quiet == ""


def test_summary_and_report_on_request(seed_dir):
    (seed_dir / "empty.txt").write_bytes(b"")
    result = invoke("clean", "--summary", "--report", "report.json", "seed.gbk.txt", "empty.txt", "nope.txt")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"cleaner: empty.txt: {EMPTY_REASON}\ncleaner: nope.txt: no such file or directory\n"
    )
    assert re.search(r"files read\s+│ 3", result.stderr)
    report = json.loads((seed_dir / "report.json").read_text())
    report.pop("elapsed_seconds"), report.pop("mb_per_second")
    assert report == {
        "command": "clean", "files": 3, "documents": 2, "failed": 1, "empty": 1, "skipped_existing": 0,
        "unfinished": 0, "stopped": None, "bytes_in": 8712, "bytes_out": 13064,
        "boilerplate_chars_removed": 31, "replaced_bytes": 0, "encodings": {"gb18030": 1, "utf-8": 1},
        "rules": {"breadcrumb": 1, "repeated-title": 1, "footer-related": 1},
        "failures": [{"path": "nope.txt", "reason": "no such file or directory"}],
        "empty_inputs": [{"path": "empty.txt", "reason": EMPTY_REASON}],
        "not_taken": [],
    }


# --- check mode ------------------------------------------------------------------------------------------


def test_check_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.txt").write_text("干净的正文。\n", "utf-8")
    (tmp_path / "dirty").mkdir()
    (tmp_path / "dirty" / "a.txt").write_text("干净的正文。\n", "utf-8")
    (tmp_path / "dirty" / "b.txt").write_text("当前位置:文档之家> 标题\n正文。  \n", "utf-8")
    before = snapshot(tmp_path)
    for command in (["check"], ["clean", "--check"]):
        ok = invoke(*command, "clean")
        assert (ok.exit_code, ok.stdout, ok.stderr) == (0, "", "cleaner: check: nothing would change (1 files)\n")
        changed = invoke(*command, "dirty")
        assert (changed.exit_code, changed.stdout, changed.stderr) == (
            1,
            "would change: dirty/b.txt (boilerplate: 14 characters (breadcrumb))\n",
            "cleaner: check: 1 of 2 files would change\n",
        )
        failed = invoke(*command, "dirty", "missing.txt")
        assert failed.exit_code == 2
        assert failed.stderr == (
            "cleaner: missing.txt: no such file or directory\n"
            "cleaner: check: 1 of 2 files would change; 1 failed\n"
        )
        assert invoke(*command, "-q", "dirty").stderr == ""
    assert snapshot(tmp_path) == before


def test_check_diff(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.txt").write_text("当前位置:文档之家> 标题\n正文。  \n", "utf-8")
    (tmp_path / "c.txt").write_text("正文。\r\n", "utf-8")
    result = invoke("check", "--diff", "b.txt", "c.txt")
    assert result.exit_code == 1
    assert result.stdout == (
        "would change: b.txt (boilerplate: 14 characters (breadcrumb))\n"
        "--- b.txt\n"
        "+++ b.txt (cleaned)\n"
        "@@ -1,2 +1,3 @@\n"
        "-当前位置:文档之家> 标题\n"
        "-正文。  \n"
        "+标题\n"
        "+\n"
        "+正文。\n"
        "would change: c.txt (spacing, line ends or Unicode forms normalised)\n"
        "--- c.txt\n"
        "+++ c.txt (cleaned)\n"
        "# same lines; only the bytes differ: line ends or final newline\n"
    )


# --- usage ------------------------------------------------------------------------------------------------


def test_usage_errors(seed_dir):
    (seed_dir / "in").mkdir()
    inside = invoke("clean", "in", "-o", "in/out")
    assert inside.exit_code == 2
    assert "-o in/out is in input in: outputs would mix with or replace the inputs" in inside.stderr
    assert invoke("clean", "in", "-o", "x", "--overwrite", "--skip-existing").exit_code == 2
    assert invoke("clean", "in", "--diff").exit_code == 2
    assert invoke("clean", "in", "-j", "0").exit_code == 2
    assert invoke("check", "in", "-o", "x").exit_code == 2  # no such option


def test_in_place_from_the_command_line(seed_dir):
    result = invoke("clean", "--in-place", "seed.utf-8.txt")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert sorted(p.name for p in seed_dir.glob("seed.utf-8*")) == ["seed.utf-8-sig.txt", "seed.utf-8.1.txt",
                                                                    "seed.utf-8.2.txt"]
    assert invoke("check", "seed.utf-8.1.txt", "seed.utf-8.2.txt").exit_code == 0


def test_include_exclude_and_links_from_the_command_line(seed_dir):
    (seed_dir / "in" / "drafts").mkdir(parents=True)
    (seed_dir / "in" / "a.md").write_text("甲。\n", "utf-8")
    (seed_dir / "in" / "b.txt").write_text("乙。\n", "utf-8")
    (seed_dir / "in" / "drafts" / "c.md").write_text("丙。\n", "utf-8")
    os.symlink("../seed.utf-8.txt", seed_dir / "in" / "link.md")
    result = invoke("clean", "in", "--include", "*.md", "--exclude", "drafts")
    assert (result.exit_code, result.stdout) == (0, "甲。\n")
    assert result.stderr == "cleaner: in/link.md: symbolic link to a file, not followed (use --follow-symlinks)\n"
    followed = invoke("clean", "in", "--include", "*.md", "--follow-symlinks", "-q")
    assert followed.stdout.startswith("甲。\n\f\n丙。\n\f\n让城市更智慧")
