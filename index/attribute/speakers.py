"""Who a source mention refers to, within one article.

A source is a mention: a name ("Lavrov"), a pronoun ("he"), a description ("Ukraine's
president", "Russia's top diplomat") or an organisation ("the Kremlin"). Resolution
follows the newsroom convention (the GenderGapTracker and citron do the same): a person
is introduced with full name and title once, then referred to by surname, pronoun or
title. So:

* names are clustered by surname; a cluster's name is its fullest form, and two people
  who share a surname but not a first name stay apart. A hyphenated name is whole
  ("Priya Okonkwo-Hale", surname "Okonkwo-Hale"), though spaCy makes three tokens of it;
* a bare surname is the person of that surname mentioned last before it ("Jonas Feld
  said ... “...,” Feld said. Ingrid Feld said ...": Jonas). Before any of them is
  mentioned it is the only one, or, with several, no one: the text has not said which;
* a name is the whole run of capitalised proper nouns the recogniser tags part of
  ("said councillor [Dagny] Pardoe": Dagny Pardoe), up to a possessive, a comma, a title,
  a role word or an organisation word;
* a role comes from the title before the name ("Russian Foreign Minister Sergey
  Lavrov", "Farmers' union chair Odo Kelleway", also parsed as two subjects, see
  ``role_before_name``) or an apposition ("Emily Horne, the White House spokesperson"),
  whether or not the recogniser found the name. A role word is no part of a name even capitalised at
  the start of a sentence ("Resident Yvette Marchand said"), though a first name that is
  also a word is ("Rose Baker");
* "he"/"she" resolve to the most recent person in subject position (speakers first; a
  name in apposition to a subject is in subject position: "Her brother, Tom Whitfield,
  disagreed") whose gender, where the text gives it, agrees: an honorific ("Ms.",
  "Mr.") or a kinship or gendered noun in the title or apposition ("her brother",
  "spokeswoman"). Names are never used to guess gender;
* a definite description resolves to the most recent person whose role shares its head
  noun (or a synonym, see ``TITLE_SYNONYMS``) and agrees on nationality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from index.speakers import (
    FEMININE_WORDS,
    HONORIFICS,
    MASCULINE_WORDS,
    ORGANISATION_WORDS,
    ROLE_NOUNS,
    TITLE_WORDS,
    fold,
)
from index.attribute.context import ents_within, hyphenated_start, is_word_hyphen
from index.attribute.cues import (
    GROUP_PRONOUNS,
    ORGANISATION_NOUNS,
    PERSON_PRONOUNS,
    TITLE_SYNONYMS,
)

POSSESSIVE = re.compile(r"\s*['’]s?$")
LEADING_DETERMINER = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
ORGANISATION_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
ROLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "punct", "prep", "pobj", "nummod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
PRONOUN_GENDER = {"she": "f", "her": "f", "hers": "f", "he": "m", "him": "m", "his": "m"}


def slugify(name: str) -> str:
    """A stable id for a name: its folded words (``index.speakers.fold``: lower case,
    accents off, any script kept) joined by hyphens: "José Ortega" -> "jose-ortega",
    "Søren Kjær" -> "søren-kjær", "Олена Коваль" -> "олена-коваль". A Latin-script name
    keeps the id it had when ids were ASCII-only; names in other scripts no longer all
    become "unknown"."""
    return re.sub(r"[\W_]+", "-", fold(name)).strip("-") or "unknown"


def clean_name(text: str) -> str:
    """A mention's text without a possessive ending, leading article or edge spaces."""
    text = POSSESSIVE.sub("", text.strip())
    return LEADING_DETERMINER.sub("", text).strip(" ,;:")


def name_text(tokens) -> str:
    """The words of a name as written, one space between words and none around a hyphen
    inside a word: Priya, Okonkwo, -, Hale -> "Priya Okonkwo-Hale"."""
    text = ""
    for n, token in enumerate(tokens):
        glued = n and (is_word_hyphen(token) or is_word_hyphen(tokens[n - 1]))
        text += ("" if glued or not text else " ") + token.text
    return text


def _person_like(ent) -> bool:
    """An entity the recogniser tagged as an organisation or place that is a person's
    name: a title before it ("Councillor Tomas Reyes", "Mayor Ilse Varga") or two or three
    capitalised proper nouns that speak ("Ilse Varga said"), with no organisation word."""
    words = [t for t in ent if not t.is_punct]
    if not 2 <= len(words) <= 4 or any(t.lower_ in ORGANISATION_WORDS for t in words):
        return False
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words):
        return False
    titled = split_title(clean_name(ent.text))[0] is not None or (
        ent.start > 0 and ent.doc[ent.start - 1].lower_ in HONORIFICS)
    speaks = ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.pos_ == "VERB"
    return titled or speaks


def is_role_word(token: Token) -> bool:
    """A word that says what a person is, not who: a role noun ("Resident", "Commuter", see
    ``ROLE_NOUNS``) or a capitalised word the tagger reads as a common noun ("Farmer")."""
    return token.lower_ in ROLE_NOUNS or token.pos_ == "NOUN"


def names_a_role(ent) -> bool:
    """An entity the recogniser tagged as a person that is only role words: "[Campaigner]
    Wilhelmina [Achterberg] said", where it tags the role and the surname apart and leaves
    the first name out. It names no one: the surname's entity gives the name."""
    words = [t for t in ent if not t.is_punct]
    return bool(words) and all(t.lower_ in ROLE_NOUNS for t in words)


def role_prefix(tokens) -> int:
    """How many of ``tokens`` are role words before a name of at least two words, which
    the recogniser often takes for part of the name when a sentence starts with them:
    "Resident Yvette Marchand" -> 1. A first name that is also a word stays a name:
    "Rose Baker", "Hope Mills" -> 0 (and "Grace Chen Li": "grace" names no role)."""
    tokens = list(tokens)
    n = 0
    while n < len(tokens) and (is_role_word(tokens[n]) or written_as_role(tokens[n])):
        n += 1
    names = [t for t in tokens[n:] if not is_word_hyphen(t)]
    return n if len(names) >= 2 else 0


ROLE_ENDINGS = ("er", "or", "ist", "ian", "eer", "master", "man", "woman")


def written_as_role(token: Token) -> bool:
    """A capitalised word that names a role though no list has it: it ends as agent nouns
    do (-er, -or, -ist, -ian, -master, ...) and the same article writes it in lower case
    as a common noun: "Beekeeper Oriel Vance said ... the beekeeper added" -> "Beekeeper"
    is a role. "Baker Tom Mason" with no "baker" elsewhere stays a name word."""
    lower = token.lower_
    if not (token.text[:1].isupper() and lower.endswith(ROLE_ENDINGS)):
        return False
    doc = token.doc
    nouns = doc.user_data.get("whosaid_lower_nouns")
    if nouns is None:
        nouns = doc.user_data["whosaid_lower_nouns"] = frozenset(
            t.text for t in doc if t.pos_ == "NOUN" and t.text.islower())
    return lower in nouns


NAME_LINKS = frozenset({"compound", "flat"})
INITIAL = re.compile(r"[A-Z]\.")


def _may_extend_name(token: Token) -> bool:
    """A word that can be part of a person's name: a capitalised proper noun or an initial
    ("J."), not an acronym ("U.N."), and no title, role or organisation word or part of
    another entity."""
    text = token.text
    capitalised = text[:1].isupper() and (text != text.upper() or bool(INITIAL.fullmatch(text)))
    return (token.pos_ == "PROPN" and capitalised and token.ent_type_ in ("", "PERSON")
            and token.lower_.rstrip(".") not in TITLE_WORDS and token.lower_ not in ORGANISATION_WORDS
            and not is_role_word(token))


def _name_head(token: Token) -> Token:
    """The word a chain of compounds hangs on: "Jean" -> "Luc" -> "Smith" in "Jean-Luc
    Moreau-Smith" (spaCy hangs every part of a name on its last word)."""
    while token.dep_ in NAME_LINKS and token.head is not token:
        token = token.head
    return token


def _joined(token: Token, start: int, end: int) -> bool:
    """True if ``token`` hangs on the same word as a word of ``doc[start:end]``, as the
    words of one name do."""
    return any(_name_head(t).i == _name_head(token).i for t in token.doc[start:end])


def _name_words(tokens) -> int:
    """How many words a name has, a hyphenated word one and an initial none: "Jean-Luc
    Moreau-Smith" and "Dagny J. Pardoe" have two."""
    return sum(not INITIAL.fullmatch(w) for w in name_text(list(tokens)).split())


def whole_name(ent) -> SpacySpan:
    """The whole name of a person the recogniser tagged by one word of it: the first name
    and surname around it, capitalised proper nouns linked as one name, hyphenated words
    whole ("said councillor [Dagny] Pardoe" -> "Dagny Pardoe", "Teacher Ana [Kovec]" ->
    "Ana Kovec"). It stops at anything else: a possessive, a comma, a title ("Mayor"), a
    role word, an organisation word, another entity. An entity of two words or more is
    kept: the capitalised words around it are a headline's or a title's ("Rival [Hillary
    Clinton]")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    grown = True
    while grown:
        grown = False
        # the word after, or the rest of a hyphenated word ("Moreau" then "-Smith")
        within = end < len(doc) - 1 and is_word_hyphen(doc[end])
        after = end + 1 if within else end
        if (after < len(doc) and (within or _name_words(doc[start:end]) < 2)
                and _may_extend_name(doc[after]) and _joined(doc[after], start, end)):
            end, grown = after + 1, True
        # the word before, a hyphenated word whole ("Jean-Luc" before "Moreau")
        within = start > 0 and is_word_hyphen(doc[start - 1])
        before = start - 1 if within else start
        if before and (within or _name_words(doc[start:end]) < 2):
            first = hyphenated_start(doc[before - 1])
            words = [t for t in doc[first.i : start] if not is_word_hyphen(t)]
            if all(map(_may_extend_name, words)) and _joined(words[-1], start, end):
                start, grown = first.i, True
    # a name's words hang on its last: "[Obama] Power" of "Obama Power Plant" is no name
    if any(_name_head(t).i != end - 1 for t in doc[start:end] if not is_word_hyphen(t)):
        return ent
    return doc[start:end]


def split_title(name: str) -> tuple[str | None, str]:
    """``(title, name)`` of a name the entity recogniser tagged with its title:
    "Mayor Helga Strand" -> ("Mayor", "Helga Strand"); at least two name words stay, but a
    courtesy title is never a name word: "Ms Calloway" -> ("Ms", "Calloway"), as "Ms."
    with its full stop is (it used to make a person whose first name was "Ms")."""
    words = name.split()
    i = 0
    while i < len(words) - 2 and re.sub(r"\W", "", words[i]).lower() in HONORIFICS:
        i += 1
    if i == len(words) - 2 and re.sub(r"\W", "", words[i]).lower() in COURTESY_TITLES:
        i += 1
    return (" ".join(words[:i]), " ".join(words[i:])) if i else (None, name)


@dataclass
class Person:
    """A person of the article: fullest name, the other names used, a role if given."""

    name: str
    surname: str
    forenames: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    # "f", "m", or None when the text does not say (or says both)
    gender: str | None = None
    _genders: set[str] = field(default_factory=set, repr=False)
    _pronoun_genders: set[str] = field(default_factory=set, repr=False)

    def note_pronoun(self, gender: str | None) -> None:
        """Take the gender of a pronoun resolved to this person ("“...,” he said"; "[Her]
        cousin Tobias Calloway" for the person named before). Weaker than a title (the
        resolution may be wrong): it only tells namesakes apart by a courtesy title
        (``likely_gender``) and is neither ``gender`` nor stored on the speaker."""
        if gender:
            self._pronoun_genders.add(gender)

    @property
    def likely_gender(self) -> str | None:
        """The gender titles and descriptions give, else the one pronouns referring to the
        person agree on, else ``None``."""
        if self._genders:
            return self.gender
        return next(iter(self._pronoun_genders)) if len(self._pronoun_genders) == 1 else None

    def note_gender(self, words: str | None) -> None:
        """Take the gender a title or description gives ("Ms.", "her brother"), if any.
        Only its last word (its head) counts: "brother of former presidents [George
        Bush]" or "finance chairman for [Hillary Clinton]" describe someone else."""
        found = re.findall(r"[a-z]+", (words or "").lower())
        if found and found[-1] in FEMININE_WORDS:
            self._genders.add("f")
        elif found and found[-1] in MASCULINE_WORDS:
            self._genders.add("m")
        self.gender = next(iter(self._genders)) if len(self._genders) == 1 else None

    @property
    def genders(self) -> set[str]:
        """Every gender the article's titles and descriptions gave ("f", "m")."""
        return set(self._genders)

    def add_form(self, form: str) -> None:
        if form != self.name and form not in self.aliases:
            self.aliases.append(form)


@dataclass
class Resolved:
    """A resolved source: display name, kind, and the surface form used."""

    name: str | None
    kind: str
    surface: str
    role: str | None = None
    person: Person | None = None


# words that make a role another post than its head noun alone: "former mayor", "deputy chair"
OTHER_POST_WORDS = frozenset({"former", "ex", "ex-", "deputy", "vice", "assistant", "acting", "interim", "late",
                              "outgoing", "incoming", "previous"})
ROLE_LINKS = frozenset({"of", "to", "for", "the", "-"})
COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx"})
TITLE_LINKS = frozenset({"of", "to", "for"})
MAX_ROLE_WORDS = 8


def _title_before(doc: Doc, ent_start: int) -> str | None:
    """The title just before a name: "Russian Foreign Minister [Sergey Lavrov]",
    "U.S. Ambassador to the U.N. [Linda Thomas-Greenfield]". A plural possessive's lone
    apostrophe (a punctuation mark to the tokenizer) is part of it: "[Teachers' union
    leader] Mette Sund", not "union leader"."""
    start = ent_start
    while start > 0 and ent_start - start < MAX_ROLE_WORDS:
        prev = doc[start - 1]
        if prev.lower_ in ROLE_LINKS or prev.tag_ == "POS" or (
                prev.pos_ in ("PROPN", "NOUN", "ADJ", "PART") and not prev.is_punct):
            if prev.tag_ == "PRP$" or is_name_word(prev) or prev.text.startswith("’") and prev.pos_ != "PART":
                break
            start -= 1
        else:
            break
    while start < ent_start and (doc[start].lower_ in ROLE_LINKS or doc[start].pos_ == "PART"):
        start += 1
    end = ent_start
    while end > start and doc[end - 1].lower_.rstrip(".") in COURTESY_TITLES:
        end -= 1  # "Festival director Ms. Nadia Brook": the role is "Festival director"
    for i in range(start + 1, end):
        # "Secretary of State", "Ambassador to the U.N." are titles; in "a pointed critique
        # of President [Bush]" or "finance chairman for [Clinton]" the words before the
        # link are about something or someone else
        if doc[i].lower_ in TITLE_LINKS and doc[i - 1].lower_.rstrip(".") not in TITLE_WORDS:
            start = i + 1
    if start < end and doc[end - 1].lower_ in TITLE_LINKS:
        return None
    tokens = doc[start:end]
    if not len(tokens) or not any(t.pos_ in ("NOUN", "PROPN") for t in tokens):
        return None
    return tokens.text


def is_name_word(token: Token) -> bool:
    """A word of a person's name: tagged PERSON and a proper noun (the recogniser also tags
    a capitalised common noun before a name: "[Café] owner Ana Pereira", "[Nurse Ana Kovec]"),
    not a role noun."""
    return token.ent_type_ == "PERSON" and token.pos_ == "PROPN" and token.lower_ not in ROLE_NOUNS


def _closed_apposition(noun: Token) -> bool:
    """True if the apposition is closed: it ends at punctuation, or right before the verb
    its name is subject of ("Emily Horne, the spokesperson said"). Not the subject of a
    misparsed clause: "..., Marta Lindqvist, [the repair] will cost ...". The comma that
    closes it may be parsed as its own last word: "According to Kestrel Iversholt, [the
    city's chief engineer,] the review ..."."""
    doc = noun.doc
    after = noun.right_edge.i + 1
    if after >= len(doc) or doc[after].is_punct or doc[after].is_space or doc[after - 1].text == ",":
        return True
    return doc[after].i == noun.head.head.i


def _description_start(noun: Token) -> int:
    """Where a description headed by ``noun`` starts, its article and punctuation left out."""
    start = noun.left_edge.i
    while start < noun.i and noun.doc[start].dep_ in ("det", "punct"):
        start += 1
    return start


def _apposition_noun(ent_root: Token) -> Token | None:
    """The head noun of a description in apposition after a name: "Emily Horne, the
    [spokesperson]"."""
    for child in ent_root.rights:
        if (child.dep_ == "appos" and child.pos_ == "NOUN" and _closed_apposition(child)
                and child.i + 1 - _description_start(child) <= MAX_ROLE_WORDS):
            return child
    return None


def _apposition_after(ent_root: Token) -> str | None:
    """A description in apposition after a name: "Emily Horne, [the spokesperson]"."""
    noun = _apposition_noun(ent_root)
    return None if noun is None else noun.doc[_description_start(noun) : noun.i + 1].text


def names_a_post(noun: Token | None) -> bool:
    """True if a description's head noun is a person's post or trade: "the city's chief
    [engineer]", "a [spokeswoman]" (titles, role nouns and the titles' synonyms)."""
    return noun is not None and noun.lemma_.lower() in HONORIFICS | ROLE_NOUNS | TITLE_SYNONYMS.keys()


def role_before_name(name: Token) -> Token | None:
    """The head noun of a role phrase right before a name that the parser made a second
    subject of the name's verb: "[Farmers' union chair] Odo Kelleway called the closure
    ...", "Former deputy [mayor] Ysolde Eskelund called ..." (both "chair" and "Kelleway"
    subjects of "called"). The name is two to four capitalised proper nouns with no
    organisation word, the whole subtree of ``name``; the role phrase (common nouns,
    possessives, titles: "Farmers'", "union") ends right before it. ``None`` otherwise."""
    doc = name.doc
    if name.dep_ not in SUBJECT_DEPS or name.pos_ != "PROPN" or name.right_edge.i != name.i:
        return None
    first = name.left_edge.i
    words = [t for t in doc[first : name.i + 1] if not is_word_hyphen(t)]
    if not (2 <= len(words) <= 4 and all(
            t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in ORGANISATION_WORDS for t in words)):
        return None
    role = next((c for c in name.head.lefts if c.dep_ in SUBJECT_DEPS and c.right_edge.i == first - 1), None)
    return role if role is not None and role.pos_ == "NOUN" else None


def _split_apposition(span, head: Token) -> tuple[str, str | None]:
    """The name of a source and the description set off by commas after it, its role:
    "The Tarnwick Rowing Club, the town's oldest club," -> ("Tarnwick Rowing Club", "town's
    oldest club"). A source with no such description is its whole text, no role."""
    noun = _apposition_noun(head)
    comma = noun.left_edge.i - 1 if noun is not None else -1
    if noun is None or not span.start < comma < span.end or span.doc[comma].text != ",":
        return clean_name(span.text), None
    return clean_name(span.doc[span.start : comma].text), _apposition_after(head)


def _role_of(ent_root: Token, ent_start: int) -> str | None:
    """The title before a name, or the apposition after it."""
    return _title_before(ent_root.doc, ent_start) or _apposition_after(ent_root)


# how a name can hang on the head of a source and still name the source itself:
# "Mayor [Ana Kovec]", "the engineer, [Marta Lindqvist]", "[Kovec] and Reyes", "[Kovec]'s office";
# not "a spokesperson for [Dana Whitfield]" or "exit polls, which [Trump] won"
NAMING_DEPS = frozenset({"compound", "appos", "flat", "conj", "poss", "nmod"})


def _names_the_head(ent, head: Token) -> bool:
    """True if the name ``ent`` names the source whose head is ``head``, not a person the
    source only mentions."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start else None
    if before is not None and before.text == "," and (ent.end >= len(doc) or doc[ent.end].is_punct):
        return True  # set off by commas, an apposition however parsed: "the minister, [Ana Kovec],"
    token = ent.root
    # "U.S. Ambassador to the U.N. Linda Thomas", parsed with the name as the object of "to":
    # a name right after a place or body ends the title; after a title or the preposition
    # itself it is a person the source mentions ("aides to [Mayor] Dana Whitfield")
    if (token.dep_ == "pobj" and token.head.dep_ == "prep" and before is not None
            and before.i != token.head.i and before.pos_ == "PROPN"
            and before.lower_.rstrip(".") not in TITLE_WORDS):
        token = token.head.head
    while token.i != head.i:
        if token.head is token:
            return True  # a name outside the head's subtree: an unusual parse, keep the name
        # "The Council on American-Islamic Relations Director Nihad Awad", parsed with the
        # name as the object of "on": a preposition inside an organisation's name links nothing
        prep = token if token.dep_ == "prep" else token.head if token.dep_ == "pobj" else None
        part_of_name = prep is not None and prep.ent_type_ not in ("", "PERSON")
        if token.dep_ not in NAMING_DEPS and not part_of_name:
            return not any(t.i == head.i for t in token.ancestors)
        token = token.head
    return True


def _description_before(words) -> str | None:
    """The description a source puts before a name, set off by a comma: "[the city
    engineer], Marta Lindqvist" -> "city engineer"."""
    if len(words) < 2 or words[-1].text != "," or words[-2].pos_ != "NOUN":
        return None
    start = 0
    while start < len(words) - 2 and words[start].dep_ in ("det", "punct"):
        start += 1
    return words[start : len(words) - 1].text


def title_word(doc: Doc, i: int) -> str | None:
    """The title right before the name word ``doc[i]``: "Mayor [Brask]" -> "mayor",
    "Ms. [Brask]" -> "ms"."""
    word = doc[i - 1].lower_.rstrip(".") if i > 0 else ""
    return word if word in HONORIFICS else None


def _title_fits(person: Person, title: str) -> bool | None:
    """Whether a title fits a person: a courtesy title by gender ("Ms." and a brother do
    not fit; ``None`` when the gender is unknown), any other by the person's role ("Mayor"
    fits "Mayor" and "mayor of Port Calloway", not "fisherman" or no role)."""
    gender = "f" if title in FEMININE_WORDS else "m" if title in MASCULINE_WORDS else None
    if title in COURTESY_TITLES:
        known = person.likely_gender
        return None if gender is None or known is None else known == gender
    return title in {w.lower().strip(",.") for w in (person.role or "").split()}


def titled(people: list[Person], title: str | None) -> Person | None:
    """Of namesakes, the one a title before their bare surname fits: "Mayor Ingrid Brask
    ... the fisherman Olaf Brask ... Mayor Brask" -> Ingrid; "Ms. Brask" after "her
    brother Olaf Brask" -> the other one. One known to fit, else one not known to misfit;
    ``None`` when none or several fit (the caller's own rule decides)."""
    if not title or len(people) < 2:
        return None
    fits = [_title_fits(p, title) for p in people]
    for accepted in ((True,), (True, None)):
        chosen = [p for p, fit in zip(people, fits) if fit in accepted]
        if chosen:
            return chosen[0] if len(chosen) == 1 else None
    return None


class ArticleSpeakers:
    """Person clusters and mention order of one article, and source resolution."""

    def __init__(self, doc: Doc, furniture=()) -> None:
        self.doc = doc
        self.furniture = [(f.start, f.end) for f in furniture]
        self.people: list[Person] = []
        # (char offset, person, in subject position) for every person mention
        self.mentions: list[tuple[int, Person, bool]] = []
        self.speakers: list[tuple[int, Person]] = []
        self.organisations: list[tuple[int, str]] = []
        self._collect_people()

    # -- building the clusters

    def _person_for(self, name: str) -> Person:
        words = name.split()
        surname = words[-1].lower()
        forenames = " ".join(words[:-1]).lower()
        if not forenames:
            # the article's people are collected in text order, so the last mention with
            # this surname is the nearest before it: "Jonas Feld ... Ingrid Feld ... Jonas
            # Feld ... Feld" is Jonas
            mentioned = next((p for _, p, _ in reversed(self.mentions) if p.surname == surname), None)
            if mentioned is not None:
                mentioned.add_form(name)
                return mentioned
        for person in reversed(self.people):
            if person.surname != surname:
                continue
            if not forenames or not person.forenames or person.forenames.split()[0] == forenames.split()[0]:
                if len(words) > len(person.name.split()):
                    person.add_form(person.name)
                    person.name, person.forenames = name, forenames
                else:
                    person.add_form(name)
                return person
        person = Person(name=name, surname=surname, forenames=forenames)
        self.people.append(person)
        return person

    def _in_furniture(self, start: int, end: int) -> bool:
        return any(start < fe and fs < end for fs, fe in self.furniture)

    def _name_mentions(self) -> list[SpacySpan]:
        """The recogniser's entities in text order, with the names it missed (or took for a
        place or a body) of a namesake of a person it found: a capitalised proper noun
        before that person's surname, no title, role or organisation word ("Skipper [Oren]
        Vallis said" untagged, or "according to [Ines Calloway]" tagged a place, with
        "Mette Vallis", "Tobias Calloway" found). Without them a later "Mr Vallis" could
        only be Mette, and took her for a man."""
        ents = list(self.doc.ents)
        # the people of the article's text: a heading's tags are no evidence ("# Kestrel Park
        # turn down ..." tagged a person would make every "Kestrel Park" a namesake)
        surnames = {e[-1].lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 and e[-1].is_alpha
                    and not self._in_furniture(e.start_char, e.end_char)}
        missed = []
        for token in self.doc:
            before = self.doc[token.i - 1] if token.i else None
            if (token.lower_ not in surnames or before is None or not token.text[:1].isupper()
                    or token.pos_ != "PROPN" or before.pos_ != "PROPN" or not before.is_title
                    or before.ent_type_ == "PERSON" and token.ent_type_ == "PERSON"
                    or before.lower_.rstrip(".") in TITLE_WORDS or is_role_word(before)
                    or before.lower_ in ORGANISATION_WORDS):
                continue
            if token.i + 1 < len(self.doc) and self.doc[token.i + 1].ent_iob_ == "I":
                continue  # part of a longer name: "the [Tobias Calloway] Trust"
            missed.append(SpacySpan(self.doc, before.i, token.i + 1, label="PERSON"))
        if not missed:
            return ents
        kept = [e for e in ents if not any(e.start < m.end and m.start < e.end for m in missed)]
        return sorted(kept + missed, key=lambda e: e.start)

    def _collect_people(self) -> None:
        for ent in self._name_mentions():
            if self._in_furniture(ent.start_char, ent.end_char):
                continue  # headings and front matter name no speakers
            if ent.label_ != "PERSON" and not _person_like(ent) or names_a_role(ent):
                continue
            if not any(t.pos_ == "PROPN" for t in ent) and ent.root.dep_ == "compound":
                continue  # a common noun in a title, tagged as a name: "[Café] owner Ana Pereira"
            whole = whole_name(ent) if ent.label_ == "PERSON" else ent
            start = whole.start + role_prefix(whole)
            title, name = split_title(clean_name(self.doc[start : whole.end].text))
            if not name or not name[0].isupper():
                continue
            person = self._person_for(name)
            root = ent.root
            namesakes = [p for p in self.people if p.surname == person.surname]
            if " " not in name and len(namesakes) > 1:
                # "President Bush" with Laura, Jeb and George W. Bush in the article: the bare
                # surname joined the one named last, but its title may fit another
                person = titled(namesakes, title_word(self.doc, hyphenated_start(whole[-1]).i)) or person
                self.mentions.append((ent.start_char, person, root.dep_ in SUBJECT_DEPS))
                continue
            role = title or _role_of(ent.root, start)
            if role and not person.role:
                person.role = role
            described = root.head if root.dep_ == "appos" and root.head.pos_ == "NOUN" else None
            for words in (title, role, _apposition_after(root), ent.doc[start - 1].text if start else None,
                          described.text if described is not None else None):
                person.note_gender(words)
            # a name in apposition to a subject is the subject: "Her brother, Tom Whitfield, disagreed"
            is_subject = root.dep_ in SUBJECT_DEPS or (
                root.dep_ == "appos" and root.pos_ == "PROPN" and root.head.dep_ in SUBJECT_DEPS)
            self.mentions.append((ent.start_char, person, is_subject))

    # -- resolution

    def note_speaker(self, offset: int, resolved: Resolved) -> None:
        """Remember a resolved speaker: the most salient antecedent for later pronouns."""
        if resolved.person is not None:
            self.speakers.append((offset, resolved.person))
        elif resolved.kind == "organisation" and resolved.name:
            self.organisations.append((offset, resolved.name))

    def _recent_person(self, offset: int, gender: str | None = None) -> Person | None:
        """The person a pronoun at ``offset`` refers to: the most recent speaker or
        subject whose known gender (if any) agrees with the pronoun's ``gender``."""
        def fits(person: Person) -> bool:
            return gender is None or person.gender in (None, gender)

        best: tuple[int, Person] | None = None
        for pos, person in self.speakers:
            if pos < offset and fits(person) and (best is None or pos > best[0]):
                best = (pos, person)
        for pos, person, is_subject in self.mentions:
            if is_subject and pos < offset and fits(person) and (best is None or pos > best[0]):
                best = (pos, person)
        if best is None:
            earlier = [(pos, p) for pos, p, _ in self.mentions if pos < offset and fits(p)]
            if earlier:
                best = earlier[-1]
        return best[1] if best else None

    def _bearers(self, surname: str, offset: int, forename: str | None = None,
                 title: str | None = None) -> list[Person]:
        """The people a surname at ``offset`` may be: of those whose forenames have
        ``forename`` (the word before the surname, if the mention has one), the one its
        ``title`` fits ("Mayor Brask": ``titled``), else the one mentioned last before it
        ("Jonas Feld said ... “...,” Feld said. Ingrid Feld said ...": Jonas); with none
        mentioned before it, each of them (one is that person; several, the text has not
        yet said which). A forename no namesake has is someone else: "..., according to
        Ines Calloway" with only a Tobias Calloway known (the recogniser missed Ines) is
        nobody known yet (``[]``), not Tobias."""
        bearers = [p for p in self.people if p.surname == surname]
        if forename:
            bearers = [p for p in bearers if not p.forenames or forename in p.forenames.split()]
        chosen = titled(bearers, title)
        if chosen is not None:
            if title in COURTESY_TITLES:
                chosen.note_gender(title)  # "Ms Calloway" of two Calloways: the text calls her a woman
            return [chosen]
        ids = {id(p) for p in bearers}
        before = [(pos, p) for pos, p, _ in self.mentions if pos < offset and id(p) in ids]
        before += [(pos, p) for pos, p in self.speakers if pos < offset and id(p) in ids]
        return [max(before, key=lambda m: m[0])[1]] if before else bearers

    def _by_surname(self, span, offset: int) -> list[Person]:
        """The people a mention the entity recogniser missed ("Zelenskiy told", tagged as
        an organisation) may be, by its last proper noun as a surname, hyphenated words
        whole ("Okonkwo-Hale said"), and the name words before it (``_bearers``). A person
        known only by that surname takes the fuller name: "Jean-Luc Moreau-Smith, the
        chairman" names the "Moreau-Smith" of a later sentence."""
        # a capitalised word the tagger took for a common noun ("Reyes added") or an adverb
        # ("Ebberly said") still counts: it must match the surname of a person already named
        # in the article
        names = [t for t in span if t.pos_ == "PROPN" or (t.pos_ in ("NOUN", "ADV") and t.text[:1].isupper())]
        if not names or names[-1].i != span.root.i:
            return []
        first = hyphenated_start(names[-1])
        while (first.i > span.start and span.doc[first.i - 1].pos_ == "PROPN" and span.doc[first.i - 1].is_title
               and not is_role_word(span.doc[first.i - 1])):
            first = hyphenated_start(span.doc[first.i - 1])
        title, name = split_title(clean_name(name_text(span.doc[first.i : names[-1].i + 1])))
        words = name.split()
        if not words:
            return []
        forename = words[-2].lower() if len(words) > 1 else None
        # "Ms Calloway": the title split_title took off a bare surname
        title = title_word(span.doc, first.i) or (
            re.sub(r"\W", "", title.split()[-1]).lower() if title and len(words) == 1 else None)
        if forename in HONORIFICS:
            # "Mayor Brask": split_title keeps two words, but the first is a title
            title, forename = forename, None
        bearers = self._bearers(words[-1].lower(), offset, forename, title)
        # a forename no namesake has is a namesake of its own, whatever the recogniser took
        # the name for: "Tobias Calloway ... according to deputy harbourmaster [Ines
        # Calloway]" (tagged as a place) is Ines, not Tobias
        namesake = any(p.surname == words[-1].lower() for p in self.people)
        new_namesake = (forename and not bearers and namesake
                        and not any(w.lower() in ORGANISATION_WORDS for w in words))
        if new_namesake or len(bearers) == 1 and forename and not bearers[0].forenames:
            person = self._person_for(name)
            self._describe(person, title, span.root, first.i)
            return [person]
        return bearers

    def _person_from_name(self, span) -> Person | None:
        """A person the entity recogniser missed, named in full as a source: a title and
        a name ("Councillor Tomas Reyes warned"), or two or three capitalised proper nouns,
        perhaps with a description in apposition ("Ilse Vask, the chairman, said")."""
        root = span.root
        doc = span.doc
        # words of the name the parser hung on its first word: "Ysolde [Eskelund], the
        # city's chief engineer, told" with "Eskelund" an adverb of "Ysolde"
        end = root.i + 1
        while end < span.end and doc[end].text[:1].isupper() and root.is_ancestor(doc[end]):
            end += 1
        noun = _apposition_noun(doc[end - 1]) or _apposition_noun(root)
        if end < span.end and (doc[end].text != "," or noun is None):
            return None
        bearer = noun.head if noun is not None else root
        named = doc[span.start : end]
        tokens = [t for t in named if (not t.is_punct or is_word_hyphen(t)) and t.lower_ not in ("the", "a", "an")]
        role_words, tokens = tokens[: role_prefix(tokens)], tokens[role_prefix(tokens) :]
        words = [t for t in tokens if not is_word_hyphen(t)]
        if not words or any(t.ent_type_ in ("GPE", "NORP") for t in words):
            return None
        # before a description of a person's post the capitalised words are a name even
        # where the tagger reads one as another part of speech: "Ysolde [Eskelund], the
        # city's chief engineer, told reporters" (an adverb there)
        post = names_a_post(noun)
        if not (2 <= len(words) <= 5 and all(
                t.text[:1].isupper() and (t.pos_ == "PROPN" or post and not t.is_stop) for t in words)):
            return None
        found = self._missed_person(tokens, words)
        if found is None:
            return None
        person, title = found
        self._describe(person, title or (" ".join(t.text for t in role_words) or None), bearer, tokens[0].i)
        return person

    def _missed_person(self, tokens: list[Token], words: list[Token]) -> tuple[Person, str | None] | None:
        """The person a name the recogniser missed is (``tokens``, its ``words`` without
        hyphens), with the title written before it ("Chief Engineer"); ``None`` for an
        organisation's words or less than a full name."""
        if any(t.lower_ in ORGANISATION_WORDS for t in words):
            return None
        title, name = split_title(clean_name(name_text(tokens)))
        if len(name.split()) < 2:
            return None
        return self._person_for(name), title

    def _name_before_post(self, span, head: Token) -> Person | None:
        """A person the recogniser missed, named before the description of their post that
        the parser took for the source (the comma that would close the apposition is
        missing, ``rules.missed_name_before``): "Sabeth Ebberly, the city's chief engineer
        confirmed" -> Sabeth Ebberly, role "city's chief engineer"."""
        doc = span.doc
        comma = head.left_edge.i - 1
        if head.pos_ != "NOUN" or not names_a_post(head) or not span.start < comma or doc[comma].text != ",":
            return None
        tokens = [t for t in doc[span.start : comma] if not t.is_punct or is_word_hyphen(t)]
        words = [t for t in tokens if not is_word_hyphen(t)]
        if not (2 <= len(words) <= 4 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words)):
            return None
        found = self._missed_person(tokens, words)
        if found is None:
            return None
        person, title = found
        role = title or clean_name(doc[comma + 1 : head.i + 1].text)
        if not person.role:
            person.role = role
        person.note_gender(role)
        return person

    def _name_after_role(self, span, head: Token) -> Person | None:
        """A person the recogniser missed (or took for a place or body), named after a role
        phrase the parser made a subject of its own (``role_before_name``): "Farmers' union
        chair Sabeth Ebberly said" with "Sabeth Ebberly" a place -> Sabeth Ebberly, role
        "Farmers' union chair" (the title before the name, as a recognised name gets it).
        A name the recogniser took for a place is a person collected already (it speaks,
        ``_person_like``)."""
        role = role_before_name(head)
        if role is None or role.left_edge.i < span.start or head.left_edge.i >= span.end:
            return None
        name = clean_name(name_text(self.doc[head.left_edge.i : head.i + 1]))
        known = next((p for p in reversed(self.people) if p.name == name), None)
        return known or self._person_from_name(self.doc[head.left_edge.i : span.end])

    @staticmethod
    def _describe(person: Person, title: str | None, root: Token, start: int) -> None:
        """Give a person whose name the recogniser missed the role and gender the text gives
        there, as a recognised name gets them: its title, the one before the name, or a
        description in apposition after it ("Eero Tamm-Roos, the chairman" -> chairman)."""
        role = title or _role_of(root, start)
        if role and not person.role:
            person.role = role
        for words in (title, role, _apposition_after(root)):
            person.note_gender(words)

    def _person_by_description(self, head: Token, offset: int) -> Person | None:
        """The person a definite description ("the minister", "its chair") refers to: the
        one mentioned last before it (or who spoke last) whose role shares its head noun and
        agrees on place. Before any such person is named, the one person the article later
        gives that role, if there is only one: a lede often describes before it names ("a
        move its chair said would save 310,000 crowns ... board chair Marguerite Olusola
        said" -> Marguerite Olusola)."""
        words = {head.lemma_.lower()} | TITLE_SYNONYMS.get(head.lemma_.lower(), frozenset())
        places = [
            t.text.lower()[:5] for t in head.subtree
            if t.i < head.i and (t.ent_type_ in ("GPE", "NORP") or t.pos_ == "PROPN")
        ]

        def fits(person: Person) -> bool:
            if not person.role:
                return False
            role_words = {w.lower().strip(",") for w in person.role.split()}
            if not words & role_words:
                return False
            return not places or all(any(w.startswith(p) for w in role_words) for p in places)

        seen = sorted([(pos, person) for pos, person, _ in self.mentions] + self.speakers, key=lambda m: m[0])
        before = [person for pos, person in seen if pos < offset and fits(person)]
        if before:
            return before[-1]
        # named later: only a description with no words the role lacks ("the union's chair"
        # is not "board chair Ana Kovec"), and a role without words that make it another
        # post ("former mayor", "deputy mayor" are not "the mayor")
        described = {t.lower_ for t in head.children
                     if t.dep_ in ("poss", "compound", "amod", "nmod") and t.pos_ in ("NOUN", "PROPN", "ADJ")}

        def named_later(person: Person) -> bool:
            role_words = {w.lower().strip(",") for w in (person.role or "").split()}
            return (fits(person) and described <= role_words
                    and not (OTHER_POST_WORDS & role_words) - described)

        later = {id(person): person for pos, person in seen if pos > offset and named_later(person)}
        return next(iter(later.values())) if len(later) == 1 else None

    def _apposed_name(self, head: Token) -> Resolved | None:
        """A description with a name in apposition is that person, the description their
        role: "Rovers chief executive, Lionel Vask" -> Lionel Vask (NER may miss the name)."""
        if head.pos_ != "NOUN":
            return None
        for child in head.rights:
            tokens = list(child.doc[child.left_edge.i : child.i + 1])
            name = name_text(tokens)
            if child.dep_ != "appos" or child.pos_ != "PROPN" or not 2 <= len(name.split()) <= 3:
                continue
            if not all(w.pos_ == "PROPN" and w.text[:1].isupper() for w in tokens if not is_word_hyphen(w)):
                continue
            person = self._person_for(name)
            if not person.role:
                start = head.left_edge.i
                while start < head.i and head.doc[start].dep_ in ("det", "punct"):
                    start += 1
                person.role = head.doc[start : head.i + 1].text
            return Resolved(person.name, "person", person.name, person.role, person)
        return None

    def _note_possessors(self, span, offset: int) -> None:
        """A possessive pronoun in a source refers to a person named before it, and gives
        that person's gender as a pronoun does: in "Her cousin Tobias Calloway said", "her"
        is the Calloway quoted before (so a later "Ms Calloway" is not Tobias)."""
        for token in span:
            gender = PRONOUN_GENDER.get(token.lower_) if token.tag_ == "PRP$" else None
            person = self._recent_person(offset, gender) if gender else None
            if person is not None:
                person.note_pronoun(gender)

    def resolve(self, start: int, end: int, head_i: int | None) -> Resolved:
        """Resolve the source mention ``doc[start:end]`` (``head_i`` its head token)."""
        doc = self.doc
        if head_i is not None and doc[head_i].tag_ in ("WP", "WDT") and doc[head_i].head.dep_ == "relcl":
            antecedent = doc[head_i].head.head
            start, end, head_i = antecedent.left_edge.i, antecedent.i + 1, antecedent.i
        span = doc[start:end]
        surface = clean_name(span.text)
        head = doc[head_i] if head_i is not None else span.root
        offset = span.start_char
        self._note_possessors(span, offset)
        apposed = self._apposed_name(head)
        if apposed is not None:
            return apposed
        for ent in ents_within(doc, span.start, span.end):
            if ent.label_ == "PERSON" and not names_a_role(ent) and _names_the_head(ent, head):
                whole = whole_name(ent)
                whole = doc[max(whole.start, start) : min(whole.end, end)]
                name = split_title(clean_name(doc[whole.start + role_prefix(whole) : whole.end].text))[1]
                title = title_word(doc, hyphenated_start(doc[whole.end - 1]).i)
                bearers = self._bearers(name.lower(), offset, title=title) if " " not in name else []
                if len(bearers) > 1:
                    return Resolved(None, "person", surface)  # namesakes all introduced after it
                person = bearers[0] if bearers else next(
                    (p for p in reversed(self.people) if name == p.name or name in p.aliases), None)
                if person is not None:
                    after = doc[whole.end : end].text.strip()
                    if after.startswith(",") and not person.role:
                        person.role = clean_name(after.lstrip(", ")) or None
                    described = _description_before(doc[start : whole.start])
                    if described is not None:
                        person.note_gender(described)
                        person.role = person.role or described
                    return Resolved(person.name, "person", surface, person.role, person)
        bearers = self._by_surname(span, offset)
        if len(bearers) > 1:
            # a surname before either namesake is introduced: not guessed
            return Resolved(None, "person", surface)
        person = bearers[0] if bearers else (self._person_from_name(span) or self._name_before_post(span, head)
                                             or self._name_after_role(span, head))
        if person is not None:
            return Resolved(person.name, "person", surface, person.role, person)
        lower = head.lower_
        if lower in PERSON_PRONOUNS:
            person = self._recent_person(offset, PRONOUN_GENDER.get(lower))
            if person:
                person.note_pronoun(PRONOUN_GENDER.get(lower))
                return Resolved(person.name, "person", head.text, person.role, person)
            return Resolved(None, "person", head.text)
        if lower in GROUP_PRONOUNS:
            earlier = [name for pos, name in self.organisations if pos < offset]
            if lower in ("it", "they") and earlier:
                return Resolved(earlier[-1], "organisation", head.text)
            return Resolved(None, "unknown", head.text)
        definite = any(t.dep_ in ("det", "poss") and t.lower_ not in ("a", "an") for t in head.children)
        if head.pos_ == "NOUN" and definite:
            person = self._person_by_description(head, offset)
            if person:
                return Resolved(person.name, "person", surface, person.role, person)
        org_ents = [e for e in ents_within(doc, span.start, span.end) if e.label_ in ORGANISATION_LABELS]
        # a name no person was found for is the source's words up to a description in
        # apposition, which is its role, not part of the name: "The Tarnwick Rowing Club,
        # the town's oldest club, said" -> "Tarnwick Rowing Club" (role "town's oldest club")
        named, described = _split_apposition(span, head)
        if head.lemma_.lower() in ORGANISATION_NOUNS or (
            org_ents and org_ents[-1].root == head
        ) or (head.pos_ == "PROPN" and head.ent_type_ != "PERSON"):
            return Resolved(named, "organisation", surface, role=described)
        if definite and head.lemma_.lower() in HONORIFICS | ROLE_NOUNS | TITLE_SYNONYMS.keys():
            # a post the article never names the holder of ("The mayor said ..." and no
            # mayor named): the description is the speaker, and its role, so that "the
            # mayor" in a question finds it
            return Resolved(surface or None, "unknown", surface, role=surface or None)
        return Resolved(named or None, "unknown", surface, role=described)
