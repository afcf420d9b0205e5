"""Golden pages: a representative page of each site family, cleaned to the expected text and JSONL."""

import csv
import json
import unicodedata

import pytest

from cleaner import clean_bytes
from cleaner.output import render
from conftest import FIXTURES

PAGES = FIXTURES / "pages"
NAMES = sorted(p.name for p in PAGES.glob("*.txt"))


def _canonical(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _manifest() -> dict[str, dict]:
    with open(PAGES / "MANIFEST.tsv", encoding="utf-8", newline="") as stream:
        return {row["file"]: row for row in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)}


def test_every_page_has_its_expected_outputs_and_manifest_row():
    assert len(NAMES) >= 15
    assert set(_manifest()) == set(NAMES)
    for name in NAMES:
        assert (PAGES / "expected" / name).exists() and (PAGES / "expected" / name.replace(".txt", ".jsonl")).exists()


@pytest.mark.parametrize("name", NAMES)
def test_page_cleans_to_its_golden_text_and_jsonl(name):
    docs = clean_bytes((PAGES / name).read_bytes(), source=name)
    assert render(docs, "txt") == (PAGES / "expected" / name).read_text("utf-8")
    expected = [json.loads(line) for line in (PAGES / "expected" / name.replace(".txt", ".jsonl")).read_text("utf-8").splitlines()]
    assert [doc.to_json() for doc in docs] == expected


@pytest.mark.parametrize("name", NAMES)
def test_page_keeps_every_keep_sentence(name):
    output = _canonical("\n".join(doc.text for doc in clean_bytes((PAGES / name).read_bytes(), source=name)))
    for sentence in filter(None, (s.strip() for s in _manifest()[name]["keep"].split("||"))):
        assert _canonical(sentence) in output
