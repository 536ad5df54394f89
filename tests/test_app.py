"""The chat page through streamlit.testing.v1.AppTest (headless, in process)."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, SEEDS

APP = str(REPO / "ui" / "app.py")


@pytest.fixture
def app(monkeypatch, tmp_path, embeddings, nlp):
    # The app builds its Runtime through st.cache_resource; hand it the session's models.
    monkeypatch.setattr("bot.runtime.Runtime.embeddings", embeddings, raising=False)
    monkeypatch.setattr("bot.runtime.Runtime.nlp", nlp, raising=False)
    monkeypatch.setenv("WHOSAID_INDEX_SEEDS", "1")
    monkeypatch.setenv("WHOSAID_SEEDS", str(SEEDS))
    at = AppTest.from_file(APP, default_timeout=120)
    yield at
    import streamlit as st

    st.cache_resource.clear()  # one Runtime per test: a fresh store each time


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_first_start_indexes_seeds_and_answers_with_citations(app):
    app.run()
    assert not app.exception
    app.chat_input[0].set_value("What did Lavrov say?").run()
    assert not app.exception
    text = _text(app)
    assert "Sergey Lavrov said Russia does not want war" in text
    assert "orange\\-background" not in text and ":orange-background[" in text  # a highlighted citation
    assert len(app.get("popover")) >= 2
    assert app.chat_message[0].name == "user" and app.chat_message[1].name == "assistant"


def test_unanswerable_question_says_so(app):
    app.run()
    app.chat_input[0].set_value("Who won the 2018 World Cup?").run()
    assert not app.exception
    assert any("don't say" in i.value for i in app.info)


def test_history_persists_across_reruns_and_follow_up_uses_it(app):
    app.run()
    app.chat_input[0].set_value("What did Stoltenberg say?").run()
    app.chat_input[0].set_value("What else did he say about Belarus?").run()
    assert not app.exception
    assert len(app.chat_message) == 4
    assert "Belarus" in _text(app)


def test_empty_question_shows_an_error_not_a_traceback(app):
    app.run()
    app.chat_input[0].set_value("?!?").run()
    assert not app.exception
    assert app.error and "no words" in app.error[0].value
