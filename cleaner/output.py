"""Step ``write``: render documents as text or JSON Lines and write files atomically.

Text output separates documents with a line holding only a form feed (U+000C), which cleaned text never
contains: ``stdout.split("\\n\\f\\n")`` gives the documents back.

>>> from cleaner.records import Document
>>> render([Document("a", "一"), Document("b", "二")], "txt")
'一\\n\\x0c\\n二\\n'
>>> output_names("a/page.txt", 2, "txt"), output_names("a/notes", 1, "jsonl")
(['a/page.1.txt', 'a/page.2.txt'], ['a/notes.jsonl'])
"""

from __future__ import annotations

import errno
import itertools
import json
import os
from typing import Iterable, Iterator

from .errors import OutputError
from .records import Document
from .walk import display

FORMATS = ("txt", "jsonl")
DOCUMENT_SEPARATOR = "\n\f\n"
#: Temporary files are named ``.cleaner-PID-N.tmp``: short (a long name stays under NAME_MAX) and ours.
TEMPORARY_PREFIX = ".cleaner-"

#: Text is encoded for writing this many characters at a time, so that a large document is never held
#: a second time whole, as bytes.
ENCODE_CHARS = 1 << 20

_temporary_numbers = itertools.count()


def render(docs: Iterable[Document], fmt: str) -> str:
    """All documents in one string, ending with a newline (empty for no documents)."""
    return "".join(render_pieces(docs, fmt))


def render_pieces(docs: Iterable[Document], fmt: str) -> list[str]:
    """What :func:`render` gives, as pieces: in text format the documents' own strings (no copy).

    >>> render_pieces([Document("a", "一"), Document("b", "二")], "txt")
    ['一', '\\n\\x0c\\n', '二', '\\n']
    """
    if fmt == "jsonl":
        return [json.dumps(doc.to_json(), ensure_ascii=False) + "\n" for doc in docs]
    pieces = []
    for doc in docs:
        pieces += [doc.text, DOCUMENT_SEPARATOR]
    if pieces:
        pieces[-1] = "\n"
    return pieces


def encode_pieces(pieces: Iterable[str]) -> Iterator[bytes]:
    """The UTF-8 bytes of the pieces, small ones together, at most :data:`ENCODE_CHARS` characters' worth
    at a time.

    >>> [len(data) for data in encode_pieces(["一" * 3, "\\n", "二"])]
    [13]
    """
    batch: list[str] = []
    size = 0
    for piece in pieces:
        if size + len(piece) > ENCODE_CHARS and batch:
            yield "".join(batch).encode("utf-8")
            batch, size = [], 0
        if len(piece) <= ENCODE_CHARS:
            batch.append(piece)
            size += len(piece)
            continue
        for start in range(0, len(piece), ENCODE_CHARS):
            yield piece[start : start + ENCODE_CHARS].encode("utf-8")
    if batch:
        yield "".join(batch).encode("utf-8")


def output_stem(relative: str) -> str:
    """The part of the names shared by all of an input's outputs: ``a/page`` for ``a/page.txt``.

    The suffix is what :attr:`pathlib.PurePath.suffix` says (none for ``.profile`` or ``notes.``).
    """
    slash = relative.rfind("/")
    dot = relative.rfind(".")
    return relative[:dot] if dot > slash + 1 and dot < len(relative) - 1 else relative


def output_names(relative: str, count: int, fmt: str) -> list[str]:
    """Where an input's ``count`` documents go under ``-o``, relative to it (``/``-separated).

    ``page.txt`` with one document gives ``page.txt``; with N documents ``page.1.txt`` … ``page.N.txt``;
    JSON Lines gives one ``page.jsonl`` holding them all.
    """
    stem = output_stem(relative)
    if fmt == "jsonl":
        return [f"{stem}.jsonl"]
    if count == 1:
        return [f"{stem}.txt"]
    return [f"{stem}.{index}.txt" for index in range(1, count + 1)]


def _create_temporary(folder: str) -> tuple[int, str]:
    """A new file only this process writes; created with 0666 less the umask, as a new file is (not 0600)."""
    while True:
        path = os.path.join(folder, f"{TEMPORARY_PREFIX}{os.getpid()}-{next(_temporary_numbers)}.tmp")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), path
        except FileExistsError:
            continue


def _put_new(temporary: str, path: str) -> None:
    """Rename ``temporary`` to ``path`` unless ``path`` exists, atomically (a hard link cannot replace)."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK):
            raise
        # A file system without hard links: check, then rename.
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), path) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def write_atomic(
    path: str | os.PathLike, data: bytes | Iterable[bytes], replace: bool = True, mode: int | None = None
) -> int:
    """Write ``data`` (bytes, or pieces of bytes) to ``path`` through a temporary file in the same folder
    and a rename; return the number of bytes written.

    Readers see the old file or the whole new one, never a part; on failure nothing is left behind.
    ``replace=False`` refuses to replace an existing file (race-free); ``mode`` sets the permissions
    (default: what the umask gives a new file).
    """
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    try:
        try:
            handle, temporary = _create_temporary(folder)
        except FileNotFoundError:  # the first file in its folder: make the folder (no mkdir for the others)
            os.makedirs(folder, exist_ok=True)
            handle, temporary = _create_temporary(folder)
    except OSError as error:
        raise OutputError(f"cannot write {display(path)}: {error.strerror or error}") from None
    try:
        try:
            written = 0
            for piece in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                view = memoryview(piece)
                written += len(view)
                while view:
                    view = view[os.write(handle, view) :]
            if mode is not None:
                os.fchmod(handle, mode)
        finally:
            os.close(handle)
        if replace:
            os.replace(temporary, path)
        else:
            _put_new(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, FileExistsError):
            raise OutputError(f"{display(path)} exists (use --overwrite to replace it)") from None
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {display(path)}: {error.strerror or error}") from None
        raise
    return written
