"""Claims: one speaker's statements grouped across articles — every appearance (outlet,
date, exact wording), wording drift with word diffs, contradictions with both citations —
and exports (schema.org ClaimReview JSON-LD per claim, CSV of all)."""

from __future__ import annotations

import io
import json

import streamlit as st

from bot.claimreview import claim_review, write_claims_csv
from bot.claims import Claim, ClaimSet, build_claims, review_verdicts
from ui.render import diff_markdown, escape_markdown, safe_link, source_line
from ui.views import data


def claims_of(rt, speaker_id: str) -> ClaimSet:
    """The speaker's claims, reread when the store changes (kept per session otherwise)."""
    generation = rt.store.generation()
    cache = st.session_state.setdefault("_claims", {})
    hit = cache.get(speaker_id)
    if hit is None or hit[0] != generation:
        claim_set = build_claims(rt.store, speaker_id)
        hit = (generation, claim_set, review_verdicts(rt.store, claim_set.claims) or {})
        cache[speaker_id] = hit
    return hit[1]


def verdicts_of(rt, speaker_id: str) -> dict[str, tuple[str, list[str]]]:
    """Each of the speaker's claims rated as the ClaimReview export rates it (against other
    speakers too); empty for a speaker with too many claims to rate here."""
    claims_of(rt, speaker_id)
    return st.session_state["_claims"][speaker_id][2]


def _appearance_line(a) -> str:
    link = safe_link(a.url)
    return f"{source_line(a.title, a.outlet, a.date)} ({a.kind})" + (f" · {link}" if link else "")


def claim_card(rt, claim: Claim, n: int, speaker_kind: str,
               rated: tuple[str, list[str]] | None = None) -> None:
    """One claim: its wording, appearances, drift and the ClaimReview export; ``rated``
    is its verdict and reasons against other speakers, when known."""
    verdict, reasons = rated or (claim.verdict, [])
    with st.container(border=True):
        note = f"{claim.stance_note}: " if claim.stance_note else ""
        st.markdown(f"{escape_markdown(note)}**“{escape_markdown(claim.text)}”**")
        st.caption(escape_markdown(f"first seen {claim.first_seen or 'date unknown'} · reported {claim.repeats} "
                                   f"time(s) · {', '.join(claim.outlets) or 'outlets unknown'} · {verdict}"))
        if verdict == "Misattributed":
            for reason in reasons:
                st.caption(escape_markdown(reason))
        with st.expander(f"Appearances ({claim.repeats})"):
            for a in claim.appearances:
                st.markdown(f"- {_appearance_line(a)}: “{escape_markdown(a.text)}”")
        if claim.drift:
            with st.expander(f"Wording drift ({len(claim.altered)} changing the meaning)",
                             expanded=bool(claim.altered)):
                st.caption(escape_markdown(f"Against {claim.reference.outlet or 'the reference'} "
                                           f"({claim.reference.date or 'date unknown'})"))
                for d in claim.drift:
                    label = "**Meaning changed**" if d.changed else "Wording only"
                    st.markdown(f"{label} — {_appearance_line(d.appearance)}")
                    st.markdown(diff_markdown([op.to_dict() for op in d.diff]))
                    for reason in d.reasons:
                        st.caption(escape_markdown(reason))
        if st.button("Prepare ClaimReview", key=f"cr-{n}"):
            if rated is None:
                from bot.claims import other_speakers, review_verdict

                verdict, reasons = review_verdict(claim, other_speakers(rt.store, claim))
            review = claim_review(claim, verdict, reasons, author=rt.settings.review_author,
                                  url_base=rt.settings.review_url_base, speaker_kind=speaker_kind)
            st.download_button("ClaimReview JSON-LD", json.dumps(review, ensure_ascii=False, indent=2),
                               file_name=f"{claim.id}.claimreview.json", mime="application/ld+json",
                               key=f"cr-dl-{n}")


def render(rt) -> None:
    """The claims page."""
    st.title("Claims")
    speakers = data.speakers(rt)
    if not speakers:
        st.info("No attributed statements yet: add articles in the Library.")
        return
    labels = {f"{r['name']} ({r['statements']} statements)": r for r in speakers}
    row = labels[st.selectbox("Speaker", list(labels), key="claims_speaker")]
    claim_set = claims_of(rt, row["id"])
    if not claim_set.claims:
        st.info("No claims for this speaker.")
        return
    repeated = sum(1 for c in claim_set.claims if c.repeats > 1)
    st.caption(escape_markdown(f"{len(claim_set.claims)} claims, {repeated} reported more than once, "
                               f"{len(claim_set.contradictions)} contradiction(s). Ratings concern how the "
                               "words were reported, not whether they are true."))
    verdicts = verdicts_of(rt, row["id"])
    out = io.StringIO()
    write_claims_csv(claim_set.claims, out, {i: v for i, (v, _) in verdicts.items()})
    slug = "".join(ch if ch.isalnum() else "-" for ch in row["name"].lower()).strip("-") or "speaker"
    st.download_button("Claims as CSV", out.getvalue(), file_name=f"whosaid-{slug}-claims.csv", mime="text/csv",
                       key="claims_csv")
    if claim_set.contradictions:
        st.subheader("Contradictions")
        for x in claim_set.contradictions:
            with st.container(border=True):
                st.markdown(f"Confidence {x.confidence:.2f}: " + escape_markdown("; ".join(x.reasons)))
                for c in (x.first, x.second):
                    st.markdown(f"- “{escape_markdown(c.text)}” — {_appearance_line(c.reference)}")
    st.subheader("Claims")
    only_repeated = st.toggle("Only claims reported more than once", key="claims_repeated")
    for n, claim in enumerate(claim_set.claims):
        if only_repeated and claim.repeats < 2:
            continue
        claim_card(rt, claim, n, row.get("kind") or "person", verdicts.get(claim.id))
