"""Scoring answers against a question set (used by ``bench/`` and by the tests)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class QuestionScore:
    question: str
    answerable: bool
    correct: bool
    answered: bool
    retrieval_hit_at_3: bool | None = None
    cited: list[int] = field(default_factory=list)
    why: str = ""


def load_question_set(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def score_answer(item: dict | str, answer: dict, article_id: str) -> QuestionScore:
    """Score one ``ask --json`` answer against its question-set item."""
    if isinstance(item, str):
        ok = not answer["answered"]
        return QuestionScore(item, False, ok, answer["answered"], why="" if ok else "answered an unanswerable question")
    cited = [int(c["sentence_id"].split(":")[1]) for c in answer["citations"] if c["article_id"] == article_id]
    must_any = set(item.get("must_cite_any", item["relevant"]))
    must_not = set(item.get("must_not_cite", []))
    why = []
    if not answer["answered"]:
        why.append("refused")
    if not must_any & set(cited):
        why.append(f"cites {cited}, none of {sorted(must_any)}")
    if must_not & set(cited):
        why.append(f"cites forbidden {sorted(must_not & set(cited))}")
    speaker = item.get("speaker")
    if speaker and speaker.lower() not in answer["answer"].lower():
        why.append(f"does not name {speaker}")
    return QuestionScore(item["q"], True, not why, answer["answered"], cited=cited, why="; ".join(why))
