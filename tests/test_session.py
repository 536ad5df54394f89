"""`ask --session FILE`: follow-ups resolve against the previous turns of a conversation file."""

from __future__ import annotations

import json

import pytest

from bot.session import Session, SessionError
from index.models import Speaker
from tests.conftest import DATA, build_runtime


def test_session_file_round_trip_and_limits(tmp_path):
    path = tmp_path / "chat" / "s.json"
    session = Session.load(path)
    assert session.turns == [] and session.previous_speakers({}) == []
    quill = Speaker(id="sp-quill", name="Tobias Quill")
    session.record("What did Tobias Quill say?", [quill], ["a:1", "a:2"])
    session.record("How many beds were prepared?", [], ["b:7"])
    session.save()
    again = Session.load(path)
    assert [t.question for t in again.turns] == ["What did Tobias Quill say?", "How many beds were prepared?"]
    known = {"sp-quill": Speaker(id="sp-quill", name="Tobias Quill", aliases=["Quill"])}
    assert again.previous_speakers(known) == [known["sp-quill"]]
    assert again.previous_speakers({})[0].name == "Tobias Quill"  # not indexed any more: the stored name
    assert again.previously_cited() == ["a:1", "a:2"]
    for i in range(30):
        again.record(f"q{i}", [], [])
    assert len(again.turns) == 20


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": "other", "turns": []}',
                                     '{"format": "whosaid-session/1", "turns": [{"nope": 1}]}'])
def test_a_bad_session_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "s.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SessionError, match="not a whosaid session file"):
        Session.load(path)


def test_cli_follow_up_what_else_did_he_say(tmp_path, embeddings, nlp, monkeypatch, capsys):
    import ui.cli as cli

    monkeypatch.setattr(cli, "_runtime", lambda args: build_runtime(tmp_path / "store", embeddings, nlp))
    rt = build_runtime(tmp_path / "store", embeddings, nlp)
    for name in ("courier-library.md", "courier-tram.md"):
        assert rt.ingest_paths([DATA / "check" / "articles" / name])[0].status == "indexed"
    rt.close()
    session = tmp_path / "session.json"

    def ask(question):
        assert cli.main(["ask", question, "--json", "--session", str(session)]) == 0
        return json.loads(capsys.readouterr().out)

    first = ask("What did Tobias Quill say about the tram project?")
    assert first["answered"] and first["speakers"] == ["Tobias Quill"]
    follow = ask("What else did he say?")
    assert follow["answered"] and follow["speakers"] == ["Tobias Quill"]
    first_ids = {c["sentence_id"] for c in first["citations"]}
    assert first_ids and not first_ids & {c["sentence_id"] for c in follow["citations"]}
    assert any("sell the building" in c["text"] or "believes her promises" in c["text"]
               for c in follow["citations"])
    # Without the session the pronoun has no referent: the answer is not about Quill.
    assert cli.main(["ask", "What else did he say?", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["speakers"] == []
    # A who-said answer makes its speaker the referent of the next turn.
    ask("Who said “I am disappointed, but I am not surprised”?")
    after = ask("What did she say about the tram line?")
    assert after["speakers"] == ["Helena Marsh"]
    saved = json.loads(session.read_text(encoding="utf-8"))
    assert [t["question"] for t in saved["turns"]][-1] == "What did she say about the tram line?"
