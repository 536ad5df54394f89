"""Showing a source sentence: the citation popover and the whole-article dialog.

Shared by the pages that point at sentences (chat, quote check, speakers, library).
All article text goes through ``ui.render`` (escaped; highlighted with directives).
"""

from __future__ import annotations

import streamlit as st

from index.load import body_start
from ui.render import escape_markdown, highlight, in_paragraph, paragraph_bounds, safe_link, source_line


def article_parts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The article split around the paragraph holding ``text[start:end]``:
    (text before it, that paragraph with the span highlighted, text after it) as safe Markdown."""
    p0, p1 = paragraph_bounds(text, start, end)
    p0 = max(p0, body_start(text))  # front matter is metadata, shown above, not text
    before, after = text[body_start(text):p0].strip("\n"), text[p1:].strip("\n")
    return (escape_markdown(before) if before.strip() else "",
            highlight(text[p0:p1], start - p0, end - p0),
            escape_markdown(after) if after.strip() else "")


@st.dialog("The whole article", width="large")
def article_dialog(rt, article_id: str, start: int, end: int) -> None:
    """The whole article, opened at the cited passage: the passage's paragraph is shown
    highlighted first, the text before it folded above (so the reader lands on it)."""
    record = rt.store.get_article(article_id)
    if record is None:
        st.warning("This article is no longer in the index.")
        return
    st.markdown(f"**{escape_markdown(record.title or 'Untitled article')}**")
    st.caption(source_line(record.title, record.outlet, record.date))
    if record.url:
        st.markdown(safe_link(record.url, "Open the original"))
    before, passage, after = article_parts(record.text, start, end)
    if before:
        with st.expander("Earlier in the article"):
            st.markdown(before)
    st.markdown(passage)
    if after:
        st.markdown(after)


def citation_popover(rt, citation: dict, key: str) -> None:
    """A citation marker ``[n]``: opens the sentence highlighted in its paragraph, where it
    comes from, and a button for the whole article."""
    with st.popover(f"[{citation['n']}]", help=escape_markdown(f"Source {citation['n']}: {citation['text'][:160]}")):
        show_sentence(rt, citation["article_id"], citation["start"], citation["end"], key,
                      speaker=citation.get("speaker"))


def show_sentence(rt, article_id: str, start: int, end: int, key: str, speaker: str | None = None) -> None:
    """A source passage in its paragraph (highlighted), its article and a whole-article button."""
    record = rt.store.get_article(article_id)
    if record is None:
        st.warning("This article is no longer in the index.")
        return
    st.caption(source_line(record.title, record.outlet, record.date))
    st.markdown(in_paragraph(record.text, start, end))
    if speaker:
        st.caption(f"Speaker: {escape_markdown(speaker)}")
    if record.url:
        st.markdown(safe_link(record.url))
    if st.button("Open the whole article", key=f"open-{key}"):
        article_dialog(rt, article_id, start, end)
