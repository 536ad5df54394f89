"""Speakers: everyone with statements (aliases, role, counts), a page per speaker with all
their attributed statements across articles in time order, a chart over time, exports."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from ui.export import rows_to_csv, rows_to_json
from ui.render import escape_markdown, source_line
from ui.views import data
from ui.views.sources import article_dialog

TABLE_COLUMNS = ("name", "aliases", "role", "kind", "statements", "articles", "first_seen", "last_seen", "id")
STATEMENT_COLUMNS = ("speaker", "date", "title", "outlet", "url", "kind", "stance", "cue", "statement", "sentence_ids",
                     "article_id")


def statements_of(rt, speaker_id: str, speaker_name: str) -> list[dict]:
    """Every attributed statement of a speaker with its article's metadata, in time order
    (undated articles last, then article and position in it)."""
    items = rt.store.attributions(speaker_id=speaker_id)
    meta = rt.store.article_metadata({a["article_id"] for a in items})
    rows = []
    for a in items:
        record = meta.get(a["article_id"])
        if record is None or not a["content"]:
            continue
        rows.append({"speaker": speaker_name, "date": record.date, "title": record.title,
                     "outlet": record.outlet, "url": record.url, "kind": a.get("kind"),
                     "stance": a.get("stance") or "asserted",  # "denied": the speaker denies the statement
                     "cue": (a.get("cue") or {}).get("text"),
                     "statement": " … ".join(s["text"] for s in a["content"]),
                     "start": a["content"][0]["start"], "end": a["content"][-1]["end"],
                     "sentence_ids": a.get("sentence_ids") or [], "article_id": a["article_id"]})
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["article_id"], r["start"]))
    return rows


def speaker_page(rt, row: dict) -> None:
    """One speaker: who they are, a chart over time, every statement linking to its sentence."""
    st.subheader(escape_markdown(row["name"]))
    facts = [f"{row['statements']} statements in {row['articles']} articles"]
    if row.get("role"):
        facts.append(f"role: {row['role']}")
    if row.get("aliases"):
        facts.append("also called: " + ", ".join(row["aliases"]))
    st.caption(escape_markdown(" · ".join(facts)))
    rows = statements_of(rt, row["id"], row["name"])
    dated = Counter(r["date"] for r in rows if r["date"])
    if dated:
        st.markdown("**Statements over time** (by article date)")
        st.bar_chart({"date": sorted(dated), "statements": [dated[d] for d in sorted(dated)]},
                     x="date", y="statements", height=220)
    undated = sum(1 for r in rows if not r["date"])
    if undated:
        st.caption(f"{undated} statement(s) come from articles with no known date (listed last).")
    slug = "".join(ch if ch.isalnum() else "-" for ch in row["name"].lower()).strip("-") or "speaker"
    c1, c2 = st.columns(2)
    c1.download_button("Statements as CSV", rows_to_csv(rows, STATEMENT_COLUMNS),
                       file_name=f"whosaid-{slug}-statements.csv", mime="text/csv", key="sp_csv_one")
    c2.download_button("Statements as JSON", rows_to_json(rows), file_name=f"whosaid-{slug}-statements.json",
                       mime="application/json", key="sp_json_one")
    for i, r in enumerate(rows):
        with st.container(border=True):
            st.caption(source_line(r["title"], r["outlet"], r["date"]))
            st.markdown(f"“{escape_markdown(r['statement'])}”")
            if st.button("Open in the article", key=f"sp-open-{i}"):
                article_dialog(rt, r["article_id"], r["start"], r["end"])


def render(rt) -> None:
    """The speakers page."""
    st.title("Speakers")
    rows = data.speakers(rt)
    if not rows:
        st.info("No attributed statements yet: add articles in the Library.")
        return
    st.dataframe([{k: (", ".join(v) if isinstance(v, list) else v) for k, v in r.items() if k != "id"} for r in rows],
                 hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button("All speakers as CSV", rows_to_csv(rows, TABLE_COLUMNS), file_name="whosaid-speakers.csv",
                       mime="text/csv", key="sp_csv")
    c2.download_button("All speakers as JSON", rows_to_json(rows), file_name="whosaid-speakers.json",
                       mime="application/json", key="sp_json")
    by_id = {r["id"]: r for r in rows}
    chosen = st.selectbox("Open a speaker", list(by_id), index=None, key="sp_open",
                          format_func=lambda i: f"{by_id[i]['name']} ({by_id[i]['statements']})" if i in by_id else i,
                          placeholder="Choose a speaker to see all their statements")
    if chosen in by_id:
        speaker_page(rt, by_id[chosen])
