"""Claims across articles: grouping, drift, contradictions, incremental links, the CLI.

The articles in tests/data/claims/articles report one fictional event (Port Veldra's
ferry fares) as five fictional outlets would: direct, indirect and partial quotes, one
misquote (the Kestrel Bay Herald drops a negation), one later contradiction (the mayor
announces a rise in May) and one misattribution (a terminal quote given to the
harbourmaster).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from dataclasses import replace

import numpy as np
import pytest

from bot.claims import (ClaimLinker, Statement, build_claims, claims_for_quote, ensure_links, meaning_change,
                        other_speakers, relate, review_verdict, same_occasion, choose_claim)
from tests.conftest import DATA, ingested_runtime
from tests.helpers import claim_with, speaker_id

ARTICLES = DATA / "claims" / "articles"


@pytest.fixture(scope="module")
def claims_runtime(tmp_path_factory, embeddings, nlp):
    with ingested_runtime(tmp_path_factory, embeddings, nlp, "claims", ARTICLES) as rt:
        yield rt


def test_same_statement_across_outlets_is_one_claim(claims_runtime):
    rt = claims_runtime
    claims = build_claims(rt.store, speaker_id(rt, "Ilka Vantreight"))
    frozen = claim_with(claims, "will not raise ferry fares")
    assert sorted(a.outlet for a in frozen.appearances) == [
        "Kestrel Bay Herald", "Northmere Gazette", "Tidewater Post", "Veldra Courier"]
    assert {a.kind for a in frozen.appearances} == {"direct", "indirect", "mixed"}
    assert frozen.first_seen == "2031-03-03" and frozen.repeats == 4
    terminal = claim_with(claims, "twelve departures")
    assert sorted(a.outlet for a in terminal.appearances) == ["Kestrel Bay Herald", "Northmere Gazette",
                                                              "Veldra Courier"]
    # The May statements are other claims, not more appearances of the March ones.
    rise = claim_with(claims, "by eight percent")
    money = claim_with(claims, "four million crowns")
    assert rise.id != frozen.id and money.repeats == 1 and rise.first_seen == "2031-05-20"
    for claim in claims.claims:
        for a in claim.appearances:
            article = rt.store.get_article(a.article_id)
            assert a.text in article.text  # exact wording, from the article itself
            assert a.sentence_id and a.sentence_id.startswith(a.article_id + ":")


def test_drift_flags_the_misquote_only(claims_runtime):
    rt = claims_runtime
    claims = build_claims(rt.store, speaker_id(rt, "Vantreight"))
    frozen = claim_with(claims, "will not raise ferry fares")
    assert frozen.reference.outlet == "Veldra Courier"  # earliest of the versions most agree with
    changed = {d.appearance.outlet: d for d in frozen.drift if d.changed}
    assert list(changed) == ["Kestrel Bay Herald"]
    assert any(r.startswith("negation") for r in changed["Kestrel Bay Herald"].reasons)
    assert any(op.op != "equal" for op in changed["Kestrel Bay Herald"].diff)
    assert frozen.verdict == "Altered quote"
    terminal = claim_with(claims, "twelve departures")
    gazette = next(d for d in terminal.drift if d.appearance.outlet == "Northmere Gazette")
    assert not gazette.changed  # "12" for "twelve" is wording, not meaning
    assert any(op.op == "replace" and op.quote == "12" for op in gazette.diff)
    assert terminal.verdict == "Accurately quoted"


def test_contradiction_with_both_citations(claims_runtime):
    rt = claims_runtime
    claims = build_claims(rt.store, speaker_id(rt, "Vantreight"))
    frozen, rise = claim_with(claims, "will not raise ferry"), claim_with(claims, "by eight percent")
    assert len(claims.contradictions) == 1
    found = claims.contradictions[0]
    assert {found.first.id, found.second.id} == {frozen.id, rise.id}
    assert 0 < found.confidence <= 1 and any(r.startswith("negation") for r in found.reasons)
    cited = found.to_dict()["citations"]
    assert {c["date"] for c in cited} == {"2031-03-03", "2031-05-20"}
    assert all(c["outlet"] == "Veldra Courier" and c["url"] for c in cited)
    assert frozen.contradicts == [rise.id] and rise.contradicts == [frozen.id]
    assert claim_with(claims, "four million crowns").contradicts == []


def test_misattribution_verdict(claims_runtime):
    rt = claims_runtime
    lindgaard = build_claims(rt.store, speaker_id(rt, "Tove Lindgaard"))
    given_to_her = claim_with(lindgaard, "twelve departures")
    others = other_speakers(rt.store, given_to_her)
    assert {a.outlet for a in others} == {"Veldra Courier", "Northmere Gazette", "Kestrel Bay Herald"}
    verdict, reasons = review_verdict(given_to_her, others)
    assert verdict == "Misattributed" and "3 article(s)" in reasons[0]
    mayor = build_claims(rt.store, speaker_id(rt, "Vantreight"))
    terminal = claim_with(mayor, "twelve departures")
    assert review_verdict(terminal, other_speakers(rt.store, terminal))[0] == "Accurately quoted"
    dredging = claim_with(lindgaard, "dredging")
    assert dredging.repeats == 2


def test_claims_for_quote(claims_runtime, embeddings):
    rt = claims_runtime
    sid = speaker_id(rt, "Vantreight")
    found = claims_for_quote(rt.store, sid, "We will not raise ferry fares", embeddings)
    assert found and "will not raise ferry fares" in found[0].text
    lexical = claims_for_quote(rt.store, sid, "not raise ferry fares this year")
    assert lexical and lexical[0].id == found[0].id
    assert claims_for_quote(rt.store, sid, "The bridge to Northmere will be repainted", embeddings) == []
    other = speaker_id(rt, "Tove Lindgaard")
    assert [c.id for c in claims_for_quote(rt.store, [other, sid], "We will not raise ferry fares", embeddings)][:1] \
        == [found[0].id]  # several speakers: the one who said it
    assert claims_for_quote(rt.store, [], "We will not raise ferry fares", embeddings) == []
    with pytest.raises(ValueError):  # an empty list is no speaker, not every speaker
        rt.store.attributions(speaker_id=[])


def test_new_article_joins_existing_groups(make_runtime):
    rt = make_runtime()
    first = sorted(ARTICLES.glob("courier-2031-03-03.md"))
    rt.ingest_paths(first)
    sid = speaker_id(rt, "Vantreight")
    before = claim_with(build_claims(rt.store, sid), "will not raise ferry fares")
    assert before.repeats == 1
    for path in sorted(p for p in ARTICLES.glob("*.md") if p not in first):
        rt.ingest_paths([path])  # one article at a time
    after = build_claims(rt.store, sid)
    frozen = claim_with(after, "will not raise ferry fares")
    assert frozen.id == before.id and frozen.repeats == 4
    links = rt.store.claim_links()
    assert len(links) == sum(1 for a in rt.store.attributions() if a.get("speaker_id"))


def test_links_are_invisible_until_the_article_commits(make_runtime, monkeypatch):
    rt = make_runtime()
    rt.ingest_paths([ARTICLES / "courier-2031-03-03.md"])
    store = rt.store

    def crash(bundles):
        raise RuntimeError("killed before the commit")

    monkeypatch.setattr(store, "write_articles", crash)
    with pytest.raises(RuntimeError):
        rt.ingest_paths([ARTICLES / "herald-2031-03-04.md"])
    monkeypatch.undo()
    raw = store.collection("claims").get(include=[])["ids"]
    assert len(raw) > len(store.claim_links())  # the herald's links exist but do not show
    claims = build_claims(store)
    assert all(a.outlet == "Veldra Courier" for c in claims.claims for a in c.appearances)
    rt.ingest_paths([ARTICLES / "herald-2031-03-04.md"])  # re-running completes it
    frozen = claim_with(build_claims(store), "will not raise ferry fares")
    assert sorted(a.outlet for a in frozen.appearances) == ["Kestrel Bay Herald", "Veldra Courier"]


def test_missing_links_are_rebuilt_and_delete_removes_appearances(make_runtime):
    rt = make_runtime()
    rt.ingest_paths([ARTICLES])
    expected = {c.text: c.repeats for c in build_claims(rt.store).claims}
    col = rt.store.collection("claims")
    col.delete(ids=col.get(include=[])["ids"])  # as after `reindex`, or a store from before claims
    assert ensure_links(rt.store) == len(rt.store.claim_links())
    assert {c.text: c.repeats for c in build_claims(rt.store).claims} == expected
    herald = next(a for a in rt.store.list_articles() if a.outlet == "Kestrel Bay Herald")
    rt.store.delete_article(herald.id)
    frozen = claim_with(build_claims(rt.store), "will not raise ferry fares")
    assert frozen.repeats == 3 and not frozen.altered and frozen.verdict == "Accurately quoted"


def test_cli_claims(tmp_path):
    from ui.cli import main

    store = str(tmp_path / "clistore")
    assert main(["ingest", str(ARTICLES), "--store", store, "--json"]) in (0,)
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["claims", "--speaker", "Vantreight", "--json", "--store", store,
                     "--csv", str(tmp_path / "claims.csv")])
    assert code == 0
    payload = json.loads(out.getvalue())
    assert {"id", "speaker", "text", "first_seen", "appearances", "drift", "contradicts"} <= set(payload["claims"][0])
    assert {"article_id", "sentence_id", "outlet", "date", "url", "text"} <= set(payload["claims"][0]["appearances"][0])
    assert len(payload["contradictions"]) == 1
    assert (tmp_path / "claims.csv").read_text(encoding="utf-8").count("\n") == 1 + sum(
        len(c["appearances"]) for c in payload["claims"])
    frozen = next(c for c in payload["claims"] if "will not raise" in c["text"])
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["claims", "--claimreview", frozen["id"], "--store", store]) == 0
    review = json.loads(out.getvalue())
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"] == "Altered quote"
    assert main(["claims", "--speaker", "Nobody Atall", "--store", store]) == 1
    assert main(["claims", "--claimreview", "claim-000000000000", "--store", store]) == 1


# -- pure decisions --------------------------------------------------------------------------


def _statement(text: str, date: str | None, vector) -> Statement:
    return Statement(text, "s", text, np.asarray(vector, dtype=np.float32), date)


def test_meaning_change_kinds():
    assert meaning_change("We will not raise fares", "We will raise fares")
    assert meaning_change("The plan costs 40 million", "The plan costs 14 million")
    assert meaning_change("Tariffs will fall in April", "Tariffs will rise in April")
    assert meaning_change("signed in March", "signed in October")
    # A detail left out is not a change.
    assert meaning_change("The terminal opens in June with twelve departures", "the terminal opens in June") == []
    assert meaning_change("twelve departures a day", "12 departures a day") == []
    # a multiplier replaced by another; one left out
    assert meaning_change("crews on triple shifts", "crews on double shifts") == [
        "number: “triple” in one, “double” in the other"]
    assert meaning_change("crews on double shifts", "crews on shifts") == []
    # an opposite made with a negative prefix
    assert meaning_change("The fund is healthy", "The fund is unhealthy")


def test_relation_uses_occasion_to_tell_drift_from_contradiction():
    v = [1.0, 0.0]
    a = _statement("We will not raise ferry fares this year", "2031-03-03", v)
    misquote = _statement("We will raise ferry fares this year", "2031-03-04", v)
    later = _statement("We will raise ferry fares this year", "2031-06-01", v)
    undated = _statement("We will raise ferry fares this year", None, v)
    assert relate(a, misquote).same_claim and relate(a, misquote).contradiction == 0
    assert not relate(a, later).same_claim and relate(a, later).contradiction > 0.5
    # a changed meaning with no date: not known to be a misreport, nor a change of position
    assert not relate(a, undated).same_claim and relate(a, undated).contradiction == 0
    assert relate(a, _statement("We will not raise ferry fares this year", None, v)).same_claim
    assert same_occasion("2031-03-03", "2031-03-06") and not same_occasion("2031-03-03", "2031-03-07")
    other = _statement("The harbour will be dredged in spring", "2031-03-03", [0.0, 1.0])
    assert not relate(a, other).same_topic and relate(a, other).contradiction == 0


def test_an_undated_opposite_statement_founds_its_own_claim():
    """An undated "the bridge is safe" must not join June's "the bridge is not safe" as a
    drifted wording: nothing shows it misreports the June statement (an outlet would be
    rated for altering it); an undated copy that keeps the meaning still joins."""
    v = [1.0, 0.0]
    june = replace(_statement("The bridge is not safe for heavy trucks", "2031-06-18", v),
                   claim_id="claim-june", claim_text="The bridge is not safe for heavy trucks",
                   claim_date="2031-06-18")
    assert choose_claim(_statement("The bridge is safe for heavy trucks", None, v), [june]) is None
    assert choose_claim(_statement("The bridge is not safe for heavy trucks", None, v), [june]) is june
    assert choose_claim(_statement("The bridge is safe for heavy trucks", "2031-06-19", v), [june]) is june


class _NoLinks:
    """A store with no claim links yet."""

    def nearest_claim_links_many(self, vectors, k, speaker_id=None):
        return [[] for _ in vectors]


def test_linker_orders_by_date_and_groups_within_a_batch():
    v = [0.6, 0.8]
    late = _statement("We will raise ferry fares by eight percent this summer", "2031-05-20", v)
    late.id = "late"
    early = _statement("We will not raise ferry fares this year", "2031-03-03", v)
    early.id = "early"
    again = _statement("the council would not raise ferry fares this year", "2031-03-03", v)
    again.id = "again"
    links = {row["id"]: row for row in ClaimLinker(_NoLinks()).link([late, again, early])}
    assert links["early"]["claim_id"] == links["again"]["claim_id"] != links["late"]["claim_id"]
    assert links["late"]["claim_text"] == late.text


# -- the app's claims page -------------------------------------------------------------------


def test_claims_page_shows_groups_drift_contradiction_and_exports(monkeypatch, embeddings, nlp):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setattr("bot.runtime.Runtime.embeddings", embeddings, raising=False)
    monkeypatch.setattr("bot.runtime.Runtime.nlp", nlp, raising=False)
    monkeypatch.setenv("WHOSAID_INDEX_SEEDS", "1")
    monkeypatch.setenv("WHOSAID_SEEDS", str(ARTICLES))
    try:
        at = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=120).run()
        pages = [h for h, info in at._registered_pages.items() if info.get("url_pathname") == "claims"]
        assert pages, at._registered_pages
        at._page_hash = pages[0]
        at.run()
        box = at.selectbox(key="claims_speaker")
        box.select(next(o for o in box.options if o.startswith("Ilka Vantreight"))).run()
        shown = "\n".join(str(e.value) for kind in ("markdown", "caption") for e in getattr(at, kind))
        plain = shown.replace("\\", "")
        assert "Contradictions" in [s.value for s in at.subheader]
        assert "We will raise ferry fares by eight percent this summer" in plain
        assert "**Meaning changed**" in shown and "Kestrel Bay Herald" in plain
        assert "reported 4 time(s)" in plain
        assert not at.exception
        frozen = next(i for i, b in enumerate(at.button) if b.label == "Prepare ClaimReview")
        at.button[frozen].click().run()
        assert not at.exception
        labels = [getattr(b, "label", None) or b.proto.label for b in at.get("download_button")]
        assert "ClaimReview JSON-LD" in labels and "Claims as CSV" in labels
    finally:
        st.cache_resource.clear()


def test_chat_has_x_said_this_before_lists_every_appearance_with_drift(claims_runtime):
    answer = claims_runtime.answerer().invoke(
        {"question": "Has Vantreight said “We will not raise ferry fares this year” before?"}).to_dict()
    assert answer["answered"] and answer["kind"] == "claim_history"
    assert "4 reports from 4 outlets" in answer["statements"][0]["text"]
    outlets = [c["outlet"] for c in answer["citations"]]
    assert {"Veldra Courier", "Northmere Gazette", "Kestrel Bay Herald", "Tidewater Post"} <= set(outlets)
    misquote = next(s for s in answer["statements"] if "Kestrel Bay Herald" in s["text"])
    assert "changes the meaning: negation" in misquote["text"]


def test_chat_how_did_outlets_report_picks_the_widely_reported_claim(claims_runtime):
    answer = claims_runtime.answerer().invoke(
        {"question": "How did outlets report Vantreight's quote about ferry fares?"}).to_dict()
    assert answer["answered"] and "4 reports" in answer["statements"][0]["text"]


def test_chat_claim_history_refuses_what_was_never_said(claims_runtime):
    answer = claims_runtime.answerer().invoke(
        {"question": "Has Vantreight said “the moon is made of cheese” before?"}).to_dict()
    assert not answer["answered"] and answer["citations"] == []


# -- the linker's speaker cache ------------------------------------------------------------------


def _claim_of_each_attribution(rt) -> dict[str, str]:
    return {link["id"]: link["claim_id"] for link in rt.store.claim_links()}


def test_the_speaker_cache_links_as_chroma_queries_do(make_runtime, monkeypatch):
    """Linking with each speaker's links kept in memory groups exactly as one filtered Chroma
    query per speaker does (the articles arrive one at a time, so later ones link against
    what earlier ones stored)."""
    files = sorted(ARTICLES.glob("*.md"))
    cached = make_runtime("cached")
    for f in files:
        cached.ingest_paths([f])
    monkeypatch.setattr("bot.claims.MAX_SPEAKER_LINKS", -1)  # every speaker searched in Chroma
    queried = make_runtime("queried")
    for f in files:
        queried.ingest_paths([f])
    assert queried.indexer.before_commit.__self__.cache._by_speaker == {}  # nothing was kept
    assert cached.indexer.before_commit.__self__.cache._by_speaker  # speakers were kept
    by_cache, by_query = _claim_of_each_attribution(cached), _claim_of_each_attribution(queried)
    assert by_cache == by_query and len(set(by_cache.values())) < len(by_cache)


def test_the_speaker_cache_sees_what_another_writer_added(make_runtime):
    from bot.claims import SpeakerLinks

    store = make_runtime().store

    def link(lid: str, vector: list[float]) -> dict:
        return {"id": lid, "vector": np.asarray(vector + [0.0] * 382, dtype=np.float32), "text": lid,
                "claim_id": f"claim-{lid}", "speaker_id": "ada", "article_id": "a", "date": None}

    store.write_claim_links([link("first", [1.0, 0.0])])
    cache = SpeakerLinks(store)
    size = cache.check()
    assert [n["id"] for n in cache.nearest("ada", [link("q", [0.0, 1.0])["vector"]], 5)[0]] == ["first"]
    cache.written([], size)  # this process's batch wrote nothing
    store.write_claim_links([link("second", [0.0, 1.0])])  # another writer
    cache.check()
    nearest = cache.nearest("ada", [link("q", [0.0, 1.0])["vector"]], 5)[0]
    assert [n["id"] for n in nearest] == ["second", "first"] and nearest[0]["similarity"] > 0.99


def test_the_speaker_cache_reads_a_batch_of_speakers_in_one_read(make_runtime, monkeypatch):
    """The speakers of a batch are read together, each speaker's links keep their own
    vectors, and a speaker read once is not read again."""
    from bot.claims import SpeakerLinks

    store = make_runtime().store

    def link(lid: str, speaker: str, axis: int) -> dict:
        vector = np.zeros(384, dtype=np.float32)
        vector[axis] = 1.0
        return {"id": lid, "vector": vector, "text": lid, "claim_id": f"claim-{lid}", "speaker_id": speaker,
                "article_id": "a", "date": None}

    store.write_claim_links([link("ada-1", "ada", 0), link("bo-1", "bo", 1), link("ada-2", "ada", 2),
                             link("cy-1", "cy", 3)])
    reads = []
    real = store.claim_links_by_speaker
    monkeypatch.setattr(store, "claim_links_by_speaker", lambda ids: reads.append(list(ids)) or real(ids))
    cache = SpeakerLinks(store)
    cache.check()
    cache.prefetch(["ada", "bo", "dee", "ada"])
    assert reads == [["ada", "bo", "dee"]]
    query = link("q", "ada", 2)["vector"]
    (ada,) = cache.nearest("ada", [query], 5)
    assert [n["id"] for n in ada] == ["ada-2", "ada-1"] and ada[0]["similarity"] > 0.99
    assert ada[0]["vector"][2] == 1.0 and ada[1]["vector"][0] == 1.0
    assert cache.nearest("dee", [query], 5) == [[]]  # known to have no links: not read again
    assert [n["id"] for n in cache.nearest("bo", [query], 5)[0]] == ["bo-1"]
    assert len(reads) == 1
    assert [n["id"] for n in cache.nearest("cy", [query], 5)[0]] == ["cy-1"]  # not prefetched: read alone
    assert reads[1:] == [["cy"]]


def test_a_direct_quotation_with_a_word_swapped_is_drift_though_the_meaning_holds():
    from bot.claims import ClaimAppearance, drift

    def seen(aid, text, kind, outlet, day):
        return ClaimAppearance(aid, aid, f"{aid}:1", [f"{aid}:1"], text, kind, outlet, None, day, None)

    gazette = seen("g", "a disaster for the spring catch", "direct", "Wrenmouth Gazette", "2025-03-01")
    post = seen("p", "a catastrophe for the spring catch", "direct", "Coastline Post", "2025-03-02")
    _, (changed,) = drift([gazette, post])
    assert changed.changed and changed.reasons == ["quoted words: “catastrophe” for “disaster”"]
    excerpt = seen("e", "a disaster", "direct", "Harbour Ledger", "2025-03-03")  # a shorter excerpt
    reported = seen("r", "a catastrophe for the spring catch", "indirect", "Ledger", "2025-03-04")  # not quoted
    _, drifts = drift([gazette, excerpt, reported])
    assert not any(d.changed for d in drifts), [d.reasons for d in drifts]


def _appearance(aid, day, speaker, stance="asserted", text="The water is perfectly safe to drink once boiled."):
    from bot.claims import ClaimAppearance

    return ClaimAppearance(aid, aid, f"{aid}:0", [f"{aid}:0"], text, "direct", f"Outlet {aid}", None, day, None,
                           stance, "denied" if stance == "denied" else None, speaker)


def _claim(*appearances):
    from bot.claims import Claim

    return Claim("c", "osric-tammaro", "Osric Tammaro", list(appearances), appearances[0], np.zeros(3))


def test_the_first_to_report_the_words_decides_a_misattribution():
    gazette = _claim(_appearance("gazette", "2025-03-11", "Osric Tammaro"))
    post = [_appearance("post", "2025-03-12", "Fenna Quist")]
    verdict, _ = review_verdict(gazette, post)
    assert verdict == "Accurately quoted"  # a one-to-one tie condemns neither: the earlier report stands
    later = _claim(_appearance("post", "2025-03-12", "Fenna Quist"))
    verdict, reasons = review_verdict(later, [_appearance("gazette", "2025-03-11", "Osric Tammaro")])
    assert verdict == "Misattributed"
    assert reasons == ["The same words are attributed to Osric Tammaro in 1 article(s), first: Outlet gazette "
                       "(2025-03-11)"]


def test_reported_speech_is_rated_accurately_reported_not_quoted():
    """A claim no outlet quoted (reported speech only) has no quoted words to be accurate:
    it is "Accurately reported"; one quotation among its reports makes it a quote."""
    reported = [_appearance("gazette", "2025-03-11", "Osric Tammaro", text="that the water was safe to drink"),
                _appearance("post", "2025-03-12", "Osric Tammaro", text="that the water was safe to drink")]
    for a in reported:
        a.kind = "indirect"
    claim = _claim(*reported)
    assert claim.verdict == "Accurately reported" and review_verdict(claim, [])[0] == "Accurately reported"
    reported[1].kind = "mixed"  # one outlet quotes part of it
    assert _claim(*reported).verdict == "Accurately quoted"


def test_a_denial_is_rated_a_denial_though_an_accuser_used_the_same_words():
    denial = _claim(_appearance("g", "2025-03-20", "Osric Tammaro", "denied", "he had kept the test results secret"))
    accusation = [_appearance("p", "2025-03-19", "Bram Oduya", "asserted", "he had kept the test results secret")]
    verdict, reasons = review_verdict(denial, accusation)
    assert verdict == "Denied by the speaker" and reasons[0].startswith("The source reports Osric Tammaro: denied")


def test_a_number_one_outlet_changes_is_drift_though_the_reference_has_no_number():
    from bot.claims import drift

    said = "The hospital will open in June with {} beds"
    reports = [_appearance("gazette", "2025-03-02", "Petra Halvorsen", text="that the new hospital would open in June"),
               _appearance("herald", "2025-03-03", "Petra Halvorsen", text=said.format(400)),
               _appearance("ledger", "2025-03-04", "Petra Halvorsen", text=said.format(450)),
               _appearance("coastline", "2025-03-18", "Petra Halvorsen", text=said.format(400))]
    reference, drifts = drift(reports)
    assert reference.article_id == "gazette"
    changed = {d.appearance.article_id: d for d in drifts if d.changed}
    assert list(changed) == ["ledger"], [(d.appearance.article_id, d.reasons) for d in drifts]
    assert changed["ledger"].reference.article_id == "herald" and changed["ledger"].reasons[0].startswith("number")


def test_a_claim_of_two_quoted_parts_reads_without_stray_quotation_marks():
    from bot.claims import bare_text

    assert bare_text("“About 300 households are affected,” “The water is safe to drink once boiled.”") == \
        "About 300 households are affected … The water is safe to drink once boiled."
    assert bare_text("“We will not wait.” “Never.”") == "We will not wait. Never."
    assert bare_text('that the limit was "the least we can do" and fair') == 'that the limit was "the least we can do" and fair'


def test_a_drift_reason_reads_from_the_reference_to_the_changed_copy():
    from bot.claims import ClaimAppearance, drift

    def seen(aid: str, text: str, outlet: str, day: str) -> ClaimAppearance:
        return ClaimAppearance(aid, aid, f"{aid}:1", [f"{aid}:1"], text, "direct", outlet, None, day, None)

    first = seen("g", "The bridge is safe, and we will not close it before the harvest", "Orrin Gazette",
                 "2024-03-04")
    copy = seen("w", "The bridge is safe, and we will close it before the harvest", "Tarn Wire", "2024-03-05")
    for order in ([first, copy], [copy, first]):  # whichever the pair was compared in
        reference, drifted = drift(order)
        assert reference is first and drifted[0].appearance is copy
        assert drifted[0].reasons == ["negation: the source says “and we will not close it before the harvest”, "
                                      "the quote drops the negation: “and we will close it before the harvest”"]
