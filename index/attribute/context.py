"""What every rule needs to know about a parsed article, computed once per article."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from index.attribute.quotes import Quote, find_quotes, is_scare_quote
from index.furniture import overlaps
from index.models import Article, Span

EDGE_PUNCT = " \t\r\n,;:.–—-"
HYPHENS = frozenset("-‐‑")


@dataclass(frozen=True)
class ArticleContext:
    """A parsed article with its speech quotations and a token -> quotation index.

    ``quote_of[i]`` is the index in ``quotes`` of the quotation holding token ``i``, or -1.
    """

    doc: Doc
    text: str
    quotes: tuple[Quote, ...]
    quote_of: tuple[int, ...]
    furniture: tuple[Span, ...]

    def in_quote(self, token: Token) -> bool:
        """True if ``token`` is inside a (speech) quotation."""
        return self.quote_of[token.i] >= 0

    def is_furniture(self, sent: SpacySpan) -> bool:
        """True if the sentence lies in page furniture."""
        return overlaps(sent.start_char, sent.end_char, list(self.furniture))


def ents_within(doc: Doc, start: int, end: int) -> list[SpacySpan]:
    """The named entities lying wholly inside tokens ``start``..``end`` (what
    ``doc[start:end].ents`` gives). spaCy builds every entity of the document on each
    ``.ents`` call, so asking once per mention is quadratic in the article's length (a
    220 KB transcript spent minutes there); the entities are built once per ``Doc``."""
    from bisect import bisect_left

    cached = doc.user_data.get("whosaid_ents")
    if cached is None:
        ents = list(doc.ents)  # sorted by start, not overlapping
        cached = doc.user_data["whosaid_ents"] = ([e.start for e in ents], ents)
    starts, ents = cached
    out = []
    for ent in ents[bisect_left(starts, start):]:
        if ent.start >= end:
            break
        if ent.end <= end:
            out.append(ent)
    return out


def build_context(doc: Doc, article: Article) -> ArticleContext:
    """Find the article's speech quotations and index which token sits in which."""
    text = article.text
    starts = frozenset(sent.start_char for sent in doc.sents)
    quotes = tuple(q for q in find_quotes(text) if not is_scare_quote(text, q, sentence_starts=starts))
    quote_of = [-1] * len(doc)
    qi = 0
    for token in doc:
        while qi < len(quotes) and quotes[qi].end <= token.idx:
            qi += 1
        if qi < len(quotes) and quotes[qi].start <= token.idx < quotes[qi].end:
            quote_of[token.i] = qi
    return ArticleContext(doc, text, quotes, tuple(quote_of), tuple(article.furniture))


def char_range(tokens_start: Token, tokens_end: Token) -> tuple[int, int]:
    """Characters from the first token's start to the last token's end (inclusive)."""
    return tokens_start.idx, tokens_end.idx + len(tokens_end.text)


def trim(text: str, start: int, end: int, keep_quotes: bool = True) -> tuple[int, int]:
    """Shrink ``[start, end)`` past whitespace and edge punctuation (not quote marks)."""
    strip = EDGE_PUNCT if keep_quotes else EDGE_PUNCT + "“”\"«»"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def is_word_hyphen(token: Token) -> bool:
    """A hyphen inside a word, which spaCy makes a token of its own: "Okonkwo-Hale" is
    Okonkwo, -, Hale. Not a dash set off by spaces ("Kovec - the mayor - said")."""
    doc = token.doc
    if token.text not in HYPHENS or token.whitespace_ or not 0 < token.i < len(doc) - 1:
        return False
    before, after = doc[token.i - 1], doc[token.i + 1]
    return not before.whitespace_ and not before.is_punct and not after.is_punct


def hyphenated_start(token: Token) -> Token:
    """The first token of the hyphenated word that ``token`` ends ("Hale" of
    "Okonkwo-Hale" -> "Okonkwo"); ``token`` itself when it ends no such word."""
    doc = token.doc
    i = token.i
    while i >= 2 and is_word_hyphen(doc[i - 1]):
        i -= 2
    return doc[i]
