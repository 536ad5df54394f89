"""Answers a fact-checker can trust: the claim that keeps the quoted meaning, repeats merged
into one statement, dates in the question, plain who-questions, shared surnames.

The articles in tests/data/bridge are fictional (Kestrel Falls' Old Mill bridge): the same
May report from two outlets (the Herald's under its own headline, with the repair cost
given differently), a June follow-up where the mayor says the opposite, and a February
ferry-fare report.
"""

from __future__ import annotations

import pytest

from bot.question import DateRange, SpeakerIndex, find_dates, parse_question
from bot.retrieve import Filters
from index.models import Speaker
from tests.conftest import DATA, ingested_runtime

ARTICLES = DATA / "bridge"


@pytest.fixture(scope="module")
def bridge_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "bridge", ARTICLES) as rt:
        yield rt


def ask(rt, question, **kw):
    return rt.answerer().invoke({"question": question, **kw}).to_dict()


def _cited_dates(answer):
    return {c["date"] for c in answer["citations"]}


# -- 1. "has X said … before?" picks the claim that keeps the meaning ---------------------------


def test_claim_history_prefers_the_claim_that_keeps_the_meaning(bridge_runtime):
    answer = ask(bridge_runtime, "Has Dana Whitfield said the bridge is safe before?")
    first = answer["statements"][0]["text"]
    assert answer["answered"] and first.startswith("Dana Whitfield made this statement"), first
    assert "first seen 2024-05-02" in first and "not safe" not in answer["answer"]
    assert "2024-06-18" not in _cited_dates(answer)


def test_claim_history_with_only_an_opposite_claim_says_so(bridge_runtime):
    answer = ask(bridge_runtime, "Has Tom Whitfield said “We have known about the cracks since 2019” before?")
    first = answer["statements"][0]["text"]
    assert first.startswith("No: the indexed articles don't record Tom Whitfield saying this"), first
    assert "something different (number)" in first and "made this statement" not in answer["answer"]


def test_claims_for_quote_ranks_a_changed_meaning_last(bridge_runtime, embeddings):
    from bot.claims import claims_for_quote

    dana = bridge_runtime.speaker_index().find("Dana Whitfield")[0].id
    claims = claims_for_quote(bridge_runtime.store, dana, "the bridge is safe", embeddings)
    assert len(claims) >= 2
    assert "The bridge is safe" in claims[0].text and not claims[0].quote_changes
    opposite = next(c for c in claims if "not safe" in c.text)
    assert opposite.quote_changes and opposite.quote_changes[0].startswith("negation")


# -- 2. repeats: one statement carrying every citation ------------------------------------------


def test_repeated_sentences_merge_and_the_cap_counts_distinct_statements(bridge_runtime):
    answer = ask(bridge_runtime, "What did Marta Lindqvist say?")
    texts = [s["text"] for s in answer["statements"]]
    assert len(texts) == len(set(texts)), texts
    assert any("three millimetres" in t for t in texts), texts  # the June statement is not crowded out
    weight = next(s for s in answer["statements"] if "weight limit of ten tonnes" in s["text"])
    by_n = {c["n"]: c for c in answer["citations"]}
    assert {by_n[n]["outlet"] for n in weight["citations"]} == {"The Kestrel Courier", "Valley Herald"}
    assert all(by_n[n]["text"] == by_n[weight["citations"][0]]["text"] for n in weight["citations"])


def test_same_text_ignores_spacing_case_and_quotation_marks():
    from bot.answer import same_text

    assert same_text('She said the limit was "the least we can do.') == same_text(
        "She  said the limit was “the least we can do.”")
    assert same_text("The repair will cost 4.8 million") != same_text("The repair will cost 4.2 million")


def test_a_merged_citation_is_checked_against_its_own_sentence():
    from types import SimpleNamespace

    from bot.answer import AnswerBuilder
    from bot.retrieve import ScoredSentence
    from index.store import SentenceRecord

    def hit(article, n):
        sentence = SentenceRecord(id=f"{article}:{n}", article_id=article, n=n, start=0, end=19,
                                  text="The bridge is safe.", paragraph=0)
        return ScoredSentence(sentence, SimpleNamespace(title="t", outlet=article, date=None, url=None),
                              1.0, 0.0, 0.0)

    builder = AnswerBuilder("extractive")
    first = builder.add("The bridge is safe.", [(hit("a", 0), "Dana Whitfield")])
    builder.add("The bridge is  safe.", [(hit("b", 0), "Dana Whitfield")])
    assert builder.merge_last() is first
    assert first.citations == [1, 2] and [c.article_id for c in first.sources] == ["a", "b"]
    assert len(builder.statements) == 1


# -- 3. dates in the question -------------------------------------------------------------------


@pytest.mark.parametrize("question, since, until", [
    ("What did Dana Whitfield say in June 2024?", "2024-06-01", "2024-06-30"),
    ("What did Whitfield say in 2024?", "2024-01-01", "2024-12-31"),
    ("What did Whitfield say about the bridge since March 2024?", "2024-03-01", None),
    ("What did Whitfield say before 5 May 2024?", None, "2024-05-04"),
    ("What did Whitfield say after June 2024?", "2024-07-01", None),
    ("What did Whitfield say between March and May 2024?", "2024-03-01", "2024-05-31"),
    ("What did Whitfield say on 2 May 2024?", "2024-05-02", "2024-05-02"),
    ("What did Whitfield say on May 2, 2024?", "2024-05-02", "2024-05-02"),
    ("What was said on 2024-05-02?", "2024-05-02", "2024-05-02"),
    ("Did Whitfield say in June 2024 that the bridge was safe?", "2024-06-01", "2024-06-30"),
    ("Who said in 2024 that the bridge was safe?", "2024-01-01", "2024-12-31"),
    ("Did Whitfield say “the bridge is safe” in May 2024?", "2024-05-01", "2024-05-31"),
])
def test_date_expressions_become_a_range(question, since, until):
    dates, rest = find_dates(question)
    assert dates == DateRange(since, until)
    assert not any(ch.isdigit() for ch in rest), rest


@pytest.mark.parametrize("question", [
    "How many nurses have left the profession since 2021?",  # content, not when it was said
    "Did Whitfield say “we will close it in July 2024”?",  # quoted words are what was said
    "What did Whitfield say last week?",  # relative dates are not read
    "What did Whitfield say on 31 February 2024?",
    # the unquoted words a did- or who-question asks about are what was said
    "Did Tom Whitfield say the council had known about the cracks since 2021?",
    "Who said the cracks had been known since 2021?",
])
def test_no_date_range_where_none_is_meant(question):
    assert find_dates(question) == (None, question)


def test_the_question_without_its_dates_keeps_its_topic():
    index = SpeakerIndex([Speaker(id="dw", name="Dana Whitfield")])
    q = parse_question("What did Dana Whitfield say about the bridge in June 2024?", index)
    assert q.kind == "what_said" and q.topic == "the bridge" and q.dates == DateRange("2024-06-01", "2024-06-30")


def test_a_date_in_the_question_filters_and_is_stated(bridge_runtime):
    answer = ask(bridge_runtime, "What did Dana Whitfield say in June 2024?")
    assert answer["answered"] and _cited_dates(answer) == {"2024-06-18"}
    assert any("between 2024-06-01 and 2024-06-30" in n for n in answer["notes"])


def test_a_date_range_with_nothing_in_it_says_so(bridge_runtime):
    answer = ask(bridge_runtime, "What did Dana Whitfield say in March 2024?")
    assert not answer["answered"] and answer["citations"] == []
    assert answer["answer"] == ("The indexed articles don't record any statement by Dana Whitfield "
                                "between 2024-03-01 and 2024-03-31.")


def test_question_dates_combine_with_the_filters(bridge_runtime):
    answer = ask(bridge_runtime, "What did Dana Whitfield say since May 2024?", filters=Filters(until="2024-05-31"))
    assert answer["answered"] and _cited_dates(answer) <= {"2024-05-02", "2024-05-03"}
    assert any("between 2024-05-01 and 2024-05-31" in n for n in answer["notes"])
    empty = ask(bridge_runtime, "What did Dana Whitfield say in June 2024?", filters=Filters(until="2024-05-31"))
    assert not empty["answered"] and empty["citations"] == []
    assert "between 2024-06-01 and 2024-06-30, outside the date filter (until 2024-05-31)" in empty["answer"]


# -- 4. a plain who-question names the speaker ---------------------------------------------------


def test_an_unquoted_who_question_is_not_a_quote_check():
    q = parse_question("Who called the fare rise a slap in the face?", SpeakerIndex([]))
    assert q.kind == "who_said" and q.quote is None and q.topic == "the fare rise a slap in the face"
    quoted = parse_question("Who said “a slap in the face”?", SpeakerIndex([]))
    assert quoted.quote == "a slap in the face" and quoted.topic is None


def test_who_called_it_names_the_speaker_with_the_citation(bridge_runtime):
    answer = ask(bridge_runtime, "Who called the fare rise a slap in the face?")
    assert answer["answered"] and answer["kind"] == "who_said"
    assert "Yusuf Adeyemi" in answer["answer"] and "Not in these words" not in answer["answer"]
    assert [c["speaker"] for c in answer["citations"]] == ["Yusuf Adeyemi"]
    assert "slap in the face" in answer["citations"][0]["text"]


@pytest.mark.parametrize("question", ["Who called the fare rise fair?", "Who called the bridge repairs a scandal?"])
def test_who_called_it_refuses_what_nobody_said(bridge_runtime, question):
    answer = ask(bridge_runtime, question)
    assert not answer["answered"] and answer["citations"] == []


def test_an_unquoted_who_question_still_reports_a_changed_meaning(bridge_runtime):
    answer = ask(bridge_runtime, "Who said that fares would rise by 20 percent?")
    assert answer["verdict"]["verdict"] == "altered" and answer["verdict"]["speaker"] == "Helga Brandt"
    assert "number" in answer["answer"]


# -- 5. a surname two speakers share --------------------------------------------------------------


def test_a_shared_surname_names_each_speaker_in_full_and_says_so(bridge_runtime):
    answer = ask(bridge_runtime, "What did Whitfield say?")
    assert answer["answered"] and set(answer["speakers"]) == {"Dana Whitfield", "Tom Whitfield"}
    for statement in answer["statements"]:
        named = statement["text"].replace("[", "").replace("]", "")  # "[Dana] Whitfield told …"
        assert "Dana Whitfield" in named or "Tom Whitfield" in named, statement["text"]
    assert any("may be Dana Whitfield or Tom Whitfield" in n for n in answer["notes"])
    # the quotation's own "Whitfield" gets the forename in brackets, as an editor would
    # write it, rather than "Dana Whitfield said: “…,” Whitfield told reporters"
    texts = [s["text"] for s in answer["statements"]]
    assert any(t.startswith("\"The bridge is safe") and "[Dana] Whitfield told reporters" in t for t in texts), texts
    assert not any(" said: " in t for t in texts), texts
    one = ask(bridge_runtime, "What did Dana Whitfield say?")
    assert one["speakers"] == ["Dana Whitfield"] and not any("may be" in n for n in one["notes"])


def test_a_year_inside_the_words_asked_about_does_not_filter(bridge_runtime):
    answer = ask(bridge_runtime, "Did Tom Whitfield say they had known about the cracks since 2021?")
    assert answer["answer"].startswith("Yes"), answer["answer"]
    assert not any("Only statements in articles dated" in n for n in answer["notes"])


@pytest.mark.parametrize("question, unread", [
    ("What did Dana Whitfield say in May?", "“in May”"),
    ("What did Tom Whitfield say last week?", "“last week”"),
])
def test_when_words_the_answer_cannot_read_are_said_to_be_ignored(bridge_runtime, question, unread):
    answer = ask(bridge_runtime, question)
    assert answer["answered"]
    assert any(n.startswith(f"Not read as dates: {unread}") for n in answer["notes"]), answer["notes"]
    dated = ask(bridge_runtime, "What did Dana Whitfield say in May 2024?")
    assert not any(n.startswith("Not read as dates") for n in dated["notes"])


def test_unquoted_words_asked_about_are_never_put_in_quotation_marks(bridge_runtime):
    answer = ask(bridge_runtime, "Who said the council had ignored two engineering reports?")
    assert answer["answer"].startswith("Tom Whitfield said this."), answer["answer"]
    assert "“the council had ignored" not in answer["answer"]


def test_the_sentences_of_one_quotation_are_one_statement(bridge_runtime):
    answer = ask(bridge_runtime, "What did Helga Brandt say?")
    joined = next(s for s in answer["statements"] if "no other choice" in s["text"])
    assert joined["text"] == "“We have no other choice,” Brandt said. “Fuel costs have doubled.”", joined
    assert len(joined["citations"]) == 2
    assert not any(s["text"].startswith("Helga Brandt said: “Fuel costs") for s in answer["statements"])


def test_an_answer_cut_at_five_statements_says_more_are_recorded(bridge_runtime):
    answer = ask(bridge_runtime, "What did Whitfield say?")  # Dana's and Tom's: more than five
    assert len(answer["statements"]) == 5
    assert any(n.startswith("More statements are recorded than the 5 shown") for n in answer["notes"])
    few = ask(bridge_runtime, "What did Helga Brandt say?")
    assert not any(n.startswith("More statements") for n in few["notes"])


def test_a_title_vouches_only_where_no_statement_names_the_topic(bridge_runtime):
    # "Ferry fares to rise in March": Brandt names the fares in one statement, so her
    # other statements in that story ("We have no other choice") are not cited for fares
    answer = ask(bridge_runtime, "What did Helga Brandt say about fares?")
    assert answer["answered"]
    assert all("fare" in c["text"].lower() for c in answer["citations"]), [c["text"] for c in answer["citations"]]


def test_a_description_that_speaks_starts_its_statement_with_a_capital():
    from bot.answer import render_statement

    spokesperson = Speaker(id="sp", name="the harbour board's spokesperson", kind="person")
    assert render_statement("“Fares will rise.”", spokesperson) == \
        "The harbour board's spokesperson said: “Fares will rise.”"
    assert render_statement("“Fares will rise.”", Speaker(id="x", name="Odile Farrow")) == \
        "Odile Farrow said: “Fares will rise.”"
