import json
import subprocess
import sys

from click.testing import CliRunner

from cleaner import __version__
from cleaner.cli import main
from conftest import SEED

EXPECTED_TXT = (SEED / "expected" / "seed.txt").read_text("utf-8")


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_clean_file_to_stdout_is_the_golden_text(seed_dir):
    result = invoke("clean", "seed.gbk.txt")
    assert (result.exit_code, result.stdout, result.stderr) == (0, EXPECTED_TXT, "")


def test_clean_stdin(seed_dir):
    result = invoke("clean", "-", input=(SEED / "seed.utf-16.txt").read_bytes())
    assert (result.exit_code, result.stdout) == (0, EXPECTED_TXT)


def test_clean_jsonl_is_the_golden_jsonl(seed_dir):
    result = invoke("clean", "--format", "jsonl", "seed.gb18030.txt")
    assert result.exit_code == 0
    assert result.stdout == (SEED / "expected" / "seed.gb18030.jsonl").read_text("utf-8")


def test_clean_folder_to_output_tree(seed_dir, tmp_path):
    (seed_dir / "in" / "sub").mkdir(parents=True)
    (seed_dir / "in" / "sub" / "seed.gb18030.txt").write_bytes((SEED / "seed.gb18030.txt").read_bytes())
    (seed_dir / "in" / "notes.md").write_text("not taken: only *.txt files are walked")
    result = invoke("clean", "in", "-o", "out")
    assert (result.exit_code, result.stderr) == (0, "")
    written = sorted(p.relative_to(seed_dir / "out").as_posix() for p in (seed_dir / "out").rglob("*"))
    assert written == ["sub", "sub/seed.gb18030.1.txt", "sub/seed.gb18030.2.txt"]
    for index in (1, 2):
        expected = (SEED / "expected" / "tree" / f"seed.gb18030.{index}.txt").read_text("utf-8")
        assert (seed_dir / "out" / "sub" / f"seed.gb18030.{index}.txt").read_text("utf-8") == expected


def test_existing_output_is_refused_unless_overwrite(seed_dir):
    assert invoke("clean", "seed.gbk.txt", "-o", "out").exit_code == 0
    again = invoke("clean", "seed.gbk.txt", "-o", "out")
    assert again.exit_code == 1
    assert again.stderr == f"cleaner: seed.gbk.txt: out/seed.gbk.1.txt exists (use --overwrite to replace it)\n"
    assert invoke("clean", "seed.gbk.txt", "-o", "out", "--overwrite").exit_code == 0


def test_missing_input_fails_alone_with_one_line(seed_dir):
    result = invoke("clean", "nope.txt", "seed.utf-8.txt")
    assert result.exit_code == 1
    assert result.stderr == "cleaner: nope.txt: no such file or directory\n"
    assert result.stdout == EXPECTED_TXT


def test_strict_errors_fail_a_file_with_a_bad_byte(seed_dir):
    (seed_dir / "bad.txt").write_bytes("正文。".encode("utf-8") + b"\xff")
    assert invoke("clean", "bad.txt").stdout == "正文。\ufffd\n"
    result = invoke("clean", "--errors", "strict", "--encoding", "utf-8", "bad.txt")
    assert result.exit_code == 1
    assert result.stderr == (
        "cleaner: bad.txt: byte 9 is not valid utf-8 (invalid start byte); --errors strict\n"
    )


def test_usage_errors_exit_2(seed_dir):
    assert invoke("clean").exit_code == 2
    assert invoke("clean", "--format", "xml", "seed.utf-8.txt").exit_code == 2
    bad = invoke("clean", "--encoding", "klingon", "seed.utf-8.txt")
    assert bad.exit_code == 2 and "unknown encoding 'klingon'" in bad.stderr


def test_boilerplate_only_input_is_reported_not_failed(seed_dir):
    (seed_dir / "empty.txt").write_bytes(b"")
    result = invoke("clean", "empty.txt")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "cleaner: empty.txt: no document left after cleaning (only boilerplate or empty)\n"
    assert invoke("clean", "-q", "empty.txt").stderr == ""


def test_detect_plain_and_json(seed_dir):
    result = invoke("detect", "seed.utf-16.txt", "seed.gbk.txt")
    assert result.stdout.splitlines()[0] == "seed.utf-16.txt: utf-16 (confidence 1.00, bom)"
    records = [json.loads(line) for line in invoke("detect", "--json", "seed.gbk.txt").stdout.splitlines()]
    assert [(r["path"], r["encoding"], r["method"]) for r in records] == [("seed.gbk.txt", "gb18030", "chinese-score")]


def test_version_and_help_with_examples():
    assert invoke("--version").stdout == f"cleaner, version {__version__}\n"
    for command in ([], ["clean"], ["check"], ["detect"], ["rules"], ["steps"]):
        assert "Example" in invoke(*command, "--help").stdout


def test_pipe_through_the_installed_command(tmp_path):
    """A real pipe: cat page | python -m cleaner clean - > out."""
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "-"],
        input=(SEED / "seed.gb18030.txt").read_bytes(),
        capture_output=True,
        check=False,
    )
    assert (result.returncode, result.stdout.decode("utf-8"), result.stderr) == (0, EXPECTED_TXT, b"")


def test_detect_json_names_binary_and_undecodable_files_on_one_line(seed_dir):
    (seed_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (seed_dir / "noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    result = invoke("detect", "--json", "image.txt", "seed.gbk.txt", "noise.txt")
    assert result.exit_code == 1
    assert result.stderr == (
        "cleaner: image.txt: binary file (PNG image), skipped\n"
        "cleaner: noise.txt: not text in any supported encoding\n"
    )
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["path"], record["encoding"], record["method"]) == ("seed.gbk.txt", "gb18030", "chinese-score")
    assert record["confidence"] == 0.99 and record["reason"].startswith("reads as Chinese in gb18030: ")


def test_clean_skips_a_binary_file_and_goes_on(seed_dir):
    (seed_dir / "report.txt").write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml")
    result = invoke("clean", "report.txt", "seed.utf-8.txt")
    assert result.exit_code == 1
    assert result.stderr == "cleaner: report.txt: binary file (ZIP archive or Office document), skipped\n"
    assert result.stdout == EXPECTED_TXT
