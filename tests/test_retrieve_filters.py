"""Speaker- and article-filtered dense search takes the allowed sentences from the BM25
postings and scores them in process (few) or asks Chroma restricted to their ids (many);
either way it must give what Chroma's metadata-filtered query gives."""

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


@pytest.mark.parametrize("path", ["in process", "chroma by ids"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_scoped_dense_search_matches_chromas_metadata_filter(seed_runtime, question, path, monkeypatch):
    rt = seed_runtime
    retriever = rt.retriever
    if path == "chroma by ids":
        monkeypatch.setattr(type(retriever), "_dense_exact", lambda *a: pytest.fail("should ask Chroma by ids"))
        monkeypatch.setattr(retrieve, "in_process_dense_limit", lambda total: 0)
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


def test_no_filter_and_a_date_range_alone_stay_with_chroma(seed_runtime):
    rt = seed_runtime
    vector = np.asarray(rt.embeddings.embed_array(["war"])[0], dtype=np.float32)
    generation = rt.store.generation()
    assert rt.retriever._dense_scoped(vector, Filters(), generation) is None
    assert rt.retriever._dense_scoped(vector, Filters(since="2000-01-01"), generation) is None


DATED = Path(__file__).parent / "data" / "claims" / "articles"  # fictional outlets, 2031-03-03 … 2031-05-20


@pytest.mark.parametrize("since, until", [("2031-03-04", None), (None, "2031-03-04"), ("2031-03-04", "2031-03-06"),
                                          ("2031-06-01", None)])
def test_a_speaker_and_a_date_range_match_chromas_metadata_filter(make_runtime, since, until):
    """The article dates the BM25 index keeps decide as Chroma's ``date_num`` filter does."""
    rt = make_runtime()
    rt.ingest_paths([DATED])
    generation = rt.store.generation()
    speakers = sorted({a["speaker_id"] for a in rt.store.attributions() if a.get("speaker_id")})
    vector = np.asarray(rt.embeddings.embed_array(["the council budget"])[0], dtype=np.float32)
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
    rt = seed_runtime
    retriever = rt.retriever
    generation = rt.store.generation()
    filters = filter_cases(rt)[0]
    allowed = retriever.allowed_ids(filters, generation)
    monkeypatch.setattr(retrieve, "in_process_dense_limit", lambda total: 0)
    monkeypatch.setattr(type(retriever), "allowed_ids", lambda *a, **k: allowed + ["0000000000000000:0"])
    vector = np.asarray(rt.embeddings.embed_array(["war"])[0], dtype=np.float32)
    assert retriever._dense_scoped(vector, filters, generation) is None
    assert retriever._dense(None, filters, vector, generation) == pytest.approx(chroma_filtered(rt, vector, filters))


def test_in_process_limit_grows_with_the_store():
    assert in_process_dense_limit(0) == in_process_dense_limit(1000) == 500
    assert 700 < in_process_dense_limit(217_000) < 800
    assert 2_200 < in_process_dense_limit(2_000_000) < 2_400
