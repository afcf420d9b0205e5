"""Synthetic splitting benchmark: real page bodies joined with every marker variant must come back exactly.

Bodies are the texts of the one-document pages of ../shared/corpus/pages (from the paragraph holding
their first `keep` sentence on) and the seed's two speeches. For every marker variant (inline and on
lines of their own, with and without the part title repeated and glued to the body) the bodies are
joined into one page, which :func:`cleaner.split.split_text` must cut back into exactly those parts,
each with its title once. Negative cases (every false-split trap, and each body alone) must stay one
part. Prints counts, percentages, the failures, and the speed of splitting against a baseline measured
in the same run (the normalise step over the same text). Last, the annotated multi-document pages
(``parts=`` in the manifest notes) go through the whole pipeline: each document must hold its part's
start; and other real text (the encodings corpus beside the pages) must stay one document.

    python benchmarks/splitting.py [PAGES_DIR]
"""

from __future__ import annotations

import csv
import random
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import regex

from cleaner import clean_bytes
from cleaner.normalise import normalise_text
from cleaner.split import split_text
from cleaner.titles import title_at
from pages import canonical, default_pages

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "seed" / "seed.utf-8.txt"
CASES = ROOT / "fixtures" / "cases" / "split.toml"
CHINESE = "一二三四五六七八九十"
#: Real part titles from the corpus pages (each names a kind of writing, as 范文 sites' titles do).
TITLES = ["中秋节的日记", "春天风景的作文", "关于背书的作文", "图书读后感", "乡愁读后感", "小学生日记",
          "捐书倡议书", "有关福建的心得体会", "建军节演讲稿", "学雷锋日记"]
#: Bylines and signatures from the corpus pages.
BYLINES = ["文/張天池(上海市適存小學二二班)", "文/王欣然(吉林敦化市第一小學一三班)", "文/沈欣怡(浙江杭州市余杭區耕讀緣教育機構三年級)"]


def chinese(number: int) -> str:
    if number <= 10:
        return CHINESE[number - 1]
    tens, units = divmod(number, 10)
    return ("" if tens == 1 else CHINESE[tens - 1]) + "十" + (CHINESE[units - 1] if units else "")


def load_bodies(pages: Path) -> list[str]:
    """Real bodies: each one-document page from its first kept sentence's paragraph on, and the seed's speeches.

    A body that opens with a title of its own (printed twice, or a title line) is left out: splitting
    rightly takes that title for the part's, so the body would not come back as it went in.
    """
    with open(pages / "MANIFEST.tsv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    bodies = []
    for row in rows:
        if row["expected_docs"] != "1":
            continue
        text = (pages / row["file"]).read_text("utf-8")
        first_keep = row["keep"].split("||")[0].strip()
        at = text.find(first_keep)
        if at < 0:
            continue
        body = text[text.rfind("\n", 0, at) + 1 :].strip()
        if len(body) >= 100 and title_at(body, 0, len(body), None, first_line=True) is None:
            bodies.append(body)
    seed = SEED.read_text("utf-8")
    marker = seed.index("篇二:")
    title = "郭理桥:智慧城市推进方略——在智慧地推进新型城镇化建设创新会议上的讲话"
    speech_one = seed[seed.index("让城市更智慧") : marker].strip()
    speech_two = seed[marker + len("篇二:") + 2 * len(title) : seed.rindex("相关主题")].strip()
    return [*bodies, speech_one, speech_two]


#: How a part is introduced: (name, template, title kind). Templates get {title}, {n} (Arabic),
#: {cn} (Chinese numeral) and end where the body starts. Title kinds: "same" (every part has the same
#: title), "differ" (titles differ), "none" (the marker carries no title).
VARIANTS = [
    ("篇N: + title, own line", "篇{n}:{title}\n", "differ"),
    ("篇一: + title, inline", "篇{cn}:{title}", "differ"),
    ("TITLE篇一, own line", "{title}篇{cn}\n", "same"),
    ("TITLE篇N, glued to body", "{title}篇{n}", "same"),
    ("TITLE 篇N, own line", "{title} 篇{n}\n", "same"),
    ("TITLE【篇N】, own line", "{title}【篇{n}】\n", "same"),
    ("【篇一:TITLE】, own line", "【篇{cn}:{title}】\n", "differ"),
    ("【篇一:TITLE】, inline", "【篇{cn}:{title}】", "differ"),
    ("【第N篇】, own line", "【第{n}篇】\n", "none"),
    ("第一篇:TITLE, own line", "第{cn}篇:{title}\n", "differ"),
    ("TITLE第一篇, own line", "{title}第{cn}篇\n", "same"),
    ("TITLE范文(一), own line", "{title}范文({cn})\n", "same"),
    ("TITLE范本一, own line", "{title}范本{cn}\n", "same"),
    ("TITLE范文N, own line", "{title}范文{n}\n", "same"),
    ("TITLE【一】, own line", "{title}【{cn}】\n", "same"),
    ("TITLE(一), glued to body", "{title}({cn})", "same"),
    ("TITLEN, own line", "{title}{n}\n", "same"),
    ("TITLE N, own line, titles differ", "{title} {n}\n", "differ"),
    ("TITLEN, glued to body", "{title}{n}", "same"),
    ("手抄报内容一:TITLE", "手抄报内容{cn}:{title}\n", "differ"),
    ("N.TITLE, own line", "{n}.{title}\n", "differ"),
    ("合集: title twice on own lines, once glued", "{title}\n\n{title}\n\n", "differ"),
    ("title over 文/ byline", "{title}\n", "differ"),
]
#: Variants whose marker may be glued to the previous part's unfinished last sentence.
INLINE = {"篇一: + title, inline", "【篇一:TITLE】, inline"}
UNNUMBERED = {"合集: title twice on own lines, once glued", "title over 文/ byline"}


def build(variant, bodies: list[str], first: int, repeat_title: bool, rng: random.Random, lead: str | None = None):
    """A page joining ``bodies`` with the variant's markers (after an unmarked ``lead`` part, if given),
    and the (title, body) of each part expected back."""
    name, template, kind = variant
    same = rng.choice(TITLES)
    titles = [same if kind == "same" else TITLES[(TITLES.index(same) + i) % len(TITLES)] for i in range(len(bodies))]
    if name == "title over 文/ byline":
        bodies = [f"{BYLINES[i % len(BYLINES)]}\n{body}" for i, body in enumerate(bodies)]
    pieces, expected = ([lead], [(None, lead)]) if lead else ([], [])
    for index, (title, body) in enumerate(zip(titles, bodies)):
        number = first + index
        marker = template.format(title=title, n=number, cn=chinese(number))
        if name in INLINE and pieces:  # the previous part was cut mid-sentence and this marker glued on
            cut = pieces[-1].rstrip().rstrip("。!?！？”") + "是"
            pieces[-1], expected[-1] = cut, (expected[-1][0], expected[-1][1].rstrip().rstrip("。!?！？”") + "是")
        shown_title = None if kind == "none" else title
        if name == "合集: title twice on own lines, once glued":  # the third copy glued to the body is what marks an upload
            repeat_title = True
        if name == "title over 文/ byline" or (name in INLINE and not repeat_title and "【" not in template):
            repeat_title, marker = False, marker + ("\n" if name in INLINE else "")  # a title glued on once has no end
        text = marker + (title if repeat_title and shown_title else "") + body
        pieces.append(text if not pieces or name in INLINE else "\n\n" + text)
        expected.append((shown_title, body))
    if name == "TITLE(一), glued to body" and not lead:  # 360docs: the umbrella title and count glued before part 1
        pieces[0] = f"{titles[0]}{len(bodies)}篇" + pieces[0]
    return "".join(pieces), expected


def lines(text: str) -> list[str]:
    """The text's non-blank lines, stripped: parts are compared line by line, blank lines aside."""
    return [line.strip() for line in normalise_text(text).splitlines() if line.strip()]


def expected_texts(expected) -> list[list[str]]:
    return [lines(f"{title}\n\n{body}" if title else body) for title, body in expected]


def trials(bodies: list[str], rng: random.Random):
    """(variant name, first number, page, expected parts) for 12 pages per variant."""
    for variant in VARIANTS:
        for trial in range(12):
            first = 1 if variant[0] in UNNUMBERED or trial % 4 else rng.choice((2, 11))
            # a sequence needs two markers at least: after an unmarked part 1, three parts or more
            chosen = rng.sample(bodies, rng.choice((3, 4) if first == 2 else (2, 3, 4)))
            if first == 2:  # the seed's shape: part 1 carries no marker
                page, expected = build(variant, chosen[1:], 2, trial % 2 == 0, rng, lead=chosen[0])
            else:
                page, expected = build(variant, chosen, first, trial % 2 == 0, rng)
            yield variant[0], first, page, expected


def run_positive(bodies: list[str], rng: random.Random):
    results, failures = Counter(), []
    for name, first, page, expected in trials(bodies, rng):
        got = [lines(part.text) for part in split_text(page)]
        ok = got == expected_texts(expected)
        results[name, ok] += 1
        if not ok:
            failures.append((name, first, len(expected), len(got), page[:160]))
    return results, failures


def negatives(pages: Path, bodies: list[str]) -> list[tuple[str, str]]:
    """Texts that must stay one part: the no-split golden cases, each body alone, and the trap pages."""
    cases = tomllib.loads(CASES.read_text("utf-8"))["cases"]
    texts = [(case["label"], case["input"]) for case in cases if case["label"].startswith("no-split")]
    texts += [(f"body {index}", body) for index, body in enumerate(bodies)]
    return texts


def run_negative(texts: list[tuple[str, str]]):
    failures = [(label, len(parts)) for label, text in texts if len(parts := split_text(text)) != 1]
    return len(texts) - len(failures), failures


def real_part_starts(pages: Path):
    """The annotated multi-document pages (``parts=`` in the manifest notes): through the whole pipeline,
    document i must hold the start of part i and no other document may."""
    with open(pages / "MANIFEST.tsv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
    good, failures = 0, []
    for row in rows:
        found = regex.search(r"parts=(.*)$", row["notes"])
        if not found:
            continue
        starts = [canonical(start) for start in found[1].split(" | ")]
        docs = [canonical(doc.text) for doc in clean_bytes((pages / row["file"]).read_bytes(), source=row["file"])]
        placed = len(docs) == len(starts) and all(
            (start in doc) == (i == j) for i, start in enumerate(starts) for j, doc in enumerate(docs))
        good += placed
        if not placed:
            failures.append(f"{row['file']}: {len(docs)} documents, parts start {found[1]}")
    return good, failures


def other_text(pages: Path) -> tuple[int, list[str]]:
    """Real text that is no doc-farm page (the encodings corpus beside the pages: feeds, blogs,
    Wikipedia, the seed) must not split, but for the seed's own 篇二: marker."""
    folders = [pages.parent / "encodings-generated" / name for name in ("utf-8", "utf-8-trad", "big5", "gbk")]
    files = sorted(f for folder in folders if folder.is_dir() for f in folder.glob("*.txt"))
    failures = []
    for path in files:
        docs = clean_bytes(path.read_bytes(), source=path.name)
        if len(docs) > 1 and [doc.metadata["marker"] for doc in docs] != [None, "篇二:"]:
            failures.append(f"{path.parent.name}/{path.name}: {len(docs)} documents")
    return len(files) - len(failures), failures


def speed(pages: list[str]) -> tuple[float, float]:
    """MB/s of split_text and of the normalise step (a cheap whole-text pass), over the same texts, in this run."""
    data = sum(len(page.encode("utf-8")) for page in pages) / 1e6
    timings = []
    for work in (split_text, normalise_text):
        start = time.perf_counter()
        for _ in range(3):
            for page in pages:
                work(page)
        timings.append(3 * data / (time.perf_counter() - start))
    return timings[0], timings[1]


def main(pages: Path) -> int:
    rng = random.Random(20240601)
    bodies = load_bodies(pages)
    results, failures = run_positive(bodies, rng)
    print(f"bodies: {len(bodies)} (one-document pages and the seed's two speeches)")
    print("positive cases (parts come back exactly, each with its title once):")
    total_ok = sum(n for (_, ok), n in results.items() if ok)
    total = sum(results.values())
    for name, _, _ in VARIANTS:
        ok, bad = results[name, True], results[name, False]
        print(f"  {name:<36} {ok:>3}/{ok + bad:<3} {ok / (ok + bad):6.1%}")
    print(f"  {'all variants':<36} {total_ok:>3}/{total:<3} {total_ok / total:6.1%}")
    negative_ok, negative_failures = run_negative(negatives(pages, bodies))
    negative_total = negative_ok + len(negative_failures)
    print(f"negative cases (stay one part): {negative_ok}/{negative_total} = {negative_ok / negative_total:.1%}")
    real_good, real_failures = real_part_starts(pages)
    real_total = real_good + len(real_failures)
    print(f"real pages with annotated part starts (whole pipeline): {real_good}/{real_total} = {real_good / real_total:.1%}")
    other_good, other_failures = other_text(pages)
    other_total = other_good + len(other_failures)
    if other_total:
        print(f"other real text, one document each (encodings corpus): {other_good}/{other_total} = {other_good / other_total:.1%}")
    sample = [build(variant, rng.sample(bodies, 3), 1, True, rng)[0] for variant in VARIANTS]
    split_speed, scan_speed = speed(sample)
    print(f"speed: split {split_speed:.2f} MB/s, baseline normalise {scan_speed:.2f} MB/s, ratio {split_speed / scan_speed:.3f}")
    if failures or negative_failures or real_failures or other_failures:
        print("failures:")
    for name, first, wanted, got, head in failures:
        print(f"  {name} (from {first}): {got} parts, expected {wanted}: {head!r}")
    for label, got in negative_failures:
        print(f"  negative {label}: {got} parts, expected 1")
    for failure in real_failures:
        print(f"  real page {failure}")
    for failure in other_failures:
        print(f"  other text {failure}")
    return 0 if not (failures or negative_failures or real_failures or other_failures) else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default_pages()))
