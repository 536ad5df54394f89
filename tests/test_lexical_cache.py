"""The BM25 index follows writes by article and is kept on disk between processes
(bot.retrieve.LexicalCache): always the index a fresh build of the committed articles gives."""

from __future__ import annotations

import os

import numpy as np
import pytest

from bot.lexical import BM25Index
from bot.retrieve import lexical_rows

TOPICS = ("harbour dredging", "tram line", "flood barrier", "ferry subsidy", "water tariff", "library hours")
NAMES = ("Varga", "Lindqvist", "Okonkwo", "Brandvold", "Castellane", "Duvernoy")


def article(i: int) -> str:
    topic, name = TOPICS[i % len(TOPICS)], NAMES[i % len(NAMES)]
    return (f"Council debates the {topic} (number {i})\n\n"
            f"Councillor Ilse {name} said the {topic} plan number {i} was long overdue.\n\n"
            f"“We cannot wait another winter for the {topic},” {name} told the Velmar Courier.\n\n"
            f"Residents of ward {i} gathered outside the town hall on Tuesday.\n")


def fresh(rt) -> BM25Index:
    committed = set(rt.store.article_ids())
    return BM25Index(row for row in lexical_rows(rt.store) if row.article_id in committed)


def same(a: BM25Index, b: BM25Index) -> None:
    assert a.size == b.size and a.article_ids() == b.article_ids()
    for query in ("harbour dredging plan", "tram overdue winter", "residents town hall", "Brandvold ferry"):
        assert {(h.sentence_id, round(h.score, 5)) for h in a.search(query, k=200)} == \
            {(h.sentence_id, round(h.score, 5)) for h in b.search(query, k=200)}


def ingest(rt, *numbers: int) -> list[str]:
    ids = []
    for i in numbers:
        (result,) = rt.ingest_text(article(i), name=f"article {i}")
        assert result.status == "indexed", result
        ids.append(result.article_id)
    return ids


def test_writes_and_deletes_update_the_index_by_article(make_runtime):
    rt = make_runtime()
    first = ingest(rt, 0, 1, 2, 3)
    cache = rt.lexical_cache
    index = cache.get(rt.store)
    assert cache.last_refresh["from"] == "full read"
    same(index, fresh(rt))

    (fourth,) = ingest(rt, 4)
    updated = cache.get(rt.store)
    assert cache.last_refresh["from"] == "previous" and cache.last_refresh["added"] == 1
    same(updated, fresh(rt))
    assert [h for h in updated.search("Castellane water tariff") if h.sentence_id.startswith(fourth)]

    assert rt.store.delete_article(first[1])
    after_delete = cache.get(rt.store)
    assert cache.last_refresh == {**cache.last_refresh, "from": "previous", "added": 0, "removed": 1}
    same(after_delete, fresh(rt))
    assert not [h for h in after_delete.search("Lindqvist tram") if h.sentence_id.startswith(first[1])]
    # the answers a reader gets go through the same index
    answer = rt.answerer().invoke({"question": "What did Castellane say about the water tariff?"})
    assert answer.to_dict()["answered"]


def test_a_new_process_starts_from_the_saved_index_plus_later_writes(make_runtime):
    rt = make_runtime()
    first = ingest(rt, 0, 1, 2)
    rt.lexical_cache.get(rt.store)  # built and saved
    saved = list((rt.settings.lexical_index_dir).glob("lexical-*.npz"))
    assert len(saved) == 1
    ingest(rt, 3)
    rt.store.delete_article(first[0])
    rt.close()

    again = make_runtime()
    index = again.lexical_cache.get(again.store)
    assert again.lexical_cache.last_refresh["from"] == "saved"
    assert (again.lexical_cache.last_refresh["added"], again.lexical_cache.last_refresh["removed"]) == (1, 1)
    same(index, fresh(again))


def test_a_damaged_or_foreign_saved_index_is_rebuilt(make_runtime):
    rt = make_runtime()
    ingest(rt, 0, 1)
    rt.lexical_cache.get(rt.store)
    (path,) = rt.settings.lexical_index_dir.glob("lexical-*.npz")
    rt.close()
    path.write_bytes(b"\x00garbage")
    again = make_runtime()
    same(again.lexical_cache.get(again.store), fresh(again))
    assert again.lexical_cache.last_refresh["from"] == "full read"
    again.close()

    # a saved index of another store (another collection) is not used
    other = make_runtime("other")
    ingest(other, 5)
    other.lexical_cache.get(other.store)
    (other_path,) = other.settings.lexical_index_dir.glob("lexical-*.npz")
    other.close()
    path.write_bytes(other_path.read_bytes())
    third = make_runtime()
    same(third.lexical_cache.get(third.store), fresh(third))
    assert third.lexical_cache.last_refresh["from"] == "full read"


def test_uncommitted_sentences_are_not_indexed(make_runtime):
    rt = make_runtime()
    ingest(rt, 0)
    # leftovers of an interrupted ingest: sentences whose article record was never written
    rt.store.collection("sentences").upsert(
        ids=["ffffffffffffffff:0"], embeddings=[[0.1] * rt.embeddings.dimension],
        documents=["A stray sentence about the harbour dredging."],
        metadatas=[{"article_id": "ffffffffffffffff", "n": 0, "start": 0, "end": 10, "paragraph": 0}])
    rt.store._bump_generation()
    index = rt.lexical_cache.get(rt.store)
    assert "ffffffffffffffff" not in index.article_ids()
    assert not [h for h in index.search("stray harbour") if h.sentence_id.startswith("ffff")]


def vectors_hold(rt, index: BM25Index) -> None:
    """Every sentence's vector, as the retriever's exact search reads it, is Chroma's."""
    docs = np.arange(index.size)
    found, matrix = rt.lexical_cache.doc_vectors(rt.store, rt.store.generation(), index, docs)
    assert found.tolist() == docs.tolist()
    ids = index.sentence_ids(found)
    got = rt.store.collection("sentences").get(ids=ids, include=["embeddings"])
    stored = dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
    assert np.array_equal(matrix, np.stack([stored[i] for i in ids]))


def test_vectors_come_from_the_full_builds_file_and_later_ones_from_chroma(make_runtime, monkeypatch):
    rt = make_runtime()
    first = ingest(rt, 0, 1, 2, 3)
    cache = rt.lexical_cache
    index = cache.get(rt.store)
    folder = rt.settings.lexical_index_dir
    assert [p.name for p in folder.glob("vectors-*.f32")] == [index.vector_file]
    assert index.vector_rows(np.arange(index.size)).tolist() == list(range(index.size))
    with monkeypatch.context() as patch:  # all from the file: Chroma is not asked
        patch.setattr(type(cache), "vectors", lambda *a: pytest.fail("read from Chroma"))
        vectors_hold(rt, index)

    ingest(rt, 4)
    rt.store.delete_article(first[1])
    updated = cache.get(rt.store)
    rows = updated.vector_rows(np.arange(updated.size))
    per_article = index.size // 4  # its headline is its title, the rest are sentences
    assert (rows < 0).sum() == per_article  # the new article's sentences: not in the file
    assert len(set(rows[rows >= 0].tolist())) == (rows >= 0).sum() == index.size - per_article  # one article fewer
    assert not any(updated.sentence_id(d).startswith(first[1]) for d in range(updated.size))
    vectors_hold(rt, updated)
    rt.close()
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                  if os.path.exists(f"/proc/self/fd/{fd}")}
    assert str((folder / index.vector_file).resolve()) not in open_files  # closed with the runtime

    again = make_runtime()  # the saved index (of the full build) plus the later writes
    vectors_hold(again, again.lexical_cache.get(again.store))
    assert again.lexical_cache.last_refresh["from"] == "saved"
    again.close()

    (path,) = folder.glob("vectors-*.f32")
    path.write_bytes(path.read_bytes()[:-5])  # damaged: every vector comes from Chroma
    third = make_runtime()
    vectors_hold(third, third.lexical_cache.get(third.store))
    third.close()
    path.unlink()
    fourth = make_runtime()
    vectors_hold(fourth, fourth.lexical_cache.get(fourth.store))
    # a full rebuild writes a new file and removes the old one
    (saved,) = folder.glob("lexical-*.npz")
    saved.write_bytes(b"garbage")
    fourth.close()
    fifth = make_runtime()
    rebuilt = fifth.lexical_cache.get(fifth.store)
    assert fifth.lexical_cache.last_refresh["from"] == "full read"
    assert [p.name for p in folder.glob("vectors-*.f32")] == [rebuilt.vector_file]
    vectors_hold(fifth, rebuilt)


def test_only_a_full_build_removes_other_vector_files(make_runtime, monkeypatch):
    """Another process's vector file survives this one's incremental saves (it may be the
    file the index on disk names); a full build, which writes its own, removes it."""
    rt = make_runtime()
    ingest(rt, 0, 1)
    cache = rt.lexical_cache
    own = cache.get(rt.store).vector_file
    folder = rt.settings.lexical_index_dir
    stray = folder / "vectors-v1-0123456789ab.f32"
    stray.write_bytes(b"")
    monkeypatch.setattr(type(cache), "SNAPSHOT_EVERY", 1)
    ingest(rt, 2)
    cache.get(rt.store)
    assert cache.last_refresh["from"] == "previous" and stray.exists()
    monkeypatch.setattr(type(cache), "REBUILD_SHARE", 0.0)  # the next change is a full read
    ingest(rt, 3)
    rebuilt = cache.get(rt.store)
    assert cache.last_refresh["from"] == "full read"
    assert sorted(p.name for p in folder.glob("vectors-*.f32")) == [rebuilt.vector_file] != [own]
