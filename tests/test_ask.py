"""Answers on the seed: cited to the exact sentences, refusals when the sources don't say."""

import json

import numpy as np
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


# -- streaming ------------------------------------------------------------------------------


STREAMED = ["What did Lavrov say?", "How many U.S. troops were put on heightened alert?",
            "Who said “We don’t need this panic”?", "What did Macron say?", "What is the capital of France?"]


@pytest.mark.parametrize("question", STREAMED)
def test_the_stream_joined_is_the_invoked_answer(seed_runtime, question):
    answerer = seed_runtime.answerer()
    stream = answerer.stream({"question": question})
    statements = list(stream)
    whole = answerer.invoke({"question": question})
    assert stream.answer().to_dict() == whole.to_dict()
    assert [(s.text, s.citations, s.supported) for s in statements] == \
        [(s.text, s.citations, s.supported) for s in whole.statements]
    by_n = {c.n: c for c in whole.citations}
    for s in statements:  # each streamed statement carries the citations it shows
        assert [c.n for c in s.sources] == s.citations and all(by_n[c.n] == c for c in s.sources)


def test_the_first_statement_arrives_before_the_last_is_checked(seed_runtime):
    answerer = seed_runtime.answerer()
    events: list[str] = []
    check = answerer.citations_hold

    def logged_check(statement):
        events.append(f"checked {statement.text[:30]}")
        return check(statement)

    answerer.citations_hold = logged_check
    for statement in answerer.stream({"question": "What did Lavrov say?"}):
        events.append(f"yielded {statement.text[:30]}")
    checked = [e for e in events if e.startswith("checked")]
    assert len(checked) >= 2
    # each statement is handed out right after its own check, before the next is produced
    assert events.index("yielded " + checked[0][len("checked "):]) < events.index(checked[-1])
    assert all(events[i + 1] == "yielded " + e[len("checked "):] for i, e in enumerate(events)
               if e.startswith("checked"))


def test_a_bad_question_fails_when_the_stream_is_asked_for(seed_runtime):
    with pytest.raises(QueryError):
        seed_runtime.answerer().stream({"question": "   "})


# -- relevance: a sentence must answer, not only sound alike ---------------------------------


def _judge():
    from bot.relevance import RelevanceJudge

    # idf by stem as the BM25 index gives it; a word no sentence has is the rarest
    indexed = {"norbridge": 2.0, "resident": 2.5, "tram": 3.0, "line": 2.5, "brisk": 3.0, "jonah": 5.0,
               "offer": 4.0, "rover": 3.0, "open": 2.0}
    return RelevanceJudge(lambda term: indexed.get(term, 9.0), None)


def test_a_sentence_that_only_mentions_the_subject_does_not_answer():
    judge = _judge()
    lacking = judge.judge("What is the population of Norbridge?", "Residents of Norbridge were told to leave.")
    assert not lacking.answers and "population" in lacking.missing
    assert judge.judge("What is the population of Norbridge?",
                       "Norbridge has a population of 80,000.").answers


def test_a_how_much_question_needs_a_number_and_its_key_word():
    judge = _judge()
    assert not judge.judge("How much will the tram line cost?", "The tram line will open in 2025.").answers
    assert not judge.judge("How much will the tram line cost?", "The tram line will cost a lot.").answers
    assert judge.judge("How much will the tram line cost?", "The tram line will cost 90 million pounds.").answers


def test_a_named_person_is_covered_by_their_surname():
    judge = _judge()
    question, sentence = "How much did Rovers offer for Jonah Brisk?", "Rovers made an offer of 40 million for Brisk."
    assert not judge.judge(question, sentence).answers  # "Jonah", the rarest word, is missing
    assert judge.judge(question, sentence, entities=[{"jonah", "brisk"}]).answers


def test_answer_types():
    from bot.relevance import answer_type, has_answer_type

    assert answer_type("How old is Dario Fennick?") == "age"
    assert not has_answer_type("age", "Fennick's new stadium will open in 2026.")
    assert has_answer_type("age", "Fennick, 52, said the club would win.")
    assert answer_type("When will the line open?") == "time" and has_answer_type("time", "It opens in September.")
    assert answer_type("Which company will build the line?") == "name"
    assert not has_answer_type("name", "it will be built soon.")
    assert answer_type("What did Marsh say?") is None


def test_word_vectors_are_shared_by_the_answerers_and_checks_of_a_runtime(seed_runtime):
    """The relevance judge's synonym check and the quote checker's word comparison embed a
    word once per runtime, not once per question (the app makes an answerer per question)."""
    from bot.relevance import RelevanceJudge, WordVectors

    rt = seed_runtime
    assert rt.answerer()._word_vectors is rt.answerer()._word_vectors is rt.word_vectors
    assert rt.quote_checker().word_vectors is rt.word_vectors
    embedded: list[str] = []

    def embed(texts):
        embedded.extend(texts)
        return rt.embeddings.embed_array(texts)

    shared = WordVectors(embed)
    for _ in range(2):
        RelevanceJudge(lambda term: 3.0, shared).judge("What did the minister say about sanctions?",
                                                      "The ministry warned of punitive measures.")
    assert embedded and len(embedded) == len(set(embedded)), "each word embedded once across both judges"
    assert shared.similarity("sanctions", "sanctions") == pytest.approx(1.0, abs=1e-5)
    direct = rt.embeddings.embed_array(["sanctions", "measures"])
    assert shared.similarity("sanctions", "measures") == pytest.approx(
        float(direct[0] @ direct[1] / (np.linalg.norm(direct[0]) * np.linalg.norm(direct[1]))), abs=1e-5)
