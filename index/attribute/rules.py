"""One small rule per construction of reported speech, each returning a ``Candidate``.

Each rule looks at one cue token of a dependency-parsed sentence (spaCy) and says
whether the construction it knows is there, and if so where the source, the cue and
the content are. Written in the style of textacy's ``extract/triples.py``: typed
functions, one construction each, named by an example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan, Token

from index.attribute.context import ArticleContext, char_range, ents_within, is_word_hyphen, trim
from index.attribute.cues import (
    ACCORDING_TO,
    ANSWER_WORDS,
    ASPECT_VERBS,
    ATTITUDE_ADJECTIVES,
    AUDIENCE_NOUNS,
    COMPLEMENT_VERBS,
    DESCRIBING_VERBS,
    EVIDENTIAL_ADVERBS,
    HEADLINE_SOURCE_BREAKS,
    ISSUING_VERBS,
    LIGHT_NOUN_PREPOSITIONS,
    LIGHT_VERB_NOUNS,
    LIGHT_VERB_PARTNERS,
    MANNER_NOUNS,
    NAMING_VERBS,
    OBJECT_PREPOSITIONS,
    OBJECT_VERBS,
    PERCEPTION_VERBS,
    PHRASAL_SPEECH_VERBS,
    PLATFORM_NOUNS,
    PREPOSITIONAL_CUES,
    QUESTION_WORDS,
    RAISING_VERBS,
    REPORTER_DOCUMENTS,
    REFUSAL_VERBS,
    REPUTATION_VERBS,
    SECTION_LABELS,
    SELF_REFERENCE_NOUNS,
    SOURCE_DOCUMENTS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    TEMPORAL_AS_VERBS,
    WITHHELD_SPEECH_VERBS,
    WRITING_VERBS,
)
from index.attribute.speakers import names_a_post, role_before_name
from index.speakers import ORGANISATION_WORDS
from index.stance import DENIAL_CUES, PHRASAL_DENIAL_CUES

CLAUSE_DEPS = frozenset({"ccomp"})
INFINITIVE_DEPS = frozenset({"xcomp", "ccomp"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
CUE_MODIFIER_DEPS = frozenset({"aux", "auxpass", "neg"})
SOURCE_CUT_DEPS = frozenset({"relcl", "acl", "advcl"})
INHERIT_SUBJECT_DEPS = frozenset({"conj", "xcomp", "advcl", "acomp"})
RAISING_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "acomp", "prep", "attr", "oprd"})
# A headline is short; an -s word in these roles is a plural noun, not a cue verb; the
# words before a headline's cue verb are a noun phrase.
HEADLINE_MAX_TOKENS = 25
HEADLINE_NOUN_DEPS = frozenset({"nsubj", "nsubjpass", "compound", "poss", "pobj"})
HEADLINE_SOURCE_POS = frozenset({"PROPN", "NOUN", "PUNCT", "ADJ", "PART", "DET", "NUM"})
# Adverbs that link a sentence to the one before; they are no part of the cue.
DISCOURSE_ADVERBS = frozenset({"however", "so", "further", "thus", "therefore", "instead", "meanwhile"})
INFINITIVE_CUES = frozenset(
    """want wish plan intend refuse decline promise vow pledge threaten urge encourage
    hope hop expect ask order call tell warn remind advise instruct challenge press push seek
    agree claim prefer""".split()
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
    stance: str = "asserted"  # asserted | denied | negated (see ``cue_stance``)

    @property
    def content_end(self) -> int:
        return max(end for _, end in self.content)


# ---------------------------------------------------------------- shared helpers


def cue_range(verb: Token, extra: Token | None = None) -> tuple[int, int]:
    """The cue tokens: the verb with the auxiliaries, negation and adverbs right before
    it ("has also said", "later said"), a particle or preposition that belongs to it
    ("called for") and a colon ("said:"); not the medium ("said in a statement"), which
    PolNeAR's annotators mostly leave out of the cue."""
    start, end = own_cue_range(verb, extra)
    lead = aspect_lead(verb) or issuing_lead(verb)
    if lead is not None:  # "went on to say", "issued a statement saying": the cue runs from the lead
        start = own_cue_range(lead)[0]
    return start, end


def own_cue_range(verb: Token, extra: Token | None = None) -> tuple[int, int]:
    """The cue tokens of ``verb`` alone (see ``cue_range``)."""
    doc = verb.doc
    start = end = verb.i
    while start > 0:
        prev = doc[start - 1]
        if (
            prev.head.i == verb.i
            and prev.dep_ in CUE_MODIFIER_DEPS | {"advmod"}
            and not prev.is_punct
            and prev.tag_ != "WRB"  # "when asked": the cue is "asked"
            and prev.lower_ not in DISCOURSE_ADVERBS  # "however said": the cue is "said"
        ):
            start -= 1
        else:
            break
    for child in verb.rights:
        if child.i != end + 1:
            continue
        if child.dep_ == "prt" or is_cue_adverbial(child):
            end = child.right_edge.i
    if extra is not None and extra.i > end:
        end = extra.i
    end = statement_medium_end(verb, end)
    if end + 1 < len(doc) and doc[end + 1].text == ":":
        end += 1
    return start, end + 1


def statement_medium_end(verb: Token, end: int) -> int:
    """The last cue token when the medium that is the speech act itself follows a speech
    verb: "in a statement" ("Kovec said in a statement that the ferry would close" ->
    "said in a statement") and, for verbs of writing, the platform ("wrote on Twitter").
    Other media ("in an interview", "said on Twitter") stay out, as PolNeAR's annotators
    mostly leave them out."""
    doc = verb.doc
    if end + 1 >= len(doc) or not is_speech_verb(verb):
        return end
    prep = doc[end + 1]
    if prep.head.i != verb.i:
        return end
    if prep.lower_ == "in":
        media = STATEMENT_NOUNS
    elif prep.lower_ == "on" and verb.lemma_ in WRITING_VERBS:
        media = PLATFORM_NOUNS
    else:
        return end
    nouns = [c for c in prep.children if c.dep_ == "pobj" and c.lemma_.lower() in media]
    if not nouns or nouns[0].right_edge.i != nouns[0].i:  # "in a statement released by ...": no
        return end
    return nouns[0].i


def issuing_lead(verb: Token) -> Token | None:
    """The verb that put out the statement a gerund cue describes, when the cue runs from
    it: "The ferry company issued a statement saying the crossing was safe" -> the cue is
    "issued a statement saying" and the company is the source."""
    if verb.tag_ != "VBG":
        return None
    if verb.dep_ == "acl" and verb.head.dep_ == "dobj" and verb.head.lemma_.lower() in STATEMENT_NOUNS:
        issuer = verb.head.head
    elif verb.dep_ in ("advcl", "xcomp"):
        issuer = verb.head
    else:
        return None
    if issuer.lemma_ not in ISSUING_VERBS or issuer.i > verb.i:
        return None
    statements = [c for c in issuer.children if c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS]
    return issuer if statements else None


def aspect_lead(verb: Token) -> Token | None:
    """The word a cue verb is the infinitive of, when the cue runs from it: a verb of
    phase, habit or seeming ("goes on to say", "began to see", "appeared to imply") or
    the copula of an adjective ("was quick to point out", "are more likely to say").
    Verbs that make their own cue with an infinitive ("vowed to block") are not leads."""
    head = verb.head
    if head.i >= verb.i or not (verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and head.lemma_ in ASPECT_VERBS)):
        return None
    if head.pos_ == "ADJ" and head.dep_ == "acomp" and head.head.i < head.i:
        copula = head.head
        subject = [c for c in copula.lefts if c.dep_ in SUBJECT_DEPS and c.lower_ == "it" and c.i == copula.i - 1]
        return subject[0] if subject else copula
    if head.pos_ != "VERB" or head.lemma_ in INFINITIVE_CUES:
        return None
    if head.lemma_ not in ASPECT_VERBS and head.lemma_ not in RAISING_VERBS and is_cue_verb(head):
        return None
    between = verb.doc[head.i + 1 : verb.i]
    if all(t.dep_ in ("prt", "aux", "advmod", "neg") and t.head.i in (head.i, verb.i) for t in between):
        return head
    return None


def is_cue_adverbial(token: Token) -> bool:
    """An adverbial right after a cue verb that belongs to the cue: a time ("said
    Tuesday", "said earlier this week") or a manner ("said sarcastically", "said
    instead", "said with a grin"), not the start of the content ("said so")."""
    if token.dep_ == "npadvmod":
        return token.ent_type_ in ("DATE", "TIME")
    if token.lower_ in ANSWER_WORDS:  # "said so": the answer is the content
        return False
    if token.dep_ == "prep" and token.lower_ == "with":  # "said with a grin"
        objects = [c for c in token.children if c.dep_ == "pobj"]
        return bool(objects) and objects[0].lemma_.lower() in MANNER_NOUNS and objects[0].n_rights == 0
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
            if child.dep_ in SUBJECT_DEPS and not is_section_label(child):
                return name_after_role(child)
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
        if current.dep_ in INHERIT_SUBJECT_DEPS and current.head is not current:
            current = current.head
        elif current.dep_ == "relcl":
            return current.head
        elif gerund_after_preposition(current):
            current = current.head.head
        elif current.dep_ == "acl" and current.tag_ == "VBD":
            return current.head  # a finite verb the parser hung on its subject noun
        elif current.dep_ == "acl" and current.tag_ == "VBG":
            lead = issuing_lead(current)  # "issued a statement saying": the issuer's subject
            if lead is None:
                return current.head
            current = lead
        else:
            return person_after_cue(verb) if current is verb else None
    return None


def name_after_role(subject: Token) -> Token:
    """The subject a cue's speaker is: the name after a role phrase the parser made a
    subject of its own ("[Farmers' union chair] Odo Kelleway called" -> "Kelleway", see
    ``role_before_name``), else ``subject`` itself."""
    for other in subject.head.children:
        role = role_before_name(other) if other.i > subject.i else None
        if role is not None and role.i == subject.i:
            return other
    return subject


def is_section_label(token: Token) -> bool:
    """True for a label that opens a sentence and ends at a colon, which the parser may
    make the subject of the verb after it: "[Correction]: An earlier version of this
    article said ...", "[Editor's note]: ...". It heads what follows; it says nothing."""
    words = [t for t in token.subtree if not t.is_punct]
    doc = token.doc
    if not words or words[-1].i + 1 >= len(doc):
        return False
    return (words[0].i == token.sent.start and doc[words[-1].i + 1].text == ":"
            and any(t.lower_ in SECTION_LABELS for t in words))


def names_this_article(ctx: ArticleContext, candidate: Candidate) -> bool:
    """True for a source that is the article itself: "this story", "an earlier version of
    this article" in a correction note ("Correction: An earlier version of this article
    said landings had halved."). What the outlet's own earlier text said, and has taken
    back, is no one's statement for a fact-checker to track; the note stays a sentence of
    the article."""
    if candidate.source_head is None:
        return False
    head = ctx.doc[candidate.source_head]
    nouns = [head] + [t for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                      for t in p.children if t.dep_ == "pobj"]
    return head.lemma_.lower() in SELF_REFERENCE_NOUNS and any(
        t.lemma_.lower() in SELF_REFERENCE_NOUNS and any(d.dep_ == "det" and d.lower_ == "this" for d in t.children)
        for t in nouns)


def person_after_cue(verb: Token) -> Token | None:
    """The speaker named right after an inverted cue that the parser did not make its
    subject: in "“The pier will not survive another winter,” said engineer Caius Morrow."
    it tags "engineer" as a verb and the name as its object. A person's name starting
    within four tokens after the cue, with only lowercase words (a role: "harbour
    engineer") between, in the same sentence; the name's last token (its head)."""
    sent = verb.sent
    for tok in verb.doc[verb.i + 1 : min(verb.i + 5, sent.end)]:
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B":
            end = tok.i + 1
            while end < sent.end and verb.doc[end].ent_iob_ == "I":
                end += 1
            return verb.doc[end - 1]
        if not (tok.is_alpha and tok.is_lower):
            return None
    return None


def gerund_after_preposition(verb: Token) -> bool:
    """A gerund governed by a preposition on a verb ("won the seat by promising lower
    fares", "after criticising the plan, Kovec left"): it shares that verb's subject."""
    return verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX")


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
        # a hyphen inside the name is no boundary: "Priya Okonkwo-Hale" is one name
        if child.dep_ in ("relcl", "acl") or (
                child.dep_ == "punct" and not child.is_quote and not is_word_hyphen(child)):
            start = max(start, child.i + 1)
    start = name_before_apposition(head, start)
    role = role_before_name(head)
    if role is not None and start == head.left_edge.i:
        start = role.left_edge.i  # the source is role and name: "Farmers' union chair Odo Kelleway"
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
    missed the apposition: "Emily Horne, the White House spokesperson said". A name the
    recogniser missed or took for a place is one too if the description is a person's
    post and the parser hung both on the verb: "…, Sabeth Ebberly, the city's chief
    engineer confirmed" (``missed_name_before``)."""
    doc = head.doc
    if head.pos_ != "NOUN" or start < 2 or doc[start - 1].text != ",":
        return start
    name_end = doc[start - 2]
    if name_end.ent_type_ != "PERSON":
        return missed_name_before(head, start)
    first = name_end.i
    while first > 0 and doc[first - 1].ent_iob_ == "I" or (first > 0 and name_end.ent_iob_ == "I" and doc[first].ent_iob_ == "I"):
        first -= 1
    return first


def missed_name_before(head: Token, start: int) -> int:
    """Where a name the recogniser missed starts, set off by commas before the description
    of a post that starts at ``start`` (``start`` itself when there is none): two to four
    capitalised proper nouns after a comma or at the start of the sentence, hanging on the
    description's verb as the description does (the parser takes the description alone
    for the subject when the comma before the verb is missing): "Calder Reach could not
    wait, [Sabeth Ebberly], the city's chief engineer confirmed"."""
    doc = head.doc
    name_end = doc[start - 2]
    if not names_a_post(head) or head.dep_ not in SUBJECT_DEPS or name_end.head.i != head.head.i:
        return start
    first = name_end.i
    while first > 0 and (doc[first - 1].pos_ == "PROPN" or is_word_hyphen(doc[first - 1])):
        first -= 1
    words = [t for t in doc[first : name_end.i + 1] if not is_word_hyphen(t)]
    opens = doc[first].is_sent_start or (first > 0 and doc[first - 1].text == ",")
    if not (opens and 2 <= len(words) <= 4 and all(
            t.text[:1].isupper() and t.lower_ not in ORGANISATION_WORDS for t in words)):
        return start
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
    if verb.lemma_ in PERCEPTION_VERBS:
        return None
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


def answer_word(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb whose content is a one-word answer standing for a whole statement;
    a quotation in the sentence belongs to it too.

    "Asked whether the ferry should run, 60 percent said yes." / "Kovec said so."
    """
    if not is_speech_verb(verb):
        return None
    cue = cue_range(verb)
    if cue[1] >= sent.end:
        return None
    word = verb.doc[cue[1]]
    if word.lower_ not in ANSWER_WORDS or word.head.i != verb.i or word.n_lefts or word.n_rights:
        return None
    if cue[1] + 1 < sent.end and verb.doc[cue[1] + 1].is_alpha:  # "said so far", "said no one"
        return None
    ids = sentence_quotes(ctx, sent, verb)
    spans = [(word.idx, word.idx + len(word.text))] + quote_spans(ctx, ids)
    return make("answer_word", verb, spans, "mixed" if ids else "indirect", ids)


def embedded_question(verb: Token) -> list[Token]:
    """The clause of a reported yes/no question, which the parser often hangs on a speech
    verb as an adverbial clause: "She asked [whether the bridge would reopen]"."""
    if not is_speech_verb(verb):
        return []
    return [
        c for c in verb.rights
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)
    ]


def quote_beside_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb with no complement next to a quotation in its sentence.

    "“The economy,” he said, “is weak.”" / "He told reporters: “We will win.”"
    """
    if not is_speech_verb(verb):
        return None
    ids = sentence_quotes(ctx, sent, verb)
    if not ids:
        return None
    return make("quote_beside_cue", verb, quote_spans(ctx, ids), "direct", ids)


QUOTE_FRAME_DEPS = frozenset({"prt", "advmod", "punct", "cc"})


def quote_frame_verb(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """Any verb that, with its subject alone, frames a quotation in its sentence is a
    verb of saying there, whatever the lexicon says (O'Keefe et al. 2012's
    quote-speaker-verb frame).

    "“Go back to the harbour,” Kovec barked." / "“Why not?” he shrugged."
    """
    if verb.pos_ != "VERB" or verb.dep_ != "ROOT" or is_cue_verb(verb):
        return None
    ids = sentence_quotes(ctx, sent, verb)
    subject = find_subject(verb)
    if not ids or subject is None or subject.pos_ not in ("PROPN", "PRON", "NOUN"):
        return None
    allowed = set(range(subject.left_edge.i, subject.right_edge.i + 1)) | {verb.i}
    allowed |= {c.i for c in verb.children if c.dep_ in QUOTE_FRAME_DEPS and c.n_rights == 0}
    outside = [t for t in sent if not ctx.in_quote(t) and not t.is_punct and not t.is_space]
    if len(outside) > 8 or any(t.i not in allowed for t in outside):
        return None
    frame_start, frame_end = outside[0].idx, outside[-1].idx + len(outside[-1].text)
    before = any(
        ctx.quotes[i].end <= frame_start and not any(ch.isalnum() for ch in ctx.text[ctx.quotes[i].end : frame_start])
        for i in ids
    )
    after = any(  # "Kovec snapped: “...”", not a quoted object ("carries “more than ...”")
        ctx.quotes[i].start >= frame_end and ctx.text[frame_end : ctx.quotes[i].start].strip() in (":", ",")
        for i in ids
    )
    if not (before or after):
        return None
    return make("quote_frame_verb", verb, quote_spans(ctx, ids), "direct", ids)


def parenthetical_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb inserted into the clause it reports.

    "The economy, the minister said, is weak." / "The economy is weak, the minister said."
    A quotation the cue interrupts is a direct quote, its two parts the content: "“We
    will,” she said, “reopen the road.”" (the parser hangs "said" on "reopen" here too).
    """
    if not is_speech_verb(verb) or verb.dep_ != "parataxis":
        return None
    if find_subject(verb) is None:  # "(report 5)": a verb-tagged noun with no speaker
        return None
    inner_start, inner_end = char_range(verb.left_edge, verb.right_edge)
    spans = [s for s in (trim(ctx.text, sent.start_char, inner_start), trim(ctx.text, inner_end, sent.end_char))
             if s[1] - s[0] > 1]
    quoted = [quotes_overlapping(ctx, start, end) for start, end in spans]
    if spans and all(ids and covered_by_quotes(ctx, start, end, ids) for (start, end), ids in zip(spans, quoted)):
        ids = sorted({i for part in quoted for i in part})
        return make("parenthetical_cue", verb, quote_spans(ctx, ids), "direct", ids)
    return make("parenthetical_cue", verb, spans, "indirect")


def as_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb in an "as" clause that vouches for the clause it hangs on.

    "As the harbour master noted, the ferry has not run since May."
    """
    if not is_speech_verb(verb) or verb.dep_ != "advcl" or verb.left_edge.lower_ != "as":
        return None
    if verb.lemma_ in TEMPORAL_AS_VERBS:  # "as the strike continues, ...": a time, not a source
        return None
    if any(c.dep_ in CLAUSE_DEPS | {"dobj"} for c in verb.children) or find_subject(verb) is None:
        return None
    inner_start, inner_end = char_range(verb.left_edge, verb.right_edge)
    clause_start, clause_end = char_range(verb.head.left_edge, verb.head.right_edge)
    spans = [trim(ctx.text, clause_start, inner_start), trim(ctx.text, inner_end, clause_end)]
    spans = [sp for sp in spans if len(ctx.text[sp[0] : sp[1]].split()) >= 2]
    if not spans:
        return None
    ids = quotes_overlapping(ctx, spans[0][0], spans[-1][1])
    return make("as_cue", verb, spans, "mixed" if ids else "indirect", ids)


def cue_after_quote(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A bare speech cue whose sentence the splitter cut off from the quotation it
    follows (the quotation ends in "?" or "!").

    "“Is the ferry late again?” Kovec asked."
    """
    if not is_speech_verb(verb) or sentence_quotes(ctx, sent, verb) or find_subject(verb) is None:
        return None
    if any(c.dep_ in CLAUSE_DEPS | {"dobj", "xcomp"} for c in verb.children):
        return None
    before = [i for i, q in enumerate(ctx.quotes) if q.end <= sent.start_char]
    if not before:
        return None
    qid = before[-1]
    gap = ctx.text[ctx.quotes[qid].end : sent.start_char]
    if gap.strip(" \t") or len(gap) > 3:
        return None
    quote = ctx.quotes[qid]
    return make("cue_after_quote", verb, [(quote.start, quote.end)], "direct", [qid])


def final_reporting_clause(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A reporting clause closing its sentence after a comma, when the parser hung the
    reported clause on the speech verb as an adverbial rather than a complement.

    "As the ferry docked, a passenger fell ill, the captain said."
    """
    if not is_speech_verb(verb) or verb.dep_ != "ROOT":
        return None
    if any(c.dep_ in CLAUSE_DEPS | {"dobj", "xcomp", "parataxis"} for c in verb.children):
        return None
    subject = find_subject(verb)
    if subject is None:
        return None
    doc = verb.doc
    first = min(subject.left_edge.i, cue_range(verb)[0])
    last = max(subject.right_edge.i, cue_range(verb)[1] - 1)
    if first <= sent.start or doc[first - 1].text != ",":
        return None
    if any(not (t.is_punct or t.is_space) for t in doc[last + 1 : sent.end]):
        return None
    start, end = trim(ctx.text, sent.start_char, doc[first - 1].idx)
    if len(ctx.text[start:end].split()) < 4:
        return None
    ids = quotes_overlapping(ctx, start, end)
    kind = "direct" if ids and covered_by_quotes(ctx, start, end, ids) else "mixed" if ids else "indirect"
    return make("final_reporting_clause", verb, [(start, end)], kind, ids)


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


def gerund_complement(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb of saying or thinking whose complement is a gerund clause.

    "The ferry company reported spending 2 million on repairs." /
    "Brenner denied taking the money."
    """
    if not (is_speech_verb(verb) or verb.lemma_ in COMPLEMENT_VERBS):
        return None
    comps = [c for c in verb.rights if c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VBG" and c.left_edge.i == c.i]
    if not comps:
        return None
    start, end = subtree_chars(ctx, comps[0])
    ids = quotes_overlapping(ctx, start, end)
    return make("gerund_complement", verb, [(start, end)], "mixed" if ids else "indirect", ids)


def prepositional_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb + preposition cue whose object is the content.

    "Putin called for de-escalation." / "The mayor warned of a crisis."
    """
    preps = PREPOSITIONAL_CUES.get(verb.lemma_)
    if not preps:
        return None
    clause = marked_clause(verb, preps)
    if clause is not None:
        mark, comp = clause
        start, end = trim(ctx.text, *char_range(verb.doc[mark.i + 1], comp.right_edge))
        ids = quotes_overlapping(ctx, start, end)
        kind = "mixed" if ids else "indirect"
        return make("prepositional_cue", verb, [(start, end)], kind, ids, cue_range(verb, mark))
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


def marked_clause(verb: Token, preps: frozenset[str]) -> tuple[Token, Token] | None:
    """``(preposition, clause)`` when the cue's preposition introduces a whole clause,
    which the parser hangs on the verb as a marked adverbial clause: "Kovec called for
    the council to act" (the content is "the council to act")."""
    for comp in verb.rights:
        if comp.dep_ != "advcl":
            continue
        marks = [m for m in comp.children if m.dep_ == "mark" and m.lower_ in preps]
        between = verb.doc[verb.i + 1 : marks[0].i] if marks else None
        if marks and marks[0].i > verb.i and all(t.dep_ in ("prt", "advmod", "npadvmod") for t in between):
            return marks[0], comp
    return None


def colon_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A speech verb ending its sentence with a colon; the quotation follows.

    "The minister said:" followed by "“We will not give in.”"
    """
    if not is_speech_verb(verb) or not sent.text.rstrip().endswith(":"):
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
    if verb.lemma_ not in NAMING_VERBS:
        return None
    predicates = [c for c in verb.rights if c.dep_ == "oprd"]
    subject = find_subject(verb)
    if verb.dep_ == "acl" and len(predicates) >= 2:
        subject = verb.head  # "One councillor called Brenner “a liar”" read as "a councillor called ..."
    if subject is None:
        return None
    # the parser may take both the object and the name for predicates: "called Kovec “a liar”"
    objects = [c for c in verb.rights if c.dep_ == "dobj"] or predicates[:1]
    if not objects:
        return None
    complements = [
        c for c in verb.rights if c.dep_ in ("oprd", "xcomp", "ccomp", "acomp", "dobj") and c.i > objects[0].i
    ]  # a second object is the name too: "calls the plan a disgrace"
    last = (complements[0] if complements else objects[0]).right_edge
    if not complements and not ctx.in_quote(last):
        closing = quoted_name_end(objects[0], sent)
        if closing is None:
            return None
        last = closing
    last = through_closing_quote(last, sent)
    start, end = trim(ctx.text, *char_range(objects[0].left_edge, last))
    ids = quotes_overlapping(ctx, start, end)
    return make("naming_verb", verb, [(start, end)], "mixed" if ids else "indirect", ids, subject=subject)


def through_closing_quote(last: Token, sent: SpacySpan) -> Token:
    """``last`` moved over a full stop, comma or quotation mark that closes a quoted name
    ("called the plan “absurd.”")."""
    doc = last.doc
    while last.i + 1 < sent.end and (doc[last.i + 1].text in (".", ",") or doc[last.i + 1].is_quote):
        if not any(t.is_quote for t in doc[last.i + 1 : sent.end]):
            break
        last = doc[last.i + 1]
    return last


def fronted_name_object(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb of naming or describing whose object is a fronted relative or wh- pronoun:
    the pronoun and the name (with its "as") are the content (no source when the verb is
    passive).

    "the ferry deal, which Kovec called “a disgrace,” ..." / "what is called a “debate”" /
    "on what Kovec described as a “lifeline”"
    """
    if verb.lemma_ not in NAMING_VERBS and verb.lemma_ not in DESCRIBING_VERBS:
        return None
    fronted = [c for c in verb.lefts if c.dep_ in ("dobj", "nsubjpass") and c.tag_ in ("WP", "WDT")]
    names = [c for c in verb.rights if c.dep_ in ("oprd", "xcomp", "attr")]
    names += [c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "as" and c.n_rights]
    if not fronted or not names:
        return None
    passive = fronted[0].dep_ == "nsubjpass"
    if not passive and find_subject(verb) is None:
        return None
    first = names[0] if names[0].dep_ == "prep" else names[0].left_edge
    last = through_closing_quote(names[0].right_edge, sent)
    if first.i > verb.i + 1 and verb.doc[first.i - 1].is_quote:
        first = verb.doc[first.i - 1]  # the opening mark of ''a disgrace''
    name = trim(ctx.text, *char_range(first, last))
    pronoun = (fronted[0].idx, fronted[0].idx + len(fronted[0].text))
    ids = quotes_overlapping(ctx, pronoun[0], name[1])
    candidate = make("naming_verb", verb, [pronoun, name], "mixed" if ids else "indirect", ids)
    if candidate is not None and passive:
        candidate.source, candidate.source_head = None, None
    return candidate


def quoted_name_end(obj: Token, sent: SpacySpan) -> Token | None:
    """The closing quotation mark of a short quoted name that follows (or ends) the object
    of a naming verb, which the parser left unattached: "called the ruling ''absurd.''"."""
    doc = obj.doc
    i = obj.right_edge.i
    opening = next((t for t in doc[obj.left_edge.i : min(i + 2, sent.end)] if t.is_quote), None)
    if opening is None:
        return None
    for token in doc[opening.i + 1 : min(opening.i + 12, sent.end)]:
        if token.is_quote:
            return token
    return None


def object_content(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A verb of evaluating, backing or announcing whose object is what is reported.

    "The senator described the plan as reckless." / "She accused the mayor of lying." /
    "The harbour survey finds Kovec with a narrow lead." (a document's finding)
    """
    subject = find_subject(verb)
    if subject is None or not (verb.lemma_ in OBJECT_VERBS or is_document_finding(verb, subject)):
        return None
    # "Residents gathered to discuss the harbour": a purpose clause reports an intention
    # to talk about a topic, not a statement (the subject belongs to "gathered").
    purpose = verb.dep_ in ("advcl", "xcomp", "acl") and aspect_lead(verb) is None
    if purpose and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.lefts):
        return None
    objects = [c for c in verb.rights if c.dep_ == "dobj"][-1:]  # "told reporters the same"
    if not objects or (verb.lemma_ == "tell" and is_addressee(objects[0])):
        return None
    last = objects[0].right_edge
    for child in verb.rights:
        if child.i > last.i and child.dep_ == "prep" and child.lower_ in OBJECT_PREPOSITIONS:
            last = child.right_edge
    if is_document_finding(verb, subject):  # "finds Kovec with a narrow lead": the whole finding
        last = verb.right_edge
    start, end = trim(ctx.text, *char_range(objects[0].left_edge, last))
    ids = quotes_overlapping(ctx, start, end)
    return make("object_content", verb, [(start, end)], "mixed" if ids else "indirect", ids)


def is_document_finding(verb: Token, subject: Token) -> bool:
    """True for "find" whose subject is a poll, survey, study or report: what it finds is
    what it reports ("The survey finds Kovec ahead"), unlike a person finding a thing."""
    return verb.lemma_ == "find" and subject.lemma_.lower() in SOURCE_DOCUMENTS


def is_addressee(noun: Token) -> bool:
    """True for the object of a speech verb that is who was spoken to, not what was said
    ("told reporters", "told him")."""
    return noun.pos_ == "PRON" or noun.ent_type_ == "PERSON" or noun.lemma_.lower() in AUDIENCE_NOUNS


def light_verb_noun(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A light verb and a noun of saying or judging as one cue; what the noun's (or the
    verb's) preposition or clause governs is the content.

    "Kovec took aim at the ferry contract." / "The union raised concerns about safety." /
    "Brenner made the case that the tunnel is cheaper."
    """
    nouns = LIGHT_VERB_NOUNS.get(verb.lemma_)
    if not nouns:
        return None
    noun = next((c for c in verb.rights if c.dep_ == "dobj" and c.lemma_.lower() in nouns), None)
    if noun is None:
        return None
    content_head, last_cue = None, noun
    for holder in (noun, verb):
        for child in holder.rights:
            if child.i < noun.i:
                continue
            if child.dep_ == "prep" and child.lower_ in LIGHT_NOUN_PREPOSITIONS and not _is_time(child):
                objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    content_head, last_cue = objects[0], child
                    break
            if child.dep_ in ("acl", "ccomp") and child.left_edge.lower_ == "that":
                content_head = child
                break
        if content_head is not None:
            break
    if content_head is None:
        return None
    between = verb.doc[noun.i + 1 : last_cue.i]
    if any(t.is_punct for t in between):
        return None
    start, end = subtree_chars(ctx, content_head)
    ids = quotes_overlapping(ctx, start, end)
    kind = "mixed" if ids else "indirect"
    return make("light_verb_noun", verb, [(start, end)], kind, ids, (cue_range(verb)[0], last_cue.i + 1))


def attitude_adjective(ctx: ArticleContext, adj: Token, sent: SpacySpan) -> Candidate | None:
    """An adjective of attitude with what it is about: the holder is the source.

    "Kovec is sceptical about the ferry deal." / "Brenner was eager to sign the contract." /
    "voters angry at the council"
    """
    preps = ATTITUDE_ADJECTIVES.get(adj.lower_)
    if adj.pos_ != "ADJ" or preps is None or adj.dep_ not in ("acomp", "amod") or ctx.in_quote(adj):
        return None
    last_cue, content_head = adj, None
    for child in adj.rights:
        if child.dep_ == "prep" and child.lower_ in preps:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                last_cue, content_head = child, objects[0]
                break
        if child.dep_ in ("ccomp", "xcomp"):
            content_head = child
            break
    if content_head is None:
        return None
    if adj.dep_ == "acomp":
        copula = adj.head
        start = own_cue_range(copula)[0] if copula.i < adj.i else adj.i
        cue, holder = (start, last_cue.i + 1), find_subject(copula)
    elif adj.head.i < adj.i:  # "voters angry at the council"
        cue, holder = (adj.i, last_cue.i + 1), adj.head
    else:
        return None
    start, end = subtree_chars(ctx, content_head)
    ids = quotes_overlapping(ctx, start, end)
    return make("attitude_adjective", adj, [(start, end)], "mixed" if ids else "indirect", ids, cue, holder)


def made_clear(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """The light-verb cue "make (it) clear"; the clause after "clear" is the content.

    "Kovec made it clear that the ferry would keep running."
    """
    partner = LIGHT_VERB_PARTNERS.get(verb.lemma_)
    if verb.lemma_ != "make" or partner is None:
        return None
    clear = next((c for c in verb.rights if c.lower_ == partner and c.i <= verb.i + 2), None)
    if clear is None:
        return None
    clauses = [c for c in clear.rights if c.dep_ in ("advcl", "ccomp", "csubj")]
    clauses += [c for c in verb.rights if c.dep_ in ("ccomp", "advcl") and c.i > clear.i]
    if not clauses:
        return None
    start, end = subtree_chars(ctx, clauses[0])
    ids = quotes_overlapping(ctx, start, end)
    kind = "mixed" if ids else "indirect"
    return make("made_clear", verb, [(start, end)], kind, ids, (cue_range(verb)[0], clear.i + 1))


def put_it(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """The light-verb cue "put it": the quotation it introduces, or the clause it comments on.

    "As the ferry captain put it, the crossing is “a lottery.”" /
    "Kovec put it bluntly: “The ferry is finished.”"
    """
    if verb.lemma_ != "put" or LIGHT_VERB_PARTNERS["put"] not in [c.lower_ for c in verb.rights if c.dep_ == "dobj"]:
        return None
    it = next(c for c in verb.rights if c.dep_ == "dobj")
    cue = (cue_range(verb)[0], it.i + 1)
    if cue[1] < len(verb.doc) and verb.doc[cue[1]].text == ":":
        cue = (cue[0], cue[1] + 1)
    ids = sentence_quotes(ctx, sent, verb)
    if not ids and sent.text.rstrip().endswith(":"):
        following = [i for i, q in enumerate(ctx.quotes) if q.start >= sent.end_char][:1]
        if following and not ctx.text[sent.end_char : ctx.quotes[following[0]].start].strip():
            ids = following
    if ids:
        return make("put_it", verb, quote_spans(ctx, ids), "direct", ids, cue)
    if verb.dep_ != "advcl":
        return None
    inner_start, inner_end = char_range(verb.left_edge, verb.right_edge)
    spans = [trim(ctx.text, sent.start_char, inner_start), trim(ctx.text, inner_end, sent.end_char)]
    return make("put_it", verb, [s for s in spans if s[1] - s[0] > 1], "indirect", [], cue)


def passive_judgement(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A passive verb of judging or naming with "as" (or "known/remembered for"): the
    preposition joins the cue, and what is judged and what it is judged to be are the
    content; no source is named.

    "The ferry plan is widely seen as reckless." / "Kovec is best known for her
    harbour reforms." / "the crossing known as the Long Reach"
    """
    if verb.tag_ != "VBN" or any(c.dep_ == "agent" for c in verb.children):
        return None
    subjects = [c for c in verb.lefts if c.dep_ == "nsubjpass"]
    if not subjects and not (verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and verb.head.i < verb.i):
        return None
    cue = own_cue_range(verb)
    if cue[1] >= len(verb.doc):
        return None
    prep = verb.doc[cue[1]]
    wanted = ("as", "for") if verb.lemma_ in REPUTATION_VERBS else ("as",)
    if prep.head.i != verb.i or prep.dep_ != "prep" or prep.lower_ not in wanted or prep.n_rights == 0:
        return None
    judged = (
        subtree_chars(ctx, subjects[0]) if subjects
        else trim(ctx.text, *char_range(verb.head.left_edge, verb.doc[verb.left_edge.i - 1]))
    )
    verdict = trim(ctx.text, *char_range(verb.doc[prep.i + 1], prep.right_edge))
    spans = [sp for sp in (judged, verdict) if sp[1] > sp[0]]
    ids = quotes_overlapping(ctx, spans[0][0], spans[-1][1])
    kind = "mixed" if ids else "indirect"
    judged_head = subjects[0] if subjects else verb.head
    candidate = make("passive_judgement", verb, spans, kind, ids, (cue[0], prep.i + 1), judged_head)
    if candidate is not None:
        candidate.source, candidate.source_head = None, None
    return candidate


def passive_cue(ctx: ArticleContext, verb: Token, sent: SpacySpan) -> Candidate | None:
    """A cue verb in the passive with no agent: what was said (its complement) or what
    was judged (its subject) is the content, and no source is named.

    "The mayor was asked about the ferry." / "The plan was widely criticised." /
    "It was reported that the ferry would close."
    """
    subjects = [c for c in verb.lefts if c.dep_ == "nsubjpass"]
    if verb.lemma_ == "suppose":  # "is supposed to": a modal, not a report
        return None
    if verb.tag_ != "VBN" or not subjects or any(c.dep_ == "agent" for c in verb.children):
        return None
    comps = [c for c in verb.rights if c.dep_ in ("ccomp", "xcomp")]
    preps = [c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ("about", "on", "for", "as")]
    if comps:
        start, end = subtree_chars(ctx, comps[0])
    elif preps and any(c.dep_ in ("pobj", "pcomp") for c in preps[0].children):
        start, end = trim(ctx.text, *char_range(preps[0], preps[0].right_edge))
    elif verb.lemma_ in OBJECT_VERBS and subjects[0].lower_ not in ("it", "who", "that", "which"):
        start, end = subtree_chars(ctx, subjects[0])
    else:
        return None
    ids = quotes_overlapping(ctx, start, end)
    candidate = make("passive_cue", verb, [(start, end)], "mixed" if ids else "indirect", ids)
    if candidate is not None:
        candidate.source, candidate.source_head = None, None
    return candidate


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
    cue = cue_range(verb)
    if comp.dep_ == "prep" and comp.i == cue[1] and comp.n_rights:  # "seems like a fair idea": "like" joins the cue
        cue = (cue[0], comp.i + 1)
        spans = [trim(ctx.text, *char_range(verb.doc[comp.i + 1], comp.right_edge))]
    elif comp.dep_ == "prep":
        spans = [trim(ctx.text, *char_range(comp, comp.right_edge))]
    else:
        spans = [subtree_chars(ctx, comp)]
    subjects = [c for c in verb.lefts if c.dep_ in SUBJECT_DEPS]
    # "it seems that ...": the dummy pronoun is neither content nor (as PolNeAR draws it) cue
    if subjects and comp.dep_ != "ccomp" and subjects[0].lower_ not in ("there", "it"):
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
    if start == end:  # the splitter cut the sentence at the colon: the rest of the line
        line_end = ctx.text.find("\n", colon.idx)
        start, end = trim(ctx.text, colon.idx + 1, len(ctx.text) if line_end < 0 else line_end)
    if source_end == sent.start or len(ctx.text[start:end].split()) < 3:
        return None
    if not is_named_label(source):
        return None  # "Q: ...", "UPDATE: ..." name no one
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


def is_named_label(words: SpacySpan) -> bool:
    """True if a label before a colon can name a speaker: more than one letter ("Q:" and
    "A:" mark an interview's turns) and not a section label ("UPDATE", "EXCLUSIVE")."""
    return len(words.text.strip()) > 1 and not any(t.lower_ in SECTION_LABELS for t in words)


def title_case_headline(ctx: ArticleContext, sent: SpacySpan) -> Candidate | None:
    """A headline in title case, where the parser takes the cue verb for a name: the
    words before it are the source, the words after it the content.

    "Mayor Kovec Slams Ferry Plan As Reckless" / "Harbour Union Urges Council To Act"
    """
    words = [t for t in sent if t.is_alpha]
    if len(words) < 4 or len(sent) > HEADLINE_MAX_TOKENS or sum(t.is_title or t.is_upper for t in words) < 0.8 * len(words):
        return None
    for token in sent[1:-1]:
        if token.pos_ not in ("PROPN", "NOUN") or ctx.in_quote(token) or title_verb_lemma(token) is None:
            continue
        source = sent.doc[sent.start : token.i]
        if not all(t.pos_ in ("PROPN", "NOUN", "PUNCT", "ADJ") for t in source):
            return None
        return headline_candidate(ctx, sent, "title_case_headline", token, token)
    return None


def sentence_case_headline(ctx: ArticleContext, sent: SpacySpan) -> Candidate | None:
    """An article's headline in sentence case, where the parser takes the present-tense
    cue verb for a plural noun: the noun phrase before it is the source, the rest the content.

    "Kovec blasts ferry plan as reckless" / "Harbour union calls for new vote"
    """
    if ctx.text[: sent.start_char].strip() or len(sent) > HEADLINE_MAX_TOKENS:
        return None
    for token in sent[1:-1]:
        lemma = title_verb_lemma(token)
        if lemma is None or ctx.in_quote(token) or token.dep_ in HEADLINE_NOUN_DEPS:
            continue  # "Nevada emails released": the -s word is the subject, not a verb
        following = sent.doc[token.i + 1]
        if following.tag_ in ("VBN", "VBD"):
            continue  # "Ferry emails released on eve of vote": a noun before its participle
        source = sent.doc[sent.start : token.i]
        if not all(t.pos_ in HEADLINE_SOURCE_POS for t in source) or not any(
            t.pos_ in ("PROPN", "NOUN") for t in source
        ):
            return None
        last = following if following.lower_ in PREPOSITIONAL_CUES.get(lemma, ()) else token  # "calls for"
        return headline_candidate(ctx, sent, "sentence_case_headline", token, last)
    return None


def headline_candidate(ctx: ArticleContext, sent: SpacySpan, construction: str,
                       cue: Token, last: Token) -> Candidate | None:
    """A headline's attribution once its cue verb (``cue`` .. ``last``) is found: the words
    before the cue are the source, the rest of the line the content (two words at least)."""
    start, end = trim(ctx.text, last.idx + len(last.text), sent.end_char)
    if len(ctx.text[start:end].split()) < 2:
        return None
    ids = quotes_overlapping(ctx, start, end)
    return Candidate(
        construction=construction,
        cue=(cue.i, last.i + 1),
        source=(sent.start, cue.i),
        content=[(start, end)],
        kind="mixed" if ids else "indirect",
        source_head=cue.i - 1,
        quote_ids=set(ids),
    )


def title_verb_lemma(token: Token) -> str | None:
    """The cue lemma of a capitalised third-person verb form ("Slams" -> "slam",
    "Urges" -> "urge", "Denies" -> "deny"), or None."""
    word = token.lower_
    if not word.endswith("s") or len(word) < 4:
        return None
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    following = after.lower_ if after is not None else ""
    for lemma in (word[:-1], word[:-2], word[:-3] + "y"):
        if lemma in SPEECH_VERBS or lemma in OBJECT_VERBS:
            return lemma
        # a cue only with its preposition ("Board votes for ...", not "Board votes to extend
        # hours"), its infinitive ("Kovec hopes to ...") or a quotation ("Kovec speaks
        # ‘plainly’"), as the verb rules read it
        if lemma in PREPOSITIONAL_CUES and (
            following in PREPOSITIONAL_CUES[lemma] or lemma in NAMING_VERBS
            or following == "to" and lemma in INFINITIVE_CUES
            or after is not None and after.is_quote
        ):
            return lemma
    return None


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
    if any(is_speech_verb(t) and t.pos_ == "VERB" for t in doc[sent.start : last.i]):
        # "Kovec told the Harbour Post: “...”": the name is the addressee; the verb is the cue
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


def transcript_speaker(ctx: ArticleContext, sent: SpacySpan) -> Candidate | None:
    """A transcript's speaker label: a name and a colon opening a paragraph; the rest of
    the paragraph is what that person said.

    "KOVEC: We will reopen the ferry in May. The money is there."
    """
    tokens = [t for t in sent if not t.is_space]
    if len(tokens) < 2 or len(tokens) > 5 or tokens[-1].text != ":":
        return None
    name = tokens[:-1]
    if not all(t.is_alpha and len(t) > 1 and (t.is_upper or t.is_title) for t in name):
        return None  # "Q:" and "A:" label an interview's turns, not a named speaker
    if not any(t.is_upper for t in name) or any(t.lower_ in SECTION_LABELS for t in name):
        return None
    if sent.start_char > 0 and ctx.text[sent.start_char - 1] != "\n":
        return None
    colon = tokens[-1]
    line_end = ctx.text.find("\n", colon.idx)
    start, end = trim(ctx.text, colon.idx + 1, len(ctx.text) if line_end < 0 else line_end)
    if len(ctx.text[start:end].split()) < 2:
        return None
    ids = quotes_overlapping(ctx, start, end)
    return Candidate(
        construction="transcript_speaker",
        cue=(colon.i, colon.i + 1),
        source=(name[0].i, name[-1].i + 1),
        content=[(start, end)],
        kind="direct",
        source_head=name[-1].i,
        quote_ids=set(ids),
    )


def in_source_phrase(ctx: ArticleContext, token: Token, sent: SpacySpan) -> Candidate | None:
    """A clause framed by the document or survey it comes from; the rest of the clause
    is the content and the document is the source.

    "In a Harbour Post poll released Monday, 52 percent backed the tunnel." /
    "Kovec leads Brenner by nine points in the latest Harbour Post survey."
    """
    if token.lower_ != "in" or token.dep_ != "prep" or token.head.pos_ not in ("VERB", "AUX"):
        return None
    if is_cue_verb(token.head):  # "In a statement, the mayor said ...": the verb is the cue
        return None
    objects = [c for c in token.children if c.dep_ == "pobj" and c.lemma_.lower() in SOURCE_DOCUMENTS]
    if not objects or any(t.text in ".?!;" or t.is_quote for t in token.subtree):
        return None
    after = token.right_edge.i + 1
    opens_sentence = token.i == sent.start and after < sent.end and token.doc[after].text == ","
    if not opens_sentence and not is_particular_document(objects[0]):
        return None  # "she leads in the polls": no particular poll is the source
    source = (objects[0].left_edge.i, objects[0].right_edge.i + 1)  # "a poll released Monday"
    clause = token.head
    phrase_start, phrase_end = char_range(token, token.right_edge)
    clause_start, clause_end = subtree_chars(ctx, clause)
    spans = [trim(ctx.text, clause_start, phrase_start), trim(ctx.text, phrase_end, clause_end)]
    spans = [s for s in spans if len(ctx.text[s[0] : s[1]].split()) >= 2]
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


def is_particular_document(noun: Token) -> bool:
    """True for a named or described document ("a Harbour Post poll", "the survey
    released Monday"), not a generic one ("the polls", "national polls")."""
    return any(c.dep_ == "compound" or (c.dep_ == "det" and c.lower_ in ("a", "an")) for c in noun.lefts) or any(
        c.dep_ in ("acl", "prep") for c in noun.rights
    )


def evidential_adverb(ctx: ArticleContext, adverb: Token, sent: SpacySpan) -> Candidate | None:
    """An adverb that marks its clause as reported by someone unnamed: the adverb is the
    cue, the clause around it the content, and there is no source.

    "The ferry company has reportedly hired a new captain."
    """
    verb = adverb.head
    if adverb.lower_ not in EVIDENTIAL_ADVERBS or adverb.dep_ != "advmod" or verb.pos_ not in ("VERB", "AUX"):
        return None
    if is_cue_verb(verb):  # "reportedly said": the adverb joins the verb's cue
        return None
    clause_start, clause_end = subtree_chars(ctx, verb)
    spans = [trim(ctx.text, clause_start, adverb.idx), trim(ctx.text, adverb.idx + len(adverb.text), clause_end)]
    spans = [sp for sp in spans if sp[1] > sp[0]]
    if not spans or len(ctx.text[spans[-1][0] : spans[-1][1]].split()) < 2:
        return None
    ids = quotes_overlapping(ctx, spans[0][0], spans[-1][1])
    return Candidate(
        construction="evidential_adverb",
        cue=(adverb.i, adverb.i + 1),
        source=None,
        content=spans,
        kind="mixed" if ids else "indirect",
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
    if reads_from_document(ctx, token, objects[0], sent):
        return None
    source = noun_phrase(objects[0])
    source_head = objects[0].i
    name = name_in_apposition(source[1], sent)
    if name is not None:  # "according to the city engineer, Marta Lindqvist, the repair ..."
        source, source_head = (source[0], name.end), name.end - 1
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
        source_head=source_head,
        quote_ids=set(ids),
    )


def reads_from_document(ctx: ArticleContext, according: Token, document: Token, sent: SpacySpan) -> bool:
    """True if "according to" names the document a reporter read a reported speech in, not
    a source: "“We will close the harbour,” Vell said, according to a transcript seen by
    the Harbour Post" (the speech verb before it, with its subject, is the attribution).
    People and organisations stay sources ("..., Vell said, according to police")."""
    if document.lemma_.lower() not in REPORTER_DOCUMENTS and document.lower_ not in REPORTER_DOCUMENTS:
        return False
    return any(is_speech_verb(t) and not ctx.in_quote(t) and any(c.dep_ in SUBJECT_DEPS for c in t.children)
               for t in sent if t.i < according.i)


def name_in_apposition(end: int, sent: SpacySpan) -> SpacySpan | None:
    """A person's name set off by commas right after a description that ends at token
    ``end``, which the parser often misses: "according to the city engineer, [Marta
    Lindqvist], the repair ..." (it takes the name for the subject of the content)."""
    doc = sent.doc
    if end + 1 >= sent.end or doc[end].text != ",":
        return None
    name = next((e for e in ents_within(doc, sent.start, sent.end) if e.start == end + 1 and e.label_ == "PERSON"), None)
    if name is None or name.end >= sent.end or not all(t.pos_ == "PROPN" or is_word_hyphen(t) for t in name):
        return None
    closing = doc[name.end]
    return name if closing.text == "," or (closing.is_punct and closing.i == sent.end - 1) else None


VERB_RULES = (
    raising_verb,
    clausal_complement,
    fronted_name_object,
    answer_word,
    prepositional_cue,
    infinitival_complement,
    gerund_complement,
    parenthetical_cue,
    as_cue,
    quote_beside_cue,
    cue_after_quote,
    final_reporting_clause,
    colon_cue,
    naming_verb,
    passive_judgement,
    object_content,
    passive_cue,
)


# ---------------------------------------------------------------- stance and silence


def is_negated(verb: Token) -> bool:
    """True for a verb with a negation of its own ("did not say", "never claimed")."""
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in verb.children)


def is_denial_word(token: Token) -> bool:
    """True for a word of denial: "denied", "rejected", "disputed", "a denial", or a
    phrasal verb of denial with its particle ("ruled out", "ruling out")."""
    if token.lemma_ in DENIAL_CUES:
        return True
    particle = PHRASAL_DENIAL_CUES.get(token.lemma_)
    return particle is not None and any(c.dep_ in ("prt", "advmod") and c.lower_ == particle for c in token.rights)


def cue_stance(doc, cue: tuple[int, int]) -> str:
    """What a cue does with its content: "negated" when a verb of the cue is negated or is
    a verb of refusing ("did not say that ...", "did not deny ...", "refused to endorse
    Kovec"), "denied" for a word of denial ("denied that ...", "rejected claims that ...",
    "ruling out sending troops"), else "asserted"."""
    tokens = doc[cue[0] : cue[1]]
    if any(is_negated(t) or t.lemma_ in REFUSAL_VERBS for t in tokens if t.pos_ in ("VERB", "AUX")):
        return "negated"
    if any(is_denial_word(t) for t in tokens):
        return "denied"
    return "asserted"


def withholds_statement(verb: Token) -> bool:
    """True for a refusal to speak, which asserts nothing: a verb of refusing with a verb
    of saying as its infinitive, or that infinitive itself ("declined to comment",
    "refused to say whether layoffs were planned"), and a negated "respond" ("did not
    respond to a request for comment")."""
    if verb.lemma_ in REFUSAL_VERBS:
        return any(c.dep_ in INFINITIVE_DEPS and c.i > verb.i and c.lemma_ in WITHHELD_SPEECH_VERBS
                   for c in verb.children)
    if verb.lemma_ in WITHHELD_SPEECH_VERBS and verb.dep_ in INFINITIVE_DEPS and verb.head.lemma_ in REFUSAL_VERBS:
        return True
    return verb.lemma_ == "respond" and is_negated(verb)


def is_open_question(ctx: ArticleContext, verb: Token, candidate: Candidate) -> bool:
    """True for a negated verb of saying whose content is an open question or a topic,
    which reports that nothing was said: "would not say whether layoffs were planned",
    "would not discuss the investigation", "did not comment on the report" (unlike "did
    not say that the ferry would close", a statement reported as not made)."""
    if not is_negated(verb) or verb.lemma_ not in WITHHELD_SPEECH_VERBS:
        return False
    if candidate.construction in ("object_content", "prepositional_cue"):
        return True
    first = ctx.text[min(s for s, _ in candidate.content):].split(maxsplit=1)
    return bool(first) and first[0].lower() in QUESTION_WORDS


def is_question_put_to(verb: Token) -> bool:
    """True for "asked" as a passive participle: "Asked whether the festival would return,
    Brook said ..." / "Brook was asked whether ...". The question is the asker's, who is
    not named; the subject is the person asked (PolNeAR leaves the source out)."""
    if verb.lemma_ != "ask" or verb.tag_ != "VBN":
        return False
    if any(c.dep_ == "auxpass" or c.dep_ == "nsubjpass" for c in verb.children):
        return True
    return verb.dep_ == "advcl" and not any(c.dep_ in ("aux", "nsubj") for c in verb.children)


def is_speech_verb(token: Token) -> bool:
    """True for a verb of saying, single ("said") or phrasal ("shot back", "weighed in")."""
    if token.lemma_ in SPEECH_VERBS:
        return True
    particle = PHRASAL_SPEECH_VERBS.get(token.lemma_)
    return particle is not None and any(c.dep_ in ("prt", "advmod") and c.lower_ == particle for c in token.rights)


def is_cue_verb(token: Token) -> bool:
    """True for a verb of the cue lexicon (not an auxiliary, not a noun)."""
    return token.pos_ == "VERB" and (
        is_speech_verb(token)
        or token.lemma_ in COMPLEMENT_VERBS
        or token.lemma_ in PREPOSITIONAL_CUES
        or token.lemma_ in OBJECT_VERBS
        or token.lemma_ in NAMING_VERBS
        or token.lemma_ in RAISING_VERBS
    )


def is_sourceless_infinitive(verb: Token, candidate: Candidate) -> bool:
    """True for a cue verb in a to-infinitive that no one is said to perform: a possible
    act, not a report ("It is too soon to say whether the ferry will run")."""
    if candidate.source is not None or candidate.construction in ("passive_cue", "raising_verb"):
        return False
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.lefts) and aspect_lead(verb) is None


def sentence_candidates(ctx: ArticleContext, sent: SpacySpan) -> list[Candidate]:
    """Every candidate attribution whose cue is in ``sent`` (first matching rule wins)."""
    found: list[Candidate] = []
    headline = (
        headline_colon(ctx, sent)
        or title_case_headline(ctx, sent)
        or sentence_case_headline(ctx, sent)
        or transcript_speaker(ctx, sent)
    )
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
        if token.lower_ in EVIDENTIAL_ADVERBS:
            candidate = evidential_adverb(ctx, token, sent)
            if candidate:
                found.append(candidate)
            continue
        if token.pos_ == "ADJ":
            candidate = attitude_adjective(ctx, token, sent)
            if candidate:
                found.append(candidate)
            continue
        if token.lemma_ in LIGHT_VERB_NOUNS and token.pos_ == "VERB":
            candidate = light_verb_noun(ctx, token, sent)
            if candidate:
                found.append(candidate)
                continue
        if token.lemma_ in LIGHT_VERB_PARTNERS and token.pos_ == "VERB":
            candidate = made_clear(ctx, token, sent) or put_it(ctx, token, sent)
            if candidate:
                found.append(candidate)
            continue
        if not is_cue_verb(token):
            candidate = quote_frame_verb(ctx, token, sent)
            if candidate:
                found.append(candidate)
            continue
        if withholds_statement(token):
            continue
        for rule in VERB_RULES:
            candidate = rule(ctx, token, sent)
            if candidate is not None and (is_sourceless_infinitive(token, candidate)
                                          or is_open_question(ctx, token, candidate)
                                          or names_this_article(ctx, candidate)):
                break
            if candidate is not None and is_question_put_to(token):
                candidate.source = candidate.source_head = None
            if candidate is not None:
                if not is_speech_verb(token) and candidate.construction in (
                    "quote_with_cue", "quote_beside_cue", "parenthetical_cue", "colon_cue",
                    "as_cue", "cue_after_quote",
                ):
                    break
                found.append(candidate)
                break
    if headline is not None and any(c.cue[0] <= headline.cue[0] < c.cue[1] for c in found[1:]):
        found.remove(headline)  # a verb rule read the same cue: keep its reading
    for candidate in found:
        candidate.stance = cue_stance(ctx.doc, candidate.cue)
    return found
