"""Fuzz the pipeline for as long as you like: the invariants of tests/test_invariants.py, many examples.

Each round runs those properties under the hypothesis profile "fuzz" (20,000 examples each) with a new
random seed, until the time is up; a failure stops the run and prints the falsifying example.

    python benchmarks/fuzz.py --minutes 10
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    rounds = 0
    while time.monotonic() < deadline:
        seed = random.randrange(2**32)
        rounds += 1
        print(f"round {rounds}: seed {seed}", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header",
             "--hypothesis-profile=fuzz", f"--hypothesis-seed={seed}", "tests/test_invariants.py"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            print(result.stdout[-6000:])
            print(f"FAILED in round {rounds} (seed {seed}); rerun it with --hypothesis-seed={seed}")
            return 1
    print(f"{rounds} rounds, no failure in {args.minutes:g} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
