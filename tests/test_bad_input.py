"""Bad input gets a clear error and changes nothing: files, folders, questions, quotes."""

import json
import subprocess

import pytest

from tests.conftest import DATA
from tests.helpers import REPO, subprocess_env, whosaid_command

GOOD = DATA / "articles" / "harbour_vote.md"


def _snapshot(store):
    return {kind: store.count(kind) for kind in ("articles", "sentences", "chunks", "attributions", "speakers")}


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported file type"),
    ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 100, "binary"),
    ("page.html", b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>", "no article text"),
    ("latin1.txt", "Vesterholm's mayor said the café will reopen in März.".encode("utf-16-be"), ""),
    ("script.exe", b"MZ\x90\x00", "unsupported file type"),
])
def test_refused_files_leave_the_store_unchanged(make_runtime, tmp_path, name, data, reason):
    rt = make_runtime()
    rt.ingest_paths([GOOD])
    before = _snapshot(rt.store)
    path = tmp_path / name
    path.write_bytes(data)
    (result,) = rt.ingest_paths([path])
    if result.status == "refused":
        assert reason in result.reason
        assert _snapshot(rt.store) == before
    else:  # decodable after all (UTF-16 without BOM): indexed, and nothing else changed
        assert not reason and result.status == "indexed"


def test_sixty_megabyte_file_is_refused_by_size_plainly(make_runtime, tmp_path):
    rt = make_runtime()
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(60_000_000)
    (result,) = rt.ingest_paths([path])
    assert result.status == "refused"
    assert "60.0 MB, over the 20 MB limit" in result.reason and "WHOSAID_MAX_FILE_BYTES" in result.reason
    assert rt.store.count("articles") == 0


def test_undecodable_bytes_are_refused_and_other_encodings_reported(make_runtime, tmp_path):
    from index.load import load_file

    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Der Bürgermeister sagte, die Brücke werde im März eröffnet. Größer als geplant.".encode("cp1252"))
    article = load_file(legacy)
    assert "Bürgermeister" in article.text and article.encoding != "utf-8"


def test_cli_folder_with_bad_files_exits_1_and_reports_each(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("\n\n   \n")
    env = subprocess_env(tmp_path)
    run = subprocess.run(whosaid_command("ingest", str(folder), "--json"), env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 1, run.stderr
    rows = {r["path"].rsplit("/", 1)[-1]: r for r in json.loads(run.stdout)["results"]}
    assert rows["good.md"]["status"] == "indexed"
    assert rows["empty.txt"]["status"] == rows["blank.md"]["status"] == "refused"
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("args,code,message", [
    (["ingest", "/no/such/file.txt"], 1, "no such file"),
    (["ask"], 2, "required"),
    (["check"], 2, "QUOTE or --file"),
    (["check", "?!?!"], 1, "no words"),
    (["check", "x" * 5000], 1, "long"),
    (["ask", "   "], 1, "empty"),
    (["ask", "Who?", "--since", "yesterday-ish"], 2, "date"),
    (["frobnicate"], 2, "invalid choice"),
    (["extract", "/tmp"], 2, "is a folder; extract reads one file (.htm"),
    (["extract", "https://example.org/story"], 2, "whosaid ingest URL"),
    (["ask", "Who?", "--article", "doesnotexist"], 1, "no article doesnotexist"),
])
def test_cli_errors_are_messages_not_tracebacks(tmp_path, args, code, message):
    env = subprocess_env(tmp_path, WHOSAID_INDEX_SEEDS="0")
    run = subprocess.run(whosaid_command(*args), env=env, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert run.returncode == code, (run.stdout, run.stderr)
    assert message in run.stdout + run.stderr and "Traceback" not in run.stderr


def test_ui_on_a_busy_port_is_a_usage_error_before_anything_starts(capsys):
    import socket

    from ui.cli import main

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["ui", "--headless", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"port {port}" in err and "in use" in err and "the app is at" not in err


def test_an_impossible_front_matter_date_keeps_the_article_with_its_date_unknown(tmp_path):
    from index.load import load_file

    for value in ("2024-02-30", "[2024-02-30]"):
        path = tmp_path / "impossible.md"
        path.write_text(f"---\ntitle: Ferry\noutlet: The Almer Ledger\ndate: {value}\n---\n"
                        "Mayor Ilse Varga said the ferry would run on Sundays.\n", encoding="utf-8")
        article = load_file(path)
        assert article.date is None and article.title == "Ferry"
        assert any("2024-02-30" in w and "date unknown" in w for w in article.warnings), article.warnings
    path.write_text("---\ndate: [2024-01-05]\n---\nMayor Ilse Varga said the ferry would run.\n", encoding="utf-8")
    assert load_file(path).date == "2024-01-05"


def test_a_text_too_long_to_parse_is_refused_and_the_rest_indexed(make_runtime, tmp_path):
    from index.load import MAX_ARTICLE_CHARS

    folder = tmp_path / "mix"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "long.txt").write_text("Mayor Ilse Varga said the ferry would run. " * (MAX_ARTICLE_CHARS // 40),
                                     encoding="utf-8")
    results = {r.path.rsplit("/", 1)[-1]: r for r in make_runtime().ingest_paths([folder])}
    assert results["good.md"].status == "indexed"
    assert results["long.txt"].status == "refused" and "split it into parts" in results["long.txt"].reason


def test_cli_bad_port_and_store_are_usage_errors(tmp_path):
    env = subprocess_env(tmp_path)
    run = subprocess.run(whosaid_command("ui", "--port", "99999"), env=env, cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2 and "99999 is not a port number" in run.stderr, run.stderr
    (tmp_path / "file").write_text("x")
    run = subprocess.run(whosaid_command("articles"), env={**env, "WHOSAID_STORE": str(tmp_path / "file")},
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "is a file; the store is a folder" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("value, warning", [("2099-01-01", "in the future"), ("0001-01-01", "before 1800")])
def test_an_unlikely_date_is_kept_with_a_warning(tmp_path, value, warning):
    from index.load import load_file

    path = tmp_path / "odd.md"
    path.write_text(f"---\ndate: {value}\n---\nMayor Ilse Varga said the ferry would run.\n", encoding="utf-8")
    article = load_file(path)
    assert article.date == value and any(warning in w for w in article.warnings), article.warnings


def test_cli_ingest_reads_an_article_from_standard_input(tmp_path):
    env = subprocess_env(tmp_path)
    run = subprocess.run(whosaid_command("ingest", "-", "--outlet", "The Almer Ledger", "--json"), env=env, cwd=REPO,
                         input=GOOD.read_text(encoding="utf-8"), capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    (row,) = json.loads(run.stdout)["results"]
    assert row["status"] == "indexed" and row["path"] == "standard input", row
    twice = subprocess.run(whosaid_command("ingest", "-", "-"), env=env, cwd=REPO, input="x", capture_output=True,
                           text=True, timeout=180)
    assert twice.returncode == 2 and "can be read once" in twice.stderr
