"""Lexical retrieval: Okapi BM25 over the store's sentences, held in memory.

Built from the store once per process and rebuilt when the store's generation token
changes (an article was written or deleted). The index holds no Python object per
sentence, so it stays small at millions of sentences:

* a sentence is its article's number (``int32``) and its position in the article
  (``int32``); its id ``<article_id>:<n>`` is rebuilt only for the hits returned;
* every (term, sentence) pair goes into one flat token stream; numpy counts and groups
  the pairs, so a term's postings are slices of two arrays (sentence numbers, and the
  BM25 term weight ``tf·(k1+1) / (tf + k1·(1-b+b·len/avglen))`` computed once at
  build time); a repeated sentence text is tokenised once;
* article and speaker filters are CSR groupings (a sorted array and offsets per key).

A query costs one vectorised pass per query term and a partial sort.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.text import terms
from index.store import SentenceRecord

K1 = 1.2
B = 0.75
TOKEN_CACHE_LIMIT = 200_000  # distinct texts whose tokens are remembered while building


@dataclass
class LexicalHit:
    sentence_id: str
    score: float


@dataclass(frozen=True)
class LexicalRow:
    """What the index needs of one stored sentence."""

    id: str
    article_id: str
    text: str
    speaker_ids: tuple[str, ...] | list[str] = ()


class _Groups:
    """``key -> sorted int32 array of sentence numbers``, stored as one array and offsets."""

    def __init__(self, key_of_pair: np.ndarray, doc_of_pair: np.ndarray, names: list[str]) -> None:
        order = np.lexsort((doc_of_pair, key_of_pair))
        self._docs = doc_of_pair[order].astype(np.int32)
        self._bounds = np.searchsorted(key_of_pair[order], np.arange(len(names) + 1))
        self._number = {name: i for i, name in enumerate(names)}

    def docs(self, key: str) -> np.ndarray | None:
        i = self._number.get(key)
        return None if i is None else self._docs[self._bounds[i] : self._bounds[i + 1]]


class BM25Index:
    """An in-memory BM25 index over sentence records (or ``LexicalRow``s)."""

    def __init__(self, records: Iterable[SentenceRecord | LexicalRow]) -> None:
        article_number: dict[str, int] = {}
        self._articles: list[str] = []
        self._odd_ids: dict[int, str] = {}  # ids not of the form <article_id>:<n>
        doc_article = array("i")
        doc_n = array("i")
        lengths = array("i")
        stream = array("i")  # term numbers of every sentence, one after the other
        vocabulary: dict[str, int] = {}
        token_cache: dict[str, array] = {}
        speaker_number: dict[str, int] = {}
        speaker_of_pair = array("i")
        doc_of_speaker_pair = array("i")
        for doc, record in enumerate(records):
            a = article_number.get(record.article_id)
            if a is None:
                a = article_number[record.article_id] = len(self._articles)
                self._articles.append(record.article_id)
            doc_article.append(a)
            head, _, tail = record.id.rpartition(":")
            if head == record.article_id and tail.isdigit() and str(int(tail)) == tail:
                doc_n.append(int(tail))
            else:
                doc_n.append(-1)
                self._odd_ids[doc] = record.id
            for speaker in record.speaker_ids:
                s = speaker_number.setdefault(speaker, len(speaker_number))
                speaker_of_pair.append(s)
                doc_of_speaker_pair.append(doc)
            tokens = token_cache.get(record.text)
            if tokens is None:
                tokens = array("i", [vocabulary.setdefault(t, len(vocabulary)) for t in terms(record.text)])
                if len(token_cache) >= TOKEN_CACHE_LIMIT:
                    token_cache.clear()
                token_cache[record.text] = tokens
            stream.extend(tokens)
            lengths.append(len(tokens))
        del token_cache
        self.size = len(doc_article)
        self._doc_article = np.frombuffer(doc_article, dtype=np.int32).copy()
        self._doc_n = np.frombuffer(doc_n, dtype=np.int32).copy()
        length = np.frombuffer(lengths, dtype=np.int32).astype(np.float32)
        self.avg_length = float(length.mean()) if self.size else 0.0
        self._term_number = vocabulary
        self._df, self._post_docs, self._post_weights, self._bounds = self._postings(
            np.frombuffer(stream, dtype=np.int32), length, len(vocabulary))
        all_docs = np.arange(self.size, dtype=np.int32)
        self._by_article = _Groups(self._doc_article, all_docs, self._articles)
        self._by_speaker = _Groups(np.frombuffer(speaker_of_pair, dtype=np.int32),
                                   np.frombuffer(doc_of_speaker_pair, dtype=np.int32),
                                   list(speaker_number))

    def _postings(self, stream: np.ndarray, length: np.ndarray, n_terms: int):
        """Document frequencies, and per term (by offsets) its sentences and BM25 weights."""
        if not self.size or not len(stream):
            empty = np.zeros(0, dtype=np.int32)
            return np.zeros(n_terms, dtype=np.int64), empty, empty.astype(np.float32), np.zeros(n_terms + 1,
                                                                                              dtype=np.int64)
        docs = np.repeat(np.arange(self.size, dtype=np.int64), length.astype(np.int64))
        pairs, tf = np.unique(stream.astype(np.int64) * self.size + docs, return_counts=True)  # by term, then doc
        del docs
        pair_terms = pairs // self.size
        pair_docs = (pairs - pair_terms * self.size).astype(np.int32)
        del pairs
        bounds = np.searchsorted(pair_terms, np.arange(n_terms + 1))
        del pair_terms
        tf = tf.astype(np.float32)
        norm = K1 * (1 - B + B * length[pair_docs] / max(self.avg_length, 1e-9))
        weights = (tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        return np.diff(bounds), pair_docs, weights, bounds

    def idf(self, term: str) -> float:
        i = self._term_number.get(term)
        df = int(self._df[i]) if i is not None else 0
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def sentence_id(self, doc: int) -> str:
        """The stored id of sentence number ``doc``."""
        n = int(self._doc_n[doc])
        return self._odd_ids[doc] if n < 0 else f"{self._articles[self._doc_article[doc]]}:{n}"

    def search(self, query: str, k: int = 50, allowed: np.ndarray | None = None) -> list[LexicalHit]:
        """Top-``k`` sentences by BM25; ``allowed`` is a boolean mask over documents."""
        if not self.size:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        for term in set(terms(query)):
            i = self._term_number.get(term)
            if i is None or not self._df[i]:
                continue
            lo, hi = self._bounds[i], self._bounds[i + 1]
            scores[self._post_docs[lo:hi]] += np.float32(self.idf(term)) * self._post_weights[lo:hi]
        if allowed is not None:
            scores[~allowed] = 0.0
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # Best first; ties in document order (the order a full stable sort would give).
        top = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [LexicalHit(self.sentence_id(int(i)), float(scores[i])) for i in top]

    def mask(self, article_ids: set[str] | None = None, speaker_ids: set[str] | None = None) -> np.ndarray | None:
        """A document mask for the filters (``None`` when nothing is filtered)."""
        if not article_ids and not speaker_ids:
            return None
        keep = np.ones(self.size, dtype=bool)
        for wanted, groups in ((article_ids, self._by_article), (speaker_ids, self._by_speaker)):
            if wanted:
                part = np.zeros(self.size, dtype=bool)
                for key in wanted:
                    docs = groups.docs(key)
                    if docs is not None:
                        part[docs] = True
                keep &= part
        return keep

    def nbytes(self) -> int:
        """Bytes held by the index's arrays (not counting the vocabulary and article ids)."""
        arrays = (self._doc_article, self._doc_n, self._df, self._post_docs, self._post_weights, self._bounds,
                  self._by_article._docs, self._by_speaker._docs)
        return int(sum(a.nbytes for a in arrays))
