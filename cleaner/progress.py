"""What a person sees on standard error during a run: one line per problem, a progress bar when standard
error is a terminal (never in a pipe or a log), and the summary table at the end.

Messages are ``cleaner: INPUT: cause``. Failures are always shown; notes (an input with no document
left, a link not followed) are quieted by ``-q``, as are the bar and the table.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Iterable

import click

from .report import FAILED, NOTE, UNFINISHED, EMPTY, Result, Summary, summary_table
from .walk import Input, walk


def stderr_is_terminal() -> bool:
    """Whether standard error is a terminal (not whatever FORCE_COLOR makes rich believe)."""
    try:
        return os.isatty(sys.stderr.fileno())
    except (AttributeError, ValueError, OSError):
        return False


def message(source: str, cause: str) -> None:
    click.echo(f"cleaner: {source}: {cause}", err=True)


class Display:
    """Messages, progress bar and summary for one run.

    The bar counts files and megabytes, with speed and time left; its totals come from a second walk of
    the inputs in a thread, so cleaning starts at once and the totals appear when that walk is done.
    """

    def __init__(self, paths: Iterable[str], walk_options: dict, quiet: bool, select=lambda items: items) -> None:
        self.paths, self.walk_options, self.quiet, self.select = list(paths), walk_options, quiet, select
        self.terminal = stderr_is_terminal()
        self.progress = None
        self._counting = threading.Event()

    def start(self) -> None:
        """Show the bar (terminal only). Called once worker processes exist: rich draws from a thread."""
        if not self.terminal or self.quiet:
            return
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

        self.progress = Progress(
            BarColumn(),
            TextColumn("{task.fields[files]:,}/{task.fields[total_files]} files"),
            DownloadColumn(binary_units=False),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("clean", total=None, files=0, total_files="?")
        self.progress.start()
        self._counting.set()
        threading.Thread(target=self._count, name="cleaner-count", daemon=True).start()

    def _count(self) -> None:
        progress, files, size = self.progress, 0, 0  # kept: stop() may drop self.progress meanwhile
        for item in self.select(walk(self.paths, **self.walk_options)):
            if not self._counting.is_set():
                return
            if isinstance(item, Input):
                files, size = files + 1, size + item.size
        progress.update(self.task, total=size, total_files=f"{files:,}")

    def say(self, source: str, cause: str) -> None:
        if self.progress is not None:
            self.progress.console.print(f"cleaner: {source}: {cause}", markup=False, highlight=False, soft_wrap=True)
        else:
            message(source, cause)

    def result(self, result: Result) -> None:
        if result.status == FAILED or (result.status in (EMPTY, NOTE) and not self.quiet):
            self.say(result.source, result.reason)
        if self.progress is not None and result.status != UNFINISHED:
            files = self.progress.tasks[0].fields["files"] + 1
            self.progress.update(self.task, advance=result.bytes_in, files=files)

    def stop(self) -> None:
        self._counting.clear()
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def finish(self, summary: Summary, table: bool) -> None:
        """Stop the bar; print the table when asked (``--summary``) or when standard error is a terminal."""
        self.stop()
        if table or (self.terminal and not self.quiet):
            from rich.console import Console

            Console(stderr=True).print(summary_table(summary))
