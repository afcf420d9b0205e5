"""Throughput of each pipeline step, of the whole pipeline and of the naive script, in one process and one run.

Run by hand (not a test): ``python benchmarks/steps.py [--files 300] [--runs 3] [--corpus DIR]``.

It builds ``--files`` pages of the throughput benchmark's corpus (:func:`throughput.build_corpus`: varied
scraped pages, half GBK, half UTF-8) in a temporary folder, or takes the ``*.txt`` files of ``--corpus``,
and reads them into memory. Then, ``--runs`` times taking turns (the fastest time of each kept, the one
least slowed down by other jobs on the machine), it times:

* each step of :data:`cleaner.pipeline.STEPS` on every file, then ``documents`` (the metadata records)
  and ``render`` (JSON Lines), each timed on its own;
* the whole pipeline as ``cleaner clean DIR -o OUT`` runs it per file: ``pipeline.run``, ``documents``,
  rendering and an atomic write of the text output;
* the naive script of the throughput benchmark (``chardet.detect``, decode, two regex substitutions,
  write), in this process too, as the baseline.

MB/s are input megabytes over the time taken, for every row, so that rows compare.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import chardet

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import build_corpus  # noqa: E402

from cleaner import pipeline  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.output import render, write_atomic  # noqa: E402
from cleaner.records import Page  # noqa: E402

BREADCRUMB = re.compile(r"^当前位置.*$", re.M)
BLANK_LINES = re.compile(r"\n{3,}")


def per_step(inputs: list[tuple[str, bytes]], config: Config) -> dict[str, float]:
    """Seconds spent in each step (and in ``documents`` and ``render``) over all inputs."""
    spent = {name: 0.0 for name, _ in pipeline.STEPS} | {"documents": 0.0, "render jsonl": 0.0}
    clock = time.perf_counter
    for source, data in inputs:
        page = Page(source=source, data=data)
        for name, step in pipeline.STEPS:
            started = clock()
            page = step(page, config)
            spent[name] += clock() - started
        started = clock()
        documents = pipeline.documents(page)
        spent["documents"] += clock() - started
        started = clock()
        render(documents, "jsonl")
        spent["render jsonl"] += clock() - started
    return spent


def whole(inputs: list[tuple[str, bytes]], config: Config, out: Path) -> float:
    """Seconds for the pipeline, the documents, rendering and writing, as ``clean -o`` does per file."""
    started = time.perf_counter()
    for source, data in inputs:
        documents = pipeline.documents(pipeline.run(data, source, config))
        for index, document in enumerate(documents):
            write_atomic(out / f"{source}.{index}.txt", render([document], "txt").encode("utf-8"))
    return time.perf_counter() - started


def naive(inputs: list[tuple[str, bytes]], out: Path) -> float:
    """Seconds for the naive script's loop body on every input."""
    started = time.perf_counter()
    for source, data in inputs:
        encoding = chardet.detect(data)["encoding"] or "utf-8"
        text = data.decode(encoding, errors="replace")
        text = BLANK_LINES.sub("\n\n", BREADCRUMB.sub("", text))
        with open(out / source, "w", encoding="utf-8") as stream:
            stream.write(text)
    return time.perf_counter() - started


def load(folder: Path) -> list[tuple[str, bytes]]:
    return [(str(path.relative_to(folder)).replace("/", "_"), path.read_bytes()) for path in sorted(folder.rglob("*.txt"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="pages of the benchmark corpus to build")
    parser.add_argument("--corpus", type=Path, help="take the *.txt files of this folder instead")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure; the fastest is kept")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cleaner-steps-"))
    try:
        if args.corpus:
            inputs = load(args.corpus)
        else:
            build_corpus(work / "corpus", args.files)
            inputs = load(work / "corpus")
        total = sum(len(data) for _, data in inputs)
        print(f"corpus: {len(inputs)} files, {total / 1e6:.2f} MB")
        config = Config()
        pipeline.run(inputs[0][1], inputs[0][0], config)  # warm up: rules, tables, compiled patterns
        steps: dict[str, float] = {}
        best = {"whole pipeline": float("inf"), "naive script": float("inf")}
        for run in range(args.runs):
            for name, seconds in per_step(inputs, config).items():
                steps[name] = min(steps.get(name, float("inf")), seconds)
            for name, measure in (("whole pipeline", lambda out: whole(inputs, config, out)),
                                  ("naive script", lambda out: naive(inputs, out))):
                out = work / f"out-{name.split()[0]}-{run}"
                out.mkdir()
                best[name] = min(best[name], measure(out))
                shutil.rmtree(out)
        print(f"\n{'step':<16}{'seconds':>9}{'MB/s':>9}{'share':>8}")
        step_total = sum(steps.values())
        for name, seconds in steps.items():
            print(f"{name:<16}{seconds:>9.3f}{total / 1e6 / seconds:>9.1f}{seconds / step_total:>8.0%}")
        print()
        for name, seconds in best.items():
            print(f"{name:<16}{seconds:>9.3f}{total / 1e6 / seconds:>9.1f}")
        ratio = best["naive script"] / best["whole pipeline"]
        print(f"\nwhole pipeline / naive script: {ratio:.2f}x (issue 5 target for `clean -j1`: >= 10x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
