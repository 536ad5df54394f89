"""ClaimReview JSON-LD and CSV exports of a claim (no models, no store)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from bot.claimreview import CSV_COLUMNS, claim_review, write_claims_csv
from bot.claims import Claim, ClaimAppearance, drift


def _appearance(n: int, text: str, outlet: str | None, date: str | None, url: str | None) -> ClaimAppearance:
    return ClaimAppearance(f"a{n}:a0", f"a{n}", f"a{n}:1", [f"a{n}:1"], text, "direct", outlet,
                           f"Headline {n}", date, url)


@pytest.fixture
def claim() -> Claim:
    appearances = [
        _appearance(1, "“We will not raise ferry fares this year,”", "Veldra Courier", "2031-03-03",
                    "https://courier.example/fares"),
        _appearance(2, "the council would not raise ferry fares this year", "Northmere Gazette", "2031-03-03", None),
        _appearance(3, "“We will raise ferry fares this year,”", None, None, None),
    ]
    c = Claim("claim-0123456789ab", "ilka-vantreight", "Ilka Vantreight", appearances, appearances[0],
              np.ones(4, dtype=np.float32) / 2)
    c.reference, c.drift = drift(appearances)
    return c


def test_claim_review_has_every_required_field(claim):
    review = claim_review(claim, "Altered quote", ["Herald dropped the negation"], author="Fact desk",
                          url_base="https://factdesk.example/claims/", reviewed_on="2031-06-01")
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "We will not raise ferry fares this year"
    assert review["url"] == "https://factdesk.example/claims/claim-0123456789ab"
    assert review["author"] == {"@type": "Organization", "name": "Fact desk"}
    assert review["datePublished"] == "2031-06-01"
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2031-03-03"
    assert item["author"] == {"@type": "Person", "name": "Ilka Vantreight"}
    assert len(item["appearance"]) == 3 and all(w["@type"] == "CreativeWork" for w in item["appearance"])
    first = item["firstAppearance"]
    assert first["url"] == "https://courier.example/fares" and first["datePublished"] == "2031-03-03"
    assert first["publisher"] == {"@type": "Organization", "name": "Veldra Courier"}
    # Unknown metadata is left out, never guessed.
    assert "publisher" not in item["appearance"][2] and "url" not in item["appearance"][1]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "Altered quote"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert "concerns the quotation, not the truth of the claim" in review["reviewBody"]
    assert "Herald dropped the negation." in review["reviewBody"]


def test_verdicts_rate_in_order_and_organisations_are_organisations(claim):
    values = {v: claim_review(claim, v, [], author="x", url_base="u:")["reviewRating"]["ratingValue"]
              for v in ("Accurately quoted", "Accurately reported", "Altered quote", "Altered report",
                        "Misattributed")}
    assert values["Accurately quoted"] > values["Altered quote"] > values["Misattributed"]
    assert values["Accurately reported"] == values["Accurately quoted"]
    assert values["Altered report"] == values["Altered quote"]
    org = claim_review(claim, "Accurately quoted", [], author="x", url_base="u:", speaker_kind="organisation")
    assert org["itemReviewed"]["author"]["@type"] == "Organization"
    with pytest.raises(ValueError):
        claim_review(claim, "True", [], author="x", url_base="u:")


def test_csv_has_one_row_per_appearance_with_drift(claim):
    out = io.StringIO()
    assert write_claims_csv([claim], out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    changed = {r["wording"]: r["meaning_changed"] for r in rows}
    assert changed["“We will raise ferry fares this year,”"] == "yes"
    assert changed["the council would not raise ferry fares this year"] == "no"
    assert {r["verdict"] for r in rows} == {"Altered quote"}
