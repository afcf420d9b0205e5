"""Time and memory of each pipeline step on one big page, in one process.

Run by hand (not a test): ``python benchmarks/big_page.py [--mb 20] [--indent] [--memory]``.

It builds the page of ``throughput.py --big-mb`` (GBK, random source lines under a breadcrumb, most of
it cut by a footer rule; with ``--indent`` every line indented with two ideographic spaces, as pages of
paragraphs are), then runs :data:`cleaner.pipeline.STEPS` on it as ``pipeline.run`` does and prints each
step's seconds. With ``--memory`` it prints instead each step's peak of Python objects (``tracemalloc``,
several times slower) as a multiple of the file: what the step holds at most, the page it was given
included (the bytes, before ``decode``, are not counted: they were read before tracing started).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import build_big  # noqa: E402

from cleaner import pipeline  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.records import Page  # noqa: E402

INDENT = "\u3000\u3000"


def page_bytes(megabytes: float, indent: bool) -> bytes:
    """The big page's bytes (GBK), its lines indented with ``indent``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        build_big(path, megabytes)
        data = path.read_bytes()
    if not indent:
        return data
    lines = data.decode("gbk").split("\n")
    return "\n".join(INDENT + line if line else line for line in lines).encode("gbk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="size of the page in MB")
    parser.add_argument("--indent", action="store_true", help="indent every line (paragraphs of a document)")
    parser.add_argument("--memory", action="store_true", help="peak of Python objects per step (slower)")
    args = parser.parse_args()
    config = Config()
    data = page_bytes(args.mb, args.indent)
    size = len(data)
    print(f"one page of {size / 1e6:.1f} MB (GBK{', indented' if args.indent else ''})")
    page = Page(source="big", data=data, size=size)
    del data
    if args.memory:
        tracemalloc.start()
    for name, step in pipeline.STEPS:
        tracemalloc.reset_peak()
        started = time.perf_counter()
        page = step(page, config)
        if name == "decode":
            page = replace(page, data=b"")
        seconds = time.perf_counter() - started
        if args.memory:
            print(f"{name:<12}{seconds:>8.2f} s   peak {tracemalloc.get_traced_memory()[1] / size:.2f}x the file")
        else:
            print(f"{name:<12}{seconds:>8.2f} s")


if __name__ == "__main__":
    main()
