"""The whosaid Streamlit app: chat with the indexed articles, every statement cited.

Run with ``whosaid ui``. Heavy objects (embedding model, spaCy, store client) are built
once per process (``st.cache_resource``); chat history lives in ``st.session_state``.
"""

from __future__ import annotations

import streamlit as st

from index.errors import WhosaidError
from ui.render import escape_markdown, highlight, paragraph_bounds, source_line

st.set_page_config(page_title="whosaid", page_icon="🗞️", layout="wide")


def _secrets() -> dict:
    try:
        return {k: v for k, v in st.secrets.items() if not isinstance(v, dict)}
    except Exception:  # no secrets.toml: nothing to read
        return {}


@st.cache_resource(show_spinner="Loading the embedding model and the store…")
def get_runtime():
    from bot.runtime import Runtime
    from index.config import load_settings

    return Runtime(load_settings(secrets=_secrets()))


def ensure_seeded(rt) -> None:
    if rt.store.is_seeded() or not rt.settings.index_seeds_on_first_run:
        return
    bar = st.progress(0.0, text="Indexing the seed corpus (first start)…")
    rt.ensure_seeded(lambda done, total, name: bar.progress(done / max(total, 1),
                                                             text=f"Indexed {done} of {total} seed articles"))
    bar.empty()


def show_article_dialog(rt, citation: dict) -> None:
    @st.dialog(citation.get("title") or "Article", width="large")
    def _dialog():
        record = rt.store.get_article(citation["article_id"])
        if record is None:
            st.warning("This article is no longer in the index.")
            return
        st.caption(source_line(record.title, record.outlet, record.date))
        if record.url:
            st.link_button("Open the original", record.url)
        st.markdown(highlight(record.text, citation["start"], citation["end"]))

    _dialog()


def show_citation(rt, citation: dict, key: str) -> None:
    with st.popover(f"[{citation['n']}]", help=citation["text"][:200]):
        st.caption(source_line(citation.get("title"), citation.get("outlet"), citation.get("date")))
        record = rt.store.get_article(citation["article_id"])
        if record is None:
            st.warning("This article is no longer in the index.")
            return
        p0, p1 = paragraph_bounds(record.text, citation["start"], citation["end"])
        st.markdown(highlight(record.text[p0:p1], citation["start"] - p0, citation["end"] - p0))
        if citation.get("speaker"):
            st.caption(f"Speaker: {escape_markdown(citation['speaker'])}")
        if citation.get("url"):
            st.markdown(f"[Original article]({citation['url'].replace(')', '%29').replace(' ', '%20')})" if citation["url"].startswith(("http://", "https://"))
                        else escape_markdown(citation["url"]))
        if st.button("Open the whole article", key=f"open-{key}"):
            show_article_dialog(rt, citation)


def show_answer(rt, answer: dict, turn: int) -> None:
    if not answer["answered"]:
        st.info(escape_markdown(answer["answer"]), icon="🔎")
        return
    by_n = {c["n"]: c for c in answer["citations"]}
    for i, statement in enumerate(answer["statements"]):
        marks = "".join(f"[{n}]" for n in statement["citations"])
        prefix = "" if statement.get("supported", True) else "⚠️ unsupported: "
        st.markdown(prefix + escape_markdown(statement["text"]) + " " + escape_markdown(marks))
        cols = st.columns(max(len(statement["citations"]), 1) + 8)
        for j, n in enumerate(statement["citations"]):
            with cols[j]:
                show_citation(rt, by_n[n], key=f"{turn}-{i}-{n}")
    st.caption(f"Answer backend: {answer['backend']}")


def chat_page(rt) -> None:
    st.title("Who said what?")
    st.caption("Ask about the indexed articles. Every statement cites its source sentence; "
               "when the articles don't hold the answer, it says so.")
    history = st.session_state.setdefault("history", [])
    for turn, item in enumerate(history):
        with st.chat_message(item["role"]):
            if item["role"] == "user":
                st.markdown(escape_markdown(item["text"]))
            else:
                show_answer(rt, item["answer"], turn)
    question = st.chat_input("e.g. What did Lavrov say?")
    if question:
        history.append({"role": "user", "text": question})
        with st.chat_message("user"):
            st.markdown(escape_markdown(question))
        with st.chat_message("assistant"):
            previous = st.session_state.get("last_speakers")
            try:
                answer = rt.answerer().invoke({"question": question, "previous_speakers": previous})
            except WhosaidError as exc:
                st.error(escape_markdown(str(exc)))
                history.pop()
                return
            if answer.speakers:
                st.session_state["last_speakers"] = answer.speakers
            payload = answer.to_dict()
            history.append({"role": "assistant", "answer": payload})
            show_answer(rt, payload, len(history) - 1)


def sidebar(rt) -> None:
    with st.sidebar:
        st.header("whosaid")
        st.caption(f"{rt.store.count('articles')} articles indexed")
        s = rt.settings
        st.caption(f"Store: {escape_markdown(s.store_description)}")
        st.caption(f"Embeddings: {escape_markdown(rt.embeddings.model_id)}")
        st.caption("Answers: " + (f"LLM {escape_markdown(s.llm_model)}" if s.llm_enabled else "extractive (offline)"))
        if st.button("Clear the conversation"):
            st.session_state["history"] = []
            st.session_state.pop("last_speakers", None)


def main() -> None:
    try:
        rt = get_runtime()
        ensure_seeded(rt)
    except WhosaidError as exc:
        st.error(escape_markdown(str(exc)))
        st.stop()
    sidebar(rt)
    chat_page(rt)


main()
