"""Lexical retrieval: Okapi BM25 over the store's sentences, held in memory.

Built from the store once per process and rebuilt when the store's generation token
changes (an article was written or deleted). Postings are numpy arrays, so a query
costs one vectorised pass per query term.
"""

from __future__ import annotations

import math
from collections import defaultdict
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


class BM25Index:
    """An in-memory BM25 index over sentence records."""

    def __init__(self, records: Iterable[SentenceRecord]) -> None:
        self.ids: list[str] = []
        self.article_ids: list[str] = []
        self.speaker_ids: list[tuple[str, ...]] = []
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        lengths: list[int] = []
        for record in records:
            doc = len(self.ids)
            self.ids.append(record.id)
            self.article_ids.append(record.article_id)
            self.speaker_ids.append(tuple(record.speaker_ids))
            toks = terms(record.text)
            lengths.append(len(toks))
            for tok in toks:
                postings[tok][doc] = postings[tok].get(doc, 0) + 1
        self.size = len(self.ids)
        self.lengths = np.asarray(lengths, dtype=np.float32)
        self.avg_length = float(self.lengths.mean()) if self.size else 0.0
        self.postings = {
            tok: (np.fromiter(docs.keys(), dtype=np.int32, count=len(docs)),
                  np.fromiter(docs.values(), dtype=np.float32, count=len(docs)))
            for tok, docs in postings.items()
        }

    def idf(self, term: str) -> float:
        df = len(self.postings[term][0]) if term in self.postings else 0
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int = 50, allowed: np.ndarray | None = None) -> list[LexicalHit]:
        """Top-``k`` sentences by BM25; ``allowed`` is a boolean mask over documents."""
        if not self.size:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        for term in set(terms(query)):
            if term not in self.postings:
                continue
            docs, tf = self.postings[term]
            norm = K1 * (1 - B + B * self.lengths[docs] / max(self.avg_length, 1e-9))
            scores[docs] += self.idf(term) * tf * (K1 + 1) / (tf + norm)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores)[:k]
        return [LexicalHit(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def mask(self, article_ids: set[str] | None = None, speaker_ids: set[str] | None = None) -> np.ndarray | None:
        """A document mask for the filters (``None`` when nothing is filtered)."""
        if not article_ids and not speaker_ids:
            return None
        keep = np.ones(self.size, dtype=bool)
        if article_ids:
            keep &= np.fromiter((a in article_ids for a in self.article_ids), dtype=bool, count=self.size)
        if speaker_ids:
            keep &= np.fromiter((bool(speaker_ids.intersection(s)) for s in self.speaker_ids),
                                dtype=bool, count=self.size)
        return keep
