"""Speakers asked about or claimed by a description or a title: "the harbour board
spokesperson", "spokesperson for the harbour board", "the spokesperson", "Mayor Fenwick".

The articles are fictional (Saltmere's harbour dredging): every statement of the harbour
board's spokesperson is given to "a spokesperson for the harbour board" (one speaker recorded
under that description) but one, which a story gives to "the spokesperson" after naming the
board's spokesperson (another speaker, recorded as "spokesperson"); Mayor Ida Fenwick and
Maren Fenwick, who runs a bakery, share a surname.
"""

from __future__ import annotations

import pytest

from bot.question import SpeakerIndex, parse_question
from index.models import Speaker
from tests.conftest import ingested_runtime

ECHO = """---
title: Dredging of Saltmere harbour to start in spring
outlet: The Saltmere Echo
date: 2025-03-03
---
Dredging of Saltmere harbour will start in April, the harbour board confirmed on Monday.

A spokesperson for the harbour board said dredging would cost about £3.1 million.

Mayor Ida Fenwick said the work was long overdue. "The channel has been silting up for a decade," Fenwick said.
"""

WEEKLY = """---
title: Crews fear dredging will close the quay
outlet: Saltmere Weekly
date: 2025-03-05
---
Fishing crews in Saltmere say they have not been told how long the quay will be shut.

"We have heard the crews' concerns and we will publish a timetable," a spokesperson for the harbour board said.

Maren Fenwick, who runs the Net Loft bakery on the quay, said trade had already slowed. "Nobody from the town hall has called us," Maren Fenwick said.
"""

MEETING = """---
title: Harbour board to meet fishing crews
outlet: The Saltmere Echo
date: 2025-03-10
---
The harbour board will meet fishing crews on Friday to explain the dredging timetable, a spokesperson for the harbour board said on Monday.

"Every crew will be heard before a single boat is moved," the spokesperson said.

Mayor Fenwick said she would attend the meeting.
"""

BOARD = Speaker("board-spokesperson", "spokesperson for the harbour board", [], None, "unknown")
UNNAMED = Speaker("spokesperson", "spokesperson", [], "spokesperson", "unknown")
FERRY = Speaker("ferry-spokesperson", "spokesperson for the ferry company", [], None, "unknown")
IDA = Speaker("ida-fenwick", "Ida Fenwick", ["Fenwick", "Mayor Ida Fenwick"], "Mayor", "person")
MAREN = Speaker("maren-fenwick", "Maren Fenwick", ["Maren Fenwick, who runs the Net Loft bakery"], "baker", "person")


def _ids(speakers):
    return [s.id for s in speakers]


def test_a_description_finds_every_speaker_recorded_under_it():
    index = SpeakerIndex([BOARD, UNNAMED, FERRY, IDA, MAREN])
    # the same post and the same body, however it is worded; never the speaker recorded as
    # "spokesperson" alone because the word is in the description
    for phrase in ("the harbour board spokesperson", "harbour board spokesperson",
                   "spokesperson for the harbour board", "a spokesperson for the harbour board"):
        assert _ids(index.named(phrase)) == ["board-spokesperson"], phrase
        assert _ids(index.by_role(phrase)) == ["board-spokesperson"], phrase
    # the post alone: every speaker described by it
    assert _ids(index.named("the spokesperson")) == ["board-spokesperson", "ferry-spokesperson", "spokesperson"]
    assert _ids(index.named("the harbour spokesperson")) == ["board-spokesperson"]
    assert index.named("the council spokesperson") == []
    # a question's described speaker, also where the people are read before the role
    # (a question about a figure)
    for question in ("What did the harbour board spokesperson say?",
                     "How much did the harbour board spokesperson say dredging would cost?"):
        q = parse_question(question, index)
        assert _ids(q.speakers) == ["board-spokesperson"] and q.role == "the harbour board spokesperson", q


def test_words_of_a_description_recorded_without_a_role_may_be_the_claimed_posts():
    from bot.check import QuoteChecker

    # "the spokesperson said" stored with no role: a post still, which the board's
    # spokesperson may hold (the ferry company's is another post, no person, unless claimed
    # too); a more specific post is no holder of another ("spokesperson for the harbour
    # board" is not the ferry company's)
    bare = Speaker("spokesperson", "spokesperson", [], None, "unknown")
    checker = QuoteChecker(None, None, SpeakerIndex([BOARD, FERRY, bare, IDA]), None, word_vectors=object())
    assert checker._post_holders("spokesperson", {"board-spokesperson"}) == [BOARD]
    assert checker._post_holders("spokesperson", {"board-spokesperson", "ferry-spokesperson"}) == [BOARD, FERRY]
    assert checker._post_holders("spokesperson", {"ida-fenwick"}) is None
    assert checker._post_holders("board-spokesperson", {"ferry-spokesperson"}) is None
    assert checker._post_holders("ida-fenwick", {"board-spokesperson"}) is None


def test_a_title_narrows_a_claimed_surname():
    index = SpeakerIndex([IDA, MAREN, UNNAMED])
    assert index.may_name("Mayor Fenwick") == {"ida-fenwick"}
    assert index.may_name("Fenwick") == {"ida-fenwick", "maren-fenwick"}
    assert index.may_name("Maren Fenwick") == {"maren-fenwick"}
    # where a question reads its speaker from the words before "say"
    for question in ("Did Mayor Fenwick say “Nobody has called us”?",
                     "How many boats did Mayor Fenwick say were moved?"):
        assert _ids(parse_question(question, index).speakers) == ["ida-fenwick"], question


@pytest.fixture(scope="module")
def saltmere_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "saltmere",
                          {"echo.md": ECHO, "weekly.md": WEEKLY, "meeting.md": MEETING}) as rt:
        yield rt


def _ask(rt, question):
    return rt.answerer().invoke({"question": question}).to_dict()


def test_the_stored_speakers_are_as_these_tests_assume(saltmere_runtime):
    names = {s.name for s in saltmere_runtime.store.speakers()}
    assert {"spokesperson for the harbour board", "spokesperson", "Ida Fenwick", "Maren Fenwick"} <= names, names


def test_what_did_the_described_spokesperson_say(saltmere_runtime):
    for question in ("What did the harbour board spokesperson say?",
                     "What did the spokesperson for the harbour board say?"):
        answer = _ask(saltmere_runtime, question)
        text = " ".join(s["text"] for s in answer["statements"])
        assert "£3.1 million" in text and "publish a timetable" in text and "meet fishing crews" in text, text
        assert any("describe the spokesperson for the harbour board so" in n for n in answer["notes"]), answer
    answer = _ask(saltmere_runtime, "How much did the harbour board spokesperson say dredging would cost?")
    assert answer["answered"] and "£3.1 million" in answer["answer"], answer["answer"]


def test_a_described_speaker_is_never_misattributed_to_its_own_description(saltmere_runtime):
    checker = saltmere_runtime.quote_checker()
    for claimed in ("spokesperson for the harbour board", "the harbour board spokesperson"):
        v = checker.check("Dredging would cost about £3.1 million", claimed)
        assert (v.verdict, v.speaker) == ("verbatim", "spokesperson for the harbour board"), v.to_dict()
        # "the spokesperson said" after the board's spokesperson was named: perhaps them, never
        # someone else
        v = checker.check("Every crew will be heard before a single boat is moved", claimed)
        assert v.verdict == "verbatim", v.to_dict()
        assert v.reasons[0] == ("the source names the speaker only as “the spokesperson” (the articles "
                                "describe the spokesperson for the harbour board by that post)"), v.reasons
    answer = _ask(saltmere_runtime, "Did the spokesperson for the harbour board say "
                                    "“dredging would cost about £3.1 million”?")
    assert answer["answer"].startswith("Yes: the spokesperson for the harbour board said these words"), answer
    # someone else is still someone else
    assert checker.check("Dredging would cost about £3.1 million", "Mayor Ida Fenwick").verdict == "misattributed"


def test_claims_of_a_described_speaker(saltmere_runtime):
    from ui.cli import _one_speaker

    board = next(s.id for s in saltmere_runtime.store.speakers() if s.name == "spokesperson for the harbour board")
    assert _one_speaker(saltmere_runtime, "the harbour board spokesperson") == board
    assert _one_speaker(saltmere_runtime, "spokesperson for the harbour board") == board


def test_a_title_in_a_did_say_question_narrows_a_shared_surname(saltmere_runtime):
    answer = _ask(saltmere_runtime, "Did Mayor Fenwick say “Nobody from the town hall has called us”?")
    assert answer["answer"].startswith(
        "No: the indexed articles attribute these words to Maren Fenwick, not Mayor Fenwick."), answer["answer"]
    answer = _ask(saltmere_runtime, "Did Fenwick say “Nobody from the town hall has called us”?")
    assert answer["answer"].startswith("Yes: Maren Fenwick said these words"), answer["answer"]
