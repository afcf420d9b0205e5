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
from typing import Iterable

from .errors import OutputError
from .records import Document
from .walk import display

FORMATS = ("txt", "jsonl")
DOCUMENT_SEPARATOR = "\n\f\n"
#: Temporary files are named ``.cleaner-PID-N.tmp``: short (a long name stays under NAME_MAX) and ours.
TEMPORARY_PREFIX = ".cleaner-"

_temporary_numbers = itertools.count()


def render(docs: Iterable[Document], fmt: str) -> str:
    """All documents in one string, ending with a newline (empty for no documents)."""
    if fmt == "jsonl":
        return "".join(json.dumps(doc.to_json(), ensure_ascii=False) + "\n" for doc in docs)
    texts = [doc.text for doc in docs]
    return DOCUMENT_SEPARATOR.join(texts) + "\n" if texts else ""


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


def write_atomic(path: str | os.PathLike, data: bytes, replace: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

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
            view = memoryview(data)
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
