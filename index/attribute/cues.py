"""The cue lexicon: words that introduce what someone said, wrote or thinks.

Written by hand from the linguistics of reported speech (Quirk et al.'s reporting verbs,
Levin's verbs of communication, Pareti's PARC cue classes, Krestel et al. 2008), not
learned from any corpus. Keys are spaCy lemmas, including the small model's lemmatising
slips ("hopes", "hoping" -> "hop").

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
    interject surmise elaborate bark chant snap scoff gush tease plead beg demur read
    """.split()
)

COMPLEMENT_VERBS: frozenset[str] = frozenset(
    """
    think believe feel know expect hope fear worry doubt suspect assume suppose
    consider figure imagine realize realise understand agree disagree decide
    show find suggest indicate demonstrate prove conclude determine
    want wish plan intend seek refuse decline promise vow pledge threaten
    urge ask order instruct call
    hop
    guess presume speculate insist argue contend reckon
    learn recognize recognise remember remind anticipate project estimate fear hope worry
    wonder insist maintain clarify
    """.split()
)

# verb lemma -> prepositions whose object is the content (the preposition joins the cue).
PREPOSITIONAL_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "side": frozenset({"with"}),
    "dwell": frozenset({"on"}),
    "touch": frozenset({"on"}),
    "balk": frozenset({"at"}),
    "allude": frozenset({"to"}),
    "vouch": frozenset({"for"}),
    "hint": frozenset({"at"}),
    "stand": frozenset({"by"}),
    "hope": frozenset({"for"}),
    "hop": frozenset({"for"}),
    "admit": frozenset({"to"}),
    "caution": frozenset({"against"}),
    "speculate": frozenset({"about"}),
    "expand": frozenset({"on"}),
    "acquiesce": frozenset({"to"}),
    "distance": frozenset({"from"}),
    "spar": frozenset({"over", "on"}),
    "warn": frozenset({"of", "about", "against"}),
    "talk": frozenset({"about"}),
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
    "apologize": frozenset({"for"}),
    "apologise": frozenset({"for"}),
    "advocate": frozenset({"for"}),
    "campaign": frozenset({"for", "against", "on"}),
    "lash": frozenset({"at", "against"}),
    "agree": frozenset({"with", "on"}),
    "disagree": frozenset({"with", "on"}),
    "think": frozenset({"about", "of"}),
    "say": frozenset({"about"}),
    "write": frozenset({"about", "of"}),
    "joke": frozenset({"about"}),
    "boast": frozenset({"about", "of"}),
    "brag": frozenset({"about"}),
    "rave": frozenset({"about"}),
    "muse": frozenset({"about", "on"}),
    "elaborate": frozenset({"on"}),
    "weigh": frozenset({"on", "in"}),
    "rail": frozenset({"against", "at"}),
    "open": frozenset({"about"}),
    "speak": frozenset({"about", "of"}),
    "back": frozenset({"from"}),
}

# Denial cues (DENIAL_CUES, PHRASAL_DENIAL_CUES) live in index.stance, shared with the
# store and the quote check.

# Verbs of refusing: with an infinitive they report what the speaker would not do
# ("refused to endorse Kovec"), never an assertion of it.
REFUSAL_VERBS: frozenset[str] = frozenset({"refuse", "decline"})

# Verbs of saying that a refusal or a negation empties of content: "declined to comment",
# "refused to say whether ...", "would not say when ...", "did not respond to a request
# for comment" report a source's silence, not a statement.
WITHHELD_SPEECH_VERBS: frozenset[str] = frozenset(
    """comment say discuss answer elaborate speculate specify confirm disclose reveal
    respond explain detail identify name address""".split()
)

# Words that open an embedded question: a negated speech verb with one as its content
# ("would not say whether layoffs were planned") asserted nothing.
QUESTION_WORDS: frozenset[str] = frozenset("whether if when where why how who what which".split())

# The multiword preposition that attributes a whole clause ("..., according to X").
ACCORDING_TO: tuple[str, str] = ("according", "to")
# Documents a reporter read a statement in ("..., Vell said, according to a transcript"):
# after a reported speech "according to" one names no second source.
REPORTER_DOCUMENTS: frozenset[str] = frozenset(
    """transcript report document record filing minute minutes recording statement study
    survey poll data figure""".split()
)

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
    "chair": frozenset({"chair", "chairman", "chairwoman", "chairperson"}),
    "chairman": frozenset({"chair", "chairman", "chairperson"}),
    "chairwoman": frozenset({"chair", "chairwoman", "chairperson"}),
    "chairperson": frozenset({"chair", "chairman", "chairwoman", "chairperson"}),
}

# Verbs of evaluating, backing or announcing whose direct object is what is reported
# ("described the plan as reckless", "accused the mayor of lying", "endorsed Kovec").
OBJECT_VERBS: frozenset[str] = frozenset(
    """
    describe cite accuse defend endorse support oppose criticize criticise praise blame
    reject deny propose announce dismiss question blast attack welcome condemn slam
    back applaud hail decry denounce mock ridicule dispute acknowledge
    admit confirm express voice predict recommend demand request promise pledge
    threaten rule refute downplay tout characterize characterise
    see show view want prefer favor favour mention discuss offer recall tweet write
    report claim post highlight list echo suggest propose
    thank congratulate recognize recognise remind share identify reference quote lament
    hail decry bemoan chide scold herald assail rebuke trumpet articulate document cheer chant
    learn remember underscore stress reiterate repeat emphasize emphasise explain contrast
    anticipate project portray
    say tell ask answer
    like love hate admire disavow repudiate ridicule lambast berate bash assail blast scold
    slam fault credit commend salute disparage belittle smear deride castigate excoriate
    chastise warn caution summarize summarise recount narrate outline describe
    note reveal declare compare liken invoke disclose envision foresee pronounce reaffirm
    retweet retweete concede fear state assert
    email recite hammer relish shrug brush
    estimate perceive regard preach judge argue
    """.split()
)

# Documents that frame a clause as what they say ("In a new poll, 52 percent ...").
SOURCE_DOCUMENTS: frozenset[str] = frozenset(
    "poll survey study report words view average".split()
)

# Verbs of seeming: an impression with no source ("the plan appears to have stalled").
RAISING_VERBS: frozenset[str] = frozenset({"seem", "appear"})

# Verbs of naming: the object and what it is called are the content
# ("She called the ruling “a disgrace.”").
NAMING_VERBS: frozenset[str] = frozenset({"call", "label", "dub", "brand", "deem", "term", "name", "title"})

# Prepositions that continue an object verb's content ("described X as Y", "accused X of Y").
OBJECT_PREPOSITIONS: frozenset[str] = frozenset({"as", "of", "for"})

# Prepositions that end the source of a headline ("Kovec to voters: ...").
HEADLINE_SOURCE_BREAKS: frozenset[str] = frozenset({"to", "on", "at", "in", "about", "for"})

# Verbs of phase, habit or attempt that take a cue verb as their infinitive and join its
# cue ("went on to say", "began to see", "continued to defend", "tended to back").
ASPECT_VERBS: frozenset[str] = frozenset(
    "begin start continue go tend try use fail stop keep resume proceed".split()
)

# Nouns for a written statement: "said in a statement" names the speech act itself, and
# "issued a statement saying ..." makes one cue of the verb, the noun and the gerund.
STATEMENT_NOUNS: frozenset[str] = frozenset({"statement"})

# Where a written post appears: "wrote on Twitter" is one act of writing, so the place
# joins the cue of a verb of writing (not of "said", which PolNeAR leaves bare).
WRITING_VERBS: frozenset[str] = frozenset({"write", "post", "tweet"})
PLATFORM_NOUNS: frozenset[str] = frozenset({"twitter", "facebook", "instagram"})

# Verbs that put out a statement ("issued a statement saying ...").
ISSUING_VERBS: frozenset[str] = frozenset({"issue", "release", "put", "send"})

# Nouns of a facial or vocal gesture: "said with a grin" is one manner of saying, so
# the phrase joins the cue.
MANNER_NOUNS: frozenset[str] = frozenset("grin smile laugh smirk shrug sigh chuckle wink".split())

# Adverbs that mark a clause as reported by someone unnamed ("Kovec has reportedly left").
EVIDENTIAL_ADVERBS: frozenset[str] = frozenset({"reportedly"})

# Light verbs that make a cue only with a fixed partner: "made (it) clear that ...",
# "as Kovec put it" (see the rules of the same names).
LIGHT_VERB_PARTNERS: dict[str, str] = {"make": "clear", "put": "it"}

# Phrasal verbs of saying: verb lemma -> the particle that makes it one ("shot back",
# "weighed in", "lashed out at the council", "spoke out against the plan").
PHRASAL_SPEECH_VERBS: dict[str, str] = {
    "shoot": "back", "fire": "back", "hit": "back", "push": "back", "weigh": "in",
    "chime": "in", "lash": "out", "speak": "out", "open": "up",
    "sound": "off", "walk": "back", "single": "out", "call": "out", "spell": "out",
    "lay": "out", "rule": "out", "back": "away",
}

# Capitalised labels that open a paragraph like a transcript speaker but name no one
# ("UPDATE: the ferry is running again").
SECTION_LABELS: frozenset[str] = frozenset(
    "update exclusive breaking watch video photos read related note correction clarification editor "
    "live analysis".split()
)

# What a piece of journalism calls itself: "this article", "an earlier version of this story"
# (a correction note's subject) is the outlet's own text, no source it reports.
SELF_REFERENCE_NOUNS: frozenset[str] = frozenset(
    "article story report piece version edition headline caption".split()
)

# Light verbs with the nouns that make them a cue ("took aim at", "raised concerns
# about", "made the case for", "drew a contrast with", "expressed concern that").
LIGHT_VERB_NOUNS: dict[str, frozenset[str]] = {
    verb: frozenset(nouns.split())
    for verb, nouns in {
        "make": "case point argument claim promise pledge vow comment statement remark "
                "accusation allegation appeal plea pitch mention observation prediction",
        "take": "aim shot swipe jab stance position issue credit",
        "raise": "concern question doubt issue alarm possibility",
        "draw": "contrast comparison distinction attention line",
        "express": "concern support frustration hope doubt confidence optimism skepticism "
                   "disappointment dismay outrage regret anger surprise interest",
        "voice": "concern support frustration opposition doubt",
        "issue": "statement warning call apology denial",
        "offer": "support praise criticism condolence congratulation thought",
        "pay": "tribute",
        "cast": "doubt",
        "sound": "alarm",
        "level": "criticism accusation charge",
    }.items()
}

# Prepositions that join a light verb's noun to the content ("took aim at the plan").
LIGHT_NOUN_PREPOSITIONS: frozenset[str] = frozenset(
    {"at", "about", "on", "of", "for", "against"}
)

# Verbs of perception: with a clause they report what was witnessed or will be found
# out ("we will see whether the ferry runs"), not what anyone said.
PERCEPTION_VERBS: frozenset[str] = frozenset({"see"})

# Nouns for the people a speaker addresses: the object of "told", not what was told.
AUDIENCE_NOUNS: frozenset[str] = frozenset(
    "reporter journalist audience crowd supporter voter listener viewer reader interviewer host".split()
)

# Adjectives of attitude -> the prepositions that introduce what the attitude is about
# ("sceptical about", "critical of", "angry at"); a clause or infinitive works too
# ("eager to sign", "confident that ...").
ATTITUDE_ADJECTIVES: dict[str, frozenset[str]] = {
    adjective: frozenset(preps.split())
    for adjective, preps in {
        "skeptical": "about of", "sceptical": "about of", "critical": "of", "wary": "of",
        "angry": "at about over with", "concerned": "about with over", "worried": "about over",
        "confident": "about of in", "optimistic": "about", "pessimistic": "about",
        "eager": "for", "glad": "about", "happy": "about with", "unhappy": "about with",
        "proud": "of", "supportive": "of", "dismissive": "of", "hopeful": "about of",
        "sure": "about of", "certain": "about of", "convinced": "of", "adamant": "about",
        "opposed": "to", "furious": "at about over with", "upset": "about over with",
        "frustrated": "with by about", "disappointed": "in with by", "pleased": "with about",
        "vocal": "about in on", "appreciative": "of", "tired": "of", "fond": "of",
        "enthusiastic": "about", "clear": "about on", "inclined": "", "willing": "",
        "reluctant": "", "determined": "",
    }.items()
}

# Words that stand for a whole answer or statement after a speech verb ("said yes",
# "said so").
ANSWER_WORDS: frozenset[str] = frozenset({"yes", "no", "so"})

# Speech verbs that in an "as" clause say when, not who vouches ("as talks continue").
TEMPORAL_AS_VERBS: frozenset[str] = frozenset({"continue"})

# Verbs of describing whose object is described "as" something ("what Kovec described
# as a lifeline").
DESCRIBING_VERBS: frozenset[str] = frozenset({"describe", "characterize", "characterise", "portray", "depict"})

# Verbs of reputation whose passive takes "for" as well as "as" ("is best known for").
REPUTATION_VERBS: frozenset[str] = frozenset({"know", "remember"})
