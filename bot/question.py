"""Question understanding: which speakers a question is about, and what kind it is.

Kinds: ``what_said`` (what did X say [about Y]), ``who_said`` (who said Z: a quote check
when Z is quoted, else the speakers of statements that say it), ``did_say`` (did X say Y —
a quote check), ``when_said`` (when/where did X say Y), ``claim_history`` (has X said this
before? how did outlets report X's quote?), ``quantity_said`` (how many … did X say …? what
share …, according to X?) and ``general``. A date expression outside
quotation marks ("in June 2024", "since March 2024") becomes ``Question.dates`` and leaves
the text. Speakers are found by matching the question's words against every known
speaker's name and aliases (and person surnames), or by the role the articles give them
("What did the mayor say?"); "he"/"she"/"they" in a follow-up resolve to the previous
turn's speakers (those the articles give the pronoun's gender, if any).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bot.text import fold, words
from index.errors import QueryError
from index.models import Speaker
from index.speakers import TITLE_WORDS, may_be, names_no_one, normalise_name, speaker_gender

_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]{2,})[\"“”„«»]|'([^']{4,})'")
_WHO = re.compile(r"^\W*who\s+(?:has\s+|had\s+)?(?:said|says|say|stated|claimed|declared|warned|told|"
                  r"insisted|argued|called)\b\s*(?:that\s+)?(?P<rest>.*)$", re.I | re.S)
_DID = re.compile(r"^\W*(?:did|has|have|does|do)\s+(?P<who>.+?)\s+(?:really\s+|ever\s+|actually\s+)?"
                  r"(?:say|said|claim|claimed|state|stated|tell|told|declare|declared|warn|warned)\b"
                  r"\s*(?:that\s+)?(?P<rest>.*)$", re.I | re.S)
# "Has Marsh said this before?" / "Did Marsh ever say “…” before?" (claim history)
_BEFORE = re.compile(r"\s*\b(?:before|previously|earlier|again|in the past|elsewhere)\W*$", re.I)
# "How did outlets report Marsh's quote about the library?"
_REPORTED = re.compile(r"^\W*how\s+(?:did|have|do|was|were|has)\s+(?:the\s+|other\s+)?(?:outlets|media|"
                       r"newspapers|papers|press|reporters|others|news\s+sites?|it|this|that)\s+"
                       r"(?:been\s+)?(?:report|quote|cover|carry|reported|quoted|covered)\b", re.I)
# whose quote a how-did-outlets question asks about ("… report the city engineer's quote …")
_REPORTED_WHOSE = re.compile(r"\b(?:report|quote|cover|carry|reported|quoted|covered)\s+(?P<who>.+?)['’]s?\s+"
                             r"(?:quote|quotes|statement|statements|claim|claims|remarks?|comments?|words)\b", re.I)
# "Who talked about the toll?", "What has been said about the bus routes?": statements on a
# topic, whoever made them (``topic_said``)
_TOPIC_ONLY = re.compile(
    r"^\W*(?:who\s+(?:else\s+)?(?:has\s+|have\s+|had\s+)?(?:talked|talks|talk|spoke|spoken|speaks|commented|"
    r"comments|said\s+(?:anything|something)|says\s+(?:anything|something)|has\s+spoken)"
    r"|what\s+(?:else\s+)?(?:has|have|had|was|were|is|are)\s+(?:been\s+|being\s+)?(?:said|stated|claimed|reported))"
    r"\s+(?:about|on|regarding|concerning|of)\s+(?P<topic>.+?)\W*$", re.I | re.S)
# "Has Drossel changed her position on the bridge?", "Did Renwick change his mind about the
# ferry?" (``position_change``)
_CHANGED = re.compile(
    r"^\W*(?:has|have|had|did|does|do)\s+(?P<who>.+?)\s+(?:ever\s+)?(?:changed?|shifted|shift|reversed?|switched|"
    r"switch|altered|alter|flip-?flopped|flip-?flop|u-turned)\s+(?:(?:his|her|their|its|the)\s+)?"
    r"(?:position|positions|stance|mind|view|views|opinion|line|tune)\b"
    r"(?:\s+(?:on|about|over|regarding|concerning|towards?)\s+(?P<topic>.+?))?\W*$", re.I | re.S)
# "How many jobs did Drossel say would be lost?", "What share of the costs did Eskelund say
# the rebuild would save?", "How many beds did the renovation save, according to Eskelund?"
# (``quantity_said``): a figure the speaker gave. The asked words run to the first verb
# before the speaker (``thing``: "jobs", "of the costs"; none after "how much").
_QUANTITY_ASK = (r"(?P<ask>how\s+(?:many|much)|what\s+(?:share|percentage|proportion|percent|fraction|number|"
                 r"amount)(?=\s+of\b))\b")
_QUANTITY_SAID = re.compile(
    rf"^\W*{_QUANTITY_ASK}(?P<thing>.*?)\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+"
    r"(?:really\s+|ever\s+|actually\s+|just\s+)?(?:say|said|claim|claimed|state|stated|tell|told|warn|warned|"
    r"estimate|estimated|expect|expected|predict|predicted|put)\b\s*(?:that\s+)?(?P<rest>.*)$", re.I | re.S)
_ACCORDING_TO = re.compile(rf"^\W*{_QUANTITY_ASK}(?P<thing>.*?),?\s+according\s+to\s+(?P<who>[^,?]+?)\W*$"
                           rf"|^\W*according\s+to\s+(?P<who2>[^,]+?),\s*(?P<ask2>how\s+(?:many|much)|what\s+"
                           r"(?:share|percentage|proportion|percent|fraction|number|amount)(?=\s+of\b))\b"
                           r"(?P<thing2>.*?)\W*$", re.I | re.S)
_AUXILIARIES = frozenset("""will would could can shall should may might must is are was were has have had do
does did be been""".split())
_SHARE_ASKS = ("share", "percentage", "proportion", "percent", "fraction")
_DEICTIC = {"this", "that", "it", "so", "the same", "these words", "those words"}
_WHEN = re.compile(r"^\W*(?:when|where)\s+(?:did|has|have|was|were)\b", re.I)
_WHAT = re.compile(r"\b(?:what|which)\b.*\b(?:say|said|says|claim|claimed|tell|told|think|thinks|"
                   r"state|stated|comment|comments|remarks|statements?|position|view|views|warn|warned)\b"
                   r"|\bwhat\s+(?:is|was|were|are)\s+\w+['’]s\b", re.I | re.S)
_ABOUT = re.compile(r"\b(?:about|on|regarding|concerning|of)\s+(?P<topic>.+?)\W*$", re.I | re.S)
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "hers", "their"}
# who a what/did/when question asks about: the words between "did" and a saying verb ("the
# mayor" in "What did the mayor say about …?")
_ASKING = re.compile(r"^\W*(?:(?:what|when|where)\s+(?:else\s+)?)?(?:did|has|have|had|does|do)\s+", re.I)
_SAYING_VERB = re.compile(r"\s+(?:really\s+|ever\s+|actually\s+|just\s+)?(?:say|said|claim|claimed|state|stated|"
                          r"tell|told|declare|declared|warn|warned|think|thought|comment|commented)\b", re.I)
_THAT = re.compile(r"^\s*(?:that\s+)?", re.I)
# words of a role phrase that do not describe the role ("the mayor", "their spokesperson")
_ROLE_STOP = {"the", "a", "an", "its", "our", "this", "that", "these", "those", "it", "you", "i", "we",
              *_PRONOUNS}
_ROLE_PREPOSITIONS = {"of", "for", "to", "at", "in", "on", "from", "with"}
_ROLE_SYNONYMS = {"spokesmen": "spokesman", "spokeswomen": "spokeswoman", "spokespeople": "spokesperson",
                  "chairmen": "chairman", "chairwomen": "chairwoman", "chairperson": "chair"}
# a role asked without a gender fits the gendered words ("the spokesperson": a spokeswoman
# or a spokesman); "the spokeswoman" is first the spokeswomen, and a spokesman only when the
# articles describe no spokeswoman so ("spokesman" is often said of anyone)
_GENERIC_HEADS = {"spokesperson": frozenset({"spokesman", "spokeswoman"}),
                  "chair": frozenset({"chairman", "chairwoman"})}


# -- dates in the question ("in June 2024", "since March 2024", "between March and May 2024")

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"]
_MONTHS = {**{m: i for i, m in enumerate(_MONTH_NAMES, 1)}, **{m[:3]: i for i, m in enumerate(_MONTH_NAMES, 1)},
           "sept": 9}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# one calendar span: a day, a month or a year ("2 May 2024", "May 2, 2024", "2024-05-02",
# "June 2024", "2024-06", "2024"); a month alone ("March") only as the first end of a range
_POINT = (rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}}-\d{{2}}|{_DAY}\s+{_MONTH},?\s+{_YEAR}|{_MONTH}\s+{_DAY},?\s+{_YEAR}"
          rf"|{_MONTH}\s+{_YEAR}|{_YEAR})")
_DATE_EXPR = re.compile(
    rf"\b(?:(?P<between>between|from)\s+(?P<a>{_POINT}|{_MONTH})\s+(?:and|to|until|till|-)\s+(?P<b>{_POINT})"
    rf"|(?P<prep>in|during|on|since|after|before|until|till|by)\s+(?:the\s+(?:year|month\s+of)\s+)?(?P<p>{_POINT})"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\b",
    re.I)
# a question about statements (a date then says when they were made, not what they are about:
# "how many nurses have left since 2021" keeps its date as content)
_SAYING = re.compile(r"\b(?:say|said|says|saying|state|stated|statements?|claim|claimed|claims|told|tell|"
                     r"comment|commented|comments|remarks?|quoted?|called|warned|promised|announced|"
                     r"declared|insisted|argued|position)\b", re.I)


@dataclass(frozen=True)
class DateRange:
    """A date range a question asks about (ISO dates, inclusive; ``None``: open)."""

    since: str | None
    until: str | None

    @property
    def empty(self) -> bool:
        return bool(self.since and self.until and self.since > self.until)

    def label(self) -> str:
        """"between 2024-06-01 and 2024-06-30", "on 2024-05-02", "since …", "until …"."""
        if self.since and self.until:
            return f"on {self.since}" if self.since == self.until else f"between {self.since} and {self.until}"
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}" if self.until else "at any date"

    def within(self, since: str | None, until: str | None) -> DateRange:
        """This range intersected with ``since``/``until`` (explicit filters)."""
        return DateRange(max(filter(None, [self.since, since]), default=None),
                         min(filter(None, [self.until, until]), default=None))


def _span(text: str, year: str | None = None) -> tuple[date, date] | None:
    """The first and last day of one calendar span (``year`` completes a bare month)."""
    t = text.strip().lower().replace(",", " ").replace(".", " ")
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
            return _month(int(m[1]), int(m[2]))
        parts = t.split()
        nums = [int(re.sub(r"\D", "", p)) for p in parts if re.match(r"\d", p)]
        months = [_MONTHS[p] for p in parts if p in _MONTHS]
        years = [n for n in nums if n >= 1000] or ([int(year)] if year else [])
        days = [n for n in nums if n < 1000]
        if not years:
            return None
        if months and days:
            d = date(years[0], months[0], days[0])
            return d, d
        if months:
            return _month(years[0], months[0])
        return date(years[0], 1, 1), date(years[0], 12, 31)
    except ValueError:  # "31 February 2024"
        return None


def _month(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))


def find_dates(text: str) -> tuple[DateRange | None, str]:
    """The date range a question's date expressions ask for ("in June 2024", "in 2024",
    "since March 2024", "before 5 May 2024", "between March and May 2024", "on 2 May 2024",
    ISO dates), and the question without them. Only outside quotation marks and outside the
    unquoted words a did- or who-question asks about (both are what was said: "Did Feld say
    the channel lost a metre in 2022?"; but "Did Feld say in 2022 that …" is dated), and only in
    questions about statements. Relative dates ("last week") are not read. Several
    expressions intersect."""
    if not _SAYING.search(_QUOTED.sub(" ", text)):
        return None, text
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    if not quoted and (said := (_DID.match(text) or _WHO.match(text))):
        # unquoted words asked about are what was said ("… lost a metre in 2022")
        content = said.start("rest")
        lead = _DATE_EXPR.match(text, content)
        if lead and re.match(r"\s*,?\s*that\b", text[lead.end():], re.I):
            content = lead.end()  # "… say in June 2024 that …": the date says when
        quoted.append((content, len(text)))
    since: str | None = None
    until: str | None = None
    found = False
    kept = []
    last = 0
    for m in _DATE_EXPR.finditer(text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        rng = _expression_range(m)
        if rng is None:
            continue
        found = True
        since = max(filter(None, [since, rng[0]]), default=None)
        until = min(filter(None, [until, rng[1]]), default=None)
        kept.append(text[last:m.start()])
        last = m.end()
    if not found:
        return None, text
    kept.append(text[last:])
    rest = re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s{2,}", " ", "".join(kept))).strip()
    return DateRange(since, until), rest


_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# when-words find_dates does not read: relative dates, weekdays, a month without its year
_UNREAD_DATE = re.compile(
    rf"\b(?:(?:last|this|next|past|previous)\s+(?:week|weekend|month|year|spring|summer|autumn|fall|winter|"
    rf"{_WEEKDAYS})|yesterday|today|recently|lately|(?:on\s+)?(?:{_WEEKDAYS})|"
    rf"(?:in|during|since|before|after|until|by)\s+{_MONTH}(?!\s*,?\s*(?:{_DAY}\s*,?\s*)?{_YEAR}))\b", re.I)


def unread_dates(text: str) -> list[str]:
    """The when-words of a question about statements that ``find_dates`` does not read
    ("last week", "in May", "on Tuesday"), outside quotation marks and outside the unquoted
    words a did- or who-question asks about: the answer says it ignored them."""
    if not _SAYING.search(_QUOTED.sub(" ", text)):
        return []
    skip = [m.span() for m in _QUOTED.finditer(text)]
    if not skip and (said := (_DID.match(text) or _WHO.match(text))):
        skip.append((said.start("rest"), len(text)))
    return [m.group(0) for m in _UNREAD_DATE.finditer(text) if not any(a <= m.start() < b for a, b in skip)]


def _expression_range(m: re.Match) -> tuple[str | None, str | None] | None:
    """(since, until) of one matched date expression, or ``None`` when it is no real date."""
    if m["between"]:
        b = _span(m["b"])
        a = _span(m["a"], year=str(b[0].year) if b else None)
        return (a[0].isoformat(), b[1].isoformat()) if a and b else None
    span = _span(m["p"] or m["iso"])
    if span is None:
        return None
    first, last = span
    prep = (m["prep"] or "in").lower()
    if prep in ("since",):
        return first.isoformat(), None
    if prep == "after":
        return (last + timedelta(days=1)).isoformat(), None
    if prep == "before":
        return None, (first - timedelta(days=1)).isoformat()
    if prep in ("until", "till", "by"):
        return None, last.isoformat()
    return first.isoformat(), last.isoformat()


@dataclass
class Question:
    """A parsed question."""

    text: str
    kind: str
    speakers: list[Speaker] = field(default_factory=list)
    quote: str | None = None
    topic: str | None = None
    # did_say / claim_history: the supposed speaker as the question names them ("Okafor",
    # "Maria Okafor"); the quote check matches that, not a canonical name
    claimed: str | None = None
    # the dates the question asks about ("in June 2024"); ``text`` is the question without them
    dates: DateRange | None = None
    # the role the question names its speakers by ("the mayor"), when they were found by it
    role: str | None = None
    # quantity_said: the words of what the figure asked for counts ("teaching jobs" in "How
    # many teaching jobs …"; "percent" for a share or percentage; None after "how much")
    measured: str | None = None


def _key(word: str) -> str:
    from index.speakers import name_key

    return name_key(word.removesuffix("'s"))


def _proper(name: str) -> bool:
    """A name rather than a description: every word capitalised, no possessive ("Dana
    Whitfield", not "Ukraine's president")."""
    return all(w[:1].isupper() for w in name.split()) and "'" not in name and "’" not in name


def _without_name(alias: str, speaker: Speaker) -> str:
    """An alias without the speaker's own name: "Mateo Ferrand, the general secretary of
    the union" -> "the general secretary of the union"."""
    text = alias
    for word in sorted(set(speaker.name.split()), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,;:")


def _role_key(word: str) -> str:
    """One role word, spelling- and number-insensitive ("Councillors" -> "councillor",
    "spokeswomen" -> "spokeswoman")."""
    word = word.lower().removesuffix("'s")
    word = _ROLE_SYNONYMS.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _key(word)


def role_words(text: str) -> set[str]:
    """The words of a role phrase that describe the role ("the U.S. president" -> u, s,
    president)."""
    return {_role_key(w) for w in words(text) if w not in _ROLE_STOP} - _ROLE_PREPOSITIONS


def _role_description(text: str, leave_out: set[str] = frozenset()) -> tuple[frozenset[str], str] | None:
    """A role phrase as its words and its head noun, the last word before any preposition
    ("U.S. Secretary of State" -> secretary; "the city engineer" -> engineer), leaving out
    ``leave_out`` (the words of the speaker's own name, in an alias)."""
    keys = [_role_key(w) for w in words(text) if w not in _ROLE_STOP]
    keys = [k for k in keys if k not in leave_out]
    before = next((i for i, k in enumerate(keys) if k in _ROLE_PREPOSITIONS), len(keys))
    if before == 0:
        return None
    return frozenset(keys) - _ROLE_PREPOSITIONS, keys[before - 1]


@lru_cache(maxsize=1)
def _generic_keys() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """``_GENERIC_HEADS`` as role keys (generic -> gendered forms), and each gendered key's
    generic word."""
    forms = {_role_key(g): frozenset(_role_key(w) for w in ws) for g, ws in _GENERIC_HEADS.items()}
    generic_of = {_role_key(w): g for g, ws in _GENERIC_HEADS.items() for w in ws}
    return forms, generic_of


def _ungendered(phrase: str, head: str) -> str:
    """``phrase`` with its gendered head word made generic ("the health spokesman" -> "the
    health spokesperson")."""
    generic = _generic_keys()[1][head]
    out = [generic if _role_key(w) == head else w for w in phrase.split()]
    return " ".join(out)


def _fitting(descriptions: list[tuple[frozenset[str], str, str]], asked: tuple[frozenset[str], str]) -> list[str]:
    """The texts of the role descriptions that fit an asked role: the same head noun, and
    every word of the asked role among theirs."""
    wanted, head = asked
    gendered = _generic_keys()[0].get(head, frozenset())
    return [text for words_, head_, text in descriptions
            if (head_ == head or head_ in gendered) and wanted - {head} <= words_]


def _surname_words(name: str) -> list[str]:
    """The folded words of the last word of a name that is not a title, a hyphenated one
    whole: "Mayor Ana Kovec" -> [kovec]; "Priya Okonkwo-Hale" -> [okonkwo, hale]."""
    parts = [[w for w in words(part) if w not in TITLE_WORDS] for part in name.split()]
    parts = [part for part in parts if part]
    return parts[-1] if parts else []


def surname(speaker: Speaker) -> str | None:
    """The surname of a person's name (titles dropped; "okonkwo-hale" for "Priya
    Okonkwo-Hale", whose surname "Hale" alone is not), for matching name forms."""
    return "-".join(_surname_words(speaker.name)) or None


# "a spokeswoman for Harlan Steelworks", "press officer at the Port Authority": who speaks
# for an organisation, with its capitalised name
_SPEAKS_FOR = re.compile(
    r"(?i:\b(?:spokes(?:man|woman|person)|press (?:officer|secretary)|representative))"
    r"\s+(?:for|of|at)\s+(?:the\s+)?(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:(?:of|and|for)\s+)?[A-Z][\w&'’.-]*)*)")


class SpeakerIndex:
    """Known speakers by every form of their names (full names, aliases, surnames), each
    word spelling-normalised so transliterations agree ("Zelensky" finds "Zelenskiy")."""

    def __init__(self, speakers: list[Speaker]) -> None:
        self.by_id = {s.id: s for s in speakers}
        self.forms: dict[tuple[str, ...], set[str]] = {}
        for sp in speakers:
            for name in [sp.name, *sp.aliases]:
                toks = tuple(_key(w) for w in words(name) if w not in {"the"})
                if not toks:
                    continue
                self.forms.setdefault(toks, set()).add(sp.id)
                if sp.kind != "organisation" and len(toks) > 1 and _proper(name):
                    if last := tuple(_key(w) for w in _surname_words(name)):
                        self.forms.setdefault(last, set()).add(sp.id)
        self.longest = max((len(f) for f in self.forms), default=0)
        self._by_last_word: dict[str, set[str]] | None = None
        self._roles: dict[str, list[tuple[frozenset[str], str, str]]] | None = None
        self._spellings: dict[str, dict[str, set[str]]] | None = None
        self._speaking_for: dict[tuple[str, ...], set[str]] | None = None

    def spokespeople(self, speaker: Speaker) -> list[Speaker]:
        """The people the articles describe as speaking for ``speaker`` in their role or
        beside their name: "Lydia Okafor, a spokeswoman for Harlan Steelworks" speaks for
        Harlan Steelworks (an organisation, or a name the recogniser took for a person)."""
        table = self._speaking_for
        if table is None:  # built whole before it is shared (sessions run in threads)
            table = {}
            for sp in self.by_id.values():
                for text in [sp.role or "", *sp.aliases]:
                    for m in _SPEAKS_FOR.finditer(text):
                        key = tuple(_key(w) for w in words(m.group("org")) if w != "the")
                        if key:
                            table.setdefault(key, set()).add(sp.id)
            self._speaking_for = table
        key = tuple(_key(w) for w in words(speaker.name) if w != "the")
        return [self.by_id[i] for i in sorted(table.get(key, ())) if i != speaker.id]

    def _role_table(self) -> dict[str, list[tuple[frozenset[str], str, str]]]:
        """Each person's role descriptions as words and head noun: their stored role, and the
        words beside their name in each alias ("City engineer Marta Lindqvist" -> city
        engineer), each with its text as the articles word it. A speaker whose name is a
        description only (``names_no_one``: "A spokesperson for the council said …" stored as
        "spokesperson for the council", with no role) is described by its name too, so that
        "the council spokesperson" and "the spokesperson" find it."""
        roles = self._roles
        if roles is None:  # built whole before it is shared (sessions run in threads)
            roles = {}
            for sp in self.by_id.values():
                if sp.kind == "organisation":
                    continue
                own = role_words(sp.name)
                described = [(_role_description(sp.role or ""), sp.role or ""),
                             *((_role_description(a, own), _without_name(a, sp)) for a in sp.aliases)]
                if names_no_one(sp.name) and normalise_name(sp.name) != normalise_name(sp.role or ""):
                    described.append((_role_description(sp.name), sp.name))
                if described := [(*d, text) for d, text in described if d is not None]:
                    roles[sp.id] = described
            self._roles = roles
        return roles

    def titled(self, phrase: str, named: list[Speaker]) -> list[Speaker]:
        """Those of ``named`` that a role description of theirs gives every word of
        ``phrase`` that is not in their names ("Mayor Whitfield": the Whitfields described
        as mayor); empty when the phrase has no such word or it fits none of them.

        The words of the names that share a surname (the namesakes the title is to tell
        apart) are left out, not those of every speaker found: a speaker recorded only as
        "the mayor" (an unnamed "the mayor said") is found by the title's own word, which
        must still count ("Mayor Renwick" is Tomas, not Dana Renwick, a chair); that speaker
        is never one of those the title fits: "Mayor Renwick" names a Renwick."""
        roles = self._role_table()
        shared = Counter(last for s in named if s.kind != "organisation" and (last := surname(s)))
        namesakes = [s for s in named if shared.get(surname(s) or "", 0) > 1] or named
        extra = role_words(phrase) - {w for s in namesakes for w in role_words(s.name)}
        if not extra:
            return []
        return [s for s in named if any(extra <= ws for ws, _, _ in roles.get(s.id, []))
                and (s.kind == "organisation" or not names_no_one(s.name))]

    def by_role(self, phrase: str) -> list[Speaker]:
        """The people the articles describe by ``phrase`` ("the mayor", "the U.S.
        president", "NATO's secretary general", "the president of Ukraine"): a role
        description of theirs has the phrase's head noun as its own and holds all its words
        ("the council" is not "National Security Council spokesperson"). In id order.

        A phrase that is also a name names someone: always an organisation's ("the
        Kremlin"), a person's unless "the" comes first ("Baker" is Rose Baker, "the baker"
        whoever the articles call a baker)."""
        asked = _role_description(phrase)
        if asked is None:
            return []
        toks = tuple(_key(w) for w in words(phrase) if w != "the")
        named = [self.by_id[i] for i in self.forms.get(toks, ())]
        if any(s.kind == "organisation" for s in named):
            return []
        if named and not re.match(r"\W*the\b", phrase, re.I) and any(
                _proper(n) and tuple(_key(w) for w in words(n) if w != "the")[-len(toks):] == toks
                for s in named for n in [s.name, *s.aliases]):
            return []
        roles = self._role_table()
        found = [self.by_id[i] for i in sorted(roles) if _fitting(roles[i], asked)]
        if not found and asked[1] in _generic_keys()[1]:
            return self.by_role(_ungendered(phrase, asked[1]))
        return found

    def role_text(self, phrase: str, speaker: Speaker) -> str | None:
        """How the articles describe ``speaker`` in the words that made ``phrase`` find
        them ("the water board spokesman" -> "a spokesman for the Wend Valley water
        board"); ``None`` when no description of theirs fits."""
        asked = _role_description(phrase)
        descriptions = self._role_table().get(speaker.id, [])
        fitting = _fitting(descriptions, asked) if asked else []
        if not fitting and asked and asked[1] in _generic_keys()[1]:
            return self.role_text(_ungendered(phrase, asked[1]), speaker)
        return max(fitting, key=len) if fitting else None

    def similar(self, name: str, n: int = 3) -> list[Speaker]:
        """Speakers whose name, proper-name alias or surname is spelled almost like ``name``
        ("Jonas Fled" -> Jonas Feld): for a "did you mean" after a refusal. Only spellings
        whose last word starts with the same letter are compared (a typo seldom changes
        it, and 50,000 speakers would take a second otherwise)."""
        import difflib

        wanted = " ".join(w for w in words(name) if w != "the")
        if not wanted:
            return []
        spellings = self._spellings
        if spellings is None:  # built whole before it is shared (sessions run in threads)
            spellings = {}
            for sp in self.by_id.values():
                last = [surname(sp) or ""] if sp.kind != "organisation" else []
                for form in [sp.name, *(a for a in sp.aliases if _proper(a)), *last]:
                    if spelled := " ".join(words(form)):
                        spellings.setdefault(spelled.split()[-1][:1], {}).setdefault(spelled, set()).add(sp.id)
            self._spellings = spellings
        bucket = spellings.get(wanted.split()[-1][:1], {})
        close = difflib.get_close_matches(wanted, list(bucket), n=n * 3, cutoff=0.8)
        return [self.by_id[i] for i in dict.fromkeys(i for c in close for i in sorted(bucket[c]))][:n]

    def with_last_words(self, names: set[str]) -> set[str]:
        """Ids of the speakers (people and organisations) whose name's last word (its
        ``surname``, titles dropped) is one of ``names``."""
        by_last_word = self._by_last_word
        if by_last_word is None:  # built whole before it is shared (sessions run in threads)
            by_last_word = {}
            for sp in self.by_id.values():
                if last := surname(sp):
                    by_last_word.setdefault(last, set()).add(sp.id)
            self._by_last_word = by_last_word
        return set().union(*(by_last_word.get(n, set()) for n in names))

    def may_name(self, claimed: str) -> set[str]:
        """Ids of every speaker a claimed name ("Okafor", "Maria Okafor", "the Post", "the
        council spokesperson") can name: ``named``."""
        return {s.id for s in self.named(claimed)}

    def named(self, phrase: str) -> list[Speaker]:
        """Every speaker a phrase given as one speaker's name can name (a claimed speaker, a
        ``--speaker``):

        - a description ("the council spokesperson", "spokesperson for the council", "the
          spokesperson", "the mayor") is everyone the articles describe so (``by_role``: the
          same post, and the same body when it names one), the speakers recorded under such a
          description included, and no one else: not the council itself, nor the speaker
          recorded as "spokesperson" alone (no article gives its body);
        - a name is the speakers it matches, and each one whose name ends in the same word
          and agrees with it (``index.speakers.may_be``): "Okafor" may be any Okafor, but
          "Maria Okafor" is not "John Okafor"; "the Post" may be "The Washington Post"; of
          namesakes, those a title in the phrase fits (``titled``): "Mayor Brennick" is the
          Brennick the articles call mayor, not the café owner Jonah Brennick."""
        if described := self.by_role(phrase):
            return described
        found = self._named_in(phrase)
        names = {surname(s) for s in found} - {None}
        out = found + [self.by_id[i] for i in sorted(self.with_last_words(names) - {s.id for s in found})
                       if may_be(phrase, self.by_id[i])]
        if len(out) > 1:
            out = self.titled(phrase, out) or out
        if not out:  # a description as the articles wrote it, that no role reading gives
            whole = tuple(_key(w) for w in words(phrase) if w != "the")
            out = [self.by_id[i] for i in sorted(self.forms.get(whole, ()))]
        return out

    def _named_in(self, phrase: str) -> list[Speaker]:
        """``find``, without the speakers recorded only under a description (``names_no_one``:
        "spokesperson"), whom a word of a longer description would find ("the council
        spokesperson"): ``by_role`` reads descriptions."""
        return [s for s in self.find(phrase) if s.kind == "organisation" or not names_no_one(s.name)]

    def by_name(self, phrase: str) -> list[Speaker]:
        """The speakers ``phrase`` (the words naming who is asked about) names by name
        (``_named_in``); of namesakes, those a title in it fits (``titled``: "Mayor
        Brennick" is the Brennick described as mayor)."""
        found = self._named_in(phrase)
        return (self.titled(phrase, found) or found) if len(found) > 1 else found

    def respelled(self, text: str) -> list[tuple[str, Speaker]]:
        """The names in ``text`` that ``find`` matched only by their spelling-insensitive key
        ("Drosel" for Helena Drossel, "Zelensky" for Zelenskiy), each with a speaker it was
        read as: for a note that says so, as "Did you mean …?" does after a refusal."""
        raw = [w.removesuffix("'s") for w in words(text)]
        toks = [_key(w) for w in raw]
        out: list[tuple[str, Speaker]] = []
        i = 0
        while i < len(toks):
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                ids = self.forms.get(tuple(toks[i : i + n]))
                if ids:
                    written = raw[i : i + n]
                    for sid in sorted(ids):
                        sp = self.by_id[sid]
                        spelled = [[w for w in words(form) if w != "the"] for form in [sp.name, *sp.aliases]]
                        if not any(_contains(form, written) for form in spelled):
                            out.append((_as_written(text, written), sp))
                    i += n
                    break
            else:
                i += 1
        return out

    def find(self, text: str) -> list[Speaker]:
        """Speakers named in ``text`` (longest match first, each once, in text order)."""
        toks = [_key(w) for w in words(text)]
        found: list[str] = []
        i = 0
        while i < len(toks):
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                ids = self.forms.get(tuple(toks[i : i + n]))
                if ids:
                    found.extend(sorted(ids - set(found)))
                    i += n
                    break
            else:
                i += 1
        return [self.by_id[s] for s in found]


def _as_written(text: str, folded: list[str]) -> str:
    """Folded words as ``text`` writes them ("drosel" -> "Drosel")."""
    found = re.search(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in folded) + r"(?!\w)", text, re.I)
    return found.group(0) if found else " ".join(folded)


def _contains(form: list[str], part: list[str]) -> bool:
    """``part`` is a run of consecutive words of ``form``."""
    return any(form[i : i + len(part)] == part for i in range(len(form) - len(part) + 1))


def extract_quote(text: str) -> str | None:
    """The text between quotation marks in ``text``, if any."""
    match = _QUOTED.search(text)
    if not match:
        return None
    return (match.group(1) or match.group(2)).strip()


def parse_question(text: str, speakers: SpeakerIndex, previous: list[Speaker] | None = None,
                   max_chars: int = 2000) -> Question:
    """Parse a question; raises ``QueryError`` for empty, enormous or wordless input."""
    text = text.strip()
    if not text:
        raise QueryError("the question is empty")
    if len(text) > max_chars:
        raise QueryError(f"the question is {len(text)} characters long; the limit is {max_chars}")
    if not words(text):
        raise QueryError("the question has no words in it")
    dates, rest = find_dates(text)
    if dates is not None and words(rest):
        return replace(parse_question(rest, speakers, previous, max_chars), dates=dates)
    if m := _TOPIC_ONLY.match(text):
        return Question(text, "topic_said", [], extract_quote(text), _strip_q(m.group("topic")) or None)
    if (m := _CHANGED.match(text)) and (changed := _position_change(m, speakers, previous)):
        return changed
    if quantity := _quantity_said(text, speakers, previous):
        return quantity
    if asked := _asked_by_role(text, speakers):
        # "What did the mayor say?": everyone the articles call the mayor
        role, by_role, after = asked
        return replace(_parse(text, speakers, by_role, role, after=after), role=role)
    subject = subject_of(text)
    if previous and is_pronoun(subject):
        # "What did she say about the minister?": she is the previous turn's speaker; the
        # minister is what she talked about
        return _parse(text, speakers, by_pronoun(previous, subject), None, previous)
    named = _with_fuller_names(speakers, _by_title(text, speakers, speakers.find(text)))
    return _parse(text, speakers, named, None, previous)


def _people_named(who: str, speakers: SpeakerIndex,
                  previous: list[Speaker] | None) -> tuple[list[Speaker], str | None]:
    """The people ``who`` names, and the role it names them by (else ``None``): a role
    ("the mayor", "the harbour board spokesperson": everyone the articles describe so, not
    the harbour board, as ``parse_question`` reads a role before names), by name
    ("Drossel", with fuller names; "Mayor Drossel" narrowed by the title,
    ``SpeakerIndex.by_name``) or a follow-up's pronoun ("she": the previous turn's
    speakers)."""
    if by_role := speakers.by_role(who):
        return by_role, who
    named = _with_fuller_names(speakers, speakers.by_name(who))
    if not named and previous and is_pronoun(who):
        return by_pronoun(previous, who), None
    return named, None


def _position_change(m: re.Match, speakers: SpeakerIndex, previous: list[Speaker] | None) -> Question | None:
    """``position_change`` for "Has Drossel changed her position on the bridge?": the people
    before the verb (by name, role or a follow-up's pronoun) and the topic after it."""
    named, role = _people_named(m.group("who").strip(), speakers, previous)
    if not named:
        return None
    topic = m.group("topic")
    return Question(m.string, "position_change", named, None, _strip_q(topic) if topic else None, role=role)


def _quantity_said(text: str, speakers: SpeakerIndex, previous: list[Speaker] | None) -> Question | None:
    """``quantity_said`` for a question asking the figure someone gave: "How many jobs did
    Drossel say would be lost?" (speakers: Drossel; topic "jobs would be lost"; measured
    "jobs"), "What share of the costs did the mayor say …?", "How many beds did the
    renovation save, according to Eskelund?". The person is found by name, role or a
    follow-up's pronoun; ``None`` when the question names no one so (it stays a general one)."""
    if m := _QUANTITY_SAID.match(text):
        ask, thing, who, rest = m.group("ask"), m.group("thing"), m.group("who"), m.group("rest")
    elif m := _ACCORDING_TO.match(text):
        ask, thing = m.group("ask") or m.group("ask2"), m.group("thing") or m.group("thing2") or ""
        who, rest = m.group("who") or m.group("who2"), ""
    else:
        return None
    named, role = _people_named(who.strip(), speakers, previous)
    if not named:
        return None
    topic = _strip_q(f"{thing} {rest}") or None
    return Question(text, "quantity_said", named, None, topic, role=role, measured=_measured(ask, thing))


def _measured(ask: str, thing: str, determiners: bool = False) -> str | None:
    """The words of what a how-many question counts: "teaching jobs" in "How many teaching
    jobs in the valley did …", "beds" in "How many beds did the renovation save, according
    to …" (up to a preposition or a verb of the question's own; with ``determiners``, up to
    an article too: "weeks" in "how many weeks the repairs would take"); "percent" for a
    share; ``None`` after "how much"."""
    if determiners:  # the topic's own words follow: its subject starts at an article
        thing_words, ends = words(thing), _ROLE_PREPOSITIONS | _AUXILIARIES | _ROLE_STOP
        while thing_words and thing_words[0] in _ROLE_STOP | _ROLE_PREPOSITIONS:
            thing_words.pop(0)
    else:
        thing_words, ends = [w for w in words(thing) if w not in _ROLE_STOP], _ROLE_PREPOSITIONS | _AUXILIARIES
        while thing_words and thing_words[0] in _ROLE_PREPOSITIONS:
            thing_words.pop(0)
    cut = next((i for i, w in enumerate(thing_words) if w in ends), len(thing_words))
    if any(w in _SHARE_ASKS for w in words(ask)):
        return "percent"
    if words(ask)[-1] in ("many", "number") and cut:
        return " ".join(thing_words[:cut])
    return None


_QUANTITY_TOPIC = re.compile(rf"^\W*{_QUANTITY_ASK}(?P<thing>.*)$", re.I | re.S)


def quantity_topic(topic: str) -> tuple[str, str | None] | None:
    """A topic that asks a figure ("how many weeks the repairs would take", "how much the
    bridge would cost"): the topic without its question words ("weeks the repairs would
    take") and what it counts (``Question.measured``: "weeks"; ``None`` after "how much");
    ``None`` for any other topic."""
    m = _QUANTITY_TOPIC.match(topic)
    if not m or not words(m.group("thing")):
        return None
    return _strip_q(m.group("thing").strip()), _measured(m.group("ask"), m.group("thing"), determiners=True)


def _with_fuller_names(speakers: SpeakerIndex, named: list[Speaker]) -> list[Speaker]:
    """The named speakers and, after each organisation, the organisations whose fuller
    name ends in its name: "the ministry" is also "the maritime ministry" (a story names
    it in full once, then shortly); then the people who speak for them ("What did Harlan
    Steelworks say?" includes its spokeswoman's statements: ``SpeakerIndex.spokespeople``)."""
    out = list(named)
    for speaker in named:
        out.extend(sp for sp in speakers.spokespeople(speaker) if sp not in out)
    for org in named:
        if org.kind != "organisation" or not (last := surname(org)):
            continue
        toks = tuple(_key(w) for w in words(org.name) if w != "the")
        for i in sorted(speakers.with_last_words({last})):
            other = speakers.by_id[i]
            other_toks = tuple(_key(w) for w in words(other.name) if w != "the")
            if other.kind == "organisation" and other not in out and other_toks[-len(toks):] == toks:
                out.append(other)
    return out


def is_pronoun(phrase: str | None) -> bool:
    """The phrase is only personal pronouns ("she", "he", "they")."""
    return bool(phrase) and bool(words(phrase)) and set(words(phrase)) <= _PRONOUNS


def subject_of(text: str) -> str | None:
    """The words between "did" and the first saying verb ("she" in "What did she say
    about the minister?"), if the question has that shape."""
    asking = _ASKING.match(text)
    verb = _SAYING_VERB.search(text, asking.end()) if asking else None
    return text[asking.end():verb.start()].strip() if verb else None


def _by_title(text: str, speakers: SpeakerIndex, named: list[Speaker]) -> list[Speaker]:
    """Of the people a question names, those its title fits when a title comes with the
    name: "What did Mayor Whitfield say?" asks about Dana Whitfield (the articles' mayor),
    not her brother Councillor Tom Whitfield. The named speakers unchanged otherwise."""
    subject = subject_of(text)
    if subject is None or len(named) < 2:
        return named
    return speakers.titled(subject, named) or named


def _asked_by_role(text: str, speakers: SpeakerIndex) -> tuple[str, list[Speaker], str] | None:
    """The role a question asks about, the people it describes, and the words after the
    saying verb: ("the secretary of state", [...], "about sanctions?") for "What did the
    secretary of state say about sanctions?". Of the phrases before each saying verb, the
    longest that describes someone ("state" is a saying verb too)."""
    if _REPORTED.match(text) and (whose := _REPORTED_WHOSE.search(text)):
        # "How did outlets report the city engineer's quote about the repair?"
        people = speakers.by_role(whose.group("who"))
        return (whose.group("who").strip(), people, text[whose.end():]) if people else None
    asking = _ASKING.match(text)
    if not asking:
        return None
    found = None
    for verb in _SAYING_VERB.finditer(text, asking.end()):
        phrase = text[asking.end():verb.start()].strip()
        if phrase and (people := speakers.by_role(phrase)):
            found = (phrase, people, _THAT.sub("", text[verb.end():]))
    return found


def _parse(text: str, speakers: SpeakerIndex, named: list[Speaker], role: str | None,
           previous: list[Speaker] | None = None, after: str | None = None) -> Question:
    """The question's kind and parts, ``named`` being the speakers found in it (by name, or
    by ``role``: then the words before "say" are that role, not a name, and ``after`` the
    words after it, where the quote or topic is)."""
    about = text if after is None else after
    if not named and previous and _PRONOUNS & set(words(text)):
        named = by_pronoun(previous, text)
    quote = extract_quote(text)
    if m := _WHO.match(text):
        # quoted words are checked as a quote; unquoted ones ("who called the rise a slap in
        # the face") are what someone said in any wording: the topic
        return Question(text, "who_said", [], quote, None if quote else _strip_q(m.group("rest")) or None)
    if named and _REPORTED.match(text):
        return Question(text, "claim_history", named, quote, _topic(about, named))
    claimed = None
    if (m := _DID.match(text)) and role is None:
        # the supposed speaker is the one before "say", not a name inside the quoted words
        who = m.group("who").strip()
        if who_named := speakers.by_name(who):
            named, claimed = who_named, who
        elif previous and _PRONOUNS & set(words(who)):
            named = by_pronoun(previous, who)
            claimed = named[0].name
    said = _DID.match(text)
    rest = (after if role is not None else said.group("rest")) if said else ""
    if said and named and _BEFORE.search(rest):
        rest = _strip_q(_BEFORE.sub("", rest))
        return Question(text, "claim_history", named, quote or (None if rest.lower() in _DEICTIC else rest), None,
                        claimed)
    if said and named:
        return Question(text, "did_say", named, quote or _strip_q(rest), None, claimed)
    if _WHEN.match(text) and named:
        return Question(text, "when_said", named, quote, _topic(about, named))
    if _WHAT.search(text) and named:
        return Question(text, "what_said", named, quote, _topic(about, named))
    return Question(text, "general", named, quote, None)


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def by_pronoun(previous: list[Speaker], text: str) -> list[Speaker]:
    """The previous turn's speakers a follow-up's pronoun can mean: "he" after "What did
    Whitfield say?" is whichever Whitfield the articles call a man ("her brother"), else
    those whose gender they do not give; never one they give the other gender: when it fits
    none of them, none (the answer asks who is meant). The first gendered pronoun counts
    ("What did she say about him?"); "they" keeps them all."""
    gender = next((_PRONOUN_GENDER[w] for w in words(text) if w in _PRONOUN_GENDER), None)
    if gender is None:
        return list(previous)
    known = {s.id: speaker_gender(s) for s in previous}
    return [s for s in previous if known[s.id] == gender] or [s for s in previous if known[s.id] is None]


def _strip_q(rest: str) -> str:
    return rest.strip().strip("?").strip().strip("\"“”'‘’").strip()


def _topic(text: str, named: list[Speaker]) -> str | None:
    match = _ABOUT.search(text)
    if not match:
        return None
    topic = match.group("topic")
    names = {w for sp in named for n in [sp.name, *sp.aliases] for w in words(n)}
    topic_words = [w for w in words(topic) if w not in names]
    return topic if topic_words and fold(topic).strip() else None
