"""The frozen, hand-labelled quote-check case file as a regression test (see bench/check_eval.py)."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import check_eval  # noqa: E402

# Reached when the case file was frozen and the checker tuned (docs/benchmarks.md), minus a margin.
FLOORS = {"verbatim": 0.95, "paraphrase": 0.90, "altered": 0.95, "misattributed": 0.95, "not_found": 0.95}
WHO_SAID_FLOOR = 0.95


@pytest.fixture(scope="module")
def built(tmp_path_factory, embeddings, nlp):
    rt, checker = check_eval.build_checker(tmp_path_factory.mktemp("check_cases"), embeddings, nlp)
    yield checker
    rt.close()


@pytest.fixture(scope="module")
def summary(built):
    return check_eval.summarise(check_eval.run_cases(built, check_eval.load_cases()))


@pytest.mark.parametrize("reach", [1, 3])
def test_a_view_holds_every_attribution_of_its_hits_neighbourhoods(built, reach):
    """The checker reads only the sentences near its hits and the attributions their
    records name; around each hit they are exactly those the whole article has."""
    from bot.check import CONTEXT_SENTENCES, _attribution_order, _attributions_in
    from bot.retrieve import ScoredSentence

    store = built.store
    records = store.get_articles(store.article_ids())
    everything = {}
    for item in sorted(store.attributions(article_ids=records), key=lambda a: _attribution_order(a["id"])):
        everything.setdefault(item["article_id"], []).append(item)
    checked = 0
    for article_id, record in records.items():
        view_all = None
        for sentence in store.get_sentences([f"{article_id}:{n}" for n in range(record.sentences)]).values():
            hit = ScoredSentence(sentence, record, 1.0, 1.0, 0.0, {})
            view = built._views([hit], reach)[article_id]
            view_all = view_all or type(view)(record, view.text, view.sentences, everything.get(article_id, []),
                                              view.quoted)
            window = reach + CONTEXT_SENTENCES  # and every sentence a passage's context takes
            assert [s.n for s in view.sentences] == list(range(max(0, sentence.n - window),
                                                               min(record.sentences, sentence.n + window + 1)))
            for near in [s for s in view.sentences if abs(s.n - sentence.n) <= reach]:
                for lo, hi in ((near.start, near.end), (min(sentence.start, near.start), max(sentence.end, near.end)),
                               (near.start + 1, near.end - 1)):
                    assert _attributions_in(view, lo, hi) == _attributions_in(view_all, lo, hi)
                    checked += 1
    assert checked > 300


def test_case_file_is_large_enough():
    cases = check_eval.load_cases()
    assert len(cases) >= 150
    assert len({c["id"] for c in cases}) == len(cases)
    for verdict in check_eval.VERDICTS:
        assert sum(c["expected_verdict"] == verdict for c in cases) >= 25


@pytest.mark.parametrize("verdict", list(FLOORS))
def test_per_class_accuracy(summary, verdict):
    right, total = summary["per_class"][verdict]
    assert right / total >= FLOORS[verdict], (verdict, right, total, summary["confusion"][verdict])


def test_who_said_accuracy(summary):
    right, total = summary["who_said"]
    assert right / total >= WHO_SAID_FLOOR


def test_evidence_is_the_expected_passage(summary):
    right, total = summary["evidence"]
    assert right / total >= 0.95
