"""The cue lexicon: words that introduce what someone said, wrote or thinks.

Written by hand from the linguistics of reported speech (Quirk et al.'s reporting verbs,
Levin's verbs of communication, Pareti's PARC cue classes, Krestel et al. 2008), not
learned from any corpus. Keys are spaCy lemmas.

* ``SPEECH_VERBS``: verbs of saying; they make an attribution with a quote, a clausal
  complement or a parenthetical ("..., he said, ...").
* ``COMPLEMENT_VERBS``: verbs of thinking, showing, urging or intending; they make an
  attribution only with a clausal complement ("polls show that ...", "she hopes to win").
* ``PREPOSITIONAL_CUES``: verb + preposition pairs whose object is the content
  ("called for a ceasefire", "warned of a crisis").
"""

from __future__ import annotations

SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell add write ask note report announce tweet post explain declare state
    insist reply respond answer argue claim contend maintain assert allege stress
    emphasize emphasise warn caution predict promise pledge vow admit concede acknowledge
    deny confirm reveal disclose mention remark comment observe testify recall
    complain protest lament boast brag joke quip shout yell scream whisper mutter
    exclaim cry proclaim repeat reiterate continue conclude counter retort rebut
    suggest propose recommend advise urge demand threaten assure reassure inform
    notify tout predict forecast estimate speculate wonder question describe
    characterize characterise label dub blast slam charge accuse criticize criticise
    praise defend point muse reckon guess hint imply indicate signal acknowledge
    """.split()
)

COMPLEMENT_VERBS: frozenset[str] = frozenset(
    """
    think believe feel know expect hope fear worry doubt suspect assume suppose
    consider figure imagine realize realise understand agree disagree decide
    show find suggest indicate demonstrate prove conclude determine
    want wish plan intend seek refuse decline promise vow pledge threaten
    urge ask order instruct call
    """.split()
)

# verb lemma -> prepositions whose object is the content (the preposition joins the cue).
PREPOSITIONAL_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "warn": frozenset({"of", "about", "against"}),
    "talk": frozenset({"about"}),
    "speak": frozenset({"about", "of"}),
    "complain": frozenset({"about", "of"}),
    "ask": frozenset({"about", "for"}),
    "argue": frozenset({"for", "against"}),
    "push": frozenset({"for"}),
    "press": frozenset({"for"}),
    "plead": frozenset({"for"}),
    "appeal": frozenset({"for"}),
    "point": frozenset({"to"}),
    "comment": frozenset({"on"}),
    "insist": frozenset({"on"}),
    "refer": frozenset({"to"}),
    "vote": frozenset({"for", "against"}),
    "focus": frozenset({"on"}),
    "respond": frozenset({"to"}),
    "apologize": frozenset({"for"}),
    "apologise": frozenset({"for"}),
    "advocate": frozenset({"for"}),
    "campaign": frozenset({"for", "against", "on"}),
}

# The multiword preposition that attributes a whole clause ("..., according to X").
ACCORDING_TO: tuple[str, str] = ("according", "to")

# Pronouns that can be a speaker; those with a gender resolve to a person.
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her", "i"})
GROUP_PRONOUNS: frozenset[str] = frozenset({"they", "we", "it", "them", "us", "who"})

# Heads of descriptions that name an organisation rather than a person.
ORGANISATION_NOUNS: frozenset[str] = frozenset(
    """
    kremlin government ministry department agency office administration campaign
    committee commission council court police army military company firm party
    bank union association group organization organisation institute foundation
    newspaper agency network board embassy parliament congress senate house
    presidency cabinet team fund alliance coalition
    """.split()
)

# Heads of descriptions that are titles of people, with close synonyms for resolution
# ("Russia's top diplomat" -> a foreign minister, "the Ukrainian leader" -> a president).
TITLE_SYNONYMS: dict[str, frozenset[str]] = {
    "diplomat": frozenset({"minister", "secretary", "ambassador", "envoy", "diplomat"}),
    "leader": frozenset({"president", "premier", "chancellor", "minister", "leader", "king", "chairman"}),
    "chief": frozenset({"chief", "head", "director", "secretary-general", "secretary", "chairman"}),
    "head": frozenset({"chief", "head", "director", "secretary-general", "chairman"}),
    "spokesperson": frozenset({"spokesperson", "spokesman", "spokeswoman"}),
    "spokesman": frozenset({"spokesperson", "spokesman", "spokeswoman"}),
    "spokeswoman": frozenset({"spokesperson", "spokesman", "spokeswoman"}),
    "candidate": frozenset({"candidate", "nominee", "frontrunner", "front-runner"}),
    "nominee": frozenset({"candidate", "nominee"}),
    "mogul": frozenset({"mogul", "billionaire", "businessman"}),
}

# Verbs of evaluating, backing or announcing whose direct object is what is reported
# ("described the plan as reckless", "accused the mayor of lying", "endorsed Kovec").
OBJECT_VERBS: frozenset[str] = frozenset(
    """
    describe cite accuse defend endorse support oppose criticize criticise praise blame
    reject deny propose announce dismiss question blast attack welcome condemn slam
    back applaud hail decry denounce mock ridicule dispute challenge acknowledge
    admit confirm express voice predict recommend demand request promise pledge
    threaten rule refute downplay tout characterize characterise
    see show view want prefer seek favor favour mention discuss offer recall tweet write
    report claim post highlight list echo suggest propose
    """.split()
)

# Documents that frame a clause as what they say ("In a new poll, 52 percent ...").
SOURCE_DOCUMENTS: frozenset[str] = frozenset(
    "poll survey study report words view".split()
)

# Verbs of seeming: an impression with no source ("the plan appears to have stalled").
RAISING_VERBS: frozenset[str] = frozenset({"seem", "appear"})

# Verbs of naming: the object and what it is called are the content
# ("She called the ruling “a disgrace.”").
NAMING_VERBS: frozenset[str] = frozenset({"call", "label", "dub", "brand", "deem", "term", "name"})

# Prepositions that continue an object verb's content ("described X as Y", "accused X of Y").
OBJECT_PREPOSITIONS: frozenset[str] = frozenset({"as", "of", "for"})

# Prepositions that end the source of a headline ("Kovec to voters: ...").
HEADLINE_SOURCE_BREAKS: frozenset[str] = frozenset({"to", "on", "at", "in", "about", "for"})
