"""Denial cues, in one place: the rules find a denial by lemma, a record stored before
stances reads its stance from its cue's words, and the quote check says what the speaker
did ("ruled this out") and finds a speaker disowning words inside their own statement
("I never said it would be done by May"). Plain Python: the store and the checker import
it without spaCy.
"""

from __future__ import annotations

import re

# lemma -> (its inflections and noun as a pattern, what the speaker did with a statement)
_DENIALS: dict[str, tuple[str, str]] = {
    "deny": (r"den(?:y|ies|ied|ying|ials?)", "denied this"),
    "reject": (r"reject\w*", "rejected this"),
    "dismiss": (r"dismiss\w*", "dismissed this"),
    "dispute": (r"disput\w*", "disputed this"),
    "refute": (r"refut\w*", "refuted this"),
    "rebut": (r"rebut\w*", "rebutted this"),
    "repudiate": (r"repudiat\w*", "repudiated this"),
    "disavow": (r"disavow\w*", "disavowed this"),
    "disclaim": (r"disclaim\w*", "disclaimed this"),
}
# Phrasal verbs of denial: verb lemma -> particle ("ruled out sending troops"), with the
# pattern of the verb's forms and what the speaker did.
_PHRASAL_DENIALS: dict[str, tuple[str, str, str]] = {"rule": ("out", r"rul(?:e|es|ed|ing)", "ruled this out")}

# Verbs and nouns whose content is what the speaker denies, rejects or rules out
# ("denied that ...", "rejected claims that ...", "disputed the figures", "issued a
# denial"): the statement is real, its stance is the opposite of the content.
DENIAL_CUES: frozenset[str] = frozenset(_DENIALS) | {"denial"}
PHRASAL_DENIAL_CUES: dict[str, str] = {verb: particle for verb, (particle, _, _) in _PHRASAL_DENIALS.items()}

_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{forms}\s+(?:\w+\s+)?{particle}\b", re.IGNORECASE), phrase)
    for particle, forms, phrase in _PHRASAL_DENIALS.values()
] + [(re.compile(rf"\b{forms}\b", re.IGNORECASE), phrase) for forms, phrase in _DENIALS.values()]


def denial_phrase(cue: str | None) -> str | None:
    """What a denial cue's words say the speaker did ("ruling out" -> "ruled this out",
    "denies" -> "denied this"); ``None`` for a cue that is no denial ("said")."""
    for pattern, phrase in _PHRASES:
        if cue and pattern.search(cue):
            return phrase
    return None


def stance_from_cue_text(cue: str | None) -> str:
    """``denied`` when a cue's words are a denial, else ``asserted``: the stance of an
    attribution stored before stances were recorded."""
    return "denied" if denial_phrase(cue) else "asserted"


# A speaker disowning the words that follow, inside their own statement: "I never said
# [it would be done by May]", "we did not promise", "I didn't claim that", "I never told
# anyone". The cue is a negated verb of saying right before the words.
_DISAVOWAL = re.compile(
    r"(?P<cue>\b(?:(?:did|do|does|have|has|had|would|will|could)\s+not|never|\w+n['’]t)\s+(?:\w+\s+)?"
    r"(?:say|says|said|saying|claim|claims|claimed|promise|promises|promised|state|states|stated|"
    r"suggest|suggests|suggested|predict|predicts|predicted|guarantee|guaranteed|pledge|pledged|"
    r"mean|meant|tell|told(?:\s+\w+)?))[\s,]*(?:that\s+)?$", re.IGNORECASE)


def disavowal(before: str) -> str | None:
    """The words by which a speaker disowns what comes right after ``before`` ("I never
    said" -> "never said", "We didn't promise that" -> "didn't promise"), or ``None``."""
    m = _DISAVOWAL.search(before)
    return m.group("cue") if m else None
