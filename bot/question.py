"""Question understanding: which speakers a question is about, and what kind it is.

Kinds: ``what_said`` (what did X say [about Y]), ``who_said`` (who said Z),
``did_say`` (did X say Y — a quote check), ``when_said`` (when/where did X say Y),
``claim_history`` (has X said this before? how did outlets report X's quote?) and
``general``. Speakers are found by matching the question's words against every known
speaker's name and aliases (and person surnames); "he"/"she"/"they" in a follow-up
resolve to the previous turn's speakers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.text import fold, words
from index.errors import QueryError
from index.models import Speaker
from index.speakers import TITLE_WORDS, may_be

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
_DEICTIC = {"this", "that", "it", "so", "the same", "these words", "those words"}
_WHEN = re.compile(r"^\W*(?:when|where)\s+(?:did|has|have|was|were)\b", re.I)
_WHAT = re.compile(r"\b(?:what|which)\b.*\b(?:say|said|says|claim|claimed|tell|told|think|thinks|"
                   r"state|stated|comment|comments|remarks|statements?|position|view|views|warn|warned)\b"
                   r"|\bwhat\s+(?:is|was|were|are)\s+\w+['’]s\b", re.I | re.S)
_ABOUT = re.compile(r"\b(?:about|on|regarding|concerning|of)\s+(?P<topic>.+?)\W*$", re.I | re.S)
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "hers", "their"}


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


def _key(word: str) -> str:
    from index.speakers import name_key

    return name_key(word.removesuffix("'s"))


_TITLE_KEYS = {_key(t) for t in TITLE_WORDS}


def surname(speaker: Speaker) -> str | None:
    """The last name-word of a person's name (titles dropped), for matching name forms."""
    toks = [w for w in words(speaker.name) if w not in TITLE_WORDS]
    return toks[-1] if toks else None


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
                proper = all(w[:1].isupper() for w in name.split()) and "'" not in name and "’" not in name
                if sp.kind != "organisation" and len(toks) > 1 and proper:
                    content = [t for t in toks if t not in _TITLE_KEYS]
                    if content:
                        self.forms.setdefault((content[-1],), set()).add(sp.id)
        self.longest = max((len(f) for f in self.forms), default=0)
        self._by_last_word: dict[str, set[str]] | None = None

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
        """Ids of every speaker a claimed name ("Okafor", "Maria Okafor", "the Post") can
        name: the speakers it matches, and each one whose name ends in the same word and
        agrees with it (``index.speakers.may_be``): "Okafor" may be any Okafor, but "Maria
        Okafor" is not "John Okafor"; "the Post" may be "The Washington Post"."""
        found = self.find(claimed)
        names = {surname(s) for s in found} - {None}
        return {s.id for s in found} | {i for i in self.with_last_words(names) if may_be(claimed, self.by_id[i])}

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
    named = speakers.find(text)
    if not named and previous and _PRONOUNS & set(words(text)):
        named = list(previous)
    quote = extract_quote(text)
    if m := _WHO.match(text):
        return Question(text, "who_said", [], quote or _strip_q(m.group("rest")), None)
    if named and _REPORTED.match(text):
        return Question(text, "claim_history", named, quote, _topic(text, named))
    claimed = None
    if m := _DID.match(text):
        # the supposed speaker is the one before "say", not a name inside the quoted words
        who = m.group("who").strip()
        if who_named := speakers.find(who):
            named, claimed = who_named, who
        elif previous and _PRONOUNS & set(words(who)):
            named, claimed = list(previous), previous[0].name
    if (m := _DID.match(text)) and named and _BEFORE.search(m.group("rest")):
        rest = _strip_q(_BEFORE.sub("", m.group("rest")))
        return Question(text, "claim_history", named, quote or (None if rest.lower() in _DEICTIC else rest), None,
                        claimed)
    if (m := _DID.match(text)) and named:
        return Question(text, "did_say", named, quote or _strip_q(m.group("rest")), None, claimed)
    if _WHEN.match(text) and named:
        return Question(text, "when_said", named, quote, _topic(text, named))
    if _WHAT.search(text) and named:
        return Question(text, "what_said", named, quote, _topic(text, named))
    return Question(text, "general", named, quote, None)


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
