"""Exports the app offers for download: answers with numbered references, CSV and JSON tables.

Pure functions (no Streamlit import) so the same bytes can be checked in tests.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def answer_with_references(question: str, answer: dict) -> str:
    """An answer as plain text: the question, each statement with its citation numbers,
    then the numbered references (sentence, speaker, title, outlet, date, link, sentence id)."""
    lines = [f"Q: {question}", ""]
    if not answer.get("answered"):
        lines.append(answer.get("answer", ""))
        return "\n".join(lines).rstrip() + "\n"
    for statement in answer["statements"]:
        marks = "".join(f"[{n}]" for n in statement["citations"])
        flag = "" if statement.get("supported", True) else " (not supported by its sources)"
        lines.append(f"{statement['text']} {marks}{flag}".rstrip())
    lines += ["", "References"]
    for c in answer["citations"]:
        where = ", ".join(x for x in (c.get("title") or "Untitled article", c.get("outlet") or "outlet unknown",
                                      c.get("date") or "date unknown"))
        who = f" — {c['speaker']}" if c.get("speaker") else ""
        link = f" {c['url']}" if c.get("url") else ""
        lines.append(f"[{c['n']}] “{c['text']}”{who} — {where}.{link} (sentence {c['sentence_id']})")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    """A CSV cell: lists joined with "; ", None empty, formula-like text defused for spreadsheets."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows_to_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """``rows`` as CSV with a header of ``columns`` (missing keys are empty cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def rows_to_json(rows: Iterable[dict]) -> str:
    """``rows`` as an indented JSON array (UTF-8 text, not ASCII-escaped)."""
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
