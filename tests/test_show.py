"""`whosaid show`: an indexed article as stored, sentence by sentence, with its attributions."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

ARTICLE = """---
title: Harbour fees stay frozen
outlet: The Almer Ledger
date: 2025-04-02
---
The Almer harbour board will not raise mooring fees this year, its chair Odile Brandt said on Tuesday.

"We will not ask fishermen to pay for this," Brandt said. Harbour master Tomas Rell denied that the quay was unsafe.
"""


def _run(*argv: str) -> tuple[int, str, str]:
    from ui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_show_prints_sentences_with_ids_and_their_attributions(tmp_path):
    store = str(tmp_path / "store")
    (tmp_path / "fees.md").write_text(ARTICLE, encoding="utf-8")
    code, out, _ = _run("ingest", str(tmp_path / "fees.md"), "--store", store, "--json")
    article_id = json.loads(out)["results"][0]["article_id"] if code == 0 else None
    assert article_id

    code, out, _ = _run("show", article_id[:8], "--store", store)  # the first characters are enough
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Harbour fees stay frozen" and "The Almer Ledger, 2025-04-02" in lines[1]
    assert "title:" not in out  # front matter is metadata, not a sentence
    quote = next(i for i, line in enumerate(lines) if line.startswith(f"{article_id}:1 "))
    assert "We will not ask fishermen" in lines[quote]
    assert "direct · Odile Brandt · said" in lines[quote + 1]
    assert "[denied]" in out and "Tomas Rell" in out

    code, out, _ = _run("show", article_id, "--store", store, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["article"]["article_id"] == article_id
    assert all(shown["text"][s["start"]:s["end"]] == s["text"] for s in shown["sentences"])
    assert {a["speaker"] for a in shown["attributions"]} >= {"Odile Brandt", "Tomas Rell"}

    code, out, err = _run("show", "0000000000000000", "--store", store)
    assert code == 1 and out == "" and "no article" in err


def test_delete_takes_the_first_characters_of_an_id_as_show_does(tmp_path):
    store = str(tmp_path / "store")
    (tmp_path / "fees.md").write_text(ARTICLE, encoding="utf-8")
    code, out, _ = _run("ingest", str(tmp_path / "fees.md"), "--store", store, "--json")
    article_id = json.loads(out)["results"][0]["article_id"]
    code, out, _ = _run("delete", article_id[:2], "--store", store, "--json")  # too short to name one
    assert code == 1 and json.loads(out) == {"article_id": article_id[:2], "deleted": False}
    code, out, _ = _run("delete", article_id[:6], "--store", store)
    assert code == 0 and out.strip() == f"deleted {article_id}"
    code, out, _ = _run("articles", "--store", store, "--json")
    assert article_id not in out
