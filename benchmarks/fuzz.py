"""Fuzz the pipeline for as long as you like: the properties of tests/test_invariants.py, many examples.

Each round runs those properties (and splitting-loses-nothing of tests/test_split.py) under the hypothesis
profile "fuzz" (20,000 examples each) with a new random seed, until the time is up; a failure stops the
run and prints the falsifying example and the seed that finds it again. The end line says how many
rounds and examples ran.

    python benchmarks/fuzz.py --minutes 10
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROPERTIES = ["tests/test_invariants.py", "tests/test_split.py::test_splitting_loses_nothing_on_any_text"]
_PASSING = re.compile(r"(\d+) passing")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    started = time.monotonic()
    deadline = started + args.minutes * 60
    rounds = examples = 0
    while time.monotonic() < deadline:
        seed = random.randrange(2**32)
        rounds += 1
        round_started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header", "-k", "not golden",
             "--hypothesis-profile=fuzz", f"--hypothesis-seed={seed}", "--hypothesis-show-statistics", *PROPERTIES],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        passed = sum(int(count) for count in _PASSING.findall(result.stdout))
        examples += passed
        print(f"round {rounds}: seed {seed}, {passed} examples in {time.monotonic() - round_started:.0f} s", flush=True)
        if result.returncode != 0:
            print(result.stdout[-6000:])
            print(f"FAILED in round {rounds} (seed {seed}); rerun it with --hypothesis-seed={seed}")
            return 1
    minutes = (time.monotonic() - started) / 60
    print(f"{rounds} rounds, {examples} examples, no failure in {minutes:.1f} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
