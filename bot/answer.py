"""Answering: a question -> an ``Answer`` whose every statement cites source sentences.

The default backend is extractive: each statement of the answer is a retrieved source
sentence itself, quoted verbatim or with a light template ("Sergey Lavrov said: “…” [2]"),
so it cannot state what the sources do not. Below a relevance floor it says the indexed
articles do not hold the answer (``answered: false``). ``Answerer`` is a LangChain
``Runnable``: ``invoke({"question": …, "filters": Filters(…)})``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from bot.question import Question, SpeakerIndex, parse_question
from bot.retrieve import Filters, ScoredSentence, SentenceRetriever
from bot.text import fold, terms, words
from index.models import Speaker
from index.store import SentenceRecord, Store

# Relevance floors, tuned on the committed seed question set (docs/benchmarks.md).
DENSE_FLOOR = 0.45
LEXICAL_FLOOR = 0.45
QUOTE_LEXICAL_FLOOR = 0.6
TOPIC_DENSE_FLOOR = 0.30
MAX_STATEMENTS = 5

_UNKNOWN_SPEAKER_Q = re.compile(
    r"^\W*(?:what|when|where)\s+(?:did|has|have|does|do)\s+(?P<who>.+?)\s+(?:say|said|claim|tell|told|state|"
    r"think|warn|declare)\b|^\W*(?:did|has|have|does)\s+(?P<who2>.+?)\s+(?:say|said|claim|state|tell|told)\b",
    re.I)


@dataclass
class Citation:
    """A cited source sentence with what a reader needs to find it."""

    n: int
    article_id: str
    sentence_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Statement:
    """One sentence of an answer and the citation numbers that support it."""

    text: str
    citations: list[int]
    supported: bool = True


@dataclass
class Answer:
    """An answer: its statements, citations, and whether the sources answered at all."""

    text: str
    answered: bool
    backend: str
    citations: list[Citation] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    kind: str = "general"
    speakers: list[Speaker] = field(default_factory=list)
    verdict: dict | None = None  # the quote check behind a who-said / did-say answer
    notes: list[str] = field(default_factory=list)  # e.g. LLM sentences removed as unsupported

    def to_dict(self) -> dict:
        return {"answer": self.text, "answered": self.answered, "backend": self.backend,
                "kind": self.kind, "speakers": [s.name for s in self.speakers], "verdict": self.verdict,
                "notes": self.notes,
                "statements": [{"text": s.text, "citations": s.citations, "supported": s.supported}
                               for s in self.statements],
                "citations": [c.to_dict() for c in self.citations]}


def not_answered(text: str, backend: str, question: Question | None = None) -> Answer:
    return Answer(text=text, answered=False, backend=backend, kind=question.kind if question else "general",
                  speakers=question.speakers if question else [])


class AnswerBuilder:
    """Collects statements and numbers their citations in order of first use."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.citations: list[Citation] = []
        self.statements: list[Statement] = []
        self._numbers: dict[str, int] = {}

    def cite(self, hit: ScoredSentence, speaker: str | None) -> int:
        sid = hit.sentence.id
        if sid not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[sid] = n
            a = hit.article
            self.citations.append(Citation(n, hit.sentence.article_id, sid, hit.sentence.text,
                                           hit.sentence.start, hit.sentence.end, speaker,
                                           a.title, a.outlet, a.date, a.url))
        return self._numbers[sid]

    def add(self, text: str, hits: list[tuple[ScoredSentence, str | None]]) -> None:
        numbers = [self.cite(h, sp) for h, sp in hits]
        self.statements.append(Statement(text, numbers))

    def add_evidence(self, text: str, store: Store, evidence: list) -> None:
        """A statement citing every sentence of the quote check's evidence passages."""
        hits = []
        for item in evidence:
            ids = item.sentence_ids or [item.sentence_id]
            records = store.get_sentences(ids)
            articles = store.article_metadata({r.article_id for r in records.values()})
            for sid in ids:
                if sid in records and records[sid].article_id in articles:
                    hits.append((ScoredSentence(records[sid], articles[records[sid].article_id], 1.0, 0.0, 0.0),
                                 item.speaker))
        if hits:
            self.add(text, hits)

    def build(self, question: Question) -> Answer:
        text = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in self.statements)
        return Answer(text=text.strip(), answered=bool(self.statements), backend=self.backend,
                      citations=self.citations, statements=self.statements, kind=question.kind,
                      speakers=question.speakers)


def mentions(sentence: str, speaker: Speaker) -> bool:
    """True if the sentence names the speaker: a person's surname, an organisation's name
    (a description such as "Ukraine's president" does not count: readers need the name)."""
    sentence_words = {w.removesuffix("'s") for w in words(sentence)}
    toks = [w for w in words(speaker.name) if w != "the"]
    if not toks:
        return False
    if speaker.kind == "organisation":
        return set(toks) <= sentence_words
    return toks[-1] in sentence_words


def render_statement(sentence: str, speaker: Speaker | None) -> str:
    """The sentence itself when it names its speaker; else "<speaker> said: <sentence>"."""
    if speaker is None or mentions(sentence, speaker):
        return sentence
    return f"{speaker.name} said: {sentence}"


class Answerer(Runnable[dict, Answer]):
    """The extractive answer backend as a LangChain ``Runnable``."""

    backend = "extractive"

    def __init__(self, store: Store, retriever: SentenceRetriever, speakers: SpeakerIndex,
                 checker=None, max_question_chars: int = 2000) -> None:
        self.store = store
        self.retriever = retriever
        self.speaker_index = speakers
        self.checker = checker  # bot.check.QuoteChecker: who-said and did-say questions
        self.max_question_chars = max_question_chars

    def invoke(self, input: dict, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        """``input``: ``question``, optional ``filters``, ``previous_speakers`` (follow-ups) and
        ``previously_cited`` (sentence ids already shown; "what else …" leaves them out)."""
        return self.answer(input["question"], input.get("filters"), input.get("previous_speakers"),
                           input.get("previously_cited"))

    def understand(self, text: str, previous_speakers: list[Speaker] | None = None) -> tuple[Question, Answer | None]:
        """Parse the question; the second item is a refusal when it asks about someone unknown."""
        question = parse_question(text, self.speaker_index, previous_speakers, self.max_question_chars)
        if not question.speakers and (m := _UNKNOWN_SPEAKER_Q.match(text)):
            who = (m.group("who") or m.group("who2") or "").strip()
            if who and not _PRONOUN_ONLY.match(who):
                return question, not_answered(f"The indexed articles don't record any statement by {who}.",
                                              self.backend, question)
        return question, None

    def answer(self, text: str, filters: Filters | None = None,
               previous_speakers: list[Speaker] | None = None,
               previously_cited: list[str] | None = None) -> Answer:
        """Answer a question from the indexed sentences."""
        question, refusal = self.understand(text, previous_speakers)
        if refusal is not None:
            return refusal
        filters = filters or Filters()
        if question.kind == "who_said":
            return self._who_said(question, filters)
        if question.kind == "did_say":
            return self._did_say(question, filters)
        exclude = excluded(text, previously_cited)
        hits = self.sources(question, filters, exclude=exclude)
        if not hits:
            return not_answered(self.refusal_text(question, bool(exclude)), self.backend, question)
        if question.kind in ("what_said", "when_said"):
            return self._what_said(question, hits)
        return self._general(question, hits)

    def sources(self, question: Question, filters: Filters, limit: int | None = None,
                exclude: frozenset[str] = frozenset()) -> list[ScoredSentence]:
        """The source sentences an answer may use, best first (empty: the articles don't say).

        ``what_said``/``when_said``: the speakers' statements (on the topic, above a relevance
        floor; without a topic, all of them in article order). ``general``: sentences above the
        dense or lexical floor. ``limit`` defaults to what the extractive answer shows."""
        if question.kind in ("what_said", "when_said"):
            question = self._focused(question)
            scoped = self._speaker_filters(question, filters)
            if question.topic:
                hits = [h for h in self.retriever.search(question.topic, scoped, k=20)
                        if h.features.get("speaker_match")]
                hits = [h for h in hits if h.dense >= TOPIC_DENSE_FLOOR or h.lexical >= LEXICAL_FLOOR
                        or _title_covers(h.article.title, question.topic)]
            else:
                hits = self._statements_in_order(question, scoped)
            hits = [h for h in hits if h.sentence.id not in exclude]
            return hits[: limit or MAX_STATEMENTS]
        hits = self.retriever.search(question.text, filters, k=max(8, limit or 0) + len(exclude),
                                     prefer_speaker_ids=[s.id for s in question.speakers])
        hits = [h for h in hits if (h.dense >= DENSE_FLOOR or h.lexical >= LEXICAL_FLOOR)
                and h.sentence.id not in exclude and _right_type(question.text, h.sentence.text)]
        if limit is None and hits:
            top = hits[0].score
            hits = [h for h in hits if h.score >= 0.8 * top][:3]
        return hits[:limit] if limit else hits

    def _focused(self, question: Question) -> Question:
        """The question about its subjects only: speakers named inside the topic ("what did
        Fennick say about Brisk") are what it is about, not who spoke; a when-question without
        "about" takes the words after the speaker's name as its topic ("when was Marsh elected")."""
        topic = question.topic
        if question.kind == "when_said" and not topic:
            topic = _after_names(question.text, question.speakers)
        speakers = question.speakers
        if topic:
            in_topic = {s.id for s in self.speaker_index.find(topic)}
            subjects = [s for s in speakers if s.id not in in_topic]
            speakers = subjects or speakers
        return replace(question, speakers=speakers, topic=topic)

    def refusal_text(self, question: Question, follow_up: bool = False) -> str:
        """What to say when no source sentence answers ``question``."""
        names = _names(question.speakers)
        more = " else" if follow_up else ""
        if question.kind in ("what_said", "when_said"):
            if question.topic:
                return (f"The indexed articles don't record {names} saying anything{more} about "
                        f"{question.topic.rstrip('?')}.")
            return f"The indexed articles don't record any{' other' if follow_up else ''} statement by {names}."
        return "The indexed articles don't say."

    def _speaker_filters(self, question: Question, filters: Filters) -> Filters:
        return Filters(speaker_ids=[s.id for s in question.speakers], article_ids=filters.article_ids,
                       since=filters.since, until=filters.until)

    def _what_said(self, question: Question, hits: list[ScoredSentence]) -> Answer:
        builder = AnswerBuilder(self.backend)
        by_id = {s.id: s for s in question.speakers}
        for hit in hits[:MAX_STATEMENTS]:
            speaker = next((by_id[s] for s in hit.sentence.speaker_ids if s in by_id), None)
            text = render_statement(hit.sentence.text, speaker)
            if question.kind == "when_said":
                text = f"{_when(hit)}: {text}"
            builder.add(text, [(hit, speaker.name if speaker else None)])
        return builder.build(question)

    def _statements_in_order(self, question: Question, scoped: Filters) -> list[ScoredSentence]:
        """Every sentence attributed to the question's speakers, earliest articles first."""
        got = self.store.collection("sentences").get(where=scoped.chroma_where(), include=["metadatas", "documents"])
        from index.store import sentence_record

        records = [sentence_record(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        articles = self.store.article_metadata({r.article_id for r in records})
        hits = [ScoredSentence(r, articles[r.article_id], 1.0, 0.0, 0.0, {"speaker_match": 1.0})
                for r in records if r.article_id in articles]
        hits.sort(key=lambda h: (h.article.date or "9999", h.article.id, h.sentence.n))
        return hits

    def _who_said(self, question: Question, filters: Filters) -> Answer:
        quote = question.quote or ""
        if not words(quote):
            return not_answered("Which words? Put the quotation after “who said”.", self.backend, question)
        verdict = self.checker.check(quote, None, filters)
        builder = AnswerBuilder(self.backend)
        who = verdict.speaker
        if verdict.verdict == "not_found" or not verdict.evidence:
            return not_answered(f"The indexed articles don't contain “{quote}”.", self.backend, question)
        if not who:
            text = "The indexed articles contain these words but do not say who said them."
        elif verdict.verdict == "verbatim":
            text = f"{who} said “{quote}”."
        elif verdict.verdict == "paraphrase":
            text = f"{who} said this in other words."
        else:  # altered: the passage exists, the wording changes its meaning
            text = f"Not in these words: {who} said something different ({'; '.join(verdict.reasons[:2])})."
        builder.add_evidence(text, self.store, verdict.evidence)
        return self._with_verdict(builder.build(question), verdict)

    def _did_say(self, question: Question, filters: Filters) -> Answer:
        quote = question.quote or ""
        claimed = _names(question.speakers)
        if not words(quote):
            return not_answered(f"What did {claimed} say? Put the words in quotation marks.", self.backend,
                                question)
        verdict = self.checker.check(quote, question.speakers[0].name, Filters(
            article_ids=filters.article_ids, since=filters.since, until=filters.until))
        if verdict.verdict == "not_found" or not verdict.evidence:
            return self._with_verdict(not_answered(f"The indexed articles don't record {claimed} saying that.",
                                                   self.backend, question), verdict)
        text = {
            "verbatim": f"Yes: {claimed} said these words.",
            "paraphrase": f"Yes, in other words: {claimed} said this.",
            "altered": f"Not in these words: {claimed} said something different "
                       f"({'; '.join(verdict.reasons[:2]) or 'the wording changes the meaning'}).",
            "misattributed": f"No: the indexed articles attribute these words to {verdict.speaker}, not {claimed}.",
        }[verdict.verdict]
        builder = AnswerBuilder(self.backend)
        builder.add_evidence(text, self.store, verdict.evidence)
        return self._with_verdict(builder.build(question), verdict)

    @staticmethod
    def _with_verdict(answer: Answer, verdict) -> Answer:
        answer.verdict = verdict.to_dict()
        return answer

    def _general(self, question: Question, hits: list[ScoredSentence]) -> Answer:
        builder = AnswerBuilder(self.backend)
        for hit in hits:
            speakers = self.speakers_of(hit.sentence)
            speaker = speakers[0] if speakers else None
            builder.add(render_statement(hit.sentence.text, speaker), [(hit, _names(speakers) or None)])
        return builder.build(question)

    def speakers_of(self, sentence: SentenceRecord) -> list[Speaker]:
        """The known speakers a sentence is attributed to."""
        known = self.speaker_index.by_id
        out = [known[s] for s in sentence.speaker_ids if s in known]
        if not out and sentence.speakers:
            out = [Speaker(id=n, name=n) for n in sentence.speakers]
        return out


_QUANTITY_Q = re.compile(r"^\W*(?:how\s+(?:many|much|old|long|far|big|large)|by\s+how\s+much|what\s+(?:percentage|share|"
                         r"proportion|number))\b", re.I)


def _right_type(question: str, sentence: str) -> bool:
    """A how-many/how-much question needs a sentence that gives a number."""
    if not _QUANTITY_Q.match(question):
        return True
    from bot.meaning import numbers

    return bool(numbers(sentence))


def _title_covers(title: str | None, topic: str) -> bool:
    """Every content term of the topic is in the article's title (a statement in an article
    about the topic is about the topic: "what did Quill say about the Eastgate library")."""
    wanted = set(terms(topic))
    return bool(wanted) and wanted <= set(terms(title or ""))


def _after_names(text: str, speakers: list[Speaker]) -> str | None:
    """The words of ``text`` after the last word of a speaker's name, if any remain."""
    names = {w for s in speakers for n in [s.name, *s.aliases] for w in words(n)}
    toks = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text)
    last = max((i for i, t in enumerate(toks) if fold(t) in names), default=None)
    rest = " ".join(toks[last + 1:]) if last is not None else ""
    return rest if terms(rest) else None


_ELSE = re.compile(r"\b(?:else|other|more|another|also)\b", re.I)


def excluded(question_text: str, previously_cited: list[str] | None) -> frozenset[str]:
    """Sentence ids to leave out: those already shown, when the question asks for something else."""
    if previously_cited and _ELSE.search(question_text):
        return frozenset(previously_cited)
    return frozenset()


_PRONOUN_ONLY = re.compile(r"^(?:he|she|they|it|you|i|we|anyone|anybody|someone|somebody|people)$", re.I)


def _names(speakers: list[Speaker]) -> str:
    names = [s.name for s in speakers]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _when(hit: ScoredSentence) -> str:
    a = hit.article
    where = f" in {a.outlet}" if a.outlet else ""
    return f"Reported {('on ' + a.date) if a.date else '(date not recorded)'}{where}"
