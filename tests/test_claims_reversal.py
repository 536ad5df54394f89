"""A change of mind within the occasion window is two statements, not a misquote.

The articles are fictional (the town of Carrow Vale and its river Alde): on 2033-04-05
the Alde Courier reports Mayor Petra Haldane considering a temporary footbridge ("I will
not rule out a temporary footbridge"); on 2033-04-07 the Vale Gazette reports her ruling
it out in other words ("a temporary footbridge would not be built"; "A temporary footbridge
is not an option"). Two days apart is within
``OCCASION_DAYS``, but these are two direct quotations in different words on different
days: two statements (a change of position), not the Gazette altering the Courier's
quote. The same Gazette story copies her April 5 ferry pledge with its "not" dropped: that
one is still drift (an outlet's misquote of one statement).
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.claims import Statement, build_claims, choose_claim, may_be_one_utterance, relate
from tests.conftest import ingested_runtime
from tests.helpers import claim_with, speaker_id


def _article(title: str, outlet: str, day: str, body: str) -> str:
    return f"---\ntitle: {title}\noutlet: {outlet}\ndate: {day}\n---\n\n{body}\n"


ARTICLES = {
    "c1-courier.md": _article(
        "Mayor keeps footbridge option open", "The Alde Courier", "2033-04-05",
        "Mayor Petra Haldane said on Tuesday she was considering a temporary footbridge.\n\n"
        "\"I will not rule out a temporary footbridge,\" Haldane said. \"If it gets the market traders across, "
        "it is worth a look.\"\n\n"
        "\"We will not close the ferry landing this summer,\" Haldane said at the quay."),
    "c2-gazette.md": _article(
        "Haldane rules out footbridge", "The Vale Gazette", "2033-04-07",
        "Mayor Petra Haldane said on Thursday that a temporary footbridge would not be built.\n\n"
        "\"A temporary footbridge is not an option,\" Haldane said. \"The surveyors have told us the banks "
        "could not carry it.\"\n\n"
        "Earlier in the week the mayor had spoken about the ferry. \"We will close the ferry landing this "
        "summer,\" Haldane said at the quay."),
}


@pytest.fixture(scope="module")
def alde(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "alde", ARTICLES) as rt:
        yield rt


def _statement(text: str, date: str, vector) -> Statement:
    return Statement(text, "s", text, np.asarray(vector, dtype=np.float32), date)


def test_other_words_two_days_later_are_another_statement(embeddings):
    texts = ["she was considering a temporary footbridge",
             "that a temporary footbridge would not be built",
             "We will not close the ferry landing this summer",
             "We will close the ferry landing this summer"]
    v = dict(zip(texts, embeddings.embed_array(texts)))
    considering = _statement(texts[0], "2033-04-05", v[texts[0]])
    ruled_out = _statement(texts[1], "2033-04-07", v[texts[1]])
    rel = relate(considering, ruled_out)
    assert rel.changes and rel.same_occasion  # a negation, within OCCASION_DAYS
    assert not rel.same_claim and not rel.same_utterance and rel.separate_statements and rel.contradiction > 0
    # reported the same day, it may still be one utterance reported differently
    same_day = relate(considering, _statement(texts[1], "2033-04-05", v[texts[1]]))
    assert same_day.same_claim and same_day.contradiction == 0
    # an outlet dropping the "not" of the same words two days later is still drift
    pledge = _statement(texts[2], "2033-04-05", v[texts[2]])
    dropped = _statement(texts[3], "2033-04-07", v[texts[3]])
    assert relate(pledge, dropped).same_claim and relate(pledge, dropped).contradiction == 0
    assert may_be_one_utterance(texts[2], "2033-04-05", texts[3], "2033-04-07")
    assert not may_be_one_utterance(texts[0], "2033-04-05", texts[1], "2033-04-07")
    assert not may_be_one_utterance(texts[2], "2033-04-05", texts[3], "2033-04-20")  # other occasions
    # the incremental linker: the April 7 ruling-out does not join the April 5 claim
    founded = Statement("w", "s", texts[0], considering.vector, "2033-04-05", claim_id="claim-w",
                        claim_text=texts[0], claim_date="2033-04-05")
    assert choose_claim(ruled_out, [founded]) is None


def test_a_change_of_mind_is_no_altered_quote(alde):
    claims = build_claims(alde.store, speaker_id(alde, "Petra Haldane"))
    not_ruled_out = claim_with(claims, "I will not rule out")
    ruled_out = claim_with(claims, "is not an option")
    assert not_ruled_out.id != ruled_out.id
    assert {a.outlet for a in ruled_out.appearances} == {"The Vale Gazette"}
    reported = next(c for c in claims.claims if any("considering" in a.text for a in c.appearances))
    assert {a.outlet for a in reported.appearances} == {"The Alde Courier"}
    assert all(not d.changed for c in (not_ruled_out, ruled_out, reported) for d in c.drift)
    assert ruled_out.verdict == "Accurately quoted"
    # the ferry pledge copied two days later with its "not" dropped is still an altered quote
    ferry = claim_with(claims, "ferry landing")
    assert ferry.verdict == "Altered quote" and [d.appearance.outlet for d in ferry.drift if d.changed] == [
        "The Vale Gazette"]


def test_the_later_statement_is_confirmed_and_the_change_reported(alde):
    answerer = alde.answerer()
    said = answerer.invoke({"question": 'Did Haldane say "A temporary footbridge is not an option"?'}).to_dict()
    assert said["answer"].startswith("Yes"), said["answer"]
    changed = answerer.invoke({"question": "Has Petra Haldane changed her position on the footbridge?"}).to_dict()
    head = changed["statements"][0]["text"]
    assert head.startswith("Yes: what Petra Haldane said about the footbridge changed meaning"), head
    assert "between 2033-04-05 and 2033-04-07" in head
