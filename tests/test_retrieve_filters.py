"""Speaker- and article-filtered dense search runs in process (over the BM25 postings and
cached vectors) and must give what Chroma's filtered query gives."""

from __future__ import annotations

import numpy as np
import pytest

from bot.retrieve import CANDIDATES, Filters

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


@pytest.mark.parametrize("question", QUESTIONS)
def test_in_process_filtered_dense_search_matches_chroma(seed_runtime, question):
    rt = seed_runtime
    retriever = rt.retriever
    generation = rt.store.generation()
    vector = np.asarray(rt.embeddings.embed_array([question])[0], dtype=np.float32)
    cases = filter_cases(rt)
    assert len(cases) >= 3
    for filters in cases:
        ours = retriever._dense_in_process(vector, filters, generation)
        assert ours is not None, f"{filters} should be searched in process"
        theirs = chroma_filtered(rt, vector, filters)
        assert set(ours) == set(theirs), filters
        for sid, score in theirs.items():
            assert ours[sid] == pytest.approx(score, abs=1e-4)


def test_date_filters_and_no_filters_stay_with_chroma(seed_runtime):
    rt = seed_runtime
    vector = np.asarray(rt.embeddings.embed_array(["war"])[0], dtype=np.float32)
    generation = rt.store.generation()
    assert rt.retriever._dense_in_process(vector, Filters(), generation) is None
    speaker = filter_cases(rt)[0].speaker_ids
    assert rt.retriever._dense_in_process(vector, Filters(speaker_ids=speaker, since="2000-01-01"),
                                          generation) is None
