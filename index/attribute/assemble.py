"""From rule candidates to the article's attribution set.

Three article-level steps that no single-sentence rule can take:

* nested attributions: a cue inside another attribution's content is reported speech
  within reported speech ("A French official said that Putin called for calm"); the
  outer speaker is the one the article vouches for, so the inner one is dropped;
* one quotation, one speaker: when two cues claim the same quotation the nearer wins;
* quotes that run on: a quotation right after an attributed one, with no cue of its
  own, continues the same speaker's statement, across sentences and paragraphs; and a
  paragraph's unclosed quotation belongs to whoever the next paragraph's quotation is
  attributed to.
"""

from __future__ import annotations

from index.attribute.context import ArticleContext
from index.attribute.rules import Candidate


def _cue_chars(ctx: ArticleContext, cand: Candidate) -> tuple[int, int]:
    first, last = ctx.doc[cand.cue[0]], ctx.doc[cand.cue[1] - 1]
    return first.idx, last.idx + len(last.text)


def drop_nested(ctx: ArticleContext, cands: list[Candidate]) -> list[Candidate]:
    """Remove candidates whose cue lies inside another candidate's content.

    One pass over the content spans sorted by start, keeping the two furthest-reaching
    spans of different candidates seen so far: linear-logarithmic, where comparing every
    pair was quadratic in the article's length."""
    from bisect import bisect_right

    spans = sorted((s, e, n) for n, cand in enumerate(cands) for s, e in cand.content)
    starts = [s for s, _, _ in spans]
    reach: list[tuple[tuple[int, int], ...]] = []  # per span: the two furthest (end, owner) so far
    top: dict[int, int] = {}
    for _, e, n in spans:
        top[n] = max(top.get(n, e), e)
        top = dict(sorted(top.items(), key=lambda item: -item[1])[:2])
        reach.append(tuple((end, owner) for owner, end in top.items()))
    kept = []
    for n, cand in enumerate(cands):
        cs, ce = _cue_chars(ctx, cand)
        i = bisect_right(starts, cs) - 1
        if i < 0 or not any(end >= ce and owner != n for end, owner in reach[i]):
            kept.append(cand)
    return kept


# "Asked whether …", "Pressed on …", "Questioned about …": the reporter's question put to
# the main clause's subject, said by no one in the story
QUESTION_PARTICIPLES = frozenset({"ask", "press", "question", "quiz", "challenge"})


def drop_reporters_questions(ctx: ArticleContext, cands: list[Candidate]) -> list[Candidate]:
    """Remove candidates whose cue is a subjectless past participle opening an adverbial
    clause of asking: in "Asked whether the town had ignored warnings, Mayor Ida Venn said
    the council had acted", the question is the reporter's (no attribution); Venn's answer
    is the attribution, found by the main clause's cue."""
    kept = []
    for cand in cands:
        cue = ctx.doc[cand.cue[0]]
        asked = (cue.tag_ == "VBN" and cue.dep_ == "advcl" and cue.lemma_.lower() in QUESTION_PARTICIPLES
                 and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children))
        if not asked:
            kept.append(cand)
    return kept


def one_speaker_per_quote(ctx: ArticleContext, cands: list[Candidate]) -> list[Candidate]:
    """When several candidates claim one quotation, the one whose cue is nearest keeps it;
    the others lose that quotation (and are dropped if nothing is left)."""
    owner: dict[int, tuple[int, int]] = {}
    for n, cand in enumerate(cands):
        cs, ce = _cue_chars(ctx, cand)
        for qid in cand.quote_ids:
            q = ctx.quotes[qid]
            distance = min(abs(cs - q.end), abs(q.start - ce))
            if qid not in owner or distance < owner[qid][1]:
                owner[qid] = (n, distance)
    kept = []
    for n, cand in enumerate(cands):
        lost = {qid for qid in cand.quote_ids if owner[qid][0] != n}
        if lost and cand.kind == "direct":
            lost_spans = {(ctx.quotes[q].start, ctx.quotes[q].end) for q in lost}
            cand.content = [s for s in cand.content if s not in lost_spans]
            cand.quote_ids -= lost
        if cand.content:
            kept.append(cand)
    return kept


def _gap_is_blank(text: str, start: int, end: int) -> bool:
    return not any(ch.isalnum() for ch in text[start:end])


def continue_quotes(
    ctx: ArticleContext, cands: list[Candidate], sentence_ends: list[int]
) -> list[Candidate]:
    """Attach unclaimed quotations that directly follow an attribution to it.

    "“If it depends on Russia, there will be no war,” Lavrov said. “But we won’t allow
    our interests to be trampled.”" — the second quotation is Lavrov's too.
    ``sentence_ends`` are the end offsets of the article's sentences, in order.
    """
    claimed = {qid for cand in cands for qid in cand.quote_ids}
    cands = sorted(cands, key=lambda c: c.cue[0])
    for n, cand in enumerate(cands):
        if cand.kind == "indirect" and not cand.quote_ids:
            continue
        next_cue = cands[n + 1].cue[0] if n + 1 < len(cands) else len(ctx.doc)
        next_cue_char = ctx.doc[next_cue].idx if next_cue < len(ctx.doc) else len(ctx.text)
        cue_end = _cue_chars(ctx, cand)[1]
        pos = max(cand.content_end, cue_end)
        pos = next((e for e in sentence_ends if e >= pos), pos)
        for qid, quote in enumerate(ctx.quotes):
            if quote.start < pos or qid in claimed:
                continue
            if quote.start >= next_cue_char or not _gap_is_blank(ctx.text, pos, quote.start):
                break
            cand.content.append((quote.start, quote.end))
            cand.quote_ids.add(qid)
            claimed.add(qid)
            pos = next((e for e in sentence_ends if e >= quote.end), quote.end)
    return cands


def open_paragraph_quotes(ctx: ArticleContext, cands: list[Candidate]) -> list[Candidate]:
    """Attach a paragraph's unclosed quotation to the attribution of the quotation that
    reopens in the next paragraph (the newsroom convention for a quote over several
    paragraphs, attributed at its end):

        "We looked at every option. We could not find a safe venue.
        "I am heartbroken, but this is the right call," Brook said.

    Both paragraphs are Brook's. Runs backwards, so a chain of unclosed paragraphs all
    reach the attribution that closes it."""
    owner = {qid: cand for cand in cands for qid in cand.quote_ids}
    for qid in range(len(ctx.quotes) - 2, -1, -1):
        quote, after = ctx.quotes[qid], ctx.quotes[qid + 1]
        if quote.closed or qid in owner or qid + 1 not in owner:
            continue
        if "\n" not in ctx.text[quote.end : after.start] or not _gap_is_blank(ctx.text, quote.end, after.start):
            continue
        if ctx.text[quote.start] != ctx.text[after.start]:
            continue  # a quotation continues with the mark it opened with; another is another quote
        cand = owner[qid + 1]
        cand.content.append((quote.start, quote.end))
        cand.quote_ids.add(qid)
        owner[qid] = cand
    return cands


def drop_in_furniture(ctx: ArticleContext, cands: list[Candidate]) -> list[Candidate]:
    """Page furniture is no part of an attribution: drop its cues and content spans."""
    if not ctx.furniture:
        return cands
    kept = []
    for cand in cands:
        cs, ce = _cue_chars(ctx, cand)
        if any(cs < f.end and f.start < ce for f in ctx.furniture):
            continue
        cand.content = [
            (s, e) for s, e in cand.content
            if not any(s < f.end and f.start < e for f in ctx.furniture)
        ]
        if cand.content:
            kept.append(cand)
    return kept
