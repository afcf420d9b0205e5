"""Encoding detection and mojibake repair, measured on the shared corpora against chardet in the same run.

A detector is right on a file when decoding the file with its answer gives exactly the true text (files
with a stray byte are decoded with ``errors="replace"``, as their truth is). Prints accuracy per label and
per size bucket, speed (detect + decode, MB/s) for ours, ``chardet.detect`` and ``charset_normalizer``
(when installed), then a mojibake table: real text from the corpora mis-decoded each way, the share
repaired, and false repairs on clean text (must be 0).

    python benchmarks/encoding.py [--misses] [--shared DIR]
"""

from __future__ import annotations

import argparse
import codecs
import csv
import difflib
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import chardet

from cleaner.detect import detect
from cleaner.errors import CleanerError
from cleaner.hanzi import profile
from cleaner.repair import repair_text

try:
    import charset_normalizer
except ImportError:  # optional baseline
    charset_normalizer = None

#: ``../shared`` next to the repository (or next to a folder above it, for a worktree).
DEFAULT_SHARED = next(
    (folder / "shared" for folder in Path(__file__).resolve().parents[1].parents if (folder / "shared" / "corpus").is_dir()),
    Path("../shared"),
)
_HANZI = re.compile("[\u4e00-\u9fff]")
BUCKETS = ((64, "<=64 B"), (512, "<=512 B"), (8192, "<=8 KB"), (float("inf"), ">8 KB"))


@dataclass(frozen=True)
class Sample:
    name: str
    label: str
    errors: str
    size_group: str
    data: bytes
    truth: str

    @property
    def bucket(self) -> str:
        return next(name for limit, name in BUCKETS if len(self.data) <= limit)


def load(shared: Path) -> list[Sample]:
    samples = []
    generated = shared / "corpus" / "encodings-generated"
    for row in _rows(generated / "manifest.tsv"):
        data = (generated / row["path"]).read_bytes()
        samples.append(Sample("gen/" + row["path"], row["label"], row["errors"], row["size_bucket"],
                              data, data.decode(row["truth_codec"], row["errors"])))
    real = shared / "corpus" / "encodings"
    for row in _rows(real / "MANIFEST.tsv"):
        if row["truth_codec"] == "-":  # EUC-TW: no Python codec gives the true text
            continue
        data = (real / row["path"]).read_bytes()
        samples.append(Sample("real/" + row["path"], "real:" + row["label"], "strict", "real",
                              data, data.decode(row["truth_codec"])))
    return samples


def _rows(manifest: Path) -> list[dict]:
    with open(manifest, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))


def ours(data: bytes) -> str | None:
    try:
        return detect(data).encoding
    except CleanerError:
        return None


def by_chardet(data: bytes) -> str | None:
    return chardet.detect(data)["encoding"]


def by_charset_normalizer(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data).best()
    return best.encoding if best else None


def right(sample: Sample, encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        return sample.data.decode(encoding, sample.errors) == sample.truth
    except (LookupError, UnicodeDecodeError):
        return False


def run_detector(detector: Callable, samples: list[Sample]) -> tuple[list[str | None], dict[str, float]]:
    """Answers per sample, and seconds (detect + decode) per size group; best of 3 runs for fast detectors."""
    answers = [detector(s.data) for s in samples]  # warm-up (chardet loads its models) and answers
    best: dict[str, float] = {}
    for _ in range(3):
        seconds: dict[str, float] = defaultdict(float)
        started = time.perf_counter()
        for sample in samples:
            begin = time.perf_counter()
            encoding = detector(sample.data)
            if encoding:
                try:
                    sample.data.decode(encoding, "replace")
                except LookupError:
                    pass
            seconds[sample.size_group] += time.perf_counter() - begin
        for group, value in seconds.items():
            best[group] = min(best.get(group, value), value)
        if time.perf_counter() - started > 5:
            break
    return answers, best


def print_accuracy(samples, results, key, title) -> None:
    names = list(results)
    groups: dict[str, list[int]] = defaultdict(list)
    for index, sample in enumerate(samples):
        groups[key(sample)].append(index)
    print(f"\n{title:<22}{'files':>6}" + "".join(f"{name:>20}" for name in names))
    for group in sorted(groups):
        indexes = groups[group]
        cells = []
        for name in names:
            hits = sum(right(samples[i], results[name][0][i]) for i in indexes)
            cells.append(f"{hits:>5}/{len(indexes):<4}{hits / len(indexes):>7.1%}  ")
        ours_hits = sum(right(samples[i], results[names[0]][0][i]) for i in indexes)
        chardet_hits = sum(right(samples[i], results["chardet"][0][i]) for i in indexes)
        flag = "  < chardet" if ours_hits < chardet_hits else ""
        print(f"{group:<22}{len(indexes):>6}" + "".join(cells) + flag)


def print_speed(samples, results) -> None:
    print(f"\n{'speed MB/s (detect+decode)':<28}" + "".join(f"{name:>20}" for name in results))
    size: dict[str, int] = defaultdict(int)
    for sample in samples:
        size[sample.size_group] += len(sample.data)
    rows = [("2 KB + 50 KB files", ("2000", "50000")), ("all files", tuple(size))]
    for title, group_names in rows:
        total = sum(size[g] for g in group_names)
        cells = [total / 1e6 / sum(seconds.get(g, 0) for g in group_names) for _, seconds in results.values()]
        print(f"{title:<28}" + "".join(f"{value:>20.1f}" for value in cells))


# --- mojibake ---------------------------------------------------------------------------------------

def _euro_for_0x80(error: UnicodeDecodeError) -> tuple[str, int]:
    lone_0x80 = error.object[error.start : error.end] == b"\x80"
    return ("€" if lone_0x80 else "\ufffd"), error.end


codecs.register_error("bench-euro", _euro_for_0x80)


def _as_browsers_read_gbk(data: bytes) -> str:
    """GBK as browsers (WHATWG) read it: GB18030's two-byte table, and a lone 0x80 is €."""
    return data.decode("gb18030", "bench-euro")


def _as_browsers_read_windows_1252(data: bytes) -> str:
    """windows-1252 as browsers read it: the five bytes it leaves undefined are C1 controls, not lost."""
    return "".join(chr(b) if 0x80 <= b <= 0x9f and bytes([b]).decode("cp1252", "replace") == "\ufffd"
                   else bytes([b]).decode("cp1252") for b in data)


#: name -> (how the text is mis-decoded, which texts can be damaged that way)
DAMAGE: dict[str, Callable[[str], str]] = {
    "utf-8 read as gb18030": lambda t: t.encode("utf-8").decode("gb18030", "replace"),
    "utf-8 read as gbk (Python)": lambda t: t.encode("utf-8").decode("gbk", "replace"),
    "utf-8 read as gbk (browser)": lambda t: _as_browsers_read_gbk(t.encode("utf-8")),
    "gbk read as latin-1": lambda t: t.encode("gb18030").decode("latin-1"),
    "gbk read as cp1252 (Python)": lambda t: t.encode("gb18030").decode("cp1252", "replace"),
    "gbk read as cp1252 (browser)": lambda t: _as_browsers_read_windows_1252(t.encode("gb18030")),
    "big5 read as gbk": lambda t: t.encode("big5").decode("gb18030", "replace"),
    "gbk read as big5": lambda t: t.encode("gb18030").decode("big5", "replace"),
    "utf-8 read as cp1252 (Python)": lambda t: t.encode("utf-8").decode("cp1252", "replace"),
    "utf-8 read as cp1252 (browser)": lambda t: _as_browsers_read_windows_1252(t.encode("utf-8")),
}


def chinese_texts(samples: list[Sample]) -> list[str]:
    """Distinct real Chinese passages (at most 1000 characters, cut at a line end) from the corpora."""
    seen, texts = set(), []
    for sample in samples:
        text = sample.truth.replace("\ufffd", "")
        p = profile(text)
        if len(_HANZI.findall(text)) < 20 or p.good < 0.8 * p.chars:  # Chinese text only
            continue
        cut = text[:1000]
        if len(text) > 1000 and "\n" in cut:
            cut = cut[: cut.rindex("\n")]
        if cut not in seen:
            seen.add(cut)
            texts.append(cut)
    return texts


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def same_but_lost(truth: str, repaired: str) -> bool:
    """``repaired`` is ``truth`` except that each U+FFFD stands for a character lost in the damage (with
    up to two ASCII characters after it, which Python's GB18030 decoder drops along with a bad byte)."""
    if "\ufffd" not in repaired:
        return repaired == truth
    pattern = ".[\\x00-\\x7f]{0,2}".join(re.escape(piece) for piece in repaired.split("\ufffd"))
    return re.fullmatch(pattern, truth, re.DOTALL) is not None


def print_mojibake(samples: list[Sample], shared: Path, show_misses: bool) -> None:
    texts = chinese_texts(samples)
    print(f"\nmojibake repair on {len(texts)} real Chinese passages (<= 1000 chars) damaged each way:"
          "\n  exact = repaired text identical to the original; +lost = identical but for U+FFFD where the"
          "\n  damage lost a character; similarity = mean similarity to the original after repair (before repair);"
          "\n  in text = one damaged line between good lines, repaired to exact (+lost)")
    print(f"{'damage':<32}{'texts':>6}{'exact':>8}{'+lost':>8}{'similarity':>12}{'(before)':>10}{'in text':>9}")
    for name, damage in DAMAGE.items():
        pairs = []
        for text in texts:
            try:
                pairs.append((text, damage(text)))
            except UnicodeEncodeError:  # e.g. simplified text has no Big5 bytes
                continue
        pairs = [(t, d) for t, d in pairs if d != t]
        exact = lost = recovered = before = embedded = 0
        for text, damaged in pairs:
            fixed, _ = repair_text(damaged)
            exact += fixed == text
            lost += same_but_lost(text, fixed)
            recovered += similarity(text, fixed)
            before += similarity(text, damaged)
            if show_misses and not same_but_lost(text, fixed):
                print(f"   miss ({name}): {damaged[:40]!r} -> {fixed[:40]!r}")
            # the same damage to one line inside good text
            line = max(text.splitlines(), key=lambda line: len(_HANZI.findall(line)))[:60]
            good_before, good_after = "正文第一段保持原样。\n", "\n正文最后一段也保持原样。"
            repaired = repair_text(good_before + damage(line) + good_after)[0]
            embedded += same_but_lost(good_before + line + good_after, repaired)
        n = len(pairs) or 1
        print(f"{name:<32}{len(pairs):>6}{exact / n:>8.1%}{lost / n:>8.1%}{recovered / n:>12.1%}"
              f"{before / n:>10.1%}{embedded / n:>9.1%}")
    clean = [s.truth for s in samples]
    pages = shared / "corpus" / "pages"
    clean += [p.read_bytes().decode("utf-8", "replace") for p in sorted(pages.glob("*.txt"))]
    started = time.perf_counter()
    false = [(i, repair_text(t)) for i, t in enumerate(clean)]
    seconds = time.perf_counter() - started
    false = [(i, fixed) for i, (fixed, _) in false if fixed != clean[i]]
    print(f"false repairs on {len(clean)} clean texts (every corpus file and page): {len(false)}  (target 0)")
    megabytes = sum(len(t.encode("utf-8")) for t in clean) / 1e6
    started = time.perf_counter()
    for text in clean:
        text.encode("utf-8").decode("utf-8")
    baseline = time.perf_counter() - started
    print(f"repair step on those clean texts: {megabytes / seconds:.1f} MB/s "
          f"(UTF-8 decoding of the same text: {megabytes / baseline:.0f} MB/s)")
    for index, fixed in false[:10]:
        print(f"   false repair: {clean[index][:60]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--misses", action="store_true", help="list the files our detector gets wrong")
    args = parser.parse_args()
    samples = load(args.shared)
    detectors = {"ours": ours, "chardet": by_chardet}
    if charset_normalizer:
        detectors["charset_normalizer"] = by_charset_normalizer
    results = {name: run_detector(function, samples) for name, function in detectors.items()}
    print(f"{len(samples)} files (EUC-TW left out: no Python codec)")
    print_accuracy(samples, results, lambda s: s.label, "label")
    print_accuracy(samples, results, lambda s: s.bucket, "size")
    big = [i for i, s in enumerate(samples) if len(s.data) >= 200]
    big_hits = sum(right(samples[i], results["ours"][0][i]) for i in big)
    print(f"\nours on files >= 200 bytes: {big_hits}/{len(big)}  (target 100%)")
    print_speed(samples, results)
    if args.misses:
        print("\nmisses (ours):")
        for index, sample in enumerate(samples):
            answer = results["ours"][0][index]
            if not right(sample, answer):
                print(f"   {sample.name} ({len(sample.data)} B): {answer}, chardet {results['chardet'][0][index]}")
    print_mojibake(samples, args.shared, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
