"""Filtered dense search takes the allowed sentences from the BM25 index (speaker and
article postings, article dates) and scores them in process (few), keeps the allowed ones of
an oversampled unfiltered query (a large share) or asks Chroma restricted to their ids;
every way must give what Chroma's metadata-filtered query gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot import retrieve
from bot.retrieve import CANDIDATES, Filters, in_process_dense_limit

QUESTIONS = ["Does Russia want war?", "What was said about panic?", "sanctions and diplomacy"]


def chroma_filtered(rt, vector: np.ndarray, filters: Filters) -> dict[str, float]:
    collection = rt.store.collection("sentences")
    got = collection.query(query_embeddings=[vector], n_results=CANDIDATES, where=filters.chroma_where(),
                           include=["distances"])
    return {sid: 1.0 - float(d) for sid, d in zip(got["ids"][0], got["distances"][0])}


def filter_cases(rt) -> list[Filters]:
    speaker_ids = sorted({a["speaker_id"] for a in rt.store.attributions() if a.get("speaker_id")})
    article_ids = sorted(a.id for a in rt.store.list_articles())
    cases = [Filters(speaker_ids=[s]) for s in speaker_ids[:4]]
    cases.append(Filters(speaker_ids=speaker_ids[:2]))
    cases.append(Filters(article_ids=article_ids[:1]))
    return cases


def force_path(monkeypatch, retriever, path: str) -> None:
    if path != "in process":
        monkeypatch.setattr(type(retriever), "_dense_exact", lambda *a: pytest.fail(f"should take {path}"))
        monkeypatch.setattr(retrieve, "in_process_dense_limit", lambda total: 0)
        monkeypatch.setattr(retrieve, "OVERSAMPLE_SHARE", 0.0 if path == "oversampled" else 2.0)


@pytest.mark.parametrize("path", ["in process", "oversampled", "chroma by ids"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_scoped_dense_search_matches_chromas_metadata_filter(seed_runtime, question, path, monkeypatch):
    rt = seed_runtime
    retriever = rt.retriever
    force_path(monkeypatch, retriever, path)
    generation = rt.store.generation()
    vector = np.asarray(rt.embeddings.embed_array([question])[0], dtype=np.float32)
    cases = filter_cases(rt)
    assert len(cases) >= 3
    for filters in cases:
        ours = retriever._dense_scoped(vector, filters, generation)
        assert ours is not None, f"{filters} should be searched from the BM25 postings"
        theirs = chroma_filtered(rt, vector, filters)
        assert set(ours) == set(theirs), filters
        for sid, score in theirs.items():
            assert ours[sid] == pytest.approx(score, abs=1e-4)


def test_no_filter_stays_with_chroma(seed_runtime):
    rt = seed_runtime
    vector = np.asarray(rt.embeddings.embed_array(["war"])[0], dtype=np.float32)
    assert rt.retriever._dense_scoped(vector, Filters(), rt.store.generation()) is None


DATED = Path(__file__).parent / "data" / "claims" / "articles"  # fictional outlets, 2031-03-03 … 2031-05-20


@pytest.fixture(scope="module")
def dated_runtime(tmp_path_factory, embeddings, nlp):
    from tests.conftest import build_runtime

    rt = build_runtime(tmp_path_factory.mktemp("dated") / "store", embeddings, nlp)
    rt.ingest_paths([DATED])
    yield rt
    rt.close()


@pytest.mark.parametrize("path", ["in process", "oversampled", "chroma by ids"])
@pytest.mark.parametrize("since, until", [("2031-03-04", None), (None, "2031-03-04"), ("2031-03-04", "2031-03-06"),
                                          ("2031-06-01", None)])
def test_a_date_range_with_or_without_a_speaker_matches_chromas_metadata_filter(dated_runtime, since, until,
                                                                                path, monkeypatch):
    """The article dates the BM25 index keeps decide as Chroma's ``date_num`` filter does."""
    rt = dated_runtime
    force_path(monkeypatch, rt.retriever, path)
    generation = rt.store.generation()
    speakers = sorted({a["speaker_id"] for a in rt.store.attributions() if a.get("speaker_id")})
    vector = np.asarray(rt.embeddings.embed_array(["the council budget"])[0], dtype=np.float32)
    alone = Filters(since=since, until=until)
    ours = rt.retriever._dense_scoped(vector, alone, generation)
    assert ours is not None and set(ours) == set(chroma_filtered(rt, vector, alone)), alone
    narrowed = 0
    for speaker in speakers:
        filters = Filters(speaker_ids=[speaker], since=since, until=until)
        ours = rt.retriever._dense_scoped(vector, filters, generation)
        theirs = chroma_filtered(rt, vector, filters)
        assert ours is not None and set(ours) == set(theirs), filters
        allowed = set(rt.retriever.allowed_ids(filters, generation))
        narrowed += len(allowed) < len(rt.retriever.allowed_ids(Filters(speaker_ids=[speaker]), generation))
        assert set(rt.retriever._lexical("council budget said", filters, generation)) <= allowed
    assert narrowed, "the date range should rule out some statement"


def test_a_sentence_deleted_meanwhile_falls_back_to_the_metadata_filter(seed_runtime, monkeypatch):
    """Chroma refuses an id query naming a missing id; the search must not fail with it."""
    from bot.lexical import BM25Index

    rt = seed_runtime
    retriever = rt.retriever
    generation = rt.store.generation()
    filters = filter_cases(rt)[0]
    force_path(monkeypatch, retriever, "chroma by ids")
    real = BM25Index.sentence_ids
    monkeypatch.setattr(BM25Index, "sentence_ids", lambda self, docs: real(self, docs) + ["0000000000000000:0"])
    vector = np.asarray(rt.embeddings.embed_array(["war"])[0], dtype=np.float32)
    assert retriever._dense_scoped(vector, filters, generation) is None
    assert retriever._dense(None, filters, vector, generation) == pytest.approx(chroma_filtered(rt, vector, filters))


def test_an_oversampled_query_short_of_allowed_sentences_asks_chroma_by_ids(dated_runtime, monkeypatch):
    """Sentences far from the query are missing from the unfiltered top n: the search then
    restricts Chroma to the allowed ids and still finds the closest of them."""
    import math

    from bot.lexical import BM25Index

    rt = dated_runtime
    generation = rt.store.generation()
    total = rt.store.count("sentences")
    # A speaker and a candidate count for which the top n = 2·c/share of an unfiltered query
    # holds fewer than c of the speaker's sentences when all of them rank last.
    cases = [(c, s, rt.retriever.allowed_ids(Filters(speaker_ids=[s]), generation))
             for s in sorted({a["speaker_id"] for a in rt.store.attributions() if a.get("speaker_id")})
             for c in (1, 2, 3)]
    cases = [(c, s, ids) for c, s, ids in cases
             if (n := math.ceil(2 * c * total / len(ids))) < total and n - (total - len(ids)) < c < len(ids)]
    assert cases, "the dated articles should give such a speaker"
    candidates, speaker, allowed = cases[0]
    filters = Filters(speaker_ids=[speaker])
    vectors = rt.store.collection("sentences").get(ids=allowed, include=["embeddings"])["embeddings"]
    away = -np.asarray(vectors, dtype=np.float32).mean(axis=0)  # the speaker's sentences rank last
    force_path(monkeypatch, rt.retriever, "oversampled")
    monkeypatch.setattr(retrieve, "CANDIDATES", candidates)
    listed = []
    real = BM25Index.sentence_ids
    monkeypatch.setattr(BM25Index, "sentence_ids", lambda self, docs: listed.append(len(docs)) or real(self, docs))
    ours = rt.retriever._dense_scoped(away, filters, generation)
    assert listed == [len(allowed)], "the ids query should have run"
    theirs = rt.store.collection("sentences").query(query_embeddings=[away], n_results=candidates,
                                                    where=filters.chroma_where(), include=["distances"])
    assert set(ours) == set(theirs["ids"][0])


def test_in_process_limit_grows_with_the_store():
    assert in_process_dense_limit(0) == in_process_dense_limit(1000) == 500
    assert 700 < in_process_dense_limit(217_000) < 800
    assert 2_200 < in_process_dense_limit(2_000_000) < 2_400
