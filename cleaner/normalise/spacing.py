"""Step ``spacing``: spaces that scraping and PDF line breaks left inside Chinese text.

Removed: paragraph indents (``　　`` or spaces), trailing spaces, spaces beside full-width punctuation
(``100% ，`` → ``100%，``), spaces around a number between Chinese characters (``52 万户`` → ``52万户``),
spaces inside letter-spaced text (``江 西 省 地 方 标 准``) and a single space between two Chinese
characters inside a sentence (``推 进`` → ``推进``). Kept: spaces between Latin words and between Chinese
and Latin, and spaces that separate fields rather than split words: a space before any punctuation on
its line (``主题句子 第一篇``, a title then its text), on a line with no sentence end
(``小学生日记 篇1``), before a ``label:`` or around a date or time (``2023-05-01 13:12:25 写景作文``).
"""

from __future__ import annotations

import regex

_SPACE = r"[ \t\u3000]"
#: Full-width punctuation that carries its own spacing (“” are also Latin quotes, so not them).
_FULLWIDTH_PUNCT = r"[，。、；：？！（）【】《》〈〉「」『』〔〕〖〗]"
_PUNCT = r"[，。、；：？！,;:?!]"
_SENTENCE_END = regex.compile(r"[。！？!?]")

_TRAILING = regex.compile(rf"{_SPACE}+$", regex.MULTILINE)
_INDENT = regex.compile(rf"^{_SPACE}+", regex.MULTILINE)
_BESIDE_PUNCT = regex.compile(rf"{_SPACE}+(?={_FULLWIDTH_PUNCT})|(?<={_FULLWIDTH_PUNCT}){_SPACE}+")
_BESIDE_ELLIPSIS = regex.compile(r"(?<=\p{Han}) +(?=[…—])|(?<=[…—]) +(?=\p{Han})")
#: A number between Chinese characters, with a space on one side or both; at a line start only before
#: a date or amount unit (``2014 年``), since ``7.4 回溯法`` there is a numbered heading.
_NUMBER = r"\d+(?:\.\d+)?[%‰]?"
_SPACED_NUMBER = regex.compile(
    rf"""(?<=\p{{Han}})[ ]?(?P<number>{_NUMBER})[ ](?=\p{{Han}})
       | (?<=\p{{Han}})[ ](?P<number>{_NUMBER})(?=\p{{Han}})
       | ^(?P<number>{_NUMBER})[ ](?=[年月日万亿元])""",
    regex.MULTILINE | regex.VERSION1 | regex.VERBOSE,
)
_LETTER_SPACED = regex.compile(r"(?<![^\s])\p{Han}(?: \p{Han}){3,}(?![^\s])")
_HAN_SPACE_HAN = regex.compile(r"(?<=\p{Han}) (?=\p{Han})")
_SPLIT_WORD = regex.compile(r"(?<=\p{Han}) (?=\p{Han})(?!\p{Han}{1,8}[:：])")
_PUNCT_BEFORE = regex.compile(_PUNCT)


def _join_split_words(text: str) -> str:
    """Join ``推 进`` on a prose line: one with a sentence end, and punctuation before the space."""
    if not _SENTENCE_END.search(text):
        return text
    first_punct = _PUNCT_BEFORE.search(text)
    if first_punct is None:
        return text
    head, tail = text[: first_punct.start()], text[first_punct.start() :]
    return head + _SPLIT_WORD.sub("", tail)


def fix_spacing(text: str) -> str:
    """Remove the spaces that split Chinese text; keep those between Latin words.

    >>> fix_spacing("　　用户数52 万户，应用面达到100% ，正在推 进。 \\nGood morning, 主题句子 第一篇")
    '用户数52万户，应用面达到100%，正在推进。\\nGood morning, 主题句子 第一篇'
    """
    text = _INDENT.sub("", _TRAILING.sub("", text))
    text = _BESIDE_PUNCT.sub("", text)
    text = _BESIDE_ELLIPSIS.sub("", text)
    text = _SPACED_NUMBER.sub(lambda match: match["number"], text)
    text = _LETTER_SPACED.sub(lambda match: match[0].replace(" ", ""), text)
    pieces, done = [], 0
    for space in _HAN_SPACE_HAN.finditer(text):  # rare: only the lines that have one are looked at
        if space.start() < done:
            continue
        start = text.rfind("\n", 0, space.start()) + 1
        end = text.find("\n", space.end()) % (len(text) + 1)  # -1 (last line) becomes len(text)
        pieces += [text[done:start], _join_split_words(text[start:end])]
        done = end
    return "".join(pieces) + text[done:]
