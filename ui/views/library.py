"""Library: add articles (paste, upload, URL), see what indexing did, browse, view, delete.

Adding goes through the Runtime (``ingest_text``, ``ingest_paths``, ``ingest_url``: the
guarded fetcher), with a progress bar; each input gets a status row (indexed / duplicate /
refused with the reason). Viewing an article highlights every attributed statement in
its speaker's colour and names the speaker after it (colour is never the only cue).
"""

from __future__ import annotations


import streamlit as st

from index.load import SUPPORTED_SUFFIXES, DateError, Metadata, UrlError, body_start
from ui.render import escape_markdown, highlight_spans, safe_link, source_line, speaker_colour
from ui.views import data

STATUS_BADGES = {"indexed": ":green-badge[✅ indexed]", "updated": ":green-badge[✏️ updated]",
                 "duplicate": ":blue-badge[🔁 duplicate]", "skipped": ":gray-badge[⏭ skipped]",
                 "refused": ":red-badge[⛔ refused]"}


def _progress_bar(label: str):
    bar = st.progress(0.0, text=label)

    def report(done: int, total: int, name: str) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Indexed {done} of {total}")

    return bar, report


def run_ingest(label: str, ingest) -> None:
    """Run ``ingest(progress)`` with a progress bar; keep its status rows for the page."""
    bar, report = _progress_bar(label)
    results = ingest(report)
    bar.empty()
    st.session_state["lib_results"] = [r.to_dict() for r in results]


def show_results() -> None:
    """The status of the last add: one row per input, with counts, speakers and reasons."""
    results = st.session_state.get("lib_results")
    if not results:
        return
    st.subheader("Last added")
    for r in results:
        name = r.get("title") or r.get("path") or r.get("article_id") or "input"
        line = f"{STATUS_BADGES.get(r['status'], escape_markdown(r['status']))} **{escape_markdown(name)}**"
        if r["status"] not in ("refused", "skipped"):
            line += escape_markdown(f" — {r['sentences']} sentences, {r['attributions']} attributions")
            if r.get("speakers"):
                line += escape_markdown(f"; speakers: {', '.join(r['speakers'])}")
        if r.get("reason"):
            line += "  \n" + escape_markdown(r["reason"])
        for warning in r.get("warnings") or []:
            line += "  \n⚠️ " + escape_markdown(warning)
        st.markdown(line)


def metadata_fields(prefix: str) -> Metadata | None:
    """Title / outlet / date / URL fields (empty = take them from the text, or unknown);
    ``None``, with the error under its field, when the date cannot be read or the link is
    not a web address."""
    c1, c2 = st.columns(2)
    title = c1.text_input("Title", key=f"{prefix}_title")
    outlet = c2.text_input("Outlet", key=f"{prefix}_outlet")
    c3, c4 = st.columns(2)
    date = c3.text_input("Date (YYYY-MM-DD)", key=f"{prefix}_date")
    url = c4.text_input("Link to the original", key=f"{prefix}_url")
    given = Metadata(title=title.strip() or None, outlet=outlet.strip() or None, date=date.strip() or None,
                     url=url.strip() or None)
    valid = True
    for column, name, error in ((c3, "date", DateError), (c4, "url", UrlError)):
        try:  # each field on its own, so that both errors show at once
            Metadata(**{name: getattr(given, name)}).checked()
        except error as exc:
            column.error(escape_markdown(str(exc)))
            valid = False
    return given.checked() if valid else None


def paste_tab(rt) -> None:
    """Add an article by pasting its text."""
    given = metadata_fields("paste")
    text = st.text_area("Article text", key="paste_text", height=220,
                        placeholder="Paste the article. Front matter and a # title line are read too.")
    if st.button("Add the article", type="primary", key="paste_go"):
        if not (text or "").strip():
            st.warning("Paste the article's text first.")
            return
        if given is None:
            st.warning("Correct the fields marked above first: nothing was added.")
            return
        run_ingest("Indexing the pasted article…",
                   lambda progress: rt.ingest_text(text, given, progress, name=given.title or "pasted text"))


def upload_tab(rt) -> None:
    """Add articles from uploaded files (written to a temporary folder, then ingested)."""
    kinds = sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES)
    files = st.file_uploader("Article files (" + ", ".join(kinds) + ")", type=kinds,
                             accept_multiple_files=True, key="upload_files")
    if st.button("Add the files", type="primary", key="upload_go"):
        if not files:
            st.warning("Choose one or more files first.")
            return
        uploads = [(f.name, f.getvalue()) for f in files]
        run_ingest(f"Indexing {len(uploads)} file(s)…", lambda progress: rt.ingest_uploads(uploads, None, progress))


def url_tab(rt) -> None:
    """Add an article from a web address (fetched with the guarded fetcher)."""
    url = st.text_input("Web address", key="url_value", placeholder="https://example.org/story")
    if st.button("Fetch and add", type="primary", key="url_go"):
        if not (url or "").strip():
            st.warning("Type the web address of the article first.")
            return
        run_ingest("Fetching and indexing…", lambda progress: rt.ingest_url(url.strip(), None, progress))


def article_markdown(rt, record) -> tuple[str, list[tuple[str, str]]]:
    """The article text with each attributed statement highlighted in its speaker's colour
    and labelled with the speaker; plus the legend (speaker, colour)."""
    attributions = rt.store.attributions(article_id=record.id)
    order: list[str] = []
    for a in sorted(attributions, key=lambda a: min((s["start"] for s in a["content"]), default=0)):
        name = a.get("speaker") or "unknown source"
        if name not in order:
            order.append(name)
    colours = {name: speaker_colour(i) for i, name in enumerate(order)}
    spans = []
    for a in attributions:
        name = a.get("speaker") or "unknown source"
        for k, s in enumerate(a["content"]):
            last = k == len(a["content"]) - 1
            spans.append((s["start"], s["end"], colours[name], name if last else None))
    return highlight_spans(record.text, spans, body_start(record.text)), [(n, colours[n]) for n in order]


def delete_controls(rt, record) -> None:
    """Delete with a confirmation step (the article and everything derived from it)."""
    pending = st.session_state.get("lib_delete") == record.id
    if not pending:
        if st.button("Delete this article…", key=f"del-{record.id}"):
            st.session_state["lib_delete"] = record.id
            st.rerun()
        return
    st.warning(escape_markdown(f"Delete “{record.title or 'Untitled article'}” and its {record.sentences} sentences "
                               f"and {record.attributions} attributions from the index? This cannot be undone."))
    c1, c2 = st.columns(2)
    if c1.button("Yes, delete it", type="primary", key=f"del-yes-{record.id}"):
        rt.store.delete_article(record.id)
        st.session_state.pop("lib_delete", None)
        st.session_state.pop("lib_view", None)
        st.session_state["lib_deleted"] = record.title or record.id
        st.rerun()
    if c2.button("Cancel", key=f"del-no-{record.id}"):
        st.session_state.pop("lib_delete", None)
        st.rerun()


def articles_section(rt) -> None:
    """The article list, and the chosen article with its attributions."""
    records = data.articles(rt)
    st.subheader(f"Indexed articles ({len(records)})")
    if deleted := st.session_state.pop("lib_deleted", None):
        st.success(escape_markdown(f"Deleted “{deleted}” and everything derived from it."))
    if not records:
        st.info("No articles yet: add one above.")
        return
    names = {row["id"]: row["name"] for row in data.speakers(rt)}
    st.dataframe([{"title": r.title or "Untitled article", "outlet": r.outlet or "", "date": r.date or "",
                   "sentences": r.sentences, "attributions": r.attributions,
                   "speakers": ", ".join(names.get(s, s) for s in r.speakers), "id": r.id} for r in records],
                 hide_index=True, width="stretch")
    labels = {r.id: data.article_label(r) for r in records}
    chosen = st.selectbox("Open an article", list(labels), format_func=lambda i: labels.get(i, i), index=None,
                          key="lib_view", placeholder="Choose an article to read it with its attributions")
    if not chosen:
        return
    record = rt.store.get_article(chosen)
    if record is None:
        st.warning("This article is no longer in the index.")
        return
    with st.container(border=True):
        st.markdown(f"#### {escape_markdown(record.title or 'Untitled article')}")
        st.caption(source_line(record.title, record.outlet, record.date) + escape_markdown(f" · id {record.id}"))
        if record.url:
            st.markdown(safe_link(record.url))
        if len(record.appearances) > 1:
            st.caption(escape_markdown("Also seen in: " + "; ".join(
                ", ".join(x for x in (a.outlet, a.date, a.url) if x) or "another copy"
                for a in record.appearances[1:])))
        text, legend = article_markdown(rt, record)
        if legend:
            st.markdown("Speakers: " + " ".join(f":{c}-background[{escape_markdown(n)}]" for n, c in legend))
        else:
            st.caption("No attributed statements found in this article.")
        st.markdown(text)
        delete_controls(rt, record)


def render(rt) -> None:
    """The library page."""
    st.title("Library")
    paste, upload, url = st.tabs(["Paste text", "Upload files", "From a web address"])
    with paste:
        paste_tab(rt)
    with upload:
        upload_tab(rt)
    with url:
        url_tab(rt)
    show_results()
    st.divider()
    articles_section(rt)
