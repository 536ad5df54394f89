"""Meaning-change checks that embedding similarity cannot do.

``compare(quote, source)`` tells whether a quote (or an answer sentence, or a later
version of a claim) changes the meaning of its source passage, with reasons in plain
English. Embeddings put "there will be no war" and "there will be war" next to each
other; these checks do not:

* negation: each clause of the quote is matched to the source clause sharing most content
  words; their polarities (not/no/never/n't/without/unless/nobody…, "denied that…",
  "failed to…", "-less" words) must agree;
* a clause that takes words only a clause of the opposite polarity has: "the bridge is
  safe for lorries" from "the bridge is safe for pedestrians, but we cannot let lorries
  cross it" (``spliced_negations``);
* numbers and dates: every number of the quote ("8,500", "two thousand", "15%", "2021",
  the fraction words "a third", "a fifth") and every month or weekday must be in the
  source; a multiplier word ("double", "triple", "half", "twice") must not replace another
  one ("triple shifts" for "double shifts"); a number's unit must stay ("eleven months"
  for "eleven weeks", ``unit_changes``);
* tense: what the source says may happen ("the bill will double", "would cost") the quote
  must not report as done ("has already doubled"), nor the reverse (``tense_changes``);
* names: capitalised names of the quote must be in the source (or its ``context``);
* antonyms: "rise" where the source says "fall", "always" where it says "never", "western"
  where it says "eastern", "stop" where it says "keep" (going on against coming to a halt,
  unless the going on lasts "until" that point), a word
  with a negative prefix (un-, in-, im-, il-, ir-, dis-, non-) where the other text has its
  stem ("unhealthy" / "healthy");
* with ``strict_words`` (the source is a direct quotation): words the quote adds or swaps,
  unless the swap is a form of the same word, or a close synonym (``word_similarity``) in
  a quote reworded elsewhere too; a quote that is the source's words but for the swap
  claims to reproduce them ("concrete" for "cement" is a misquote); a swapped unit ("week"
  for "month") always counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.diff import Token, opcodes, tokenize
from bot.text import STOPWORDS, fold

NEGATORS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere",
                      "without", "unless", "cannot", "noone"})
DENIALS = frozenset({"deny", "denies", "denied", "denying", "dismissed", "rejected"})
FAILURES = frozenset({"fail", "fails", "failed", "failing"})
CLAUSE_WORDS = frozenset({"but", "and", "if", "unless", "that", "because", "while", "although", "though",
                          "whereas", "so", "however", "yet"})
EXTRA_STOPWORDS = frozenset({"during", "per", "cent", "percent", "around", "about", "than", "any", "ever",
                             "already", "still", "now", "well", "up", "going", "get", "got", "make",
                             "made", "want", "wants", "also", "even", "really", "whatever", "exactly"})
NEGATION_WORDS = NEGATORS | DENIALS | FAILURES
UNITS = frozenset("""second seconds minute minutes hour hours day days week weeks weekend month months
year years decade decades century centuries night nights morning evening afternoon today tomorrow
yesterday tonight spring summer autumn winter percent metre metres meter meters kilometre kilometres mile miles kilo kilos
kilogram kilograms tonne tonnes pound pounds euro euros dollar dollars penny pence cent cents
million billion thousand hundred dozen""".split())
MONTHS = ("january february march april may june july august september october november december "
          "monday tuesday wednesday thursday friday saturday sunday").split()
_ANTONYM_PAIRS = """rise fall|rise drop|increase decrease|increase cut|raise cut|raise lower|up down|more less|
more fewer|higher lower|above below|before after|always never|open close|win lose|accept reject|
support oppose|approve reject|allow ban|allow forbid|start stop|begin end|gain lose|grow shrink|
expand reduce|best worst|strong weak|safe dangerous|legal illegal|agree disagree|stay leave|
stay rise|remain rise|hire fire|hire sack|buy sell|include exclude|success failure|true false|
fallen risen|fell rose|cheaper dearer|cheap expensive|east west|north south|eastern western|
northern southern|eastbound westbound|northbound southbound|upstream downstream|inbound outbound|
open shut""".replace("\n", "").split("|")
# Going on against coming to a halt: "the ferry would keep running through the winter" is
# the opposite of "the ferry would stop running in the winter" ("continues" / "ends",
# "resumed" / "suspended"). Every word of one list is the opposite of every word of the
# other; ``key`` makes one form stand for its regular inflections ("keeps", "continued",
# "stopping"), irregular ones are listed ("kept").
CONTINUING = "keep kept continue resume".split()
CEASING = "stop end halt cease suspend discontinue".split()
_ANTONYM_PAIRS += [f"{a} {b}" for a in CONTINUING for b in CEASING]
_UNTIL = frozenset({"until", "till", "til"})
_PRONOUNS = frozenset("i you he she we they it".split())
SYNONYM_SIMILARITY = 0.55
# A word this close to another speaks of the same thing, if not as a synonym ("down" for
# "fallen", 0.49; "sound" and "close" are 0.30): enough for ``carried_words``, which asks
# whether a source speaks of what the quote says at all, not whether it says it alike.
RELATED_SIMILARITY = 0.45
# Verbs that report speech ("said", "warned"): the frame of a statement, not its content.
REPORTING_WORDS = frozenset("""said say says saying told tell tells added add adds stated state states
claimed claim claims argued argue argues insisted insist insists warned warn warns promised promise
promises pledged pledge pledges announced announce announces confirmed confirm confirms denied deny
denies accused accuse accuses called call calls according noted note notes explained explain
explains suggested suggest suggests vowed vow vows urged urge urges believes believe believed
reported report reports described describe describes replied reply replies acknowledged
acknowledge acknowledges admitted admit admits ruled rule rules""".split())
NEGATIVE_PREFIXES = ("non", "dis", "un", "in", "im", "il", "ir")
_ASSIMILATED = {"im": ("m", "p", "b"), "il": ("l",), "ir": ("r",)}
# Words with a negative-looking prefix whose stem is a common word they do not negate
# ("display" is no opposite of "play"); the stem rule alone lets them through when both
# words happen to be in the two texts.
NOT_NEGATING = frozenset("""discover discovered discovers discovery display displayed dismiss dismissed
dispatch dispatched discharge discharged dispose disposed disposition distance disease discount
discounted discourse dissent dismay disclose disclosed dissolve dissolved disgust inform informed
informs income insight install installed instance intend intended intent invest invested invent
invented inland inside indoor indeed index intern inroads instead infamous invaluable increase
increased injury inmate intake input invoice inhabit inflame infuse inlet impress impressed import
imported impose imposed impart imply implied impact impair impaired implant impound""".split())
# Words that state a quantity without digits or number words: "double shifts", "halved".
MULTIPLIERS: dict[str, float] = {
    "single": 1, "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "twice": 2, "twofold": 2,
    "triple": 3, "tripled": 3, "triples": 3, "tripling": 3, "treble": 3, "trebled": 3, "thrice": 3,
    "threefold": 3, "quadruple": 4, "quadrupled": 4, "fourfold": 4,
    "half": 0.5, "halve": 0.5, "halved": 0.5, "halving": 0.5}

_UNITS_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                           "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000}
_NUMBER_WORD = "|".join(sorted([*_UNITS_WORDS, *_TENS, *_SCALES], key=len, reverse=True))
# Fraction words ("a third", "two fifths", "a quarter") by value: "a third" for "a fifth"
# changes a number as much as "3" for "5" does. ("second" and "half" are left out: a unit
# of time, and a ``MULTIPLIERS`` word.)
FRACTIONS = {w: 1 / n for n, w in enumerate("third fourth fifth sixth seventh eighth ninth tenth".split(), start=3)}
FRACTIONS["quarter"] = 1 / 4
_FRACTION_WORD = "|".join(FRACTIONS)
_NUMBER = re.compile(
    r"(?<![\w.])(?P<digits>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<dscale>(?:[\s-]*(?:hundred|thousand|million|billion|bn))*)"
    rf"|\b(?P<words>(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*)\b"
    rf"|\b(?P<fraction>{_FRACTION_WORD})s?\b", re.I)
# The word after a number, when it is a unit ("eleven weeks", "4.8 million dollars", "a 10-tonne limit")
_UNIT_AFTER = re.compile(r"[\s-]*([^\W\d_]+)")
_CLAUSE_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[,;:.!?()\u2014\u2013]", re.UNICODE)
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_CONTRACTIONS = {"won't": ["will", "not"], "can't": ["can", "not"], "cannot": ["can", "not"],
                 "shan't": ["shall", "not"], "ain't": ["is", "not"]}


@dataclass
class MeaningCheck:
    """The result of ``compare``: whether the meaning changed and why, by kind."""

    changed: bool
    reasons: list[str] = field(default_factory=list)
    negation: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


@dataclass
class Clause:
    """A clause: its text, polarity (True = negated) and content-word keys."""

    text: str
    negated: bool
    keys: set[str]
    denies: bool = False


def key(word: str) -> str:
    """A crude lemma for matching word forms: "planning"/"plans", "making"/"make", "later"/"late"."""
    w = fold(word).replace("'", "")
    for suffix in ("ation", "ings", "ing", "ied", "ies", "ion", "ed", "er", "es", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix in ("ied", "ies") else "")
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w[:5]


_ANTONYMS: dict[str, set[str]] = {}
for _pair in _ANTONYM_PAIRS:
    _a, _b = _pair.split()
    _ANTONYMS.setdefault(key(_a), set()).add(key(_b))
    _ANTONYMS.setdefault(key(_b), set()).add(key(_a))
_CONTINUING_KEYS = frozenset(key(w) for w in CONTINUING)
_CEASING_KEYS = frozenset(key(w) for w in CEASING)


def opposite_keys(a: set[str], b: set[str]) -> set[str]:
    """Keys of ``a`` whose opposite (the antonym list) is a key of ``b``: "oppos" in "he now
    opposes the bridge" against "he fully supports the bridge"."""
    return {k for k in a - b if _ANTONYMS.get(k, set()) & b}


def expand(word: str) -> list[str]:
    """A folded word with its negation made explicit: "don't" -> ["do", "not"]."""
    w = fold(word)
    if w in _CONTRACTIONS:
        return list(_CONTRACTIONS[w])
    if w.endswith("n't") and len(w) > 3:
        return [w[:-3], "not"]
    if w in ("nobody", "noone"):
        return ["no", "body"]
    if w == "anymore":
        return ["any", "more"]
    return [w]


def is_content(word: str) -> bool:
    """True for words that carry content (not stop words, negators or number words)."""
    return (word not in STOPWORDS and word not in EXTRA_STOPWORDS and word not in NEGATION_WORDS
            and word not in CLAUSE_WORDS and not word.isdigit() and word not in ("body",)
            and word not in _UNITS_WORDS and word not in _TENS)


def _negative(word: str) -> bool:
    return word in NEGATORS or word in FAILURES or (word.endswith("less") and len(word) > 6
                                                    and word not in ("unless", "nevertheless", "regardless"))


def clauses(text: str) -> list[Clause]:
    """Split ``text`` into clauses at punctuation and conjunctions, with polarity and keys."""
    out: list[Clause] = []
    current: list[tuple[str, int, int]] = []

    def close() -> None:
        if not current:
            return
        words = [w for raw, _, _ in current for w in expand(raw)]
        negations = sum(1 for w in words if _negative(w))
        denies = any(w in DENIALS for w in words)
        inherited = bool(out and out[-1].denies and words and words[0] == "that")
        keys = {key(w) for w in words if is_content(w)}
        span = text[current[0][1] : current[-1][2]]
        out.append(Clause(span, (negations % 2 == 1) != inherited, keys, denies))
        current.clear()

    for m in _CLAUSE_TOKEN.finditer(text):
        tok = m.group()
        if not tok[0].isalnum():
            close()
            continue
        if fold(tok) in CLAUSE_WORDS and current:
            close()
        current.append((tok, m.start(), m.end()))
    close()
    return [c for c in out if c.keys]


def numbers(text: str) -> dict[float, str]:
    """Numbers in ``text`` by value, with their surface form ("two thousand" -> 2000.0)."""
    found: dict[float, str] = {}
    for value, m in number_matches(text):
        found.setdefault(value, m.group().strip())
    return found


def measures(text: str) -> dict[float, set[str]]:
    """The units written after numbers in ``text``, by the number's value, with the number:
    "eleven weeks" -> {11.0: {"eleven weeks"}}; "£2.4 million" has none (the scale is the
    number's)."""
    found: dict[float, set[str]] = {}
    for value, m in number_matches(text):
        after = _UNIT_AFTER.match(text, m.end())
        if after and fold(after.group(1)) in UNITS and fold(after.group(1)) not in _SCALES:
            found.setdefault(value, set()).add(f"{m.group().strip()} {after.group(1)}")
    return found


def _unit_keys(measured: set[str]) -> set[str]:
    """The units of ``measures`` entries in the singular ("weeks" -> "week", "centuries" -> "century")."""
    out = set()
    for m in measured:
        unit = fold(m.rsplit(" ", 1)[-1])
        out.add(unit[:-3] + "y" if unit.endswith("ies") else unit[:-1] if unit.endswith("s") else unit)
    return out


def number_matches(text: str) -> list[tuple[float, re.Match]]:
    """Each number of ``text`` with its value and match (its place in the text)."""
    out = []
    for m in _NUMBER.finditer(text):
        if m.group("fraction"):
            value = FRACTIONS[m.group("fraction").lower()]
        elif m.group("digits"):
            value = float(m.group("digits").replace(",", ""))
            for scale in re.findall(r"hundred|thousand|million|billion|bn", (m.group("dscale") or "").lower()):
                value *= _SCALES[scale]
        else:
            parts = [p for p in re.split(r"[\s-]+", m.group("words").lower()) if p != "and"]
            if parts == ["one"] or all(p in _SCALES for p in parts):
                continue  # "no one", "one of them"; a bare "thousands"-like scale
            value = _words_value(parts)
        out.append((value, m))
    return out


# Words that end a sentence's subject: "The Kessel Bridge | will create 300 jobs".
_SUBJECT_END = frozenset("""will would could can shall should may might must is are was were has have had
do does did won't wouldn't isn't aren't wasn't weren't hasn't haven't hadn't""".split())
_SENTENCE_END = re.compile(r"[.!?;…]+\s+")


@dataclass(frozen=True)
class NumberContext:
    """What a number counts and what it is said of, read from the words around it:
    "The Kessel Bridge will create 300 jobs" -> noun "job", subject {"kesse", "bridg"}."""

    noun: str | None  # ``key`` of the word right after the number ("jobs"), None at a clause's end
    # content keys of its sentence up to the first auxiliary ("will") or the number; none
    # when a personal pronoun opens the clause ("We need at least twelve weeks": the subject
    # is "we", whoever that is, not "need" and "least")
    subject: frozenset[str]


def number_contexts(text: str) -> dict[float, NumberContext]:
    """``NumberContext`` of each number of ``text`` by value (the first mention wins)."""
    out: dict[float, NumberContext] = {}
    for value, m in number_matches(text):
        after = re.match(r"\s*%?\s*([^\W\d_][\w'’-]*)", text[m.end():])
        noun = key(after.group(1)) if after else None
        starts = [e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())]
        before = [w for t in tokenize(text[(starts[-1] if starts else 0):m.start()]) for w in expand(t.norm)]
        cut = next((i for i, w in enumerate(before) if w in _SUBJECT_END), len(before))
        if before and before[0] in _PRONOUNS:
            cut = 1  # the pronoun is the subject; a main verb follows it ("we need", "I expect")
        out.setdefault(value, NumberContext(noun, frozenset(key(w) for w in before[:cut] if is_content(w))))
    return out


def same_count(a: NumberContext, b: NumberContext) -> bool | None:
    """Do two numbers count the same thing? True: the same noun said of the same subject
    (a subject word in common, or a subject left unsaid: "300 jobs" / "500 jobs" of "the
    bridge"); False: different nouns ("two years" / "500 jobs") or subjects with nothing in
    common ("the ferry … 120 jobs" / "the bridge … 500 jobs"); None: a noun is unknown
    ("by 2033" at a sentence's end)."""
    if a.noun is None or b.noun is None:
        return None
    if a.noun != b.noun:
        return False
    return not (a.subject and b.subject) or bool(a.subject & b.subject)


def _words_value(parts: list[str]) -> float:
    total, current = 0, 0
    for p in parts:
        if p in _UNITS_WORDS:
            current += _UNITS_WORDS[p]
        elif p in _TENS:
            current += _TENS[p]
        elif p == "hundred":
            current = max(current, 1) * 100
        elif p in _SCALES:
            total += max(current, 1) * _SCALES[p]
            current = 0
    return float(total + current)


def names(text: str) -> list[str]:
    """Capitalised names in ``text`` (a sentence-initial word counts only inside a longer name)."""
    out = []
    for m in _CAPITALISED.finditer(text):
        words = m.group().split()
        before = text[: m.start()].rstrip(" \"'“‘«(")
        if not before or before[-1] in ".!?:":
            if len(words) < 2 or words[1][0].islower():
                words = words[1:]
        words = [w for w in words if fold(w) not in STOPWORDS and fold(w) not in MONTHS
                 and fold(w) not in ("i", "of") and not _negative(fold(w))]
        out.extend(words)
    return out


def content_coverage(quote: str, source: str) -> float:
    """Share of the quote's content words (by ``key``) that occur in ``source``."""
    q_keys = {key(w) for w in _word_set(quote) if is_content(w)}
    if not q_keys:
        return 1.0
    s_keys = {key(w) for w in _word_set(source)}
    return len(q_keys & s_keys) / len(q_keys)


def _word_set(text: str) -> set[str]:
    return {w for t in tokenize(text) for w in expand(t.norm)}


@dataclass
class TextFacts:
    """What the meaning checks need of one text, computed once (``facts``): comparing a
    text with many others (claim linking) then costs set operations, not re-tokenising."""

    text: str
    months: set[str]  # month and weekday words as written (folded), not expanded
    words: set[str]  # folded words, negations made explicit (``expand``)
    word_keys: set[str]  # ``key`` of every word
    content_keys: set[str]  # ``key`` of the content words (``is_content``)
    by_key: dict[str, str]  # key -> the alphabetically last word with that key
    clauses: list[Clause]
    numbers: dict[float, str]
    names: list[tuple[str, list[str]]]  # each capitalised name with its expanded folded parts
    multipliers: dict[float, str] = field(default_factory=dict)  # ``MULTIPLIERS`` words by value
    number_contexts: dict[float, NumberContext] = field(default_factory=dict)  # by value
    measures: dict[float, set[str]] = field(default_factory=dict)  # numbers with their units (``measures``)


def facts(text: str) -> TextFacts:
    """Month words, words, keys, clauses, numbers and names of ``text``."""
    tokens = tokenize(text)
    word_set = {w for t in tokens for w in expand(t.norm)}
    keyed = {w: key(w) for w in word_set}
    by_key: dict[str, str] = {}
    for w in sorted(word_set):
        by_key[keyed[w]] = w
    name_parts = []
    for name in names(text):
        folded = fold(name).replace("’", "'")
        name_parts.append((name, [w for t in tokenize(folded) for w in expand(t.norm)]))
    return TextFacts(text, {t.norm for t in tokens if t.norm in MONTHS}, word_set, set(keyed.values()),
                     {k for w, k in keyed.items() if is_content(w)}, by_key, clauses(text), numbers(text),
                     name_parts, multipliers(word_set), number_contexts(text), measures(text))


def multipliers(word_set: set[str]) -> dict[float, str]:
    """The ``MULTIPLIERS`` words among folded words, by value ("double" -> 2.0)."""
    return {MULTIPLIERS[w]: w for w in sorted(word_set) if w in MULTIPLIERS}


def multiplier_changes(quote: TextFacts, source: TextFacts) -> list[str]:
    """Multiplier words of the quote that replace another one of the source ("triple" for
    "double"). One the source lacks altogether is no change ("the single biggest" for "the
    biggest"), nor is one the source gives as a number ("double" for "two")."""
    if not source.multipliers:
        return []
    said = ", ".join(f"“{w}”" for w in source.multipliers.values())
    return [f"number: the quote says “{word}”, the source says {said}"
            for value, word in quote.multipliers.items()
            if value not in source.multipliers and value not in source.numbers]


def compare(quote: str, source: str, *, context: str = "", strict_words: bool = False,
            word_similarity: Callable[[str, str], float] | None = None) -> MeaningCheck:
    """Does ``quote`` change the meaning of ``source``? (see the module doc)."""
    return compare_facts(facts(quote), facts(source), context=facts(context) if context else None,
                         strict_words=strict_words, word_similarity=word_similarity)


def compare_facts(quote: TextFacts, source: TextFacts, *, context: TextFacts | None = None,
                  strict_words: bool = False,
                  word_similarity: Callable[[str, str], float] | None = None) -> MeaningCheck:
    """``compare`` on texts already analysed with ``facts``."""
    check = MeaningCheck(changed=False)
    check.negation = negation_changes(quote, source)
    check.negation += [r for r in spliced_negations(quote, source) if r not in check.negation]
    _numbers(quote, source, check)
    check.numbers += unit_changes(quote, source)
    _names(quote, source, context, check)
    check.words = antonym_changes(quote, source) + tense_changes(quote, source)
    if strict_words:
        _strict_words(quote, source, check, word_similarity)
    check.reasons = check.negation + check.numbers + check.names + check.words
    check.changed = bool(check.reasons)
    return check


def negation_changes(quote: TextFacts, source: TextFacts) -> list[str]:
    """Clauses of the quote whose polarity differs from the matching source clause."""
    out: list[str] = []
    source_clauses = source.clauses
    for qc in quote.clauses:
        best, best_shared = None, 0
        for sc in source_clauses:
            shared = len(qc.keys & sc.keys)
            if shared > best_shared or (shared == best_shared and best is not None
                                        and best.negated != qc.negated and sc.negated == qc.negated):
                best, best_shared = sc, shared
        if best is None or best_shared < max(1, len(qc.keys) / 2):
            continue
        if best.negated != qc.negated:
            if best.negated:
                out.append(f"negation: the source says “{best.text}”, the quote drops the "
                           f"negation: “{qc.text}”")
            else:
                out.append(f"negation: the source says “{best.text}”, the quote negates it: "
                           f"“{qc.text}”")
    return out


def _best_clause(qc: Clause, source: TextFacts) -> Clause | None:
    """The source clause sharing most content words with ``qc``, if it shares at least half."""
    best, best_shared = None, 0
    for sc in source.clauses:
        shared = len(qc.keys & sc.keys)
        if shared > best_shared:
            best, best_shared = sc, shared
    return best if best is not None and best_shared >= max(1, len(qc.keys) / 2) else None


def spliced_negations(quote: TextFacts, source: TextFacts) -> list[str]:
    """Affirmed clauses of the quote that take a word the source has only in negated
    clauses: from "The bridge is safe for pedestrians, but we cannot let lorries cross it",
    "the bridge is safe for lorries" puts the lorries of the negated clause into the
    affirmed one. The whole-clause test of ``negation_changes`` misses these: the quote
    clause matches the clause of its own polarity best. Names and reporting verbs are not
    taken into account ("Quill said …" borrows nothing from "…," said Quill). A negated
    clause of the quote is not tested: it may well name with a word of another clause
    what its own clause says with a pronoun ("No one believes the mayor's promises" for
    "The mayor has decided …. Nobody believes her promises")."""
    out: list[str] = []
    for qc in quote.clauses:
        if qc.negated:
            continue
        same = set().union(*(sc.keys for sc in source.clauses if not sc.negated))
        if not qc.keys & same:
            continue  # nothing affirmed in the source: a whole-clause flip, ``negation_changes``' case
        words = {w: key(w) for t in tokenize(qc.text) for w in expand(t.norm)
                 if is_content(w) and w not in REPORTING_WORDS and not qc.text[t.start:t.start + 1].isupper()}
        for sc in source.clauses:
            borrowed = sorted(w for w, k in words.items() if k in sc.keys and k not in same)
            if sc.negated and borrowed:
                said = ", ".join(f"“{w}”" for w in borrowed)
                out.append(f"negation: the source says “{sc.text}”, which negates {said}; the quote "
                           f"does not: “{qc.text}”")
                break
    return out


_MAY_HAPPEN = frozenset({"will", "would", "could", "might", "shall", "may"})
_HAVE = frozenset({"has", "have", "had"})
_PARTICIPLES = frozenset("""been done gone seen made taken given risen fallen grown become cost paid lost won spent
said told begun shown known left kept cut put set hit sold bought built brought""".split())


def _modality(text: str) -> str | None:
    """"may happen" for a clause with a modal ("will double", "would cost"), "happened" for
    one in the perfect or with "already" ("has doubled", "had already closed"), else
    ``None`` (both or neither: nothing to compare)."""
    tokens = tokenize(text)
    folded = [w for t in tokens for w in expand(t.norm)]
    # "May" with a capital inside a sentence is the month
    modal = any(w in _MAY_HAPPEN and not (w == "may" and text[t.start:t.start + 1].isupper() and t.start > 0)
                for t in tokens for w in expand(t.norm))
    done = "already" in folded or any(
        w in _HAVE and nxt != "not" and (nxt.endswith("ed") or nxt in _PARTICIPLES)
        for w, nxt in zip(folded, [*folded[1:], ""]))
    if modal == done:
        return None
    return "may happen" if modal else "happened"


def tense_changes(quote: TextFacts, source: TextFacts) -> list[str]:
    """Clauses of the quote that report as done what the matching source clause says may
    happen, or the reverse: "the repair bill has already doubled" for "If we wait another
    winter, the repair bill will double"."""
    out: list[str] = []
    for qc in quote.clauses:
        sc = _best_clause(qc, source)
        if sc is None:
            continue
        q_mood, s_mood = _modality(qc.text), _modality(sc.text)
        if q_mood and s_mood and q_mood != s_mood:
            out.append(f"tense: the source says “{sc.text}” ({s_mood}), the quote says “{qc.text}” ({q_mood})")
    return out


def unit_changes(quote: TextFacts, source: TextFacts) -> list[str]:
    """Numbers of the quote that the source gives with another unit: "eleven months" for
    "eleven weeks" (the number alone agrees)."""
    out: list[str] = []
    for value, units in quote.measures.items():
        theirs = source.measures.get(value)
        if theirs and not _unit_keys(units) & _unit_keys(theirs):
            out.append(f"unit: the quote says “{sorted(units)[0]}”, the source says “{sorted(theirs)[0]}”")
    return out


def _numbers(quote: TextFacts, source: TextFacts, check: MeaningCheck) -> None:
    src = source.numbers
    for value, surface in quote.numbers.items():
        if value not in src:
            said = ", ".join(f"“{s}”" for s in src.values())
            check.numbers.append(f"number: the quote says “{surface}”, the source says {said}" if said
                                 else f"number: the quote says “{surface}”, the source gives no such number")
    check.numbers.extend(multiplier_changes(quote, source))
    src_words = source.words
    for word in quote.words:
        if word in MONTHS and word not in src_words:
            said = ", ".join(f"“{m.title()}”" for m in MONTHS if m in src_words)
            check.numbers.append(f"date: the quote says “{word.title()}”, the source says {said}" if said
                                 else f"date: the quote says “{word.title()}”, the source does not")


def _names(quote: TextFacts, source: TextFacts, context: TextFacts | None, check: MeaningCheck) -> None:
    known = source.words | context.words if context else source.words
    known_keys = source.word_keys | context.word_keys if context else source.word_keys
    for name, parts in quote.names:
        if parts and not all(p in known or key(p) in known_keys for p in parts):
            check.names.append(f"name: the quote names “{name}”, which the source does not")


def antonym_changes(quote: TextFacts, source: TextFacts) -> list[str]:
    """Words of the quote whose opposite the source says instead ("rise" for "fall",
    "unhealthy" for "healthy", "healthy" for "unhealthy")."""
    out: list[str] = []
    q_words, s_words = quote.by_key, source.by_key
    for k in sorted(set(q_words) - set(s_words)):
        opposite = sorted(o for o in _ANTONYMS.get(k, set()) & set(s_words)
                          if not (_going_on_until(quote, k, o) or _going_on_until(source, o, k)))
        if opposite:
            out.append(f"opposite: the quote says “{q_words[k]}” where the source says "
                       f"“{s_words[opposite[0]]}”")
    for word, stem in _prefixed_opposites(quote, source):
        out.append(f"opposite: the quote says “{word}” where the source says “{stem}”")
    for word, stem in _prefixed_opposites(source, quote):
        out.append(f"opposite: the quote says “{stem}” where the source says “{word}”")
    return list(dict.fromkeys(out))  # "illegal" is in the antonym list and prefixed


def _going_on_until(text: TextFacts, going_on: str, ceasing: str) -> bool:
    """Whether the going-on word of ``text`` (key ``going_on``, a ``CONTINUING`` word) is no
    opposite of a ``CEASING`` word (key ``ceasing``) there: said with the point where it
    stops ("the strike will continue until Friday" says what "the strike will end on Friday"
    says), or as the frame of a quotation ("“We will halt the works,” she continued": the
    speaker went on talking)."""
    if going_on not in _CONTINUING_KEYS or ceasing not in _CEASING_KEYS:
        return False
    for c in text.clauses:
        if going_on not in c.keys:
            continue
        words = [c.text[t.start:t.end] for t in tokenize(c.text)]
        if _word_set(c.text) & _UNTIL:
            return True
        others = [w for w in words if key(w) != going_on]
        if len(words) <= 4 and others and all(fold(w) in _PRONOUNS or (w[:1].isupper() and fold(w) not in STOPWORDS)
                                              for w in others):
            return True
    return False


def negative_stem(word: str) -> str | None:
    """The word ``word`` would negate with a negative prefix ("unhealthy" -> "healthy",
    "illegal" -> "legal", "impossible" -> "possible"), or ``None``. The stem is only a
    candidate: many words begin with these letters without negating anything
    ("understand", "important", "discuss"), so a caller counts it only when the stem is a
    word of another text."""
    for prefix in NEGATIVE_PREFIXES:
        stem = word[len(prefix):]
        if not word.startswith(prefix) or len(stem) < 3:
            continue
        # in- assimilates to the stem's first letter: im-possible, il-legal, ir-regular (so
        # "inlet" is no in-let)
        if prefix in _ASSIMILATED and not stem.startswith(_ASSIMILATED[prefix]):
            continue
        if prefix == "in" and stem.startswith(("m", "p", "b", "l", "r")):
            continue
        return stem
    return None


def _prefixed_opposites(a: TextFacts, b: TextFacts) -> list[tuple[str, str]]:
    """(word of ``a``, word of ``b``) where the word of ``a`` is a word of ``b`` with a
    negative prefix ("unhealthy", "healthy"), ``b`` lacks the prefixed word and ``a`` the
    plain one: one text says the opposite of the other."""
    out = []
    for word in sorted(a.words - b.words):
        stem = negative_stem(word)
        if stem and stem in b.words and stem not in a.words and word not in NOT_NEGATING and is_content(word):
            out.append((word, stem))
    return out


def _strict_words(quote_facts: TextFacts, source_facts: TextFacts, check: MeaningCheck,
                  word_similarity: Callable[[str, str], float] | None) -> None:
    quote, source = quote_facts.text, source_facts.text
    q_tokens, s_tokens = tokenize(quote), tokenize(source)
    s_keys = {key(w) for t in s_tokens for w in expand(t.norm)}
    ops = opcodes(q_tokens, s_tokens)
    # A quote that is the source's words but for swapped words presents itself as the
    # speaker's exact words ("digging through concrete" for "... cement"): a swap is a
    # misquote however close in meaning. Only a quote reworded elsewhere too is a
    # paraphrase, where a close synonym may stand in.
    reworded = _reworded(ops, q_tokens, s_tokens, s_keys)
    # A number the source gives in other words is no added word: "five hundred jobs" for
    # "500 jobs" (``_numbers`` checks the values).
    same_value = [(m.start(), m.end()) for value, m in number_matches(quote) if value in source_facts.numbers]
    for tag, i1, i2, j1, j2 in ops:
        if tag not in ("insert", "replace"):
            continue
        new = _new_words([t for t in q_tokens[i1:i2]
                          if not any(start <= t.start and t.end <= end for start, end in same_value)], s_keys)
        if not new:
            continue
        j1, j2 = _facing(i1, i2, j1, j2, len(q_tokens))
        old = [w for t in s_tokens[j1:j2] for w in expand(t.norm) if is_content(w)]
        q_text = quote[q_tokens[i1].start : q_tokens[i2 - 1].end]
        if tag == "insert" or not old:
            check.words.append(f"added: the quote adds “{q_text}”, which the source does not say")
            continue
        s_text = source[s_tokens[j1].start : s_tokens[j2 - 1].end]
        unit_swap = any(w in UNITS for w in new + old)
        synonym = (reworded and not unit_swap and word_similarity is not None and
                   all(max(word_similarity(n, o) for o in old) >= SYNONYM_SIMILARITY for n in new))
        if not synonym:
            check.words.append(f"changed: the quote says “{q_text}” where the source says “{s_text}”")


def _facing(i1: int, i2: int, j1: int, j2: int, quote_length: int) -> tuple[int, int]:
    """The source words a replacement at the quote's end (or start) stands for: as many as
    it has, next to the matched words ("concrete" replaces “cement”, not “cement," Roos
    said”: the source runs on past the quote)."""
    if i2 - i1 < j2 - j1:
        if i2 == quote_length:
            return j1, j1 + (i2 - i1)
        if i1 == 0:
            return j2 - (i2 - i1), j2
    return j1, j2


def _new_words(tokens: list[Token], source_keys: set[str]) -> list[str]:
    """The content words of ``tokens`` that no form of a source word accounts for."""
    return [w for t in tokens for w in expand(t.norm) if is_content(w) and key(w) not in source_keys]


def _reworded(ops: list[tuple[str, int, int, int, int]], q_tokens: list[Token], s_tokens: list[Token],
              source_keys: set[str]) -> bool:
    """Is the quote reworded beyond swapped words: other words or forms in place of the
    source's ("did" for "have done", "won't be sold" for "is not for sale"), or source
    words left out between matched ones (not at the ends: a partial quote is still the
    speaker's words)? A word merely added ("just") rewords nothing."""
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "delete" and equal and equal[0] < k < equal[-1]:
            return True
        if tag == "replace":
            new = set(_new_words(q_tokens[i1:i2], source_keys))
            j1, j2 = _facing(i1, i2, j1, j2, len(q_tokens))
            kept = [w for t in q_tokens[i1:i2] for w in expand(t.norm) if w not in new]
            around = [w for t in s_tokens[j1:j2] for w in expand(t.norm) if not is_content(w)]
            if kept != around:
                return True
    return False


def carried_words(quote: str, source: str, word_similarity: Callable[[str, str], float] | None = None,
                  prepare: Callable[[list[str]], object] | None = None) -> tuple[list[str], list[str]]:
    """What the quote says of its subject, and which of it the source carries over.

    The first list: the quote's predicate words, the content words after its subject
    (which ends at the first auxiliary, ``_SUBJECT_END``: "the Tarn ferry | was
    profitable"), or all its content words when no auxiliary leaves any after it (“No one
    believes her promises”); names (capitalised words) and numbers left out either way —
    ``compare`` checks those. The second: those the source has in some form (``key``), as a
    related word (``word_similarity`` at least ``RELATED_SIMILARITY``: "down" for
    "fallen") or as an opposite (a change ``compare`` names). A source that shares only the subject ("The Kessel
    Bridge will close" for "the Kessel Bridge was sound") carries none: it says something
    else about the same thing. ``prepare(words)``, if given, is called once with every word
    ``word_similarity`` may then be asked about (to embed them in one batch)."""
    q = facts(quote)
    name_words = {p for _, parts in q.names for p in parts}
    tokens = [w for t in tokenize(quote) for w in expand(t.norm)]
    cut = next((i + 1 for i, w in enumerate(tokens) if w in _SUBJECT_END), 0)

    def own(ws: list[str]) -> list[str]:
        return list(dict.fromkeys(w for w in ws if is_content(w) and w not in name_words and w not in _SCALES
                                  and not any(c.isdigit() for c in w) and w not in MONTHS
                                  and w not in MULTIPLIERS))

    said = own(tokens[cut:]) or own(tokens)
    if not said:
        return [], []
    s = facts(source)
    source_content = sorted(w for w in s.words if is_content(w))
    carried, unmatched = [], []
    for w in said:
        k = key(w)
        if k in s.word_keys or _ANTONYMS.get(k, set()) & s.word_keys or (
                (stem := negative_stem(w)) and stem in s.words) or any(negative_stem(o) == w for o in s.words):
            carried.append(w)
        else:
            unmatched.append(w)
    if unmatched and word_similarity is not None and source_content:
        if prepare is not None:
            prepare(unmatched + source_content)
        carried += [w for w in unmatched if max(word_similarity(w, o) for o in source_content) >= RELATED_SIMILARITY]
        carried.sort(key=said.index)
    return said, carried
