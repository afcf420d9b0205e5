"""Throughput of a datatrove pipeline with CleanerReader against `cleaner clean`, on the same corpus.

Builds a corpus of FILES scraped pages (default 3000) from ../shared/seeds and ../shared/corpus/pages,
re-encoded in turn as UTF-8, GB18030, GBK and UTF-16 and spread over nested folders, then cleans it to
JSON Lines three ways, each on JOBS worker processes (default 2):

* `cleaner clean --format jsonl CORPUS > out.jsonl`, with `-j JOBS` when this build of the command
  has it (otherwise one process, and the line says so): the baseline;
* JOBS processes of `cleaner clean --shard I/JOBS` side by side, each to its own file;
* datatrove's LocalPipelineExecutor over [CleanerReader(CORPUS), JsonlWriter(OUT, compression=None)]
  with tasks=workers=JOBS.

Each is timed from process start to exit (wall clock, best of REPEAT rounds of the three) and reported in MB/s of input and
as a ratio to the baseline's time (above 1: faster). The document counts of the three outputs must agree.
Other work on the machine slows parallel runs most: run it on an idle machine.

    python benchmarks/datatrove_vs_cli.py [--files 3000] [--jobs 2] [--repeat 3] [--shared ../shared]

Needs the extra: pip install '.[datatrove]'.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner.detect import detect

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ENCODINGS = ("utf-8", "gb18030", "gbk", "utf-16")


def build_corpus(shared: Path, root: Path, files: int) -> int:
    """Write ``files`` pages under ``root`` (in 40 folders of 2 levels); return the bytes written."""
    texts = []
    for folder in (shared / "seeds", shared / "corpus" / "pages"):
        for path in sorted(folder.glob("*.txt")):
            data = path.read_bytes()
            texts.append(data.decode(detect(data).encoding))
    if not texts:
        raise SystemExit(f"{shared}: no seeds/*.txt nor corpus/pages/*.txt (give the shared folder with --shared)")
    total = 0
    for index in range(files):
        text = texts[index % len(texts)]
        encoding = ENCODINGS[index % len(ENCODINGS)]
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:  # a character GBK lacks
            data = text.encode("gb18030")
        path = root / f"{index % 8}" / f"{index % 5}" / f"page-{index:05}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def has_jobs_option() -> bool:
    help_text = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--help"],
                               capture_output=True, text=True, check=True).stdout
    return "--jobs" in help_text


def timed(commands: list[list[str]], outputs: list[Path]) -> float:
    """Run the commands side by side, each with standard output to its file; seconds until all exit."""
    start = time.perf_counter()
    processes = []
    for command, output in zip(commands, outputs):
        with open(output, "wb") as stream:
            processes.append(subprocess.Popen(command, stdout=stream, stderr=subprocess.DEVNULL))
    codes = [process.wait() for process in processes]
    elapsed = time.perf_counter() - start
    if any(code not in (0, 1) for code in codes):  # 1: some input failed, which the counts show
        raise SystemExit(f"a run failed: exit codes {codes} for {commands}")
    return elapsed


def count_lines(paths) -> int:
    return sum(path.read_bytes().count(b"\n") for path in paths)


def run_datatrove(corpus: str, out: str, logs: str, jobs: int) -> None:
    """The datatrove run itself (in its own process, so that it is timed from start like the CLI)."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerReader

    LocalPipelineExecutor(
        pipeline=[CleanerReader(corpus), JsonlWriter(out, compression=None)],
        tasks=jobs, workers=jobs, logging_dir=logs,
    ).run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (../shared)")
    parser.add_argument("--run-datatrove", nargs=3, metavar=("CORPUS", "OUT", "LOGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_datatrove:
        run_datatrove(*args.run_datatrove, args.jobs)
        return 0

    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as temporary:
        work = Path(temporary)
        corpus = work / "corpus"
        size = build_corpus(args.shared, corpus, args.files)
        megabytes = size / 1e6
        print(f"corpus: {args.files} files, {megabytes:.1f} MB, {args.jobs} jobs, best of {args.repeat}")
        cleaner = [sys.executable, "-m", "cleaner", "clean", "--format", "jsonl", "-q", str(corpus)]
        jobs = args.jobs
        parallel = has_jobs_option()
        baseline = f"cleaner clean -j{jobs}" if parallel else "cleaner clean (no -j here: 1 process)"
        datatrove = [sys.executable, __file__, "--jobs", str(jobs), "--run-datatrove", str(corpus)]
        # name -> (its commands in round n, command i writing to work/RUN-n-i.out; the outputs of round n)
        runs = {
            baseline: (
                lambda n: [cleaner + (["-j", str(jobs)] if parallel else [])],
                lambda n: work.glob(f"0-{n}-*.out"),
            ),
            f"cleaner clean --shard I/{jobs}, {jobs} processes": (
                lambda n: [cleaner + ["--shard", f"{i}/{jobs}"] for i in range(jobs)],
                lambda n: work.glob(f"1-{n}-*.out"),
            ),
            f"datatrove CleanerReader, {jobs} tasks, {jobs} workers": (
                lambda n: [datatrove + [str(work / f"dt-{n}"), str(work / f"logs-{n}")]],
                lambda n: (work / f"dt-{n}").glob("*.jsonl"),
            ),
        }
        best = {name: float("inf") for name in runs}
        for n in range(args.repeat):  # rounds of all three, so that other work slows each alike
            for number, (name, (commands_of, _)) in enumerate(runs.items()):
                commands = commands_of(n)
                elapsed = timed(commands, [work / f"{number}-{n}-{i}.out" for i in range(len(commands))])
                best[name] = min(best[name], elapsed)
        results = [(name, best[name], count_lines(documents_of(args.repeat - 1)))
                   for name, (_, documents_of) in runs.items()]
        print(f"{'':<48} {'seconds':>8} {'MB/s':>6} {'ratio':>6}  documents")
        for name, seconds, documents in results:
            print(f"{name:<48} {seconds:8.2f} {megabytes / seconds:6.2f} {results[0][1] / seconds:6.2f}  {documents}")
        if len({documents for *_, documents in results}) != 1:
            print("the document counts differ")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
