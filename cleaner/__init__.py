"""cleaner: turn text scraped from Chinese document-sharing sites into clean, split, UTF-8 documents.

>>> docs = clean_bytes("当前位置:文档之家› 标题\\n\\n正文。".encode("gb18030"))
>>> docs[0].text, docs[0].metadata["encoding"]
('标题\\n\\n正文。', 'gb18030')
"""

__version__ = "0.1.0"

from .config import Config  # noqa: E402
from .errors import BinaryInputError, CleanerError, OutputError, UndecodableError  # noqa: E402
from .pipeline import STEPS, clean_bytes, clean_text, run  # noqa: E402
from .records import Detection, Document, Page, Part, Removal  # noqa: E402

__all__ = [
    "STEPS", "BinaryInputError", "CleanerError", "Config", "Detection", "Document", "OutputError", "Page",
    "Part", "Removal", "UndecodableError", "clean_bytes", "clean_text", "run",
]
