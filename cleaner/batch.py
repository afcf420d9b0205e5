"""Clean many inputs: walk files and folders, clean each, hand documents to a sink, keep a tally.

One bad input never stops the run: its error is recorded and the rest go on.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Callable, Iterable, Iterator, Protocol

from . import pipeline
from .config import Config
from .errors import CleanerError, OutputError
from .output import output_names, render, write_atomic
from .records import Document, Page

STDIN = "-"
DEFAULT_INCLUDE = ("*.txt",)


@dataclass(frozen=True)
class Input:
    """One input: ``path`` is ``None`` for standard input; ``relative`` is its place under ``-o``."""

    source: str
    path: Path | None
    relative: PurePath

    def read(self) -> bytes:
        return sys.stdin.buffer.read() if self.path is None else self.path.read_bytes()


@dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    input: Input
    bytes_in: int = 0
    page: Page | None = None
    documents: tuple[Document, ...] = ()
    error: str | None = None


def walk(paths: Iterable[str], include: tuple[str, ...] = DEFAULT_INCLUDE) -> Iterator[Input | Outcome]:
    """Inputs in a stable order; a path that does not exist yields a failed :class:`Outcome`.

    Folders are walked recursively in sorted order without following symbolic links; only files whose
    name matches one of ``include`` are taken from folders (a file named on the command line always is).
    """
    for raw in paths:
        if raw == STDIN:
            yield Input("<stdin>", None, PurePath("stdin.txt"))
            continue
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if any(fnmatch.fnmatch(name, pattern) for pattern in include):
                        full = Path(folder, name)
                        yield Input(str(full), full, full.relative_to(path))
        elif path.exists():
            yield Input(str(path), path, PurePath(path.name))
        else:
            failed = Input(str(path), path, PurePath(path.name))
            yield Outcome(failed, error="no such file or directory")


def clean_input(item: Input, config: Config) -> Outcome:
    """Read and clean one input, turning a bad input into an :class:`Outcome` with its error."""
    try:
        data = item.read()
    except OSError as error:
        return Outcome(item, error=f"cannot read: {error.strerror or error}")
    try:
        page = pipeline.run(data, item.source, config)
    except CleanerError as error:
        return Outcome(item, len(data), error=str(error))
    return Outcome(item, len(data), page, tuple(pipeline.documents(page)))


class Sink(Protocol):
    def write(self, outcome: Outcome) -> int:
        """Store the outcome's documents; return the bytes written."""


@dataclass
class StreamSink:
    """All documents to one binary stream (standard output), in input order."""

    stream: object
    fmt: str = "txt"
    _first: bool = True

    def write(self, outcome: Outcome) -> int:
        if not outcome.documents:
            return 0
        text = render(outcome.documents, self.fmt)
        if self.fmt == "txt" and not self._first:
            text = "\f\n" + text
        self._first = False
        data = text.encode("utf-8")
        self.stream.write(data)
        self.stream.flush()
        return len(data)


@dataclass
class FolderSink:
    """One file per document (or one ``.jsonl`` per input) under ``root``, mirroring the inputs."""

    root: Path
    fmt: str = "txt"
    overwrite: bool = False

    def write(self, outcome: Outcome) -> int:
        names = output_names(outcome.input.relative, len(outcome.documents), self.fmt)
        targets = [self.root / name for name in names]
        if not self.overwrite:
            existing = [str(t) for t in targets if t.exists()]
            if existing:
                raise OutputError(f"{existing[0]} exists (use --overwrite to replace it)")
        if self.fmt == "jsonl":
            chunks = [render(outcome.documents, "jsonl")]
        else:
            chunks = [render([doc], "txt") for doc in outcome.documents]
        written = 0
        for target, chunk in zip(targets, chunks):
            data = chunk.encode("utf-8")
            write_atomic(target, data)
            written += len(data)
        return written


@dataclass
class Tally:
    """Counts of a run, built up outcome by outcome."""

    files: int = 0
    documents: int = 0
    empty: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    removed_chars: int = 0
    encodings: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, outcome: Outcome, bytes_out: int = 0) -> None:
        self.files += 1
        self.bytes_in += outcome.bytes_in
        if outcome.error:
            self.failures.append((outcome.input.source, outcome.error))
            return
        page = outcome.page
        self.documents += len(outcome.documents)
        self.empty += not outcome.documents
        self.bytes_out += bytes_out
        self.removed_chars += page.removed_chars
        self.encodings[page.detection.encoding] += 1
        self.rules.update(page.rules_fired)


def clean_all(
    items: Iterable[Input | Outcome],
    config: Config,
    sink: Sink,
    report: Callable[[Outcome], None] = lambda outcome: None,
) -> Tally:
    """Clean every input into ``sink``; ``report`` sees each outcome (errors included) as it ends."""
    tally = Tally()
    for item in items:
        outcome = item if isinstance(item, Outcome) else clean_input(item, config)
        written = 0
        if not outcome.error:
            try:
                written = sink.write(outcome)
            except OutputError as error:
                outcome = Outcome(outcome.input, outcome.bytes_in, error=str(error))
        tally.add(outcome, written)
        report(outcome)
    return tally
