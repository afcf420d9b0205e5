from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=150)
settings.register_profile("fuzz", max_examples=20_000)
settings.load_profile("ci")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "seed"
SEED_VARIANTS = {
    "seed.utf-8.txt": "utf-8",
    "seed.utf-8-sig.txt": "utf-8-sig",
    "seed.gb18030.txt": "gb18030",
    "seed.gbk.txt": "gb18030",
    "seed.utf-16.txt": "utf-16",
}


@pytest.fixture
def seed_dir(tmp_path, monkeypatch):
    """A temp copy of the seed fixtures, as the current folder."""
    for name in SEED_VARIANTS:
        (tmp_path / name).write_bytes((SEED / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path
