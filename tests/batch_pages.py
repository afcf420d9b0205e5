"""Varied scraped pages built from the seed fixture, for the batch tests (no file outside ``fixtures/``)."""

import hashlib
import os

from conftest import SEED

SEED_TEXT = (SEED / "seed.utf-8.txt").read_text("utf-8")


def page_text(index: int) -> str:
    """The seed page with its own title and a line of its own; every third one does not split."""
    text = SEED_TEXT.replace("智慧城市发言稿", f"智慧城市发言稿{index}").replace("同志们:", f"同志们(第{index}号):", 1)
    return text.replace("篇二:", "") if index % 3 == 0 else text


def make_pages(folder, count: int, start: int = 0) -> list[str]:
    """``count`` pages under ``folder`` in three sub-folders, alternately GB18030 and UTF-8."""
    names = []
    for index in range(start, start + count):
        name = f"s{index % 3}/page{index:04d}.txt"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page_text(index).encode("gb18030" if index % 2 == 0 else "utf-8"))
        names.append(name)
    return names


def snapshot(folder) -> dict[bytes, str]:
    """Every entry under ``folder`` (names as bytes) with a hash of its content or its link target."""
    found = {}
    root = os.fsencode(folder)
    for current, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(current, name)
            relative = os.path.relpath(path, root)
            if os.path.islink(path):
                found[relative] = "link:" + os.fsdecode(os.readlink(path))
            elif os.path.isdir(path):
                found[relative] = "folder"
            else:
                with open(path, "rb") as stream:
                    found[relative] = hashlib.sha256(stream.read()).hexdigest() + f" {oct(os.stat(path).st_mode)}"
    return found


def files_under(folder) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path, with its bytes."""
    return {
        os.path.relpath(os.path.join(current, name), folder): open(os.path.join(current, name), "rb").read()
        for current, _, names in os.walk(folder)
        for name in names
    }
