"""Does a retrieved sentence answer the question, or does it only sound like it?

Embedding similarity says a sentence is *about* the same things as a question ("How much
will the tram line cost?" is close to "The tram line will open in 2025"); it cannot say
that the sentence gives what the question asks for. ``RelevanceJudge`` adds the checks
a reader makes:

* **coverage of the question's content words**: each content word of the question (its
  *focus*: question words and light verbs left out) is found in the sentence — as the
  same stem, the same crude lemma (``bot.meaning.key``) or a synonym (the two words'
  embeddings at least ``SYNONYM_SIMILARITY`` alike) — and
  words count by their rarity in the index (BM25 idf; a word no indexed sentence has
  counts as the rarest). The sentence must cover ``MIN_FOCUS_SHARE`` of the weight and
  itself the question's rarest word (one of them, when several are as rare): "population of Norbridge" is not answered by a sentence
  that mentions Norbridge only. A person named in the question counts as one word: a
  sentence that names them by surname covers "Jonah" too. News sentences lean on their
  context: a word found only in the article's title counts ``CONTEXT_WEIGHT``;
* **answer type**: a how-many/how-much question needs a number in the sentence (a
  how-old question an age), a when-question a date or time, a who/which-company question
  a name.

``judge(question, sentence)`` returns a ``Relevance`` with the figures behind the decision.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from bot.meaning import MONTHS, key, names, number_matches, numbers
from bot.text import STOPWORDS, stem, words

MIN_FOCUS_SHARE = 0.4
# Word-vector cosine for "the same thing in other words" (charges/fees 0.62, hire/recruit
# 0.65); stricter than the quote check's 0.55, where related words (passengers/transport,
# offer/price: 0.56) would let a sentence answer a question it only touches.
SYNONYM_SIMILARITY = 0.6
RAREST_TIE = 0.05  # words this close in idf are equally rare
CONTEXT_WEIGHT = 0.5  # a word found only in the sentence's context (its article's title) counts half
MAX_CACHED_WORDS = 20_000

# Words that shape the question rather than name what it is about.
QUESTION_WORDS = frozenset("""many much long old far big large number numbers percentage share proportion
happen happened happening mean means meant kind type sort thing things way ways exactly really
actually ever still anything something someone anyone anybody somebody people person going get got
make made give gave take took plan planned """.split()) | {"say", "said", "says", "tell", "told"}

_QUANTITY = re.compile(r"^\W*(?:how\s+(?:many|much|old|long|far|big|large|often)|by\s+how\s+much|what\s+"
                       r"(?:percentage|share|proportion|number|amount|price|cost|size|score)|"
                       r"what\s+(?:is|was|were|are)\s+the\s+(?:cost|price|number|size|score|amount|total)\b)",
                       re.I)
_HOW_OLD = re.compile(r"^\W*how\s+old\b", re.I)
_AGE = re.compile(r"\b(?:aged?\s+\d+|\d+\s*(?:-\s*)?years?(?:\s*-\s*|\s+)old|,\s*\d{1,3}\s*,)", re.I)
_WHEN = re.compile(r"^\W*(?:when|what\s+(?:day|date|time|year|month))\b", re.I)
_WHO = re.compile(r"^\W*(?:who(?:m|se)?\b|which\s+(?:company|firm|club|team|person|people|group|organi[sz]ation|"
                  r"party|official|minister|country|city|business|contractor|council)\b)", re.I)
_TIME_WORDS = frozenset("""today yesterday tomorrow tonight morning afternoon evening night week weekend month
year monday tuesday wednesday thursday friday saturday sunday spring summer autumn winter later earlier
soon next last""".split()) | frozenset(MONTHS)


@dataclass
class Relevance:
    """Whether a sentence answers a question, and why (not)."""

    answers: bool
    share: float  # idf-weighted share of the question's focus words the sentence covers
    missing: list[str] = field(default_factory=list)  # focus words it lacks
    reasons: list[str] = field(default_factory=list)


def answer_type(question: str) -> str | None:
    """What kind of answer the question wants: ``quantity``, ``time``, ``name`` or None."""
    if _HOW_OLD.match(question):
        return "age"
    if _QUANTITY.match(question):
        return "quantity"
    if _WHEN.match(question):
        return "time"
    if _WHO.match(question):
        return "name"
    return None


def has_answer_type(kind: str | None, sentence: str) -> bool:
    """The sentence contains an answer of ``kind`` (a number, a date or time, a name)."""
    if kind == "age":
        return bool(_AGE.search(sentence))
    if kind == "quantity":
        return bool(numbers(sentence))
    if kind == "time":
        return bool(numbers(sentence)) or bool(_TIME_WORDS & set(words(sentence)))
    if kind == "name":
        return bool(names(sentence))
    return True


_PERCENT = re.compile(r"\s*(?:%|per\s*cent\b|percent\b)", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_COUNTED_REACH = 3  # words between a number and what it counts: "140 new teaching jobs"


def counts(measured: str, sentence: str) -> bool:
    """A number of ``sentence`` counts ``measured`` (the words of what a how-many question
    asks the number of, or "percent" for a share): "140 jobs", "2,000 new nurses", "30
    percent", "15%"; not "600 families" for "jobs", nor "in 2023"."""
    wanted = {key(w) for w in words(measured)}
    for _, m in number_matches(sentence):
        after = sentence[m.end():]
        if measured == "percent" and _PERCENT.match(after):
            return True
        # a year counts nothing unless its very next word is the thing ("in 2023 jobs went")
        reach = 1 if _YEAR.fullmatch(m.group().strip()) else _COUNTED_REACH
        if wanted & {key(w) for w in words(after)[:reach]}:
            return True
    return False


def focus_words(question: str, skip: set[str] = frozenset()) -> list[str]:
    """The question's content words (folded, in order, each once) minus question words and
    ``skip`` (e.g. the words of a speaker's name when the question is about their words)."""
    out = []
    for w in words(question):
        w = w.replace("'", "").removesuffix("s") if w.endswith("'s") else w.replace("'", "")
        if w in STOPWORDS or w in QUESTION_WORDS or w in skip or w.isdigit() or len(w) < 2:
            continue
        if w not in out:
            out.append(w)
    return out


class WordVectors:
    """Unit-length embeddings of single words, cached: they depend on the model only, so one
    cache serves every judge and quote check of a process (at most ``MAX_CACHED_WORDS``)."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray]) -> None:
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}

    def of(self, wanted: list[str]) -> dict[str, np.ndarray]:
        """The vectors of ``wanted`` (the uncached ones embedded in one batch)."""
        # Read each vector once into ``out``: another thread may clear the cache meanwhile.
        out = {w: v for w in wanted if (v := self._vectors.get(w)) is not None}
        new = [w for w in dict.fromkeys(wanted) if w not in out]
        if new:
            if len(self._vectors) + len(new) > MAX_CACHED_WORDS:
                self._vectors.clear()
            matrix = np.asarray(self._embed(new), dtype=np.float32)
            matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
            fresh = dict(zip(new, matrix))
            self._vectors.update(fresh)
            out.update(fresh)
        return out

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words."""
        vectors = self.of([a, b])
        return float(vectors[a] @ vectors[b])


class RelevanceJudge:
    """Judges sentences against one index: word rarity from its BM25 index, synonyms from
    the embedding model (``word_vectors``; ``None``: exact and stemmed words only)."""

    def __init__(self, idf: Callable[[str], float], word_vectors: WordVectors | None) -> None:
        self._idf = idf
        self._words = word_vectors

    def judge(self, question: str, sentence: str, skip: set[str] = frozenset(),
              kind: str | None = "auto", entities: list[set[str]] = (), context: str = "") -> Relevance:
        """Does ``sentence`` answer ``question``? ``kind``: the expected answer type
        ("auto": from the question's wording; None: any); ``entities``: the folded words of
        each entity the question names (all its names and aliases), each covered as a whole;
        ``context``: text around the sentence (its article's title) that counts for less."""
        kind = answer_type(question) if kind == "auto" else kind
        reasons = []
        if not has_answer_type(kind, sentence):
            reasons.append({"age": "gives no age", "quantity": "gives no number", "time": "gives no date or time",
                            "name": "names no one"}[kind])
        focus = focus_words(question, skip)
        if not focus:
            return Relevance(not reasons, 1.0, [], reasons)
        weights = {w: self.rarity(w) for w in focus}
        covered = self._with_entities(self._covered(focus, sentence), focus, entities)
        in_context = set()
        if context:
            in_context = self._with_entities(self._covered(focus, context), focus, entities) - covered
        total = sum(weights.values()) or 1.0
        share = (sum(weights[w] for w in covered) + CONTEXT_WEIGHT * sum(weights[w] for w in in_context)) / total
        missing = [w for w in focus if w not in covered]
        rarest = max(weights.values())
        if share < MIN_FOCUS_SHARE:
            reasons.append(f"covers {share:.0%} of the question's words (lacks {', '.join(missing)})")
        elif not covered & (rarest_words := {w for w in focus if weights[w] >= rarest - RAREST_TIE}):
            reasons.append(f"lacks the question's rarest word ({', '.join(sorted(rarest_words))})")
        return Relevance(not reasons, share, missing, reasons)

    def rarity(self, word: str) -> float:
        """The word's idf in the index, by its stem (the light stemmer turns "leaving" into
        "leav" but "leave" into "leave": both forms are tried, the commoner counts)."""
        base = stem(word)
        return min(self._idf(base), self._idf(base + "e")) if not base.endswith("e") else self._idf(base)

    @staticmethod
    def _with_entities(covered: set[str], focus: list[str], entities: list[set[str]]) -> set[str]:
        out = set(covered)
        for group in entities:
            if group & covered:
                out |= group & set(focus)
        return out

    def _covered(self, focus: list[str], sentence: str) -> set[str]:
        sentence_words = {w.replace("'", "") for w in words(sentence)} - STOPWORDS
        stems = {stem(w) for w in sentence_words}
        keys = {key(w) for w in sentence_words}
        covered = {w for w in focus if stem(w) in stems or key(w) in keys}
        rest = [w for w in focus if w not in covered]
        if rest and sentence_words and self._words is not None:
            candidates = sorted(sentence_words)
            vectors = self._words.of(rest + candidates)
            sentence_matrix = np.stack([vectors[w] for w in candidates])
            for w in rest:
                if float(np.max(sentence_matrix @ vectors[w])) >= SYNONYM_SIMILARITY:
                    covered.add(w)
        return covered
