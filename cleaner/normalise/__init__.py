"""Steps ``characters`` and ``normalise``: repair the text in small, named, switchable steps.

The steps run in the order of :data:`STEPS`; every one is on by default except ``reflow``, and the
punctuation step turns ASCII marks into full-width ones unless ``punct="ascii"`` asks for the reverse.
``cleaner steps`` lists them; ``Config(normalise=..., punct=...)`` and the ``clean`` options choose them.
The character-level ones (:data:`PAGE_STEPS`) run on the whole page before strip and split
(:func:`page_step`), the others (and NFC again) on each part's text (:func:`step`); :func:`normalise_text`
runs them all.

>>> normalise_text("　　同志们:今天我们召开会议,数据达到52 万户。 \\r\\n\\r\\n\\r\\n千文網(wǎng)是愛(ài)祖國(guó)")
'同志们：今天我们召开会议，数据达到52万户。\\n\\n千文網是愛祖國'
>>> from cleaner import Config
>>> normalise_text("同志们：今天 ", Config(punct="ascii")), normalise_text("同志们:今天 ", Config(normalise=()))
('同志们:今天', '同志们:今天 ')
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..records import Page
from .characters import fix_characters, fix_in_context, to_nfc
from . import debris
from .debris import remove_glosses, remove_pinyin_glosses
from .paragraphs import fix_paragraphs, fix_paragraphs_segment, reflow, replaced, segments, segments_at_ends
from .punctuation import to_ascii, to_fullwidth
from .spacing import fix_spacing
from .view import KEPT_CHARS

if TYPE_CHECKING:
    from ..config import Config


@dataclass(frozen=True)
class NormaliseStep:
    """One normalisation step: its name, the function, whether it runs by default, what it does (for
    ``clean --help``) and an example input (``cleaner steps`` shows it and what ``run`` makes of it)."""

    name: str
    run: Callable[[str], str]
    default: bool
    summary: str
    example: str


STEPS: tuple[NormaliseStep, ...] = (
    NormaliseStep("characters", fix_characters, True,
                  "Kangxi radicals, compatibility ideographs, full-width letters and digits, invisible and "
                  "control characters, odd spaces, the table of mis-mapped characters (布臵 → 布置)",
                  "⼈民布臵\u200bＡＢＣ１２３\u00a0二○一八年"),
    NormaliseStep("nfc", to_nfc, True, "Unicode NFC (never NFKC: ⑴ ⒈ 〈 and ，stay)", "cafe\u0301 ⑴⒈〈〉"),
    NormaliseStep("paragraphs", fix_paragraphs, True,
                  "LF line endings, one blank line between paragraphs, none at the ends",
                  "第一段。\r\n\r\n\r\n\r\n第二段。\n\n"),
    NormaliseStep("debris", remove_pinyin_glosses, True,
                  "pinyin glosses left by s2t converters, when dense (a rare real gloss stays)",
                  "千文網(wǎng)為你整理愛(ài)祖國(guó)演講稿"),
    NormaliseStep("reflow", reflow, False,
                  "join lines hard-wrapped mid-sentence (PDF); not headings, list items or short lines",
                  "过去五年，我们在加快推进都市城区、新型镇村建\n设的同时，致力构建城乡一体的现代化基础设施网\n络，不仅打造路网。"),
    NormaliseStep("punctuation", to_fullwidth, True,
                  "ASCII , : ; ? ! ( ) in Chinese text to full-width (--punct ascii: the reverse); "
                  "numbers, URLs, e-mail, HTML entities, code and Latin text untouched",
                  "同志们:今天,时间12:30(周三) Hello, world"),
    NormaliseStep("spacing", fix_spacing, True,
                  "indents, trailing spaces, spaces splitting numbers from units (52 万户) or a Chinese "
                  "sentence (推 进)",
                  "　　用户数52 万户，达到100% ，推 进。"),
)
STEP_NAMES: tuple[str, ...] = tuple(step.name for step in STEPS)
#: Context-free, character-level steps: they run on the whole page right after ``repair``, so that strip
#: and split see the characters the documents will hold (a form feed is a line break and a NUL before
#: 相关主题 is gone on the first pass too, not only when the output is cleaned again).
PAGE_STEPS: tuple[str, ...] = ("characters", "nfc")
#: The steps that run on each part. NFC again: a cut can put a letter before a combining mark that
#: stood after a marker (e【篇1】\u0301); on NFC text it is one check. (Of ``characters``, the entries
#: that depend on their neighbours run again too, see :func:`_part_runs`.)
PART_STEPS: tuple[str, ...] = tuple(name for name in STEP_NAMES if name != "characters")
DEFAULT_STEPS: tuple[str, ...] = tuple(step.name for step in STEPS if step.default)
PUNCT_DIRECTIONS = ("fullwidth", "ascii")


@lru_cache(maxsize=32)
def _runs(config: Config, names: tuple[str, ...]) -> tuple[Callable[[str], str], ...]:
    """The functions of the chosen steps among ``names``, in their order (made once per configuration:
    the page step asks for every page)."""
    return tuple(to_ascii if step.name == "punctuation" and config.punct == "ascii" else step.run
                 for step in STEPS if step.name in config.normalise and step.name in names)


def _apply(text: str, runs: list[Callable[[str], str]]) -> str:
    while True:
        before = text
        for run in runs:
            text = run(text)
        # Joined lines give the other steps new neighbours, and their changes new line widths: with
        # reflow, run again until nothing changes (each round that changes something joins a line).
        if reflow not in runs or text == before:
            return text


def normalise_text(text: str, config: Config | None = None) -> str:
    """Run the steps ``config`` chooses (by default all but reflow, full-width punctuation) on ``text``.

    This is the whole normalisation of one text (the page steps and the part steps): apply it to any
    text (an old expectation, a title) to get what the pipeline now gives. With reflow the steps run
    again until nothing changes.
    """
    if config is None:
        from ..config import Config

        config = Config()
    return _apply(text, _runs(config, STEP_NAMES))


@lru_cache(maxsize=8)
def reader(config: Config) -> Callable[[str], str]:
    """How the normalise step will leave a text: the chosen part steps (:func:`_part_runs`; strip and
    split decide on this reading, see :mod:`cleaner.normalise.view`). The last readings are kept: a part
    is read by strip and split when it is settled, and normalised after. Without reflow, the
    :data:`LINE_STEPS` keep the lines they read (:class:`_LineReader`): a stripped page and its parts
    are mostly lines their page already had."""
    runs = _part_runs(config)
    if reflow in runs:  # reflow joins lines: the steps run on the whole text
        short = long = partial(_apply, runs=runs)
    else:
        lines = _LineReader(runs)
        short, long = lines, lines.in_segments
    kept = lru_cache(maxsize=32)(short)

    def read(text: str) -> str:
        return kept(text) if len(text) <= KEPT_CHARS else long(text)

    return read


#: Part steps that work line by line: no match, lookaround or repeat reaches past a line break, and none
#: adds or removes one, so that a line comes out the same in any text (``debris`` once its one decision
#: for the whole text is made: are the glosses dense?).
LINE_STEPS: tuple[str, ...] = ("debris", "punctuation", "spacing")
#: The lines a reader keeps, at most (then it starts again).
KEPT_LINES = 20_000


class _LineReader:
    """The part steps on a text: those before :data:`LINE_STEPS` on the whole text, then the line steps
    on the lines not read before, all in one text (so at the speed of a whole text).

    >>> from cleaner import Config
    >>> read = _LineReader(_part_runs(Config()))
    >>> read("同志们:今天开会。\\n\\n\\n\\n愛(ài)祖國(guó)愛(ài)家(jiā)"), read("  同志们:今天开会。")
    ('同志们：今天开会。\\n\\n愛祖國愛家', '同志们：今天开会。')
    """

    def __init__(self, runs: list[Callable[[str], str]]) -> None:
        line_runs = {step.run for step in STEPS if step.name in LINE_STEPS} | {to_ascii}
        self._before = [run for run in runs if run not in line_runs]
        lines = runs[len(self._before) :]
        assert all(run in line_runs for run in lines), "the line steps come last"
        # by the debris decision: not dense, no glosses removed; dense, all
        self._line_runs = ([run for run in lines if run is not remove_pinyin_glosses],
                           [remove_glosses if run is remove_pinyin_glosses else run for run in lines])
        self._kept: tuple[dict[str, str], dict[str, str]] = ({}, {})

    def __call__(self, text: str) -> str:
        for run in self._before:
            text = run(text)
        dense = self._dense(lambda: segments(text))
        kept = self._kept[dense]
        if len(kept) > KEPT_LINES:
            kept.clear()
        lines = text.split("\n")
        new = [line for line in dict.fromkeys(lines) if line not in kept]
        if new:
            read = "\n".join(new)
            for run in self._line_runs[dense]:
                read = run(read)
            kept.update(zip(new, read.split("\n")))
        return "\n".join([kept[line] for line in lines])

    def in_segments(self, text: str) -> str:
        """A long text, every step run a segment of whole lines at a time and nothing kept (so that no step
        copies the whole page: only the reading's pieces and the reading are held beside the text; the
        same text as :meth:`__call__` gives).

        >>> from cleaner import Config
        >>> read = _LineReader(_part_runs(Config()))
        >>> read.in_segments("同志们:今天开会。\\n\\n\\n  篇二:"), read("同志们:今天开会。\\n\\n\\n  篇二:")
        ('同志们：今天开会。\\n\\n篇二：', '同志们：今天开会。\\n\\n篇二：')
        """
        # (the steps before the line steps run twice on a long text: once to decide, once to read; one
        # pass is about 4% of the reading on a 20 MB page, holding their result would be 1x the page)
        dense = self._dense(lambda: self._settled(text))
        return "".join([_apply(segment, self._line_runs[dense]) for segment in self._settled(text)])

    def _settled(self, text: str) -> Iterator[str]:
        """The text as the steps before the line steps leave it, a segment at a time (they work line by line
        too, but for the paragraphs step's blank lines at the text's ends)."""
        for segment, first, last in segments_at_ends(text):
            for run in self._before:
                segment = fix_paragraphs_segment(segment, first, last) if run is fix_paragraphs else run(segment)
            yield segment

    def _dense(self, parts: Callable[[], Iterable[str]]) -> bool:
        """The debris step's one decision for the whole text that ``parts()`` gives a piece at a time (when
        the step is chosen): are the glosses dense? (:func:`cleaner.normalise.debris.dense_in`)"""
        return remove_glosses in self._line_runs[True] and debris.dense_in(parts)


def _in_segments(text: str, runs: list[Callable[[str], str]]) -> str:
    """``runs`` (steps that work line by line) applied a segment of whole lines at a time
    (:func:`cleaner.normalise.paragraphs.segments`): a regex sub over a whole long text holds a piece per
    match, several times the text. Only the segments they change are kept: a text they leave as it is
    comes back without a copy."""
    fixes, start = [], 0
    for segment in segments(text):
        fixed = _apply(segment, runs)
        if fixed != segment:
            fixes.append((start, start + len(segment), fixed))
        start += len(segment)
    return replaced(text, fixes)


def _part_runs(config: Config) -> list[Callable[[str], str]]:
    """The chosen part steps; with ``characters``, its in-context entries first (a cut can put 二○ next to
    一, where ○ is 〇)."""
    return [fix_in_context] * ("characters" in config.normalise) + list(_runs(config, PART_STEPS))


def page_step(page: Page, config: Config) -> Page:
    """The chosen :data:`PAGE_STEPS` on the whole decoded page (pipeline step ``characters``; they work line
    by line, so a long page goes through them in segments).

    >>> from cleaner import Config
    >>> page_step(Page("p", text="\\x00相关主题\\x0c篇一:ＡＢ"), Config()).text
    '相关主题\\n篇一:AB'
    """
    return replace(page, text=_in_segments(page.text, _runs(config, PAGE_STEPS)))


def step(page: Page, config: Config) -> Page:
    """Normalise every part's text and title and the page title with the :data:`PART_STEPS`; drop parts
    left empty; record the choice."""
    read = reader(config)
    parts = tuple(
        replace(part, text=read(part.text), title=part.title and read(part.title).strip())
        for part in page.parts
    )
    return replace(
        page,
        parts=tuple(part for part in parts if part.text.strip()),
        page_title=page.page_title and read(page.page_title).strip(),
        normalised=tuple(name for name in STEP_NAMES if name in config.normalise),
        punct=config.punct if "punctuation" in config.normalise else None,
    )
