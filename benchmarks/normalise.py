"""Speed and idempotence of the normalisation steps.

Speed: MB/s of ``normalise_text`` (the default steps, then with reflow) and of each step alone on the
seed repeated 100 times, against a UTF-8 decode of the same text measured in the same run (the ratio is
what to compare between machines). Idempotence: every input under the given folders (default: the
seed and ``../shared/corpus``) is cleaned, and normalising each document again must change nothing;
the raw decoded text must also normalise to a fixed point. Prints every failure.

    python benchmarks/normalise.py [FOLDER_OR_FILE ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cleaner import CleanerError, Config, clean_bytes
from cleaner.decode import decode_bytes
from cleaner.detect import detect
from cleaner.normalise import STEP_NAMES, STEPS, normalise_text
from cleaner.normalise.punctuation import to_ascii

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_INPUTS = [SHARED / "seeds", SHARED / "corpus"]
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "seed.utf-8.txt"
REPEAT = 100


def best_seconds(run, rounds: int = 5) -> float:
    """The fastest of a few rounds: the least disturbed by the other work on a shared machine."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def speed() -> None:
    data = SEED.read_bytes() * REPEAT
    text = data.decode("utf-8")
    megabytes = len(data) / 1e6
    baseline = best_seconds(lambda: data.decode("utf-8"))
    print(f"seed x{REPEAT}: {megabytes:.2f} MB, {len(text):,} characters")
    print(f"  {'utf-8 decode (baseline)':<28} {megabytes / baseline:8.1f} MB/s")
    rows = [("normalise (default steps)", lambda: normalise_text(text)),
            ("normalise + reflow", lambda: normalise_text(text, Config(normalise=STEP_NAMES))),
            ("normalise --punct ascii", lambda: normalise_text(text, Config(punct="ascii")))]
    rows += [(f"  step {step.name}", lambda run=step.run: run(text)) for step in STEPS]
    rows += [("  step punctuation (ascii)", lambda: to_ascii(text))]
    for name, run in rows:
        seconds = best_seconds(run)
        print(f"  {name:<28} {megabytes / seconds:8.1f} MB/s   {seconds / baseline:7.1f}x the decode time")


def inputs(paths: list[Path]):
    for path in paths:
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix not in {".md", ".tsv"})


def idempotence(paths: list[Path]) -> int:
    files = documents = failures = skipped = 0
    for path in inputs(paths):
        data = path.read_bytes()
        try:
            docs = clean_bytes(data, source=str(path))
        except CleanerError:
            skipped += 1  # binary or undecodable: not text for this check
            continue
        files += 1
        raw, _ = decode_bytes(data, detect(data).encoding)
        for label, text in [(f"doc {doc.metadata['part']}", doc.text) for doc in docs] + [("raw text", raw)]:
            documents += label != "raw text"
            for config in (Config(), Config(normalise=STEP_NAMES), Config(punct="ascii")):
                once = normalise_text(text, config)
                if normalise_text(once, config) != once:
                    failures += 1
                    print(f"  NOT IDEMPOTENT: {path} ({label}, steps {','.join(config.normalise)}, punct {config.punct})")
    print(f"idempotence: {files} inputs ({skipped} not text), {documents} documents, 3 configurations: "
          f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    speed()
    sys.exit(idempotence([Path(arg) for arg in sys.argv[1:]] or DEFAULT_INPUTS))
