"""The same end-to-end flow against a real Chroma server (`chroma run` on loopback)."""

import pytest

from tests.conftest import DATA, SEEDS, build_runtime

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_ingest_and_ask_through_a_chroma_server(chroma_server, tmp_path, embeddings, nlp):
    rt = build_runtime(tmp_path / "unused", embeddings, nlp, chroma_url=chroma_server)
    try:
        results = rt.ingest_paths([SEEDS, DATA / "articles" / "harbour_vote.md"])
        assert [r.status for r in results] == ["indexed", "indexed"]
        answer = rt.answerer().invoke({"question": "Who said “We don’t need this panic”?"}).to_dict()
        assert answer["answered"] and "Zelenskiy" in answer["answer"]
        again = rt.ingest_paths([SEEDS])
        assert again[0].status == "duplicate"
        assert not (tmp_path / "unused").exists()  # server mode writes nothing locally
    finally:
        rt.close()


def test_two_clients_share_one_server_store(chroma_server, tmp_path, embeddings, nlp):
    writer = build_runtime(tmp_path / "a", embeddings, nlp, chroma_url=chroma_server)
    reader = build_runtime(tmp_path / "b", embeddings, nlp, chroma_url=chroma_server)
    try:
        aid = writer.ingest_paths([DATA / "articles" / "library_cuts.txt"])[0].article_id
        assert reader.store.get_article(aid) is not None
        answer = reader.answerer().invoke({"question": "What did Lindqvist say about libraries?"}).to_dict()
        assert answer["answered"]
    finally:
        writer.close()
        reader.close()


def test_unreachable_server_is_a_clear_error(tmp_path, embeddings, nlp):
    from index.errors import StoreError
    from tests.helpers import free_port

    rt = build_runtime(tmp_path / "x", embeddings, nlp, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="cannot reach the Chroma server"):
        rt.store
