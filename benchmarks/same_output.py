"""Check that a change leaves ``cleaner clean --format jsonl`` output byte-for-byte the same.

Run by hand, with the ``cleaner`` of the environment under test: first ``save`` on the code before the
change, then ``compare`` on the code after it::

    git archive main cleaner | tar -x -C /tmp/main-src
    PYTHONPATH=/tmp/main-src python benchmarks/same_output.py save /tmp/before   # main's code
    python benchmarks/same_output.py compare /tmp/before                         # the branch's

Every file of the shared corpora (pages, seeds, both encoding sets, any extension) and of the
benchmark corpus (:func:`throughput.build_corpus`, built again identically from the same seed) is
cleaned with ``--format jsonl -j2``, once with the default options and once with ``--reflow --punct
ascii``; standard output, standard error and the exit code are kept per input set and compared, and
the number of files compared is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import SHARED, build_corpus  # noqa: E402

INPUTS = {
    "pages": SHARED / "corpus" / "pages",
    "seeds": SHARED / "seeds",
    "encodings-generated": SHARED / "corpus" / "encodings-generated",
    "encodings": SHARED / "corpus" / "encodings",
}
OPTIONS = {"default": [], "reflow-ascii": ["--reflow", "--punct", "ascii"]}
BENCHMARK_FILES = 3000


def run_all(work: Path) -> dict[str, dict[str, object]]:
    """Output of every input set under every option set, and the files each holds."""
    cleaner = shutil.which("cleaner", path=os.path.dirname(sys.executable)) or shutil.which("cleaner")
    inputs = dict(INPUTS)
    inputs["benchmark"] = work / "benchmark"
    build_corpus(inputs["benchmark"], BENCHMARK_FILES)
    results = {}
    for name, folder in inputs.items():
        files = sum(1 for path in folder.rglob("*") if path.is_file())
        for label, options in OPTIONS.items():
            if name == "benchmark" and label != "default":
                continue
            # relative to its parent, so that records name the files alike whatever the temporary folder
            done = subprocess.run([cleaner, "clean", "--format", "jsonl", "-j2", "--include", "*", *options, folder.name],
                                  capture_output=True, cwd=folder.parent)
            results[f"{name}/{label}"] = {"files": files, "code": done.returncode,
                                          "stdout": done.stdout.decode(), "stderr": done.stderr.decode()}
            print(f"{name}/{label}: {files} files, {len(done.stdout.splitlines())} records, exit {done.returncode}",
                  file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("folder", type=Path, help="where the outputs before the change are kept")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cleaner-same-"))
    try:
        results = run_all(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.action == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        for key, result in results.items():
            (args.folder / f"{key.replace('/', '.')}.json").write_text(json.dumps(result, ensure_ascii=False))
        return
    differ, compared = [], 0
    for key, result in results.items():
        before = json.loads((args.folder / f"{key.replace('/', '.')}.json").read_text())
        compared += result["files"]
        if before != result:
            differ.append(key)
            old, new = before["stdout"].splitlines(), result["stdout"].splitlines()
            changed = [i for i, (a, b) in enumerate(zip(old, new)) if a != b]
            print(f"DIFFERENT {key}: {len(old)} vs {len(new)} records, first differing record "
                  f"{changed[:1] or 'none'}; exit {before['code']} vs {result['code']}; "
                  f"stderr {'same' if before['stderr'] == result['stderr'] else 'differs'}")
    print(f"{compared} file cleanings compared in {len(results)} runs: "
          + ("all identical" if not differ else f"{len(differ)} runs differ: {', '.join(differ)}"))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
