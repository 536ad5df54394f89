"""Word-level diff of a quote against its source passage.

Words are compared folded (case, accents, quote-mark style) with punctuation ignored, but
every operation reports the original words of both sides, so a reader sees exactly what
the quote changed: ``equal``, ``insert`` (words only in the quote), ``delete`` (words only
in the source) and ``replace``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from bot.text import fold

# a number with its decimal point or thousands separators is one word ("2.4", "310,000"),
# so a changed figure is one replaced word in a diff, not "2" and "4" shuffled around
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’][^\W_]+)*|%", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A word of a text: its folded form and its character span in that text."""

    norm: str
    start: int
    end: int


@dataclass(frozen=True)
class DiffOp:
    """One operation of a quote-vs-source diff, with the original words of each side."""

    op: str  # "equal" | "insert" | "delete" | "replace"
    quote: str
    source: str

    def to_dict(self) -> dict:
        return {"op": self.op, "quote": self.quote, "source": self.source}


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """The words of ``text`` (and ``%`` as "percent"), folded, with offsets (+ ``offset``)."""
    out = []
    for m in _TOKEN.finditer(text):
        norm = "percent" if m.group() == "%" else fold(m.group())
        out.append(Token(norm, m.start() + offset, m.end() + offset))
    return out


def _slice(text: str, tokens: list[Token], i: int, j: int, offset: int = 0) -> str:
    if i >= j:
        return ""
    return text[tokens[i].start - offset : tokens[j - 1].end - offset]


def opcodes(quote: list[Token], source: list[Token]) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher`` opcodes over folded tokens, named from the quote's side:
    ``insert`` = words only in the quote, ``delete`` = words only in the source."""
    matcher = SequenceMatcher(None, [t.norm for t in quote], [t.norm for t in source], autojunk=False)
    rename = {"insert": "delete", "delete": "insert"}
    return [(rename.get(tag, tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def word_diff(quote_text: str, source_text: str, quote: list[Token] | None = None,
              source: list[Token] | None = None, source_offset: int = 0) -> list[DiffOp]:
    """Word-level diff of ``quote_text`` against ``source_text``.

    ``quote``/``source`` may be given pre-tokenised (``source`` tokens may carry offsets
    into a larger text that starts at ``source_offset``).
    """
    quote = tokenize(quote_text) if quote is None else quote
    source = tokenize(source_text, source_offset) if source is None else source
    ops = []
    for tag, i1, i2, j1, j2 in opcodes(quote, source):
        ops.append(DiffOp(tag, _slice(quote_text, quote, i1, i2),
                          _slice(source_text, source, j1, j2, source_offset)))
    return ops
