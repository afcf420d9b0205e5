"""The one immutable value that holds every cleaning option."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

ERROR_POLICIES = ("replace", "strict")


@dataclass(frozen=True)
class Config:
    """Options of a cleaning run.

    >>> Config().errors
    'replace'
    >>> Config().with_(encoding="gb18030").encoding
    'gb18030'
    """

    #: Python codec to decode with; ``None`` detects it per input.
    encoding: str | None = None
    #: ``replace`` turns undecodable bytes into U+FFFD (and counts them); ``strict`` fails the input.
    errors: str = "replace"
    #: Extra rule files (TOML) loaded after the bundled ones.
    rule_files: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        if self.errors not in ERROR_POLICIES:
            raise ValueError(f"errors must be one of {', '.join(ERROR_POLICIES)}, not {self.errors!r}")

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)
