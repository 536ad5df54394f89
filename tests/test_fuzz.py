"""Property-based tests (hypothesis; derandomized under CI via the "ci" profile): decoding,
furniture, sentence splitting and ingestion never crash, every span lies inside its text
and slices back to what it claims, and offsets are stable across re-ingest."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.errors import IngestError, QueryError
from index.furniture import find_furniture
from index.load import decode_bytes, load_text
from index.sentences import split_sentences

WORDS = ["Mayor", "Varga", "said", "the", "harbour", "would", "not", "close", "“We", "will”", "”", "“",
         '"', "'", "told", "reporters", ".", ",", "!", "?", ":", "according", "to", "Advertisement",
         "Share", "this", "article", "ваш", "відгук:", "12", "million", "—", "(", ")", "he", "added"]
SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\r\n", "\t", "  "]

structured_text = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)),
                           min_size=0, max_size=80).map(lambda parts: "".join(w + s for w, s in parts))
any_text = st.one_of(structured_text, st.text(max_size=300))


@given(st.binary(max_size=2000))
def test_decode_never_crashes(data):
    try:
        text, encoding = decode_bytes(data)
    except IngestError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and encoding


@given(any_text)
def test_furniture_spans_slice_back(text):
    spans = find_furniture(text)
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start:span.end] == span.text
    assert [s.start for s in spans] == sorted(s.start for s in spans)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(any_text)
def test_sentences_and_attributions_slice_back_and_are_stable(nlp, text):
    from index.attribute import extract

    try:
        article = load_text(text)
    except IngestError:
        return
    doc = nlp(article.text)
    sentences = split_sentences(article, doc)
    for n, s in enumerate(sentences):
        assert s.id == f"{article.id}:{n}"
        assert article.text[s.start:s.end] == s.text and s.text.strip() == s.text
        assert not any(s.start < f.end and f.start < s.end for f in article.furniture)
    result = extract(doc, article, sentences)
    for a in result.attributions:
        for span in [a.source, a.cue, *a.content]:
            if span is not None:
                assert article.text[span.start:span.end] == span.text
    again = load_text(text)
    assert again.id == article.id
    assert [(s.start, s.end) for s in split_sentences(again, nlp(again.text))] == [(s.start, s.end) for s in sentences]


@pytest.fixture(scope="module")
def fuzz_runtime(tmp_path_factory, embeddings, nlp):
    from tests.conftest import build_runtime

    rt = build_runtime(tmp_path_factory.mktemp("fuzzstore"), embeddings, nlp)
    yield rt
    rt.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(structured_text)
def test_ingest_stores_spans_that_slice_back_and_reingest_changes_nothing(fuzz_runtime, text):
    rt = fuzz_runtime
    try:
        article = load_text(text)
    except IngestError:
        return
    (first,) = rt.indexer.ingest([article])
    if first.status == "refused":
        assert first.reason
        assert rt.store.get_article(article.id) is None
        return
    record = rt.store.get_article(article.id)
    sentences = rt.store.sentences_of(article.id)
    assert len(sentences) == record.sentences
    for s in sentences:
        assert record.text[s.start:s.end] == s.text
    (second,) = rt.indexer.ingest([load_text(text)])
    assert second.status == "duplicate" and second.article_id == article.id
    assert [(s.id, s.start, s.end) for s in rt.store.sentences_of(article.id)] == [
        (s.id, s.start, s.end) for s in sentences]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(any_text)
def test_questions_never_crash(seed_runtime, question):
    try:
        answer = seed_runtime.answerer().invoke({"question": question}).to_dict()
    except QueryError as exc:
        assert str(exc)
        return
    record = seed_runtime.store.get_article(seed_runtime.store.article_ids()[0])
    for c in answer["citations"]:
        assert record.text[c["start"]:c["end"]] == c["text"]
