"""The app through streamlit.testing.v1.AppTest (headless, in process): every page and its
main flows. Models are shared with the session (conftest); each test gets a fresh store."""

from __future__ import annotations

import json
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA, REPO, SEEDS

APP = str(REPO / "ui" / "app.py")
FICTIONAL = DATA / "articles"  # harbour_vote.md (Ilse Varga, Tomas Reyes), library_cuts.txt


def _make_app(monkeypatch, embeddings, nlp, seeds):
    # The app builds its Runtime through st.cache_resource; hand it the session's models.
    monkeypatch.setattr("bot.runtime.Runtime.embeddings", embeddings, raising=False)
    monkeypatch.setattr("bot.runtime.Runtime.nlp", nlp, raising=False)
    monkeypatch.setenv("WHOSAID_INDEX_SEEDS", "1")
    monkeypatch.setenv("WHOSAID_SEEDS", str(seeds))
    return AppTest.from_file(APP, default_timeout=120)


@pytest.fixture
def app(monkeypatch, embeddings, nlp):
    """The app on a fresh store holding the seed corpus (indexed on first start)."""
    yield _make_app(monkeypatch, embeddings, nlp, SEEDS)
    import streamlit as st

    st.cache_resource.clear()  # one Runtime per test: a fresh store each time


@pytest.fixture
def fictional(monkeypatch, embeddings, nlp):
    """The app on a fresh store holding the fictional test articles."""
    yield _make_app(monkeypatch, embeddings, nlp, FICTIONAL)
    import streamlit as st

    st.cache_resource.clear()


@pytest.fixture
def downloads(monkeypatch):
    """Every download button's (file name, bytes) as the app hands them to Streamlit."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, bytes] = {}
    original = MediaFileManager.add

    def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name:
            seen[file_name] = path_or_data
        return original(self, path_or_data, mimetype, coordinates, file_name=file_name,
                        is_for_static_download=is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", add)
    return seen


def open_page(at: AppTest, url_path: str) -> AppTest:
    """Switch to the st.navigation page with ``url_path`` (the app's pages are callables,
    which AppTest.switch_page cannot address by file) and run."""
    hashes = [h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path]
    assert hashes, f"no page {url_path!r}: {at._registered_pages}"
    at._page_hash = hashes[0]
    return at.run()


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _plain(markdown: str) -> str:
    """Markdown with backslash escapes removed (what a reader sees, minus styling)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _all_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "code")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def _button(at, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}: {[b.label for b in at.button]}"
    return matches[0]


# -- chat ---------------------------------------------------------------------------------------


def test_first_start_indexes_seeds_and_answers_with_citations(app, downloads):
    app.run()
    assert not app.exception
    app.chat_input[0].set_value("What did Lavrov say?").run()
    assert not app.exception
    text = _text(app)
    assert "Sergey Lavrov said Russia does not want war" in text
    assert "orange\\-background" not in text and ":orange-background[" in text  # a highlighted citation
    assert len(app.get("popover")) >= 2
    assert app.chat_message[0].name == "user" and app.chat_message[1].name == "assistant"
    assert "Not supported" not in text  # extractive statements pass the support check
    copied = [c.value for c in app.code if c.value.startswith("Q: What did Lavrov say?")]
    assert copied and "References" in copied[0] and "[1] “" in copied[0]
    assert b"References" in downloads["whosaid-answer-1.txt"]


def test_follow_a_citation_to_the_whole_article(app):
    app.run()
    app.chat_input[0].set_value("What did Lavrov say?").run()
    before = len(app.markdown)
    _button(app, "Open the whole article").click().run()
    assert not app.exception
    text = _text(app)
    assert len(app.markdown) > before
    # the dialog shows the whole article: text far from the cited sentence is there too
    assert "Security Council" in text and ":orange-background[" in text


def test_unanswerable_question_says_so(app):
    app.run()
    app.chat_input[0].set_value("Who won the 2018 World Cup?").run()
    assert not app.exception
    assert any("don't say" in _plain(i.value) for i in app.info)


def test_history_persists_across_reruns_and_follow_up_uses_it(app):
    app.run()
    app.chat_input[0].set_value("What did Stoltenberg say?").run()
    app.chat_input[0].set_value("What else did he say about Belarus?").run()
    assert not app.exception
    assert len(app.chat_message) == 4
    assert "Belarus" in _text(app)


def test_empty_question_shows_an_error_not_a_traceback(app):
    app.run()
    app.chat_input[0].set_value("?!?").run()
    assert not app.exception
    assert app.error and "no words" in app.error[0].value


def test_date_filter_excludes_every_article(app):
    import datetime as dt

    app.run()
    app.date_input(key="filter_until").set_value(dt.date(1990, 1, 1)).run()
    app.chat_input[0].set_value("What did Lavrov say?").run()
    assert not app.exception
    assert any("don't record" in _plain(i.value) or "don't say" in _plain(i.value) for i in app.info)


def _speaker_id(at, name: str) -> str:
    rows = at.session_state["_listings"]["speakers"][1]
    return next(r["id"] for r in rows if name in r["name"])


def test_speaker_and_article_filters_reach_the_answer(fictional):
    fictional.run()
    fictional.multiselect(key="filter_speakers").set_value([_speaker_id(fictional, "Tomas Reyes")]).run()
    fictional.chat_input[0].set_value("harbour plan cost").run()
    assert not fictional.exception
    answer = fictional.session_state["history"][-1]["answer"]
    assert answer["answered"] and answer["citations"]
    assert all("Tomas Reyes" in c["speaker"] for c in answer["citations"])
    assert "12 million crowns" in _text(fictional)
    # only the library article: the harbour statements are out of reach
    library = next(r.id for r in fictional.session_state["_listings"]["articles"][1] if r.title is None)
    fictional.multiselect(key="filter_speakers").set_value([])
    fictional.multiselect(key="filter_articles").set_value([library]).run()
    fictional.chat_input[0].set_value("harbour plan cost").run()
    answer = fictional.session_state["history"][-1]["answer"]
    assert all(c["article_id"] == library for c in answer["citations"])


# -- quote and draft check ------------------------------------------------------------------------


def test_check_a_verbatim_quote_with_a_suggested_speaker(fictional):
    open_page(fictional.run(), "check")
    speaker = fictional.selectbox(key="qc_speaker")
    assert "Reyes" in speaker.options and any("Ilse Varga" in o for o in speaker.options)  # names and aliases
    speaker.set_value("Varga")
    fictional.text_area(key="qc_quote").set_value("We will not ask fishermen to pay for this")
    _button(fictional, "Check the quote").click().run()
    assert not fictional.exception
    text = _text(fictional)
    assert ":green-badge[✅ Verbatim]" in text
    assert ":orange-background[" in text and "fishermen" in _plain(text)  # the evidence, highlighted


def test_anyone_typed_as_the_speaker_is_no_one_in_particular(fictional):
    from ui.views.quotes import claimed_speaker

    open_page(fictional.run(), "check")
    options = fictional.selectbox(key="qc_speaker").options
    assert len({o.casefold() for o in options}) == len(options)  # each name once, whatever its case
    # the box's placeholder reads "Anyone": typed, it is no one in particular, not a name
    assert [claimed_speaker(t) for t in ("Anyone", " anybody ", "", None)] == [None] * 4
    assert claimed_speaker(" Varga ") == "Varga"


def test_misattributed_quote_names_who_did_say_it(fictional):
    open_page(fictional.run(), "check")
    fictional.selectbox(key="qc_speaker").set_value("Reyes")
    fictional.text_area(key="qc_quote").set_value("We will not ask fishermen to pay for this")
    _button(fictional, "Check the quote").click().run()
    assert not fictional.exception
    assert ":red-badge[❌ Misattributed]" in _text(fictional)
    said = _plain(fictional.error[0].value)
    assert "Ilse Varga" in said and "not Reyes" in said


def test_altered_quote_shows_the_word_diff(fictional):
    open_page(fictional.run(), "check")
    fictional.selectbox(key="qc_speaker").set_value("Varga")
    fictional.text_area(key="qc_quote").set_value("We will ask fishermen to pay for this")
    _button(fictional, "Check the quote").click().run()
    text = _text(fictional)
    assert "Altered" in text and "missing: not" in _plain(text)


def test_empty_quote_is_a_message_and_keeps_the_speaker(fictional):
    open_page(fictional.run(), "check")
    fictional.selectbox(key="qc_speaker").set_value("Reyes")
    _button(fictional, "Check the quote").click().run()
    assert not fictional.exception
    assert "quoted words" in fictional.warning[0].value
    assert fictional.selectbox(key="qc_speaker").value == "Reyes"


def test_check_a_draft_in_order_and_export(fictional, downloads):
    open_page(fictional.run(), "check")
    draft = ("Mayor Ilse Varga promised: “We will not ask fishermen to pay for this.” "
             "Culture Minister Aino Lindqvist said: “Libraries are not a luxury.” "
             "Reyes also said: “The port belongs to everyone.”")
    fictional.text_area(key="dc_text").set_value(draft)
    _button(fictional, "Check the draft").click().run()
    assert not fictional.exception
    rows = json.loads(downloads["whosaid-draft-check.json"])
    assert [r["quote"].rstrip(".") for r in rows] == ["We will not ask fishermen to pay for this",
                                                     "Libraries are not a luxury",
                                                     "The port belongs to everyone"]
    assert [r["verdict"] for r in rows] == ["verbatim", "verbatim", "misattributed"]
    csv_text = downloads["whosaid-draft-check.csv"].decode()
    assert csv_text.splitlines()[0].startswith("n,quote,claimed_speaker,verdict")
    assert len([e for e in fictional.expander if "Misattributed" in e.label]) == 1


# -- library ---------------------------------------------------------------------------------------

HOSTILE = ("# Harbour tax row <script>window.__pwned = 1</script>\n\n"
           "Harbour master Odile Brandt said the tax would not rise. "
           "“The fee stays at <img src=x onerror=alert(1)> forty crowns,” Brandt said.\n")


def _articles_indexed(at) -> int:
    caption = next(c.value for c in at.sidebar.caption if "indexed" in c.value)
    return int(caption.split()[0])


def test_add_by_paste_view_with_attributions_and_delete(fictional):
    open_page(fictional.run(), "library")
    before = _articles_indexed(fictional)
    fictional.text_input(key="paste_outlet").set_value("The Almer Ledger")
    fictional.text_input(key="paste_date").set_value("2025-04-02")
    fictional.text_area(key="paste_text").set_value(HOSTILE)
    _button(fictional, "Add the article").click().run()
    assert not fictional.exception
    assert _articles_indexed(fictional) == before + 1  # the sidebar counts the new article in the same run
    status = _plain(_text(fictional))
    assert "indexed" in status and "Odile Brandt" in status and "sentences" in status
    new_id = fictional.session_state["lib_results"][0]["article_id"]
    fictional.selectbox(key="lib_view").set_value(new_id).run()
    text = _text(fictional)
    # article text is escaped: the tags are shown as text, never as HTML
    assert "\\<script\\>" in text and "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in text
    assert not re.search(r"(?<!\\)<", text)  # no unescaped "<" anywhere
    assert "**\\[" in text and "Odile Brandt" in _plain(text)  # a statement labelled with its speaker
    _button(fictional, "Delete this article…").click().run()
    assert "cannot be undone" in fictional.warning[0].value
    _button(fictional, "Yes, delete it").click().run()
    assert not fictional.exception
    assert "Deleted" in fictional.success[0].value
    assert new_id not in [r.id for r in fictional.session_state["_listings"]["articles"][1]]
    open_page(fictional, "speakers")
    assert "Odile Brandt" not in _plain(_all_text(fictional))


def test_bad_pastes_are_messages_and_keep_the_text(fictional):
    open_page(fictional.run(), "library")
    _button(fictional, "Add the article").click().run()
    assert "Paste the article" in fictional.warning[0].value
    fictional.text_area(key="paste_text").set_value("12345 — 67 890")
    _button(fictional, "Add the article").click().run()
    assert not fictional.exception
    assert "refused" in _text(fictional) and "no words" in _plain(_text(fictional))
    assert fictional.text_area(key="paste_text").value == "12345 — 67 890"


def test_huge_paste_is_refused_with_the_limit(monkeypatch, embeddings, nlp):
    monkeypatch.setenv("WHOSAID_MAX_FILE_BYTES", "2000")
    at = _make_app(monkeypatch, embeddings, nlp, FICTIONAL)
    try:
        open_page(at.run(), "library")
        at.text_area(key="paste_text").set_value("Reyes said the plan works. " * 200)
        _button(at, "Add the article").click().run()
        assert not at.exception
        assert "over the" in _plain(_text(at)) and "WHOSAID_MAX_FILE_BYTES" in _plain(_text(at))
    finally:
        import streamlit as st

        st.cache_resource.clear()


def test_upload_text_and_html_and_refuse_a_binary(fictional):
    open_page(fictional.run(), "library")
    html = (b"<html><head><title>Quay lights</title></head><body><article><p>Harbour engineer Pell Oskarsen "
            b"said the new quay lights would be switched on in May. \xe2\x80\x9cThe quay will be safe at night,"
            b"\xe2\x80\x9d Oskarsen said.</p></article></body></html>")
    fictional.file_uploader(key="upload_files").set_value([
        ("quay.html", html, "text/html"),
        ("note.txt", "Ferry captain Ruth Amsel said the crossing would reopen on Friday.".encode(), "text/plain"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/plain"),
    ])
    _button(fictional, "Add the files").click().run()
    assert not fictional.exception
    results = {r["path"]: r for r in fictional.session_state["lib_results"]}
    assert results["quay.html"]["status"] == "indexed" and results["note.txt"]["status"] == "indexed"
    assert results["photo.txt"]["status"] == "refused" and "binary" in results["photo.txt"]["reason"]
    assert "binary" in _text(fictional)


class _Pages(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def local_site(tmp_path):
    """A page served from 127.0.0.1 on a free port."""
    (tmp_path / "story.html").write_text(
        "<html><head><title>Ferry timetable</title><meta property='og:site_name' content='Almer Ledger'>"
        "</head><body><article><h1>Ferry timetable</h1><p>Ferry operator Jonas Vell said the winter timetable "
        "would start on 1 November. “Two crossings a day are enough in winter,” Vell said.</p></article>"
        "</body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Pages, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_add_from_a_url_through_the_guarded_fetcher(monkeypatch, fictional, local_site):
    monkeypatch.setenv("WHOSAID_ALLOW_PRIVATE_URLS", "1")
    open_page(fictional.run(), "library")
    fictional.text_input(key="url_value").set_value(f"{local_site}/story.html")
    _button(fictional, "Fetch and add").click().run()
    assert not fictional.exception
    result = fictional.session_state["lib_results"][0]
    assert result["status"] == "indexed" and result["title"] == "Ferry timetable"
    assert any("Jonas Vell" in s for s in result["speakers"])


def test_refused_url_is_a_reason_not_a_traceback(fictional, local_site):
    open_page(fictional.run(), "library")  # private addresses are refused by default
    fictional.text_input(key="url_value").set_value(f"{local_site}/story.html")
    _button(fictional, "Fetch and add").click().run()
    assert not fictional.exception
    result = fictional.session_state["lib_results"][0]
    assert result["status"] == "refused" and result["reason"]
    assert fictional.text_input(key="url_value").value.endswith("/story.html")


# -- speakers and settings ---------------------------------------------------------------------------


def test_speaker_page_lists_statements_in_time_order_and_exports(fictional, downloads):
    open_page(fictional.run(), "speakers")
    assert not fictional.exception
    table = json.loads(downloads["whosaid-speakers.json"])
    assert any("Ilse Varga" in r["name"] for r in table)
    assert downloads["whosaid-speakers.csv"].decode().startswith("name,aliases,role,kind,statements")
    varga = next(r["id"] for r in table if "Ilse Varga" in r["name"])
    fictional.selectbox(key="sp_open").set_value(varga).run()
    assert not fictional.exception
    statements = json.loads(next(v for k, v in downloads.items() if k.endswith("-statements.json")))
    assert statements and all(s["date"] == "2025-03-14" for s in statements)
    assert [s["start"] for s in statements] == sorted(s["start"] for s in statements)
    assert "fishermen" in _plain(_text(fictional))
    assert fictional.get("arrow_vega_lite_chart") or fictional.get("vega_lite_chart")  # statements over time
    _button(fictional, "Open in the article").click().run()
    assert not fictional.exception
    assert "Reyes added that he would ask" in _plain(_text(fictional))  # the whole article, in the dialog


def test_settings_show_what_is_used_and_never_the_key(monkeypatch, fictional):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-never-shown-123")
    open_page(fictional.run(), "settings")
    assert not fictional.exception
    assert "MiniLM" in fictional.metric[0].value and "extractive" in fictional.metric[2].value
    shown = _all_text(fictional) + str([m.value for m in fictional.metric]) + str(fictional.get("arrow_data_frame"))
    assert "sk-test-never-shown-123" not in shown
    assert "WHOSAID_EMBEDDINGS" in str(fictional.dataframe[0].value.to_dict())


def test_a_link_that_is_not_a_web_address_is_an_error_under_its_field(fictional):
    open_page(fictional.run(), "library")
    before = _articles_indexed(fictional)
    fictional.text_input(key="paste_url").set_value("javascript:alert(1)")
    fictional.text_area(key="paste_text").set_value(HOSTILE)
    _button(fictional, "Add the article").click().run()
    assert not fictional.exception
    assert any("not a web address" in e.value for e in fictional.error)
    assert "nothing was added" in fictional.warning[0].value and _articles_indexed(fictional) == before


def test_an_uploaded_earlier_version_is_skipped_for_the_later_dated_one(fictional):
    def story(date, jobs):
        return (f"---\ntitle: Harbor expansion splits Vellmoor council\ndate: {date}\n"
                "url: https://ledger.example/harbor-expansion\n---\nThe Vellmoor city council voted 5-4 on Tuesday "
                "to approve the harbor expansion.\n\n\"This is the most important investment in a generation,\" "
                f"said Mayor Odile Brannigan. She added that the project would create {jobs} jobs.\n").encode()

    open_page(fictional.run(), "library")
    fictional.file_uploader(key="upload_files").set_value([
        ("harbor-corrected.md", story("2024-05-14", "1,100"), "text/markdown"),
        ("harbor.md", story("2024-05-12", "1,200"), "text/markdown"),
    ])
    _button(fictional, "Add the files").click().run()
    assert not fictional.exception
    results = {r["path"]: r for r in fictional.session_state["lib_results"]}
    assert results["harbor-corrected.md"]["status"] == "indexed"
    stale = results["harbor.md"]
    assert stale["status"] == "skipped" and "harbor-corrected.md, dated 2024-05-14" in stale["reason"]
    assert "whosaid-upload" not in stale["reason"]  # the uploaded name, not the temporary file


def test_a_corrected_file_uploaded_again_under_its_name_replaces_the_first(fictional):
    def story(cost, correction=""):
        return ("---\ntitle: Kelda Bridge stays open\noutlet: Orrin Valley Gazette\ndate: 2024-03-04\n---\n"
                "Mayor Selma Kvist said on Monday that the Kelda Bridge will stay open through the summer.\n\n"
                f"\"The bridge is safe,\" Kvist said. She added that repairs would cost about {cost} million "
                f"crowns.\n{correction}").encode()

    open_page(fictional.run(), "library")
    fictional.file_uploader(key="upload_files").set_value([("kelda.md", story("2.4"), "text/markdown")])
    _button(fictional, "Add the files").click().run()
    first = fictional.session_state["lib_results"][0]
    assert first["status"] == "indexed" and first["path"] == "kelda.md"
    indexed = _articles_indexed(fictional)
    fictional.file_uploader(key="upload_files").set_value([
        ("kelda.md", story("2.5", "\nCorrection: an earlier version gave the cost as 2.4 million crowns.\n"),
         "text/markdown")])
    _button(fictional, "Add the files").click().run()
    assert not fictional.exception
    second = fictional.session_state["lib_results"][0]
    assert second["status"] == "updated" and second["replaced"] == [first["article_id"]]
    assert _articles_indexed(fictional) == indexed  # the correction replaced the first, not beside it
    fictional.selectbox(key="lib_view").set_value(second["article_id"]).run()
    shown = _plain(_text(fictional))
    assert "The bridge is safe" in shown and "2.5 million" in shown
    assert "outlet: Orrin Valley Gazette" not in shown and "---" not in shown  # front matter is metadata


def test_a_sentence_copied_by_another_outlet_shows_both_citations_when_first_answered(fictional):
    def story(outlet, date, cost):
        return (f"---\ntitle: Kelda Bridge stays open\noutlet: {outlet}\ndate: {date}\n---\n"
                "Mayor Selma Kvist said on Monday that the Kelda Bridge will stay open through the summer.\n\n"
                f"Kvist added that repairs would cost about {cost} million crowns.\n").encode()

    open_page(fictional.run(), "library")
    fictional.file_uploader(key="upload_files").set_value([
        ("gazette.md", story("Orrin Valley Gazette", "2024-03-04", "2.4"), "text/markdown"),
        ("wire.md", story("Tarn Wire Service", "2024-03-05", "4.2"), "text/markdown")])
    _button(fictional, "Add the files").click().run()
    open_page(fictional, "")
    fictional.chat_input[0].set_value("What did Kvist say?").run()
    assert not fictional.exception
    # the first statement is the sentence both outlets carry: both its citations are shown at
    # once, not only after the page is drawn again (the copy is found later in the stream)
    labels = [p.proto.popover.label for p in fictional.get("popover")]
    assert sorted(labels) == ["[1]", "[2]", "[3]", "[4]"] and labels[0] == "[1]", labels  # none missing




def test_a_question_about_someone_the_speaker_filter_leaves_out_says_so(fictional):
    fictional.run()
    fictional.multiselect(key="filter_speakers").set_value([_speaker_id(fictional, "Tomas Reyes")]).run()
    assert any("Filters on: only statements by Tomas Reyes" in _plain(c.value) for c in fictional.caption)
    fictional.chat_input[0].set_value("What did Varga say?").run()
    assert not fictional.exception
    answer = fictional.session_state["history"][-1]["answer"]
    assert not answer["answered"] and not answer["citations"]  # not Varga's statements despite the filter
    shown = "\n".join(_plain(i.value) for i in fictional.info)
    assert "The question asks about Ilse Varga, outside the speaker filter (only statements by Tomas Reyes)" in shown
    assert any("Only statements by Tomas Reyes (the speaker filter)" in _plain(c.value) for c in fictional.caption)
    fictional.chat_input[0].set_value("What did Reyes say?").run()
    answer = fictional.session_state["history"][-1]["answer"]
    assert answer["answered"] and all("Tomas Reyes" in c["speaker"] for c in answer["citations"])
    assert "Only statements by Tomas Reyes (the speaker filter)." in answer["notes"]
