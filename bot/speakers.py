"""Speaker listings: every known speaker with aliases, role and statement counts."""

from __future__ import annotations

from collections import defaultdict

from index.store import Store


def speaker_table(store: Store) -> list[dict]:
    """The ``speakers --json`` rows: speakers with at least one statement, most quoted first."""
    stats: dict[str, dict] = defaultdict(lambda: {"statements": 0, "articles": set(), "dates": []})
    articles = {r.id: r for r in store.list_articles()}
    for item in store.attributions():
        sid = item.get("speaker_id")
        if not sid:
            continue
        entry = stats[sid]
        entry["statements"] += 1
        entry["articles"].add(item["article_id"])
        date = articles[item["article_id"]].date if item["article_id"] in articles else None
        if date:
            entry["dates"].append(date)
    rows = []
    for sp in store.speakers():
        entry = stats.get(sp.id)
        if not entry:
            continue
        rows.append({"id": sp.id, "name": sp.name, "aliases": sp.aliases, "role": sp.role, "kind": sp.kind,
                     "statements": entry["statements"], "articles": len(entry["articles"]),
                     "first_seen": min(entry["dates"]) if entry["dates"] else None,
                     "last_seen": max(entry["dates"]) if entry["dates"] else None})
    return sorted(rows, key=lambda r: (-r["statements"], r["name"]))
