"""Score cleaning against the annotated doc-farm pages (MANIFEST.tsv of ../shared/corpus/pages).

Prints the share of `keep` sentences kept, of `boilerplate` strings removed, of pages with the document
count a careful editor would make, and every miss. Texts are compared after NFKC and without whitespace,
so that punctuation normalisation (， for ,) does not count as a loss.

    python benchmarks/pages.py [PAGES_DIR]
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

from cleaner import clean_bytes

def default_pages() -> Path:
    """``shared/corpus/pages`` beside the repository or beside a folder holding it (a worktree)."""
    for folder in Path(__file__).resolve().parents[1].parents:
        if (folder / "shared" / "corpus" / "pages").is_dir():
            return folder / "shared" / "corpus" / "pages"
    sys.exit("pages corpus not found: pass its folder (../shared/corpus/pages)")


def canonical(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def score(pages: Path) -> int:
    with open(pages / "MANIFEST.tsv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    kept = keeps = removed = boilerplates = right_counts = 0
    misses = []
    for row in rows:
        docs = clean_bytes((pages / row["file"]).read_bytes(), source=row["file"])
        output = canonical("\n".join(doc.text for doc in docs))
        for sentence in filter(None, (s.strip() for s in row["keep"].split("||"))):
            keeps += 1
            if canonical(sentence) in output:
                kept += 1
            else:
                misses.append(f"{row['file']}: lost keep: {sentence}")
        for junk in filter(None, (s.strip() for s in row["boilerplate"].split("||"))):
            boilerplates += 1
            if canonical(junk) not in output:
                removed += 1
            else:
                misses.append(f"{row['file']}: boilerplate left: {junk}")
        if len(docs) == int(row["expected_docs"]):
            right_counts += 1
        else:
            misses.append(f"{row['file']}: {len(docs)} documents, expected {row['expected_docs']}")
    print(f"pages: {len(rows)}")
    print(f"keep sentences kept:      {kept}/{keeps} = {kept / keeps:.1%}  (target 100%)")
    print(f"boilerplate removed:      {removed}/{boilerplates} = {removed / boilerplates:.1%}  (target >= 97%)")
    print(f"right document count:     {right_counts}/{len(rows)} = {right_counts / len(rows):.1%}  (target >= 95%)")
    print("misses:")
    for miss in misses:
        print("  " + miss)
    return 0 if kept == keeps else 1


if __name__ == "__main__":
    sys.exit(score(Path(sys.argv[1]) if len(sys.argv) > 1 else default_pages()))
