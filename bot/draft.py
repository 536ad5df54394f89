"""Checking a whole draft: find every quotation and attributed statement, check each.

``find_draft_quotes`` parses the draft with the attribution extractor (direct, indirect
and mixed reported speech, with the speaker it names), takes the words inside the quotation
marks of a statement that has them (``_quoted_parts``), and adds any quotation-mark span
the extractor did not cover; ``check_draft`` gives each its verdict, in text order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.diff import tokenize
from index.errors import QueryError

_QUOTE_SPAN = re.compile(r"“([^”]{3,})”|\"([^\"]{3,})\"|«([^»]{3,})»")
_EDGE = "\"“”„«»‘’' \t\n,;:"
MIN_WORDS = 3


@dataclass
class DraftQuote:
    """A statement found in a draft: its text, offsets into the draft, and who it names."""

    quote: str
    start: int
    end: int
    claimed_speaker: str | None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _quoted_parts(text: str, start: int, end: int, marked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of a statement's content (``start``-``end``) that a draft gives as the
    speaker's words. Where the content holds quotation marks, only the words inside them
    (the rest is the reporter's): called the closure "a disaster for every family east of
    the river." -> a disaster for every family east of the river.; said the cracks were
    "being watched closely" -> being watched closely. Without marks, the whole reported
    statement, less a leading "that" (insisted that the bridge was sound -> the bridge was
    sound; also when the marks hold fewer than ``MIN_WORDS`` words, a scare quote: said the
    plan was "reckless" and would fail). ``marked`` are the insides of the draft's
    quotation-mark pairs."""
    inside = [_trimmed(text, max(start, s), min(end, e)) for s, e in marked if s < end and start < e]
    inside = [(s, e) for s, e in inside if len(tokenize(text[s:e])) >= MIN_WORDS]
    if inside:
        return inside
    start, end = _trimmed(text, start, end)
    if text[start:end].lower().startswith("that "):
        start, end = _trimmed(text, start + 5, end)
    return [(start, end)]


def find_draft_quotes(text: str, nlp) -> list[DraftQuote]:
    """Every quotation and attributed statement in ``text`` (offsets slice back), in text order."""
    from index.attribute import extract
    from index.load import load_text
    from index.sentences import split_sentences

    if not text or not text.strip():
        return []
    article = load_text(text)
    doc = nlp(article.text)
    sentences = split_sentences(article, doc)
    marked = [(m.start() + 1, m.end() - 1) for m in _QUOTE_SPAN.finditer(article.text)]
    found: list[DraftQuote] = []
    for att in extract(doc, article, sentences).attributions:
        for span in att.content:
            for start, end in _quoted_parts(article.text, span.start, span.end, marked):
                if len(tokenize(article.text[start:end])) >= MIN_WORDS:
                    found.append(DraftQuote(article.text[start:end], start, end, att.speaker))
    covered = [(q.start, q.end) for q in found]
    for m in _QUOTE_SPAN.finditer(article.text):
        start, end = _trimmed(article.text, m.start(), m.end())
        if any(s < end and start < e for s, e in covered) or len(tokenize(article.text[start:end])) < MIN_WORDS:
            continue
        found.append(DraftQuote(article.text[start:end], start, end, None))
    offset = _offset(text, article.text)
    out = [DraftQuote(q.quote, q.start + offset, q.end + offset, q.claimed_speaker) for q in found]
    out = [q for q in out if text[q.start:q.end] == q.quote]
    return sorted({(q.start, q.end): q for q in out}.values(), key=lambda q: (q.start, q.end))


def _offset(original: str, loaded: str) -> int:
    """Where the loaded text starts in the original (load_text may drop a BOM)."""
    index = original.find(loaded[:50]) if loaded else 0
    return max(index, 0)


def check_draft(checker, text: str, nlp) -> list[dict]:
    """``{"quote", "start", "end", "claimed_speaker", ...verdict...}`` for every statement of a draft."""
    out = []
    for q in find_draft_quotes(text, nlp):
        try:
            verdict = checker.check(q.quote, q.claimed_speaker).to_dict()
        except QueryError as exc:
            verdict = {"verdict": "not_found", "speaker": None, "claimed_speaker": q.claimed_speaker,
                       "evidence": [], "diff": [], "reasons": [str(exc)]}
        out.append({"quote": q.quote, "start": q.start, "end": q.end, **verdict,
                    "claimed_speaker": q.claimed_speaker})
    return out
