"""Who speaks for an organisation: its spokespeople's statements answer a question about it."""

from __future__ import annotations

import pytest

from bot.question import SpeakerIndex, parse_question
from index.models import Speaker
from tests.conftest import ingested_runtime

WORKS = Speaker("marrow-steelworks", "Marrow Steelworks", [], None, "organisation")
OKAFO = Speaker("lydia-okafo", "Lydia Okafo", ["Lydia Okafo, a spokeswoman for Marrow Steelworks"], "spokeswoman", "person")
HALL = Speaker("piet-hall", "Piet Hall", ["Piet Hall, a spokesman for Marrow Steelworks"], "spokesman", "person")
OTHER = Speaker("ana-ruiz", "Ana Ruiz", ["Ana Ruiz, a spokeswoman for the Tarn Ferry Company"], "spokeswoman", "person")


def test_the_people_who_speak_for_an_organisation_are_asked_about_with_it():
    index = SpeakerIndex([WORKS, OKAFO, HALL, OTHER])
    assert index.spokespeople(WORKS) == [OKAFO, HALL]
    q = parse_question("What did Marrow Steelworks say?", index)
    assert [s.id for s in q.speakers] == ["marrow-steelworks", "lydia-okafo", "piet-hall"]
    # one spokesperson asked about by name is that person only
    assert [s.id for s in parse_question("What did Okafo say?", index).speakers] == ["lydia-okafo"]
    # the recogniser may take the company for a person: its spokespeople still speak for it
    as_person = Speaker("marrow-steelworks", "Marrow Steelworks", [], None, "person")
    assert SpeakerIndex([as_person, OKAFO]).spokespeople(as_person) == [OKAFO]


STORY = """---
title: Steelworks bids for bridge contract
outlet: The Tarn Courier
date: 2024-02-20
---
Lydia Okafo, a spokeswoman for Marrow Steelworks, said the company would bid for the steel contract.

Marrow Steelworks said in a statement that it had hired twenty new welders.
"""


@pytest.fixture(scope="module")
def works_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "works", {"steel.md": STORY}) as rt:
        yield rt


def test_what_did_the_company_say_includes_its_spokeswoman(works_runtime):
    answer = works_runtime.answerer().invoke({"question": "What did Marrow Steelworks say?"}).to_dict()
    text = " ".join(s["text"] for s in answer["statements"])
    assert "would bid for the steel contract" in text and "twenty new welders" in text, text
