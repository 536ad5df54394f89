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

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from chromadb.errors import ChromaError
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot import vector_file
from bot.lexical import BM25Index, LexicalRow
from bot.vector_file import VectorFile, VectorWriter
from bot.text import terms
from index.store import ArticleRecord, SentenceRecord, Store, date_number, sentence_record

DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
SPEAKER_BONUS = 0.25
STATEMENT_BONUS = 0.05
CANDIDATES = 60
IN_PROCESS_DENSE_MIN = 500  # see ``in_process_dense_limit``
OVERSAMPLE_SHARE = 0.02  # allowed share of the store from which an unfiltered query is tried first


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


def in_process_dense_limit(total_sentences: int) -> int:
    """Up to how many allowed sentences a filtered dense search runs in process.

    The two ways cost differently. In process, the allowed sentences' vectors are read
    from Chroma by id (about 45 µs each when not cached) and scored exactly. Chroma's
    HNSW search restricted to ids walks the graph until it has found enough allowed
    sentences, so it costs about inversely to the allowed share: 17-26 ms for 0.76 % of
    217k sentences, 228 ms for 0.05 % and 48 ms for 0.25 % of 2.0 M (bench notes in
    docs/benchmarks.md). The costs meet at about 1.6·√total allowed sentences
    (750 at 217k, 2,300 at 2.0 M)."""
    return max(IN_PROCESS_DENSE_MIN, int(1.6 * math.sqrt(max(total_sentences, 0))))


@dataclass
class ScoredSentence:
    """A retrieved sentence, its article, its fused score and the features behind it."""

    sentence: SentenceRecord
    article: ArticleRecord
    score: float
    dense: float
    lexical: float
    features: dict[str, float] = field(default_factory=dict)


def lexical_rows(store: Store, page: int = 5000, articles: set[str] | None = None,
                 vectors_to: VectorWriter | None = None):
    """Every stored sentence (of ``articles`` only, when given) as the few fields the BM25
    index keeps, read a page at a time without building records; with ``vectors_to``,
    their vectors are appended to it in the same order."""
    collection = store.collection("sentences")
    include = ["documents", "metadatas"] + (["embeddings"] if vectors_to is not None else [])
    for offset in range(0, collection.count(), page):
        got = collection.get(include=include, limit=page, offset=offset)
        kept = [i for i, meta in enumerate(got["metadatas"]) if articles is None or meta["article_id"] in articles]
        if vectors_to is not None and kept:
            vectors_to.append(np.asarray(got["embeddings"], dtype=np.float32)[kept])
        for i in kept:
            meta = got["metadatas"][i]
            yield LexicalRow(got["ids"][i], meta["article_id"], got["documents"][i], meta.get("speaker_ids") or (),
                             meta.get("date_num") or 0)


def lexical_rows_of(store: Store, article_ids: Iterable[str], page: int = 2000):
    """The sentences of these committed articles as ``LexicalRow``s, read by id (an
    article record counts its sentences; their ids are ``<article_id>:0 … n-1``)."""
    records = store.article_metadata(article_ids)
    ids = [f"{a}:{n}" for a in sorted(records) for n in range(records[a].sentences)]
    collection = store.collection("sentences")
    for start in range(0, len(ids), page):
        got = collection.get(ids=ids[start : start + page], include=["documents", "metadatas"])
        for sid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
            yield LexicalRow(sid, meta["article_id"], doc, meta.get("speaker_ids") or (), meta.get("date_num") or 0)


def _glibc():
    """The C library when it is glibc (Linux), else ``None``."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas for threads created from now on (called once per process,
    by ``bot.runtime.Runtime``, before the store's client starts). Chroma's reader threads
    each get an arena by default, and a full read of the sentences (the BM25 build) left
    hundreds of MiB of freed memory spread over them: at 10k articles the build added
    620 MiB of RSS for an 18 MiB index. No-op outside glibc."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(-8, arenas)  # M_ARENA_MAX


def release_free_memory() -> None:
    """Give freed heap pages back to the OS (after the BM25 build). No-op outside glibc."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


class LexicalCache:
    """The BM25 index of a store's committed articles, kept current across writes.

    When the store's generation changes, the index is brought up to date by articles:
    the committed article ids are listed, the sentences of new ones are read by id and
    added, deleted ones are dropped (``BM25Index.updated``). The index is saved in
    ``snapshot_dir`` (after a full build, and once ``SNAPSHOT_EVERY`` articles have
    changed since the last save), so a new process starts from the saved index plus the
    articles written since, instead of reading every sentence through Chroma. A saved
    index is only a cache: one of another collection, format or damaged is rebuilt.

    Also caches, per generation, the committed articles' metadata and the sentence
    records that retrieval has fetched: within one generation nothing is written, so a
    cached record is exactly what the store would return, and a query costs one Chroma
    round trip for the sentences it has not seen yet instead of three."""

    MAX_RECORDS = 200_000
    MAX_VECTORS = 40_000  # 384-d float32: 60 MiB at most
    SNAPSHOT_EVERY = 200  # articles added or removed since the last save
    REBUILD_SHARE = 0.5  # more new articles than this share of the store: read everything

    def __init__(self, snapshot_dir: Path | None = None) -> None:
        self.snapshot_dir = snapshot_dir
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._index: BM25Index | None = None
        self._previous: BM25Index | None = None  # the last generation's index, to update
        self._unsaved = 0  # articles changed since the index was last saved
        self._articles: dict[str, ArticleRecord | None] = {}
        self._sentences: dict[str, SentenceRecord] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._vector_files: dict[str, VectorFile] = {}
        self._count: int | None = None
        self.last_refresh: dict = {}  # how the index was last brought up to date (benchmarks)

    def _sync(self, generation: str) -> None:
        if generation != self._generation:
            self._previous = self._index or self._previous
            self._index = None
            # Vectors stay: a sentence id names one text (its article's id hashes the
            # text), so its vector never changes; a deleted sentence is never asked for.
            self._articles, self._sentences = {}, {}
            self._count = None
            self._generation = generation

    def get(self, store: Store, generation: str | None = None) -> BM25Index:
        generation = store.generation() if generation is None else generation
        with self._lock:
            self._sync(generation)
            if self._index is None:
                self._index = self._refresh(store)
                self._previous = None
                release_free_memory()
            return self._index

    def _refresh(self, store: Store) -> BM25Index:
        """The index of the articles committed now, from the last one (or the saved one)."""
        started = time.perf_counter()
        committed = set(store.article_ids())  # listed after the generation was read: never older
        path = self._snapshot_path(store)
        base, source = self._previous, "previous"
        if base is None and path is not None:
            base, source = self._load(path, store), "saved"
        if base is not None:
            indexed = base.article_ids()
            added, removed = committed - indexed, indexed - committed
            if len(added) <= self.REBUILD_SHARE * len(committed):
                index = base.updated(lexical_rows_of(store, added), removed) if added or removed else base
                self._unsaved += len(added) + len(removed)
                if self._unsaved >= self.SNAPSHOT_EVERY:
                    self._save(index, path, store)
                self.last_refresh = {"from": source, "added": len(added), "removed": len(removed),
                                     "seconds": time.perf_counter() - started}
                return index
        writer = VectorWriter(path.parent, vector_file.new_name(store.layout)) if path is not None else None
        index = BM25Index(lexical_rows(store, articles=committed, vectors_to=writer))
        if writer is not None and writer.commit() and writer.rows == index.size:
            index.attach_vectors(writer.path.name)
        if self._save(index, path, store):
            # Earlier builds' files go only now: another process that saves an index
            # later may still name its own (then read from Chroma: slower, never wrong).
            vector_file.remove_others(path.parent, index.vector_file)
        self.last_refresh = {"from": "full read", "added": len(committed), "removed": 0,
                             "seconds": time.perf_counter() - started}
        return index

    def _snapshot_path(self, store: Store) -> Path | None:
        return self.snapshot_dir / f"lexical-{store.layout}.npz" if self.snapshot_dir else None

    @staticmethod
    def _collection_key(store: Store) -> str:
        return str(store.collection("sentences").id)  # a new id whenever the collection is recreated

    def _load(self, path: Path, store: Store) -> BM25Index | None:
        try:
            index, meta = BM25Index.load(path)
        except ValueError:
            return None  # missing or unreadable: build anew
        return index if meta.get("collection") == self._collection_key(store) else None

    def _save(self, index: BM25Index, path: Path | None, store: Store) -> bool:
        """Save ``index`` at ``path``; ``False`` when there is no path or it cannot be written."""
        if path is None:
            return False
        try:
            index.save(path, {"collection": self._collection_key(store)})
            for other in path.parent.glob("lexical-*.npz"):  # an earlier layout's (before a reindex)
                if other != path:
                    other.unlink(missing_ok=True)
            self._unsaved = 0
            return True
        except OSError:
            return False  # a read-only or full disk: the index still works, it is just not kept

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

    def vectors(self, store: Store, generation: str, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored sentence vectors by id (those that exist), cached (across generations: see ``_sync``)."""
        with self._lock:
            self._sync(generation)
            missing = [i for i in dict.fromkeys(ids) if i not in self._vectors]
        fetched: dict[str, np.ndarray] = {}
        collection = store.collection("sentences")
        for start in range(0, len(missing), 2000):
            got = collection.get(ids=missing[start : start + 2000], include=["embeddings"])
            if got["ids"]:
                fetched.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
        with self._lock:
            if generation == self._generation:
                if len(self._vectors) + len(fetched) > self.MAX_VECTORS:
                    self._vectors.clear()
                self._vectors.update(fetched)
            known = {i: self._vectors.get(i) for i in ids}
        return {i: v if v is not None else fetched[i] for i, v in known.items() if v is not None or i in fetched}

    def doc_vectors(self, store: Store, generation: str, index: BM25Index,
                    docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(docs found, their vectors)`` for sentence numbers ``docs`` of ``index``, in the
        order given: from the index's vector file where it has their rows, otherwise
        from Chroma (``vectors``)."""
        docs = np.asarray(docs, dtype=np.int64)
        rows = index.vector_rows(docs) if len(docs) else np.zeros(0, dtype=np.int32)
        in_file = rows >= 0
        matrix = np.zeros((len(docs), store.embedding_dim), dtype=np.float32)
        if in_file.any():
            opened = self._vector_file(index, store)
            got = opened.read(rows[in_file]) if opened is not None else None
            if got is None:
                in_file[:] = False
            else:
                matrix[in_file] = got
        found = in_file.copy()
        if not in_file.all():
            rest = np.flatnonzero(~in_file)
            rest_ids = index.sentence_ids(docs[rest])
            fetched = self.vectors(store, generation, rest_ids)
            for j, sid in zip(rest.tolist(), rest_ids):
                if sid in fetched:
                    matrix[j], found[j] = fetched[sid], True
        return docs[found], matrix[found]

    def close(self) -> None:
        """Close the vector files this cache opened (the runtime is done)."""
        with self._lock:
            files, self._vector_files = list(self._vector_files.values()), {}
        for opened in files:
            opened.close()

    def _vector_file(self, index: BM25Index, store: Store) -> VectorFile | None:
        if index.vector_file is None or self.snapshot_dir is None:
            return None
        with self._lock:
            opened = self._vector_files.get(index.vector_file)
            if opened is None:
                opened = VectorFile(self.snapshot_dir / index.vector_file, store.embedding_dim)
                self._vector_files[index.vector_file] = opened
            return opened

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
        # Scored from what the BM25 index knows of each candidate (its article, speakers):
        # it holds exactly the sentences of committed articles (see index.store), so a dense
        # hit it lacks is a leftover of an unfinished write. Records are read for the top k only.
        index = self.lexical_cache.get(self.store, generation)
        wanted = set(filters.speaker_ids) | set(prefer_speaker_ids or ())
        scored: list[tuple[float, str, int, str, float, float, dict[str, float]]] = []
        for sid in dict.fromkeys(list(dense) + list(lexical)):
            doc = index.doc_of(sid)
            if doc is None:
                continue
            d, lex = dense.get(sid, 0.0), lexical.get(sid, 0.0)
            if self.mode == "dense":
                score = d
            elif self.mode == "lexical":
                score = lex
            else:
                score = DENSE_WEIGHT * d + LEXICAL_WEIGHT * lex
            speaker_ids = index.speaker_ids_of(doc)
            features = {"speaker_match": float(bool(wanted.intersection(speaker_ids))),
                        "statement": float(bool(speaker_ids))}
            if self.mode == "reranked":
                score += SPEAKER_BONUS * features["speaker_match"] + STATEMENT_BONUS * features["statement"]
            scored.append((-score, index.article_of(doc), _position(sid), sid, d, lex, features))
        scored.sort(key=lambda row: row[:3])
        top = scored[:k]
        records, articles = self.lexical_cache.sentences(self.store, generation, [row[3] for row in top])
        return [ScoredSentence(records[sid], articles[records[sid].article_id], -neg, d, lex, features)
                for neg, _, _, sid, d, lex, features in top if sid in records]

    def _dense(self, query: str, filters: Filters, vector: np.ndarray | None, generation: str) -> dict[str, float]:
        if vector is None:
            vector = self.embeddings.embed_array([query])[0]
        vector = np.asarray(vector, dtype=np.float32)
        scoped = self._dense_scoped(vector, filters, generation)
        if scoped is not None:
            return scoped
        collection = self.store.collection("sentences")
        n = min(CANDIDATES, max(self.lexical_cache.sentence_count(self.store, generation), 1))
        got = collection.query(query_embeddings=[vector], n_results=n,
                               where=filters.chroma_where(), include=["distances"])
        return {sid: 1.0 - float(dist) for sid, dist in zip(got["ids"][0], got["distances"][0])}

    def allowed_ids(self, filters: Filters, generation: str | None = None) -> list[str] | None:
        """Ids of the committed articles' sentences the filters allow, from the BM25
        index's postings and article dates (no Chroma metadata filter); ``None`` when the
        filters have no speaker or article part (a date range alone allows too many
        sentences to list)."""
        if not (filters.speaker_ids or filters.article_ids):
            return None
        generation = self.store.generation() if generation is None else generation
        index = self.lexical_cache.get(self.store, generation)
        return index.sentence_ids(np.flatnonzero(self._mask(index, filters)))

    @staticmethod
    def _mask(index: BM25Index, filters: Filters) -> np.ndarray | None:
        return index.mask(set(filters.article_ids) or None, set(filters.speaker_ids) or None,
                          date_number(filters.since), date_number(filters.until))

    def statements_in_date_order(self, filters: Filters, generation: str) -> list[str]:
        """Ids of the sentences attributed to the filters' speakers (within their articles
        and dates), earliest article first, from the BM25 index alone."""
        index = self.lexical_cache.get(self.store, generation)
        mask = self._mask(index, filters)
        docs = np.flatnonzero(mask) if mask is not None else np.zeros(0, dtype=np.int64)
        return index.sentence_ids(index.in_date_order(docs))

    def _dense_scoped(self, vector: np.ndarray, filters: Filters, generation: str) -> dict[str, float] | None:
        """Dense top-``CANDIDATES`` among the sentences the filters allow, or ``None`` to
        leave the search to Chroma's metadata filter (no filter at all, or a sentence
        deleted meanwhile).

        Chroma answers a metadata-filtered query by evaluating the filter in SQLite and
        then walking its HNSW graph: 0.3 s at 217k sentences; at 2.0 M, 8-10 s for a
        surname shared by 40 speakers and 8-200 s for a date range. The BM25 index already
        knows every sentence's speakers, article and date, so the allowed sentences are
        known, and the cheapest of three exact-enough ways is taken:

        * few (``in_process_dense_limit``): scored here, from their vectors;
        * a large share (``OVERSAMPLE_SHARE`` of the store or more, e.g. a date range): an
          unfiltered HNSW query for ``2·CANDIDATES/share`` sentences, keeping the allowed
          ones; when fewer than ``CANDIDATES`` of them come back, the next way;
        * otherwise: Chroma's HNSW search restricted to their ids (≈1.2 µs an id)."""
        if not (filters.speaker_ids or filters.article_ids or filters.since or filters.until):
            return None
        index = self.lexical_cache.get(self.store, generation)
        mask = self._mask(index, filters)
        docs = np.flatnonzero(mask)
        if not len(docs):
            return {}
        total = self.lexical_cache.sentence_count(self.store, generation)
        if len(docs) <= in_process_dense_limit(total):
            return self._dense_exact(vector, index, docs, generation)
        collection = self.store.collection("sentences")
        share = len(docs) / max(total, 1)
        if share >= OVERSAMPLE_SHARE:
            n = min(total, math.ceil(2 * CANDIDATES / share))
            got = collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
            kept = {}
            for sid, dist in zip(got["ids"][0], got["distances"][0]):
                doc = index.doc_of(sid)
                if doc is not None and mask[doc]:
                    kept[sid] = 1.0 - float(dist)
                    if len(kept) == CANDIDATES:
                        return kept
            if n >= total:
                return kept
        try:
            got = collection.query(query_embeddings=[vector], ids=index.sentence_ids(docs),
                                   n_results=min(CANDIDATES, len(docs)), include=["distances"])
        except ChromaError:  # an allowed sentence deleted meanwhile: let the metadata filter decide
            return None
        return {sid: 1.0 - float(dist) for sid, dist in zip(got["ids"][0], got["distances"][0])}

    def _dense_exact(self, vector: np.ndarray, index: BM25Index, docs: np.ndarray,
                     generation: str) -> dict[str, float]:
        """Exact cosine top-``CANDIDATES`` among sentence numbers ``docs`` (ties in document
        order), from their stored vectors (the index's vector file, or Chroma, cached)."""
        docs, matrix = self.lexical_cache.doc_vectors(self.store, generation, index, docs)
        if not len(docs):
            return {}
        norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(vector)), 1e-12)
        similarity = matrix @ vector / np.maximum(norms, 1e-12)
        top = np.argsort(-similarity, kind="stable")[:CANDIDATES]
        return dict(zip(index.sentence_ids(docs[top]), similarity[top].astype(float).tolist()))

    def _lexical(self, query: str, filters: Filters, generation: str) -> dict[str, float]:
        index = self.lexical_cache.get(self.store, generation)
        query_terms = set(terms(query))
        if not query_terms or not index.size:
            return {}
        ceiling = sum(index.idf(t) for t in query_terms)
        hits = index.search(query, k=CANDIDATES, allowed=self._mask(index, filters))
        return {h.sentence_id: min(1.0, h.score / ceiling) for h in hits}


def _position(sentence_id: str) -> int:
    """A sentence's position in its article, from its id ``<article_id>:<n>``."""
    tail = sentence_id.rpartition(":")[2]
    return int(tail) if tail.isdigit() else -1
