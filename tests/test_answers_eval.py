"""The answer evaluation: its question file is well-formed and its scoring counts right."""

from __future__ import annotations

import math

from bench.answers_eval import load_questions, score_answerable, summarise
from bench.polnear_check_cases import CLASSES, gold_quotes, surname, variants
from tests.conftest import DATA

SENTENCES = {"a:0": "Marsh said the library would stay open.", "a:1": "\"We are not planning to close it,\" Marsh said.",
             "a:2": "The river rose.", "b:0": "Quill said the mayor lied."}
ITEM = {"id": "t1", "q": "What did Marsh say about the library?", "speaker": "Marsh",
        "relevant": ["library would stay open", "not planning to close"]}


def answer(answered: bool, cited: list[str], text: str = "Helena Marsh said so.") -> dict:
    return {"answer": text, "answered": answered,
            "citations": [{"sentence_id": s, "text": SENTENCES[s], "speaker": None} for s in cited]}


def test_the_question_file_meets_the_issue_and_matches_the_articles():
    data = load_questions()
    assert len(data["answerable"]) >= 40 and len(data["unanswerable"]) >= 15
    ids = [q["id"] for q in data["answerable"] + data["unanswerable"]]
    assert len(ids) == len(set(ids))
    articles = " ".join(p.read_text(encoding="utf-8") for p in (DATA / "check" / "articles").glob("*.md"))
    for item in data["answerable"]:
        for text in item["relevant"] + item.get("must_cite_any", []):
            assert text in articles, f"{item['id']}: {text!r} is in no check article"


def test_scoring_counts_precision_recall_and_refusals():
    good = score_answerable(ITEM, answer(True, ["a:0", "a:2"]), SENTENCES)
    assert good.correct and good.relevant_cited == 1 and good.relevant_total == 2
    wrong_speaker = score_answerable(ITEM, answer(True, ["a:1"], "Quill said so."), SENTENCES)
    assert not wrong_speaker.correct and "Marsh" in wrong_speaker.why
    refused = score_answerable(ITEM, answer(False, []), SENTENCES)
    assert not refused.correct and refused.why == "not answered"
    off_topic = score_answerable(ITEM, answer(True, ["b:0"]), SENTENCES)
    assert off_topic.why == "cites no required sentence"
    summary = summarise([good, refused], [({"q": "u"}, answer(False, [])), ({"q": "v"}, answer(True, ["a:2"]))])
    assert summary["accuracy"] == (1, 2)
    assert math.isclose(summary["citation_precision"], 0.5)  # 1 of the 2 citations answers
    assert math.isclose(summary["citation_recall"], 0.25)  # (1/2 + 0/2) / 2
    assert summary["refusals"] == (1, 2) and summary["false_refusals"] == (1, 2)


def test_polnear_case_generation_makes_every_class():
    class Attr:
        def __init__(self, content, source):
            self.content, self.source = content, source

    text = 'Senator Varga said the plan will cost 40 dollars for each of the residents of Bramley county.'
    start = text.index("the plan")
    quotes = gold_quotes(text, [Attr([(start, len(text) - 1)], [(0, 13)])])
    assert quotes[0]["speaker"] == "Varga" and surname("he") is None
    import random

    cases = {cls: q for cls, q, _ in variants(quotes[0], ["Varga", "Ostrow"], random.Random(1))}
    assert set(cases) == set(CLASSES) - {"unindexed"}
    assert "will not cost" in cases["negation"] and "40" not in cases["number"]
    assert "Bramley" not in cases["name"] and len(cases["inserted"].split()) == len(quotes[0]["quote"].split()) + 1
