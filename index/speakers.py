"""Speaker identity across articles: one person or organisation, however it is written.

Pure functions over ``Speaker`` records. "Vladimir Putin", "Putin" and "Russian
President Vladimir Putin" are one speaker; so are the transliterations "Zelenskiy",
"Zelensky" and "Zelenskyy". Two people who share a surname are kept apart when their
first names conflict ("Hillary Clinton" vs "Bill Clinton"); a bare surname joins the
registry entry it matches. A description after a name is no part of it ("Ysolde Eskelund,
the city's chief engineer" is Ysolde Eskelund), and a description that names no one ("the
mayor", "city's chief engineer") is never one speaker with a named person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from index.models import Speaker

HONORIFICS = frozenset(
    """mr mrs ms miss dr prof sen senator gov governor rep president vice minister
    secretary general gen sir dame lord lady rev pope king queen prince princess
    chancellor premier mayor judge justice ambassador spokesman spokeswoman spokesperson
    councillor councilor councilman councilwoman alderman coach captain chief engineer director
    commissioner chairman chairwoman chair officer inspector detective professor sheriff
    superintendent deputy treasurer trustee comptroller prosecutor attorney magistrate coroner
    sergeant sgt lieutenant lt colonel col corporal archbishop rabbi imam pastor reverend
    headteacher headmaster headmistress congressman congresswoman assemblyman assemblywoman
    lawmaker legislator mx""".split()
)
# nouns for what a person is or does, not titles: capitalised at the start of a sentence
# they are still no part of the name after them ("Resident Yvette Marchand said")
ROLE_NOUNS = frozenset(
    """resident villager islander neighbour neighbor tenant landlord landlady
    homeowner householder owner commuter passenger driver motorist cyclist pedestrian rider
    teacher lecturer pupil student graduate parent nurse midwife doctor surgeon dentist
    pharmacist paramedic patient carer caregiver farmer grower fisherman fisherwoman
    shopkeeper trader vendor shopper customer worker employee staffer miner builder plumber
    electrician mechanic cleaner pilot sailor soldier veteran pensioner retiree volunteer
    activist campaigner protester protestor organiser organizer voter witness eyewitness
    bystander survivor victim lawyer solicitor barrister accountant banker investor economist
    analyst researcher scientist historian architect consultant expert entrepreneur
    businessman businesswoman restaurateur hotelier publican chef artist author writer poet
    musician singer actor actress athlete player goalkeeper striker candidate nominee
    challenger incumbent rival
    harbourmaster harbormaster curator ranger warden caretaker gardener librarian archivist
    firefighter lifeguard boatman ferryman trawlerman fishmonger grocer greengrocer stallholder
    landowner developer planner surveyor technician constable supervisor foreman forewoman
    manager proprietor convenor convener clerk registrar auditor ombudsman regulator negotiator
    mediator diplomat envoy official administrator coordinator demonstrator lobbyist advocate
    journalist reporter editor columnist commentator broadcaster presenter pollster strategist
    statistician academic scholar tutor trainer referee umpire skipper physician psychiatrist
    psychologist therapist veterinarian vet ecologist biologist geologist meteorologist
    epidemiologist virologist conservationist environmentalist naturalist ornithologist
    archaeologist sociologist criminologist""".split()
)
# (surnames that are also trades, "Baker", "Mason", "Porter", "Miller", are left out: a role
# word blocks a name from growing over it)
# words of a titled name that are never the person's surname ("Foreign Minister Ana Kovec"):
# question parsing and the quote check skip them when they look for a surname
TITLE_WORDS = HONORIFICS | frozenset({"the", "prime", "foreign", "executive", "manager", "health"})
# words that make a name an organisation's, never a person's ("Harbour Authority")
ORGANISATION_WORDS = frozenset(
    """ministry council party government department agency office union committee commission
    police court bank university club company group association house kremlin nato army navy
    league board authority city state times post news press inc ltd corp federation institute
    parliament senate congress administration embassy service services foundation""".split()
)
# words in a person's title or apposition that say which pronoun refers to them
FEMININE_WORDS = frozenset(
    """ms mrs miss madam madame dame lady sister mother daughter wife aunt niece grandmother
    granddaughter girlfriend widow queen princess duchess spokeswoman chairwoman councilwoman
    congresswoman assemblywoman businesswoman policewoman sportswoman""".split()
)
MASCULINE_WORDS = frozenset(
    """mr sir lord brother father son husband uncle nephew grandfather grandson boyfriend
    widower king prince duke spokesman chairman councilman congressman assemblyman
    businessman policeman sportsman""".split()
)
# words that end a title before a name ("Secretary of State Ana Kovec")
TITLE_TAILS = frozenset({"state", "affairs", "defense", "defence", "staff", "ceo", "chairman", "leader"})
_TRANSLITERATION = (
    (re.compile(r"(iy|yy|ij|ii|yi)$"), "y"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def fold(text: str) -> str:
    """Lower case without accents, every script kept: letters that decompose lose their
    marks ("José" -> "jose", "Łódź" -> "łodz"), letters that do not are kept ("Søren" ->
    "søren", "Олена" -> "олена"); other non-ASCII characters (marks, curly apostrophes,
    dashes) are dropped, as they always were, so an all-Latin name folds exactly as it did
    when names were folded to ASCII ("O’Brien" -> "obrien") and stored ids do not change."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed.lower()
    return "".join(ch for ch in decomposed if ch.isascii() or ch.isalnum()).lower()


# words before a name that are no part of it and no title: "[Her] brother, Tom Whitfield"
_DETERMINERS = frozenset({"the", "a", "an", "her", "his", "their", "its", "our", "my", "your"})


def _names_someone(words: str) -> bool:
    """True if ``words`` hold a name (of a person or a body): a capitalised word (or one of
    a script without case) that is no title, role word or determiner, and no possessive
    before another word ("[Tarnwick's] mayor" describes). "Ysolde Eskelund", "the Harbour
    Authority", "Kovec's" name someone; "the city's chief engineer", "Tarnwick's mayor",
    "The mayor", "a spokeswoman for the ministry" do not."""
    found = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", words)
    for n, word in enumerate(found):
        if word[:1].islower() or (re.search(r"['’]s$", word) and n < len(found) - 1):
            continue
        if re.sub(r"['’]s$", "", word).lower() not in TITLE_WORDS | ROLE_NOUNS | _DETERMINERS:
            return True
    return False


@lru_cache(maxsize=65_536)
def names_no_one(name: str) -> bool:
    """True if a speaker's name is a description only, no one's name: "the mayor", "city's
    chief engineer", "Tarnwick's mayor" (see ``_names_someone``). Such a speaker is a post,
    not a person: names are never matched across it and a named person."""
    return not _names_someone(name)


# Speaker linking calls these for every candidate of every speaker of every article;
# they are pure functions of a string, so each distinct name is worked out once.
@lru_cache(maxsize=65_536)
def normalise_name(name: str) -> str:
    """Lower-case words of a name (``fold``: accents off, any script), without
    punctuation, possessive or honorifics: "Mayor Олена Коваль" -> "олена коваль".

    A description set off by a comma is no part of the name, after it or before it: of
    the comma-separated parts the first that names someone (``_names_someone``) is kept:
    "Ysolde Eskelund, the city's chief engineer" -> "ysolde eskelund", "the city
    engineer, Marta Lindqvist" -> "marta lindqvist". Titles are dropped only in front of
    a name ("Chief Engineer Ada Venn" -> "ada venn"); a description with no name after
    its titles keeps them ("the city's chief engineer" -> "city chief engineer", never
    "engineer", which any chief engineer's name would match)."""
    name = next((part for part in name.split(",") if _names_someone(part)), name)
    name = re.sub(r"['’]s\b", "", name.strip())
    words = re.findall(r"[^\W_]+(?:-[^\W_]+)*", fold(name))
    if words and words[0] == "the":
        words = words[1:]
    titles = [i for i, w in enumerate(words[:-1]) if (w in HONORIFICS or w in TITLE_TAILS)
              and words[i + 1] not in HONORIFICS and words[i + 1] not in TITLE_TAILS]
    if titles:
        words = words[titles[-1] + 1 :]
    return " ".join(words)


def display_name(name: str) -> str:
    """A person's name without the titles in front ("Councillor Tomas Reyes" -> "Tomas
    Reyes"), original spelling kept; a name that would lose all but one word is kept."""
    words = name.split()
    i = 0
    while i < len(words) - 2 and re.sub(r"\W", "", words[i]).lower() in HONORIFICS | TITLE_TAILS:
        i += 1
    return " ".join(words[i:]) if i else name


@lru_cache(maxsize=65_536)
def name_key(word: str) -> str:
    """A spelling-insensitive key for one name word (transliteration variants agree)."""
    key = word.lower()
    for pattern, replacement in _TRANSLITERATION:
        key = pattern.sub(replacement, key)
    return key


@lru_cache(maxsize=65_536)
def _parts(name: str) -> tuple[tuple[str, ...], str]:
    """``(forename keys, surname key)`` of a person's name."""
    words = normalise_name(name).split()
    if not words:
        return (), ""
    return tuple(name_key(w) for w in words[:-1]), name_key(words[-1])


def _forenames_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """First names agree when either is missing, equal, or one is the other's initial."""
    if not a or not b:
        return True
    x, y = a[0], b[0]
    return x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))


def _names(speaker: Speaker) -> list[str]:
    return [speaker.name, *speaker.aliases]


def same_person_name(a: str, b: str) -> bool:
    """True if two person names can name the same person."""
    fa, sa = _parts(a)
    fb, sb = _parts(b)
    return bool(sa) and sa == sb and _forenames_agree(fa, fb)


@lru_cache(maxsize=65_536)
def _full_key(name: str) -> str:
    """A name's spelling-insensitive key, word by word ("Mayor Olena Kovalová" -> "olena kovalova")."""
    return " ".join(map(name_key, normalise_name(name).split()))


def _full_match(a: str, b: str) -> bool:
    return _full_key(a) == _full_key(b)


def could_be_person(speaker: Speaker) -> bool:
    """A name tagged as an organisation that may well be a person: NER often tags a lone
    surname ("Varga") or a titled name ("Mayor Ilse Varga") as an organisation."""
    if speaker.kind == "person":
        return True
    words = normalise_name(speaker.name).split()
    return 1 <= len(words) <= 3 and not ORGANISATION_WORDS & set(words) and not speaker.name.isupper()


def _kinds_compatible(a: Speaker, b: Speaker) -> bool:
    if a.kind == b.kind or "unknown" in (a.kind, b.kind):
        return True
    return could_be_person(a) and could_be_person(b)


def match_speaker(speaker: Speaker, known: list[Speaker]) -> Speaker | None:
    """The registry entry that is the same speaker as ``speaker``, or ``None``.

    Prefers an exact (spelling-normalised) name match; then, for people, a surname
    match whose first names do not conflict, taking the entry with the fullest name.
    A full name never matches an entry whose full names all have another first name.
    A description that names no one ("the mayor", "city's chief engineer": ``names_no_one``)
    is never matched with a named entry, nor a name with such a description: in another
    article the post may be anyone's, and name matching cannot tell whose.
    """
    described = names_no_one(speaker.name)
    candidates = [k for k in known if _kinds_compatible(speaker, k) and names_no_one(k.name) == described]
    keys = {_full_key(x) for x in _names(speaker)}
    exact = [
        entry for entry in candidates
        if any(_full_key(y) in keys for y in _names(entry))
        and (speaker.kind != "person" or _person_compatible(speaker, entry))
    ]
    if exact and (speaker.kind == "organisation" or any(e.kind == "organisation" for e in exact)):
        return exact[0]
    if not could_be_person(speaker):
        return None
    matches = exact + [
        entry for entry in candidates
        if could_be_person(entry) and entry not in exact and _person_compatible(speaker, entry)
    ]
    if not matches:
        return None
    return max(matches, key=lambda e: len(normalise_name(e.name).split()))


def _person_compatible(a: Speaker, b: Speaker) -> bool:
    """Same surname, and no pair of full names with conflicting first names."""
    fa, sa = _parts(a.name)
    fb, sb = _parts(b.name)
    if not sa or sa != sb:
        return False
    full_a = [_parts(n)[0] for n in _names(a) if _parts(n)[1] == sa and _parts(n)[0]]
    full_b = [_parts(n)[0] for n in _names(b) if _parts(n)[1] == sb and _parts(n)[0]]
    return all(_forenames_agree(x, y) for x in full_a for y in full_b)


def merge_speakers(a: Speaker, b: Speaker) -> Speaker:
    """One record for two records of the same speaker: ``a``'s id, the fullest name,
    every other surface form as an alias, the first role known, a known kind."""
    names = [a.name, b.name]
    name = max(names, key=lambda n: (len(normalise_name(n).split()), -len(n.split()), n == a.name))
    if "person" in (a.kind, b.kind):
        name = display_name(name)
    aliases: list[str] = []
    for alias in [*names, *a.aliases, *b.aliases]:
        if alias != name and alias not in aliases:
            aliases.append(alias)
    kinds = {a.kind, b.kind}
    if "person" in kinds and could_be_person(a) and could_be_person(b):
        kind = "person"
    else:
        kind = a.kind if a.kind != "unknown" else b.kind
    return Speaker(id=a.id, name=name, aliases=aliases, role=a.role or b.role, kind=kind,
                   genders=sorted(set(a.genders) | set(b.genders)))


def speaker_matches_query(name_in_question: str, speaker: Speaker) -> bool:
    """True if a name as written in a question ("Zelensky", "Putin", "the Kremlin")
    refers to ``speaker`` (retrieval filter)."""
    query = normalise_name(name_in_question)
    if not query:
        return False
    if any(_full_match(query, n) for n in _names(speaker)):
        return True
    if speaker.kind == "organisation":
        return False
    return _person_compatible(Speaker(id="query", name=name_in_question, kind="person"), speaker)


def may_be(claimed: str, speaker: Speaker) -> bool:
    """True if a name as someone claims it ("Okafor", "Maria Okafor", "the Post") can name
    ``speaker``: ``speaker_matches_query``, or, for an organisation, the claimed words end
    its name ("the Post" for "The Washington Post"; "Harbour Authority" for "Saltmere
    Harbour Authority"), as a short form of a name does."""
    if speaker_matches_query(claimed, speaker):
        return True
    if speaker.kind == "person":
        return False
    short = [name_key(w) for w in normalise_name(claimed).split()]
    return bool(short) and any(
        len(full) > len(short) and full[-len(short):] == short
        for full in ([name_key(w) for w in normalise_name(n).split()] for n in _names(speaker)))


def speaker_gender(speaker: Speaker) -> str | None:
    """"f" or "m" when the articles' descriptions of a person say it, else ``None``: the
    genders extraction recorded (``Speaker.genders``), and the head word (the last) of each
    comma-separated part of their role and of each alias without their name ("Her brother,
    Councillor Tom Whitfield" -> brother -> "m"; "Ms. Ana Kovec" -> "f"). Both said, or
    neither, is ``None``; names are never used."""
    if speaker.kind == "organisation":
        return None
    own = {w.lower() for w in re.findall(r"[^\W\d_]+", speaker.name)}
    found = set(speaker.genders)
    for text in [speaker.role or "", *speaker.aliases]:
        for part in text.split(","):
            heads = [w for w in re.findall(r"[^\W\d_]+", part.lower()) if w not in own]
            if heads and heads[-1] in FEMININE_WORDS:
                found.add("f")
            elif heads and heads[-1] in MASCULINE_WORDS:
                found.add("m")
    return found.pop() if len(found) == 1 else None


def described_only(speaker: Speaker) -> bool:
    """True for a speaker the articles name only by a description, with or without a stored
    role ("mayor", "spokesperson for the council": ``names_no_one``): a post, not a person."""
    return speaker.kind != "organisation" and names_no_one(speaker.name)


def role_only(speaker: Speaker) -> bool:
    """True for a speaker the articles name only by a post ("The mayor said …" in an article
    that never names the mayor): ``described_only`` with the post recorded as its role
    ("mayor"). Who holds the post is not known from that article."""
    return described_only(speaker) and bool(speaker.role)
