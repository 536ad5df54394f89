"""Large benchmark stores built without re-running the pipeline on every article.

``templates`` parses generated articles once (spaCy, attributions) and caches the
analyses and their sentence vectors under a cache directory (every distinct template
sentence is embedded once, by the real embedding model); ``template_set`` joins the
template sets of several corpus seeds. ``build_store`` then writes N articles: article
*i* is template ``i mod T`` with every digit rewritten in place (copy-dependent, so
offsets and spans are unchanged and most sentence texts differ between copies) under a
new article id, with its template sentences' vectors reused. So a large store holds N
articles of real structure, but only the templates' distinct sentences were embedded.

The write is ``Store.write_articles`` in bulk: rows come from the store's own row
builder (the same ids, vectors, documents and metadata as an ingest), a few hundred
articles per chunk, upserted in parts of a few thousand rows, article records last,
one generation bump per chunk; a producer thread prepares chunk *k+1* while chunk *k*
is written. Claim links (``bot.claims``) are written too, before the article records, so
that a query benchmark measures queries and not linking (without them, the first did-say
answer or quote check about a speaker links all of that speaker's attributions: ≈ 900 at
100,000 articles). They are not the incremental linker's choice, which would cost as
much as the ingest's: an attribution joins the claim of every attribution of the same
speaker with the same words (``exact_text_links``). Copies whose rewritten digits made
the words differ are separate claims, as a changed figure is.
"""

from __future__ import annotations

import json
import pickle
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.models import Span

_DIGIT = re.compile(r"\d")
CHUNK = 250  # articles prepared and written together (≈ 5k sentence rows)
WRITE_PART = 5000  # rows per Chroma upsert call


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


def template_set(cache: Path, specs: list[tuple[int, int]], vectors_from: Path | None = None):
    """``(analyses, vectors)`` of several template sets (``[(count, seed), …]``) joined;
    article ids must not repeat across sets."""
    analyses: list = []
    vectors: dict = {}
    for count, seed in specs:
        part, known = templates(cache, count, seed, vectors_from)
        analyses += part
        vectors.update(known)
    ids = [a[0].id for a in analyses]
    if len(set(ids)) != len(ids):
        raise ValueError("template sets share article ids; use other seeds")
    return analyses, vectors


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


def iter_bundles(analyses, vectors: dict, start: int, stop: int, registry):
    """Article bundles ``start .. stop-1`` of a template-copy store (see module doc).

    Article *i* is template ``i mod T``, copy ``i // T``; its speakers are linked through
    ``registry`` exactly as the ingest pipeline links them."""
    from index.chunks import make_chunks
    from index.ingest import link_speakers
    from index.store import ArticleBundle

    usable = [t for t in analyses if t[1]]
    matrices: dict[int, np.ndarray] = {}
    for i in range(start, stop):
        slot = i % len(usable)
        template = usable[slot]
        article, sentences, attributions, speakers = article_copy(template, i // len(usable), i)
        attributions, speakers = link_speakers(attributions, [replace(s) for s in speakers], registry)
        matrix = matrices.get(slot)
        if matrix is None:
            matrix = matrices[slot] = np.asarray([vectors[s.text] for s in template[1]], dtype=np.float32)
        yield ArticleBundle(
            article_id=article.id, text=article.text, content_hash=article.content_hash,
            appearance=article.appearance(), furniture=article.furniture, sentences=sentences,
            sentence_vectors=matrix, chunks=make_chunks(article, sentences), attributions=attributions,
            speakers=speakers, encoding=article.encoding)


def exact_text_links(bundles) -> list[dict]:
    """Claim links (``Store.write_claim_links`` rows) of the bundles' attributions: one
    claim per speaker and exact wording, its id derived from both (so a resumed build and
    every chunk agree without reading the store)."""
    from bot.claims import claim_id_for
    from index.store import bundle_attribution_vectors

    links = []
    for b in bundles:
        vectors = bundle_attribution_vectors(b)
        for a in b.attributions:
            text = a.content_text
            if not a.speaker_id or not text.strip():
                continue
            links.append({"id": a.id, "vector": vectors[a.id], "text": text,
                          "claim_id": claim_id_for(f"{a.speaker_id}\x1f{text}"), "claim_text": text,
                          "claim_date": b.appearance.date, "speaker_id": a.speaker_id,
                          "article_id": b.article_id, "date": b.appearance.date, "stance": a.stance})
    return links


def bundle_rows(store, bundles) -> dict[str, list]:
    """The rows ``Store.write_articles`` would upsert for ``bundles``, per collection, in
    its write order and with its de-duplication (one row per id, the latest wins)."""
    from index.store import KINDS

    rows: dict[str, list] = {k: [] for k in KINDS}
    for b in bundles:
        store._rows_for(b, rows)  # the store's own row builder: the same ids, vectors, documents, metadata
    return {kind: list({row[0]: row for row in rows[kind]}.values())
            for kind in ("sentences", "chunks", "attributions", "speakers", "articles")}


def write_rows(store, rows: dict[str, list], links: list[dict] = (), part: int = WRITE_PART) -> None:
    """Upsert prepared rows (``bundle_rows``) in large parts, the claim links (before the
    article records: an ingest's ``before_commit``) and the article records last, then
    bump the store's generation: ``Store.write_articles`` with bigger batches."""
    from index.store import idempotent

    for kind, unique in rows.items():  # dict order: sentences, chunks, attributions, speakers, articles
        if kind == "articles":
            store.write_claim_links(list(links))
        collection = store.collection(kind)
        for lo in range(0, len(unique), part):
            ids, vecs, docs, metas = zip(*unique[lo : lo + part])
            idempotent(collection.upsert, ids=list(ids), embeddings=np.asarray(vecs, dtype=np.float32),
                       documents=list(docs), metadatas=list(metas))
    store._bump_generation()


def build_store(store_dir: Path, n_articles: int, analyses, vectors: dict, chunk: int = CHUNK,
                progress: Path | None = None, deadline: float | None = None) -> dict:
    """Write template copies ``0 .. n_articles-1`` to an embedded store (resuming after
    the last whole chunk already committed); returns counts and timings.

    A producer thread builds bundles and their rows (Python) while this thread upserts
    the previous chunk (Chroma's Rust core). ``deadline`` (``time.time()``): stop after
    the chunk that passes it, leaving a consistent store (``counts["stopped"]``)."""
    import queue
    import threading

    from bench.harness import runtime_for
    from index.ingest import SpeakerRegistry

    rt = runtime_for(store_dir)
    store = rt.store
    start = (store.count("articles") // chunk) * chunk
    registry = SpeakerRegistry(store.speakers())
    prepared: queue.Queue = queue.Queue(maxsize=2)
    stop_flag = threading.Event()
    prep_cpu = [0.0]
    distinct: set[int] = set()  # hashes of the sentence texts written in this run

    def produce() -> None:
        try:
            for lo in range(start, n_articles, chunk):
                if stop_flag.is_set():
                    break
                t = time.thread_time()
                bundles = list(iter_bundles(analyses, vectors, lo, min(lo + chunk, n_articles), registry))
                distinct.update(hash(s.text) for b in bundles for s in b.sentences)
                item = (lo, len(bundles), sum(len(b.sentences) for b in bundles), bundle_rows(store, bundles),
                        exact_text_links(bundles))
                prep_cpu[0] += time.thread_time() - t
                prepared.put(item)
        finally:
            prepared.put(None)

    producer = threading.Thread(target=produce, daemon=True)
    t0, c0 = time.perf_counter(), time.process_time()
    producer.start()
    written = sentences_written = 0
    stopped = False
    while (item := prepared.get()) is not None:
        lo, n, n_sentences, rows, links = item
        write_rows(store, rows, links)
        written += n
        sentences_written += n_sentences
        if progress is not None:
            elapsed = time.perf_counter() - t0
            progress.write_text(json.dumps({"articles": lo + n, "written_now": written, "elapsed_s": elapsed,
                                            "articles_per_s": written / elapsed,
                                            "cpu_s": time.process_time() - c0, "prep_cpu_s": prep_cpu[0]}))
        if deadline is not None and time.time() > deadline and lo + n < n_articles:
            stopped = True
            stop_flag.set()
            while prepared.get() is not None:  # drain so the producer can finish
                pass
            break
    producer.join()
    elapsed = time.perf_counter() - t0
    counts = {kind: store.count(kind) for kind in ("articles", "sentences", "chunks", "attributions", "speakers",
                                                   "claims")}
    counts.update({"written_now": written, "sentences_written_now": sentences_written, "build_s": elapsed,
                   "articles_per_s": written / elapsed if elapsed else 0.0,
                   "cpu_s": time.process_time() - c0, "prep_cpu_s": prep_cpu[0],
                   "embedded_distinct_sentences": len(vectors), "stopped": stopped,
                   "resumed_at": start, "distinct_sentence_texts_now": len(distinct)})
    rt.close()
    return counts
