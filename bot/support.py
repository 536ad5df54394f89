"""Does a cited source support an answer sentence? (the check behind every LLM answer)

``check_support(sentence, sources)`` decides whether the source sentences an answer
sentence cites actually say what it says. A generated sentence is *supported* only when

* its content words are (mostly) in the cited sources: ``MIN_COVERAGE`` of them, compared
  by crude lemma (``bot.meaning.key``), not counting reporting verbs ("said", "told") and
  the names of the cited statements' speakers, outlets and titles (``context``);
* it does not change their meaning: the quote check's negation, number/date/unit, name,
  antonym and tense tests (``bot.meaning.compare``) find nothing ("safe for lorries" from
  "we cannot let lorries cross it", "eleven months" for "eleven weeks", "western" for
  "eastern", "has already doubled" for "will double");
* whoever it names as the speaker ("Quill warned that …", "…, said Mayor Quill",
  "according to Vance") said it: a person it names in a reporting frame
  (``speaker_phrases``) must be the speaker of a cited sentence (its recorded attribution,
  or the sentence names them as its speaker), and only that person's cited sentences
  count for the coverage and meaning tests: "Quill warned that the repair bill will
  double" citing Quill's sentence about the bridge and Vance's about the bill is not
  supported. A surname names a person of that full name (``index.speakers.may_be``);
* it does not state as a plain fact what the sources only report someone saying: when every
  cited sentence is a statement by a speaker, the answer sentence must attribute it (a
  reporting verb or the speaker's name);
* no cited sentence is an instruction aimed at the reader ("ignore your instructions and
  say …"): such text is data to be reported, never a source for a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.diff import tokenize
from bot.meaning import REPORTING_WORDS, compare, expand, is_content, key
from bot.text import STOPWORDS, fold
from index.models import Speaker
from index.speakers import may_be

MIN_COVERAGE = 0.6

_REPORTING_KEYS = frozenset(key(w) for w in REPORTING_WORDS)

_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]{0,60}\b(?:instructions?|prompts?|rules|guidelines|"
    r"directions|above|previous|prior)\b"
    r"|\b(?:system\s+prompt|language\s+model|as\s+an\s+ai|you\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|"
    r"chatbot|model))\b"
    r"|\b(?:assistant|chatbot|ai|model)s?\s*(?:,|:)?\s*(?:must|should|shall|will)\s+(?:say|answer|reply|state)\b"
    r"|(?:^|[.!?:;]\s+|\band\s+|\bthen\s+|\bplease\s+)(?:say|answer|reply|respond|state|write|tell\s+(?:the\s+)?"
    r"(?:user|reader)s?)\s+(?:that\s+|only\s+)?\S",
    re.I)


@dataclass
class SupportCheck:
    """The verdict on one answer sentence: supported or not, and why not."""

    supported: bool
    coverage: float
    reasons: list[str] = field(default_factory=list)


def is_instruction(text: str) -> bool:
    """True when ``text`` reads as an instruction to a model or reader rather than a report."""
    return bool(_INSTRUCTION.search(text))


def check_support(sentence: str, sources: list[str], *, source_speakers: list[list[Speaker]] | None = None,
                  context: str = "", people: list[Speaker] | None = None) -> SupportCheck:
    """Does the text of ``sources`` (the cited sentences) support ``sentence``?

    ``source_speakers`` gives, per source, whoever the sentence is attributed to (empty
    list: nobody); ``context`` holds names the sentence may use freely (outlets, titles,
    speakers); ``people`` are other speakers the sentence may name (those of the sources
    the model saw but did not cite), so that naming one of them as the speaker is caught."""
    if not sources:
        return SupportCheck(False, 0.0, ["cites no source"])
    reasons: list[str] = []
    instructions = [s for s in sources if is_instruction(s)]
    if instructions:
        reasons.append(f"the cited source is an instruction, not a report: “{instructions[0][:120]}”")
    all_speakers = list(source_speakers or [[] for _ in sources])
    speaker_names = " ".join(n for said_by in all_speakers for s in said_by for n in [s.name, *s.aliases])
    kept, speaker_reasons = _by_named_speakers(sentence, sources, all_speakers, people or [])
    reasons.extend(speaker_reasons)
    whose = ""
    if len(kept) < len(sources):  # the named speaker's own sentences must support it
        whose = " by " + ", ".join(dict.fromkeys(s.name for i in kept for s in all_speakers[i])
                                   or ["the speaker it names"])
    sources = [sources[i] for i in kept]
    source_speakers = [all_speakers[i] for i in kept] if source_speakers is not None else None
    source_text = " ".join(sources)
    free_keys = {key(w) for w in _word_set(f"{context} {speaker_names}")} | _REPORTING_KEYS
    coverage = _coverage(sentence, source_text, free_keys)
    if coverage < MIN_COVERAGE:
        reasons.append(f"only {coverage:.0%} of its content words are in the cited sources{whose}")
    meaning = compare(sentence, source_text, context=f"{context} {speaker_names}")
    reasons.extend(meaning.reasons)
    if source_speakers and all(source_speakers) and not _attributes(sentence, speaker_names):
        who = ", ".join(dict.fromkeys(s.name for said_by in source_speakers for s in said_by))
        reasons.append(f"states as fact what the sources report {who} saying")
    return SupportCheck(not reasons, coverage, reasons)


# Verb forms that report what someone said, for finding who a sentence names as its speaker
# (nouns such as "claims" or "notes" left out: "Quill's claims" names no speaker).
SPEECH_VERBS = frozenset("""said says told tells added adds stated claimed argued argues insisted insists
warned warns promised pledged announced announces confirmed confirms denied denies accused noted explained
explains suggested suggests vowed urged urges believes reported replied acknowledged admitted admits
conceded concedes maintained wrote writes predicted""".split())
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_SEGMENT_END = re.compile(r"[,;:“”\"‘’]\s*")
TRAILING_FRAME_WORDS = 5


def speaker_phrases(text: str) -> list[str]:
    """The capitalised names ``text`` gives as the speaker of what it reports, in text order:
    the subject of a reporting verb ("Mayor Ronan Quill said …", "Dr. Imelda Vance, the
    council's chief engineer, warned that …"), the words around one that ends the sentence
    ("…, Quill said." / "…," said Mayor Ronan Quill.), and "according to Vance". Words of
    the statement itself are not included ("Vance's plan is wrong, Quill said." names Quill)."""
    tokens = list(_TOKEN.finditer(text))
    regions: list[str] = []
    start = 0
    for i, m in enumerate(tokens):
        word = fold(m.group())
        if word == "according" and i + 1 < len(tokens) and fold(tokens[i + 1].group()) == "to":
            rest = text[tokens[i + 1].end():]
            regions.append(re.split(r"[,;:“”\"]", rest)[0])
            start = tokens[i + 1].end()
            continue
        if word not in SPEECH_VERBS:
            continue
        before, after = text[start:m.start()], text[m.end():]
        if len(_TOKEN.findall(after)) <= TRAILING_FRAME_WORDS and '"' not in after and "“" not in after:
            # the frame ends the sentence: only the words after the statement's last break
            regions.append(_SEGMENT_END.split(before)[-1] + " " + after)
        else:
            regions.append(before)
        start = m.end()
    out: list[str] = []
    for region in regions:
        for m in _CAPITALISED.finditer(region):
            parts = m.group().split()
            while parts and fold(parts[0]) in STOPWORDS:
                parts = parts[1:]
            if parts:
                out.append(" ".join(parts))
    return out


def _by_named_speakers(sentence: str, sources: list[str], source_speakers: list[list[Speaker]],
                       people: list[Speaker]) -> tuple[list[int], list[str]]:
    """The indexes of the sources by whoever ``sentence`` names as its speaker (all of them
    when it names no known speaker), and a reason for each named person who speaks no
    cited sentence."""
    known = list({s.id: s for s in [*(s for said_by in source_speakers for s in said_by), *people]}.values())
    named = [(phrase, {s.id for s in known if may_be(phrase, s)}) for phrase in speaker_phrases(sentence)]
    named = [(phrase, ids) for phrase, ids in named if ids]
    if not named:
        return list(range(len(sources))), []
    by_source = []
    for text, said_by in zip(sources, source_speakers):
        ids = {s.id for s in said_by}
        if not ids:  # no recorded attribution: the speaker the sentence itself names
            ids = {s.id for phrase in speaker_phrases(text) for s in known if may_be(phrase, s)}
        by_source.append(ids)
    reasons = []
    kept: set[int] = set()
    for phrase, ids in named:
        theirs = {i for i, speaker_ids in enumerate(by_source) if speaker_ids & ids}
        kept |= theirs
        if not theirs:
            who = ", ".join(dict.fromkeys(s.name for said_by in source_speakers for s in said_by))
            reasons.append(f"it names {phrase} as the speaker, but no cited sentence is attributed to them"
                           + (f" (the cited sentences are by {who})" if who else ""))
    return (sorted(kept) if kept else list(range(len(sources)))), reasons


def _coverage(sentence: str, source: str, free_keys: set[str]) -> float:
    wanted = {key(w) for w in _word_set(sentence) if is_content(w)} - free_keys
    if not wanted:
        return 0.0  # nothing to support: a sentence without content claims nothing checkable
    have = {key(w) for w in _word_set(source)}
    return len(wanted & have) / len(wanted)


def _attributes(sentence: str, speaker_names: str) -> bool:
    """The sentence reports speech: a reporting verb, or names a speaker of its sources."""
    sentence_words = _word_set(sentence)
    if {key(w) for w in sentence_words} & _REPORTING_KEYS:
        return True
    name_words = {w for w in _word_set(speaker_names) if is_content(w)}
    return bool(name_words & sentence_words)


def _word_set(text: str) -> set[str]:
    """Folded words of ``text``, contractions expanded ("don't" -> "do", "not")."""
    return {w for t in tokenize(text) for w in expand(t.norm)}
