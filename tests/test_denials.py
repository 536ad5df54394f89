"""Denials and refusals are never "X said it": stance of attributions, non-statements,
the quote check's verdict, the yes/no answer and the claims list.

Speakers, places and outlets are fictional; the seed article is used as it is.
"""

from __future__ import annotations

import json

import pytest

from bot.check import QuoteChecker
from bot.claims import VERDICT_DENIED, build_claims
from index.attribute import extract
from index.furniture import find_furniture
from index.models import Article
from index.sentences import split_sentences
from index.store import _attribution_item
from tests.conftest import ingested_runtime

ARTICLE = """---
title: Kestrel Falls budget row
outlet: Kestrel Courier
date: 2031-03-04
---

School superintendent Oren Falk denied that the district would cut teacher pay.

Board member Kofi Mensah rejected claims that the budget was balanced.

Treasurer Elsa Varn refused to say whether layoffs were planned.

Mayor Dana Whitfield, while ruling out a new property tax, warned that the library would close early.

A spokesperson for Mayor Dana Whitfield declined to comment.

Asked whether the library would reopen in May, board chair Ingrid Solberg said: "Absolutely."
"""


def run(nlp, text: str):
    article = Article(id="t", text=text, content_hash="x", furniture=find_furniture(text))
    doc = nlp(text)
    return extract(doc, article, split_sentences(article, doc)).attributions


# ------------------------------------------------------------------ extraction


@pytest.mark.parametrize(("sentence", "cue", "stance", "content"), [
    # construction: a verb of denial with a clause ("denied that ...")
    ("Superintendent Oren Falk denied that the district would cut teacher pay.", "denied", "denied",
     "that the district would cut teacher pay"),
    # construction: a verb of denial with a noun phrase ("rejected claims that ...")
    ("Board member Kofi Mensah rejected claims that the budget was balanced.", "rejected", "denied",
     "claims that the budget was balanced"),
    # construction: phrasal verb of denial in a participle clause ("while ruling out ...")
    ("Mayor Dana Whitfield, while ruling out a new property tax, warned that the library would close early.",
     "ruling out", "denied", "a new property tax"),
    # construction: a negated verb of saying ("did not say that ...")
    ("Dana Whitfield did not say that the library would close.", "did not say", "negated",
     "that the library would close"),
    # construction: a verb of refusing with an infinitive that is not speech
    ("Councillor Tomas Brenner refused to endorse the budget.", "refused", "negated", "to endorse the budget"),
    # construction: a negated denial is no denial, and no assertion either
    ("Brenner did not deny that the budget was late.", "did not deny", "negated", "that the budget was late"),
    ("Brenner said the budget was late.", "said", "asserted", "the budget was late"),
])
def test_the_cue_gives_the_stance(nlp, sentence, cue, stance, content):
    (a,) = [a for a in run(nlp, sentence) if a.cue.text == cue]
    assert (a.stance, a.content_text) == (stance, content)
    assert a.to_dict()["stance"] == stance


@pytest.mark.parametrize("sentence", [
    "A spokesperson for Mayor Dana Whitfield declined to comment.",
    "Treasurer Elsa Varn refused to say whether layoffs were planned.",
    "Varn would not say whether layoffs were planned.",
    "Varn would not discuss the audit.",
    "Brenner did not immediately respond to a request for comment.",
    "Varn declined to comment on the audit.",
])
def test_a_refusal_to_speak_is_no_attribution(nlp, sentence):
    assert run(nlp, sentence) == []


def test_a_question_put_to_someone_is_not_their_statement(nlp):
    text = 'Asked whether the library would reopen in May, board chair Ingrid Solberg said: "Absolutely."'
    by_cue = {a.cue.text: a for a in run(nlp, text)}
    assert "Asked" not in by_cue  # the reporter's question: no one's statement, not even an unknown source's
    assert by_cue["said:"].speaker == "Ingrid Solberg"
    assert by_cue["said:"].content_text == '"Absolutely."'


def test_a_store_written_before_stances_reads_as_asserted():
    old = {"id": "a:a0", "speaker": "Kovec", "speaker_id": "kovec", "source": None, "cue": None,
           "content": [], "kind": "indirect", "sentence_ids": []}
    assert _attribution_item("a:a0", {"spans": json.dumps(old), "article_id": "a"})["stance"] == "asserted"



@pytest.mark.parametrize(("cue", "stance"), [
    ("said", "asserted"), ("denied", "denied"), ("ruling out", "denied"), ("ruled it out", "denied"),
    ("rejected", "denied"), ("dismissed", "denied"), ("insisted", "asserted"), ("ruled", "asserted"),
])
def test_a_record_from_before_stances_reads_its_stance_from_its_cue(cue, stance):
    """Stores written before stances: "Biden, while ruling out sending troops" must not read
    as Biden asserting it until the store is reindexed."""
    old = {"id": "a:a0", "speaker": "Kovec", "speaker_id": "kovec", "source": None,
           "cue": {"start": 0, "end": len(cue), "text": cue}, "content": [], "kind": "indirect", "sentence_ids": []}
    assert _attribution_item("a:a0", {"spans": json.dumps(old), "article_id": "a"})["stance"] == stance


def test_the_cue_text_fallback_knows_every_denial_cue():
    from index.stance import DENIAL_CUES, PHRASAL_DENIAL_CUES, stance_from_cue_text

    def past(lemma: str) -> str:
        return lemma[:-1] + "ied" if lemma.endswith("y") else lemma + ("d" if lemma.endswith("e") else "ed")

    for lemma in DENIAL_CUES - {"denial"}:
        assert stance_from_cue_text(past(lemma)) == "denied", lemma
    assert stance_from_cue_text("issued a denial") == "denied"
    for verb, particle in PHRASAL_DENIAL_CUES.items():
        assert stance_from_cue_text(f"{past(verb)} {particle}") == "denied"


# ------------------------------------------------------------------ check, answer, claims


@pytest.fixture(scope="module")
def denial_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "denial", {"budget.md": ARTICLE}) as rt:
        yield rt


def _checker(rt) -> QuoteChecker:
    return QuoteChecker(rt.store, rt.retriever, rt.speaker_index(), rt.embeddings)


def test_the_store_keeps_the_stance(denial_runtime):
    stances = {a["cue"]["text"]: a["stance"] for a in denial_runtime.store.attributions()}
    assert stances["denied"] == stances["rejected"] == stances["ruling out"] == "denied"
    assert stances["warned"] == "asserted"
    assert "declined" not in stances and "refused" not in stances


@pytest.mark.parametrize(("quote", "claimed", "phrase", "sentence"), [
    ("the district would cut teacher pay", "Oren Falk", "Oren Falk denied this", "School superintendent Oren Falk denied"),
    ("the district would cut teacher pay", None, "Oren Falk denied this", "School superintendent Oren Falk denied"),
    ("the budget was balanced", "Kofi Mensah", "Kofi Mensah rejected this", "Board member Kofi Mensah"),
    ("a new property tax", "Dana Whitfield", "Dana Whitfield ruled this out", "Mayor Dana Whitfield, while"),
])
def test_a_denial_is_never_verbatim_or_paraphrase(denial_runtime, quote, claimed, phrase, sentence):
    verdict = _checker(denial_runtime).check(quote, claimed)
    assert verdict.verdict == "altered" and verdict.stance == "denied"
    assert verdict.reasons[0].startswith(phrase) and "(cue: “" in verdict.reasons[0]
    assert verdict.evidence[0].text.startswith(sentence)


def test_a_quote_that_states_the_denial_is_a_paraphrase(denial_runtime):
    """Denying that the district would cut pay is saying it will not."""
    verdict = _checker(denial_runtime).check("The district will not cut teacher pay", "Oren Falk")
    assert (verdict.verdict, verdict.speaker, verdict.stance) == ("paraphrase", "Oren Falk", "denied")
    assert verdict.reasons == ["Oren Falk denied this (cue: “denied”): the quote states the denial"]


def test_did_x_say_what_they_denied_answers_no(denial_runtime):
    answer = denial_runtime.answerer().invoke(
        {"question": "Did Oren Falk say the district would cut teacher pay?"}).to_dict()
    assert answer["answer"].startswith("No: Oren Falk denied this")
    assert "Yes" not in answer["answer"]
    assert [c["text"] for c in answer["citations"]] == [
        "School superintendent Oren Falk denied that the district would cut teacher pay."]


def test_a_denial_is_not_rated_accurately_quoted(denial_runtime):
    claims = build_claims(denial_runtime.store)
    by_text = {c.text: c for c in claims.claims}
    denial = by_text["that the district would cut teacher pay"]
    assert denial.verdict == VERDICT_DENIED and denial.stance_note == "denied (cue: “denied”)"
    assert by_text["that the library would close early"].verdict == "Accurately reported"  # reported speech only: no quoted words
    assert not any(c.text == "to comment" for c in claims.claims)


def test_biden_ruling_out_troops_is_not_biden_saying_it(seed_runtime):
    """The seed article: "Biden, while ruling out sending U.S. troops to Ukraine, ..."."""
    verdict = _checker(seed_runtime).check("sending U.S. troops to Ukraine", "Biden")
    assert verdict.verdict == "altered" and verdict.stance == "denied"
    assert "ruled this out" in verdict.reasons[0]
    answer = seed_runtime.answerer().invoke(
        {"question": "Did Biden say he would send U.S. troops to Ukraine?"}).to_dict()
    assert answer["answer"].startswith("No: ") and "ruled this out" in answer["answer"]


@pytest.mark.parametrize("question", [
    "Who said sending U.S. troops to Ukraine?",  # no quotation marks: not a wording check
    "Who said “sending U.S. troops to Ukraine”?",
])
def test_who_said_what_was_ruled_out_answers_no_one(seed_runtime, question):
    answer = seed_runtime.answerer().invoke({"question": question}).to_dict()
    assert answer["answer"].startswith("No one is recorded saying this: Joe Biden ruled this out"), answer["answer"]


def test_who_said_what_was_denied_answers_no_one(denial_runtime):
    answer = denial_runtime.answerer().invoke(
        {"question": "Who said the district would cut teacher pay?"}).to_dict()
    assert answer["answer"].startswith("No one is recorded saying this: Oren Falk denied this"), answer["answer"]
