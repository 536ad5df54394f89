"""Attribution extraction: who said (or thinks) what, in one parsed article.

Rule-based, over spaCy's dependency parse, with no extra model pass. The pipeline:

1. ``quotes``: quotation spans at the character level (multi-sentence and
   multi-paragraph quotes stay whole);
2. ``rules``: one function per construction of reported speech, fired on cue words
   from a hand-written lexicon (``cues``): direct quotes with normal and inverted cues,
   indirect speech, mixed quotes, parenthetical cues, "according to X", verb +
   preposition cues ("called for"), colon-introduced quotes, "as X noted" clauses,
   light-verb cues ("made it clear", "took aim at", "as X put it"), attitude adjectives
   ("is sceptical about"), passive cues with no agent and passive judgements ("is seen
   as"), evidential adverbs ("reportedly"), one-word answers ("said yes"), naming verbs
   with fronted objects ("which X called ..."), any verb framing a quotation with its
   subject alone ("“...,” X barked"), transcript speaker labels, and headlines in title
   case or sentence case ("Kovec blasts ferry plan", the cue verb parsed as a noun);
   Each candidate gets a stance from its cue (``rules.cue_stance``: asserted, denied
   — "denied that", "ruled out" — or negated — "did not say that"); refusals to speak
   ("declined to comment", "would not say whether") are not attributions at all;
3. ``assemble``: nested attributions (outer speaker wins), one speaker per quotation,
   quotations that run on keep their speaker, furniture excluded;
4. ``speakers``: source mentions (names, pronouns, descriptions, organisations)
   resolved to the article's people, with roles.

Literature: Pareti (2016), PARC 3.0, the attribution relation as source-cue-content;
O'Keefe et al. (2012), "A sequence labelling approach to quote attribution" (the
rule baselines for direct quotes and their speakers); Newell, Margolin & Ruths (2018),
PolNeAR; Newell et al. / BBC citron (2021), source/cue/content spans and metrics;
Asr et al. (2021), the GenderGapTracker's syntactic quote rules and speaker matching;
Krestel, Bergler & Witte (2008), reporting verbs and their argument patterns.
"""

from __future__ import annotations

from spacy.tokens import Doc

from index.attribute.assemble import (
    continue_quotes,
    drop_in_furniture,
    drop_nested,
    drop_reporters_questions,
    one_speaker_per_quote,
    open_paragraph_quotes,
)
from index.attribute.context import ArticleContext, build_context
from index.attribute.rules import Candidate, sentence_candidates
from index.attribute.speakers import ArticleSpeakers, Person, Resolved, slugify
from index.models import Article, Attribution, ExtractionResult, Sentence, Span, Speaker

__all__ = ["extract"]


def _candidates(ctx: ArticleContext) -> list[Candidate]:
    found: list[Candidate] = []
    for sent in ctx.doc.sents:
        if ctx.is_furniture(sent):
            continue
        found.extend(sentence_candidates(ctx, sent))
    # after drop_nested: a cue inside the reporter's question goes with it
    found = drop_reporters_questions(ctx, drop_nested(ctx, found))
    found = one_speaker_per_quote(ctx, found)
    return drop_in_furniture(ctx, found)


def _token_span(article: Article, doc: Doc, rng: tuple[int, int] | None) -> Span | None:
    if rng is None or rng[1] <= rng[0]:
        return None
    first, last = doc[rng[0]], doc[rng[1] - 1]
    return Span.of(article.text, first.idx, last.idx + len(last.text))


def _sentence_ids(content: list[Span], sentences: list[Sentence], ends: list[int]) -> list[str]:
    """The ids of the sentences the content spans overlap, in article order (``sentences``
    are in article order and do not overlap, ``ends`` their ends: each span is found by
    bisection, not by a scan of the whole article)."""
    from bisect import bisect_right

    hit: set[int] = set()
    for c in content:
        i = bisect_right(ends, c.start)  # the first sentence ending after the span starts
        while i < len(sentences) and sentences[i].start < c.end:
            hit.add(i)
            i += 1
    return [sentences[i].id for i in sorted(hit)]


def _speaker_record(records: dict[str, Speaker], resolved: Resolved,
                    people: dict[str, list[Person]]) -> str | None:
    """Add (or update) the Speaker record of a resolved source; return its id. ``people``
    collects the article's persons behind each record (their gender evidence is read once
    the whole article has been seen)."""
    if not resolved.name:
        return None
    speaker_id = slugify(resolved.name)
    record = records.get(speaker_id)
    if record is None:
        kind = resolved.kind if resolved.kind in ("person", "organisation") else "unknown"
        record = Speaker(id=speaker_id, name=resolved.name, role=resolved.role, kind=kind)
        if resolved.person is not None:
            record.aliases = list(resolved.person.aliases)
        records[speaker_id] = record
    surface = resolved.surface
    # a person's alias is a name: "the minister" (a description) would let questions and
    # other articles' speaker linking take any minister for this one
    named = record.kind != "person" or any(ch.isupper() for ch in surface or "")
    if surface and surface != record.name and surface not in record.aliases and len(surface) > 3 and named:
        record.aliases.append(surface)
    if resolved.role and not record.role:
        record.role = resolved.role
    if resolved.person is not None and all(p is not resolved.person for p in people.setdefault(speaker_id, [])):
        people[speaker_id].append(resolved.person)
    return speaker_id


def extract(doc: Doc, article: Article, sentences: list[Sentence]) -> ExtractionResult:
    """Extract the attributions of a parsed article (``doc`` is the whole article text).

    Every span slices back to ``article.text``; ids are ``<article_id>:a<n>``.
    """
    ctx = build_context(doc, article)
    candidates = open_paragraph_quotes(ctx, continue_quotes(ctx, _candidates(ctx), [s.end for s in sentences]))
    people = ArticleSpeakers(doc, article.furniture)
    records: dict[str, Speaker] = {}
    persons: dict[str, list[Person]] = {}
    attributions: list[Attribution] = []
    sentence_ends = [s.end for s in sentences]
    for cand in sorted(candidates, key=lambda c: c.cue[0]):
        content = [Span.of(article.text, s, e) for s, e in sorted(cand.content)]
        source = _token_span(article, doc, cand.source)
        resolved = (
            people.resolve(cand.source[0], cand.source[1], cand.source_head)
            if cand.source else Resolved(None, "unknown", "")
        )
        if source is not None:
            people.note_speaker(source.start, resolved)
        speaker_id = _speaker_record(records, resolved, persons)
        attributions.append(
            Attribution(
                id=f"{article.id}:a{len(attributions)}",
                article_id=article.id,
                speaker=resolved.name,
                speaker_id=speaker_id,
                source=source,
                cue=_token_span(article, doc, cand.cue),
                content=content,
                kind=cand.kind,  # type: ignore[arg-type]
                sentence_ids=_sentence_ids(content, sentences, sentence_ends),
                stance=cand.stance,  # type: ignore[arg-type]
            )
        )
    for speaker_id, found in persons.items():
        records[speaker_id].genders = sorted(set().union(*(p.genders for p in found)))
    return ExtractionResult(attributions=attributions, speakers=list(records.values()))
