"""Answers over reports that disagree, topic questions and changed positions.

The articles are fictional (Haverlund's Orrin ferry): the Haverlund Herald's March story,
a copy of it a day later in the Coastline Wire with "will not stop" made "will stop" and
"3.1" made "1.3" million, a June story in which the mayor reverses her promise, and a
school-board story in which the chair's quotations carry their own "she said".
"""

from __future__ import annotations

import pytest

from tests.conftest import ingested_runtime

HERALD = """---
title: Mayor says Orrin ferry will keep running through winter
outlet: Haverlund Herald
date: 2024-03-04
---

Mayor Agnes Tollund said on Monday that the Orrin ferry will keep running through the winter, despite new damage found on its hull.

"The ferry is sound, and we will not stop it before the spring," Tollund said at a packed harbour meeting. She added that repairs would cost about 3.1 million crowns.

Harbour master Pieter Maas said the damage was "being watched closely" but was not yet a danger to passengers.

"We inspect the hull every two weeks," Maas said. "If anything changes, the mayor will be the first to know."

Runa Dahl, a fisher, told the Herald that stopping the ferry would add two hours to every trip to the market. "It would ruin us," she said.

Tollund also said the council had no plans to raise the ferry fare this year.
"""

WIRE = (HERALD.replace("we will not stop it", "we will stop it").replace("3.1 million", "1.3 million")
        .replace("outlet: Haverlund Herald", "outlet: Coastline Wire").replace("2024-03-04", "2024-03-05")
        .replace("title: Mayor says Orrin ferry will keep running through winter",
                 "title: Orrin ferry to keep running, mayor says"))

POST = """---
title: Orrin ferry stops after hull inspection
outlet: Haverlund Post
date: 2024-06-12
---

The Orrin ferry will stop running from Friday, Mayor Agnes Tollund announced on Tuesday, reversing her promise in March to keep it running through the winter.

"The ferry is not sound, and we have no choice but to stop it now," Tollund told reporters outside the harbour office.

Tollund said the council would raise the ferry fare next year to pay for the repairs.
"""

SCHOOLS = """---
title: Haverlund school board cuts two bus routes
outlet: Haverlund Post
date: 2024-05-20
---

The Haverlund school board voted 4-3 on Thursday to cut two rural bus routes, a move its chair said would save 200,000 crowns a year.

Board chair Ilse Okonjo later told the Post that she expected some families to drive their children to school instead. "We know it is a burden," she said.

Parent Jonas Fehr said the cuts were unfair to families outside the town.
"""


@pytest.fixture(scope="module")
def ferry_runtime(tmp_path_factory, embeddings, nlp):
    articles = {"herald.md": HERALD, "wire.md": WIRE, "post.md": POST, "schools.md": SCHOOLS}
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "ferry", articles) as rt:
        yield rt


def ask(rt, question, **kw):
    return rt.answerer().invoke({"question": question, **kw}).to_dict()


def _outlets(answer, statement):
    by_n = {c["n"]: c for c in answer["citations"]}
    return {by_n[n]["outlet"] for n in statement["citations"]}


# -- 1. an altered copy does not count as much as the first report -------------------------------


def test_did_say_the_altered_copy_is_not_a_plain_yes(ferry_runtime):
    answer = ask(ferry_runtime, "Did Tollund say the repairs would cost 1.3 million crowns?")
    first, note = answer["statements"][0], answer["statements"][1]
    assert first["text"].startswith("Not as first reported: the first report, Haverlund Herald (2024-03-04)"), first
    assert "(number)" in first["text"] and _outlets(answer, first) == {"Haverlund Herald"}
    assert not answer["answer"].startswith("Yes")
    assert "Coastline Wire (2024-03-05) has the wording asked about" in note["text"], note
    assert "Haverlund Herald (2024-03-04, the first report) has “that repairs would cost about 3.1 million" in note["text"]
    assert _outlets(answer, note) == {"Haverlund Herald", "Coastline Wire"}
    differ = answer["verdict"]["reports_differ"]
    assert differ["first_report"]["outlet"] == "Haverlund Herald" and not differ["first_report_has_the_words"]


def test_did_say_the_first_reports_words_is_yes_with_the_difference_named(ferry_runtime):
    answer = ask(ferry_runtime, "Did Tollund say the repairs would cost 3.1 million crowns?")
    first, note = answer["statements"][0], answer["statements"][1]
    assert first["text"].startswith("Yes, as first reported: the first report, Haverlund Herald (2024-03-04)"), first
    assert "other reports differ" in first["text"]
    assert "Coastline Wire (2024-03-05) has “that repairs would cost about 1.3 million crowns” (number)" in note["text"]


def test_what_said_notes_reports_that_disagree_on_the_statement(ferry_runtime):
    answer = ask(ferry_runtime, "What did Tollund say about stopping the ferry before the spring?")
    stopping = [s for s in answer["statements"] if "stop it before the spring" in s["text"]]
    assert len(stopping) == 1, [s["text"] for s in answer["statements"]]  # the copy is on the note, not listed again
    text = stopping[0]["text"]
    assert "Reports of this statement differ: Haverlund Herald (2024-03-04, the first report) has these words" in text
    assert "Coastline Wire (2024-03-05) has “The ferry is sound, and we will stop it before the spring” (negation)" \
        in text
    assert _outlets(answer, stopping[0]) == {"Haverlund Herald", "Coastline Wire"}


def test_split_reports_needs_a_change_of_meaning():
    from bot.reports import split_reports
    from bot.claims import Claim, ClaimAppearance

    def appearance(aid, text, date, outlet):
        return ClaimAppearance(aid, f"art-{aid}", f"art-{aid}:1", [f"art-{aid}:1"], text, "direct", outlet, None,
                               date, None)

    herald = appearance("a", "we will not stop it before the spring", "2024-03-04", "Herald")
    same = appearance("b", "We will not stop it before the spring", "2024-03-05", "Wire")
    claim = Claim("c", "s", "Agnes Tollund", [herald, same], herald, None)
    assert split_reports(claim, {"art-a:1"}) is None
    changed = appearance("c", "we will stop it before the spring", "2024-03-05", "Gazette")
    claim.appearances.append(changed)
    split = split_reports(claim, {"art-c:1"})
    assert split is not None and not split.first_agrees and split.first is herald
    assert [a for a, _ in split.differ] == [herald, same]
    # a denial reported earlier is no report of the words: the first report is the Herald's
    denial = appearance("d", "we will not stop it before the spring", "2024-03-01", "Courier")
    denial.stance = "denied"
    claim.appearances.insert(0, denial)
    split = split_reports(claim, {"art-a:1"})
    assert split.first is herald and split.first_agrees and [a for a, _ in split.differ] == [changed]


# -- 2. topic questions and a changed position -------------------------------------------------------


def test_what_has_been_said_about_a_topic_is_no_speaker_called_been(ferry_runtime):
    answer = ask(ferry_runtime, "What has been said about the ferry fare?")
    assert answer["kind"] == "topic_said" and answer["answered"], answer["answer"]
    assert "been" not in answer["answer"].split()
    assert any("fare" in c["text"] and c["speaker"] == "Agnes Tollund" for c in answer["citations"])


def test_a_topic_answer_notes_reports_that_disagree_too(ferry_runtime):
    answer = ask(ferry_runtime, "What was said about stopping the ferry before the spring?")
    stopping = [s for s in answer["statements"] if "stop it before the spring" in s["text"]]
    assert len(stopping) == 1 and "Reports of this statement differ: " in stopping[0]["text"], answer["answer"]
    assert _outlets(answer, stopping[0]) == {"Haverlund Herald", "Coastline Wire"}


def test_who_talked_about_a_topic_finds_statements_about_it(ferry_runtime):
    answer = ask(ferry_runtime, "Who talked about the fare?")
    assert answer["answered"], answer["answer"]
    assert all("fare" in c["text"] for c in answer["citations"]), answer["citations"]
    assert "Tollund" in answer["answer"]
    refused = ask(ferry_runtime, "Who spoke about the lighthouse?")
    assert not refused["answered"]
    assert refused["answer"] == "The indexed articles don't record anyone saying anything about the lighthouse."


def test_changed_position_lists_statements_earliest_first_and_says_the_meaning_changed(ferry_runtime):
    answer = ask(ferry_runtime, "Has Tollund changed her position on the ferry?")
    assert answer["kind"] == "position_change" and answer["answered"], answer["answer"]
    head = answer["statements"][0]["text"]
    assert head.startswith("Yes: what Agnes Tollund said about the ferry changed meaning"), head
    assert "between 2024-03-04 and 2024-06-12" in head
    by_n = {c["n"]: c for c in answer["citations"]}
    dates = [by_n[s["citations"][0]]["date"] for s in answer["statements"][1:]]
    assert dates == sorted(dates) and dates[0] == "2024-03-04" and dates[-1] == "2024-06-12", dates
    assert all(s["text"].startswith("Reported on ") for s in answer["statements"][1:])


def test_unchanged_position_says_so(ferry_runtime):
    answer = ask(ferry_runtime, "Has Maas changed his mind about the hull?")
    assert answer["kind"] == "position_change" and answer["answered"], answer["answer"]
    assert answer["statements"][0]["text"].startswith("No change of meaning is found in what Pieter Maas said")


def test_changed_position_questions_parse():
    from bot.question import SpeakerIndex, parse_question
    from index.models import Speaker

    index = SpeakerIndex([Speaker(id="t", name="Agnes Tollund"), Speaker(id="m", name="Pieter Maas")])
    q = parse_question("Has Agnes Tollund changed position on the Orrin ferry?", index)
    assert (q.kind, [s.id for s in q.speakers], q.topic) == ("position_change", ["t"], "the Orrin ferry")
    q = parse_question("Did she change her mind about the fare?", index, previous=[index.by_id["t"]])
    assert (q.kind, [s.id for s in q.speakers], q.topic) == ("position_change", ["t"], "the fare")
    q = parse_question("What was said about the bus routes?", index)
    assert (q.kind, q.speakers, q.topic) == ("topic_said", [], "the bus routes")


# -- 3. a follow-up's pronoun after several speakers ----------------------------------------------


def test_she_after_two_speakers_is_the_one_the_articles_call_she(ferry_runtime):
    answerer = ferry_runtime.answerer()
    first = answerer.invoke({"question": "What did Maas and Dahl say?"})
    assert {s.name for s in first.speakers} == {"Pieter Maas", "Runa Dahl"}
    she = answerer.invoke({"question": "What did she say?", "previous_speakers": first.speakers}).to_dict()
    assert she["answered"] and she["speakers"] == ["Runa Dahl"], she["answer"]
    assert {c["speaker"] for c in she["citations"]} == {"Runa Dahl"}
    he = answerer.invoke({"question": "What did he say?", "previous_speakers": first.speakers}).to_dict()
    assert he["speakers"] == ["Pieter Maas"], he["answer"]  # the articles call Dahl "she", never "he"


def test_a_pronoun_several_previous_speakers_may_be_asks_who_is_meant(ferry_runtime):
    answerer = ferry_runtime.answerer()
    first = answerer.invoke({"question": "What did Maas and Fehr say?"})
    assert {s.name for s in first.speakers} == {"Pieter Maas", "Jonas Fehr"}
    she = answerer.invoke({"question": "What else did she say?", "previous_speakers": first.speakers}).to_dict()
    assert not she["answered"] and she["answer"].startswith("Who is “she”? The earlier question was about "), she
    assert "do not say which of them" in she["answer"]


# -- 4. a title narrows a shared surname though "the mayor" is a speaker too ------------------------


def test_a_title_narrows_a_shared_surname_when_an_unnamed_mayor_is_also_a_speaker():
    from bot.question import SpeakerIndex, parse_question
    from index.models import Speaker

    people = [Speaker(id="ola-brenn", name="Ola Brenn", aliases=["Brenn", "Mayor Ola Brenn"], role="Mayor",
                      kind="person"),
              Speaker(id="kari-brenn", name="Kari Brenn", aliases=["Brenn", "Kari Brenn, chair of the guild"],
                      role="chair", kind="person"),
              # "The mayor said …" with no name: a speaker called "mayor"
              Speaker(id="mayor", name="mayor", aliases=[], role=None, kind="unknown")]
    index = SpeakerIndex(people)
    q = parse_question("What did Mayor Brenn say about jobs?", index)
    assert [s.id for s in q.speakers] == ["ola-brenn"], q
    q = parse_question("What did Brenn say about jobs?", index)
    assert {s.id for s in q.speakers} == {"ola-brenn", "kari-brenn"}


# -- 5. the speaker filter applies to a question about someone else --------------------------------


def test_the_speaker_filter_applies_to_a_question_naming_someone_else(ferry_runtime):
    from bot.retrieve import Filters

    maas = ferry_runtime.speaker_index().find("Pieter Maas")[0]
    only = Filters(speaker_ids=[maas.id])
    answer = ask(ferry_runtime, "Did Tollund say the repairs would cost 3.1 million crowns?", filters=only)
    assert not answer["answered"] and answer["answer"].startswith(
        "The question asks about Agnes Tollund, outside the speaker filter (only statements by Pieter Maas)")
    assert answer["notes"] == ["Only statements by Pieter Maas (the speaker filter)."]
    his = ask(ferry_runtime, "What did Maas say?", filters=only)
    assert his["answered"] and "Only statements by Pieter Maas (the speaker filter)." in his["notes"]


# -- 6. wording: a sentence that names its speaker by pronoun; a name read in another spelling ------


def test_a_pronoun_speaker_is_named_in_brackets_not_twice(ferry_runtime):
    answer = ask(ferry_runtime, "What did Okonjo say?")
    texts = [s["text"] for s in answer["statements"]]
    assert "“We know it is a burden,” [Ilse Okonjo] said." in [t.replace('"', "“", 1).replace('"', "”", 1)
                                                                 for t in texts], texts
    assert not any(t.startswith("Ilse Okonjo said:") for t in texts), texts
    # the lede's "its chair" is Okonjo: named after the description, not before the sentence
    assert any("a move its chair [Ilse Okonjo] said would save" in t for t in texts), texts
    repairs = ask(ferry_runtime, "What did Tollund say about the repairs?")
    assert any(s["text"].startswith("[Agnes Tollund] added that repairs would cost about ")
               for s in repairs["statements"]), [s["text"] for s in repairs["statements"]]
    by_n = {c["n"]: c for c in repairs["citations"]}
    assert any(c["text"].startswith("She added that repairs") for c in by_n.values())  # cited verbatim


def test_a_name_read_in_the_articles_spelling_is_noted(ferry_runtime):
    answer = ask(ferry_runtime, "What did Tolund say?")
    assert answer["answered"] and answer["speakers"] == ["Agnes Tollund"]
    assert "“Tolund” is read as Agnes Tollund, as the articles spell it." in answer["notes"]
    exact = ask(ferry_runtime, "What did Tollund say?")
    assert not any("is read as" in n for n in exact["notes"])


def test_a_story_headed_with_the_topic_vouches_for_its_speakers_statements(ferry_runtime):
    # "the cuts were unfair" is about the bus routes only through its story's headline
    answer = ask(ferry_runtime, "What has been said about the bus routes?")
    assert answer["answered"], answer["answer"]
    assert any("Jonas Fehr said the cuts were unfair" in c["text"] for c in answer["citations"])
    assert all(c["title"] == "Haverlund school board cuts two bus routes" for c in answer["citations"])
