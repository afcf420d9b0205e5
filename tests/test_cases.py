"""Runs every golden case table in fixtures/cases/*.toml through the whole pipeline."""

import tomllib

import pytest

from cleaner import clean_text
from conftest import FIXTURES


def _cases():
    for table in sorted((FIXTURES / "cases").glob("*.toml")):
        for case in tomllib.loads(table.read_text("utf-8"))["cases"]:
            marks = [pytest.mark.xfail(strict=True, reason=case["comment"])] if case.get("status") == "known-failure" else []
            yield pytest.param(case, id=f"{table.stem}:{case['label']}", marks=marks)


@pytest.mark.parametrize("case", list(_cases()))
def test_case(case):
    assert [doc.text for doc in clean_text(case["input"])] == case["expect"], case["comment"]
