"""The sentence layer: stable sentence ids and character offsets from a parsed article.

Sentence boundaries come from spaCy's dependency parse (plus forced breaks at line
breaks, see ``index.nlp``). Sentences inside page furniture are dropped; the text itself
is never changed, so ``article.text[s.start:s.end] == s.text`` always holds.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc

from index.furniture import overlaps
from index.models import Article, Sentence

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")


def paragraph_starts(text: str) -> list[int]:
    """Start offsets of the paragraphs of ``text``.

    Paragraphs are separated by blank lines; a text with no blank line at all (one
    paragraph a line, as many scrapers write) has one paragraph per line.
    """
    pattern = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else _LINE_BREAK
    return [0] + [m.end() for m in pattern.finditer(text)]


def sentence_id(article_id: str, n: int) -> str:
    """The stable id of the ``n``-th sentence of an article."""
    return f"{article_id}:{n}"


def split_sentences(article: Article, doc: Doc) -> list[Sentence]:
    """The article's sentences, furniture excluded, numbered from 0 in text order."""
    text = article.text
    starts = paragraph_starts(text)
    sentences: list[Sentence] = []
    for sent in doc.sents:
        raw = sent.text
        stripped = raw.strip()
        if not stripped or not any(ch.isalnum() for ch in stripped):
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        if overlaps(start, end, article.furniture):
            continue
        n = len(sentences)
        sentences.append(
            Sentence(
                id=sentence_id(article.id, n),
                article_id=article.id,
                n=n,
                start=start,
                end=end,
                text=text[start:end],
                paragraph=bisect_right(starts, start) - 1,
            )
        )
    return sentences
