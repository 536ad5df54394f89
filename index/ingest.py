"""The ingest pipeline: loaded articles -> sentences, attributions, chunks, vectors -> store.

Articles go through in batches: one spaCy pass per article serves sentence splitting and
attribution extraction; sentence texts already in the store (same text hash) reuse their
vectors, so nothing is embedded twice; each batch is written with the article records
last (see ``index.store``), so an interrupted ingest leaves no article half-visible.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from index.errors import IngestError
from index.load import article_id_for, content_hash
from index.models import Article, Attribution, Speaker, version_key
from index.store import ArticleBundle, Store, text_hash
from index.versions import Superseded, VersionPlan, plan_versions

Progress = Callable[[int, int, str], None]
BATCH_ARTICLES = 16
PIPELINE_DEPTH = 3  # batches that may wait before the embedding and the writing stage (docs/benchmarks.md)


@dataclass
class IngestResult:
    """What happened to one input (the ``ingest --json`` result row)."""

    path: str | None
    status: str  # "indexed" | "updated" | "duplicate" | "skipped" | "refused"
    article_id: str | None = None
    sentences: int = 0
    attributions: int = 0
    reason: str | None = None
    title: str | None = None
    speakers: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # ids of earlier versions this one superseded
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"path": self.path, "status": self.status, "article_id": self.article_id,
                "sentences": self.sentences, "attributions": self.attributions,
                "reason": self.reason, "title": self.title, "speakers": self.speakers,
                "replaced": self.replaced, "warnings": self.warnings}


def refused(path: str | None, reason: str) -> IngestResult:
    """The result row of an input that was refused before anything was stored."""
    return IngestResult(path=path, status="refused", reason=reason)


class Indexer:
    """Runs the pipeline over articles and writes them to a ``Store``."""

    def __init__(self, store: Store, embeddings, nlp, extract: Callable | None = None,
                 batch_articles: int = BATCH_ARTICLES,
                 before_commit: Callable[[list[ArticleBundle]], None] | None = None,
                 pipeline_depth: int = PIPELINE_DEPTH, supersede: bool = True) -> None:
        if extract is None:
            from index.attribute import extract
        self.store = store
        self.embeddings = embeddings
        self.nlp = nlp
        self.extract = extract
        self.batch_articles = max(1, batch_articles)
        self.pipeline_depth = max(1, pipeline_depth)
        # Derived data computed from a batch and the store (claim links) before the batch
        # commits: whatever it writes becomes visible with the article records.
        self.before_commit = before_commit
        # A new version of an indexed article (same URL, or same file) replaces it; off for
        # ``reindex``, which rewrites what is stored as it is.
        self.supersede = supersede
        self.known_speakers = StoredSpeakers(store)

    def ingest(self, articles: Sequence[Article], progress: Progress | None = None) -> list[IngestResult]:
        """Index articles. A text already indexed (same content hash) is a duplicate, or
        another appearance when it comes from another outlet; a new version of an indexed
        article (same URL, or same file: ``version_key``, and the same article's text:
        ``index.versions``) replaces it once written, unless it is dated earlier."""
        results: list[IngestResult | None] = [None] * len(articles)
        known = self.store.article_metadata(a.id for a in articles)
        # Stores written before ids hashed the body alone know a text with front matter by
        # the hash of the whole file: the same file again is still a duplicate of it.
        earlier_ids = {a.id: legacy for a in articles
                       if a.id not in known and (legacy := article_id_for(content_hash(a.text))) != a.id}
        stored_earlier = self.store.article_metadata(earlier_ids.values()) if earlier_ids else {}
        stored_as = {new_id: old_id for new_id, old_id in earlier_ids.items() if old_id in stored_earlier}
        new_slots: list[int] = []
        duplicate_slots: list[int] = []
        first_seen: set[str] = set()
        plan = self._plan_versions(articles, [stored_as.get(a.id, a.id) for a in articles])
        for i, article in enumerate(articles):
            if i in plan.skipped:
                results[i] = IngestResult(path=article.path, status="skipped", article_id=article.id,
                                          title=article.title, reason=plan.skipped[i])
            elif article.id in known or article.id in first_seen or article.id in stored_as:
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

        batches = [new_slots[i : i + self.batch_articles] for i in range(0, len(new_slots), self.batch_articles)]
        for slots, batch_results in zip(batches, self._index_batches([[articles[i] for i in s] for s in batches],
                                                                     plan.supersedes)):
            for slot, result in zip(slots, batch_results):
                results[slot] = result
                report(result)
        for result in results:  # an earlier version of an article that comes later in the run
            if result is not None and result.status == "skipped":
                report(result)
        # after the writes: a duplicate within one run needs its original
        duplicates = [self._duplicate(articles[slot], stored_as.get(articles[slot].id, articles[slot].id))
                      for slot in duplicate_slots]
        # An ingest stopped between writing a new version and removing the old one left
        # both: running it again finishes the replacement (planned with the others).
        self._replace_versions([(stored, result, plan.supersedes.get(stored.id, []))
                                for stored, result in duplicates if stored is not None])
        for slot, (_, result) in zip(duplicate_slots, duplicates):
            results[slot] = result
            report(result)
        for slot, (article, result) in enumerate(zip(articles, results)):
            if result is not None:
                result.warnings = [*article.warnings, *result.warnings, *plan.warnings.get(slot, [])]
        return [r for r in results if r is not None]

    def _plan_versions(self, articles: Sequence[Article], ids: Sequence[str]) -> VersionPlan:
        """Read the stored versions of the articles' version keys (one look-up, then the
        texts of those found) and plan which version of each article wins
        (``index.versions.plan_versions``); nothing to plan for ``reindex``."""
        keys = {k for a in articles if (k := version_key(a.appearance()))} if self.supersede else set()
        if not keys:
            return VersionPlan()
        found = self.store.articles_with_version_keys(keys)
        texts = self.store.get_articles({r.id for records in found.values() for r in records})
        stored = {key: [texts[r.id] for r in records if r.id in texts] for key, records in found.items()}
        return plan_versions(articles, stored, ids)

    def _duplicate(self, article: Article, stored_id: str) -> tuple[Article | None, IngestResult]:
        """The same text again (stored as ``stored_id``): another appearance if it comes
        from an outlet the article has not been seen in, else a plain duplicate (nothing is
        counted twice). Returns the article as stored (``None`` if it was not) and the result."""
        article = replace(article, id=stored_id)
        record = self.store.get_article(stored_id)
        if record is None:  # its original was refused
            return None, refused(article.path, "no sentences found (only page furniture or headings)")
        appearance = article.appearance()
        outlets = {(a.outlet or "").casefold() for a in record.appearances}
        if appearance.outlet and appearance.outlet.casefold() not in outlets:
            self.store.add_appearance(article.id, appearance)
            reason = f"the same text is already indexed; recorded this as another appearance ({appearance.outlet})"
        else:
            where = f"from {record.outlet}" if record.outlet else "with no outlet"
            reason = f"the same text is already indexed {where} (nothing changed)"
        return article, IngestResult(path=article.path, status="duplicate", article_id=article.id,
                                     sentences=record.sentences, attributions=record.attributions,
                                     reason=reason, title=article.title)

    def _replace_versions(self, written: list[tuple[Article, IngestResult, Superseded]]) -> None:
        """After ``written`` are committed, remove the earlier versions each supersedes
        (stored versions of the same article, planned by ``_plan_versions``) and mark
        their results updated."""
        for article, result, supersedes in written:
            earlier = [(key, rec) for key, rec in supersedes if rec.id != article.id]
            for key, rec in earlier:
                deleted = self.store.remove_version(rec.id, key)
                result.replaced.append(rec.id)
                what = "URL" if key.startswith("url:") else "file and outlet"
                kept = "" if deleted else f", which stays indexed for its other {'outlets' if len(rec.appearances) > 2 else 'outlet'}"
                note = f"a new version of article {rec.id} (same {what}): it replaces that version{kept}"
                result.reason = note if result.status == "indexed" or not result.reason else f"{note}; {result.reason}"
            if earlier:
                result.status = "updated"

    def analyse(self, articles: Sequence[Article]) -> list[tuple[Article, list, list[Attribution], list[Speaker]]]:
        """Parse, split and extract attributions (no embedding, no store)."""
        from index.sentences import split_sentences  # spaCy: imported only when ingesting

        out = []
        for article, doc in zip(articles, self.nlp.pipe([a.text for a in articles], batch_size=8)):
            sentences = split_sentences(article, doc)
            result = self.extract(doc, article, sentences)
            out.append((article, sentences, result.attributions, result.speakers))
        return out

    def _index_batches(self, batches: Sequence[Sequence[Article]],
                       supersedes: dict[str, Superseded]) -> Iterator[list[IngestResult]]:
        """Index batches in order as a three-stage pipeline over the cores: while this
        thread parses a batch, the embedding thread embeds earlier ones (onnxruntime
        releases the GIL) and the writing thread links speakers and claims and writes the
        earliest (Chroma's writes release it too). Up to ``pipeline_depth`` batches wait
        before each later stage, so one slow batch does not stall the others. One writing
        thread keeps the writes in batch order, article records last."""
        depth = self.pipeline_depth
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="whosaid-embed") as embed_pool, \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="whosaid-write") as write_pool:
            # every batch embedded but not yet written is still in the embedder's recent batches
            embedder = _BatchEmbedder(self.embeddings, recent=2 * depth + 2)
            embedding: deque[tuple[list, Future]] = deque()
            writing: deque[Future] = deque()

            failed = threading.Event()

            def write(analysed: list, vectors: np.ndarray) -> list[IngestResult]:
                # Nothing is written after a failed batch (its error goes up first, in order).
                if failed.is_set():
                    raise IngestError("not written: an earlier batch of this ingest failed")
                try:
                    return self._write_batch(analysed, vectors, supersedes)
                except BaseException:
                    failed.set()
                    raise

            def advance(embed_limit: int, write_limit: int) -> Iterator[list[IngestResult]]:
                while len(embedding) > embed_limit:
                    analysed, job = embedding.popleft()
                    writing.append(write_pool.submit(write, analysed, job.result()))
                    while len(writing) > write_limit:
                        yield writing.popleft().result()

            try:
                for batch in batches:
                    analysed = self.analyse(batch)
                    texts = [s.text for _, sentences, _, _ in analysed for s in sentences]
                    hashes = [text_hash(t) for t in texts]
                    cached = self.store.cached_vectors(hashes)
                    embedding.append((analysed, embed_pool.submit(embedder.vectors, texts, hashes, cached)))
                    yield from advance(depth, depth)
                yield from advance(0, depth)
                while writing:
                    yield writing.popleft().result()
            except BaseException:  # a failed stage, or a caller that stops early
                failed.set()
                for future in [*writing, *(job for _, job in embedding)]:
                    future.cancel()
                raise

    def _write_batch(self, analysed: list, vectors: np.ndarray,
                     supersedes: dict[str, Superseded]) -> list[IngestResult]:
        """Link speakers, build the bundles of one analysed batch and write them; then
        remove the stored versions they supersede."""
        from index.chunks import make_chunks
        results: list[IngestResult] = []
        written: list[tuple[Article, IngestResult, Superseded]] = []
        bundles: list[ArticleBundle] = []
        registry = self.known_speakers.registry()
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
            result = IngestResult(
                path=article.path, status="indexed", article_id=article.id, sentences=len(sentences),
                attributions=len(attributions), title=article.title,
                speakers=sorted({a.speaker for a in attributions if a.speaker}))
            results.append(result)
            written.append((article, result, supersedes.get(article.id, [])))
        try:
            if self.before_commit and bundles:
                self.before_commit(bundles)
            self.store.write_articles(bundles)
        except BaseException:
            self.known_speakers.forget()  # the registry holds speakers that were not written
            raise
        self.known_speakers.written()
        self._replace_versions(written)
        return results


class _BatchEmbedder:
    """Vectors for a batch's sentence texts, run on the embedding thread.

    A text already in the store (same text hash, looked up before the batch is
    submitted) reuses its vector; so does a text of the batches still in flight, which may
    still be on their way to the store (``Indexer._index_batches``). Everything else is
    embedded once."""

    def __init__(self, embeddings, recent: int = 2) -> None:
        self.embeddings = embeddings
        self._recent: deque[dict[str, np.ndarray]] = deque(maxlen=recent)

    def vectors(self, texts: list[str], hashes: list[str], cached: dict[str, np.ndarray]) -> np.ndarray:
        known = dict(cached)
        for batch in self._recent:
            for h in hashes:
                if h not in known and h in batch:
                    known[h] = batch[h]
        missing: dict[str, str] = {}
        for h, t in zip(hashes, texts):
            if h not in known:
                missing.setdefault(h, t)
        if missing:
            fresh = self.embeddings.embed_array(list(missing.values()))
            known.update(zip(missing.keys(), fresh))
        self._recent.append({h: known[h] for h in hashes})
        dim = self.embeddings.dimension
        return np.asarray([known[h] for h in hashes], dtype=np.float32).reshape(len(texts), dim)


class SpeakerRegistry:
    """Known speakers, indexed by the surname keys of all their names.

    ``match_speaker`` only ever matches entries sharing a surname key with the speaker
    (an exact name match has the same last word; a person match needs the same
    surname), so it is handed those entries alone, in registry order: the same answer
    as scanning the whole registry, without a cost that grows with the archive."""

    def __init__(self, speakers: Iterable[Speaker] = (), key_cache: dict[str, str] | None = None) -> None:
        self._by_id: dict[str, Speaker] = {}
        self._position: dict[str, int] = {}
        self._by_key: dict[str, set[str]] = {}
        self._keys = key_cache if key_cache is not None else {}
        for speaker in speakers:
            self.put(speaker)

    def _surname_key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            from index.speakers import name_key, normalise_name

            words = normalise_name(name).split()
            key = self._keys[name] = name_key(words[-1]) if words else ""
        return key

    def _name_keys(self, speaker: Speaker) -> set[str]:
        return {self._surname_key(n) for n in (speaker.name, *speaker.aliases)}

    def put(self, speaker: Speaker) -> None:
        """Add or replace (same id) a speaker."""
        self._position.setdefault(speaker.id, len(self._position))
        self._by_id[speaker.id] = speaker
        for key in self._name_keys(speaker):
            self._by_key.setdefault(key, set()).add(speaker.id)

    def candidates(self, speaker: Speaker) -> list[Speaker]:
        """Entries that could be ``speaker`` (a shared surname key), in registry order."""
        ids: set[str] = set()
        for key in self._name_keys(speaker):
            ids |= self._by_key.get(key, set())
        return [self._by_id[i] for i in sorted(ids, key=self._position.__getitem__)]

    def __len__(self) -> int:
        return len(self._by_id)


class StoredSpeakers:
    """The store's speakers as a ``SpeakerRegistry``, read once and kept across batches and
    ingests while the speakers collection has the size this process left it at (another
    writer's new speakers or a delete make the next batch read them afresh). Reading every
    speaker record and building the registry for each batch cost ≈ 0.2 s a batch on a
    10,000-article store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._keys: dict[str, str] = {}  # name -> surname key, kept even when the registry is read afresh
        self._registry: SpeakerRegistry | None = None
        self._size = -1  # the collection's size after this process's last write

    def registry(self) -> SpeakerRegistry:
        """The registry to link a batch's speakers with (``link_speakers`` adds to it)."""
        if self._registry is None or self.store.count("speakers") != self._size:
            self._registry = SpeakerRegistry(self.store.speakers(), self._keys)
        return self._registry

    def written(self) -> None:
        """The batch linked with ``registry()`` is written: its speakers are in the store."""
        self._size = len(self._registry) if self._registry is not None else -1

    def forget(self) -> None:
        """The batch was not written: read the speakers afresh next time."""
        self._registry, self._size = None, -1


def link_speakers(attributions: list[Attribution], speakers: list[Speaker],
                  registry: SpeakerRegistry) -> tuple[list[Attribution], list[Speaker]]:
    """Map an article's speakers onto speakers already known in the store (same person,
    other article) and merge their aliases; new speakers are added to ``registry``."""
    from index.speakers import display_name, match_speaker, merge_speakers

    renamed: dict[str, Speaker] = {}
    merged: list[Speaker] = []
    # Fuller names first, so "Ilse Varga" is known before a bare "Varga" is matched.
    for speaker in sorted(speakers, key=lambda sp: -len(sp.name.split())):
        match = match_speaker(speaker, registry.candidates(speaker))
        if match:
            target = merge_speakers(match, speaker)
        elif speaker.kind == "person" and display_name(speaker.name) != speaker.name:
            target = Speaker(speaker.id, display_name(speaker.name), [speaker.name, *speaker.aliases],
                             speaker.role, speaker.kind, speaker.genders)
        else:
            target = speaker
        registry.put(target)
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
        skipped: list[Path] = []
        files = list(iter_input_files([path], skipped))
        if path.is_dir() and not files:
            refusals.append(refused(str(path), "the folder has no files to index"
                                    + (f" (only {len(skipped)} hidden or system files)" if skipped else "")))
        elif skipped:
            names = ", ".join(sorted({p.name for p in skipped})[:3]) + (", …" if len(skipped) > 3 else "")
            refusals.append(IngestResult(path=str(path), status="skipped",
                                         reason=f"{len(skipped)} hidden or system file(s) skipped: {names}"))
        for file in files:
            try:
                articles.append(load_file(file, given, max_bytes=max_bytes))
            except IngestError as exc:
                refusals.append(refused(str(file), str(exc)))
    return articles, refusals
