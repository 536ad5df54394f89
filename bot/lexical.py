"""Lexical retrieval: Okapi BM25 over the store's sentences, held in memory.

Built from the store once per process and rebuilt when the store's generation token
changes (an article was written or deleted). The build is vectorised: every (term,
document) pair goes into two integer arrays, counted and grouped by numpy, so postings
are slices of one array per term; a repeated sentence text (wire copies, re-runs) is
tokenised once. A query costs one vectorised pass per query term and a partial sort;
speaker and article filters are unions of precomputed postings, not scans.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.text import terms
from index.store import SentenceRecord

K1 = 1.2
B = 0.75


@dataclass
class LexicalHit:
    sentence_id: str
    score: float


def _group(keys: list[str], values: list[int]) -> dict[str, np.ndarray]:
    """``key -> sorted int32 array of its values`` (keys given once per value)."""
    out: dict[str, list[int]] = {}
    for key, value in zip(keys, values):
        out.setdefault(key, []).append(value)
    return {k: np.asarray(v, dtype=np.int32) for k, v in out.items()}


class BM25Index:
    """An in-memory BM25 index over sentence records."""

    def __init__(self, records: Iterable[SentenceRecord]) -> None:
        self.ids: list[str] = []
        vocabulary: dict[str, int] = {}
        token_cache: dict[str, list[int]] = {}
        term_ids: list[np.ndarray] = []
        lengths: list[int] = []
        article_keys: list[str] = []
        speaker_keys: list[str] = []
        speaker_docs: list[int] = []
        for record in records:
            doc = len(self.ids)
            self.ids.append(record.id)
            article_keys.append(record.article_id)
            for speaker in record.speaker_ids:
                speaker_keys.append(speaker)
                speaker_docs.append(doc)
            tokens = token_cache.get(record.text)
            if tokens is None:
                tokens = token_cache[record.text] = [vocabulary.setdefault(t, len(vocabulary))
                                                     for t in terms(record.text)]
            term_ids.append(np.asarray(tokens, dtype=np.int64))
            lengths.append(len(tokens))
        self.size = len(self.ids)
        self.lengths = np.asarray(lengths, dtype=np.float32)
        self.avg_length = float(self.lengths.mean()) if self.size else 0.0
        self.postings = self._postings(vocabulary, term_ids, lengths)
        self._by_article = _group(article_keys, list(range(self.size)))
        self._by_speaker = _group(speaker_keys, speaker_docs)

    def _postings(self, vocabulary: dict[str, int], term_ids: list[np.ndarray],
                  lengths: list[int]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """``term -> (document indices, term frequencies)``, built with numpy."""
        if not vocabulary or not term_ids:
            return {}
        tids = np.concatenate(term_ids) if term_ids else np.zeros(0, dtype=np.int64)
        docs = np.repeat(np.arange(self.size, dtype=np.int64), np.asarray(lengths, dtype=np.int64))
        pairs, tf = np.unique(tids * self.size + docs, return_counts=True)  # sorted by term, then doc
        pair_terms = pairs // self.size
        pair_docs = (pairs % self.size).astype(np.int32)
        bounds = np.searchsorted(pair_terms, np.arange(len(vocabulary) + 1))
        tf = tf.astype(np.float32)
        return {term: (pair_docs[bounds[i] : bounds[i + 1]], tf[bounds[i] : bounds[i + 1]])
                for term, i in vocabulary.items() if bounds[i + 1] > bounds[i]}

    def idf(self, term: str) -> float:
        df = len(self.postings[term][0]) if term in self.postings else 0
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int = 50, allowed: np.ndarray | None = None) -> list[LexicalHit]:
        """Top-``k`` sentences by BM25; ``allowed`` is a boolean mask over documents."""
        if not self.size:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        avg = max(self.avg_length, 1e-9)
        for term in set(terms(query)):
            if term not in self.postings:
                continue
            docs, tf = self.postings[term]
            norm = K1 * (1 - B + B * self.lengths[docs] / avg)
            scores[docs] += self.idf(term) * tf * (K1 + 1) / (tf + norm)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # Best first; ties in document order (the order a full stable sort would give).
        top = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [LexicalHit(self.ids[i], float(scores[i])) for i in top]

    def mask(self, article_ids: set[str] | None = None, speaker_ids: set[str] | None = None) -> np.ndarray | None:
        """A document mask for the filters (``None`` when nothing is filtered)."""
        if not article_ids and not speaker_ids:
            return None
        keep = np.ones(self.size, dtype=bool)
        for wanted, postings in ((article_ids, self._by_article), (speaker_ids, self._by_speaker)):
            if wanted:
                part = np.zeros(self.size, dtype=bool)
                for key in wanted:
                    if key in postings:
                        part[postings[key]] = True
                keep &= part
        return keep
