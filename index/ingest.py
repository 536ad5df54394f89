"""The ingest pipeline: loaded articles -> sentences, attributions, chunks, vectors -> store.

Articles go through in batches: one spaCy pass per article serves sentence splitting and
attribution extraction; sentence texts already in the store (same text hash) reuse their
vectors, so nothing is embedded twice; each batch is written with the article records
last (see ``index.store``), so an interrupted ingest leaves no article half-visible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.chunks import make_chunks
from index.errors import IngestError
from index.models import Appearance, Article, Attribution, Speaker
from index.sentences import split_sentences
from index.store import ArticleBundle, Store, text_hash

Progress = Callable[[int, int, str], None]
BATCH_ARTICLES = 16


@dataclass
class IngestResult:
    """What happened to one input (the ``ingest --json`` result row)."""

    path: str | None
    status: str  # "indexed" | "duplicate" | "refused"
    article_id: str | None = None
    sentences: int = 0
    attributions: int = 0
    reason: str | None = None
    title: str | None = None
    speakers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"path": self.path, "status": self.status, "article_id": self.article_id,
                "sentences": self.sentences, "attributions": self.attributions,
                "reason": self.reason, "title": self.title, "speakers": self.speakers}


def refused(path: str | None, reason: str) -> IngestResult:
    """The result row of an input that was refused before anything was stored."""
    return IngestResult(path=path, status="refused", reason=reason)


class Indexer:
    """Runs the pipeline over articles and writes them to a ``Store``."""

    def __init__(self, store: Store, embeddings, nlp, extract: Callable | None = None,
                 batch_articles: int = BATCH_ARTICLES) -> None:
        if extract is None:
            from index.attribute import extract
        self.store = store
        self.embeddings = embeddings
        self.nlp = nlp
        self.extract = extract
        self.batch_articles = max(1, batch_articles)

    def ingest(self, articles: Sequence[Article], progress: Progress | None = None) -> list[IngestResult]:
        """Index articles; duplicates (same content hash) are recorded as appearances."""
        results: list[IngestResult | None] = [None] * len(articles)
        known = self.store.article_metadata(a.id for a in articles)
        new_slots: list[int] = []
        duplicate_slots: list[int] = []
        first_seen: set[str] = set()
        for i, article in enumerate(articles):
            if article.id in known or article.id in first_seen:
                duplicate_slots.append(i)
            else:
                first_seen.add(article.id)
                new_slots.append(i)
        done = 0

        def report(result: IngestResult) -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, len(articles), result.path or result.title or str(result.article_id))

        for start in range(0, len(new_slots), self.batch_articles):
            slots = new_slots[start : start + self.batch_articles]
            for slot, result in zip(slots, self._index_batch([articles[i] for i in slots])):
                results[slot] = result
                report(result)
        for slot in duplicate_slots:  # after the writes: a duplicate within one run needs its original
            results[slot] = self._duplicate(articles[slot], known)
            report(results[slot])
        return [r for r in results if r is not None]

    def _duplicate(self, article: Article, known: dict) -> IngestResult:
        if self.store.get_article(article.id) is None:  # its original was refused
            return refused(article.path, "no sentences found (only page furniture or headings)")
        added = self.store.add_appearance(article.id, article.appearance())
        record = known.get(article.id) or self.store.get_article(article.id)
        reason = ("the same text is already indexed; recorded this as another appearance"
                  if added else "the same text is already indexed (nothing changed)")
        return IngestResult(path=article.path, status="duplicate", article_id=article.id,
                            sentences=record.sentences if record else 0,
                            attributions=record.attributions if record else 0,
                            reason=reason, title=article.title)

    def analyse(self, articles: Sequence[Article]) -> list[tuple[Article, list, list[Attribution], list[Speaker]]]:
        """Parse, split and extract attributions (no embedding, no store)."""
        out = []
        for article, doc in zip(articles, self.nlp.pipe([a.text for a in articles], batch_size=8)):
            sentences = split_sentences(article, doc)
            result = self.extract(doc, article, sentences)
            out.append((article, sentences, result.attributions, result.speakers))
        return out

    def _index_batch(self, batch: Sequence[Article]) -> list[IngestResult]:
        analysed = self.analyse(batch)
        results: list[IngestResult] = []
        bundles: list[ArticleBundle] = []
        texts = [s.text for _, sentences, _, _ in analysed for s in sentences]
        vectors = self._vectors(texts)
        registry = {sp.id: sp for sp in self.store.speakers()}
        offset = 0
        for article, sentences, attributions, speakers in analysed:
            if not sentences:
                results.append(refused(article.path, "no sentences found (only page furniture or headings)"))
                continue
            article_vectors = vectors[offset : offset + len(sentences)]
            offset += len(sentences)
            attributions, speakers = link_speakers(attributions, speakers, registry)
            bundles.append(ArticleBundle(
                article_id=article.id, text=article.text, content_hash=article.content_hash,
                appearance=article.appearance(), furniture=article.furniture, sentences=sentences,
                sentence_vectors=article_vectors, chunks=make_chunks(article, sentences),
                attributions=attributions, speakers=speakers, encoding=article.encoding))
            results.append(IngestResult(
                path=article.path, status="indexed", article_id=article.id, sentences=len(sentences),
                attributions=len(attributions), title=article.title,
                speakers=sorted({a.speaker for a in attributions if a.speaker})))
        self.store.write_articles(bundles)
        return results

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts: from the store's cache where the same text is there, else embedded once."""
        hashes = [text_hash(t) for t in texts]
        cached = self.store.cached_vectors(hashes)
        missing: dict[str, str] = {}
        for h, t in zip(hashes, texts):
            if h not in cached:
                missing.setdefault(h, t)
        if missing:
            fresh = self.embeddings.embed_array(list(missing.values()))
            cached.update(zip(missing.keys(), fresh))
        dim = self.embeddings.dimension
        return np.asarray([cached[h] for h in hashes], dtype=np.float32).reshape(len(texts), dim)


def link_speakers(attributions: list[Attribution], speakers: list[Speaker],
                  registry: dict[str, Speaker]) -> tuple[list[Attribution], list[Speaker]]:
    """Map an article's speakers onto speakers already known in the store (same person,
    other article) and merge their aliases; new speakers are added to ``registry``."""
    from index.speakers import display_name, match_speaker, merge_speakers

    renamed: dict[str, Speaker] = {}
    merged: list[Speaker] = []
    # Fuller names first, so "Ilse Varga" is known before a bare "Varga" is matched.
    for speaker in sorted(speakers, key=lambda sp: -len(sp.name.split())):
        match = match_speaker(speaker, list(registry.values()))
        if match:
            target = merge_speakers(match, speaker)
        elif speaker.kind == "person" and display_name(speaker.name) != speaker.name:
            target = Speaker(speaker.id, display_name(speaker.name), [speaker.name, *speaker.aliases],
                             speaker.role, speaker.kind)
        else:
            target = speaker
        registry[target.id] = target
        renamed[speaker.id] = target
        merged.append(target)
    for attribution in attributions:
        target = renamed.get(attribution.speaker_id or "")
        if target:
            attribution.speaker_id = target.id
            attribution.speaker = target.name
    return attributions, list({sp.id: sp for sp in merged}.values())


def load_inputs(paths, given, max_bytes: int) -> tuple[list[Article], list[IngestResult]]:
    """Load files and folders; unreadable inputs become ``refused`` rows, never exceptions."""
    from pathlib import Path

    from index.load import iter_input_files, load_file

    articles: list[Article] = []
    refusals: list[IngestResult] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            refusals.append(refused(str(path), "no such file or folder"))
            continue
        files = list(iter_input_files([path]))
        if path.is_dir() and not files:
            refusals.append(refused(str(path), "the folder has no .txt, .md or .html files"))
        for file in files:
            try:
                articles.append(load_file(file, given, max_bytes=max_bytes))
            except IngestError as exc:
                refusals.append(refused(str(file), str(exc)))
    return articles, refusals
