"""The whosaid Streamlit app: chat with cited sources, quote and draft checks, the article
library, speaker pages and settings.

Run with ``whosaid ui``. Heavy objects (embedding model, spaCy, store client) are built
once per process (``st.cache_resource``); per-user state lives in ``st.session_state``.
Each page is a module in ``ui/views`` with ``render(rt)``; ``PAGES`` lists them in order.
"""

from __future__ import annotations

import importlib

import streamlit as st

from index.errors import WhosaidError
from ui.render import escape_markdown

# (title, icon, url path, module with render(rt)) — add a page by adding a line.
PAGES: list[tuple[str, str, str, str]] = [
    ("Chat", ":material/chat:", "chat", "ui.views.chat"),
    ("Quote check", ":material/fact_check:", "check", "ui.views.quotes"),
    ("Library", ":material/library_books:", "library", "ui.views.library"),
    ("Speakers", ":material/record_voice_over:", "speakers", "ui.views.speakers"),
    ("Claims", ":material/verified:", "claims", "ui.views.claims"),
    ("Settings", ":material/settings:", "settings", "ui.views.settings"),
]

st.set_page_config(page_title="whosaid", page_icon="🗞️", layout="wide")


def _secrets() -> dict:
    try:
        return {k: v for k, v in st.secrets.items() if not isinstance(v, dict)}
    except Exception:  # no secrets.toml: nothing to read
        return {}


@st.cache_resource(show_spinner="Loading the embedding model and the store…")
def get_runtime():
    """The process's one ``Runtime`` (settings from the environment and secrets.toml)."""
    from bot.runtime import Runtime
    from index.config import load_settings

    return Runtime(load_settings(secrets=_secrets()))


def ensure_seeded(rt) -> None:
    """On the very first start of an empty store, index the seed articles with a progress bar."""
    if rt.store.is_seeded() or not rt.settings.index_seeds_on_first_run:
        return
    bar = st.progress(0.0, text="Indexing the seed corpus (first start)…")
    rt.ensure_seeded(lambda done, total, name: bar.progress(done / max(total, 1),
                                                             text=f"Indexed {done} of {total} seed articles"))
    bar.empty()


def page(rt, title: str, icon: str, url_path: str, module: str, default: bool = False):
    """An ``st.Page`` that renders ``module.render(rt)``; errors become a message, not a traceback."""
    def run() -> None:
        try:
            importlib.import_module(module).render(rt)
        except WhosaidError as exc:
            st.error(escape_markdown(str(exc)))

    run.__name__ = f"page_{url_path}"
    return st.Page(run, title=title, icon=icon, url_path=url_path, default=default)


def sidebar(rt):
    """The store at a glance; returns the slot of the article count (``count_articles``)."""
    with st.sidebar:
        slot = st.empty()
        count_articles(rt, slot)
        s = rt.settings
        st.caption("Answers: " + (f"LLM {escape_markdown(s.llm_model)}" if s.llm_enabled else "extractive (offline)"))
    return slot


def count_articles(rt, slot) -> None:
    n = rt.store.count("articles")
    slot.caption(f"{n} article{'s' if n != 1 else ''} indexed")


def main() -> None:
    try:
        rt = get_runtime()
        ensure_seeded(rt)
    except WhosaidError as exc:
        st.error(escape_markdown(str(exc)))
        st.stop()
    pages = [page(rt, *entry, default=(i == 0)) for i, entry in enumerate(PAGES)]
    current = st.navigation(pages)
    slot = sidebar(rt)
    current.run()
    count_articles(rt, slot)  # again: the page may have added or deleted articles


main()
