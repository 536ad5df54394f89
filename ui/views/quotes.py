"""Quote check and draft check.

Quote check: a speaker (suggested from every known name and alias; any name may be typed)
and the quoted words in; the verdict as a badge that says it in words, the evidence in
its paragraph (highlighted), the word diff and, when misattributed, who did say it.
Draft check: every quotation and attributed statement of a pasted draft, in order, each
with its verdict; exportable as CSV and JSON.
"""

from __future__ import annotations

import streamlit as st

from index.errors import WhosaidError
from ui.export import rows_to_csv, rows_to_json
from ui.render import VERDICT_BADGES, diff_markdown, escape_markdown, verdict_badge
from ui.views.sources import show_sentence

DRAFT_COLUMNS = ("n", "quote", "claimed_speaker", "verdict", "speaker", "reasons", "source_title",
                 "source_outlet", "source_date", "source_url", "source_sentence", "start", "end")

EXPLAIN = {
    "verbatim": "The indexed articles contain these words{by}.",
    "paraphrase": "The indexed articles say this in other words{by}.",
    "altered": "A passage{by} is close, but the quote changes its wording in a way that changes the meaning.",
    "misattributed": "These words are in the indexed articles, but said by someone else.",
    "not_found": "The indexed articles don't contain these words or this statement.",
}


def speaker_suggestions(rt) -> list[str]:
    """Every known speaker name and the shorter forms the articles use for them ("Reyes"),
    sorted, each once whatever its case; an alias that is the name with words around it
    ("city engineer Tomas Pellor", "Tomas Pellor, the engineer") is left out: it picks
    the same person as the name."""
    names: dict[str, str] = {}
    for sp in rt.speaker_index().by_id.values():
        names.setdefault(sp.name.casefold(), sp.name)
        for alias in sp.aliases:
            alias = (alias or "").strip()
            if alias and sp.name.casefold() not in alias.casefold():
                names.setdefault(alias.casefold(), alias)
    return sorted(names.values(), key=str.casefold)


# What a user may type in the speaker box to mean "no one in particular" (its placeholder).
ANYONE = frozenset({"anyone", "anybody", "any", "everyone", "whoever", "-"})


def claimed_speaker(typed: str | None) -> str | None:
    """The speaker a quote is checked against: ``None`` for an empty box or "Anyone"."""
    typed = (typed or "").strip()
    return None if not typed or typed.casefold() in ANYONE else typed


def show_verdict(rt, verdict: dict, key: str) -> None:
    """A verdict: badge, plain explanation, who said it, diff and evidence in context."""
    label = verdict["verdict"]
    by = f" by {verdict['speaker']}" if verdict.get("speaker") else ""
    st.markdown(f"### {verdict_badge(label)}")
    st.markdown(escape_markdown(EXPLAIN.get(label, "").format(by=by)))
    if label == "misattributed":
        said_by = sorted({e["speaker"] for e in verdict["evidence"] if e.get("speaker")} |
                         ({verdict["speaker"]} if verdict.get("speaker") else set()))
        claimed = verdict.get("claimed_speaker") or "the named speaker"
        st.error(escape_markdown(f"Said by {', '.join(said_by) or 'an unnamed source'}, not {claimed}."),
                 icon="❌")
    for reason in verdict.get("reasons") or []:
        st.caption("• " + escape_markdown(reason))
    changed = [d for d in verdict.get("diff") or [] if d["op"] != "equal"]
    if verdict.get("diff"):
        st.markdown("**Word by word against the source**" + ("" if changed else " — no changes"))
        st.markdown(diff_markdown(verdict["diff"]))
    for i, ev in enumerate(verdict.get("evidence") or []):
        with st.container(border=True):
            st.markdown(f"**Evidence {i + 1}**" + (f" — {escape_markdown(ev['speaker'])}" if ev.get("speaker") else ""))
            show_sentence(rt, ev["article_id"], ev["start"], ev["end"], key=f"{key}-ev{i}")
    for i, dispute in enumerate(verdict.get("disputes") or []):
        ev = dispute["evidence"]
        with st.container(border=True):
            st.warning(escape_markdown(f"Disputed: {dispute['reason']}"), icon="⚠️")
            show_sentence(rt, ev["article_id"], ev["start"], ev["end"], key=f"{key}-dispute{i}")


def quote_tab(rt) -> None:
    """The quote check form and its result."""
    names = speaker_suggestions(rt)
    speaker = st.selectbox("Who is quoted? (optional; pick or type a name)", names, index=None,
                           accept_new_options=True, placeholder="Anyone", key="qc_speaker")
    quote = st.text_area("The quote", key="qc_quote", height=100,
                         placeholder="“We will not ask fishermen to pay for this.”")
    if st.button("Check the quote", type="primary", key="qc_go"):
        if not (quote or "").strip():
            st.warning("Type or paste the quoted words to check.")
        else:
            try:
                with st.spinner("Checking against the indexed articles…"):
                    result = rt.quote_checker().check(quote, claimed_speaker(speaker)).to_dict()
                st.session_state["qc_result"] = result
            except WhosaidError as exc:
                st.session_state.pop("qc_result", None)
                st.error(escape_markdown(str(exc)))
    result = st.session_state.get("qc_result")
    if result:
        show_verdict(rt, result, key="qc")


def draft_rows(results: list[dict]) -> list[dict]:
    """Draft check results as flat export rows (first evidence passage as the source)."""
    rows = []
    for n, r in enumerate(results, 1):
        ev = (r.get("evidence") or [{}])[0]
        rows.append({"n": n, "quote": r["quote"], "claimed_speaker": r.get("claimed_speaker"),
                     "verdict": r["verdict"], "speaker": r.get("speaker"), "reasons": r.get("reasons") or [],
                     "source_title": ev.get("title"), "source_outlet": ev.get("outlet"),
                     "source_date": ev.get("date"), "source_url": ev.get("url"),
                     "source_sentence": ev.get("text"), "start": r["start"], "end": r["end"]})
    return rows


def draft_tab(rt) -> None:
    """The draft check: paste, check every quotation, export."""
    from bot.draft import check_draft

    draft = st.text_area("Your draft", key="dc_text", height=220,
                         placeholder="Paste the draft article; every quotation and attributed statement is checked.")
    if st.button("Check the draft", type="primary", key="dc_go"):
        size = len((draft or "").encode("utf-8"))
        if not (draft or "").strip():
            st.warning("Paste a draft first.")
        elif size > rt.settings.max_file_bytes:
            st.error(f"The draft is {size / 1e6:.1f} MB, over the {rt.settings.max_file_bytes / 1e6:.0f} MB limit.")
        else:
            try:
                with st.spinner("Finding and checking every quotation…"):
                    st.session_state["dc_result"] = check_draft(rt.quote_checker(), draft, rt.nlp)
            except WhosaidError as exc:
                st.error(escape_markdown(str(exc)))
    results = st.session_state.get("dc_result")
    if results is None:
        return
    if not results:
        st.info("No quotations or attributed statements found in the draft.", icon="🔎")
        return
    counts = {}
    for r in results:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    st.markdown(" ".join(f"{verdict_badge(v)} {n}" for v, n in counts.items() if v in VERDICT_BADGES))
    rows = draft_rows(results)
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", rows_to_csv(rows, DRAFT_COLUMNS), file_name="whosaid-draft-check.csv",
                       mime="text/csv", key="dc_csv")
    c2.download_button("Download JSON", rows_to_json(results), file_name="whosaid-draft-check.json",
                       mime="application/json", key="dc_json")
    for n, r in enumerate(results, 1):
        who = f" — {r['claimed_speaker']}" if r.get("claimed_speaker") else ""
        label = f"{n}. {VERDICT_BADGES.get(r['verdict'], (r['verdict'],))[0]}: “{r['quote'][:80]}”{who}"
        with st.expander(escape_markdown(label)):
            st.markdown("> " + escape_markdown(r["quote"]))
            show_verdict(rt, r, key=f"dc{n}")


def render(rt) -> None:
    """The quote-check page (quote and draft tabs)."""
    st.title("Check a quote")
    quote, draft = st.tabs(["Quote", "Draft"])
    with quote:
        quote_tab(rt)
    with draft:
        draft_tab(rt)
