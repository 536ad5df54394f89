"""Large benchmark stores built without re-running the pipeline on every article.

``templates`` parses a few thousand generated articles once (spaCy, attributions) and
caches the analyses and their sentence vectors under a cache directory. ``build_store``
then writes N articles as ``ArticleBundle``s straight to a store: article *i* is
template ``i mod T`` with every digit rewritten in place (copy-dependent, so offsets
and spans are unchanged and most sentence texts differ between copies) under a new
article id, with its template sentences' vectors reused. So a large store holds N
articles of real structure, but only the templates' distinct sentences were embedded.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.models import Span

_DIGIT = re.compile(r"\d")


def templates(cache: Path, count: int, seed: int = 7, vectors_from: Path | None = None):
    """``(analyses, vectors)`` of ``count`` generated articles (cached in ``cache``).

    ``analyses`` is a list of ``(Article, sentences, attributions, speakers)``;
    ``vectors`` maps a sentence text to its embedding. ``vectors_from``: an embedded
    store whose sentence vectors are reused (by text hash) instead of re-embedding."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"templates-{count}-{seed}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    from bench.corpus import write_corpus
    from bench.harness import runtime_for
    from index.load import load_file
    from index.store import text_hash

    corpus = cache / f"corpus-{count}-{seed}"
    write_corpus(corpus, count, seed)
    rt = runtime_for(cache / "scratch-store")
    articles = [load_file(f, None) for f in sorted(corpus.glob("*.md"))]
    analyses = []
    for start in range(0, len(articles), 32):
        analyses += rt.indexer.analyse(articles[start : start + 32])
    texts = list(dict.fromkeys(s.text for _, sentences, _, _ in analyses for s in sentences))
    known: dict[str, np.ndarray] = {}
    if vectors_from is not None:
        from index.store import Store, open_client

        client = open_client(vectors_from, None)
        store = Store(client, rt.embeddings.model_id, rt.embeddings.dimension)
        by_hash = store.cached_vectors(text_hash(t) for t in texts)
        known = {t: by_hash[text_hash(t)] for t in texts if text_hash(t) in by_hash}
    missing = [t for t in texts if t not in known]
    if missing:
        known.update(zip(missing, rt.embeddings.embed_array(missing)))
    rt.close()
    result = (analyses, known)
    with path.open("wb") as fh:
        pickle.dump(result, fh)
    return result


def rewrite_digits(text: str, copy: int) -> str:
    """Every digit of ``text`` changed as a function of ``copy`` and its position (copy 0:
    unchanged). Lengths are kept, so every offset stays valid."""
    if copy == 0:
        return text
    return _DIGIT.sub(lambda m: str((int(m.group()) + copy * (m.start() % 7 + 1)) % 10), text)


def article_copy(template, copy: int, index: int):
    """The ``copy``-th variant of a template analysis, as a new article with its own ids."""
    article, sentences, attributions, speakers = template
    text = rewrite_digits(article.text, copy)
    aid = f"{index:016x}"[-16:] if copy else article.id

    def span(s: Span | None) -> Span | None:
        return None if s is None else Span(s.start, s.end, text[s.start : s.end])

    sid = {s.id: f"{aid}:{s.n}" for s in sentences}
    new_article = replace(article, id=aid, text=text, content_hash=f"bench-{aid}",
                          title=f"{article.title} [{copy}]" if copy else article.title)
    new_sentences = [replace(s, id=sid[s.id], article_id=aid, text=text[s.start : s.end]) for s in sentences]
    new_attributions = [replace(a, id=f"{aid}:{a.id.rsplit(':', 1)[-1]}", article_id=aid, source=span(a.source),
                                cue=span(a.cue), content=[span(c) for c in a.content],
                                sentence_ids=[sid[x] for x in a.sentence_ids if x in sid])
                        for a in attributions]
    return new_article, new_sentences, new_attributions, speakers


def build_store(store_dir: Path, n_articles: int, analyses, vectors: dict, batch: int = 64) -> dict:
    """Write ``n_articles`` template copies to an embedded store; returns counts."""
    from bench.harness import runtime_for
    from index.chunks import make_chunks
    from index.ingest import SpeakerRegistry, link_speakers
    from index.store import ArticleBundle

    rt = runtime_for(store_dir)
    store = rt.store
    registry = SpeakerRegistry(store.speakers())
    usable = [t for t in analyses if t[1]]
    texts: set[str] = set()
    bundles: list[ArticleBundle] = []
    sentences_written = 0
    for i in range(n_articles):
        template = usable[i % len(usable)]
        article, sentences, attributions, speakers = article_copy(template, i // len(usable), i)
        attributions, speakers = link_speakers(attributions, [replace(s) for s in speakers], registry)
        matrix = np.asarray([vectors[s.text] for s in template[1]], dtype=np.float32)
        bundles.append(ArticleBundle(
            article_id=article.id, text=article.text, content_hash=article.content_hash,
            appearance=article.appearance(), furniture=article.furniture, sentences=sentences,
            sentence_vectors=matrix, chunks=make_chunks(article, sentences), attributions=attributions,
            speakers=speakers, encoding=article.encoding))
        texts.update(s.text for s in sentences)
        sentences_written += len(sentences)
        if len(bundles) >= batch:
            store.write_articles(bundles)
            bundles = []
    store.write_articles(bundles)
    counts = {"articles": store.count("articles"), "sentences": store.count("sentences"),
              "distinct_sentence_texts": len(texts), "embedded_distinct_sentences": len(vectors),
              "attributions": store.count("attributions"), "speakers": store.count("speakers")}
    rt.close()
    return counts

