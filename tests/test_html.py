"""Main text and meta-tag metadata from HTML pages (a fictional outlet and people)."""

from __future__ import annotations

import socket

import pytest

from index.errors import IngestError
from index.html import ExtractedHtml, decode_html, extract_html

ARTICLE_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Harbour council votes to close ferry pier | The Lindqvist Gazette</title>
  <meta property="og:title" content="Harbour council votes to close ferry pier">
  <meta property="og:site_name" content="The Lindqvist Gazette">
  <meta property="article:published_time" content="2024-03-05T09:30:00Z">
  <meta name="author" content="Petra Sandhaven">
  <link rel="canonical" href="/local/2024/ferry-pier">
  <script>window.trackingId = "SCRIPT_IN_HEAD_MUST_NOT_APPEAR";</script>
  <style>.share { color: red }</style>
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
  <div class="share">Share this article <a href="#">Facebook</a> <a href="#">Email</a></div>
  <article>
    <h1>Harbour council votes to close ferry pier</h1>
    <p>The Lindqvist Harbour council voted on Tuesday to close the old ferry pier,
    ending a debate that has run for three years in the small coastal town.</p>
    <p>"We cannot keep patching a structure that was built for boats half the size,"
    council chair Mara Okonjo-Vance said after the vote.</p>
    <script>document.write("SCRIPT_IN_BODY_MUST_NOT_APPEAR");</script>
    <p>Opponents, led by the fisherman Teodor Brask, said the decision would push
    traffic onto the coastal road and that they would appeal to the regional board.</p>
  </article>
  <div class="share">Share this article</div>
  <footer><p>© 2024 The Lindqvist Gazette. All rights reserved.</p>
  <a href="/privacy">Privacy policy</a> <a href="/contact">Contact us</a></footer>
</body>
</html>
"""

BARE_PAGE = """<html><head><title>Only a title</title></head><body>
<article><p>The regional ferry board of the fictional Vesterholm county met on Monday and
agreed to publish its timetable for the summer season in April, a month earlier than usual.</p>
<p>A spokesperson for the board said the change followed requests from island residents.</p>
</article></body></html>"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Extraction must never open a connection or look a name up."""
    def refuse(*args, **kwargs):
        raise AssertionError("extract_html tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_main_text_without_boilerplate():
    page = extract_html(ARTICLE_PAGE.encode(), "utf-8", "https://gazette.example/local/x")
    assert "voted on Tuesday to close the old ferry pier" in page.text
    assert "council chair Mara Okonjo-Vance said after the vote." in page.text
    assert "appeal to the regional board." in page.text
    for boilerplate in ("Sport", "Weather", "Facebook", "Share this article", "All rights reserved",
                        "Privacy policy", "Contact us"):
        assert boilerplate not in page.text


def test_paragraphs_are_separated_by_blank_lines():
    text = extract_html(ARTICLE_PAGE.encode(), "utf-8", None).text
    paragraphs = text.split("\n\n")
    assert any(p.startswith("The Lindqvist Harbour council voted") for p in paragraphs)
    assert any(p.startswith('"We cannot keep patching') for p in paragraphs)
    assert "\n\n\n" not in text


def test_script_content_never_in_the_text():
    text = extract_html(ARTICLE_PAGE.encode(), "utf-8", None).text
    assert "MUST_NOT_APPEAR" not in text
    assert "trackingId" not in text and "document.write" not in text


def test_meta_tags_are_read():
    page = extract_html(ARTICLE_PAGE.encode(), None, "https://gazette.example/local/x?utm=1")
    assert page == ExtractedHtml(
        text=page.text,
        title="Harbour council votes to close ferry pier",
        outlet="The Lindqvist Gazette",
        date="2024-03-05T09:30:00Z",
        url="https://gazette.example/local/2024/ferry-pier",
        author="Petra Sandhaven",
        declared_url="/local/2024/ferry-pier",  # as written: relative, made absolute in ``url``
    )


def test_missing_metadata_stays_none():
    page = extract_html(BARE_PAGE.encode(), None, None)
    assert "publish its timetable for the summer season" in page.text
    assert page.title == "Only a title"  # the <title>, since there is no og:title
    assert (page.outlet, page.date, page.url, page.author) == (None, None, None, None)


def test_relative_canonical_without_a_base_is_not_guessed():
    page = extract_html(ARTICLE_PAGE.encode(), "utf-8", None)
    assert page.url is None


def test_profile_url_is_not_an_author():
    html = BARE_PAGE.replace(
        "<head>", '<head><meta property="article:author" content="https://social.example/petra">')
    assert extract_html(html.encode()).author is None


@pytest.mark.parametrize("body", [
    b"",
    b"   ",
    b"<html><head><title>Empty</title></head><body></body></html>",
    b"<html><body><nav><a href='/'>Home</a></nav><script>var text = 'lots of words " + b"x " * 500
    + b"';</script></body></html>",
])
def test_page_without_article_text_is_refused(body):
    with pytest.raises(IngestError, match="no article text found in https://gazette.example/empty"):
        extract_html(body, "utf-8", "https://gazette.example/empty")


def test_charset_from_header_then_meta_then_utf8():
    latin = "<html><body><p>Café crème</p></body></html>".encode("latin-1")
    assert "Café crème" in decode_html(latin, "iso-8859-1")
    with_meta = b'<html><head><meta charset="windows-1252"></head>' + latin
    assert "Café crème" in decode_html(with_meta, None)
    assert "Café crème" in decode_html("<p>Café crème</p>".encode(), None)
    assert "Café crème" in decode_html(latin, "no-such-charset")  # cp1252 fallback


ROUND_UP = ("<html><head><title>Round-up | The Orrin Post</title></head><body><main>"
            "<article><h2>Ferry fares rise</h2><p>Ferry fares to Ollery Isle will rise by 8% in June, "
            "operator Tidewell Lines said on Monday.</p></article>"
            "<article><h2>Library reopens</h2><p>“The children's section is bigger than before,” librarian "
            "Hamish Okonko said on Saturday.</p></article>"
            "<article><h2>Share</h2><p>Share this</p></article></main></body></html>")


def test_a_page_of_several_stories_is_said_to_be_one_article_with_a_warning():
    from index.load import load_html

    assert extract_html(ROUND_UP.encode()).stories == 2  # a share box is no story
    article = load_html(ROUND_UP.encode(), path="roundup.html")
    assert any("2 separate stories" in w and "save each story" in w for w in article.warnings)
    single = "<html><body><article><p>" + "Harbour master Tomas Rell said the quay was safe. " * 3 + "</p></article>"
    assert load_html(single.encode()).warnings == []
