"""The one immutable value that holds every cleaning option."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .normalise import DEFAULT_STEPS, PUNCT_DIRECTIONS, STEP_NAMES

ERROR_POLICIES = ("replace", "strict")


@dataclass(frozen=True)
class Config:
    """Options of a cleaning run.

    >>> Config().errors
    'replace'
    >>> Config().with_(encoding="gb18030").encoding
    'gb18030'
    >>> Config(normalise=("spacing", "characters")).normalise
    ('characters', 'spacing')
    """

    #: Python codec to decode with; ``None`` detects it per input.
    encoding: str | None = None
    #: ``replace`` turns undecodable bytes into U+FFFD (and counts them); ``strict`` fails the input.
    errors: str = "replace"
    #: Extra rule files (TOML) loaded after the bundled ones.
    rule_files: tuple[Path, ...] = ()
    #: Normalisation steps to run (``cleaner steps`` lists them); they run in their own order, whatever
    #: the order given here. Default: all but ``reflow``.
    normalise: tuple[str, ...] = DEFAULT_STEPS
    #: Direction of the ``punctuation`` step: ``fullwidth`` (同志们：) or ``ascii`` (同志们:).
    punct: str = "fullwidth"

    def __post_init__(self) -> None:
        if self.errors not in ERROR_POLICIES:
            raise ValueError(f"errors must be one of {', '.join(ERROR_POLICIES)}, not {self.errors!r}")
        unknown = [name for name in self.normalise if name not in STEP_NAMES]
        if unknown:
            raise ValueError(f"unknown normalisation step {unknown[0]!r}; the steps are {', '.join(STEP_NAMES)}")
        object.__setattr__(self, "normalise", tuple(name for name in STEP_NAMES if name in self.normalise))
        if self.punct not in PUNCT_DIRECTIONS:
            raise ValueError(f"punct must be one of {', '.join(PUNCT_DIRECTIONS)}, not {self.punct!r}")

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)
