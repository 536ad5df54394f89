"""Word-level text normalisation shared by lexical retrieval, question parsing and checks."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                         "‚": "'", "‹": "'", "›": "'", "—": "-", "–": "-"})

STOPWORDS = frozenset("""
a an the and or but if then so of to in on at by for with from as is are was were be been being
it its this that these those there their they them he him his she her we our us you your i me my
do does did done has have had having not no nor than too very can could would should will shall
may might must about into over after before under again further once here when where why how all
any both each few more most other some such only own same just also what which who whom whose
said say says saying tell told
""".split())


def fold(text: str) -> str:
    """Lower-case, unify quote marks and dashes, strip accents (for matching, not display)."""
    if text.isascii():  # nothing to unify or strip (every mapped mark is non-ASCII): the common case
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def words(text: str) -> list[str]:
    """Folded words of ``text`` (apostrophes kept inside words: "don't")."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A light English stemmer: enough to match "troops"/"troop", "warned"/"warning"."""
    for suffix in ("ingly", "edly", "ings", "ing", "ies", "ied", "ed", "es", "s", "'s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def terms(text: str) -> list[str]:
    """Index terms of ``text``: folded, stemmed words without stop words."""
    return [stem(w.replace("'", "")) for w in words(text) if w not in STOPWORDS]


def join_phrases(items: list[str], conjunction: str = "and") -> str:
    """"A", "A and B", "A, B and C" (``conjunction`` instead of "and": "A or B")."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
