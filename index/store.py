"""The store: Chroma collections holding everything retrieval and display need.

Layout (one Chroma database, embedded on disk or a Chroma server):

* ``whosaid_state``: no records; its collection metadata records the schema version,
  the embedding model id and dimension, the active layout and a generation token.
* ``whosaid_<layout>_articles``: one record per article, document = the article text,
  vector = mean of its sentence vectors. Written LAST for an article: it is the commit
  record. Readers only show sentences, chunks and attributions whose article record
  exists, so an ingest killed half-way leaves nothing visible, and re-running it
  completes the article (all ids are deterministic, writes are upserts).
* ``..._sentences``: one record per sentence with its own vector (the only thing the
  embedding model is run on). Speaker ids of the attributions covering it are metadata,
  so retrieval can filter by speaker.
* ``..._chunks``: runs of whole sentences; vector = normalised mean of its sentences'.
* ``..._attributions`` and ``..._speakers``: who said what, and speaker identities.
* Articles, attributions and speakers are records, never searched by vector: in a layout
  created by this version their rows carry a one-number placeholder vector (collection
  metadata ``whosaid_vectors: placeholder``), because Chroma loads a collection's whole
  HNSW index into memory as soon as anything reads the collection (2.8 GiB for the
  attributions of 92,500 articles), and a 384-number row costs more to write. Layouts
  created before keep their mean vectors; nothing reads them.
* ``..._claims``: one claim link per attribution (which claim group it belongs to, see
  ``bot.claims``), vector = the attribution's. Written before the article record, read
  only for committed articles; an attribution without a link is linked when read.

The embedded store is opened by one process at a time (an exclusive lock file);
sharing a store between processes goes through a Chroma server (``--chroma-url``).
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from index.errors import StoreError
from index.models import Appearance, Attribution, Chunk, Sentence, Span, Speaker, version_key
from index.stance import stance_from_cue_text

SCHEMA_VERSION = 1
STATE_COLLECTION = "whosaid_state"
KINDS = ("articles", "sentences", "chunks", "attributions", "speakers", "claims")
RECORD_KINDS = ("articles", "attributions", "speakers")  # never searched by vector
PLACEHOLDER = {"whosaid_vectors": "placeholder"}  # metadata of a record collection created so
PLACEHOLDER_VECTOR = [1.0]
WRITE_BATCH = 2000
_SPACE = {"hnsw": {"space": "cosine"}}


def date_number(iso: str | None) -> int | None:
    """``YYYY-MM-DD`` as the integer ``YYYYMMDD`` (Chroma filters compare numbers)."""
    if not iso:
        return None
    try:
        return int(iso[:10].replace("-", ""))
    except ValueError:
        return None


def text_hash(text: str) -> str:
    """Key of the embedding cache: the same text is embedded once per store."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class ArticleBundle:
    """Everything derived from one article, written to the store together."""

    article_id: str
    text: str
    content_hash: str
    appearance: Appearance
    furniture: list[Span]
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    chunks: list[Chunk]
    attributions: list[Attribution]
    speakers: list[Speaker]
    encoding: str = "utf-8"


@dataclass
class ArticleRecord:
    """An indexed article as stored (text, metadata, every appearance)."""

    id: str
    text: str
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None
    path: str | None
    content_hash: str
    sentences: int
    attributions: int
    speakers: list[str]
    appearances: list[Appearance]
    furniture: list[Span]
    ingested_at: str

    def summary(self) -> dict:
        return {
            "article_id": self.id, "title": self.title, "outlet": self.outlet, "date": self.date,
            "url": self.url, "path": self.path, "sentences": self.sentences,
            "attributions": self.attributions, "speakers": self.speakers,
            "appearances": [a.__dict__ for a in self.appearances], "ingested_at": self.ingested_at,
        }


@dataclass
class SentenceRecord:
    """A stored sentence with what a citation shows about it."""

    id: str
    article_id: str
    n: int
    start: int
    end: int
    text: str
    paragraph: int
    speaker_ids: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    attribution_ids: list[str] = field(default_factory=list)


def _clean_meta(meta: dict) -> dict:
    """Chroma metadata: drop ``None`` and empty lists (Chroma stores neither)."""
    return {k: v for k, v in meta.items() if v is not None and v != []}


def idempotent(call, *args, attempts: int = 4, **kwargs):
    """Run an idempotent Chroma call (collection creation, upsert with deterministic ids,
    metadata update), retrying a few times when a Chroma server reports an internal
    error: two processes creating the same collection or writing at the same moment can
    collide in the server's SQLite, and the same call succeeds a moment later."""
    import time

    from chromadb.errors import InternalError

    for attempt in range(attempts):
        try:
            return call(*args, **kwargs)
        except InternalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * 2**attempt)


def get_all(collection, include: list[str], where: dict | None = None, page: int = 5000) -> dict:
    """Every record of a collection (or those matching ``where``), read a page at a time:
    one unbounded ``get`` on a large collection exceeds SQLite's variable limit."""
    out: dict[str, list] = {"ids": [], **{k: [] for k in include}}
    offset = 0
    while True:
        got = idempotent(collection.get, where=where, include=include, limit=page, offset=offset)
        out["ids"].extend(got["ids"])
        for key in include:
            out[key].extend(got[key] if got[key] is not None else [])
        if len(got["ids"]) < page:
            return out
        offset += page


def _batched(seq: Sequence, size: int) -> Iterator[Sequence]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


class StoreLock:
    """An exclusive, process-wide lock on an embedded store directory."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "whosaid.lock"
        self._fh = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise StoreError(
                f"the store at {self.path.parent} is in use by {holder}. An embedded store "
                "serves one process at a time; to share it, run a Chroma server "
                f"(chroma run --path {self.path.parent} --host 127.0.0.1 --port 8000) and use "
                "--chroma-url http://127.0.0.1:8000 (or WHOSAID_CHROMA_URL)"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"whosaid process {os.getpid()}")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def open_client(store_dir: Path | None, chroma_url: str | None):
    """A Chroma client: an HTTP client for a server URL, else a persistent embedded one."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        parsed = urlparse(chroma_url)
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several transport errors
            raise StoreError(f"cannot reach the Chroma server at {chroma_url}: {type(exc).__name__}") from None
        return client
    assert store_dir is not None
    store_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(store_dir), settings=chroma_settings)


def _attribution_item(attribution_id: str, meta: dict) -> dict:
    """A stored attribution as ``Store.attributions`` gives it: its spans (citron format)
    with its id, article and date."""
    item = json.loads(meta["spans"])
    if "stance" not in item:  # stored before stances were recorded: a denial cue still denies
        item["stance"] = stance_from_cue_text((item.get("cue") or {}).get("text"))
    item.update({"id": attribution_id, "article_id": meta["article_id"], "date_num": meta.get("date_num")})
    return item


class Store:
    """Articles, sentences, chunks, attributions and speakers in Chroma (see module doc)."""

    def __init__(self, client, embedding_model: str, embedding_dim: int,
                 lock: StoreLock | None = None, layout: str | None = None,
                 check_compatibility: bool = True) -> None:
        self.client = client
        self.embedding_model = embedding_model
        self.embedding_dim = embedding_dim
        self._lock = lock
        self._state = idempotent(client.get_or_create_collection, STATE_COLLECTION, embedding_function=None)
        state = dict(self._state.metadata or {})
        if "schema" not in state:
            state = {"schema": SCHEMA_VERSION, "embedding_model": embedding_model,
                     "embedding_dim": embedding_dim, "layout": layout or "v1",
                     "generation": uuid.uuid4().hex}
            idempotent(self._state.modify, metadata=state)
        elif check_compatibility:
            self._check(state)
        self.layout = layout or str(state["layout"])
        # An existing collection keeps its metadata: record collections of older layouts stay
        # without the placeholder mark and keep being written with mean vectors.
        self._collections = {
            kind: idempotent(client.get_or_create_collection,
                f"whosaid_{self.layout}_{kind}", embedding_function=None, configuration=_SPACE,
                metadata=PLACEHOLDER if kind in RECORD_KINDS else None)
            for kind in KINDS
        }
        self._placeholder = {kind: (self._collections[kind].metadata or {}).get("whosaid_vectors") == "placeholder"
                             for kind in KINDS}
        self._has_claim_links = False  # known to hold claim links (``nearest_claim_links_many``)

    @classmethod
    def open(cls, store_dir: Path | None, chroma_url: str | None, embedding_model: str,
             embedding_dim: int) -> "Store":
        """Open (creating if needed) the store a configuration names."""
        lock = None
        if not chroma_url:
            assert store_dir is not None
            lock = StoreLock(store_dir)
            lock.acquire()
        try:
            client = open_client(store_dir, chroma_url)
            return cls(client, embedding_model, embedding_dim, lock=lock)
        except BaseException:
            if lock:
                lock.release()
            raise

    def close(self) -> None:
        """Close the client (Chroma caches an embedded system per path in the process: it
        must not outlive our lock, or a later open would read stale index state), then
        release the embedded store's lock."""
        if self.client is not None and hasattr(self.client, "close"):
            try:
                self.client.close()
            except Exception:  # closing twice, or a server already gone
                pass
        self.client = None
        if self._lock:
            self._lock.release()
            self._lock = None

    # -- compatibility -------------------------------------------------------------------

    def _check(self, state: dict) -> None:
        if int(state.get("schema", 0)) != SCHEMA_VERSION:
            raise StoreError(
                f"the store has schema version {state.get('schema')}, this whosaid uses "
                f"{SCHEMA_VERSION}: run `whosaid reindex` to rebuild it (embeddings are reused)"
            )
        if state.get("embedding_model") != self.embedding_model or int(
            state.get("embedding_dim", 0)) != self.embedding_dim:
            raise StoreError(
                f"the store was built with the embedding model {state.get('embedding_model')} "
                f"(dimension {state.get('embedding_dim')}), but this run uses {self.embedding_model} "
                f"(dimension {self.embedding_dim}): run `whosaid reindex` to re-embed it with the "
                f"new model, or set WHOSAID_EMBEDDINGS back to {state.get('embedding_model')}"
            )

    def state(self) -> dict:
        """The store's recorded schema, model, layout, generation and seeding flag."""
        return dict(self.client.get_collection(STATE_COLLECTION).metadata or {})

    def generation(self) -> str:
        """A token that changes whenever an article is written or deleted (cache key)."""
        return str(self.state().get("generation", ""))

    def _update_state(self, **changes) -> None:
        meta = self.state()
        meta.update(changes)
        idempotent(self._state.modify, metadata=meta)

    def _bump_generation(self) -> None:
        self._update_state(generation=uuid.uuid4().hex)

    def is_seeded(self) -> bool:
        """True once the seed corpus was offered to this store (it is never re-added)."""
        return bool(self.state().get("seeded"))

    def mark_seeded(self) -> None:
        self._update_state(seeded=True)

    def collection(self, kind: str):
        """The raw Chroma collection of a kind (``articles``, ``sentences`` …)."""
        return self._collections[kind]

    def vectorstore(self, kind: str, embeddings):
        """A LangChain ``Chroma`` vector store over one of the searchable collections
        (``sentences``, ``chunks``, ``claims``)."""
        from langchain_chroma import Chroma

        if kind in RECORD_KINDS:
            raise ValueError(f"{kind} are records, not searched by vector: use sentences, chunks or claims")

        return Chroma(client=self.client, collection_name=f"whosaid_{self.layout}_{kind}",
                      embedding_function=embeddings, collection_configuration=_SPACE)

    # -- writing -------------------------------------------------------------------------

    def cached_vectors(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors already in the store for these sentence text hashes.

        A text repeated across many articles (a wire story's sentences, boilerplate)
        matches a row per copy: the rows' hashes are read first, then one vector per hash
        (reading every copy's vector and metadata cost twice as much at 10,000 articles)."""
        wanted = sorted(set(hashes))
        first: dict[str, str] = {}  # text hash -> the id of one sentence with that text
        sentences = self._collections["sentences"]
        for part in _batched(wanted, 500):
            got = idempotent(sentences.get, where={"text_hash": {"$in": list(part)}}, include=["metadatas"])
            for sid, meta in zip(got["ids"], got["metadatas"]):
                first.setdefault(meta["text_hash"], sid)
        by_id = self.sentence_vectors(first.values())
        return {h: by_id[sid] for h, sid in first.items() if sid in by_id}

    def write_articles(self, bundles: Sequence[ArticleBundle]) -> None:
        """Write articles and everything derived from them; article records go last.

        A speaker whose stored record would not change (same name, aliases, role, kind)
        keeps its row instead of being rewritten: speaker vectors are never searched."""
        if not bundles:
            return
        rows: dict[str, list[tuple[str, list[float], str, dict]]] = {k: [] for k in KINDS}
        for b in bundles:
            self._rows_for(b, rows)
        for kind in ("sentences", "chunks", "attributions", "speakers", "articles"):
            # One row per id: a speaker met in several articles of a batch keeps its latest merge.
            unique = list({row[0]: row for row in rows[kind]}.values())
            if kind == "speakers":
                unique = self._changed_speaker_rows(unique)
            if not unique:
                continue
            for part in _batched(unique, WRITE_BATCH):
                ids, vectors, docs, metas = zip(*part)
                idempotent(self._collections[kind].upsert, ids=list(ids),
                           embeddings=np.asarray(vectors, dtype=np.float32),
                           documents=list(docs), metadatas=list(metas))
        self._bump_generation()

    def _changed_speaker_rows(self, rows: list[tuple]) -> list[tuple]:
        """The speaker rows to write: new ones, and those that add to the stored record.

        A stored record's aliases and genders are kept in the row written over it: another
        process writing to the same Chroma server may have added some since this process
        read its speakers (``index.ingest.StoredSpeakers`` reads them once), and a speaker
        record only ever grows by merging. A row that adds nothing is not written."""
        if not rows:
            return rows
        got = idempotent(self._collections["speakers"].get, ids=[row[0] for row in rows], include=["metadatas"])
        stored = dict(zip(got["ids"], got["metadatas"]))
        out = []
        for sid, vector, doc, meta in rows:
            old = stored.get(sid)
            if old is not None:
                aliases = list(meta.get("aliases") or [])
                aliases += [a for a in old.get("aliases") or [] if a not in aliases and a != meta.get("name")]
                genders = sorted(set(meta.get("genders") or []) | set(old.get("genders") or []))
                meta = _clean_meta({**meta, "aliases": aliases, "genders": genders,
                                    "role": meta.get("role") or old.get("role")})
                if meta == old:
                    continue
            out.append((sid, vector, doc, meta))
        return out

    def _rows_for(self, b: ArticleBundle, rows: dict) -> None:
        day = date_number(b.appearance.date)
        vectors = b.sentence_vectors
        by_sentence: dict[str, list[Attribution]] = {}
        for attribution in b.attributions:
            for sid in attribution.sentence_ids:
                by_sentence.setdefault(sid, []).append(attribution)
        index_of = {s.id: i for i, s in enumerate(b.sentences)}
        for i, s in enumerate(b.sentences):
            attrs = by_sentence.get(s.id, [])
            rows["sentences"].append((s.id, vectors[i], s.text, _clean_meta({
                "article_id": s.article_id, "n": s.n, "start": s.start, "end": s.end,
                "paragraph": s.paragraph, "text_hash": text_hash(s.text), "date_num": day,
                "speaker_ids": sorted({a.speaker_id for a in attrs if a.speaker_id}),
                "speakers": sorted({a.speaker for a in attrs if a.speaker}),
                "attribution_ids": [a.id for a in attrs],
            })))
        for c in b.chunks:
            rows["chunks"].append((c.id, _mean([vectors[index_of[sid]] for sid in c.sentence_ids]),
                                   c.text, _clean_meta({
                "article_id": c.article_id, "n": c.n, "start": c.start, "end": c.end,
                "sentence_ids": c.sentence_ids, "date_num": day})))
        attribution_vectors = {} if self._placeholder["attributions"] else bundle_attribution_vectors(b)
        for a in b.attributions:
            rows["attributions"].append((a.id, attribution_vectors.get(a.id, PLACEHOLDER_VECTOR), a.content_text,
                                         _clean_meta({
                "article_id": a.article_id, "speaker": a.speaker, "speaker_id": a.speaker_id,
                "kind": a.kind, "stance": a.stance, "sentence_ids": a.sentence_ids, "date_num": day,
                "spans": json.dumps(a.to_dict(), ensure_ascii=False)})))
        speaker_vectors: dict[str, list] = {}
        if not self._placeholder["speakers"]:
            for a in b.attributions:
                if a.speaker_id:
                    speaker_vectors.setdefault(a.speaker_id, []).extend(
                        vectors[index_of[sid]] for sid in a.sentence_ids if sid in index_of)
        for sp in b.speakers:
            speaker_vector = (PLACEHOLDER_VECTOR if self._placeholder["speakers"]
                              else _mean(speaker_vectors.get(sp.id) or list(vectors)))
            rows["speakers"].append((sp.id, speaker_vector, sp.name,
                                     _clean_meta({"name": sp.name, "aliases": sp.aliases,
                                                  "role": sp.role, "kind": sp.kind, "genders": sp.genders})))
        ap = b.appearance
        article_vector = PLACEHOLDER_VECTOR if self._placeholder["articles"] else _mean(list(vectors))
        rows["articles"].append((b.article_id, article_vector, b.text, _clean_meta({
            "title": ap.title, "outlet": ap.outlet, "date": ap.date, "date_num": day, "url": ap.url,
            "path": ap.path, "content_hash": b.content_hash, "encoding": b.encoding,
            "sentences": len(b.sentences), "attributions": len(b.attributions),
            "speaker_ids": sorted({sp.id for sp in b.speakers}),
            "appearances": json.dumps([ap.__dict__], ensure_ascii=False),
            "version_keys": _version_keys([ap]),
            "furniture": json.dumps([[f.start, f.end] for f in b.furniture]),
            "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "schema": SCHEMA_VERSION})))

    def add_appearance(self, article_id: str, appearance: Appearance) -> bool:
        """Record another appearance of an indexed article; False if it is already known."""
        record = self.get_article(article_id)
        if record is None:
            raise StoreError(f"no article {article_id}")
        if any(a.__dict__ == appearance.__dict__ for a in record.appearances):
            return False
        got = self._collections["articles"].get(ids=[article_id], include=["metadatas"])
        self._set_appearances(article_id, dict(got["metadatas"][0]), [*record.appearances, appearance])
        return True

    def _set_appearances(self, article_id: str, meta: dict, appearances: list[Appearance]) -> None:
        """Rewrite an article record's appearances (and the version keys they give)."""
        meta.update({"appearances": json.dumps([a.__dict__ for a in appearances], ensure_ascii=False),
                     "version_keys": _version_keys(appearances)})
        self._collections["articles"].update(ids=[article_id], metadatas=[meta])
        self._bump_generation()

    def articles_with_version_keys(self, keys: Iterable[str]) -> dict[str, list[ArticleRecord]]:
        """Committed articles with an appearance of each version key (``version_key``)."""
        wanted = sorted(set(keys))
        out: dict[str, list[ArticleRecord]] = {k: [] for k in wanted}
        for part in _batched(wanted, 50):
            clauses = [{"version_keys": {"$contains": k}} for k in part]
            where = clauses[0] if len(clauses) == 1 else {"$or": clauses}
            got = get_all(self._collections["articles"], ["metadatas"], where)
            for aid, meta in zip(got["ids"], got["metadatas"]):
                record = _article_record(aid, "", meta)
                for key in set(meta.get("version_keys") or []) & set(part):
                    out[key].append(record)
        return out

    def remove_version(self, article_id: str, key: str) -> bool:
        """Remove the appearances of ``key`` from an article (superseded by a newer
        version); the article itself goes when no other appearance is left. True if the
        article was deleted. The article keeps its date filter (the first appearance's
        date when it was indexed)."""
        got = self._collections["articles"].get(ids=[article_id], include=["metadatas"])
        if not got["ids"]:
            return False
        meta = dict(got["metadatas"][0])
        kept = [a for a in _article_record(article_id, "", meta).appearances if version_key(a) != key]
        if not kept:
            return self.delete_article(article_id)
        first = kept[0]
        # A key set to None is removed by Chroma's update (the others are merged).
        meta.update({"title": first.title, "outlet": first.outlet, "date": first.date, "url": first.url,
                     "path": first.path})
        self._set_appearances(article_id, meta, kept)
        return False

    def delete_article(self, article_id: str) -> bool:
        """Remove an article and everything derived from it. The article record goes first,
        so a crash half-way leaves only invisible leftovers (cleaned by ``purge_orphans``)."""
        exists = bool(self._collections["articles"].get(ids=[article_id], include=[])["ids"])
        self._collections["articles"].delete(ids=[article_id])
        for kind in ("sentences", "chunks", "attributions", "claims"):
            self._collections[kind].delete(where={"article_id": article_id})
        self._bump_generation()
        return exists

    def purge_orphans(self) -> int:
        """Delete derived records whose article record is missing (left by a crash)."""
        committed = set(self.article_ids())
        removed = 0
        for kind in ("sentences", "chunks", "attributions", "claims"):
            got = get_all(self._collections[kind], ["metadatas"])
            orphans = [i for i, m in zip(got["ids"], got["metadatas"]) if m["article_id"] not in committed]
            for part in _batched(orphans, WRITE_BATCH):
                self._collections[kind].delete(ids=list(part))
            removed += len(orphans)
        return removed

    # -- reading -------------------------------------------------------------------------

    def article_ids(self) -> list[str]:
        return get_all(self._collections["articles"], [])["ids"]

    def count(self, kind: str = "articles") -> int:
        return self._collections[kind].count()

    def get_article(self, article_id: str) -> ArticleRecord | None:
        """An article with its text, or ``None``."""
        got = self._collections["articles"].get(ids=[article_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        return _article_record(got["ids"][0], got["documents"][0], got["metadatas"][0])

    def get_articles(self, article_ids: Iterable[str]) -> dict[str, ArticleRecord]:
        """Committed articles among ``article_ids``, with their texts (batched reads)."""
        out: dict[str, ArticleRecord] = {}
        for part in _batched(sorted(set(article_ids)), 200):
            got = self._collections["articles"].get(ids=list(part), include=["documents", "metadatas"])
            for aid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                out[aid] = _article_record(aid, doc, meta)
        return out

    def article_metadata(self, article_ids: Iterable[str]) -> dict[str, ArticleRecord]:
        """Committed articles among ``article_ids`` (without their text)."""
        ids = sorted(set(article_ids))
        out: dict[str, ArticleRecord] = {}
        for part in _batched(ids, 500):
            got = idempotent(self._collections["articles"].get, ids=list(part), include=["metadatas"])
            for aid, meta in zip(got["ids"], got["metadatas"]):
                out[aid] = _article_record(aid, "", meta)
        return out

    def list_articles(self) -> list[ArticleRecord]:
        got = get_all(self._collections["articles"], ["metadatas"])
        records = [_article_record(i, "", m) for i, m in zip(got["ids"], got["metadatas"])]
        return sorted(records, key=lambda r: (r.date or "", r.ingested_at, r.id))

    def get_sentences(self, ids: Sequence[str]) -> dict[str, SentenceRecord]:
        """Sentences by id (only those of committed articles)."""
        out: dict[str, SentenceRecord] = {}
        for part in _batched(list(dict.fromkeys(ids)), 500):
            got = self._collections["sentences"].get(ids=list(part), include=["documents", "metadatas"])
            for sid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                out[sid] = sentence_record(sid, doc, meta)
        committed = self.article_metadata({r.article_id for r in out.values()})
        return {k: v for k, v in out.items() if v.article_id in committed}

    def sentences_of(self, article_id: str) -> list[SentenceRecord]:
        """An article's sentences in order."""
        return self.sentences_of_many([article_id]).get(article_id, [])

    def sentences_of_many(self, article_ids: Iterable[str]) -> dict[str, list[SentenceRecord]]:
        """The sentences of several articles, in order, from one paged read."""
        ids = sorted(set(article_ids))
        if not ids:
            return {}
        where = {"article_id": ids[0]} if len(ids) == 1 else {"article_id": {"$in": ids}}
        got = get_all(self._collections["sentences"], ["documents", "metadatas"], where)
        out: dict[str, list[SentenceRecord]] = {}
        for i, d, m in zip(got["ids"], got["documents"], got["metadatas"]):
            record = sentence_record(i, d, m)
            out.setdefault(record.article_id, []).append(record)
        for records in out.values():
            records.sort(key=lambda r: r.n)
        return out

    def iter_sentences(self, batch: int = 5000) -> Iterator[SentenceRecord]:
        """Every stored sentence (committed or not: callers filter by article)."""
        col = self._collections["sentences"]
        total = col.count()
        for offset in range(0, total, batch):
            got = col.get(include=["documents", "metadatas"], limit=batch, offset=offset)
            for sid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                yield sentence_record(sid, doc, meta)

    def attributions(self, speaker_id: str | Sequence[str] | None = None, article_id: str | None = None,
                     article_ids: Iterable[str] | None = None) -> list[dict]:
        """Stored attributions (as dicts with article metadata keys), optionally filtered
        by speaker (one or several) and by one article or several."""
        clauses: list[dict] = []
        if by_speaker := _speaker_filter(speaker_id):
            clauses.append(by_speaker)
        if article_id:
            clauses.append({"article_id": article_id})
        if article_ids is not None:
            ids = sorted(set(article_ids))
            if not ids:
                return []
            clauses.append({"article_id": {"$in": ids}})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        got = get_all(self._collections["attributions"], ["metadatas"], where)
        committed = self.article_metadata({m["article_id"] for m in got["metadatas"]})
        out = []
        for aid, meta in zip(got["ids"], got["metadatas"]):
            if meta["article_id"] in committed:
                out.append(_attribution_item(aid, meta))
        return out

    def attribution_ids(self, speaker_id: str | Sequence[str] | None = None) -> list[str]:
        """Ids of the stored attributions (optionally of one speaker or several), committed
        articles' or not: reading ids only costs a fraction of reading the records."""
        return get_all(self._collections["attributions"], [], _speaker_filter(speaker_id))["ids"]

    def attributions_by_id(self, ids: Sequence[str]) -> list[dict]:
        """The attributions stored under ``ids`` (as ``attributions`` gives them), in the
        order given; ids not stored are left out."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, dict] = {}
        for part in _batched(wanted, 2000):
            got = idempotent(self._collections["attributions"].get, ids=list(part), include=["metadatas"])
            found.update(zip(got["ids"], got["metadatas"]))
        return [_attribution_item(aid, found[aid]) for aid in wanted if aid in found]

    def attribution_vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Attribution id -> its vector, the normalised mean of its content sentences'
        vectors (``bundle_attribution_vectors``), worked out from the sentences: attribution
        records need not carry it (see the module doc)."""
        items = self.attributions_by_id(ids)
        vectors = self.sentence_vectors({sid for a in items for sid in a.get("sentence_ids") or []})
        out: dict[str, np.ndarray] = {}
        for a in items:
            members = [vectors[sid] for sid in a.get("sentence_ids") or [] if sid in vectors]
            if members:
                out[a["id"]] = np.asarray(_mean(members), dtype=np.float32)
        return out

    def sentence_vectors(self, ids: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored sentence vectors by sentence id (ids not stored are left out)."""
        out: dict[str, np.ndarray] = {}
        for part in _batched(sorted(set(ids)), 2000):
            got = idempotent(self._collections["sentences"].get, ids=list(part), include=["embeddings"])
            out.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
        return out

    # -- claim links ---------------------------------------------------------------------

    def write_claim_links(self, links: Sequence[dict]) -> None:
        """Upsert claim links: dicts with ``id`` (the attribution id), ``vector``, ``text``
        and metadata keys (``claim_id``, ``speaker_id``, ``article_id`` …). Written before the
        article record of their article; readers skip links of uncommitted articles."""
        self._has_claim_links = self._has_claim_links or bool(links)
        for part in _batched(list({link["id"]: link for link in links}.values()), WRITE_BATCH):
            idempotent(self._collections["claims"].upsert,
                ids=[link["id"] for link in part],
                embeddings=np.asarray([link["vector"] for link in part], dtype=np.float32),
                documents=[link["text"] for link in part],
                metadatas=[_clean_meta({k: v for k, v in link.items() if k not in ("id", "vector", "text")})
                           for link in part])

    def claim_link_ids(self, speaker_id: str | Sequence[str] | None = None) -> set[str]:
        """Ids of the stored claim links (the ids of the attributions they link), optionally
        of one speaker or several; committed articles' or not."""
        return set(get_all(self._collections["claims"], [], _speaker_filter(speaker_id))["ids"])

    def claim_speaker(self, claim_id: str) -> str | None:
        """The id of the speaker whose claim ``claim_id`` is (None if no link names it)."""
        got = idempotent(self._collections["claims"].get, where={"claim_id": claim_id}, limit=1,
                         include=["metadatas"])
        return got["metadatas"][0]["speaker_id"] if got["ids"] else None

    def claim_links(self, speaker_id: str | Sequence[str] | None = None, with_vectors: bool = False) -> list[dict]:
        """Claim links of committed articles (optionally of one speaker or several), as
        dicts with ``id``, ``text``, the metadata keys and, if asked, ``vector``."""
        include = ["documents", "metadatas"] + (["embeddings"] if with_vectors else [])
        got = self._collections["claims"].get(where=_speaker_filter(speaker_id), include=include)
        committed = self.article_metadata({m["article_id"] for m in got["metadatas"]})
        vectors = got["embeddings"] if with_vectors else [None] * len(got["ids"])
        out = []
        for lid, doc, meta, vec in zip(got["ids"], got["documents"], got["metadatas"], vectors):
            if meta["article_id"] in committed:
                item = {"id": lid, "text": doc, **meta}
                if with_vectors:
                    item["vector"] = np.asarray(vec, dtype=np.float32)
                out.append(item)
        return out

    def claim_links_of_claims(self, attribution_ids: Iterable[str], speaker_ids: Iterable[str]) -> list[dict] | None:
        """Every claim link (committed or not, with ``vector``) of the claims that link these
        attributions of these speakers: the whole claim of a statement, read without
        reading the speaker's other claims (two reads: the attributions' links by id,
        then the links of their claims). ``None`` when one of the attributions has no link
        yet (a store from before claims: ``bot.claims.ensure_links`` links it)."""
        ids, speakers = sorted(set(attribution_ids)), set(speaker_ids)
        if not ids or not speakers:
            return []
        col = self._collections["claims"]
        got = idempotent(col.get, ids=ids, include=["metadatas"])
        if len(got["ids"]) < len(ids):
            linked = set(got["ids"])
            missing = self.attributions_by_id([i for i in ids if i not in linked])
            if any(a.get("speaker_id") in speakers for a in missing):
                return None
        claim_ids = sorted({m["claim_id"] for m in got["metadatas"] if m.get("speaker_id") in speakers})
        if not claim_ids:
            return []
        where = {"claim_id": claim_ids[0]} if len(claim_ids) == 1 else {"claim_id": {"$in": claim_ids}}
        got = idempotent(col.get, where=where, include=["documents", "metadatas", "embeddings"])
        return [{"id": lid, "text": doc, **meta, "vector": np.asarray(vec, dtype=np.float32)}
                for lid, doc, meta, vec in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])]

    def claim_links_by_speaker(self, speaker_ids: Sequence[str]) -> dict[str, tuple[list[dict], np.ndarray]]:
        """Speaker id -> its claim links, committed or not (as ``nearest_claim_links`` gives
        them, without ``similarity`` and ``vector``) and their vectors as one matrix, row i
        for link i. One read for all the speakers: a metadata-filtered read costs about
        as much for one speaker as for a hundred. Speakers without links are left out."""
        ids = list(dict.fromkeys(speaker_ids))
        if not ids:
            return {}
        got = idempotent(self._collections["claims"].get, where=_speaker_filter(ids),
                         include=["documents", "metadatas", "embeddings"])
        links: dict[str, list[dict]] = defaultdict(list)
        rows: dict[str, list[int]] = defaultdict(list)
        for i, (lid, doc, meta) in enumerate(zip(got["ids"], got["documents"], got["metadatas"])):
            links[meta["speaker_id"]].append({"id": lid, "text": doc, **meta})
            rows[meta["speaker_id"]].append(i)
        vectors = np.asarray(got["embeddings"], dtype=np.float32) if got["ids"] else None
        return {speaker_id: (found, vectors[rows[speaker_id]]) for speaker_id, found in links.items()}

    def nearest_claim_links(self, vector, k: int, speaker_id: str | Sequence[str] | None = None) -> list[dict]:
        """The ``k`` claim links nearest to ``vector`` (optionally of one speaker or several), committed
        or not (a link written by the same unfinished ingest batch is a valid neighbour),
        each with ``similarity`` (cosine) and ``vector``."""
        return self.nearest_claim_links_many([vector], k, speaker_id)[0]

    def nearest_claim_links_many(self, vectors, k: int,
                                 speaker_id: str | Sequence[str] | None = None) -> list[list[dict]]:
        """``nearest_claim_links`` for several vectors of one speaker (or of any of several
        speakers) in one query."""
        col = self._collections["claims"]
        if not len(vectors):
            return []
        # Counting is not free: once this store has seen claim links it stops counting (a
        # query of an emptied collection answers empty lists all the same).
        if not self._has_claim_links:
            if col.count() == 0:
                return [[] for _ in vectors]
            self._has_claim_links = True
        try:
            got = idempotent(col.query, query_embeddings=np.asarray(vectors, dtype=np.float32), n_results=k,
                             where=_speaker_filter(speaker_id),
                             include=["documents", "metadatas", "distances", "embeddings"])
        except Exception as exc:  # a transport or filter error of the Chroma client
            raise StoreError(f"cannot search claim links: {type(exc).__name__}: {exc}") from None
        return [[{"id": lid, "text": doc, **meta, "similarity": 1.0 - float(dist),
                  "vector": np.asarray(vec, dtype=np.float32)}
                 for lid, doc, meta, dist, vec in zip(ids, docs, metas, dists, vecs)]
                for ids, docs, metas, dists, vecs in zip(got["ids"], got["documents"], got["metadatas"],
                                                         got["distances"], got["embeddings"])]

    def speaker_names(self, speaker_ids: Iterable[str]) -> dict[str, str]:
        """The stored names of these speakers (ids not stored are left out)."""
        ids = sorted(set(speaker_ids))
        if not ids:
            return {}
        got = idempotent(self._collections["speakers"].get, ids=ids, include=["metadatas"])
        return {i: m["name"] for i, m in zip(got["ids"], got["metadatas"])}

    def speakers(self) -> list[Speaker]:
        got = get_all(self._collections["speakers"], ["metadatas"])
        return [Speaker(id=i, name=m["name"], aliases=list(m.get("aliases") or []), role=m.get("role"),
                        kind=m.get("kind", "unknown"), genders=list(m.get("genders") or []))
                for i, m in zip(got["ids"], got["metadatas"])]

    def all_sentence_vectors(self) -> dict[str, np.ndarray]:
        """text hash -> vector for every stored sentence (reused by ``reindex``)."""
        col = self._collections["sentences"]
        out: dict[str, np.ndarray] = {}
        for offset in range(0, col.count(), 5000):
            got = col.get(include=["embeddings", "metadatas"], limit=5000, offset=offset)
            for meta, vec in zip(got["metadatas"], got["embeddings"]):
                out[meta["text_hash"]] = np.asarray(vec, dtype=np.float32)
        return out

    def drop_layout(self, layout: str) -> None:
        for kind in KINDS:
            try:
                self.client.delete_collection(f"whosaid_{layout}_{kind}")
            except Exception:  # already gone
                pass

    def activate(self) -> None:
        """Make this store's layout the active one (the last step of ``reindex``)."""
        self._state.modify(metadata={"schema": SCHEMA_VERSION, "embedding_model": self.embedding_model,
                                     "embedding_dim": self.embedding_dim, "layout": self.layout,
                                     "generation": uuid.uuid4().hex})


def _version_keys(appearances: Iterable[Appearance]) -> list[str] | None:
    """The version keys of an article's appearances (metadata; ``None`` if it has none)."""
    keys = sorted({k for a in appearances if (k := version_key(a))})
    return keys or None


def _speaker_filter(speaker_id: str | Sequence[str] | None) -> dict | None:
    """The ``where`` filter for one speaker id or several; none for ``None`` or ``""``."""
    if isinstance(speaker_id, str) or speaker_id is None:
        return {"speaker_id": speaker_id} if speaker_id else None
    ids = sorted(set(speaker_id))
    if not ids:  # an empty list would otherwise mean every speaker
        raise ValueError("an empty list of speaker ids")
    return {"speaker_id": ids[0]} if len(ids) == 1 else {"speaker_id": {"$in": ids}}


def bundle_attribution_vectors(b: ArticleBundle) -> dict[str, list[float]]:
    """Attribution id -> its vector (normalised mean of its content sentences' vectors)."""
    index_of = {s.id: i for i, s in enumerate(b.sentences)}
    out = {}
    for a in b.attributions:
        members = [b.sentence_vectors[index_of[sid]] for sid in a.sentence_ids if sid in index_of]
        out[a.id] = _mean(members or list(b.sentence_vectors))
    return out


def _mean(vectors: list) -> list[float]:
    arr = np.asarray(vectors, dtype=np.float32)
    mean = arr.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else arr[0]).tolist()


def sentence_record(sid: str, doc: str, meta: dict) -> SentenceRecord:
    return SentenceRecord(
        id=sid, article_id=meta["article_id"], n=int(meta["n"]), start=int(meta["start"]),
        end=int(meta["end"]), text=doc, paragraph=int(meta.get("paragraph", 0)),
        speaker_ids=list(meta.get("speaker_ids") or []), speakers=list(meta.get("speakers") or []),
        attribution_ids=list(meta.get("attribution_ids") or []),
    )


def _article_record(aid: str, text: str, meta: dict) -> ArticleRecord:
    appearances = [Appearance(**a) for a in json.loads(meta.get("appearances") or "[]")]
    furniture = [Span(s, e, text[s:e]) for s, e in json.loads(meta.get("furniture") or "[]")] if text else []
    return ArticleRecord(
        id=aid, text=text, title=meta.get("title"), outlet=meta.get("outlet"), date=meta.get("date"),
        url=meta.get("url"), path=meta.get("path"), content_hash=meta.get("content_hash", ""),
        sentences=int(meta.get("sentences", 0)), attributions=int(meta.get("attributions", 0)),
        speakers=list(meta.get("speaker_ids") or []), appearances=appearances, furniture=furniture,
        ingested_at=meta.get("ingested_at", ""),
    )
