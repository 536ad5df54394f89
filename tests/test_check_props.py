"""Property tests: the checker never crashes on any quote; evidence always slices back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.check import QuoteChecker
from bot.diff import word_diff
from bot.meaning import compare
from index.errors import QueryError
from tests.conftest import build_runtime
from tests.test_check import ARTICLE

PHRASES = ["We are not closing the bridge for good", "It will reopen on October 14",
           "The repairs should have been done in winter", "Garroway", "six weeks", "no", "“", "!"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory, embeddings, nlp):
    folder = tmp_path_factory.mktemp("props_articles")
    (folder / "bridge.md").write_text(ARTICLE, encoding="utf-8")
    rt = build_runtime(tmp_path_factory.mktemp("props_store"), embeddings, nlp)
    rt.ingest_paths([folder])
    yield QuoteChecker(rt.store, rt.retriever, rt.speaker_index(), rt.embeddings)
    rt.close()


quotes = st.one_of(st.text(max_size=120),
                   st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4).map(" ".join))


@settings(max_examples=25)
@given(quote=quotes, claimed=st.one_of(st.none(), st.sampled_from(["Garroway", "Lundqvist", "Nobody Known", ""])))
def test_never_crashes_and_evidence_slices_back(checker, quote, claimed):
    try:
        verdict = checker.check(quote, claimed)
    except QueryError:
        return
    assert verdict.verdict in {"verbatim", "paraphrase", "altered", "misattributed", "not_found"}
    for ev in verdict.evidence:
        article = checker.store.get_article(ev.article_id)
        assert article.text[ev.start:ev.end] == ev.text
        sentences = checker.store.get_sentences(ev.sentence_ids)
        assert all(article.text[s.start:s.end] == s.text for s in sentences.values())
    verdict.to_dict()


@given(a=st.text(max_size=80), b=st.text(max_size=80))
def test_compare_and_diff_never_crash(a, b):
    compare(a, b)
    ops = word_diff(a, b)
    assert all(op.op in {"equal", "insert", "delete", "replace"} for op in ops)
