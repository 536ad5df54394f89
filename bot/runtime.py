"""The heavy objects of a process (embedding model, spaCy, store client), built once.

The CLI builds one ``Runtime`` per command; the app keeps one per process in
``st.cache_resource``. Nothing here is global: everything hangs off the instance.
"""

from __future__ import annotations

import threading
from functools import cached_property

from bot.answer import Answerer
from bot.question import SpeakerIndex
from bot.relevance import WordVectors
from bot.retrieve import LexicalCache, SentenceRetriever, limit_malloc_arenas
from index.config import Settings
from index.ingest import Indexer, IngestResult, Progress, load_inputs
from index.store import Store


class Runtime:
    """Lazily built pipeline objects for one configuration."""

    def __init__(self, settings: Settings) -> None:
        limit_malloc_arenas()  # process-wide; before the store's client starts its threads
        self.settings = settings
        self._lock = threading.RLock()
        self._speaker_index: tuple[str, SpeakerIndex] | None = None
        self.lexical_cache = LexicalCache(self.settings.lexical_index_dir)
        # single-word embeddings for every answerer and quote check (the model loads on first use)
        self.word_vectors = WordVectors(lambda texts: self.embeddings.embed_array(texts))

    @cached_property
    def embeddings(self):
        from index.embeddings import load_embeddings

        s = self.settings
        return load_embeddings(s.embeddings, threads=s.embed_threads, api_key=s.openai_api_key,
                               base_url=s.openai_base_url)

    @cached_property
    def nlp(self):
        from index.nlp import load_nlp

        return load_nlp()

    @cached_property
    def store(self) -> Store:
        return Store.open(self.settings.store, self.settings.chroma_url, self.embeddings.model_id,
                          self.embeddings.dimension)

    @cached_property
    def indexer(self) -> Indexer:
        from bot.claims import ClaimLinker

        # Claim links of a batch are written before its article records (the commit).
        return Indexer(self.store, self.embeddings, self.nlp, batch_articles=self.settings.ingest_batch,
                       before_commit=ClaimLinker(self.store).link_bundles)

    @cached_property
    def retriever(self) -> SentenceRetriever:
        return SentenceRetriever(store=self.store, embeddings=self.embeddings, lexical_cache=self.lexical_cache)

    def speaker_index(self) -> SpeakerIndex:
        """Known speakers, rebuilt when the store changes."""
        generation = self.store.generation()
        if self._speaker_index is None or self._speaker_index[0] != generation:
            self._speaker_index = (generation, SpeakerIndex(self.store.speakers()))
        return self._speaker_index[1]

    def quote_checker(self):
        """A quote checker over the current store and speakers."""
        from bot.check import QuoteChecker

        return QuoteChecker(self.store, self.retriever, self.speaker_index(), self.embeddings, self.word_vectors)

    def answerer(self):
        """The answer backend: extractive unless an LLM model is named in the settings."""
        extractive = Answerer(self.store, self.retriever, self.speaker_index(), self.quote_checker(),
                              self.settings.max_question_chars, self.word_vectors)
        if self.settings.llm_enabled:
            from bot.llm import LLMAnswerer

            return LLMAnswerer(self.settings, extractive)
        return extractive

    def ingest_paths(self, paths, given=None, progress: Progress | None = None) -> list[IngestResult]:
        """Load and index files and folders; bad inputs become ``refused`` rows. A given
        date that cannot be read, a given URL that is not a web address, or one given for
        several inputs or a folder raises ``MetadataError`` before anything is read or written."""
        from index.load import check_one_article

        given = given.checked() if given else None
        check_one_article([str(p) for p in paths], given)
        articles, refusals = load_inputs(paths, given, self.settings.max_file_bytes)
        with self._lock:
            return refusals + self.indexer.ingest(articles, progress)

    def update_lexical_index(self, results: list[IngestResult], starting=None) -> dict | None:
        """After a bulk ingest (``LexicalCache.SNAPSHOT_EVERY`` articles or more indexed or
        updated), bring the saved BM25 index up to date now, so that the first question of
        the next process loads it instead of reading every new sentence through Chroma
        (49 s after ingesting 10,000 articles into an empty store). Returns how the index
        was brought up to date (``LexicalCache.last_refresh``), or ``None`` when the
        ingest was small enough for the next question to do it. ``starting()`` is called
        first when there is work to do (a terminal says so: it can take a minute)."""
        changed = sum(r.status in ("indexed", "updated") for r in results)
        if changed < self.lexical_cache.SNAPSHOT_EVERY:
            return None
        if starting:
            starting()
        with self._lock:
            self.lexical_cache.get(self.store)
        return dict(self.lexical_cache.last_refresh)

    def ingest_uploads(self, files, given=None, progress: Progress | None = None) -> list[IngestResult]:
        """Index uploaded files, given as ``(file name, bytes)`` pairs (the app's upload form).

        An upload is known by its file name: it is the article's path, and the same name
        from the same outlet uploaded again is a candidate new version of that article (a
        correction), as the same file ingested again from the command line is. Result rows
        and their reasons name the uploads, never the temporary files behind them."""
        import tempfile
        from pathlib import Path

        from index.load import check_one_article

        given = given.checked() if given else None
        with tempfile.TemporaryDirectory(prefix="whosaid-upload-") as tmp:
            paths, names = [], {}
            for i, (name, data) in enumerate(files):
                folder = Path(tmp) / str(i)  # one folder each: two uploads may share a name
                folder.mkdir()
                path = folder / (Path(name).name or "upload")
                path.write_bytes(data)
                paths.append(path)
                names[str(path)] = names[str(path.resolve())] = path.name
            check_one_article([str(p) for p in paths], given)
            articles, refusals = load_inputs(paths, given, self.settings.max_file_bytes)
            for article in articles:
                article.path = names.get(article.path or "", article.path)
                article.source_path = f"upload:{article.path}"
            with self._lock:
                results = refusals + self.indexer.ingest(articles, progress)
        for r in results:
            r.path = names.get(r.path or "", r.path)
            for temporary, name in names.items():  # a reason may name another upload
                r.reason = r.reason and r.reason.replace(temporary, name)
                r.warnings = [w.replace(temporary, name) for w in r.warnings]
        return results

    def ingest_text(self, text: str, given=None, progress: Progress | None = None,
                    name: str = "pasted text") -> list[IngestResult]:
        """Index pasted text (the app's paste form); text over the size limit or with no
        words becomes a ``refused`` row named ``name``."""
        from index.errors import IngestError
        from index.ingest import refused
        from index.load import load_text

        given = given.checked() if given else None
        size = len(text.encode("utf-8"))
        if size > self.settings.max_file_bytes:
            return [refused(name, f"the text is {size / 1e6:.1f} MB, over the "
                                  f"{self.settings.max_file_bytes / 1e6:.0f} MB limit "
                                  "(set WHOSAID_MAX_FILE_BYTES to raise it)")]
        try:
            article = load_text(text, given, path=name)
        except IngestError as exc:
            return [refused(name, str(exc))]
        with self._lock:
            return self.indexer.ingest([article], progress)

    def ingest_url(self, url: str, given=None, progress: Progress | None = None) -> list[IngestResult]:
        """Fetch a page through the guarded fetcher and index its main text."""
        from index.errors import IngestError
        from index.fetch import FetchPolicy, fetch, redact_url
        from index.ingest import refused
        from index.load import load_html, load_text

        given = given.checked() if given else None
        shown = redact_url(url)
        try:
            page = fetch(url, FetchPolicy(allow_private=self.settings.allow_private_urls))
            if "html" in page.content_type:
                article = load_html(page.body, given, path=shown, charset=page.charset, url=page.url_final)
            else:
                from index.load import decode_bytes

                text, encoding = decode_bytes(page.body, page.charset)
                article = load_text(text, given, path=shown, encoding=encoding)
            if not article.url:
                article.url = page.url_final
        except IngestError as exc:
            return [refused(shown, str(exc))]
        with self._lock:
            return self.indexer.ingest([article], progress)

    def ensure_seeded(self, progress: Progress | None = None) -> list[IngestResult]:
        """On the very first run of an empty store, index the seed corpus (once ever)."""
        if not self.settings.index_seeds_on_first_run or self.store.is_seeded():
            return []
        results = []
        if self.store.count("articles") == 0 and self.settings.seeds_dir.is_dir():
            results = self.ingest_paths([self.settings.seeds_dir], progress=progress)
        self.store.mark_seeded()
        return results

    def close(self) -> None:
        self.lexical_cache.close()
        if "store" in self.__dict__:
            self.store.close()
