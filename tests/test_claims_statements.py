"""Claims keep one statement per claim: a speaker's other statements about the same thing,
said on other days, are other claims (not drift of one quote, nor copies of it given to
someone else), and a change of position between them is a contradiction.

The articles are fictional: Mayor Odile Varga of Brenmoor backs the Orrin Tunnel in
January (a quotation of several sentences in February gives 200 jobs), raises the figure
to 400 jobs in March, turns against the tunnel in May, says so again in other words in
June, and in August says it would never have delivered 400 jobs and that a bus depot
will create 90. Nils Varga, a namesake who chairs the traders, is reported two days after
the mayor in the mayor's March words.
"""

from __future__ import annotations

import pytest

from bot.claims import build_claims, ensure_links, meaning_change, other_speakers, review_verdict, review_verdicts
from tests.conftest import ingested_runtime
from tests.helpers import claim_with, speaker_id


def _article(title: str, outlet: str, day: str, body: str) -> str:
    return f"---\ntitle: {title}\noutlet: {outlet}\ndate: {day}\n---\n\n{body}\n"


ARTICLES = {
    "a1-ledger.md": _article("Mayor backs tunnel", "The Brenmoor Ledger", "2030-01-10",
                             "Mayor Odile Varga said on Thursday that she fully supports the proposed Orrin Tunnel "
                             "under the Skarn hills.\n\n"
                             "\"This tunnel is the pride of Brenmoor,\" Mayor Odile Varga said at the council."),
    "a2-courier.md": _article("Tunnel jobs pledge", "Wexcombe Courier", "2030-02-14",
                              "Residents filled the hall in Brenmoor on Thursday.\n\n"
                              "\"We have consulted residents for three years. The Orrin Tunnel will create 200 jobs "
                              "in its first year. I am proud of this scheme,\" Mayor Odile Varga told the meeting."),
    "a3-post.md": _article("Mayor raises jobs figure", "The Sallow Post", "2030-03-20",
                           "\"The tunnel will bring 400 jobs to Brenmoor,\" Mayor Odile Varga said on Wednesday."),
    "a4-ledger.md": _article("Traders welcome jobs figure", "The Brenmoor Ledger", "2030-03-22",
                             "\"The tunnel will bring 400 jobs to Brenmoor,\" Nils Varga, who chairs the Brenmoor "
                             "Traders' Guild, said on Friday."),
    "a5-ledger.md": _article("Mayor turns against tunnel", "The Brenmoor Ledger", "2030-05-02",
                             "Mayor Odile Varga said on Friday that she now opposes the Orrin Tunnel, reversing "
                             "her earlier position.\n\n"
                             "\"I can no longer support the Orrin Tunnel,\" Mayor Odile Varga said. \"The costs "
                             "have doubled and the town cannot afford it.\""),
    "a6-courier.md": _article("Mayor defends tunnel U-turn", "Wexcombe Courier", "2030-06-30",
                              "\"I do not support building the Orrin Tunnel, and I will not support it,\" Mayor "
                              "Odile Varga said on Sunday."),
    "a7-post.md": _article("Bus depot jobs", "The Sallow Post", "2030-08-15",
                           "Mayor Odile Varga said the tunnel would never have delivered 400 jobs.\n\n"
                           "\"The bus depot will create 90 jobs,\" Mayor Odile Varga said on Thursday."),
}


@pytest.fixture(scope="module")
def varga(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "varga", ARTICLES) as rt:
        yield rt


def test_another_statement_about_the_same_thing_on_another_day_is_another_claim(varga):
    """January's "pride of Brenmoor" and March's "400 jobs to Brenmoor" share the topic and
    the town's name, not the statement: neither is an altered report of the other."""
    claims = build_claims(varga.store, speaker_id(varga, "Odile Varga", exact=True))
    pride = claim_with(claims, "pride of Brenmoor")
    jobs = claim_with(claims, "will bring 400 jobs")
    assert pride.id != jobs.id and pride.repeats == jobs.repeats == 1
    assert pride.verdict == jobs.verdict == "Accurately quoted"


def test_the_speaker_saying_it_again_in_other_words_is_no_altered_quote(varga):
    """May's "I can no longer support the Orrin Tunnel" (with a second quoted sentence) and
    June's "I do not support building the Orrin Tunnel" are two statements of the mayor,
    not the Courier misquoting the Ledger's quote."""
    claims = build_claims(varga.store, speaker_id(varga, "Odile Varga", exact=True))
    may = claim_with(claims, "no longer support")
    june = claim_with(claims, "do not support building")
    assert may.id != june.id and not may.altered and not june.altered
    assert may.verdict == june.verdict == "Accurately quoted"


def test_a_misattribution_cites_only_the_same_words(varga):
    """Nils Varga's words are the mayor's two days before in the Sallow Post: that report
    is cited, not January's Ledger article about the same tunnel in other words."""
    nils = claim_with(build_claims(varga.store, speaker_id(varga, "Nils Varga", exact=True)), "400 jobs")
    others = other_speakers(varga.store, nils)
    assert {(a.outlet, a.date) for a in others} == {("The Sallow Post", "2030-03-20")}
    verdict, reasons = review_verdict(nils, others)
    assert verdict == "Misattributed"
    assert reasons == ["The same words are attributed to Odile Varga in 1 article(s), first: The Sallow Post "
                       "(2030-03-20)"]


def test_reversals_and_changed_figures_are_contradictions(varga):
    claims = build_claims(varga.store, speaker_id(varga, "Odile Varga", exact=True))
    pairs = {frozenset((c.first.text, c.second.text)): c for c in claims.contradictions}

    def found(a: str, b: str):
        hits = [c for texts, c in pairs.items() if any(a in t for t in texts) and any(b in t for t in texts)]
        assert len(hits) == 1, (a, b, list(pairs))
        return hits[0]

    assert any(r.startswith("negation") for r in found("fully supports", "do not support building").reasons)
    # few words in common, but an opposite word in the same place
    assert found("fully supports", "now opposes").reasons == [
        "opposite: the quote says “supports” where the source says “opposes”"]
    # a figure inside a quotation of three sentences, replaced by another: the figures are named,
    # not "three" of "three years"
    assert found("200 jobs", "will bring 400 jobs").reasons == ["number: “200” in one, “400” in the other"]
    assert any(r.startswith("negation") for r in found("will bring 400 jobs", "never have delivered").reasons)
    # jobs the bus depot creates are no other figure for the tunnel's
    assert not [c for t, c in pairs.items() if any("bus depot" in x for x in t)]
    # the statements against the tunnel agree, whether with a negation or an opposite word
    against = ("no longer support", "do not support building", "now opposes")
    assert not [c for t, c in pairs.items() if all(any(w in x for w in against) for x in t)]


def test_a_negation_and_an_opposite_word_cancel_out():
    assert meaning_change("that she now opposes the Orrin Tunnel", "I do not support building the Orrin Tunnel") == []
    assert meaning_change("that she supports the Orrin Tunnel", "I do not support building the Orrin Tunnel")


def test_figures_are_paired_by_what_they_count():
    assert meaning_change("We have consulted residents for three years. The tunnel will create 200 jobs.",
                          "The tunnel will bring 400 jobs to Brenmoor") == ["number: “200” in one, “400” in the other"]
    assert meaning_change("The bus depot will create 90 jobs", "The tunnel will create 400 jobs") == []
    assert meaning_change("The line will open by 2033", "The line will open by 2036")  # what they count unknown


def test_a_listing_does_not_change_the_next_verdict(varga):
    """After a ``reindex`` (no claim links) the first listing of one speaker links only
    theirs: the misattribution check must still see every speaker's statements."""
    col = varga.store.collection("claims")
    col.delete(ids=col.get(include=[])["ids"])
    nils = build_claims(varga.store, speaker_id(varga, "Nils Varga", exact=True))
    verdicts = review_verdicts(varga.store, nils.claims)
    assert verdicts[claim_with(nils, "400 jobs").id][0] == "Misattributed"
    assert ensure_links(varga.store) == 0  # the listing linked everyone, so the next one reads the same


DELAY = {
    "d1-post.md": _article("Vote delayed", "The Sallow Post", "2030-04-05",
                           "\"The delay was caused by funding, not by politics,\" Mayor Odile Varga said on Friday."),
    "d2-courier.md": _article("Vote delayed again", "Wexcombe Courier", "2030-04-06",
                              "\"The delay was caused by politics, not by funding,\" Mayor Odile Varga said on Friday."),
}


def test_claim_ids_do_not_depend_on_ingest_order(make_runtime, tmp_path):
    """The Courier's misquote ingested before the Post's original report: the claim is
    still named after the Post's (earliest) report, as when they arrive in date order, and
    the id its links carry still finds it (a ClaimReview exported before)."""
    from bot.claims import claim_speaker

    for name, text in DELAY.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    runs = {}
    for order in (["d1-post.md", "d2-courier.md"], ["d2-courier.md", "d1-post.md"]):
        rt = make_runtime("store-" + order[0])
        for name in order:
            assert [r.status for r in rt.ingest_paths([tmp_path / name])] == ["indexed"]
        claims = build_claims(rt.store)
        assert len(claims.claims) == 1
        runs[order[0]] = (rt, claims.claims[0])
    (_, in_order), (rt, reversed_) = runs["d1-post.md"], runs["d2-courier.md"]
    assert in_order.id == reversed_.id and in_order.text == reversed_.text
    assert reversed_.text.startswith("The delay was caused by funding") and reversed_.altered
    (stored,) = reversed_.aliases  # founded by the Courier's report, ingested first
    assert build_claims(rt.store).get(stored) is not None
    assert claim_speaker(rt.store, reversed_.id) == claim_speaker(rt.store, stored) == reversed_.speaker_id
