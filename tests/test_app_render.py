"""The app's pure helpers: safe Markdown (ui/render.py) and exports (ui/export.py)."""

import csv
import io
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from ui.export import answer_with_references, rows_to_csv, rows_to_json
from ui.render import diff_markdown, escape_markdown, highlight_spans, safe_link, verdict_badge

_UNESCAPED_SPECIAL = re.compile(r"(?<!\\)[<>\[\]()`*_#!|&]")


def _strip_escapes(md: str) -> str:
    return re.sub(r"\\(.)", r"\1", md)


@given(st.text(max_size=200))
def test_escaped_text_reads_back_and_has_no_live_markup(text):
    md = escape_markdown(text)
    assert _strip_escapes(md).replace("  \n", "\n") == text
    assert not _UNESCAPED_SPECIAL.search(md.replace("\\\\", ""))


def test_html_in_article_text_is_escaped():
    md = escape_markdown('<script>alert(1)</script> <img src=x onerror="alert(2)">')
    assert "<" not in md.replace("\\<", "")


def test_highlighted_spans_carry_their_speaker_name_and_survive_line_breaks():
    text = "Ana said: “One.\nTwo.” Then Bo said “Three.”"
    md = highlight_spans(text, [(10, 21, "blue", "Ana"), (33, 43, "green", "Bo"), (12, 14, "red", None)])
    assert ":blue-background[“One\\.]" in md and ":blue-background[Two\\.”]" in md
    assert "**\\[Ana\\]**" in md and "**\\[Bo\\]**" in md
    assert "red-background" not in md  # overlapping span: the first one wins


def test_links_only_for_http_and_encoded():
    assert safe_link("javascript:alert(1)") == escape_markdown("javascript:alert(1)")
    link = safe_link("https://example.org/a b)(c")
    assert link.startswith("[Original article](https://example.org/a%20b%29%28c")


def test_diff_and_verdict_say_it_in_words():
    md = diff_markdown([{"op": "equal", "quote": "We will", "source": "We will"},
                        {"op": "delete", "quote": "", "source": "not"},
                        {"op": "replace", "quote": "<b>", "source": "ask"}])
    assert "missing: not" in md and "source says “ask”, quote says “\\<b\\>”" in md
    assert "Misattributed" in verdict_badge("misattributed")


def test_answer_export_numbers_its_references():
    answer = {"answered": True, "statements": [{"text": "Ana said it.", "citations": [1, 2], "supported": True},
                                               {"text": "Bo added.", "citations": [2], "supported": False}],
              "citations": [{"n": 1, "text": "It.", "speaker": "Ana", "title": None, "outlet": "Ledger",
                             "date": "2025-01-02", "url": "https://x.example/a", "sentence_id": "abc:1"},
                            {"n": 2, "text": "Added.", "speaker": None, "title": "T", "outlet": None,
                             "date": None, "url": None, "sentence_id": "abc:2"}]}
    text = answer_with_references("Who?", answer)
    assert "Ana said it. [1][2]" in text and "Bo added. [2] (not supported by its sources)" in text
    assert "[1] “It.” — Ana — Untitled article, Ledger, 2025-01-02. https://x.example/a (sentence abc:1)" in text
    assert "[2] “Added.” — T, outlet unknown, date unknown." in text


def test_csv_defuses_formulas_and_json_round_trips():
    rows = [{"quote": "=HYPERLINK(\"http://x\")", "speakers": ["A", "B"], "n": 1, "none": None}]
    parsed = list(csv.reader(io.StringIO(rows_to_csv(rows, ["n", "quote", "speakers", "none"]))))
    assert parsed[1] == ["1", "'=HYPERLINK(\"http://x\")", "A; B", ""]
    assert json.loads(rows_to_json(rows)) == rows
