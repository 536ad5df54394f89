"""Questions that name a speaker by role: "What did the mayor say?", "Did the city engineer
say …?", "What did the secretary of state say?".

The articles are fictional: tests/data/bridge (Kestrel Falls: Mayor Dana Whitfield, her
brother Councillor Tom Whitfield, city engineer Marta Lindqvist, ferry operator chief Helga
Brandt, commuter group spokesman Yusuf Adeyemi) and tests/data/articles/harbour_vote.md
(Port Almer: Mayor Ilse Varga, Councillor Tomas Reyes).
"""

from __future__ import annotations

import pytest

from bot.question import SpeakerIndex, parse_question
from index.models import Speaker
from tests.conftest import DATA, ingested_runtime

PEOPLE = [
    Speaker("dana-whitfield", "Dana Whitfield", ["Whitfield", "Mayor Dana Whitfield"], "Mayor", "person"),
    Speaker("ilse-varga", "Ilse Varga", ["Varga", "Mayor Ilse Varga"], "Mayor", "person"),
    Speaker("tom-whitfield", "Tom Whitfield", ["Her brother, Councillor Tom Whitfield"], "Councillor", "person"),
    Speaker("petra-novak", "Petra Novak", ["Novak", "Valdoria’s president"], "Valdorian President", "person"),
    Speaker("ruth-amadi", "Ruth Amadi", ["Amadi"], "Secretary of State", "person"),
    Speaker("lena-marsh", "Lena Marsh", ["Lena Marsh, the Harbour Security Council spokeswoman"], None, "person"),
    Speaker("harbour-council", "Harbour Council", [], None, "organisation"),
    Speaker("karl-mayor", "Karl Mayor", ["Mayor"], "baker", "person"),
]


@pytest.fixture(scope="module")
def index():
    return SpeakerIndex(PEOPLE)


def _ids(speakers):
    return [s.id for s in speakers]


@pytest.mark.parametrize("phrase, expected", [
    ("the mayor", ["dana-whitfield", "ilse-varga"]),  # with "the", a role, though Karl Mayor is a Mayor
    ("Mayor", []),  # without, Karl Mayor
    ("the baker", ["karl-mayor"]),
    ("the councillors", ["tom-whitfield"]),
    ("Valdoria's president", ["petra-novak"]),
    ("the president of Valdoria", ["petra-novak"]),
    ("the Valdorian president", ["petra-novak"]),
    ("the secretary of state", ["ruth-amadi"]),
    ("the council spokeswoman", ["lena-marsh"]),
    ("the council spokesperson", ["lena-marsh"]),  # no gender asked: a spokeswoman or a spokesman
    ("the council spokesman", ["lena-marsh"]),  # no spokesman is described so: the spokeswoman
    ("the council", []),  # the head noun must be the role's: a spokesperson is not the council
    ("Harbour Council", []),  # an organisation's name
    ("Whitfield", []),
    ("the Whitfield", []),
    ("he", []),
    ("the brother", []),  # "brother" modifies the alias's head noun, "Councillor"
])
def test_role_phrases_find_the_people_described_so(index, phrase, expected):
    assert _ids(index.by_role(phrase)) == expected


def test_a_role_that_is_also_a_surname_needs_the_article():
    baker = Speaker("rose-baker", "Rose Baker", ["Baker"], "Mayor", "person")
    cook = Speaker("ann-cook", "Ann Cook", ["local baker Ann Cook"], "baker", "person")
    index = SpeakerIndex([baker, cook])
    assert _ids(index.by_role("the baker")) == ["ann-cook"]
    assert _ids(index.by_role("Baker")) == [] and _ids(index.find("Baker")) == ["rose-baker"]
    assert _ids(parse_question("What did the local baker say?", index).speakers) == ["ann-cook"]
    assert _ids(parse_question("What did Baker say?", index).speakers) == ["rose-baker"]


@pytest.mark.parametrize("text, kind, ids, role, quote, topic", [
    ("What did the councillor say?", "what_said", ["tom-whitfield"], "the councillor", None, None),
    ("What did the secretary of state say about the treaty?", "what_said", ["ruth-amadi"],
     "the secretary of state", None, "the treaty"),
    ("What has the president of Valdoria said?", "what_said", ["petra-novak"], "the president of Valdoria",
     None, None),
    ("Did the secretary of state say that taxes will rise?", "did_say", ["ruth-amadi"], "the secretary of state",
     "taxes will rise", None),
    ("Has the councillor said “the port is full” before?", "claim_history", ["tom-whitfield"], "the councillor",
     "the port is full", None),
    ("How did outlets report the councillor's quote about the port?", "claim_history", ["tom-whitfield"],
     "the councillor", None, "the port"),
    ("What did Whitfield say?", "what_said", ["dana-whitfield", "tom-whitfield"], None, None, None),
    ("What did Mayor Whitfield say?", "what_said", ["dana-whitfield"], None, None, None),
    ("What did Councillor Whitfield say about the bridge?", "what_said", ["tom-whitfield"], None, None,
     "the bridge"),
    ("What did Senator Whitfield say?", "what_said", ["dana-whitfield", "tom-whitfield"], None, None, None),
    ("What did the Harbour Council say?", "what_said", ["harbour-council"], None, None, None),
])
def test_questions_by_role_are_parsed_with_their_role(text, kind, ids, role, quote, topic):
    q = parse_question(text, SpeakerIndex([s for s in PEOPLE if s.id != "karl-mayor"]))
    assert (q.kind, _ids(q.speakers), q.role, q.quote, q.topic) == (kind, ids, role, quote, topic)


def test_a_dated_role_question_keeps_both(index):
    q = parse_question("What did the councillor say in June 2024?", index)
    assert q.role == "the councillor" and q.dates is not None and q.dates.since == "2024-06-01"


# -- answers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def roles_runtime(tmp_path_factory, embeddings, nlp):
    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "bridge").iterdir()}
    files["harbour_vote.md"] = (DATA / "articles" / "harbour_vote.md").read_text(encoding="utf-8")
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "roles", files) as rt:
        yield rt


def ask(rt, question, **kw):
    return rt.answerer().invoke({"question": question, **kw}).to_dict()


def test_what_did_the_mayor_say_answers_for_every_mayor_by_name(roles_runtime):
    answer = ask(roles_runtime, "What did the mayor say?")
    assert answer["answered"], answer["answer"]
    assert set(answer["speakers"]) == {"Dana Whitfield", "Ilse Varga"}, answer["speakers"]
    for statement in answer["statements"]:
        named = statement["text"].replace("[", "").replace("]", "")  # "[Dana] Whitfield told …"
        assert "Dana Whitfield" in named or "Ilse Varga" in named, statement["text"]
    assert any(n.startswith("“the mayor”: the indexed articles describe Dana Whitfield (Mayor) and Ilse Varga "
                            "(Mayor)") for n in answer["notes"]), answer["notes"]


def test_a_role_question_with_a_topic(roles_runtime):
    answer = ask(roles_runtime, "What did the mayor say about harbour fees?")
    assert answer["answered"] and answer["speakers"] == ["Ilse Varga"], answer
    assert "harbour fees" in answer["statements"][0]["text"]


def test_a_role_names_the_speaker_a_pronoun_sentence_leaves_out(roles_runtime):
    answer = ask(roles_runtime, "What did the city engineer say?")
    assert answer["speakers"] == ["Marta Lindqvist"]
    she = next(s for s in answer["statements"] if "the least we can do" in s["text"])
    # the pronoun that is the speaker is named in brackets ("She said" is not "X said: She said")
    assert she["text"].startswith("[Marta Lindqvist] said the limit"), she["text"]


def test_did_the_mayor_say_checks_against_every_mayor(roles_runtime):
    yes = ask(roles_runtime, "Did the mayor say “We will not ask fishermen to pay for this”?")
    assert yes["answer"].startswith("Yes: Ilse Varga said these words."), yes["answer"]
    other = ask(roles_runtime, "Did the mayor say “We have known about the cracks since 2021”?")
    assert other["answer"].startswith("No: the indexed articles attribute these words to Tom Whitfield, "
                                      "not the mayor."), other["answer"]


def test_a_role_nobody_has_is_still_refused(roles_runtime):
    answer = ask(roles_runtime, "What did the police chief say?")
    assert not answer["answered"]
    assert answer["answer"] == "The indexed articles don't record any statement by the police chief."


def test_the_follow_up_pronoun_refers_to_the_people_found_by_role(roles_runtime):
    answerer = roles_runtime.answerer()
    first = answerer.invoke({"question": "What did the ferry operator chief say?"})
    assert [s.name for s in first.speakers] == ["Helga Brandt"]
    again = answerer.invoke({"question": "What else did she say?", "previous_speakers": first.speakers,
                             "previously_cited": [c.sentence_id for c in first.citations]}).to_dict()
    assert again["answer"] == "The indexed articles don't record any other statement by Helga Brandt."
    mayor = answerer.invoke({"question": "What did the mayor say about harbour fees?"})
    then = answerer.invoke({"question": "What did she say about the port?", "previous_speakers": mayor.speakers})
    assert [s.name for s in then.speakers] == ["Ilse Varga"] and then.answered, then.to_dict()


# -- follow-ups: "he" and "she" -------------------------------------------------------------------


def test_speaker_gender_comes_from_descriptions_never_names():
    from index.speakers import speaker_gender

    assert speaker_gender(PEOPLE[2]) == "m"  # "Her brother, Councillor Tom Whitfield"
    assert speaker_gender(PEOPLE[5]) == "f"  # "…, the Harbour Security Council spokeswoman"
    assert speaker_gender(PEOPLE[0]) is None  # Mayor Dana Whitfield: the name says nothing
    both = Speaker("x", "Sam Reed", ["Mr. Sam Reed", "Ms. Sam Reed"], None, "person")
    assert speaker_gender(both) is None


def test_a_follow_up_pronoun_skips_the_speaker_of_the_other_gender(index):
    whitfields = [PEOPLE[0], PEOPLE[2]]  # Dana (gender not given), Tom (a brother)
    assert _ids(parse_question("What did he say about the bridge?", index, whitfields).speakers) == ["tom-whitfield"]
    assert _ids(parse_question("What else did she say?", index, whitfields).speakers) == ["dana-whitfield"]
    assert _ids(parse_question("What did they say?", index, whitfields).speakers) == ["dana-whitfield",
                                                                                     "tom-whitfield"]
    did = parse_question("Did she say “the bridge is safe”?", index, whitfields)
    assert did.kind == "did_say" and _ids(did.speakers) == ["dana-whitfield"] and did.claimed == "Dana Whitfield"
    # a pronoun that fits no one finds no one (the answer asks who is meant)
    assert parse_question("What did she say?", index, [PEOPLE[2]]).speakers == []


def test_genders_the_articles_give_are_stored_with_the_speaker(roles_runtime):
    stored = {s.name: s for s in roles_runtime.store.speakers()}
    assert stored["Tom Whitfield"].genders == ["m"]  # "Her brother, Councillor Tom Whitfield"
    assert stored["Dana Whitfield"].genders == []  # "Mayor Dana Whitfield" says nothing


def test_he_after_a_shared_surname_is_the_whitfield_the_articles_call_a_man(roles_runtime):
    answerer = roles_runtime.answerer()
    both = answerer.invoke({"question": "What did Whitfield say?"})
    assert {s.name for s in both.speakers} == {"Dana Whitfield", "Tom Whitfield"}
    he = answerer.invoke({"question": "What did he say?", "previous_speakers": both.speakers}).to_dict()
    assert he["answered"] and he["speakers"] == ["Tom Whitfield"], he
    assert all(c["speaker"] == "Tom Whitfield" for c in he["citations"])


def test_what_else_leaves_out_the_copies_of_what_was_shown(roles_runtime):
    answerer = roles_runtime.answerer()
    first = answerer.invoke({"question": "What did Whitfield say?"})  # five statements, Dana's and Tom's
    shown = {c.text for c in first.citations}
    again = answerer.invoke({"question": "What else did she say?", "previous_speakers": first.speakers,
                             "previously_cited": [c.sentence_id for c in first.citations]})
    assert again.answered and [s.name for s in again.speakers] == ["Dana Whitfield"], again.to_dict()
    assert not shown & {c.text for c in again.citations}, again.to_dict()  # not the other outlet's copies


# -- "How did outlets report X's quote about Y?": Y is a topic, not the quote's words ---------------


def test_outlets_report_a_quote_about_a_topic(roles_runtime):
    answer = ask(roles_runtime, "How did outlets report Marta Lindqvist's quote about the repair?")
    first = answer["statements"][0]["text"]
    assert first.startswith("Marta Lindqvist made this statement in 2 reports from 2 outlets"), first
    assert "4.2 million dollars (this wording changes the meaning: number)" in answer["answer"]
    by_role = ask(roles_runtime, "How did outlets report the mayor's quote about the bridge?")
    assert by_role["statements"][0]["text"].startswith("Dana Whitfield made this statement"), by_role["answer"]
    nothing = ask(roles_runtime, "How did outlets report Tom Whitfield's quote about the ferry?")
    assert nothing["answer"] == "The indexed articles don't record Tom Whitfield saying anything about the ferry."


def test_the_role_note_quotes_the_articles_description():
    dray = Speaker("colin-dray", "Colin Dray", ["Colin Dray, a spokesman for the Wend Valley water board", "Dray"],
                   "spokesman", "person")
    index = SpeakerIndex([dray])
    assert index.role_text("the water board spokesman", dray) == "a spokesman for the Wend Valley water board"
    assert index.role_text("the spokesman", dray) == "a spokesman for the Wend Valley water board"
    assert index.role_text("the mayor", dray) is None


def test_a_role_many_people_share_names_a_few_and_counts_the_rest():
    from bot.answer import ROLE_NOTE_PEOPLE, role_note

    mayors = [Speaker(f"m{i}", f"Ana Town{i}", [f"Mayor Ana Town{i}"], "Mayor", "person") for i in range(9)]
    index = SpeakerIndex(mayors)
    question = parse_question("What did the mayor say?", index)
    assert len(question.speakers) == 9
    note = role_note(question, index)
    assert note.count("(Mayor)") == ROLE_NOTE_PEOPLE and note.endswith(
        f"and {9 - ROLE_NOTE_PEOPLE} others so; each statement names its speaker."), note


def test_a_pronoun_subject_is_the_previous_speaker_though_a_name_follows(index):
    tom = [PEOPLE[2]]
    q = parse_question("What did he say about the mayor?", index, tom)
    assert (q.kind, _ids(q.speakers), q.topic) == ("what_said", ["tom-whitfield"], "the mayor")
    q = parse_question("What did he say about Dana Whitfield?", index, tom)
    assert _ids(q.speakers) == ["tom-whitfield"] and q.topic == "Dana Whitfield"


def test_a_pronoun_without_an_earlier_question_asks_who_is_meant(roles_runtime):
    answer = ask(roles_runtime, "What else did she say?")
    assert not answer["answered"]
    assert answer["answer"].startswith("Who is “she”? There is no earlier question"), answer["answer"]


def test_a_misspelt_name_is_refused_with_the_names_it_may_mean(roles_runtime):
    answer = ask(roles_runtime, "What did Helga Brant say?")
    assert answer["answer"] == ("The indexed articles don't record any statement by Helga Brant. "
                                "Did you mean Helga Brandt?")
    assert not answer["answered"]
    index = SpeakerIndex(PEOPLE)
    assert _ids(index.similar("Whitfeld")) == ["dana-whitfield", "tom-whitfield"]
    assert index.similar("Ostrander") == []


def test_an_organisation_named_shortly_includes_its_fuller_names():
    orgs = [Speaker("ministry", "ministry", [], None, "organisation"),
            Speaker("maritime-ministry", "maritime ministry", [], None, "organisation"),
            Speaker("harbour-council", "Harbour Council", [], None, "organisation")]
    index = SpeakerIndex(orgs + PEOPLE[:2])
    assert _ids(parse_question("What did the ministry say?", index).speakers) == ["ministry", "maritime-ministry"]
    assert _ids(parse_question("What did the maritime ministry say?", index).speakers) == ["maritime-ministry"]


def test_a_role_answer_does_not_repeat_a_name_the_sentence_gives(roles_runtime):
    answer = ask(roles_runtime, "What did the city engineer say?")
    texts = [s["text"] for s in answer["statements"]]
    assert any(t.startswith("Lindqvist added that she had recommended") for t in texts), texts
    assert not any(t.startswith("Marta Lindqvist said: Lindqvist") for t in texts), texts


def test_a_pronoun_the_previous_speaker_does_not_fit_asks_who_is_meant(roles_runtime):
    answerer = roles_runtime.answerer()
    tom = answerer.invoke({"question": "What did Tom Whitfield say?"})
    she = answerer.invoke({"question": "What did she say?", "previous_speakers": tom.speakers}).to_dict()
    assert not she["answered"]
    assert she["answer"] == ("Who is “she”? The earlier question was about Tom Whitfield, whom the articles do not "
                             "describe as “she”: ask about someone by name.")


def test_a_gendered_role_prefers_people_described_with_it():
    people = [Speaker("ann", "Ann Odde", ["Ann Odde, a spokeswoman for the ministry"], None, "person"),
              Speaker("karl", "Karl Odde", ["Karl Odde, a spokesman for the ministry"], None, "person")]
    index = SpeakerIndex(people)
    assert _ids(index.by_role("the spokeswoman")) == ["ann"]
    assert _ids(index.by_role("the spokesman")) == ["karl"]
    assert _ids(index.by_role("the spokesperson")) == ["ann", "karl"]


# -- descriptions ----------------------------------------------------------------------------------

DESCRIBED = {
    "named.md": "---\ntitle: Mayor backs Orrin Bridge\noutlet: The Lune Gazette\ndate: 2024-01-15\n---\n\n"
                "Mayor Cedric Holmgard said on Monday that he fully supports the Orrin Bridge.\n",
    "unnamed.md": "---\ntitle: Ferry to replace bridge plan\noutlet: The Lune Post\ndate: 2024-06-02\n---\n\n"
                  "The mayor said on Sunday that the Orrin Bridge was dead in the water.\n\n"
                  "\"A ferry is cheaper and greener,\" the mayor said.\n",
    "board.md": "---\ntitle: Board cuts bus routes\noutlet: The Lune Post\ndate: 2024-05-20\n---\n\n"
                "The Ferncastle school board voted 5-2 on Thursday to cut three rural bus routes, a move its "
                "chair said would save 310,000 crowns a year.\n\n\"Nobody on this board wanted to do this,\" "
                "board chair Oona Marchetti said after the vote.\n",
}


@pytest.fixture(scope="module")
def described_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "described", DESCRIBED) as rt:
        yield rt


def test_a_mayor_the_article_never_names_is_the_mayor_asked_about(described_runtime):
    """ "The mayor said" with no mayor named stays a description with that role: a question
    about the mayor finds it, and the answer reads "the mayor", not "mayor"."""
    answer = ask(described_runtime, "Did the mayor say “the Orrin Bridge was dead in the water”?")
    assert answer["answer"].startswith("Yes: the mayor said these words."), answer["answer"]


def test_a_description_named_later_is_that_person(described_runtime):
    answer = ask(described_runtime, "Who said the cuts would save 310,000 crowns a year?")
    assert answer["answered"] and "Oona Marchetti" in answer["answer"], answer["answer"]
    assert "its chair" not in answer["answer"]
