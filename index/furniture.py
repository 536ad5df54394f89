"""Page furniture: lines a web page or feed adds around an article that are not its text.

A general rule, not a list of phrases: a *furniture line* is a line that stands alone
(it does not continue a hard-wrapped paragraph), is short (at most ``MAX_WORDS`` words and ``MAX_CHARS``
characters) and does not end as a sentence does (no ``.``, ``!``, ``?``, ``…`` or closing
quote). This catches "Advertisement", "Share this article", "Read more", "Ваш коментар:",
"ваш відгук:" in any language, while a credit line ("Some information for this report
came from The Associated Press and Reuters.") is a sentence and stays.

One exception keeps real text: a short line ending in ":" that introduces a quotation on
the next line ("Lavrov said:" followed by "“…”") is speech, not furniture.

Furniture is left out of sentences and attributions, never cut out of the text, so
offsets do not shift.
"""

from __future__ import annotations

import re

from index.models import Span

MAX_WORDS = 6
MAX_CHARS = 60
_SENTENCE_END = re.compile(r"[.!?…。]['\"”’»)\]]*\s*$|['\"”’»]\s*$")
_QUOTE_OPENERS = ("“", '"', "«", "„", "‘", "'", "—", "–", "-")
_LINE = re.compile(r"[^\n]*(?:\n|$)")


def _lines(text: str) -> list[Span]:
    """Non-empty lines of ``text`` with their offsets (line break excluded, spaces trimmed)."""
    lines: list[Span] = []
    for match in _LINE.finditer(text):
        raw_start, raw_end = match.start(), match.end()
        if raw_start == raw_end:
            break
        line = text[raw_start:raw_end].rstrip("\r\n")
        stripped = line.strip()
        if not stripped:
            lines.append(Span(raw_start, raw_start, ""))
            continue
        start = raw_start + (len(line) - len(line.lstrip()))
        end = start + len(stripped)
        lines.append(Span(start, end, stripped))
    return lines


def ends_as_sentence(line: str) -> bool:
    """True if ``line`` ends as a sentence does (a stop, ``!``, ``?``, ``…`` or closing quote)."""
    return bool(_SENTENCE_END.search(line))


def is_furniture_line(line: str, next_line: str | None = None) -> bool:
    """True if a standalone line looks like page furniture (see module docstring)."""
    stripped = line.strip()
    if not stripped:
        return False
    words = stripped.split()
    if len(words) > MAX_WORDS or len(stripped) > MAX_CHARS:
        return False
    if ends_as_sentence(stripped):
        return False
    if not any(ch.isalpha() for ch in stripped):
        return True  # separators such as "***" or "---"
    if stripped.endswith(":") and next_line and next_line.lstrip().startswith(_QUOTE_OPENERS):
        return False
    return True


def find_furniture(text: str) -> list[Span]:
    """Spans of furniture lines in ``text`` (standalone short lines that are not sentences)."""
    lines = _lines(text)
    spans: list[Span] = []
    for i, line in enumerate(lines):
        if not line.text:
            continue
        prev = lines[i - 1].text if i else ""
        if prev and len(prev) > MAX_CHARS and not _SENTENCE_END.search(prev):
            continue  # the last line of a hard-wrapped paragraph: text, not furniture
        following = next((ln.text for ln in lines[i + 1:] if ln.text), None)
        if is_furniture_line(line.text, following):
            spans.append(line)
    return spans


def overlaps(start: int, end: int, spans: list[Span]) -> bool:
    """True if ``[start, end)`` overlaps any of ``spans``."""
    return any(start < s.end and s.start < end for s in spans)
