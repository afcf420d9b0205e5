"""Find a run's inputs: files named on the command line, folders walked, standard input (``-``).

Folders are walked depth first with each folder's entries in sorted name order, so a run meets its
inputs in the same order every time and ``-o`` can mirror the tree. Symbolic links met inside a folder
are not followed unless asked (``follow_symlinks``); when they are, a link back to a folder being walked
is reported as a loop instead of being walked forever. A path named on the command line is always
followed. Paths that cannot be taken come out as :class:`Skip` records, never as exceptions.

Names that are not valid UTF-8 are kept as Python keeps them (surrogate escapes), so they are read and
mirrored byte for byte; :func:`display` makes them safe to print.

>>> display("caf\\udce9.txt"), display("two\\nlines.txt")
('caf\\\\xe9.txt', 'two\\\\nlines.txt')
>>> matcher = Matcher(include=("*.txt",), exclude=("drafts/*", "old.txt"))
>>> [matcher.takes_file(path) for path in ("a.txt", "a.md", "sub/old.txt", "drafts/x.txt")]
[True, False, False, False]
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from dataclasses import dataclass
from typing import Iterable, Iterator

STDIN = "-"
STDIN_NAME = "stdin.txt"
DEFAULT_INCLUDE = ("*.txt",)

#: Control characters would break a one-line message; they are shown escaped.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)} | {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


def display(name: str) -> str:
    """``name`` made printable: undecodable bytes as ``\\xNN``, control characters escaped."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name.translate(_CONTROLS)


@dataclass(frozen=True, slots=True)
class Input:
    """One file to clean.

    ``path`` is the path to open (``None`` for standard input), ``source`` the name shown in messages and
    metadata, ``relative`` its place under ``-o`` (``sub/page.txt`` for ``DIR/sub/page.txt``).
    """

    source: str
    path: str | None
    relative: str
    size: int = 0


@dataclass(frozen=True, slots=True)
class Skip:
    """A path that is not cleaned: a failure (``failed``), or a note such as a link not followed."""

    source: str
    reason: str
    failed: bool = True


class Matcher:
    """Which walked files are taken: ``include`` globs, minus ``exclude`` globs (which also prune folders).

    A pattern with a ``/`` is matched against the path relative to the walked folder, any other against
    the name alone. Matching is case-sensitive, as the file system is.
    """

    def __init__(self, include: Iterable[str] = DEFAULT_INCLUDE, exclude: Iterable[str] = ()):
        self._include_name, self._include_path = self._compile(include)
        self._exclude_name, self._exclude_path = self._compile(exclude)

    @staticmethod
    def _compile(patterns: Iterable[str]) -> tuple[re.Pattern | None, re.Pattern | None]:
        by_name = [fnmatch.translate(p) for p in patterns if "/" not in p]
        by_path = [fnmatch.translate(p.strip("/")) for p in patterns if "/" in p]
        return tuple(re.compile("|".join(group)) if group else None for group in (by_name, by_path))

    @staticmethod
    def _matches(name_pattern, path_pattern, relative: str) -> bool:
        name = relative.rpartition("/")[2]
        return bool(name_pattern and name_pattern.match(name) or path_pattern and path_pattern.match(relative))

    def excludes(self, relative: str) -> bool:
        return self._matches(self._exclude_name, self._exclude_path, relative)

    def takes_file(self, relative: str) -> bool:
        return self._matches(self._include_name, self._include_path, relative) and not self.excludes(relative)


def walk(
    paths: Iterable[str],
    include: Iterable[str] = DEFAULT_INCLUDE,
    exclude: Iterable[str] = (),
    follow_symlinks: bool = False,
) -> Iterator[Input | Skip]:
    """Every input under ``paths`` in a stable order, and a :class:`Skip` for each path not taken."""
    matcher = Matcher(include, exclude)
    for raw in paths:
        if raw == STDIN:
            yield Input("<stdin>", None, STDIN_NAME)
            continue
        source = display(raw)
        try:
            info = os.stat(raw)
        except OSError as error:
            yield Skip(source, _stat_failure(raw, error))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(raw, info, matcher, follow_symlinks)
        elif stat.S_ISREG(info.st_mode):
            yield Input(source, raw, os.path.basename(os.path.normpath(raw)), info.st_size)
        else:
            yield Skip(source, "not a regular file")


def _stat_failure(path: str, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and os.path.islink(path):
        return f"dangling symbolic link (to {display(os.readlink(path))})"
    if error.errno == 40:  # ELOOP
        return "symbolic link loop"
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    return f"cannot open: {error.strerror or error}"


def _sorted_entries(folder: str) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _walk_folder(root: str, root_info: os.stat_result, matcher: Matcher, follow: bool) -> Iterator[Input | Skip]:
    """Depth first, entries in name order; an explicit stack, so deep trees cannot overflow Python's."""
    # Each frame: the folder's remaining entries, its path relative to ``root``, and the (device, inode)
    # of it and its ancestors, which is what a link loop leads back to.
    try:
        first = _sorted_entries(root)
    except OSError as error:
        yield Skip(display(root), f"cannot list folder: {error.strerror or error}")
        return
    stack = [(iter(first), "", {(root_info.st_dev, root_info.st_ino): root})]
    real_root = os.path.realpath(root)
    while stack:
        entries, prefix, ancestors = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        relative = prefix + entry.name
        source = display(entry.path)
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as error:  # vanished since listed
            yield Skip(source, f"cannot open: {error.strerror or error}")
            continue
        if is_link:
            link = _follow(entry, relative, source, matcher, follow, ancestors, real_root)
            if link is None or isinstance(link, Skip):
                if link is not None:
                    yield link
                continue
            is_dir, info = link
        elif is_dir:
            info = None
        else:
            if not matcher.takes_file(relative):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as error:
                yield Skip(source, f"cannot open: {error.strerror or error}")
                continue
            if stat.S_ISREG(info.st_mode):
                yield Input(source, entry.path, relative, info.st_size)
            else:
                yield Skip(source, "not a regular file")
            continue
        if is_dir:
            if matcher.excludes(relative):
                continue
            try:
                info = info or entry.stat(follow_symlinks=False)
                if (info.st_dev, info.st_ino) in ancestors:  # a bind mount, or a folder reached through a link
                    yield Skip(source, f"folder loop: it is {display(ancestors[info.st_dev, info.st_ino])}")
                    continue
                children = _sorted_entries(entry.path)
            except OSError as error:
                yield Skip(source, f"cannot list folder: {error.strerror or error}")
                continue
            stack.append((iter(children), relative + "/", {**ancestors, (info.st_dev, info.st_ino): entry.path}))
        else:
            yield Input(source, entry.path, relative, info.st_size)


def _follow(entry: os.DirEntry, relative: str, source: str, matcher: Matcher, follow: bool, ancestors: dict,
            real_root: str):
    """For a symbolic link: ``(is_dir, stat)`` to take it, a :class:`Skip` to report it, ``None`` to pass it by."""
    try:
        info = os.stat(entry.path)
    except OSError as error:
        # Its target is unknown, so it is reported when its name would be taken as a file.
        if not matcher.takes_file(relative):
            return None
        reason = _stat_failure(entry.path, error)
        return Skip(source, reason if follow else f"{reason}, not followed", failed=follow)
    is_dir = stat.S_ISDIR(info.st_mode)
    if (matcher.excludes(relative) if is_dir else not matcher.takes_file(relative)):
        return None
    if not follow:
        kind = "folder" if is_dir else "file"
        return Skip(source, f"symbolic link to a {kind}, not followed (use --follow-symlinks)", failed=False)
    if is_dir and (info.st_dev, info.st_ino) in ancestors:
        return Skip(source, f"symbolic link loop: leads back to {display(ancestors[info.st_dev, info.st_ino])}")
    if is_dir and (real_root + os.sep).startswith(os.path.realpath(entry.path).rstrip(os.sep) + os.sep):
        return Skip(source, "symbolic link loop: leads to a folder that holds the one walked")
    if not is_dir and not stat.S_ISREG(info.st_mode):
        return Skip(source, "not a regular file")
    return is_dir, info
