"""Clean many inputs: walk them, hand them to worker processes in chunks, write, stream or check each.

A run has one of four modes (:attr:`RunOptions.mode`):

* ``stream``: every document to one binary stream (standard output), in input order;
* ``folder``: files under ``-o`` mirroring the inputs (names from :func:`cleaner.output.output_names`);
* ``in-place``: each input replaced by what ``folder`` would write for it (see :meth:`_Cleaner.write_in_place`);
* ``check``: nothing written; each input is compared with what ``folder`` would write for it.

An input *would change* unless cleaning gives exactly one document whose bytes as written (UTF-8, ending
with a newline) equal the input's bytes. So a page with boilerplate, a page that splits, a page that
leaves no document, a GBK page and a page with trailing spaces all would change; the listing says why:

>>> _change_reason(documents=1, removed=17, rules=("breadcrumb", "repeated-title"), encoding="gb18030", replaced=0)
'boilerplate: 17 characters (breadcrumb, repeated-title); re-encoded from gb18030'

The results do not depend on the number of jobs: inputs are cut into chunks in walk order, workers clean
whole chunks, and the results are taken back in that order. One bad input never stops a run: it becomes
a failed :class:`~cleaner.report.Result` and the rest go on.
"""

from __future__ import annotations

import difflib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from . import pipeline
from .config import Config
from .errors import CleanerError, OutputError
from .output import FORMATS, encode_pieces, output_names, output_stem, render, render_pieces, write_atomic
from .records import Document
from .report import CHANGED, CLEANED, EMPTY, FAILED, NOTE, SKIPPED, UNCHANGED, UNFINISHED, Result, Summary
from .shard import WHOLE, Shard
from .walk import DEFAULT_INCLUDE, STDIN, Input, Skip, display, walk

EXISTING = ("refuse", "overwrite", "skip")
#: A chunk (what one worker gets at a time) closes at this many files or bytes, whichever comes first:
#: big enough that handing it out costs little per file, small enough to keep the workers evenly busy.
CHUNK_FILES = 32
CHUNK_BYTES = 1 << 20
#: Chunks in flight per worker: enough that no worker waits for the next one, few enough to bound memory.
CHUNKS_PER_WORKER = 4
#: After Ctrl-C, how long the workers get to stop (a write in progress is finished) before they are killed.
STOP_SECONDS = 10.0
EMPTY_REASON = "no document left after cleaning (only boilerplate or empty)"
DIED_REASON = "internal error: the worker process cleaning it died (killed, out of memory or crashed)"


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class OptionsError(ValueError):
    """Run options that do not go together (a usage error)."""


@dataclass(frozen=True)
class RunOptions:
    """How a run finds, hands out and writes files; how each is cleaned is :class:`~cleaner.config.Config`.

    >>> RunOptions().mode, RunOptions(output=Path("out")).mode, RunOptions(check=True).mode
    ('stream', 'folder', 'check')
    """

    #: Folder for the outputs (mirroring the inputs); ``None`` streams to standard output.
    output: Path | None = None
    fmt: str = "txt"
    #: Replace each input with its cleaned text instead of writing elsewhere.
    in_place: bool = False
    #: Write nothing; report what would change.
    check: bool = False
    #: Outputs that exist: ``refuse`` (that input fails), ``overwrite``, or ``skip`` (to resume a run).
    existing: str = "refuse"
    jobs: int = 1
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False
    #: An unexpected error in one input shows its traceback (otherwise: one line ``internal error: …``).
    debug: bool = False
    #: Where the command writes the summary as JSON.
    report: Path | None = None
    #: Check mode: show a unified diff of the first files that would change.
    diff: bool = False
    #: Only this shard of the walked inputs (``--shard I/N``); the whole walk by default.
    shard: Shard = WHOLE

    @property
    def mode(self) -> str:
        if self.check:
            return "check"
        if self.in_place:
            return "in-place"
        return "folder" if self.output is not None else "stream"

    def validate(self, paths: Iterable[str]) -> None:
        """Raise :class:`OptionsError` when the options do not go together or would touch the inputs."""
        paths = list(paths)
        if self.jobs < 1:
            raise OptionsError("--jobs must be at least 1")
        if self.fmt not in FORMATS or self.existing not in EXISTING:
            raise OptionsError(f"format must be one of {FORMATS} and existing one of {EXISTING}")
        if self.check and (self.output is not None or self.in_place):
            raise OptionsError("check mode writes nothing: -o and --in-place do not apply")
        if self.diff and not self.check:
            raise OptionsError("--diff goes with check mode")
        if self.in_place:
            if self.output is not None:
                raise OptionsError("-o and --in-place exclude each other")
            if self.fmt != "txt":
                raise OptionsError("--in-place writes text; --format jsonl needs -o or standard output")
            if STDIN in paths:
                raise OptionsError("standard input (-) cannot be cleaned in place")
            if self.existing == "skip":
                raise OptionsError("--skip-existing needs -o (a file cleaned in place is cleaned again, to the same text)")
        elif self.existing != "refuse" and self.output is None:
            raise OptionsError("--overwrite and --skip-existing need -o or --in-place")
        if self.output is not None:
            self._refuse_output_in_inputs(paths)

    def _refuse_output_in_inputs(self, paths: list[str]) -> None:
        output = os.path.realpath(self.output)
        for path in paths:
            if path == STDIN:
                continue
            real = os.path.realpath(path)
            # Into a folder walked, or (for a file named) into the folder it is in, outputs would land
            # among the inputs, and could replace them with --overwrite.
            inside = os.path.isdir(real) and output.startswith(real.rstrip(os.sep) + os.sep)
            if output == (real if os.path.isdir(real) else os.path.dirname(real)) or inside:
                raise OptionsError(
                    f"-o {display(str(self.output))} is in input {display(path)}: outputs would mix with "
                    "or replace the inputs (use another folder, or --in-place to replace the inputs)"
                )


# --- Ctrl-C and SIGTERM -------------------------------------------------------------------------------

IDLE, CLEANING, WRITING = "idle", "cleaning", "writing"
#: The signals that stop a run, with what :attr:`Summary.stopped` says; the command exits 128 + the number.
STOP_SIGNALS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


#: How long a worker that got SIGTERM waits to learn whether the whole run is stopping, and how long it
#: may then take to send back what it finished before it ends all the same.
WORKER_STOP_WAIT, WORKER_END_SECONDS = 0.2, 2.0


def _end_by(signum: int) -> None:
    """End this process as ``signum`` ends it by default (so that its parent sees how it ended)."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)  # not reached: the signal is delivered before kill returns


class StopFlag:
    """The main process's word to its workers that the run stops: a byte in shared memory, without a lock,
    so that a worker's signal handler may read it whatever the worker was doing (an ``Event`` takes a
    lock, which the handler may find held by the code it interrupted)."""

    def __init__(self, context) -> None:
        self._value = context.RawValue("b", 0)

    def set(self) -> None:
        self._value.value = 1

    def is_set(self) -> bool:
        return bool(self._value.value)

    def wait(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not self._value.value and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.is_set()


class _Interruption:
    """Where SIGINT and SIGTERM land, so that they stop a run promptly and never leave a part-written file.

    While cleaning it raises ``KeyboardInterrupt`` at once; while writing it lets the write finish; when
    idle it raises in the main process. Otherwise it sets ``fired``, and the worker or the main loop
    stops before its next file. After the first signal the others are ignored, so that stopping is not
    interrupted in turn; ``signum`` is the one that stopped the run.

    A worker that gets SIGTERM (after the write in progress, if any) stops as at Ctrl-C when the whole run
    is stopping (``stop`` is set: SIGTERM went to the process group), and otherwise ends at once, as if
    killed: the process pool sends SIGTERM to the other workers when one dies, then waits for them to
    end, not for their results (their files are cleaned again in a fresh pool). Either way it ends within
    :data:`WORKER_END_SECONDS` (SIGALRM), so that a pool waiting for it never waits for ever.
    """

    def __init__(self) -> None:
        self.reset(idle_raises=True)

    def reset(self, idle_raises: bool, stop=None) -> None:
        self.state, self.idle_raises, self.pending, self.fired = IDLE, idle_raises, False, False
        self.stop, self.ending, self.signum = stop, 0, signal.SIGINT

    def handle(self, signum, frame) -> None:
        if self.stop is not None and signum in (signal.SIGTERM, signal.SIGALRM):
            if signum == signal.SIGTERM:
                signal.setitimer(signal.ITIMER_REAL, WORKER_END_SECONDS)
            if self.state == WRITING:
                self.ending = signum
                return
            self.end_unless_stopping(signum)
        if self.fired:
            return
        self.signum = signum
        if self.state == WRITING:
            self.pending = True
            return
        self.fired = True
        if self.state == CLEANING or self.idle_raises:
            raise KeyboardInterrupt

    def end_unless_stopping(self, signum: int) -> None:
        """After SIGTERM (or its SIGALRM) in a worker: end now, unless the run is stopping and time is left."""
        self.ending = 0
        if signum == signal.SIGALRM or not self.stop.wait(WORKER_STOP_WAIT):
            _end_by(signal.SIGTERM)

    def install(self, idle_raises: bool, stop=None) -> None:
        """``stop``: in a worker process, the event the main process sets when the run stops."""
        self.reset(idle_raises, stop)
        for signum in (*STOP_SIGNALS, signal.SIGALRM) if stop is not None else STOP_SIGNALS:
            signal.signal(signum, self.handle)

    @contextmanager
    def installed(self, idle_raises: bool):
        """Handle the stop signals for the block (only the main thread may set signal handlers)."""
        if threading.current_thread() is not threading.main_thread():
            self.reset(idle_raises)
            yield
            return
        previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
        self.install(idle_raises)
        try:
            yield
        finally:
            for signum, handler in previous.items():
                if handler is not None:  # None: set from outside Python, and cannot be put back
                    signal.signal(signum, handler)

    @contextmanager
    def during(self, state: str):
        outer, self.state = self.state, state
        try:
            yield
        finally:
            self.state = outer
            if outer != WRITING:
                if self.ending:
                    self.end_unless_stopping(self.ending)
                    self.pending = True  # the run is stopping: this worker too
                if self.pending:
                    # The signal waited for the write; the run stops before its next file (see ``fired``).
                    self.pending, self.fired = False, True


_interruption = _Interruption()


# --- cleaning one input ----------------------------------------------------------------------------


def read_input(item: Input) -> bytes:
    """The bytes of an input (standard input when it has no path)."""
    if item.path is None:
        return sys.stdin.buffer.read()
    with open(item.path, "rb", buffering=0) as stream:
        return stream.read()


def _read_error(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "cannot read: it vanished (no such file)"
    return f"cannot read: {error.strerror or error}"


def _internal_error(error: Exception, debug: bool) -> str:
    """A bug met while cleaning one input: one line, or the traceback with ``--debug``."""
    line = f"internal error: {type(error).__name__}: {error}"
    if debug:
        return line + "\n" + "".join(traceback.format_exception(error)).rstrip("\n")
    return line + " (--debug shows the traceback)"


def _change_reason(documents: int, removed: int, rules: tuple[str, ...], encoding: str, replaced: int) -> str:
    """Why an input would change, most telling first."""
    if not documents:
        return EMPTY_REASON
    reasons = []
    if documents > 1:
        reasons.append(f"splits into {documents} documents")
    if removed:
        reasons.append(f"boilerplate: {removed} characters ({', '.join(rules)})")
    if encoding != "utf-8":
        reasons.append(f"re-encoded from {encoding}")
    if replaced:
        reasons.append(f"{replaced} undecodable bytes replaced")
    return "; ".join(reasons) or "spacing, line ends or Unicode forms normalised"


class _Cleaner:
    """Cleans inputs one at a time in one run's mode; each worker process holds one."""

    def __init__(self, config: Config, options: RunOptions, stop=None) -> None:
        self.config, self.options, self.stop = config, options, stop
        self.mode = options.mode
        self.output = os.fspath(options.output) if options.output is not None else None
        self.retry = False

    def run(self, items: list[Input | Skip], retry: bool = False) -> list[Result]:
        """Results for the first items of a chunk: all of them unless the run is being stopped.

        ``retry``: the items were in hand when a worker died, so some may be written already; an output
        that exists with the very bytes it would be given is then no conflict.
        """
        self.retry = retry
        results = []
        for item in items:
            if _interruption.fired or (self.stop is not None and self.stop.is_set()):
                break
            try:
                results.append(self.one(item))
            except KeyboardInterrupt:
                _interruption.fired = True
                break
        return results

    def one(self, item: Input | Skip) -> Result:
        if isinstance(item, Skip):
            return Result(item.source, FAILED if item.failed else NOTE, item.reason)
        try:
            return self._clean(item)
        except CleanerError as error:
            return Result(item.source, FAILED, str(error), item.path)
        except Exception as error:  # a bug: this input fails, the run goes on
            return Result(item.source, FAILED, _internal_error(error, self.options.debug), item.path)

    def _clean(self, item: Input) -> Result:
        if self.options.existing == "skip" and self._written_before(item):
            return Result(item.source, SKIPPED, "output exists", item.path, bytes_in=item.size)
        with _interruption.during(CLEANING):
            try:
                data = [read_input(item)]
            except OSError as error:
                return Result(item.source, FAILED, _read_error(error), item.path)
            # Check mode compares the bytes with the cleaned text; otherwise the pipeline gets the only
            # reference to them, and lets them go once decoded (a large input is not held twice).
            page = pipeline.run(data[0] if self.mode == "check" else data.pop(), item.source, self.config)
            documents = pipeline.documents(page)
            facts = dict(
                path=item.path,
                bytes_in=page.size,
                documents=len(documents),
                encoding=page.detection.encoding,
                removed_chars=page.removed_chars,
                replaced_bytes=page.replaced,
                rules=page.rules_fired,
            )
            del page
            if self.mode == "check":
                return self._check(item, data[0], documents, facts)
            if not documents:
                return Result(item.source, EMPTY, EMPTY_REASON, **facts)
            if self.mode == "stream":
                pieces = render_pieces(documents, self.options.fmt)
                if self.stop is None:  # the main process writes the pieces itself (and counts the bytes)
                    return Result(item.source, CLEANED, output=tuple(pieces), **facts)
                output = "".join(pieces).encode("utf-8")
                return Result(item.source, CLEANED, bytes_out=len(output), output=output, **facts)
            if self.options.fmt == "jsonl":
                chunks = [render_pieces(documents, "jsonl")]
            else:
                chunks = [render_pieces([document], "txt") for document in documents]
            del documents
        with _interruption.during(WRITING):
            if self.mode == "in-place":
                written = self.write_in_place(item, chunks)
            else:
                written = self.write_folder(item, chunks)
        return Result(item.source, CLEANED, bytes_out=written, **facts)

    def _check(self, item: Input, data: bytes, documents: list[Document], facts: dict) -> Result:
        cleaned = [render([document], "txt").encode("utf-8") for document in documents]
        facts["bytes_out"] = sum(map(len, cleaned))
        if cleaned == [data]:
            return Result(item.source, UNCHANGED, **facts)
        reason = _change_reason(len(documents), facts["removed_chars"], facts["rules"], facts["encoding"],
                                facts["replaced_bytes"])
        return Result(item.source, CHANGED, reason, **facts)

    def _targets(self, item: Input, count: int) -> list[str]:
        return [os.path.join(self.output, name) for name in output_names(item.relative, count, self.options.fmt)]

    def _written_before(self, item: Input) -> bool:
        """Whether an earlier run finished this input: its first output exists (it is written last)."""
        counts = (1,) if self.options.fmt == "jsonl" else (1, 2)
        return any(os.path.lexists(self._targets(item, count)[0]) for count in counts)

    def write_folder(self, item: Input, chunks: list[list[str]]) -> int:
        """Write each output's pieces of text; return the bytes written.

        In text format an input's outputs are ``page.txt`` or ``page.1.txt`` … ``page.N.txt``; an earlier
        run may have left others of these names (``page.3.txt`` when the page now gives two documents,
        ``page.txt`` when it now splits). They are refused like the outputs themselves, and with
        ``--overwrite`` (or ``--skip-existing``, resuming an input not finished) removed, so that the
        outputs of an input always come from one run. An earlier output is removed first of all, then
        what this run does not give, then the new ones are written last first: so whenever the first
        output exists, the outputs are whole and of one run, even after a crash.
        """
        targets = self._targets(item, len(chunks))
        outputs = list(zip(targets, chunks))
        replace = self.options.existing != "refuse"  # skip: this input was not finished (see _clean)
        earlier = self._earlier_outputs(item) if self.options.fmt == "txt" else []
        if self.retry and not replace:  # the attempt that died may have written some already
            outputs = [(target, chunk) for target, chunk in outputs if not _holds(target, chunk)]
        stale = [name for name in earlier if name not in targets and not self._owned_by_another(item, name)]
        if not replace and stale:
            raise OutputError(f"{display(stale[0])} exists (use --overwrite to replace it)")
        if self.options.existing == "skip":  # an unfinished input's outputs are replaced, no other input's
            for name in earlier:
                if name in targets and self._owned_by_another(item, name):
                    raise OutputError(f"{display(name)} exists (use --overwrite to replace it)")
        if replace and (stale or len(targets) > 1 and earlier):
            first_names = (self._targets(item, 1)[0], self._targets(item, 2)[0])  # page.txt, page.1.txt
            firsts = [name for name in earlier if name in first_names and (name in targets or name in stale)]
            for name in firsts + [name for name in reversed(stale) if name not in firsts]:
                try:
                    os.unlink(name)
                except FileNotFoundError:
                    pass
                except OSError as error:
                    raise OutputError(f"cannot remove {display(name)}: {error.strerror or error}") from None
        try:
            return _write_all(outputs, replace)
        except OutputError:
            if replace:
                raise
            # Name the first output that exists, whichever one the (last first) writing met.
            for target in targets:
                if os.path.lexists(target):
                    raise OutputError(f"{display(target)} exists (use --overwrite to replace it)") from None
            raise

    def _earlier_outputs(self, item: Input) -> list[str]:
        """The files of this input's output names that exist: ``page.txt``, ``page.1.txt``, ``page.2.txt`` …
        (up to the first missing one from ``page.2.txt`` on: outputs are written and removed last first)."""
        stem = os.path.join(self.output, output_stem(item.relative))
        names = [f"{stem}.txt", f"{stem}.1.txt"]
        found = [name for name in names if os.path.lexists(name)]
        index = 2
        while os.path.lexists(name := f"{stem}.{index}.txt"):
            found.append(name)
            index += 1
        return found

    def _owned_by_another(self, item: Input, name: str) -> bool:
        """Whether an input beside this one has ``name`` as its own output name: ``page.2.txt`` is part 2
        of ``page.txt`` and the output of an input ``page.2.txt`` (or ``page.2.htm``)."""
        if item.path is None:
            return False
        folder, own = os.path.split(item.path)
        stem = os.path.basename(name)[: -len(".txt")]
        try:
            return any(output_stem(entry) == stem and entry != own for entry in os.listdir(folder or "."))
        except OSError:
            return True  # cannot tell: leave it

    def write_in_place(self, item: Input, chunks: list[list[str]]) -> int:
        """One document replaces the input (same name, same permissions), atomically.

        A page that splits into N documents becomes ``page.1.txt`` … ``page.N.txt`` beside it (the names
        ``-o`` gives), and the page itself is removed once they are all written. An input with no document
        left is not touched.
        """
        path = os.path.realpath(item.path)  # through a link: the file it leads to, not the link
        mode = os.stat(path).st_mode & 0o7777
        if len(chunks) == 1:
            return _write_all([(path, chunks[0])], True, mode)
        folder, name = os.path.split(path)
        targets = [os.path.join(folder, part) for part in output_names(name, len(chunks), "txt")]
        written = _write_all(list(zip(targets, chunks)), self.options.existing == "overwrite", mode)
        try:
            os.unlink(path)
        except OSError as error:
            raise OutputError(f"wrote its parts but cannot remove it: {error.strerror or error}") from None
        return written


def _holds(path: str, pieces: list[str]) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read() == "".join(pieces).encode("utf-8")
    except OSError:
        return False


def _write_all(outputs: list[tuple[str, list[str]]], replace: bool, mode: int | None = None) -> int:
    """All or nothing: the outputs (pieces of text each) are written last first (so the first one
    existing means all do), and those written are removed again when one fails; returns the bytes written."""
    written, size = [], 0
    try:
        for target, pieces in reversed(outputs):
            size += write_atomic(target, encode_pieces(pieces), replace, mode)
            written.append(target)
        return size
    except BaseException:
        for target in written:
            try:
                os.unlink(target)
            except OSError:
                pass
        raise


def diff(item: Input, config: Config = Config()) -> str:
    """A unified diff of an input's text (decoded) against what cleaning it gives (``--diff``)."""
    data = read_input(item)
    page = pipeline.run(data, item.source, config)
    # Lines split at line ends only (str.splitlines would also split at the form feed between documents).
    before = data.decode(page.detection.encoding, "replace").replace("\r\n", "\n").replace("\r", "\n")
    after = render(pipeline.documents(page), "txt")
    before, after = (text.removesuffix("\n").split("\n") for text in (before, after))
    lines = list(difflib.unified_diff(before, after, item.source, f"{item.source} (cleaned)", lineterm=""))
    if not lines:
        encoding = page.detection.encoding
        note = f"re-encoded from {encoding}" if encoding != "utf-8" else "line ends or final newline"
        lines = [f"--- {item.source}", f"+++ {item.source} (cleaned)", f"# same lines; only the bytes differ: {note}"]
    return "\n".join(lines) + "\n"


# --- the run ------------------------------------------------------------------------------------------

_worker: _Cleaner | None = None


def _start_worker(config: Config, options: RunOptions, stop) -> None:
    global _worker
    _interruption.install(idle_raises=False, stop=stop)
    _worker = _Cleaner(config, options, stop)


def _run_chunk(items: list[Input | Skip], retry: bool = False) -> list[Result]:
    return _worker.run(items, retry)


def _chunks(items: Iterable[Input | Skip]) -> Iterator[list[Input | Skip]]:
    """Items in walk order, cut into chunks; standard input is a chunk of its own (the main process reads it)."""
    chunk, size = [], 0
    for item in items:
        if isinstance(item, Input) and item.path is None:
            if chunk:
                yield chunk
                chunk, size = [], 0
            yield [item]
            continue
        chunk.append(item)
        size += item.size if isinstance(item, Input) else 0
        if len(chunk) >= CHUNK_FILES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _claim_outputs(items: Iterable[Input | Skip]) -> Iterator[Input | Skip]:
    """Under ``-o``, a second input whose outputs would have the names of an earlier one's fails."""
    claimed: dict[str, str] = {}
    for item in items:
        if isinstance(item, Input):
            stem = output_stem(item.relative)
            if stem in claimed:  # another input, or the same one named twice
                item = Skip(item.source, f"its output would have the same name as that of {claimed[stem]}")
            else:
                claimed[stem] = item.source
        yield item


#: Cleaned once before the workers are forked, so that what the steps load on first use (chardet's
#: models: about 30 MB and 60 ms) is loaded once and shared, not once per worker.
WARM_UP_PAGE = "当前位置:文档之家> 标题\n\n正文。\n".encode("gb18030")


def _warm_up(config: Config) -> None:
    try:
        pipeline.run(WARM_UP_PAGE, "<warm-up>", config)
    except CleanerError:  # (under --errors strict or --encoding) the real run reports what fails
        pass


class _Runner:
    """Runs chunks: here, or in a pool of worker processes (forked, so that they start fast)."""

    def __init__(self, config: Config, options: RunOptions) -> None:
        self.config, self.options, self.jobs = config, options, 1
        self.cleaner = _Cleaner(config, options)
        self.executor: ProcessPoolExecutor | None = None

    @property
    def window(self) -> int:
        return CHUNKS_PER_WORKER * self.jobs if self.executor else 1

    def start(self, jobs: int) -> None:
        self.jobs = jobs
        if jobs < 2:
            return
        _warm_up(self.config)
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        context = multiprocessing.get_context(method)
        self.stop_event = StopFlag(context)
        self.others = set(multiprocessing.active_children())
        self.executor = ProcessPoolExecutor(
            self.jobs, mp_context=context, initializer=_start_worker,
            initargs=(self.config, self.options, self.stop_event),
        )

    def submit(self, chunk: list[Input | Skip]) -> Future:
        if self.executor is None or (isinstance(chunk[0], Input) and chunk[0].path is None):
            future = Future()
            future.set_result(self.cleaner.run(chunk))
            return future
        return self.executor.submit(_run_chunk, chunk)

    def one_by_one(self, chunk: list[Input | Skip]) -> list[Result]:
        """After a worker died: the chunk's files one at a time, so that one that kills a worker is known."""
        results = []
        for item in chunk:
            try:
                results += self.executor.submit(_run_chunk, [item], True).result()
            except BrokenProcessPool:
                results.append(Result(item.source, FAILED, DIED_REASON, getattr(item, "path", None)))
                self.restart()
            if _interruption.fired:
                break
        return results

    def _workers(self) -> list:
        return [child for child in multiprocessing.active_children() if child not in self.others]

    def restart(self) -> None:
        """After a worker process died (killed, out of memory): a fresh pool for the chunks to come."""
        self.close()
        self.start(self.jobs)

    def stop(self) -> None:
        """Ask the workers to stop after the file each is on (a file being written is finished)."""
        if self.executor is None:
            return
        self.stop_event.set()
        for worker in self._workers():
            try:
                os.kill(worker.pid, signal.SIGINT)
            except OSError:
                pass

    def kill(self) -> None:
        for worker in self._workers():
            worker.kill()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


class _Stream:
    """Standard output of a streaming run: each input's rendered documents, in input order."""

    def __init__(self, stream: BinaryIO, fmt: str) -> None:
        self.stream, self.fmt, self.first = stream, fmt, True

    def write(self, output: bytes | tuple[str, ...]) -> int:
        """Write one input's output (bytes from a worker, or pieces of text); return its size in bytes."""
        if not output:
            return 0
        if self.fmt == "txt" and not self.first:
            self.stream.write(b"\f\n")
        self.first = False
        size = 0
        for data in (output,) if isinstance(output, bytes) else encode_pieces(output):
            size += len(data)
            self.stream.write(data)
        self.stream.flush()
        return size


def clean_paths(
    paths: Iterable[str],
    config: Config = Config(),
    options: RunOptions = RunOptions(),
    stdout: BinaryIO | None = None,
    on_result: Callable[[Result], None] | None = None,
    on_start: Callable[[], None] | None = None,
) -> Summary:
    """Clean every input under ``paths`` (``-`` is standard input) and return the run's summary.

    ``on_result`` sees each result in input order as it is taken back; ``on_start`` is called once the
    worker processes are running (a progress display starts its thread there, after they are forked).
    Ctrl-C stops the run: the summary says ``stopped="interrupted"`` and counts what was not finished.
    """
    summary = Summary("check" if options.check else "clean")
    started = time.perf_counter()
    stream = _Stream(stdout or sys.stdout.buffer, options.fmt) if options.mode == "stream" else None
    items = options.shard.select(walk(paths, options.include, options.exclude, options.follow_symlinks))
    chunks = _chunks(_claim_outputs(items) if options.mode == "folder" else items)
    runner = _Runner(config, options)
    pending: deque[tuple[list, Future]] = deque()

    def take(chunk: list, results: list[Result], stopping: bool) -> None:
        for result in results:
            if stream is not None:
                if stopping:
                    result = Result(result.source, UNFINISHED, path=result.path)
                else:
                    size = stream.write(result.output)
                    result = dataclasses.replace(result, bytes_out=size, output=b"")
            summary.add(result)
            if on_result is not None:
                on_result(result)
        for item in chunk[len(results) :]:
            result = (
                Result(item.source, UNFINISHED)
                if stopping or _interruption.fired
                else Result(item.source, FAILED, "internal error: a worker stopped before cleaning it")
            )
            summary.add(result)
            if on_result is not None:
                on_result(result)

    def take_first() -> None:
        chunk, future = pending[0]
        try:
            done = [(chunk, future.result())]
            pending.popleft()
        except BrokenProcessPool:
            # A worker died (killed, out of memory, a crash): every chunk in hand is suspect. Each is
            # cleaned again file by file in a fresh pool, which finds the file that kills a worker.
            suspects = [chunk for chunk, _ in pending]
            pending.clear()
            runner.restart()
            done = ((chunk, runner.one_by_one(chunk)) for chunk in suspects)
        for chunk, results in done:
            with _interruption.during(WRITING):
                take(chunk, results, stopping=False)
        if _interruption.fired:
            raise KeyboardInterrupt

    with _interruption.installed(idle_raises=True):
        try:
            head = list(itertools.islice(chunks, 2))
            runner.start(options.jobs if len(head) > 1 else 1)  # no pool for a single chunk
            for index, chunk in enumerate(itertools.chain(head, chunks)):
                if index == 0 and runner.executor is None and on_start is not None:
                    on_start()
                pending.append((chunk, runner.submit(chunk)))
                if index == 0 and runner.executor is not None and on_start is not None:
                    on_start()  # the workers are forked at the first submission: only now may threads start
                while pending and (len(pending) > runner.window or pending[0][1].done()):
                    take_first()
            while pending:
                take_first()
        except (KeyboardInterrupt, BrokenPipeError) as error:
            summary.stopped = "broken pipe" if isinstance(error, BrokenPipeError) else STOP_SIGNALS[_interruption.signum]
            _interruption.fired = True
            # Chunks not started are not cancelled: the workers return them at once, empty (cancelling
            # here races with the pool marking them failed when a worker ends, an error in its thread).
            runner.stop()
            deadline = time.monotonic() + STOP_SECONDS
            for chunk, future in pending:
                try:
                    results = future.result(timeout=max(0.0, deadline - time.monotonic()))
                except TimeoutError:
                    runner.kill()
                    results = []
                except Exception:  # cancelled, or the pool broke
                    results = []
                take(chunk, results, stopping=True)
        finally:
            runner.close()
    summary.elapsed = time.perf_counter() - started
    return summary
