"""Hybrid retrieval of sentences: dense (Chroma) + lexical (BM25), filters, reranking.

``SentenceRetriever`` is a LangChain ``BaseRetriever``: ``invoke(question)`` returns
``Document``s (one per sentence, score and features in the metadata). ``search`` gives
the same results as typed ``ScoredSentence``s for the answerer and the quote checker.

Score = 0.6 x dense cosine + 0.4 x normalised BM25, then named reranking features:
``speaker_match`` (the sentence is a statement by a speaker the question names) and
``statement`` (the sentence is part of some attribution). Results are only ever
sentences of committed articles (see ``index.store``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.lexical import BM25Index
from bot.text import terms
from index.store import ArticleRecord, SentenceRecord, Store, date_number, sentence_record

DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
SPEAKER_BONUS = 0.25
STATEMENT_BONUS = 0.05
CANDIDATES = 60


@dataclass
class Filters:
    """Restrict retrieval to speakers, articles and a date range (ISO dates, inclusive)."""

    speaker_ids: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None

    def chroma_where(self) -> dict | None:
        clauses: list[dict] = []
        if self.speaker_ids:
            sp = [{"speaker_ids": {"$contains": s}} for s in self.speaker_ids]
            clauses.append(sp[0] if len(sp) == 1 else {"$or": sp})
        if self.article_ids:
            clauses.append({"article_id": {"$in": list(self.article_ids)}})
        if self.since:
            clauses.append({"date_num": {"$gte": date_number(self.since)}})
        if self.until:
            clauses.append({"date_num": {"$lte": date_number(self.until)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class ScoredSentence:
    """A retrieved sentence, its article, its fused score and the features behind it."""

    sentence: SentenceRecord
    article: ArticleRecord
    score: float
    dense: float
    lexical: float
    features: dict[str, float] = field(default_factory=dict)


class LexicalCache:
    """The BM25 index of a store, rebuilt when the store's generation changes.

    Also caches, per generation, the committed articles' metadata and the sentence
    records that retrieval has fetched: within one generation nothing is written, so a
    cached record is exactly what the store would return, and a query costs one Chroma
    round trip for the sentences it has not seen yet instead of three."""

    MAX_RECORDS = 200_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._index: BM25Index | None = None
        self._articles: dict[str, ArticleRecord | None] = {}
        self._sentences: dict[str, SentenceRecord] = {}
        self._count: int | None = None

    def _sync(self, generation: str) -> None:
        if generation != self._generation:
            self._index = None
            self._articles, self._sentences = {}, {}
            self._count = None
            self._generation = generation

    def get(self, store: Store, generation: str | None = None) -> BM25Index:
        generation = store.generation() if generation is None else generation
        with self._lock:
            self._sync(generation)
            if self._index is None:
                self._index = BM25Index(store.iter_sentences())
            return self._index

    def articles(self, store: Store, generation: str, ids: set[str]) -> dict[str, ArticleRecord]:
        """Committed articles among ``ids`` (metadata only), cached for the generation."""
        with self._lock:
            self._sync(generation)
            missing = {i for i in ids if i not in self._articles}
        found = store.article_metadata(missing) if missing else {}
        with self._lock:
            if generation == self._generation:
                self._trim(self._articles)
                self._articles.update({i: found.get(i) for i in missing})
            known = {i: self._articles.get(i, found.get(i)) for i in ids}
        return {i: r for i, r in known.items() if r is not None}

    def sentences(self, store: Store, generation: str, ids: list[str]) -> tuple[dict[str, SentenceRecord],
                                                                                dict[str, ArticleRecord]]:
        """Sentences of committed articles among ``ids`` and their articles (cached)."""
        with self._lock:
            self._sync(generation)
            missing = [i for i in dict.fromkeys(ids) if i not in self._sentences]
        fetched: dict[str, SentenceRecord] = {}
        collection = store.collection("sentences")
        for start in range(0, len(missing), 500):
            got = collection.get(ids=missing[start : start + 500], include=["documents", "metadatas"])
            for sid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                fetched[sid] = sentence_record(sid, doc, meta)
        with self._lock:
            if generation == self._generation:
                self._trim(self._sentences)
                self._sentences.update(fetched)
            records = {i: self._sentences.get(i) or fetched.get(i) for i in ids}
        records = {i: r for i, r in records.items() if r is not None}
        articles = self.articles(store, generation, {r.article_id for r in records.values()})
        return {i: r for i, r in records.items() if r.article_id in articles}, articles

    def sentence_count(self, store: Store, generation: str) -> int:
        """How many sentence records the store holds (counted once per generation)."""
        with self._lock:
            self._sync(generation)
            if self._count is None:
                self._count = store.collection("sentences").count()
            return self._count

    def _trim(self, cache: dict) -> None:
        if len(cache) > self.MAX_RECORDS:
            cache.clear()


class SentenceRetriever(BaseRetriever):
    """Hybrid lexical + dense sentence retriever over a whosaid store."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    embeddings: object
    lexical_cache: LexicalCache
    k: int = 8
    filters: Filters = Filters()
    mode: str = "reranked"  # "dense" | "lexical" | "hybrid" | "reranked" (benchmarks)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=hit.sentence.text, id=hit.sentence.id, metadata={
                "sentence_id": hit.sentence.id, "article_id": hit.sentence.article_id,
                "start": hit.sentence.start, "end": hit.sentence.end, "score": hit.score,
                "dense": hit.dense, "lexical": hit.lexical, "speakers": hit.sentence.speakers,
                "title": hit.article.title, "outlet": hit.article.outlet, "date": hit.article.date,
                "url": hit.article.url, **hit.features})
            for hit in self.search(query, self.filters, self.k)
        ]

    def search(self, query: str, filters: Filters | None = None, k: int | None = None,
               query_vector: np.ndarray | None = None,
               prefer_speaker_ids: list[str] | None = None) -> list[ScoredSentence]:
        """The top sentences for ``query`` under ``filters``, best first.

        ``prefer_speaker_ids`` raises statements by those speakers without excluding others
        (a question that names someone is not always about their own words)."""
        filters = filters or Filters()
        k = k or self.k
        if not terms(query) and query_vector is None and not query.strip():
            return []
        generation = self.store.generation()
        dense = {} if self.mode == "lexical" else self._dense(query, filters, query_vector, generation)
        lexical = {} if self.mode == "dense" else self._lexical(query, filters, generation)
        candidate_ids = list(dict.fromkeys(list(dense) + list(lexical)))
        # Only sentences of committed articles (see index.store), cached per generation.
        records, articles = self.lexical_cache.sentences(self.store, generation, candidate_ids)
        wanted = set(filters.speaker_ids) | set(prefer_speaker_ids or ())
        hits: list[ScoredSentence] = []
        for sid in candidate_ids:
            record = records.get(sid)
            if record is None or record.article_id not in articles:
                continue
            d, lex = dense.get(sid, 0.0), lexical.get(sid, 0.0)
            if self.mode == "dense":
                score = d
            elif self.mode == "lexical":
                score = lex
            else:
                score = DENSE_WEIGHT * d + LEXICAL_WEIGHT * lex
            features = {"speaker_match": float(bool(wanted & set(record.speaker_ids))),
                        "statement": float(bool(record.speaker_ids))}
            if self.mode == "reranked":
                score += SPEAKER_BONUS * features["speaker_match"] + STATEMENT_BONUS * features["statement"]
            hits.append(ScoredSentence(record, articles[record.article_id], score, d, lex, features))
        hits.sort(key=lambda h: (-h.score, h.sentence.article_id, h.sentence.n))
        return hits[:k]

    def _dense(self, query: str, filters: Filters, vector: np.ndarray | None, generation: str) -> dict[str, float]:
        if vector is None:
            vector = self.embeddings.embed_array([query])[0]
        collection = self.store.collection("sentences")
        n = min(CANDIDATES, max(self.lexical_cache.sentence_count(self.store, generation), 1))
        got = collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=n,
                               where=filters.chroma_where(), include=["distances"])
        return {sid: 1.0 - float(dist) for sid, dist in zip(got["ids"][0], got["distances"][0])}

    def _lexical(self, query: str, filters: Filters, generation: str) -> dict[str, float]:
        index = self.lexical_cache.get(self.store, generation)
        query_terms = set(terms(query))
        if not query_terms or not index.size:
            return {}
        ceiling = sum(index.idf(t) for t in query_terms)
        mask = index.mask(set(filters.article_ids) or None, set(filters.speaker_ids) or None)
        hits = index.search(query, k=CANDIDATES, allowed=mask)
        out = {h.sentence_id: min(1.0, h.score / ceiling) for h in hits}
        if filters.since or filters.until:
            records, articles = self.lexical_cache.sentences(self.store, generation, list(out))
            lo, hi = date_number(filters.since), date_number(filters.until)
            for sid in list(out):
                rec = records.get(sid)
                day = date_number(articles[rec.article_id].date) if rec and rec.article_id in articles else None
                if day is None or (lo and day < lo) or (hi and day > hi):
                    del out[sid]
        return out
