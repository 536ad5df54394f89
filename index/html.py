"""Main text and meta-tag metadata of an HTML page.

The text comes from trafilatura (precision mode, no comments), one block per paragraph,
paragraphs separated by a blank line. Metadata is read only from what the page declares
(``og:title``, ``og:site_name``, ``article:published_time``, ``<title>``, the canonical
link, ``author``); what a page does not declare stays ``None``. trafilatura is used for
extraction only: nothing here touches the network.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.xml import xmltotxt

from index.errors import IngestError

TITLE_KEYS = ("og:title",)
OUTLET_KEYS = ("og:site_name",)
DATE_KEYS = ("article:published_time", "og:article:published_time", "datepublished",
             "date", "dc.date", "dc.date.issued", "dcterms.date")
AUTHOR_KEYS = ("author", "article:author", "dc.creator")
URL_KEYS = ("og:url",)

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class ExtractedHtml:
    """An HTML page's main text and declared metadata (``None`` = not declared)."""

    text: str
    title: str | None
    outlet: str | None
    date: str | None  # as declared, e.g. "2024-03-05T09:30:00Z"
    url: str | None
    author: str | None
    declared_url: str | None = None  # the first canonical/og:url as written, usable or not
    stories: int = 1  # separate <article> elements with text of their own (a round-up page)


def extract_html(body: bytes, charset: str | None = None, url: str | None = None) -> ExtractedHtml:
    """Main text and metadata of an HTML page; ``IngestError`` if it has no article text.

    ``charset`` is the one the server declared (if any); ``url`` is where the page came
    from (used to resolve a relative canonical link and in messages).
    """
    html = _XML_DECLARATION.sub("", decode_html(body, charset), count=1)
    where = url or "the page"
    tree = _parse(html)
    text = _main_text(html, url) if tree is not None else ""
    if not text:
        raise IngestError(f"no article text found in {where}")
    meta = _meta_values(tree)
    return ExtractedHtml(
        text=text,
        title=_first(meta, TITLE_KEYS) or _clean(tree.findtext(".//title")),
        outlet=_first(meta, OUTLET_KEYS),
        date=_first(meta, DATE_KEYS),
        url=_canonical_url(tree, meta, url),
        author=_author(meta),
        declared_url=next(iter(_url_candidates(tree, meta)), None),
        stories=_stories(tree),
    )


def _stories(tree: etree._Element) -> int:
    """How many ``<article>`` elements of the page hold a story of their own (at least a
    sentence's worth of paragraph text, not nested in another): a round-up or section page
    that lists several stories, where each has its own speakers and date."""
    count = 0
    for element in tree.iter("article"):
        if any(a.tag == "article" for a in element.iterancestors()):
            continue
        text = " ".join(p.text_content() for p in element.iter("p"))
        count += len(text.split()) >= 8
    return max(count, 1)


def decode_html(body: bytes, charset: str | None = None) -> str:
    """``body`` as text: BOM, else the declared charset, else ``<meta charset>``, else UTF-8/cp1252."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, "replace")
    declared = _known_encoding(charset) or _known_encoding(_meta_charset(body))
    if declared:
        return body.decode(declared, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", "replace")


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    if not match:
        return None
    name = match[1].decode("ascii").lower()
    # a page that can declare its charset in ASCII is not UTF-16 (HTML spec: read as UTF-8)
    return "utf-8" if name.startswith("utf-16") else name


def _known_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _parse(html: str) -> etree._Element | None:
    """The page's element tree (comments dropped), or ``None`` if there is no markup."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(remove_comments=True))
    except (etree.ParserError, ValueError):
        return None


def _main_text(html: str, url: str | None) -> str:
    """The article text, paragraphs separated by blank lines ("" if none was found).

    Precision mode first (less boilerplate); if that finds nothing, the balanced mode.
    """
    for precision in (True, False):
        document = trafilatura.bare_extraction(
            html, url=url, favor_precision=precision, include_comments=False,
            include_tables=True, with_metadata=False,
        )
        text = _paragraphs(document.body) if document is not None and document.body is not None else ""
        if text:
            return text
    return ""


def _paragraphs(body: etree._Element) -> str:
    """One paragraph per block of trafilatura's output tree, joined by blank lines."""
    paragraphs = []
    for block in body:
        lines = (line.strip() for line in xmltotxt(block, False).splitlines())
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _clean(value: str | None) -> str | None:
    """``value`` with whitespace collapsed; ``None`` if nothing is left."""
    text = " ".join((value or "").split())
    return text or None


def _meta_values(tree: etree._Element) -> dict[str, str]:
    """``<meta>`` contents by lower-case property/name/itemprop (the first one wins)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = _clean(meta.get("content"))
        if key and value and key not in found:
            found[key] = value
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if k in meta), None)


def _author(meta: dict[str, str]) -> str | None:
    """The declared author; ``article:author`` is often a profile URL, which is not a name."""
    names = (meta[k] for k in AUTHOR_KEYS if k in meta)
    return next((n for n in names if not n.lower().startswith(("http://", "https://"))), None)


def _url_candidates(tree: etree._Element, meta: dict[str, str]) -> list[str]:
    """The page's declared URLs as written, canonical links first, then ``og:url``."""
    candidates = [
        link.get("href") for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    candidates.append(_first(meta, URL_KEYS))
    return [href for c in candidates if (href := _clean(c))]


def _canonical_url(tree: etree._Element, meta: dict[str, str], base: str | None) -> str | None:
    """The canonical link (else ``og:url``) as an absolute http(s) URL, or ``None``."""
    for href in _url_candidates(tree, meta):
        try:
            absolute = urljoin(base, href) if base else href
            if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).hostname:
                return absolute
        except ValueError:
            continue
    return None
