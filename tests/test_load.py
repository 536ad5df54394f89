"""Loading: decoding, metadata (never guessed), refusals with plain reasons."""


import pytest

from index.errors import IngestError
from index.load import Metadata, decode_bytes, load_file, load_text, normalise_date
from tests.conftest import DATA


def test_front_matter_metadata_and_offsets_into_the_file_text():
    path = DATA / "articles" / "harbour_vote.md"
    article = load_file(path)
    assert article.title == "Port Almer council backs harbour dredging plan"
    assert article.outlet == "The Almer Ledger"
    assert article.date == "2025-03-14"
    assert article.url == "https://almer-ledger.example/harbour-vote"
    assert article.text == path.read_text(encoding="utf-8")  # front matter stays, as furniture
    assert article.furniture[0].start == 0 and article.furniture[0].text.startswith("---")


def test_missing_metadata_stays_unknown():
    article = load_file(DATA / "articles" / "library_cuts.txt")
    assert (article.title, article.outlet, article.date, article.url) == (None, None, None, None)


def test_flags_override_found_metadata():
    article = load_file(DATA / "articles" / "harbour_vote.md", Metadata(outlet="Coastal Wire", date="14 March 2025"))
    assert article.outlet == "Coastal Wire" and article.date == "2025-03-14"
    assert article.title == "Port Almer council backs harbour dredging plan"


def test_bom_removed_and_encodings_reported():
    text, enc = decode_bytes("\ufeffHello there.".encode("utf-8"))
    assert text == "Hello there." and enc == "utf-8"
    text, enc = decode_bytes("Café crème, à Genève, où il était déjà. Très bien, merci beaucoup.".encode("cp1252"))
    assert "Café" in text and enc != "utf-8"


def test_utf8_with_windows_1252_bytes_pasted_in_reads_each_part_right(tmp_path):
    """A file pasted together from a UTF-8 and a Windows-1252 source: both "café" survive,
    where one encoding for the whole file garbled one of them ("cafÃ©"); a warning says so."""
    data = "Caf\u00e9 owner Ana Pereira said \u201csales fell\u201d.".encode("utf-8") + \
        " The caf\u00e9 \u2014 her second \u2014 stays open.".encode("cp1252")
    text, enc = decode_bytes(data)
    assert text == "Caf\u00e9 owner Ana Pereira said \u201csales fell\u201d. The caf\u00e9 \u2014 her second \u2014 stays open."
    assert enc == "utf-8+windows-1252"
    (tmp_path / "mixed.txt").write_bytes(data)
    article = load_file(tmp_path / "mixed.txt", None)
    assert article.text.count("caf\u00e9") + article.text.count("Caf\u00e9") == 2
    assert any("Windows-1252" in w for w in article.warnings)
    # all one legacy encoding is still recognised as such, not as "mixed"
    assert decode_bytes("Caf\u00e9 cr\u00e8me, \u00e0 Gen\u00e8ve, o\u00f9 il \u00e9tait.".encode("cp1252"))[1] != enc


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n ", "empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary"),
    ("nul.txt", b"abc\x00def", "binary"),
    ("doc.pdf", b"%PDF-1.4", "unsupported file type"),
    ("digits.txt", b"1234 5678\n", "no words"),
])
def test_bad_files_are_refused_with_a_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=reason):
        load_file(path)


def test_size_limit_is_said_plainly(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300_000)
    with pytest.raises(IngestError, match=r"1\.5 MB, over the 1 MB limit"):
        load_file(path, max_bytes=1_000_000)


def test_dates_are_normalised_or_dropped():
    assert normalise_date("2024-02-29T10:00:00Z") == "2024-02-29"
    assert normalise_date("March 3, 2021") == "2021-03-03"
    assert normalise_date("not a date") is None
    assert normalise_date("2023-02-30") is None


def test_markdown_heading_is_the_title_when_no_front_matter():
    assert load_text("# The Headline\n\nSomeone said something.").title == "The Headline"
    assert load_text("Plain text with no heading.").title is None


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_plain_text_headline_is_the_title_and_not_a_sentence(newline):
    text = newline.join(["Bakery strike enters second week in Quillford", "",
                         '"We will not go back," said union steward Maren Delacroix.', ""])
    article = load_text(text)
    assert article.title == "Bakery strike enters second week in Quillford"
    headline = article.furniture[0]
    assert (headline.start, headline.text) == (0, article.text[headline.start:headline.end]) == (0, article.title)
    # a title given wins; the headline is still a heading, not a sentence
    given = load_text(text, Metadata(title="Strike goes on"))
    assert given.title == "Strike goes on" and given.furniture == article.furniture


@pytest.mark.parametrize("text", [
    "Bridge repairs delayed in Tarnwick.\n\nThe city engineer said so.",  # a sentence
    "Bridge repairs delayed in Tarnwick\nThe city engineer said so.",  # no blank line after it
    "The mayor of Tarnwick told the council on Monday that the bridge repairs would be delayed "
    "again because the steel had not arrived\n\nShe apologised.",  # too long for a headline
    "Councillor Ida Brenner said:\n\n\"The steel has not arrived.\"",  # introduces a quote
    "Bridge repairs delayed in Tarnwick\n\n",  # nothing after it
])
def test_what_is_not_a_plain_text_headline(text):
    assert load_text(text).title is None


def test_front_matter_and_markdown_titles_win_over_a_first_line():
    text = "---\ntitle: Bridge repairs delayed\n---\nTarnwick bridge update\n\nThe engineer said so.\n"
    article = load_text(text)
    assert article.title == "Bridge repairs delayed"
    assert load_text("# Bridge repairs delayed\n\nTarnwick bridge update\n\nThe engineer said so.").title == (
        "Bridge repairs delayed")
    # no title in the front matter: the body's headline is the title
    assert load_text("---\noutlet: The Tarnwick Post\n---\nBridge repairs delayed\n\nThe engineer said so.").title == (
        "Bridge repairs delayed")


def test_same_words_same_id_whatever_the_whitespace():
    a = load_text("Mayor Varga said yes.\n\nShe left.")
    b = load_text("Mayor Varga said yes.\r\n\r\nShe left.\n")
    assert a.id == b.id


@pytest.mark.parametrize("text,words", [
    ("yesterday-ish", "cannot read"), ("03/04/2024", "more than one way"), ("04-03-24", "more than one way"),
    ("May 2024", "a day, a month and a year"), ("2023-02-30", "does not exist"),
])
def test_a_date_that_cannot_be_read_or_is_ambiguous_is_refused_with_the_formats(text, words):
    from index.load import DateError, parse_date

    with pytest.raises(DateError, match=words) as caught:
        parse_date(text)
    assert "2024-03-04" in str(caught.value) and "4 March 2024" in str(caught.value)
    with pytest.raises(DateError):
        Metadata(date=text).checked()


def test_dates_that_can_be_read_one_way_only_are_read():
    from index.load import parse_date

    assert parse_date("13/04/2024") == "2024-04-13" and parse_date("04/04/2024") == "2024-04-04"
    assert parse_date("4 March 2024") == parse_date("March 4, 2024") == "2024-03-04"


def test_a_front_matter_date_that_cannot_be_read_is_kept_unknown_with_a_warning():
    article = load_text("---\ndate: 03/04/2024\noutlet: Harbour Gazette\n---\nMayor Varga said yes.\n")
    assert article.date is None and article.outlet == "Harbour Gazette"
    assert len(article.warnings) == 1 and "03/04/2024" in article.warnings[0] and "kept" in article.warnings[0]
    assert not load_text("---\ndate: 2024-04-03\n---\nMayor Varga said yes.\n").warnings


def test_the_id_is_the_bodys_whatever_the_front_matter():
    body = "# Yes\n\nMayor Varga said yes.\n"
    plain = load_text(body)
    a = load_text("---\noutlet: Harbour Gazette\n---\n" + body)
    b = load_text("---\noutlet: Harbour Gazette\nauthor: desk\n---\n" + body)
    assert a.id == b.id == plain.id and a.content_hash == b.content_hash
    assert load_text("---\noutlet: Harbour Gazette\n---\n# Yes\n\nMayor Varga said no.\n").id != a.id


@pytest.mark.parametrize("url", ["https://smalltown.example/", "https://smalltown.example", "http://SmallTown.example/#top"])
def test_a_site_root_url_is_not_a_version_key(url):
    from index.models import Appearance, version_key

    assert version_key(Appearance(url=url)) is None  # pasted: nothing to compare
    file_key = version_key(Appearance(url=url, outlet="Smalltown Post", source_path="/exports/s1.html"))
    assert file_key == version_key(Appearance(outlet="Smalltown Post", source_path="/exports/s1.html"))
    # an article's own address, even one given by a query, still is one
    by_query = {version_key(Appearance(url=f"https://smalltown.example/?p={n}")) for n in (12, 13)}
    assert None not in by_query and len(by_query) == 2
    assert version_key(Appearance(url="https://smalltown.example/news/")) == "url://smalltown.example/news"


@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "ftp://files.example/story", "https://",
                                 "www.tarnwick.example/story", "https://tarn wick.example/story", "file:///etc/passwd"])
def test_a_given_url_that_is_not_a_web_address_is_refused(url):
    from index.load import UrlError

    with pytest.raises(UrlError, match="not a web address"):
        Metadata(url=url).checked()


def test_a_given_web_address_is_kept_as_typed():
    url = "HTTPS://Tarnwick.example/news/bakery-strike?page=2"
    assert Metadata(url=f"  {url} ").checked().url == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url", "/news/story"])
def test_a_document_url_that_is_not_a_web_address_is_dropped_with_a_warning(url):
    text = f"---\ntitle: Bakery strike\nurl: {url}\n---\nUnion steward Maren Delacroix said the strike would go on.\n"
    article = load_text(text)
    assert article.url is None and article.title == "Bakery strike"
    assert any(url in w and "not a web address" in w for w in article.warnings), article.warnings


def test_an_html_link_that_is_not_a_web_address_is_dropped_with_a_warning():
    from index.load import load_html

    page = (b'<html><head><title>Bakery strike</title><link rel="canonical" href="javascript:alert(1)"></head>'
            b"<body><article><p>Union steward Maren Delacroix said the strike would go on.</p></article></body></html>")
    article = load_html(page)
    assert article.url is None and any("javascript:alert(1)" in w for w in article.warnings)
    fetched = load_html(page, url="https://quillford.example/bakery-strike")
    assert fetched.url == "https://quillford.example/bakery-strike" and not fetched.warnings


def test_a_fetched_page_whose_canonical_is_the_site_root_keeps_the_fetched_address():
    from index.load import load_html

    page = (b'<html><head><title>Story 1</title><link rel="canonical" href="https://smalltown.example/"></head>'
            b'<body><article><p>"Statement number 1 is true," said alderman Piers Wolcott.</p></article></body></html>')
    assert load_html(page).url == "https://smalltown.example/"  # a file: the link the page gives is kept
    assert load_html(page, url="https://smalltown.example/news/1").url == "https://smalltown.example/news/1"


@pytest.mark.parametrize("text", [
    "“Mañana we vote,” said Councillor Inès Peñarroya. “The crème brûlée stall stays,” added Hélène Lamothe.",
    "Harbourmaster Cosmo Vantreight said the levy would raise €40,000 a year. “It’s naïve — and the café won’t pay,” he added.",
    "„Die Brücke ist sicher“, sagte Bürgermeister Jörg Faßbender. “Vi er klar,” sa Søren Kjær at 20°C. ¿Qué? ¡Sí!",
])
def test_windows_1252_text_is_read_as_windows_1252_and_said(tmp_path, text):
    """Western European text in Windows-1252 (accents, curly quotes, dashes: bytes
    0x91-0x97) is read as such, not as Windows-1250 ("Inčs", "crčme brűlée", "naďve"),
    and the article says which encoding was used."""
    data = text.encode("cp1252")
    assert decode_bytes(data) == (text, "cp1252")
    (tmp_path / "legacy.txt").write_bytes(data)
    article = load_file(tmp_path / "legacy.txt")
    assert article.text == text and article.encoding == "cp1252"
    assert any("Windows-1252" in w for w in article.warnings), article.warnings


@pytest.mark.parametrize("text,encoding", [
    ("Starosta Jiří Dvořák řekl, že most bude opraven příští měsíc. „Je to důležité,“ dodal. "
     "Obyvatelé říkají, že čekají příliš dlouho.", "cp1250"),
    ("Burmistrz Łukasz Wróbel powiedział, że most zostanie naprawiony w przyszłym miesiącu. "
     "Mieszkańcy mówią, że czekają zbyt długo.", "cp1250"),
    ("A polgármester, Kovács Péter szerint a hidat jövő hónapban javítják. Az őszi ülésen döntöttek.", "cp1250"),
    ("Burmistrz Łukasz Wróbel powiedział, że most zostanie naprawiony w przyszłym miesiącu.", "iso8859_2"),
])
def test_central_european_text_is_read_in_its_own_encoding(text, encoding):
    """Czech, Polish and Hungarian text makes no sense as Windows-1252 ("pøíští",
    "powiedzia³", "jövõ"): read in the Central European encoding it was written in."""
    assert decode_bytes(text.encode(encoding)) == (text, encoding)


def test_utf8_text_has_no_encoding_warning(tmp_path):
    (tmp_path / "plain.txt").write_text("“It’s naïve,” said Councillor Ysolde Garnett.", encoding="utf-8")
    assert load_file(tmp_path / "plain.txt").warnings == []


def test_utf16_without_a_byte_order_mark_is_read(tmp_path):
    """UTF-16 saved without a BOM has a NUL in every other byte: text, not a binary file."""
    text = "Larkfield school to close early\n\n“The roof is not safe,” said head teacher Amara Quist.\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(encoding)) == (text, encoding)
        (tmp_path / "notes.txt").write_bytes(text.encode(encoding))
        article = load_file(tmp_path / "notes.txt")
        assert article.title == "Larkfield school to close early"
        assert any("UTF-16" in w for w in article.warnings), article.warnings
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)


def test_a_front_matter_title_with_an_unclosed_quote_loses_the_quote():
    article = load_text('---\ntitle: "Orchard Lane flats refused\noutlet: The Pellworth Courier\n'
                        'tags: [housing, planning\n---\n\nThe board refused the flats, a member said.\n')
    assert (article.title, article.outlet) == ("Orchard Lane flats refused", "The Pellworth Courier")


def test_unclosed_front_matter_is_read_up_to_the_blank_line_with_a_warning():
    article = load_text("---\ntitle: Kiln Street market moves\noutlet: The Pellworth Courier\n\n"
                        "# Kiln Street market moves\n\nThe market will move in July, the council said.\n")
    assert (article.title, article.outlet) == ("Kiln Street market moves", "The Pellworth Courier")
    assert any("front matter is not closed" in w for w in article.warnings), article.warnings
    assert any(f.text.startswith("---\ntitle:") for f in article.furniture)
    # a rule and a line with a colon are text, not front matter
    plain = load_text("---\nUpdate: the council said the market would move.\n")
    assert plain.warnings == [] and plain.outlet is None
