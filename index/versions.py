"""Versions of one article: which texts are the same article, and which version wins.

Two texts with the same ``version_key`` (URL, or file and outlet) are candidate versions.
They are versions of one article only when their texts are one article
(``same_article``): a URL typed by mistake, a CMS that gives every page one canonical link
or a reused file name must never make one article replace another. Among the versions of
an article, the latest article date wins; with equal or unknown dates, the later input
(later in the batch, or ingested later than the stored one) wins, as a correction does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from index.load import body_text
from index.models import Article, version_key
from index.store import ArticleRecord

Superseded = list[tuple[str, ArticleRecord]]  # stored versions an article replaces, with their shared key
SHINGLE_WORDS = 3
SAME_ARTICLE_SHARE = 0.5


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    """The runs of ``size`` consecutive words of a text's body (front matter left out,
    case and punctuation ignored); a text shorter than that is one run of all its words."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", body_text(text)).casefold())
    runs = {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
    return runs or ({tuple(words)} if words else set())


def text_overlap(a: str, b: str) -> float:
    """The share of the shorter text's word runs (``shingles``) found in the other text."""
    return _overlap(shingles(a), shingles(b))


def _overlap(first: set, second: set) -> float:
    """The share of the smaller set's members that are in the other."""
    if len(first) > len(second):
        first, second = second, first
    return len(first & second) / len(first) if first else 0.0


def same_article(a: str, b: str) -> bool:
    """True when two texts are versions of one article: at least half of the shorter
    text's three-word runs also occur in the other.

    A correction changes a figure, a name, a sentence or a paragraph: a changed word
    touches at most three runs, so even a text with one word in six changed keeps half of
    them; an update that adds paragraphs keeps all of the shorter (earlier) text. Two
    different articles share set phrases only ("said on Monday", an outlet's boilerplate):
    two outlets' reports of the same event, quoting the same sentences, share about a
    third; unrelated articles well under a fifth (measured on the short fictional test
    articles, where one changed word weighs most). Below the threshold the texts are kept
    as two articles, so an error costs a near-duplicate, never a deletion."""
    return text_overlap(a, b) >= SAME_ARTICLE_SHARE


@dataclass
class _Candidate:
    """A version of an article met while planning: stored (``record``) or in the batch (``slot``)."""

    article_id: str
    text: str
    date: str | None
    slot: int | None = None
    record: ArticleRecord | None = None
    path: str | None = None
    indexed: bool = False  # its text is in the store (a stored version, or a duplicate of one)

    @cached_property
    def runs(self) -> set[tuple[str, ...]]:
        """The text's word runs, worked out once and only when compared: most keys of a
        bulk ingest have one candidate, and the runs of 10,000 articles took 500 MiB."""
        return shingles(self.text)

    def same_article(self, other: "_Candidate") -> bool:
        """``same_article`` of the two texts (the same text, trivially)."""
        return self.article_id == other.article_id or _overlap(self.runs, other.runs) >= SAME_ARTICLE_SHARE

    def named(self) -> str:
        """How a reason names this version: the stored article's id, or the batch file."""
        return f"article {self.article_id}" if self.record else (self.path or f"article {self.article_id}")

    def described(self) -> str:
        """``named`` with the version's date."""
        return f"{self.named()}, dated {self.date}" if self.date else f"{self.named()}, with no date"


@dataclass
class VersionPlan:
    """What an ingest does with versions, decided before anything is written.

    ``skipped``: batch slot -> why it is not indexed (an earlier version of another);
    ``supersedes``: article id -> the stored articles it replaces once written, with the
    version key they share; ``warnings``: batch slot -> notes for its result row."""

    skipped: dict[int, str] = field(default_factory=dict)
    supersedes: dict[str, Superseded] = field(default_factory=dict)
    warnings: dict[int, list[str]] = field(default_factory=dict)


def plan_versions(articles: Sequence[Article], stored: dict[str, list[ArticleRecord]],
                  ids: Sequence[str]) -> VersionPlan:
    """Decide, for a batch, which inputs are versions of one article (same key, same
    text by ``same_article``), which version of each wins (``_walk``), and which stored
    versions the winner replaces. ``stored``: the committed articles of each version key
    (with their texts); ``ids``: each input's article id as stored (a duplicate's)."""
    plan = VersionPlan()
    stored_ids = {r.id for records in stored.values() for r in records}
    by_key: dict[str, list[_Candidate]] = {}
    for slot, (article, article_id) in enumerate(zip(articles, ids)):
        if key := version_key(article.appearance()):
            by_key.setdefault(key, []).append(_Candidate(article_id, article.text, article.date, slot=slot,
                                                         path=article.path, indexed=article_id in stored_ids))
    for key, batch in by_key.items():
        records = sorted(stored.get(key, []), key=lambda r: (r.ingested_at, r.id))
        known = [_Candidate(r.id, r.text, _key_date(r, key), record=r, indexed=True) for r in records]
        groups = _group([*known, *batch])
        for group in groups:
            _walk(key, group, plan)
            _warn_unrelated(key, group, [c for other in groups if other is not group for c in other], plan)
    return plan


def _key_date(record: ArticleRecord, key: str) -> str | None:
    """The date of the stored article's appearance under ``key`` (else its own date)."""
    return next((a.date for a in record.appearances if version_key(a) == key and a.date), record.date)


def _group(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """Candidates of one key in groups of one article each: a candidate joins the first
    group holding a text of the same article (``same_article``), else starts its own."""
    groups: list[list[_Candidate]] = []
    for candidate in candidates:
        home = next((g for g in groups if any(m.same_article(candidate) for m in g)), None)
        if home is None:
            groups.append([candidate])
        else:
            home.append(candidate)
    return groups


def _walk(key: str, group: list[_Candidate], plan: VersionPlan) -> None:
    """Go through one article's versions (stored first, then the batch in order): each
    replaces the one before unless it is dated earlier than the latest date seen, then it
    is skipped as an earlier version. The batch version left standing (new, or the
    stored text ingested again) replaces the other stored ones; if a stored one is left
    standing, nothing is replaced."""
    winner: _Candidate | None = None
    latest: _Candidate | None = None
    for candidate in group:
        if winner is not None and winner.article_id == candidate.article_id:
            # The same text again (a duplicate): a stored one ingested again stands for it,
            # so that running an interrupted ingest again finishes its replacements.
            if winner.record is not None:
                winner = candidate
            continue
        if candidate.slot is not None and candidate.date and latest and candidate.date < latest.date:
            where = "already indexed" if latest.record else "in this ingest"
            plan.skipped[candidate.slot] = (
                f"an earlier version of the article {where} as {latest.described()} (same {_what(key)}); "
                f"this one is dated {candidate.date}, so the later version stays and nothing was changed")
            continue
        if winner is not None and winner.slot is not None:
            plan.skipped[winner.slot] = (
                f"a newer version of the same article comes later in this ingest ({candidate.path})")
        winner = candidate
        if candidate.date and (latest is None or candidate.date >= latest.date):
            latest = candidate
    if winner is not None and winner.slot is not None:
        replaced = [(key, c.record) for c in group if c.record is not None and c.article_id != winner.article_id]
        if replaced:
            plan.supersedes.setdefault(winner.article_id, []).extend(replaced)


def _warn_unrelated(key: str, group: list[_Candidate], others: list[_Candidate], plan: VersionPlan) -> None:
    """Note on the rows of a group's new batch inputs that other texts share their key but
    are other articles: they are kept side by side, neither replaces the other."""
    if not others:
        return
    names = ", ".join(c.named() for c in others[:3]) + (", …" if len(others) > 3 else "")
    seen = {c.article_id for c in group if c.indexed}  # stored already, or met before: duplicates
    for candidate in group:
        if candidate.slot is not None and candidate.slot not in plan.skipped and candidate.article_id not in seen:
            seen.add(candidate.article_id)
            plan.warnings.setdefault(candidate.slot, []).append(
                f"{names} {'has' if len(others) == 1 else 'have'} the same {_what(key)} but the text of another "
                "article: this one is indexed as a separate article, and nothing was replaced")


def _what(key: str) -> str:
    return "URL" if key.startswith("url:") else "file and outlet"
