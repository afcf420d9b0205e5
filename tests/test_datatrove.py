"""cleaner.integrations.datatrove: the same documents as the CLI, through a real datatrove executor."""

import gzip
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Config, clean_text
from cleaner.cli import main
from conftest import SEED, SEED_VARIANTS

INTEGRATION = "cleaner.integrations.datatrove"


def test_without_the_extra_the_import_says_what_to_install(monkeypatch):
    """As without the extra: datatrove's folder is not on the path and it was never imported."""
    installed = importlib.util.find_spec("datatrove")
    if installed:
        site = Path(installed.origin).parent.parent.resolve()
        monkeypatch.setattr(sys, "path", [entry for entry in sys.path if Path(entry).resolve() != site])
    for name in list(sys.modules):
        if name == INTEGRATION or name.split(".")[0] == "datatrove":
            monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError) as caught:
        importlib.import_module(INTEGRATION)
    assert str(caught.value) == (
        "cleaner.integrations.datatrove needs datatrove: pip install 'cleaner[datatrove]'"
        " (No module named 'datatrove')"
    )


def test_the_core_and_the_cli_never_import_datatrove():
    probe = "import sys, cleaner, cleaner.cli, cleaner.integrations; print(sorted(m for m in sys.modules if 'datatrove' in m))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


@pytest.fixture
def datatrove():
    return pytest.importorskip("datatrove")


@pytest.fixture
def logged(datatrove):
    """The warnings datatrove's logger receives during the test."""
    from datatrove.utils.logging import logger

    messages = []
    sink = logger.add(messages.append, format="{message}", level="WARNING")
    yield messages
    logger.remove(sink)


@pytest.fixture
def scraped(tmp_path, monkeypatch):
    """tmp_path/scraped: the seed in five encodings, six small pages in sub-folders, a page that is only
    boilerplate, two bad inputs (not text; a dangling link) and a file the walk skips. 14 inputs."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "scraped"
    (root / "sub" / "deeper").mkdir(parents=True)
    for name in SEED_VARIANTS:
        (root / name).write_bytes((SEED / name).read_bytes())
    for number in range(1, 7):
        text = f"这是第{number}页的正文，讲的是第{number}件事。\n\n下面说说细节：一切顺利。\n\n相关主题\n其他范文"
        (root / "sub" / f"page-{number:02}.txt").write_bytes(text.encode("gb18030" if number % 2 else "utf-8"))
    (root / "empty.txt").write_bytes(b"")
    (root / "sub" / "deeper" / "not-text.txt").write_bytes(b"\xff\xfe" + b"\x00\xdc" * 50)
    (root / "sub" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "notes.md").write_text("not walked: only *.txt files are")
    return root


def cli_documents(prefix="scraped/"):
    """The CLI's JSONL for ./scraped, with sources made relative to it as datatrove names files."""
    result = CliRunner().invoke(main, ["clean", "--format", "jsonl", "scraped"])
    assert result.exit_code == 1  # the two bad inputs
    messages = sorted(result.stderr.splitlines())
    # The CLI notes a link it does not follow; datatrove's reader tries to read it and fails (see below).
    assert messages[1].startswith("cleaner: scraped/sub/dangling.txt: dangling symbolic link (to ")
    assert messages[1].endswith("nowhere.txt), not followed")
    assert messages[:1] + messages[2:] == [
        "cleaner: scraped/empty.txt: no document left after cleaning (only boilerplate or empty)",
        "cleaner: scraped/sub/deeper/not-text.txt: not text in any supported encoding (more than 5 of 102 bytes are not valid utf-16)",
    ]
    documents = []
    for line in result.stdout.splitlines():
        record = json.loads(line)
        assert record["id"].startswith(prefix) and record["metadata"]["source"].startswith(prefix)
        record["id"] = record["id"].removeprefix(prefix)
        record["metadata"]["source"] = record["metadata"]["source"].removeprefix(prefix)
        documents.append(record)
    return documents


def written_documents(root, out):
    """The documents datatrove's JsonlWriter wrote, with the full ``file_path`` checked and dropped."""
    documents = []
    for path in sorted(out.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                record = json.loads(line)
                assert record["metadata"].pop("file_path") == str(root / record["metadata"]["source"])
                documents.append(record)
    return documents


def canonical(documents):
    return sorted(json.dumps(document, ensure_ascii=False, sort_keys=True) for document in documents)


def executor(root, tmp_path):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerReader

    return LocalPipelineExecutor(
        pipeline=[CleanerReader(str(root)), JsonlWriter(str(tmp_path / "out"))],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    )


def total(stat):
    """A count as datatrove saves it: a number, or a dict with the total when the stat has a unit."""
    return stat if isinstance(stat, (int, float)) else stat["total"]


def test_a_two_task_pipeline_writes_the_documents_of_the_cli_and_resumes(datatrove, scraped, tmp_path):
    expected = cli_documents()
    assert len(expected) == 16  # 5 seeds of 2 parts, 6 pages

    executor(scraped, tmp_path).run()
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["00000.jsonl.gz", "00001.jsonl.gz"]
    assert canonical(written_documents(scraped, out)) == canonical(expected)

    # The run's stats, merged over the tasks as datatrove saves them; the reader's block comes first.
    blocks = json.loads((tmp_path / "logs" / "stats.json").read_text("utf-8"))
    reader = {key: total(value) for key, value in blocks[0]["stats"].items()}
    encodings = Counter(doc["metadata"]["encoding"] for doc in expected if doc["metadata"]["part"] == 1)
    encodings["utf-8"] += 1  # empty.txt, which gives no document
    assert {key: value for key, value in reader.items() if key.startswith("encoding_")} == {
        f"encoding_{name}": count for name, count in encodings.items()
    }
    assert {key: reader[key] for key in ("input_files", "documents", "failed_input_files", "empty_input_files")} == {
        "input_files": 14, "documents": 16, "failed_input_files": 2, "empty_input_files": 1,
    }
    assert reader["removed_chars"] == sum(
        document["metadata"]["removed_chars"] for document in expected if document["metadata"]["part"] == 1
    )
    assert reader["input_bytes"] == sum(p.stat().st_size for p in scraped.rglob("*.txt") if p.exists())
    # Each bad input is one warning in its task's log, like the CLI's line but with the full path.
    logged = [line.split(" - ", 1)[1] for path in sorted((tmp_path / "logs" / "logs").glob("task_*.log"))
              for line in path.read_text("utf-8").splitlines() if "WARNING" in line and " - cleaner: " in line]
    assert sorted(logged) == [
        f"cleaner: {scraped}/sub/dangling.txt: cannot read: No such file or directory",
        f"cleaner: {scraped}/sub/deeper/not-text.txt: not text in any supported encoding (more than 5 of 102 bytes are not valid utf-16)",
    ]

    # A second run skips both completed tasks: nothing is written again.
    written_by_task_1 = (out / "00001.jsonl.gz").read_bytes()
    for path in out.iterdir():
        path.unlink()
    assert executor(scraped, tmp_path).run() is None
    assert list(out.iterdir()) == []

    # With task 1 no longer marked complete, only task 1 runs again, and writes what it wrote before.
    (tmp_path / "logs" / "completions" / "00001").unlink()
    executor(scraped, tmp_path).run()
    assert [p.name for p in out.iterdir()] == ["00001.jsonl.gz"]
    assert gzip.decompress((out / "00001.jsonl.gz").read_bytes()) == gzip.decompress(written_by_task_1)


def test_each_rank_reads_sorted_file_i_mod_world_size(datatrove, scraped):
    from cleaner.integrations.datatrove import CleanerReader

    reader = CleanerReader(str(scraped), glob_pattern="sub/*.txt")
    sources = [[doc.metadata["source"] for doc in reader(rank=rank, world_size=3)] for rank in range(3)]
    assert sources == [
        ["sub/page-03.txt", "sub/page-06.txt"],  # and first sub/dangling.txt, which fails
        ["sub/page-01.txt", "sub/page-04.txt"],
        ["sub/page-02.txt", "sub/page-05.txt"],
    ]


def test_reader_takes_the_cli_options_as_a_config(datatrove, scraped, logged):
    from cleaner.integrations.datatrove import CleanerReader

    config = Config(encoding="gb18030", errors="strict")
    reader = CleanerReader(str(scraped), config=config, glob_pattern="sub/page-0[12].txt")
    documents = list(reader())
    assert [(doc.id, doc.metadata["encoding"], doc.metadata["encoding_method"]) for doc in documents] == [
        ("sub/page-01.txt", "gb18030", "given"),
    ]
    assert documents[0].text == "这是第1页的正文，讲的是第1件事。\n\n下面说说细节：一切顺利。"
    # page-02 is UTF-8: as with `cleaner clean --encoding gb18030 --errors strict`, it fails; the task goes on
    assert logged == [
        f"cleaner: {scraped}/sub/page-02.txt: byte 8 is not valid gb18030 (illegal multibyte sequence); --errors strict\n"
    ]


def test_formatter_cleans_and_splits_documents_in_a_pipeline(datatrove, logged):
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerFormatter

    seed = (SEED / "seed.utf-8.txt").read_text("utf-8")
    incoming = [
        Document(text=seed, id="seed", metadata={"url": "https://example.com/seed"}),
        Document(text="相关主题\n其他范文", id="only-boilerplate"),
        Document(text="\udc80" * 50, id="lone-surrogates"),
    ]
    formatter = CleanerFormatter()
    outgoing = list(formatter.run(iter(incoming)))
    expected = clean_text(seed, source="seed")
    assert [(doc.id, doc.text) for doc in outgoing] == [("seed#1", expected[0].text), ("seed#2", expected[1].text)]
    assert [doc.metadata for doc in outgoing] == [
        {"url": "https://example.com/seed"} | dict(part.metadata) for part in expected
    ]
    assert logged == ["cleaner: lone-surrogates: more than 7 of 150 bytes are not valid utf-8\n"]
    counts = {key: total(value) for key, value in formatter.stats.stats.to_dict().items()}
    assert {key: counts[key] for key in ("total", "forwarded", "dropped", "failed_docs", "empty_docs")} == {
        "total": 3, "forwarded": 2, "dropped": 2, "failed_docs": 1, "empty_docs": 1,
    }
