"""datatrove blocks: read raw scraped files into cleaned documents, or clean documents already in a pipeline.

Needs the extra: ``pip install 'cleaner[datatrove]'``. A pipeline that cleans a folder of scraped pages
in any encoding into FineWeb-style JSON Lines, 8 tasks on 2 cores, resumable::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerReader

    LocalPipelineExecutor(
        pipeline=[CleanerReader("scraped/"), JsonlWriter("out/")],
        tasks=8, workers=2, logging_dir="logs/",
    ).run()

Each document carries the metadata of ``cleaner clean --format jsonl``, with ``source`` and ``id``
relative to the data folder (as datatrove's own readers name files) and ``file_path`` the full path.
The summary counts of a run go into datatrove's per-task stats (``logs/stats/*.json``):
``input_files``, ``input_bytes``, ``documents``, ``encoding_<codec>`` (files), ``removed_chars``,
``replaced_bytes``, ``empty_input_files`` (only boilerplate left) and ``failed_input_files``. A bad input
is logged as ``cleaner: PATH: cause``, counted, and skipped: the task goes on.

>>> from datatrove.data import Document
>>> page = Document(text="当前位置:文档之家› 标题\\n标题\\n正文。", id="page-1", metadata={"url": "u"})
>>> [(doc.id, doc.text, doc.metadata["url"], doc.metadata["title"]) for doc in CleanerFormatter().run([page])]
[('page-1', '标题\\n\\n正文。', 'u', '标题')]
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

try:
    from datatrove.data import Document as DatatroveDocument
    from datatrove.data import DocumentsPipeline
    from datatrove.io import DataFileLike, DataFolderLike
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.readers.base import BaseDiskReader
    from datatrove.utils.logging import logger
    from datatrove.utils.typeshelper import StatHints
except ImportError as error:
    raise ImportError(
        f"cleaner.integrations.datatrove needs datatrove: pip install 'cleaner[datatrove]' ({error})"
    ) from error

from .. import pipeline
from ..config import Config
from ..errors import CleanerError
from ..records import Document, Page

__all__ = ["CleanerFormatter", "CleanerReader"]

BLOCK_NAME = "🧹 cleaner"


def _count_page(block: PipelineStep, page: Page, documents: Sequence[Document], unit: str) -> None:
    """Add one cleaned input's counts to the block's stats (the numbers of the CLI's summary)."""
    block.stat_update(f"encoding_{page.detection.encoding}", unit=unit)
    block.stat_update("removed_chars", value=page.removed_chars, unit=unit)
    block.stat_update("replaced_bytes", value=page.replaced, unit=unit)
    if not documents:
        block.stat_update(f"empty_{unit}s", unit=unit)


def _fail(block: PipelineStep, source: str, cause: str, unit: str) -> None:
    logger.warning(f"cleaner: {source}: {cause}")
    block.stat_update(f"failed_{unit}s", unit=unit)


class CleanerReader(BaseDiskReader):
    """Walk a folder (a local path or any fsspec URL datatrove takes), clean each file's raw bytes, yield
    one document per cleaned part.

    Files are those matching ``glob_pattern`` (``**/*.txt``: every ``.txt`` file at any depth, as
    ``cleaner clean`` walks a folder) or listed in ``paths_file``; task ``rank`` of ``world_size`` takes
    sorted file ``i`` when ``i mod world_size == rank``, like every datatrove disk reader.

    Args:
        data_folder: the folder to read, as datatrove's readers take it (path, URL, or DataFolder).
        config: the cleaning options (:class:`cleaner.Config`), as ``cleaner clean``'s options make them.
        glob_pattern: which files of the folder to read.
        paths_file, limit, skip, file_progress, doc_progress, adapter, default_metadata, shuffle_files,
            add_file_path: as for datatrove's ``BaseDiskReader``.
    """

    name = BLOCK_NAME

    def __init__(
        self,
        data_folder: DataFolderLike,
        config: Config = Config(),
        glob_pattern: str | None = "**/*.txt",
        paths_file: DataFileLike | None = None,
        limit: int = -1,
        skip: int = 0,
        file_progress: bool = False,
        doc_progress: bool = False,
        adapter: Callable | None = None,
        default_metadata: dict | None = None,
        shuffle_files: bool = False,
        add_file_path: bool = True,
    ):
        super().__init__(
            data_folder,
            paths_file=paths_file,
            limit=limit,
            skip=skip,
            file_progress=file_progress,
            doc_progress=doc_progress,
            adapter=adapter,
            default_metadata=default_metadata,
            glob_pattern=glob_pattern,
            shuffle_files=shuffle_files,
            add_file_path=add_file_path,
        )
        self.config = config

    def read_file(self, filepath: str) -> DocumentsPipeline:
        """The documents of one file; a file that cannot be read or cleaned is logged, counted, skipped."""
        unit = "input_file"
        with self.track_time(unit):
            try:
                with self.data_folder.open(filepath, "rb") as stream:
                    data = stream.read()
            except OSError as error:
                _fail(self, self.data_folder.resolve_paths(filepath), f"cannot read: {error.strerror or error}", unit)
                return
            self.stat_update("input_bytes", value=len(data), unit=unit)
            try:
                page = pipeline.run(data, filepath, self.config)
            except CleanerError as error:
                _fail(self, self.data_folder.resolve_paths(filepath), str(error), unit)
                return
            documents = pipeline.documents(page)
            _count_page(self, page, documents, unit)
        for index, document in enumerate(documents):
            converted = self.get_document_from_dict(document.to_json(), filepath, index)
            if converted:
                yield converted


class CleanerFormatter(PipelineStep):
    """Clean the text of documents already in a pipeline; each gives its cleaned parts (none when only
    boilerplate was left).

    A part keeps the document's metadata and media, adds cleaner's metadata (``source`` is the document's
    id), and has the document's id, or ``id#n`` for part n when the text held several documents.
    """

    name = BLOCK_NAME
    type = "✂️ - FORMAT"

    def __init__(self, config: Config = Config()):
        super().__init__()
        self.config = config.with_(encoding="utf-8")

    def run(self, data: Iterable[DatatroveDocument], rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for document in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                try:
                    # surrogatepass: a lone surrogate becomes bad UTF-8, replaced and counted like any bad byte
                    page = pipeline.run(document.text.encode("utf-8", "surrogatepass"), document.id, self.config)
                except CleanerError as error:
                    _fail(self, document.id, str(error), "doc")
                    self.stat_update(StatHints.dropped)
                    continue
                parts = pipeline.documents(page)
                _count_page(self, page, parts, "doc")
            if not parts:
                self.stat_update(StatHints.dropped)
            for part in parts:
                self.stat_update(StatHints.forwarded)
                yield DatatroveDocument(
                    text=part.text,
                    id=part.id,
                    media=list(document.media),
                    metadata=document.metadata | dict(part.metadata),
                )
