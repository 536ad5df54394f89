"""Loading articles: files, folders, pasted text and fetched pages -> ``Article``.

The stored text is the decoded file text (BOM removed, newlines as read); YAML front
matter stays in the text and is marked as furniture, so offsets always index the file.
HTML is stored as its extracted main text. Metadata comes from front matter, HTML meta
tags or explicit overrides; what is missing stays ``None``, it is never guessed.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from index.errors import IngestError
from index.furniture import ends_as_sentence, find_furniture
from index.models import Article, Span, is_site_root

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
META_KEYS = ("title", "outlet", "date", "url")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
# front matter whose closing "---" is missing: the opening line and the "key: value" lines
# after it, up to a blank line (or the end)
_OPEN_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n((?:[A-Za-z_][\w-]*:[^\r\n]*(?:\r?\n|\Z))+)")
UNCLOSED_FRONT_MATTER = ("the front matter is not closed (no \"---\" line after it); its \"key: value\" lines "
                         "up to the first blank line were read as front matter: check the title and outlet")
# Signatures of common binary formats (images, PDF, archives, office files, executables).
_BINARY_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"MZ",
    b"\x1f\x8b", b"BZh", b"7z\xbc\xaf", b"RIFF", b"\x00\x00\x01\x00", b"II*\x00", b"MM\x00*",
    b"\xd0\xcf\x11\xe0",
)


@dataclass
class Metadata:
    """Article metadata given by the user (flags, form fields); ``None`` = not given."""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None

    def merged_over(self, found: Mapping[str, str | None]) -> dict[str, str | None]:
        """These values where given, else the ones ``found`` in the document."""
        return {k: getattr(self, k) if getattr(self, k) else found.get(k) for k in META_KEYS}

    def checked(self) -> "Metadata":
        """A copy with the date as an ISO date and the URL checked; raises ``DateError``
        for a given date that cannot be read or is ambiguous, ``UrlError`` for a given URL
        that is not a web address (what the user typed is never dropped or guessed)."""
        return Metadata(self.title, self.outlet, parse_date(self.date) if self.date else None,
                        parse_url(self.url) if self.url else None)


def check_one_article(inputs: list[str], given: Metadata | None) -> None:
    """Refuse a given URL for several inputs or a folder (``MetadataError``): a URL names
    one article, and every text given it would become a version of that one article, each
    replacing the one before. The files' own URLs (front matter, HTML) still apply."""
    if not (given and given.url):
        return
    if len(inputs) != 1 or Path(inputs[0]).is_dir():
        what = "a folder" if len(inputs) == 1 else f"{len(inputs)} inputs"
        raise MetadataError(f"a URL names one article, so it can be given for one file or web address, not {what}; "
                            "ingest each file with its own URL (files and pages may also carry theirs in "
                            "front matter or HTML)")


def content_hash(text: str) -> str:
    """sha256 of the text with Unicode and whitespace normalised (same words, same hash).
    ``make_article`` hashes the article body: the text after any front matter."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def article_id_for(hash_hex: str) -> str:
    """The article id: the first 16 hex digits of its content hash."""
    return hash_hex[:16]


DATE_FORMATS = 'an ISO date such as 2024-03-04, or with the month in words: "4 March 2024", "March 4, 2024"'
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


class MetadataError(IngestError):
    """Metadata the user gave (a flag, a form field) that cannot be used as given."""


class DateError(MetadataError):
    """A date that cannot be read, or that could be read two ways."""


class UrlError(MetadataError):
    """A URL that is not a web address (http or https, with a host)."""


def parse_url(value: object) -> str:
    """The URL, stripped, if it is an http(s) address with a host; else ``UrlError``.
    Anything else (``javascript:``, ``file:``, a bare word) cannot be a link to an article
    and would be shown to readers as one."""
    text = str(value).strip()
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        good = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. a malformed IPv6 host
        good = False
    if not good or any(ch.isspace() for ch in text):
        raise UrlError(f'"{text}" is not a web address; give an http:// or https:// URL with a host')
    return text


def parse_date(value: object) -> str:
    """An ISO date (YYYY-MM-DD) from a date-like value; raises ``DateError`` with a plain
    reason for text that is not a whole date (day, month and year) or is ambiguous.

    A numeric date such as 03/04/2024 is 3 April in most of the world and March 4 in the
    US: it is refused, never guessed (13/04/2024 can only be one of them and is read)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            raise DateError(f'the date "{text}" does not exist; use {DATE_FORMATS}') from None
    numeric = _NUMERIC_DATE.match(text)
    if numeric and (len(numeric[3]) == 2 or (int(numeric[1]) <= 12 and int(numeric[2]) <= 12
                                             and numeric[1].lstrip("0") != numeric[2].lstrip("0"))):
        raise DateError(f'the date "{text}" can be read more than one way (day/month or month/day); '
                        f"use {DATE_FORMATS}")
    from dateutil import parser as date_parser

    try:
        # Parsed against two different defaults: a part missing from the text (no day,
        # no year) would be filled in from the default, so the two readings differ.
        first = date_parser.parse(text, fuzzy=False, default=datetime(1901, 2, 3))
        second = date_parser.parse(text, fuzzy=False, default=datetime(1902, 3, 4))
    except (ValueError, OverflowError, TypeError):
        raise DateError(f'cannot read the date "{text}"; use {DATE_FORMATS}') from None
    if first.date() != second.date():
        raise DateError(f'the date "{text}" needs a day, a month and a year; use {DATE_FORMATS}')
    return first.date().isoformat()


def normalise_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date-like value, or ``None`` if it is not one
    (or is ambiguous: see ``parse_date``)."""
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except DateError:
        return None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: known binary signatures or NUL bytes."""
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return head.startswith(_BINARY_MAGIC) or b"\x00" in head


def utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """``(text, "utf-16-le" or "utf-16-be")`` for UTF-16 text saved without a byte-order
    mark (some Windows tools do), else ``None``. Text in a Latin script is then mostly ASCII
    characters, so every other byte is NUL: odd bytes in little-endian ("L\\0a\\0r\\0"),
    even bytes in big-endian. Read so only when the whole file decodes and is printable
    text (an image with runs of NULs is neither)."""
    head = data[:4096]
    units = len(head) // 2
    if len(data) % 2 or units < 8 or b"\x00" not in head:
        return None
    even, odd = head[0:units * 2:2].count(0) / units, head[1:units * 2:2].count(0) / units
    if odd > 0.6 and even < 0.05:
        encoding = "utf-16-le"
    elif even > 0.6 and odd < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\t\n\r\f" for ch in text[:2048])
    return (text, encoding) if printable >= 0.98 * len(text[:2048]) else None


MIXED_ENCODING = "utf-8+windows-1252"
MIXED_ERRORS = "whosaid-windows-1252"
# a whole UTF-8 multi-byte character: a lead byte and as many continuation bytes as it
# says (a Czech "íš" in Windows-1250, 0xED 0x9A, is a lead byte with too few)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _as_windows_1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as Windows-1252 (Latin-1 where it has no character)."""
    bad = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error(MIXED_ERRORS, _as_windows_1252)


# The alphabets (lower case, beyond ASCII) of the languages newsrooms write in the Latin
# script: a word whose accented letters all belong to one of them reads as a word.
LATIN_ALPHABETS = tuple(frozenset(a) for a in (
    "àâæçéèêëîïôœùûüÿ",  # French
    "áéíóúñüªº",  # Spanish
    "áâãàçéêíóôõúªº",  # Portuguese
    "àèéìíòóùªº",  # Italian
    "àéèíïòóúüç",  # Catalan
    "äöüßé",  # German
    "áéèëïóöüêíú",  # Dutch
    "æøåéóü",  # Danish, Norwegian
    "åäöé",  # Swedish
    "áðéíóúýþæö",  # Icelandic
    "äöåšž",  # Finnish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Slovene, Croatian, Bosnian
    "ăâîșțşţ",  # Romanian
))
# The single-byte legacy encodings tried for text that is not UTF-8, the preferred first:
# Windows-1252 (Western European) is what newsroom systems and Word on Windows wrote.
LEGACY_LATIN = ("cp1252", "cp1250", "iso8859_2")
ENCODING_NAMES = {"cp1252": "Windows-1252 (Western European)", "cp1250": "Windows-1250 (Central European)",
                  "iso8859_2": "ISO-8859-2 (Central European)", "utf-16": "UTF-16",
                  "utf-16-le": "UTF-16 (little-endian, no byte-order mark)",
                  "utf-16-be": "UTF-16 (big-endian, no byte-order mark)"}


def implausibility(text: str) -> int:
    """How much of ``text`` does not read as Latin-script language: words whose accented
    letters fit no one language's alphabet (Czech "příští" read as Windows-1252 is
    "pøíští": ø and í belong to no one language) plus symbols glued to letters (Polish
    "powiedział" read as Windows-1252 is "powiedzia³"; "może" is "mo¿e"). Quotes, dashes
    and apostrophes are punctuation and count for nothing ("won’t", "—the")."""
    score = 0
    for word in re.findall(r"[^\W\d_]+", text):
        accented = {ch for ch in word.lower() if not ch.isascii() and ch.isalpha()}
        if accented and not any(accented <= alphabet for alphabet in LATIN_ALPHABETS):
            score += 1
    for i, ch in enumerate(text):
        if ch.isascii() or ch.isalpha() or ch == "°":
            continue
        before = i > 0 and text[i - 1].isalpha()
        after = i + 1 < len(text) and text[i + 1].isalpha()
        if unicodedata.category(ch).startswith("P"):
            score += ch in "¿¡" and before  # opens a question ("¿Qué"), never inside a word
        elif before or after:
            score += 1  # "³", "¹", "£ukasz": a letter in another encoding
    return score


def legacy_latin(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` for bytes in a single-byte Latin-script encoding, or ``None``
    when no such reading makes sense (another script, or bytes none of them defines).

    Windows-1252 wins unless another reading is clearly better (``implausibility``: at
    most half as implausible, and less): French, Spanish or German text read as
    Windows-1250 is plausible too ("Inès" -> "Inčs", "brûlée" -> "brűlée"), which is why a
    charset detector, comparing letter statistics of a short text, often picks it; Czech
    or Polish text read as Windows-1252 is not ("pøíští", "powiedzia³")."""
    readings = []
    for encoding in LEGACY_LATIN:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v" for ch in text):
            continue  # C1 control characters (ISO-8859-2's 0x80-0x9F): not this encoding
        readings.append((implausibility(text), text, encoding))
    if not readings:
        return None
    preferred = readings[0]
    best = min(readings, key=lambda r: r[0])
    chosen = best if best[0] < preferred[0] and 2 * best[0] < preferred[0] else preferred
    words = sum(not token.isascii() for token in chosen[1].split())
    if chosen[0] > max(2, words // 2):
        return None  # mostly nonsense in every Latin reading: Cyrillic, Greek ... (detection)
    return chosen[1], chosen[2]


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes; returns ``(text, encoding)``.

    BOMs first, then a declared charset, then strict UTF-8, then UTF-8 with its invalid
    bytes read as Windows-1252 when the file also holds valid UTF-8 (``MIXED_ENCODING``),
    then a single-byte Latin encoding (``legacy_latin``: Windows-1252 unless the text
    clearly reads better in a Central European one), then charset detection.
    Raises ``IngestError`` when the bytes are not text in any encoding we can tell.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", "")
            except UnicodeDecodeError:
                raise IngestError(f"the text starts with a {name} byte-order mark but is not valid {name}") from None
    if (utf16 := utf16_without_bom(data)) is not None:
        return utf16
    if looks_binary(data):
        raise IngestError("this is a binary file (an image, PDF, archive or program), not text")
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    for name in candidates:
        try:
            return data.decode(name), codecs.lookup(name).name
        except (UnicodeDecodeError, LookupError):
            continue
    legacy = legacy_latin(data)
    if _UTF8_MULTIBYTE.search(data):
        # UTF-8 with some Windows-1252 bytes pasted in ("café" twice, once per encoding):
        # one encoding for the whole file would garble the other part; unless a legacy
        # reading makes more sense (two legacy letters can look like one UTF-8 letter).
        mixed = data.decode("utf-8", errors=MIXED_ERRORS)
        if legacy is None or implausibility(mixed) <= implausibility(legacy[0]):
            return mixed, MIXED_ENCODING
    if legacy is not None:
        return legacy
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError("the text is not valid UTF-8 and its encoding could not be recognised")
    return str(best), best.encoding


# the front matter keys read for each metadata field
FRONT_MATTER_ALIASES = {"title": ("title", "headline"), "outlet": ("outlet", "publisher", "source", "site"),
                        "date": ("date", "published", "datePublished", "published_at"),
                        "url": ("url", "link", "canonical_url")}
FRONT_MATTER_KEYS = frozenset(k for names in FRONT_MATTER_ALIASES.values() for k in names)


def _front_matter_match(text: str) -> re.Match | None:
    """The front matter at the start of ``text``: closed by a "---" line, or, unclosed,
    its "key: value" lines up to a blank line (``UNCLOSED_FRONT_MATTER``)."""
    closed = _FRONT_MATTER.match(text)
    if closed:
        return closed
    unclosed = _OPEN_FRONT_MATTER.match(text)
    keys = re.findall(r"^([A-Za-z_][\w-]*):", unclosed.group(1), re.M) if unclosed else []
    # a rule ("---") then "Update: ..." is text: front matter names a field it knows
    return unclosed if any(k in FRONT_MATTER_KEYS for k in keys) else None


def _unquoted(value: str) -> str:
    """A value read as text without YAML: its quotes off, a lone one too (a title whose
    closing quote is missing, ``"Orchard Lane flats refused``)."""
    for quote in "\"'":
        if value.startswith(quote) and (value.endswith(quote) and len(value) > 1 or value.count(quote) == 1):
            return value[1:-1] if value.endswith(quote) and len(value) > 1 else value[1:]
    return value


def body_start(text: str) -> int:
    """Where a stored text's body begins: after its YAML front matter, if it has one
    (readers are shown the body; offsets stay those of the whole stored text)."""
    match = _front_matter_match(text)
    return match.end() if match else 0


def parse_front_matter(text: str) -> tuple[dict[str, str | None], Span | None]:
    """YAML front matter at the start of ``text``: its metadata and its span. Front matter
    whose closing "---" is missing is its "key: value" lines up to the first blank line
    (``load_text`` warns: ``UNCLOSED_FRONT_MATTER``)."""
    match = _front_matter_match(text)
    if not match:
        return {}, None
    import yaml

    block = match.group(1) or ""
    try:
        data = yaml.safe_load(block) or {}
    except (yaml.YAMLError, ValueError):
        # Not strict YAML (an unquoted colon in a title, an unclosed quote), or a value YAML
        # cannot build (an impossible date, "2024-02-30"): read "key: value" lines as text.
        data = {key: _unquoted(value)
                for key, value in re.findall(r"^([A-Za-z_][\w-]*):[ \t]*(.*?)[ \t]*$", block, re.M)}
    if not isinstance(data, dict):
        return {}, None
    found: dict[str, str | None] = {}
    for key, names in FRONT_MATTER_ALIASES.items():
        for name in names:
            value = data.get(name)
            if isinstance(value, list) and len(value) == 1:  # "date: [2024-01-01]"
                value = value[0]
            if value not in (None, ""):
                found[key] = value if isinstance(value, (date, datetime)) else str(value)
                break
    return found, Span(match.start(), match.end(), match.group(0))


def body_text(text: str) -> str:
    """The text after any YAML front matter (the body, whose hash is the article id)."""
    match = _front_matter_match(text)
    return text[match.end():] if match else text


_HEADING = re.compile(r"^#{1,6}[ \t]+\S.*$", re.M)


def markdown_headings(text: str, start: int = 0) -> list[Span]:
    """Markdown heading lines ("# Title"): headings, not statements, so kept out of sentences."""
    return [Span(m.start(), m.end(), m.group(0)) for m in _HEADING.finditer(text, start)]


def _markdown_title(text: str, body_start: int) -> str | None:
    match = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M).search(text, body_start)
    if match and not text[body_start:match.start()].strip():
        return match.group(1).strip()
    return None


# spaCy parses one article as one Doc, and refuses longer texts (its parser and entity
# recogniser need about a gigabyte of memory per million characters)
MAX_ARTICLE_CHARS = 1_000_000


# A plain-text headline: the first line, short, with no final punctuation, then a blank line.
HEADLINE_MAX_WORDS = 20
HEADLINE_MAX_CHARS = 150
_FIRST_LINE = re.compile(r"[ \t]*(\S[^\r\n]*?)[ \t]*\r?\n[ \t]*\r?\n\s*\S")


def plain_headline(text: str, body_start: int = 0) -> Span | None:
    """The headline of a plain-text article: its first line when that line is short, does
    not end as a sentence does (nor with ":", which introduces what follows) and is
    followed by a blank line and more text. A heading, so kept out of the sentences."""
    match = _FIRST_LINE.match(text, body_start)
    if not match:
        return None
    line = match.group(1)
    if (len(line.split()) > HEADLINE_MAX_WORDS or len(line) > HEADLINE_MAX_CHARS
            or ends_as_sentence(line) or line.endswith(":") or line.startswith("#")
            or not any(ch.isalpha() for ch in line)):
        return None
    return Span(match.start(1), match.end(1), line)


def make_article(
    text: str,
    metadata: Mapping[str, object | None],
    path: str | None = None,
    encoding: str = "utf-8",
    extra_furniture: list[Span] | None = None,
    body_start: int = 0,
) -> Article:
    """An ``Article`` from decoded text and found metadata; refuses text with no words.

    The id and content hash are those of the body, ``text[body_start:]``: the same article
    under another front-matter header is the same article (a duplicate, or another
    appearance). A date in the document that cannot be read is left unknown, with a
    warning on the article."""
    if not any(ch.isalpha() for ch in text):
        raise IngestError("there is no text in it" if not text.strip() else "it contains no words")
    if len(text) > MAX_ARTICLE_CHARS:
        raise IngestError(f"the text is {len(text):,} characters long; an article may have at most "
                          f"{MAX_ARTICLE_CHARS:,} (the parser's limit): split it into parts")
    extra = extra_furniture or []
    inside = lambda span: any(e.start <= span.start and span.end <= e.end for e in extra)  # noqa: E731
    furniture = sorted(extra + [f for f in find_furniture(text) if not inside(f)], key=lambda s: s.start)
    hash_hex = content_hash(text[body_start:])
    warnings: list[str] = []
    url = _clean(metadata.get("url"))
    if url:
        try:
            url = parse_url(url)
        except UrlError:
            warnings.append(f'the URL "{url}" in the document is not a web address (http or https with a host); '
                            "the article is kept without it")
            url = None
    meta_date = metadata.get("date")
    day = None
    if meta_date not in (None, ""):
        try:
            day = parse_date(meta_date)
        except DateError as exc:
            warnings.append(f"{exc} (in the document); the article is kept with its date unknown")
        if day and (day > (date.today() + timedelta(days=1)).isoformat() or day < "1800-01-01"):
            warnings.append(f"the date {day} is {'in the future' if day > '1800' else 'before 1800'}: check it "
                            "(date filters and claim histories use it)")
    return Article(
        id=article_id_for(hash_hex),
        text=text,
        content_hash=hash_hex,
        title=_clean(metadata.get("title")),
        outlet=_clean(metadata.get("outlet")),
        date=day,
        url=url,
        path=path,
        encoding=encoding,
        furniture=furniture,
        warnings=warnings,
    )


def _clean(value: object | None) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def load_text(text: str, given: Metadata | None = None, path: str | None = None,
              encoding: str = "utf-8") -> Article:
    """An article from pasted or decoded text (front matter and Markdown title honoured;
    failing both, a plain-text headline, see ``plain_headline``, is the title)."""
    given = given or Metadata()
    found, front = parse_front_matter(text)
    body_start = front.end if front else 0
    if "title" not in found:
        title = _markdown_title(text, body_start)
        if title:
            found["title"] = title
    headline = None if "title" in found else plain_headline(text, body_start)
    if headline:
        found["title"] = headline.text
    metadata = given.merged_over(found)
    excluded = ([front] if front else []) + ([headline] if headline else []) + markdown_headings(text, body_start)
    article = make_article(text, metadata, path=path, encoding=encoding, extra_furniture=excluded,
                           body_start=body_start)
    if warning := encoding_warning(encoding):
        article.warnings.append(warning)
    if front and not _FRONT_MATTER.match(text):
        article.warnings.append(UNCLOSED_FRONT_MATTER)
    return article


def encoding_warning(encoding: str) -> str | None:
    """What to tell the user about a text that was not UTF-8 (``decode_bytes``'s
    encoding), so that a wrong guess is noticed: "read as Windows-1252 (Western
    European)"; ``None`` for UTF-8."""
    if encoding == MIXED_ENCODING:
        return ("the file mixes UTF-8 with Windows-1252 bytes; each part was read "
                "in its own encoding (check accented letters)")
    try:
        if codecs.lookup(encoding).name in ("utf-8", "ascii"):
            return None
    except LookupError:
        pass
    name = ENCODING_NAMES.get(encoding, encoding)
    if encoding.startswith("utf-16"):
        return f"the text is not UTF-8: it was read as {name}"
    return f"the text is not UTF-8: it was read as {name}; check its accented letters and quotes"


def load_html(data: bytes, given: Metadata | None = None, path: str | None = None,
              charset: str | None = None, url: str | None = None) -> Article:
    """An article from an HTML page: its main text and meta-tag metadata."""
    from index.html import extract_html

    page = extract_html(data, charset, url)
    declared = page.url or page.declared_url  # an unusable declared URL is dropped with a warning
    if url and (not page.url or is_site_root(page.url)):
        # Where the page was fetched from names the article better than a site-root canonical.
        declared = url
    found = {"title": page.title, "outlet": page.outlet, "date": page.date, "url": declared}
    metadata = (given or Metadata()).merged_over(found)
    article = make_article(page.text, metadata, path=path)
    if page.stories > 1:
        article.warnings.append(f"the page holds {page.stories} separate stories (<article> elements), indexed "
                                "here as one article under one title and date: save each story as its own "
                                "file to keep their speakers and dates apart")
    return article


def file_size(n: int, exact: bool = True) -> str:
    """A byte count for a reader: "1.4 MB" ("20 MB" for a round limit: ``exact=False``),
    "850 KB", "120 bytes"."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB" if exact else f"{n / 1e6:.3g} MB"
    if n >= 1_000:
        return f"{n / 1e3:.0f} KB"
    return f"{n} bytes"


def load_file(path: Path, given: Metadata | None = None, max_bytes: int = 20_000_000) -> Article:
    """Load one file (text, Markdown or HTML). Raises ``IngestError`` with a plain reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(f"unsupported file type {suffix or '(no extension)'}; supported: {kinds}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"the file is {file_size(size)}, over the {file_size(max_bytes, exact=False)} limit "
                              "(set WHOSAID_MAX_FILE_BYTES to raise it)")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror or exc}") from None
    if not data.strip():
        raise IngestError("the file is empty")
    if suffix in HTML_SUFFIXES:
        if looks_binary(data):
            raise IngestError("this is a binary file, not HTML")
        article = load_html(data, given, path=str(path))
    else:
        text, encoding = decode_bytes(data)
        article = load_text(text, given, path=str(path), encoding=encoding)
    article.source_path = str(path.resolve())
    return article


# Files a folder may hold that are not documents anyone meant to add (system litter).
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "icon\r"}


def is_hidden_or_system(path: Path, root: Path) -> bool:
    """True for a hidden file (or one in a hidden folder) under ``root``, and for system
    litter such as .DS_Store or Thumbs.db: skipped in a folder, and counted."""
    parts = path.relative_to(root).parts
    return any(part.startswith(".") for part in parts) or path.name.lower() in SYSTEM_FILES


def iter_input_files(paths: list[Path], skipped: list[Path] | None = None) -> Iterator[Path]:
    """The files named, and every file inside named folders (sorted, recursive) but the
    hidden and system ones, which are appended to ``skipped``. Files of a type whosaid
    cannot read are yielded too: ``load_file`` refuses them with the reason."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if is_hidden_or_system(child, path):
                    if skipped is not None:
                        skipped.append(child)
                else:
                    yield child
        else:
            yield path
