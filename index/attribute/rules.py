"""One small rule per construction of reported speech, each returning a ``Candidate``.

Each rule looks at one cue token of a dependency-parsed sentence (spaCy) and says
whether the construction it knows is there, and if so where the source, the cue and
the content are. Written in the style of textacy's ``extract/triples.py``: typed
functions, one construction each, named by an example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan, Token

from index.attribute.context import ArticleContext, char_range, trim
from index.attribute.cues import (
    ACCORDING_TO,
    COMPLEMENT_VERBS,
    HEADLINE_SOURCE_BREAKS,
    NAMING_VERBS,
    OBJECT_PREPOSITIONS,
    OBJECT_VERBS,
    PREPOSITIONAL_CUES,
    RAISING_VERBS,
    SOURCE_DOCUMENTS,
    SPEECH_VERBS,
)

CLAUSE_DEPS = frozenset({"ccomp"})
INFINITIVE_DEPS = frozenset({"xcomp", "ccomp"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
CUE_MODIFIER_DEPS = frozenset({"aux", "auxpass", "neg"})
SOURCE_CUT_DEPS = frozenset({"relcl", "acl", "advcl"})
INHERIT_SUBJECT_DEPS = frozenset({"conj", "xcomp", "advcl"})
RAISING_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "acomp", "prep", "attr"})
CUE_MEDIA = frozenset(
    "statement interview email e-mail release post tweet letter speech op-ed column memo".split()
)
INFINITIVE_CUES = frozenset(
    """want wish plan intend refuse decline promise vow pledge threaten urge encourage
    hope expect ask order call""".split()
)


@dataclass
class Candidate:
    """One attribution found by a rule, in token and character terms.

    ``cue`` and ``source`` are token ranges ``[start, end)``; ``content`` character spans.
    """

    construction: str
    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: list[tuple[int, int]]
    kind: str
    source_head: int | None = None
    quote_ids: set[int] = field(default_factory=set)

    @property
    def content_end(self) -> int:
        return max(end for _, end in self.content)


# ---------------------------------------------------------------- shared helpers


def cue_range(verb: Token, extra: Token | None = None) -> tuple[int, int]:
    """The cue tokens: the verb with the auxiliaries, negation and adverbs right before
    it ("has also said", "later said"), a particle or preposition that belongs to it
    ("called for", "said of"), the medium ("said in a statement") and a colon ("said:")."""
    doc = verb.doc
    start = end = verb.i
    while start > 0:
        prev = doc[start - 1]
        if (
            prev.head.i == verb.i
            and prev.dep_ in CUE_MODIFIER_DEPS | {"advmod"}
            and not prev.is_punct
            and prev.tag_ != "WRB"  # "when asked": the cue is "asked"
        ):
            start -= 1
        else:
            break
    for child in verb.rights:
        if child.i != end + 1:
            continue
        if child.dep_ == "prt" or is_cue_adverbial(child):
            end = child.right_edge.i
        elif child.dep_ == "prep" and child.lower_ == "in":  # "said in a statement"
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects and objects[0].lemma_ in CUE_MEDIA:
                end = objects[0].right_edge.i
    if extra is not None and extra.i > end:
        end = extra.i
    if end + 1 < len(doc) and doc[end + 1].text == ":":
        end += 1
    return start, end + 1


def is_cue_adverbial(token: Token) -> bool:
    """An adverbial right after a cue verb that belongs to the cue: a time ("said
    Tuesday", "said earlier this week") or a manner ("said sarcastically", "said
    instead"), not the start of the content."""
    if token.dep_ == "npadvmod":
        return token.ent_type_ in ("DATE", "TIME")
    return token.dep_ == "advmod" and token.pos_ == "ADV" and token.tag_ != "WRB" and token.n_rights == 0


def find_subject(verb: Token) -> Token | None:
    """The speaker token of a cue verb: its subject, the agent of a passive, the
    antecedent of a relative pronoun, or the subject inherited from the verb it hangs on
    ("He smiled and said", "..., warning that", "she declined to say")."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
        if current.dep_ in INHERIT_SUBJECT_DEPS and current.head is not current:
            current = current.head
        elif current.dep_ == "relcl":
            return current.head
        else:
            return None
    return None


def noun_phrase(head: Token) -> tuple[int, int]:
    """Token range of a speaker's noun phrase: the head's subtree without relative
    clauses, participial modifiers or a time ("Trump on Tuesday"); an apposition keeps
    its closing comma ("Mike Huckabee, the former governor, said") as PolNeAR does."""
    doc = head.doc
    if head.tag_ in ("WP", "WDT"):
        return head.i, head.i + 1
    start, end = head.left_edge.i, head.right_edge.i
    for child in head.rights:
        if child.dep_ in SOURCE_CUT_DEPS or (child.dep_ == "prep" and _is_time(child)):
            end = min(end, child.left_edge.i - 1)
            break
    for child in head.lefts:
        if child.dep_ in ("relcl", "acl") or (child.dep_ == "punct" and not child.is_quote):
            start = max(start, child.i + 1)
    start = name_before_apposition(head, start)
    while end > start and (doc[end].is_punct or doc[end].is_space):
        if doc[end].text == ")" and "(" in doc[start:end].text:
            break
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    has_apposition = any(t.text == "," for t in doc[start:end])
    if has_apposition and end + 1 < len(doc) and doc[end + 1].text == ",":
        end += 1
    return start, end + 1


def _is_time(prep: Token) -> bool:
    """True for a prepositional phrase of time ("on Tuesday", "in 2015")."""
    return any(c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def name_before_apposition(head: Token, start: int) -> int:
    """Extend a description back over the name it stands in apposition to, when the parse
    missed the apposition: "Emily Horne, the White House spokesperson said"."""
    doc = head.doc
    if head.pos_ != "NOUN" or start < 2 or doc[start - 1].text != ",":
        return start
    name_end = doc[start - 2]
    if name_end.ent_type_ != "PERSON":
        return start
    first = name_end.i
    while first > 0 and doc[first - 1].ent_iob_ == "I" or (first > 0 and name_end.ent_iob_ == "I" and doc[first].ent_iob_ == "I"):
        first -= 1
    return first


def subtree_chars(ctx: ArticleContext, token: Token) -> tuple[int, int]:
    """Character range of a token's subtree, trimmed of edge punctuation."""
    start, end = char_range(token.left_edge, token.right_edge)
    return trim(ctx.text, start, end)


def quotes_overlapping(ctx: ArticleContext, start: int, end: int) -> list[int]:
    """Indices of the speech quotations overlapping ``[start, end)``."""
    return [i for i, q in enumerate(ctx.quotes) if q.start < end and start < q.end]


def covered_by_quotes(ctx: ArticleContext, start: int, end: int, ids: list[int]) -> bool:
    """True if the text of ``[start, end)`` outside the given quotations is only
    whitespace or punctuation (so the complement *is* the quotation)."""
    pos = start
    outside = []
    for i in sorted(ids, key=lambda i: ctx.quotes[i].start):
        q = ctx.quotes[i]
        outside.append(ctx.text[pos : max(pos, q.start)])
        pos = max(pos, q.end)
    outside.append(ctx.text[pos:end])
    return not any(ch.isalnum() for ch in "".join(outside))


def quote_spans(ctx: ArticleContext, ids: list[int]) -> list[tuple[int, int]]:
    """Character spans of the given quotations, in text order."""
    return [(ctx.quotes[i].start, ctx.quotes[i].end) for i in sorted(set(ids))]


def sentence_quotes(ctx: ArticleContext, sent: SpacySpan, cue: Token) -> list[int]:
    """Speech quotations that overlap the sentence and do not hold the cue."""
    own = ctx.quote_of[cue.i]
    return [i for i in quotes_overlapping(ctx, sent.start_char, sent.end_char) if i != own]


def make(
    construction: str,
    verb: Token,
    content: list[tuple[int, int]],
    kind: str,
    quote_ids: list[int] | None = None,
    cue: tuple[int, int] | None = None,
    subject: Token | None = None,
) -> Candidate | None:
    """Assemble a candidate from a cue verb (its subject is the source)."""
    cue = cue or cue_range(verb)
    cue_end = verb.doc[cue[1] - 1].idx + len(verb.doc[cue[1] - 1].text)
    cue_start = verb.doc[cue[0]].idx
    # an adverbial the cue took ("said Tuesday his plan ...") is no part of the content
    content = [
        trim(verb.doc.text, cue_end, e) if cue_start <= s < cue_end else (s, e) for s, e in content
    ]
    content = [(s, e) for s, e in content if e > s]
    if not content:
        return None
    head = subject if subject is not None else find_subject(verb)
    source = noun_phrase(head) if head is not None else None
    return Candidate(
        construction=construction,
        cue=cue,
        source=source,
        content=content,
        kind=kind,
        source_head=head.i if head is not None else None,
        quote_ids=set(quote_ids or []),
    )


# ---------------------------------------------------------------- the constructions


def clausal_complement(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A cue verb with a clausal complement, classified by where the quotation marks are.

    indirect: "Lavrov said Russia does not want war."
    direct, cue after: "“We don’t need this panic,” Zelenskiy told a news conference."
    direct, inverted cue: "“We are ready,” said Stoltenberg."
    mixed: "Blinken said the document “includes concerns of the United States.”"
    """
    comps = [c for c in verb.children if c.dep_ in CLAUSE_DEPS] or embedded_question(verb)
    if not comps:
        return None
    comp = comps[0]
    start, end = subtree_chars(ctx, comp)
    ids = quotes_overlapping(ctx, start, end)
    if ids and covered_by_quotes(ctx, start, end, ids):
        ids = sorted(set(ids) | set(sentence_quotes(ctx, sent, verb)))
        return make("quote_with_cue", verb, quote_spans(ctx, ids), "direct", ids)
    if ids:
        # the complement may end inside a quotation that runs on: take the whole quotation
        end = max(end, max(ctx.quotes[i].end for i in ids))
        start = min(start, min(ctx.quotes[i].start for i in ids))
        return make("mixed_quote", verb, [(start, end)], "mixed", ids)
    return make("indirect_speech", verb, [(start, end)], "indirect")


def embedded_question(verb: Token) -> list[Token]:
    """The clause of a reported yes/no question, which the parser often hangs on a speech
    verb as an adverbial clause: "She asked [whether the bridge would reopen]"."""
    if verb.lemma_ not in SPEECH_VERBS:
        return []
    return [
        c for c in verb.rights
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)
    ]


def quote_beside_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb with no complement next to a quotation in its sentence.

    "“The economy,” he said, “is weak.”" / "He told reporters: “We will win.”"
    """
    if verb.lemma_ not in SPEECH_VERBS:
        return None
    ids = sentence_quotes(ctx, sent, verb)
    if not ids:
        return None
    return make("quote_beside_cue", verb, quote_spans(ctx, ids), "direct", ids)


def parenthetical_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb inserted into the clause it reports.

    "The economy, the minister said, is weak." / "The economy is weak, the minister said."
    """
    if verb.lemma_ not in SPEECH_VERBS or verb.dep_ != "parataxis":
        return None
    if find_subject(verb) is None:  # "(report 5)": a verb-tagged noun with no speaker
        return None
    inner_start, inner_end = char_range(verb.left_edge, verb.right_edge)
    spans = [
        trim(ctx.text, sent.start_char, inner_start),
        trim(ctx.text, inner_end, sent.end_char),
    ]
    return make("parenthetical_cue", verb, [s for s in spans if s[1] - s[0] > 1], "indirect")


def infinitival_complement(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb of wanting, urging or promising with an infinitive.

    "The senator vowed to block the bill." / "She urged Congress to act."
    """
    if verb.lemma_ not in INFINITIVE_CUES:
        return None
    comps = [c for c in verb.children if c.dep_ in INFINITIVE_DEPS and c.i > verb.i]
    if not comps:
        return None
    comp = comps[0]
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i < comp.i]
    first = objects[0].left_edge if objects else comp.left_edge
    start, end = trim(ctx.text, *char_range(first, comp.right_edge))
    ids = quotes_overlapping(ctx, start, end)
    return make("infinitival_complement", verb, [(start, end)], "mixed" if ids else "indirect", ids)


def prepositional_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb + preposition cue whose object is the content.

    "Putin called for de-escalation." / "The mayor warned of a crisis."
    """
    preps = PREPOSITIONAL_CUES.get(verb.lemma_)
    if not preps:
        return None
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in preps:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if not objects:
                return None
            start, end = subtree_chars(ctx, objects[0])
            ids = quotes_overlapping(ctx, start, end)
            kind = "mixed" if ids else "indirect"
            return make("prepositional_cue", verb, [(start, end)], kind, ids, cue_range(verb, child))
    return None


def colon_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb ending its sentence with a colon; the quotation follows.

    "The minister said:" followed by "“We will not give in.”"
    """
    if verb.lemma_ not in SPEECH_VERBS or not sent.text.rstrip().endswith(":"):
        return None
    following = [i for i, q in enumerate(ctx.quotes) if q.start >= sent.end_char]
    if not following:
        return None
    quote = ctx.quotes[following[0]]
    if ctx.text[sent.end_char : quote.start].strip():
        return None
    return make("colon_cue", verb, [(quote.start, quote.end)], "direct", [following[0]])


def naming_verb(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb of naming: the object and what it is called.

    "The senator called the ruling “a disgrace.”"
    """
    if verb.lemma_ not in NAMING_VERBS or find_subject(verb) is None:
        return None
    objects = [c for c in verb.rights if c.dep_ == "dobj"]
    if not objects:
        return None
    complements = [
        c for c in verb.rights if c.dep_ in ("oprd", "xcomp", "ccomp", "acomp") and c.i > objects[0].i
    ]
    last = complements[0] if complements else objects[0]
    if not complements and not ctx.in_quote(objects[0].right_edge):
        return None
    start, end = trim(ctx.text, *char_range(objects[0].left_edge, last.right_edge))
    ids = quotes_overlapping(ctx, start, end)
    return make("naming_verb", verb, [(start, end)], "mixed" if ids else "indirect", ids)


def object_content(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb of evaluating, backing or announcing whose object is what is reported.

    "The senator described the plan as reckless." / "She accused the mayor of lying."
    """
    if verb.lemma_ not in OBJECT_VERBS or find_subject(verb) is None:
        return None
    # "Residents gathered to discuss the harbour": a purpose clause reports an intention
    # to talk about a topic, not a statement (the subject belongs to "gathered").
    if verb.dep_ in ("advcl", "xcomp", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.lefts):
        return None
    objects = [c for c in verb.rights if c.dep_ == "dobj"]
    if not objects:
        return None
    last = objects[0].right_edge
    for child in verb.rights:
        if child.i > last.i and child.dep_ == "prep" and child.lower_ in OBJECT_PREPOSITIONS:
            last = child.right_edge
    start, end = trim(ctx.text, *char_range(objects[0].left_edge, last))
    ids = quotes_overlapping(ctx, start, end)
    return make("object_content", verb, [(start, end)], "mixed" if ids else "indirect", ids)


def raising_verb(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb of seeming: an impression reported without a source; the content is the
    subject with its complement (Pareti's "evidential" cues, PARC 3.0).

    "The mayor seemed to be losing patience." / "It appears that the vote was close."
    """
    if verb.lemma_ not in RAISING_VERBS:
        return None
    comps = [c for c in verb.rights if c.dep_ in RAISING_COMPLEMENT_DEPS]
    if not comps:
        return None
    comp = comps[0]
    if comp.dep_ == "prep" and comp.lower_ not in ("like", "as"):
        return None
    if comp.dep_ == "xcomp" and is_cue_verb(comp):  # "seemed to imply that ...": the inner cue
        return None
    spans = [subtree_chars(ctx, comp) if comp.dep_ != "prep" else trim(ctx.text, *char_range(comp, comp.right_edge))]
    subjects = [c for c in verb.lefts if c.dep_ in SUBJECT_DEPS]
    cue = cue_range(verb)
    if subjects and subjects[0].lower_ == "it":  # "it seems that ...": the pronoun is part of the cue
        cue = (subjects[0].i, cue[1])
    elif subjects and comp.dep_ != "ccomp" and subjects[0].lower_ != "there":
        spans.insert(0, subtree_chars(ctx, subjects[0]))
    ids = quotes_overlapping(ctx, spans[0][0], spans[-1][1])
    candidate = make("raising_verb", verb, spans, "mixed" if ids else "indirect", ids, cue)
    if candidate is not None:
        candidate.source, candidate.source_head = None, None
    return candidate


def headline_colon(ctx: ArticleContext, sent: SpacySpan) -> Candidate | None:
    """A short name before a colon introduces what that person said (headline style).

    "Kovec: the bridge will reopen in May" / "Kovec to voters: we will not raise taxes"
    """
    colon = next((t for t in sent[:8] if t.text == ":"), None)
    if colon is None or colon.i == sent.start or ctx.in_quote(colon):
        return None
    before = sent.doc[sent.start : colon.i]
    source_end = next((t.i for t in before if t.lower_ in HEADLINE_SOURCE_BREAKS), colon.i)
    source = sent.doc[sent.start : source_end]
    if any(t.pos_ in ("VERB", "AUX", "PRON", "DET", "NUM") for t in source) or not all(
        t.pos_ in ("PROPN", "NOUN", "PUNCT") or t.is_title for t in source
    ):
        return None
    start, end = trim(ctx.text, colon.idx + 1, sent.end_char)
    if source_end == sent.start or len(ctx.text[start:end].split()) < 3:
        return None
    ids = quotes_overlapping(ctx, start, end)
    return Candidate(
        construction="headline_colon",
        cue=(colon.i, colon.i + 1),
        source=(sent.start, source_end),
        content=[(start, end)],
        kind="direct" if ids and covered_by_quotes(ctx, start, end, ids) else "indirect",
        source_head=source_end - 1,
        quote_ids=set(ids),
    )


def name_colon_quote(ctx: ArticleContext, colon: Token, sent: SpacySpan) -> Candidate | None:
    """A named source, a colon, and a quotation (the columnist's and transcript style).

    "More from the pollster Ana Kovec: “The late deciders broke for the challenger.”"
    """
    doc = colon.doc
    if colon.text != ":" or colon.i == 0 or ctx.in_quote(colon) or colon.i + 1 >= len(doc):
        return None
    qid = ctx.quote_of[colon.i + 1]
    if qid < 0 or ctx.quotes[qid].start != doc[colon.i + 1].idx:
        return None
    last = doc[colon.i - 1]
    if last.ent_type_ not in ("PERSON", "ORG") or last.ent_iob_ == "" or last.i < sent.start:
        return None
    first = last.i
    while first > sent.start and doc[first].ent_iob_ == "I":
        first -= 1
    quote = ctx.quotes[qid]
    return Candidate(
        construction="name_colon_quote",
        cue=(colon.i, colon.i + 1),
        source=(first, last.i + 1),
        content=[(quote.start, quote.end)],
        kind="direct",
        source_head=last.i,
        quote_ids={qid},
    )


def in_source_phrase(ctx: ArticleContext, token: Token, sent: SpacySpan) -> Candidate | None:
    """A clause framed by the document or survey it comes from; the rest of the clause
    is the content and the document is the source.

    "In a Harbour Post poll released Monday, 52 percent backed the tunnel."
    """
    if token.lower_ != "in" or token.dep_ != "prep" or token.head.pos_ not in ("VERB", "AUX"):
        return None
    after = token.right_edge.i + 1
    if token.i != sent.start or after >= len(token.doc) or token.doc[after].text != ",":
        return None
    if is_cue_verb(token.head):  # "In a statement, the mayor said ...": the verb is the cue
        return None
    objects = [c for c in token.children if c.dep_ == "pobj" and c.lemma_.lower() in SOURCE_DOCUMENTS]
    if not objects or any(t.is_punct and t.text != "," for t in token.subtree):
        return None
    source = (objects[0].left_edge.i, objects[0].right_edge.i + 1)  # "a poll released Monday"
    clause = token.head
    phrase_start, phrase_end = char_range(token, token.right_edge)
    clause_start, clause_end = subtree_chars(ctx, clause)
    spans = [trim(ctx.text, clause_start, phrase_start), trim(ctx.text, phrase_end, clause_end)]
    spans = [s for s in spans if len(ctx.text[s[0] : s[1]].split()) >= 3]
    if not spans:
        return None
    ids = quotes_overlapping(ctx, spans[0][0], spans[-1][1])
    return Candidate(
        construction="in_source_phrase",
        cue=(token.i, token.i + 1),
        source=source,
        content=spans,
        kind="mixed" if ids else "indirect",
        source_head=objects[0].i,
        quote_ids=set(ids),
    )


def according_to(ctx: ArticleContext, token: Token, sent: SpacySpan) -> Candidate | None:
    """The prepositional attribution "according to X"; the rest of the clause is content.

    "The economy is weak, according to the central bank."
    """
    if token.lower_ != ACCORDING_TO[0] or token.i + 1 >= len(token.doc):
        return None
    to = token.doc[token.i + 1]
    if to.lower_ != ACCORDING_TO[1]:
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    source = noun_phrase(objects[0])
    phrase_start = token.idx
    phrase_end = token.doc[source[1] - 1].idx + len(token.doc[source[1] - 1].text)
    spans = [
        trim(ctx.text, sent.start_char, phrase_start),
        trim(ctx.text, phrase_end, sent.end_char),
    ]
    spans = [s for s in spans if ctx.text[s[0] : s[1]].count(" ") >= 2]
    if not spans:
        return None
    ids = quotes_overlapping(ctx, min(s for s, _ in spans), max(e for _, e in spans))
    kind = "mixed" if ids else "indirect"
    return Candidate(
        construction="according_to",
        cue=(token.i, token.i + 2),
        source=source,
        content=spans,
        kind=kind,
        source_head=objects[0].i,
        quote_ids=set(ids),
    )


VERB_RULES = (
    raising_verb,
    clausal_complement,
    prepositional_cue,
    infinitival_complement,
    parenthetical_cue,
    quote_beside_cue,
    colon_cue,
    naming_verb,
    object_content,
)


def is_cue_verb(token: Token) -> bool:
    """True for a verb of the cue lexicon (not an auxiliary, not a noun)."""
    return token.pos_ == "VERB" and (
        token.lemma_ in SPEECH_VERBS
        or token.lemma_ in COMPLEMENT_VERBS
        or token.lemma_ in PREPOSITIONAL_CUES
        or token.lemma_ in OBJECT_VERBS
        or token.lemma_ in NAMING_VERBS
        or token.lemma_ in RAISING_VERBS
    )


def sentence_candidates(ctx: ArticleContext, sent: SpacySpan) -> list[Candidate]:
    """Every candidate attribution whose cue is in ``sent`` (first matching rule wins)."""
    found: list[Candidate] = []
    headline = headline_colon(ctx, sent)
    if headline is not None:
        found.append(headline)
    for token in sent:
        if ctx.in_quote(token):
            continue
        if token.text == ":" and headline is None:
            candidate = name_colon_quote(ctx, token, sent)
            if candidate:
                found.append(candidate)
            continue
        if token.lower_ == "in" and token.dep_ == "prep":
            candidate = in_source_phrase(ctx, token, sent)
            if candidate:
                found.append(candidate)
            continue
        if token.lower_ == ACCORDING_TO[0]:
            candidate = according_to(ctx, token, sent)
            if candidate:
                found.append(candidate)
            continue
        if not is_cue_verb(token):
            continue
        for rule in VERB_RULES:
            candidate = rule(ctx, token, sent)
            if candidate is not None:
                if token.lemma_ not in SPEECH_VERBS and candidate.construction in (
                    "quote_with_cue", "quote_beside_cue", "parenthetical_cue", "colon_cue"
                ):
                    break
                found.append(candidate)
                break
    return found
