"""`whosaid reindex` rebuilds derived data from the stored texts, reusing vectors."""

import pytest

from index.errors import StoreError
from tests.conftest import DATA, SEEDS
from tests.helpers import make_store_from_before_placeholders


def test_reindex_reuses_every_vector_and_keeps_articles_and_appearances(make_runtime, monkeypatch):
    from index import reindex as reindex_module
    from index.load import Metadata

    rt = make_runtime()
    rt.ingest_paths([SEEDS, DATA / "articles"])
    rt.ingest_paths([DATA / "articles" / "library_cuts.txt"], Metadata(outlet="Nordic Wire"))
    before = {r.id: (r.sentences, r.attributions, len(r.appearances)) for r in rt.store.list_articles()}
    sentences_before = rt.store.count("sentences")
    settings = rt.settings
    embeddings, nlp = rt.embeddings, rt.nlp
    rt.close()
    monkeypatch.setattr("index.embeddings.load_embeddings", lambda *a, **k: embeddings)
    monkeypatch.setattr("index.nlp.load_nlp", lambda: nlp)
    report = reindex_module.reindex(settings)
    assert report["articles"] == len(before)
    assert report["embedded"] == 0 and report["reused"] == sentences_before
    rt2 = make_runtime(name="store")
    after = {r.id: (r.sentences, r.attributions, len(r.appearances)) for r in rt2.store.list_articles()}
    assert after == before
    answer = rt2.answerer().invoke({"question": "Who said “We don’t need this panic”?"}).to_dict()
    assert answer["answered"] and "Zelenskiy" in answer["answer"]
    old_layouts = [c.name for c in rt2.store.client.list_collections() if c.name.startswith("whosaid_v1_")]
    assert old_layouts == []


def test_schema_mismatch_names_reindex_and_reindex_fixes_it(make_runtime, monkeypatch):
    from index import reindex as reindex_module
    from index.store import STATE_COLLECTION

    rt = make_runtime()
    rt.ingest_paths([DATA / "articles" / "harbour_vote.md"])
    state = rt.store.state()
    rt.store.client.get_collection(STATE_COLLECTION).modify(metadata={**state, "schema": 0})
    settings, embeddings, nlp = rt.settings, rt.embeddings, rt.nlp
    rt.close()
    rt2 = make_runtime(name="store")
    with pytest.raises(StoreError, match="whosaid reindex"):
        rt2.store
    rt2.close()
    monkeypatch.setattr("index.embeddings.load_embeddings", lambda *a, **k: embeddings)
    monkeypatch.setattr("index.nlp.load_nlp", lambda: nlp)
    reindex_module.reindex(settings)
    rt3 = make_runtime(name="store")
    assert rt3.store.count("articles") == 1


def test_reindex_moves_a_store_from_before_placeholders_to_one_number_records(make_runtime, monkeypatch, tmp_path):
    """A store whose record collections hold 384-number vectors (made by an earlier whosaid)
    gets record collections with placeholder vectors from `reindex`."""
    from index import reindex as reindex_module

    make_store_from_before_placeholders(tmp_path / "store")
    rt = make_runtime()
    rt.ingest_paths([DATA / "articles" / "harbour_vote.md"])
    assert len(rt.store.collection("attributions").get(include=["embeddings"], limit=1)["embeddings"][0]) == 384
    settings, embeddings, nlp = rt.settings, rt.embeddings, rt.nlp
    rt.close()
    monkeypatch.setattr("index.embeddings.load_embeddings", lambda *a, **k: embeddings)
    monkeypatch.setattr("index.nlp.load_nlp", lambda: nlp)
    reindex_module.reindex(settings)
    rt2 = make_runtime(name="store")
    for kind in ("articles", "attributions", "speakers"):
        got = rt2.store.collection(kind).get(include=["embeddings"])
        assert got["ids"] and all(len(v) == 1 for v in got["embeddings"]), kind
