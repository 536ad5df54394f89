""""When did X first say Y?": the earliest statement first, none that says the opposite."""

from __future__ import annotations

import pytest

from tests.conftest import ingested_runtime


def _story(day: str, title: str, body: str) -> str:
    return f"---\ntitle: {title}\noutlet: The Orrin Courier\ndate: {day}\n---\n{body}\n"


ARTICLES = {
    "a.md": _story("2024-01-15", "Mayor backs Orrin bridge",
                   "Mayor Tomas Velden said on Monday that he fully supports the proposed Orrin bridge.\n\n"
                   "The council will vote on the plan in March."),
    "b.md": _story("2024-05-18", "Velden turns against Orrin bridge",
                   "\"I can no longer support the Orrin bridge,\" Velden said.\n\n"
                   "Mayor Tomas Velden said on Saturday that he now opposes the Orrin bridge."),
    "c.md": _story("2024-07-12", "Velden defends bridge U-turn",
                   "\"I do not support building the Orrin bridge, and I will not support it,\" Velden said."),
}


@pytest.fixture(scope="module")
def velden(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "velden", ARTICLES) as rt:
        yield rt


def test_when_first_said_gives_the_earliest_statement_and_none_saying_the_opposite(velden):
    answer = velden.answerer().invoke(
        {"question": "When did Tomas Velden first say he supported the Orrin bridge?"}).to_dict()
    texts = [s["text"] for s in answer["statements"]]
    assert texts and texts[0].startswith("Reported on 2024-01-15") and "fully supports" in texts[0], texts
    assert not any("no longer" in t or "opposes" in t or "do not support" in t for t in texts), texts
