"""Throughput of ``cleaner clean`` on a folder of scraped pages, against baselines measured in the same run.

Run by hand (not a test): ``python benchmarks/throughput.py [--files 3000] [--runs 3] [--big-mb 200]``.

It builds a corpus of varied scraped pages (half GBK, half UTF-8) from the seed and the shared page
excerpts in a temporary folder, then times on that corpus, each ``--runs`` times taking turns (the
fastest time kept, as the one least slowed down by other jobs on the machine):

* ``cleaner clean DIR -o OUT -j1`` and ``-j2`` (the installed console script, start-up included);
* the naive script a user would write: ``chardet.detect`` on every file, decode, two regex
  substitutions, write;
* a shell loop running ``iconv -f gb18030 -t utf-8`` once per file;
* the floor: the part of cleaner's job that no cleaning can skip, in one process: read each file,
  detect and decode it with cleaner's own detection, write it as UTF-8 (temporary file and rename),
  and nothing else (no cleaning);
* ``cleaner clean --format jsonl DIR > corpus.jsonl`` (streaming);

and prints MB/s, the ratios and the peak memory: the largest process's peak RSS (``ru_maxrss``) and the
whole process tree's peak PSS (sampled from ``/proc``, so shared pages of forked workers count once).
With ``--big-mb N`` it also pipes one N MB GBK page through ``cat big | cleaner clean - > out``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: ``../shared`` from the repository root; from a worktree under /work/wt, the one beside the main checkout.
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
SOURCES = [SHARED / "seeds", SHARED / "corpus" / "pages", ROOT / "fixtures" / "seed"]
BOILERPLATE_HEAD = ["当前位置:文档之家> {title}", "{title}", "", "{title}", ""]
BOILERPLATE_TAIL = ["", "相关主题", "{title}范文", "{title}心得体会", "{title}总结"]
TARGET_BYTES = 10_000

NAIVE_SCRIPT = r'''
import chardet, os, re, sys
src, dst = sys.argv[1:3]
BREADCRUMB = re.compile(r"^当前位置.*$", re.M)
BLANK_LINES = re.compile(r"\n{3,}")
for folder, _, names in os.walk(src):
    for name in names:
        path = os.path.join(folder, name)
        data = open(path, "rb").read()
        encoding = chardet.detect(data)["encoding"] or "utf-8"
        text = data.decode(encoding, errors="replace")
        text = BLANK_LINES.sub("\n\n", BREADCRUMB.sub("", text))
        out = os.path.join(dst, os.path.relpath(path, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as stream:
            stream.write(text)
'''

FLOOR_SCRIPT = r'''
import os, sys, tempfile
from cleaner.decode import decode_bytes
from cleaner.detect import detect
src, dst = sys.argv[1:3]
for folder, _, names in os.walk(src):
    for name in names:
        path = os.path.join(folder, name)
        data = open(path, "rb").read()
        text, _ = decode_bytes(data, detect(data).encoding)
        out = os.path.join(dst, os.path.relpath(path, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(out), prefix=".floor-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
        os.replace(temporary, out)
'''

ICONV_LOOP = r'''
cd "$1" && find . -name '*.txt' | while IFS= read -r f; do
    mkdir -p "$2/$(dirname "$f")"
    iconv -f gb18030 -t utf-8 "$f" > "$2/$f" 2>/dev/null
done
'''


def source_lines() -> list[str]:
    lines = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            data = path.read_bytes()
            for codec in ("utf-8", "gb18030", "utf-16"):
                try:
                    text = data.decode(codec)
                    break
                except UnicodeDecodeError:
                    continue
            for line in text.splitlines():
                # Sentences, so that pages are many different mixes; a paragraph is one to four of them.
                lines += [part.strip("\ufeff \t") + "。" for part in line.split("。") if len(part.strip()) > 8]
    sentences = sorted(set(lines))
    rng = random.Random(2)
    return sorted({"".join(rng.sample(sentences, rng.randint(1, 4))) for _ in range(20 * len(sentences))})


def build_corpus(folder: Path, files: int, seed: int = 0) -> int:
    """``files`` pages in 30 sub-folders, alternately GBK and UTF-8; returns the total bytes."""
    rng = random.Random(seed)
    lines = source_lines()
    gbk_lines = [line for line in lines if _encodes(line, "gbk")]
    total = 0
    for index in range(files):
        codec = "gbk" if index % 2 == 0 else "utf-8"
        pool = gbk_lines if codec == "gbk" else lines
        title = rng.choice(pool)[:24]
        body, size = [], 0
        per_char = 2 if codec == "gbk" else 3
        while size < TARGET_BYTES:
            line = rng.choice(pool)
            body += [line, ""]
            size += (len(line) + 1) * per_char
        if rng.random() < 0.3:  # a glued second document
            middle = len(body) // 2
            body[middle] = f"篇二:{rng.choice(pool)[:20]}" + body[middle]
        head = [line.format(title=title) for line in BOILERPLATE_HEAD] if index % 3 else []
        tail = [line.format(title=title) for line in BOILERPLATE_TAIL] if index % 4 == 0 else []
        text = "\n".join([*head, *body, *tail]) + "\n"
        path = folder / f"site{index % 30:02d}" / f"page{index:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode(codec)
        path.write_bytes(data)
        total += len(data)
    return total


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


def _tree_pss(pid: int) -> int:
    """Proportional set size of a process and its descendants, in bytes."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as stream:
                total += next(int(line.split()[1]) * 1024 for line in stream if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    stack += [int(child) for child in stream.read().split()]
        except (OSError, StopIteration):
            continue
    return total


def measure(command: list[str], stdin=None, stdout=None) -> tuple[float, int, int]:
    """Seconds, the largest process's peak RSS and the tree's peak PSS (bytes) of one command."""
    wrapper = [sys.executable, "-c", (
        "import resource, subprocess, sys\n"
        "code = subprocess.call(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, code, file=sys.stderr)\n"
    ), *command]
    started = time.perf_counter()
    process = subprocess.Popen(wrapper, stdin=stdin, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss
        while not done.is_set():
            peak_pss = max(peak_pss, _tree_pss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    rss, code = err.decode().split()[-2:]
    if code not in ("0", "1"):
        raise SystemExit(f"{command} failed ({code}): {err.decode()[-2000:]}")
    return elapsed, int(rss), peak_pss


def best_of(runs: int, commands: dict, work: Path) -> dict[str, tuple[float, int, int]]:
    """Each command ``runs`` times, taking turns so that a burst of other load hits all of them alike;
    the fastest time of each is kept (the run least slowed down by other processes), and its highest
    memory."""
    results: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command_for in commands.items():
            command, output, stdout = command_for()
            if stdout is not None:
                with open(work / stdout, "wb") as sink:
                    results[name].append(measure(command, stdout=sink))
            else:
                results[name].append(measure(command))
            if output is not None:
                shutil.rmtree(output, ignore_errors=True)
    return {name: (min(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs))
            for name, runs in results.items()}


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_parallelism() -> float:
    """How much faster two processes run a pure-Python loop than one, right now (other load included)."""
    import multiprocessing

    work = [2_000_000] * 8
    started = time.perf_counter()
    for n in work:
        _spin(n)
    serial = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        pool.map(_spin, work, chunksize=1)
        parallel = time.perf_counter() - started
    return serial / parallel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the fastest is kept")
    parser.add_argument("--big-mb", type=float, default=0, help="also stream one page of this many MB")
    parser.add_argument("--big-whole", action="store_true",
                        help="make it of lines that cleaning keeps whole (slow: the split step on one huge part)")
    parser.add_argument("--big-only", action="store_true", help="only stream the --big-mb page")
    parser.add_argument("--workdir", help="where to build the corpus and write (default: the temp folder)")
    args = parser.parse_args()
    cleaner = shutil.which("cleaner", path=os.path.dirname(sys.executable)) or shutil.which("cleaner")
    work = Path(tempfile.mkdtemp(prefix="cleaner-bench-", dir=args.workdir))
    try:
        if args.big_only:
            stream_big(cleaner, work, args.big_mb, args.big_whole)
            return
        corpus = work / "corpus"
        total = build_corpus(corpus, args.files)
        print(f"corpus: {args.files} files, {total / 1e6:.1f} MB (half GBK, half UTF-8) in {corpus}")
        naive = work / "naive.py"
        naive.write_text(NAIVE_SCRIPT)
        floor = work / "floor.py"
        floor.write_text(FLOOR_SCRIPT)
        outputs = iter(range(10**6))

        def out() -> Path:
            return work / f"out{next(outputs)}"

        def cleaner_run(jobs: int):
            target = out()
            return [cleaner, "clean", str(corpus), "-o", str(target), "-j", str(jobs)], target, None

        def naive_run():
            target = out()
            return [sys.executable, str(naive), str(corpus), str(target)], target, None

        def floor_run():
            target = out()
            return [sys.executable, str(floor), str(corpus), str(target)], target, None

        def iconv_run():
            target = out()
            return ["bash", "-c", ICONV_LOOP, "iconv", str(corpus), str(target)], target, None

        commands = {
            "cleaner -j1": lambda: cleaner_run(1),
            "cleaner -j2": lambda: cleaner_run(2),
            "naive script": naive_run,
            "iconv loop": iconv_run,
            "floor (no cleaning)": floor_run,
            "cleaner jsonl -j2 > file": lambda: (
                [cleaner, "clean", "--format", "jsonl", "-j", "2", str(corpus)], None, "corpus.jsonl"),
        }
        headroom_before = machine_parallelism()
        timings = best_of(args.runs, commands, work)
        print(f"\n{'command':<26}{'seconds':>9}{'MB/s':>8}{'peak RSS':>11}{'tree PSS':>11}")
        for name, (seconds, rss, pss) in timings.items():
            print(f"{name:<26}{seconds:>9.2f}{total / 1e6 / seconds:>8.1f}{rss / 1e6:>8.0f} MB{pss / 1e6:>8.0f} MB")
        speed = {name: total / seconds for name, (seconds, _, _) in timings.items()}
        print(
            f"\ncleaner -j1 / naive script: {speed['cleaner -j1'] / speed['naive script']:.1f}x (target >= 10x)\n"
            f"cleaner -j1 / iconv loop:   {speed['cleaner -j1'] / speed['iconv loop']:.1f}x (target > 1x)\n"
            f"cleaner -j2 / cleaner -j1:  {speed['cleaner -j2'] / speed['cleaner -j1']:.2f}x (target >= 1.7x)\n"
            f"floor / naive script:       {speed['floor (no cleaning)'] / speed['naive script']:.1f}x "
            f"(read, detect, decode, write and nothing else: a bound on cleaner -j1)\n"
            f"two processes / one on this machine now (a pure-Python loop): {headroom_before:.2f}x before, "
            f"{machine_parallelism():.2f}x after (2.0 on an idle 2-core machine)"
        )
        if args.big_mb:
            stream_big(cleaner, work, args.big_mb, args.big_whole)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def untouched_lines() -> list[str]:
    """Source lines that no rule removes and no split form cuts: a page of them is kept whole, the case
    in which cleaning holds the most text."""
    from cleaner import pipeline

    lines = []
    for line in source_lines():
        if _encodes(line, "gbk"):
            page = pipeline.run(line.encode("utf-8"), "line")
            if not page.all_removals and len(page.parts) == 1:
                lines.append(line)
    return lines


def build_big(big: Path, megabytes: float, whole: bool = False) -> None:
    """One page of ``megabytes`` MB of GBK under a breadcrumb, of random source lines (some rule cuts most
    of it), or with ``whole`` of lines kept whole (see :func:`untouched_lines`)."""
    rng = random.Random(1)
    lines = untouched_lines() if whole else [line for line in source_lines() if _encodes(line, "gbk")]
    with open(big, "wb") as stream:
        stream.write("当前位置:文档之家> 一个很大的页面\n\n".encode("gbk"))
        written = 0
        while written < megabytes * 1e6:
            block = "\n\n".join(rng.choice(lines) for _ in range(1000)).encode("gbk") + b"\n\n"
            stream.write(block)
            written += len(block)


def stream_big(cleaner: str, work: Path, megabytes: float, whole: bool = False) -> None:
    """One page of ``megabytes`` MB of GBK through a pipe: ``cat big | cleaner clean - > out``."""
    big = work / "big.txt"
    build_big(big, megabytes, whole)
    with open(work / "big.out", "wb") as sink:
        cat = subprocess.Popen(["cat", str(big)], stdout=subprocess.PIPE)
        seconds, rss, pss = measure([cleaner, "clean", "-"], stdin=cat.stdout, stdout=sink)
        cat.stdout.close()
        cat.wait()
    size = big.stat().st_size
    print(
        f"\ncat big | cleaner clean - > out: {size / 1e6:.0f} MB in {seconds:.1f} s ({size / 1e6 / seconds:.1f} MB/s), "
        f"peak RSS {rss / 1e6:.0f} MB = {rss / size:.1f}x the input, output {(work / 'big.out').stat().st_size / 1e6:.0f} MB"
    )


if __name__ == "__main__":
    main()
