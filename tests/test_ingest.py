"""Ingestion: offsets, ids, furniture, idempotent re-ingest, duplicates, refusals, atomic commits."""

import json
import shutil
import time

import numpy as np
import pytest

from tests.conftest import DATA, SEEDS
from tests.helpers import make_store_from_before_placeholders

ARTICLES = DATA / "articles"


def test_every_sentence_slices_back_and_ids_are_stable(seed_runtime):
    store = seed_runtime.store
    (article_id,) = store.article_ids()
    record = store.get_article(article_id)
    sentences = store.sentences_of(article_id)
    assert len(sentences) == record.sentences > 25
    for n, s in enumerate(sentences):
        assert s.id == f"{article_id}:{n}"
        assert record.text[s.start:s.end] == s.text
    assert record.text == next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    assert not any("ваш відгук" in s.text for s in sentences)
    assert any(s.text.startswith("Some information for this report came from") for s in sentences)


def test_reingest_is_recognised_before_embedding(make_runtime, monkeypatch):
    rt = make_runtime()
    first = rt.ingest_paths([ARTICLES / "harbour_vote.md"])
    assert first[0].status == "indexed"
    calls = []
    original = rt.embeddings.embed_array
    monkeypatch.setattr(rt.embeddings, "embed_array", lambda texts: calls.append(list(texts)) or original(texts))
    again = rt.ingest_paths([ARTICLES / "harbour_vote.md"])
    assert again[0].status == "duplicate" and again[0].article_id == first[0].article_id
    assert calls == []
    assert rt.store.count("articles") == 1
    assert rt.store.count("sentences") == first[0].sentences


def test_same_text_from_another_outlet_is_a_duplicate_kept_as_an_appearance(make_runtime, tmp_path):
    from index.load import Metadata

    rt = make_runtime()
    rt.ingest_paths([ARTICLES / "library_cuts.txt"], Metadata(outlet="Vesterholm Post", url="https://post.example/a"))
    copy = tmp_path / "wire_copy.txt"
    shutil.copy(ARTICLES / "library_cuts.txt", copy)
    result = rt.ingest_paths([copy], Metadata(outlet="Nordic Wire", url="https://wire.example/b"))[0]
    assert result.status == "duplicate" and "another appearance" in result.reason
    record = rt.store.get_article(result.article_id)
    assert [a.outlet for a in record.appearances] == ["Vesterholm Post", "Nordic Wire"]


def test_sentence_text_seen_before_reuses_its_vector(make_runtime, monkeypatch, tmp_path):
    rt = make_runtime()
    rt.ingest_paths([ARTICLES / "library_cuts.txt"])
    variant = tmp_path / "variant.txt"
    variant.write_text((ARTICLES / "library_cuts.txt").read_text() + "\nA new closing sentence was added.\n")
    embedded = []
    original = rt.embeddings.embed_array
    monkeypatch.setattr(rt.embeddings, "embed_array", lambda texts: embedded.extend(texts) or original(texts))
    assert rt.ingest_paths([variant])[0].status == "indexed"
    assert embedded == ["A new closing sentence was added."]


def test_folder_with_bad_files_indexes_the_good_and_reports_each_bad(make_runtime, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "harbour_vote.md", folder / "good.md")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    rt = make_runtime()
    results = {r.path.split("/")[-1]: r for r in rt.ingest_paths([folder])}
    assert results["good.md"].status == "indexed"
    # every file is accounted for: an unsupported type is refused with what is supported
    for name, suffix in (("notes.docx", ".docx"), ("report.pdf", ".pdf")):
        assert results[name].status == "refused"
        assert f"unsupported file type {suffix}; supported: " in results[name].reason and ".md" in results[name].reason
    # hidden and system files are skipped without a refusal, and counted on the folder's row
    assert results["in"].status == "skipped" and results["in"].reason.startswith("2 hidden or system file(s)")
    assert len(results) == 6
    assert results["empty.txt"].status == "refused" and "empty" in results["empty.txt"].reason
    assert results["photo.txt"].status == "refused" and "binary" in results["photo.txt"].reason
    assert rt.store.count("articles") == 1


def test_uncommitted_article_data_is_invisible_and_reingest_completes_it(make_runtime):
    """Derived records written without their article record (a crash before the commit
    record) are never shown; re-ingesting writes the article in full."""
    from index.load import load_file

    rt = make_runtime()
    article = load_file(ARTICLES / "harbour_vote.md")
    analysed = rt.indexer.analyse([article])
    _, sentences, attributions, speakers = analysed[0]
    vectors = rt.embeddings.embed_array([s.text for s in sentences])
    col = rt.store.collection("sentences")
    col.upsert(ids=[s.id for s in sentences], embeddings=vectors, documents=[s.text for s in sentences],
               metadatas=[{"article_id": s.article_id, "n": s.n, "start": s.start, "end": s.end,
                           "text_hash": "x", "paragraph": s.paragraph} for s in sentences])
    assert rt.store.get_sentences([s.id for s in sentences]) == {}
    assert rt.retriever.search("harbour fees fishermen") == []
    result = rt.ingest_paths([ARTICLES / "harbour_vote.md"])[0]
    assert result.status == "indexed"
    assert len(rt.store.get_sentences([s.id for s in sentences])) == len(sentences)


def test_delete_removes_everything_derived(make_runtime):
    rt = make_runtime()
    aid = rt.ingest_paths([ARTICLES / "harbour_vote.md"])[0].article_id
    assert rt.store.delete_article(aid)
    for kind in ("articles", "sentences", "chunks", "attributions"):
        assert rt.store.count(kind) == 0, kind
    assert not rt.store.delete_article(aid)


def test_chunks_are_whole_sentences_with_mean_vectors(seed_runtime):
    store = seed_runtime.store
    got = store.collection("chunks").get(include=["metadatas", "documents", "embeddings"])
    sentences = {s.id: s for s in store.sentences_of(store.article_ids()[0])}
    covered = []
    for doc, meta, vec in zip(got["documents"], got["metadatas"], got["embeddings"]):
        ids = meta["sentence_ids"]
        covered.extend(ids)
        assert sentences[ids[0]].start == meta["start"] and sentences[ids[-1]].end == meta["end"]
        assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-3
    assert sorted(covered, key=lambda i: int(i.split(":")[1])) == list(sentences)


def test_cli_ingest_json_contract(tmp_path, embeddings, nlp, capsys, monkeypatch):
    from ui import cli

    monkeypatch.setattr("bot.runtime.Runtime.embeddings", embeddings, raising=False)
    monkeypatch.setattr("bot.runtime.Runtime.nlp", nlp, raising=False)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code = cli.main(["ingest", str(ARTICLES / "harbour_vote.md"), str(bad), "--json",
                     "--store", str(tmp_path / "s")])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    rows = {r["path"].split("/")[-1]: r for r in out["results"]}
    assert set(rows["harbour_vote.md"]) >= {"path", "status", "article_id", "sentences", "attributions", "reason"}
    assert rows["harbour_vote.md"]["status"] == "indexed" and rows["harbour_vote.md"]["attributions"] >= 3
    assert rows["bad.txt"]["status"] == "refused"


def test_a_bulk_cli_ingest_leaves_the_search_index_saved_for_the_next_question(tmp_path, embeddings, nlp, capsys,
                                                                               monkeypatch):
    """After ``whosaid ingest`` of many articles, the next process's first question loads
    the saved BM25 index with nothing left to add, instead of reading every sentence
    through Chroma; a small ingest leaves that to the next question."""
    from tests.conftest import build_runtime
    from ui import cli

    monkeypatch.setattr("bot.runtime.Runtime.embeddings", embeddings, raising=False)
    monkeypatch.setattr("bot.runtime.Runtime.nlp", nlp, raising=False)
    monkeypatch.setattr("bot.retrieve.LexicalCache.SNAPSHOT_EVERY", 3)  # "bulk": 3 articles or more
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"story{i}.txt").write_text(f"Councillor Brisbois said ferry timetable {i} would change.\n",
                                              encoding="utf-8")
    store = tmp_path / "s"
    assert cli.main(["ingest", str(folder / "story0.txt"), "--json", "--store", str(store)]) == 0
    assert json.loads(capsys.readouterr().out)["lexical_index"] is None  # one article: not bulk
    assert not list((store / "whosaid-lexical").glob("lexical-*.npz"))
    assert cli.main(["ingest", str(folder), "--json", "--store", str(store)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in out["results"]].count("indexed") == 2
    assert out["lexical_index"] is None  # two new articles (the third is a duplicate)
    for i in range(3, 6):
        (folder / f"story{i}.txt").write_text(f"Harbour master Ines Calloway said fares {i} would rise.\n",
                                              encoding="utf-8")
    assert cli.main(["ingest", str(folder), "--json", "--store", str(store)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["lexical_index"]["added"] == 6 and out["lexical_index"]["from"] == "full read"
    rt = build_runtime(store, embeddings, nlp)
    try:
        index = rt.lexical_cache.get(rt.store)
        assert rt.lexical_cache.last_refresh["from"] == "saved" and rt.lexical_cache.last_refresh["added"] == 0
        assert len(index.article_ids()) == 6
    finally:
        rt.close()


def test_store_records_model_and_refuses_a_mismatch_naming_reindex(make_runtime, tmp_path):
    from index.errors import StoreError
    from index.store import Store

    rt = make_runtime()
    rt.ingest_paths([ARTICLES / "library_cuts.txt"])
    state = rt.store.state()
    assert state["embedding_model"] == "all-MiniLM-L6-v2-onnx-int8" and state["embedding_dim"] == 384
    client = rt.store.client
    with pytest.raises(StoreError, match="whosaid reindex"):
        Store(client, "some-other-model", 768)


def test_speakers_are_one_identity_across_articles(make_runtime):
    """A bare surname, a titled name and a full name in different articles are one speaker."""
    from bot.speakers import speaker_table

    rt = make_runtime()
    rt.ingest_paths([DATA / "kill"])
    rows = {r["name"]: r for r in speaker_table(rt.store)}
    assert set(rows) == {"Tomas Reyes", "Ilse Varga", "Dario Kell", "Mira Santos", "Petra Novak", "Aino Lindqvist"}
    assert "Varga" in rows["Ilse Varga"]["aliases"] and rows["Ilse Varga"]["role"] == "Mayor"
    assert sum(r["statements"] for r in rows.values()) == rt.store.count("attributions")


def test_people_who_hold_the_same_post_stay_apart_across_articles(make_runtime, tmp_path):
    """Four chief engineers named in two articles, and a third article's unnamed "the city's
    chief engineer": each is a speaker of their own with their own words. They all used to
    be linked into the first: "NAME, the city's chief engineer" normalised to "engineer"."""
    from bot.speakers import speaker_table

    (tmp_path / "bridge.md").write_text(
        "---\ntitle: Bridge repairs\noutlet: The Tarnwick Post\ndate: 2025-02-01\n---\n"
        "Teodor Ostergaard, the city's chief engineer, said the bridge would close in May. "
        "\"We have no choice,\" Ostergaard said.\n", encoding="utf-8")
    (tmp_path / "ferry.md").write_text(
        "---\ntitle: Ferry\noutlet: The Tarnwick Post\ndate: 2025-02-15\n---\n"
        "The city's chief engineer said the ferry would run all winter.\n", encoding="utf-8")
    (tmp_path / "stadium.md").write_text(
        "---\ntitle: Stadium\noutlet: The Tarnwick Post\ndate: 2025-03-01\n---\n"
        "Ysolde Eskelund, the city's chief engineer, told reporters on Friday: “The stadium renovation had "
        "already saved 53 beds since 2014.”\n\nAccording to Kestrel Iversholt, the city's chief engineer, the "
        "review on winter road gritting would be published before the end of January.\n\nCalder Reach could "
        "not afford to wait another 8 years for the airport expansion, Sabeth Ebberly, the city's chief "
        "engineer confirmed.\n", encoding="utf-8")
    rt = make_runtime()
    rt.ingest_paths([tmp_path / "bridge.md", tmp_path / "ferry.md", tmp_path / "stadium.md"])
    rows = {r["name"]: r for r in speaker_table(rt.store)}
    named = {"Teodor Ostergaard", "Ysolde Eskelund", "Kestrel Iversholt", "Sabeth Ebberly"}
    assert named <= set(rows), rows
    assert {rows[name]["statements"] for name in named - {"Teodor Ostergaard"}} == {1}
    said = {str(a["content"]): a["speaker"] for a in rt.store.attributions()}
    assert [speaker for content, speaker in said.items() if "ferry would run" in content] == ["city's chief engineer"]
    assert [speaker for content, speaker in said.items() if "airport expansion" in content] == ["Sabeth Ebberly"]


def test_attributions_read_by_id_are_those_the_article_filter_finds(seed_runtime):
    """An article record counts its attributions, stored as ``<article_id>:a0 … a<n-1>``."""
    store = seed_runtime.store
    records = store.get_articles(store.article_ids())
    by_filter = sorted(store.attributions(article_ids=records), key=lambda a: a["id"])
    assert by_filter
    ids = [f"{aid}:a{k}" for aid, record in records.items() for k in range(record.attributions)]
    assert sorted(store.attributions_by_id(ids), key=lambda a: a["id"]) == by_filter


def test_attributions_read_by_id_come_in_the_order_asked_without_unknown_ids(seed_runtime):
    store = seed_runtime.store
    every = {a["id"]: a for a in store.attributions(article_ids=store.article_ids())}
    ids = sorted(every)[::-1][:5]
    got = store.attributions_by_id([ids[0], "no-such-article:a0", *ids, ids[1]])
    assert [a["id"] for a in got] == ids
    assert got == [every[i] for i in ids]


@pytest.mark.parametrize("depth", [1, 3])
def test_a_text_repeated_across_batches_in_flight_is_embedded_once(make_runtime, monkeypatch, tmp_path, depth):
    """One article per batch; the first and the sixth carry the same wire sentence. With
    several batches waiting between the stages (the first is still being written when the
    sixth is embedded) the sentence is still embedded once, and every article is stored."""
    rt = make_runtime(ingest_batch=1)
    rt.indexer.pipeline_depth = depth
    wire = "The Velmar Courier could not reach the harbour board for comment."
    paths = []
    for i in range(7):
        path = tmp_path / f"wire{i}.txt"
        tail = f"\n\n{wire}\n" if i in (0, 5) else "\n"
        path.write_text(f"Councillor Brisbois{i} said the ferry timetable number {i} would change.{tail}")
        paths.append(path)
    embedded = []
    original = rt.embeddings.embed_array
    monkeypatch.setattr(rt.embeddings, "embed_array", lambda texts: embedded.extend(texts) or original(texts))
    write = rt.store.write_articles
    # slow writes, so that later batches are parsed and embedded while earlier ones wait
    monkeypatch.setattr(rt.store, "write_articles", lambda bundles: time.sleep(0.3) or write(bundles))
    results = rt.ingest_paths(paths)
    assert [r.status for r in results] == ["indexed"] * 7
    assert embedded.count(wire) == 1
    assert rt.store.count("articles") == 7


def test_nothing_is_written_after_a_batch_fails(make_runtime, monkeypatch, tmp_path):
    """With batches queued behind a failing write, the error goes up and none of the
    batches after it is committed (the ones before it are)."""
    from index.errors import StoreError

    rt = make_runtime(ingest_batch=1)
    paths = []
    for i in range(7):
        path = tmp_path / f"a{i}.txt"
        path.write_text(f"Councillor Brisbois{i} said the ferry timetable number {i} would change.\n")
        paths.append(path)
    calls = []
    write = rt.store.write_articles

    def failing_second(bundles):
        calls.append(len(calls))
        time.sleep(0.3)  # let later batches queue up behind this one
        if len(calls) == 2:
            raise StoreError("disk full (simulated)")
        return write(bundles)

    monkeypatch.setattr(rt.store, "write_articles", failing_second)
    with pytest.raises(StoreError, match="disk full"):
        rt.ingest_paths(paths)
    monkeypatch.setattr(rt.store, "write_articles", write)
    assert rt.store.count("articles") == 1
    assert len(calls) == 2
    # re-running completes the rest
    assert sum(r.status == "indexed" for r in rt.ingest_paths(paths)) == 6


def test_record_collections_carry_placeholder_vectors(make_runtime):
    """Articles, attributions and speakers are never searched by vector: their rows carry
    one number (Chroma loads a collection's whole HNSW index when it is read). An
    attribution's vector is still there when claim linking needs it: the normalised mean
    of its sentences' vectors, as its claim link holds it."""
    rt = make_runtime()
    rt.ingest_paths([ARTICLES / "harbour_vote.md", ARTICLES / "library_cuts.txt"])
    store = rt.store
    for kind in ("articles", "attributions", "speakers"):
        got = store.collection(kind).get(include=["embeddings"])
        assert got["ids"] and all(len(v) == 1 for v in got["embeddings"]), kind
    for kind in ("sentences", "chunks", "claims"):
        got = store.collection(kind).get(include=["embeddings"])
        assert got["ids"] and all(len(v) == 384 for v in got["embeddings"]), kind
    links = {link["id"]: link["vector"] for link in store.claim_links(with_vectors=True)}
    derived = store.attribution_vectors(list(links) + ["no-such-attribution"])
    assert links and set(derived) == set(links)
    for aid, vector in links.items():
        np.testing.assert_allclose(derived[aid], vector, atol=1e-6)
    with pytest.raises(ValueError, match="records"):
        store.vectorstore("attributions", rt.embeddings)
    assert store.vectorstore("sentences", rt.embeddings).similarity_search("harbour vote", k=1)


def test_a_layout_from_before_placeholders_keeps_writing_mean_vectors(make_runtime, tmp_path):
    """Record collections created by an earlier whosaid hold 384-number rows (Chroma fixes a
    collection's dimension at its first row): they keep getting them, and everything reads."""
    make_store_from_before_placeholders(tmp_path / "old")
    rt = make_runtime("old")
    assert rt.ingest_paths([ARTICLES / "harbour_vote.md"])[0].status == "indexed"
    for kind in ("articles", "attributions", "speakers"):
        got = rt.store.collection(kind).get(include=["embeddings"])
        assert got["ids"] and all(len(v) == 384 for v in got["embeddings"]), kind
    assert rt.answerer().invoke({"question": "What did Varga say about harbour fees?"}).answered


def _story(folder, name, sentence, front=(("title", "Ferry fares rise"), ("outlet", "Harbour Gazette"),
                                         ("url", "https://gazette.example/ferry-fares"))):
    """A fictional article file with front matter; ``sentence`` is the line that changes."""
    header = "".join(f"{k}: {v}\n" for k, v in front)
    path = folder / name
    path.write_text(f"---\n{header}---\n# Ferry fares rise\n\nThe harbour master, Ines Calloway, said fares "
                    f"would rise in May.\n\n{sentence}\n\n\"We had no choice,\" Calloway told reporters.\n",
                    encoding="utf-8")
    return path


def test_a_corrected_version_replaces_the_earlier_one(make_runtime, monkeypatch, tmp_path):
    rt = make_runtime()
    first = rt.ingest_paths([_story(tmp_path, "ferry.md", "The rise is 12 percent, Calloway said.")])[0]
    assert first.status == "indexed"
    embedded = []
    original = rt.embeddings.embed_array
    monkeypatch.setattr(rt.embeddings, "embed_array", lambda texts: embedded.extend(texts) or original(texts))
    (tmp_path / "v2").mkdir()  # the same URL from another file: a corrected copy
    second = rt.ingest_paths([_story(tmp_path / "v2", "ferry.md", "The rise is 21 percent, Calloway said.")])[0]
    assert second.status == "updated" and second.replaced == [first.article_id]
    assert "new version of article " + first.article_id in second.reason
    assert rt.store.article_ids() == [second.article_id]
    assert rt.store.count("sentences") == second.sentences  # nothing of the old version is left
    assert not rt.store.attributions(article_id=first.article_id)
    assert embedded == ["The rise is 21 percent, Calloway said."]  # unchanged sentences reuse their vectors


def test_a_corrected_file_without_a_url_replaces_the_article_from_that_file(make_runtime, tmp_path):
    rt = make_runtime()
    front = (("outlet", "Harbour Gazette"),)
    path = _story(tmp_path, "ferry.md", "The rise is 12 percent.", front)
    first = rt.ingest_paths([path])[0]
    _story(tmp_path, "ferry.md", "The rise is 21 percent.", front)
    second = rt.ingest_paths([path])[0]
    assert second.status == "updated" and second.replaced == [first.article_id]
    assert rt.store.article_ids() == [second.article_id]
    # another outlet's file of the same name elsewhere is another article, not a version
    (tmp_path / "other").mkdir()
    other = _story(tmp_path / "other", "ferry.md", "The rise is 30 percent.", (("outlet", "Quay Times"),))
    assert rt.ingest_paths([other])[0].status == "indexed" and rt.store.count("articles") == 2


def test_the_new_version_is_written_before_the_old_is_removed(make_runtime, monkeypatch, tmp_path):
    from index.store import Store

    rt = make_runtime()
    first = rt.ingest_paths([_story(tmp_path, "ferry.md", "The rise is 12 percent.")])[0]
    monkeypatch.setattr(Store, "remove_version", lambda self, *a: (_ for _ in ()).throw(RuntimeError("killed")))
    path = _story(tmp_path, "ferry.md", "The rise is 21 percent.")
    with pytest.raises(RuntimeError):
        rt.ingest_paths([path])
    assert len(rt.store.article_ids()) == 2  # nothing lost: both versions, each whole
    monkeypatch.undo()
    again = rt.ingest_paths([path])[0]  # running the ingest again finishes the replacement
    assert again.status == "updated" and again.replaced == [first.article_id]
    assert rt.store.article_ids() == [again.article_id]


def test_a_correction_of_one_outlets_copy_leaves_the_other_outlets_appearance(make_runtime, tmp_path):
    rt = make_runtime()
    (tmp_path / "wire").mkdir()
    post = _story(tmp_path, "ferry.md", "The rise is 12 percent.")
    wire = _story(tmp_path / "wire", "ferry.md", "The rise is 12 percent.",
                  (("outlet", "Nordic Wire"), ("url", "https://wire.example/ferry")))
    shared = rt.ingest_paths([post, wire])[0].article_id
    assert [a.outlet for a in rt.store.get_article(shared).appearances] == ["Harbour Gazette", "Nordic Wire"]
    corrected = rt.ingest_paths([_story(tmp_path, "ferry.md", "The rise is 21 percent.")])[0]
    assert corrected.status == "updated" and corrected.replaced == [shared]
    kept = rt.store.get_article(shared)
    assert [a.outlet for a in kept.appearances] == ["Nordic Wire"] and kept.outlet == "Nordic Wire"
    assert sorted(rt.store.article_ids()) == sorted([shared, corrected.article_id])


def test_two_versions_in_one_ingest_index_only_the_later(make_runtime, tmp_path):
    rt = make_runtime()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old = _story(tmp_path / "a", "ferry.md", "The rise is 12 percent.")
    new = _story(tmp_path / "b", "ferry.md", "The rise is 21 percent.")
    results = rt.ingest_paths([old, new])
    assert [r.status for r in results] == ["skipped", "indexed"] and str(new) in results[0].reason
    assert rt.store.article_ids() == [results[1].article_id]


def test_the_same_text_from_the_same_outlet_is_a_duplicate_not_another_appearance(make_runtime, tmp_path):
    rt = make_runtime()
    for folder in ("nest", "arts"):
        (tmp_path / folder).mkdir()
        shutil.copy(ARTICLES / "harbour_vote.md", tmp_path / folder / "harbour_vote.md")
    first, second = rt.ingest_paths([tmp_path / "nest", tmp_path / "arts"])
    assert first.status == "indexed" and second.status == "duplicate"
    assert "nothing changed" in second.reason and "appearance" not in second.reason
    assert len(rt.store.get_article(first.article_id).appearances) == 1


def test_the_same_body_under_another_front_matter_header_is_a_duplicate(make_runtime, tmp_path):
    rt = make_runtime()
    body = "# Ferry fares rise\n\nThe harbour master, Ines Calloway, said fares would rise in May.\n"
    (tmp_path / "a.md").write_text("---\noutlet: Harbour Gazette\ndate: 2024-05-02\n---\n" + body)
    (tmp_path / "b.md").write_text("---\noutlet: Harbour Gazette\ndate: 2024-05-02\nauthor: desk\n---\n" + body)
    (tmp_path / "c.md").write_text("---\noutlet: Quay Times\n---\n" + body)
    a, b, c = rt.ingest_paths([tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"])
    assert a.status == "indexed" and b.status == "duplicate" and b.article_id == a.article_id
    assert c.status == "duplicate" and "another appearance" in c.reason
    assert rt.store.count("articles") == 1


def test_a_file_stored_under_its_whole_text_hash_is_still_a_duplicate(make_runtime, tmp_path):
    """A store from before ids hashed the body alone knows a file with front matter by the
    hash of its whole text: ingesting that file again must not index it a second time."""
    from dataclasses import replace

    from index.load import article_id_for, content_hash, load_file

    rt = make_runtime()
    path = tmp_path / "a.md"
    path.write_text("---\noutlet: Harbour Gazette\ndate: 2024-05-02\n---\n# Ferry fares rise\n\n"
                    "The harbour master, Ines Calloway, said fares would rise in May.\n")
    article = load_file(path, None)
    whole = content_hash(article.text)
    assert article_id_for(whole) != article.id
    [old] = rt.indexer.ingest([replace(article, id=article_id_for(whole), content_hash=whole)])
    assert old.status == "indexed"
    [again] = rt.ingest_paths([path])
    assert again.status == "duplicate" and again.article_id == old.article_id, again
    assert rt.store.count("articles") == 1 and rt.store.article_ids() == [old.article_id]


def test_cli_refuses_a_date_it_cannot_read_before_writing(tmp_path, capsys):
    from ui import cli

    for bad, words in (("yesterday-ish", "cannot read"), ("03/04/2024", "more than one way")):
        code = cli.main(["ingest", str(ARTICLES / "harbour_vote.md"), "--date", bad, "--store", str(tmp_path / "s")])
        err = capsys.readouterr().err
        assert code == 2 and words in err and "2024-03-04" in err and "4 March 2024" in err
    assert not (tmp_path / "s").exists()  # the store was not even opened


def test_cli_says_on_stderr_when_it_adds_the_seed_article(tmp_path, embeddings, nlp, capsys, monkeypatch):
    from ui import cli

    monkeypatch.setattr("bot.runtime.Runtime.embeddings", embeddings, raising=False)
    monkeypatch.setattr("bot.runtime.Runtime.nlp", nlp, raising=False)
    monkeypatch.setenv("WHOSAID_INDEX_SEEDS", "1")
    store = str(tmp_path / "s")
    assert cli.main(["ask", "Who said the vote was close?", "--json", "--store", store]) == 0
    out, err = capsys.readouterr()
    json.loads(out)  # stdout stays one JSON document
    assert "first run: added the seed article" in err and "WHOSAID_INDEX_SEEDS=0" in err
    assert cli.main(["ask", "Who said the vote was close?", "--json", "--store", store]) == 0
    assert "seed" not in capsys.readouterr().err  # once only


# -- versions: what makes a new version, and which one wins ----------------------------------

BAKERY = ("Bakery strike enters second week in Quillford\n\nWorkers at the Quillford Bread Cooperative remained "
          "on strike on Monday.\n\n\"We will not go back until the ovens are safe,\" said union steward Maren "
          "Delacroix.\n\nThe cooperative's director, Hollis Fenwick, said the repairs had cost 40,000 crowns.\n")
LIBRARY = ("Library closes early in Tarnwick\n\n\"We simply have no staff left,\" said head librarian Agnes "
           "Morrow.\n\nDeputy mayor Felix Arnaud said the budget would be reviewed in autumn.\n")


def test_pages_whose_canonical_link_is_the_site_root_are_separate_articles(make_runtime, tmp_path):
    rt = make_runtime()
    for n in (1, 2, 3):
        (tmp_path / f"s{n}.html").write_text(
            f'<html><head><title>Story {n}</title><link rel="canonical" href="https://smalltown.example/"></head>'
            f'<body><article><p>"Statement number {n} is true," said alderman Piers Wolcott.</p></article></body></html>')
    results = rt.ingest_paths([tmp_path])
    assert [r.status for r in results] == ["indexed"] * 3, [r.reason for r in results]
    assert rt.store.count("articles") == 3
    assert {r.url for r in rt.store.list_articles()} == {"https://smalltown.example/"}
    # a URL given for one file that is a site's root does not make it a version of them either
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "bakery.txt").write_text(BAKERY)
    from index.load import Metadata

    [bakery] = rt.ingest_paths([tmp_path / "other" / "bakery.txt"], Metadata(url="https://smalltown.example"))
    assert bakery.status == "indexed" and not bakery.replaced and rt.store.count("articles") == 4


def test_cli_refuses_one_url_for_several_files_or_a_folder_before_writing(tmp_path, capsys):
    from ui import cli

    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "bakery.txt").write_text(BAKERY)
    (tmp_path / "tree" / "library.txt").write_text(LIBRARY)
    store = str(tmp_path / "s")
    for inputs in ([str(tmp_path / "tree")], [str(tmp_path / "tree" / "bakery.txt"), str(tmp_path / "tree" / "library.txt")]):
        assert cli.main(["ingest", *inputs, "--url", "https://tarnwick.example/news", "--store", store]) == 2
        assert "a URL names one article" in capsys.readouterr().err
    for bad in ("not a url", "javascript:alert(1)"):
        assert cli.main(["ingest", str(tmp_path / "tree" / "bakery.txt"), "--url", bad, "--store", store]) == 2
        assert "not a web address" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()  # the store was not even opened


def test_a_url_given_for_a_folder_is_refused_by_the_runtime_too(make_runtime, tmp_path):
    from index.load import Metadata, MetadataError

    rt = make_runtime()
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "bakery.txt").write_text(BAKERY)
    with pytest.raises(MetadataError, match="a URL names one article"):
        rt.ingest_paths([tmp_path / "tree"], Metadata(url="https://tarnwick.example/news"))
    assert rt.store.count("articles") == 0


def _dated(folder, name, date, jobs, url="https://ledger.example/harbor-expansion"):
    """A fictional harbour story dated ``date`` whose jobs figure is the correction."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\ntitle: Harbor expansion splits Vellmoor council\noutlet: The Vellmoor Ledger\n"
                    f"date: {date}\nurl: {url}\n---\n# Harbor expansion splits Vellmoor council\n\n"
                    "The Vellmoor city council voted 5-4 on Tuesday to approve the harbor expansion.\n\n"
                    "\"This is the most important investment in a generation,\" said Mayor Odile Brannigan. "
                    f"She added that the project would create {jobs} jobs.\n\n"
                    "The harbor master, Ingrid Solvang, said the dredging would begin in September.\n",
                    encoding="utf-8")
    return path


def test_a_same_url_text_that_is_another_article_is_indexed_beside_it(make_runtime, tmp_path):
    from index.load import Metadata

    rt = make_runtime()
    url = Metadata(url="https://tarnwick.example/news")
    (tmp_path / "bakery.txt").write_text(BAKERY)
    (tmp_path / "library.txt").write_text(LIBRARY)
    [first] = rt.ingest_paths([tmp_path / "bakery.txt"], url)
    [second] = rt.ingest_paths([tmp_path / "library.txt"], url)
    assert second.status == "indexed" and not second.replaced
    assert any(first.article_id in w and "separate article" in w and "nothing was replaced" in w
               for w in second.warnings), second.warnings
    assert sorted(rt.store.article_ids()) == sorted([first.article_id, second.article_id])
    # in one ingest too: two files giving one URL in their front matter, unrelated texts
    rt2 = make_runtime("store2")
    (tmp_path / "fm").mkdir()
    for name, body in (("a.md", BAKERY), ("b.md", LIBRARY)):
        (tmp_path / "fm" / name).write_text(f"---\nurl: https://tarnwick.example/news\n---\n{body}")
    results = rt2.ingest_paths([tmp_path / "fm"])
    assert [r.status for r in results] == ["indexed", "indexed"] and all(r.warnings for r in results)
    assert rt2.store.count("articles") == 2


def test_the_correction_dated_later_wins_whatever_the_file_order(make_runtime, tmp_path):
    rt = make_runtime()
    corrected = _dated(tmp_path / "arch", "harbor-corrected.md", "2024-05-14", "1,100")
    stale = _dated(tmp_path / "arch", "harbor.md", "2024-05-12", "1,200")
    results = {r.path: r for r in rt.ingest_paths([tmp_path / "arch"])}  # the correction's file comes first
    assert results[str(corrected)].status == "indexed"
    skipped = results[str(stale)]
    assert skipped.status == "skipped" and "earlier version" in skipped.reason and "2024-05-14" in skipped.reason
    [stored] = rt.store.list_articles()
    assert "1,100 jobs" in rt.store.get_article(stored.id).text and stored.date == "2024-05-14"


def test_an_earlier_dated_version_never_replaces_the_stored_one(make_runtime, tmp_path):
    rt = make_runtime()
    [corrected] = rt.ingest_paths([_dated(tmp_path / "new", "harbor.md", "2024-05-14", "1,100")])
    stale = _dated(tmp_path / "old", "harbor.md", "2024-05-12", "1,200")
    stale_too = _dated(tmp_path / "old2", "harbor.md", "2024-05-12", "1,300")
    results = rt.ingest_paths([stale, stale_too])
    assert [r.status for r in results] == ["skipped", "skipped"], [r.reason for r in results]
    assert all(corrected.article_id in r.reason and "2024-05-14" in r.reason and "nothing was changed" in r.reason
               for r in results)
    assert rt.store.article_ids() == [corrected.article_id] and not any(r.replaced for r in results)
    # a version dated the same day (or undated) is a later correction, as before
    [same_day] = rt.ingest_paths([_dated(tmp_path / "same", "harbor.md", "2024-05-14", "1,150")])
    assert same_day.status == "updated" and same_day.replaced == [corrected.article_id]


def test_a_pasted_earlier_version_is_skipped_like_a_file(make_runtime, tmp_path):
    """The app's paste form goes through the same ingest: an earlier version with the
    article's link does not replace it."""
    from index.load import Metadata

    rt = make_runtime()
    [corrected] = rt.ingest_paths([_dated(tmp_path, "harbor.md", "2024-05-14", "1,100")])
    stale = _dated(tmp_path / "paste", "harbor.md", "2024-05-12", "1,200").read_text(encoding="utf-8")
    [pasted] = rt.ingest_text(stale.split("---\n", 2)[2], Metadata(date="2024-05-12",
                                                                   url="https://ledger.example/harbor-expansion"))
    assert pasted.status == "skipped" and "2024-05-14" in pasted.reason
    assert rt.store.article_ids() == [corrected.article_id]


def test_a_file_rewritten_with_another_article_keeps_the_first(make_runtime, tmp_path):
    rt = make_runtime()
    path = tmp_path / "story.txt"
    path.write_text(BAKERY)
    [first] = rt.ingest_paths([path])
    path.write_text(LIBRARY)  # the same file name reused for another story
    [second] = rt.ingest_paths([path])
    assert second.status == "indexed" and not second.replaced and "file and outlet" in second.warnings[0]
    assert sorted(rt.store.article_ids()) == sorted([first.article_id, second.article_id])


def test_same_article_means_half_the_shorter_texts_word_runs_are_in_the_other(tmp_path):
    from index.versions import same_article, text_overlap

    stale = _dated(tmp_path / "a", "harbor.md", "2024-05-12", "1,200").read_text(encoding="utf-8")
    corrected = _dated(tmp_path / "b", "harbor.md", "2024-05-14", "1,100").read_text(encoding="utf-8")
    assert same_article(stale, corrected)  # a corrected figure
    assert same_article(BAKERY, BAKERY + "\nDelacroix said talks would resume on Friday.\n")  # an update adds a line
    assert not same_article(BAKERY, LIBRARY) and text_overlap(BAKERY, LIBRARY) < 0.2
    # the header is not the text: two articles under one front matter are still two
    header = "---\ntitle: Tarnwick news\noutlet: Tarnwick Post\nurl: https://tarnwick.example/news\n---\n"
    assert not same_article(header + BAKERY, header + LIBRARY)


def test_planning_a_bulk_ingest_compares_texts_only_under_a_shared_key(tmp_path, monkeypatch):
    """Word runs are worked out only for texts that must be compared (two candidates under
    one version key): a folder of distinct files costs nothing, where working them out for
    every article took 500 MiB at 10,000 articles."""
    import index.versions
    from index.load import load_file
    from index.versions import plan_versions

    worked_out = []
    shingles = index.versions.shingles
    monkeypatch.setattr(index.versions, "shingles", lambda text, *a: worked_out.append(text) or shingles(text, *a))
    distinct = [load_file(_dated(tmp_path / f"d{i}", f"story{i}.md", "2024-05-12", f"{i},000",
                                 url=f"https://ledger.example/story-{i}"), None) for i in range(3)]
    plan = plan_versions(distinct, {}, [a.id for a in distinct])
    assert not plan.skipped and worked_out == []
    stale = load_file(_dated(tmp_path / "a", "harbor.md", "2024-05-12", "1,200"), None)
    corrected = load_file(_dated(tmp_path / "b", "harbor.md", "2024-05-14", "1,100"), None)
    plan = plan_versions([stale, corrected], {}, [stale.id, corrected.id])
    assert plan.skipped and len(worked_out) == 2


def test_a_copy_of_the_stored_version_does_not_let_an_earlier_one_in(make_runtime, tmp_path):
    """``ingest v2/harbor.md harbor.md``: the first is the stored correction's text under
    another header date, the second the stale text; the stale one must not come back."""
    rt = make_runtime()
    [corrected] = rt.ingest_paths([_dated(tmp_path / "arch", "harbor.md", "2024-05-14", "1,100")])
    copy = _dated(tmp_path / "v2", "harbor.md", "2024-05-12", "1,100")
    stale = _dated(tmp_path / "old", "harbor.md", "2024-05-12", "1,200")
    first, second = rt.ingest_paths([copy, stale])
    assert first.status == "duplicate" and first.article_id == corrected.article_id
    assert second.status == "skipped" and corrected.article_id in second.reason and "2024-05-14" in second.reason
    assert rt.store.article_ids() == [corrected.article_id]


def test_speakers_named_in_other_scripts_stay_apart(make_runtime, tmp_path):
    """Three people named in Cyrillic and Greek are three speakers, each with their words."""
    from bot.speakers import speaker_table

    (tmp_path / "officials.txt").write_text(
        "Two officials\n\n“The bridge is safe,” said mayor Олена Коваль on Monday.\n\n"
        "“The bridge is not safe,” said engineer Ігор Петренко on Tuesday.\n\n"
        "“Taxes will fall,” said Κώστας Παπαδόπουλος, the treasurer.\n", encoding="utf-8")
    rt = make_runtime()
    rt.ingest_paths([tmp_path / "officials.txt"])
    rows = {r["name"]: r for r in speaker_table(rt.store)}
    assert set(rows) == {"Олена Коваль", "Ігор Петренко", "Κώστας Παπαδόπουλος"}
    assert {r["statements"] for r in rows.values()} == {1}
    said = {a["speaker_id"]: a["content"] for a in rt.store.attributions()}
    assert "олена-коваль" in said and "not safe" not in str(said["олена-коваль"])


def test_stored_speakers_are_read_once_and_again_when_another_writer_added_some(make_runtime, tmp_path,
                                                                                 monkeypatch):
    """Speaker linking reads the store's speakers once for an ingest of several batches, not
    once per batch; a speaker another writer stored since is read before the next batch and
    links a bare surname to it."""
    rt = make_runtime(ingest_batch=1)
    reads = []
    real = rt.store.speakers
    monkeypatch.setattr(rt.store, "speakers", lambda: reads.append(1) or real())
    paths = []
    for i, name in enumerate(["Councillor Brisbois", "Harbour master Ines Calloway", "Brisbois"]):
        path = tmp_path / f"story{i}.txt"
        path.write_text(f"{name} said the ferry timetable number {i} would change in May.\n", encoding="utf-8")
        paths.append(path)
    assert [r.status for r in rt.ingest_paths(paths)] == ["indexed"] * 3
    assert len(reads) == 1
    # another writer (a second ingest process on a Chroma server) stores a speaker
    rt.store.collection("speakers").upsert(ids=["osric-tammaro-other"], embeddings=[[1.0]], documents=["Osric Tammaro"],
                                           metadatas=[{"name": "Osric Tammaro", "kind": "person"}])
    later = tmp_path / "later.txt"
    later.write_text("Tammaro said the ferry timetable would not change before the summer.\n", encoding="utf-8")
    (result,) = rt.ingest_paths([later])
    assert result.status == "indexed" and len(reads) == 2
    (statement,) = rt.store.attributions(article_id=result.article_id)
    assert statement["speaker_id"] == "osric-tammaro-other"


def test_a_speaker_record_keeps_what_another_writer_added_to_it(make_runtime, tmp_path):
    """The speakers are read once per process: when another writer (a second ingest process
    on a Chroma server) has merged an alias into a stored speaker since, this process's
    later merge into the same speaker keeps that alias instead of writing over it."""
    rt = make_runtime()
    first, later = tmp_path / "first.txt", tmp_path / "later.txt"
    first.write_text("Councillor Odile Brandt said the ferry timetable would change in May.\n", encoding="utf-8")
    later.write_text("Brandt said the ferry timetable would not change before the summer.\n", encoding="utf-8")
    assert rt.ingest_paths([first])[0].status == "indexed"
    (speaker,) = [s for s in rt.store.speakers() if s.name == "Odile Brandt"]
    collection = rt.store.collection("speakers")
    meta = collection.get(ids=[speaker.id], include=["metadatas"])["metadatas"][0]
    collection.upsert(ids=[speaker.id], embeddings=[[1.0]], documents=[speaker.name],  # the other writer
                      metadatas=[{**meta, "aliases": [*meta.get("aliases", []), "Harbour chair Brandt"]}])
    (result,) = rt.ingest_paths([later])
    assert rt.store.attributions(article_id=result.article_id)[0]["speaker_id"] == speaker.id
    (stored,) = [s for s in rt.store.speakers() if s.id == speaker.id]
    assert "Harbour chair Brandt" in stored.aliases and "Brandt" in stored.aliases
