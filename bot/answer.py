"""Answering: a question -> an ``Answer`` whose every statement cites source sentences.

The default backend is extractive: each statement of the answer is a retrieved source
sentence itself, quoted verbatim or with a light template ("Sergey Lavrov said: “…” [2]"),
so it cannot state what the sources do not. A source sentence is used only when it passes,
on its own, the relevance floors (dense or lexical) and the answer checks of
``bot.relevance`` (it covers the question's content words and gives the kind of answer
asked for); with none, the answer says the indexed articles do not hold the answer
(``answered: false``). ``Answerer`` is a LangChain ``Runnable``:
``invoke({"question": …, "filters": Filters(…)})`` returns the whole ``Answer``;
``stream(…)`` yields its ``Statement``s one at a time, each once its citations have been
checked (``AnswerStream.answer()`` gives the joined answer, the same as ``invoke``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import date as Date
from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig

from bot.check import stance_phrase
from bot.sources import SourcePassage
from bot.question import (DateRange, Question, SpeakerIndex, is_pronoun, parse_question, quantity_topic, subject_of,
                          surname, unread_dates)
from bot.meaning import numbers
from bot.relevance import RelevanceJudge, WordVectors, counts
from bot.retrieve import Filters, ScoredSentence, SentenceRetriever
from bot.reports import ReportSplit, change_kinds, reports_note, split_reports, where_reported
from bot.text import fold, join_phrases as _join, terms, words
from index.models import Speaker
from index.speakers import names_no_one, speaker_gender
from index.store import SentenceRecord, Store

# Relevance floors, tuned on the committed seed question set (docs/benchmarks.md).
DENSE_FLOOR = 0.45
LEXICAL_FLOOR = 0.45
QUOTE_LEXICAL_FLOOR = 0.6
TOPIC_DENSE_FLOOR = 0.30
TOPIC_SURE_DENSE = 0.5  # a statement this close to the topic needs no word-coverage check
MAX_STATEMENTS = 5
STATEMENT_PAGE = 32  # sentence records read at a time for a speaker's statements in order
MAX_GENERAL_STATEMENTS = 3
GENERAL_CANDIDATES = 12
POSITION_CANDIDATES = 20  # statements on a topic a changed-position answer compares

_UNKNOWN_SPEAKER_Q = re.compile(
    r"^\W*(?:what|when|where)\s+(?:did|has|have|does|do)\s+(?P<who>.+?)\s+(?:say|said|claim|tell|told|state|"
    r"think|warn|declare)\b|^\W*(?:did|has|have|does)\s+(?P<who2>.+?)\s+(?:say|said|claim|state|tell|told)\b",
    re.I)


@dataclass
class Citation(SourcePassage):
    """A cited source sentence, numbered in order of first use in the answer."""

    n: int = 0


@dataclass
class Statement:
    """One sentence of an answer and the citation numbers that support it (``sources``: the
    cited sentences themselves, for a consumer of ``Answerer.stream``)."""

    text: str
    citations: list[int]
    supported: bool = True
    sources: list[Citation] = field(default_factory=list, repr=False)


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

    def cited(self, sentence_id: str) -> bool:
        """The sentence is cited already (a statement's note quotes it as another report)."""
        return sentence_id in self._numbers

    def cite(self, hit: ScoredSentence, speaker: str | None) -> int:
        sid = hit.sentence.id
        if sid not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[sid] = n
            a = hit.article
            self.citations.append(Citation(
                article_id=hit.sentence.article_id, sentence_id=sid, text=hit.sentence.text,
                start=hit.sentence.start, end=hit.sentence.end, speaker=speaker, title=a.title,
                outlet=a.outlet, date=a.date, url=a.url, n=n))
        return self._numbers[sid]

    def add(self, text: str, hits: list[tuple[ScoredSentence, str | None]]) -> Statement:
        """Append a statement citing ``hits`` (with their speakers); returns it."""
        numbers = [self.cite(h, sp) for h, sp in hits]
        statement = Statement(text, numbers, sources=[self.citations[n - 1] for n in numbers])
        self.statements.append(statement)
        return statement

    def merge_last(self) -> Statement | None:
        """Fold the last statement into an earlier one with the same text (``same_text``: the
        same sentence reported by two outlets): the earlier
        statement takes its citations, and the last is dropped. Returns the statement merged
        into, or ``None`` when the last statement is new."""
        last = self.statements[-1]
        key = same_text(last.text)
        earlier = next((s for s in self.statements[:-1] if s.supported and same_text(s.text) == key), None)
        if earlier is None or not last.supported:
            return None
        self.statements.pop()
        for n, source in zip(last.citations, last.sources):
            if n not in earlier.citations:
                earlier.citations.append(n)
                earlier.sources.append(source)
        return earlier

    def add_marked(self, text: str) -> Statement:
        """Append a statement shown marked as unsupported (no citation)."""
        statement = Statement(text, [], supported=False)
        self.statements.append(statement)
        return statement

    def retract(self, statement: Statement) -> None:
        """Take back the last statement added and the citations only it used."""
        if not self.statements or self.statements[-1] is not statement:
            raise ValueError("only the last statement added can be retracted")
        self.statements.pop()
        used = {n for s in self.statements for n in s.citations}
        while self.citations and self.citations[-1].n not in used:
            self._numbers.pop(self.citations.pop().sentence_id, None)

    def add_evidence(self, text: str, store: Store, evidence: list) -> Statement | None:
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
        return self.add(text, hits) if hits else None

    def build(self, question: Question) -> Answer:
        """The answer: its text joins the supported statements (marked ones are listed only)."""
        shown = [s for s in self.statements if s.supported]
        text = " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.citations) for s in shown)
        return Answer(text=text.strip(), answered=bool(shown), backend=self.backend,
                      citations=self.citations, statements=self.statements, kind=question.kind,
                      speakers=question.speakers)


_QUOTE_MARKS = str.maketrans("", "", "\"“”„«»‘’‚'`´")


def same_text(text: str) -> str:
    """``text`` as statements are compared for repeats: case, spacing and quotation marks
    aside ("“…”" and '"…"', a closing mark one copy drops)."""
    return " ".join(text.translate(_QUOTE_MARKS).casefold().split())


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
    return said_by(speaker, sentence)


def _given_names(source: str, speaker: Speaker) -> str:
    """The speaker's names before the surname when ``source`` ("Brennick", "Mayor
    Brennick") names them by surname alone; "" when it gives them already or the speaker
    has none (an organisation, a one-word name)."""
    names = speaker.name.split()
    if speaker.kind == "organisation" or len(names) < 2:
        return ""
    given = names[:-1]
    if set(words(" ".join(given))) & set(words(source)):
        return ""
    return " ".join(given)


def said_by(speaker: Speaker, sentence: str) -> str:
    """"<speaker> said: <sentence>", the speaker capitalised where a description names them
    ("The harbour board's spokesperson said: …", not "the harbour board's …")."""
    return f"{speaker.name[:1].upper()}{speaker.name[1:]} said: {sentence}"


class AnswerStream(Iterator[Statement]):
    """An answer as it is produced: iterating yields its statements one at a time, each
    after its citations have been checked; ``answer()`` gives the whole ``Answer`` (the
    statements joined, as ``invoke`` returns it), consuming what has not been read yet.

    Wraps a generator that yields ``Statement``s and returns the finished ``Answer``."""

    def __init__(self, produce: Generator[Statement, None, Answer]) -> None:
        self._produce = produce
        self._answer: Answer | None = None

    def __iter__(self) -> AnswerStream:
        return self

    def __next__(self) -> Statement:
        if self._answer is not None:
            raise StopIteration
        try:
            return next(self._produce)
        except StopIteration as done:
            self._answer = done.value
            raise

    def answer(self) -> Answer:
        """The whole answer (reads the rest of the stream first)."""
        for _ in self:
            pass
        return self._answer

    def close(self) -> None:
        """Stop producing (a consumer that leaves early)."""
        self._produce.close()


Production = Generator[Statement, None, Answer]


class Answerer(Runnable[dict, Answer]):
    """The extractive answer backend as a LangChain ``Runnable``."""

    backend = "extractive"

    def __init__(self, store: Store, retriever: SentenceRetriever, speakers: SpeakerIndex,
                 checker=None, max_question_chars: int = 2000,
                 word_vectors: WordVectors | None = None) -> None:
        self.store = store
        self.retriever = retriever
        self.speaker_index = speakers
        self.checker = checker  # bot.check.QuoteChecker: who-said and did-say questions
        self.max_question_chars = max_question_chars
        self._judge: tuple[str, RelevanceJudge] | None = None
        self._word_vectors = word_vectors or WordVectors(retriever.embeddings.embed_array)

    def invoke(self, input: dict, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        """``input``: ``question``, optional ``filters``, ``previous_speakers`` (follow-ups) and
        ``previously_cited`` (sentence ids already shown; "what else …" leaves them out)."""
        return self.stream(input, config).answer()

    def stream(self, input: dict, config: RunnableConfig | None = None, **kwargs: Any) -> AnswerStream:
        """The answer to ``input`` (as for ``invoke``) statement by statement: each is
        yielded once its citations are checked, before the next one is looked for. Bad
        questions raise ``QueryError`` here, before anything is yielded."""
        question, refusal = self.understand(input["question"], input.get("previous_speakers"))
        return AnswerStream(self.produce(input["question"], question, refusal, input.get("filters"),
                                         input.get("previously_cited")))

    def answer(self, text: str, filters: Filters | None = None,
               previous_speakers: list[Speaker] | None = None,
               previously_cited: list[str] | None = None) -> Answer:
        """Answer a question from the indexed sentences."""
        return self.stream({"question": text, "filters": filters, "previous_speakers": previous_speakers,
                            "previously_cited": previously_cited}).answer()

    def understand(self, text: str, previous_speakers: list[Speaker] | None = None) -> tuple[Question, Answer | None]:
        """Parse the question; the second item is a refusal when it asks about someone unknown."""
        question = parse_question(text, self.speaker_index, previous_speakers, self.max_question_chars)
        question, unsure = self._one_for_pronoun(text, question, previous_speakers)
        if unsure is not None:
            return question, unsure
        if not question.speakers and is_pronoun(who := subject_of(text)):
            if not previous_speakers:
                return question, not_answered(
                    f"Who is “{who}”? There is no earlier question in this conversation to refer to: ask about "
                    "someone by name (on the command line, --session FILE keeps a conversation).", self.backend,
                    question)
            return question, not_answered(
                f"Who is “{who}”? The earlier question was about {_names(previous_speakers, 'and')}, whom the "
                f"articles do not describe as “{who}”: ask about someone by name.", self.backend, question)
        if not question.speakers and question.kind != "topic_said" and (m := _UNKNOWN_SPEAKER_Q.match(text)):
            who = (m.group("who") or m.group("who2") or "").strip()
            if who and not _PRONOUN_ONLY.match(who):
                text = f"The indexed articles don't record any statement by {who}."
                if close := self.speaker_index.similar(who):
                    text += f" Did you mean {_names(close, 'or')}?"
                return question, not_answered(text, self.backend, question)
        return question, None

    def _one_for_pronoun(self, text: str, question: Question,
                         previous: list[Speaker] | None) -> tuple[Question, Answer | None]:
        """"What else did she say?" after "What did Pellor and Venn say?": a singular "he"
        or "she" that several of the previous speakers may still be (``by_pronoun`` keeps
        those whose gender the descriptions do not give) is the one the articles themselves
        call so: the speakers of attributions whose speaker is that pronoun ("“It would
        ruin us,” she said" is Venn's), else the one they do not call the other pronoun. When
        that leaves no single person, the answer asks who is meant rather than answering
        for them all."""
        asked = next((w for w in words(text) if w in _SINGULAR_PRONOUNS), None)
        if (asked is None or not previous or not question.speakers
                or not {s.id for s in question.speakers} <= {s.id for s in previous}
                or {s.id for s in self.speaker_index.find(text)} & {s.id for s in question.speakers}):
            return question, None
        gender = _SINGULAR_PRONOUNS[asked]
        described = [s for s in question.speakers if speaker_gender(s) == gender]
        if len(described) == 1:  # "her brother", "Ms.": the descriptions settle it
            return replace(question, speakers=described,
                           claimed=described[0].name if question.claimed else None), None
        called: dict[str, set[str]] = {}
        for item in self.store.attributions(speaker_id=[s.id for s in question.speakers]):
            said = ((item.get("source") or {}).get("text") or "").strip().lower()
            if said in _SINGULAR_PRONOUNS and item.get("speaker_id"):
                called.setdefault(item["speaker_id"], set()).add(_SINGULAR_PRONOUNS[said])
        fit = [s for s in question.speakers if called.get(s.id) == {gender}]
        possible = [s for s in question.speakers if gender in called.get(s.id, {gender})]
        one = fit if len(fit) == 1 else possible if len(possible) == 1 else None
        if one is not None:
            claimed = one[0].name if question.claimed else None
            return replace(question, speakers=one, claimed=claimed), None
        if not possible:
            return question, not_answered(
                f"Who is “{asked}”? The earlier question was about {_names(question.speakers, 'and')}, whom the "
                f"articles do not call “{asked}”: ask about someone by name.", self.backend, question)
        return question, not_answered(
            f"Who is “{asked}”? The earlier question was about {_names(question.speakers, 'and')}, and the "
            f"articles do not say which of them is “{asked}”: ask about one of them by name.", self.backend,
            question)

    def produce(self, text: str, question: Question, refusal: Answer | None, filters: Filters | None,
                previously_cited: list[str] | None) -> Production:
        """Yield the statements of the answer, each once checked; return the whole answer.
        Dates in the question narrow ``filters`` (``dated``), and the answer notes the range,
        and any when-words it could not read ("last week", "in May")."""
        if refusal is not None:
            return refusal
        if filters and filters.speaker_ids:
            return (yield from self._produce_filtered(text, question, filters, previously_cited))
        answer = yield from self._produce_dated(text, question, filters, previously_cited)
        if note := unread_dates_note(text):
            answer.notes.append(note)
        answer.notes.extend(self.respelled_notes(text, question))
        return answer

    def respelled_notes(self, text: str, question: Question) -> list[str]:
        """"“Drosel” is read as Helena Drossel." for each name of the question that matched
        one of its speakers only by spelling (``SpeakerIndex.respelled``)."""
        asked = {s.id for s in question.speakers}
        read: dict[str, list[str]] = {}
        for written, speaker in self.speaker_index.respelled(text):
            if speaker.id in asked and speaker.name not in read.setdefault(written, []):
                read[written].append(speaker.name)
        return [f"“{written}” is read as {_join(names, 'or')}, as the articles spell it." for written, names in
                read.items() if names]

    def _produce_filtered(self, text: str, question: Question, filters: Filters,
                          previously_cited: list[str] | None) -> Production:
        """The answer under a speaker filter (the chat's "Only statements by", ``--speaker``):
        the filter applies to every question, and the answer notes it. A question about
        someone the filter leaves out ("What did Pellor say?" with only Drossel's statements
        shown) is answered with what matches — nothing — and says so, naming both, rather
        than quietly answering about them or about someone else."""
        known = self.speaker_index.by_id
        chosen = _names([known.get(i) or Speaker(id=i, name=i) for i in filters.speaker_ids], "or")
        note = f"Only statements by {chosen} (the speaker filter)."
        if question.speakers and question.kind not in ("who_said", "topic_said", "general"):
            keep = [s for s in question.speakers if s.id in set(filters.speaker_ids)]
            if not keep:
                asked = question.role or _names(question.speakers)
                answer = not_answered(
                    f"The question asks about {asked}, outside the speaker filter (only statements by {chosen}): "
                    f"nothing matches. Clear the filter to ask about {asked}.", self.backend, question)
                answer.notes.append(note)
                return answer
            question = replace(question, speakers=keep)
        answer = yield from self._produce_dated(text, question, filters, previously_cited)
        if extra := unread_dates_note(text):
            answer.notes.append(extra)
        answer.notes.extend(self.respelled_notes(text, question))
        answer.notes.append(note)
        return answer

    def _produce_dated(self, text: str, question: Question, filters: Filters | None,
                       previously_cited: list[str] | None) -> Production:
        asked, given = question.dates, filters or Filters()
        question, filters = self.dated(question, given)
        if question.dates is None:
            return (yield from self._produce(text, question, filters, previously_cited))
        if question.dates.empty:
            answer = not_answered(f"The question asks about {asked.label()}, outside the date filter "
                                  f"({DateRange(given.since, given.until).label()}).", self.backend, question)
        else:
            answer = yield from self._produce(text, question, filters, previously_cited)
        answer.notes.append(f"Only statements in articles dated {question.dates.label()} "
                            "(the dates in the question, within any date filter; undated articles are left out).")
        return answer

    @staticmethod
    def dated(question: Question, filters: Filters) -> tuple[Question, Filters]:
        """The question's dates ("in June 2024") intersected with the filters' own
        (``--since/--until``, the chat's date filter): the range both allow."""
        if question.dates is None:
            return question, filters
        used = question.dates.within(filters.since, filters.until)
        return replace(question, dates=used), replace(filters, since=used.since, until=used.until)

    def _produce(self, text: str, question: Question, filters: Filters,
                 previously_cited: list[str] | None) -> Production:
        if question.kind == "who_said":
            return (yield from self._who_said(question, filters))
        if question.kind == "did_say":
            return (yield from self._did_say(question, filters))
        if question.kind == "claim_history":
            return (yield from self._claim_history(question, previously_cited))
        if question.kind == "position_change":
            return (yield from self._position_change(question, filters))
        exclude = excluded(text, previously_cited)
        builder = AnswerBuilder(self.backend)
        limit = MAX_STATEMENTS if question.kind in ("what_said", "when_said", "topic_said") else MAX_GENERAL_STATEMENTS
        hits = self.iter_sources(question, filters, exclude=exclude)
        runs = _quotation_runs(hits) if question.kind in ("what_said", "when_said") else ([h] for h in hits)
        if question.kind == "when_said" and _FIRST.search(question.text):
            runs = iter(self._earliest_first(question, runs))
        full = False
        for run in runs:
            if all(builder.cited(h.sentence.id) for h in run):
                continue  # another report of a statement shown, quoted in its note
            statement = self._statement(builder, question, run)
            if not self.citations_hold(statement):
                builder.retract(statement)
                continue
            if builder.merge_last() is not None:  # a repeat: one statement, every citation
                continue
            yield statement
            if len(builder.statements) >= limit:
                full = True
                break
        if not builder.statements:
            return not_answered(self.refusal_text(question, bool(exclude)), self.backend, question)
        answer = builder.build(question)
        if full and question.kind in ("what_said", "when_said") and self._more(builder, runs):
            answer.notes.append(f"More statements are recorded than the {limit} shown: ask “What else …?” "
                                "for the next ones.")
        if question.kind == "quantity_said" and not any(numbers(c.text) for c in answer.citations):
            answer.notes.append(f"No statement by {_names(question.speakers, 'or')} found gives a figure for this: "
                                "these are what they said about it.")
        if question.kind in ("what_said", "when_said"):
            answer.notes.extend(f"“{group[0].name.split()[-1]}” may be {_names(group, 'or')}: "
                                "each statement names its speaker." for group in _namesake_groups(question.speakers))
        if note := role_note(question, self.speaker_index):
            answer.notes.append(note)
            # a follow-up's "she" is whoever of those the role describes the answer quoted
            cited = {c.speaker for c in answer.citations}
            answer.speakers = [s for s in question.speakers if s.name in cited] or question.speakers
        return answer

    @staticmethod
    def _more(builder: AnswerBuilder, runs: Iterator[list[ScoredSentence]], look: int = 10) -> bool:
        """Another statement follows those shown (a repeat of one shown does not count);
        looks at most ``look`` runs ahead."""
        shown = {same_text(c.text) for s in builder.statements for c in s.sources}
        for _, run in zip(range(look), runs):
            if not all(same_text(h.sentence.text) in shown for h in run):  # a copy of one shown is no more
                return True
        return False

    def citations_hold(self, statement: Statement) -> bool:
        """The support check of an extractive statement: every sentence it cites is still
        stored, with the cited text, in a committed article (an article deleted meanwhile
        takes its statements with it). Records come through the retriever's cache, which
        holds what the store returned since its last write and re-reads after any."""
        if not statement.sources:
            return False
        ids = [c.sentence_id for c in statement.sources]
        stored, articles = self.retriever.lexical_cache.sentences(self.store, self.store.generation(), ids)
        return all(c.sentence_id in stored and stored[c.sentence_id].text == c.text
                   and c.article_id in articles for c in statement.sources)

    def sources(self, question: Question, filters: Filters, limit: int | None = None,
                exclude: frozenset[str] = frozenset()) -> list[ScoredSentence]:
        """The source sentences an answer may use, best first (empty: the articles don't say);
        ``limit`` defaults to what the extractive answer shows."""
        if limit is None:
            limit = MAX_STATEMENTS if question.kind in ("what_said", "when_said", "topic_said") else MAX_GENERAL_STATEMENTS
        question, filters = self.dated(question, filters)
        out = []
        for hit in self.iter_sources(question, filters, exclude=exclude, candidates=max(limit, 8)):
            out.append(hit)
            if len(out) >= limit:
                break
        return out

    def iter_sources(self, question: Question, filters: Filters, exclude: frozenset[str] = frozenset(),
                     candidates: int = GENERAL_CANDIDATES) -> Iterator[ScoredSentence]:
        """The usable source sentences, best first (see ``_iter_sources``), leaving out the
        sentences ``exclude`` names and their copies in other outlets ("what else …")."""
        shown = {same_text(r.text) for r in self.store.get_sentences(sorted(exclude)).values()} if exclude else set()
        for hit in self._iter_sources(question, filters, exclude, candidates):
            if not shown or same_text(hit.sentence.text) not in shown:
                yield hit

    def _iter_sources(self, question: Question, filters: Filters, exclude: frozenset[str],
                      candidates: int) -> Iterator[ScoredSentence]:
        """The usable source sentences, best first, each judged only when asked for.

        ``what_said``/``when_said``: the speakers' statements (on the topic: above a relevance
        floor and covering the topic's words, or in an article whose title covers the topic;
        without a topic, all of them in article order). ``general``: sentences above the
        dense or lexical floor that on their own answer the question (``bot.relevance``).
        ``topic_said`` ("Who talked about the toll?"): anyone's statements on the topic, as
        for ``what_said`` with a topic."""
        if question.kind == "topic_said":
            if question.topic:
                hits = [h for h in self.retriever.search(question.topic, filters, k=20)
                        if (h.sentence.speaker_ids or h.sentence.speakers) and h.sentence.id not in exclude]
                yield from self._on_topic(question, hits, anyone=True)
            return
        if question.kind == "quantity_said":
            yield from self._figures_first(question, filters, exclude)
            return
        if question.kind in ("what_said", "when_said"):
            question = self._focused(question)
            scoped = self._speaker_filters(question, filters)
            if question.topic:
                hits = [h for h in self.retriever.search(question.topic, scoped, k=20)
                        if h.features.get("speaker_match") and h.sentence.id not in exclude]
                yield from self._on_topic(question, hits)
            else:
                for hit in self._statements_in_order(question, scoped):
                    if hit.sentence.id not in exclude:
                        yield hit
            return
        hits = self.retriever.search(question.text, filters, k=candidates + len(exclude),
                                     prefer_speaker_ids=[s.id for s in question.speakers])
        entities = _entity_words(question.speakers)
        for hit in hits:
            if hit.sentence.id in exclude or not (hit.dense >= DENSE_FLOOR or hit.lexical >= LEXICAL_FLOOR):
                continue
            if self.judge().judge(question.text, hit.sentence.text, entities=entities,
                                  context=hit.article.title or "").answers:
                yield hit

    def _figures_first(self, question: Question, filters: Filters,
                       exclude: frozenset[str]) -> Iterator[ScoredSentence]:
        """``quantity_said`` ("How many jobs did Venneby say would be lost?"): the speakers'
        statements near the asked words, those with a number that counts the asked thing
        first ("He said 140 jobs would go", ``relevance.counts``), then those with another
        number that cover the asked words (``RelevanceJudge`` on the topic: "the repairs would
        cost about 2.4 million crowns" for "How much did Drossel say the repairs would cost?");
        only when none gives a figure, their statements on the topic ("Jobs will be lost",
        the answer then notes it).

        A figure of the asked thing in the sentence right before or after the speaker's
        statement on the topic counts too, however far its own words are from the question:
        'Auley said the repairs would take time. "We need at least twelve weeks to stabilise
        the wall," he said.' gives the weeks the repairs would take."""
        question = self._focused(question)
        scoped = self._speaker_filters(question, filters)
        found = [h for h in self.retriever.search(question.topic or question.text, scoped, k=20)
                 if h.features.get("speaker_match") and h.sentence.id not in exclude]
        hits = [h for h in found if h.dense >= TOPIC_DENSE_FLOOR or h.lexical >= LEXICAL_FLOOR]
        counted = [h for h in hits if question.measured and counts(question.measured, h.sentence.text)]
        if question.measured and question.topic and (beside := [
                h for h in found if h not in hits and counts(question.measured, h.sentence.text)]):
            # the statement each such figure elaborates, if it is on the topic in its own words
            anchors = {(h.sentence.article_id, h.sentence.n) for h in hits if self._topic_match(question, h) == "words"}
            counted += [h for h in beside if (h.sentence.article_id, h.sentence.n - 1) in anchors
                        or (h.sentence.article_id, h.sentence.n + 1) in anchors]
        entities = _entity_words(question.speakers)
        figures = [h for h in hits if h not in counted and self.judge().judge(
            question.topic or question.text, h.sentence.text, kind="quantity", entities=entities,
            context=h.article.title or "").answers]
        if counted or figures:
            yield from counted + figures
            return
        if question.topic:
            yield from self._on_topic(question, hits)

    def _on_topic(self, question: Question, hits: list[ScoredSentence],
                  anyone: bool = False) -> Iterator[ScoredSentence]:
        """The hits about the question's topic (``_topic_match``), best first; ``anyone``
        (the hits are anyone's statements, not the question's speakers': nothing narrows them
        but the topic, so the general dense floor applies and every one must cover the topic's
        words, "the tram line will open in September" is not about "the tram fares"): those
        about it in their own words first, then those only their article's title puts on it."""
        matched = [(hit, self._topic_match(question, hit, DENSE_FLOOR, float("inf")) if anyone
                    else self._topic_match(question, hit)) for hit in hits]

        def who(hit: ScoredSentence) -> tuple:
            speakers = tuple(hit.sentence.speaker_ids or hit.sentence.speakers) if anyone else ()
            return hit.sentence.article_id, speakers

        # an article's title vouches for a speaker's statement only where none of their
        # statements in it is about the topic in its own words ("waiting lists are down" in a
        # story headed "… nurses" is not about nurses when "we will hire 2,000 nurses" is there
        # to cite); another speaker's in the same story still counts ("the cuts were a slap in
        # the face" under "School board votes to cut bus routes")
        direct = {who(hit) for hit, how in matched if how == "words"}
        if anyone:
            matched = [m for m in matched if m[1] == "words"] + [m for m in matched if m[1] != "words"]
        for hit, how in matched:
            if how == "words" or (how == "title" and who(hit) not in direct):
                yield hit

    def _topic_match(self, question: Question, hit: ScoredSentence, dense_floor: float = TOPIC_DENSE_FLOOR,
                     sure_dense: float = TOPIC_SURE_DENSE) -> str | None:
        """How a speaker's statement is about the question's topic: "words" when it is
        close to the topic and covers the topic's words (the title counts: "fares" in an
        article headed "Tram fares frozen"), "title" when only its article's title covers
        the topic, ``None`` when it is not about it."""
        if hit.dense >= dense_floor or hit.lexical >= LEXICAL_FLOOR:
            if hit.dense >= sure_dense:
                return "words"
            entities = _entity_words(self.speaker_index.find(question.topic))
            if self.judge().judge(question.topic, hit.sentence.text, kind=None, entities=entities,
                                  context=hit.article.title or "").answers:
                return "words"
        return "title" if _title_covers(hit.article.title, question.topic) else None

    def judge(self) -> RelevanceJudge:
        """The relevance judge for the store as it is now (word rarity from its BM25 index)."""
        generation = self.store.generation()
        if self._judge is None or self._judge[0] != generation:
            index = self.retriever.lexical_cache.get(self.store, generation)
            judge = RelevanceJudge(index.idf, self._word_vectors)
            self._judge = (generation, judge)
        return self._judge[1]

    def _earliest_first(self, question: Question, runs: Iterator[list[ScoredSentence]],
                        reach: int = 4 * MAX_STATEMENTS) -> list[list[ScoredSentence]]:
        """"When did X first say Y?": the statements found (up to ``reach``) in date order,
        earliest first, leaving out those that say the opposite of Y (a negation or an
        opposite word: "I do not support the bridge" is no answer to when he first said he
        supported it); undated ones last."""
        from bot.claims import meaning_change

        topic = question.quote or question.topic or _after_names(question.text, question.speakers)
        kept = []
        for run in itertools.islice(runs, reach):
            text = " ".join(h.sentence.text for h in run)
            if topic and any(r.startswith(("negation", "opposite")) for r in meaning_change(topic, text)):
                continue
            kept.append(run)
        return sorted(kept, key=lambda run: (run[0].article.date is None, run[0].article.date or ""))

    def _statement(self, builder: AnswerBuilder, question: Question, run: list[ScoredSentence]) -> Statement:
        """The statement that quotes the sentences of ``run`` (one, or the consecutive
        sentences of one quotation), with its speaker, and its date for when-questions."""
        hit = run[0]
        if question.kind in ("what_said", "when_said"):
            by_id = {s.id: s for s in question.speakers}
            speaker = next((by_id[s] for s in hit.sentence.speaker_ids if s in by_id), None)
            said = " ".join(self.named_pronoun(h.sentence, speaker) for h in run)
            text = render_statement(said, speaker)
            if speaker and not set(words(speaker.name)) <= set(words(said)) and (
                    any(speaker in group for group in _namesake_groups(question.speakers))
                    or (question.role and len(self.speaker_index.with_last_words({surname(speaker)})) > 1)):
                # "Whitfield told reporters" when the question's "Whitfield" is Dana or Tom,
                # or it asked about "the mayor" and the articles know two Whitfields ("Halvorsen
                # denied …" names the only Halvorsen well enough): "[Dana] Whitfield told
                # reporters", or "Dana Whitfield said: …" when no surname is the speaker's
                said = " ".join(self.named_pronoun(h.sentence, speaker, full_name=True) for h in run)
                text = said if set(words(speaker.name)) <= set(words(said)) else said_by(speaker, said)
            if question.kind == "when_said":
                text = f"{_when(hit)}: {text}"
            return self._add_noted(builder, text, [(h, speaker.name if speaker else None) for h in run], speaker)
        speakers = self.speakers_of(hit.sentence)
        speaker = speakers[0] if speakers else None
        said = self.named_pronoun(hit.sentence, speaker)
        cites = [(hit, _names(speakers) or None)]
        if question.kind == "topic_said":
            return self._add_noted(builder, render_statement(said, speaker), cites, speaker)
        if question.kind == "quantity_said":
            # a figure is dated: a later report may give another ("at least twelve weeks" on
            # 5 October, "sixteen weeks" on 12 October)
            return builder.add(f"{_when(hit)}: {render_statement(said, speaker)}", cites)
        return builder.add(render_statement(said, speaker), cites)

    def _add_noted(self, builder: AnswerBuilder, text: str, cites: list[tuple[ScoredSentence, str | None]],
                   speaker: Speaker | None) -> Statement:
        """Add a statement of ``speaker``; when other outlets report it with another meaning
        ("we will close it" for "we will not close it"), with a note that says so
        (``reports_note``), citing them too."""
        own = {h.sentence.id for h, _ in cites}
        if speaker and (split := self.report_split([speaker.id], own)):
            text = f"{text} {reports_note(split)}"
            cites = cites + [p for p in self._appearance_hits([a for a, _ in split.differ], speaker.name)
                             if p[0].sentence.id not in own]
        return builder.add(text, cites)

    def named_pronoun(self, sentence: SentenceRecord, speaker: Speaker | None, full_name: bool = False) -> str:
        """The sentence with the pronoun that is its speaker in an attribution of theirs
        replaced by their name in square brackets, as an editor clarifies a quotation:
        "“We know it is a burden,” [Marguerite Olusola] said." and "[Helena Drossel] added
        that repairs would cost …", where "Marguerite Olusola said: “We know it is a
        burden,” she said." would name the speaker twice. The sentence unchanged when no
        such attribution is in it. A description that is the speaker ("its chair", resolved
        to the person the article names later) keeps its words and is followed by the name
        in brackets. With ``full_name``, a surname that is the speaker gets their other names
        in brackets ("[Orla] Brennick said"), where a namesake makes the surname ambiguous."""
        if speaker is None or not sentence.attribution_ids:
            return sentence.text
        edits: dict[tuple[int, int], str] = {}
        for item in self.store.attributions_by_id(sentence.attribution_ids):
            source = item.get("source") or {}
            if item.get("speaker_id") != speaker.id or not source.get("text"):
                continue
            start, end = source["start"] - sentence.start, source["end"] - sentence.start
            if not (0 <= start < end <= len(sentence.text) and sentence.text[start:end] == source["text"]):
                continue
            if fold(source["text"]).strip() in _THIRD_PERSON:
                edits[(start, end)] = f"[{speaker.name}]"
            elif not mentions(source["text"], speaker):
                # a description the article resolves to them: "a move its chair [Ilse Okonjo] said …"
                edits[(start, end)] = f"{source['text']} [{speaker.name}]"
            elif full_name and (given := _given_names(source["text"], speaker)):
                last = source["text"].rfind(speaker.name.split()[-1])
                if last >= 0:
                    edits[(start + last, start + last)] = f"[{given}] "
        text = sentence.text
        for (start, end), replacement in sorted(edits.items(), reverse=True):
            text = f"{text[:start]}{replacement}{text[end:]}"
        return text

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
        when = f" {question.dates.label()}" if question.dates else ""
        if question.kind == "topic_said":
            return (f"The indexed articles don't record anyone saying anything{more} about "
                    f"{(question.topic or 'that').rstrip('?')}{when}.")
        if question.kind == "quantity_said":
            what = ("that figure" if not question.measured else "that share" if question.measured == "percent"
                    else f"a number of {question.measured}")
            return f"The indexed articles don't record {names} giving {what}{when}."
        if question.kind in ("what_said", "when_said", "position_change"):
            if question.topic:
                return (f"The indexed articles don't record {names} saying anything{more} about "
                        f"{question.topic.rstrip('?')}{when}.")
            return f"The indexed articles don't record any{' other' if follow_up else ''} statement by {names}{when}."
        return f"The indexed articles don't say{' (' + when.strip() + ')' if when else ''}."

    def _speaker_filters(self, question: Question, filters: Filters) -> Filters:
        return Filters(speaker_ids=[s.id for s in question.speakers], article_ids=filters.article_ids,
                       since=filters.since, until=filters.until)

    def _statements_in_order(self, question: Question, scoped: Filters) -> Iterator[ScoredSentence]:
        """Every sentence attributed to the question's speakers, earliest articles first.

        The ids and their order come from the BM25 index (speaker postings, article dates),
        so sentence records are read a page at a time only as far as the answer goes (a
        busy speaker has thousands of statements; an answer shows a few)."""
        generation = self.store.generation()
        ordered = self.retriever.statements_in_date_order(scoped, generation)
        cache = self.retriever.lexical_cache
        for start in range(0, len(ordered), STATEMENT_PAGE):
            page = ordered[start : start + STATEMENT_PAGE]
            by_id, articles = cache.sentences(self.store, generation, page)
            for sid in page:
                if sid in by_id:
                    yield ScoredSentence(by_id[sid], articles[by_id[sid].article_id], 1.0, 0.0, 0.0,
                                         {"speaker_match": 1.0})

    def _who_said(self, question: Question, filters: Filters) -> Production:
        quote = question.quote or question.topic or ""
        if not words(quote):
            return not_answered("Which words? Put the quotation after “who said”.", self.backend, question)
        verdict = self.checker.check(quote, None, filters)
        if question.quote is None and not _check_answers_plain(quote, verdict):
            return (yield from self._who_said_plain(question, filters))
        builder = AnswerBuilder(self.backend)
        who = speaker_phrase(verdict.speaker)
        if verdict.verdict == "not_found" or not verdict.evidence:
            return not_answered(f"The indexed articles don't contain “{quote}”.", self.backend, question)
        if not who:
            text = "The indexed articles contain these words but do not say who said them."
        elif verdict.stance != "asserted":
            text = f"No one is recorded saying this: {_not_asserted_text(who, verdict)}."
        elif verdict.verdict == "verbatim" and question.quote is None:
            # unquoted words asked about ("who called the overrun unacceptable") are no
            # quotation: the answer must not put them in quotation marks
            text = f"{who} said this."
        elif verdict.verdict == "verbatim":
            text = f"{who} said “{quote}”."
        elif verdict.verdict == "paraphrase":
            text = f"{who} said this in other words."
        else:  # altered: the passage exists, the wording changes its meaning
            text = f"Not in these words: {who} said something different ({'; '.join(verdict.reasons[:2])})."
        yield from self._evidence_statement(builder, text, verdict)
        return self._with_verdict(builder.build(question), verdict)

    def _who_said_plain(self, question: Question, filters: Filters) -> Production:
        """"Who called the fare rise a slap in the face?" without quotation marks, when the
        quote check has no answer in these words: the attributed sentences (above a relevance
        floor) whose words, with their article's title, cover every word of what was said,
        each naming its speaker. A sentence whose wording changes the meaning asked
        about (``bot.claims.meaning_change``: negation, number, opposite word) is left out."""
        from bot.claims import meaning_change

        builder = AnswerBuilder(self.backend)
        asked = question.topic or ""
        for hit in self.retriever.search(question.text, filters, k=GENERAL_CANDIDATES):
            speakers = self.speakers_of(hit.sentence)
            if not speakers or not (hit.dense >= DENSE_FLOOR or hit.lexical >= LEXICAL_FLOOR):
                continue
            # the article's title is part of what the speaker was talking about ("called the
            # rise a slap in the face" under "Ferry fares to rise" answers "the fare rise"); every
            # word asked about must be there: "called the fare rise fair" is not "fares would rise"
            relevance = self.judge().judge(asked, f"{hit.article.title or ''}. {hit.sentence.text}", kind=None)
            if not relevance.answers or relevance.missing or meaning_change(asked, hit.sentence.text):
                continue
            statement = builder.add(render_statement(hit.sentence.text, speakers[0]),
                                    [(hit, _names(speakers))])
            if not self.citations_hold(statement):
                builder.retract(statement)
                continue
            if builder.merge_last() is not None:
                continue
            yield statement
            if len(builder.statements) >= MAX_GENERAL_STATEMENTS:
                break
        if not builder.statements:
            return not_answered("The indexed articles don't record anyone saying that.", self.backend, question)
        return builder.build(question)

    def _did_say(self, question: Question, filters: Filters) -> Production:
        quote = question.quote or ""
        # as the question names them ("Okafor" may be any Okafor; "the mayor"), else the speakers found
        claimed = question.role or question.claimed or _names(question.speakers)
        if not words(quote):
            return not_answered(f"What did {claimed} say? Put the words in quotation marks.", self.backend,
                                question)
        by_role = {s.id for s in question.speakers} if question.role else None
        # the reports of the statement found are weighed here, first report first, with the
        # wording of each (``_evidence_split``), so the check does not revise its match by them
        verdict = self.checker.check(quote, question.role or question.claimed or question.speakers[0].name, Filters(
            article_ids=filters.article_ids, since=filters.since, until=filters.until), claimed_ids=by_role,
            first_report_decides=False)
        if verdict.verdict == "not_found" or not verdict.evidence:
            return self._with_verdict(not_answered(f"The indexed articles don't record {claimed} saying that.",
                                                   self.backend, question), verdict)
        who = speaker_phrase(verdict.speaker) or claimed  # the person the sources record, when the claim fits them
        if verdict.stance != "asserted" and verdict.verdict == "altered":
            text = f"No: {_not_asserted_text(who, verdict)}."
            builder = AnswerBuilder(self.backend)
            yield from self._evidence_statement(builder, text, verdict)
            return self._with_verdict(builder.build(question), verdict)
        text = {
            "verbatim": f"Yes: {who} said these words.",
            "paraphrase": f"Yes, in other words: {who} said this.",
            "altered": f"Not in these words: {who} said something different "
                       f"({'; '.join(verdict.reasons[:2]) or 'the wording changes the meaning'}).",
            "misattributed": f"No: the indexed articles attribute these words to {who}, not {claimed}.",
        }[verdict.verdict]
        builder = AnswerBuilder(self.backend)
        split = self._evidence_split(verdict) if verdict.verdict in ("verbatim", "paraphrase") else None
        if split is not None:
            yield from self._differing_reports(builder, who, verdict, split)
            answer = self._with_verdict(builder.build(question), verdict)
            # for a JSON reader: the check's "verbatim"/"paraphrase" is not the whole answer
            answer.verdict["reports_differ"] = {
                "first_report": split.first.to_dict(), "first_report_has_the_words": split.first_agrees,
                "other_wordings": [{**a.to_dict(), "changes": reasons} for a, reasons in split.differ]}
            return answer
        yield from self._evidence_statement(builder, text, verdict)
        return self._with_verdict(builder.build(question), verdict)

    def _position_change(self, question: Question, filters: Filters) -> Production:
        """"Has Drossel changed her position on the bridge?": the speaker's statements on the
        topic (all of them without one) in date order, earliest first, each dated and cited,
        after a first statement that says plainly whether their meaning changed: a later
        statement that negates an earlier one, gives another number or an opposite word
        (``bot.claims.meaning_change``, built on ``bot.meaning``), more than
        ``OCCASION_DAYS`` later, or sooner when the two are separate statements (not one
        claim: "I will not rule out a temporary bridge" on Tuesday, "A temporary bridge is
        not an option" on Thursday); within ``OCCASION_DAYS`` reports of one claim are one
        statement reported differently, which the statement's note says."""
        from bot.claims import OCCASION_DAYS, meaning_change

        said = replace(question, kind="what_said")
        hits = list(itertools.islice(self._iter_sources(said, filters, frozenset(), GENERAL_CANDIDATES),
                                     POSITION_CANDIDATES))
        if question.topic and (asked := quantity_topic(question.topic)):
            # "… changed his position on how many weeks the repairs would take?": the figures
            # he gave ("at least twelve weeks", "sixteen weeks") as a how-many question finds
            # them, with his statements on the topic
            topic, measured = asked
            figures = replace(question, kind="quantity_said", topic=topic, measured=measured)
            have = {h.sentence.id for h in hits}
            hits += [h for h in itertools.islice(self._figures_first(figures, filters, frozenset()),
                                                 POSITION_CANDIDATES) if h.sentence.id not in have]
        hits.sort(key=lambda h: (h.article.date or "9999", h.sentence.article_id, h.sentence.n))
        runs, seen = [], set()
        for run in _quotation_runs(iter(hits)):
            key = same_text(" ".join(h.sentence.text for h in run))
            if key not in seen:  # the same sentence in another outlet: its first report
                seen.add(key)
                runs.append(run)
        if not runs:
            return not_answered(self.refusal_text(question), self.backend, question)

        def text_of(run):
            return " ".join(h.sentence.text for h in run)

        found: dict[int, list] = {}

        def claims_of(run) -> list:
            if id(run) not in found:
                found[id(run)] = self._claims_of(run)
            return found[id(run)]

        def said_on(run) -> str | None:
            # the day of the statement's first report (its claim's): a copy in another
            # outlet a day later reports the same occasion
            return min((c.first_seen for c in claims_of(run) if c.first_seen), default=None) or run[0].article.date

        def days(a, b) -> int | None:
            da, db = said_on(a), said_on(b)
            if not (da and db):
                return None
            return abs((Date.fromisoformat(db[:10]) - Date.fromisoformat(da[:10])).days)

        def one_statement(earlier, later, gap: int) -> bool:
            # what one day's articles report is never a change of position; within
            # OCCASION_DAYS two reports are one statement reported differently when the
            # claims group them (nearly the same words: ``bot.claims.may_be_one_utterance``),
            # or when a claim is unknown
            if gap == 0:
                return True
            ids_e, ids_l = {c.id for c in claims_of(earlier)}, {c.id for c in claims_of(later)}
            return gap <= OCCASION_DAYS and (not (ids_e and ids_l) or bool(ids_e & ids_l))

        change = None
        for j, later in enumerate(runs):
            for earlier in runs[:j]:
                same_speaker = set(earlier[0].sentence.speaker_ids) & set(later[0].sentence.speaker_ids)
                if not same_speaker or (gap := days(earlier, later)) is None or one_statement(earlier, later, gap):
                    continue
                # the days the statements were made ("on Monday") differ anyway: not a change
                reasons = [r for r in meaning_change(text_of(earlier), text_of(later)) if not r.startswith("date")]
                if reasons:
                    strong = any(r.startswith(("negation", "opposite")) for r in reasons)
                    if change is None or (strong and not change[3]):
                        change = (earlier, later, reasons, strong)
            if change and change[3]:
                break
        order = list(range(len(runs)))
        if change:  # the two statements that differ are shown, whatever else is left out
            pair = [next(i for i, r in enumerate(runs) if r is change[0]),
                    next(i for i, r in enumerate(runs) if r is change[1])]
            order = pair + [i for i in order if i not in pair]
        shown = [runs[i] for i in sorted(order[:MAX_STATEMENTS])]
        who = question.role or _names(question.speakers)
        about = f" about {question.topic.rstrip('?')}" if question.topic else ""
        builder = AnswerBuilder(self.backend)
        if change:
            earlier, later, reasons, _ = change
            summary = (f"Yes: what {who} said{about} changed meaning ({_position_kinds(reasons)}) between "
                       f"{earlier[0].article.date} and {later[0].article.date} (the statements follow, earliest "
                       "first).")
            support = earlier + later
        else:
            summary = (f"No change of meaning is found in what {who} said{about}: no later statement negates an "
                       "earlier one or gives another number or an opposite word (the statements follow, earliest "
                       "first).")
            support = [h for run in shown for h in run]
        by_id = {s.id: s for s in question.speakers}
        head = builder.add(summary, [(h, next((by_id[i].name for i in h.sentence.speaker_ids if i in by_id), None))
                                     for h in support])
        if not self.citations_hold(head):
            builder.retract(head)
            return not_answered(self.refusal_text(question), self.backend, question)
        yield head
        dated = replace(question, kind="when_said")
        for run in shown:
            quoted = {c.sentence_id for s in builder.statements if s is not head for c in s.sources}
            if all(h.sentence.id in quoted for h in run):
                continue  # another report of a statement shown, quoted in its note
            statement = self._statement(builder, dated, run)
            if not self.citations_hold(statement):
                builder.retract(statement)
                continue
            yield statement
        answer = builder.build(question)
        if len(runs) > len(shown):
            answer.notes.append(f"{len(runs) - len(shown)} more statement(s){about} are recorded than shown.")
        return answer

    def _claims_of(self, run: list[ScoredSentence]) -> list:
        """The claims (``bot.claims``) of the run's speakers that hold its sentences."""
        from bot.claims import claims_holding

        speakers = list(dict.fromkeys(s for h in run for s in h.sentence.speaker_ids))
        return claims_holding(self.store, {h.sentence.id for h in run}, speakers) if speakers else []

    def _evidence_split(self, verdict) -> ReportSplit | None:
        """How the reports of the statement a did-say verdict found disagree, if they do
        (``split_reports`` on the claim of the evidence's speaker that holds it)."""
        ids = {i for e in verdict.evidence for i in (e.sentence_ids or [e.sentence_id])}
        records = self.store.get_sentences(sorted(ids))
        speakers = {sid for r in records.values() for sid in r.speaker_ids
                    if (sp := self.speaker_index.by_id.get(sid)) and sp.name == verdict.speaker}
        return self.report_split(sorted(speakers), ids)

    def report_split(self, speaker_ids: list[str], sentence_ids: set[str]) -> ReportSplit | None:
        """``split_reports`` for the claim of one of ``speaker_ids`` that holds
        ``sentence_ids`` (``bot.claims.claims_holding``: that claim's links only)."""
        from bot.claims import claims_holding

        for speaker_id in speaker_ids:
            for claim in claims_holding(self.store, sentence_ids, [speaker_id]):
                if split := split_reports(claim, sentence_ids):
                    return split
        return None

    def _appearance_hits(self, appearances, speaker: str | None) -> list[tuple[ScoredSentence, str | None]]:
        """The stored sentences of claim appearances, as citations."""
        ids = [i for a in appearances for i in (a.sentence_ids or [a.sentence_id]) if i]
        records = self.store.get_sentences(ids)
        articles = self.store.article_metadata({r.article_id for r in records.values()})
        return [(ScoredSentence(records[i], articles[records[i].article_id], 1.0, 0.0, 0.0), speaker)
                for i in dict.fromkeys(ids) if i in records and records[i].article_id in articles]

    def _differing_reports(self, builder: AnswerBuilder, who: str, verdict, split: ReportSplit) -> Iterator[Statement]:
        """A did-say answer when reports of the statement disagree: no plain "Yes". The
        first report decides (as ``bot.claims.review_verdict`` and the quote check's
        disputes have it): "Yes, as first reported" when it has the words asked about,
        else "Not as first reported"; then which outlet and date reports which wording.
        Reports that disagree about another statement follow as disputes."""
        how = "these words" if verdict.verdict == "verbatim" else "this in other words"
        where = where_reported([split.first], None)
        if split.first_agrees:
            lead = f"Yes, as first reported: the first report, {where}, has {who} saying {how}; other reports differ."
            hits = [self._appearance_hits(split.same, who)]
        else:
            kinds = next(reasons for a, reasons in split.differ if a is split.first)
            lead = (f"Not as first reported: the first report, {where}, has {who} saying something different "
                    f"({change_kinds(kinds)}).")
            hits = [self._appearance_hits([split.first], who)]
        cited = set()
        for said, hit_groups in [(lead, hits), (reports_note(split, "the wording asked about"), [self._appearance_hits(
                split.same + [a for a, _ in split.differ], who)])]:
            pairs = [h for group in hit_groups for h in group]
            if not pairs:
                continue
            statement = builder.add(said, pairs)
            if self.citations_hold(statement):
                cited |= {h.sentence.article_id for h, _ in pairs}
                yield statement
            else:
                builder.retract(statement)
        for dispute in verdict.disputes:
            if dispute.evidence.article_id not in cited:
                yield from self._if_supported(
                    builder, builder.add_evidence(_dispute_text(dispute), self.store, [dispute.evidence]))

    def _claim_history(self, question: Question, previously_cited: list[str] | None) -> Production:
        """"Has X said this before?" / "How did outlets report X's quote?": the speaker's
        claim (bot.claims) with every appearance, first seen first, and wording drift."""
        from bot.claims import claims_for_quote

        speakers = question.speakers if question.role else _namesakes(question, self.speaker_index)
        speaker = speakers[0]
        who = question.role or question.claimed or speaker.name
        quote = question.quote or question.topic
        if not quote and previously_cited:  # "this": the last sentence shown in the conversation
            last = self.store.get_sentences(previously_cited[-1:])
            quote = next(iter(last.values())).text if last else None
        if not quote or not words(quote):
            return not_answered(f"Which statement of {who}? Quote it, or ask about it first.",
                                self.backend, question)
        about = not question.quote and question.topic == quote  # "… quote about the bridge"
        claims = claims_for_quote(self.store, [s.id for s in speakers], quote, self.retriever.embeddings, limit=3,
                                  topic=about)
        if not claims:
            said = f"anything about {quote.rstrip('?')}" if about else "this"
            return not_answered(f"The indexed articles don't record {who} saying {said}.",
                                self.backend, question)
        # Quoted words: the claim that best matches them. A topic ("… quote about fares"): of
        # the matching claims, the most widely reported.
        claim = claims[0] if question.quote else max(claims, key=lambda c: (c.repeats, -claims.index(c)))
        builder = AnswerBuilder(self.backend)
        ordered = sorted(claim.appearances, key=lambda a: (a.date or "9999", a.article_id))
        outlets = len({a.outlet or a.article_id for a in ordered})
        first = ordered[0]
        sayer = claim.speaker or next((s.name for s in speakers if s.id == claim.speaker_id), who)
        reports = (f"{len(ordered)} report{'s' if len(ordered) > 1 else ''} from {outlets} "
                   f"outlet{'s' if outlets > 1 else ''}, first seen {first.date or '(date not recorded)'}"
                   + (f" in {first.outlet}" if first.outlet else ""))
        if question.quote and claim.quote_changes:
            # only a claim that changes the quoted meaning ("not safe" for "safe"): never the same statement
            summary = (f"No: the indexed articles don't record {who} saying this. {sayer} said something "
                       f"different ({change_kinds(claim.quote_changes)}) in {reports}.")
        else:
            summary = f"{sayer} made this statement in {reports}."
        drift = {d.appearance.attribution_id: d for d in claim.drift}
        lines = [(summary, first)] + [
            (f"{a.outlet or 'Outlet unknown'}, {a.date or 'date unknown'}: {a.text}"
             + (f" (this wording changes the meaning: {change_kinds(drift[a.attribution_id].reasons)})"
                if a.attribution_id in drift and drift[a.attribution_id].changed else ""), a)
            for a in ordered]
        for text, appearance in lines[:MAX_STATEMENTS + 1]:
            ids = appearance.sentence_ids or [appearance.sentence_id]
            records = self.store.get_sentences([i for i in ids if i])
            articles = self.store.article_metadata({r.article_id for r in records.values()})
            hits = [(ScoredSentence(r, articles[r.article_id], 1.0, 0.0, 0.0), claim.speaker)
                    for r in records.values() if r.article_id in articles]
            if not hits:
                continue
            statement = builder.add(text, hits)
            if self.citations_hold(statement):
                yield statement
            else:
                builder.retract(statement)
        if not builder.statements:
            return not_answered(f"The indexed articles don't record {who} saying this.",
                                self.backend, question)
        return builder.build(question)

    def _evidence_statement(self, builder: AnswerBuilder, text: str, verdict) -> Iterator[Statement]:
        """The quote check's verdict as one statement citing its evidence, once checked;
        then one statement per report that disputes it ("But the Lenwick Gazette
        (2025-03-11) attributes the same words to Osric Tammaro.")."""
        pending = [(text, verdict.evidence)] + [(_dispute_text(d), [d.evidence]) for d in verdict.disputes]
        for said, evidence in pending:
            yield from self._if_supported(builder, builder.add_evidence(said, self.store, evidence))

    def _if_supported(self, builder: AnswerBuilder, statement: Statement | None) -> Iterator[Statement]:
        """Yield ``statement`` (just added to ``builder``) if its citations hold, else take
        it back; nothing for ``None`` (evidence that could not be cited)."""
        if statement is None:
            return
        if self.citations_hold(statement):
            yield statement
        else:
            builder.retract(statement)

    @staticmethod
    def _with_verdict(answer: Answer, verdict) -> Answer:
        answer.verdict = verdict.to_dict()
        return answer

    def speakers_of(self, sentence: SentenceRecord) -> list[Speaker]:
        """The known speakers a sentence is attributed to."""
        known = self.speaker_index.by_id
        out = [known[s] for s in sentence.speaker_ids if s in known]
        if not out and sentence.speakers:
            out = [Speaker(id=n, name=n) for n in sentence.speakers]
        return out


def _namesakes(question: Question, index: SpeakerIndex) -> list[Speaker]:
    """Everyone the question's speaker may be: those the supposed speaker's name as written
    may name (``SpeakerIndex.may_name``, as the quote checker decides it: "Garroway" is
    each Garroway, "Ada Garroway" not Edwin), or, when the question does not separate that
    name out ("How did outlets report Garroway's quote about Lundqvist?"), the first
    speaker named and those sharing their surname."""
    if question.claimed:
        ids = index.may_name(question.claimed)
        named = [s for s in question.speakers if s.id in ids]
        return named + sorted((index.by_id[i] for i in ids - {s.id for s in named}), key=lambda s: s.id) \
            or question.speakers
    first = question.speakers[0]
    last = surname(first)
    return [first] + [s for s in question.speakers[1:] if last and surname(s) == last]


def _quotation_runs(hits: Iterator[ScoredSentence]) -> Iterator[list[ScoredSentence]]:
    """``hits`` in runs: consecutive sentences of one article that hold one attribution
    come together ("“There will be no new charges. I give you my word on that,” she said"
    is one statement, not two halves with one quotation mark each); every other hit alone."""
    run: list[ScoredSentence] = []
    for hit in hits:
        if run and _continues(run[-1].sentence, hit.sentence):
            run.append(hit)
            continue
        if run:
            yield run
        run = [hit]
    if run:
        yield run


def _continues(before, after) -> bool:
    """``after`` is the next sentence of ``before``'s article and shares an attribution with it."""
    return (after.article_id == before.article_id and after.n == before.n + 1
            and bool(set(before.attribution_ids) & set(after.attribution_ids)))


def _entity_words(speakers: list[Speaker]) -> list[set[str]]:
    """Per speaker, the folded words of all its names: a question's named entity is covered
    as a whole when a sentence names it by any of them."""
    return [{w.replace("'", "") for n in [s.name, *s.aliases] for w in words(n)} - {"the"} for s in speakers]


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


_THIRD_PERSON = frozenset({"he", "she", "they"})
_SINGULAR_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_PRONOUN_ONLY = re.compile(r"^(?:he|she|they|it|you|i|we|anyone|anybody|someone|somebody|people)$", re.I)


def _check_answers_plain(words_asked: str, verdict) -> bool:
    """The quote check answers an unquoted who-question: it found who said it (in these or
    other words), or a passage whose wording changes the meaning asked about. An "altered"
    verdict for wording alone ("fare rise" for "the rise") is no answer to words nobody quoted."""
    from bot.claims import meaning_change

    if not verdict.evidence or not verdict.speaker:
        return False
    if verdict.verdict in ("verbatim", "paraphrase") or verdict.stance != "asserted":
        return True  # a denial of the words asked about answers too: "No one is recorded saying this"
    return verdict.verdict == "altered" and any(meaning_change(words_asked, e.text) for e in verdict.evidence)


def _not_asserted_text(who: str, verdict) -> str:
    """A verdict whose evidence is a denial (or a statement not made) in words: "Joe Biden
    ruled this out: “sending U.S. troops to Ukraine” (cue: “ruling out”)"."""
    text = stance_phrase(who, verdict.stance, verdict.cue)
    if verdict.stated:
        text += f": “{verdict.stated}”"
    if verdict.cue:
        text += f" (cue: “{verdict.cue}”)"
    return text


def unread_dates_note(text: str) -> str | None:
    """The note for when-words of a question that could not be read as dates, if any."""
    unread = unread_dates(text)
    if not unread:
        return None
    return (f"Not read as dates: {', '.join(f'“{u}”' for u in unread)} (a month needs its year; relative "
            "dates and weekdays are not read), so they do not limit the answer.")


ROLE_NOTE_PEOPLE = 6  # people a role note names; "and N others" after them


def _dispute_text(dispute) -> str:
    """A report that disagrees with a verdict, as a sentence of the answer."""
    e = dispute.evidence
    where = f"{e.outlet or 'another report'}{f' ({e.date})' if e.date else ''}"
    return f"But {where}: {dispute.reason}."


def role_note(question: Question, index: SpeakerIndex) -> str | None:
    """Who a question's role stood for, in the articles' words: "“the mayor”: the indexed
    articles describe Dana Whitfield (Mayor) and Ilse Varga (Mayor) so; each statement
    names its speaker."; a speaker recorded under a description is that description ("the
    spokesperson for the council"), not the description twice."""
    if not question.role or not question.speakers:
        return None
    people = [speaker_phrase(s.name) if s.kind != "organisation" and names_no_one(s.name)
              else f"{s.name} ({text})" if (text := index.role_text(question.role, s) or s.role) else s.name
              for s in question.speakers[:ROLE_NOTE_PEOPLE]]
    if len(question.speakers) > ROLE_NOTE_PEOPLE:
        people.append(f"{len(question.speakers) - ROLE_NOTE_PEOPLE} others")
    return (f"“{question.role}”: the indexed articles describe {_join(people)} so; "
            "each statement names its speaker.")


def speaker_phrase(name: str | None) -> str | None:
    """A speaker's name as a sentence gives it: a description the articles never tie to a
    name is stored without its article ("mayor", from "The mayor said") and reads "the
    mayor"; names, and descriptions with their own determiner ("its chair"), as they are."""
    if not name or not name[:1].islower() or re.match(r"(the|a|an|its|his|her|their|our|my)\b", name):
        return name
    return f"the {name}"


def _names(speakers: list[Speaker], conjunction: str = "and") -> str:
    names = [s.name for s in speakers]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def _namesake_groups(speakers: list[Speaker]) -> list[list[Speaker]]:
    """The question's people who share a surname ("Whitfield": Dana and Tom Whitfield)."""
    groups: dict[str, list[Speaker]] = {}
    for s in speakers:
        if s.kind != "organisation" and (last := surname(s)):
            groups.setdefault(last, []).append(s)
    return [g for g in groups.values() if len(g) > 1]


# "when did she first say …", "when was it first reported …": earliest first
_FIRST = re.compile(r"\b(?:first|earliest|originally)\b", re.I)


_NUMBER_REASON = re.compile(r"^number: “(?P<a>[^”]+)” in one, “(?P<b>[^”]+)” in the other")


def _position_kinds(reasons: list[str]) -> str:
    """The kinds of a change of position, the figures of a changed number named earliest
    first: "number: “twelve”, then “sixteen”" (``meaning_change`` compares the earlier
    statement with the later one)."""
    kinds = change_kinds(reasons)
    m = next((m for r in reasons if (m := _NUMBER_REASON.match(r))), None)
    return kinds.replace("number", f"number: “{m['a']}”, then “{m['b']}”", 1) if m else kinds


def _when(hit: ScoredSentence) -> str:
    a = hit.article
    where = f" in {a.outlet}" if a.outlet else ""
    return f"Reported {('on ' + a.date) if a.date else '(date not recorded)'}{where}"
