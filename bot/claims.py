"""Claims: one speaker's statement as reported across articles, its wording drift, and
contradictions between a speaker's claims.

A *claim* groups the attributions of one speaker (``speaker_id``) that report the same
statement: other outlets, partial quotes, direct and indirect speech, paraphrases. Two
statements are *about the same thing* (``Relation.same_topic``) when their vectors are
very close, or close and sharing most content words, or (partial quotes) sharing nearly
all content words of the shorter one; said more than ``OCCASION_DAYS`` apart, they are one
claim only in the same words (``is_same_wording``): another statement about the same thing
is another claim. A changed negation, number or an opposite word
(``meaning_change``, built on ``bot.meaning``) does not make a new claim by itself:

* within ``OCCASION_DAYS`` of the claim's first appearance, when it may be the same
  utterance (``may_be_one_utterance``: reported the same day, or in nearly the same
  words), it is the same statement reported differently — *drift*, flagged on that
  appearance (a misquote);
* later, or on another day in other words ("I will not rule out a temporary bridge" on
  Tuesday, "A temporary bridge is not an option" on Thursday), it is the speaker saying
  something else: a new claim, and the two claims *contradict* each other.

Linking is incremental (``ClaimLinker``): each new attribution is compared with the
nearest claim links of its speaker in the store (plus those of its own batch) and joins
the best claim or founds a new one; links are written before the article records commit
(``index.ingest.Indexer.before_commit``). Reading (``build_claims``) groups the links of
committed articles, links any attribution that has none yet (a store built before claims
existed, or rebuilt by ``reindex``), and derives drift and contradictions.
Everything here is offline: vectors come from the store, decisions from rules.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache

import numpy as np

from bot.diff import DiffOp, tokenize, word_diff
from bot.meaning import (TextFacts, antonym_changes, expand, facts, is_content, key, negation_changes,
                          opposite_keys, same_count)
from index.store import ArticleBundle, ArticleRecord, Store, bundle_attribution_vectors

SAME_SIMILARITY = 0.86  # cosine alone: the same statement
TOPIC_SIMILARITY = 0.6  # cosine, together with TOPIC_OVERLAP shared content words
TOPIC_OVERLAP = 0.5  # share of the shorter statement's content words found in the other
LEXICAL_OVERLAP = 0.8  # content words alone (partial quotes), with at least MIN_KEYS words
MIN_KEYS = 3
CONTRADICTION_SIMILARITY = 0.55  # related enough for opposite wording to be a contradiction
CONTRADICTION_OVERLAP = 0.4
RELATED_FLOOR = 0.5  # cosine below which two statements are never related
OCCASION_DAYS = 3  # a changed meaning this close to the claim's first appearance is drift
CANDIDATES = 12  # nearest claim links examined for each new attribution

VERDICT_ACCURATE = "Accurately quoted"
VERDICT_ALTERED = "Altered quote"
# The same two verdicts for a claim no outlet quoted (reported speech only: "Venn said the
# ferry would run"): there are no quoted words to be accurate or altered.
VERDICT_ACCURATE_REPORT = "Accurately reported"
VERDICT_ALTERED_REPORT = "Altered report"
VERDICT_MISATTRIBUTED = "Misattributed"
# A claim whose source reports the speaker denying it ("denied that ...", "ruled out ...")
# or not saying it ("did not say that ..."): never "Accurately quoted" as if asserted.
VERDICT_DENIED = "Denied by the speaker"
VERDICT_NOT_ASSERTED = "Not asserted by the speaker"


# -- pairwise decisions --------------------------------------------------------------------


@dataclass
class Statement:
    """One attribution's reported content as the grouping sees it."""

    id: str  # the attribution id
    speaker_id: str
    text: str
    vector: np.ndarray
    date: str | None = None  # ISO date of its article, when known
    article_id: str = ""
    claim_id: str | None = None
    claim_text: str | None = None  # the text and date of the claim's founding statement
    claim_date: str | None = None
    stance: str = "asserted"  # the attribution's: a denial never joins an assertion's claim


@dataclass
class Relation:
    """How two statements of one speaker relate."""

    similarity: float
    overlap: float
    same_topic: bool
    related: bool  # close enough for opposite wording to contradict
    changes: list[str]
    same_occasion: bool | None  # None: a date is unknown
    same_wording: bool = False  # near-identical (``is_same_wording``); worked out for other occasions only
    # within the occasion window, a changed meaning that may be one utterance reported
    # differently (``may_be_one_utterance``); worked out only for changed meanings
    same_utterance: bool = False

    @property
    def same_claim(self) -> bool:
        """One claim: the same statement, its meaning kept or changed on the same occasion.
        A changed meaning with a date unknown is not known to be a misreport: two claims.
        On different occasions only the same words with the same meaning are one claim
        (a statement repeated, or re-quoted later): "This bridge is the future of Millbrook
        Ferry" in January and "The bridge will bring 500 jobs to Millbrook Ferry" in April
        are two statements about one thing, and "I can no longer support the bridge" in May
        and "I do not support building the bridge" in July are the speaker saying it again,
        not an outlet rewording the May quote. Within the occasion window a changed meaning
        is one claim (drift) only when it may be the same utterance (``same_utterance``)."""
        if not self.same_topic:
            return False
        if self.same_occasion is False:
            return self.same_wording and not self.changes
        return not self.changes or (self.same_occasion is True and self.same_utterance)

    @property
    def separate_statements(self) -> bool:
        """Known to be two statements of the speaker: said on different occasions, or within
        the occasion window on different days in other words (``may_be_one_utterance``)."""
        return self.same_occasion is False or (self.same_occasion is True and bool(self.changes)
                                               and not self.same_utterance)

    @property
    def contradiction(self) -> float:
        """Confidence (0..1) that the two are contradicting claims; 0 when they are not."""
        if not (self.related and self.changes and self.separate_statements):
            return 0.0
        strong = any(c.startswith(("negation", "opposite")) for c in self.changes)
        return round(0.5 * min(1.0, self.similarity) + 0.3 * self.overlap + (0.2 if strong else 0.1), 3)


def content_keys(text: str) -> set[str]:
    """The content words of ``text`` as word-form keys (``bot.meaning.key``)."""
    return {key(w) for t in tokenize(text) for w in expand(t.norm) if is_content(w)}


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller key set found in the other (a partial quote scores 1.0)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def meaning_change(a: str, b: str, texts: TextCache | None = None) -> list[str]:
    """Reasons why ``a`` and ``b`` cannot both be true renderings of one statement: a
    negation present in one only, a number (or month, or multiplier: "double") replaced by
    another, an opposite word. A number or detail that one version merely leaves out is not
    a change.
    ``texts`` (optional) reuses the analyses of texts already seen."""
    if texts is not None:
        return texts.change(a, b)
    return facts_change(facts(a), facts(b)) if a != b else []


def facts_change(fa: TextFacts, fb: TextFacts) -> list[str]:
    """``meaning_change`` on texts already analysed (``bot.meaning.facts``).

    A negation and an opposite word together cancel out: "he now opposes the Kessel
    Bridge" and "I do not support building the Kessel Bridge" say the same."""
    reasons = list(dict.fromkeys(negation_changes(fa, fb) or negation_changes(fb, fa)))
    opposites = [w for w in antonym_changes(fa, fb) or antonym_changes(fb, fa) if w.startswith("opposite")]
    if reasons and opposites:
        reasons, opposites = [], []
    na, nb = fa.numbers, fb.numbers
    if pair := number_change(fa, fb):
        reasons.append(f"number: “{na[pair[0]]}” in one, “{nb[pair[1]]}” in the other")
    qa, qb = fa.multipliers, fb.multipliers  # "double" replaced by "triple"
    only_a, only_b = sorted(set(qa) - set(qb) - set(nb)), sorted(set(qb) - set(qa) - set(na))
    if only_a and only_b:
        reasons.append(f"number: “{qa[only_a[0]]}” in one, “{qb[only_b[0]]}” in the other")
    ma, mb = fa.months, fb.months
    if ma - mb and mb - ma:
        reasons.append(f"date: “{sorted(ma - mb)[0].title()}” in one, “{sorted(mb - ma)[0].title()}” in the other")
    reasons.extend(opposites)
    return reasons


def number_change(fa: TextFacts, fb: TextFacts) -> tuple[float, float] | None:
    """The values of a number one text replaces with another, or ``None``. Numbers are
    paired by what they count (``bot.meaning.same_count``): "300 jobs" with "500 jobs",
    never "two years" with "500 jobs", nor "the ferry will create 120 jobs" with "the
    bridge will bring 500 jobs" (other subjects); numbers whose noun is unknown ("by
    2033" / "by 2036") pair with any other."""
    only_a = sorted(set(fa.numbers) - set(fb.numbers))
    only_b = sorted(set(fb.numbers) - set(fa.numbers))
    pairs = [(x, y, same_count(fa.number_contexts[x], fb.number_contexts[y])) if x in fa.number_contexts
             and y in fb.number_contexts else (x, y, None) for x in only_a for y in only_b]
    return next(((x, y) for x, y, same in pairs if same), None) or \
        next(((x, y) for x, y, same in pairs if same is None), None)


def counts_same_thing(fa: TextFacts, fb: TextFacts) -> bool:
    """Both texts give a number of one thing said of one subject ("the bridge will bring
    500 jobs" / "the bridge would never have delivered 500 jobs"; "… 300 jobs …"): related
    enough for a negation or another figure to be a contradiction, however far apart
    their vectors are (a quotation of several sentences has a vector of them all)."""
    return any(same_count(x, y) and x.subject and y.subject
               for x in fa.number_contexts.values() for y in fb.number_contexts.values())


class TextCache:
    """Analyses of statement texts and meaning changes between them, kept for reuse while
    one linker compares a statement with many candidates (and the same claims come back
    batch after batch). Bounded: the least recently used entries are dropped."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        # per instance, so one linker's texts never outlive it
        self.facts: Callable[[str], TextFacts] = lru_cache(maxsize=size)(facts)
        self.keys: Callable[[str], set[str]] = lru_cache(maxsize=size)(content_keys)
        self._change = lru_cache(maxsize=4 * size)(self._compute_change)

    def _compute_change(self, a: str, b: str) -> list[str]:
        return facts_change(self.facts(a), self.facts(b))

    def change(self, a: str, b: str) -> list[str]:
        """``meaning_change(a, b)``, computed once per ordered pair (a copy: callers may
        extend the list)."""
        if a == b:  # identical wording never changes the meaning
            return []
        return list(self._change(a, b))


def days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two ISO dates, or ``None`` when either is unknown or malformed."""
    try:
        return abs((Date.fromisoformat(a[:10]) - Date.fromisoformat(b[:10])).days)  # type: ignore[index]
    except (TypeError, ValueError):
        return None


def same_occasion(a: str | None, b: str | None) -> bool | None:
    """Within ``OCCASION_DAYS`` of each other; ``None`` when a date is unknown. Without
    dates a changed version is neither drift (an outlet would be blamed for altering words
    the speaker may have said on another day) nor a contradiction (the speaker may have
    said both on one day): it stays a claim of its own."""
    gap = days_apart(a, b)
    return None if gap is None else gap <= OCCASION_DAYS


def may_be_one_utterance(a: str, a_date: str | None, b: str, b_date: str | None, similarity: float = 0.0,
                         texts: TextCache | None = None) -> bool:
    """Two versions of a statement whose meanings differ, within ``OCCASION_DAYS`` of each
    other, may be one utterance reported differently (then the difference is drift, an
    outlet's misquote) only when they were reported the same day, or in nearly the same
    words (``is_same_wording``: an outlet dropping the "not" of "We will not raise ferry
    fares this year", or giving 9,000 jobs for 900). Two statements in other words on
    different days are the speaker saying two things: "I will not rule out a temporary
    bridge" on Tuesday and "A temporary bridge is not an option" on Thursday are a change
    of position, not Thursday's outlet misquoting Tuesday. ``False`` when a date is
    unknown or they are further apart."""
    gap = days_apart(a_date, b_date)
    if gap is None or gap > OCCASION_DAYS:
        return False
    return gap == 0 or is_same_wording(similarity, a, b, texts)


def is_same_topic(similarity: float, shared: float, a_keys: set[str], b_keys: set[str]) -> bool:
    """About the same thing: very close vectors, or close and sharing most content words,
    or (partial quotes) sharing nearly all content words of the shorter statement."""
    return (similarity >= SAME_SIMILARITY
            or (similarity >= TOPIC_SIMILARITY and shared >= TOPIC_OVERLAP)
            or (shared >= LEXICAL_OVERLAP and min(len(a_keys), len(b_keys)) >= MIN_KEYS))


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’»]?\s+(?=[\"“‘«„]?[A-Z0-9])|\s…\s")


def sentence_parts(text: str) -> list[str]:
    """The sentences of a statement: a quotation running over several sentences ("We have
    listened to residents for two years. The Kessel Bridge will create 300 jobs …") is
    several statements, each to be matched on its own (``is_same_wording``)."""
    parts = [p.strip() for p in _SENTENCE_BREAK.split(bare_text(text)) if p and p.strip()]
    return parts or [text]


def wording_overlap(a: str, b: str, texts: TextCache | None = None) -> float:
    """How nearly one statement's words are the other's: the best ``overlap`` of content
    words between a sentence of each with at least ``MIN_KEYS`` content words each (a
    partial quote scores 1.0). By sentence, so that a short statement is not found "in" a
    long quotation whose sentences each hold a few of its words."""
    keys = texts.keys if texts else content_keys
    pa = [k for k in (keys(p) for p in sentence_parts(a)) if len(k) >= MIN_KEYS]
    pb = [k for k in (keys(p) for p in sentence_parts(b)) if len(k) >= MIN_KEYS]
    return max((overlap(x, y) for x in pa for y in pb), default=0.0)


def is_same_wording(similarity: float, a: str, b: str, texts: TextCache | None = None) -> bool:
    """The same words, as a repeated statement, a later re-quote or another speaker's
    copy has them: very close vectors, or a sentence of one whose content words are nearly
    all in a sentence of the other (a partial quote)."""
    return similarity >= SAME_SIMILARITY or wording_overlap(a, b, texts) >= LEXICAL_OVERLAP


def relate(a: Statement, b: Statement, a_keys: set[str] | None = None, b_keys: set[str] | None = None,
           texts: TextCache | None = None) -> Relation:
    """The relation of two statements by one speaker (see the module doc).

    Related enough for opposite wording to be a contradiction: about the same thing, or
    close with many content words in common, or sharing at least ``MIN_KEYS`` content
    words and half of the shorter's ("fully supports the proposed Kessel Bridge" / "I do
    not support building the Kessel Bridge"), or giving a figure of the same thing
    (``counts_same_thing``). A word and its opposite count as shared ("now opposes the
    Kessel Bridge" / "fully supports the proposed Kessel Bridge")."""
    similarity = float(np.dot(a.vector, b.vector))
    ka = (texts.keys(a.text) if texts else content_keys(a.text)) if a_keys is None else a_keys
    kb = (texts.keys(b.text) if texts else content_keys(b.text)) if b_keys is None else b_keys
    shared = overlap(ka, kb)
    same_topic = is_same_topic(similarity, shared, ka, kb)
    # an opposite word fills the same place in both ("opposes" / "supports"): it counts as shared
    both = len(ka & kb) + len(opposite_keys(ka, kb))
    shared_or_opposite = both / min(len(ka), len(kb)) if ka and kb else 0.0
    related = (same_topic or (similarity >= CONTRADICTION_SIMILARITY and shared_or_opposite >= CONTRADICTION_OVERLAP)
               or (similarity >= RELATED_FLOOR and shared_or_opposite >= TOPIC_OVERLAP and both >= MIN_KEYS))
    if not related and similarity >= RELATED_FLOOR:
        fa, fb = (texts.facts(a.text), texts.facts(b.text)) if texts else (facts(a.text), facts(b.text))
        related = counts_same_thing(fa, fb)
    changes = meaning_change(a.text, b.text, texts) if related else []
    occasion = same_occasion(a.date, b.date)
    wording = same_topic and occasion is False and is_same_wording(similarity, a.text, b.text, texts)
    utterance = bool(changes) and occasion is True and may_be_one_utterance(a.text, a.date, b.text, b.date,
                                                                            similarity, texts)
    return Relation(similarity, shared, same_topic, related, changes, occasion, wording, utterance)


def claim_id_for(attribution_id: str) -> str:
    """The id of a claim founded by an attribution (stable across runs)."""
    return "claim-" + hashlib.sha1(attribution_id.encode("utf-8")).hexdigest()[:12]


# -- incremental linking -------------------------------------------------------------------


def _order(st: Statement) -> tuple:
    return (st.date is None, st.date or "", st.article_id, st.id)


MAX_CACHED_LINKS = 100_000  # claim links an ingesting process keeps in memory (≈ 150 MB of vectors, ≈ 100 MB of records)
MAX_SPEAKER_LINKS = 5_000  # a speaker with more is searched in Chroma, not kept
SPEAKERS_PER_READ = 100  # speakers whose links one Chroma read fetches


class SpeakerLinks:
    """Each speaker's stored claim links, read once and kept across ingest batches, so a
    batch's nearest-link search is a matrix product instead of one filtered Chroma query
    per speaker (≈ 10 ms each alone, 35 ms under an ingest's load: two thirds of claim
    linking at 1,000 articles). The search is exact where Chroma's is approximate.

    The speakers of a batch that are not kept yet are read together (``prefetch``): a
    filtered read costs ≈ 20 ms on a 150,000-link store however few links it returns,
    and one read for a hundred speakers costs about as much as two or three single ones.
    A speaker's vectors are kept only in its matrix (the link records carry none), so the
    cache holds twice the links in the same memory.

    It holds only while the claims collection changes by this process's writes alone:
    ``check`` empties it when the collection's size is not what this process left it at
    (another writer, a delete), and the next batch reads the links afresh."""

    def __init__(self, store: Store, max_links: int | None = None, max_speaker_links: int | None = None) -> None:
        self.store = store
        self.max_links = MAX_CACHED_LINKS if max_links is None else max_links
        self.max_speaker_links = MAX_SPEAKER_LINKS if max_speaker_links is None else max_speaker_links
        self._by_speaker: OrderedDict[str, tuple[list[dict], np.ndarray]] = OrderedDict()
        self._too_many: set[str] = set()  # speakers searched in Chroma (more than max_speaker_links)
        self._rows = 0
        self._expected: int | None = None  # the collection's size after this process's last write

    def check(self) -> int:
        """Forget everything if the claims collection changed behind this cache; returns
        the collection's size."""
        size = self.store.count("claims")
        if size != self._expected:
            self._by_speaker.clear()
            self._too_many.clear()
            self._rows = 0
            self._expected = None
        return size

    def prefetch(self, speaker_ids: Iterable[str]) -> None:
        """Read the links of the speakers not kept yet, a hundred speakers per read."""
        wanted = [s for s in dict.fromkeys(speaker_ids) if s not in self._by_speaker and s not in self._too_many]
        for start in range(0, len(wanted), SPEAKERS_PER_READ):
            part = wanted[start : start + SPEAKERS_PER_READ]
            found = self.store.claim_links_by_speaker(part)
            for speaker_id in part:
                links, matrix = found.get(speaker_id, ([], None))
                if len(links) > self.max_speaker_links:
                    self._too_many.add(speaker_id)
                else:
                    self._put(speaker_id, links, matrix)

    def nearest(self, speaker_id: str, vectors: list[np.ndarray], k: int) -> list[list[dict]]:
        """The ``k`` nearest links of the speaker to each vector (as
        ``Store.nearest_claim_links_many`` gives them)."""
        entry = self._entry(speaker_id)
        if entry is None:
            return self.store.nearest_claim_links_many(vectors, k, speaker_id)
        links, matrix = entry
        if not links:
            return [[] for _ in vectors]
        sims = np.asarray(vectors, dtype=np.float32) @ matrix.T
        out = []
        for row in sims:
            top = np.argsort(-row, kind="stable")[:k]
            out.append([{**links[i], "vector": matrix[i], "similarity": float(row[i])} for i in top])
        return out

    def _entry(self, speaker_id: str) -> tuple[list[dict], np.ndarray] | None:
        if speaker_id not in self._by_speaker:
            self.prefetch([speaker_id])
        if speaker_id in self._too_many:
            return None
        self._by_speaker.move_to_end(speaker_id)
        return self._by_speaker[speaker_id]

    def _put(self, speaker_id: str, links: list[dict], matrix: np.ndarray | None) -> None:
        old = self._by_speaker.pop(speaker_id, None)
        self._rows -= len(old[0]) if old else 0
        if matrix is None or not links:
            matrix = np.zeros((0, 0), dtype=np.float32)
        self._by_speaker[speaker_id] = ([{k: v for k, v in link.items() if k != "vector"} for link in links],
                                        np.asarray(matrix, dtype=np.float32))
        self._rows += len(links)
        while self._rows > self.max_links and len(self._by_speaker) > 1:
            _, (dropped, _) = self._by_speaker.popitem(last=False)
            self._rows -= len(dropped)

    def written(self, links: list[dict], size_before: int) -> None:
        """Links this process has just written: kept for their speakers already here."""
        by_speaker: dict[str, list[dict]] = defaultdict(list)
        for link in links:
            by_speaker[link["speaker_id"]].append(link)
        for speaker_id, new in by_speaker.items():
            if speaker_id in self._by_speaker:
                ids = {link["id"] for link in new}
                old_links, old_matrix = self._by_speaker[speaker_id]
                keep = [i for i, link in enumerate(old_links) if link["id"] not in ids]
                vectors = [old_matrix[i] for i in keep] + [np.asarray(link["vector"], dtype=np.float32) for link in new]
                self._put(speaker_id, [old_links[i] for i in keep] + new, np.asarray(vectors, dtype=np.float32))
        # re-linked ids (already stored) make the count fall short: the next check resets
        self._expected = size_before + len(links)


class ClaimLinker:
    """Assigns new attributions to claims, incrementally (see the module doc)."""

    def __init__(self, store: Store, candidates: int = CANDIDATES) -> None:
        self.store = store
        self.candidates = candidates
        self.texts = TextCache()  # statement analyses, reused across batches
        self.cache = SpeakerLinks(store)  # used by ``link_bundles`` (the ingest path)

    def link_bundles(self, bundles: Sequence[ArticleBundle]) -> int:
        """Link the attributions of articles about to be written; returns how many links
        were written (``Indexer.before_commit``: before the article records)."""
        statements = []
        for b in bundles:
            vectors = bundle_attribution_vectors(b)
            for a in b.attributions:
                if a.speaker_id and a.content_text.strip():
                    statements.append(Statement(a.id, a.speaker_id, a.content_text,
                                                np.asarray(vectors[a.id], dtype=np.float32),
                                                b.appearance.date, b.article_id, stance=a.stance))
        size_before = self.cache.check()
        self.cache.prefetch(st.speaker_id for st in statements)
        links = self.link(statements, self.cache.nearest)
        self.store.write_claim_links(links)
        self.cache.written(links, size_before)
        return len(links)

    def link(self, statements: Iterable[Statement], nearest=None) -> list[dict]:
        """Claim links (``Store.write_claim_links`` rows) for statements, oldest first,
        each joining the best existing claim of its speaker or founding a new one.
        ``nearest(speaker_id, vectors, k)`` finds stored links (default: Chroma's query)."""
        run: dict[str, list[Statement]] = defaultdict(list)  # linked in this run, per speaker
        links = []
        ordered = sorted(statements, key=_order)
        stored = self._stored_neighbours(ordered, nearest)
        for st in ordered:
            candidates = [self._statement(link) for link in stored[st.id] if link["id"] != st.id]
            candidates += self._nearest(st, run[st.speaker_id])
            chosen = choose_claim(st, candidates, self.texts)
            if chosen is None:
                st.claim_id, st.claim_text, st.claim_date = claim_id_for(st.id), st.text, st.date
            else:
                st.claim_id, st.claim_text, st.claim_date = chosen.claim_id, chosen.claim_text, chosen.claim_date
            run[st.speaker_id].append(st)
            links.append({"id": st.id, "vector": st.vector, "text": st.text, "claim_id": st.claim_id,
                          "claim_text": st.claim_text, "claim_date": st.claim_date,
                          "speaker_id": st.speaker_id, "article_id": st.article_id, "date": st.date,
                          "stance": st.stance})
        return links

    def _stored_neighbours(self, statements: list[Statement], nearest=None) -> dict[str, list[dict]]:
        """Each statement's nearest claim links already in the store: one search per speaker
        of the batch, not one per statement."""
        by_speaker: dict[str, list[Statement]] = defaultdict(list)
        for st in statements:
            by_speaker[st.speaker_id].append(st)
        out: dict[str, list[dict]] = {}
        for speaker_id, group in by_speaker.items():
            vectors = [st.vector for st in group]
            found = nearest(speaker_id, vectors, self.candidates) if nearest else \
                self.store.nearest_claim_links_many(vectors, self.candidates, speaker_id)
            out.update({st.id: links for st, links in zip(group, found)})
        return out

    def _nearest(self, st: Statement, pool: list[Statement]) -> list[Statement]:
        if len(pool) <= self.candidates:
            return list(pool)
        sims = np.asarray([p.vector for p in pool]) @ st.vector
        return [pool[i] for i in np.argsort(-sims)[: self.candidates]]

    @staticmethod
    def _statement(link: dict) -> Statement:
        return Statement(link["id"], link["speaker_id"], link["text"],
                         np.asarray(link["vector"], dtype=np.float32) if "vector" in link else np.zeros(0),
                         link.get("date"), link["article_id"], link["claim_id"], link.get("claim_text"),
                         link.get("claim_date"), link.get("stance") or "asserted")


def choose_claim(st: Statement, candidates: list[Statement], texts: TextCache | None = None) -> Statement | None:
    """The candidate whose claim ``st`` joins, or ``None`` (a new claim).

    A claim is joinable when ``st`` is about the same thing as one of its members (in the
    same words, when that member is of another occasion) and,
    measured against the claim's founding statement, keeps its meaning or may be the same
    utterance (``may_be_one_utterance``: within the occasion window, the same day or nearly
    the same words). Claims founded on the statement's own occasion come first, then
    claims whose meaning ``st`` keeps (over drift), then the closest.

    Meaning changes (the costly part) are computed only for claims with a member about
    the same thing, and against members only until one keeps the meaning."""
    texts = texts if texts is not None else TextCache()
    keys = texts.keys(st.text)
    best: tuple[tuple, Statement] | None = None
    by_claim: dict[str, list[Statement]] = defaultdict(list)
    for c in candidates:
        if c.claim_id and c.vector.size and c.stance == st.stance:
            by_claim[c.claim_id].append(c)
    for members in by_claim.values():
        topical: list[tuple[float, float, Statement]] = []
        for m in members:
            similarity = float(np.dot(st.vector, m.vector))
            m_keys = texts.keys(m.text)
            shared = overlap(keys, m_keys)
            # a member of another occasion counts only in the same words (``Relation.same_claim``)
            if is_same_topic(similarity, shared, keys, m_keys) and (
                    same_occasion(st.date, m.date) is not False or is_same_wording(similarity, st.text, m.text, texts)):
                topical.append((similarity, shared, m))
        if not topical:
            continue
        founder = members[0]
        founder_text = founder.claim_text or founder.text
        founder_changes = texts.change(st.text, founder_text)
        occasion = same_occasion(st.date, founder.claim_date) is True
        if founder_changes:
            # drift only from what may be the founding utterance itself: "A temporary bridge
            # is not an option" two days after "I will not rule out a temporary bridge" is
            # another statement, not a misquote of the first
            own = next((m for m in members if claim_id_for(m.id) == m.claim_id), None)
            similarity = float(np.dot(st.vector, own.vector)) if own is not None else 0.0
            if not (occasion and may_be_one_utterance(st.text, st.date, founder_text, founder.claim_date,
                                                      similarity, texts)):
                continue
        consistent = not founder_changes and any(not texts.change(st.text, m.text) for _, _, m in topical)
        score = max(similarity + shared for similarity, shared, _ in topical)
        # The claim made on the statement's own occasion first: then a misquote joins the
        # claim it misreports whatever order the articles arrive in.
        rank = (occasion, consistent, score)
        if best is None or rank > best[0]:
            best = (rank, max(topical, key=lambda t: t[0])[2])
    return best[1] if best else None


# -- reading claims ------------------------------------------------------------------------


@dataclass
class ClaimAppearance:
    """One appearance of a claim: an attribution in an article as one outlet published it."""

    attribution_id: str
    article_id: str
    sentence_id: str | None
    sentence_ids: list[str]
    text: str
    kind: str
    outlet: str | None
    title: str | None
    date: str | None
    url: str | None
    stance: str = "asserted"  # the attribution's (index.models.AttributionStance)
    cue: str | None = None
    speaker: str | None = None  # the attribution's speaker, as resolved

    def to_dict(self) -> dict:
        return {"article_id": self.article_id, "sentence_id": self.sentence_id, "outlet": self.outlet,
                "date": self.date, "url": self.url, "title": self.title, "text": self.text, "kind": self.kind,
                "attribution_id": self.attribution_id, "sentence_ids": list(self.sentence_ids),
                "stance": self.stance, "cue": self.cue}


@dataclass
class Drift:
    """How one appearance's wording differs from the claim's reference appearance."""

    appearance: ClaimAppearance
    reference: ClaimAppearance
    changed: bool  # the wording changes the meaning (the quote check's "altered")
    reasons: list[str]
    diff: list[DiffOp]

    def to_dict(self) -> dict:
        a, r = self.appearance, self.reference
        return {"article_id": a.article_id, "sentence_id": a.sentence_id, "outlet": a.outlet, "date": a.date,
                "text": a.text, "against_article_id": r.article_id, "against_sentence_id": r.sentence_id,
                "against_text": r.text, "changed": self.changed, "reasons": list(self.reasons),
                "diff": [d.to_dict() for d in self.diff]}


@dataclass
class Claim:
    """A statement by one speaker with every appearance, drift and contradicting claims."""

    id: str
    speaker_id: str
    speaker: str | None
    appearances: list[ClaimAppearance]
    reference: ClaimAppearance
    vector: np.ndarray
    drift: list[Drift] = field(default_factory=list)
    contradicts: list[str] = field(default_factory=list)
    # set by ``claims_for_quote``: how the claim's closest wording changes the meaning of the
    # quote asked about (empty: it keeps it)
    quote_changes: list[str] = field(default_factory=list)
    # the ids its claim links carry, when ``id`` is not one of them (``build_claims``)
    aliases: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The reference wording without enclosing quotation marks or trailing commas."""
        return bare_text(self.reference.text)

    @property
    def first_seen(self) -> str | None:
        dates = [a.date for a in self.appearances if a.date]
        return min(dates) if dates else None

    @property
    def first_appearance(self) -> ClaimAppearance:
        dated = [a for a in self.appearances if a.date]
        return min(dated, key=lambda a: a.date) if dated else self.appearances[0]

    @property
    def repeats(self) -> int:
        """How many times the statement was reported (appearances)."""
        return len(self.appearances)

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet for a in self.appearances if a.outlet})

    @property
    def altered(self) -> list[Drift]:
        return [d for d in self.drift if d.changed]

    @property
    def stance(self) -> str:
        """The reference appearance's stance: "asserted", "denied" or "negated"."""
        return self.reference.stance

    @property
    def stance_note(self) -> str:
        """How a claim list marks a claim that is not the speaker's assertion: "denied
        (cue: “ruling out”)"; empty for an asserted claim."""
        if self.stance == "asserted":
            return ""
        word = "denied" if self.stance == "denied" else "not said"
        return f"{word} (cue: “{self.reference.cue}”)" if self.reference.cue else word

    @property
    def verdict(self) -> str:
        """The attribution verdict from the claim's own appearances (misattribution needs
        the other speakers: ``review_verdict``)."""
        if self.stance != "asserted":
            return VERDICT_DENIED if self.stance == "denied" else VERDICT_NOT_ASSERTED
        if self.quoted:
            return VERDICT_ALTERED if self.altered else VERDICT_ACCURATE
        return VERDICT_ALTERED_REPORT if self.altered else VERDICT_ACCURATE_REPORT

    @property
    def quoted(self) -> bool:
        """Some outlet quotes the speaker's words (a direct or mixed attribution)."""
        return any(a.kind in ("direct", "mixed") for a in self.appearances)

    def to_dict(self) -> dict:
        return {"id": self.id, "speaker": self.speaker, "speaker_id": self.speaker_id, "text": self.text,
                "stance": self.stance, "stance_note": self.stance_note,
                "first_seen": self.first_seen, "repeats": self.repeats, "outlets": self.outlets,
                "verdict": self.verdict, "appearances": [a.to_dict() for a in self.appearances],
                "drift": [d.to_dict() for d in self.drift], "contradicts": list(self.contradicts)}


@dataclass
class Contradiction:
    """Two claims of one speaker that contradict each other, with both citations."""

    first: Claim
    second: Claim
    confidence: float
    reasons: list[str]

    def to_dict(self) -> dict:
        return {"claims": [self.first.id, self.second.id], "speaker": self.first.speaker,
                "confidence": self.confidence, "reasons": list(self.reasons),
                "citations": [self.first.reference.to_dict(), self.second.reference.to_dict()]}


@dataclass
class ClaimSet:
    """A speaker's (or every speaker's) claims and the contradictions among them."""

    claims: list[Claim]
    contradictions: list[Contradiction]

    def get(self, claim_id: str) -> Claim | None:
        """The claim listed as ``claim_id``, or whose claim links carry it (an id a listing
        gave before an earlier-dated report joined the claim)."""
        return next((c for c in self.claims if c.id == claim_id), None) or \
            next((c for c in self.claims if claim_id in c.aliases), None)

    def to_dict(self) -> dict:
        return {"claims": [c.to_dict() for c in self.claims],
                "contradictions": [c.to_dict() for c in self.contradictions]}


def _shown_id(claim_id: str, appearances: list[ClaimAppearance]) -> str:
    """The id a claim is listed under: its links' (named after the attribution linked
    first) while that one is of the claim's earliest date, else named after the earliest
    appearance (``appearances`` sorted by date). Articles ingested out of date order — April
    6's misquote before April 5's report — then give the ids (and ClaimReview URNs) of date
    order, and an earlier-dated report joining renames the claim rather than putting
    other words under its id; a same-day report joining keeps it. The links' id stays an
    alias (``ClaimSet.get``, ``claim_speaker``)."""
    earliest = appearances[0].date
    if any(a.date == earliest and claim_id_for(a.attribution_id) == claim_id for a in appearances):
        return claim_id
    return claim_id_for(appearances[0].attribution_id)


def claim_speaker(store: Store, claim_id: str) -> str | None:
    """The speaker of a claim listed as ``claim_id`` (``build_claims`` names a claim after
    its earliest appearance) or whose links carry it; ``None`` if no claim has it."""
    found = store.claim_speaker(claim_id)
    if found is not None:
        return found
    for attribution_id in sorted(store.claim_link_ids()):
        if claim_id_for(attribution_id) == claim_id:
            got = store.attributions_by_id([attribution_id])
            return got[0].get("speaker_id") if got else None
    return None


def ensure_links(store: Store, speaker_id: str | Sequence[str] | None = None) -> int:
    """Link committed attributions (of a speaker, of several, or all) that have no claim
    link yet; returns how many."""
    # Ids first: in a store linked at ingest nothing is missing, and ids cost a fraction of records.
    linked = store.claim_link_ids(speaker_id)
    unlinked = [i for i in store.attribution_ids(speaker_id) if i not in linked]
    if not unlinked:
        return 0
    candidates = store.attributions_by_id(unlinked)
    meta = store.article_metadata({a["article_id"] for a in candidates})  # committed articles only
    missing = [a for a in candidates
               if a["article_id"] in meta and a.get("speaker_id") and _content_text(a).strip()]
    if not missing:
        return 0
    vectors = store.attribution_vectors([a["id"] for a in missing])
    statements = [Statement(a["id"], a["speaker_id"], _content_text(a), vectors[a["id"]],
                            meta[a["article_id"]].date if a["article_id"] in meta else None, a["article_id"],
                            stance=a.get("stance") or "asserted")
                  for a in missing if a["id"] in vectors]
    links = ClaimLinker(store).link(statements)
    store.write_claim_links(links)
    return len(links)


def build_claims(store: Store, speaker_id: str | None = None, details: bool = True) -> ClaimSet:
    """Every claim of committed articles (optionally one speaker's), oldest first, with
    drift and contradictions (ranked by confidence). Without ``details`` neither is worked
    out (each claim's reference is its first appearance): for choosing among claims."""
    ensure_links(store, speaker_id)
    links = store.claim_links(speaker_id, with_vectors=True)
    attributions = {a["id"]: a for a in store.attributions(speaker_id=speaker_id)}
    return _claim_set(store, links, attributions, details)


def claims_holding(store: Store, sentence_ids: Iterable[str], speaker_ids: Iterable[str]) -> list[Claim]:
    """The claims of these speakers that hold these sentences, without drift details (as
    ``build_claims(details=False)`` gives them): only those claims' links are read, not
    every claim of the speakers (≈ 0.2 s a speaker at 10,000 articles, on every did-say
    answer and quote check). A store whose attributions are not all linked yet is read
    whole, speaker by speaker, as ``build_claims`` does (it links them)."""
    ids = set(sentence_ids)
    speakers = sorted(set(speaker_ids))
    records = store.get_sentences(sorted(ids))
    attribution_ids = {a for r in records.values() for a in r.attribution_ids}
    links = store.claim_links_of_claims(attribution_ids, speakers)
    if links is None:
        claims = [c for sid in speakers for c in build_claims(store, sid, details=False).claims]
    else:
        committed = store.article_metadata({link["article_id"] for link in links})
        links = [link for link in links if link["article_id"] in committed]
        attributions = {a["id"]: a for a in store.attributions_by_id([link["id"] for link in links])}
        claims = _claim_set(store, links, attributions, details=False).claims
    return [c for c in claims if any(set(a.sentence_ids or [a.sentence_id]) & ids for a in c.appearances)]


def _claim_set(store: Store, links: list[dict], attributions: dict[str, dict], details: bool) -> ClaimSet:
    """Claims from claim links (with vectors) and the attributions they link."""
    articles = store.article_metadata({link["article_id"] for link in links})
    names = store.speaker_names({link["speaker_id"] for link in links})
    members: dict[str, list[dict]] = defaultdict(list)
    for link in links:
        if link["id"] in attributions:
            members[link["claim_id"]].append(link)
    claims = []
    for claim_id, group in members.items():
        appearances = [ap for link in group
                       for ap in _appearances(attributions[link["id"]], articles.get(link["article_id"]))]
        if not appearances:
            continue
        appearances.sort(key=lambda a: (a.date is None, a.date or "", a.article_id, a.attribution_id, a.outlet or ""))
        vector = np.mean([link["vector"] for link in group], axis=0)
        norm = float(np.linalg.norm(vector))
        sid = group[0]["speaker_id"]
        shown_id = _shown_id(claim_id, appearances)
        claim = Claim(shown_id, sid, names.get(sid) or attributions[group[0]["id"]].get("speaker"),
                      appearances, appearances[0], vector / norm if norm else vector,
                      aliases=[claim_id] if claim_id != shown_id else [])
        if details:
            claim.reference, claim.drift = drift(appearances)
        claims.append(claim)
    claims.sort(key=lambda c: (c.first_seen is None, c.first_seen or "", c.id))
    if not details:
        return ClaimSet(claims, [])
    contradictions = find_contradictions(claims)
    for c in contradictions:
        c.first.contradicts.append(c.second.id)
        c.second.contradicts.append(c.first.id)
    return ClaimSet(claims, contradictions)


# a quotation's closing mark after its punctuation, then the next one's opening mark
_BETWEEN_QUOTATIONS = re.compile(r"([,;:.!?])\s*[”\"’»]\s+[“\"‘«„]\s*")


def bare_text(text: str) -> str:
    """``text`` without enclosing quotation marks and trailing commas or semicolons; the
    quotation marks between two quoted parts go (“About 300 households are affected,” “The
    water is safe.” -> About 300 households are affected … The water is safe.)."""
    out = text.strip().strip("\"“”„«»‘’'").strip().rstrip(",;:").strip("\"“”„«»‘’'").strip()
    out = _BETWEEN_QUOTATIONS.sub(lambda m: f"{m.group(1)} " if m.group(1) in ".!?" else " … ", out)
    return out or text.strip()


def _content_text(attribution: dict) -> str:
    return " ".join(span["text"] for span in attribution.get("content") or [])


def _appearances(attribution: dict, article: ArticleRecord | None) -> list[ClaimAppearance]:
    """One appearance per place the attribution's article was published (wire copies)."""
    if article is None:
        return []
    sentence_ids = list(attribution.get("sentence_ids") or [])
    places = article.appearances or [None]
    out = []
    for place in places:
        out.append(ClaimAppearance(
            attribution["id"], article.id, sentence_ids[0] if sentence_ids else None, sentence_ids,
            _content_text(attribution), attribution.get("kind") or "direct",
            (place.outlet if place else None) or article.outlet, (place.title if place else None) or article.title,
            (place.date if place else None) or article.date, (place.url if place else None) or article.url,
            attribution.get("stance") or "asserted", (attribution.get("cue") or {}).get("text"),
            attribution.get("speaker")))
    return out


def drift(appearances: list[ClaimAppearance]) -> tuple[ClaimAppearance, list[Drift]]:
    """The reference appearance and the drift of every other wording against it.

    The reference is the version most appearances agree with (fewest meaning changes
    against the others); ties go to the earliest, then to the speaker's own words (a direct
    quote over a paraphrase of the same day), then the most complete. Each appearance
    worded differently gets a word diff against it, flagged ``changed`` when the wording
    changes the meaning (``meaning_change``: the quote check's altered logic) — against the
    reference, or, when the reference leaves out what they disagree on, against a wording
    more outlets report (or as many, earlier): "450 beds" where two outlets say "400 beds"."""
    texts = list(dict.fromkeys(a.text for a in appearances))
    changes = {(x, y): meaning_change(x, y) for i, x in enumerate(texts) for y in texts[i + 1:]}

    def disagreements(text: str) -> int:
        return sum(1 for a in appearances if a.text != text
                   and (changes.get((text, a.text)) or changes.get((a.text, text))))

    order = {a.text: i for i, a in reversed(list(enumerate(appearances)))}
    first = {a.text: a for a in reversed(appearances)}
    reference_text = min(texts, key=lambda t: (disagreements(t), first[t].date is None, first[t].date or "",
                                               first[t].kind != "direct", order[t], -len(content_keys(t))))
    reference = next(a for a in appearances if a.text == reference_text)
    out = []
    support = Counter(a.text for a in appearances)
    for a in appearances:
        if a.text == reference.text:
            continue
        against = reference
        # the reasons are worded from the yardstick to this appearance ("the source says
        # “we will not close it”, the quote drops the negation: …"): computed in that order,
        # not in whichever order the pair was first compared
        changed = changes.get((a.text, reference.text)) or changes.get((reference.text, a.text))
        reasons = meaning_change(a.text, reference.text) if changed else []
        if not reasons and (rival := _better_supported_rival(a, first, support, changes)):
            # the reference leaves out what they disagree on ("would open in June" against
            # "… with 400 beds" and "… with 450 beds"): the better-reported wording is the yardstick
            against = first[rival]
            reasons = meaning_change(a.text, rival)
        diff = word_diff(a.text, against.text)
        if not reasons and (requoted := _requoted(a, against, diff)):
            reasons.append(requoted)
        out.append(Drift(a, against, bool(reasons), reasons, diff))
    return reference, out


def _better_supported_rival(a: ClaimAppearance, first: dict[str, ClaimAppearance], support: Counter,
                            changes: dict[tuple[str, str], list[str]]) -> str | None:
    """Another wording of the claim whose meaning ``a``'s changes and that more outlets
    report, or as many and earlier: then ``a`` is the one that drifted."""
    def better(text: str) -> bool:
        theirs, mine = support[text], support[a.text]
        return theirs > mine or (theirs == mine and (first[text].date or "9999") < (a.date or "9999"))

    rivals = [t for t in support if t != a.text and (changes.get((a.text, t)) or changes.get((t, a.text))) and better(t)]
    return min(rivals, key=lambda t: (-support[t], first[t].date or "9999"), default=None)


def _requoted(a: ClaimAppearance, reference: ClaimAppearance, diff: list[DiffOp]) -> str | None:
    """Why two direct quotations of one claim are not the same quotation: a word inside
    the quotation marks replaced by another ("a disaster for the spring catch" against "a
    catastrophe for …"), even when the meaning is kept. Words left out or added (a shorter
    or longer excerpt) are no change. ``None`` when the quoted words agree."""
    if a.kind != "direct" or reference.kind != "direct":
        return None
    swapped = [(d.quote, d.source) for d in diff if d.op == "replace"
               and content_keys(d.quote) and content_keys(d.source) and content_keys(d.quote) != content_keys(d.source)]
    if not swapped:
        return None
    return "quoted words: " + "; ".join(f"“{q}” for “{s}”" for q, s in swapped[:3])


def find_contradictions(claims: list[Claim]) -> list[Contradiction]:
    """Pairs of one speaker's claims that contradict each other, most confident first."""
    by_speaker: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_speaker[c.speaker_id].append(c)
    out = []
    texts = TextCache()  # each claim's text is analysed once, not once per pair
    for group in by_speaker.values():
        if len(group) < 2:
            continue
        sims = np.asarray([c.vector for c in group]) @ np.asarray([c.vector for c in group]).T
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if sims[i, j] < RELATED_FLOOR:
                    continue
                a, b = group[i], group[j]
                rel = relate(_claim_statement(a), _claim_statement(b), texts=texts)
                rel.similarity = max(rel.similarity, float(sims[i, j]))
                if rel.contradiction > 0:
                    out.append(Contradiction(a, b, rel.contradiction, rel.changes))
    return sorted(out, key=lambda c: (-c.confidence, c.first.id, c.second.id))


def _claim_statement(c: Claim) -> Statement:
    return Statement(c.id, c.speaker_id, c.text, c.vector, c.first_seen)


# -- what other code calls -------------------------------------------------------------------


def other_speakers(store: Store, claim: Claim, k: int = 20, linked: bool = False) -> list[ClaimAppearance]:
    """Appearances of the same statement attributed to someone else (a misattribution,
    one way or the other): the nearest claim links of other speakers in the same words
    (``is_same_wording``) with the same meaning. A statement merely about the same thing
    is no copy: "This bridge is the future of Millbrook Ferry" is not "The bridge will
    bring 500 jobs to Millbrook Ferry" said by someone else.

    Every speaker's attributions are linked first (``ensure_links``), unless the caller has
    (``linked``): otherwise the verdict would depend on which speakers' claims were listed
    before, after a ``reindex``."""
    if not linked:
        ensure_links(store)
    found = [link for link in store.nearest_claim_links(claim.vector, k) if link["speaker_id"] != claim.speaker_id]
    keep = [link for link in found if is_same_wording(link["similarity"], claim.text, link["text"])
            and not meaning_change(claim.text, link["text"])]
    articles = store.article_metadata({link["article_id"] for link in keep})
    out = []
    for link in keep:
        for a in store.attributions(article_id=link["article_id"]):
            if a["id"] == link["id"]:
                out.extend(_appearances(a, articles.get(link["article_id"])))
    return out


def review_verdict(claim: Claim, others: list[ClaimAppearance]) -> tuple[str, list[str]]:
    """The attribution verdict for a claim review, with the reasons behind it.

    A denial (or a statement reported as not made) is rated as one first: someone else's
    accusation in the same words is what is denied, not a misattribution. Then
    ``Misattributed`` when the same words are attributed to someone else earlier, or as
    early (or with dates unknown) in more articles: the first to report the words decides,
    and a one-to-one tie condemns neither. Then ``Altered quote`` when an appearance
    changes the meaning; else ``Accurately quoted`` (``Altered report`` and ``Accurately
    reported`` for a claim no outlet quoted: ``Claim.verdict``)."""
    if claim.stance != "asserted":
        return claim.verdict, [f"The source reports {claim.speaker or 'the speaker'}: {claim.stance_note}, "
                               f"not asserting “{claim.text}”"]
    others = [a for a in others if a.stance == "asserted"]
    if others:
        other_articles = {a.article_id for a in others}
        own_articles = {a.article_id for a in claim.appearances}
        earliest_other = min((a.date for a in others if a.date), default=None)
        dated = earliest_other and claim.first_seen
        if (dated and earliest_other < claim.first_seen) or (
                (not dated or earliest_other == claim.first_seen) and len(other_articles) > len(own_articles)):
            who = ", ".join(sorted({a.speaker for a in others if a.speaker})) or "another speaker"
            where = ", ".join(sorted({f"{a.outlet or a.article_id} ({a.date or 'undated'})" for a in others}))
            return VERDICT_MISATTRIBUTED, [f"The same words are attributed to {who} in {len(other_articles)} "
                                           f"article(s), first: {where}"]
    if claim.altered:
        reasons = []
        for d in claim.altered:
            where = d.appearance.outlet or d.appearance.article_id
            reasons.append(f"{where} ({d.appearance.date or 'undated'}): " + "; ".join(d.reasons))
        return claim.verdict, reasons
    return claim.verdict, [f"{claim.repeats} appearance(s) keep the meaning of “{claim.text}”"]


REVIEWED_CLAIMS = 200  # claims a listing rates against other speakers (one store query each)


def review_verdicts(store: Store, claims: list[Claim]) -> dict[str, tuple[str, list[str]]] | None:
    """``review_verdict`` for each claim (id -> verdict, reasons), as a claim list, CSV or
    the app shows it, so that they agree with the ClaimReview export; ``None`` when there
    are more than ``REVIEWED_CLAIMS`` claims (one nearest-links query each)."""
    if len(claims) > REVIEWED_CLAIMS:
        return None
    ensure_links(store)
    return {c.id: review_verdict(c, other_speakers(store, c, linked=True)) for c in claims}


NAMESAKE_LINKS = 10  # nearest claim links that pick which of several namesakes' claims to build


def _speakers_near(store: Store, speaker_ids: list[str], vector: np.ndarray) -> list[str]:
    """Of several speakers (namesakes of a bare surname, ~40 of them in a large archive),
    those whose claim links are among the ``NAMESAKE_LINKS`` nearest to the quote, nearest
    first: building every namesake's claims costs ~0.2 s each."""
    ensure_links(store, speaker_ids)
    nearest = store.nearest_claim_links(vector, NAMESAKE_LINKS, speaker_ids)
    return list(dict.fromkeys(link["speaker_id"] for link in nearest))


def claims_for_quote(store: Store, speaker_ids: str | Sequence[str], quote: str, embeddings=None,
                     limit: int = 5, topic: bool = False) -> list[Claim]:
    """The claims of the speaker (or of any of the speakers: namesakes a bare surname may
    name) that report ``quote``, best first: for "has X said this before?" and "how did
    outlets report X's quote?". With ``embeddings`` (an object with ``embed_array``) the
    quote's vector counts too; without, content words decide. Claims whose wording changes
    the quote's meaning (``meaning_change``: negation, number, opposite word) come after those
    that keep it, with the changes in ``Claim.quote_changes``. Each claim comes with its
    reference wording and drift, not its contradictions (``build_claims`` has those).

    ``topic``: ``quote`` is what the statement is about ("the bridge"), not its words: a
    claim matches when a wording holds every content word of it, or is close to it by
    vector."""
    ids = [speaker_ids] if isinstance(speaker_ids, str) else list(dict.fromkeys(speaker_ids))
    if not ids:
        return []
    q_vector = embeddings.embed_array([quote])[0] if embeddings is not None else None
    if q_vector is not None and len(ids) > 1:
        ids = _speakers_near(store, ids, q_vector)
    claims = [c for speaker_id in ids for c in build_claims(store, speaker_id, details=False).claims]
    if not claims:
        return []
    q_keys = content_keys(quote)
    texts = TextCache()
    scored = []
    for c in claims:
        best, changes = 0.0, None
        for a in c.appearances:
            a_keys = content_keys(a.text)
            shared = overlap(q_keys, a_keys)
            if topic:
                covered = bool(q_keys) and q_keys <= a_keys
                sim = float(np.dot(q_vector, c.vector)) if q_vector is not None else 0.0
                hit = covered or sim >= TOPIC_SIMILARITY
                score = sim + shared
            elif q_vector is not None:
                sim = float(np.dot(q_vector, c.vector))
                hit = sim >= SAME_SIMILARITY or (sim >= TOPIC_SIMILARITY and shared >= TOPIC_OVERLAP)
                score = sim + shared
            else:
                hit = shared >= LEXICAL_OVERLAP or (shared >= TOPIC_OVERLAP + 0.1 and len(q_keys) >= MIN_KEYS)
                score = shared
            if hit or (shared >= LEXICAL_OVERLAP and len(q_keys) >= MIN_KEYS):
                best = max(best, score)
                # the claim keeps the quote's meaning when any of its wordings does
                found = [] if topic else texts.change(quote, bare_text(a.text))
                if changes is None or len(found) < len(changes):
                    changes = found
        if best > 0:
            c.quote_changes = changes or []
            scored.append((best, c))
    # "the bridge is safe" is closer, by vector, to "the bridge is not safe" than many true
    # rewordings: a claim that changes the quote's meaning ranks below every claim that keeps it
    scored.sort(key=lambda sc: (bool(sc[1].quote_changes), -sc[0], sc[1].id))
    chosen = [c for _, c in scored[:limit]]
    for c in chosen:
        c.reference, c.drift = drift(c.appearances)
    return chosen
