"""``whosaid reindex``: rebuild all derived data from the stored article texts.

Runs the current pipeline (sentences, attributions, chunks, speakers) over every stored
article and writes a new layout; sentence vectors are reused from the old layout when
the embedding model is unchanged (only new sentence texts are embedded). The new layout
becomes active in one step at the end, so an interrupted reindex leaves the old store
working; the old layout is then dropped.
"""

from __future__ import annotations

import uuid

from index.config import Settings
from index.errors import StoreError
from index.ingest import Indexer
from index.load import Metadata, load_text
from index.models import Appearance, Article
from index.store import STATE_COLLECTION, Store, StoreLock, open_client


def reindex(settings: Settings, progress=None) -> dict:
    """Rebuild the store's derived data; returns counts of articles, reused and new vectors."""
    from index.embeddings import load_embeddings
    from index.nlp import load_nlp

    embeddings = load_embeddings(settings.embeddings, threads=settings.embed_threads,
                                 api_key=settings.openai_api_key, base_url=settings.openai_base_url)
    lock = None if settings.chroma_url else StoreLock(settings.store)
    if lock:
        lock.acquire()
    try:
        client = open_client(settings.store, settings.chroma_url)
        try:
            state = dict(client.get_collection(STATE_COLLECTION).metadata or {})
        except Exception:
            raise StoreError("there is no whosaid store here to reindex") from None
        old = Store(client, embeddings.model_id, embeddings.dimension, layout=str(state.get("layout", "v1")),
                    check_compatibility=False)
        same_model = state.get("embedding_model") == embeddings.model_id
        vectors = old.all_sentence_vectors() if same_model else {}
        articles = [_article_from_record(old, aid) for aid in old.article_ids()]
        new = Store(client, embeddings.model_id, embeddings.dimension, layout=f"r{uuid.uuid4().hex[:8]}",
                    check_compatibility=False)
        counter = _CountingEmbeddings(embeddings, vectors)
        indexer = Indexer(new, counter, load_nlp(), supersede=False)
        written = indexer.ingest([a for a, _ in articles], progress)
        for (article, appearances), _result in zip(articles, written):
            for extra in appearances[1:]:
                new.add_appearance(article.id, extra)
        new.activate()
        if state.get("seeded"):
            new.mark_seeded()
        old.drop_layout(old.layout)
        return {"articles": len(articles), "embedded": counter.embedded, "reused": counter.reused,
                "layout": new.layout}
    finally:
        if lock:
            lock.release()


def _article_from_record(store: Store, article_id: str) -> tuple[Article, list[Appearance]]:
    record = store.get_article(article_id)
    assert record is not None
    first = record.appearances[0] if record.appearances else Appearance()
    # Re-derive furniture with the current rules; ids and metadata stay as stored.
    article = load_text(record.text, Metadata(first.title, first.outlet, first.date, first.url), first.path)
    article.id, article.content_hash = record.id, record.content_hash
    article.source_path = first.source_path
    return article, record.appearances


class _CountingEmbeddings:
    """Serves vectors from the old layout by text hash; embeds (and counts) the rest."""

    def __init__(self, inner, cached: dict) -> None:
        self.inner = inner
        self.cached = cached
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self.embedded = 0
        self.reused = 0

    def embed_array(self, texts):
        import numpy as np

        from index.store import text_hash

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        missing = []
        for i, t in enumerate(texts):
            vec = self.cached.get(text_hash(t))
            if vec is None:
                missing.append(i)
            else:
                out[i] = vec
                self.reused += 1
        if missing:
            out[missing] = self.inner.embed_array([texts[i] for i in missing])
            self.embedded += len(missing)
        return out
