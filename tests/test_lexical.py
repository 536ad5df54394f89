"""The in-memory BM25 index (bot.lexical): scores, ids, filters, against a plain reference."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from bot import lexical
from bot.lexical import B, K1, BM25Index, LexicalRow
from bot.text import terms

WORDS = ("harbour dredging tram levy ferry budget council flood barrier tariff quota housing "
         "stadium grant audit survey velmar brennick quillon contract deadline strike").split()


def corpus(n_articles: int = 30, seed: int = 3) -> list[LexicalRow]:
    rng = random.Random(seed)
    rows = []
    for a in range(n_articles):
        aid = f"{a:016x}"
        date = rng.choice([0, 20310303, 20310304, 20310520, 20300101])  # 0: an undated article
        for n in range(rng.randint(1, 6)):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
            speakers = tuple(sorted(rng.sample(["sp-a", "sp-b", "sp-c"], rng.randint(0, 2))))
            rows.append(LexicalRow(f"{aid}:{n}", aid, text, speakers, date))
    rows.append(LexicalRow(f"{rows[0].article_id}:99", rows[0].article_id, rows[0].text, (),
                           rows[0].date_num))  # a repeated text
    return rows


def reference_scores(rows: list[LexicalRow], query: str) -> dict[str, float]:
    """Okapi BM25 written out term by term, the textbook way."""
    docs = [terms(r.text) for r in rows]
    avg = sum(map(len, docs)) / len(docs)
    out = {}
    for row, doc in zip(rows, docs):
        score = 0.0
        for term in set(terms(query)):
            df = sum(term in d for d in docs)
            tf = doc.count(term)
            if tf:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(doc) / avg))
        if score > 0:
            out[row.id] = score
    return out


@pytest.mark.parametrize("query", ["harbour levy", "tram tram deadline", "velmar flood barrier quota"])
def test_scores_and_order_match_textbook_bm25(query):
    rows = corpus()
    index = BM25Index(rows)
    expected = reference_scores(rows, query)
    hits = index.search(query, k=len(rows))
    assert {h.sentence_id for h in hits} == set(expected)
    for hit in hits:
        assert hit.score == pytest.approx(expected[hit.sentence_id], rel=1e-5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_top_k_is_the_best_k():
    rows = corpus(80)
    index = BM25Index(rows)
    expected = sorted(reference_scores(rows, "budget grant strike").values(), reverse=True)[:7]
    assert [h.score for h in index.search("budget grant strike", k=7)] == pytest.approx(expected, rel=1e-5)


def test_filters_by_article_and_speaker():
    rows = corpus()
    index = BM25Index(rows)
    articles = {rows[0].article_id, rows[10].article_id}
    for wanted_articles, wanted_speakers in ((articles, None), (None, {"sp-b"}), (articles, {"sp-a", "sp-c"})):
        mask = index.mask(wanted_articles, wanted_speakers)
        allowed = {r.id for r in rows
                   if (not wanted_articles or r.article_id in wanted_articles)
                   and (not wanted_speakers or set(r.speaker_ids) & wanted_speakers)}
        hits = index.search("harbour tram budget council", k=len(rows), allowed=mask)
        assert hits and {h.sentence_id for h in hits} <= allowed
        unfiltered = {h.sentence_id for h in index.search("harbour tram budget council", k=len(rows))}
        assert {h.sentence_id for h in hits} == unfiltered & allowed
    assert index.mask(None, None) is None
    assert not index.mask({"no-such-article"}, None).any()


@pytest.mark.parametrize("k", [3, 200])
def test_a_small_filter_scored_sentence_by_sentence_gives_the_full_scoring(monkeypatch, k):
    rows = corpus(120)
    index = BM25Index(rows)
    articles = {rows[0].article_id, rows[40].article_id, rows[77].article_id}
    masks = [index.mask(articles, None), index.mask(None, {"sp-b"}), index.mask(articles, {"sp-a", "sp-c"}),
             index.mask({"no-such-article"}, None)]
    queries = ["harbour tram budget council", "levy levy", "zzzz", "budget grant strike quota"]
    monkeypatch.setattr(lexical, "SPARSE_SHARE", 0)  # never sparse
    full = [[(h.sentence_id, h.score) for h in index.search(q, k=k, allowed=m)] for q in queries for m in masks]
    monkeypatch.setattr(lexical, "SPARSE_SHARE", 10**9)  # always sparse
    sparse = [[(h.sentence_id, h.score) for h in index.search(q, k=k, allowed=m)] for q in queries for m in masks]
    assert sparse == full and any(full)


def test_ids_that_do_not_follow_the_article_pattern_are_kept():
    rows = [LexicalRow("a1:0", "a1", "harbour levy"), LexicalRow("odd-id", "a1", "harbour tram"),
            LexicalRow("a2:007", "a2", "harbour budget")]
    index = BM25Index(rows)
    assert {h.sentence_id for h in index.search("harbour", k=5)} == {"a1:0", "odd-id", "a2:007"}


def test_token_cache_limit_does_not_change_results(monkeypatch):
    rows = corpus()
    full = BM25Index(rows)
    monkeypatch.setattr(lexical, "TOKEN_CACHE_LIMIT", 2)
    small = BM25Index(rows)
    for query in ("harbour levy", "quota contract"):
        assert [(h.sentence_id, h.score) for h in small.search(query)] == \
            [(h.sentence_id, h.score) for h in full.search(query)]


def test_empty_index_and_unknown_terms():
    assert BM25Index([]).search("harbour") == []
    index = BM25Index(corpus())
    assert index.search("zzzz qqqq") == []
    assert index.idf("zzzz") == pytest.approx(math.log(1 + (index.size + 0.5) / 0.5))
    assert isinstance(index.nbytes(), int) and index.nbytes() > 0
    assert np.all(index.mask({corpus()[0].article_id}) <= 1)


def _same_results(a: BM25Index, b: BM25Index, rows: list[LexicalRow]) -> None:
    assert a.size == b.size and a.avg_length == pytest.approx(b.avg_length)
    for query in ("harbour levy", "tram tram deadline", "velmar flood barrier quota", "budget grant strike"):
        # (ties are in sentence order, which differs after an update: compare as sets)
        assert {(h.sentence_id, round(h.score, 5)) for h in a.search(query, k=len(rows))} == \
            {(h.sentence_id, round(h.score, 5)) for h in b.search(query, k=len(rows))}
    articles = sorted({r.article_id for r in rows})[:3]
    for filters in ((set(articles), None), (None, {"sp-b"}), (set(articles), {"sp-a", "sp-c"})):
        ids = lambda index: {h.sentence_id for h in index.search("harbour tram budget", k=len(rows),  # noqa: E731
                                                                 allowed=index.mask(*filters))}
        assert ids(a) == ids(b)
    for since, until in ((20310304, None), (None, 20310304), (20310303, 20310304)):
        assert {a.sentence_id(d) for d in np.flatnonzero(a.mask(None, {"sp-a"}, since, until))} == \
            {b.sentence_id(d) for d in np.flatnonzero(b.mask(None, {"sp-a"}, since, until))}
    _knows_each_sentence(a, rows)
    _knows_each_sentence(b, rows)
    assert [a.sentence_id(d) for d in a.in_date_order(np.arange(a.size))] == \
        [b.sentence_id(d) for d in b.in_date_order(np.arange(b.size))]


def _knows_each_sentence(index: BM25Index, rows: list[LexicalRow]) -> None:
    """Each indexed sentence is found by its id, with its article, speakers and date."""
    present = index.article_ids()
    for row in rows:
        doc = index.doc_of(row.id)
        if row.article_id not in present:
            assert doc is None
            continue
        assert index.sentence_id(doc) == row.id and index.article_of(doc) == row.article_id
        assert index.speaker_ids_of(doc) == list(row.speaker_ids) and index.date_of(doc) == row.date_num
    everything = np.arange(index.size)
    assert index.sentence_ids(everything) == [index.sentence_id(int(d)) for d in everything]
    assert index.doc_of("ffffffffffffffff:0") is None and index.doc_of(f"{rows[0].article_id}:500") is None


def test_date_filters_and_date_order():
    rows = corpus(40, seed=11)
    index = BM25Index(rows)
    for since, until in ((20310304, None), (None, 20310304), (20310303, 20310304), (20990101, None)):
        expected = {r.id for r in rows if r.date_num and (not since or r.date_num >= since)
                    and (not until or r.date_num <= until)}
        assert {index.sentence_id(d) for d in np.flatnonzero(index.mask(since=since, until=until))} == expected
    ordered = [index.sentence_id(d) for d in index.in_date_order(np.arange(index.size))]
    key = {r.id: (r.date_num or lexical.UNDATED, r.article_id, int(r.id.rpartition(":")[2])) for r in rows}
    assert ordered == sorted(key, key=key.get)


def test_updates_by_article_give_the_scores_of_a_fresh_build():
    rows = corpus(60, seed=5)
    by_article: dict[str, list[LexicalRow]] = {}
    for row in rows:
        by_article.setdefault(row.article_id, []).append(row)
    articles = list(by_article)
    first, second = articles[:40], articles[40:]
    removed = set(first[5:15])
    index = BM25Index([r for a in first for r in by_article[a]])
    updated = index.updated([r for a in second for r in by_article[a]], removed)
    expected_rows = [r for a in first + second if a not in removed for r in by_article[a]]
    _same_results(updated, BM25Index(expected_rows), expected_rows)
    assert updated.article_ids() == {r.article_id for r in expected_rows}
    # the original is untouched, and removing everything leaves an empty index
    _same_results(index, BM25Index([r for a in first for r in by_article[a]]), rows)
    assert updated.updated((), articles).search("harbour") == []
    # adding back what was removed, in a later update, is a fresh build of everything
    again = updated.updated([r for a in sorted(removed) for r in by_article[a]])
    _same_results(again, BM25Index(rows), rows)


def test_vector_rows_follow_their_sentences_through_updates_and_saves(tmp_path):
    rows = corpus(60, seed=9)
    articles = sorted({r.article_id for r in rows})
    first = [r for r in rows if r.article_id in articles[:30]]
    index = BM25Index(first)
    assert index.vector_file is None and (index.vector_rows(np.arange(index.size)) == -1).all()
    index.attach_vectors("vectors-x.f32")
    updated = index.updated([r for r in rows if r.article_id in articles[30:]], set(articles[3:9]))
    path = tmp_path / "index.npz"
    updated.save(path)
    loaded, _ = BM25Index.load(path)
    for current in (updated, loaded):
        assert current.vector_file == "vectors-x.f32"
        for doc, row in enumerate(current.vector_rows(np.arange(current.size)).tolist()):
            sid = current.sentence_id(doc)
            if row >= 0:  # the row the sentence had in the file's build
                assert index.sentence_id(row) == sid
            else:  # added after the file was written
                assert sid.rpartition(":")[0] in articles[30:]
        assert sum(r >= 0 for r in current.vector_rows(np.arange(current.size)).tolist()) == \
            sum(r.article_id not in articles[3:9] for r in first)


def test_saved_index_loads_with_the_same_results(tmp_path):
    rows = corpus(40)
    rows.append(LexicalRow("odd-id", rows[0].article_id, "harbour levy quota", ("sp-a",), rows[0].date_num))
    gone = f"{5:016x}"
    index = BM25Index(rows).updated((), {gone})
    path = tmp_path / "lexical.npz"
    index.save(path, {"collection": "abc"})
    loaded, meta = BM25Index.load(path)
    assert meta["collection"] == "abc"
    kept = [r for r in rows if r.article_id != gone]
    _same_results(loaded, index, kept)
    assert loaded.sentence_id(next(i for i, n in enumerate(loaded._doc_n) if n < 0)) == "odd-id"
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left


@pytest.mark.parametrize("damage", ["truncate", "garbage", "missing"])
def test_a_damaged_saved_index_is_a_clear_value_error(tmp_path, damage):
    path = tmp_path / "lexical.npz"
    BM25Index(corpus()).save(path)
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "garbage":
        path.write_bytes(b"not an index")
    else:
        path.unlink()
    with pytest.raises(ValueError, match="cannot read the lexical index"):
        BM25Index.load(path)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_article_rows = {a: [r for r in corpus(12, seed=9) if r.article_id == a]
                 for a in dict.fromkeys(r.article_id for r in corpus(12, seed=9))}


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(st.tuples(st.sets(st.sampled_from(sorted(_article_rows))),
                                st.sets(st.sampled_from(sorted(_article_rows)))), min_size=1, max_size=5))
def test_any_sequence_of_updates_equals_a_fresh_build(steps):
    """Adding and removing articles in any order gives the index a fresh build of the
    articles present gives: same scores, same filters."""
    present: list[str] = []
    index = BM25Index([])
    for add, remove in steps:
        removed = [a for a in present if a in remove]
        added = [a for a in sorted(add) if a not in present and a not in remove]
        index = index.updated([r for a in added for r in _article_rows[a]], removed)
        present = [a for a in present if a not in remove] + added
    rows = [r for a in present for r in _article_rows[a]]
    assert index.article_ids() == set(present)
    if rows:
        _same_results(index, BM25Index(rows), rows)
    else:
        assert index.size == 0 and index.search("harbour") == []
