"""Safe rendering of article and user text in Streamlit Markdown (pure functions, no Streamlit import).

Article and user text is never rendered as HTML: every Markdown-significant character is
backslash-escaped (``<`` included, so ``<script>`` shows as text), and highlighting uses
Streamlit's ``:colour-background[…]`` directive around escaped text. Nothing relies on
colour alone: verdicts carry words, highlighted statements carry their speaker's name.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:$<>~=^&\"'])")

# Streamlit's background colours that keep dark text readable (light tints).
SPEAKER_COLOURS = ("blue", "green", "orange", "violet", "red", "gray")

# verdict -> (label, badge colour, icon); the label is what a reader goes by.
VERDICT_BADGES = {
    "verbatim": ("Verbatim", "green", "✅"),
    "paraphrase": ("Paraphrase", "blue", "🔁"),
    "altered": ("Altered", "orange", "⚠️"),
    "misattributed": ("Misattributed", "red", "❌"),
    "not_found": ("Not found", "gray", "❔"),
}


def escape_markdown(text: str) -> str:
    """Escape ``text`` so Streamlit Markdown shows it literally (no HTML, links, directives)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")


def mark(text: str, colour: str = "orange") -> str:
    """``text`` escaped and highlighted, line by line (a directive cannot span a line break)."""
    parts = re.split(r"(\n+)", text)
    out = []
    for part in parts:
        if not part.strip():
            out.append(escape_markdown(part))
        else:
            lead = len(part) - len(part.lstrip())
            trail = len(part.rstrip())
            out.append(escape_markdown(part[:lead]) + f":{colour}-background[{escape_markdown(part[lead:trail])}]"
                       + escape_markdown(part[trail:]))
    return "".join(out)


def highlight(text: str, start: int, end: int, colour: str = "orange") -> str:
    """``text`` as safe Markdown with ``text[start:end]`` highlighted."""
    return highlight_spans(text, [(start, end, colour, None)])


def highlight_spans(text: str, spans: list[tuple[int, int, str, str | None]], begin: int = 0) -> str:
    """``text[begin:]`` as safe Markdown with each ``(start, end, colour, label)`` span
    (offsets into ``text``) highlighted and followed by its label in bold brackets
    (overlapping spans: the first one wins)."""
    out, cursor = [], begin
    for start, end, colour, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        start, end = max(cursor, start), min(len(text), end)
        if end <= start:
            continue
        out.append(escape_markdown(text[cursor:start]))
        out.append(mark(text[start:end], colour) if text[start:end].strip() else escape_markdown(text[start:end]))
        if label:
            out.append(f" **\\[{escape_markdown(label)}\\]**")
        cursor = end
    out.append(escape_markdown(text[cursor:]))
    return "".join(out)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (blank-line separated block) around ``text[start:end]``."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return (0 if left < 0 else left + 2), (len(text) if right < 0 else right)


def in_paragraph(text: str, start: int, end: int, colour: str = "orange") -> str:
    """The paragraph around ``text[start:end]`` as safe Markdown, the span highlighted."""
    p0, p1 = paragraph_bounds(text, start, end)
    return highlight(text[p0:p1], start - p0, end - p0, colour)


def source_line(title: str | None, outlet: str | None, date: str | None) -> str:
    """"Title — Outlet, date" with unknowns said plainly (escaped Markdown)."""
    parts = [title or "Untitled article", outlet or "outlet unknown", date or "date unknown"]
    return escape_markdown(f"{parts[0]} — {parts[1]}, {parts[2]}")


def safe_link(url: str | None, label: str = "Original article") -> str:
    """A Markdown link for an http(s) URL (escaped label, encoded target); other values as text."""
    if not url:
        return ""
    if not url.startswith(("http://", "https://")):
        return escape_markdown(url)
    target = quote(url, safe=":/?#@!$&'*+,;=%~-._")
    target = target.replace("(", "%28").replace(")", "%29").replace("'", "%27")
    return f"[{escape_markdown(label)}]({target})"


def verdict_badge(verdict: str) -> str:
    """A Markdown badge naming the verdict in words (colour is only a second cue)."""
    label, colour, icon = VERDICT_BADGES.get(verdict, (verdict, "gray", "❔"))
    return f":{colour}-badge[{icon} {escape_markdown(label)}]"


def diff_markdown(diff: list[dict]) -> str:
    """A quote-vs-source word diff as safe Markdown: changes are spelled out in words
    ("added", "missing", "source says … / quote says …") as well as coloured."""
    out = []
    for op in diff:
        kind, q, s = op["op"], op.get("quote", ""), op.get("source", "")
        if kind == "equal":
            out.append(escape_markdown(q))
        elif kind == "insert":
            out.append(f":red-background[added: {escape_markdown(q)}]")
        elif kind == "delete":
            out.append(f":violet-background[missing: {escape_markdown(s)}]")
        else:
            out.append(f":orange-background[source says “{escape_markdown(s)}”, quote says “{escape_markdown(q)}”]")
    return " ".join(p for p in out if p)


def speaker_colour(index: int) -> str:
    """The highlight colour of the ``index``-th speaker of an article (cycles)."""
    return SPEAKER_COLOURS[index % len(SPEAKER_COLOURS)]
