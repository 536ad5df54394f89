"""Answers on the seed: cited to the exact sentences, refusals when the sources don't say."""

import json

import pytest

from bot.evaluate_questions import load_question_set, score_answer
from index.errors import QueryError
from tests.conftest import DATA

QUESTIONS = load_question_set(DATA / "seed_questions.json")
ARTICLE = QUESTIONS["article_id"]


def ask(rt, question, **kw):
    return rt.answerer().invoke({"question": question, **kw}).to_dict()


@pytest.mark.server
def test_what_did_lavrov_say_cites_statements_not_mentions(seeded_runtime):
    answer = ask(seeded_runtime, "What did Lavrov say?")
    cited = [c["sentence_id"] for c in answer["citations"]]
    assert answer["answered"] and answer["backend"] == "extractive"
    assert f"{ARTICLE}:4" in cited or f"{ARTICLE}:6" in cited
    assert f"{ARTICLE}:5" not in cited and f"{ARTICLE}:14" not in cited
    for c in answer["citations"]:
        assert set(c) >= {"n", "article_id", "sentence_id", "text", "start", "end", "speaker", "title",
                          "outlet", "date", "url"}


@pytest.mark.server
def test_who_said_names_zelenskiy_and_cites_the_sentence(seeded_runtime):
    answer = ask(seeded_runtime, "Who said “We don’t need this panic”?")
    assert answer["answered"] and "Zelenskiy" in answer["answer"]
    assert [c["sentence_id"] for c in answer["citations"]] == [f"{ARTICLE}:13"]


@pytest.mark.parametrize("item", QUESTIONS["answerable"], ids=lambda i: i["q"][:40])
def test_answerable_question(seed_runtime, item):
    score = score_answer(item, ask(seed_runtime, item["q"]), ARTICLE)
    assert score.correct, score.why


@pytest.mark.parametrize("question", QUESTIONS["unanswerable"])
def test_unanswerable_question_is_refused(seed_runtime, question):
    answer = ask(seed_runtime, question)
    assert not answer["answered"] and answer["citations"] == []


@pytest.mark.server
def test_every_statement_is_cited_and_quotes_its_sentence(seeded_runtime):
    record = seeded_runtime.store.get_article(ARTICLE)
    for item in QUESTIONS["answerable"]:
        answer = ask(seeded_runtime, item["q"])
        by_n = {c["n"]: c for c in answer["citations"]}
        for statement in answer["statements"]:
            assert statement["citations"], statement
            for n in statement["citations"]:
                c = by_n[n]
                assert record.text[c["start"]:c["end"]] == c["text"]


@pytest.mark.server
def test_follow_up_resolves_he_to_the_previous_speaker(seeded_runtime):
    first = seeded_runtime.answerer().invoke({"question": "What did Stoltenberg say?"})
    follow = ask(seeded_runtime, "What else did he say about Belarus?", previous_speakers=first.speakers)
    assert follow["answered"] and f"{ARTICLE}:26" in [c["sentence_id"] for c in follow["citations"]]


@pytest.mark.server
def test_speaker_filter_restricts_citations(seeded_runtime):
    from bot.retrieve import Filters

    zel = seeded_runtime.speaker_index().find("Zelenskiy")
    answer = ask(seeded_runtime, "What was said about war?", filters=Filters(speaker_ids=[s.id for s in zel]))
    assert answer["answered"]
    assert {c["sentence_id"] for c in answer["citations"]} <= {f"{ARTICLE}:12", f"{ARTICLE}:13"}


@pytest.mark.parametrize("bad", ["", "   ", "?!?!...", "x" * 5000])
def test_bad_questions_are_clear_errors(seed_runtime, bad):
    with pytest.raises(QueryError):
        ask(seed_runtime, bad)


def test_cli_ask_json(seed_runtime, capsys, monkeypatch):
    from ui import cli

    monkeypatch.setattr(cli, "_runtime", lambda args: _Borrowed(seed_runtime))
    assert cli.main(["ask", "What did Lavrov say?", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answered"] and out["backend"] == "extractive" and out["citations"]
    assert cli.main(["ask", "What is the capital of France?", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answered"] is False
    assert cli.main(["ask", "", "--json"]) == 1
    assert "empty" in capsys.readouterr().err


class _Borrowed:
    """The module's runtime, lent to the CLI without letting it close the store."""

    def __init__(self, rt):
        self._rt = rt

    def __getattr__(self, name):
        return getattr(self._rt, name)

    def close(self):
        pass
