"""Immutable records that the pipeline steps return.

Every step adds what it did to a :class:`Page`; JSONL metadata, ``--explain`` and the run summary are
renderings of these records, never separate bookkeeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping


@dataclass(frozen=True)
class Detection:
    """The encoding chosen for some bytes, how sure we are, and how it was decided."""

    encoding: str
    confidence: float
    method: str
    reason: str = ""


@dataclass(frozen=True)
class Removal:
    """A span of text a rule removed: ``text`` stood at ``start`` in the text the step received."""

    rule: str
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Part:
    """One document cut out of a page by the split step."""

    text: str
    title: str | None = None
    marker: str | None = None
    truncated: bool = False
    #: What stripping the part as a document of its own removed (see :func:`cleaner.split.settle`); the
    #: page's removals are the page's.
    removals: tuple[Removal, ...] = ()


@dataclass(frozen=True)
class Page:
    """The state of one input as it goes through the pipeline.

    Each step returns a new ``Page`` with its own fields filled in; nothing is mutated.
    """

    source: str
    #: The input's bytes, until the decode step has read them (then ``b""``: the text holds the page).
    data: bytes = b""
    #: How many bytes the input had.
    size: int = 0
    detection: Detection | None = None
    text: str = ""
    replaced: int = 0
    repairs: tuple[str, ...] = ()
    page_title: str | None = None
    removals: tuple[Removal, ...] = ()
    parts: tuple[Part, ...] = ()
    #: Normalisation steps applied to the parts, in the order they ran; ``punct`` is the direction of
    #: the punctuation step (``None`` when it did not run).
    normalised: tuple[str, ...] = ()
    punct: str | None = None

    @property
    def all_removals(self) -> tuple[Removal, ...]:
        """The page's removals, then those made when its parts were stripped as documents of their own."""
        return self.removals + tuple(removal for part in self.parts for removal in part.removals)

    @property
    def rules_fired(self) -> tuple[str, ...]:
        """Names of the rules that removed something, in first-fired order, each once."""
        return tuple(dict.fromkeys(r.rule for r in self.all_removals))

    @property
    def removed_chars(self) -> int:
        return sum(len(r.text) for r in self.all_removals)


@dataclass(frozen=True)
class Document:
    """One cleaned output document: the ``{"id", "text", "metadata"}`` shape of datatrove and dolma."""

    id: str
    text: str
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    @property
    def title(self) -> str | None:
        return self.metadata.get("title")

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "metadata": dict(self.metadata)}
