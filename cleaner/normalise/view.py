"""The text as the normalise step will leave it, with the way back to offsets in the text.

Strip and split decide on this reading, so that they decide the same way when the cleaned output is
cleaned again (its text is already normalised): a rule's ``[^\\n]{0,20}`` counts the characters that
stay, ``3 篇`` reads as the ``3篇`` it becomes, ``【第一篇　】`` as ``【第一篇】``. What they remove or cut
is still recorded, and taken out, in the text itself.

The normalise steps delete characters (spaces, blank lines, pinyin glosses), put a mark for its other
width (, for ，) and, joining lines, insert a space; :class:`View` aligns the two texts on that basis.

>>> view = View("同志们 ,今天　开会", "同志们，今天开会")
>>> [view.original(i) for i in range(len(view.text) + 1)]
[0, 1, 2, 4, 5, 6, 8, 9, 10]
>>> view.span(3, 6), view.tight(3, 6), "同志们 ,今天　开会"[3:7]
((3, 7), (4, 7), ' ,今天')
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from functools import lru_cache
from typing import Callable

from .punctuation import ASCII_PAIRS, to_ascii

#: Views and readings (:func:`cleaner.normalise.reader`) of texts up to this long are kept for the next
#: step that reads the same text; the last few dozen, so a long page is not held.
KEPT_CHARS = 200_000

#: A text and its reading are compared in ASCII form this many characters at a time (see :class:`_AsciiForm`).
ASCII_BLOCK = 1 << 16
#: What the normalise steps delete: spaces and line breaks, and the pinyin glosses' brackets and letters.
_DELETABLE = frozenset(" \t\u3000\n\r()abcdefghijklmnopqrstuvwxyzüāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜńňǹ")
#: The full-width marks' ASCII forms.
_ASCII = dict(ASCII_PAIRS)
#: What joining lines inserts.
_INSERTED = frozenset(" \n")


class View:
    """``reading`` (the normalised ``text``) and, for each of its offsets, the offset in ``text``."""

    def __init__(self, text: str, reading: str) -> None:
        self.text = reading
        self._length = len(text)
        # anchors: after each edit, (offset in reading, offset in text); between anchors both advance alike
        self._reading_at, self._text_at = array("q", [0]), array("q", [0])  # 8 bytes an entry, not 36
        if text != reading:
            self._align(text, reading)

    def _align(self, text: str, reading: str) -> None:
        i = j = 0
        n, m = len(text), len(reading)
        ascii = _ASCII.get
        # marks are compared in their ASCII form (the punctuation step turns one into the other)
        text_form, reading_form = _AsciiForm(text), _AsciiForm(reading)
        while i < n and j < m:
            same = text_form.common_length(i, reading_form, j)
            i, j = i + same, j + same
            if i == n or j == m:
                break
            t, r = ascii(text[i], text[i]), ascii(reading[j], reading[j])  # not the same mark
            if t in _DELETABLE:
                # a deleted run at once (a gloss, an indent): one anchor, the one the lookups would use
                i += 1
                while i < n and (t := ascii(text[i], text[i])) != r and t in _DELETABLE:
                    i += 1
            elif r in _INSERTED:
                j += 1
            else:  # not an edit the steps make: keep the two texts in step
                i, j = i + 1, j + 1
            self._reading_at.append(j)
            self._text_at.append(i)
        if j < m:  # inserted at the end
            self._reading_at.append(m)
            self._text_at.append(n)

    def original(self, offset: int) -> int:
        """Offset in the text of the reading's ``offset``: where its character stands (what the steps
        deleted before it comes before it); the reading's end is the text's end."""
        if offset >= len(self.text):
            return self._length
        index = bisect_right(self._reading_at, offset) - 1
        return min(self._text_at[index] + offset - self._reading_at[index], self._length)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The text's span of the reading's ``[start, end)``: from just after the character before it
        through its last character (what the steps deleted before it and inside it is inside it: a
        removed line takes its indent)."""
        if start >= end:
            point = self.original(start)
            return point, point
        return (self.original(start - 1) + 1 if start else 0), self.original(end - 1) + 1

    def tight(self, start: int, end: int) -> tuple[int, int]:
        """The text's span of the reading's ``[start, end)`` from its first character through its last."""
        if start >= end:
            point = self.original(start)
            return point, point
        return self.original(start), self.original(end - 1) + 1


class _AsciiForm:
    """A text's ASCII form (:func:`to_ascii`), made a block of ASCII_BLOCK characters at a time as the
    alignment moves on: whole copies of a long text and its reading would double their memory, and mark
    by mark a page of Chinese punctuation is many times slower."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._start, self._form = 0, to_ascii(text[:ASCII_BLOCK])
        self._whole = len(text) <= ASCII_BLOCK

    def _at(self, offset: int) -> tuple[str, int]:
        """A block of the form that holds ``offset`` (and, unless the text ends sooner, the next
        ASCII_BLOCK // 4 characters), and the offset's index in it."""
        index = offset - self._start
        if len(self._form) - index < ASCII_BLOCK // 4 and self._start + len(self._form) < len(self._text):
            self._start, self._form, index = offset, to_ascii(self._text[offset : offset + ASCII_BLOCK]), 0
        return self._form, index

    def common_length(self, i: int, other: _AsciiForm, j: int) -> int:
        """How many characters this text from ``i`` and ``other`` from ``j`` share at their start, marks
        compared in ASCII form.

        >>> _AsciiForm("甲，乙；丙").common_length(0, _AsciiForm("甲,乙;丁"), 0)
        4
        """
        if self._whole and other._whole:  # a page: its forms are whole, no block to move on
            return _common_length(self._form, i, other._form, j)
        total = 0
        while True:
            form, index = self._at(i + total)
            other_form, other_index = other._at(j + total)
            same = _common_length(form, index, other_form, other_index)
            total += same
            if index + same < len(form) and other_index + same < len(other_form):
                return total  # a difference
            if self._start + len(form) == len(self._text) and index + same == len(form):
                return total  # this text's end
            if other._start + len(other_form) == len(other._text) and other_index + same == len(other_form):
                return total


def _common_length(a: str, i: int, b: str, j: int) -> int:
    """How many characters ``a[i:]`` and ``b[j:]`` share at their start (slices compared in C: galloping,
    then halving; no Python step per character).

    >>> _common_length("abcdef", 1, "xbcdx", 1)
    3
    """
    limit = min(len(a) - i, len(b) - j)
    low, high = 0, 1
    while high <= limit and a[i + low : i + high] == b[j + low : j + high]:
        low, high = high, high * 2
    high = min(high, limit + 1)  # a[i:i+low] is common, a[i:i+high] is not (or beyond the end)
    while high - low > 1:
        middle = (low + high) // 2
        if a[i + low : i + middle] == b[j + low : j + middle]:
            low = middle
        else:
            high = middle
    return low


def view(text: str, read: Callable[[str], str]) -> View:
    """The view of ``text`` read with ``read`` (the last few are kept, unless long: strip and split read a
    settled part alike)."""
    return _kept(text, read) if len(text) <= KEPT_CHARS else View(text, read(text))


@lru_cache(maxsize=4)
def _kept(text: str, read: Callable[[str], str]) -> View:
    return View(text, read(text))
