from rich.console import Console

from cleaner.report import CHANGED, CLEANED, EMPTY, FAILED, NOTE, SKIPPED, UNFINISHED, Result, Summary, summary_table


def a_summary(command="clean") -> Summary:
    summary = Summary(command=command)
    summary.add(Result("a.txt", CLEANED, bytes_in=3_000_000, bytes_out=2_000_000, documents=2, encoding="gb18030",
                       removed_chars=40, replaced_bytes=1, rules=("breadcrumb", "footer-related")))
    summary.add(Result("b.txt", CHANGED if command == "check" else CLEANED, "re-encoded", bytes_in=1_000_000,
                       bytes_out=1_000_000, documents=1, encoding="utf-8", rules=("breadcrumb",)))
    summary.add(Result("c.txt", EMPTY, "no document left", bytes_in=10, encoding="utf-8"))
    summary.add(Result("d.txt", FAILED, "cannot read: Permission denied"))
    summary.add(Result("e.txt", SKIPPED, "output exists", bytes_in=5))
    summary.add(Result("link.txt", NOTE, "symbolic link to a file, not followed"))
    summary.add(Result("f.txt", UNFINISHED))
    summary.elapsed = 2.0
    return summary


def test_summary_as_json():
    assert a_summary().to_json() == {
        "command": "clean",
        "files": 4,
        "documents": 3,
        "failed": 1,
        "empty": 1,
        "skipped_existing": 1,
        "unfinished": 1,
        "stopped": None,
        "bytes_in": 4_000_010,
        "bytes_out": 3_000_000,
        "boilerplate_chars_removed": 40,
        "replaced_bytes": 1,
        "encodings": {"utf-8": 2, "gb18030": 1},
        "rules": {"breadcrumb": 2, "footer-related": 1},
        "elapsed_seconds": 2.0,
        "mb_per_second": 2.0,
        "failures": [{"path": "d.txt", "reason": "cannot read: Permission denied"}],
        "empty_inputs": [{"path": "c.txt", "reason": "no document left"}],
        "not_taken": [{"path": "link.txt", "reason": "symbolic link to a file, not followed"}],
    }
    assert a_summary("check").to_json()["would_change"] == [{"path": "b.txt", "reason": "re-encoded"}]


def render(table) -> str:
    console = Console(width=100, record=True, file=open("/dev/null", "w"), color_system=None)
    console.print(table)
    return console.export_text()


def test_summary_table_rows():
    text = render(summary_table(a_summary()))
    lines = [line.strip("│ ").split("│") for line in text.splitlines() if "│" in line]
    rows = {cells[0].strip(): cells[1].strip() for cells in lines if len(cells) == 2 and cells[0].strip()}
    assert rows == {
        "files read": "4",
        "documents written": "3",
        "bytes in / out": "4.0 MB / 3.0 MB",
        "encodings": "utf-8 2, gb18030 1",
        "boilerplate removed": "40 characters",
        "rules fired (files)": "breadcrumb 2, footer-related 1",
        "bad bytes replaced": "1",
        "empty (no document)": "1",
        "failed": "1",
        "elapsed": "2.0 s, 2.0 MB/s",
        "skipped (output exists)": "1",
        "not taken": "1",
        "stopped": "early: 1 files not finished",
        "failures": "d.txt: cannot read: Permission denied",
    }


def test_summary_table_lists_ten_failures_and_counts_the_rest():
    summary = Summary()
    for index in range(12):
        summary.add(Result(f"{index}.txt", FAILED, "bad"))
    text = render(summary_table(summary))
    assert "9.txt: bad" in text and "10.txt" not in text
    assert "… and 2 more (see --report)" in text
