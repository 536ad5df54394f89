"""The LLM backend against scripted replies, in process: the real ``ChatOpenAI`` client
sends its requests through an ``httpx.MockTransport`` (no socket, no server), so a test
sees exactly what a server's reply does to the answer — wrong speakers and changed
facts in cited sentences, malformed bodies, "no answer", server failures and timeouts.

The article is fictional (Dunmere, its mayor Petra Lusk and the harbour board's engineer
Dr. Oswin Thorne).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import httpx
import pytest

from bot.answer import Answerer
from bot.llm import LLMAnswerer, LLMError, build_chat_model
from bot.meaning import compare
from index.errors import ConfigError
from tests.conftest import ingested_runtime

MODEL = "fake-model"
PIER = """---
title: Dunmere pier repairs to start in June
outlet: The Dunmere Courier
date: 2025-04-02
---

# Dunmere pier repairs to start in June

Repairs to the Saltgate Pier in Dunmere will begin on 9 June, the harbour board confirmed on Monday.

"The pier is safe for anglers, but we cannot let vans drive onto it any longer," said Mayor Petra Lusk.

Lusk said the work would cost £1.8 million and take nine weeks.

The board's chief engineer, Dr. Oswin Thorne, warned that the northern deck had lost a fifth of its timber planking since 2020.

"If we wait another winter, the repair bill will double," Thorne told the Courier.
"""
_SOURCES = re.compile(r"<<<SOURCES\n(?P<body>.*?)\nSOURCES>>>", re.S)


class FakeServer:
    """An OpenAI-compatible chat-completions endpoint as an ``httpx`` transport. ``script``
    gets the request's numbered sources and returns the ``SourcedAnswer`` arguments (a
    dict), or an ``httpx.Response`` to send as it is, or raises (``httpx.ReadTimeout``)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script = lambda sources: {"answered": False, "sentences": []}

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        self.requests.append(body)
        text = " ".join(m.get("content") or "" for m in body.get("messages", []) if isinstance(m.get("content"), str))
        sources = [json.loads(line) for m in _SOURCES.finditer(text) for line in m.group("body").splitlines()]
        action = self.script(sources)
        if isinstance(action, httpx.Response):
            return action
        return httpx.Response(200, json=completion({"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "SourcedAnswer", "arguments": json.dumps(action)}}]}))


def completion(message: dict | None) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": MODEL,
            "choices": [] if message is None else [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def n_of(sources: list[dict], contains: str) -> int:
    found = [s["n"] for s in sources if contains in s["text"]]
    assert found, f"no source contains {contains!r}: {[s['text'] for s in sources]}"
    return found[0]


@pytest.fixture(scope="module")
def rt(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "pier", {"pier.md": PIER}) as runtime:
        yield runtime


@pytest.fixture
def server():
    return FakeServer()


def answerer(rt, server: FakeServer, **settings) -> LLMAnswerer:
    config = replace(rt.settings, llm_model=MODEL, openai_base_url="http://fake.invalid/v1", **settings)
    extractive = Answerer(rt.store, rt.retriever, rt.speaker_index(), rt.quote_checker(),
                          config.max_question_chars)
    chat = build_chat_model(config, http_client=httpx.Client(transport=httpx.MockTransport(server.handle)))
    return LLMAnswerer(config, extractive, chat_model=chat)


def ask(rt, server: FakeServer, question: str, **settings) -> dict:
    return answerer(rt, server, **settings).invoke({"question": question}).to_dict()


def extractive_answer(rt, question: str) -> dict:
    return Answerer(rt.store, rt.retriever, rt.speaker_index(), rt.quote_checker(),
                    rt.settings.max_question_chars).invoke({"question": question}).to_dict()


# -- wrong speakers and changed facts ------------------------------------------------------

def test_wrong_speakers_and_changed_facts_are_not_shown_as_cited(rt, server):
    good = "Lusk said the work would cost £1.8 million and take nine weeks."
    wrong = {
        # the bill is Thorne's; Lusk's cited sentence is about the pier
        "Lusk warned that the repair bill will double if the board waits another winter.": ("repair bill", "anglers"),
        # the anglers are Lusk's
        "Thorne said the pier is safe for anglers.": ("anglers", "northern deck"),
        # vans may not drive onto it
        "Lusk said the pier is safe for vans.": ("anglers",),
        # northern, a fifth
        "Thorne said the southern deck had lost a third of its timber planking since 2020.": ("northern deck",),
        # nine weeks
        "Lusk said the work would take nine months.": ("nine weeks",),
        # "will double" if they wait
        "Thorne said the repair bill has already doubled.": ("repair bill",),
    }

    def script(sources):
        return {"answered": True, "sentences": [{"text": good, "sources": [n_of(sources, "nine weeks")]}] + [
            {"text": text, "sources": [n_of(sources, c) for c in cited]} for text, cited in wrong.items()]}

    server.script = script
    answer = ask(rt, server, "What did Lusk and Thorne say?")
    assert answer["answered"] and answer["backend"] == f"llm:{MODEL}"
    shown = {s["text"]: s for s in answer["statements"]}
    assert shown[good]["supported"] and shown[good]["citations"]
    for text in wrong:
        assert not shown[text]["supported"] and shown[text]["citations"] == [], text
        assert text not in answer["answer"]
    notes = " ".join(answer["notes"])
    assert "by Petra Lusk" in notes  # the bill sentence: Lusk's own cited sentence does not say it
    assert "unit" in notes and "opposite" in notes and "tense" in notes and "negation" in notes


def test_a_speaker_of_no_cited_sentence_is_named_in_the_reason(rt, server):
    server.script = lambda sources: {"answered": True, "sentences": [
        {"text": "Lusk warned that the repair bill will double if they wait another winter.",
         "sources": [n_of(sources, "repair bill")]}]}
    answer = ask(rt, server, "What did Lusk and Thorne say?")
    (removed,) = [s for s in answer["statements"] if not s["supported"]]
    assert removed["citations"] == []
    assert any("names Lusk as the speaker" in n and "Oswin Thorne" in n for n in answer["notes"])


@pytest.mark.parametrize("quote, source", [
    ("The pier is safe for vans", "The pier is safe for anglers, but we cannot let vans drive onto it any longer"),
    ("the work would take nine months", "the work would cost £1.8 million and take nine weeks"),
    ("the southern deck had lost a fifth", "the northern deck had lost a fifth"),
    ("the deck had lost a third of its planking", "the deck had lost a fifth of its planking"),
    ("the repair bill has already doubled", "If we wait another winter, the repair bill will double"),
])
def test_meaning_changes_the_support_and_quote_checks_share(quote, source):
    assert compare(quote, source).changed


@pytest.mark.parametrize("quote, source", [
    ("The pier is safe for anglers", "The pier is safe for anglers, but we cannot let vans drive onto it any longer"),
    ("Vans can no longer drive onto the pier", "The pier is safe for anglers, but we cannot let vans drive onto it"),
    ("the work would take nine weeks", "the work would cost £1.8 million and take nine weeks"),
    ("the repair bill would double", "If we wait another winter, the repair bill will double"),
    ("No one believes the mayor's promises any more",
     "The mayor has decided. Nobody believes her promises any more, Lusk said."),
])
def test_faithful_renderings_are_no_meaning_change(quote, source):
    assert not compare(quote, source).changed, compare(quote, source).reasons


def test_the_quote_check_finds_an_affirmed_word_the_source_negates(rt):
    verdict = rt.quote_checker().check("The pier is safe for vans", "Lusk")
    assert verdict.verdict == "altered", verdict.to_dict()
    assert any("negates “vans”" in r for r in verdict.reasons)


# -- malformed replies, no answer, failures --------------------------------------------------

@pytest.mark.parametrize("reply", [
    httpx.Response(200, content=b"<html>not json at all", headers={"content-type": "application/json"}),
    httpx.Response(200, json=completion(None)),  # "choices": []
])
def test_a_malformed_reply_falls_back_to_the_extractive_answer(rt, server, reply):
    server.script = lambda sources: reply
    question = "What did Lusk say about the pier?"
    answer = ask(rt, server, question)
    assert answer["answered"] and answer["answer"] == extractive_answer(rt, question)["answer"]
    assert answer["backend"] == f"llm:{MODEL}"
    assert any("no usable structured reply" in n for n in answer["notes"])


def test_the_models_no_answer_does_not_hide_an_extractive_answer(rt, server):
    server.script = lambda sources: {"answered": False, "sentences": []}
    question = "What did Lusk say about the pier?"
    answer = ask(rt, server, question)
    assert answer["answered"] and answer["answer"] == extractive_answer(rt, question)["answer"]
    assert any("the model found no answer" in n and "extractive answer" in n for n in answer["notes"])


@pytest.mark.parametrize("failure, expected", [
    (lambda sources: httpx.Response(500, json={"error": {"message": "boom"}}), "HTTP 500"),
    (lambda sources: httpx.Response(503, json={"error": {"message": "busy"}}), "HTTP 503"),
    (lambda sources: httpx.Response(429, json={"error": {"message": "slow down"}}), "HTTP 429"),
    ("timeout", "did not answer within 3 s"),
])
def test_a_server_failure_falls_back_to_the_extractive_answer_after_one_request(rt, server, failure, expected):
    def timeout(sources):
        raise httpx.ReadTimeout("timed out")

    server.script = timeout if failure == "timeout" else failure
    question = "What did Lusk say about the pier?"
    answer = ask(rt, server, question, llm_timeout=3.0)
    assert answer["answered"] and answer["answer"] == extractive_answer(rt, question)["answer"]
    assert any(expected in n and "extractive answer" in n for n in answer["notes"]), answer["notes"]
    assert len(server.requests) == 1  # no retry: the wait is bounded by WHOSAID_LLM_TIMEOUT


@pytest.mark.parametrize("status, expected", [(401, "refused the API key"), (404, "does not know model")])
def test_configuration_failures_stay_errors(rt, server, status, expected):
    server.script = lambda sources: httpx.Response(status, json={"error": {"message": "no"}})
    with pytest.raises(LLMError, match=expected):
        ask(rt, server, "What did Lusk say about the pier?")


@pytest.mark.parametrize("url", ["not a url", "ftp://example.org/v1", "http://"])
def test_a_base_url_that_is_no_web_address_is_a_configuration_error(rt, url):
    with pytest.raises(ConfigError, match="OPENAI_BASE_URL"):
        build_chat_model(replace(rt.settings, llm_model=MODEL, openai_base_url=url))


def test_cli_ask_json_prints_the_fallback_answer_when_the_server_fails(tmp_path, embeddings, nlp, monkeypatch,
                                                                       capsys):
    import bot.llm
    import ui.cli as cli
    from tests.conftest import build_runtime

    server = FakeServer()
    server.script = lambda sources: httpx.Response(503, json={"error": {"message": "busy"}})
    real = bot.llm.build_chat_model
    monkeypatch.setattr(bot.llm, "build_chat_model", lambda settings: real(
        settings, http_client=httpx.Client(transport=httpx.MockTransport(server.handle))))
    monkeypatch.setattr(cli, "_runtime", lambda args: build_runtime(
        tmp_path / "store", embeddings, nlp, llm_model=args.llm, openai_base_url="http://fake.invalid/v1"))
    (tmp_path / "pier.md").write_text(PIER, encoding="utf-8")
    rt = build_runtime(tmp_path / "store", embeddings, nlp)
    rt.ingest_paths([tmp_path / "pier.md"])
    rt.close()
    assert cli.main(["ask", "What did Lusk say about the pier?", "--json", "--llm", MODEL]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answered"] and out["backend"] == f"llm:{MODEL}" and len(server.requests) == 1
    assert any("HTTP 503" in n and "extractive answer" in n for n in out["notes"])
