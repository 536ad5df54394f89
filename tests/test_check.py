"""Quote check: one verdict per class on a small article, evidence, diff, drafts, bad input."""

from __future__ import annotations

import pytest

from bot.check import QuoteChecker
from bot.diff import word_diff
from bot.draft import check_draft, find_draft_quotes
from bot.meaning import compare
from index.errors import QueryError
from tests.conftest import ingested_runtime

ARTICLE = """---
title: Harbour bridge to close for repairs
outlet: The Saltmere Echo
date: 2024-09-02
url: https://saltmere-echo.example/bridge
---

# Harbour bridge to close for repairs

Saltmere harbour master Edwin Garroway said on Monday that the old bridge would close for six weeks.

"We are not closing the bridge for good. It will reopen on October 14," Garroway said.

Councillor Maeve Lundqvist criticised the timing.

"The repairs should have been done in winter," Lundqvist said.
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "check", {"bridge.md": ARTICLE}) as rt:
        yield QuoteChecker(rt.store, rt.retriever, rt.speaker_index(), rt.embeddings)


def _slices_back(checker, verdict):
    for ev in verdict.evidence:
        article = checker.store.get_article(ev.article_id)
        assert article.text[ev.start:ev.end] == ev.text


@pytest.mark.parametrize("quote, claimed, verdict, speaker", [
    ("we are NOT closing the bridge for good!", "Garroway", "verbatim", "Garroway"),
    ("We are not closing the bridge for good. It will reopen on October 14.", "Edwin Garroway", "verbatim", "Garroway"),
    ("The repairs should have been done in winter", None, "verbatim", "Lundqvist"),
    ("The old bridge is going to be closed for six weeks", "Garroway", "paraphrase", "Garroway"),
    ("We are closing the bridge for good", "Garroway", "altered", "Garroway"),
    ("It will reopen on November 14", "Garroway", "altered", "Garroway"),
    ("The repairs should have been done in summer", "Lundqvist", "altered", "Lundqvist"),
    ("The repairs should have been done in winter", "Edwin Garroway", "misattributed", "Lundqvist"),
    ("We are not closing the bridge for good", "Somebody Unknown", "misattributed", "Garroway"),
    ("The ferry fares will double next spring", "Garroway", "not_found", None),
])
def test_verdicts(checker, quote, claimed, verdict, speaker):
    v = checker.check(quote, claimed)
    assert v.verdict == verdict, v.to_dict()
    if speaker:
        assert speaker in (v.speaker or "")
        assert v.evidence and v.evidence[0].outlet == "The Saltmere Echo"
    _slices_back(checker, v)
    d = v.to_dict()
    assert set(d) >= {"verdict", "speaker", "claimed_speaker", "evidence", "diff"}
    for ev in d["evidence"]:
        assert set(ev) >= {"article_id", "sentence_id", "text", "start", "end", "speaker", "title", "outlet",
                           "date", "url"}


def test_altered_reasons_name_the_change(checker):
    v = checker.check("We are closing the bridge for good", "Garroway")
    assert any("negation" in r for r in v.reasons)
    assert any(op.op != "equal" and "not" in op.source for op in v.diff)


@pytest.mark.parametrize("bad", ["", "   ", "?!…“”", "x" * 2001])
def test_bad_quotes_raise(checker, bad):
    with pytest.raises(QueryError):
        checker.check(bad)


def test_word_diff_ops():
    ops = word_diff("We are closing the Bridge!", "We are not closing the bridge for good.")
    assert [(o.op, o.quote, o.source) for o in ops] == [
        ("equal", "We are", "We are"), ("delete", "", "not"), ("equal", "closing the Bridge", "closing the bridge"),
        ("delete", "", "for good")]
    ops = word_diff("six weeks", "five weeks")
    assert ops[0].op == "replace" and ops[0].quote == "six" and ops[0].source == "five"


@pytest.mark.parametrize("quote, source, changed", [
    ("There will be war", "There will be no war", True),
    ("There won't be a war", "There will be no war", False),
    ("It costs 8,500 pounds", "It costs eight thousand five hundred pounds", False),
    ("It costs 8,600 pounds", "It costs 8,500 pounds", True),
    ("We met in May", "We met in June", True),
    ("They met in Paris", "They met in Berlin", True),
    ("Prices will rise", "Prices will fall", True),
    # a multiplier replaced by another is a number change; one the source lacks is not
    ("The crews were working triple shifts", "She said the crews were working double shifts.", True),
    ("Rents have halved", "Rents have doubled", True),
    ("Rents have doubled", "Rents have doubled since 2020", False),
    ("It is the single biggest problem", "It is the biggest problem", False),
    # an opposite made with a negative prefix, either way round
    ("The fund is unhealthy", "The fund is healthy", True),
    ("The fund is healthy", "The fund is unhealthy", True),
    ("The plan is irresponsible", "The plan is responsible", True),
    ("A deal is impossible", "A deal is possible", True),
    ("The members disagree", "The members agree", True),
    # words that only look prefixed: their "stem" is no word of the other text, or they
    # do not negate it
    ("We understand the plan", "We stand by the plan", False),
    ("The vote is important", "The vote is crucial", False),
    ("The board will discuss the fees", "The board will review the fees", False),
    ("The audit discovered errors", "The audit covered errors", False),
    # going on against coming to a halt, in any of their forms
    ("The Tarn ferry would stop running in the winter", "The Tarn ferry would keep running through the winter", True),
    ("The ferry stopped running in the winter", "The ferry kept running through the winter", True),
    ("The ferry stops running in winter", "The ferry continues running in winter", True),
    ("The ferry service will end in May", "The ferry service will continue in May", True),
    ("The clinic will halt operations next week", "The clinic will resume operations next week", True),
    ("Work on the dam has been suspended", "Work on the dam has continued", True),
    ("The market will stay open on Sundays", "The market will shut on Sundays", True),
    # ... but not one that goes on until the other's point, nor a speaker who went on talking
    ("The strike will end on Friday", "The strike will continue until Friday", False),
    ("The ferry stopped running in the winter", "The ferry kept running until the winter", False),
    ("We will stop the night crossings", '"We will halt the night crossings," she continued.', False),
    ("The ferry will keep running", "The ferry will continue running", False),
])
def test_meaning_compare(quote, source, changed):
    result = compare(quote, source)
    assert result.changed is changed, result.reasons
    assert bool(result.reasons) is changed


def _alike(a: str, b: str) -> float:
    """A word similarity that calls every pair a close synonym."""
    return 0.9


@pytest.mark.parametrize("quote, source, changed", [
    # the source's words but one: it claims to be them, so the swap is a misquote
    ("It is like digging through concrete", '"It is like digging through cement," Pell said.', True),
    ("Concrete is what we dig through", '"Cement is what we dig through," Pell said.', True),
    ("It is just like digging through concrete", '"It is like digging through cement," Pell said.', True),
    # reworded elsewhere too: a paraphrase, where a close synonym may stand in
    ("The walls did exactly what they were designed to do",
     '"The walls have done exactly what they were built to do," Pell said.', False),
    ("The mill won't be sold, whatever the price", '"The mill is not for sale, whatever the price," Pell said.', False),
    # a form of the same word is no swap
    ("We are planning to dig", '"We plan to dig," Pell said.', False),
    # a number written out that the source gives in digits is no added word; another value is
    ("The quarry will bring five hundred jobs", '"The quarry will bring 500 jobs," Pell said.', False),
    ("The quarry will bring six hundred jobs", '"The quarry will bring 500 jobs," Pell said.', True),
])
def test_strict_words_in_a_direct_quote(quote, source, changed):
    result = compare(quote, source, strict_words=True, word_similarity=_alike)
    assert result.changed is changed, result.reasons


def test_a_swapped_word_is_named_without_the_words_after_the_quote():
    result = compare("It is like digging through concrete", '"It is like digging through cement," Pell said.',
                     strict_words=True, word_similarity=_alike)
    assert result.reasons == ["changed: the quote says “concrete” where the source says “cement”"]


def test_meaning_reasons_name_the_changed_words():
    assert compare("The crews were working triple shifts", "The crews were working double shifts").reasons == [
        "number: the quote says “triple”, the source says “double”"]
    assert compare("The fund is unhealthy", "The fund is healthy").reasons == [
        "opposite: the quote says “unhealthy” where the source says “healthy”"]
    assert compare("The fund is healthy", "The fund is unhealthy").reasons == [
        "opposite: the quote says “healthy” where the source says “unhealthy”"]


def test_draft_quotes_found_and_checked(checker, nlp):
    draft = ('Bridge closure angers traders\n\nEdwin Garroway said: "We are closing the bridge for good." '
             'Maeve Lundqvist said the repairs should have been done in winter. '
             'A trader added, "Nobody asked us about any of this."')
    quotes = find_draft_quotes(draft, nlp)
    assert len(quotes) >= 3
    assert all(draft[q.start:q.end] == q.quote for q in quotes)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    checks = check_draft(checker, draft, nlp)
    by_quote = {c["quote"]: c for c in checks}
    first = next(c for q, c in by_quote.items() if "closing the bridge" in q)
    assert first["verdict"] == "altered"
    assert "Garroway" in (first["claimed_speaker"] or "")
    assert any(c["verdict"] == "not_found" for c in checks)
    for c in checks:
        assert {"quote", "start", "end", "claimed_speaker", "verdict", "evidence", "diff"} <= set(c)


def test_a_draft_quote_after_that_starts_inside_its_marks(nlp):
    """insisted that "…": the quote is the words inside the marks, not a stray opening one."""
    draft = 'Harbour master Edwin Garroway insisted in May that "the bridge is safe, and we will close it before October."'
    quotes = find_draft_quotes(draft, nlp)
    assert [q.quote for q in quotes] == ["the bridge is safe, and we will close it before October."]


@pytest.mark.parametrize("draft, quotes", [
    # called the decision "…": the reporter's lead-in and the marks are no part of the quote
    ('Odo Kelleway, the guild chair, called the decision "a betrayal of every crossing family on the north bank."',
     [("a betrayal of every crossing family on the north bank.", "Odo Kelleway")]),
    # a partial quote inside reported speech: the quoted words only
    ('Harbour engineer Tove Ranst said the pilings were "being checked every single week" and would hold.',
     [("being checked every single week", "Tove Ranst")]),
    # a one-word scare quote: the reported statement as a whole
    ('Councillor Amos Pell said the plan was "reckless" and would fail before the spring.',
     [('the plan was "reckless" and would fail before the spring', "Amos Pell")]),
])
def test_a_draft_quote_is_the_words_inside_its_marks(nlp, draft, quotes):
    found = find_draft_quotes(draft, nlp)
    assert [(q.quote, q.claimed_speaker) for q in found] == quotes
    assert all(draft[q.start:q.end] == q.quote for q in found)


NAMESAKE_ARTICLE = """---
title: Regatta moves to May
outlet: The Saltmere Echo
date: 2024-09-09
---

# Regatta moves to May

Ada Garroway, who chairs the Saltmere rowing club, said the regatta would move to May.

"The regatta belongs to the whole town, not to the club," Ada Garroway said.
"""


@pytest.fixture(scope="module")
def namesake_runtime(tmp_path_factory, embeddings, nlp):
    """Two people called Garroway: Edwin (the bridge article) and Ada (the regatta one)."""
    articles = {"bridge.md": ARTICLE, "regatta.md": NAMESAKE_ARTICLE}
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "namesake", articles) as rt:
        yield rt


@pytest.fixture(scope="module")
def namesake_checker(namesake_runtime):
    rt = namesake_runtime
    return QuoteChecker(rt.store, rt.retriever, rt.speaker_index(), rt.embeddings)


@pytest.mark.parametrize("claimed, verdict", [
    ("Ada Garroway", "verbatim"),
    ("Garroway", "verbatim"),  # a bare surname may be either Garroway
    ("A. Garroway", "verbatim"),
    ("Edwin Garroway", "misattributed"),  # his namesake said it, not he
    ("Harbour master Edwin Garroway", "misattributed"),
])
def test_a_namesake_with_another_first_name_is_another_person(namesake_checker, claimed, verdict):
    v = namesake_checker.check("The regatta belongs to the whole town, not to the club", claimed)
    assert v.verdict == verdict, v.to_dict()
    assert v.speaker == "Ada Garroway"
    assert "regatta belongs to the whole town" in v.evidence[0].text


def test_each_namesake_keeps_their_own_quote(namesake_checker):
    assert namesake_checker.check("It will reopen on October 14", "Edwin Garroway").verdict == "verbatim"
    assert namesake_checker.check("It will reopen on October 14", "Ada Garroway").verdict == "misattributed"


@pytest.mark.parametrize("question, verdict, speaker", [
    ("Did Garroway say “The regatta belongs to the whole town, not to the club”?", "verbatim", "Ada Garroway"),
    ("Did Ada Garroway say that the regatta belongs to the whole town, not to the club?", "verbatim",
     "Ada Garroway"),
    ("Did Edwin Garroway say “The regatta belongs to the whole town, not to the club”?", "misattributed",
     "Ada Garroway"),
    ("Did Garroway say “It will reopen on October 14”?", "verbatim", "Edwin Garroway"),
    ("Did Maeve Lundqvist say “Garroway was right about the regatta”?", "not_found", None),
])
def test_did_say_checks_the_person_as_the_question_names_them(namesake_runtime, question, verdict, speaker):
    """A bare surname may be either Garroway; a full name is that person; a name inside
    the quoted words is not the one who supposedly said them."""
    answer = namesake_runtime.answerer().invoke({"question": question}).to_dict()
    assert answer["verdict"]["verdict"] == verdict, answer
    assert answer["verdict"]["speaker"] == speaker
    if speaker:
        assert speaker in answer["answer"]
    supposed = question.split(" say")[0]
    assert all(name.split()[-1] in supposed for name in answer["speakers"]), answer["speakers"]


@pytest.mark.parametrize("question, speaker, words", [
    ("Has Garroway said “The regatta belongs to the whole town” before?", "Ada Garroway", "regatta belongs"),
    ("Has Garroway said “It will reopen on October 14” before?", "Edwin Garroway", "reopen on October 14"),
    ("Has Ada Garroway said “The regatta belongs to the whole town” before?", "Ada Garroway", "regatta belongs"),
])
def test_claim_history_looks_at_every_namesake_the_name_covers(namesake_runtime, question, speaker, words):
    """"Has Garroway said …?" with two Garroways: the history of whichever Garroway said it,
    not of the first Garroway in the index."""
    answer = namesake_runtime.answerer().invoke({"question": question}).to_dict()
    assert answer["answered"], answer
    assert answer["statements"][0]["text"].startswith(f"{speaker} made this statement"), answer
    assert any(words in s["text"] for s in answer["statements"][1:]), answer


def test_claim_history_of_a_full_name_is_not_a_namesakes(namesake_runtime):
    answer = namesake_runtime.answerer().invoke(
        {"question": "Has Edwin Garroway said “The regatta belongs to the whole town” before?"}).to_dict()
    assert not answer["answered"], answer
    assert "Edwin Garroway" in answer["answer"]


def test_claim_history_of_namesakes_links_what_is_not_linked_yet(namesake_runtime):
    """A store without claim links (after `reindex`, or from before claims): the namesakes'
    attributions are linked when a claim history needs them."""
    col = namesake_runtime.store.collection("claims")
    col.delete(ids=col.get(include=[])["ids"])
    answer = namesake_runtime.answerer().invoke(
        {"question": "Has Garroway said “It will reopen on October 14” before?"}).to_dict()
    assert answer["statements"][0]["text"].startswith("Edwin Garroway made this statement"), answer
    garroways = [s.id for s in namesake_runtime.speaker_index().by_id.values() if s.name.endswith("Garroway")]
    assert len(garroways) == 2
    assert namesake_runtime.store.claim_link_ids(garroways) == set(namesake_runtime.store.attribution_ids(garroways))


def test_claims_of_a_shared_surname_are_refused_not_narrowed(namesake_runtime):
    """`whosaid claims --speaker Garroway` with two Garroways: the user is asked which one
    (names and ids listed) instead of being shown the first one's claims as "Garroway's"."""
    from index.errors import QueryError
    from ui.cli import _one_speaker

    rt = namesake_runtime
    ids = {s.name: s.id for s in rt.speaker_index().by_id.values()}
    with pytest.raises(QueryError) as refused:
        _one_speaker(rt, "Garroway")
    assert "Ada Garroway" in str(refused.value) and "Edwin Garroway" in str(refused.value)
    assert ids["Ada Garroway"] in str(refused.value)
    assert _one_speaker(rt, "Ada Garroway") == ids["Ada Garroway"]
    assert _one_speaker(rt, ids["Edwin Garroway"]) == ids["Edwin Garroway"]
    with pytest.raises(QueryError):
        _one_speaker(rt, "Nobody Atall")


def test_a_claim_names_its_speaker(namesake_runtime):
    from bot.claims import build_claims

    rt = namesake_runtime
    edwin = next(s.id for s in rt.speaker_index().by_id.values() if s.name == "Edwin Garroway")
    claim = build_claims(rt.store, edwin).claims[0]
    assert rt.store.claim_speaker(claim.id) == edwin
    assert rt.store.claim_speaker("claim-000000000000") is None


def test_a_claimed_name_may_name_namesakes_whose_first_name_agrees():
    """One rule, shared by the quote checker and claim history: a bare surname may be any
    namesake; a full name is that person or a record of the surname alone, never a namesake
    with another first name."""
    from bot.question import SpeakerIndex
    from index.models import Speaker

    index = SpeakerIndex([Speaker(id="ada", name="Ada Garroway", kind="person"),
                          Speaker(id="edwin", name="Edwin Garroway", kind="person"),
                          Speaker(id="bare", name="Garroway", kind="person")])
    assert index.may_name("Garroway") == {"ada", "edwin", "bare"}
    assert index.may_name("Ada Garroway") == {"ada", "bare"}
    assert index.may_name("Edwin Garroway") == {"edwin", "bare"}


PIER_ARTICLE = """---
title: Pier repairs overrun in Saltmere
outlet: The Saltmere Echo
date: 2024-11-04
---

# Pier repairs overrun in Saltmere

The repairs to Saltmere pier will overrun by a month, harbour warden Tamsin Quarrel said on Monday.

"I never said the pier would reopen by June. I said we hoped it would," Quarrel said.

Councillor Rufus Brannock defended the budget. "I did not promise that the ferry would be free," Brannock said.

Asked about reports that the harbour fund was running low, finance minister Odile Varrick denied that the fund \
was in trouble. "The fund is healthy," she said.

Quarrel's deputy, Piet Lannon, said the divers had found a layer of old rubble. "It is like digging through \
cement," Lannon said. He said the crews were working double shifts.
"""


@pytest.fixture(scope="module")
def pier_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "pier", {"pier.md": PIER_ARTICLE}) as rt:
        yield rt


@pytest.fixture(scope="module")
def pier_checker(pier_runtime):
    return pier_runtime.quote_checker()


@pytest.mark.parametrize("quote, claimed, cue", [
    ("The pier would reopen by June", "Tamsin Quarrel", "never said"),
    ("the pier would reopen by June", None, "never said"),
    ("The ferry would be free", "Brannock", "did not promise"),
])
def test_words_the_speaker_says_they_never_said_are_not_confirmed(pier_checker, quote, claimed, cue):
    """"I never said X": the words X are in the speaker's quote, disowned."""
    v = pier_checker.check(quote, claimed)
    assert (v.verdict, v.stance, v.cue) == ("altered", "denied", cue), v.to_dict()
    assert v.reasons[0] == f"{v.speaker} denied saying this (cue: “{cue}”)"
    _slices_back(pier_checker, v)


def test_the_disowning_sentence_itself_is_verbatim(pier_checker):
    v = pier_checker.check("I never said the pier would reopen by June", "Quarrel")
    assert (v.verdict, v.stance) == ("verbatim", "asserted")


def test_a_quote_negating_what_was_disowned_does_not_state_it(pier_checker):
    """"I never said it would reopen by June" does not say that it will not."""
    v = pier_checker.check("The pier would not reopen by June", "Tamsin Quarrel")
    assert (v.verdict, v.stance) == ("altered", "denied")


def test_did_x_say_what_they_never_said_answers_no(pier_runtime):
    answer = pier_runtime.answerer().invoke(
        {"question": 'Did Tamsin Quarrel say "the pier would reopen by June"?'}).to_dict()
    assert answer["answer"].startswith("No: Tamsin Quarrel denied saying this: “the pier would reopen by June” "
                                       "(cue: “never said”)"), answer["answer"]


def test_a_prefixed_opposite_is_altered(pier_checker):
    v = pier_checker.check("The fund is unhealthy", "Odile Varrick")
    assert v.verdict == "altered", v.to_dict()
    assert "opposite: the quote says “unhealthy” where the source says “healthy”" in v.reasons


def test_negating_what_the_speaker_asserted_rests_on_their_words_not_on_a_denial(pier_runtime, pier_checker):
    """She said "The fund is healthy" and denied that the fund was in trouble: "The fund is
    not healthy" negates her words; it does not state her denial."""
    v = pier_checker.check("The fund is not healthy", "Odile Varrick")
    assert (v.verdict, v.stance) == ("altered", "asserted"), v.to_dict()
    assert v.reasons[0].startswith("negation: the source says “The fund is healthy”")
    assert v.evidence[0].text == '"The fund is healthy," she said.'
    answer = pier_runtime.answerer().invoke(
        {"question": 'Did Odile Varrick say "The fund is not healthy"?'}).to_dict()
    assert answer["answer"].startswith("Not in these words"), answer["answer"]


def test_a_word_changed_inside_a_direct_quote_is_altered(pier_checker, nlp):
    v = pier_checker.check("It is like digging through concrete", "Lannon")
    assert v.verdict == "altered", v.to_dict()
    assert v.reasons == ["changed: the quote says “concrete” where the source says “cement”"]
    checks = check_draft(pier_checker, '"It is like digging through concrete," Piet Lannon said.', nlp)
    assert [c["verdict"] for c in checks] == ["altered"]


def test_a_changed_multiplier_in_reported_speech_is_altered(pier_checker):
    v = pier_checker.check("the crews were working triple shifts", "Piet Lannon")
    assert v.verdict == "altered", v.to_dict()
    assert v.reasons == ["number: the quote says “triple”, the source says “double”"]
    assert pier_checker.check("the crews were working double shifts", "Piet Lannon").verdict == "verbatim"


LENWICK = {
    "gazette.md": ("---\ntitle: Boil notice stays\noutlet: Lenwick Gazette\ndate: 2025-03-11\n---\n"
                   "Mayor Osric Tammaro said the boil notice would stay for a week.\n\n"
                   "\"The water is perfectly safe to drink once boiled,\" Tammaro said.\n\n"
                   "\"The pumping station is behind schedule,\" Tammaro added.\n"),
    "post.md": ("---\ntitle: Boil notice\noutlet: Riverbend Post\ndate: 2025-03-12\n---\n"
                "Deputy Mayor Fenna Quist spoke at the town hall on Wednesday.\n\n"
                "\"The water is perfectly safe to drink once boiled,\" Quist said.\n"),
    "herald.md": ("---\ntitle: Station works\noutlet: Valley Herald\ndate: 2025-03-13\n---\n"
                  "Mayor Osric Tammaro visited the pumping station on Thursday.\n\n"
                  "\"The pumping station is not behind schedule,\" Tammaro said.\n"),
}


def test_a_verdict_names_the_reports_that_dispute_it(make_runtime, tmp_path):
    rt = make_runtime()
    folder = tmp_path / "lenwick"
    folder.mkdir()
    for name, text in LENWICK.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert {r.status for r in rt.ingest_paths([folder])} == {"indexed"}
    checker = rt.quote_checker()
    who = checker.check("The water is perfectly safe to drink once boiled")
    # the first report answers "who said …?"; the later one, giving the words to someone else, disputes it
    assert (who.verdict, who.speaker, who.evidence[0].outlet) == ("verbatim", "Osric Tammaro", "Lenwick Gazette")
    assert [d.reason for d in who.disputes] == ["the same words are attributed to Fenna Quist"]
    late = checker.check("The pumping station is behind schedule", "Tammaro")
    assert late.verdict == "verbatim" and late.evidence[0].outlet == "Lenwick Gazette"
    (dispute,) = late.disputes
    assert dispute.evidence.outlet == "Valley Herald" and dispute.reason.startswith(
        "Osric Tammaro is reported with another meaning (negation")
    answer = rt.answerer().invoke({"question": "Did Tammaro say the pumping station is behind schedule?"}).to_dict()
    # a did-question about words other reports give otherwise is no plain "Yes": the first report decides
    assert answer["answer"].startswith("Yes, as first reported: the first report, Lenwick Gazette (2025-03-11), "
                                       "has Osric Tammaro saying these words")
    assert "Valley Herald (2025-03-13) has “The pumping station is not behind schedule” (negation)" in answer["answer"]
    alone = checker.check("Mayor Osric Tammaro visited the pumping station on Thursday")
    assert alone.disputes == []


TARN = {
    "ferry.md": "---\ntitle: Ferry to keep running through winter\noutlet: The Harrowgate Post\n"
                "date: 2024-10-01\n---\n\n"
                "Mayor Odile Brannock said on Monday that the Tarn ferry would keep running through the winter.\n\n"
                "\"We have found the money for the ferry crew,\" Brannock said at the harbour office.\n",
    "fees.md": "---\ntitle: Harbour fees frozen\noutlet: The Tarnmouth Herald\ndate: 2024-10-03\n---\n\n"
               "The harbour fees will not rise next year, the town council confirmed on Wednesday.\n\n"
               "\"We will not raise the harbour fees this year,\" the mayor said after the council meeting.\n",
}


@pytest.fixture(scope="module")
def tarn_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "tarn", TARN) as rt:
        yield rt


@pytest.mark.parametrize("quote, verdict", [
    # the alignment shares only the subject ("the Tarn ferry"): the source says something else of it
    ("The Tarn ferry was profitable", "not_found"),
    ("the Tarn ferry would run all winter", "paraphrase"),
])
def test_a_paraphrase_carries_what_the_quote_says_of_its_subject(tarn_runtime, quote, verdict):
    v = tarn_runtime.quote_checker().check(quote, "Odile Brannock")
    assert v.verdict == verdict, v.to_dict()


def test_carried_words_are_the_predicates():
    from bot.meaning import carried_words

    assert carried_words("the Kessel Bridge was sound", "The Kessel Bridge will close to all traffic") == (["sound"], [])
    assert carried_words("the Tarn ferry would run all winter",
                         "the Tarn ferry would keep running through the winter") == (["run", "winter"],
                                                                                     ["run", "winter"])
    # no auxiliary: every content word but the names
    assert carried_words("No one believes her promises", "Nobody believes her promises")[0] == ["believes", "promises"]


def test_words_of_an_unnamed_post_are_not_someone_elses(tarn_runtime):
    # "…," the mayor said (never named there) for Odile Brannock, described as mayor elsewhere
    checker = tarn_runtime.quote_checker()
    for claimed in ("Odile Brannock", "Mayor Odile Brannock"):
        v = checker.check("We will not raise the harbour fees this year", claimed)
        assert (v.verdict, v.speaker) == ("verbatim", "mayor"), v.to_dict()
        assert v.reasons[0] == ("the source names the speaker only as “the mayor” (the articles describe "
                                "Odile Brannock by that post)")
    # the reverse: the post claimed, the holder named in the source
    v = checker.check("We have found the money for the ferry crew", "the mayor")
    assert (v.verdict, v.speaker) == ("verbatim", "Odile Brannock"), v.to_dict()
    answer = tarn_runtime.answerer().invoke(
        {"question": "Did Odile Brannock say “We will not raise the harbour fees this year”?"}).to_dict()
    assert answer["answer"].startswith("Yes: the mayor said these words"), answer["answer"]
    # someone else named, as before
    assert checker.check("We will not raise the harbour fees this year", "the town council").verdict == "misattributed"


def test_an_unnamed_post_two_people_hold_is_not_resolved(make_runtime, tmp_path):
    folder = tmp_path / "tarn"
    folder.mkdir()
    other = ("---\ntitle: Dunross gets a new bus depot\noutlet: The Dunross Star\ndate: 2024-10-02\n---\n\n"
             "Mayor Ivo Castellane said on Tuesday that the depot would open in spring.\n")
    for name, text in {**TARN, "depot.md": other}.items():
        (folder / name).write_text(text, encoding="utf-8")
    rt = make_runtime()
    assert {r.status for r in rt.ingest_paths([folder])} == {"indexed"}
    v = rt.quote_checker().check("We will not raise the harbour fees this year", "Odile Brannock")
    assert v.verdict == "not_found" and v.evidence, v.to_dict()
    assert "describe several people so (Ivo Castellane, Odile Brannock)" in v.reasons[0]


def _ingest(rt, folder, articles):
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert {r.status for r in rt.ingest_paths([folder])} == {"indexed"}


def _trawlers(outlet: str, date: str, body: str) -> str:
    return f"---\ntitle: North quay traffic\noutlet: {outlet}\ndate: {date}\n---\n{body}\n"


FIRST_SAID = _trawlers("Brackwater Tribune", "2025-05-06",
                       "The north quay at Brackwater will close for repairs in June.\n\n"
                       "Harbour master Tilde Vell said the quay was the busiest in the county. "
                       "\"Thirty trawlers use the north quay every week,\" Vell said. "
                       "\"Without it, they cannot land their catch.\"")
LATER_SAID = ("Harbour master Tilde Vell said thirteen trawlers used the north quay every week.\n\n"
              "The quay was built in 1931.")


def test_the_first_report_decides_a_quote_another_outlet_words_otherwise(make_runtime, tmp_path):
    # the Tribune quotes Vell first ("Thirty"); the Shoreline Wire reports "thirteen" two
    # days later: the quote's wording is not the first report's, as the answers say
    rt = make_runtime()
    _ingest(rt, tmp_path / "vell", {"tribune.md": FIRST_SAID,
                                    "wire.md": _trawlers("Shoreline Wire", "2025-05-08", LATER_SAID)})
    checker = rt.quote_checker()
    v = checker.check("Thirteen trawlers use the north quay every week", "Tilde Vell")
    assert (v.verdict, v.speaker, v.evidence[0].outlet) == ("altered", "Tilde Vell", "Brackwater Tribune"), v.to_dict()
    assert v.reasons[0] == "number: the quote says “Thirteen”, the source says “Thirty”", v.reasons
    assert "the first report, Brackwater Tribune (2025-05-06), has other words" in v.reasons[1]
    (dispute,) = v.disputes
    assert dispute.evidence.outlet == "Shoreline Wire" and dispute.reason == (
        "Shoreline Wire (2025-05-08) reports Tilde Vell in the quote's words (paraphrase)")
    # the first report's own words stand, the later wording disputing them
    v = checker.check("Thirty trawlers use the north quay every week", "Tilde Vell")
    assert v.verdict == "verbatim" and [d.evidence.outlet for d in v.disputes] == ["Shoreline Wire"], v.to_dict()
    # the did-say answer weighs the reports itself, as before
    answer = rt.answerer().invoke(
        {"question": "Did Tilde Vell say “Thirteen trawlers use the north quay every week”?"}).to_dict()
    assert answer["answer"].startswith("Not as first reported"), answer["answer"]


def test_a_later_occasion_is_no_first_report_of_the_same_statement(make_runtime, tmp_path):
    # "thirteen" a month later: Vell may have said it then; the match stands, disputed
    rt = make_runtime()
    _ingest(rt, tmp_path / "vell", {"tribune.md": FIRST_SAID,
                                    "wire.md": _trawlers("Shoreline Wire", "2025-06-10", LATER_SAID)})
    v = rt.quote_checker().check("Thirteen trawlers use the north quay every week", "Tilde Vell")
    assert (v.verdict, v.evidence[0].outlet) == ("paraphrase", "Shoreline Wire"), v.to_dict()
    assert [d.evidence.outlet for d in v.disputes] == ["Brackwater Tribune"]
