"""A reproducible, synthetic news corpus for the scale benchmarks.

    python -m bench.corpus OUT_DIR --articles 1000 [--seed 7]

Every name, place and outlet is invented here; the templates are this project's own.
Articles are Markdown files with front matter (title, outlet, date), a headline, page
furniture lines, and paragraphs mixing narration with direct, indirect and mixed quotes
by varied speakers (named people with roles, surnames on second mention, organisations,
anonymous sources). Lengths vary from a few paragraphs to long features. The same seed
gives byte-identical files. ``CorpusStats.distinct_share`` says how many sentences are
distinct (a template corpus repeats some; whosaid embeds a repeated sentence once).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

FIRST = ("Ilse Tomas Mara Oskar Lene Dario Wren Halvard Ysolde Caspian Nadia Teodor Rosalind Emeric "
         "Solveig Joaquin Linnea Petra Ansel Marisol Kestrel Bram Odile Fennick Liesl Corwin Sabeth "
         "Aurelio Greta Matthias Ines Hollis Vesna Tiberius Jolene Aksel Perpetua Ravi Delphine Ottoline").split()
LAST = ("Varga Reyes Lindqvist Okonkwo Brandvold Castellane Duvernoy Eskelund Farrow Gallardo Hestvik "
        "Iversholt Jankowitz Kettleby Larchmont Marrowind Nyquist Ostergaard Pellucci Quenby Rasmark "
        "Stellwagen Thornquist Ulvang Vasquelle Wexford Yarborough Zellinger Abernathy Brisbois Calloway "
        "Dunmore Ebberly Fairweather Grimsdale Holloway Ingleby Juniper Kilbride Lockhart").split()
ROLES = ("Mayor", "Councillor", "Minister", "Senator", "Professor", "Dr.", "Chief Inspector",
         "Judge", "Governor", "Commissioner")
DESCRIPTORS = ("the head of the regional water board", "a spokesperson for the port authority",
               "the city's chief engineer", "a union representative", "the hospital director",
               "an economist at Norvel University", "the school board chair", "a local shop owner",
               "the transport commissioner", "a retired ferry captain")
ORGS = ("the Harrowgate Port Authority", "the Velmar Teachers' Union", "the Ostrava Valley Water Board",
        "the Brennick Chamber of Commerce", "Northwind Rail", "the Calder Housing Trust",
        "the Sallow Bay Fishermen's Guild", "the Quillon Health Service")
PLACES = ("Port Almer", "Velmar", "Brennick", "Sallow Bay", "Harrowgate", "Quillon", "Ostrava Falls",
          "Calder Reach", "Duneholt", "Marrowick", "Tessaly", "Frostmere")
OUTLETS = ("The Almer Ledger", "Velmar Courier", "Brennick Evening Star", "Sallow Bay Gazette",
           "The Quillon Herald", "Harrowgate Post", "Calder Reach Chronicle", "Duneholt Dispatch")
TOPICS = ("the harbour dredging plan", "the new tram line", "library opening hours", "the flood barrier",
          "school meal prices", "the water tariff", "the hospital merger", "ferry subsidies",
          "the housing levy", "the stadium renovation", "rural bus routes", "the recycling contract",
          "winter road gritting", "the fishing quota", "the airport expansion", "the teachers' pay deal")
NOUNS = ("budget", "plan", "contract", "deadline", "proposal", "review", "tender", "levy", "grant",
         "timetable", "audit", "survey", "report", "agreement", "strike", "shortfall")
ADJ = ("reckless", "overdue", "affordable", "fair", "unworkable", "sensible", "rushed", "costly",
       "long overdue", "popular", "risky", "modest", "ambitious", "short-sighted")
VERBS_SAID = ("said", "told reporters", "warned", "argued", "insisted", "added", "claimed",
              "explained", "admitted", "stressed")
VERBS_INDIRECT = ("said", "warned", "argued", "claimed", "insisted", "denied", "suggested",
                  "acknowledged", "confirmed")
DAYS = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend",
        "last week", "this morning", "late on Tuesday")
UNITS = ("million crowns", "thousand residents", "per cent", "kilometres", "jobs", "households",
         "buses", "classrooms", "beds", "tonnes")
FURNITURE = ("Advertisement", "Share this article", "Read more", "Sign up for our newsletter",
             "Related stories", "***")


@dataclass
class CorpusStats:
    """What a generated corpus holds."""

    articles: int = 0
    sentences: int = 0
    distinct_sentences: int = 0
    characters: int = 0
    quotes: dict[str, int] = field(default_factory=lambda: {"direct": 0, "indirect": 0, "mixed": 0})

    @property
    def distinct_share(self) -> float:
        return self.distinct_sentences / self.sentences if self.sentences else 0.0

    def to_dict(self) -> dict:
        return {"articles": self.articles, "sentences": self.sentences,
                "distinct_sentences": self.distinct_sentences,
                "distinct_share": round(self.distinct_share, 4), "characters": self.characters,
                "quotes": dict(self.quotes)}


@dataclass
class Person:
    first: str
    last: str
    role: str | None
    descriptor: str | None

    def full(self) -> str:
        name = f"{self.first} {self.last}"
        return f"{self.role} {name}" if self.role else name


class ArticleWriter:
    """Writes one article from a seeded ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.quotes = {"direct": 0, "indirect": 0, "mixed": 0}

    def pick(self, seq):
        return self.rng.choice(seq)

    def number(self) -> str:
        return f"{self.rng.randint(2, 980)} {self.pick(UNITS)}"

    def clause(self) -> str:
        """A content clause with enough combinatorial variety to be mostly unique."""
        r = self.rng
        topic, noun, adj, place = self.pick(TOPICS), self.pick(NOUNS), self.pick(ADJ), self.pick(PLACES)
        forms = (
            f"{topic} would cost {self.number()} more than the council had planned",
            f"the {noun} for {topic} was {adj} and should be put to a vote in {place}",
            f"{place} could not afford to wait another {r.randint(2, 14)} years for {topic}",
            f"nobody in {place} had been asked about the {noun} before it was signed",
            f"the {noun} would protect {self.number()} in {place} and the villages around it",
            f"{topic} had already saved {self.number()} since {r.randint(1998, 2024)}",
            f"the {adj} {noun} ignored what residents of {place} had said at {r.randint(3, 40)} meetings",
            f"the {noun} on {topic} would be published before the end of {self.pick(MONTHS)}",
        )
        return self.pick(forms)

    def narration(self, place: str) -> str:
        r = self.rng
        forms = (
            f"The {self.pick(NOUNS)} covers {self.number()} and runs until {r.randint(2026, 2040)}.",
            f"Work on {self.pick(TOPICS)} in {place} began in {self.pick(MONTHS)} {r.randint(2015, 2025)}.",
            f"About {self.number()} were affected, according to figures from {self.pick(ORGS)}.",
            f"The vote in {place} passed by {r.randint(10, 40)} to {r.randint(2, 9)}.",
            f"Residents gathered outside the town hall in {place} {self.pick(DAYS)}.",
            f"The previous {self.pick(NOUNS)} was abandoned in {r.randint(2005, 2023)} after {self.pick(ADJ)} delays.",
        )
        return self.pick(forms)

    def statement(self, person: Person, first_mention: bool) -> str:
        """A direct, indirect or mixed quote by ``person``."""
        kind = self.rng.choices(("direct", "indirect", "mixed"), weights=(4, 4, 2))[0]
        self.quotes[kind] += 1
        who = person.full() if first_mention else person.last
        if first_mention and person.descriptor and self.rng.random() < 0.5:
            who = f"{person.first} {person.last}, {person.descriptor},"
        verb_d, verb_i, when = self.pick(VERBS_SAID), self.pick(VERBS_INDIRECT), self.pick(DAYS)
        content = self.clause()
        if kind == "direct":
            spoken = content[0].upper() + content[1:]
            forms = (f"“{spoken},” {who} {verb_d}.",
                     f"“{spoken},” {verb_d.split()[0]} {who}." if " " not in verb_d else f"“{spoken},” {who} {verb_d}.",
                     f"{who} {verb_d} {when}: “{spoken}.”")
            return self.pick(forms)
        if kind == "indirect":
            forms = (f"{who} {verb_i} {when} that {content}.",
                     f"According to {who.rstrip(',')}, {content}.",
                     f"{content[0].upper() + content[1:]}, {who.rstrip(',')} {verb_i}.")
            return self.pick(forms)
        words = content.split()
        cut = self.rng.randint(2, max(3, len(words) - 2))
        return f"{who} {verb_i} that {' '.join(words[:cut])} “{' '.join(words[cut:])}”."

    def article(self, index: int) -> tuple[str, list[str]]:
        """The file text and its body sentences (furniture and headline excluded)."""
        r = self.rng
        place, topic = self.pick(PLACES), self.pick(TOPICS)
        people = [Person(self.pick(FIRST), self.pick(LAST), self.pick(ROLES) if r.random() < 0.6 else None,
                         self.pick(DESCRIPTORS) if r.random() < 0.4 else None)
                  for _ in range(r.randint(1, 4))]
        mentioned: set[int] = set()
        title = f"{place} {self.pick(('debates', 'rejects', 'backs', 'delays', 'reviews'))} {topic} ({index})"
        date = f"20{r.randint(18, 25)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        paragraphs: list[list[str]] = []
        for _ in range(r.choice((3, 4, 6, 8, 12, 20))):
            para = []
            for _ in range(r.randint(1, 4)):
                if r.random() < 0.6:
                    p = r.randrange(len(people))
                    para.append(self.statement(people[p], p not in mentioned))
                    mentioned.add(p)
                elif r.random() < 0.15:
                    org = self.pick(ORGS)
                    para.append(f"{org[0].upper() + org[1:]} {self.pick(VERBS_INDIRECT)} that {self.clause()}.")
                    self.quotes["indirect"] += 1
                else:
                    para.append(self.narration(place))
            paragraphs.append(para)
        lines = ["---", f"title: {title}", f"outlet: {self.pick(OUTLETS)}", f"date: {date}", "---",
                 f"# {title}", ""]
        for i, para in enumerate(paragraphs):
            lines += [" ".join(para), ""]
            if i in (1, 5) and r.random() < 0.5:
                lines += [self.pick(FURNITURE), ""]
        return "\n".join(lines), [s for para in paragraphs for s in para]


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def write_corpus(out_dir: Path, n_articles: int, seed: int = 7) -> CorpusStats:
    """Write the corpus to ``out_dir`` and return its statistics."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = CorpusStats()
    seen: set[str] = set()
    writer = ArticleWriter(random.Random(seed))
    for i in range(n_articles):
        text, sentences = writer.article(i)
        (out_dir / f"{i:06d}.md").write_text(text, encoding="utf-8")
        stats.articles += 1
        stats.sentences += len(sentences)
        stats.characters += len(text)
        seen.update(sentences)
    stats.distinct_sentences = len(seen)
    stats.quotes = dict(writer.quotes)
    return stats


def sentence_pool(n_sentences: int, seed: int = 11) -> list[str]:
    """``n_sentences`` distinct body sentences (for stores built from precomputed vectors)."""
    writer = ArticleWriter(random.Random(seed))
    out: dict[str, None] = {}
    i = 0
    while len(out) < n_sentences:
        _, sentences = writer.article(i)
        i += 1
        for s in sentences:
            out.setdefault(s)
    return list(out)[:n_sentences]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    stats = write_corpus(args.out, args.articles, args.seed)
    print(json.dumps(stats.to_dict(), indent=2))


if __name__ == "__main__":
    main()
