"""Clean every file of the real corpus, then clean each document's text again: it must come back alone and
unchanged (issue 6). Prints each document that does not, with a diff, and the count.

The corpus is ../shared (the seeds, corpus/pages and every file of corpus/encodings*), or the folders
given:

    python benchmarks/idempotence.py [FOLDER ...]
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from cleaner import CleanerError, clean_bytes, clean_text


def default_folders() -> list[Path]:
    """``shared`` beside the repository or beside a folder holding it (a worktree): its seeds and corpus."""
    for folder in Path(__file__).resolve().parents[1].parents:
        if (folder / "shared" / "corpus").is_dir():
            return [folder / "shared" / "seeds", folder / "shared" / "corpus"]
    sys.exit("shared corpus not found: pass its folders (../shared/seeds ../shared/corpus)")


def inputs(folders: list[Path]) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*")
                  if path.is_file() and path.suffix not in (".md", ".tsv"))


def main(args: list[str]) -> int:
    files = inputs([Path(arg) for arg in args] or default_folders())
    documents = changed = 0
    for path in files:
        try:
            docs = clean_bytes(path.read_bytes(), source=str(path))
        except CleanerError:
            continue
        for doc in docs:
            documents += 1
            again = [other.text for other in clean_text(doc.text)]
            if again != [doc.text]:
                changed += 1
                print(f"{doc.id}: cleaning again gives {len(again)} document(s)")
                diff = difflib.unified_diff(doc.text.splitlines(), "\n\f\n".join(again).splitlines(), lineterm="", n=1)
                for line in list(diff)[2:22]:
                    print(f"    {line[:160]}")
    print(f"{len(files)} files, {documents} documents, {changed} changed by cleaning them again")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
