"""Does a cited source support an answer sentence? (the check behind every LLM answer)

``check_support(sentence, sources)`` decides whether the source sentences an answer
sentence cites actually say what it says. A generated sentence is *supported* only when

* its content words are (mostly) in the cited sources: ``MIN_COVERAGE`` of them, compared
  by crude lemma (``bot.meaning.key``), not counting reporting verbs ("said", "told") and
  the names of the cited statements' speakers, outlets and titles (``context``);
* it does not change their meaning: the quote check's negation, number/date, name and
  antonym tests (``bot.meaning.compare``) find nothing;
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
from bot.meaning import compare, expand, is_content, key

MIN_COVERAGE = 0.6

REPORTING_WORDS = frozenset("""said say says saying told tell tells added add adds stated state states
claimed claim claims argued argue argues insisted insist insists warned warn warns promised promise
promises pledged pledge pledges announced announce announces confirmed confirm confirms denied deny
denies accused accuse accuses called call calls according noted note notes explained explain
explains suggested suggest suggests vowed vow vows urged urge urges believes believe believed
reported report reports described describe describes replied reply replies acknowledged
acknowledge acknowledges admitted admit admits ruled rule rules""".split())
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


def check_support(sentence: str, sources: list[str], *, source_speakers: list[list[str]] | None = None,
                  context: str = "") -> SupportCheck:
    """Does the text of ``sources`` (the cited sentences) support ``sentence``?

    ``source_speakers`` gives, per source, the names of whoever the sentence is attributed to
    (empty list: nobody); ``context`` holds names the sentence may use freely (outlets,
    titles, speakers)."""
    if not sources:
        return SupportCheck(False, 0.0, ["cites no source"])
    reasons: list[str] = []
    instructions = [s for s in sources if is_instruction(s)]
    if instructions:
        reasons.append(f"the cited source is an instruction, not a report: “{instructions[0][:120]}”")
    source_text = " ".join(sources)
    speaker_names = " ".join(n for names in (source_speakers or []) for n in names)
    free_keys = {key(w) for w in _word_set(f"{context} {speaker_names}")} | _REPORTING_KEYS
    coverage = _coverage(sentence, source_text, free_keys)
    if coverage < MIN_COVERAGE:
        reasons.append(f"only {coverage:.0%} of its content words are in the cited sources")
    meaning = compare(sentence, source_text, context=f"{context} {speaker_names}")
    reasons.extend(meaning.reasons)
    if source_speakers and all(source_speakers) and not _attributes(sentence, speaker_names):
        who = ", ".join(dict.fromkeys(n for names in source_speakers for n in names))
        reasons.append(f"states as fact what the sources report {who} saying")
    return SupportCheck(not reasons, coverage, reasons)


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
