"""What a run did: the :class:`Summary` built result by result, as JSON (``--report``) and as a table.

>>> summary = Summary(command="clean")
>>> summary.add(Result("a.txt", CLEANED, bytes_in=300, bytes_out=200, documents=2, encoding="gb18030",
...                    removed_chars=40, rules=("breadcrumb",)))
>>> summary.add(Result("b.txt", FAILED, "cannot read: Permission denied"))
>>> record = summary.to_json()
>>> record["files"], record["documents"], record["encodings"], record["failures"]
(2, 2, {'gb18030': 1}, [{'path': 'b.txt', 'reason': 'cannot read: Permission denied'}])
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: What happened to one input (:attr:`Result.status`).
CLEANED = "cleaned"  # read and cleaned into one or more documents (written, streamed)
EMPTY = "empty"  # read and cleaned, but no document was left
UNCHANGED = "unchanged"  # check mode: cleaning would give back the same bytes
CHANGED = "changed"  # check mode: cleaning would change the file
SKIPPED = "skipped"  # not read: its output exists (--skip-existing)
NOTE = "note"  # not read, and not a failure (a symbolic link not followed)
FAILED = "failed"  # could not be read, cleaned or written
UNFINISHED = "unfinished"  # the run stopped before it


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one input: small, so that worker processes send it back cheaply.

    ``reason`` says why for a failure, an empty result, a skip or a change; ``output`` holds what goes to
    standard output when the run streams (bytes from a worker process; from the main process the pieces
    of text, encoded as they are written); ``path`` is the file's path (``None`` for standard input).
    ``bytes_in`` is the bytes read, or for a skipped input the size it was skipped with.
    """

    source: str
    status: str
    reason: str = ""
    path: str | None = None
    bytes_in: int = 0
    bytes_out: int = 0
    documents: int = 0
    encoding: str | None = None
    removed_chars: int = 0
    replaced_bytes: int = 0
    rules: tuple[str, ...] = ()
    output: bytes | tuple[str, ...] = b""


@dataclass
class Summary:
    """Counts of one run (``clean`` or ``check``), built up result by result in input order."""

    command: str = "clean"
    files: int = 0
    documents: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    removed_chars: int = 0
    replaced_bytes: int = 0
    skipped: int = 0
    unfinished: int = 0
    encodings: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    empty: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    elapsed: float = 0.0
    #: Why the run stopped early: ``"interrupted"`` (Ctrl-C), ``"terminated"`` (SIGTERM), ``"broken pipe"``,
    #: or ``None``.
    stopped: str | None = None

    def add(self, result: Result) -> None:
        status = result.status
        if status == SKIPPED:
            self.skipped += 1
            return
        if status == NOTE:
            self.notes.append((result.source, result.reason))
            return
        if status == UNFINISHED:
            self.unfinished += 1
            return
        self.files += 1
        self.bytes_in += result.bytes_in
        if status == FAILED:
            self.failures.append((result.source, result.reason))
            return
        self.documents += result.documents
        self.bytes_out += result.bytes_out
        self.removed_chars += result.removed_chars
        self.replaced_bytes += result.replaced_bytes
        self.encodings[result.encoding] += 1
        self.rules.update(result.rules)
        if not result.documents:
            self.empty.append((result.source, result.reason))
        if status == CHANGED:
            self.changed.append((result.source, result.reason))

    @property
    def mb_per_second(self) -> float:
        return self.bytes_in / 1e6 / self.elapsed if self.elapsed > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` record: every count, and each failure, empty input and change by path."""

        def listed(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
            return [{"path": path, "reason": reason} for path, reason in pairs]

        record = {
            "command": self.command,
            "files": self.files,
            "documents": self.documents,
            "failed": len(self.failures),
            "empty": len(self.empty),
            "skipped_existing": self.skipped,
            "unfinished": self.unfinished,
            "stopped": self.stopped,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "boilerplate_chars_removed": self.removed_chars,
            "replaced_bytes": self.replaced_bytes,
            "encodings": dict(self.encodings.most_common()),
            "rules": dict(self.rules.most_common()),
            "elapsed_seconds": round(self.elapsed, 3),
            "mb_per_second": round(self.mb_per_second, 2),
            "failures": listed(self.failures),
            "empty_inputs": listed(self.empty),
            "not_taken": listed(self.notes),
        }
        if self.command == "check":
            record["would_change"] = listed(self.changed)
        return record


#: Failures, empty inputs and changes listed in the table; the rest are counted (all are in --report).
TABLE_LIST_LIMIT = 10


def _listing(pairs: list[tuple[str, str]]) -> str:
    shown = [f"{path}: {reason}" for path, reason in pairs[:TABLE_LIST_LIMIT]]
    if len(pairs) > TABLE_LIST_LIMIT:
        shown.append(f"… and {len(pairs) - TABLE_LIST_LIMIT} more (see --report)")
    return "\n".join(shown)


def _counts(counter: Counter) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.most_common()) or "—"


def summary_table(summary: Summary):
    """The summary as a rich table (two columns: what, how much)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"cleaner {summary.command}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("files read", f"{summary.files:,}"),
        ("documents written" if summary.command == "clean" else "documents", f"{summary.documents:,}"),
        ("bytes in / out", f"{summary.bytes_in / 1e6:,.1f} MB / {summary.bytes_out / 1e6:,.1f} MB"),
        ("encodings", _counts(summary.encodings)),
        ("boilerplate removed", f"{summary.removed_chars:,} characters"),
        ("rules fired (files)", _counts(summary.rules)),
        ("bad bytes replaced", f"{summary.replaced_bytes:,}"),
        ("empty (no document)", f"{len(summary.empty):,}"),
        ("failed", f"{len(summary.failures):,}"),
        ("elapsed", f"{summary.elapsed:.1f} s, {summary.mb_per_second:.1f} MB/s"),
    ]
    if summary.command == "check":
        rows.insert(2, ("would change", f"{len(summary.changed):,}"))
    if summary.skipped:
        rows.append(("skipped (output exists)", f"{summary.skipped:,}"))
    if summary.notes:
        rows.append(("not taken", f"{len(summary.notes):,}"))
    if summary.unfinished or summary.stopped:
        rows.append(("stopped", f"{summary.stopped or 'early'}: {summary.unfinished:,} files not finished"))
    for name, value in rows:
        table.add_row(name, Text(value))
    if summary.failures:
        table.add_row("failures", Text(_listing(summary.failures)))
    return table
