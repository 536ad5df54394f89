"""Chat: ask about the indexed articles; every statement cites its source sentences.

Statements appear one by one as the answerer produces them (``answerer.stream``), each
after its citations pass the support check (the backend's own check, then every cited
sentence is still in the store with the cited text); a statement that fails is shown
marked, never silently.
"""

from __future__ import annotations

import datetime as dt
import itertools

import streamlit as st

from bot.retrieve import Filters
from index.errors import WhosaidError
from ui.export import answer_with_references
from ui.render import escape_markdown
from ui.views import data
from ui.views.sources import citation_popover

UNSUPPORTED = ":orange-badge[⚠️ Not supported by its sources]"


def citations_hold(rt, statement: dict, by_n: dict) -> bool:
    """The support check the UI can make itself: every cited sentence exists (its article is
    still indexed) and its stored text is the cited text; plus the backend's own flag."""
    if not statement.get("supported", True) or not statement["citations"]:
        return False
    cited = [by_n.get(n) for n in statement["citations"]]
    if any(c is None for c in cited):
        return False
    stored = rt.store.get_sentences([c["sentence_id"] for c in cited])
    return all(c["sentence_id"] in stored and stored[c["sentence_id"]].text == c["text"] for c in cited)


def show_statement(rt, statement: dict, by_n: dict, key: str) -> None:
    """One statement with its citation markers (popovers)."""
    prefix = "" if statement.get("supported", True) else UNSUPPORTED + " "
    st.markdown(prefix + escape_markdown(statement["text"]))
    numbers = statement["citations"]
    cols = st.columns(max(len(numbers), 1) + 8, gap="small")
    for j, n in enumerate(numbers):
        with cols[j]:
            citation_popover(rt, by_n[n], key=f"{key}-{n}")


def show_answer(rt, question: str, answer: dict, turn: int) -> None:
    """An answer from history (already checked), or the "don't say" state."""
    if not answer["answered"]:
        st.info(escape_markdown(answer["answer"]), icon="🔎")
        show_notes(answer)
        return
    by_n = {c["n"]: c for c in answer["citations"]}
    for i, statement in enumerate(answer["statements"]):
        show_statement(rt, statement, by_n, key=f"{turn}-{i}")
    answer_footer(question, answer, turn)


def stream_answer(rt, question: str, stream, turn: int) -> dict:
    """Show a fresh answer statement by statement as ``stream`` (an ``AnswerStream``) yields
    them, each once its support check has run. Returns the answer (as ``Answer.to_dict``) with
    ``supported`` set from the check: what history keeps."""
    checked, slots = [], []
    statements = iter(stream)
    with st.spinner("Searching the indexed articles…"):
        first = next(statements, None)
    for i, statement in enumerate(itertools.chain([first] if first else [], statements)):
        by_n = {c.n: c.to_dict() for c in statement.sources}
        item = {"text": statement.text, "citations": list(statement.citations), "supported": statement.supported}
        if statement.supported:
            item["supported"] = citations_hold(rt, item, by_n)
        checked.append(item)
        slots.append(st.empty())
        with slots[-1].container():
            show_statement(rt, item, by_n, key=f"{turn}-{i}")
    answer = stream.answer().to_dict()
    if not answer["answered"]:
        st.info(escape_markdown(answer["answer"]), icon="🔎")
        show_notes(answer)
        return answer
    # A copy of a shown sentence in another outlet may be found later in the stream: the
    # backend then adds its citation to the statement already shown, so redraw that one.
    by_n = {c["n"]: c for c in answer["citations"]}
    for i, (item, final) in enumerate(zip(checked, answer["statements"])):
        if final["text"] == item["text"] and final["citations"] != item["citations"]:
            item["citations"] = list(final["citations"])
            if item["supported"]:
                item["supported"] = citations_hold(rt, item, by_n)
            with slots[i].container():
                show_statement(rt, item, by_n, key=f"{turn}-{i}-with-copies")
    answer = {**answer, "statements": checked}
    answer_footer(question, answer, turn)
    return answer


def show_notes(answer: dict) -> None:
    """The answer's notes (the speaker filter applied, dates read, …), answered or not."""
    for note in answer.get("notes") or []:
        st.caption("Note: " + escape_markdown(note))


def answer_footer(question: str, answer: dict, turn: int) -> None:
    """The backend used and the copy/download of the answer with its references."""
    st.caption(f"Answer backend: {escape_markdown(answer['backend'])} · "
               f"{len(answer['citations'])} source sentence(s)")
    show_notes(answer)
    with st.expander("Copy this answer with its references"):
        text = answer_with_references(question, answer)
        st.code(text, language=None, wrap_lines=True)
        st.download_button("Download as text", text, file_name=f"whosaid-answer-{turn}.txt",
                           mime="text/plain", key=f"dl-answer-{turn}")


def filter_panel(rt) -> Filters:
    """Article, speaker and date filters for the questions (collapsed by default)."""
    with st.expander("Filters: articles, speakers, dates"):
        records = data.articles(rt)
        labels = {r.id: data.article_label(r) for r in records}
        article_ids = st.multiselect("Only these articles", list(labels), format_func=lambda i: labels.get(i, i),
                                     key="filter_articles", placeholder="All articles")
        rows = data.speakers(rt)
        names = {r["id"]: r["name"] for r in rows}
        speaker_ids = st.multiselect("Only statements by", list(names), format_func=lambda i: names.get(i, i),
                                     key="filter_speakers", placeholder="Anyone")
        c1, c2 = st.columns(2)
        since = c1.date_input("Published since", value=None, key="filter_since", format="YYYY-MM-DD",
                              min_value=dt.date(1900, 1, 1))
        until = c2.date_input("Published until", value=None, key="filter_until", format="YYYY-MM-DD",
                              min_value=dt.date(1900, 1, 1))
    if since and until and since > until:
        st.warning("“Published since” is after “Published until”: no article can match; the dates are ignored.")
        since = until = None
    # the panel is collapsed: what it holds stays in sight while it applies
    active = ([f"only statements by {' or '.join(names.get(i, i) for i in speaker_ids)}"] if speaker_ids else []) \
        + ([f"{len(article_ids)} article(s) only"] if article_ids else []) \
        + ([f"published since {since.isoformat()}"] if since else []) \
        + ([f"published until {until.isoformat()}"] if until else [])
    if active:
        st.caption("Filters on: " + escape_markdown("; ".join(active)) + ". They apply to every question, "
                   "also one that names someone else.")
    return Filters(speaker_ids=list(speaker_ids), article_ids=list(article_ids),
                   since=since.isoformat() if since else None, until=until.isoformat() if until else None)


def cited_so_far(history: list[dict]) -> list[str]:
    """Sentence ids the conversation has already cited ("what else …" leaves them out)."""
    return [c["sentence_id"] for item in history if item["role"] == "assistant"
            for c in item["answer"].get("citations", [])]


def render(rt) -> None:
    """The chat page."""
    st.title("Who said what?")
    st.caption("Ask about the indexed articles. Every statement cites its source sentences; "
               "when the articles don't hold the answer, it says so.")
    filters = filter_panel(rt)
    history = st.session_state.setdefault("history", [])
    if history and st.button("Clear the conversation"):
        history.clear()
        st.session_state.pop("last_speakers", None)
    for turn, item in enumerate(history):
        with st.chat_message(item["role"]):
            if item["role"] == "user":
                st.markdown(escape_markdown(item["text"]))
            else:
                show_answer(rt, item["question"], item["answer"], turn)
    question = st.chat_input("Ask, e.g. What did Lavrov say?")
    if question is None:
        return
    if not question.strip():
        st.warning("Type a question first.")
        return
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
    with st.chat_message("assistant"):
        turn = len(history) + 1
        try:
            stream = rt.answerer().stream({"question": question, "filters": filters,
                                           "previous_speakers": st.session_state.get("last_speakers"),
                                           "previously_cited": cited_so_far(history)})
            payload = stream_answer(rt, question, stream, turn)
        except WhosaidError as exc:
            st.error(escape_markdown(str(exc)))
            return
        speakers = stream.answer().speakers
        if speakers:
            st.session_state["last_speakers"] = speakers
    history.append({"role": "user", "text": question})
    history.append({"role": "assistant", "question": question, "answer": payload})
