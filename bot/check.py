"""The quote check: a quote (and who supposedly said it) -> a ``Verdict`` with evidence.

1. Candidates: the retriever's best sentences for the quote (and, when a speaker is
   claimed, that speaker's best sentences); around each, a neighbourhood of adjacent
   sentences of the same article, so a quote spanning several sentences is found.
2. Each neighbourhood is aligned word by word with the quote (folded words, punctuation
   ignored), once over all its words and once over its words inside quotation marks
   only (so ``"A," Quill said. "B."`` matches the quote "A. B."):
   * every quote word matched in one run -> ``verbatim``;
   * most quote words matched, and at least half of what the quote says of its subject
     carried over (``_says_it``: "the Kessel Bridge was sound" is not "The Kessel Bridge
     will close", though three of its five words align) -> the same passage, edited:
     ``bot.meaning.compare`` on the aligned region decides ``altered`` or ``paraphrase``
     (for a direct quotation, added or swapped words count — a close synonym only in a
     quote reworded elsewhere too; for reported speech only meaning changes do);
   * words the speaker's own statement disowns right before them ("I never said X") are a
     denial of X, like an attribution whose cue denies (``_disowned``, ``_not_asserted``);
   * otherwise, a sentence whose meaning embedding is close to the quote's (and that
     carries what the quote says, ``_says_it``) is a ``paraphrase`` unless ``compare``
     finds a negation, number, date, name or antonym change (``altered``).
3. The speaker of a candidate is the attribution whose content covers the region. With a
   claimed speaker, the claimed speaker's candidates win, then those of a post the
   claimed speaker holds, named only by it ("the mayor said": ``_post_holders``, never
   ``misattributed``), then someone else's (``misattributed``); a passage nobody is
   recorded saying supports no speaker. A claimed post ("the mayor") claims everyone the
   articles describe by it.
4. The first report decides, as in the answers (``bot.reports``): the claimed speaker's
   words matched in one report of a statement whose first report (``bot.claims``: one
   statement of one occasion) gives it another meaning ("Forty boats use the slipway"
   first, "fourteen boats used the slipway" two days later) are ``altered`` against that
   first report, the later wording following as a dispute (``_first_report``).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from bot.diff import DiffOp, Token, opcodes, tokenize, word_diff
from bot.meaning import carried_words, compare, content_coverage, facts
from bot.question import SpeakerIndex
from bot.relevance import WordVectors
from bot.retrieve import Filters, ScoredSentence, SentenceRetriever
from bot.sources import SourcePassage
from bot.text import words
from index.errors import QueryError
from index.models import Speaker
from index.speakers import described_only, may_be, role_only
from index.stance import denial_phrase, disavowal
from index.store import ArticleRecord, SentenceRecord, Store

MAX_QUOTE_CHARS = 2000
ALIGNED_COVERAGE = 0.6  # share of quote words matched for "the same passage, edited"
CARRIED_SHARE = 0.5  # ... and of its predicate words the source carries (``_says_it``)
PARAPHRASE_SIMILARITY = 0.72  # cosine of quote vs a sentence or its reported content
CONTENT_COVERAGE = 0.6  # ... and the share of the quote's content words found around it
LOOSE_SIMILARITY = 0.58  # a less similar sentence needs ...
LOOSE_CONTENT_COVERAGE = 0.75  # ... more of the quote's content words around it
SEARCH_K = 10
SPEAKER_SEARCH_K = 6
CONTEXT_SENTENCES = 2  # a passage's context: this many sentences either side
MAX_EVIDENCE = 3
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?|«[^»]*»?|„[^“”]*[“”]?")
_RANK = {"verbatim": 3, "paraphrase": 2, "altered": 1}


@dataclass
class Evidence(SourcePassage):
    """A source passage (whole sentences) that a verdict rests on."""

    sentence_ids: list[str] = field(default_factory=list)


# the kinds of change (``bot.meaning``) that make another report say something else; a
# swapped or added word ("completely" for "perfectly") is wording, not a dispute
_MEANING_KINDS = frozenset({"negation", "number", "date", "name", "opposite"})


@dataclass
class Dispute:
    """Another report that disagrees with a verdict's evidence: the same words given to
    someone else, or the same speaker's words reported with another meaning."""

    reason: str
    evidence: Evidence

    def to_dict(self) -> dict:
        return {"reason": self.reason, "evidence": self.evidence.to_dict()}


@dataclass
class Verdict:
    """The verdict on one quote (``check --json``)."""

    verdict: str  # verbatim | paraphrase | altered | misattributed | not_found
    speaker: str | None
    claimed_speaker: str | None
    evidence: list[Evidence] = field(default_factory=list)
    diff: list[DiffOp] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0
    # the stance of the attribution the evidence is (``index.models.AttributionStance``):
    # "denied" / "negated" evidence never supports "X said this"
    stance: str = "asserted"
    cue: str | None = None  # that attribution's cue, as the source words it
    stated: str | None = None  # and its content: what is denied or not said
    # reports in other articles that disagree with the evidence (``QuoteChecker._disputes``)
    disputes: list[Dispute] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "speaker": self.speaker, "claimed_speaker": self.claimed_speaker,
                "evidence": [e.to_dict() for e in self.evidence], "diff": [d.to_dict() for d in self.diff],
                "reasons": list(self.reasons), "score": round(self.score, 4), "stance": self.stance,
                "cue": self.cue, "stated": self.stated, "disputes": [d.to_dict() for d in self.disputes]}


@dataclass
class Candidate:
    """A source passage aligned with the quote, classified."""

    kind: str  # verbatim | paraphrase | altered
    score: float
    article: ArticleRecord
    sentences: list[SentenceRecord]
    region: tuple[int, int]
    speaker_id: str | None
    speaker: str | None
    reasons: list[str]
    diff: list[DiffOp]
    aligned: bool = False  # found by word alignment (not only by meaning similarity)
    stance: str = "asserted"  # of the speaker's attribution (see ``_not_asserted``)
    cue: str | None = None
    stated: str | None = None
    matched: str = ""  # for a denial: how the words matched (verbatim, paraphrase) before it counted


@dataclass
class _ArticleView:
    """What a check needs of one article: text, sentences in order, attributions."""

    record: ArticleRecord
    text: str
    sentences: list[SentenceRecord]
    attributions: list[dict]
    quoted: list[tuple[int, int]]


def validate_quote(quote: str) -> str:
    """The quote stripped; ``QueryError`` when it is empty, enormous or has no words."""
    if quote is None or not quote.strip():
        raise QueryError("the quote is empty: give the words to check")
    quote = quote.strip()
    if len(quote) > MAX_QUOTE_CHARS:
        raise QueryError(f"the quote is {len(quote)} characters long; the limit is {MAX_QUOTE_CHARS}")
    if not tokenize(quote):
        raise QueryError("the quote has no words in it, only punctuation or symbols")
    return quote


def _as_named(speaker: Speaker) -> str:
    """A speaker as a sentence names them: a person or body by name, a speaker recorded
    under a description with "the" ("spokesperson for the council" -> "the spokesperson for
    the council")."""
    name = speaker.name
    if not described_only(speaker) or re.match(r"(the|a|an|its|his|her|their)\b", name, re.I):
        return name
    return f"the {name}"


class QuoteChecker:
    """Checks quotes against the store (see the module doc)."""

    def __init__(self, store: Store, retriever: SentenceRetriever, speaker_index: SpeakerIndex,
                 embeddings, word_vectors: WordVectors | None = None) -> None:
        self.store = store
        self.retriever = retriever
        self.speaker_index = speaker_index
        self.embeddings = embeddings
        self.word_vectors = word_vectors or WordVectors(embeddings.embed_array)

    # -- public ------------------------------------------------------------------------------

    def check(self, quote: str, claimed_speaker: str | None = None, filters: Filters | None = None,
              claimed_ids: set[str] | None = None, first_report_decides: bool = True) -> Verdict:
        """The verdict on ``quote``, optionally as said by ``claimed_speaker`` (any alias).
        ``claimed_ids``: the speakers the claim may mean, when the caller knows them (a role:
        "the mayor"); by default those ``claimed_speaker`` may name. ``first_report_decides``
        False: the match found, not revised by an earlier report of another meaning (a
        caller that weighs the reports itself, ``bot.reports``)."""
        quote = validate_quote(quote)
        claimed = (claimed_speaker or "").strip() or None
        if claimed_ids is None:
            # a name, or a post ("the mayor", "the council spokesperson"): whoever the articles
            # describe so, as "Did the mayor say …?" asks (``SpeakerIndex.named``)
            claimed_ids = self.speaker_index.may_name(claimed) if claimed else set()
        filters = filters or Filters()
        vector = self.embeddings.embed_array([_bare(quote)])[0]
        candidates = self._candidates(quote, vector, claimed_ids, filters)
        verdict = self._decide(quote, claimed, claimed_ids, candidates)
        return self._first_report(verdict, candidates) if first_report_decides and claimed else verdict

    # -- speakers ----------------------------------------------------------------------------

    def _same_person(self, speaker_id: str | None, speaker: str | None, claimed: str,
                     claimed_ids: set[str]) -> bool:
        if speaker_id in claimed_ids:
            return True
        if not speaker or not claimed_ids or speaker_id in self.speaker_index.by_id:
            return False
        # a speaker the index does not know yet (written after it was built): by name
        return may_be(claimed, Speaker(id="", name=speaker, kind="unknown"))

    def _post_holders(self, speaker_id: str | None, claimed_ids: set[str]) -> list[Speaker] | None:
        """For a speaker the source names only by a post ("\"…,\" the mayor said" in an
        article that never names the mayor, ``index.speakers.role_only``): the people the
        articles describe by that post, when a claimed speaker is one of them ("Mayor
        Helena Drossel said" elsewhere); else ``None``. The source then does not say that
        someone else said the words: it does not say who the mayor is.

        A speaker recorded under a description with no role ("spokesperson for the
        council") is a post too, and may hold a less specific one: "\"…,\" the spokesperson
        said" may be the council spokesperson claimed. Other speakers recorded under a
        description ("the mayor" in another article, "the town's mayor") are no holders of
        it unless claimed: they are posts, not people, and may be the same unnamed one."""
        speaker = self.speaker_index.by_id.get(speaker_id or "")
        if speaker is None or not described_only(speaker):
            return None
        post = speaker.role if role_only(speaker) else speaker.name
        holders = [s for s in self.speaker_index.by_role(post or "")
                   if s.id != speaker.id and (not described_only(s) or s.id in claimed_ids)]
        return holders if {s.id for s in holders} & claimed_ids else None

    # -- candidates --------------------------------------------------------------------------

    def _candidates(self, quote: str, vector: np.ndarray, claimed_ids: set[str],
                    filters: Filters) -> list[Candidate]:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="whosaid-check") as pool:
            # The claimed speaker's search runs beside the open one: Chroma and numpy do
            # most of the work of each without holding the GIL.
            scoped_search = pool.submit(self.retriever.search, quote, Filters(
                speaker_ids=sorted(claimed_ids), article_ids=filters.article_ids, since=filters.since,
                until=filters.until), k=SPEAKER_SEARCH_K, query_vector=vector) if claimed_ids else None
            hits = self.retriever.search(quote, filters, k=SEARCH_K, query_vector=vector)
            if scoped_search is not None:
                hits += scoped_search.result()
        reach = min(3, max(1, len(re.findall(r"[.!?]+(?:\s|$)", quote))))
        views = self._views(hits, reach)
        q_tokens = tokenize(quote)
        seen_regions: set[tuple[str, int, int]] = set()
        seen_sentences: set[str] = set()
        out: list[Candidate] = []
        dense_pending: list[tuple[_ArticleView, SentenceRecord, float]] = []
        for hit in hits:
            sid = hit.sentence.id
            if sid in seen_sentences:
                continue
            seen_sentences.add(sid)
            view = views.get(hit.sentence.article_id)
            if view is None:
                continue
            sentence = next((s for s in view.sentences if s.id == sid), None)
            if sentence is None:
                continue
            hood = [s for s in view.sentences if abs(s.n - sentence.n) <= reach]
            aligned = self._aligned(quote, q_tokens, view, hood)
            if aligned is not None:
                key = (view.record.id, *aligned.region)
                if key not in seen_regions:
                    seen_regions.add(key)
                    out.append(aligned)
                if aligned.kind == "verbatim":
                    continue
            dense_pending.append((view, sentence, hit.dense))
        # A sentence whose passage was aligned word by word is judged by that alignment.
        dense_pending = [(v, s, d) for v, s, d in dense_pending
                         if not any(c.article.id == v.record.id and _overlaps(c.region, _passage(v, s))
                                    for c in out)]
        out.extend(self._dense_candidates(quote, vector, dense_pending))
        return out

    def _views(self, hits: list[ScoredSentence], reach: int) -> dict[str, _ArticleView]:
        """The hits' articles with the sentences a check looks at (those within ``reach``
        of a hit, and ``CONTEXT_SENTENCES`` more either side for a passage's context) and
        the attributions of the sentences within ``reach`` (a sentence record names the
        attributions whose content it holds, and every region a check looks at lies in a
        hit's neighbourhood). The article records are read beside the sentences, then the
        attributions by id: at 2 M sentences, reading every sentence and attribution of
        every candidate article took half of a check."""
        article_ids = {h.sentence.article_id for h in hits}
        if not article_ids:
            return {}
        generation = self.store.generation()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="whosaid-check") as pool:
            sentences_read = pool.submit(self._sentences_near, hits, reach + CONTEXT_SENTENCES, generation)
            records = self.store.get_articles(article_ids)
            sentences = sentences_read.result()
        wanted: set[str] = set()
        for hit in hits:
            for sentence in sentences.get(hit.sentence.article_id, []):
                if abs(sentence.n - hit.sentence.n) <= reach:
                    wanted.update(sentence.attribution_ids)
        attributions: dict[str, list[dict]] = {}
        for item in self.store.attributions_by_id(sorted(wanted, key=_attribution_order)):
            attributions.setdefault(item["article_id"], []).append(item)
        return {aid: _ArticleView(record, record.text, sentences.get(aid, []), attributions.get(aid, []),
                                  [(m.start(), m.end()) for m in _QUOTED.finditer(record.text)])
                for aid, record in records.items()}

    def _sentences_near(self, hits: list[ScoredSentence], window: int,
                        generation: str) -> dict[str, list[SentenceRecord]]:
        """The committed sentences within ``window`` of a hit, per article, in order: ids
        from the BM25 postings, records from the retriever's cache."""
        near: dict[str, list[int]] = {}
        for hit in hits:
            near.setdefault(hit.sentence.article_id, []).append(hit.sentence.n)
        ids = self.retriever.allowed_ids(Filters(article_ids=sorted(near)), generation) or []
        wanted = []
        for sid in ids:
            head, _, tail = sid.rpartition(":")
            # an id not of the form <article_id>:<n> (an older store's) is always read
            if not tail.isdigit() or head not in near or any(abs(int(tail) - n) <= window for n in near[head]):
                wanted.append(sid)
        by_id, _ = self.retriever.lexical_cache.sentences(self.store, generation, wanted)
        sentences: dict[str, list[SentenceRecord]] = {}
        for record in sorted(by_id.values(), key=lambda r: r.n):
            sentences.setdefault(record.article_id, []).append(record)
        return sentences

    def _aligned(self, quote: str, q_tokens: list[Token], view: _ArticleView,
                 hood: list[SentenceRecord]) -> Candidate | None:
        """The best word alignment of the quote inside a neighbourhood, classified."""
        lo, hi = hood[0].start, hood[-1].end
        tokens = tokenize(view.text[lo:hi], lo)
        in_quotes = [t for t in tokens if _inside(t, view.quoted)]
        best: tuple[float, bool, list[Token], int, int] | None = None
        for stream in (tokens, in_quotes):
            if not stream:
                continue
            j1, j2, matched = _best_region(q_tokens, stream)
            if j2 <= j1:
                continue
            coverage = matched / len(q_tokens)
            exact = all(tag == "equal" for tag, *_ in opcodes(q_tokens, stream[j1:j2]))
            if best is None or (coverage, exact) > best[:2]:
                best = (coverage, exact, stream, j1, j2)
        if best is None or best[0] < ALIGNED_COVERAGE:
            return None
        coverage, verbatim, stream, j1, j2 = best
        region_tokens = stream[j1:j2]
        start, end = region_tokens[0].start, region_tokens[-1].end
        diff = _diff(quote, q_tokens, view.text, region_tokens)
        sentences = [s for s in view.sentences if s.start < end and start < s.end]
        speaker_id, speaker = self._speaker_of(view, start, end)
        attribution = _disowned(view.text, self._attribution_of(view, start, end), start, end)
        if verbatim:
            return _not_asserted(Candidate("verbatim", 1.0 + coverage, view.record, sentences, (start, end),
                                           speaker_id, speaker, [], diff, aligned=True), attribution, quote)
        direct = sum(_inside(t, view.quoted) for t in region_tokens) >= 0.5 * len(region_tokens)
        source = " ".join(view.text[t.start:t.end] for t in region_tokens) if stream is not tokens \
            else view.text[sentences[0].start : sentences[-1].end]
        if not self._says_it(quote, source):
            return None
        meaning = compare(quote, source, context=_context(view, sentences), strict_words=direct,
                          word_similarity=self.word_vectors.similarity)
        kind = "altered" if meaning.changed else "paraphrase"
        return _not_asserted(Candidate(kind, coverage, view.record, sentences, (start, end), speaker_id, speaker,
                                       meaning.reasons, diff, aligned=True), attribution, quote)

    def _dense_candidates(self, quote: str, vector: np.ndarray,
                          pending: list[tuple[_ArticleView, SentenceRecord, float]]) -> list[Candidate]:
        """Sentences (or their reported content) close in meaning to the quote."""
        texts: list[str] = []
        owners: list[int] = []
        for i, (view, sentence, _) in enumerate(pending):
            for att in _attributions_in(view, sentence.start, sentence.end):
                for span in att.get("content") or []:
                    texts.append(_bare(span["text"]))
                    owners.append(i)
        sims = [d for _, _, d in pending]
        if texts:
            vectors = self.embeddings.embed_array(texts)
            for owner, sim in zip(owners, vectors @ vector):
                sims[owner] = max(sims[owner], float(sim))
        out = []
        for (view, sentence, _), sim in zip(pending, sims):
            if sim < LOOSE_SIMILARITY:
                continue
            covered = content_coverage(quote, _context(view, [sentence]))
            if not ((sim >= PARAPHRASE_SIMILARITY and covered >= CONTENT_COVERAGE)
                    or covered >= LOOSE_CONTENT_COVERAGE):
                continue
            reported = [_bare(span["text"]) for att in _attributions_in(view, sentence.start, sentence.end)
                        for span in att.get("content") or []
                        if not (sentence.start <= span["start"] and span["end"] <= sentence.end)]
            said = ". ".join([sentence.text, *reported])
            if not self._says_it(quote, said):
                continue
            meaning = compare(quote, said, context=_context(view, [sentence]))
            speaker_id, speaker = self._speaker_of(view, sentence.start, sentence.end, quote)
            diff = word_diff(quote, sentence.text)
            out.append(_not_asserted(
                Candidate("altered" if meaning.changed else "paraphrase", sim, view.record, [sentence],
                          (sentence.start, sentence.end), speaker_id, speaker, meaning.reasons, diff),
                self._attribution_of(view, sentence.start, sentence.end, quote), quote))
        return out

    def _says_it(self, quote: str, source: str) -> bool:
        """Does ``source`` make the quote's statement at all, however worded? It must carry
        at least half of what the quote says of its subject (``carried_words``: the same
        words, related words or opposites). Sharing a subject is not enough: "the Kessel
        Bridge was sound" aligns with "The Kessel Bridge will close to all traffic" on its
        first three words, but the source says nothing about the bridge being sound, so it
        is neither a paraphrase nor an altered version of the quote."""
        own, carried = carried_words(quote, source, self.word_vectors.similarity, self.word_vectors.of)
        return len(carried) >= CARRIED_SHARE * len(own)

    def _speaker_of(self, view: _ArticleView, start: int, end: int,
                    quote: str | None = None) -> tuple[str | None, str | None]:
        """The speaker of the attribution whose content overlaps ``start:end`` most."""
        best = self._attribution_of(view, start, end, quote)
        if best is None:
            return None, None
        return best.get("speaker_id"), best.get("speaker")

    @staticmethod
    def _attribution_of(view: _ArticleView, start: int, end: int, quote: str | None = None) -> dict | None:
        """The attribution (with a speaker) whose content overlaps ``start:end`` most."""
        best, best_overlap = None, 0.0
        quote_words = set(words(quote)) if quote else set()
        for att in _attributions_in(view, start, end):
            overlap = sum(max(0, min(end, s["end"]) - max(start, s["start"])) for s in att.get("content") or [])
            if quote_words:
                overlap += 1000 * len(quote_words & set(words(" ".join(s["text"] for s in att["content"]))))
            if overlap > best_overlap and att.get("speaker"):
                best, best_overlap = att, overlap
        return best

    # -- verdict -----------------------------------------------------------------------------

    def _decide(self, quote: str, claimed: str | None, claimed_ids: set[str],
                candidates: list[Candidate]) -> Verdict:
        def best(pool: list[Candidate], kinds: tuple[str, ...]) -> Candidate | None:
            pool = [c for c in pool if c.kind in kinds]
            return max(pool, key=lambda c: (c.kind == "verbatim", c.aligned, round(c.score, 2) if c.aligned else 0.0,
                                           _RANK[c.kind], c.score), default=None)

        said = [c for c in candidates if c.speaker]
        if claimed:
            own = [c for c in said if self._same_person(c.speaker_id, c.speaker, claimed, claimed_ids)]
            # words the source gives to "the mayor" when the claimed speaker is described as
            # mayor: theirs, perhaps, but never someone else's (``_post_holders``)
            posts = [c for c in said if c not in own and self._post_holders(c.speaker_id, claimed_ids)]
            other = [c for c in said if c not in own and c not in posts]
            # the claimed speaker denying these very words outranks anyone's looser match; a
            # denial close only in meaning does not outrank their own words aligned with the
            # quote ("The fund is not healthy" is about "The fund is healthy," she said, not
            # about her denying that the fund was in trouble)
            stood_by = any(c.aligned and c.stance == "asserted" for c in own)
            denials = [c for c in own if c.stance != "asserted" and c.matched in ("verbatim", "paraphrase")
                       and (c.aligned or not stood_by)]
            tiers = [(own, ("verbatim",), False, None), (posts, ("verbatim",), False, None),
                     (other, ("verbatim",), False, "misattributed"),
                     (denials, ("altered", "paraphrase"), False, None),
                     (own, ("paraphrase", "altered"), True, None), (posts, ("paraphrase", "altered"), True, None),
                     (other, ("paraphrase",), True, "misattributed"),
                     (own, ("paraphrase",), False, None), (posts, ("paraphrase",), False, None),
                     (other, ("paraphrase",), False, "misattributed"),
                     (own, ("altered",), False, None), (posts, ("altered",), False, None),
                     (other, ("altered",), False, None)]
            for pool, kinds, aligned_only, label in tiers:
                chosen = best([c for c in pool if c.aligned or not aligned_only], kinds)
                if chosen and pool is posts:
                    return self._by_post(chosen, claimed, claimed_ids, candidates)
                if chosen:
                    verdict = self._verdict(label or chosen.kind, chosen, claimed, candidates)
                    if pool is other and label is None:
                        verdict.reasons.append(f"the source passage is by {chosen.speaker}, not {claimed}")
                    if label == "misattributed":
                        verdict.reasons.insert(0, f"{chosen.speaker} said this, not {claimed}")
                    return verdict
            unattributed = best(candidates, ("verbatim", "paraphrase"))
            if unattributed:
                return Verdict("not_found", None, claimed, self._evidence(unattributed, candidates),
                               unattributed.diff, ["the words appear in the sources, but no one is recorded "
                                                   "saying them"], unattributed.score)
            return Verdict("not_found", None, claimed, [], [], [f"no indexed source records {claimed} "
                                                                f"or anyone else saying this"], 0.0)
        chosen = best(said, tuple(_RANK)) or best(candidates, tuple(_RANK))
        if chosen is not None and chosen.kind == "verbatim" and chosen.aligned:
            # "who said …?": of several speakers given the very words, the first reported
            # (the others follow as disputes)
            chosen = min((c for c in said if c.kind == "verbatim" and c.aligned
                          and round(c.score, 2) == round(chosen.score, 2)),
                         key=lambda c: (c.article.date or "9999-99-99", c is not chosen), default=chosen)
        if chosen is None:
            return Verdict("not_found", None, None, [], [], ["no indexed source says this"], 0.0)
        return self._verdict(chosen.kind, chosen, None, candidates)

    def _by_post(self, chosen: Candidate, claimed: str, claimed_ids: set[str],
                 candidates: list[Candidate]) -> Verdict:
        """The verdict on words the source gives only to a post the claimed speaker holds
        (``_post_holders``): the match as found, saying that the source names only the
        post, when the articles describe no one else by it; ``not_found`` with the passage
        as evidence when they describe several people by it (two towns' mayors): the
        source does not say which of them spoke. Never ``misattributed``."""
        holders = self._post_holders(chosen.speaker_id, claimed_ids) or []
        post = chosen.speaker or ""
        post = post if re.match(r"(the|a|an|its|his|her|their)\b", post, re.I) else f"the {post}"
        if len(holders) == 1:
            verdict = self._verdict(chosen.kind, chosen, claimed, candidates)
            verdict.reasons.insert(0, f"the source names the speaker only as “{post}” (the articles "
                                      f"describe {_as_named(holders[0])} by that post)")
            return verdict
        names = ", ".join(_as_named(s) for s in holders)
        return Verdict("not_found", chosen.speaker, claimed, self._evidence(chosen, candidates), chosen.diff,
                       [f"the source names the speaker only as “{post}”, and the articles describe several "
                        f"people so ({names}): it does not say which of them said this"], chosen.score)

    def _first_report(self, verdict: Verdict, candidates: list[Candidate]) -> Verdict:
        """``verdict`` revised when the first report of the statement it found gives it
        another meaning, as the answers decide it (``bot.reports.split_reports`` on the
        claim of ``bot.claims`` that holds the evidence: one statement of one occasion, as
        outlets reported it): the claimed speaker's words ``verbatim`` or ``paraphrase`` in
        one report, while the first report has a changed negation, number, date, name or
        opposite word. The verdict is then ``altered`` with the first report as evidence
        (its passage among the candidates, aligned with the quote), and the report with the
        quote's wording a dispute: "Forty boats use the slipway," the Courier's first
        report, against the Radio's "fourteen boats used the slipway" two days later."""
        from bot.claims import claims_holding
        from bot.reports import split_reports

        if verdict.verdict not in ("verbatim", "paraphrase") or verdict.stance != "asserted" or not verdict.evidence:
            return verdict
        ids = {i for e in verdict.evidence for i in (e.sentence_ids or [e.sentence_id])}
        records = self.store.get_sentences(sorted(ids))
        speakers = sorted({sid for r in records.values() for sid in r.speaker_ids
                           if (sp := self.speaker_index.by_id.get(sid)) and sp.name == verdict.speaker})
        split = None
        for speaker_id in speakers:
            claims = claims_holding(self.store, ids, [speaker_id])
            if split := next((found for claim in claims if (found := split_reports(claim, ids))), None):
                break
        if split is None or split.first_agrees:
            return verdict
        first_ids = set(split.first.sentence_ids or [split.first.sentence_id])
        first = max((c for c in candidates if c.kind == "altered" and c.aligned and c.speaker == verdict.speaker
                     and first_ids & {x.id for x in c.sentences}), key=lambda c: c.score, default=None)
        if first is None:
            return verdict
        shown = verdict.evidence[0]
        later = f"{shown.outlet or 'a later report'}{f' ({shown.date})' if shown.date else ''}"
        reasons = [*first.reasons, f"not as first reported: the first report, {first.article.outlet or 'an outlet'}"
                                   f"{f' ({first.article.date})' if first.article.date else ''}, has other words; "
                                   f"{later} has the quote's"]
        dispute = Dispute(f"{later} reports {verdict.speaker} in the quote's words ({verdict.verdict})", shown)
        return Verdict("altered", first.speaker, verdict.claimed_speaker, self._evidence(first, candidates),
                       first.diff, reasons, first.score, first.stance, first.cue, first.stated, [dispute])

    def _verdict(self, label: str, chosen: Candidate, claimed: str | None,
                 candidates: list[Candidate]) -> Verdict:
        evidence = self._evidence(chosen, candidates)
        return Verdict(label, chosen.speaker, claimed, evidence, chosen.diff, list(chosen.reasons), chosen.score,
                       chosen.stance, chosen.cue, chosen.stated,
                       self._disputes(chosen, candidates, {e.article_id for e in evidence}))

    def _evidence(self, chosen: Candidate, candidates: list[Candidate]) -> list[Evidence]:
        """The chosen passage, then the same finding in other articles (other outlets)."""
        support = [chosen] + sorted(
            (c for c in candidates if c is not chosen and c.kind == chosen.kind and c.speaker == chosen.speaker
             and c.article.id != chosen.article.id), key=lambda c: -c.score)
        out, articles = [], set()
        for c in support:
            if c.article.id in articles or not c.sentences:
                continue
            articles.add(c.article.id)
            out.append(self._passage(c))
            if len(out) >= MAX_EVIDENCE:
                break
        return out

    def _passage(self, c: Candidate) -> Evidence:
        first, last = c.sentences[0], c.sentences[-1]
        a = c.article
        return Evidence(article_id=a.id, sentence_id=first.id, text=self._article_text(c, first.start, last.end),
                        start=first.start, end=last.end, speaker=c.speaker, title=a.title, outlet=a.outlet,
                        date=a.date, url=a.url, sentence_ids=[s.id for s in c.sentences])

    def _disputes(self, chosen: Candidate, candidates: list[Candidate], shown: set[str]) -> list[Dispute]:
        """Reports in other articles that disagree with the chosen passage, so that a
        verdict never hides them: the quote's very words given to someone else there
        (when the chosen passage has them word for word too), or the chosen speaker's
        words aligned with the quote but changing its meaning there (when the chosen
        passage keeps it). Stated, most similar first, at most ``MAX_EVIDENCE``."""
        if chosen.kind not in ("verbatim", "paraphrase") or chosen.stance != "asserted":
            return []
        out, articles = [], set(shown)
        for c in sorted(candidates, key=lambda c: -c.score):
            if c.article.id in articles or not c.sentences or not c.speaker or c.stance != "asserted":
                continue
            if chosen.kind == "verbatim" and c.kind == "verbatim" and c.speaker != chosen.speaker:
                reason = f"the same words are attributed to {c.speaker}"
            elif c.kind == "altered" and c.aligned and c.speaker == chosen.speaker and (
                    meaning := [r for r in c.reasons if r.split(":", 1)[0] in _MEANING_KINDS
                                and "gives no such" not in r]):  # a detail it leaves out is no dispute
                reason = f"{c.speaker} is reported with another meaning ({meaning[0]})"
            else:
                continue
            articles.add(c.article.id)
            out.append(Dispute(reason, self._passage(c)))
            if len(out) >= MAX_EVIDENCE:
                break
        return out

    @staticmethod
    def _article_text(c: Candidate, start: int, end: int) -> str:
        return c.article.text[start:end]


def stance_phrase(who: str, stance: str, cue: str | None) -> str:
    """``who`` and what they did with the statement: "Joe Biden ruled this out",
    "Oren Falk denied this", "Jonas Feld denied saying this" (cue: "never said"), "the
    source reports Kovec not saying this"."""
    if stance == "denied":
        if cue and not denial_phrase(cue) and disavowal(cue):
            return f"{who} denied saying this"
        return f"{who} {denial_phrase(cue) or 'denied this'}"
    return f"the source reports {who} not saying this"


def _disowned(text: str, attribution: dict | None, start: int, end: int) -> dict | None:
    """The attribution of the words at ``start:end`` as the speaker stands by them: when
    their own statement disowns the words right before them ("I never said it would be done
    by May", "I did not promise that ..."), a denial of ``text[start:end]`` with those words
    as its cue; else the attribution as it is."""
    if attribution is None or (attribution.get("stance") or "asserted") != "asserted":
        return attribution
    for span in attribution.get("content") or []:
        if span["start"] <= start < span["end"]:
            cue = disavowal(text[span["start"]:start])
            if cue:
                return {**attribution, "stance": "denied", "cue": {"text": cue},
                        "content": [{"start": start, "end": end, "text": text[start:end]}]}
    return attribution


def _not_asserted(candidate: Candidate, attribution: dict | None, quote: str) -> Candidate:
    """The candidate as its speaker's statement stands: a passage the speaker denies
    ("Biden, while ruling out sending U.S. troops ...") or is reported not to have said
    ("did not say that ...") is no evidence that they said it, so a verbatim or paraphrase
    match becomes ``altered`` — the speaker's position differs from the quote — with the
    cue as the reason. A quote that negates what was denied, and changes nothing else,
    states the denial ("Rovers made no offer" for "Trask denied that his club had made an
    offer"): a ``paraphrase``."""
    stance = (attribution or {}).get("stance") or "asserted"
    if attribution is None or stance == "asserted":
        return candidate
    cue = (attribution.get("cue") or {}).get("text")
    candidate.stance, candidate.cue, candidate.matched = stance, cue, candidate.kind
    candidate.stated = _bare(" ".join(s["text"] for s in attribution.get("content") or [])) or None
    cue_note = f" (cue: “{cue}”)" if cue else ""
    reason = f"{stance_phrase(candidate.speaker or 'the speaker', stance, cue)}{cue_note}"
    # "I never said X" disowns X without asserting its opposite: no quote states it
    if (stance == "denied" and candidate.kind == "paraphrase" and not disavowal(cue or "") and _negated(quote)
            and not _negated(candidate.stated)):
        candidate.kind = "paraphrase"
        candidate.reasons = [f"{reason}: the quote states the denial"]
        return candidate
    candidate.kind = "altered"
    candidate.reasons = [reason] + [r for r in candidate.reasons if r != reason]
    return candidate


def _negated(text: str | None) -> bool:
    """True when a clause of ``text`` is negated ("did not make any offer")."""
    return bool(text) and any(clause.negated for clause in facts(text).clauses)


def _bare(text: str) -> str:
    """Text without enclosing quotation marks and trailing commas (they skew embeddings)."""
    return text.strip().strip("\"“”„«»‘’'").strip().rstrip(",;:").strip("\"“”„«»‘’'").strip()


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _passage(view: "_ArticleView", sentence: SentenceRecord) -> tuple[int, int]:
    """The sentence widened to the reported content it belongs to."""
    lo, hi = sentence.start, sentence.end
    for att in _attributions_in(view, sentence.start, sentence.end):
        for span in att.get("content") or []:
            lo, hi = min(lo, span["start"]), max(hi, span["end"])
    return lo, hi


def _inside(token: Token, spans: list[tuple[int, int]]) -> bool:
    return any(s <= token.start and token.end <= e for s, e in spans)


def _attribution_order(attribution_id: str) -> tuple[str, int, str]:
    """Article, then the attribution's number in it (``<article_id>:a<k>``): the order the
    extractor found them in, which breaks ties between attributions of a region."""
    head, _, tail = attribution_id.rpartition(":a")
    return (head, int(tail), "") if tail.isdigit() else (attribution_id, -1, attribution_id)


def _attributions_in(view: _ArticleView, start: int, end: int) -> list[dict]:
    return [a for a in view.attributions
            if any(s["start"] < end and start < s["end"] for s in a.get("content") or [])]


def _context(view: _ArticleView, sentences: list[SentenceRecord]) -> str:
    """The article text two sentences around a passage (names a paraphrase may resolve)."""
    if not sentences:
        return ""
    lo = min(s.n for s in sentences) - CONTEXT_SENTENCES
    hi = max(s.n for s in sentences) + CONTEXT_SENTENCES
    near = [s for s in view.sentences if lo <= s.n <= hi]
    return view.text[near[0].start : near[-1].end]


def _best_region(quote: list[Token], stream: list[Token]) -> tuple[int, int, int]:
    """The source token range best aligned with the quote: (start, end, matched quote words).

    Groups consecutive matching blocks so that matched words minus half the unmatched
    source words inside the range is largest; the range is then widened by the quote's
    unmatched words at either end (so a swapped last word shows as a replacement).
    """
    ops = opcodes(quote, stream)
    blocks = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in ops if tag == "equal"]
    if not blocks:
        return 0, 0, 0
    best = (float("-inf"), 0, 0, 0)
    for a in range(len(blocks)):
        matched = 0
        for b in range(a, len(blocks)):
            matched += blocks[b][1] - blocks[b][0]
            span = blocks[b][3] - blocks[a][2]
            score = matched - 0.5 * (span - matched)
            if score > best[0]:
                best = (score, a, b, matched)
    _, a, b, matched = best
    j1, j2 = blocks[a][2], blocks[b][3]
    j1 = max(0, j1 - blocks[a][0])
    j2 = min(len(stream), j2 + (len(quote) - blocks[b][1]))
    return j1, j2, matched


def _diff(quote: str, q_tokens: list[Token], text: str, region: list[Token]) -> list[DiffOp]:
    ops = []
    for tag, i1, i2, j1, j2 in opcodes(q_tokens, region):
        q = quote[q_tokens[i1].start : q_tokens[i2 - 1].end] if i2 > i1 else ""
        s = " ".join(text[t.start : t.end] for t in region[j1:j2]) if j2 > j1 else ""
        if j2 > j1 and all(region[k + 1].start - region[k].end < 4 for k in range(j1, j2 - 1)):
            s = text[region[j1].start : region[j2 - 1].end]
        ops.append(DiffOp(tag, q, s))
    return ops
