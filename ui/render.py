"""Safe rendering of article text in Streamlit Markdown (pure functions, no Streamlit import).

Article and user text is never rendered as HTML: every Markdown-significant character is
backslash-escaped (``<`` included, so ``<script>`` shows as text), and highlighting uses
Streamlit's ``:orange-background[…]`` directive around escaped text.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:$<>~])")


def escape_markdown(text: str) -> str:
    """Escape ``text`` so Streamlit Markdown shows it literally (no HTML, links, directives)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")


def highlight(text: str, start: int, end: int, colour: str = "orange") -> str:
    """``text`` as safe Markdown with ``text[start:end]`` highlighted."""
    start, end = max(0, start), min(len(text), end)
    before, middle, after = text[:start], text[start:end], text[end:]
    marked = f":{colour}-background[{escape_markdown(middle)}]" if middle.strip() else escape_markdown(middle)
    return escape_markdown(before) + marked + escape_markdown(after)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (blank-line separated block) around ``text[start:end]``."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return (0 if left < 0 else left + 2), (len(text) if right < 0 else right)


def source_line(title: str | None, outlet: str | None, date: str | None) -> str:
    """"Title — Outlet, date" with unknowns said plainly (escaped Markdown)."""
    parts = [title or "Untitled article", outlet or "outlet unknown", date or "date unknown"]
    return escape_markdown(f"{parts[0]} — {parts[1]}, {parts[2]}")
