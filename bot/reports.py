"""How the reports of one statement disagree: the outlets that keep its meaning, those
whose wording changes it, and which report came first (the first report decides, as in
``bot.claims.review_verdict`` and the quote check's disputes). Used by the answers to
say so instead of a plain "Yes".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.text import join_phrases


@dataclass
class ReportSplit:
    """How the reports of one statement (a ``bot.claims`` claim: one speaker's statement as
    outlets reported it on one occasion) disagree about a wording: the appearances that
    keep its meaning (``same``, the wording itself among them), those whose wording changes
    it (``differ``: each with the kinds of change, ``bot.claims.meaning_change``), and the
    first report (earliest dated), whichever side it is on. The Marrow Creek Gazette's
    "we will not close it" and a copy of the story a day later with "we will close it"."""

    same: list
    differ: list[tuple[Any, list[str]]]
    first: Any

    @property
    def first_agrees(self) -> bool:
        return any(a is self.first for a in self.same)


def split_reports(claim, sentence_ids: set[str]) -> ReportSplit | None:
    """The claim's reports split by whether they keep the meaning of its appearance that
    holds ``sentence_ids``; ``None`` when no report changes that meaning (or none holds them)."""
    from bot.claims import meaning_change

    own = next((a for a in claim.appearances if set(a.sentence_ids or [a.sentence_id]) & sentence_ids), None)
    if own is None:
        return None
    same, differ = [], []
    for a in claim.appearances:
        if a.stance != "asserted" and a is not own:
            continue
        reasons = [] if a.text == own.text else meaning_change(own.text, a.text)
        (differ.append((a, reasons)) if reasons else same.append(a))
    if not differ:
        return None
    reports = same + [a for a, _ in differ]  # a denial in the claim is no report of these words
    first = min(reports, key=lambda a: (a.date is None, a.date or "", a.article_id))
    return ReportSplit(same, differ, first)


def where_reported(appearances, first) -> str:
    """"Marrow Creek Gazette (2024-03-04, the first report) and Valley Wire Post (2024-03-05)"."""
    out = [f"{a.outlet or 'an outlet'} ({a.date or 'undated'}{', the first report' if a is first else ''})"
           for a in sorted(appearances, key=lambda a: (a.date or "9999", a.article_id))]
    return join_phrases(list(dict.fromkeys(out)))


def reports_note(split: ReportSplit, own: str = "these words") -> str:
    """The sentence that says how the reports of a statement differ, naming which outlet
    (and date) reports which wording and which report came first: "Reports of this
    statement differ: Marrow Creek Gazette (2024-03-04, the first report) has these words;
    Valley Wire Post (2024-03-05) has “… we will close it …” (negation)."."""
    from bot.claims import bare_text

    by_text: dict[str, list] = {}
    kinds: dict[str, list[str]] = {}
    for a, reasons in split.differ:
        by_text.setdefault(a.text, []).append(a)
        kinds.setdefault(a.text, reasons)
    parts = [f"{where_reported(split.same, split.first)} {'has' if len(split.same) == 1 else 'have'} {own}"]
    parts += [f"{where_reported(group, split.first)} {'has' if len(group) == 1 else 'have'} “{bare_text(text)}” "
              f"({change_kinds(kinds[text])})" for text, group in by_text.items()]
    return "Reports of this statement differ: " + "; ".join(parts) + "."


def change_kinds(reasons: list[str]) -> str:
    """"negation: the source says …" -> "negation" (the kinds of meaning change, in order)."""
    kinds = [r.split(":", 1)[0].strip() for r in reasons]
    return ", ".join(dict.fromkeys(k for k in kinds if k)) or "see the diff"
