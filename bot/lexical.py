"""Lexical retrieval: Okapi BM25 over the store's sentences, held in memory.

The index holds no Python object per sentence, so it stays small at millions of
sentences:

* a sentence is its article's number (``int32``) and its position in the article
  (``int32``); its id ``<article_id>:<n>`` is rebuilt only for the hits returned;
* the (term, sentence) pairs are kept sorted by term, then sentence, as two arrays
  (sentence numbers and term frequencies); a term's postings are a slice of them, with
  the BM25 term weight ``tf·(k1+1) / (tf + k1·(1-b+b·len/avglen))`` precomputed; a
  repeated sentence text is tokenised once;
* article and speaker filters are CSR groupings (a sorted array and offsets per key);
* each article's date (``YYYYMMDD``) is kept, so date filters and "earliest first"
  orderings need no store read either.

A query costs one vectorised pass per query term and a partial sort.

The index changes by whole articles (``updated``: articles added and removed; an article's
sentences are written once, with the article): only the new sentences are tokenised, and
the merge is a stable sort of two sorted runs plus a vectorised re-weighting, so scores
stay exactly those of a fresh build. ``save``/``load`` keep it on disk between processes
(``bot.retrieve.LexicalCache``), so a process does not re-read every sentence to start.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.text import terms
from index.store import SentenceRecord

K1 = 1.2
B = 0.75
TOKEN_CACHE_LIMIT = 200_000  # distinct texts whose tokens are remembered while building
# a filter allowing under 1/SPARSE_SHARE of the sentences is scored sentence by sentence
# (binary search in each term's postings), not over every posting
SPARSE_SHARE = 256
FORMAT = 3  # of saved indexes; bump when ``bot.text.terms`` or the arrays change
UNDATED = 99_999_999  # sorts an article without a date after every dated one


@dataclass
class LexicalHit:
    sentence_id: str
    score: float


@dataclass(frozen=True)
class LexicalRow:
    """What the index needs of one stored sentence."""

    id: str
    article_id: str
    text: str
    speaker_ids: tuple[str, ...] | list[str] = ()
    date_num: int = 0  # the article's date as YYYYMMDD; 0 when it has none


class _Groups:
    """``key -> sorted int32 array of sentence numbers``, stored as one array and offsets."""

    def __init__(self, key_of_pair: np.ndarray, doc_of_pair: np.ndarray, names: list[str]) -> None:
        order = np.lexsort((doc_of_pair, key_of_pair))
        self._docs = doc_of_pair[order].astype(np.int32)
        self._bounds = np.searchsorted(key_of_pair[order], np.arange(len(names) + 1))
        self._number = {name: i for i, name in enumerate(names)}

    def docs(self, key: str) -> np.ndarray | None:
        i = self._number.get(key)
        return None if i is None else self._docs[self._bounds[i] : self._bounds[i + 1]]


class BM25Index:
    """An in-memory BM25 index over sentence records (or ``LexicalRow``s)."""

    def __init__(self, records: Iterable[SentenceRecord | LexicalRow] = ()) -> None:
        self._articles: list[str] = []
        self._article_dates: list[int] = []  # YYYYMMDD per article, 0 without a date
        self._odd_ids: dict[int, str] = {}  # ids not of the form <article_id>:<n>
        self._vocabulary: dict[str, int] = {}
        self._speakers: list[str] = []
        empty = np.zeros(0, dtype=np.int32)
        self._doc_article, self._doc_n, self._length = empty, empty, empty
        self._post_docs, self._post_tf = empty, np.zeros(0, dtype=np.uint16)
        self._bounds = np.zeros(1, dtype=np.int64)
        self._speaker_pairs = (empty, empty)  # (speaker number, sentence number) per pair
        # each sentence's row in the vector file named ``vector_file`` (-1: not in it)
        self.vector_file: str | None = None
        self._vector_row = empty
        self._finish()
        if records:
            self._absorb(self._new_part(records, 0), keep_doc=None)

    # -- building and updating -------------------------------------------------------

    def updated(self, added: Iterable[SentenceRecord | LexicalRow] = (),
                removed_articles: Iterable[str] = ()) -> "BM25Index":
        """A new index: this one without the sentences of ``removed_articles``, plus the
        ``added`` sentences (of articles not in this index). This index is unchanged."""
        out = BM25Index.__new__(BM25Index)
        out.__dict__.update(self.__dict__)
        out._articles, out._odd_ids = list(self._articles), dict(self._odd_ids)
        out._article_dates = list(self._article_dates)
        out._vocabulary, out._speakers = dict(self._vocabulary), list(self._speakers)
        gone = [out._article_number[a] for a in set(removed_articles) if a in out._article_number]
        keep_doc = ~np.isin(out._doc_article, np.asarray(gone, dtype=np.int32)) if gone else None
        n_kept = int(keep_doc.sum()) if keep_doc is not None else out.size
        out._absorb(out._new_part(added, n_kept), keep_doc)
        return out

    def _new_part(self, records: Iterable[SentenceRecord | LexicalRow], first_doc: int) -> dict:
        """Arrays for new sentences numbered from ``first_doc`` (extends the vocabulary,
        article and speaker lists)."""
        article_number = {a: i for i, a in enumerate(self._articles)}
        speaker_number = {s: i for i, s in enumerate(self._speakers)}
        vocabulary = self._vocabulary
        doc_article, doc_n, lengths, stream = array("i"), array("i"), array("i"), array("i")
        speaker_of_pair, doc_of_speaker_pair = array("i"), array("i")
        odd_ids: dict[int, str] = {}
        token_cache: dict[str, array] = {}
        for local, record in enumerate(records):
            doc = first_doc + local
            a = article_number.get(record.article_id)
            if a is None:
                a = article_number[record.article_id] = len(self._articles)
                self._articles.append(record.article_id)
                self._article_dates.append(int(getattr(record, "date_num", 0) or 0))
            doc_article.append(a)
            head, _, tail = record.id.rpartition(":")
            if head == record.article_id and tail.isdigit() and str(int(tail)) == tail:
                doc_n.append(int(tail))
            else:
                doc_n.append(-1)
                odd_ids[doc] = record.id
            for speaker in record.speaker_ids:
                sp = speaker_number.get(speaker)
                if sp is None:
                    sp = speaker_number[speaker] = len(self._speakers)
                    self._speakers.append(speaker)
                speaker_of_pair.append(sp)
                doc_of_speaker_pair.append(doc)
            tokens = token_cache.get(record.text)
            if tokens is None:
                tokens = array("i", [vocabulary.setdefault(t, len(vocabulary)) for t in terms(record.text)])
                if len(token_cache) >= TOKEN_CACHE_LIMIT:
                    token_cache.clear()
                token_cache[record.text] = tokens
            stream.extend(tokens)
            lengths.append(len(tokens))
        del token_cache
        n = len(doc_article)
        length = np.frombuffer(lengths, dtype=np.int32).copy()
        tokens = np.frombuffer(stream, dtype=np.int32).astype(np.int64)
        docs = np.repeat(np.arange(n, dtype=np.int64), length.astype(np.int64))
        tokens *= max(n, 1)
        tokens += docs
        del docs
        pairs, tf = np.unique(tokens, return_counts=True)  # by term, then sentence
        del tokens, stream
        pair_terms, pair_docs = np.divmod(pairs, max(n, 1))
        del pairs
        pair_docs += first_doc
        return {"doc_article": np.frombuffer(doc_article, dtype=np.int32).copy(),
                "doc_n": np.frombuffer(doc_n, dtype=np.int32).copy(), "length": length, "odd_ids": odd_ids,
                "pair_terms": pair_terms.astype(np.int32), "pair_docs": pair_docs.astype(np.int32),
                "pair_tf": np.minimum(tf, np.iinfo(np.uint16).max).astype(np.uint16),
                "speaker_pairs": (np.frombuffer(speaker_of_pair, dtype=np.int32).copy(),
                                  np.frombuffer(doc_of_speaker_pair, dtype=np.int32).copy())}

    def _absorb(self, new: dict, keep_doc: np.ndarray | None) -> None:
        """Drop the sentences ``keep_doc`` rules out (renumbering the rest), append ``new``."""
        pair_terms = np.repeat(np.arange(len(self._bounds) - 1, dtype=np.int32), np.diff(self._bounds))
        pair_docs, pair_tf = self._post_docs, self._post_tf
        sp_keys, sp_docs = self._speaker_pairs
        if keep_doc is not None:
            number = (np.cumsum(keep_doc) - 1).astype(np.int32)
            kept = keep_doc[pair_docs]
            pair_terms, pair_docs, pair_tf = pair_terms[kept], number[pair_docs[kept]], pair_tf[kept]
            kept_sp = keep_doc[sp_docs]
            sp_keys, sp_docs = sp_keys[kept_sp], number[sp_docs[kept_sp]]
            self._odd_ids = {int(number[d]): i for d, i in self._odd_ids.items() if keep_doc[d]}
            self._doc_article, self._doc_n = self._doc_article[keep_doc], self._doc_n[keep_doc]
            self._length = self._length[keep_doc]
            self._vector_row = self._vector_row[keep_doc]
        self._odd_ids.update(new["odd_ids"])
        self._speaker_pairs = (np.concatenate([sp_keys, new["speaker_pairs"][0]]),
                               np.concatenate([sp_docs, new["speaker_pairs"][1]]))
        self._doc_article = np.concatenate([self._doc_article, new["doc_article"]])
        self._doc_n = np.concatenate([self._doc_n, new["doc_n"]])
        self._length = np.concatenate([self._length, new["length"]])
        self._vector_row = np.concatenate([self._vector_row, np.full(len(new["length"]), -1, dtype=np.int32)])
        if len(pair_terms):
            # Both runs are sorted by (term, sentence) and every new sentence number is
            # larger than every kept one, so a stable sort by term alone restores the order.
            all_terms = np.concatenate([pair_terms, new["pair_terms"]])
            del pair_terms
            order = np.argsort(all_terms, kind="stable")
            self._post_docs = np.concatenate([pair_docs, new["pair_docs"]])[order]
            self._post_tf = np.concatenate([pair_tf, new["pair_tf"]])[order]
            all_terms = all_terms[order]
            del order
        else:  # a first build: the new run is the whole index, already in order
            all_terms, self._post_docs, self._post_tf = new["pair_terms"], new["pair_docs"], new["pair_tf"]
        new.clear()
        self._bounds = np.searchsorted(all_terms, np.arange(len(self._vocabulary) + 1)).astype(np.int64)
        del all_terms
        self._compact_articles()
        self._finish()

    def _compact_articles(self) -> None:
        """Forget articles that no longer have sentences (renumbering the others)."""
        present = np.zeros(len(self._articles), dtype=bool)
        present[self._doc_article] = True
        if present.all():
            return
        number = (np.cumsum(present) - 1).astype(np.int32)
        self._articles = [a for a, p in zip(self._articles, present) if p]
        self._article_dates = [d for d, p in zip(self._article_dates, present) if p]
        self._doc_article = number[self._doc_article]

    def _finish(self) -> None:
        """Everything derived from the stored arrays: sizes, weights, filter groups."""
        self.size = len(self._doc_article)
        length = self._length.astype(np.float32)
        self.avg_length = float(length.mean()) if self.size else 0.0
        self._df = np.diff(self._bounds)
        tf = self._post_tf.astype(np.float32)
        norm = K1 * (1 - B + B * length[self._post_docs] / max(self.avg_length, 1e-9))
        self._post_weights = (tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        self._article_number = {a: i for i, a in enumerate(self._articles)}
        self._term_number = self._vocabulary
        all_docs = np.arange(self.size, dtype=np.int32)
        self._by_article = _Groups(self._doc_article, all_docs, self._articles)
        self._by_speaker = _Groups(*self._speaker_pairs, self._speakers)
        self._date_of_article = np.asarray(self._article_dates, dtype=np.int32)
        self._doc_speakers: tuple[np.ndarray, np.ndarray] | None = None  # built when first asked for
        self._odd_docs: dict[str, int] | None = None
        self._article_rank: np.ndarray | None = None

    def article_ids(self) -> set[str]:
        """The articles whose sentences the index holds."""
        return set(self._articles)

    # -- on disk ---------------------------------------------------------------------

    def save(self, path: Path, meta: dict | None = None) -> None:
        """Write the index to ``path`` (an ``.npz`` file, replaced atomically); ``meta``
        is stored with it (JSON) for the caller to check on ``load``."""
        names = {"vocabulary": list(self._vocabulary), "articles": self._articles, "speakers": self._speakers,
                 "odd_ids": list(self._odd_ids.values())}
        arrays = {"article_dates": self._date_of_article, "doc_article": self._doc_article,
                  "doc_n": self._doc_n, "length": self._length,
                  "post_docs": self._post_docs, "post_tf": self._post_tf, "bounds": self._bounds,
                  "speaker_keys": self._speaker_pairs[0], "speaker_docs": self._speaker_pairs[1],
                  "odd_docs": np.asarray(list(self._odd_ids), dtype=np.int64),
                  "vector_rows": self._vector_row}
        for key, items in names.items():
            arrays[key] = np.frombuffer(json.dumps(items, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        arrays["meta"] = np.frombuffer(json.dumps({**(meta or {}), "format": FORMAT,
                                                   "vector_file": self.vector_file}).encode("utf-8"),
                                       dtype=np.uint8)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> tuple["BM25Index", dict]:
        """An index written by ``save`` and its ``meta``; ``ValueError`` when the file is
        not a readable index of this format (the caller then builds a new one)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                got = {key: data[key] for key in data.files}
            meta = json.loads(got["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT:
                raise ValueError(f"format {meta.get('format')}, not {FORMAT}")
            names = {key: json.loads(got[key].tobytes().decode("utf-8"))
                     for key in ("vocabulary", "articles", "speakers", "odd_ids")}
            out = cls.__new__(cls)
            out._vocabulary = {t: i for i, t in enumerate(names["vocabulary"])}
            out._articles, out._speakers = names["articles"], names["speakers"]
            out._article_dates = got["article_dates"].astype(np.int32).tolist()
            out._odd_ids = dict(zip(got["odd_docs"].tolist(), names["odd_ids"]))
            out._doc_article, out._doc_n = got["doc_article"].astype(np.int32), got["doc_n"].astype(np.int32)
            out._length = got["length"].astype(np.int32)
            out._post_docs, out._post_tf = got["post_docs"].astype(np.int32), got["post_tf"].astype(np.uint16)
            out._bounds = got["bounds"].astype(np.int64)
            out._speaker_pairs = (got["speaker_keys"].astype(np.int32), got["speaker_docs"].astype(np.int32))
            out.vector_file, out._vector_row = meta.get("vector_file"), got["vector_rows"].astype(np.int32)
            n, pairs = len(out._doc_article), len(out._post_docs)
            if not (len(out._doc_n) == len(out._length) == n and len(out._post_tf) == pairs
                    and len(out._bounds) == len(out._vocabulary) + 1 and out._bounds[-1] == pairs
                    and (not pairs or (out._post_docs.min() >= 0 and out._post_docs.max() < n))
                    and (not n or out._doc_article.max() < len(out._articles))
                    and len(out._article_dates) == len(out._articles) and len(out._vector_row) == n):
                raise ValueError("inconsistent arrays")
            out._finish()
            return out, meta
        except (OSError, KeyError, ValueError, TypeError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
            raise ValueError(f"cannot read the lexical index {path.name}: {exc}") from None

    def attach_vectors(self, vector_file: str) -> None:
        """Record that row ``d`` of ``vector_file`` holds the vector of sentence ``d``, for
        every sentence now in the index (written in document order by the caller)."""
        self.vector_file = vector_file
        self._vector_row = np.arange(self.size, dtype=np.int32)

    def vector_rows(self, docs: np.ndarray) -> np.ndarray:
        """Rows of ``vector_file`` holding these sentences' vectors (-1: not in it)."""
        return self._vector_row[docs]

    def idf(self, term: str) -> float:
        i = self._term_number.get(term)
        df = int(self._df[i]) if i is not None else 0
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def sentence_id(self, doc: int) -> str:
        """The stored id of sentence number ``doc``."""
        n = int(self._doc_n[doc])
        return self._odd_ids[doc] if n < 0 else f"{self._articles[self._doc_article[doc]]}:{n}"

    def sentence_ids(self, docs: np.ndarray) -> list[str]:
        """The stored ids of sentence numbers ``docs`` (many at once)."""
        articles, ns = self._doc_article[docs].tolist(), self._doc_n[docs].tolist()
        names = self._articles
        out = [f"{names[a]}:{n}" for a, n in zip(articles, ns)]
        if self._odd_ids:
            for i in np.flatnonzero(self._doc_n[docs] < 0):
                out[i] = self._odd_ids[int(docs[i])]
        return out

    def search(self, query: str, k: int = 50, allowed: np.ndarray | None = None) -> list[LexicalHit]:
        """Top-``k`` sentences by BM25; ``allowed`` is a boolean mask over documents."""
        if not self.size:
            return []
        query_terms = [i for i in (self._term_number.get(t) for t in set(terms(query)))
                       if i is not None and self._df[i]]
        docs = np.flatnonzero(allowed) if allowed is not None else None
        if docs is not None and len(docs) * SPARSE_SHARE < self.size:
            scores = self._scores_of(query_terms, docs)
            candidates = docs[scores > 0]
            scores_of = dict(zip(candidates.tolist(), scores[scores > 0].tolist()))
            top = candidates[np.lexsort((candidates, -scores[scores > 0]))][:k]
            return [LexicalHit(self.sentence_id(int(i)), scores_of[int(i)]) for i in top]
        scores = np.zeros(self.size, dtype=np.float32)
        for i in query_terms:
            lo, hi = self._bounds[i], self._bounds[i + 1]
            scores[self._post_docs[lo:hi]] += self._idf_of(i) * self._post_weights[lo:hi]
        if allowed is not None:
            scores[~allowed] = 0.0
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        # Best first; ties in document order (the order a full stable sort would give).
        top = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [LexicalHit(self.sentence_id(int(i)), float(scores[i])) for i in top]

    def _idf_of(self, term_number: int) -> np.float32:
        df = int(self._df[term_number])
        return np.float32(math.log(1 + (self.size - df + 0.5) / (df + 0.5)))

    def _scores_of(self, term_numbers: list[int], docs: np.ndarray) -> np.ndarray:
        """BM25 scores of the sorted documents ``docs`` only, found in each term's postings
        (sorted by document) by binary search: the same float32 sums, term by term, that
        the full scoring adds up."""
        scores = np.zeros(len(docs), dtype=np.float32)
        for i in term_numbers:
            lo, hi = self._bounds[i], self._bounds[i + 1]
            postings = self._post_docs[lo:hi]
            at = np.searchsorted(postings, docs)
            found = at < len(postings)
            found[found] = postings[at[found]] == docs[found]
            scores[found] += self._idf_of(i) * self._post_weights[lo:hi][at[found]]
        return scores

    def mask(self, article_ids: set[str] | None = None, speaker_ids: set[str] | None = None,
             since: int | None = None, until: int | None = None) -> np.ndarray | None:
        """A document mask for the filters (``None`` when nothing is filtered); ``since`` and
        ``until`` are inclusive ``YYYYMMDD`` bounds on the article's date (an article
        without a date passes no date bound)."""
        if not article_ids and not speaker_ids and not since and not until:
            return None
        keep = np.ones(self.size, dtype=bool)
        for wanted, groups in ((article_ids, self._by_article), (speaker_ids, self._by_speaker)):
            if wanted:
                part = np.zeros(self.size, dtype=bool)
                for key in wanted:
                    docs = groups.docs(key)
                    if docs is not None:
                        part[docs] = True
                keep &= part
        if since or until:
            dates = self._date_of_article[self._doc_article]
            keep &= dates > 0
            if since:
                keep &= dates >= since
            if until:
                keep &= dates <= until
        return keep

    # -- what the index knows of a sentence --------------------------------------------

    def doc_of(self, sentence_id: str) -> int | None:
        """The number of the sentence stored as ``sentence_id`` (``None``: not indexed)."""
        head, _, tail = sentence_id.rpartition(":")
        docs = self._by_article.docs(head)
        if docs is not None and tail.isdigit():
            n = int(tail)
            if n < len(docs) and self._doc_n[docs[n]] == n:  # an article's sentences in order: the usual case
                return int(docs[n])
            match = docs[self._doc_n[docs] == n]
            if len(match):
                return int(match[0])
        if self._odd_ids:
            if self._odd_docs is None:
                self._odd_docs = {sid: doc for doc, sid in self._odd_ids.items()}
            return self._odd_docs.get(sentence_id)
        return None

    def article_of(self, doc: int) -> str:
        return self._articles[self._doc_article[doc]]

    def date_of(self, doc: int) -> int:
        """The date (``YYYYMMDD``) of the sentence's article; 0 when it has none."""
        return int(self._date_of_article[self._doc_article[doc]])

    def speaker_ids_of(self, doc: int) -> list[str]:
        """The speakers the sentence is attributed to."""
        if self._doc_speakers is None:
            keys, docs = self._speaker_pairs
            order = np.argsort(docs, kind="stable")
            self._doc_speakers = (keys[order], np.searchsorted(docs[order], np.arange(self.size + 1)))
        keys, bounds = self._doc_speakers
        return [self._speakers[k] for k in keys[bounds[doc] : bounds[doc + 1]]]

    def in_date_order(self, docs: np.ndarray) -> np.ndarray:
        """``docs`` ordered earliest article first (undated last), then by article id,
        then by position in the article."""
        if self._article_rank is None:
            rank = np.empty(len(self._articles), dtype=np.int32)
            rank[np.argsort(np.asarray(self._articles, dtype=object), kind="stable")] = np.arange(len(self._articles))
            self._article_rank = rank
        articles = self._doc_article[docs]
        dates = self._date_of_article[articles]
        dates = np.where(dates > 0, dates, UNDATED)
        return docs[np.lexsort((self._doc_n[docs], self._article_rank[articles], dates))]

    def nbytes(self) -> int:
        """Bytes held by the index's arrays (not counting the vocabulary and article ids)."""
        arrays = (self._doc_article, self._doc_n, self._length, self._df, self._post_docs, self._post_weights,
                  self._post_tf, self._bounds, self._by_article._docs, self._by_speaker._docs,
                  self._vector_row, *self._speaker_pairs)
        return int(sum(a.nbytes for a in arrays))
