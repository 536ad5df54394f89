"""Plain data types passed between the pipeline stages.

ingest -> sentences -> attributions -> store -> retrieve -> answer/check -> UI.
Every offset is a character offset into ``Article.text``: ``text[start:end]`` equals
the span's ``text`` everywhere (tests assert it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

AttributionKind = Literal["direct", "indirect", "mixed"]
# What the cue does with the content: "asserted" (said, claimed, believes), "denied"
# (denied, rejected, ruled out: the speaker's position is the opposite of the content) or
# "negated" (the cue is negated: "did not say that ...", "would not rule out ...": the
# speaker is reported not to have made the statement).
AttributionStance = Literal["asserted", "denied", "negated"]


@dataclass(frozen=True)
class Span:
    """A character span of an article's text (citron's span format)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        """The span ``text[start:end]``."""
        return cls(start, end, text[start:end])


@dataclass
class Appearance:
    """One place an article's text was seen (the same text may come from several outlets)."""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    url: str | None = None
    path: str | None = None
    source_path: str | None = None  # the file's absolute path (files only; see ``version_key``)


@dataclass
class Article:
    """An article as loaded: decoded text plus metadata; missing metadata stays ``None``."""

    id: str
    text: str
    content_hash: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    path: str | None = None
    encoding: str = "utf-8"
    furniture: list[Span] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    source_path: str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. a date in the file that cannot be read

    def appearance(self) -> Appearance:
        return Appearance(self.title, self.outlet, self.date, self.url, self.path, self.source_path)


@dataclass
class Sentence:
    """A sentence of an article; id is ``<article_id>:<n>`` and stable across re-ingests."""

    id: str
    article_id: str
    n: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass
class Chunk:
    """A run of whole consecutive sentences (retrieval context for longer passages)."""

    id: str
    article_id: str
    n: int
    start: int
    end: int
    text: str
    sentence_ids: list[str]


@dataclass
class Speaker:
    """A person or organisation that makes statements; aliases are the other names used."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    kind: Literal["person", "organisation", "unknown"] = "unknown"
    # the genders the articles' descriptions give ("Ms.", "her brother"): "f", "m"; both
    # when they disagree, none when they never say (names are never used)
    genders: list[str] = field(default_factory=list)


@dataclass
class Attribution:
    """Who said what: source, cue and content spans (citron's format), resolved speaker."""

    id: str
    article_id: str
    speaker: str | None  # resolved display name; None when the source is unknown
    speaker_id: str | None
    source: Span | None
    cue: Span | None
    content: list[Span]
    kind: AttributionKind
    sentence_ids: list[str] = field(default_factory=list)
    stance: AttributionStance = "asserted"

    @property
    def content_text(self) -> str:
        return " ".join(s.text for s in self.content)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_id": self.speaker_id,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": [s.to_dict() for s in self.content],
            "kind": self.kind,
            "sentence_ids": list(self.sentence_ids),
            "stance": self.stance,
        }


@dataclass
class ExtractionResult:
    """What the attribution stage returns for one article."""

    attributions: list[Attribution]
    speakers: list[Speaker]


def as_dict(obj) -> dict:
    """Dataclass to plain dict (for JSON output)."""
    return asdict(obj)


def is_site_root(url: str) -> bool:
    """True for the address of a whole site (no path beyond "/", no query): it names
    the site, not an article. CMS exports often give every page such a canonical link."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    return parts.path in ("", "/") and not parts.query


def version_key(appearance: Appearance) -> str | None:
    """What makes two indexed texts candidate versions of one article: the same URL
    (scheme, host case, a fragment and a trailing slash aside); without a URL, or with
    only a site's root URL (which says nothing about which article it is), the same file
    from the same outlet (or both without one). ``None`` for pasted text: nothing to
    compare. Candidates are versions only when their texts are one article
    (``index.versions.same_article``); the latest replaces the others (``index.ingest``)."""
    if appearance.url and not is_site_root(appearance.url):
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(appearance.url.strip())
        path = parts.path.rstrip("/")
        return "url:" + urlunsplit(("", parts.netloc.lower(), path, parts.query, ""))
    if appearance.source_path:
        return f"file:{(appearance.outlet or '').casefold()}|{appearance.source_path}"
    return None
