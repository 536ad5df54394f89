"""Questions asking the figure a speaker gave ("How many jobs did Venneby say would be lost?").

The articles are fictional: the Harrow mill's director speaks of the jobs it will cut in
several sentences, only one with the number; a union organiser speaks of jobs with no
number of jobs; a sports councillor gives a share.
"""

from __future__ import annotations

import pytest

from tests.conftest import ingested_runtime

MILL = """---
title: Harrow mill to shut its dye works
outlet: The Brannock Herald
date: 2024-04-08
---

# Harrow mill to shut its dye works

The owners of the Harrow textile mill will shut its dye works in the autumn, mill director Oskar Venneby said on Monday.

"Jobs will be lost, and I will not pretend otherwise," Venneby said. "The dye works has not made money for years."

He said 140 jobs would go when the dye works closes in October.

Venneby said the mill would help workers who lose their jobs find new ones in the valley. "Nobody will be left without help to find work," he said.

Union organiser Petra Lusk said the loss of jobs would hit the whole valley. She said 600 families depend on the mill.

Venneby said the weaving floor would keep its jobs for now. "The looms stay," he said.
"""

STADIUM = """---
title: Stadium rebuild to go ahead
outlet: Saltmere Echo
date: 2024-05-02
---

# Stadium rebuild to go ahead

The Saltmere stadium will be rebuilt over two years, sports councillor Lene Eskelund said on Thursday.

"The renovation will pay for itself," Eskelund said. "It is the best thing this town has done in a decade."

Eskelund said the rebuild would save the town money on heating and repairs. She said it would cut the stadium's running costs by 30 percent.

Club chairman Mats Orrin said the rebuild would cost 48 million crowns.
"""


@pytest.fixture(scope="module")
def mill_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "mill", {"mill.md": MILL, "stadium.md": STADIUM}) as rt:
        yield rt


def ask(rt, question):
    return rt.answerer().invoke({"question": question}).to_dict()


def test_quantity_questions_parse():
    from bot.question import SpeakerIndex, parse_question
    from index.models import Speaker

    index = SpeakerIndex([Speaker(id="v", name="Oskar Venneby", role="mill director"),
                          Speaker(id="e", name="Lene Eskelund")])

    def parsed(text, previous=None):
        q = parse_question(text, index, previous=previous)
        return q.kind, [s.id for s in q.speakers], q.topic, q.measured

    assert parsed("How many jobs did Venneby say would be lost?") == (
        "quantity_said", ["v"], "jobs would be lost", "jobs")
    assert parsed("How many teaching jobs in the valley did the mill director say would go?") == (
        "quantity_said", ["v"], "teaching jobs in the valley would go", "teaching jobs")
    assert parsed("How many beds did the stadium renovation save, according to Eskelund?") == (
        "quantity_said", ["e"], "beds did the stadium renovation save", "beds")
    assert parsed("According to Eskelund, what share of the costs will the rebuild save?")[::3] == (
        "quantity_said", "percent")
    assert parsed("How much did he say the dye works lost?", previous=[index.by_id["v"]]) == (
        "quantity_said", ["v"], "the dye works lost", None)
    # no one named as the one who said it: a general question, as before
    assert parsed("How many jobs will be lost?")[0] == "general"
    assert parsed("How much did Ashcombe Rovers offer for the mill?")[0] == "general"


def test_counts_finds_a_number_of_the_asked_thing():
    from bot.relevance import counts

    assert counts("jobs", "He said 140 jobs would go.")
    assert counts("teaching jobs", "It will cut 140 new teaching posts.")
    assert counts("percent", "It would cut costs by 15% a year.")
    assert counts("percent", "It would cut costs by 15 per cent.")
    assert not counts("jobs", "She said 600 families depend on the mill.")
    assert not counts("jobs", "In 2023 the mill lost money on jobs.")


@pytest.mark.parametrize("question", [
    "How many jobs did Venneby say would be lost?",
    "How many jobs will go, according to Venneby?",
    "According to the mill director, how many jobs will go?",
])
def test_the_figure_the_speaker_gave_is_cited_first(mill_runtime, question):
    """The speaker's sentences on jobs without a number ("Jobs will be lost", "the weaving
    floor would keep its jobs") sound closer to the question than the one with the figure."""
    answer = ask(mill_runtime, question)
    assert answer["answered"] and answer["kind"] == "quantity_said", answer["answer"]
    first = answer["citations"][0]
    assert "140 jobs" in first["text"] and first["speaker"] == "Oskar Venneby", answer["citations"]


def test_a_share_the_speaker_gave_is_cited_first(mill_runtime):
    answer = ask(mill_runtime, "What share of the running costs did Eskelund say the rebuild would save?")
    assert answer["answered"], answer["answer"]
    assert "30 percent" in answer["citations"][0]["text"], answer["citations"]


def test_a_speaker_who_gave_no_figure_is_quoted_with_a_note(mill_runtime):
    answer = ask(mill_runtime, "How many jobs did Lusk say would be lost?")
    assert answer["answered"], answer["answer"]
    assert [c["text"] for c in answer["citations"]] == [
        "Union organiser Petra Lusk said the loss of jobs would hit the whole valley."]
    assert any(n.startswith("No statement by Petra Lusk found gives a figure") for n in answer["notes"])


def test_no_figure_and_nothing_on_it_is_refused_naming_what_was_asked(mill_runtime):
    answer = ask(mill_runtime, "How many beds did the stadium renovation save, according to Eskelund?")
    assert not answer["answered"]
    assert answer["answer"] == "The indexed articles don't record Lene Eskelund giving a number of beds."


# -- a figure that changed: its statement beside a vaguer one, dated ----------------------------

PIER_EARLY = """---
title: Council denies ignoring pier warnings
outlet: The Mirrow Post
date: 2029-09-03
---

Mirrow council has rejected claims that it ignored warnings about the old pier.

Hanne Solvik, the harbour engineer, said the repairs would take time. "We need at least ten weeks to shore up the pier," she said.

Councillor Aron Beck said he would ask for the 2025 survey to be published.
"""

PIER_LATE = """---
title: Pier will stay shut into the spring
outlet: Mirrow Radio News
date: 2029-09-10
---

The old pier in Mirrow will stay closed into the spring, the council admitted on Monday.

Harbour engineer Hanne Solvik said the work would now take fourteen weeks. "We found more rot in the piles," she said.
"""


@pytest.fixture(scope="module")
def pier_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "pier",
                          {"early.md": PIER_EARLY, "late.md": PIER_LATE}) as rt:
        yield rt


def test_a_figure_beside_the_statement_it_elaborates_is_given_with_the_later_one_dated(pier_runtime):
    """'Solvik said the repairs would take time. "We need at least ten weeks …," she said.':
    the quotation's words are far from "the repairs would take", its figure still answers."""
    answer = ask(pier_runtime, "How many weeks did Solvik say the repairs would take?")
    assert answer["kind"] == "quantity_said" and answer["answered"], answer["answer"]
    texts = [s["text"] for s in answer["statements"]]
    assert any("fourteen weeks" in t and t.startswith("Reported on 2029-09-10 in Mirrow Radio News: ") for t in texts)
    assert any("ten weeks" in t and t.startswith("Reported on 2029-09-03 in The Mirrow Post: ") for t in texts), texts


def test_a_changed_figure_is_a_change_of_position(pier_runtime):
    answer = ask(pier_runtime, "Has Solvik changed her position on how many weeks the repairs would take?")
    head = answer["statements"][0]["text"]
    assert head.startswith("Yes: what Hanne Solvik said about how many weeks the repairs would take changed "
                           "meaning (number: “ten”, then “fourteen”) between 2029-09-03 and 2029-09-10"), head


def test_a_pronoun_subject_leaves_the_counted_thing_unsaid():
    """"We need at least ten weeks": the subject is "we", not "need" and "least", so the
    figure pairs with "the work would now take fourteen weeks"."""
    from bot.claims import meaning_change

    assert meaning_change("We need at least ten weeks to shore up the pier", "the work would now take fourteen weeks")
    assert not meaning_change("The ferry needs ten weeks", "the bridge will need fourteen weeks")


def test_a_position_topic_asking_a_figure():
    from bot.question import quantity_topic

    assert quantity_topic("how many weeks the repairs would take") == ("weeks the repairs would take", "weeks")
    assert quantity_topic("how much the bridge would cost") == ("the bridge would cost", None)
    assert quantity_topic("the bridge") is None
