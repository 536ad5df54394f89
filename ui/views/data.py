"""What the pages read from the runtime, kept per session until the store changes.

The store's generation token changes with every write, so a listing is reread after an
ingest or a delete (in this session or another) and reused across reruns otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def _by_generation(rt, name: str, load: Callable[[], object]):
    generation = rt.store.generation()
    cache = st.session_state.setdefault("_listings", {})
    hit = cache.get(name)
    if hit is None or hit[0] != generation:
        hit = (generation, load())
        cache[name] = hit
    return hit[1]


def articles(rt) -> list:
    """Every indexed article (``ArticleRecord`` without text), oldest first."""
    return _by_generation(rt, "articles", rt.store.list_articles)


def speakers(rt) -> list[dict]:
    """``bot.speakers.speaker_table`` rows: speakers with statements, most quoted first."""
    from bot.speakers import speaker_table

    return _by_generation(rt, "speakers", lambda: speaker_table(rt.store))


def article_label(record) -> str:
    """How an article is named in pickers: title, outlet, date, short id."""
    bits = [record.title or "Untitled article", record.outlet or "outlet unknown", record.date or "date unknown"]
    return f"{bits[0]} — {bits[1]}, {bits[2]} ({record.id[:8]})"
