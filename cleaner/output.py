"""Step ``write``: render documents as text or JSON Lines and write files atomically.

Text output separates documents with a line holding only a form feed (U+000C), which cleaned text never
contains: ``stdout.split("\\n\\f\\n")`` gives the documents back.

>>> from cleaner.records import Document
>>> render([Document("a", "一"), Document("b", "二")], "txt")
'一\\n\\x0c\\n二\\n'
>>> output_names(PurePosixPath("a/page.txt"), 2, "txt")
[PurePosixPath('a/page.1.txt'), PurePosixPath('a/page.2.txt')]
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path, PurePath, PurePosixPath
from typing import Iterable

from .errors import OutputError
from .records import Document

FORMATS = ("txt", "jsonl")
DOCUMENT_SEPARATOR = "\n\f\n"


def render(docs: Iterable[Document], fmt: str) -> str:
    """All documents in one string, ending with a newline (empty for no documents)."""
    if fmt == "jsonl":
        return "".join(json.dumps(doc.to_json(), ensure_ascii=False) + "\n" for doc in docs)
    texts = [doc.text for doc in docs]
    return DOCUMENT_SEPARATOR.join(texts) + "\n" if texts else ""


def output_names(relative: PurePath, count: int, fmt: str) -> list[PurePath]:
    """Where an input's documents go under ``-o``, relative to it.

    ``page.txt`` with one document gives ``page.txt``; with N documents ``page.1.txt`` … ``page.N.txt``;
    JSON Lines gives one ``page.jsonl`` holding them all.
    """
    stem = relative.stem if relative.suffix else relative.name
    if fmt == "jsonl":
        return [relative.with_name(f"{stem}.jsonl")]
    if count == 1:
        return [relative.with_name(f"{stem}.txt")]
    return [relative.with_name(f"{stem}.{index}.txt") for index in range(1, count + 1)]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Readers see the old file or the whole new one, never a part; on failure nothing is left behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        raise
