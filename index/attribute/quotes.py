"""Quotation spans: where the quotation marks of an article open and close.

Works on characters, not tokens, so a quote that runs over several sentences keeps
together. Handles curly (“…”) and straight ("…") double quotes, guillemets, and the
newsroom convention for a quote that runs over several paragraphs: a paragraph that
opens a quote and does not close it continues in the next paragraph, which opens again.
Single quotes are left alone (apostrophes make them ambiguous).
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS: dict[str, str] = {"“": "”", "«": "»", "„": "“"}
STRAIGHT = '"'
TWO_APOSTROPHES = "''"


@dataclass(frozen=True)
class Quote:
    """A quotation ``[start, end)`` including its marks; ``closed`` is False when it ran
    to the end of its paragraph without a closing mark (a multi-paragraph quote)."""

    start: int
    end: int
    closed: bool

    def contains(self, start: int, end: int) -> bool:
        """True if ``[start, end)`` lies inside the quotation."""
        return self.start <= start and end <= self.end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text`` (a quote never crosses a line break)."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch == "\n":
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _quotes_in_line(text: str, start: int, end: int) -> list[Quote]:
    """The quotations of one line: curly pairs nest-free, straight quotes (``"`` or the
    typewriter ``''``) alternate."""
    quotes: list[Quote] = []
    open_at: int | None = None
    closer = ""
    i = start
    while i < end:
        ch = text[i]
        mark = TWO_APOSTROPHES if text.startswith(TWO_APOSTROPHES, i) else ch
        if open_at is None:
            if ch in OPENERS:
                open_at, closer = i, OPENERS[ch]
            elif mark in (STRAIGHT, TWO_APOSTROPHES):
                open_at, closer = i, mark
            elif ch == "”" and not quotes and text[start:i].strip():
                # a closing mark with no opener: the tail of a quote from a paragraph before
                quotes.append(Quote(start, i + 1, True))
        elif mark == closer or closes_mixed(text, i, closer, end):
            quotes.append(Quote(open_at, i + len(mark), True))
            open_at = None
        i += len(mark) if mark == TWO_APOSTROPHES else 1
    if open_at is not None:
        tail_end = end
        while tail_end > open_at and text[tail_end - 1].isspace():
            tail_end -= 1
        quotes.append(Quote(open_at, tail_end, False))
    return quotes


def closes_mixed(text: str, i: int, closer: str, line_end: int) -> bool:
    """True if the mark at ``i`` closes a quotation opened with a different style, as
    careless typing does: a straight mark closing a curly one (“We will win," she said),
    a curly closer for a straight opener, or an opening curly mark typed where the
    closing one belongs, right after the quotation's last punctuation (“We will win,“)."""
    ch = text[i]
    if closer == STRAIGHT:
        return ch == "”"
    if closer == "”" and ch == STRAIGHT:
        return True
    if closer == "”" and ch == "“" and i > 0 and text[i - 1] in ",.!?":
        return i + 1 >= line_end or text[i + 1].isspace()
    return False


def find_quotes(text: str) -> list[Quote]:
    """All quotations of ``text`` in order (see module docstring)."""
    quotes: list[Quote] = []
    for start, end in _paragraphs(text):
        quotes.extend(_quotes_in_line(text, start, end))
    return quotes


def word_count(text: str) -> int:
    """Number of words in a quotation's text."""
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


def is_scare_quote(text: str, quote: Quote, min_words: int = 4,
                   sentence_starts: frozenset[int] = frozenset()) -> bool:
    """True for a short quoted phrase (a title, a term, a scare quote) rather than speech.

    A short quotation still counts as speech when it stands where speech stands: at the
    start of a line, after a colon or a comma ("Wallace asked, “With nukes?”"), or at the
    start of a sentence (one of ``sentence_starts``) ending in its own punctuation
    ("“Safety comes first,” he told the Courier.", not "“Reform” is a loaded word").
    """
    if word_count(text[quote.start : quote.end]) >= min_words:
        return False
    inner = text[quote.start : quote.end].rstrip("\"”»'’")
    if quote.start in sentence_starts and quote.closed and inner.endswith((",", ".", "!", "?", "…")):
        return False
    before = text[max(0, quote.start - 3) : quote.start].rstrip(" ")
    return not (before == "" or before.endswith(("\n", ":", ",")))
